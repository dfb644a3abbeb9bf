"""Every rule on what an item may say, in one place, used by `services.record_item`/`update_item`.

Input is a dict keyed by Item field names, as the entry form, the API and the importer produce it:
strings or typed values alike (dates as ISO text or datetimes, numbers as text or numbers); axis
values are term *codes* ({"aspect": "ekonomi"}), "area" an area code, "event" the id of the event
a development belongs to, "actors" a list of {"name", "actor_type", "crowd_size", "role"} and
"election_issues" a list of codes. `clean_item_data` returns model-ready values or raises
InvalidInput whose `errors` map each field (actors as "actors.<n>.<field>") to Indonesian
messages, all at once, so a form can show every message next to its field.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from waspada.core.scoping import code_within
from waspada.events import selectors
from waspada.events import terms as term_cache
from waspada.events.choices import (
    Axis,
    Classification,
    EventStatus,
    ItemKind,
    LocationPrecision,
    TimePrecision,
    Trend,
)
from waspada.events.models import Event, Item, Term
from waspada.geo import geocode
from waspada.geo.models import Area

# A reporter's clock (or phone) may run a little ahead of the server's.
CLOCK_SKEW = dt.timedelta(minutes=5)
# Nothing reported in Indonesia comes near these; larger numbers are typing mistakes.
IMPACT_LIMITS: dict[str, int] = {
    "deaths": 100_000,
    "injured_serious": 100_000,
    "injured_light": 1_000_000,
    "abducted": 100_000,
    "sexual_violence": 100_000,
    "displaced": 10_000_000,
    "houses_damaged": 10_000_000,
    "public_buildings_damaged": 1_000_000,
    "worship_places_damaged": 1_000_000,
}
MAX_CROWD = 10_000_000
MAX_LOSS_RUPIAH = 10**16  # ten thousand trillion rupiah
EARLIEST = dt.datetime(1945, 8, 17, tzinfo=dt.UTC)

TERM_AXES: dict[str, str] = {
    "aspect": Axis.ASPECT,
    "athg": Axis.ATHG,
    "uu7_source": Axis.UU7_SOURCE,
    "snpk": Axis.SNPK,
    "acled_type": Axis.ACLED_TYPE,
    "acled_subtype": Axis.ACLED_SUBTYPE,
    "election_type": Axis.ELECTION_TYPE,
    "election_stage": Axis.ELECTION_STAGE,
    "source_reliability": Axis.SOURCE_RELIABILITY,
    "info_credibility": Axis.INFO_CREDIBILITY,
}
TEXT_FIELDS = (
    "place",
    "title",
    "chronology",
    "what",
    "who",
    "why",
    "how",
    "trigger",
    "source",
    "source_relation",
    "how_obtained",
    "analysis",
    "prediction",
    "steps_taken",
    "recommendation",
)
SCALAR_FIELDS = (
    "occurred_at",
    "time_precision",
    "latitude",
    "longitude",
    "location_precision",
    *TEXT_FIELDS,
    "crowd_size",
    *IMPACT_LIMITS,
    "loss_rupiah",
    "obtained_at",
    "trend",
    "classification",
)
ACCEPTED_KEYS = frozenset(
    {*SCALAR_FIELDS, *TERM_AXES, "area", "event", "kind", "actors", "election_issues"}
)


def _count_field(limit: int, label: str) -> forms.IntegerField:
    return forms.IntegerField(
        required=False,
        min_value=0,
        max_value=limit,
        error_messages={
            "invalid": _("%(label)s harus berupa bilangan bulat.") % {"label": label},
            "min_value": _("%(label)s tidak boleh negatif.") % {"label": label},
            "max_value": _("%(label)s tidak masuk akal (lebih dari %(limit)s).")
            % {"label": label, "limit": f"{limit:,}".replace(",", ".")},
        },
    )


def _text(max_length: int | None = None, *, required: bool = False) -> forms.CharField:
    messages = {"required": _("Wajib diisi.")}
    if max_length:
        messages["max_length"] = _("Paling banyak %(n)s karakter.") % {"n": max_length}
    return forms.CharField(
        required=required, max_length=max_length, strip=True, error_messages=messages
    )


def _choice(choices: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        required=False,
        choices=[("", "-"), *choices],
        error_messages={"invalid_choice": _("Pilihan '%(value)s' tidak dikenal.")},
    )


def _when(*, required: bool) -> forms.DateTimeField:
    return forms.DateTimeField(
        required=required,
        error_messages={
            "required": _("Wajib diisi."),
            "invalid": _("Tanggal dan jam tidak valid (contoh: 2026-03-01 14:30)."),
        },
    )


def _coordinate(limit: int, label: str) -> forms.FloatField:
    return forms.FloatField(
        required=False,
        min_value=-limit,
        max_value=limit,
        error_messages={
            "invalid": _("%(label)s harus berupa angka desimal.") % {"label": label},
            "min_value": _("%(label)s harus di antara -%(n)s dan %(n)s.")
            % {"label": label, "n": limit},
            "max_value": _("%(label)s harus di antara -%(n)s dan %(n)s.")
            % {"label": label, "n": limit},
        },
    )


# The fields of ItemFieldsForm per language (their messages are translated when built). Cleaning
# keeps no state in a field, so every form shares them instead of building ~30 fields per item.
_FIELD_SETS: dict[str, dict[str, forms.Field]] = {}


class ItemFieldsForm(forms.Form):
    """Type and range checks of the scalar fields (messages in Indonesian)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = translation.get_language() or ""
        fields = _FIELD_SETS.get(language)
        if fields is None:
            fields = _FIELD_SETS[language] = self._build_fields()
        self.fields = dict(fields)

    @staticmethod
    def _build_fields() -> dict[str, forms.Field]:
        f: dict[str, forms.Field] = {}
        f["occurred_at"] = _when(required=True)
        f["time_precision"] = _choice(TimePrecision.choices)
        f["latitude"] = _coordinate(90, _("Lintang"))
        f["longitude"] = _coordinate(180, _("Bujur"))
        f["location_precision"] = _choice(LocationPrecision.choices)
        for name in TEXT_FIELDS:
            f[name] = _text(200 if name in {"place", "source", "source_relation"} else None)
        f["title"] = _text(200, required=True)
        f["chronology"] = _text(required=True)
        f["how_obtained"] = _text(200)
        f["crowd_size"] = _count_field(MAX_CROWD, _("Jumlah massa"))
        labels = {
            "deaths": _("Jumlah meninggal"),
            "injured_serious": _("Jumlah luka berat"),
            "injured_light": _("Jumlah luka ringan"),
            "abducted": _("Jumlah korban penculikan"),
            "sexual_violence": _("Jumlah korban kekerasan seksual"),
            "displaced": _("Jumlah pengungsi"),
            "houses_damaged": _("Jumlah rumah rusak"),
            "public_buildings_damaged": _("Jumlah bangunan publik rusak"),
            "worship_places_damaged": _("Jumlah rumah ibadah rusak"),
        }
        for name, limit in IMPACT_LIMITS.items():
            f[name] = _count_field(limit, labels[name])
        f["loss_rupiah"] = _count_field(MAX_LOSS_RUPIAH, _("Kerugian"))
        f["obtained_at"] = _when(required=False)
        f["trend"] = _choice(Trend.choices)
        f["classification"] = _choice(Classification.choices)
        return f


@dataclass
class CleanActor:
    name: str
    actor_type: Term | None
    crowd_size: int | None
    role: str


@dataclass
class CleanItem:
    """Model-ready values: `fields` for Item (Terms, Area, Decimals), plus the related rows."""

    fields: dict[str, Any]
    event: Event | None
    kind: str
    actors: list[CleanActor] = field(default_factory=list)
    election_issues: list[Term] = field(default_factory=list)


class _Errors:
    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(str(message))

    def __bool__(self) -> bool:
        return bool(self.errors)


def current_data(item: Item) -> dict[str, Any]:
    """The item as input data (codes for terms and area), the base an update is laid over."""
    data: dict[str, Any] = {name: getattr(item, name) for name in SCALAR_FIELDS}
    for name in ("latitude", "longitude"):
        value = data[name]
        data[name] = None if value is None else float(value)
    for name in TERM_AXES:
        term = getattr(item, name)
        data[name] = term.code if term is not None else ""
    data["area"] = item.area_id
    data["actors"] = [
        {
            "name": a.name,
            "actor_type": a.actor_type.code if a.actor_type else "",
            "crowd_size": a.crowd_size,
            "role": a.role,
        }
        for a in item.actors.select_related("actor_type")
    ]
    data["election_issues"] = sorted(item.election_issues.values_list("code", flat=True))
    return data


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _code_list(value: Any) -> list[str]:
    if _blank(value):
        return []
    if isinstance(value, str):
        return [c.strip() for c in value.split(",") if c.strip()]
    if isinstance(value, Sequence):
        return [str(c).strip() for c in value if not _blank(c)]
    return [str(value)]


def clean_item_data(
    report: Any,
    data: Mapping[str, Any],
    *,
    actor: Any,
    current: Item | None = None,
    term_stamp: int | None = None,
) -> CleanItem:
    """Check `data` for an item of `report` (laid over `current` for an update).

    `term_stamp` is the taxonomy stamp (`terms.current_stamp()`) read in the caller's transaction:
    with it, terms come from the process's cached copy while it is current (see `events.terms`).

    Raises InvalidInput listing every problem: unknown fields, missing or malformed values,
    unknown or inactive term codes, an ACLED sub-type outside its type, a future time, negative or
    absurd impacts, coordinates out of range, an area unknown or outside the report's area, an
    event the actor may not see (or merged or closed), a classification above the actor's
    clearance. A pin without a finer area is placed in its kecamatan by reverse geocoding.
    """
    from waspada.core.errors import InvalidInput

    errors = _Errors()
    for key in data:
        if key not in ACCEPTED_KEYS:
            errors.add(key, _("Kolom tidak dikenal."))
    base = current_data(current) if current is not None else {}
    merged: dict[str, Any] = {**base, **{k: v for k, v in data.items() if k in ACCEPTED_KEYS}}

    form = ItemFieldsForm(data={k: merged.get(k) for k in SCALAR_FIELDS if k in merged})
    form.is_valid()
    for name, messages in form.errors.items():
        for message in messages:
            errors.add(name, str(message))
    values: dict[str, Any] = {k: v for k, v in form.cleaned_data.items()}

    now = timezone.now()
    for name in ("occurred_at", "obtained_at"):
        when = values.get(name)
        if when is not None and when > now + CLOCK_SKEW:
            errors.add(name, _("Waktu tidak boleh di masa depan."))
        elif when is not None and when < EARLIEST:
            errors.add(name, _("Waktu tidak masuk akal."))

    # Terms, by (axis, code), in one query.
    term_codes: dict[str, str] = {}
    for name in TERM_AXES:
        raw = merged.get(name)
        term_codes[name] = "" if _blank(raw) else str(raw).strip()
    issue_codes = _code_list(merged.get("election_issues"))
    actor_rows = merged.get("actors") or []
    if not isinstance(actor_rows, Sequence) or isinstance(actor_rows, str | bytes):
        errors.add("actors", _("Daftar aktor tidak valid."))
        actor_rows = []
    wanted = {(TERM_AXES[n], c) for n, c in term_codes.items() if c}
    wanted |= {(Axis.ELECTION_ISSUE, c) for c in issue_codes}
    for row in actor_rows:
        if isinstance(row, Mapping) and not _blank(row.get("actor_type")):
            wanted.add((Axis.ACTOR_TYPE, str(row["actor_type"]).strip()))
    terms = term_cache.by_code(wanted, stamp=term_stamp)
    kept = _kept_codes(base)

    def resolve(name: str, axis: str, code: str) -> Term | None:
        term = terms.get((axis, code))
        if term is None:
            errors.add(name, _("Kode '%(code)s' tidak dikenal.") % {"code": code})
        elif not term.active and (axis, code) not in kept:
            errors.add(name, _("Kode '%(code)s' sudah tidak dipakai.") % {"code": code})
            return None
        return term

    for name, code in term_codes.items():
        values[name] = resolve(name, TERM_AXES[name], code) if code else None
    subtype, acled_type = values.get("acled_subtype"), values.get("acled_type")
    if subtype is not None:
        if acled_type is None and not term_codes["acled_type"]:
            values["acled_type"] = subtype.parent
        elif acled_type is not None and subtype.parent_id != acled_type.pk:
            errors.add(
                "acled_subtype",
                _("Sub-jenis '%(sub)s' bukan bagian dari jenis '%(type)s'.")
                % {"sub": subtype.label, "type": acled_type.label},
            )
    issues = [t for c in issue_codes if (t := resolve("election_issues", Axis.ELECTION_ISSUE, c))]

    actors: list[CleanActor] = []
    for index, row in enumerate(actor_rows):
        actors.extend(_clean_actor(index, row, errors, resolve))

    _clean_place(report, merged, values, errors)
    event, kind = _clean_event(merged, actor, current, errors)

    classification = values.get("classification") or Classification.BIASA
    values["classification"] = classification
    if not selectors.can_read_classification(actor, classification):
        errors.add("classification", _("Anda tidak berwenang memberi klasifikasi setinggi ini."))
    _fill_defaults(values)

    if errors:
        raise InvalidInput(_("Periksa kembali isian butir laporan."), errors.errors)
    return CleanItem(fields=values, event=event, kind=kind, actors=actors, election_issues=issues)


def _kept_codes(base: Mapping[str, Any]) -> set[tuple[str, str]]:
    """Codes the item already carries: an update may keep a term that was since retired."""
    kept = {(TERM_AXES[n], base[n]) for n in TERM_AXES if base.get(n)}
    kept |= {(Axis.ELECTION_ISSUE, c) for c in base.get("election_issues", [])}
    kept |= {(Axis.ACTOR_TYPE, a["actor_type"]) for a in base.get("actors", []) if a["actor_type"]}
    return kept


def _clean_actor(index: int, row: Any, errors: _Errors, resolve: Any) -> list[CleanActor]:
    prefix = f"actors.{index}"
    if not isinstance(row, Mapping):
        errors.add(prefix, _("Aktor tidak valid."))
        return []
    for key in row:
        if key not in {"name", "actor_type", "crowd_size", "role"}:
            errors.add(f"{prefix}.{key}", _("Kolom tidak dikenal."))
    name = str(row.get("name") or "").strip()
    if not name:
        errors.add(f"{prefix}.name", _("Nama aktor wajib diisi."))
    elif len(name) > 200:
        errors.add(f"{prefix}.name", _("Paling banyak %(n)s karakter.") % {"n": 200})
    role = str(row.get("role") or "").strip()
    if len(role) > 100:
        errors.add(f"{prefix}.role", _("Paling banyak %(n)s karakter.") % {"n": 100})
    size_field = _count_field(MAX_CROWD, _("Jumlah massa"))
    crowd: int | None = None
    try:
        crowd = size_field.clean(row.get("crowd_size"))
    except forms.ValidationError as exc:
        for message in exc.messages:
            errors.add(f"{prefix}.crowd_size", message)
    code = "" if _blank(row.get("actor_type")) else str(row["actor_type"]).strip()
    actor_type = resolve(f"{prefix}.actor_type", Axis.ACTOR_TYPE, code) if code else None
    return [CleanActor(name=name, actor_type=actor_type, crowd_size=crowd, role=role)]


def _clean_place(
    report: Any, merged: Mapping[str, Any], values: dict[str, Any], errors: _Errors
) -> None:
    """Area and coordinates: inside the report's area; a pin fills the kecamatan."""
    report_code: str = report.area_id
    area: Area | None = None
    raw_area = merged.get("area")
    if isinstance(raw_area, Area):
        raw_area = raw_area.code
    if not _blank(raw_area):
        code = str(raw_area).strip()
        area = _area(code)
        if area is None:
            errors.add("area", _("Kode wilayah '%(code)s' tidak dikenal.") % {"code": code})
        elif not code_within(area.code, report_code):
            errors.add(
                "area",
                _("Wilayah harus berada di dalam wilayah laporan (%(code)s).")
                % {"code": report_code},
            )
            area = None
    lat, lon = values.get("latitude"), values.get("longitude")
    if (lat is None) != (lon is None) and not ({"latitude", "longitude"} & set(errors.errors)):
        errors.add("longitude" if lon is None else "latitude", _("Isi lintang dan bujur bersama."))
        lat = lon = None
    if lat is not None and lon is not None:
        values["latitude"] = Decimal(str(round(lat, 6)))
        values["longitude"] = Decimal(str(round(lon, 6)))
        if (area is None or area.level < 3) and "area" not in errors.errors:
            located = _locate(lat, lon)
            if located is not None:
                within = area.code if area is not None else report_code
                if not code_within(located.code, within):
                    errors.add(
                        "latitude",
                        _("Titik di peta berada di luar wilayah %(code)s.") % {"code": within},
                    )
                else:
                    area = located
    if area is None and "area" not in errors.errors:
        area = report.area
    values["area"] = area


def _area(code: str) -> Area | None:
    """The area with this code, or None (a plain SELECT by primary key: it runs for every item
    written, and building the query through the ORM costs more than running it)."""
    return next(iter(Area.objects.raw(_area_sql(connection.vendor), [code])), None)


@functools.cache
def _area_sql(vendor: str) -> str:
    meta = Area._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in meta.concrete_fields)
    pk = quote(str(meta.get_field("code").column))
    return f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {pk} = %s"  # noqa: S608 (our names)


def _locate(lat: float, lon: float) -> Area | None:
    """The kecamatan containing the pin, when boundaries are loaded; None otherwise."""
    if not geocode.current_stamp():
        return None
    code = geocode.locate(lat, lon)
    return Area.objects.filter(code=code).first() if code else None


def _clean_event(
    merged: Mapping[str, Any], actor: Any, current: Item | None, errors: _Errors
) -> tuple[Event | None, str]:
    """The event a development belongs to: visible to the actor, not merged away, not closed."""
    raw = merged.get("event")
    kind = str(merged.get("kind") or "").strip()
    if kind and kind not in ItemKind.values:
        errors.add("kind", _("Pilihan '%(value)s' tidak dikenal.") % {"value": kind})
        kind = ""
    if isinstance(raw, Event):
        raw = raw.pk
    if current is not None:
        # An item stays with its event: moving it is a merge, not an edit.
        if kind and kind != current.kind:
            errors.add("kind", _("Jenis butir tidak dapat diubah; hapus butir lalu buat ulang."))
        if not _blank(raw) and str(raw) not in {
            str(current.event_id),
            str(current.original_event_id),
        }:
            errors.add(
                "event", _("Kejadian induk tidak dapat diubah; hapus butir lalu buat ulang.")
            )
        return current.event, current.kind
    if _blank(raw):
        if kind == ItemKind.DEVELOPMENT:
            errors.add("event", _("Pilih kejadian yang dilaporkan perkembangannya."))
        return None, ItemKind.NEW
    if kind == ItemKind.NEW:
        errors.add("event", _("Kejadian baru tidak menunjuk kejadian lain; kosongkan kolom ini."))
        return None, ItemKind.NEW
    try:
        pk = int(str(raw))
    except ValueError:
        errors.add("event", _("Nomor kejadian tidak valid."))
        return None, ItemKind.DEVELOPMENT
    event = selectors.visible_events(actor, include_merged=True).filter(pk=pk).first()
    if event is None:
        errors.add("event", _("Kejadian tidak ditemukan atau di luar wilayah Anda."))
    elif event.merged_into_id is not None:
        errors.add(
            "event",
            _("Kejadian ini telah digabung ke KJD-%(pk)06d; pilih kejadian tersebut.")
            % {"pk": event.merged_into_id},
        )
    elif event.status == EventStatus.CLOSED:
        errors.add("event", _("Kejadian sudah ditutup; laporkan sebagai kejadian baru."))
    return event, ItemKind.DEVELOPMENT


def _fill_defaults(values: dict[str, Any]) -> None:
    """Sensible defaults for precisions and optional text and counts."""
    if not values.get("time_precision"):
        values["time_precision"] = TimePrecision.EXACT
    if not values.get("location_precision"):
        area = values.get("area")
        if values.get("latitude") is not None:
            values["location_precision"] = LocationPrecision.EXACT
        elif area is not None and area.level >= 4:
            values["location_precision"] = LocationPrecision.VILLAGE
        elif area is not None and area.level == 3:
            values["location_precision"] = LocationPrecision.DISTRICT
        else:
            values["location_precision"] = LocationPrecision.REGENCY
    for name in TEXT_FIELDS:
        if values.get(name) is None:
            values[name] = ""
    for name in (*IMPACT_LIMITS, "loss_rupiah"):
        if values.get(name) is None:
            values[name] = 0
    if values.get("trend") is None:
        values["trend"] = ""
