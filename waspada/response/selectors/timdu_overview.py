"""The completion overview of a RAD: activities by stage with their latest submitted
realisation, physical and financial realisation per stage and in total, and the state of each
four-monthly period report (submitted, draft, missing and flagged, or not yet due).

Figures come from *submitted* reports only: a draft is work in progress and counts for nothing.
Realisation is cumulative, so an activity's figure is the one of the latest submitted period that
reports it. Physical realisation is the budget-weighted mean of the activities' realisation (the
plain mean when no activity has a budget); financial realisation is spending over budget.

Visibility is checked through `selectors.timdu` (imported inside the functions: that module
re-exports this one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _

from waspada.core.errors import OutOfScope
from waspada.response.choices import CaseStage, PlanReportStatus, PlanStatus, RadPeriod
from waspada.response.models import ActionPlan, PlanActivity, PlanReport, PlanReportEntry, Timdu
from waspada.response.timdu_periods import (
    PERIODS,
    due_date,
    has_started,
    is_overdue,
    local_today,
    month_has_come,
    month_has_passed,
    period_end,
    period_label,
)

MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
STAGES: tuple[str, ...] = tuple(CaseStage.values)  # pencegahan, penghentian, pemulihan

# Activity states and period states (stable keys for the API; labels for the pages).
NOT_STARTED, ON_TRACK, LATE, DONE = "not_started", "on_track", "late", "done"
SUBMITTED, DRAFT, MISSING, NOT_DUE = "submitted", "draft", "missing", "not_due"


def rupiah(value: int | None) -> str:
    """Indonesian Rupiah with dots between thousands: 1250000 -> "Rp 1.250.000"."""
    return "Rp " + f"{int(value or 0):,}".replace(",", ".")


def _percent(numerator: Decimal, denominator: Decimal) -> float | None:
    """numerator/denominator as a percentage with one decimal (half up); None for 0/0."""
    if denominator == 0:
        return None
    value = (numerator * 100 / denominator).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return float(value)


def activity_state_label(state: str) -> str:
    return {
        NOT_STARTED: _("Belum mulai"),
        ON_TRACK: _("Sesuai jadwal"),
        LATE: _("Terlambat"),
        DONE: _("Selesai"),
    }.get(state, state)


def period_state_label(state: str) -> str:
    return {
        SUBMITTED: _("Sudah dilaporkan"),
        DRAFT: _("Draf"),
        MISSING: _("Belum dilaporkan"),
        NOT_DUE: _("Belum jatuh tempo"),
    }.get(state, state)


@dataclass
class MonthCell:
    """One month of an activity's 12-month schedule bar."""

    month: int
    label: str
    scheduled: bool
    current: bool


@dataclass
class ActivityProgress:
    """One activity with its latest submitted realisation and its state on `today`."""

    activity: PlanActivity
    realisation_percent: int
    budget_spent: int
    reported_in: str  # the period of the figure ("" when never reported)
    state: str
    months: list[MonthCell]

    @property
    def state_label(self) -> str:
        return activity_state_label(self.state)

    @property
    def budget_label(self) -> str:
        return rupiah(self.activity.budget)

    @property
    def spent_label(self) -> str:
        return rupiah(self.budget_spent)

    @property
    def schedule_label(self) -> str:
        first, last = self.activity.start_month, self.activity.end_month
        return MONTHS[first - 1] if first == last else f"{MONTHS[first - 1]}-{MONTHS[last - 1]}"


@dataclass
class StageProgress:
    """The activities of one stage and their realisation."""

    stage: str
    label: str
    activities: list[ActivityProgress]
    budget: int
    spent: int
    physical_percent: float | None
    financial_percent: float | None

    @property
    def budget_label(self) -> str:
        return rupiah(self.budget)

    @property
    def spent_label(self) -> str:
        return rupiah(self.spent)


@dataclass
class PeriodState:
    """The report of one period: submitted (when), draft, missing (flagged) or not yet due."""

    period: str
    label: str  # "B.04"
    name: str  # "B.04 (Januari-April)"
    state: str
    due_date: dt.date
    started: bool  # the period has begun: its report may be written
    report_id: int | None = None
    version: int | None = None
    submitted_at: dt.datetime | None = None
    has_draft: bool = False

    @property
    def flagged(self) -> bool:
        return self.state == MISSING

    @property
    def state_label(self) -> str:
        return period_state_label(self.state)


@dataclass
class PlanOverview:
    """Everything the plan page, the API's overview and the Timdu list show about a RAD."""

    plan: ActionPlan
    today: dt.date
    stages: list[StageProgress]
    periods: list[PeriodState]
    budget: int
    spent: int
    physical_percent: float | None
    financial_percent: float | None
    activity_count: int
    late_count: int
    missing: list[str] = field(default_factory=list)  # flagged periods

    @property
    def budget_label(self) -> str:
        return rupiah(self.budget)

    @property
    def spent_label(self) -> str:
        return rupiah(self.spent)


# ---------------------------------------------------------------- computing


def _latest_figures(reports: Iterable[PlanReport]) -> dict[int, tuple[int, int, str]]:
    """{activity id: (percent, spent, period)} from the latest submitted period reporting it."""
    figures: dict[int, tuple[int, int, str]] = {}
    submitted = sorted(
        (r for r in reports if r.status == PlanReportStatus.SUBMITTED),
        key=lambda r: PERIODS.index(r.period),
    )
    for report in submitted:
        for entry in report.entries.all():
            figures[entry.activity_id] = (
                entry.realisation_percent,
                entry.budget_spent,
                report.period,
            )
    return figures


def _activity_state(activity: PlanActivity, year: int, percent: int, today: dt.date) -> str:
    if percent >= 100:
        return DONE
    if month_has_passed(year, activity.end_month, today):
        return LATE
    if percent <= 0 or not month_has_come(year, activity.start_month, today):
        return NOT_STARTED
    return ON_TRACK


def _months(activity: PlanActivity, year: int, today: dt.date) -> list[MonthCell]:
    return [
        MonthCell(
            month=m,
            label=MONTHS[m - 1],
            scheduled=activity.start_month <= m <= activity.end_month,
            current=(today.year, today.month) == (year, m),
        )
        for m in range(1, 13)
    ]


def _physical(rows: Sequence[ActivityProgress]) -> float | None:
    if not rows:
        return None
    budget = sum((Decimal(r.activity.budget) for r in rows), Decimal(0))
    if budget:
        done = sum((Decimal(r.activity.budget) * r.realisation_percent for r in rows), Decimal(0))
        return _percent(done / 100, budget)
    total = sum((Decimal(r.realisation_percent) for r in rows), Decimal(0))
    return _percent(total / 100, Decimal(len(rows)))


def _period_states(
    plan: ActionPlan, reports: Iterable[PlanReport], today: dt.date
) -> list[PeriodState]:
    by_period = {r.period: r for r in reports}
    states: list[PeriodState] = []
    for period in PERIODS:
        report = by_period.get(period)
        state = NOT_DUE
        if report is not None and report.status == PlanReportStatus.SUBMITTED:
            state = SUBMITTED
        elif plan.status != PlanStatus.DRAFT and is_overdue(plan.year, period, today):
            state = MISSING  # a draft past its due day is missing all the same
        elif report is not None:
            state = DRAFT
        states.append(
            PeriodState(
                period=period,
                label=period_label(period),
                name=str(RadPeriod(period).label),
                state=state,
                due_date=due_date(plan.year, period),
                started=has_started(plan.year, period, today),
                report_id=report.pk if report is not None else None,
                version=report.version if report is not None else None,
                submitted_at=report.submitted_at if report is not None else None,
                has_draft=report is not None and report.status == PlanReportStatus.DRAFT,
            )
        )
    return states


def overview_of(plan: ActionPlan, today: dt.date | None = None) -> PlanOverview:
    """The overview of a plan the caller may already see (no check here; `plan_overview` checks).

    Uses the plan's prefetched `activities` (with `agency`) and `reports` (with `entries`) when
    present, so a list of plans prefetched once costs no query per plan.
    """
    if today is None:
        today = local_today(plan.timdu.area_id)
    activities = list(plan.activities.all())
    reports = list(plan.reports.all())
    figures = _latest_figures(reports)
    stages: list[StageProgress] = []
    rows_all: list[ActivityProgress] = []
    for stage in STAGES:
        rows: list[ActivityProgress] = []
        for activity in sorted(
            (a for a in activities if a.stage == stage), key=lambda a: (a.sort_order, a.pk)
        ):
            percent, spent, period = figures.get(activity.pk, (0, 0, ""))
            rows.append(
                ActivityProgress(
                    activity=activity,
                    realisation_percent=percent,
                    budget_spent=spent,
                    reported_in=period,
                    state=_activity_state(activity, plan.year, percent, today),
                    months=_months(activity, plan.year, today),
                )
            )
        budget = sum(r.activity.budget for r in rows)
        spent = sum(r.budget_spent for r in rows)
        stages.append(
            StageProgress(
                stage=stage,
                label=str(CaseStage(stage).label),
                activities=rows,
                budget=budget,
                spent=spent,
                physical_percent=_physical(rows),
                financial_percent=_percent(Decimal(spent), Decimal(budget)),
            )
        )
        rows_all.extend(rows)
    periods = _period_states(plan, reports, today)
    budget = sum(r.activity.budget for r in rows_all)
    spent = sum(r.budget_spent for r in rows_all)
    return PlanOverview(
        plan=plan,
        today=today,
        stages=stages,
        periods=periods,
        budget=budget,
        spent=spent,
        physical_percent=_physical(rows_all),
        financial_percent=_percent(Decimal(spent), Decimal(budget)),
        activity_count=len(rows_all),
        late_count=sum(1 for r in rows_all if r.state == LATE),
        missing=[p.period for p in periods if p.flagged],
    )


def overview_prefetch() -> list[Any]:
    """The prefetches `overview_of` reads (for lists of plans)."""
    return [
        Prefetch("activities", queryset=PlanActivity.objects.select_related("agency")),
        Prefetch(
            "reports",
            queryset=PlanReport.objects.prefetch_related(
                Prefetch("entries", queryset=PlanReportEntry.objects.all())
            ),
        ),
    ]


def plan_overview(user: Any, plan: ActionPlan, today: dt.date | None = None) -> PlanOverview:
    """The completion overview of a visible plan on `today` (the area's local date by default).

    Raises OutOfScope (404) when the plan's Timdu is not visible to the user.
    """
    from waspada.response.selectors.timdu import can_see_timdu

    if not can_see_timdu(user, plan.timdu):
        raise OutOfScope(plan.timdu.area_id)
    cache = getattr(plan, "_prefetched_objects_cache", None)
    if cache:  # always read the current figures, never those of an earlier call
        cache.pop("activities", None)
        cache.pop("reports", None)
    prefetch_related_objects([plan], *overview_prefetch())
    return overview_of(plan, today)


@dataclass
class PlanFlags:
    """A plan with reports to write: periods missing (flagged) and periods due now."""

    plan: ActionPlan
    missing: list[PeriodState]
    due: list[PeriodState]


def plans_needing_reports(user: Any, today: dt.date | None = None) -> list[PlanFlags]:
    """Visible active plans with a missing period report (past its due day, not submitted) or a
    period that has ended and whose report is not submitted yet; oldest need first.

    `today` applies to every plan when given; otherwise each plan's area's local date.
    """
    from waspada.response.selectors.timdu import visible_plans

    plans = (
        visible_plans(user)
        .filter(status=PlanStatus.ACTIVE)
        .select_related("timdu", "timdu__area")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=PlanReport.objects.only(
                    "id", "plan_id", "period", "status", "version", "submitted_at"
                ),
            )
        )
        .order_by("year", "timdu__area_id")
    )
    result: list[PlanFlags] = []
    for plan in plans:
        day = today or local_today(plan.timdu.area_id)
        states = _period_states(plan, plan.reports.all(), day)
        missing = [s for s in states if s.state == MISSING]
        due = [
            s
            for s in states
            if s.state in (NOT_DUE, DRAFT) and day > period_end(plan.year, s.period)
        ]
        if missing or due:
            result.append(PlanFlags(plan=plan, missing=missing, due=due))
    return result


@dataclass
class TimduRow:
    """A Timdu on the list page with its current plan and that plan's overview."""

    timdu: Timdu
    plan: ActionPlan | None
    overview: PlanOverview | None


def timdu_rows(user: Any, timdus: Iterable[Timdu], today: dt.date | None = None) -> list[TimduRow]:
    """The given visible Timdus with their current plan (this year's in the area's zone, else the
    latest) and its overview, in four queries for the whole page."""
    from waspada.response.selectors.timdu import visible_plans

    timdus = list(timdus)
    plans = (
        visible_plans(user)
        .filter(timdu__in=[t.pk for t in timdus])
        .select_related("timdu", "timdu__area")
        .prefetch_related(*overview_prefetch())
        .order_by("-year")
    )
    by_timdu: dict[int, list[ActionPlan]] = {}
    for plan in plans:
        by_timdu.setdefault(plan.timdu_id, []).append(plan)
    rows: list[TimduRow] = []
    for timdu in timdus:
        day = today or local_today(timdu.area_id)
        candidates = by_timdu.get(timdu.pk, [])
        current = next((p for p in candidates if p.year == day.year), None)
        current = current or (candidates[0] if candidates else None)
        rows.append(
            TimduRow(
                timdu=timdu,
                plan=current,
                overview=overview_of(current, day) if current is not None else None,
            )
        )
    return rows


__all__ = [
    "DONE",
    "DRAFT",
    "LATE",
    "MISSING",
    "MONTHS",
    "NOT_DUE",
    "NOT_STARTED",
    "ON_TRACK",
    "SUBMITTED",
    "ActivityProgress",
    "MonthCell",
    "PeriodState",
    "PlanFlags",
    "PlanOverview",
    "StageProgress",
    "TimduRow",
    "overview_of",
    "overview_prefetch",
    "plan_overview",
    "plans_needing_reports",
    "rupiah",
    "timdu_rows",
]
