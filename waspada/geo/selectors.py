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
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from waspada.core.errors import OutOfScope
from waspada.core.scoping import ScopedUser, minimal_codes, user_covers, user_scope_q
from waspada.core.scoping import scope_sql as scope_sql_condition
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


_Plan = list[tuple[str, AreaLevel, str | None]]  # (key prefix, level, name prefix ranked first)


def _search_sql(plan: _Plan, limit: int, scope: list[str] | None) -> tuple[str, list[object]]:
    """One statement for a search plan: a UNION ALL of one small subquery per step.

    Each subquery takes the areas of one level whose `search_key` starts with a prefix, ordered by
    that key and limited, so the database walks the (level, search_key) index and stops after
    `limit` rows instead of sorting every match of a short prefix. Written as SQL because the
    ORM cannot express limited subqueries in a union on SQLite, and compiling eight querysets
    cost more than running them. Values are always bound parameters; prefixes hold only [a-z0-9]
    and codes only digits and dots, so LIKE needs no escaping.

    PostgreSQL answers `LIKE 'x%'` from the varchar_pattern_ops indexes. SQLite does not use an
    index for LIKE on a case-sensitive column, so there an explicit key range does the index work
    (the column holds only lower-case ASCII, so its binary order is the prefix order).
    """
    quote = connection.ops.quote_name
    meta = Area._meta
    table = quote(meta.db_table)
    columns = ", ".join(quote(str(field.column)) for field in meta.concrete_fields)
    code, key, name, level_column = (quote(c) for c in ("code", "search_key", "name", "level"))
    scope_sql: str = ""
    scope_params: list[str] = []
    if scope is not None:
        condition, scope_params = scope_sql_condition(scope, code)
        scope_sql = f" AND {condition}"
    sqlite = connection.vendor == "sqlite"
    parts: list[str] = []
    params: list[object] = []
    for number, (prefix, level, first_name) in enumerate(plan):
        where = f"{level_column} = %s AND {key} LIKE %s"
        where_params: list[object] = [int(level), f"{prefix}%"]
        if sqlite:
            where += f" AND {key} >= %s AND {key} < %s"
            where_params += [prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)]
        if first_name is None:
            # No constant in the ORDER BY: SQLite would not see it is constant and sort it all.
            first, order = "1", f"{key}, {code}"
        else:
            first, order = f"CASE WHEN {name} LIKE %s THEN 0 ELSE 1 END", f"first, {key}, {code}"
            params.append(f"{first_name}%")
        # Identifiers are quoted by the backend and every value is a bound parameter.
        inner = f"SELECT {columns}, {number} AS step, {first} AS first FROM {table}"  # noqa: S608
        inner += f" WHERE {where}{scope_sql} ORDER BY {order} LIMIT {int(limit)}"
        parts.append(f"SELECT * FROM ({inner}) AS step{number}")  # noqa: S608
        params += where_params + scope_params
    sql = " UNION ALL ".join(parts) + f" ORDER BY step, first, {key}, {code}"
    return sql, params


def search_areas(
    user: ScopedUser,
    query: str,
    *,
    level: AreaLevel | None = None,
    mine: bool = False,
    limit: int = SEARCH_LIMIT_DEFAULT,
) -> list[Area]:
    """Areas whose name starts with `query`, ignoring case, accents, spacing and level words.

    "Kab. Kotabaru", "kota palangka raya", "Kec. Jekan", "desa sukamaju": a leading level word
    is taken off and ranks that level first (for "Kota"/"Kab." the matching kind of kab/kota
    first); names that really start with the word come next ("Kota Baru" the desa), then the
    other levels. Spaces and punctuation are ignored ("palangka raya" finds "Palangkaraya").
    Otherwise ordered by level (provinces first), then name. With `mine`, only areas inside the
    user's scope; without it the whole country (the gazetteer is reference data).
    """
    if not user.is_authenticated:
        return []
    parsed = parse_query(query)
    full, term = compact(parsed.full), compact(parsed.term)
    if not full:
        return []
    limit = max(1, min(limit, SEARCH_LIMIT_MAX))
    scope: list[str] | None = None
    if mine and not user.has_national_scope:
        scope = minimal_codes(user.scope_area_codes)
        if not scope:
            return []
    levels = [level] if level is not None else list(AreaLevel)
    plan: _Plan
    if parsed.hint is None:
        plan = [(full, lvl, None) for lvl in levels]
    else:
        # The level word ranks, it does not filter: a kecamatan typed as "Kab. ..." is found.
        kind = None
        if parsed.regency_kind is not None:
            kind = "Kota " if parsed.regency_kind == "kota" else "Kabupaten "
        plan = [(term, lvl, kind) for lvl in levels if lvl == parsed.hint]
        plan += [(full, lvl, None) for lvl in levels]
        plan += [(term, lvl, None) for lvl in levels if lvl != parsed.hint]
    sql, params = _search_sql(plan, limit, scope)
    found: dict[str, Area] = {}
    for area in Area.objects.raw(sql, params):
        if area.code not in found:  # an area can match two steps; its best step wins
            found[area.code] = area
            if len(found) == limit:
                break
    return list(found.values())


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
    # "ok"; "own" (the children have no boundaries, the area's own outline is drawn);
    # "not_loaded" (no boundaries at all); "no_shapes" (none for these areas)
    state: str


def children_map(user: ScopedUser, parent: Area | None, children: list[Area]) -> AreaMap:
    """An SVG map of `children` (from `list_children`), each linked to its page.

    When the children have no boundaries (desa/kelurahan), the parent's own outline is drawn
    instead if it has one. Rendered maps (SafeString: built with format_html) are cached per
    boundary stamp, so a warm page does no geometry work.
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
    state = "ok"
    if not shapes and parent is not None:
        own = AreaBoundary.objects.filter(area_id=parent.code).values_list("geometry", flat=True)
        shapes = [
            svgmap.MapShape(parent.code, parent.display_name, parent.get_absolute_url(), g)
            for g in own
        ]
        state = "own"
    result = (
        AreaMap(svgmap.render(shapes, label=label), state) if shapes else AreaMap("", "no_shapes")
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
