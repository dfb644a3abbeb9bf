"""The agencies' follow-up (*tindak lanjut*) of a directive: status, progress, notes, evidence.

See `directives` for the rules every service follows; `record_follow_up` is re-exported there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.core import audit
from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.response.access import member_agency_ids
from waspada.response.choices import (
    FOLLOW_UP_FINISHED,
    DirectiveStatus,
    FollowUpStatus,
)
from waspada.response.models import (
    Directive,
    DirectiveAssignment,
    FollowUp,
)
from waspada.response.selectors.directives import may_act_for

if TYPE_CHECKING:
    from waspada.accounts.models import User
from waspada.response.services.directive_common import (
    ACT_PERMISSION,
    FOLLOW_UP_NEXT,
    NOTE_MAX,
    STALE_ASSIGNMENT,
    UNFINISHED,
    _clean_text,
    _lock,
    _publish,
    _require_open,
    _tell,
    _unfinished_agency_ids,
    can_see_directive,
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
