"""Forms of the conflict-case pages. They parse and render; the services validate and write.

Choices that depend on the viewer (terms, visible events, agencies) are handed in by the views,
which read them through selectors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waspada.accounts.forms import AccessibleFormMixin
from waspada.core.errors import InvalidInput
from waspada.response.choices import ActivityStatus, CaseStage, ConflictScale, RecoveryKind

REQUIRED = {"required": _("Wajib diisi.")}
AREA_CODE_REGEX = r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
Choices = list[tuple[Any, Any]]


class ServiceErrorsMixin(AccessibleFormMixin):
    """Puts a service's InvalidInput messages next to their fields (others on the form)."""

    renames: dict[str, str] = {}

    def apply_errors(self, exc: InvalidInput) -> None:
        placed = False
        for name, messages in exc.errors.items():
            target = self.renames.get(name, name)
            if target in self.fields:
                for message in messages:
                    self.add_error(target, message)
                placed = True
            elif not name.startswith("parties."):
                for message in messages:
                    self.add_error(None, message)
                placed = True
        if not placed and not exc.errors:
            self.add_error(None, exc.message)


def _area_field(**kwargs: Any) -> forms.RegexField:
    return forms.RegexField(
        regex=AREA_CODE_REGEX,
        error_messages={**REQUIRED, "invalid": _("Kode wilayah tidak valid, contoh: 62.71")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "decimal"}),
        **kwargs,
    )


# ---------------------------------------------------------------- the case


class CaseForm(ServiceErrorsMixin, forms.Form):
    """A new case: title, area, events of the area, root cause, summary (parties in a formset)."""

    renames = {"area_code": "area", "event_ids": "events"}

    title = forms.CharField(label=_("Judul kasus"), max_length=200, error_messages=REQUIRED)
    area = _area_field(
        label=_("Wilayah kasus"),
        help_text=_("Kode wilayah; semua kejadian harus berada di wilayah ini atau di bawahnya."),
    )
    events = forms.TypedMultipleChoiceField(
        label=_("Kejadian"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Pilih sedikitnya satu kejadian."),
            "invalid_choice": _("Kejadian ini tidak dapat dipilih."),
        },
    )
    root_cause = forms.ChoiceField(label=_("Akar masalah (UU 7/2012 Pasal 5)"), required=False)
    summary = forms.CharField(
        label=_("Ringkasan"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self,
        *args: Any,
        events: Choices | None = None,
        root_causes: Choices | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = events or []  # type: ignore[attr-defined]
        self.fields["root_cause"].choices = [("", "—"), *(root_causes or [])]  # type: ignore[attr-defined]


class CaseEditForm(ServiceErrorsMixin, forms.Form):
    """Title, summary and root cause of a case (parties in a formset); `version` as seen."""

    title = forms.CharField(label=_("Judul kasus"), max_length=200, error_messages=REQUIRED)
    root_cause = forms.ChoiceField(label=_("Akar masalah (UU 7/2012 Pasal 5)"), required=False)
    summary = forms.CharField(
        label=_("Ringkasan"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, root_causes: Choices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["root_cause"].choices = [("", "—"), *(root_causes or [])]  # type: ignore[attr-defined]


class PartyForm(forms.Form):
    """One party of a case. A row without a name is ignored (blank rows are offered)."""

    name = forms.CharField(label=_("Nama pihak"), required=False, max_length=200)
    party_type = forms.ChoiceField(label=_("Jenis pihak"), required=False)
    representative = forms.CharField(label=_("Perwakilan"), required=False, max_length=200)
    interest = forms.CharField(
        label=_("Kepentingan/tuntutan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, party_types: Choices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party_type"].choices = [("", "—"), *(party_types or [])]  # type: ignore[attr-defined]

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(data.get(k) for k in ("name", "party_type", "representative", "interest"))


if TYPE_CHECKING:
    _PartyFormSetBase = forms.BaseFormSet[PartyForm]
else:  # BaseFormSet is not subscriptable at run time
    _PartyFormSetBase = forms.BaseFormSet


class BasePartyFormSet(_PartyFormSetBase):
    def __init__(self, *args: Any, party_types: Choices | None = None, **kwargs: Any) -> None:
        self.party_types = party_types
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"party_types": self.party_types}

    def rows(self) -> tuple[list[int], list[dict[str, Any]]]:
        """The form indexes and service rows of every row that says something."""
        indexes: list[int] = []
        rows: list[dict[str, Any]] = []
        for index, form in enumerate(self.forms):
            if not form.is_valid() or form.is_blank():
                continue
            indexes.append(index)
            rows.append({k: form.cleaned_data.get(k) or "" for k in form.fields})
        return indexes, rows

    def apply_errors(self, exc: InvalidInput, indexes: list[int]) -> None:
        """Place "parties.<n>.<field>" messages on their row."""
        for key, messages in exc.errors.items():
            parts = key.split(".")
            if parts[0] != "parties" or len(parts) < 3:
                continue
            try:
                form = self.forms[indexes[int(parts[1])]]
            except (ValueError, IndexError):
                continue
            form.add_error(parts[2] if parts[2] in form.fields else None, list(messages))


PartyFormSet: Any = forms.formset_factory(
    PartyForm, formset=BasePartyFormSet, extra=2, max_num=30, validate_max=True
)


# ---------------------------------------------------------------- stage and closing


class StageForm(ServiceErrorsMixin, forms.Form):
    """Move the case to another stage, with a note."""

    to_stage = forms.ChoiceField(
        label=_("Pindah ke tahap"),
        choices=CaseStage.choices,
        error_messages={
            "required": _("Pilih tahap."),
            "invalid_choice": _("Pilih tahap lain dari tahap sekarang."),
        },
    )
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, current: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        order = list(CaseStage.values)
        field = self.fields["to_stage"]
        field.choices = [(v, label) for v, label in CaseStage.choices if v != current]  # type: ignore[attr-defined]
        if current in order and order.index(current) + 1 < len(order):
            field.initial = order[order.index(current) + 1]


class CloseForm(ServiceErrorsMixin, forms.Form):
    """Close the case with a note."""

    note = forms.CharField(
        label=_("Catatan penutupan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tuliskan catatan penutupan.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


# ---------------------------------------------------------------- status keadaan konflik


class StatusDeclareForm(ServiceErrorsMixin, forms.Form):
    """A declared status keadaan konflik: scale, area, declarer, decree, dates."""

    renames = {"area_code": "area", "status": "__all__"}

    scale = forms.ChoiceField(label=_("Skala"), choices=ConflictScale.choices)
    area = _area_field(
        label=_("Wilayah status"),
        required=False,
        help_text=_("Kab/kota (contoh 62.71) atau provinsi (contoh 62); kosong untuk nasional."),
    )
    declared_by = forms.CharField(
        label=_("Ditetapkan oleh"),
        max_length=200,
        error_messages=REQUIRED,
        help_text=_("Misalnya: Wali Kota Palangka Raya, Gubernur Kalimantan Tengah, Presiden."),
    )
    decree_number = forms.CharField(
        label=_("Nomor keputusan"), max_length=120, error_messages=REQUIRED
    )
    start_date = forms.DateField(
        label=_("Mulai berlaku"),
        widget=DATE_INPUT,
        error_messages={**REQUIRED, "invalid": _("Tanggal tidak valid.")},
    )
    end_date = forms.DateField(
        label=_("Berlaku sampai"),
        required=False,
        widget=DATE_INPUT,
        error_messages={"invalid": _("Tanggal tidak valid.")},
        help_text=_("Kosongkan untuk masa berlaku terpanjang (90 hari)."),
    )


class StatusExtendForm(ServiceErrorsMixin, forms.Form):
    """An extension of the status in force: declarer, decree and the new end date."""

    declared_by = forms.CharField(
        label=_("Ditetapkan oleh"), max_length=200, error_messages=REQUIRED
    )
    decree_number = forms.CharField(
        label=_("Nomor keputusan perpanjangan"), max_length=120, error_messages=REQUIRED
    )
    end_date = forms.DateField(
        label=_("Berakhir (setelah diperpanjang)"),
        widget=DATE_INPUT,
        error_messages={**REQUIRED, "invalid": _("Tanggal tidak valid.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class StatusRevokeForm(ServiceErrorsMixin, forms.Form):
    """Revoke the status in force, with a reason."""

    reason = forms.CharField(
        label=_("Alasan pencabutan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Sebutkan alasan pencabutan.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


# ---------------------------------------------------------------- recovery


class RecoveryForm(ServiceErrorsMixin, forms.Form):
    """A recovery activity: kind, title, agency, status, dates, description and notes."""

    renames = {"agency_id": "agency"}

    kind = forms.ChoiceField(label=_("Jenis pemulihan"), choices=RecoveryKind.choices)
    title = forms.CharField(label=_("Kegiatan"), max_length=200, error_messages=REQUIRED)
    agency = forms.TypedChoiceField(
        label=_("Instansi pelaksana"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ActivityStatus.choices, initial=ActivityStatus.PLANNED
    )
    start_date = forms.DateField(
        label=_("Mulai"),
        required=False,
        widget=DATE_INPUT,
        error_messages={"invalid": _("Tanggal tidak valid.")},
    )
    end_date = forms.DateField(
        label=_("Selesai"),
        required=False,
        widget=DATE_INPUT,
        error_messages={"invalid": _("Tanggal tidak valid.")},
    )
    description = forms.CharField(
        label=_("Uraian"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, agencies: Choices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "—"), *(agencies or [])]  # type: ignore[attr-defined]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "agency_id": data.get("agency"),
            "status": data["status"],
            "start_date": data.get("start_date"),
            "end_date": data.get("end_date"),
            "description": data.get("description") or "",
            "notes": data.get("notes") or "",
        }


class EvidenceForm(AccessibleFormMixin, forms.Form):
    """A photo, PDF or office document proving a recovery activity."""

    file = forms.FileField(
        label=_("Berkas bukti"),
        error_messages={"required": _("Pilih berkas."), "empty": _("Berkas kosong.")},
        help_text=_("Foto (JPEG/PNG/WebP), PDF atau dokumen kantor. Lokasi GPS foto dihapus."),
    )
    keep_location = forms.BooleanField(label=_("Simpan lokasi GPS foto"), required=False)
