"""Reads for the home page: the user's areas and what lies inside them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from waspada.core.scoping import user_scope_q
from waspada.geo.choices import AreaLevel
from waspada.geo.models import Area


@dataclass(frozen=True)
class ScopeSummary:
    areas: list[Area]
    counts: dict[int, int]  # level -> number of areas of that level inside the scope
    areas_loaded: bool


def scope_summary(user: Any) -> ScopeSummary:
    """The user's own areas (the provinces for national scope) and area counts per level inside."""
    if user.has_national_scope:
        areas = list(Area.objects.filter(level=AreaLevel.PROVINCE).order_by("code"))
    else:
        areas = list(Area.objects.filter(code__in=user.scope_area_codes).order_by("code"))
    qs = Area.objects.all()
    condition = user_scope_q(user, "code")
    if condition is not None:
        qs = qs.filter(condition)
    counts = {row["level"]: row["n"] for row in qs.values("level").annotate(n=Count("code"))}
    return ScopeSummary(areas=areas, counts=counts, areas_loaded=Area.objects.exists())
