"""The directive filter, shared by the list page and the API (django-filter).

The queryset handed in is already scoped by `selectors.directives.visible_directives`; the
filters only narrow it. `overdue` compares with the FilterSet's `now` (the selector passes it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waspada.core.scoping import scope_q
from waspada.response.access import member_agency_ids
from waspada.response.choices import DirectivePriority, DirectiveStatus
from waspada.response.models import Agency, Directive, DirectiveAssignment

AREA_CODE_REGEX = r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"
YES_NO = (("true", _("Ya")), ("false", _("Tidak")))


class AreaCodeFilter(django_filters.CharFilter):
    field_class = forms.RegexField


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter answered by "true"/"false" (also "1"/"0"), shown as a select."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Select(choices=[("", _("Semua")), *YES_NO]))
        super().__init__(*args, **kwargs)


class _YesNoField(forms.NullBooleanField):
    """NullBooleanField that also reads "1"/"0"."""

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]  # None = no filter
        if value in ("1", 1):
            return True
        if value in ("0", 0):
            return False
        return super().to_python(value)


YesNoFilter.field_class = _YesNoField


class DirectiveFilter(django_filters.FilterSet):
    """Directives by status, overdue, area (and below), agency, priority, subject, mine, text."""

    q = django_filters.CharFilter(label=_("Cari judul atau isi"), method="search", max_length=200)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=DirectiveStatus.choices, empty_label=_("Semua")
    )
    overdue = YesNoFilter(label=_("Lewat batas waktu"), method="by_overdue")
    area = AreaCodeFilter(
        label=_("Kode wilayah"),
        method="within_area",
        regex=AREA_CODE_REGEX,
        error_messages={"invalid": _("Kode wilayah tidak valid, contoh: 62.71")},
        help_text=_("Termasuk wilayah di bawahnya."),
    )
    agency = django_filters.ModelChoiceFilter(
        label=_("Instansi"),
        queryset=Agency.objects.none(),
        method="by_agency",
        empty_label=_("Semua"),
    )
    priority = django_filters.ChoiceFilter(
        label=_("Prioritas"), choices=DirectivePriority.choices, empty_label=_("Semua")
    )
    alert = django_filters.NumberFilter(label=_("Peringatan"), field_name="alert_id")
    event = django_filters.NumberFilter(label=_("Kejadian"), field_name="event_id")
    case = django_filters.NumberFilter(label=_("Kasus"), field_name="case_id")
    issued_by_me = YesNoFilter(label=_("Arahan saya"), method="by_issuer")
    assigned_to_me = YesNoFilter(label=_("Untuk instansi saya"), method="by_my_agencies")

    class Meta:
        model = Directive
        fields: list[str] = []

    def __init__(
        self,
        data: Any = None,
        queryset: Any = None,
        *,
        request: Any = None,
        prefix: str | None = None,
        viewer: Any = None,
        now: dt.datetime | None = None,
    ) -> None:
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.viewer = viewer if viewer is not None else getattr(request, "user", None)
        self.now = now or timezone.now()
        self.filters["agency"].queryset = agency_choices(self.viewer, self.queryset)

    def search(self, qs: QuerySet[Directive], name: str, value: str) -> QuerySet[Directive]:
        for word in value.split():
            qs = qs.filter(Q(title__icontains=word) | Q(instruction__icontains=word))
        return qs

    def by_overdue(
        self, qs: QuerySet[Directive], name: str, value: bool | None
    ) -> QuerySet[Directive]:
        if value is None:
            return qs
        late = Q(status=DirectiveStatus.OPEN, due_at__lt=self.now)
        return qs.filter(late) if value else qs.exclude(late)

    def within_area(self, qs: QuerySet[Directive], name: str, value: str) -> QuerySet[Directive]:
        return qs.filter(scope_q([value], "area__code")) if value else qs

    def by_agency(
        self, qs: QuerySet[Directive], name: str, value: Agency | None
    ) -> QuerySet[Directive]:
        if value is None:
            return qs
        assigned = DirectiveAssignment.objects.filter(directive=OuterRef("pk"), agency=value)
        return qs.filter(Exists(assigned))

    def by_issuer(
        self, qs: QuerySet[Directive], name: str, value: bool | None
    ) -> QuerySet[Directive]:
        if value is None or self.viewer is None:
            return qs
        mine = Q(issued_by_id=self.viewer.pk)
        return qs.filter(mine) if value else qs.exclude(mine)

    def by_my_agencies(
        self, qs: QuerySet[Directive], name: str, value: bool | None
    ) -> QuerySet[Directive]:
        if value is None:
            return qs
        agencies = member_agency_ids(self.viewer)
        assigned = DirectiveAssignment.objects.filter(
            directive=OuterRef("pk"), agency_id__in=list(agencies)
        )
        return qs.filter(Exists(assigned)) if value else qs.exclude(Exists(assigned))


def agency_choices(viewer: Any, directives: QuerySet[Directive] | None) -> QuerySet[Agency]:
    """The agencies to filter by: those assigned to any directive the viewer can see (the list
    grows with the directives, not with every agency in the country)."""
    if directives is None:
        return Agency.objects.none()
    assigned = DirectiveAssignment.objects.filter(
        directive__in=directives.order_by().values("pk")
    ).values("agency_id")
    return Agency.objects.filter(pk__in=assigned).order_by("area_id", "name")
