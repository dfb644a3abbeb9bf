"""Forms of the directive pages: issue, edit and cancel a directive; record a follow-up.

Forms only parse; the services decide (scope, permission, agencies of the area, due date, status
moves) and their InvalidInput messages are put back on the fields with `apply_errors`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waspada.core.classification import RANK, Classification
from waspada.core.errors import InvalidInput
from waspada.response.choices import DirectivePriority, FollowUpStatus
from waspada.response.models import Agency
from waspada.response.services.directive_common import FOLLOW_UP_NEXT

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _ServiceErrorsMixin:
    """Put a service's InvalidInput messages on the matching fields (the rest on the form)."""

    def apply_errors(self, exc: InvalidInput, aliases: dict[str, str] | None = None) -> None:
        form: Any = self
        names = aliases or {}
        if not exc.errors:
            form.add_error(None, exc.message)
            return
        for name, messages in exc.errors.items():
            target = names.get(name, name)
            for message in messages:
                form.add_error(target if target in form.fields else None, message)


def agency_choices(agencies: Iterable[Agency]) -> list[tuple[str, list[tuple[int, str]]]]:
    """Checkbox choices grouped by the agency's area ("62.71 Kota Palangka Raya")."""
    groups: dict[str, list[tuple[int, str]]] = {}
    labels: dict[str, str] = {}
    for agency in agencies:
        area = agency.area
        labels[agency.area_id] = f"{area.display_name} ({agency.area_id})"
        name = agency.name if not agency.short_name else f"{agency.name} ({agency.short_name})"
        groups.setdefault(agency.area_id, []).append((agency.pk, name))
    return [(labels[code], rows) for code, rows in groups.items()]


def classification_choices(user: Any) -> list[tuple[str, str]]:
    """The classifications the user may give (up to their own clearance)."""
    limit = 99 if getattr(user, "is_superuser", False) else RANK.get(user.clearance, 0)
    return [(str(c.value), str(c.label)) for c in Classification if RANK[c.value] <= limit]


class DirectiveForm(_ServiceErrorsMixin, forms.Form):
    """A new directive: title, instruction, agencies (checkboxes grouped by area), due date,
    priority and classification."""

    title = forms.CharField(label=_("Judul arahan"), max_length=200)
    instruction = forms.CharField(
        label=_("Isi arahan"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Apa yang harus dilakukan, oleh siapa, dan hasil yang diharapkan."),
    )
    agencies = forms.TypedMultipleChoiceField(
        label=_("Instansi pelaksana"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih sedikitnya satu instansi.")},
    )
    due_date = forms.DateField(
        label=_("Batas waktu"),
        widget=DATE_INPUT,
        error_messages={"invalid": _("Tanggal tidak valid (contoh: 2026-03-05).")},
    )
    priority = forms.ChoiceField(
        label=_("Prioritas"), choices=DirectivePriority.choices, initial=DirectivePriority.NORMAL
    )
    classification = forms.ChoiceField(label=_("Klasifikasi"), initial=Classification.BIASA)

    def __init__(
        self,
        *args: Any,
        agencies: Iterable[Agency] = (),
        user: Any = None,
        minimum_classification: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        agency_field: Any = self.fields["agencies"]
        agency_field.choices = agency_choices(agencies)
        choices = classification_choices(user) if user is not None else []
        if minimum_classification:
            floor = RANK.get(minimum_classification, 0)
            choices = [c for c in choices if RANK[c[0]] >= floor]
        classification: Any = self.fields["classification"]
        classification.choices = choices
        classification.help_text = _(
            "Paling rendah setara klasifikasi kejadian atau kasusnya; arahan rahasia hanya "
            "terlihat oleh pengguna yang berizin."
        )

    def agency_groups(self) -> list[dict[str, Any]]:
        """The agency checkboxes by area, with their checked state (for the template)."""
        bound = self["agencies"]
        chosen = {str(v) for v in (bound.value() or [])}
        field: Any = self.fields["agencies"]
        return [
            {
                "label": label,
                "options": [
                    {
                        "value": pk,
                        "label": name,
                        "checked": str(pk) in chosen,
                        "id": f"{bound.auto_id}_{pk}",
                    }
                    for pk, name in options
                ],
            }
            for label, options in field.choices
        ]


class DirectiveEditForm(_ServiceErrorsMixin, forms.Form):
    """Change an open directive (the version guards against overwriting someone else)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Judul arahan"), max_length=200)
    instruction = forms.CharField(label=_("Isi arahan"), widget=forms.Textarea(attrs={"rows": 6}))
    due_date = forms.DateField(
        label=_("Batas waktu"),
        widget=DATE_INPUT,
        error_messages={"invalid": _("Tanggal tidak valid (contoh: 2026-03-05).")},
    )
    priority = forms.ChoiceField(label=_("Prioritas"), choices=DirectivePriority.choices)


class CancelForm(_ServiceErrorsMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Alasan pembatalan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class FollowUpForm(_ServiceErrorsMixin, forms.Form):
    """One follow-up of an assignment. Files are read from the request (`files`, several)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"))
    progress = forms.IntegerField(
        label=_("Kemajuan (%)"),
        min_value=0,
        max_value=100,
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
        error_messages={
            "min_value": _("Kemajuan berupa angka 0 sampai 100."),
            "max_value": _("Kemajuan berupa angka 0 sampai 100."),
            "invalid": _("Kemajuan berupa angka 0 sampai 100."),
        },
    )
    note = forms.CharField(
        label=_("Catatan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Apa yang sudah dilakukan, hasilnya, dan langkah berikutnya."),
    )
    reason = forms.CharField(
        label=_("Alasan (wajib bila tidak dapat dilaksanakan)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    keep_location = forms.BooleanField(
        label=_("Simpan lokasi GPS pada foto"),
        required=False,
        help_text=_("Tanpa centang, data lokasi dan metadata lain dihapus dari foto."),
    )

    def __init__(self, *args: Any, current_status: str = FollowUpStatus.PLANNED, **kwargs: Any):
        super().__init__(*args, **kwargs)
        allowed = FOLLOW_UP_NEXT.get(current_status, frozenset())
        status: Any = self.fields["status"]
        status.choices = [(s.value, s.label) for s in FollowUpStatus if s.value in allowed]
        if FollowUpStatus.IN_PROGRESS in allowed:
            status.initial = FollowUpStatus.IN_PROGRESS


def default_due_date(today: dt.date) -> dt.date:
    """Three days ahead: the usual time given to agencies."""
    return today + dt.timedelta(days=3)
