"""Reads of Timdus, their action plans (RAD), activities and progress reports.

A Timdu is visible to users with "response.view" whose scope covers its area (the area itself or
one above it: a user of 62.71 sees the Timdu of 62.71 and those below, never the Timdu of 62),
and to the users of its member agencies (a Polres officer sees the Timdu the Polres sits in). Its
plans, activities, reports and entries are visible exactly when the Timdu is. Timdu data carries
no security classification: RAD documents are *biasa*. "Get by id" raises OutOfScope (404) for
what is missing and what is hidden alike.

The completion overview of a plan lives in `timdu_overview` and is re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from waspada.core.errors import InvalidInput, OutOfScope
from waspada.core.permissions import can
from waspada.core.scoping import scope_q, user_covers, user_scope_q
from waspada.response.access import member_agency_ids
from waspada.response.choices import CaseStage, PlanStatus, RadPeriod
from waspada.response.models import (
    ActionPlan,
    Evidence,
    PlanActivity,
    PlanReport,
    PlanReportEntry,
    Timdu,
    TimduMember,
)
from waspada.response.selectors.timdu_overview import (
    ActivityProgress,
    PeriodState,
    PlanFlags,
    PlanOverview,
    StageProgress,
    overview_of,
    plan_overview,
    plans_needing_reports,
    rupiah,
    timdu_rows,
)

VIEW_PERMISSION = "response.view"
MANAGE_PERMISSION = "response.manage"
REPORT_PERMISSION = "rad.report"

__all__ = [
    "ActivityProgress",
    "PeriodState",
    "PlanFlags",
    "PlanOverview",
    "StageProgress",
    "can_manage_timdu",
    "can_report_progress",
    "get_activity",
    "get_plan",
    "get_plan_report",
    "get_report_entry",
    "get_timdu",
    "is_timdu_member",
    "list_activities",
    "list_plan_reports",
    "list_plans",
    "list_timdus",
    "overview_of",
    "plan_activities",
    "plan_overview",
    "plan_report_for_period",
    "previous_figures",
    "plans_needing_reports",
    "report_entries",
    "rupiah",
    "timdu_members",
    "timdu_rows",
    "visible_plans",
    "visible_timdus",
]


# ---------------------------------------------------------------- who may do what


def is_timdu_member(user: Any, timdu: Timdu | int) -> bool:
    """True when the user belongs to one of the Timdu's member agencies."""
    mine = member_agency_ids(user)
    if not mine:
        return False
    timdu_id = timdu if isinstance(timdu, int) else timdu.pk
    return TimduMember.objects.filter(timdu_id=timdu_id, agency_id__in=mine).exists()


def can_see_timdu(user: Any, timdu: Timdu) -> bool:
    """True when the Timdu is visible to the user (scope, or membership of a member agency)."""
    if user is None or not user.is_authenticated:
        return False
    if not user.has_role_permission(VIEW_PERMISSION):
        return False
    return user_covers(user, timdu.area_id) or is_timdu_member(user, timdu)


def can_manage_timdu(user: Any, timdu: Timdu) -> bool:
    """True when the user may change the Timdu, its members, plans and activities."""
    return can(user, MANAGE_PERMISSION, timdu.area_id)


def can_report_progress(user: Any, timdu: Timdu) -> bool:
    """True when the user may fill in and submit the Timdu's RAD progress reports: "rad.report"
    and either the Timdu's area in scope or membership of one of its member agencies."""
    if user is None or not user.is_authenticated:
        return False
    if not user.has_role_permission(REPORT_PERMISSION):
        return False
    return user_covers(user, timdu.area_id) or is_timdu_member(user, timdu)


# ---------------------------------------------------------------- Timdus


def visible_timdus(user: Any) -> QuerySet[Timdu]:
    """Timdus in the user's scope and those a member agency of the user sits in (no ordering)."""
    if user is None or not user.is_authenticated:
        return Timdu.objects.none()
    if not user.has_role_permission(VIEW_PERMISSION):
        return Timdu.objects.none()
    condition = user_scope_q(user, "area__code")
    if condition is None:
        return Timdu.objects.all()
    mine = member_agency_ids(user)
    if mine:
        member_of = TimduMember.objects.filter(agency_id__in=mine).values("timdu_id")
        condition |= Q(pk__in=member_of)
    return Timdu.objects.filter(condition)


def _text(filters: Mapping[str, Any], name: str) -> str:
    value = filters.get(name)
    return str(value).strip() if value is not None else ""


def _int_filter(filters: Mapping[str, Any], name: str, errors: dict[str, list[str]]) -> int | None:
    raw = _text(filters, name)
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        errors[name] = [_("Harus berupa angka.")]
        return None


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise InvalidInput(_("Filter tidak valid."), errors)


def list_timdus(user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Timdu]:
    """Visible Timdus ordered by area, with `member_count`; filters: `area` (that area and
    below) and `q` (part of the name). Raises InvalidInput for an unusable filter."""
    filters = filters or {}
    qs = (
        visible_timdus(user)
        .select_related("area")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("area_id", "id")
    )
    area = _text(filters, "area")
    if area:
        qs = qs.filter(scope_q([area], "area__code"))
    text = _text(filters, "q")
    if text:
        qs = qs.filter(name__icontains=text)
    return qs


def get_timdu(user: Any, pk: int | str) -> Timdu:
    """One visible Timdu with its area. Raises OutOfScope (404) when missing or hidden."""
    try:
        return visible_timdus(user).select_related("area").get(pk=pk)
    except (Timdu.DoesNotExist, ValueError, TypeError):
        raise OutOfScope() from None


def timdu_members(user: Any, timdu: Timdu) -> list[TimduMember]:
    """The member agencies of a visible Timdu, chair first, then by role and name."""
    if not can_see_timdu(user, timdu):
        return []
    order = {"ketua": 0, "wakil_ketua": 1, "sekretaris": 2, "anggota": 3}
    rows = list(TimduMember.objects.filter(timdu=timdu).select_related("agency", "agency__area"))
    return sorted(rows, key=lambda m: (order.get(m.role, 9), m.agency.area_id, m.agency.name))


# ---------------------------------------------------------------- plans


def visible_plans(user: Any) -> QuerySet[ActionPlan]:
    """Plans of the visible Timdus (no ordering)."""
    if user is None or not user.is_authenticated:
        return ActionPlan.objects.none()
    return ActionPlan.objects.filter(timdu__in=visible_timdus(user))


def list_plans(user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[ActionPlan]:
    """Visible plans, newest year first, with `activity_count`; filters: `timdu` (id), `year`,
    `status`, `area` (the Timdu's area and below). Raises InvalidInput for an unusable filter."""
    filters = filters or {}
    errors: dict[str, list[str]] = {}
    qs = (
        visible_plans(user)
        .select_related("timdu", "timdu__area")
        .annotate(activity_count=Count("activities", distinct=True))
        .order_by("-year", "timdu__area_id", "id")
    )
    timdu = _int_filter(filters, "timdu", errors)
    year = _int_filter(filters, "year", errors)
    status = _text(filters, "status")
    if status and status not in PlanStatus.values:
        errors["status"] = [_("Status tidak dikenal.")]
    _raise(errors)
    if timdu is not None:
        qs = qs.filter(timdu_id=timdu)
    if year is not None:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    area = _text(filters, "area")
    if area:
        qs = qs.filter(scope_q([area], "timdu__area__code"))
    return qs


def get_plan(user: Any, pk: int | str) -> ActionPlan:
    """One visible plan with its Timdu and area. Raises OutOfScope (404) when missing or hidden."""
    try:
        return visible_plans(user).select_related("timdu", "timdu__area").get(pk=pk)
    except (ActionPlan.DoesNotExist, ValueError, TypeError):
        raise OutOfScope() from None


# ---------------------------------------------------------------- activities


def plan_activities(user: Any, plan: ActionPlan) -> list[PlanActivity]:
    """The activities of a visible plan with their agencies, by stage and order."""
    if not can_see_timdu(user, plan.timdu):
        return []
    rows = PlanActivity.objects.filter(plan=plan).select_related("agency", "agency__area")
    stages = list(CaseStage.values)  # pencegahan, penghentian, pemulihan: the order of UU 7/2012
    return sorted(rows, key=lambda a: (stages.index(a.stage), a.sort_order, a.pk))


def _visible_activities(user: Any) -> QuerySet[PlanActivity]:
    return PlanActivity.objects.filter(plan__in=visible_plans(user))


def list_activities(user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[PlanActivity]:
    """Visible activities (of one plan with `plan`, of one stage with `stage`), by plan, stage
    and order. Raises InvalidInput for an unusable filter."""
    filters = filters or {}
    errors: dict[str, list[str]] = {}
    plan = _int_filter(filters, "plan", errors)
    stage = _text(filters, "stage")
    if stage and stage not in CaseStage.values:
        errors["stage"] = [_("Tahap tidak dikenal.")]
    _raise(errors)
    qs = _visible_activities(user).select_related("agency", "plan", "plan__timdu")
    if plan is not None:
        qs = qs.filter(plan_id=plan)
    if stage:
        qs = qs.filter(stage=stage)
    return qs.order_by("plan_id", "stage", "sort_order", "id")


def get_activity(user: Any, pk: int | str) -> PlanActivity:
    """One visible activity with its plan, Timdu and agency; OutOfScope (404) otherwise."""
    try:
        return (
            _visible_activities(user)
            .select_related("plan", "plan__timdu", "plan__timdu__area", "agency")
            .get(pk=pk)
        )
    except (PlanActivity.DoesNotExist, ValueError, TypeError):
        raise OutOfScope() from None


# ---------------------------------------------------------------- progress reports


def _entries_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "entries",
        queryset=PlanReportEntry.objects.select_related("activity").prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("id"))
        ),
    )


def _visible_reports(user: Any) -> QuerySet[PlanReport]:
    return PlanReport.objects.filter(plan__in=visible_plans(user))


def list_plan_reports(user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[PlanReport]:
    """Visible progress reports (of one plan with `plan`, one period with `period`, one status
    with `status`), newest year first, periods in order. Raises InvalidInput for bad filters."""
    filters = filters or {}
    errors: dict[str, list[str]] = {}
    plan = _int_filter(filters, "plan", errors)
    period = _text(filters, "period")
    if period and period not in RadPeriod.values:
        errors["period"] = [_("Periode tidak dikenal (B04, B08 atau B12).")]
    status = _text(filters, "status")
    if status and status not in {"draft", "submitted"}:
        errors["status"] = [_("Status tidak dikenal.")]
    _raise(errors)
    qs = _visible_reports(user).select_related("plan", "plan__timdu", "submitted_by")
    if plan is not None:
        qs = qs.filter(plan_id=plan)
    if period:
        qs = qs.filter(period=period)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-plan__year", "plan_id", "period")


def get_plan_report(user: Any, pk: int | str) -> PlanReport:
    """One visible report with its plan and its entries (and their evidence); OutOfScope (404)
    when missing or hidden."""
    try:
        return (
            _visible_reports(user)
            .select_related("plan", "plan__timdu", "plan__timdu__area", "submitted_by")
            .prefetch_related(_entries_prefetch())
            .get(pk=pk)
        )
    except (PlanReport.DoesNotExist, ValueError, TypeError):
        raise OutOfScope() from None


def plan_report_for_period(user: Any, plan: ActionPlan, period: str) -> PlanReport | None:
    """The report of a visible plan for one period (with entries and evidence), or None."""
    if period not in RadPeriod.values or not can_see_timdu(user, plan.timdu):
        return None
    return (
        PlanReport.objects.filter(plan=plan, period=period)
        .select_related("submitted_by")
        .prefetch_related(_entries_prefetch())
        .first()
    )


def report_entries(user: Any, report: PlanReport) -> list[PlanReportEntry]:
    """The entries of a visible report with their activity and evidence, in activity order."""
    if not can_see_timdu(user, report.plan.timdu):
        return []
    rows = list(report.entries.all())
    stages = list(CaseStage.values)
    return sorted(
        rows, key=lambda e: (stages.index(e.activity.stage), e.activity.sort_order, e.activity_id)
    )


def get_report_entry(user: Any, pk: int | str) -> PlanReportEntry:
    """One visible report entry with its report, plan and Timdu; OutOfScope (404) otherwise."""
    try:
        return (
            PlanReportEntry.objects.filter(report__in=_visible_reports(user))
            .select_related("report", "report__plan", "report__plan__timdu", "activity")
            .get(pk=pk)
        )
    except (PlanReportEntry.DoesNotExist, ValueError, TypeError):
        raise OutOfScope() from None


def previous_figures(user: Any, plan: ActionPlan, period: str) -> dict[int, tuple[int, int, str]]:
    """{activity id: (percent, spent, period)} of the latest *submitted* period before `period`
    that reports the activity (the floor of a cumulative figure); empty when hidden."""
    if period not in RadPeriod.values or not can_see_timdu(user, plan.timdu):
        return {}
    order = list(RadPeriod.values)
    earlier = order[: order.index(period)]
    rows = (
        PlanReportEntry.objects.filter(
            report__plan=plan, report__status="submitted", report__period__in=earlier
        )
        .values_list("activity_id", "realisation_percent", "budget_spent", "report__period")
        .order_by("report__period")
    )
    return {activity: (percent, spent, when) for activity, percent, spent, when in rows}
