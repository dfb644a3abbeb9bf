"""Reads of areas, boundaries and the gazetteer. Every function takes the user first.

Browsing (lists, detail, children, maps, boundaries) is limited to the user's scope: their areas
and everything below; ancestors above the scope are answered as not found. The gazetteer
(`search_areas` without `mine`, `locate_area`) covers the whole country, as pickers need it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _

from waspada.core.errors import OutOfScope
from waspada.core.scoping import ScopedUser, minimal_codes, user_covers, user_scope_q
from waspada.geo import bundles, geocode, svgmap
from waspada.geo.choices import AreaLevel
from waspada.geo.models import Area, AreaBoundary, BoundaryBundle
from waspada.geo.names import compact, parse_query

SEARCH_LIMIT_DEFAULT = 20
SEARCH_LIMIT_MAX = 100


def visible_areas(user: ScopedUser) -> QuerySet[Area]:
    """Areas inside the user's scope (all of them for national scope, none for anonymous)."""
    if not user.is_authenticated:
        return Area.objects.none()
    condition = user_scope_q(user, "code")
    return Area.objects.all() if condition is None else Area.objects.filter(condition)


def get_area(user: ScopedUser, code: str) -> Area:
    """One area inside the user's scope. Raises OutOfScope (404) when missing or outside."""
    if not user_covers(user, code):
        raise OutOfScope(code)
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise OutOfScope(code)
    return area


def get_area_detail(user: ScopedUser, code: str) -> Area:
    """`get_area` with `children_count`. Raises OutOfScope (404) when missing or outside."""
    if not user_covers(user, code):
        raise OutOfScope(code)
    area = Area.objects.filter(code=code).annotate(children_count=Count("children")).first()
    if area is None:
        raise OutOfScope(code)
    return area


def list_children(user: ScopedUser, parent: Area | None) -> list[Area]:
    """The children of `parent` with `child_count`; for None, the user's top areas.

    National scope sees the provinces at the top; anyone else sees their own assigned areas.
    Raises OutOfScope when `parent` lies outside the user's scope.
    """
    if parent is not None:
        if not user_covers(user, parent.code):
            raise OutOfScope(parent.code)
        queryset = Area.objects.filter(parent_id=parent.code)
    elif not user.is_authenticated:
        return []
    elif user.has_national_scope:
        queryset = Area.objects.filter(level=AreaLevel.PROVINCE)
    else:
        queryset = Area.objects.filter(code__in=minimal_codes(user.scope_area_codes))
    return list(queryset.annotate(child_count=Count("children")).order_by("code"))


@dataclass(frozen=True)
class Crumb:
    """One step of a breadcrumb; `linked` is False for ancestors above the user's scope."""

    code: str
    name: str
    linked: bool


def breadcrumb(user: ScopedUser, area: Area) -> list[Crumb]:
    """The ancestors of `area`, province first, each marked whether the user may open it."""
    codes = area.ancestor_codes
    names = {
        ancestor.code: ancestor.display_name
        for ancestor in Area.objects.filter(code__in=codes).only("code", "name", "level")
    }
    return [Crumb(code, names.get(code, code), user_covers(user, code)) for code in codes]


def _prefix_q(term: str) -> Q:
    """`search_key` starts with `term`, written so the engine can use an index.

    PostgreSQL turns LIKE 'x%' into an index range with the varchar_pattern_ops index. SQLite
    does not for Django's LIKE ... ESCAPE, so there an explicit range on the binary-collated
    column does the index work and LIKE only confirms.
    """
    condition = Q(search_key__startswith=term)
    if connection.vendor == "sqlite" and term:
        upper = term[:-1] + chr(ord(term[-1]) + 1)
        condition &= Q(search_key__gte=term, search_key__lt=upper)
    return condition


def search_areas(
    user: ScopedUser,
    query: str,
    *,
    level: AreaLevel | None = None,
    mine: bool = False,
    limit: int = SEARCH_LIMIT_DEFAULT,
) -> list[Area]:
    """Areas whose name starts with `query`, ignoring case, accents and level prefixes.

    "Kab. Kotabaru", "kota palangka raya", "Kec. Jekan", "desa sukamaju": a leading level word
    is taken off and ranks that level first; names that really start with the word come next,
    then the other levels. Spaces and punctuation are ignored ("palangka raya" finds
    "Palangkaraya"). With `mine`, only areas inside the user's scope. Within a rank, ordered by
    level, then name.
    """
    if not user.is_authenticated:
        return []
    parsed = parse_query(query)
    full, term = compact(parsed.full), compact(parsed.term)
    if not full:
        return []
    condition = _prefix_q(full)
    ranking: list[When] = []
    if parsed.hint is not None:
        # The level word ranks, it does not filter: "Kota Baru" still finds the desa Kota Baru
        # and a kecamatan typed as "Kab. ..." is still found.
        condition |= _prefix_q(term)
        if parsed.regency_kind == "kota":
            kind = Q(name__startswith="Kota ")
        else:
            kind = Q(name__startswith="Kabupaten ")
        if parsed.regency_kind is not None:
            ranking.append(
                When(kind, level=parsed.hint, search_key__startswith=term, then=Value(0))
            )
        ranking.append(When(level=parsed.hint, search_key__startswith=term, then=Value(1)))
        ranking.append(When(search_key__startswith=full, then=Value(2)))
    queryset = Area.objects.filter(condition)
    if level is not None:
        queryset = queryset.filter(level=level)
    if mine:
        scope = user_scope_q(user, "code")
        if scope is not None:
            queryset = queryset.filter(scope)
    rank = Case(*ranking, default=Value(3), output_field=IntegerField()) if ranking else Value(3)
    queryset = queryset.annotate(rank=rank).order_by("rank", "level", "search_name", "code")
    return list(queryset[: max(1, min(limit, SEARCH_LIMIT_MAX))])


# ---------------------------------------------------------------- boundaries and maps


def boundaries_loaded() -> bool:
    """True when any boundary is stored."""
    return AreaBoundary.objects.exists()


def boundary_bundle(user: ScopedUser, parent_code: str | None, fmt: str) -> BoundaryBundle | None:
    """The serialized boundaries of the children of `parent_code` (None: the provinces).

    Built once per boundary stamp and kept in `BoundaryBundle`; None when none of the children
    has a boundary. Raises OutOfScope when the parent is unknown or outside the user's scope; the
    national bundle needs national scope (it is above everyone else's scope).
    """
    if parent_code is None:
        if not (user.is_authenticated and user.has_national_scope):
            raise OutOfScope("")
    else:
        get_area(user, parent_code)
    return bundles.get_or_build(parent_code or "", fmt)


@dataclass(frozen=True)
class AreaMap:
    """A rendered map of some areas, or why there is none (`state`)."""

    svg: str
    state: str  # "ok", "not_loaded" (no boundaries at all), "no_shapes" (none at this level)


def children_map(user: ScopedUser, parent: Area | None, children: list[Area]) -> AreaMap:
    """An SVG map of `children` (from `list_children`), each linked to its page.

    When the children have no boundaries (desa/kelurahan), the parent's own outline is drawn
    unlinked if it has one. Rendered maps are cached per boundary stamp.
    """
    if parent is not None and not user_covers(user, parent.code):
        raise OutOfScope(parent.code)
    stamp = geocode.current_stamp()
    if not stamp or not boundaries_loaded():
        return AreaMap("", "not_loaded")
    codes = [child.code for child in children]
    digest = hashlib.sha1("|".join(codes).encode(), usedforsecurity=False).hexdigest()
    key = f"geo:map:{stamp}:{parent.code if parent else '-'}:{digest}"
    cached: AreaMap | None = cache.get(key)
    if cached is not None:
        return cached
    names = {child.code: child.display_name for child in children}
    rows = list(
        AreaBoundary.objects.filter(area_id__in=codes)
        .order_by("area_id")
        .values_list("area_id", "geometry")
    )
    shapes = [
        svgmap.MapShape(code, names[code], reverse("geo:area_detail", args=[code]), geometry)
        for code, geometry in rows
    ]
    label = _("Peta %(name)s") % {"name": parent.display_name if parent else _("wilayah")}
    if not shapes and parent is not None:
        own = AreaBoundary.objects.filter(area_id=parent.code).values_list("geometry", flat=True)
        shapes = [
            svgmap.MapShape(parent.code, parent.display_name, parent.get_absolute_url(), g)
            for g in own
        ]
    result = (
        AreaMap(str(svgmap.render(shapes, label=label)), "ok")
        if shapes
        else AreaMap("", "no_shapes")
    )
    cache.set(key, result, timeout=24 * 3600)
    return result


def locate_area(user: ScopedUser, lat: float, lon: float) -> Area | None:
    """The kecamatan containing (lat, lon), from the per-process STRtree; None outside all.

    Like search, the gazetteer covers the whole country: the answer is reference data, and
    intake needs it to place a report before checking the reporter's scope.
    """
    if not user.is_authenticated:
        return None
    code = geocode.locate(lat, lon)
    if code is None:
        return None
    return Area.objects.filter(code=code).first()
