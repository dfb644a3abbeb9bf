"""The user list filters, shared by the page and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from waspada.accounts.models import User
from waspada.accounts.roles import Role
from waspada.accounts.selectors import list_users_in_area
from waspada.accounts.validation import AREA_CODE

AREA_CODE_REGEX = AREA_CODE.pattern


class AreaCodeFilter(django_filters.CharFilter):
    field_class = forms.RegexField


class UserFilter(django_filters.FilterSet):
    """Search by name or username, filter by role, area (and below) and status."""

    q = django_filters.CharFilter(
        label=_("Cari nama atau nama pengguna"), method="search", max_length=100
    )
    role = django_filters.ChoiceFilter(
        label=_("Peran"), choices=Role.choices, empty_label=_("Semua")
    )
    area = AreaCodeFilter(
        label=_("Kode wilayah"),
        method="within_area",
        regex=AREA_CODE_REGEX,
        error_messages={"invalid": _("Kode wilayah tidak valid, contoh: 62.71")},
        help_text=_("Termasuk wilayah di bawahnya."),
    )
    is_active = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("true", _("Aktif")), ("false", _("Nonaktif"))],
        method="active_state",
        empty_label=_("Semua"),
    )

    class Meta:
        model = User
        fields = ["q", "role", "area", "is_active"]

    def search(self, qs: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        value = value.strip()
        if not value:
            return qs
        return qs.filter(Q(username__icontains=value) | Q(full_name__icontains=value))

    def within_area(self, qs: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return list_users_in_area(qs, value) if value else qs

    def active_state(self, qs: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return qs.filter(is_active=value == "true") if value else qs
