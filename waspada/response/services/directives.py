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
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.core import audit
from waspada.core.classification import RANK as CLASSIFICATION_RANK
from waspada.core.classification import Classification
from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.permissions import ensure_can
from waspada.core.scoping import user_covers
from waspada.events.selectors import can_read_classification
from waspada.geo.zones import zone_for, zone_label
from waspada.response.access import highest_classification, member_agency_ids
from waspada.response.choices import (
    FOLLOW_UP_FINISHED,
    DirectivePriority,
    DirectiveStatus,
    FollowUpStatus,
)
from waspada.response.models import (
    Agency,
    ConflictCase,
    Directive,
    DirectiveAssignment,
    FollowUp,
)
from waspada.response.selectors.directives import may_act_for

if TYPE_CHECKING:
    from waspada.accounts.models import User
    from waspada.events.models import Event
    from waspada.warnings.models import Alert

DIRECT_PERMISSION = "response.direct"
ACT_PERMISSION = "response.act"
COORDINATE_PERMISSION = "response.coordinate"
NOTIFICATION_KIND = "directive"

TITLE_MAX = 200
INSTRUCTION_MAX = 10_000
NOTE_MAX = 10_000
EDITABLE_FIELDS = frozenset({"title", "instruction", "priority", "due_date"})

# Which follow-up status may follow which (staying put records another progress note).
FOLLOW_UP_NEXT: dict[str, frozenset[str]] = {
    FollowUpStatus.PLANNED: frozenset(
        {
            FollowUpStatus.PLANNED,
            FollowUpStatus.IN_PROGRESS,
            FollowUpStatus.DONE,
            FollowUpStatus.CANNOT,
        }
    ),
    FollowUpStatus.IN_PROGRESS: frozenset(
        {FollowUpStatus.IN_PROGRESS, FollowUpStatus.DONE, FollowUpStatus.CANNOT}
    ),
    FollowUpStatus.DONE: frozenset(),
    FollowUpStatus.CANNOT: frozenset(),
}
UNFINISHED = (FollowUpStatus.PLANNED, FollowUpStatus.IN_PROGRESS)

STALE_DIRECTIVE = (
    "Arahan ini telah diubah oleh pengguna lain. Muat ulang halaman, periksa perubahannya, lalu "
    "ulangi perubahan Anda."
)
STALE_ASSIGNMENT = (
    "Tindak lanjut instansi ini telah diperbarui oleh pengguna lain. Muat ulang halaman, periksa "
    "perkembangan terbaru, lalu kirim lagi catatan Anda."
)


# ---------------------------------------------------------------- helpers


def due_at_for(area_code: str, due_date: dt.date) -> dt.datetime:
    """The end of `due_date` in the area's own zone (WIB/WITA/WIT), as an aware UTC datetime."""
    local_end = dt.datetime.combine(due_date, dt.time.max, tzinfo=zone_for(area_code))
    return local_end.astimezone(dt.UTC)


def local_today(area_code: str, now: dt.datetime | None = None) -> dt.date:
    """Today's date in the area's zone."""
    return timezone.localdate(now or timezone.now(), zone_for(area_code))


def cleared_for(user: Any, classification: str) -> bool:
    """True when `user` may read content of `classification` (superusers read everything)."""
    if user is None or not user.is_authenticated:
        return False
    return can_read_classification(user, classification or Classification.BIASA)


def can_see_directive(
    user: Any, directive: Directive, *, agency_ids: frozenset[int] | None = None
) -> bool:
    """The directive's area lies in the user's scope, or the user acts for an assigned agency;
    and the user is cleared for its classification."""
    if not cleared_for(user, directive.classification):
        return False
    if user_covers(user, directive.area_id):
        return True
    mine = member_agency_ids(user) if agency_ids is None else agency_ids
    if not mine:
        return False
    return DirectiveAssignment.objects.filter(directive=directive, agency_id__in=mine).exists()


def _directive_url(directive: Directive) -> str:
    return reverse("response:directive_detail", args=[directive.pk])


def _members(agency_ids: Iterable[int], classification: str) -> list[User]:
    """Active members of the agencies who are cleared for `classification`."""
    from waspada.accounts.models import User

    cleared = [
        c
        for c, rank in CLASSIFICATION_RANK.items()
        if rank >= CLASSIFICATION_RANK.get(classification, 0)
    ]
    return list(
        User.objects.filter(
            Q(clearance__in=cleared) | Q(is_superuser=True),
            is_active=True,
            agency_memberships__agency_id__in=list(agency_ids),
        )
        .distinct()
        .order_by("pk")
    )


def _tell(users: Sequence[Any], directive: Directive, *, title: str, body: str, key: str) -> int:
    """Notify `users` (those not cleared for the directive are left out) once per `key`."""
    from waspada.notifications.services import notify

    recipients = [u for u in users if u is not None and cleared_for(u, directive.classification)]
    if not recipients:
        return 0
    written = notify(
        recipients,
        kind=NOTIFICATION_KIND,
        title=title,
        body=body,
        url=_directive_url(directive),
        area_code=directive.area_id,
        key=key,
    )
    return len(written)


def _publish(directive: Directive, name: str, key: str, **data: Any) -> None:
    """Send the event `name` to the webhook subscriptions covering the directive's area."""
    from waspada.response.webhooks import publish

    publish(
        name,
        key=key,
        area_code=directive.area_id,
        classification=directive.classification,
        title=f"{directive.reference} {directive.title}",
        url=_directive_url(directive),
        data={
            "directive": directive.pk,
            "reference": directive.reference,
            "status": directive.status,
            "priority": directive.priority,
            "due_date": directive.due_date.isoformat(),
            **data,
        },
    )


def _due_text(directive: Directive) -> str:
    return f"{directive.due_date:%d-%m-%Y} ({zone_label(directive.area_id)})"


def _priority_label(priority: str) -> str:
    return str(DirectivePriority(priority).label)


def _lock(directive: Directive) -> Directive:
    """The directive's current row, locked until the transaction ends (PostgreSQL)."""
    try:
        return Directive.objects.select_for_update().get(pk=directive.pk)
    except Directive.DoesNotExist as exc:
        raise OutOfScope() from exc


def _require_open(directive: Directive) -> None:
    if directive.status == DirectiveStatus.CANCELLED:
        raise Conflict(_("Arahan ini sudah dibatalkan."), version=directive.version)
    if directive.status == DirectiveStatus.COMPLETED:
        raise Conflict(_("Arahan ini sudah selesai."), version=directive.version)


def _clean_text(
    errors: dict[str, list[str]], name: str, value: Any, *, label: str, limit: int
) -> str:
    text = str(value or "").strip()
    if not text:
        errors.setdefault(name, []).append(_("%(label)s wajib diisi.") % {"label": label})
    elif len(text) > limit:
        errors.setdefault(name, []).append(
            _("%(label)s paling banyak %(limit)s karakter.") % {"label": label, "limit": limit}
        )
    return text


def _clean_priority(errors: dict[str, list[str]], value: Any) -> str:
    priority = str(value or "")
    if priority not in DirectivePriority.values:
        errors.setdefault("priority", []).append(_("Pilih prioritas yang tersedia."))
    return priority


def _clean_due_date(
    errors: dict[str, list[str]], area_code: str, value: Any, now: dt.datetime
) -> dt.date | None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        errors.setdefault("due_date", []).append(_("Isi batas waktu dengan tanggal yang valid."))
        return None
    today = local_today(area_code, now)
    if value < today:
        errors.setdefault("due_date", []).append(
            _("Batas waktu tidak boleh sebelum hari ini (%(today)s %(zone)s).")
            % {"today": f"{today:%d-%m-%Y}", "zone": zone_label(area_code)}
        )
    return value


def _allowed_agencies(actor: Any, area_code: str) -> dict[int, Agency]:
    from waspada.response.selectors.agencies import agencies_for_area

    return {agency.pk: agency for agency in agencies_for_area(actor, area_code)}


def _clean_agencies(
    errors: dict[str, list[str]], actor: Any, area_code: str, agency_ids: Iterable[Any]
) -> list[Agency]:
    try:
        wanted = list(dict.fromkeys(int(pk) for pk in agency_ids))
    except (TypeError, ValueError):
        errors.setdefault("agencies", []).append(_("Instansi tidak valid."))
        return []
    if not wanted:
        errors.setdefault("agencies", []).append(_("Pilih sedikitnya satu instansi."))
        return []
    allowed = _allowed_agencies(actor, area_code)
    if any(pk not in allowed for pk in wanted):
        errors.setdefault("agencies", []).append(
            _("Instansi yang dipilih tidak tersedia untuk wilayah arahan ini.")
        )
        return []
    return [allowed[pk] for pk in wanted]


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


def _unfinished_agency_ids(directive: Directive) -> list[int]:
    return list(
        DirectiveAssignment.objects.filter(directive=directive, status__in=UNFINISHED).values_list(
            "agency_id", flat=True
        )
    )


# ---------------------------------------------------------------- follow-up


@transaction.atomic
def record_follow_up(
    assignment: DirectiveAssignment,
    *,
    actor: User,
    version: int,
    status: str,
    note: str,
    progress: int | None = None,
    reason: str = "",
    files: Sequence[Any] = (),
    keep_location: bool = False,
    now: dt.datetime | None = None,
) -> FollowUp:
    """Record one follow-up of an agency on a directive: the status after it, the progress, a
    note and evidence files (photos, PDF, office documents; the type is read from the content).

    Status moves planned → in progress → done; any unfinished status may become "cannot be done"
    (a reason is required). Done and cannot are final; done sets the progress to 100. When every
    assignment has finished, the directive is completed. The issuer is told when an agency has
    finished.

    The actor is a member of the agency with "response.act", or a coordinator
    ("response.coordinate") of the directive's area acting on the agency's behalf.

    Raises OutOfScope (404) when the actor may not see the directive, PermissionDenied (403) when
    the actor may not act for this agency, InvalidInput (400) for bad values or a refused file,
    Conflict (409) when the assignment changed since `version` or the directive is not open.
    """
    now = now or timezone.now()
    directive = _lock(assignment.directive)
    agency_ids = member_agency_ids(actor)
    if not can_see_directive(actor, directive, agency_ids=agency_ids):
        raise OutOfScope(directive.area_id)
    if not may_act_for(actor, assignment, directive):
        raise PermissionDenied(ACT_PERMISSION)
    current = DirectiveAssignment.objects.select_related("agency").get(pk=assignment.pk)
    _require_open(directive)
    if current.status in FOLLOW_UP_FINISHED:
        raise Conflict(
            _("Tindak lanjut instansi ini sudah final (%(status)s); tidak dapat diubah lagi.")
            % {"status": current.get_status_display()},
            version=current.version,
        )
    if current.version != version:
        raise Conflict(_(STALE_ASSIGNMENT), version=current.version)

    errors: dict[str, list[str]] = {}
    if status not in FollowUpStatus.values:
        errors.setdefault("status", []).append(_("Pilih status yang tersedia."))
    elif status not in FOLLOW_UP_NEXT[current.status]:
        errors.setdefault("status", []).append(
            _("Status tidak dapat berubah dari %(from)s ke %(to)s.")
            % {
                "from": current.get_status_display(),
                "to": FollowUpStatus(status).label,
            }
        )
    text = _clean_text(errors, "note", note, label=_("Catatan"), limit=NOTE_MAX)
    why = str(reason or "").strip()
    if status == FollowUpStatus.CANNOT and not why:
        errors.setdefault("reason", []).append(
            _("Tuliskan alasan mengapa arahan tidak dapat dilaksanakan.")
        )
    new_progress = current.progress
    if progress is not None:
        try:
            new_progress = int(progress)
        except (TypeError, ValueError):
            new_progress = -1
        if not 0 <= new_progress <= 100:
            errors.setdefault("progress", []).append(_("Kemajuan berupa angka 0 sampai 100."))
    if errors:
        raise InvalidInput(_("Periksa kembali isian tindak lanjut."), errors)
    if status == FollowUpStatus.DONE:
        new_progress = 100
    finished = status in FOLLOW_UP_FINISHED
    before = {
        "assignment": current.pk,
        "agency": current.agency_id,
        "status": current.status,
        "progress": current.progress,
        "reason": current.reason,
    }
    moved = DirectiveAssignment.objects.filter(
        pk=current.pk, version=version, status__in=UNFINISHED
    ).update(
        status=status,
        progress=new_progress,
        reason=why if status == FollowUpStatus.CANNOT else current.reason,
        completed_at=now if finished else None,
        version=F("version") + 1,
        updated_at=now,
    )
    if moved != 1:
        latest = (
            DirectiveAssignment.objects.filter(pk=current.pk)
            .values_list("version", flat=True)
            .first()
        )
        raise Conflict(_(STALE_ASSIGNMENT), version=latest)
    follow_up = FollowUp.objects.create(
        assignment=current,
        status=status,
        progress=new_progress,
        note=text,
        author=actor,
        created_at=now,
    )
    evidence_ids = _attach(follow_up, files, actor=actor, keep_location=keep_location)
    completed = False
    if finished and not _unfinished_agency_ids(directive):
        completed = (
            Directive.objects.filter(pk=directive.pk, status=DirectiveStatus.OPEN).update(
                status=DirectiveStatus.COMPLETED,
                completed_at=now,
                version=F("version") + 1,
                updated_at=now,
            )
            == 1
        )
    audit.record(
        actor=actor,
        action="directive.follow_up",
        object_type="response.directive",
        object_id=directive.pk,
        area_code=directive.area_id,
        classification=directive.classification,
        before=before,
        after={
            "assignment": current.pk,
            "agency": current.agency_id,
            "status": status,
            "progress": new_progress,
            "reason": why if status == FollowUpStatus.CANNOT else current.reason,
            "follow_up": follow_up.pk,
            "evidence": evidence_ids,
            "on_behalf": current.agency_id not in agency_ids,
        },
    )
    _publish(
        directive,
        "directive.follow_up",
        f"directive.follow_up:{follow_up.pk}",
        agency={"id": current.agency_id, "name": current.agency.name},
        follow_up_status=status,
        progress=new_progress,
    )
    if completed:
        directive.refresh_from_db()
        audit.record(
            actor=actor,
            action="directive.completed",
            obj=directive,
            area_code=directive.area_id,
        )
        _publish(directive, "directive.completed", f"directive.completed:{directive.pk}")
    if finished:
        _tell_issuer_finished(directive, current, status=status, reason=why, completed=completed)
    return follow_up


def _attach(
    follow_up: FollowUp, files: Sequence[Any], *, actor: User, keep_location: bool
) -> list[int]:
    if not files:
        return []
    from waspada.response.services.evidence import add_evidence

    ids: list[int] = []
    for upload in files:
        evidence = add_evidence(follow_up, upload, actor=actor, keep_location=keep_location)
        ids.append(int(evidence.pk))
    return ids


def _tell_issuer_finished(
    directive: Directive,
    assignment: DirectiveAssignment,
    *,
    status: str,
    reason: str,
    completed: bool,
) -> None:
    issuer = directive.issued_by
    if issuer is None:
        return
    values = {"agency": assignment.agency.name, "ref": directive.reference}
    if status == FollowUpStatus.DONE:
        title = _("%(agency)s menyelesaikan arahan %(ref)s") % values
        body = _("%(agency)s melaporkan arahan “%(title)s” telah dilaksanakan.") % {
            **values,
            "title": directive.title,
        }
    else:
        title = _("%(agency)s tidak dapat melaksanakan arahan %(ref)s") % values
        body = _("Alasan: %(reason)s") % {"reason": reason}
    if completed:
        body += " " + _("Semua instansi telah menyelesaikan tindak lanjutnya; arahan selesai.")
    _tell(
        [issuer],
        directive,
        title=title,
        body=body,
        key=f"directive:{directive.pk}:assignment:{assignment.pk}:{status}",
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
                body=_(
                    "“%(title)s” jatuh tempo %(due)s. Segera catat tindak lanjut "
                    "instansi Anda."
                )
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
