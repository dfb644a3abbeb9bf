"""Test helpers for Timdus and RADs: built directly (the services are what the tests test)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from waspada.accounts.roles import Role
from waspada.accounts.testing import ensure_area, make_user
from waspada.response.choices import (
    AgencyKind,
    CaseStage,
    PlanReportStatus,
    PlanStatus,
    TimduRole,
)
from waspada.response.models import (
    ActionPlan,
    Agency,
    PlanActivity,
    PlanReport,
    PlanReportEntry,
    Timdu,
    TimduMember,
)
from waspada.response.tests.factories import make_agency

# A moment inside the plan year 2026 in every zone: 15 June 2026, 03:00 UTC.
JUNE_2026 = dt.datetime(2026, 6, 15, 3, 0, tzinfo=dt.UTC)


def make_timdu(
    area_code: str = "62.71",
    name: str | None = None,
    *,
    members: Iterable[tuple[Agency, str]] = (),
    **fields: Any,
) -> Timdu:
    """The Timdu of `area_code` with member agencies given as (agency, role)."""
    area = ensure_area(area_code)
    timdu = Timdu.objects.create(area=area, name=name or f"Timdu PKS {area.name}", **fields)
    for agency, role in members:
        TimduMember.objects.create(timdu=timdu, agency=agency, role=role)
    return timdu


def make_plan(
    timdu: Timdu,
    year: int = 2026,
    *,
    status: str = PlanStatus.ACTIVE,
    title: str | None = None,
) -> ActionPlan:
    return ActionPlan.objects.create(
        timdu=timdu, year=year, status=status, title=title or f"RAD {year}"
    )


def make_activity(
    plan: ActionPlan,
    agency: Agency,
    *,
    stage: str = CaseStage.PREVENTION,
    title: str = "Dialog lintas tokoh",
    budget: int = 10_000_000,
    start_month: int = 1,
    end_month: int = 12,
    target: str = "4 kali dialog",
    sort_order: int = 0,
) -> PlanActivity:
    return PlanActivity.objects.create(
        plan=plan,
        agency=agency,
        stage=stage,
        title=title,
        budget=budget,
        start_month=start_month,
        end_month=end_month,
        target=target,
        sort_order=sort_order,
    )


def make_report(
    plan: ActionPlan,
    period: str = "B04",
    *,
    status: str = PlanReportStatus.SUBMITTED,
    entries: dict[PlanActivity, tuple[int, int]] | None = None,
    submitted_at: dt.datetime | None = None,
) -> PlanReport:
    """A report with entries {activity: (percent, spent)}; submitted by default."""
    submitted = status == PlanReportStatus.SUBMITTED
    report = PlanReport.objects.create(
        plan=plan,
        period=period,
        status=status,
        submitted_at=(submitted_at or timezone.now()) if submitted else None,
    )
    for activity, (percent, spent) in (entries or {}).items():
        PlanReportEntry.objects.create(
            report=report, activity=activity, realisation_percent=percent, budget_spent=spent
        )
    return report


def make_timdu_user(username: str, area_codes: list[str], agency: Agency | None = None) -> Any:
    """A user with the Timdu role (rad.report) in `area_codes`, acting for `agency`."""
    from waspada.response.tests.factories import add_member

    user = make_user(username, Role.TIMDU, area_codes, full_name=username.title())
    if agency is not None:
        add_member(agency, user)
    return user


def rad_6271() -> dict[str, Any]:
    """The Timdu of Kota Palangka Raya with Kesbangpol (chair) and the Polres, an active RAD
    2026 with two prevention activities and one recovery activity (budgets 10, 30 and 0 juta)."""
    kesbangpol = make_agency(
        "62.71", "Badan Kesbangpol Kota Palangka Raya", kind=AgencyKind.KESBANGPOL
    )
    polres = make_agency("62.71", "Polresta Palangka Raya", kind=AgencyKind.POLRI)
    timdu = make_timdu("62.71", members=[(kesbangpol, TimduRole.CHAIR), (polres, TimduRole.MEMBER)])
    plan = make_plan(timdu, 2026)
    dialog = make_activity(plan, kesbangpol, title="Dialog lintas tokoh", budget=10_000_000)
    patrol = make_activity(
        plan,
        polres,
        title="Patroli bersama",
        budget=30_000_000,
        start_month=3,
        end_month=6,
        sort_order=1,
    )
    recovery = make_activity(
        plan,
        kesbangpol,
        stage=CaseStage.RECOVERY,
        title="Rekonsiliasi warga",
        budget=0,
        start_month=9,
        end_month=11,
    )
    return {
        "kesbangpol": kesbangpol,
        "polres": polres,
        "timdu": timdu,
        "plan": plan,
        "dialog": dialog,
        "patrol": patrol,
        "recovery": recovery,
    }
