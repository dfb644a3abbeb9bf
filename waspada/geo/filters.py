"""FilterSets for areas, shared by the API list and the area pages."""

from __future__ import annotations

import re

import django_filters
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from waspada.geo.choices import AreaLevel
from waspada.geo.models import Area

_CODE = re.compile(r"^\d{2}(\.\d{2}){0,2}(\.\d{4})?$")


class AreaFilter(django_filters.FilterSet):
    """`level` (province, regency, district, village) and `parent` (a dotted code)."""

    level = django_filters.ChoiceFilter(
        choices=[(level.slug, level.label) for level in AreaLevel],
        method="filter_level",
        label=_("Tingkat"),
        help_text=_("Tingkat wilayah: province, regency, district atau village."),
        error_messages={
            "invalid_choice": _(
                "Tingkat '%(value)s' tidak dikenal; pakai province, regency, district atau village."
            )
        },
    )
    parent = django_filters.CharFilter(
        field_name="parent_id",
        label=_("Kode induk"),
        help_text=_("Kode wilayah induk, misalnya 62.71: hanya anak langsungnya."),
        validators=[
            RegexValidator(_CODE, message=_("Kode induk harus kode wilayah, misalnya 62.71."))
        ],
    )

    class Meta:
        model = Area
        fields = ["level", "parent"]

    def filter_level(self, queryset: QuerySet[Area], name: str, value: str) -> QuerySet[Area]:
        return queryset.filter(level=AreaLevel.from_slug(value)) if value else queryset
