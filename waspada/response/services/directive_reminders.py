"""Periodic work on directives: reminders before the due date and the overdue escalation
(run by the job `response.send_directive_reminders`; both re-exported from `directives`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.core import audit
from waspada.response.choices import (
    DirectiveStatus,
)
from waspada.response.models import (
    Directive,
    DirectiveAssignment,
)

if TYPE_CHECKING:
    pass
from waspada.response.services.directive_common import (
    UNFINISHED,
    _due_text,
    _members,
    _publish,
    _tell,
    _unfinished_agency_ids,
)

# ---------------------------------------------------------------- periodic work


def send_due_reminders(now: dt.datetime | None = None) -> dict[str, int]:
    """Remind the members of the unfinished agencies of every open directive due within
    WASPADA_DIRECTIVE_REMINDER_DAYS days and not reminded yet. Safe to repeat: each directive is
    claimed by a conditional update, and the notification key names the due date.

    Returns {"directives": reminded directives, "notifications": notifications written}.
    """
    now = now or timezone.now()
    window = dt.timedelta(days=settings.WASPADA_DIRECTIVE_REMINDER_DAYS)
    due = Directive.objects.filter(
        status=DirectiveStatus.OPEN,
        reminded_at__isnull=True,
        due_at__gt=now,
        due_at__lte=now + window,
    ).order_by("due_at", "pk")
    directives = notifications = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = Directive.objects.filter(
                pk=pk,
                status=DirectiveStatus.OPEN,
                reminded_at__isnull=True,
                due_at__gt=now,
            ).update(reminded_at=now)
            if claimed != 1:
                continue
            directive = Directive.objects.get(pk=pk)
            directives += 1
            notifications += _tell(
                _members(_unfinished_agency_ids(directive), directive.classification),
                directive,
                title=_("Pengingat: arahan %(ref)s jatuh tempo %(due)s")
                % {"ref": directive.reference, "due": _due_text(directive)},
                body=_("%(title)s. Catat tindak lanjut instansi Anda sebelum batas waktu.")
                % {"title": directive.title},
                key=f"directive:{pk}:reminder:{directive.due_date.isoformat()}",
            )
    return {"directives": directives, "notifications": notifications}


def escalate_overdue(now: dt.datetime | None = None) -> dict[str, int]:
    """Tell the issuer (and the members of the agencies that have not finished) of every open
    directive past its due time that was not escalated yet, and audit `directive.overdue`. Safe to
    repeat: each directive is claimed by a conditional update; notification keys name the date.

    Returns {"directives": escalated directives, "notifications": notifications written}.
    """
    now = now or timezone.now()
    late = Directive.objects.filter(
        status=DirectiveStatus.OPEN, overdue_notified_at__isnull=True, due_at__lt=now
    ).order_by("due_at", "pk")
    directives = notifications = 0
    for pk in list(late.values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = Directive.objects.filter(
                pk=pk,
                status=DirectiveStatus.OPEN,
                overdue_notified_at__isnull=True,
                due_at__lt=now,
            ).update(overdue_notified_at=now)
            if claimed != 1:
                continue
            directive = Directive.objects.select_related("issued_by").get(pk=pk)
            directives += 1
            unfinished = list(
                DirectiveAssignment.objects.filter(directive=directive, status__in=UNFINISHED)
                .select_related("agency")
                .order_by("pk")
            )
            names = ", ".join(a.agency.name for a in unfinished) or "-"
            key = f"directive:{pk}:overdue:{directive.due_date.isoformat()}"
            title = _("Arahan %(ref)s melewati batas waktu") % {"ref": directive.reference}
            if directive.issued_by is not None:
                notifications += _tell(
                    [directive.issued_by],
                    directive,
                    title=title,
                    body=_(
                        "“%(title)s” jatuh tempo %(due)s dan belum selesai. Belum "
                        "selesai: %(agencies)s."
                    )
                    % {"title": directive.title, "due": _due_text(directive), "agencies": names},
                    key=key,
                )
            notifications += _tell(
                _members([a.agency_id for a in unfinished], directive.classification),
                directive,
                title=title,
                body=_("“%(title)s” jatuh tempo %(due)s. Segera catat tindak lanjut instansi Anda.")
                % {"title": directive.title, "due": _due_text(directive)},
                key=key,
            )
            audit.record(
                actor=None,
                action="directive.overdue",
                obj=directive,
                area_code=directive.area_id,
                after={
                    "due_at": directive.due_at,
                    "overdue_notified_at": now,
                    "unfinished_agencies": [a.agency_id for a in unfinished],
                },
            )
            _publish(
                directive,
                "directive.overdue",
                f"directive.overdue:{pk}:{directive.due_date.isoformat()}",
                unfinished=[{"id": a.agency_id, "name": a.agency.name} for a in unfinished],
            )
    return {"directives": directives, "notifications": notifications}
