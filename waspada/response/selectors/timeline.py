"""One timeline per event and per conflict case: what happened and who did what, in order.

The steps come from every part of the loop: the event's items (new and developments) and their
reports' submission, return and verification; the early-warning alerts of the event's kab/kota
while the matter lasted; the directives on the event, its alerts or its cases, with each
agency's follow-up, the overdue escalation, completion or cancellation; and the cases handling
the event, with their stage changes, status keadaan konflik, recovery activities and closing.

Everything is read through the selectors of its own app as the viewer, so a step the viewer may
not see (an item above their clearance, a directive outside their scope) is simply absent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waspada.core.models import AuditEntry
from waspada.core.scoping import ancestor_codes
from waspada.events import selectors as event_selectors
from waspada.events.choices import ItemKind
from waspada.events.models import Event
from waspada.response.choices import DirectiveStatus, FollowUpStatus
from waspada.response.models import (
    CaseStageChange,
    ConflictCase,
    ConflictStatus,
    Directive,
    FollowUp,
    RecoveryActivity,
)
from waspada.response.selectors.directives import can_see_follow_ups, visible_directives
from waspada.warnings import alert_selectors
from waspada.warnings.models import level_label

REPORT_OBJECT_TYPE = "reports.situationreport"
REPORT_ACTIONS = {
    "report.submitted": gettext_lazy("Laporan diajukan"),
    "report.resubmitted": gettext_lazy("Laporan diajukan ulang"),
    "report.returned": gettext_lazy("Laporan dikembalikan"),
    "report.verified": gettext_lazy("Laporan diverifikasi"),
}
# Alerts count for an event from a day before its first item until this long after its last.
ALERT_TAIL = dt.timedelta(days=14)


@dataclass(frozen=True)
class Step:
    """One step of a timeline: when, what kind, a title and detail in words, who, and a link."""

    at: dt.datetime
    kind: str  # item, report, alert, directive, follow_up, case, stage, status, recovery
    title: str
    detail: str = ""
    actor: str = ""
    url: str = ""
    badge: str = ""

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))


KIND_LABELS = {
    "item": gettext_lazy("Laporan kejadian"),
    "report": gettext_lazy("Verifikasi"),
    "alert": gettext_lazy("Peringatan"),
    "directive": gettext_lazy("Arahan"),
    "follow_up": gettext_lazy("Tindak lanjut"),
    "case": gettext_lazy("Kasus"),
    "stage": gettext_lazy("Tahap"),
    "status": gettext_lazy("Status keadaan konflik"),
    "recovery": gettext_lazy("Pemulihan"),
}


def _who(user: Any) -> str:
    if user is None:
        return ""
    return str(getattr(user, "full_name", "") or user.get_username())


def _midday(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


# ---------------------------------------------------------------- parts


def _item_steps(user: Any, event_ids: list[int]) -> tuple[list[Step], set[int]]:
    """Steps of the visible items of the events, and the ids of their reports."""
    steps: list[Step] = []
    report_ids: set[int] = set()
    items = (
        event_selectors.visible_items(user)
        .filter(event_id__in=event_ids)
        .select_related("report", "created_by")
        .order_by("occurred_at", "id")
    )
    for item in items:
        report_ids.add(item.report_id)
        kind = _("Kejadian baru") if item.kind == ItemKind.NEW else _("Perkembangan")
        steps.append(
            Step(
                at=item.occurred_at,
                kind="item",
                title=f"{kind}: {item.title}",
                detail=item.chronology[:400],
                actor=_who(item.created_by),
                url=reverse("events:event_detail", args=[item.event_id]),
                badge=item.get_status_display(),
            )
        )
    return steps, report_ids


def _report_steps(report_ids: set[int]) -> list[Step]:
    """Submission, return and verification of the reports carrying the visible items (the
    caller already knows the viewer may see at least one item of each report)."""
    if not report_ids:
        return []
    entries = AuditEntry.objects.filter(
        object_type=REPORT_OBJECT_TYPE,
        object_id__in=[str(pk) for pk in report_ids],
        action__in=list(REPORT_ACTIONS),
    ).order_by("seq")
    steps = []
    for entry in entries:
        reason = ""
        if entry.action == "report.returned" and isinstance(entry.after, dict):
            reason = str(entry.after.get("return_reason") or "")
        steps.append(
            Step(
                at=entry.created_at,
                kind="report",
                title=f"{REPORT_ACTIONS[entry.action]} (LAP-{int(entry.object_id):06d})",
                detail=reason,
                actor=entry.actor_label,
                url=reverse("reports:report_detail", args=[int(entry.object_id)]),
            )
        )
    return steps


def _alert_steps(user: Any, events: list[Event]) -> tuple[list[Step], list[int]]:
    """Alerts of the events' areas and their ancestors while the matters lasted."""
    condition = Q(pk__in=[])
    now = timezone.now()
    for event in events:
        codes = ancestor_codes(event.area_id)
        first = event.first_occurred_at or event.created_at
        last = event.last_occurred_at or first
        condition |= Q(
            area_id__in=codes,
            day__gte=(first - dt.timedelta(days=1)).date(),
            day__lte=min(last + ALERT_TAIL, now).date(),
        )
    alerts = list(alert_selectors.visible_alerts(user).filter(condition).order_by("created_at"))
    steps = [
        Step(
            at=alert.created_at,
            kind="alert",
            title=_("%(area)s naik ke level %(level)s")
            % {"area": alert.area.display_name, "level": level_label(alert.level)},
            detail=_("Skor %(score).1f, sebelumnya %(previous)s")
            % {"score": alert.score, "previous": level_label(alert.previous_level)},
            url=reverse("warnings:alert_detail", args=[alert.pk]),
            badge=str(level_label(alert.level)),
        )
        for alert in alerts
    ]
    return steps, [alert.pk for alert in alerts]


def _directive_steps(user: Any, directives: list[Directive]) -> list[Step]:
    steps: list[Step] = []
    if not directives:
        return steps
    by_id = {d.pk: d for d in directives}
    for directive in directives:
        url = reverse("response:directive_detail", args=[directive.pk])
        agencies = ", ".join(
            a.agency.short_name or a.agency.name for a in directive.assignments.all()
        )
        steps.append(
            Step(
                at=directive.issued_at,
                kind="directive",
                title=_("Arahan %(ref)s: %(title)s")
                % {"ref": directive.reference, "title": directive.title},
                detail=_("Kepada %(agencies)s, batas %(due)s")
                % {"agencies": agencies, "due": directive.due_date.strftime("%d-%m-%Y")},
                actor=_who(directive.issued_by),
                url=url,
                badge=directive.get_priority_display(),
            )
        )
        if directive.overdue_notified_at:
            steps.append(
                Step(
                    at=directive.overdue_notified_at,
                    kind="directive",
                    title=_("Arahan %(ref)s lewat batas waktu") % {"ref": directive.reference},
                    detail=_("Pemberi arahan diberi tahu."),
                    url=url,
                    badge=_("Terlambat"),
                )
            )
        if directive.status == DirectiveStatus.COMPLETED and directive.completed_at:
            steps.append(
                Step(
                    at=directive.completed_at,
                    kind="directive",
                    title=_("Arahan %(ref)s selesai") % {"ref": directive.reference},
                    url=url,
                    badge=directive.get_status_display(),
                )
            )
        if directive.status == DirectiveStatus.CANCELLED and directive.cancelled_at:
            steps.append(
                Step(
                    at=directive.cancelled_at,
                    kind="directive",
                    title=_("Arahan %(ref)s dibatalkan") % {"ref": directive.reference},
                    detail=directive.cancel_reason,
                    url=url,
                    badge=directive.get_status_display(),
                )
            )
    follow_ups = (
        FollowUp.objects.filter(assignment__directive_id__in=list(by_id))
        .select_related("assignment__agency", "author")
        .prefetch_related("evidence")
        .order_by("created_at", "id")
    )
    for follow_up in follow_ups:
        assignment = follow_up.assignment
        directive = by_id[assignment.directive_id]
        if not can_see_follow_ups(user, assignment, directive):
            continue
        files = len(follow_up.evidence.all())
        detail = follow_up.note[:400]
        if files:
            detail += " " + _("(%(n)d berkas bukti)") % {"n": files}
        steps.append(
            Step(
                at=follow_up.created_at,
                kind="follow_up",
                title=_("%(agency)s: %(status)s")
                % {
                    "agency": assignment.agency.short_name or assignment.agency.name,
                    "status": FollowUpStatus(follow_up.status).label,
                },
                detail=detail.strip(),
                actor=_who(follow_up.author),
                url=reverse("response:directive_detail", args=[directive.pk]),
                badge=f"{follow_up.progress}%" if follow_up.progress is not None else "",
            )
        )
    return steps


def _case_steps(cases: list[ConflictCase]) -> list[Step]:
    steps: list[Step] = []
    if not cases:
        return steps
    by_id = {c.pk: c for c in cases}
    # Stage rows: "" -> stage opens the case (the first time) or reopens it; a -> a closes it
    # (the note is the closing note); a -> b is a move between stages.
    opened: set[int] = set()
    for change in (
        CaseStageChange.objects.filter(case_id__in=list(by_id))
        .select_related("actor")
        .order_by("at", "id")
    ):
        case = by_id[change.case_id]
        ref = case.reference
        if not change.from_stage:
            if change.case_id in opened:
                title = _("Kasus %(ref)s dibuka kembali") % {"ref": ref}
            else:
                title = _("Kasus %(ref)s dibuka: %(title)s") % {"ref": ref, "title": case.title}
            opened.add(change.case_id)
            kind = "case"
        elif change.from_stage == change.to_stage:
            title = _("Kasus %(ref)s ditutup") % {"ref": ref}
            kind = "case"
        else:
            title = _("Kasus %(ref)s pindah ke tahap %(stage)s") % {
                "ref": ref,
                "stage": change.get_to_stage_display(),
            }
            kind = "stage"
        steps.append(
            Step(
                at=change.at,
                kind=kind,
                title=title,
                detail=change.note,
                actor=_who(change.actor),
                url=reverse("response:case_detail", args=[case.pk]),
                badge=change.get_to_stage_display(),
            )
        )
    for status in (
        ConflictStatus.objects.filter(case_id__in=list(by_id))
        .select_related("recorded_by")
        .order_by("recorded_at", "id")
    ):
        case = by_id[status.case_id]
        url = reverse("response:case_detail", args=[case.pk])
        verb = _("diperpanjang") if status.extends_id else _("ditetapkan")
        steps.append(
            Step(
                at=status.recorded_at,
                kind="status",
                title=_("Status keadaan konflik %(verb)s (%(scale)s)")
                % {"verb": verb, "scale": status.get_scale_display()},
                detail=_("%(decree)s oleh %(who)s, berlaku %(start)s s.d. %(end)s")
                % {
                    "decree": status.decree_number,
                    "who": status.declared_by,
                    "start": status.start_date.strftime("%d-%m-%Y"),
                    "end": status.end_date.strftime("%d-%m-%Y"),
                },
                actor=_who(status.recorded_by),
                url=url,
                badge=status.get_state_display(),
            )
        )
        if status.ended_at:
            steps.append(
                Step(
                    at=status.ended_at,
                    kind="status",
                    title=_("Status keadaan konflik %(decree)s berakhir")
                    % {"decree": status.decree_number},
                    detail=status.end_reason,
                    url=url,
                    badge=status.get_state_display(),
                )
            )
    for activity in (
        RecoveryActivity.objects.filter(case_id__in=list(by_id))
        .select_related("agency", "created_by")
        .order_by("created_at", "id")
    ):
        case = by_id[activity.case_id]
        when = activity.created_at
        steps.append(
            Step(
                at=when,
                kind="recovery",
                title=f"{activity.get_kind_display()}: {activity.title}",
                detail=(activity.agency.name if activity.agency else "")
                + (f" · {activity.get_status_display()}" if activity.status else ""),
                actor=_who(activity.created_by),
                url=reverse("response:case_detail", args=[case.pk]),
                badge=activity.get_status_display(),
            )
        )
    return steps


def _visible_cases(user: Any) -> Any:
    from waspada.response.selectors.cases import visible_cases

    return visible_cases(user)


def _sorted(steps: list[Step]) -> list[Step]:
    return sorted(steps, key=lambda s: s.at)


# ---------------------------------------------------------------- timelines


def event_steps(user: Any, event: Event) -> list[Step]:
    """The whole story of an event the caller got from `events.selectors.get_event`: its items
    and their reports, the alerts of its area while it lasted, directives on it (or on those
    alerts, or on its cases) with their follow-up, and the cases handling it. Oldest first."""
    items, report_ids = _item_steps(user, [event.pk])
    alerts, alert_ids = _alert_steps(user, [event])
    cases = list(
        _visible_cases(user)
        .filter(case_events__event_id=event.pk)
        .select_related("closed_by")
        .distinct()
    )
    directives = list(
        visible_directives(user)
        .filter(
            Q(event_id=event.pk) | Q(alert_id__in=alert_ids) | Q(case_id__in=[c.pk for c in cases])
        )
        .select_related("issued_by")
        .prefetch_related("assignments__agency")
        .distinct()
    )
    return _sorted(
        items
        + _report_steps(report_ids)
        + alerts
        + _directive_steps(user, directives)
        + _case_steps(cases)
    )


def case_steps(user: Any, case: ConflictCase) -> list[Step]:
    """The whole story of a case the caller got from `cases.get_case`: its events' items and
    reports, the alerts of their areas, directives on the case, its events or those alerts,
    follow-ups, stage changes, statuses and recovery. Oldest first."""
    events = list(
        event_selectors.visible_events(user, include_merged=True).filter(
            pk__in=case.case_events.values("event_id")
        )
    )
    event_ids = [e.pk for e in events]
    items, report_ids = _item_steps(user, event_ids)
    alerts, alert_ids = _alert_steps(user, events) if events else ([], [])
    directives = list(
        visible_directives(user)
        .filter(Q(case_id=case.pk) | Q(event_id__in=event_ids) | Q(alert_id__in=alert_ids))
        .select_related("issued_by")
        .prefetch_related("assignments__agency")
        .distinct()
    )
    return _sorted(
        items
        + _report_steps(report_ids)
        + alerts
        + _directive_steps(user, directives)
        + _case_steps([case])
    )
