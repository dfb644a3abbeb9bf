"""Writes of the recovery activities of a case (UU 7/2012 Pasal 36: rekonsiliasi, rehabilitasi,
rekonstruksi) and their evidence.

Recovery belongs to the pemulihan stage, but activities may be planned earlier, so any open case
takes them. Each needs "cases.manage" in the case's area; the agency responsible, when given,
must be one of the agencies that may act in the case's area (`agencies_for_area`).

Audit actions: recovery.added, recovery.updated (and evidence.added from the evidence service).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from waspada.core import audit
from waspada.core.errors import Conflict, InvalidInput
from waspada.events.attachments import Upload
from waspada.response.choices import ActivityStatus, RecoveryKind
from waspada.response.models import ConflictCase, Evidence, RecoveryActivity
from waspada.response.selectors.agencies import agencies_for_area
from waspada.response.services.cases_base import check_case, clean_date, clean_text, record
from waspada.response.services.evidence import add_evidence

if TYPE_CHECKING:
    from waspada.accounts.models import User

ACTIVITY_FIELDS = (
    "kind",
    "title",
    "description",
    "agency_id",
    "status",
    "start_date",
    "end_date",
    "notes",
)


def _clean(
    actor: User, case: ConflictCase, fields: dict[str, Any], errors: dict[str, list[str]]
) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in ACTIVITY_FIELDS:
            errors.setdefault(name, []).append(_("Kolom ini tidak dapat diubah."))
        elif name == "kind":
            if value not in RecoveryKind.values:
                errors.setdefault(name, []).append(_("Jenis pemulihan tidak dikenal."))
            clean[name] = value
        elif name == "status":
            if value not in ActivityStatus.values:
                errors.setdefault(name, []).append(_("Status tidak dikenal."))
            clean[name] = value
        elif name == "agency_id":
            clean[name] = _agency(actor, case, value, errors)
        elif name in ("start_date", "end_date"):
            clean[name] = clean_date(value, name, errors)
        else:
            clean[name] = clean_text(value, name, errors, required=name == "title")
    return clean


def _agency(actor: User, case: ConflictCase, value: Any, errors: dict[str, list[str]]) -> Any:
    if value in (None, ""):
        return None
    try:
        wanted = int(value)
    except (TypeError, ValueError):
        wanted = -1
    if wanted not in {a.pk for a in agencies_for_area(actor, case.area_id)}:
        errors.setdefault("agency_id", []).append(
            _("Instansi tidak dikenal atau tidak bertugas di wilayah kasus.")
        )
    return wanted


def _check_dates(values: dict[str, Any], errors: dict[str, list[str]]) -> None:
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        errors.setdefault("end_date", []).append(
            _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
        )


@transaction.atomic
def add_recovery_activity(
    case: ConflictCase,
    *,
    actor: User,
    kind: str,
    title: str,
    description: str = "",
    agency_id: int | None = None,
    status: str = ActivityStatus.PLANNED,
    start_date: Any = None,
    end_date: Any = None,
    notes: str = "",
) -> RecoveryActivity:
    """Add a recovery activity (reconciliation, rehabilitation or reconstruction) to an open case.

    Raises InvalidInput for an unknown kind or status, a missing title, an agency that does not
    serve the case's area, or an end before the start.
    """
    check_case(case, actor)
    errors: dict[str, list[str]] = {}
    values = _clean(
        actor,
        case,
        {
            "kind": kind,
            "title": title,
            "description": description,
            "agency_id": agency_id,
            "status": status,
            "start_date": start_date,
            "end_date": end_date,
            "notes": notes,
        },
        errors,
    )
    _check_dates(values, errors)
    if errors:
        raise InvalidInput(_("Periksa kembali isian kegiatan pemulihan."), errors)
    activity = RecoveryActivity(case=case, created_by=actor, **values)
    activity.save(force_insert=True)
    record(case, actor=actor, action="recovery.added", obj=activity)
    return activity


@transaction.atomic
def update_recovery_activity(
    activity: RecoveryActivity, *, actor: User, version: int, **fields: Any
) -> RecoveryActivity:
    """Change a recovery activity of an open case (only the fields given).

    Raises Conflict when someone changed it since `version`, InvalidInput for bad fields.
    """
    case = activity.case
    check_case(case, actor)
    errors: dict[str, list[str]] = {}
    values = _clean(actor, case, fields, errors)
    merged = {
        "start_date": values.get("start_date", activity.start_date),
        "end_date": values.get("end_date", activity.end_date),
    }
    _check_dates(merged, errors)
    if errors:
        raise InvalidInput(_("Periksa kembali isian kegiatan pemulihan."), errors)
    before = audit.snapshot(activity)
    moved = RecoveryActivity.objects.filter(pk=activity.pk, version=version).update(
        version=F("version") + 1, **values
    )
    if moved != 1:
        current = (
            RecoveryActivity.objects.filter(pk=activity.pk)
            .values_list("version", flat=True)
            .first()
        )
        raise Conflict(
            _("Kegiatan ini telah diubah orang lain. Muat ulang lalu ulangi perubahan Anda."),
            version=current,
        )
    activity.refresh_from_db()
    record(case, actor=actor, action="recovery.updated", obj=activity, before=before)
    return activity


@transaction.atomic
def add_recovery_evidence(
    activity: RecoveryActivity, upload: Upload, *, actor: User, keep_location: bool = False
) -> Evidence:
    """Attach a photo, PDF or office document to a recovery activity of an open case.

    Raises InvalidInput (under "file") for an empty, oversized, disguised or unreadable file.
    """
    check_case(activity.case, actor)
    return add_evidence(activity, upload, actor=actor, keep_location=keep_location)
