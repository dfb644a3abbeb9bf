"""Reads of agencies and their members.

An agency is visible to users whose scope covers its area, and to its own members. The agencies
that may be given a directive or a RAD activity in an area are those of the area itself, of its
ancestors and of its descendants that the user can see (`agencies_for_area`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from waspada.core.errors import OutOfScope
from waspada.core.scoping import ancestor_codes, scope_q, user_scope_q
from waspada.response.access import member_agency_ids
from waspada.response.models import Agency, AgencyMember


def visible_agencies(user: Any) -> QuerySet[Agency]:
    """Agencies in the user's scope, and those the user is a member of."""
    if user is None or not user.is_authenticated:
        return Agency.objects.none()
    if not user.has_role_permission("response.view"):
        return Agency.objects.none()
    condition = user_scope_q(user, "area__code")
    if condition is None:
        return Agency.objects.all()
    mine = member_agency_ids(user)
    if mine:
        condition |= Q(pk__in=mine)
    return Agency.objects.filter(condition)


def list_agencies(
    user: Any,
    *,
    area_code: str | None = None,
    include_ancestors: bool = False,
    kind: str | None = None,
    active: bool | None = True,
    q: str = "",
) -> QuerySet[Agency]:
    """Visible agencies, optionally of an area and everything below it (and its ancestors with
    `include_ancestors`), of one kind, active or not, matching a text; ordered by area and name."""
    qs = visible_agencies(user).select_related("area")
    if area_code:
        condition = scope_q([area_code], "area__code")
        if include_ancestors:
            condition |= Q(area__code__in=ancestor_codes(area_code))
        qs = qs.filter(condition)
    if kind:
        qs = qs.filter(kind=kind)
    if active is not None:
        qs = qs.filter(active=active)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    return qs.order_by("area_id", "name")


def agencies_for_area(user: Any, area_code: str) -> list[Agency]:
    """The active agencies that may act in `area_code`: those of the area, its ancestors and its
    descendants that the user can see, nearest levels first."""
    qs = list_agencies(user, area_code=area_code, include_ancestors=True)
    return sorted(
        qs, key=lambda a: (a.area_id.count(".") != area_code.count("."), a.area_id, a.name)
    )


def get_agency(user: Any, pk: int | str) -> Agency:
    """One visible agency with its members. Raises OutOfScope (404) when missing or hidden."""
    try:
        return (
            visible_agencies(user)
            .select_related("area")
            .prefetch_related(
                Prefetch("members", queryset=AgencyMember.objects.select_related("user"))
            )
            .get(pk=pk)
        )
    except (Agency.DoesNotExist, ValueError, TypeError):
        raise OutOfScope() from None


def is_member(user: Any, agency: Agency | int) -> bool:
    """True when `user` belongs to the agency."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    return agency_id in member_agency_ids(user)


def agency_members(agency: Agency | int) -> list[Any]:
    """The active users of an agency (for notifications; no scope check: callers hold the
    agency already)."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    return [
        m.user
        for m in AgencyMember.objects.filter(agency_id=agency_id, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    ]
