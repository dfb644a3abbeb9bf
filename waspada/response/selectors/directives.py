"""Reads of directives (*arahan*) and their follow-up (*tindak lanjut*).

A user sees a directive when its area lies inside their scope, or when they are a member of an
agency it is assigned to (a camat whose scope is one kecamatan sees the kab/kota directive given
to the kecamatan office); in both cases only when they are cleared for its classification, and
only with "response.view". Everything else does not exist for them: lists and counts leave it out
and "get by id" raises OutOfScope (404).

The follow-up history (notes and evidence) of an assignment is shown to viewers whose scope covers
the directive's area and to the members of that assignment's agency; a member who sees the
directive only through their agency sees the other agencies' status and progress, not their notes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from waspada.core.errors import InvalidInput, OutOfScope
from waspada.core.scoping import user_covers, user_scope_q
from waspada.events.selectors import allowed_classifications, clearance_rank
from waspada.events.selectors import can_read_classification as cleared
from waspada.response.access import member_agency_ids
from waspada.response.choices import (
    FOLLOW_UP_FINISHED,
    DirectiveStatus,
    FollowUpStatus,
)
from waspada.response.models import (
    ConflictCase,
    Directive,
    DirectiveAssignment,
    Evidence,
    FollowUp,
)

VIEW_PERMISSION = "response.view"
DIRECT_PERMISSION = "response.direct"
ACT_PERMISSION = "response.act"
COORDINATE_PERMISSION = "response.coordinate"
UNFINISHED = (FollowUpStatus.PLANNED, FollowUpStatus.IN_PROGRESS)
_TOP_RANK = 2  # rahasia: users cleared for it need no classification filter


def _can_view(user: Any) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.has_role_permission(VIEW_PERMISSION)
    )


def visible_directives(user: Any) -> QuerySet[Directive]:
    """Directives in the user's scope or assigned to one of the user's agencies, within the
    user's clearance (none without "response.view"). No ordering or joins added."""
    if not _can_view(user):
        return Directive.objects.none()
    qs = Directive.objects.all()
    condition = user_scope_q(user, "area__code")
    if condition is not None:
        mine = member_agency_ids(user)
        if mine:
            assigned = DirectiveAssignment.objects.filter(
                directive=OuterRef("pk"), agency_id__in=sorted(mine)
            )
            condition |= Q(Exists(assigned))
        qs = qs.filter(condition)
    if clearance_rank(user) < _TOP_RANK:
        qs = qs.filter(classification__in=allowed_classifications(user))
    return qs


def with_overdue(qs: QuerySet[Directive], now: dt.datetime) -> QuerySet[Directive]:
    """Annotate `overdue` (open and past its due time at `now`) and order overdue first, then
    open ones, then by due time (soonest first)."""
    return qs.annotate(
        overdue=Case(
            When(Q(status=DirectiveStatus.OPEN, due_at__lt=now), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        open_rank=Case(
            When(status=DirectiveStatus.OPEN, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
    ).order_by("-overdue", "open_rank", "due_at", "-id")


def with_row_details(qs: QuerySet[Directive]) -> QuerySet[Directive]:
    """Join the area and issuer, and prefetch the assignments with their agencies (lists)."""
    return qs.select_related("area", "issued_by").prefetch_related(
        Prefetch(
            "assignments",
            queryset=DirectiveAssignment.objects.select_related("agency").order_by("id"),
        )
    )


def list_directives(
    user: Any, filters: Mapping[str, Any] | None = None, *, now: dt.datetime | None = None
) -> QuerySet[Directive]:
    """Visible directives narrowed by `DirectiveFilter` (status, overdue, area and below, agency,
    priority, alert, event, case, issued_by_me, assigned_to_me, q), overdue first, then open
    ones by due date. Each row has `overdue`, its area, issuer and assignments with agencies.

    Raises InvalidInput with per-field messages when a filter value is invalid.
    """
    from waspada.response.filters_directives import DirectiveFilter

    now = now or timezone.now()
    qs = with_row_details(with_overdue(visible_directives(user), now))
    if not filters:
        return qs
    filterset = DirectiveFilter(filters, queryset=qs, viewer=user, now=now)
    if not filterset.is_valid():
        raise InvalidInput(
            "Filter tidak valid.",
            {k: [str(m) for m in v] for k, v in filterset.errors.items()},
        )
    result: QuerySet[Directive] = filterset.qs
    return result


def get_directive(user: Any, pk: int | str, *, now: dt.datetime | None = None) -> Directive:
    """One visible directive with `overdue`, its area, issuer and subject. Raises OutOfScope
    (404) when it is missing, out of scope (and not assigned to the user's agency) or above the
    user's clearance."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise OutOfScope() from None
    found = (
        with_overdue(visible_directives(user), now or timezone.now())
        .select_related("area", "issued_by", "alert", "alert__area", "event", "case")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=DirectiveAssignment.objects.select_related(
                    "agency", "agency__area"
                ).order_by("id"),
            )
        )
        .filter(pk=key)
        .first()
    )
    if found is None:
        raise OutOfScope()
    return found


def get_assignment(user: Any, pk: int | str) -> DirectiveAssignment:
    """One assignment of a visible directive, with its agency and directive. Raises OutOfScope
    (404) when it is missing or its directive is hidden, and also when the user sees the
    directive only through another agency (its notes are not theirs to read)."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise OutOfScope() from None
    found = (
        DirectiveAssignment.objects.select_related("agency", "directive", "directive__area")
        .filter(pk=key, directive__in=visible_directives(user).values("pk"))
        .first()
    )
    if found is None or not can_see_follow_ups(user, found, found.directive):
        raise OutOfScope()
    return found


def get_case_subject(user: Any, pk: int | str) -> ConflictCase:
    """A conflict case to direct on: in the user's scope and clearance. Raises OutOfScope (404)
    otherwise (only its area, title and classification are read here)."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise OutOfScope() from None
    found = ConflictCase.objects.visible_to(user).select_related("area").filter(pk=key).first()
    if found is None or not cleared(user, found.classification):
        raise OutOfScope()
    return found


# ---------------------------------------------------------------- detail


def can_direct(user: Any, directive: Directive) -> bool:
    """True when the user may change or cancel the directive ("response.direct" in its area)."""
    return bool(
        user.is_authenticated
        and user.has_role_permission(DIRECT_PERMISSION)
        and user_covers(user, directive.area_id)
        and cleared(user, directive.classification)
    )


def may_act_for(user: Any, assignment: DirectiveAssignment, directive: Directive) -> bool:
    """True when the user acts for this assignment's agency: a member of it with
    "response.act", or a coordinator ("response.coordinate") of the directive's area."""
    if not user.is_authenticated or not cleared(user, directive.classification):
        return False
    if user.has_role_permission(COORDINATE_PERMISSION) and user_covers(user, directive.area_id):
        return True
    return user.has_role_permission(ACT_PERMISSION) and assignment.agency_id in member_agency_ids(
        user
    )


def can_act_for(user: Any, assignment: DirectiveAssignment, directive: Directive) -> bool:
    """True when the user may record a follow-up now: `may_act_for`, and both the directive and
    the assignment are unfinished."""
    if directive.status != DirectiveStatus.OPEN or assignment.status in FOLLOW_UP_FINISHED:
        return False
    return may_act_for(user, assignment, directive)


def can_see_follow_ups(user: Any, assignment: DirectiveAssignment, directive: Directive) -> bool:
    """Viewers whose scope covers the directive's area, and the members of the agency."""
    return user_covers(user, directive.area_id) or assignment.agency_id in member_agency_ids(user)


@dataclass
class AssignmentView:
    """One agency's part of a directive, as a page or the API shows it."""

    assignment: DirectiveAssignment
    follow_ups: list[FollowUp] = field(default_factory=list)
    can_act: bool = False
    is_mine: bool = False
    history_visible: bool = False
    form: Any = None  # the follow-up form a page attaches for the rows the viewer may act for

    @property
    def agency(self) -> Any:
        return self.assignment.agency


@dataclass
class DirectiveDetail:
    """A directive with its assignments, their follow-ups and evidence, and what the viewer may
    do (act for which assignments, change or cancel the directive)."""

    directive: Directive
    assignments: list[AssignmentView]
    can_direct: bool
    overdue: bool

    @property
    def actionable(self) -> list[AssignmentView]:
        return [row for row in self.assignments if row.can_act]

    @property
    def finished_count(self) -> int:
        return sum(1 for row in self.assignments if row.assignment.status in FOLLOW_UP_FINISHED)


def follow_ups_of(assignment_ids: list[int]) -> QuerySet[FollowUp]:
    """Follow-ups of the given assignments, oldest first, with author and evidence."""
    return (
        FollowUp.objects.filter(assignment_id__in=assignment_ids)
        .select_related("author")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
        .order_by("created_at", "id")
    )


def directive_detail(
    user: Any, directive: Directive, *, now: dt.datetime | None = None
) -> DirectiveDetail:
    """The directive's assignments (agency, status, progress), the follow-up history with
    evidence of those the user may read, and which assignments the user may act for. The caller
    got `directive` from `get_directive`."""
    now = now or timezone.now()
    assignments = list(directive.assignments.all())  # prefetched by get_directive
    mine = member_agency_ids(user)
    readable = [a.pk for a in assignments if can_see_follow_ups(user, a, directive)]
    history: dict[int, list[FollowUp]] = {pk: [] for pk in readable}
    if readable:
        for follow_up in follow_ups_of(readable):
            history[follow_up.assignment_id].append(follow_up)
    rows = [
        AssignmentView(
            assignment=a,
            follow_ups=history.get(a.pk, []),
            can_act=can_act_for(user, a, directive),
            is_mine=a.agency_id in mine,
            history_visible=a.pk in history,
        )
        for a in assignments
    ]
    return DirectiveDetail(
        directive=directive,
        assignments=rows,
        can_direct=can_direct(user, directive) and directive.status == DirectiveStatus.OPEN,
        overdue=directive.is_overdue(now),
    )


# ---------------------------------------------------------------- the user's work


def my_open_assignments(
    user: Any, *, now: dt.datetime | None = None
) -> QuerySet[DirectiveAssignment]:
    """Unfinished assignments of the user's agencies on open directives the user may read,
    overdue first, then by due time; each with `overdue`, its agency and directive (and area)."""
    mine = member_agency_ids(user)
    if not mine or not _can_view(user):
        return DirectiveAssignment.objects.none()
    now = now or timezone.now()
    qs = DirectiveAssignment.objects.filter(
        agency_id__in=sorted(mine),
        status__in=UNFINISHED,
        directive__status=DirectiveStatus.OPEN,
    )
    if clearance_rank(user) < _TOP_RANK:
        qs = qs.filter(directive__classification__in=allowed_classifications(user))
    return (
        qs.select_related("agency", "directive", "directive__area")
        .annotate(
            overdue=Case(
                When(directive__due_at__lt=now, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-overdue", "directive__due_at", "id")
    )


def open_assignment_count(user: Any) -> int | None:
    """How many unfinished assignments of the user's agencies are on open directives the user
    may read (for the navigation), in one query; None when the user belongs to no agency or
    may not act for one ("response.act"), without a query for roles that never act."""
    if not _can_view(user) or not user.has_role_permission(ACT_PERMISSION):
        return None
    from waspada.response.models import AgencyMember

    open_work = Q(
        agency__assignments__status__in=UNFINISHED,
        agency__assignments__directive__status=DirectiveStatus.OPEN,
    )
    if clearance_rank(user) < _TOP_RANK:
        open_work &= Q(
            agency__assignments__directive__classification__in=allowed_classifications(user)
        )
    counts = AgencyMember.objects.filter(user_id=user.pk, agency__active=True).aggregate(
        agencies=Count("agency_id", distinct=True),
        open=Count("agency__assignments", filter=open_work, distinct=True),
    )
    if not counts["agencies"]:
        return None
    return int(counts["open"] or 0)


def directives_for_event(
    user: Any, event: Any, *, now: dt.datetime | None = None
) -> QuerySet[Directive]:
    """Visible directives on an event (list rows, overdue first)."""
    return list_directives(user, now=now).filter(event_id=event.pk)


def directives_for_alert(
    user: Any, alert: Any, *, now: dt.datetime | None = None
) -> QuerySet[Directive]:
    """Visible directives on an alert (list rows, overdue first)."""
    return list_directives(user, now=now).filter(alert_id=alert.pk)


def directives_for_case(
    user: Any, case: Any, *, now: dt.datetime | None = None
) -> QuerySet[Directive]:
    """Visible directives on a conflict case (list rows, overdue first)."""
    return list_directives(user, now=now).filter(case_id=case.pk)


@dataclass
class ResponseOverview:
    """What `/respons/` shows: the user's agencies' open work, the directives the user issued
    that are still open, overdue directives in the user's scope, and counts."""

    assignments: list[DirectiveAssignment]
    issued: list[Directive]
    overdue: list[Directive]
    counts: dict[str, int]
    is_member: bool
    can_direct: bool

    @property
    def empty(self) -> bool:
        return not (self.assignments or self.issued or self.overdue)


OVERVIEW_LIMIT = 20


def response_overview(user: Any, *, now: dt.datetime | None = None) -> ResponseOverview:
    """The overview page: open assignments of the user's agencies (overdue first), open
    directives the user issued, overdue directives in the user's scope, and counts of open,
    overdue and completed directives the user can see."""
    now = now or timezone.now()
    visible = list_directives(user, now=now)
    assignments = list(my_open_assignments(user, now=now)[:OVERVIEW_LIMIT])
    issued = list(
        visible.filter(issued_by_id=user.pk, status=DirectiveStatus.OPEN)[:OVERVIEW_LIMIT]
    )
    scope = user_scope_q(user, "area__code")
    overdue_qs = visible.filter(status=DirectiveStatus.OPEN, due_at__lt=now)
    if scope is not None:
        overdue_qs = overdue_qs.filter(scope)
    overdue = list(overdue_qs[:OVERVIEW_LIMIT])
    counts = visible_directives(user).aggregate(
        open=Count("pk", filter=Q(status=DirectiveStatus.OPEN)),
        overdue=Count("pk", filter=Q(status=DirectiveStatus.OPEN, due_at__lt=now)),
        completed=Count("pk", filter=Q(status=DirectiveStatus.COMPLETED)),
    )
    return ResponseOverview(
        assignments=assignments,
        issued=issued,
        overdue=overdue,
        counts={k: int(v or 0) for k, v in counts.items()},
        is_member=bool(member_agency_ids(user)),
        can_direct=bool(user.has_role_permission(DIRECT_PERMISSION)),
    )
