"""Writes of the *status keadaan konflik* of a case: declare, extend, revoke, and the periodic run
that reminds its followers before the end and ends it when its last day has passed.

A status covers a kab/kota (scale kabupaten_kota), a province (provinsi) or the whole country
(nasional, no area); its area must contain the case's area. It lasts at most
WASPADA_CONFLICT_STATUS_MAX_DAYS days counted inclusively (90: `end_date` = start + 89 days by
default; day 90 is the last day in force). An extension is a new row whose `extends` points at
the status it prolongs and which starts the day after it ends; all extensions of one declaration
together last at most WASPADA_CONFLICT_STATUS_EXTENSION_MAX_DAYS days (30). The extended row
becomes EXTENDED and never "ends": its extension carries on. One status is in force (ACTIVE) per
case at a time.

Reminders go WASPADA_CONFLICT_STATUS_REMINDER_DAYS days before the end (14, 7 and 1: days 76, 83
and 89 of 90), in the zone of the case's area, to the case's followers (`cases_base.followers`);
a notification key per status and reminder makes a repeated run send nothing, and a run after
missed ones sends only the nearest due reminder, never a burst of old ones.

Audit actions: conflict_status.declared, conflict_status.extended, conflict_status.revoked,
conflict_status.ended (by the system), and case.stage_changed when a declaration moves a case
out of pencegahan.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from waspada.core import audit
from waspada.core.errors import Conflict, InvalidInput
from waspada.core.scoping import code_within
from waspada.geo.choices import AreaLevel
from waspada.geo.models import Area
from waspada.notifications.choices import NotificationKind
from waspada.response.choices import CaseStage, ConflictScale, ConflictStatusState
from waspada.response.models import ConflictCase, ConflictStatus
from waspada.response.services.cases_base import (
    bump_case,
    check_case,
    clean_date,
    clean_text,
    followers,
    local_today,
    now_or,
    record,
    record_stage,
)

if TYPE_CHECKING:
    from waspada.accounts.models import User

SCALE_LEVEL = {ConflictScale.REGENCY: AreaLevel.REGENCY, ConflictScale.PROVINCE: AreaLevel.PROVINCE}


def max_days() -> int:
    """The longest a declared status may last, in days (WASPADA_CONFLICT_STATUS_MAX_DAYS)."""
    return int(getattr(settings, "WASPADA_CONFLICT_STATUS_MAX_DAYS", 90))


def extension_max_days() -> int:
    """The longest all extensions of one declaration may last together, in days."""
    return int(getattr(settings, "WASPADA_CONFLICT_STATUS_EXTENSION_MAX_DAYS", 30))


def reminder_days() -> list[int]:
    """How many days before the end reminders go out (largest first)."""
    days = getattr(settings, "WASPADA_CONFLICT_STATUS_REMINDER_DAYS", [14, 7, 1])
    return sorted({int(d) for d in days if int(d) > 0}, reverse=True)


def length_in_days(start: dt.date, end: dt.date) -> int:
    """Days from `start` to `end`, both counted."""
    return (end - start).days + 1


def chain(status: ConflictStatus) -> list[ConflictStatus]:
    """The declaration and its extensions up to `status`, oldest first."""
    rows = [status]
    while rows[0].extends_id is not None:
        rows.insert(0, ConflictStatus.objects.get(pk=rows[0].extends_id))
    return rows


def _day(value: dt.date) -> str:
    return formats.date_format(value, "j F Y")


def _lock(case: ConflictCase) -> ConflictCase:
    """The case, locked for the rest of the transaction (one status in force at a time)."""
    return ConflictCase.objects.select_for_update().get(pk=case.pk)


def _snapshot(status: ConflictStatus) -> dict[str, Any]:
    return audit.snapshot(status)


def _tell(case: ConflictCase, *, key: str, title: str, body: str) -> int:
    from waspada.notifications.services import notify

    sent = notify(
        followers(case),
        kind=NotificationKind.CONFLICT_CASE,
        title=title,
        body=body,
        url=reverse("response:case_detail", args=[case.pk]),
        area_code=case.area_id,
        key=key,
    )
    return len(sent)


def _clean_area(
    scale: str, area_code: str | None, case: ConflictCase, errors: dict[str, list[str]]
) -> Area | None:
    if scale not in ConflictScale.values:
        errors.setdefault("scale", []).append(_("Skala tidak dikenal."))
        return None
    code = (area_code or "").strip()
    if scale == ConflictScale.NATIONAL:
        if code:
            errors.setdefault("area_code", []).append(
                _("Status skala nasional berlaku untuk seluruh Indonesia: kosongkan wilayah.")
            )
        return None
    level = SCALE_LEVEL[ConflictScale(scale)]
    area = Area.objects.filter(code=code).first() if code else None
    if area is None or area.level != level:
        message = (
            _("Skala kabupaten/kota memerlukan wilayah kabupaten/kota, contoh: 62.71.")
            if level == AreaLevel.REGENCY
            else _("Skala provinsi memerlukan wilayah provinsi, contoh: 62.")
        )
        errors.setdefault("area_code", []).append(message)
        return None
    if not code_within(case.area_id, area.code):
        errors.setdefault("area_code", []).append(
            _("Wilayah status harus mencakup wilayah kasus (%(area)s).") % {"area": case.area_id}
        )
    return area


@transaction.atomic
def declare_status(
    case: ConflictCase,
    *,
    actor: User,
    scale: str,
    area_code: str | None,
    declared_by: str,
    decree_number: str,
    start_date: Any,
    end_date: Any = None,
    now: dt.datetime | None = None,
) -> ConflictStatus:
    """Record a declared status keadaan konflik for an open case.

    `end_date` defaults to the longest allowed (start + 89 days). Declaring it while the case is
    in pencegahan moves the case to penghentian (recorded in its stage history). The case's
    followers are told.

    Raises InvalidInput for a wrong scale or area, missing declarer or decree, an end before the
    start, a status longer than allowed, one already over, or when a status is already in force.
    """
    check_case(case, actor)
    case = _lock(case)
    check_case(case, actor)
    at = now_or(now)
    errors: dict[str, list[str]] = {}
    area = _clean_area(scale, area_code, case, errors)
    who = clean_text(declared_by, "declared_by", errors, required=True)
    decree = clean_text(decree_number, "decree_number", errors, required=True)
    start = clean_date(start_date, "start_date", errors)
    if start is None and "start_date" not in errors:
        errors["start_date"] = [_("Wajib diisi.")]
    end = clean_date(end_date, "end_date", errors)
    limit = max_days()
    if start is not None and end is None and "end_date" not in errors:
        end = start + dt.timedelta(days=limit - 1)
    if start is not None and end is not None:
        if end < start:
            errors.setdefault("end_date", []).append(
                _("Tanggal berakhir tidak boleh sebelum tanggal mulai.")
            )
        elif length_in_days(start, end) > limit:
            errors.setdefault("end_date", []).append(
                _("Status keadaan konflik berlaku paling lama %(n)d hari: paling lambat %(day)s.")
                % {"n": limit, "day": _day(start + dt.timedelta(days=limit - 1))}
            )
        elif end < local_today(case.area_id, at):
            errors.setdefault("end_date", []).append(
                _("Masa berlaku ini sudah lewat; catat status yang masih atau akan berlaku.")
            )
    if ConflictStatus.objects.filter(case=case, state=ConflictStatusState.ACTIVE).exists():
        errors.setdefault("status", []).append(
            _(
                "Kasus ini sudah memiliki status keadaan konflik yang berlaku. "
                "Perpanjang atau cabut status itu."
            )
        )
    if errors:
        raise InvalidInput(_("Periksa kembali isian status keadaan konflik."), errors)
    assert start is not None and end is not None  # noqa: S101 (errors raised above otherwise)
    status = ConflictStatus(
        case=case,
        scale=scale,
        area=area,
        declared_by=who,
        decree_number=decree,
        start_date=start,
        end_date=end,
        state=ConflictStatusState.ACTIVE,
        recorded_by=actor,
        recorded_at=at,
    )
    status.save(force_insert=True)
    record(case, actor=actor, action="conflict_status.declared", obj=status)
    if case.stage == CaseStage.PREVENTION:
        before = audit.snapshot(case)
        bump_case(case, version=None, stage=CaseStage.STOPPING)
        note = _("Status keadaan konflik ditetapkan (%(decree)s).") % {"decree": decree}
        record_stage(
            case,
            actor=actor,
            from_stage=CaseStage.PREVENTION,
            to_stage=CaseStage.STOPPING,
            note=note,
            at=at,
        )
        after = audit.snapshot(case)
        after["note"] = note
        record(case, actor=actor, action="case.stage_changed", before=before, after=after)
    else:
        bump_case(case, version=None)
    _tell(
        case,
        key=f"conflict_status:{status.pk}:declared",
        title=_("Status keadaan konflik ditetapkan: %(ref)s") % {"ref": case.reference},
        body=_("%(scale)s, keputusan %(decree)s oleh %(who)s, berlaku %(start)s sampai %(end)s.")
        % {
            "scale": status.get_scale_display(),
            "decree": decree,
            "who": who,
            "start": _day(start),
            "end": _day(end),
        },
    )
    return status


def _lock_status(status: ConflictStatus, version: int) -> ConflictStatus:
    """The status row locked; Conflict when its version moved since `version`."""
    locked = ConflictStatus.objects.select_for_update().select_related("case").get(pk=status.pk)
    if locked.version != version:
        raise Conflict(
            _("Status ini telah diubah oleh pengguna lain. Muat ulang lalu ulangi perubahan Anda."),
            version=locked.version,
        )
    return locked


def _ensure_in_force(status: ConflictStatus) -> None:
    if status.state != ConflictStatusState.ACTIVE:
        message = _("Status ini sudah tidak berlaku (%(state)s).") % {
            "state": status.get_state_display()
        }
        raise InvalidInput(message, {"status": [message]})


@transaction.atomic
def extend_status(
    status: ConflictStatus,
    *,
    actor: User,
    version: int,
    declared_by: str,
    decree_number: str,
    end_date: Any,
    now: dt.datetime | None = None,
) -> ConflictStatus:
    """Extend the status in force: a new row that starts the day after it ends and lasts until
    `end_date`; the old row becomes EXTENDED. All extensions of one declaration together last at
    most WASPADA_CONFLICT_STATUS_EXTENSION_MAX_DAYS days.

    Raises Conflict for a stale `version`; InvalidInput when the status is not in force or
    already over, for a missing declarer or decree, an end before the start, or a longer
    extension than allowed.
    """
    check_case(status.case, actor)
    old = _lock_status(status, version)
    case = old.case
    check_case(case, actor)
    _ensure_in_force(old)
    at = now_or(now)
    errors: dict[str, list[str]] = {}
    who = clean_text(declared_by, "declared_by", errors, required=True)
    decree = clean_text(decree_number, "decree_number", errors, required=True)
    start = old.end_date + dt.timedelta(days=1)
    end = clean_date(end_date, "end_date", errors)
    if end is None and "end_date" not in errors:
        errors["end_date"] = [_("Wajib diisi.")]
    if old.end_date < local_today(case.area_id, at):
        errors.setdefault("status", []).append(
            _("Masa berlaku status ini sudah lewat; status yang berakhir tidak dapat diperpanjang.")
        )
    used = sum(length_in_days(r.start_date, r.end_date) for r in chain(old) if r.is_extension)
    allowed = extension_max_days() - used
    if end is not None:
        if end < start:
            errors.setdefault("end_date", []).append(
                _("Perpanjangan mulai %(start)s: tanggal berakhir tidak boleh sebelum itu.")
                % {"start": _day(start)}
            )
        elif length_in_days(start, end) > allowed:
            errors.setdefault("end_date", []).append(
                _(
                    "Perpanjangan paling lama %(n)d hari (tersisa %(left)d hari): "
                    "paling lambat %(day)s."
                )
                % {
                    "n": extension_max_days(),
                    "left": max(allowed, 0),
                    "day": _day(start + dt.timedelta(days=max(allowed, 1) - 1)),
                }
            )
    if errors:
        raise InvalidInput(_("Periksa kembali isian perpanjangan."), errors)
    assert end is not None  # noqa: S101 (errors raised above otherwise)
    before = _snapshot(old)
    ConflictStatus.objects.filter(pk=old.pk, version=version).update(
        state=ConflictStatusState.EXTENDED, version=F("version") + 1
    )
    old.refresh_from_db()
    record(
        case,
        actor=actor,
        action="conflict_status.superseded",
        obj=old,
        before=before,
        after=_snapshot(old),
    )
    extension = ConflictStatus(
        case=case,
        scale=old.scale,
        area_id=old.area_id,
        declared_by=who,
        decree_number=decree,
        start_date=start,
        end_date=end,
        extends=old,
        state=ConflictStatusState.ACTIVE,
        recorded_by=actor,
        recorded_at=at,
    )
    extension.save(force_insert=True)
    record(case, actor=actor, action="conflict_status.extended", obj=extension)
    bump_case(case, version=None)
    _tell(
        case,
        key=f"conflict_status:{extension.pk}:declared",
        title=_("Status keadaan konflik diperpanjang: %(ref)s") % {"ref": case.reference},
        body=_("Keputusan %(decree)s oleh %(who)s: diperpanjang sampai %(end)s.")
        % {"decree": decree, "who": who, "end": _day(end)},
    )
    return extension


@transaction.atomic
def revoke_status(
    status: ConflictStatus,
    *,
    actor: User,
    version: int,
    reason: str,
    now: dt.datetime | None = None,
) -> ConflictStatus:
    """End the status in force early (revoked), with a reason (required).

    Raises Conflict for a stale `version`, InvalidInput when it is not in force or without a
    reason.
    """
    check_case(status.case, actor)
    locked = _lock_status(status, version)
    case = locked.case
    _ensure_in_force(locked)
    errors: dict[str, list[str]] = {}
    why = clean_text(reason, "reason", errors, required=True)
    if errors:
        raise InvalidInput(_("Sebutkan alasan pencabutan."), errors)
    before = _snapshot(locked)
    ConflictStatus.objects.filter(pk=locked.pk, version=version).update(
        state=ConflictStatusState.REVOKED,
        ended_at=now_or(now),
        end_reason=why,
        version=F("version") + 1,
    )
    locked.refresh_from_db()
    record(case, actor=actor, action="conflict_status.revoked", obj=locked, before=before)
    bump_case(case, version=None)
    _tell(
        case,
        key=f"conflict_status:{locked.pk}:revoked",
        title=_("Status keadaan konflik dicabut: %(ref)s") % {"ref": case.reference},
        body=why,
    )
    return locked


# ---------------------------------------------------------------- the periodic run


def _due_reminder(status: ConflictStatus, today: dt.date) -> int | None:
    """The nearest reminder due today or earlier and not yet past the end (None: none due).

    A reminder "n days before the end" falls on end_date - n; one that would fall before the
    status starts is never due (a short status gets only the reminders that fit in it).
    """
    if today > status.end_date:
        return None
    due = [
        n
        for n in reminder_days()
        if status.end_date - dt.timedelta(days=n) <= today
        and status.end_date - dt.timedelta(days=n) >= status.start_date
    ]
    return min(due) if due else None


def _remind(status: ConflictStatus, today: dt.date) -> int:
    n = _due_reminder(status, today)
    if n is None:
        return 0
    case = status.case
    left = (status.end_date - today).days
    title = (
        _("Status keadaan konflik %(ref)s berakhir dalam %(n)d hari")
        % {"ref": case.reference, "n": left}
        if left
        else _("Status keadaan konflik %(ref)s berakhir hari ini") % {"ref": case.reference}
    )
    body = _(
        "%(scale)s (keputusan %(decree)s) untuk kasus %(ref)s berlaku sampai %(end)s. "
        "Putuskan perpanjangan (paling lama %(ext)d hari) atau siapkan pemulihan."
    ) % {
        "scale": status.get_scale_display(),
        "decree": status.decree_number,
        "ref": case.reference,
        "end": _day(status.end_date),
        "ext": extension_max_days(),
    }
    from waspada.response.webhooks import publish

    publish(
        "conflict_status.ending",
        key=f"conflict_status:{status.pk}:reminder:{n}",
        area_code=case.area_id,
        classification=case.classification,
        title=title,
        url=f"/respons/kasus/{case.pk}/",
        data={
            "case": case.pk,
            "status": status.pk,
            "end_date": status.end_date.isoformat(),
            "days_left": left,
            "decree_number": status.decree_number,
        },
    )
    return _tell(case, key=f"conflict_status:{status.pk}:reminder:{n}", title=title, body=body)


def _end(status: ConflictStatus, at: dt.datetime) -> bool:
    before = _snapshot(status)
    moved = ConflictStatus.objects.filter(pk=status.pk, state=ConflictStatusState.ACTIVE).update(
        state=ConflictStatusState.ENDED,
        ended_at=at,
        end_reason=_("Masa berlaku berakhir."),
        version=F("version") + 1,
    )
    if moved != 1:
        return False
    status.refresh_from_db()
    case = status.case
    record(case, actor=None, action="conflict_status.ended", obj=status, before=before)
    _tell(
        case,
        key=f"conflict_status:{status.pk}:ended",
        title=_("Status keadaan konflik %(ref)s berakhir") % {"ref": case.reference},
        body=_("%(scale)s (keputusan %(decree)s) berakhir setelah %(end)s.")
        % {
            "scale": status.get_scale_display(),
            "decree": status.decree_number,
            "end": _day(status.end_date),
        },
    )
    return True


def process_conflict_statuses(now: dt.datetime | None = None) -> dict[str, int]:
    """For every status in force: end it when its last day (in the zone of the case's area) has
    passed, otherwise send the reminder that is due. Each status in its own transaction; safe to
    run again (ending is an optimistic transition, reminders carry notification keys).

    Returns counts: statuses seen, reminders sent (notifications written) and statuses ended.
    """
    at = now_or(now)
    counts = {"seen": 0, "reminders": 0, "ended": 0}
    ids = list(
        ConflictStatus.objects.filter(state=ConflictStatusState.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            status = (
                ConflictStatus.objects.select_for_update()
                .select_related("case")
                .filter(pk=pk, state=ConflictStatusState.ACTIVE)
                .first()
            )
            if status is None:
                continue
            counts["seen"] += 1
            today = local_today(status.case.area_id, at)
            if status.end_date < today:
                counts["ended"] += int(_end(status, at))
            else:
                counts["reminders"] += _remind(status, today)
    return counts
