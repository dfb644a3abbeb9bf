"""Writes of the activities of a RAD: add, change and remove (the rules are those of
`services.timdu`; re-exported there).

Audit actions: plan_activity.added, plan_activity.updated, plan_activity.removed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from waspada.core import audit
from waspada.core.errors import Conflict, InvalidInput
from waspada.response.choices import CaseStage, PlanReportStatus, PlanStatus
from waspada.response.models import ActionPlan, PlanActivity, PlanReportEntry
from waspada.response.selectors.agencies import agencies_for_area
from waspada.response.services.timdu_rules import (
    STALE,
    clean_version,
    ensure_manage,
    raise_errors,
    text_field,
    unknown_fields,
    whole,
)

if TYPE_CHECKING:
    from waspada.accounts.models import User

ACTIVITY_FIELDS = (
    "stage",
    "title",
    "description",
    "agency_id",
    "target",
    "budget",
    "start_month",
    "end_month",
)


def _ensure_open(plan: ActionPlan) -> None:
    if plan.status == PlanStatus.CLOSED:
        raise InvalidInput(_("RAD yang sudah ditutup tidak dapat diubah."))


def _clean_activity(
    actor: User, plan: ActionPlan, fields: dict[str, Any], *, creating: bool, current: Any = None
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    unknown_fields(fields, ACTIVITY_FIELDS, errors)
    clean: dict[str, Any] = {}
    if "stage" in fields:
        if fields["stage"] not in CaseStage.values:
            errors["stage"] = [_("Pilih tahap: pencegahan, penghentian atau pemulihan.")]
        clean["stage"] = fields["stage"]
    for name in ("title", "target", "description"):
        if name in fields:
            clean[name] = text_field(name, fields[name], errors, required=name != "description")
    if "agency_id" in fields:
        allowed = {a.pk for a in agencies_for_area(actor, plan.timdu.area_id)}
        try:
            agency_id = int(fields["agency_id"])
        except (TypeError, ValueError):
            agency_id = -1
        if agency_id not in allowed and not (current is not None and current == agency_id):
            errors["agency_id"] = [
                _("Pilih instansi aktif dari wilayah Timdu, wilayah di atasnya atau di bawahnya.")
            ]
        clean["agency_id"] = agency_id
    if "budget" in fields:
        clean["budget"] = whole(
            "budget",
            fields["budget"],
            errors,
            low=0,
            message=_("Anggaran harus bilangan bulat rupiah, 0 atau lebih."),
        )
    month_message = _("Bulan harus 1 (Januari) sampai 12 (Desember).")
    for name in ("start_month", "end_month"):
        if name in fields:
            clean[name] = whole(name, fields[name], errors, low=1, high=12, message=month_message)
    raise_errors(errors, _("Periksa kembali isian kegiatan."))
    return clean


def _check_months(start: int, end: int) -> None:
    if end < start:
        message = _("Bulan selesai tidak boleh sebelum bulan mulai.")
        raise InvalidInput(message, {"end_month": [message]})


@transaction.atomic
def add_activity(
    plan: ActionPlan,
    *,
    actor: User,
    stage: str,
    title: str,
    description: str = "",
    agency_id: int | str,
    target: str,
    budget: int | str,
    start_month: int | str,
    end_month: int | str,
) -> PlanActivity:
    """Add an activity to a plan that is not closed, under a stage, with the responsible agency
    (of the Timdu's area, above or below it), target, budget (whole rupiah) and schedule months.

    Raises InvalidInput for bad fields (every problem at once).
    """
    timdu = plan.timdu
    ensure_manage(actor, timdu)
    _ensure_open(plan)
    fields = {
        "stage": stage,
        "title": title,
        "description": description,
        "agency_id": agency_id,
        "target": target,
        "budget": budget,
        "start_month": start_month,
        "end_month": end_month,
    }
    clean = _clean_activity(actor, plan, fields, creating=True)
    _check_months(clean["start_month"], clean["end_month"])
    last = PlanActivity.objects.filter(plan=plan, stage=clean["stage"]).aggregate(
        top=Max("sort_order")
    )["top"]
    activity = PlanActivity.objects.create(plan=plan, sort_order=(last or 0) + 1, **clean)
    audit.record(actor=actor, action="plan_activity.added", obj=activity, area_code=timdu.area_id)
    return activity


@transaction.atomic
def update_activity(
    activity: PlanActivity, *, actor: User, version: int, **fields: Any
) -> PlanActivity:
    """Change an activity of a plan that is not closed (any of the fields of `add_activity`).

    Raises InvalidInput for bad fields and Conflict when someone changed it since `version`.
    """
    plan = activity.plan
    timdu = plan.timdu
    ensure_manage(actor, timdu)
    _ensure_open(plan)
    version = clean_version(version)
    clean = _clean_activity(actor, plan, fields, creating=False, current=activity.agency_id)
    _check_months(
        clean.get("start_month", activity.start_month), clean.get("end_month", activity.end_month)
    )
    if not clean:
        return activity
    before = audit.snapshot(activity)
    moved = PlanActivity.objects.filter(pk=activity.pk, version=version).update(
        version=F("version") + 1, **clean
    )
    if moved != 1:
        raise Conflict(STALE)
    activity.refresh_from_db()
    audit.record(
        actor=actor,
        action="plan_activity.updated",
        obj=activity,
        before=before,
        area_code=timdu.area_id,
    )
    return activity


@transaction.atomic
def remove_activity(
    activity: PlanActivity, *, actor: User, version: int | str | None = None
) -> None:
    """Remove an activity (and its draft report entries) from a plan that is not closed.

    Refused (InvalidInput) once a submitted report gives its progress; Conflict when `version`
    is given and someone changed the activity since.
    """
    plan = activity.plan
    timdu = plan.timdu
    ensure_manage(actor, timdu)
    _ensure_open(plan)
    reported = PlanReportEntry.objects.filter(
        activity=activity, report__status=PlanReportStatus.SUBMITTED
    ).exists()
    if reported:
        raise InvalidInput(
            _(
                "Kegiatan ini sudah dilaporkan dalam laporan yang diajukan dan tidak dapat "
                "dihapus. Ubah saja uraian atau jadwalnya."
            )
        )
    query = PlanActivity.objects.filter(pk=activity.pk)
    if version is not None:
        query = query.filter(version=clean_version(version))
    before = audit.snapshot(activity)
    deleted, _rows = query.delete()
    if not deleted:
        raise Conflict(STALE)
    audit.record(
        actor=actor,
        action="plan_activity.removed",
        object_type="response.planactivity",
        object_id=before["id"],
        area_code=timdu.area_id,
        before=before,
    )
