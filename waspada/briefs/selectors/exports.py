"""Reads of item exports: a user's own exports, and the rows of an export.

The rows are the items the user may see (area scope and clearance, `events.selectors.list_items`)
narrowed by the same `ItemFilter` as the item list and `/api/v1/items/`. They are read in chunks
of `CHUNK_SIZE` items by keyset (`id > last ORDER BY id LIMIT n`): each chunk is one query of plain
values (no model instances) plus one query each for the multi-valued axes of the chunk's items;
term labels and kab/kota names come from small maps built once. Memory stays flat whatever the
size, no transaction is held open (progress written between chunks is visible at once), and the
file is ordered by item id.

Exports are private: only their owner sees them; anyone else gets 404.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, FloatField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.briefs.choices import JobState
from waspada.briefs.exporting import Row
from waspada.briefs.models import Export
from waspada.core.classification import Classification
from waspada.core.errors import InvalidInput
from waspada.core.scoping import user_covers
from waspada.events import selectors as item_selectors
from waspada.events.filters import ItemFilter
from waspada.events.models import Item, ItemActor, Term
from waspada.events.selectors import allowed_classifications
from waspada.geo.choices import AreaLevel
from waspada.geo.models import Area
from waspada.geo.zones import zone_for

READ_PERMISSION = "reports.view"  # exporting items is reading them
CHUNK_SIZE = 5000
FILTER_NAMES: tuple[str, ...] = tuple(ItemFilter.base_filters)

# The item values read per row, in the order `_rows` unpacks them.
FIELDS = (
    "pk",
    "event_id",
    "report_id",
    "report__report_type",
    "status",
    "kind",
    "classification",
    "occurred_text",
    "time_precision",
    "area_id",
    "area__name",
    "area__level",
    "latitude_float",
    "longitude_float",
    "location_precision",
    "place",
    "title",
    "chronology",
    "trigger",
    "crowd_size",
    "deaths",
    "injured_serious",
    "injured_light",
    "abducted",
    "sexual_violence",
    "displaced",
    "houses_damaged",
    "public_buildings_damaged",
    "worship_places_damaged",
    "loss_rupiah",
    "source",
    "source_reliability_id",
    "info_credibility_id",
    "trend",
    "aspect_id",
    "athg_id",
    "uu7_source_id",
    "snpk_id",
    "acled_type_id",
    "acled_subtype_id",
    "election_type_id",
    "election_stage_id",
    "analysis",
    "prediction",
    "steps_taken",
    "recommendation",
)


# ---------------------------------------------------------------- exports


def may_export(user: Any) -> bool:
    """True when `user` may export items (whoever may read them: "reports.view")."""
    return bool(user.is_authenticated and user.has_role_permission(READ_PERMISSION))


def ensure_may_export(user: Any) -> None:
    """Raise PermissionDenied (403) unless `user` may export items."""
    if not may_export(user):
        raise PermissionDenied(READ_PERMISSION)


def list_exports(user: Any) -> QuerySet[Export]:
    """The user's own exports, newest first (nobody sees another user's exports), and only those
    whose content the user is still cleared for."""
    if user is None or not user.is_authenticated:
        return Export.objects.none()
    return Export.objects.filter(
        user_id=user.pk, classification__in=allowed_classifications(user)
    ).order_by("-created_at", "-id")


def get_export(user: Any, pk: int | str) -> Export:
    """One of the user's own exports; Http404 when missing or someone else's."""
    try:
        return list_exports(user).get(pk=pk)
    except (Export.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def export_condition(export: Export, now: dt.datetime | None = None) -> str:
    """Where an export stands for its owner: "working" (queued or being built), "ready" (the
    file can be downloaded), "expired" (done, file removed or past `expires_at`), "failed"."""
    if export.state in (JobState.QUEUED, JobState.RUNNING):
        return "working"
    if export.state == JobState.FAILED:
        return "failed"
    now = now or timezone.now()
    if not export.file or (export.expires_at is not None and export.expires_at <= now):
        return "expired"
    return "ready"


# ---------------------------------------------------------------- filters


def area_choices(user: Any) -> list[tuple[str, str]]:
    """(code, "code name") of the areas offered in the export form: provinces and kab/kota in the
    user's scope, and kecamatan too for users with a regional scope."""
    from waspada.geo.selectors import visible_areas

    deepest = (
        AreaLevel.REGENCY if getattr(user, "has_national_scope", False) else AreaLevel.DISTRICT
    )
    rows = visible_areas(user).filter(level__lte=deepest).order_by("code")
    return [
        (code, f"{code} {Area.format_display_name(code, level, name)}")
        for code, level, name in rows.values_list("code", "level", "name")
    ]


def term_choices(user: Any) -> dict[str, list[tuple[str, str]]]:
    """axis -> [(code, label)] of the active terms, for the axis filters of the export form."""
    choices: dict[str, list[tuple[str, str]]] = defaultdict(list)
    rows = item_selectors.list_terms(user, include_inactive=False).values_list(
        "axis", "code", "label"
    )
    for axis, code, label in rows:
        choices[axis].append((code, label))
    return dict(choices)


def pick_filters(data: Mapping[str, Any]) -> dict[str, str]:
    """The item filters present in `data` (a QueryDict or a dict), without empty values; other
    keys (page, format, the CSRF token) are left out."""
    picked: dict[str, str] = {}
    for name in FILTER_NAMES:
        value = data.get(name)
        if value is None or isinstance(value, (list, dict)):
            continue
        text = str(value).strip()
        if text:
            picked[name] = text
    return picked


def clean_filters(user: Any, filters: Mapping[str, Any] | None) -> dict[str, str]:
    """The filters as stored on an export: known names only, values as text, empties dropped.

    Raises InvalidInput (per field, in Indonesian) for an unknown filter name, a value that is
    not text or a number, a value `ItemFilter` refuses, or an area outside the user's scope.
    """
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for name, value in (filters or {}).items():
        if name not in FILTER_NAMES:
            errors[str(name)] = [_("Saringan tidak dikenal.")]
        elif isinstance(value, bool) or not isinstance(value, (str, int, float)):
            errors[name] = [_("Nilai saringan harus berupa teks atau angka.")]
        elif str(value).strip():
            cleaned[name] = str(value).strip()
    form = ItemFilter(cleaned, queryset=Item.objects.none(), viewer=user).form
    if not form.is_valid():
        errors.update({k: [str(m) for m in v] for k, v in form.errors.items()})
    area = cleaned.get("area")
    if area and "area" not in errors and not user_covers(user, area):
        errors["area"] = [_("Wilayah ini di luar cakupan Anda.")]
    if errors:
        raise InvalidInput(_("Saringan tidak valid."), errors)
    return cleaned


def export_queryset(user: Any, filters: Mapping[str, Any] | None) -> QuerySet[Item]:
    """The items an export of `filters` holds for `user`: the item list's selector and filter.

    Raises InvalidInput as `clean_filters`.
    """
    cleaned = clean_filters(user, filters)
    qs = item_selectors.list_items(user, cleaned)
    return qs.prefetch_related(None).select_related(None).order_by()


def count_export_rows(user: Any, filters: Mapping[str, Any] | None) -> int:
    """How many items an export of `filters` would hold for `user` (InvalidInput as above)."""
    return export_queryset(user, filters).count()


def highest_export_classification(user: Any, filters: Mapping[str, Any] | None) -> str:
    """The highest security classification among the items an export of `filters` holds."""
    rows = export_queryset(user, filters)
    for level in (Classification.RAHASIA, Classification.TERBATAS):
        if rows.filter(classification=level).exists():
            return str(level)
    return str(Classification.BIASA)


# ---------------------------------------------------------------- rows


class _Labels:
    """Term codes and labels (one query for the whole small Term table), kab/kota names (fetched
    for the codes that appear, at most 514), the time zone of each province."""

    def __init__(self) -> None:
        self.terms: dict[int, tuple[str, str]] = {
            pk: (code, label) for pk, code, label in Term.objects.values_list("pk", "code", "label")
        }
        self.kabkota: dict[str, str] = {}
        self.zones: dict[str, ZoneInfo] = {}

    def fetch_kabkota(self, codes: set[str]) -> None:
        missing = codes - self.kabkota.keys()
        if not missing:
            return
        found = Area.objects.filter(code__in=missing).values_list("code", "level", "name")
        for code, level, name in found:
            self.kabkota[code] = Area.format_display_name(code, level, name)
        for code in missing - self.kabkota.keys():
            self.kabkota[code] = ""

    def zone(self, province: str) -> ZoneInfo:
        zone = self.zones.get(province)
        if zone is None:
            zone = self.zones[province] = zone_for(province)
        return zone


def _many(pairs: Any, terms: dict[int, tuple[str, str]]) -> dict[int, tuple[str, str]]:
    """item id -> ("code; code", "label; label") of a multi-valued axis, each term once."""
    seen: dict[int, list[int]] = defaultdict(list)
    for item_id, term_id in pairs:
        ids = seen[item_id]
        if term_id not in ids:
            ids.append(term_id)
    joined = {}
    for item_id, ids in seen.items():
        pairs_of = [terms.get(term_id, ("", "")) for term_id in ids]
        joined[item_id] = ("; ".join(p[0] for p in pairs_of), "; ".join(p[1] for p in pairs_of))
    return joined


def _parse_utc(text: str) -> dt.datetime:
    """A stored time read as text: "2026-03-01 03:30:00+00" on PostgreSQL (the connection's zone
    is UTC), "2026-03-01 03:30:00" on SQLite (UTC, without an offset)."""
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _of_chunk(chunk: list[Any]) -> Q:
    """Rows of the chunk's items in a related table: an id range when the chunk's ids are dense
    (a short query, whatever the chunk size; rows of items outside the export are ignored), the
    ids themselves when they are sparse (a filtered export)."""
    first, last = chunk[0][0], chunk[-1][0]
    if last - first < 4 * len(chunk):
        return Q(item_id__gte=first, item_id__lte=last)
    return Q(item_id__in=[row[0] for row in chunk])


def export_rows(
    user: Any,
    filters: Mapping[str, Any] | None,
    *,
    chunk_size: int = CHUNK_SIZE,
    on_chunk: Callable[[int], None] | None = None,
) -> Iterator[Row]:
    """The export rows of `filters` for `user`, in the column order of `exporting.COLUMNS`.

    Filters are checked before the first row (InvalidInput as `clean_filters`). `on_chunk` is
    called with the number of rows produced so far after each chunk (progress).
    """
    values = (
        export_queryset(user, filters)
        .annotate(
            # Plain values from the database: no Decimal made and dropped per row, and the time
            # as text (parsed in C below; Django's timestamptz loader is Python, 8 us a value).
            latitude_float=Cast("latitude", FloatField()),
            longitude_float=Cast("longitude", FloatField()),
            occurred_text=Cast("occurred_at", CharField()),
        )
        .values_list(*FIELDS)
    )
    return _rows(values, chunk_size=chunk_size, on_chunk=on_chunk)


def _rows(
    values: QuerySet[Any],
    *,
    chunk_size: int,
    on_chunk: Callable[[int], None] | None,
) -> Iterator[Row]:
    labels = _Labels()
    terms = labels.terms
    none = ("", "")
    issues_through = cast(Any, Item.election_issues).through
    kabkota_level = int(AreaLevel.REGENCY)
    zones = labels.zones
    names: dict[str, str] = {}  # area code -> display name (at most every area once)
    last = 0
    produced = 0
    while True:
        chunk = list(values.filter(pk__gt=last).order_by("pk")[:chunk_size])
        if not chunk:
            break
        of_chunk = _of_chunk(chunk)
        issues = _many(
            issues_through.objects.filter(of_chunk)
            .order_by("item_id", "term_id")
            .values_list("item_id", "term_id"),
            terms,
        )
        actors = _many(
            ItemActor.objects.filter(of_chunk, actor_type__isnull=False)
            .order_by("item_id", "id")
            .values_list("item_id", "actor_type_id"),
            terms,
        )
        labels.fetch_kabkota({row[9][:5] for row in chunk if len(row[9]) >= 5})
        kabkota = labels.kabkota
        for (
            pk,
            event_id,
            report_id,
            report_type,
            status,
            kind,
            classification,
            occurred_at,
            time_precision,
            area_code,
            area_name,
            area_level,
            latitude,
            longitude,
            location_precision,
            place,
            title,
            chronology,
            trigger,
            crowd_size,
            deaths,
            injured_serious,
            injured_light,
            abducted,
            sexual_violence,
            displaced,
            houses_damaged,
            public_buildings_damaged,
            worship_places_damaged,
            loss_rupiah,
            source,
            source_reliability,
            info_credibility,
            trend,
            aspect,
            athg,
            uu7_source,
            snpk,
            acled_type,
            acled_subtype,
            election_type,
            election_stage,
            analysis,
            prediction,
            steps_taken,
            recommendation,
        ) in chunk:
            province = area_code[:2]
            kabkota_code = area_code[:5] if area_level >= kabkota_level else ""
            zone = zones.get(province) or labels.zone(province)
            name = names.get(area_code)
            if name is None:
                name = names[area_code] = Area.format_display_name(area_code, area_level, area_name)
            reliability = terms.get(source_reliability, none)
            credibility = terms.get(info_credibility, none)
            aspect_t = terms.get(aspect, none)
            athg_t = terms.get(athg, none)
            uu7_t = terms.get(uu7_source, none)
            snpk_t = terms.get(snpk, none)
            acled_t = terms.get(acled_type, none)
            subtype_t = terms.get(acled_subtype, none)
            election_t = terms.get(election_type, none)
            stage_t = terms.get(election_stage, none)
            issue_t = issues.get(pk, none)
            actor_t = actors.get(pk, none)
            yield [
                pk,
                f"KJD-{event_id:06d}",
                report_id,
                report_type,
                status,
                kind,
                classification,
                _parse_utc(occurred_at).astimezone(zone).isoformat(),
                time_precision,
                area_code,
                name,
                kabkota_code,
                kabkota.get(kabkota_code, "") if kabkota_code else "",
                province,
                latitude,
                longitude,
                location_precision,
                place,
                title,
                chronology,
                trigger,
                crowd_size,
                deaths,
                injured_serious,
                injured_light,
                abducted,
                sexual_violence,
                displaced,
                houses_damaged,
                public_buildings_damaged,
                worship_places_damaged,
                loss_rupiah,
                source,
                reliability[0],
                reliability[1],
                credibility[0],
                credibility[1],
                trend,
                aspect_t[0],
                aspect_t[1],
                athg_t[0],
                athg_t[1],
                uu7_t[0],
                uu7_t[1],
                snpk_t[0],
                snpk_t[1],
                acled_t[0],
                acled_t[1],
                subtype_t[0],
                subtype_t[1],
                election_t[0],
                election_t[1],
                stage_t[0],
                stage_t[1],
                issue_t[0],
                issue_t[1],
                actor_t[0],
                actor_t[1],
                analysis,
                prediction,
                steps_taken,
                recommendation,
            ]
        produced += len(chunk)
        last = chunk[-1][0]
        if on_chunk is not None:
            on_chunk(produced)
        if len(chunk) < chunk_size:
            break
