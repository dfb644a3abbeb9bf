"""Reads of conflict cases, their status keadaan konflik and recovery activities.

Every function takes the viewer first. A case is visible when the viewer has "response.view",
its area lies inside the viewer's scope and the viewer is cleared for its classification; its
statuses, stage history and recovery activities follow the case. Hidden cases do not exist for
the viewer: lists and counts leave them out and "get by id" raises OutOfScope (404).

Days of a status are counted in the zone of the case's area: day 1 is the start date, and a
status whose end date is today has 0 days left (today is its last day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from waspada.core.errors import InvalidInput, OutOfScope
from waspada.core.scoping import user_scope_q
from waspada.events import selectors as event_selectors
from waspada.events.models import Event
from waspada.geo.zones import zone_for
from waspada.response.access import allowed_classifications, can_read
from waspada.response.choices import CaseStage, ConflictStatusState, RecoveryKind
from waspada.response.models import (
    CaseEvent,
    CaseParty,
    CaseStageChange,
    ConflictCase,
    ConflictStatus,
    Evidence,
    RecoveryActivity,
)

VIEW_PERMISSION = "response.view"
MANAGE_PERMISSION = "cases.manage"


def _may_view(user: Any) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.has_role_permission(VIEW_PERMISSION)
    )


def local_today(area_code: str, now: dt.datetime | None = None) -> dt.date:
    """Today in the zone of `area_code`."""
    return (now or timezone.now()).astimezone(zone_for(area_code)).date()


def can_manage(user: Any, case: ConflictCase) -> bool:
    """True when `user` may change `case` (the pages show the forms only then)."""
    return bool(
        can_read(user, case.area_id, case.classification)
        and user.has_role_permission(MANAGE_PERMISSION)
    )


# ---------------------------------------------------------------- cases


def visible_cases(user: Any) -> QuerySet[ConflictCase]:
    """Cases in the viewer's scope and clearance (no ordering or joins added)."""
    if not _may_view(user):
        return ConflictCase.objects.none()
    return ConflictCase.objects.visible_to(user).filter(
        classification__in=allowed_classifications(user)
    )


def _with_list_details(qs: QuerySet[ConflictCase]) -> QuerySet[ConflictCase]:
    in_force = ConflictStatus.objects.filter(case=OuterRef("pk"), state=ConflictStatusState.ACTIVE)
    return qs.select_related("area", "root_cause", "opened_by").annotate(
        event_count=Count("case_events", distinct=True),
        has_status_in_force=Exists(in_force),
    )


def list_cases(user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[ConflictCase]:
    """Visible cases, newest opened first, narrowed by `CaseFilter` (status, stage, area and
    below, root cause, status in force, text); each with `event_count` and
    `has_status_in_force`.

    Raises InvalidInput with per-field messages when a filter value is invalid.
    """
    from waspada.response.filters_cases import CaseFilter

    qs = _with_list_details(visible_cases(user)).order_by("-opened_at", "-id")
    if not filters:
        return qs
    filterset = CaseFilter(filters, queryset=qs)
    if not filterset.is_valid():
        raise InvalidInput(
            "Filter tidak valid.",
            {k: [str(m) for m in v] for k, v in filterset.errors.items()},
        )
    result: QuerySet[ConflictCase] = filterset.qs
    return result


def get_case(user: Any, pk: int | str) -> ConflictCase:
    """One visible case. Raises OutOfScope (404) when it is missing, out of scope or above the
    viewer's clearance."""
    try:
        return (
            visible_cases(user)
            .select_related("area", "root_cause", "opened_by", "closed_by")
            .get(pk=pk)
        )
    except (ConflictCase.DoesNotExist, ValueError, TypeError):
        raise OutOfScope() from None


def cases_for_event(user: Any, event: Event) -> list[ConflictCase]:
    """The visible cases that handle `event`, newest first."""
    return list(
        visible_cases(user)
        .filter(case_events__event=event)
        .select_related("area")
        .order_by("-opened_at", "-id")
        .distinct()
    )


def case_events(user: Any, case: ConflictCase) -> list[Event]:
    """The case's events the viewer may see (merged ones included), oldest added first."""
    ids = list(
        CaseEvent.objects.filter(case=case)
        .order_by("added_at", "id")
        .values_list("event_id", flat=True)
    )
    found = {
        e.pk: e
        for e in event_selectors.visible_events(user, include_merged=True)
        .filter(pk__in=ids)
        .select_related("area")
    }
    return [found[pk] for pk in ids if pk in found]


# ---------------------------------------------------------------- stage history


@dataclass(frozen=True)
class StageStep:
    """One step of a case's history: opened, moved, closed or reopened."""

    kind: str  # "opened" | "moved" | "closed" | "reopened"
    from_stage: str
    to_stage: str
    from_label: str
    to_label: str
    note: str
    actor: Any
    at: dt.datetime


def _label(stage: str) -> str:
    return str(CaseStage(stage).label) if stage in CaseStage.values else ""


def case_stage_history(user: Any, case: ConflictCase) -> list[StageStep]:
    """The case's steps, oldest first (empty when the viewer may not see the case).

    Rows are read as: "" -> stage (the first: opened; later: reopened), a -> b (moved), a -> a
    (closed).
    """
    if not can_read(user, case.area_id, case.classification) or not _may_view(user):
        return []
    rows = CaseStageChange.objects.filter(case=case).select_related("actor").order_by("at", "id")
    steps: list[StageStep] = []
    for index, row in enumerate(rows):
        if not row.from_stage:
            kind = "opened" if index == 0 else "reopened"
        elif row.from_stage == row.to_stage:
            kind = "closed"
        else:
            kind = "moved"
        steps.append(
            StageStep(
                kind=kind,
                from_stage=row.from_stage,
                to_stage=row.to_stage,
                from_label=_label(row.from_stage),
                to_label=_label(row.to_stage),
                note=row.note,
                actor=row.actor,
                at=row.at,
            )
        )
    return steps


# ---------------------------------------------------------------- status keadaan konflik


@dataclass
class StatusView:
    """A status with its days counted in the zone of the case's area.

    `chain` is the declaration and its extensions (oldest first) up to the newest; `day_number`
    counts from the declaration's start (0 before it starts), `total_days` to the newest end,
    `days_left` to the newest end (None once it is no longer in force).
    """

    status: ConflictStatus
    chain: list[ConflictStatus]
    today: dt.date
    in_force: bool
    day_number: int
    total_days: int
    days_left: int | None
    extension_days: int = 0

    @property
    def head(self) -> ConflictStatus:
        return self.chain[-1]

    @property
    def first(self) -> ConflictStatus:
        return self.chain[0]


def _chains(rows: list[ConflictStatus]) -> dict[int, list[ConflictStatus]]:
    """Each status id -> its whole chain (declaration first, newest extension last)."""
    by_id = {r.pk: r for r in rows}
    children = {r.extends_id: r for r in rows if r.extends_id is not None}
    result: dict[int, list[ConflictStatus]] = {}
    for row in rows:
        first = row
        while first.extends_id is not None and first.extends_id in by_id:
            first = by_id[first.extends_id]
        chain = [first]
        while chain[-1].pk in children:
            chain.append(children[chain[-1].pk])
        result[row.pk] = chain
    return result


def _view(status: ConflictStatus, chain: list[ConflictStatus], today: dt.date) -> StatusView:
    first, head = chain[0], chain[-1]
    in_force = head.state == ConflictStatusState.ACTIVE
    return StatusView(
        status=status,
        chain=chain,
        today=today,
        in_force=in_force,
        day_number=max((today - first.start_date).days + 1, 0),
        total_days=(head.end_date - first.start_date).days + 1,
        days_left=max((head.end_date - today).days, 0) if in_force else None,
        extension_days=sum(
            (r.end_date - r.start_date).days + 1 for r in chain if r.extends_id is not None
        ),
    )


def case_statuses(
    user: Any, case: ConflictCase, now: dt.datetime | None = None
) -> list[StatusView]:
    """The case's declarations (each with its chain of extensions), newest first; empty when
    the viewer may not see the case."""
    if not can_read(user, case.area_id, case.classification) or not _may_view(user):
        return []
    rows = list(
        ConflictStatus.objects.filter(case=case)
        .select_related("area", "recorded_by")
        .order_by("start_date", "id")
    )
    today = local_today(case.area_id, now)
    chains = _chains(rows)
    views = [_view(r, chains[r.pk], today) for r in rows if r.extends_id is None]
    return sorted(views, key=lambda v: (v.first.start_date, v.first.pk), reverse=True)


def visible_statuses(user: Any) -> QuerySet[ConflictStatus]:
    """Statuses of visible cases (no ordering added)."""
    if not _may_view(user):
        return ConflictStatus.objects.none()
    return ConflictStatus.objects.visible_to(user).filter(
        case__classification__in=allowed_classifications(user)
    )


def list_statuses(
    user: Any, *, case_id: int | None = None, state: str = "", in_force: bool | None = None
) -> QuerySet[ConflictStatus]:
    """Visible statuses, newest start first; of one case, in one state, or in force only."""
    qs = visible_statuses(user).select_related("case", "area").order_by("-start_date", "-id")
    if case_id is not None:
        qs = qs.filter(case_id=case_id)
    if state:
        qs = qs.filter(state=state)
    if in_force is not None:
        active = ConflictStatusState.ACTIVE
        qs = qs.filter(state=active) if in_force else qs.exclude(state=active)
    return qs


def get_status(user: Any, pk: int | str) -> ConflictStatus:
    """One visible status. Raises OutOfScope (404) when missing or hidden."""
    try:
        return visible_statuses(user).select_related("case", "area").get(pk=pk)
    except (ConflictStatus.DoesNotExist, ValueError, TypeError):
        raise OutOfScope() from None


def status_days_left(status: ConflictStatus, now: dt.datetime | None = None) -> int | None:
    """Days left of a status in force (0 on its last day); None when it is not in force."""
    if status.state != ConflictStatusState.ACTIVE:
        return None
    return max((status.end_date - local_today(status.case.area_id, now)).days, 0)


def statuses_in_force(user: Any) -> QuerySet[ConflictStatus]:
    """Visible statuses in force (the newest of each chain), ending soonest first."""
    return (
        visible_statuses(user)
        .filter(state=ConflictStatusState.ACTIVE)
        .select_related("case", "case__area", "area")
        .order_by("end_date", "id")
    )


def statuses_ending_soon(
    user: Any, days: int = 14, now: dt.datetime | None = None
) -> list[tuple[ConflictStatus, int]]:
    """Visible statuses in force that end within `days` days, with their days left, soonest
    first."""
    horizon = (now or timezone.now()).date() + dt.timedelta(days=days + 1)
    found = []
    for status in statuses_in_force(user).filter(end_date__lte=horizon):
        left = status_days_left(status, now)
        if left is not None and left <= days:
            found.append((status, left))
    return found


# ---------------------------------------------------------------- recovery


def visible_recovery_activities(user: Any) -> QuerySet[RecoveryActivity]:
    """Recovery activities of visible cases (no ordering added)."""
    if not _may_view(user):
        return RecoveryActivity.objects.none()
    qs = RecoveryActivity.objects.filter(case__classification__in=allowed_classifications(user))
    condition = user_scope_q(user, "case__area__code")
    return qs if condition is None else qs.filter(condition)


def list_recovery_activities(
    user: Any, *, case_id: int | None = None, kind: str = "", status: str = ""
) -> QuerySet[RecoveryActivity]:
    """Visible recovery activities with their agency and evidence; of one case, kind, status."""
    qs = (
        visible_recovery_activities(user)
        .select_related("case", "agency")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
        .order_by("case_id", "start_date", "id")
    )
    if case_id is not None:
        qs = qs.filter(case_id=case_id)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs


def get_recovery_activity(user: Any, pk: int | str) -> RecoveryActivity:
    """One visible recovery activity. Raises OutOfScope (404) when missing or hidden."""
    try:
        return (
            visible_recovery_activities(user)
            .select_related("case", "agency")
            .prefetch_related("evidence")
            .get(pk=pk)
        )
    except (RecoveryActivity.DoesNotExist, ValueError, TypeError):
        raise OutOfScope() from None


@dataclass
class RecoveryGroup:
    kind: str
    label: str
    activities: list[RecoveryActivity] = field(default_factory=list)


# ---------------------------------------------------------------- the case page


@dataclass
class CaseDetail:
    """Everything the case page shows, read for one viewer."""

    case: ConflictCase
    events: list[Event]
    parties: list[CaseParty]
    history: list[StageStep]
    statuses: list[StatusView]
    in_force: StatusView | None
    recovery: list[RecoveryGroup]
    can_manage: bool


def case_detail(user: Any, case: ConflictCase, now: dt.datetime | None = None) -> CaseDetail:
    """The case with what the viewer may see of it: events (through the events selectors),
    parties, stage history, statuses (days counted in the area's zone) and recovery activities
    grouped by kind with their evidence. The caller got `case` from `get_case`."""
    statuses = case_statuses(user, case, now)
    activities = list(list_recovery_activities(user, case_id=case.pk))
    groups = [RecoveryGroup(kind=str(k), label=str(k.label)) for k in RecoveryKind]
    by_kind = {g.kind: g for g in groups}
    for activity in activities:
        by_kind[activity.kind].activities.append(activity)
    return CaseDetail(
        case=case,
        events=case_events(user, case),
        parties=list(
            CaseParty.objects.filter(case=case)
            .select_related("party_type")
            .order_by("sort_order", "id")
        ),
        history=case_stage_history(user, case),
        statuses=statuses,
        in_force=next((v for v in statuses if v.in_force), None),
        recovery=groups,
        can_manage=can_manage(user, case),
    )
