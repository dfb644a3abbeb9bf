"""Test helpers shared by the response tests: agencies and their members."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from waspada.accounts.testing import ensure_area
from waspada.response.access import forget_memberships
from waspada.response.choices import AgencyKind
from waspada.response.models import Agency, AgencyMember


def make_agency(
    area_code: str,
    name: str | None = None,
    *,
    kind: str = AgencyKind.OPD,
    members: Iterable[Any] = (),
    **fields: Any,
) -> Agency:
    """An active agency of `area_code` (created with its area if needed), with `members`."""
    area = ensure_area(area_code)
    agency = Agency.objects.create(
        area=area, kind=kind, name=name or f"Instansi {kind} {area_code}", **fields
    )
    for user in members:
        AgencyMember.objects.create(agency=agency, user=user)
        forget_memberships(user)
    return agency


def add_member(agency: Agency, user: Any, position: str = "") -> AgencyMember:
    member = AgencyMember.objects.create(agency=agency, user=user, position=position)
    forget_memberships(user)
    return member
