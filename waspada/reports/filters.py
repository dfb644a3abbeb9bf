"""The report list filters, shared by the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from waspada.accounts.validation import AREA_CODE
from waspada.core.scoping import scope_q
from waspada.reports.models import ReportStatus, ReportType, SituationReport


class AreaCodeFilter(django_filters.CharFilter):
    field_class = forms.RegexField


class ReportFilter(django_filters.FilterSet):
    """Area (and below), period (overlapping), type, status, nihil and text search."""

    area = AreaCodeFilter(
        label=_("Kode wilayah"),
        method="within_area",
        regex=AREA_CODE.pattern,
        error_messages={"invalid": _("Kode wilayah tidak valid, contoh: 62.71")},
        help_text=_("Termasuk wilayah di bawahnya."),
    )
    date_from = django_filters.DateFilter(
        label=_("Dari tanggal"),
        field_name="period_end",
        lookup_expr="gte",
        help_text=_("Laporan yang periodenya berakhir pada atau setelah tanggal ini."),
    )
    date_to = django_filters.DateFilter(
        label=_("Sampai tanggal"),
        field_name="period_start",
        lookup_expr="lte",
        help_text=_("Laporan yang periodenya dimulai pada atau sebelum tanggal ini."),
    )
    report_type = django_filters.MultipleChoiceFilter(
        label=_("Jenis laporan"), choices=ReportType.choices
    )
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=ReportStatus.choices)
    is_nihil = django_filters.BooleanFilter(label=_("Nihil"))
    q = django_filters.CharFilter(
        label=_("Cari judul, ringkasan atau nomor laporan"), method="search", max_length=100
    )

    class Meta:
        model = SituationReport
        fields = ["area", "date_from", "date_to", "report_type", "status", "is_nihil", "q"]

    def within_area(
        self, qs: QuerySet[SituationReport], name: str, value: str
    ) -> QuerySet[SituationReport]:
        return qs.filter(scope_q([value], "area__code")) if value else qs

    def search(self, qs: QuerySet[SituationReport], name: str, value: str) -> QuerySet[Any]:
        value = (value or "").strip()
        if not value:
            return qs
        condition = (
            Q(title__icontains=value)
            | Q(summary__icontains=value)
            | Q(introduction__icontains=value)
            | Q(opinion__icontains=value)
        )
        reference = value.upper().removeprefix("LAP-")
        if reference.isdigit():
            condition |= Q(pk=int(reference))
        return qs.filter(condition)
