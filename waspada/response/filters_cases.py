"""Filters of conflict cases, shared by the case list page and the API (django-filter).

The queryset handed in is already scoped by `selectors.cases.visible_cases`; filters only narrow
it: status, stage, area (and everything below it), root cause (a UU 7/2012 source term code),
whether a status keadaan konflik is in force, and text (title, summary or the KSS reference).
"""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from waspada.core.scoping import scope_q
from waspada.response.choices import CaseStage, CaseStatus, ConflictStatusState
from waspada.response.models import ConflictStatus

AREA_CODE_REGEX = r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"
REFERENCE = re.compile(r"^\s*(?:KSS-?)?0*(\d{1,9})\s*$", re.IGNORECASE)
YES_NO = [("ya", _("Ya")), ("tidak", _("Tidak"))]


class AreaCodeFilter(django_filters.CharFilter):
    field_class = forms.RegexField


class CaseFilter(django_filters.FilterSet):
    """Cases by status, stage, area (and below), root cause, status in force, text."""

    q = django_filters.CharFilter(
        label=_("Cari judul, ringkasan atau nomor kasus"), method="search", max_length=200
    )
    status = django_filters.ChoiceFilter(
        label=_("Status kasus"), choices=CaseStatus.choices, empty_label=_("Semua")
    )
    stage = django_filters.ChoiceFilter(
        label=_("Tahap"), choices=CaseStage.choices, empty_label=_("Semua")
    )
    area = AreaCodeFilter(
        label=_("Kode wilayah"),
        method="within_area",
        regex=AREA_CODE_REGEX,
        error_messages={"invalid": _("Kode wilayah tidak valid, contoh: 62.71")},
        help_text=_("Termasuk wilayah di bawahnya."),
    )
    root_cause = django_filters.CharFilter(
        label=_("Akar masalah (kode istilah UU 7/2012)"), field_name="root_cause__code"
    )
    active_status = django_filters.ChoiceFilter(
        label=_("Status keadaan konflik berlaku"),
        choices=YES_NO,
        method="with_active_status",
        empty_label=_("Semua"),
    )

    def within_area(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return qs.filter(scope_q([value], "area__code")) if value else qs

    def search(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        text = (value or "").strip()
        if not text:
            return qs
        condition = Q(title__icontains=text) | Q(summary__icontains=text)
        match = REFERENCE.match(text)
        if match:
            condition |= Q(pk=int(match.group(1)))
        return qs.filter(condition)

    def with_active_status(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if not value:
            return qs
        in_force = ConflictStatus.objects.filter(
            case=OuterRef("pk"), state=ConflictStatusState.ACTIVE
        )
        return qs.filter(Exists(in_force)) if value == "ya" else qs.exclude(Exists(in_force))
