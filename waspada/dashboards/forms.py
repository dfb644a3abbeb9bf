"""The dashboard's filter form: date, period and one term per classification axis."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waspada.events import selectors as event_selectors
from waspada.events.choices import Axis
from waspada.warnings.selectors import MAX_YEAR, MIN_YEAR, RiskParams

PERIODS = [(7, _("7 hari")), (30, _("30 hari")), (90, _("90 hari"))]
FILTER_AXES = [Axis.ASPECT, Axis.ATHG, Axis.UU7_SOURCE, Axis.SNPK]


class DashboardFilterForm(forms.Form):
    """GET parameters of /dasbor/ and its drill-down pages; the term fields hold term ids."""

    date = forms.DateField(
        label=_("Tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Tanggal tidak valid (contoh: 2026-03-31).")},
    )
    period = forms.TypedChoiceField(
        label=_("Periode"), choices=PERIODS, coerce=int, required=False, empty_value=None
    )

    def __init__(self, user: Any, data: Any, *, today: dt.date) -> None:
        super().__init__(data)
        self.today = today
        terms = event_selectors.list_terms(user, include_inactive=False).filter(
            axis__in=[str(a) for a in FILTER_AXES]
        )
        by_axis: dict[str, list[tuple[str, Any]]] = {str(a): [] for a in FILTER_AXES}
        for term in terms:
            by_axis[term.axis].append((str(term.pk), term.label))
        for axis in FILTER_AXES:
            self.fields[str(axis)] = forms.ChoiceField(
                label=axis.label,
                required=False,
                choices=[("", _("Semua")), *by_axis[str(axis)]],
                error_messages={"invalid_choice": _("Pilihan tidak dikenal.")},
            )

    def clean_date(self) -> dt.date:
        day: dt.date | None = self.cleaned_data.get("date")
        if day is None:
            return self.today
        if not (MIN_YEAR <= day.year <= MAX_YEAR):
            raise forms.ValidationError(_("Tanggal di luar rentang."))
        return day

    def params(self, parent: str | None = None) -> RiskParams:
        """The validated filters (call after `is_valid()`)."""
        data = self.cleaned_data
        terms = tuple(sorted(int(data[str(a)]) for a in FILTER_AXES if data.get(str(a))))
        return RiskParams(
            day=data["date"], period_days=int(data["period"] or 30), terms=terms, parent=parent
        )

    def query(self) -> str:
        """The filters as a query string for links (drill-down keeps the same filters)."""
        from django.http import QueryDict

        out = QueryDict(mutable=True)
        data = self.cleaned_data
        if self.data.get("date"):
            out["date"] = data["date"].isoformat()
        if self.data.get("period"):
            out["period"] = str(data["period"])
        for axis in FILTER_AXES:
            if data.get(str(axis)):
                out[str(axis)] = data[str(axis)]
        return out.urlencode()
