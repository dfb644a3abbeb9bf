"""Helpers shared by the case services (`cases`, `conflict_statuses`, `recovery`): the checks
every write makes, the optimistic version bump, the stage history row, the audit entry, local
dates, and the people who follow a case. Not called from outside the services package.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.core import audit
from waspada.core.errors import Conflict, InvalidInput
from waspada.core.permissions import ensure_can
from waspada.geo.zones import zone_for
from waspada.response.access import can_read, ensure_visible
from waspada.response.choices import CaseStatus
from waspada.response.models import CaseStageChange, ConflictCase

if TYPE_CHECKING:
    from waspada.accounts.models import User

MANAGE_PERMISSION = "cases.manage"
# Roles told about a case's status keadaan konflik besides its opener (when their scope covers
# the case's area and they are cleared for it).
FOLLOWER_ROLES = ("analyst", "leader")
LIMITS = {
    "title": 200,
    "name": 200,
    "representative": 200,
    "declared_by": 200,
    "decree_number": 120,
}


def now_or(now: dt.datetime | None) -> dt.datetime:
    """`now`, or the current time (services take `now=` so tests can move the clock)."""
    return now or timezone.now()


def local_today(area_code: str, now: dt.datetime | None = None) -> dt.date:
    """The date in the zone of `area_code` (WIB, WITA or WIT) at `now`."""
    return now_or(now).astimezone(zone_for(area_code)).date()


def check_case(case: ConflictCase, actor: User, *, open_only: bool = True) -> None:
    """The actor may manage this case: visible (else OutOfScope), "cases.manage" in its area
    (else PermissionDenied) and, with `open_only`, the case is not closed (else InvalidInput)."""
    ensure_visible(actor, case.area_id, case.classification)
    ensure_can(actor, MANAGE_PERMISSION, case.area_id)
    if open_only and case.status == CaseStatus.CLOSED:
        message = _("Kasus ini sudah ditutup. Buka kembali kasus untuk mengubahnya.")
        raise InvalidInput(message, {"status": [message]})


def stale_case(case: ConflictCase) -> Conflict:
    """The Conflict for a stale case version, carrying the current version."""
    current = ConflictCase.objects.filter(pk=case.pk).values_list("version", flat=True).first()
    return Conflict(
        _("Kasus ini telah diubah oleh pengguna lain. Muat ulang lalu ulangi perubahan Anda."),
        version=current,
    )


def bump_case(case: ConflictCase, *, version: int | None, **fields: Any) -> None:
    """Raise the case's version (optimistically when `version` is given), set `fields` and
    reload the instance. Raises Conflict when someone changed the case since `version`."""
    qs = ConflictCase.objects.filter(pk=case.pk)
    if version is not None:
        qs = qs.filter(version=version)
    if qs.update(version=F("version") + 1, **fields) != 1:
        raise stale_case(case)
    case.refresh_from_db()


def record_stage(
    case: ConflictCase,
    *,
    actor: User | None,
    from_stage: str,
    to_stage: str,
    note: str,
    at: dt.datetime,
) -> CaseStageChange:
    """Write one row of the stage history."""
    change = CaseStageChange(
        case=case, from_stage=from_stage, to_stage=to_stage, note=note, actor=actor, at=at
    )
    change.save(force_insert=True)
    return change


def record(
    case: ConflictCase,
    *,
    actor: User | None,
    action: str,
    obj: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """An audit entry on the case, or on `obj` belonging to it, in the case's area and at the
    case's classification; the events a partner system follows (opening, stage moves, closing,
    the status keadaan konflik) also go to the webhook subscriptions of the area."""
    entry = audit.record(
        actor=actor,
        action=action,
        obj=obj if obj is not None else case,
        area_code=case.area_id,
        before=before,
        after=after,
        classification=case.classification,
    )
    if action in WEBHOOK_ACTIONS:
        from waspada.response.webhooks import publish

        publish(
            action,
            key=f"{action}:{entry.seq}",
            area_code=case.area_id,
            classification=case.classification,
            title=f"{case.reference} {case.title}",
            url=f"/respons/kasus/{case.pk}/",
            data={
                "case": case.pk,
                "reference": case.reference,
                "stage": case.stage,
                "status": case.status,
                "object": {"type": entry.object_type, "id": entry.object_id},
                "after": entry.after or {},
            },
            at=entry.created_at,
        )


# The case actions a partner system hears about through the area's webhooks.
WEBHOOK_ACTIONS = frozenset(
    {
        "case.opened",
        "case.stage_changed",
        "case.closed",
        "case.reopened",
        "conflict_status.declared",
        "conflict_status.extended",
        "conflict_status.revoked",
        "conflict_status.ended",
    }
)


def clean_date(value: Any, name: str, errors: dict[str, list[str]]) -> dt.date | None:
    """A date from a date, a datetime or an ISO text; adds a message under `name` otherwise."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.setdefault(name, []).append(_("Tanggal tidak valid (TTTT-BB-HH)."))
        return None


def clean_text(
    value: Any, name: str, errors: dict[str, list[str]], *, required: bool = False
) -> str:
    """Stripped text; adds "required" and length messages to `errors` under `name`."""
    text = str(value or "").strip()
    if required and not text:
        errors.setdefault(name, []).append(_("Wajib diisi."))
    limit = LIMITS.get(name)
    if limit and len(text) > limit:
        errors.setdefault(name, []).append(_("Paling banyak %(n)d karakter.") % {"n": limit})
    return text


def followers(case: ConflictCase) -> list[User]:
    """The people who follow a case: its opener, and the active analysts and leaders assigned
    to the case's area or an area above it; each must still see the case (scope and clearance)."""
    parts = case.area_id.split(".")
    covering = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
    model = get_user_model()
    users: list[User] = list(
        model.objects.filter(
            is_active=True, role__in=FOLLOWER_ROLES, assignments__area_id__in=covering
        )
        .distinct()
        .order_by("pk")
    )
    if case.opened_by_id is not None and all(u.pk != case.opened_by_id for u in users):
        opener = model.objects.filter(pk=case.opened_by_id, is_active=True).first()
        if opener is not None:
            users.insert(0, opener)
    return [u for u in users if can_read(u, case.area_id, case.classification)]
