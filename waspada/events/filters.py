"""Item and event filters, shared by the list pages and the API (django-filter).

Every axis filter takes a term code, or several separated by commas ("ekonomi,politik"). The
querysets handed in are already scoped by the selectors; filters only narrow them. Filters that
look inside items (text, axes) only look at items the viewer may see, so a hidden item can never
make its event show up in a list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from waspada.core.scoping import scope_q
from waspada.events import search, selectors
from waspada.events.choices import Classification, EventStatus, ItemKind, ItemStatus
from waspada.events.models import Event, Item

AREA_CODE_REGEX = r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"
CODES_REGEX = r"^[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*$"

# filter name -> (item lookup of the term code, label)
AXIS_FILTERS: dict[str, tuple[str, Any]] = {
    "aspect": ("aspect__code", _("Aspek")),
    "athg": ("athg__code", _("ATHG")),
    "uu7_source": ("uu7_source__code", _("Sumber konflik (UU 7/2012)")),
    "snpk": ("snpk__code", _("Kategori kekerasan (SNPK)")),
    "acled_type": ("acled_type__code", _("Jenis kejadian (ACLED)")),
    "acled_subtype": ("acled_subtype__code", _("Sub-jenis kejadian (ACLED)")),
    "election_type": ("election_type__code", _("Jenis pemilihan")),
    "election_stage": ("election_stage__code", _("Tahapan pemilihan")),
    "election_issue": ("election_issues__code", _("Isu pemilihan")),
    "actor_type": ("actors__actor_type__code", _("Jenis aktor")),
    "source_reliability": ("source_reliability__code", _("Keandalan sumber")),
    "info_credibility": ("info_credibility__code", _("Kebenaran informasi")),
}


class AreaCodeFilter(django_filters.CharFilter):
    field_class = forms.RegexField


class CodesFilter(django_filters.CharFilter):
    field_class = forms.RegexField


def _area_filter() -> AreaCodeFilter:
    return AreaCodeFilter(
        label=_("Kode wilayah"),
        method="within_area",
        regex=AREA_CODE_REGEX,
        error_messages={"invalid": _("Kode wilayah tidak valid, contoh: 62.71")},
        help_text=_("Termasuk wilayah di bawahnya."),
    )


def _codes_filter(label: Any) -> CodesFilter:
    return CodesFilter(
        label=label,
        method="by_axis",
        regex=CODES_REGEX,
        error_messages={"invalid": _("Kode tidak valid; pisahkan beberapa kode dengan koma.")},
        help_text=_("Kode istilah; beberapa kode dipisah koma."),
    )


def _date_filter(label: Any, method: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        label=label,
        method=method,
        error_messages={"invalid": _("Tanggal tidak valid (contoh: 2026-03-01).")},
    )


def _codes(value: str) -> list[str]:
    return [c for c in value.split(",") if c]


class _ViewerFilterSet(django_filters.FilterSet):
    """A FilterSet that knows its viewer (from the request, or given by a selector)."""

    def __init__(
        self,
        data: Any = None,
        queryset: Any = None,
        *,
        request: Any = None,
        prefix: str | None = None,
        viewer: Any = None,
    ) -> None:
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.viewer = viewer if viewer is not None else getattr(request, "user", None)

    def within_area(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return qs.filter(scope_q([value], selectors.AREA_LOOKUP)) if value else qs


class ItemFilter(_ViewerFilterSet):
    """Items by area (and below), occurrence period, status, kind, every axis, text."""

    q = django_filters.CharFilter(
        label=_("Cari judul atau kronologi"), method="search", max_length=200
    )
    area = _area_filter()
    occurred_from = _date_filter(_("Terjadi sejak"), "occurred_since")
    occurred_to = _date_filter(_("Terjadi sampai"), "occurred_until")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ItemStatus.choices, empty_label=_("Semua")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Jenis butir"), choices=ItemKind.choices, empty_label=_("Semua")
    )
    classification = django_filters.ChoiceFilter(
        label=_("Klasifikasi"), choices=Classification.choices, empty_label=_("Semua")
    )
    event = django_filters.NumberFilter(label=_("Nomor kejadian"), field_name="event_id")
    report = django_filters.NumberFilter(label=_("Nomor laporan"), field_name="report_id")
    aspect = _codes_filter(AXIS_FILTERS["aspect"][1])
    athg = _codes_filter(AXIS_FILTERS["athg"][1])
    uu7_source = _codes_filter(AXIS_FILTERS["uu7_source"][1])
    snpk = _codes_filter(AXIS_FILTERS["snpk"][1])
    acled_type = _codes_filter(AXIS_FILTERS["acled_type"][1])
    acled_subtype = _codes_filter(AXIS_FILTERS["acled_subtype"][1])
    election_type = _codes_filter(AXIS_FILTERS["election_type"][1])
    election_stage = _codes_filter(AXIS_FILTERS["election_stage"][1])
    election_issue = _codes_filter(AXIS_FILTERS["election_issue"][1])
    actor_type = _codes_filter(AXIS_FILTERS["actor_type"][1])
    source_reliability = _codes_filter(AXIS_FILTERS["source_reliability"][1])
    info_credibility = _codes_filter(AXIS_FILTERS["info_credibility"][1])

    class Meta:
        model = Item
        fields = [
            "q",
            "area",
            "occurred_from",
            "occurred_to",
            "status",
            "kind",
            "classification",
            "event",
            "report",
            *AXIS_FILTERS,
        ]

    def search(self, qs: QuerySet[Item], name: str, value: str) -> QuerySet[Item]:
        return search.search_items(qs, value)

    def occurred_since(self, qs: QuerySet[Item], name: str, value: dt.date) -> QuerySet[Item]:
        lo, _hi = selectors.period_bounds(value, None)
        return qs.filter(occurred_at__gte=lo) if lo else qs

    def occurred_until(self, qs: QuerySet[Item], name: str, value: dt.date) -> QuerySet[Item]:
        _lo, hi = selectors.period_bounds(None, value)
        return qs.filter(occurred_at__lt=hi) if hi else qs

    def by_axis(self, qs: QuerySet[Item], name: str, value: str) -> QuerySet[Item]:
        codes = _codes(value)
        if not codes:
            return qs
        lookup = AXIS_FILTERS[name][0]
        if "__" in lookup.removesuffix("__code"):  # many-valued: match without repeating rows
            inner = Item.objects.filter(**{f"{lookup}__in": codes}).values("pk")
            return qs.filter(pk__in=inner)
        return qs.filter(**{f"{lookup}__in": codes})


class EventFilter(_ViewerFilterSet):
    """Events by area (and below), period (occurrence windows that overlap it), status,
    classification, the axes and text of their items the viewer may see."""

    q = django_filters.CharFilter(
        label=_("Cari judul atau kronologi"), method="search", max_length=200
    )
    area = _area_filter()
    occurred_from = _date_filter(_("Terjadi sejak"), "occurred_since")
    occurred_to = _date_filter(_("Terjadi sampai"), "occurred_until")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=EventStatus.choices, empty_label=_("Semua")
    )
    classification = django_filters.ChoiceFilter(
        label=_("Klasifikasi"), choices=Classification.choices, empty_label=_("Semua")
    )
    aspect = _codes_filter(AXIS_FILTERS["aspect"][1])
    athg = _codes_filter(AXIS_FILTERS["athg"][1])
    uu7_source = _codes_filter(AXIS_FILTERS["uu7_source"][1])
    snpk = _codes_filter(AXIS_FILTERS["snpk"][1])
    acled_type = _codes_filter(AXIS_FILTERS["acled_type"][1])
    acled_subtype = _codes_filter(AXIS_FILTERS["acled_subtype"][1])
    election_type = _codes_filter(AXIS_FILTERS["election_type"][1])
    election_stage = _codes_filter(AXIS_FILTERS["election_stage"][1])
    election_issue = _codes_filter(AXIS_FILTERS["election_issue"][1])
    actor_type = _codes_filter(AXIS_FILTERS["actor_type"][1])

    class Meta:
        model = Event
        fields = [
            "q",
            "area",
            "occurred_from",
            "occurred_to",
            "status",
            "classification",
            "aspect",
            "athg",
            "uu7_source",
            "snpk",
            "acled_type",
            "acled_subtype",
            "election_type",
            "election_stage",
            "election_issue",
            "actor_type",
        ]

    def _items(self) -> QuerySet[Item]:
        return selectors.visible_items(self.viewer)

    def search(self, qs: QuerySet[Event], name: str, value: str) -> QuerySet[Event]:
        return search.search_events(qs, self._items(), value)

    def occurred_since(self, qs: QuerySet[Event], name: str, value: dt.date) -> QuerySet[Event]:
        lo, _hi = selectors.period_bounds(value, None)
        return qs.filter(last_occurred_at__gte=lo) if lo else qs

    def occurred_until(self, qs: QuerySet[Event], name: str, value: dt.date) -> QuerySet[Event]:
        _lo, hi = selectors.period_bounds(None, value)
        return qs.filter(first_occurred_at__lt=hi) if hi else qs

    def by_axis(self, qs: QuerySet[Event], name: str, value: str) -> QuerySet[Event]:
        codes = _codes(value)
        if not codes:
            return qs
        lookup = AXIS_FILTERS[name][0]
        inner = self._items().filter(**{f"{lookup}__in": codes}).values("event_id")
        return qs.filter(Q(pk__in=inner))
