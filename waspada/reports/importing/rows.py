"""Checking the rows of a report import in bulk: areas, terms and events read once per file.

`check_rows(actor, body)` turns raw rows into `ImportRow`s carrying the data for
`events.services.record_item` (terms as codes, the area as a code) and every problem found, each
with its row and column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.core.scoping import code_within, scope_q, user_covers
from waspada.events.choices import (
    CLASSIFICATION_RANK,
    Axis,
    Classification,
    EventStatus,
    LocationPrecision,
    TimePrecision,
)
from waspada.events.models import Event, Term
from waspada.events.validation import (
    EARLIEST,
    IMPACT_LIMITS,
    MAX_CROWD,
    MAX_LOSS_RUPIAH,
    TEXT_FIELDS,
    CleanActor,
    CleanItem,
)
from waspada.geo.choices import AreaLevel
from waspada.geo.models import Area
from waspada.geo.names import compact, fold, parse_query
from waspada.geo.zones import zone_for
from waspada.reports.importing.columns import (
    ACTORS,
    AREA_CODE,
    CHOICE,
    CHOICES,
    COLUMNS,
    COORD,
    COUNT,
    EVENT,
    EVENT_REF,
    LONG_TEXT,
    MONEY,
    TERM,
    TERMS,
    TEXT,
    BadValue,
    Cell,
    Column,
    cell_text,
    parse_coordinate,
    parse_count,
    parse_date,
    parse_datetime,
    parse_money,
    parse_time,
)

# The upper limits of the entry form (events.validation): larger numbers are typing mistakes.
LIMITS: dict[str, int] = {
    **IMPACT_LIMITS,
    "crowd_size": MAX_CROWD,
    "loss_rupiah": MAX_LOSS_RUPIAH,
}
ITEM_TERM_FIELDS = tuple(c.field for c in COLUMNS if c.kind == TERM)

# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class RowProblem:
    """One problem of an import file: its row (the header is row 1), column and message."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportRow:
    """One data row as checked: what the preview shows, the item data, and its problems."""

    row: int
    occurred_at: dt.datetime | None = None
    area_code: str = ""
    area_label: str = ""
    title: str = ""
    event_id: int | None = None
    report_area: str = ""
    report_date: dt.date | None = None
    report_label: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def event_reference(self) -> str:
        return f"KJD-{self.event_id:06d}" if self.event_id else ""

    @property
    def problem_columns(self) -> set[str]:
        return {p.column for p in self.problems}


# ---------------------------------------------------------------- bulk look-ups


@dataclass(frozen=True)
class _Area:
    code: str
    name: str
    level: int
    path_name: str

    @property
    def label(self) -> str:
        return f"{self.code} {Area.format_display_name(self.code, self.level, self.name)}"

    @property
    def candidate(self) -> str:
        parent = self.path_name.split(", ", 1)[1] if ", " in self.path_name else ""
        label = self.label
        return f"{label} ({parent})" if parent else label


class _AreaResolver:
    """Areas of the file, read in two queries: by code, and by name inside the user's scope."""

    def __init__(self, actor: Any, values: Iterable[str]) -> None:
        self.actor = actor
        codes: set[str] = set()
        names: dict[str, tuple[str, str, int | None]] = {}
        for value in values:
            if AREA_CODE.match(value):
                codes.add(value)
            elif value:
                name, _sep, qualifier = value.partition(",")
                parsed = parse_query(name)
                hint = int(parsed.hint) if parsed.hint is not None else None
                names[value] = (compact(parsed.term), compact(fold(qualifier)), hint)
        fields = ("code", "name", "level", "path_name")
        self.by_code = {
            row["code"]: _Area(**row) for row in Area.objects.filter(code__in=codes).values(*fields)
        }
        keys = {key for key, _q, _h in names.values() if key}
        by_key: dict[str, list[_Area]] = {}
        if keys:
            query = Area.objects.filter(search_key__in=keys)
            if not actor.has_national_scope:
                query = query.filter(scope_q(actor.scope_area_codes, "code"))
            for row in query.values("search_key", *fields).order_by("code"):
                key = row.pop("search_key")
                by_key.setdefault(key, []).append(_Area(**row))
        self.names = names
        self.by_key = by_key

    def resolve(self, value: str) -> _Area:
        if AREA_CODE.match(value):
            area = self.by_code.get(value)
            if area is None or not user_covers(self.actor, area.code):
                raise BadValue(
                    _("Kode wilayah %(c)s tidak dikenal atau di luar wilayah Anda.") % {"c": value}
                )
            return area
        key, qualifier, hint = self.names[value]
        found = self.by_key.get(key, [])
        if hint is not None:
            found = [a for a in found if a.level == hint]
        if qualifier:
            found = [a for a in found if qualifier in compact(fold(a.path_name.split(", ", 1)[-1]))]
        if not found:
            raise BadValue(
                _(
                    'Wilayah "%(v)s" tidak ditemukan di wilayah Anda. Tulis kode Kemendagri-nya, '
                    "mis. 62.71.02."
                )
                % {"v": value}
            )
        if len(found) > 1:
            shown = "; ".join(a.candidate for a in found[:8])
            more = len(found) - 8
            suffix = _(" dan %(n)d lainnya") % {"n": more} if more > 0 else ""
            raise BadValue(
                _('Nama wilayah "%(v)s" tidak tunggal. Pilih salah satu kode: %(c)s%(s)s.')
                % {"v": value, "c": shown, "s": suffix}
            )
        return found[0]


def _term_lookup() -> tuple[dict[str, dict[str, Term]], dict[int, int | None]]:
    """axis -> {folded code, label or English label: term}, and term id -> parent id."""
    lookup: dict[str, dict[str, Term]] = {}
    parents: dict[int, int | None] = {}
    for term in Term.objects.filter(active=True).only(
        "id", "axis", "code", "label", "label_en", "parent_id"
    ):
        names = lookup.setdefault(term.axis, {})
        for text in (term.label_en, term.label, term.code):  # the code wins a clash
            if text:
                names[fold(text)] = term
        parents[term.pk] = term.parent_id
    return lookup, parents


# ---------------------------------------------------------------- checking rows


@dataclass
class _Context:
    actor: Any
    now: dt.datetime
    terms: dict[str, dict[str, Term]]
    term_parents: dict[int, int | None]
    areas: _AreaResolver
    events: dict[int, tuple[str, int | None]]
    clearance_rank: int
    assigned: list[str]


def _report_area_for(ctx: _Context, area: _Area) -> str:
    """The report area a row goes to when its column is empty (see the column's help)."""
    covering = [code for code in ctx.assigned if code_within(area.code, code)]
    if covering:
        return max(covering, key=lambda c: c.count("."))
    # National scope: the kab/kota of the area (or the province itself).
    return ".".join(area.code.split(".")[:2])


def _check_row(ctx: _Context, number: int, raw: dict[str, Cell]) -> ImportRow:
    row = ImportRow(row=number)
    data: dict[str, Any] = {}

    def add(column: str, message: str) -> None:
        row.problems.append(RowProblem(number, column, message))

    # Simple columns first.
    for column in COLUMNS:
        value = raw.get(column.key)
        text = cell_text(value)
        present = text != ""
        if column.required and not present and column.key != "wilayah":
            add(column.key, _("Wajib diisi."))
            continue
        if not present:
            continue
        try:
            if column.kind in (TEXT, LONG_TEXT):
                if column.max_length and len(text) > column.max_length:
                    raise BadValue(
                        _("Paling banyak %(n)d karakter (ada %(m)d).")
                        % {"n": column.max_length, "m": len(text)}
                    )
                data[column.field] = text
            elif column.kind in (COUNT, MONEY):
                amount = parse_money(value) if column.kind == MONEY else parse_count(value)
                limit = LIMITS.get(column.field)
                if limit is not None and amount > limit:
                    raise BadValue(
                        _("Tidak masuk akal (lebih dari %(n)s).")
                        % {"n": f"{limit:,}".replace(",", ".")}
                    )
                data[column.field] = amount
            elif column.kind == COORD:
                data[column.field] = parse_coordinate(value)
            elif column.kind == TERM:
                term = ctx.terms.get(column.axis, {}).get(fold(text))
                if term is None:
                    raise BadValue(_unknown_term(ctx, column, text))
                data[column.field] = term
            elif column.kind == TERMS:
                chosen: dict[int, Term] = {}
                for part in (p.strip() for p in text.split(";")):
                    if not part:
                        continue
                    term = ctx.terms.get(column.axis, {}).get(fold(part))
                    if term is None:
                        raise BadValue(_unknown_term(ctx, column, part))
                    chosen[term.pk] = term
                data[column.field] = list(chosen.values())
            elif column.kind == CHOICE:
                choice = CHOICES[column.field].get(fold(text))
                if choice is None:
                    allowed = ", ".join(sorted(set(CHOICES[column.field].values())))
                    raise BadValue(
                        _("Nilai tidak dikenal: %(v)s. Pilihan: %(a)s.") % {"v": text, "a": allowed}
                    )
                data[column.field] = choice
            elif column.kind == ACTORS:
                data["actors"] = _parse_actors(ctx, text)
            elif column.kind == EVENT:
                match = EVENT_REF.match(text.replace(" ", ""))
                event = ctx.events.get(int(match.group(1))) if match else None
                if event is None:
                    raise BadValue(
                        _("Kejadian %(v)s tidak ditemukan di wilayah Anda.") % {"v": text}
                    )
                if event[0] == EventStatus.CLOSED:
                    raise BadValue(
                        _("Kejadian %(v)s sudah ditutup; laporkan sebagai kejadian baru.")
                        % {"v": text}
                    )
                if event[1] is not None:
                    raise BadValue(
                        _("Kejadian %(v)s sudah digabung ke KJD-%(t)06d; tulis nomor itu.")
                        % {"v": text, "t": event[1]}
                    )
                row.event_id = int(match.group(1)) if match else None
                data["event"] = row.event_id
        except BadValue as bad:
            add(column.key, str(bad))

    row.title = data.get("title", "")
    _check_place(ctx, row, raw, data, add)
    _check_when(ctx, row, raw, data, add)
    _check_terms(ctx, data, add)
    _check_classification(ctx, data, add)
    row.data = data
    return row


def _unknown_term(ctx: _Context, column: Column, text: str) -> str:
    codes = sorted({t.code for t in ctx.terms.get(column.axis, {}).values()})
    return _(
        'Nilai tidak dikenal: %(v)s. Kode yang berlaku: %(c)s (lihat lembar "Kode istilah" '
        "di templat)."
    ) % {"v": text, "c": ", ".join(codes)}


def _parse_actors(ctx: _Context, text: str) -> list[CleanActor]:
    actors: list[CleanActor] = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        name, kind = part, ""
        match = re.match(r"^(.*?)\s*\(([^()]*)\)\s*$", part)
        if match:
            name, kind = match.group(1).strip(), match.group(2).strip()
        if not name:
            raise BadValue(_("Nama aktor kosong: %(v)s.") % {"v": part})
        if len(name) > 200:
            raise BadValue(_("Nama aktor paling banyak 200 karakter."))
        actor_type: Term | None = None
        if kind:
            term = ctx.terms.get(Axis.ACTOR_TYPE, {}).get(fold(kind))
            if term is None:
                codes = sorted({t.code for t in ctx.terms.get(Axis.ACTOR_TYPE, {}).values()})
                raise BadValue(
                    _("Jenis aktor tidak dikenal: %(v)s. Kode yang berlaku: %(c)s.")
                    % {"v": kind, "c": ", ".join(codes)}
                )
            actor_type = term
        actors.append(CleanActor(name=name, actor_type=actor_type, crowd_size=None, role=""))
    return actors


def _check_place(
    ctx: _Context,
    row: ImportRow,
    raw: dict[str, Cell],
    data: dict[str, Any],
    add: Callable[[str, str], None],
) -> None:
    lat, lon = data.get("latitude"), data.get("longitude")
    if (lat is None) != (lon is None):
        add("bujur" if lon is None else "lintang", _("Lintang dan bujur diisi berdua atau tidak."))
        lat = lon = None
        data.pop("latitude", None)
        data.pop("longitude", None)
    if lat is not None and not Decimal(-90) <= lat <= Decimal(90):
        add("lintang", _("Lintang harus di antara -90 dan 90."))
    if lon is not None and not Decimal(-180) <= lon <= Decimal(180):
        add("bujur", _("Bujur harus di antara -180 dan 180."))
    area_text = cell_text(raw.get("wilayah"))
    area: _Area | None = None
    if area_text:
        try:
            area = ctx.areas.resolve(area_text)
        except BadValue as bad:
            add("wilayah", str(bad))
            return
    elif lat is None:
        add("wilayah", _("Wajib diisi (atau isi lintang dan bujur)."))
        return
    else:
        area = _locate(ctx, float(lat), float(lon or 0))
        if area is None:
            add(
                "wilayah",
                _(
                    "Titik %(lat)s, %(lon)s tidak berada di kecamatan mana pun di wilayah Anda "
                    "(atau batas wilayah belum dimuat). Isi kode wilayahnya."
                )
                % {"lat": lat, "lon": lon},
            )
            return
    if area_text and lat is not None and area.level < AreaLevel.DISTRICT:
        # A pin inside a kab/kota places the item in its kecamatan, as the entry form does.
        located = _locate(ctx, float(lat), float(lon or 0))
        if located is not None and code_within(located.code, area.code):
            area = located
        elif located is not None:
            add("lintang", _("Titik di peta berada di luar wilayah %(c)s.") % {"c": area.code})
            return
    row.area_code, row.area_label = area.code, area.label
    data["area"] = area.code
    if lat is not None:
        data["location_precision"] = LocationPrecision.EXACT
    else:
        data["location_precision"] = {
            AreaLevel.VILLAGE: LocationPrecision.VILLAGE,
            AreaLevel.DISTRICT: LocationPrecision.DISTRICT,
        }.get(AreaLevel(area.level), LocationPrecision.REGENCY)
    report_text = cell_text(raw.get("wilayah_laporan"))
    if report_text:
        try:
            report_area = ctx.areas.resolve(report_text).code
        except BadValue as bad:
            add("wilayah_laporan", str(bad))
            return
        if not code_within(area.code, report_area):
            add(
                "wilayah_laporan",
                _("Wilayah kejadian %(a)s tidak berada di dalam wilayah laporan %(r)s.")
                % {"a": area.code, "r": report_area},
            )
            return
    else:
        report_area = _report_area_for(ctx, area)
    row.report_area = report_area


def _locate(ctx: _Context, lat: float, lon: float) -> _Area | None:
    from waspada.geo import geocode

    if not geocode.current_stamp():  # no boundaries loaded: nothing to locate with
        return None
    code = geocode.locate(lat, lon)
    if code is None:
        return None
    try:
        return ctx.areas.resolve(code) if code in ctx.areas.by_code else _fetch_area(ctx, code)
    except BadValue:
        return None


def _fetch_area(ctx: _Context, code: str) -> _Area | None:
    row = Area.objects.filter(code=code).values("code", "name", "level", "path_name").first()
    if row is None or not user_covers(ctx.actor, code):
        return None
    area = _Area(**row)
    ctx.areas.by_code[code] = area
    return area


def _check_when(
    ctx: _Context,
    row: ImportRow,
    raw: dict[str, Cell],
    data: dict[str, Any],
    add: Callable[[str, str], None],
) -> None:
    zone = zone_for(row.area_code or (ctx.assigned[0] if ctx.assigned else ""))
    today = ctx.now.astimezone(zone).date()
    day: dt.date | None = None
    try:
        if cell_text(raw.get("tanggal")):
            value = raw.get("tanggal")
            day, embedded = parse_datetime(value)
            at = embedded if embedded and embedded != dt.time(0, 0) else None
            if cell_text(raw.get("jam")):
                try:
                    at = parse_time(raw.get("jam"))
                except BadValue as bad:
                    add("jam", str(bad))
            when = dt.datetime.combine(day, at or dt.time(0, 0), tzinfo=zone)
            if day > today:
                add("tanggal", _("Tanggal kejadian tidak boleh di masa depan."))
            elif when > ctx.now:
                add("jam", _("Waktu kejadian tidak boleh di masa depan."))
            elif when < EARLIEST:
                add("tanggal", _("Tanggal kejadian tidak masuk akal."))
            else:
                data["occurred_at"] = when
                data["time_precision"] = TimePrecision.EXACT if at else TimePrecision.DAY
                row.occurred_at = when
    except BadValue as bad:
        add("tanggal", str(bad))
    report_day = day
    if cell_text(raw.get("tanggal_laporan")):
        try:
            report_day = parse_date(raw.get("tanggal_laporan"))
        except BadValue as bad:
            add("tanggal_laporan", str(bad))
            report_day = None
        else:
            if report_day > today:
                add("tanggal_laporan", _("Tanggal laporan tidak boleh di masa depan."))
            elif day is not None and report_day < day:
                add("tanggal_laporan", _("Tanggal laporan tidak boleh sebelum tanggal kejadian."))
    row.report_date = report_day
    if cell_text(raw.get("waktu_diperoleh")):
        try:
            got_day, got_time = parse_datetime(raw.get("waktu_diperoleh"))
            obtained = dt.datetime.combine(got_day, got_time or dt.time(0, 0), tzinfo=zone)
            if obtained > ctx.now:
                add("waktu_diperoleh", _("Waktu diperoleh tidak boleh di masa depan."))
            else:
                data["obtained_at"] = obtained
        except BadValue as bad:
            add("waktu_diperoleh", str(bad))


def _check_terms(ctx: _Context, data: dict[str, Any], add: Callable[[str, str], None]) -> None:
    subtype: Term | None = data.get("acled_subtype")
    kind: Term | None = data.get("acled_type")
    if subtype is None:
        return
    parent = ctx.term_parents.get(subtype.pk)
    if kind is None:
        for term in ctx.terms.get(Axis.ACLED_TYPE, {}).values():
            if term.pk == parent:
                data["acled_type"] = term
                break
    elif parent is not None and parent != kind.pk:
        add(
            "subjenis_acled",
            _("Sub-jenis %(s)s bukan bagian dari jenis %(t)s.")
            % {"s": subtype.code, "t": kind.code},
        )


def _check_classification(
    ctx: _Context, data: dict[str, Any], add: Callable[[str, str], None]
) -> None:
    level = data.get("classification", Classification.BIASA)
    if CLASSIFICATION_RANK[Classification(level)] > ctx.clearance_rank:
        add("klasifikasi", _("Klasifikasi %(c)s melebihi izin klasifikasi Anda.") % {"c": level})


def _context(actor: Any, raw_rows: list[dict[str, Cell]]) -> _Context:
    """Everything the rows refer to, read once: terms, areas, events; and the actor's limits."""
    from waspada.events.selectors import clearance_rank, visible_events

    area_values = {
        cell_text(r.get(key)) for r in raw_rows for key in ("wilayah", "wilayah_laporan")
    } - {""}
    event_ids: set[int] = set()
    for r in raw_rows:
        match = EVENT_REF.match(cell_text(r.get("kejadian")).replace(" ", ""))
        if match:
            event_ids.add(int(match.group(1)))
    events: dict[int, tuple[str, int | None]] = {}
    if event_ids:
        found = visible_events(actor, include_merged=True).filter(pk__in=event_ids)
        for pk, status, merged in found.values_list("pk", "status", "merged_into_id"):
            events[pk] = (status, merged)
    terms, parents = _term_lookup()
    return _Context(
        actor=actor,
        now=timezone.now(),
        terms=terms,
        term_parents=parents,
        areas=_AreaResolver(actor, area_values),
        events=events,
        clearance_rank=clearance_rank(actor),
        assigned=sorted(actor.scope_area_codes) if not actor.has_national_scope else [],
    )


def check_rows(actor: Any, body: list[tuple[int, dict[str, Cell]]]) -> list[ImportRow]:
    """Check every (row number, {column key: cell}) of a file; problems are kept per row."""
    ctx = _context(actor, [raw for _number, raw in body])
    return [_check_row(ctx, number, raw) for number, raw in body]


def to_clean_item(row: ImportRow, areas: dict[str, Area]) -> CleanItem:
    """The model-ready item of a checked row, for `events.bulk.record_clean_items`.

    `areas` maps the codes of the rows to Area objects (read once for the file). Values the row
    leaves empty get the entry form's defaults.
    """
    data = row.data
    fields: dict[str, Any] = {
        "occurred_at": data["occurred_at"],
        "time_precision": data.get("time_precision", TimePrecision.EXACT),
        "area": areas[data["area"]],
        "latitude": data.get("latitude"),
        "longitude": data.get("longitude"),
        "location_precision": data["location_precision"],
        "crowd_size": data.get("crowd_size"),
        "obtained_at": data.get("obtained_at"),
        "trend": data.get("trend", ""),
        "classification": data.get("classification", Classification.BIASA),
        "loss_rupiah": data.get("loss_rupiah", 0),
        **{name: data.get(name, "") for name in TEXT_FIELDS},
        **{name: data.get(name, 0) for name in IMPACT_LIMITS},
        **{name: data.get(name) for name in ITEM_TERM_FIELDS},
    }
    event_id = data.get("event")
    return CleanItem(
        fields=fields,
        event=Event(pk=event_id) if event_id else None,
        kind="development" if event_id else "new",
        actors=list(data.get("actors", [])),
        election_issues=list(data.get("election_issues", [])),
    )
