"""Forms of the report entry pages. They parse and render; the services validate and write.

Times are typed in the report area's own zone (WIB, WITA or WIT) and handed to the services as
aware datetimes. Service errors (`InvalidInput.errors`, keyed by field, "actors.<n>.<field>" for
actors) are put next to the field they are about by `apply_service_errors`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from waspada.accounts.forms import AccessibleFormMixin
from waspada.accounts.validation import AREA_CODE
from waspada.core.errors import InvalidInput
from waspada.events.choices import (
    Axis,
    Classification,
    ItemKind,
    LocationPrecision,
    TimePrecision,
    Trend,
)
from waspada.events.models import Event, Item, Term
from waspada.reports.models import ReportType

DATETIME_INPUT = "%Y-%m-%dT%H:%M"
DATETIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")
REQUIRED = {"required": _("Wajib diisi.")}

# Item form sections, in the order the page shows them (field names of ItemForm).
SECTION_WHEN_WHERE = (
    "occurred_at",
    "time_precision",
    "area",
    "place",
    "latitude",
    "longitude",
    "location_precision",
)
SECTION_WHAT = ("title", "chronology", "what", "who", "why", "how", "trigger")
SECTION_IMPACT = (
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
)
SECTION_SOURCE = (
    "source",
    "source_relation",
    "how_obtained",
    "obtained_at",
    "source_reliability",
    "info_credibility",
)
SECTION_CLASSIFICATION = (
    "classification",
    "aspect",
    "athg",
    "uu7_source",
    "snpk",
    "acled_type",
    "acled_subtype",
    "election_type",
    "election_stage",
    "election_issues",
)
SECTION_ANALYSIS = ("trend", "analysis", "prediction", "steps_taken", "recommendation")
TERM_FIELDS: dict[str, str] = {
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
    *SECTION_WHAT,
    "source",
    "source_relation",
    "how_obtained",
    "analysis",
    "prediction",
    "steps_taken",
    "recommendation",
)
# Fields sent to the services as typed (the service checks them again and says why).
PASSED_THROUGH = (
    "time_precision",
    "location_precision",
    "crowd_size",
    *SECTION_IMPACT,
    "trend",
    "classification",
    *TEXT_FIELDS,
)


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


def local_input(value: dt.datetime | None, zone: ZoneInfo) -> str:
    """An aware datetime as the value of a datetime-local input in `zone`."""
    return value.astimezone(zone).strftime(DATETIME_INPUT) if value else ""


def apply_service_errors(form: forms.Form, exc: InvalidInput) -> list[str]:
    """Put a service's messages next to the fields they are about; returns the unplaced ones."""
    leftover: list[str] = []
    if not exc.errors:
        form.add_error(None, exc.message)
        return leftover
    for key, messages in exc.errors.items():
        if key in form.fields:
            form.add_error(key, list(messages))
        else:
            leftover.extend(str(m) for m in messages)
    return leftover


class LocalDateTimeField(forms.CharField):
    """A datetime-local input read in a time zone given by the form (the report area's zone)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT)
    zone: ZoneInfo = ZoneInfo("Asia/Jakarta")

    def to_python(self, value: Any) -> dt.datetime | None:  # type: ignore[override]
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=self.zone)
        text = str(value or "").strip()
        if not text:
            return None
        for fmt in DATETIME_FORMATS:
            try:
                # The zone is attached right away: the value is aware from here on.
                parsed = dt.datetime.strptime(text, fmt)  # noqa: DTZ007
            except ValueError:
                continue
            return parsed.replace(tzinfo=self.zone)
        raise forms.ValidationError(
            _("Tanggal dan jam tidak valid (contoh: 2026-03-01 14:30)."), code="invalid"
        )

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return local_input(value, self.zone)
        return value


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _count(label: Any, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        error_messages={
            "invalid": _("Isi dengan bilangan bulat."),
            "min_value": _("Tidak boleh negatif."),
        },
    )


# ---------------------------------------------------------------- reports


class ReportCreateForm(AccessibleFormMixin, forms.Form):
    """New report: type, area (inside the user's scope), date, nihil, optional text."""

    report_type = forms.ChoiceField(
        label=_("Jenis laporan"), choices=ReportType.choices, initial=ReportType.DAILY
    )
    area = forms.RegexField(
        label=_("Wilayah laporan"),
        regex=AREA_CODE.pattern,
        help_text=_("Ketik nama wilayah untuk mencari, atau tulis kodenya (contoh: 62.71)."),
        error_messages={**REQUIRED, "invalid": _("Kode wilayah tidak valid, contoh: 62.71")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "decimal"}),
    )
    period_start = forms.DateField(
        label=_("Tanggal laporan"),
        help_text=_("Laporan harian: tanggal kejadian yang dilaporkan. Lainnya: awal periode."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={**REQUIRED, "invalid": _("Tanggal tidak valid.")},
    )
    period_end = forms.DateField(
        label=_("Akhir periode"),
        required=False,
        help_text=_("Kosongkan untuk bawaan: seminggu (mingguan), akhir bulan (bulanan)."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tanggal tidak valid.")},
    )
    is_nihil = forms.BooleanField(
        label=_("Nihil: tidak ada kejadian menonjol"),
        required=False,
        help_text=_("Hanya untuk LAPSITDA harian, mingguan atau bulanan."),
    )
    title = forms.CharField(label=_("Judul"), required=False, max_length=200)
    summary = forms.CharField(label=_("Ringkasan"), required=False, widget=_textarea())
    introduction = forms.CharField(
        label=_("Pendahuluan (Laporan Informasi)"), required=False, widget=_textarea()
    )
    opinion = forms.CharField(
        label=_("Pendapat pelapor (Laporan Informasi)"), required=False, widget=_textarea()
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=128)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "report_type": data["report_type"],
            "area_code": data["area"],
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "is_nihil": data["is_nihil"],
            "title": data["title"],
            "summary": data["summary"],
            "introduction": data["introduction"],
            "opinion": data["opinion"],
        }


class ReportEditForm(AccessibleFormMixin, forms.Form):
    """The text of a draft or returned report, its nihil flag and (not daily) its period."""

    title = forms.CharField(label=_("Judul"), required=False, max_length=200)
    summary = forms.CharField(label=_("Ringkasan"), required=False, widget=_textarea())
    introduction = forms.CharField(
        label=_("Pendahuluan (Laporan Informasi)"), required=False, widget=_textarea()
    )
    opinion = forms.CharField(
        label=_("Pendapat pelapor (Laporan Informasi)"), required=False, widget=_textarea()
    )
    is_nihil = forms.BooleanField(label=_("Nihil: tidak ada kejadian menonjol"), required=False)
    period_start = forms.DateField(
        label=_("Awal periode"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tanggal tidak valid.")},
    )
    period_end = forms.DateField(
        label=_("Akhir periode"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tanggal tidak valid.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, daily: bool = False, nihil_allowed: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if daily:
            del self.fields["period_start"]
            del self.fields["period_end"]
        if not nihil_allowed:
            del self.fields["is_nihil"]

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version")
        for name in ("period_start", "period_end"):
            if name in data and data[name] is None:
                data.pop(name)
        return data


class VersionForm(forms.Form):
    """Submit and verify: only the version the user saw (a stale one is a 409)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReturnForm(AccessibleFormMixin, forms.Form):
    """Return a report to its area: the reason is required."""

    reason = forms.CharField(
        label=_("Alasan pengembalian"),
        max_length=2000,
        widget=_textarea(3),
        help_text=_("Tulis apa yang harus diperbaiki pelapor."),
        error_messages={
            "required": _("Alasan wajib diisi."),
            "max_length": _("Paling banyak %(limit_value)d karakter."),
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


# ---------------------------------------------------------------- items


def term_choices(terms: Iterable[Term]) -> dict[str, list[Any]]:
    """Choices per item field; ACLED sub-types grouped under their type."""
    by_axis: dict[str, list[Term]] = {}
    for term in terms:
        by_axis.setdefault(term.axis, []).append(term)
    choices: dict[str, list[Any]] = {}
    for name, axis in TERM_FIELDS.items():
        rows = by_axis.get(axis, [])
        if axis == Axis.ACLED_SUBTYPE:
            groups: dict[str, list[tuple[str, str]]] = {}
            for term in rows:
                parent = term.parent.label if term.parent else "-"
                groups.setdefault(parent, []).append((term.code, term.label))
            choices[name] = [("", "—"), *groups.items()]
        else:
            choices[name] = [("", "—"), *((t.code, t.label) for t in rows)]
    choices["election_issues"] = [(t.code, t.label) for t in by_axis.get(Axis.ELECTION_ISSUE, [])]
    choices["actor_type"] = [("", "—")] + [
        (t.code, t.label) for t in by_axis.get(Axis.ACTOR_TYPE, [])
    ]
    return choices


def event_label(event: Event) -> str:
    when = event.last_occurred_at.strftime("%d-%m-%Y") if event.last_occurred_at else ""
    return f"{event.reference} · {event.title} ({event.area_id}{', ' + when if when else ''})"


class ItemForm(AccessibleFormMixin, forms.Form):
    """Every field of an item, grouped in the sections of the page (see SECTION_*)."""

    kind = forms.ChoiceField(
        label=_("Jenis butir"),
        choices=ItemKind.choices,
        initial=ItemKind.NEW,
        widget=forms.RadioSelect,
    )
    event = forms.ChoiceField(
        label=_("Kejadian yang dilaporkan perkembangannya"),
        required=False,
        help_text=_("Hanya untuk perkembangan: kejadian di wilayah laporan yang masih berjalan."),
    )
    occurred_at = LocalDateTimeField(label=_("Waktu kejadian"), error_messages=REQUIRED)
    time_precision = forms.ChoiceField(
        label=_("Ketepatan waktu"), choices=TimePrecision.choices, initial=TimePrecision.EXACT
    )
    area = forms.RegexField(
        label=_("Wilayah kejadian"),
        regex=AREA_CODE.pattern,
        help_text=_("Sampai desa/kelurahan bila diketahui. Titik di peta mengisinya otomatis."),
        error_messages={**REQUIRED, "invalid": _("Kode wilayah tidak valid, contoh: 62.71.02")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "decimal"}),
    )
    place = forms.CharField(
        label=_("Tempat"),
        required=False,
        max_length=200,
        help_text=_("Nama tempat, jalan atau bangunan."),
    )
    latitude = forms.FloatField(
        label=_("Lintang"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        error_messages={
            "invalid": _("Lintang harus berupa angka desimal."),
            "min_value": _("Lintang harus di antara -90 dan 90."),
            "max_value": _("Lintang harus di antara -90 dan 90."),
        },
    )
    longitude = forms.FloatField(
        label=_("Bujur"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        error_messages={
            "invalid": _("Bujur harus berupa angka desimal."),
            "min_value": _("Bujur harus di antara -180 dan 180."),
            "max_value": _("Bujur harus di antara -180 dan 180."),
        },
    )
    location_precision = forms.ChoiceField(
        label=_("Ketepatan lokasi"),
        choices=[("", _("Otomatis")), *LocationPrecision.choices],
        required=False,
    )
    title = forms.CharField(
        label=_("Judul"),
        max_length=200,
        error_messages={**REQUIRED, "max_length": _("Paling banyak %(limit_value)d karakter.")},
    )
    chronology = forms.CharField(
        label=_("Kronologi"),
        widget=_textarea(5),
        help_text=_("Urutan kejadian: bilamana, di mana, apa yang terjadi."),
        error_messages=REQUIRED,
    )
    what = forms.CharField(label=_("Apa"), required=False, widget=_textarea(2))
    who = forms.CharField(label=_("Siapa"), required=False, widget=_textarea(2))
    why = forms.CharField(label=_("Mengapa"), required=False, widget=_textarea(2))
    how = forms.CharField(label=_("Bagaimana"), required=False, widget=_textarea(2))
    trigger = forms.CharField(label=_("Pemicu"), required=False, widget=_textarea(2))
    crowd_size = _count(_("Perkiraan jumlah massa"))
    deaths = _count(_("Meninggal"))
    injured_serious = _count(_("Luka berat"))
    injured_light = _count(_("Luka ringan"))
    abducted = _count(_("Penculikan"))
    sexual_violence = _count(_("Kekerasan seksual"))
    displaced = _count(_("Pengungsi"))
    houses_damaged = _count(_("Rumah rusak"))
    public_buildings_damaged = _count(_("Bangunan publik rusak"))
    worship_places_damaged = _count(_("Rumah ibadah rusak"))
    loss_rupiah = _count(_("Kerugian (Rp)"), _("Perkiraan kerugian materi dalam rupiah."))
    source = forms.CharField(label=_("Sumber"), required=False, max_length=200)
    source_relation = forms.CharField(
        label=_("Hubungan dengan sumber"), required=False, max_length=200
    )
    how_obtained = forms.CharField(label=_("Cara memperoleh"), required=False, max_length=200)
    obtained_at = LocalDateTimeField(label=_("Waktu diperoleh"), required=False)
    source_reliability = forms.ChoiceField(label=_("Keandalan sumber (A–F)"), required=False)
    info_credibility = forms.ChoiceField(label=_("Kebenaran informasi (1–6)"), required=False)
    classification = forms.ChoiceField(
        label=_("Klasifikasi keamanan"),
        choices=Classification.choices,
        initial=Classification.BIASA,
        help_text=_("Butir rahasia hanya terlihat oleh pengguna dengan izin rahasia."),
    )
    aspect = forms.ChoiceField(label=_("Aspek (IPOLEKSOSBUDHANKAM)"), required=False)
    athg = forms.ChoiceField(label=_("ATHG"), required=False)
    uu7_source = forms.ChoiceField(label=_("Sumber konflik (UU 7/2012)"), required=False)
    snpk = forms.ChoiceField(label=_("Kategori kekerasan (SNPK)"), required=False)
    acled_type = forms.ChoiceField(label=_("Jenis kejadian (ACLED)"), required=False)
    acled_subtype = forms.ChoiceField(label=_("Sub-jenis kejadian (ACLED)"), required=False)
    election_type = forms.ChoiceField(label=_("Jenis pemilihan"), required=False)
    election_stage = forms.ChoiceField(label=_("Tahapan pemilihan"), required=False)
    election_issues = forms.MultipleChoiceField(
        label=_("Isu pemilihan"), required=False, widget=forms.CheckboxSelectMultiple
    )
    trend = forms.ChoiceField(label=_("Tren"), choices=[("", "—"), *Trend.choices], required=False)
    analysis = forms.CharField(label=_("Analisis"), required=False, widget=_textarea())
    prediction = forms.CharField(label=_("Prediksi"), required=False, widget=_textarea())
    steps_taken = forms.CharField(
        label=_("Langkah yang telah diambil"), required=False, widget=_textarea()
    )
    recommendation = forms.CharField(label=_("Saran tindak"), required=False, widget=_textarea())
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=128)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        zone: ZoneInfo,
        terms: dict[str, list[Any]],
        events: Iterable[Event] = (),
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in ("occurred_at", "obtained_at"):
            field = self.fields[name]
            assert isinstance(field, LocalDateTimeField)  # noqa: S101 (narrowing)
            field.zone = zone
        for name in TERM_FIELDS:
            self.fields[name].choices = terms.get(name, [("", "—")])  # type: ignore[attr-defined]
        self.fields["election_issues"].choices = terms.get(  # type: ignore[attr-defined]
            "election_issues", []
        )
        self.fields["event"].choices = [  # type: ignore[attr-defined]
            ("", _("— pilih kejadian —")),
            *((str(e.pk), event_label(e)) for e in events),
        ]
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = _("Pilihan '%(value)s' tidak dikenal.")
        if editing:
            # An item stays with its event: moving it is a merge, done on the event page.
            del self.fields["kind"]
            del self.fields["event"]
            del self.fields["idempotency_key"]
        else:
            del self.fields["version"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == ItemKind.DEVELOPMENT and not data.get("event"):
            self.add_error("event", _("Pilih kejadian yang dilaporkan perkembangannya."))
        return data

    def service_data(self, actors: list[dict[str, Any]]) -> dict[str, Any]:
        """The cleaned values as `record_item`/`update_item` take them."""
        data = self.cleaned_data
        out: dict[str, Any] = {name: data.get(name) for name in PASSED_THROUGH}
        for name in TEXT_FIELDS:
            out[name] = data.get(name) or ""
        for name in TERM_FIELDS:
            out[name] = data.get(name) or ""
        out["election_issues"] = list(data.get("election_issues") or [])
        out["occurred_at"] = data.get("occurred_at")
        out["obtained_at"] = data.get("obtained_at")
        out["area"] = data.get("area")
        out["latitude"] = data.get("latitude")
        out["longitude"] = data.get("longitude")
        out["actors"] = actors
        if "kind" in self.fields:
            out["kind"] = data.get("kind")
            out["event"] = data.get("event") if data.get("kind") == ItemKind.DEVELOPMENT else None
        for name in (*SECTION_IMPACT, "crowd_size"):
            if out.get(name) is None and name != "crowd_size":
                out[name] = 0
        return out

    @staticmethod
    def initial_for(item: Item, zone: ZoneInfo) -> dict[str, Any]:
        """The form's initial values for editing `item`."""
        initial: dict[str, Any] = {
            name: getattr(item, name) for name in (*PASSED_THROUGH, "latitude", "longitude")
        }
        for name in ("latitude", "longitude"):
            value = initial[name]
            initial[name] = None if value is None else float(value)
        for name in TERM_FIELDS:
            term = getattr(item, name)
            initial[name] = term.code if term else ""
        initial["election_issues"] = [t.code for t in item.election_issues.all()]
        initial["occurred_at"] = local_input(item.occurred_at, zone)
        initial["obtained_at"] = local_input(item.obtained_at, zone)
        initial["area"] = item.area_id
        initial["version"] = item.version
        return initial


class ActorForm(forms.Form):
    """One party of an item. A row with no name is ignored (blank rows are offered)."""

    name = forms.CharField(label=_("Nama aktor"), required=False, max_length=200)
    actor_type = forms.ChoiceField(label=_("Jenis aktor"), required=False)
    crowd_size = _count(_("Jumlah massa"))
    role = forms.CharField(
        label=_("Peran"),
        required=False,
        max_length=100,
        help_text=_("Misalnya: penggerak, korban, pihak lawan."),
    )

    def __init__(self, *args: Any, actor_types: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor_type"].choices = actor_types or [("", "—")]  # type: ignore[attr-defined]

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(data.get(k) for k in ("name", "actor_type", "crowd_size", "role"))


if TYPE_CHECKING:
    _ActorFormSetBase = forms.BaseFormSet[ActorForm]
else:  # BaseFormSet is not subscriptable at run time
    _ActorFormSetBase = forms.BaseFormSet


class BaseActorFormSet(_ActorFormSetBase):
    def __init__(self, *args: Any, actor_types: list[Any] | None = None, **kwargs: Any) -> None:
        self.actor_types = actor_types
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"actor_types": self.actor_types}

    def rows(self) -> list[tuple[int, dict[str, Any]]]:
        """(form index, service row) for every row that says something."""
        out: list[tuple[int, dict[str, Any]]] = []
        for index, form in enumerate(self.forms):
            if not form.is_valid() or form.is_blank():
                continue
            data = form.cleaned_data
            out.append(
                (
                    index,
                    {
                        "name": data.get("name") or "",
                        "actor_type": data.get("actor_type") or "",
                        "crowd_size": data.get("crowd_size"),
                        "role": data.get("role") or "",
                    },
                )
            )
        return out

    def apply_service_errors(self, exc: InvalidInput, indexes: list[int]) -> list[str]:
        """Place "actors.<n>.<field>" messages on the right row; returns the rest."""
        leftover: list[str] = []
        for key, messages in exc.errors.items():
            if not key.startswith("actors."):
                continue
            parts = key.split(".")
            try:
                row = indexes[int(parts[1])]
            except (ValueError, IndexError):
                leftover.extend(str(m) for m in messages)
                continue
            form = self.forms[row]
            field = parts[2] if len(parts) > 2 and parts[2] in form.fields else None
            form.add_error(field, list(messages))
        return leftover


ActorFormSet: Any = forms.formset_factory(
    ActorForm, formset=BaseActorFormSet, extra=2, max_num=50, validate_max=True
)


def actor_initial(item: Item) -> list[dict[str, Any]]:
    return [
        {
            "name": a.name,
            "actor_type": a.actor_type.code if a.actor_type else "",
            "crowd_size": a.crowd_size,
            "role": a.role,
        }
        for a in item.actors.all()
    ]


def without_key(data: Mapping[str, Any]) -> dict[str, Any]:
    """A POST body as a fingerprint sees it: no CSRF token, no idempotency key."""
    return {
        k: data.getlist(k) if hasattr(data, "getlist") else data[k]
        for k in sorted(data)
        if k not in {"csrfmiddlewaretoken", "idempotency_key"}
    }
