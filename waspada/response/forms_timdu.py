"""Forms of the Timdu and RAD pages. They parse and render; the services validate and write."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from waspada.accounts.forms import AccessibleFormMixin
from waspada.accounts.validation import AREA_CODE
from waspada.core.errors import InvalidInput
from waspada.response.choices import CaseStage, PlanStatus, TimduRole
from waspada.response.models import Agency, PlanActivity, PlanReportEntry

REQUIRED = {"required": _("Wajib diisi.")}
MONTH_NAMES = (
    _("Januari"),
    _("Februari"),
    _("Maret"),
    _("April"),
    _("Mei"),
    _("Juni"),
    _("Juli"),
    _("Agustus"),
    _("September"),
    _("Oktober"),
    _("November"),
    _("Desember"),
)
MONTH_CHOICES = [(n, name) for n, name in enumerate(MONTH_NAMES, 1)]
_RUPIAH_JUNK = re.compile(r"^\s*(rp\.?)?\s*", re.IGNORECASE)


def parse_rupiah(raw: str) -> int | None:
    """ "Rp 1.250.000", "1.250.000", "1250000" and "1.250.000,00" -> 1250000; None when the
    text is not a whole amount of rupiah."""
    text = _RUPIAH_JUNK.sub("", raw or "").replace(" ", "").replace("\u00a0", "")
    if text.endswith((",00", ",0")):
        text = text.rsplit(",", 1)[0]
    text = text.replace(".", "")
    return int(text) if text.isdigit() else None


class RupiahField(forms.CharField):
    """A whole amount of rupiah, typed the Indonesian way (dots between thousands)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
        )
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> int | None:
        text = super().clean(value)
        if text in (None, ""):
            return None
        amount = parse_rupiah(str(text))
        if amount is None:
            raise ValidationError(_("Tulis jumlah rupiah tanpa sen, contoh: 1.250.000"))
        return amount


def apply_errors(
    form: forms.Form, exc: InvalidInput, aliases: dict[str, str] | None = None
) -> None:
    """Put a service's messages next to the fields they are about (the rest on top)."""
    aliases = aliases or {}
    if not exc.errors:
        form.add_error(None, exc.message)
        return
    for key, messages in exc.errors.items():
        name = aliases.get(key, key)
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class VersionMixin(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# ---------------------------------------------------------------- Timdu


class TimduForm(AccessibleFormMixin, forms.Form):
    """A new Timdu: its area (provinsi or kab/kota in the user's scope), name, chair, decree."""

    area = forms.RegexField(
        label=_("Wilayah"),
        regex=AREA_CODE.pattern,
        help_text=_("Kode provinsi atau kabupaten/kota, contoh: 62.71"),
        error_messages={**REQUIRED, "invalid": _("Kode wilayah tidak valid, contoh: 62.71")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "decimal"}),
    )
    name = forms.CharField(label=_("Nama tim"), max_length=200, error_messages=REQUIRED)
    chair = forms.CharField(
        label=_("Ketua"),
        max_length=200,
        required=False,
        help_text=_("Biasanya kepala daerah, contoh: Wali Kota Palangka Raya"),
    )
    decree_number = forms.CharField(label=_("Nomor SK"), max_length=120, required=False)
    decree_date = forms.DateField(
        label=_("Tanggal SK"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Tanggal tidak sah.")},
    )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "area_code": data["area"],
            "name": data["name"],
            "chair": data["chair"],
            "decree_number": data["decree_number"],
            "decree_date": data["decree_date"],
        }


class TimduEditForm(VersionMixin, TimduForm):
    """Changes to a Timdu (its area stays)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["area"]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "version": data["version"],
            "name": data["name"],
            "chair": data["chair"],
            "decree_number": data["decree_number"],
            "decree_date": data["decree_date"],
        }


def agency_choices(agencies: Sequence[Agency]) -> list[tuple[str, Any]]:
    return [("", _("Pilih instansi"))] + [(str(a.pk), f"{a.name} ({a.area_id})") for a in agencies]


class MemberForm(AccessibleFormMixin, forms.Form):
    """Add an agency to the Timdu, or change its role."""

    agency = forms.ChoiceField(label=_("Instansi"), error_messages=REQUIRED)
    role = forms.ChoiceField(label=_("Peran"), choices=TimduRole.choices, initial=TimduRole.MEMBER)

    def __init__(self, *args: Any, agencies: Sequence[Agency] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agency_choices(agencies)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- plans


class PlanForm(AccessibleFormMixin, forms.Form):
    """A new RAD: its year and title."""

    year = forms.IntegerField(
        label=_("Tahun"),
        min_value=2000,
        max_value=2100,
        error_messages={**REQUIRED, "invalid": _("Tulis tahun, contoh: 2026")},
    )
    title = forms.CharField(label=_("Judul"), max_length=200, error_messages=REQUIRED)


STATUS_HELP = _("Draf → Berjalan (perlu minimal satu kegiatan) → Ditutup. Tidak bisa mundur.")


class PlanEditForm(VersionMixin, PlanForm):
    """Changes to a RAD: title, year (while a draft) and status (only forward)."""

    status = forms.ChoiceField(label=_("Status"), help_text=STATUS_HELP)

    def __init__(self, *args: Any, current_status: str = PlanStatus.DRAFT, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        order = list(PlanStatus.values)
        allowed = order[order.index(current_status) : order.index(current_status) + 2]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (value, PlanStatus(value).label) for value in allowed
        ]
        if current_status != PlanStatus.DRAFT:
            self.fields["year"].disabled = True


# ---------------------------------------------------------------- activities


class ActivityForm(AccessibleFormMixin, forms.Form):
    """An activity of a RAD: stage, title, responsible agency, target, budget and months."""

    stage = forms.ChoiceField(label=_("Tahap"), choices=CaseStage.choices)
    title = forms.CharField(label=_("Kegiatan"), max_length=200, error_messages=REQUIRED)
    description = forms.CharField(
        label=_("Uraian"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    agency = forms.ChoiceField(label=_("Penanggung jawab"), error_messages=REQUIRED)
    target = forms.CharField(
        label=_("Target"),
        max_length=200,
        error_messages=REQUIRED,
        help_text=_("Contoh: 4 kali dialog, 12 desa"),
    )
    budget = RupiahField(
        label=_("Anggaran (Rp)"),
        required=False,
        help_text=_("Tanpa sen, contoh: 1.250.000. Kosongkan bila tanpa anggaran."),
    )
    start_month = forms.TypedChoiceField(
        label=_("Bulan mulai"), choices=MONTH_CHOICES, coerce=int, initial=1
    )
    end_month = forms.TypedChoiceField(
        label=_("Bulan selesai"), choices=MONTH_CHOICES, coerce=int, initial=12
    )

    def __init__(self, *args: Any, agencies: Sequence[Agency] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agency_choices(agencies)  # type: ignore[attr-defined]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "stage": data["stage"],
            "title": data["title"],
            "description": data["description"],
            "agency_id": int(data["agency"]),
            "target": data["target"],
            "budget": data["budget"] or 0,
            "start_month": data["start_month"],
            "end_month": data["end_month"],
        }

    @staticmethod
    def initial_for(activity: PlanActivity) -> dict[str, Any]:
        return {
            "stage": activity.stage,
            "title": activity.title,
            "description": activity.description,
            "agency": str(activity.agency_id),
            "target": activity.target,
            "budget": f"{activity.budget:,}".replace(",", "."),
            "start_month": activity.start_month,
            "end_month": activity.end_month,
            "version": activity.version,
        }


class ActivityEditForm(VersionMixin, ActivityForm):
    pass


ACTIVITY_ALIASES = {"agency_id": "agency"}


# ---------------------------------------------------------------- progress report


class PlanReportForm(AccessibleFormMixin, forms.Form):
    """The report of one period: a summary and, per activity, the cumulative realisation (%),
    the cumulative budget spent and a note. Rows left without a percentage are not sent."""

    summary = forms.CharField(
        label=_("Ringkasan"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        activities: Sequence[PlanActivity] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.activities = list(activities)
        for activity in self.activities:
            key = activity.pk
            self.fields[f"p_{key}"] = forms.IntegerField(
                label=_("Realisasi fisik (%)"),
                required=False,
                min_value=0,
                max_value=100,
                widget=forms.NumberInput(attrs={"min": 0, "max": 100, "inputmode": "numeric"}),
                error_messages={
                    "invalid": _("Tulis bilangan bulat 0 sampai 100."),
                    "min_value": _("Tulis bilangan bulat 0 sampai 100."),
                    "max_value": _("Tulis bilangan bulat 0 sampai 100."),
                },
            )
            self.fields[f"s_{key}"] = RupiahField(
                label=_("Realisasi anggaran (Rp)"), required=False
            )
            self.fields[f"n_{key}"] = forms.CharField(
                label=_("Catatan"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @staticmethod
    def initial_for(
        activities: Sequence[PlanActivity],
        entries: Sequence[PlanReportEntry],
        previous: dict[int, tuple[int, int]],
        *,
        summary: str = "",
        version: int | None = None,
    ) -> dict[str, Any]:
        """The saved entries, or else the latest submitted figures (realisation is cumulative)."""
        initial: dict[str, Any] = {"summary": summary, "version": version}
        saved = {e.activity_id: e for e in entries}
        for activity in activities:
            entry = saved.get(activity.pk)
            if entry is not None:
                percent, spent, notes = entry.realisation_percent, entry.budget_spent, entry.notes
            elif activity.pk in previous:
                percent, spent = previous[activity.pk]
                notes = ""
            else:
                continue
            initial[f"p_{activity.pk}"] = percent
            initial[f"s_{activity.pk}"] = f"{spent:,}".replace(",", ".")
            initial[f"n_{activity.pk}"] = notes
        return initial

    def rows(self) -> list[dict[str, Any]]:
        """For the template: each activity with its three bound fields."""
        return [
            {
                "activity": a,
                "percent": self[f"p_{a.pk}"],
                "spent": self[f"s_{a.pk}"],
                "notes": self[f"n_{a.pk}"],
            }
            for a in self.activities
        ]

    def entries(self) -> tuple[list[dict[str, Any]], list[int]]:
        """The entries to save and, index by index, the activity each one is about."""
        data = self.cleaned_data
        entries: list[dict[str, Any]] = []
        order: list[int] = []
        for activity in self.activities:
            percent = data.get(f"p_{activity.pk}")
            if percent is None:
                continue
            entries.append(
                {
                    "activity_id": activity.pk,
                    "realisation_percent": percent,
                    "budget_spent": data.get(f"s_{activity.pk}") or 0,
                    "notes": data.get(f"n_{activity.pk}") or "",
                }
            )
            order.append(activity.pk)
        return entries, order

    def apply_errors(self, exc: InvalidInput, order: Sequence[int]) -> None:
        """Put "entries.<index>.<field>" messages next to that activity's inputs."""
        prefixes = {"realisation_percent": "p", "budget_spent": "s", "notes": "n"}
        if not exc.errors:
            self.add_error(None, exc.message)
            return
        for key, messages in exc.errors.items():
            parts = key.split(".")
            target: str | None = key if key in self.fields else None
            if len(parts) == 3 and parts[0] == "entries" and parts[1].isdigit():
                index = int(parts[1])
                prefix = prefixes.get(parts[2], "p")
                if index < len(order):
                    target = f"{prefix}_{order[index]}"
            for message in messages:
                self.add_error(target, message)


class EvidenceForm(forms.Form):
    """One evidence file for one entry (photo, PDF or office document)."""

    entry = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("Bukti"), error_messages={"required": _("Pilih berkas bukti.")})
    keep_location = forms.BooleanField(label=_("Simpan lokasi GPS foto"), required=False)
