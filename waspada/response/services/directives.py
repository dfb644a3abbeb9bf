"""Writes of directives (*arahan*) and their follow-up (*tindak lanjut*).

A leader or analyst issues a directive on an alert, an event, a conflict case or simply an area to
one or more agencies of that area, due on a local date. Each agency records its follow-up (planned,
in progress, done, cannot be done with a reason), with progress notes and evidence files; when every
agency has finished, the directive is completed. Agencies are reminded before the due date, and an
overdue directive escalates to whoever issued it (`send_due_reminders`, `escalate_overdue`, run by
the job `response.send_directive_reminders`).

Every service takes a keyword-only `actor`, runs in one transaction, checks scope and permission
(`ensure_can`: OutOfScope = 404 outside the actor's areas, PermissionDenied = 403 for a role that
may not), moves states optimistically (a stale `version` is a Conflict, 409), writes an audit entry
and tells the people concerned through the notification inbox (and e-mail).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.core import audit
from waspada.core.classification import RANK as CLASSIFICATION_RANK
from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.permissions import ensure_can
from waspada.core.scoping import user_covers
from waspada.response.access import highest_classification
from waspada.response.choices import (
    DirectiveStatus,
)
from waspada.response.models import (
    ConflictCase,
    Directive,
    DirectiveAssignment,
)

if TYPE_CHECKING:
    from waspada.accounts.models import User
    from waspada.events.models import Event
    from waspada.warnings.models import Alert
from waspada.response.services.directive_common import (
    ACT_PERMISSION,
    DIRECT_PERMISSION,
    EDITABLE_FIELDS,
    INSTRUCTION_MAX,
    NOTE_MAX,
    STALE_DIRECTIVE,
    TITLE_MAX,
    _clean_agencies,
    _clean_due_date,
    _clean_priority,
    _clean_text,
    _due_text,
    _lock,
    _members,
    _priority_label,
    _publish,
    _require_open,
    _tell,
    _unfinished_agency_ids,
    cleared_for,
    due_at_for,
    local_today,
)

# ---------------------------------------------------------------- issue, update, cancel


def _subject_area(
    actor: Any,
    *,
    area_code: str | None,
    alert: Alert | None,
    event: Event | None,
    case: ConflictCase | None,
) -> str:
    """The directive's area (from its subject when there is one), after checking that the actor
    may see every subject given. Raises OutOfScope for a subject the actor may not see."""
    from waspada.events.selectors import visible_events

    if event is not None and not visible_events(actor).filter(pk=event.pk).exists():
        raise OutOfScope(event.area_id)
    if alert is not None and not user_covers(actor, alert.area_id):
        raise OutOfScope(alert.area_id)
    if case is not None and not (
        user_covers(actor, case.area_id) and cleared_for(actor, case.classification)
    ):
        raise OutOfScope(case.area_id)
    for subject in (case, event, alert):
        if subject is not None:
            return str(subject.area_id)
    if not area_code:
        message = _("Pilih wilayah, peringatan, kejadian atau kasus yang diberi arahan.")
        raise InvalidInput(message, {"area": [message]})
    from waspada.geo.models import Area

    if not Area.objects.filter(code=area_code).exists():
        message = _("Wilayah tidak ditemukan.")
        raise InvalidInput(message, {"area": [message]})
    return area_code


@transaction.atomic
def issue_directive(
    *,
    actor: User,
    area_code: str | None = None,
    alert: Alert | None = None,
    event: Event | None = None,
    case: ConflictCase | None = None,
    title: str,
    instruction: str,
    due_date: dt.date,
    priority: str,
    agency_ids: Iterable[Any],
    classification: str | None = None,
    now: dt.datetime | None = None,
) -> Directive:
    """Issue a directive to one or more agencies of the area, due at the end of `due_date` in
    the area's zone, and tell each agency's members.

    The area comes from the alert, event or case when one is given. The classification is the
    highest of `classification` and that of the event or case.

    Raises OutOfScope (404) for an area or subject outside the actor's scope or clearance,
    PermissionDenied (403) without "response.direct", InvalidInput (400) with per-field messages
    (no agency, an agency not serving the area, a due date before the area's today, empty text).
    """
    now = now or timezone.now()
    area = _subject_area(actor, area_code=area_code, alert=alert, event=event, case=case)
    ensure_can(actor, DIRECT_PERMISSION, area)
    errors: dict[str, list[str]] = {}
    clean_title = _clean_text(errors, "title", title, label=_("Judul"), limit=TITLE_MAX)
    clean_instruction = _clean_text(
        errors, "instruction", instruction, label=_("Isi arahan"), limit=INSTRUCTION_MAX
    )
    clean_priority = _clean_priority(errors, priority)
    clean_due = _clean_due_date(errors, area, due_date, now)
    if classification and classification not in CLASSIFICATION_RANK:
        errors.setdefault("classification", []).append(_("Pilih klasifikasi yang tersedia."))
    agencies = _clean_agencies(errors, actor, area, agency_ids)
    if errors or clean_due is None:
        raise InvalidInput(_("Periksa kembali isian arahan."), errors)
    level = highest_classification(
        classification,
        event.classification if event is not None else None,
        case.classification if case is not None else None,
    )
    if not cleared_for(actor, level):
        message = _("Klasifikasi arahan melebihi izin klasifikasi Anda.")
        raise InvalidInput(message, {"classification": [message]})
    directive = Directive.objects.create(
        area_id=area,
        alert=alert,
        event=event,
        case=case,
        title=clean_title,
        instruction=clean_instruction,
        priority=clean_priority,
        due_date=clean_due,
        due_at=due_at_for(area, clean_due),
        classification=level,
        issued_by=actor,
        issued_at=now,
    )
    DirectiveAssignment.objects.bulk_create(
        [DirectiveAssignment(directive=directive, agency=agency) for agency in agencies]
    )
    audit.record(
        actor=actor,
        action="directive.issued",
        obj=directive,
        area_code=area,
        after={**audit.snapshot(directive), "agencies": [agency.pk for agency in agencies]},
    )
    issuer = actor.full_name or actor.get_username()
    for agency in agencies:
        _tell(
            _members([agency.pk], level),
            directive,
            title=_("Arahan baru %(ref)s: %(title)s")
            % {"ref": directive.reference, "title": clean_title},
            body=_(
                "%(issuer)s memberi arahan kepada %(agency)s. Batas waktu: %(due)s. "
                "Prioritas: %(priority)s."
            )
            % {
                "issuer": issuer,
                "agency": agency.name,
                "due": _due_text(directive),
                "priority": _priority_label(clean_priority),
            },
            key=f"directive:{directive.pk}:agency:{agency.pk}:issued",
        )
    _publish(
        directive,
        "directive.issued",
        f"directive.issued:{directive.pk}",
        agencies=[{"id": agency.pk, "name": agency.name} for agency in agencies],
        alert=directive.alert_id,
        event=directive.event_id,
        case=directive.case_id,
    )
    return directive


def _claim(current: Directive, version: int, **values: Any) -> Directive:
    """Write `values` when the (locked) directive is still open at `version`; Conflict (409)
    otherwise. Returns the directive as stored afterwards."""
    _require_open(current)
    moved = Directive.objects.filter(
        pk=current.pk, version=version, status=DirectiveStatus.OPEN
    ).update(**values, version=F("version") + 1, updated_at=timezone.now())
    if moved != 1:
        raise Conflict(_(STALE_DIRECTIVE), version=current.version)
    current.refresh_from_db()
    return current


@transaction.atomic
def update_directive(
    directive: Directive,
    *,
    actor: User,
    version: int,
    now: dt.datetime | None = None,
    **fields: Any,
) -> Directive:
    """Change the title, instruction, priority or due date of an open directive at `version`.

    A new due date must not lie before the area's today; it moves `due_at` and clears the sent
    reminder and overdue notice, so they are sent again for the new date.

    Raises OutOfScope/PermissionDenied as `ensure_can` ("response.direct"), InvalidInput (400)
    for unknown fields or bad values, Conflict (409) when the directive is no longer open or was
    changed by someone else first.
    """
    now = now or timezone.now()
    ensure_can(actor, DIRECT_PERMISSION, directive.area_id)
    if not cleared_for(actor, directive.classification):
        raise OutOfScope(directive.area_id)
    unknown = sorted(set(fields) - EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(
            _("Kolom ini tidak dapat diubah: %(names)s.") % {"names": ", ".join(unknown)},
            {name: [_("Kolom ini tidak dapat diubah.")] for name in unknown},
        )
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if "title" in fields:
        values["title"] = _clean_text(
            errors, "title", fields["title"], label=_("Judul"), limit=TITLE_MAX
        )
    if "instruction" in fields:
        values["instruction"] = _clean_text(
            errors,
            "instruction",
            fields["instruction"],
            label=_("Isi arahan"),
            limit=INSTRUCTION_MAX,
        )
    if "priority" in fields:
        values["priority"] = _clean_priority(errors, fields["priority"])
    new_due: dt.date | None = None
    if "due_date" in fields and fields["due_date"] != directive.due_date:
        new_due = _clean_due_date(errors, directive.area_id, fields["due_date"], now)
    if errors:
        raise InvalidInput(_("Periksa kembali isian arahan."), errors)
    if new_due is not None:
        values.update(
            due_date=new_due,
            due_at=due_at_for(directive.area_id, new_due),
            reminded_at=None,
            overdue_notified_at=None,
        )
    current = _lock(directive)
    before = audit.snapshot(current)
    updated = _claim(current, version, **values)
    audit.record(
        actor=actor,
        action="directive.updated",
        obj=updated,
        area_code=updated.area_id,
        before=before,
    )
    if new_due is not None:
        unfinished = _unfinished_agency_ids(updated)
        _tell(
            _members(unfinished, updated.classification),
            updated,
            title=_("Batas waktu arahan %(ref)s diubah") % {"ref": updated.reference},
            body=_("Batas waktu baru: %(due)s.") % {"due": _due_text(updated)},
            key=f"directive:{updated.pk}:due:{new_due.isoformat()}:v{updated.version}",
        )
    return updated


@transaction.atomic
def cancel_directive(
    directive: Directive,
    *,
    actor: User,
    version: int,
    reason: str,
    now: dt.datetime | None = None,
) -> Directive:
    """Cancel an open directive at `version`, with a reason; the agencies that had not finished
    are told.

    Raises OutOfScope/PermissionDenied as `ensure_can` ("response.direct"), InvalidInput (400)
    without a reason, Conflict (409) when it is no longer open or someone changed it first.
    """
    now = now or timezone.now()
    ensure_can(actor, DIRECT_PERMISSION, directive.area_id)
    if not cleared_for(actor, directive.classification):
        raise OutOfScope(directive.area_id)
    text = str(reason or "").strip()
    if not text:
        message = _("Tuliskan alasan pembatalan.")
        raise InvalidInput(message, {"reason": [message]})
    current = _lock(directive)
    before = audit.snapshot(current)
    cancelled = _claim(
        current,
        version,
        status=DirectiveStatus.CANCELLED,
        cancelled_at=now,
        cancel_reason=text[:NOTE_MAX],
    )
    audit.record(
        actor=actor,
        action="directive.cancelled",
        obj=cancelled,
        area_code=cancelled.area_id,
        before=before,
    )
    _tell(
        _members(_unfinished_agency_ids(cancelled), cancelled.classification),
        cancelled,
        title=_("Arahan %(ref)s dibatalkan") % {"ref": cancelled.reference},
        body=_("Alasan: %(reason)s") % {"reason": text},
        key=f"directive:{cancelled.pk}:cancelled",
    )
    return cancelled


@transaction.atomic
def add_agencies(
    directive: Directive, *, actor: User, version: int, agency_ids: Iterable[Any]
) -> Directive:
    """Assign an open directive (at `version`) to more agencies of its area, and tell them.

    Raises as `issue_directive` for the agencies, InvalidInput for an agency already assigned,
    Conflict (409) when the directive is no longer open or was changed first.
    """
    ensure_can(actor, DIRECT_PERMISSION, directive.area_id)
    if not cleared_for(actor, directive.classification):
        raise OutOfScope(directive.area_id)
    errors: dict[str, list[str]] = {}
    agencies = _clean_agencies(errors, actor, directive.area_id, agency_ids)
    already = set(
        DirectiveAssignment.objects.filter(directive=directive).values_list("agency_id", flat=True)
    )
    if any(agency.pk in already for agency in agencies):
        errors.setdefault("agencies", []).append(_("Instansi ini sudah menerima arahan ini."))
    if errors:
        raise InvalidInput(_("Periksa kembali instansi yang dipilih."), errors)
    current = _lock(directive)
    before = audit.snapshot(current)
    updated = _claim(current, version)
    DirectiveAssignment.objects.bulk_create(
        [DirectiveAssignment(directive=updated, agency=agency) for agency in agencies]
    )
    audit.record(
        actor=actor,
        action="directive.agencies_added",
        obj=updated,
        area_code=updated.area_id,
        before=before,
        after={**audit.snapshot(updated), "added_agencies": [agency.pk for agency in agencies]},
    )
    for agency in agencies:
        _tell(
            _members([agency.pk], updated.classification),
            updated,
            title=_("Arahan baru %(ref)s: %(title)s")
            % {"ref": updated.reference, "title": updated.title},
            body=_("Instansi Anda ditambahkan sebagai pelaksana. Batas waktu: %(due)s.")
            % {"due": _due_text(updated)},
            key=f"directive:{updated.pk}:agency:{agency.pk}:issued",
        )
    return updated


# Re-exported so callers keep one entry point for directives.
from waspada.response.services.directive_reminders import (  # noqa: E402
    escalate_overdue,
    send_due_reminders,
)
from waspada.response.services.follow_ups import record_follow_up  # noqa: E402

__all__ = [
    "ACT_PERMISSION",
    "add_agencies",
    "cancel_directive",
    "due_at_for",
    "escalate_overdue",
    "issue_directive",
    "local_today",
    "record_follow_up",
    "send_due_reminders",
    "update_directive",
]
