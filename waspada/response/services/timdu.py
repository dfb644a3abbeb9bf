"""Writes of Timdus (Tim Terpadu Penanganan Konflik Sosial), their member agencies, their yearly
action plans (RAD) and the plans' activities. Activities live in `timdu_activities`, progress
reports in `timdu_progress`, the missing-report flags in `timdu_flags`, shared checks in
`timdu_rules`; all are re-exported here, so callers import this module only.

Every service runs in one transaction, checks "response.manage" in the Timdu's area (a Timdu the
actor cannot see is OutOfScope, 404; one they see without the permission or outside their own
scope is PermissionDenied, 403), validates everything before writing (InvalidInput with
Indonesian messages per field), changes rows optimistically by `version` (Conflict, 409, when
someone else changed them first) and writes an audit entry with the Timdu's area code.

Rules: one Timdu per area, at provinsi or kab/kota level; a member agency belongs to the Timdu's
area, one above it or one below it, and is visible to the actor; one chair at most; one plan per
Timdu and year; a plan moves draft -> active (with at least one activity) -> closed; a closed
plan is read-only; an activity cannot be removed once a submitted report gives its progress.

Audit actions: timdu.created, timdu.updated, timdu.member_set, timdu.member_removed,
action_plan.created, action_plan.updated, plan_activity.added, plan_activity.updated,
plan_activity.removed (plus those of `timdu_progress`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.core import audit
from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.permissions import ensure_can
from waspada.geo.choices import AreaLevel
from waspada.geo.models import Area
from waspada.response.choices import PlanStatus, TimduRole
from waspada.response.models import (
    ActionPlan,
    Timdu,
    TimduMember,
)
from waspada.response.selectors.agencies import agencies_for_area
from waspada.response.services.timdu_activities import (
    add_activity,
    remove_activity,
    update_activity,
)
from waspada.response.services.timdu_flags import flag_missing_plan_reports
from waspada.response.services.timdu_progress import (
    add_plan_evidence,
    save_plan_report,
    submit_plan_report,
)
from waspada.response.services.timdu_rules import (
    MANAGE_PERMISSION,
    STALE,
    clean_version,
    date_field,
    ensure_manage,
    raise_errors,
    text_field,
    unknown_fields,
    whole,
)

if TYPE_CHECKING:
    from waspada.accounts.models import User

TIMDU_FIELDS = ("name", "chair", "decree_number", "decree_date")
PLAN_FIELDS = ("title", "year", "status")
# Allowed status moves of a plan.
PLAN_MOVES = {
    (PlanStatus.DRAFT, PlanStatus.ACTIVE),
    (PlanStatus.ACTIVE, PlanStatus.CLOSED),
}

__all__ = [
    "add_activity",
    "add_plan_evidence",
    "create_plan",
    "create_timdu",
    "flag_missing_plan_reports",
    "remove_activity",
    "remove_member",
    "save_plan_report",
    "set_member",
    "submit_plan_report",
    "update_activity",
    "update_plan",
    "update_timdu",
]


def _clean_timdu(fields: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    unknown_fields(fields, TIMDU_FIELDS, errors)
    clean: dict[str, Any] = {}
    for name in ("name", "chair", "decree_number"):
        if name in fields or creating:
            clean[name] = text_field(name, fields.get(name), errors, required=name == "name")
    if "decree_date" in fields or creating:
        clean["decree_date"] = date_field("decree_date", fields.get("decree_date"), errors)
    raise_errors(errors, _("Periksa kembali isian Timdu."))
    return clean


# ---------------------------------------------------------------- Timdu


@transaction.atomic
def create_timdu(
    *,
    actor: User,
    area_code: str,
    name: str,
    chair: str = "",
    decree_number: str = "",
    decree_date: dt.date | str | None = None,
) -> Timdu:
    """Create the Timdu PKS of a provinsi or kab/kota.

    Raises OutOfScope when the area lies outside the actor's scope (or does not exist),
    PermissionDenied without "response.manage", InvalidInput for bad fields or an area below
    kab/kota, and Conflict (with `existing_id`) when the area already has its Timdu.
    """
    area_code = (area_code or "").strip()
    ensure_can(actor, MANAGE_PERMISSION, area_code)
    area = Area.objects.filter(code=area_code).first()
    if area is None:
        raise OutOfScope(area_code)
    clean = _clean_timdu(
        {"name": name, "chair": chair, "decree_number": decree_number, "decree_date": decree_date},
        creating=True,
    )
    if area.level not in (AreaLevel.PROVINCE, AreaLevel.REGENCY):
        message = _("Timdu dibentuk di tingkat provinsi atau kabupaten/kota.")
        raise InvalidInput(message, {"area_code": [message]})
    existing = Timdu.objects.filter(area=area).values_list("pk", flat=True).first()
    if existing is not None:
        raise Conflict(_("Wilayah ini sudah punya Timdu."), existing_id=existing)
    timdu = Timdu(area=area, **clean)
    try:
        with transaction.atomic():
            timdu.save(force_insert=True)
    except IntegrityError:  # a concurrent create won
        raise Conflict(_("Wilayah ini sudah punya Timdu.")) from None
    audit.record(actor=actor, action="timdu.created", obj=timdu, area_code=area.code)
    return timdu


@transaction.atomic
def update_timdu(timdu: Timdu, *, actor: User, version: int, **fields: Any) -> Timdu:
    """Change the Timdu's name, chair or decree (SK number and date).

    Raises InvalidInput for bad or unknown fields and Conflict when someone changed it since
    `version`.
    """
    ensure_manage(actor, timdu)
    version = clean_version(version)
    clean = _clean_timdu(fields, creating=False)
    before = audit.snapshot(timdu)
    moved = Timdu.objects.filter(pk=timdu.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **clean
    )
    if moved != 1:
        raise Conflict(STALE)
    timdu.refresh_from_db()
    audit.record(
        actor=actor, action="timdu.updated", obj=timdu, before=before, area_code=timdu.area_id
    )
    return timdu


@transaction.atomic
def set_member(timdu: Timdu, *, actor: User, agency_id: int | str, role: str) -> TimduMember:
    """Make an agency a member of the Timdu with `role`, or change the role of a member.

    The agency must be active, of the Timdu's area, an area above it or one below it, and
    visible to the actor. Raises InvalidInput for an unknown role or agency, or a second chair.
    """
    ensure_manage(actor, timdu)
    errors: dict[str, list[str]] = {}
    if role not in TimduRole.values:
        errors["role"] = [_("Peran tidak dikenal.")]
    allowed = {a.pk: a for a in agencies_for_area(actor, timdu.area_id)}
    try:
        agency = allowed.get(int(agency_id))
    except (TypeError, ValueError):
        agency = None
    if agency is None:
        errors["agency_id"] = [
            _("Pilih instansi aktif dari wilayah Timdu, wilayah di atasnya atau di bawahnya.")
        ]
    raise_errors(errors, _("Periksa kembali isian anggota."))
    assert agency is not None  # noqa: S101 (checked above; for the type checker)
    if role == TimduRole.CHAIR:
        other_chair = (
            TimduMember.objects.filter(timdu=timdu, role=TimduRole.CHAIR)
            .exclude(agency=agency)
            .select_related("agency")
            .first()
        )
        if other_chair is not None:
            message = _("Timdu sudah punya ketua (%(name)s). Ubah dulu peran ketua yang lama.") % {
                "name": other_chair.agency.name
            }
            raise InvalidInput(message, {"role": [message]})
    member = TimduMember.objects.filter(timdu=timdu, agency=agency).first()
    before = {"agency": agency.pk, "role": member.role} if member else None
    if member is None:
        try:
            with transaction.atomic():
                member = TimduMember.objects.create(timdu=timdu, agency=agency, role=role)
        except IntegrityError:  # a concurrent add of the same agency
            raise Conflict(STALE) from None
    elif member.role != role:
        member.role = role
        member.save(update_fields=["role"])
    else:
        return member
    audit.record(
        actor=actor,
        action="timdu.member_set",
        obj=member,
        area_code=timdu.area_id,
        before=before,
        after={"timdu": timdu.pk, "agency": agency.pk, "role": role},
    )
    return member


@transaction.atomic
def remove_member(timdu: Timdu, *, actor: User, agency_id: int | str) -> None:
    """Take an agency out of the Timdu (nothing happens when it was not a member)."""
    ensure_manage(actor, timdu)
    member = TimduMember.objects.filter(timdu=timdu, agency_id=_agency_key(agency_id)).first()
    if member is None:
        return
    before = {"timdu": timdu.pk, "agency": member.agency_id, "role": member.role}
    member.delete()
    audit.record(
        actor=actor,
        action="timdu.member_removed",
        object_type="response.timdumember",
        object_id=f"{timdu.pk}:{before['agency']}",
        area_code=timdu.area_id,
        before=before,
    )


def _agency_key(agency_id: int | str) -> int:
    try:
        return int(agency_id)
    except (TypeError, ValueError):
        message = _("Instansi tidak dikenal.")
        raise InvalidInput(message, {"agency_id": [message]}) from None


# ---------------------------------------------------------------- action plans (RAD)


def _clean_year(value: Any, errors: dict[str, list[str]]) -> int:
    return whole(
        "year", value, errors, low=2000, high=2100, message=_("Tahun harus antara 2000 dan 2100.")
    )


@transaction.atomic
def create_plan(timdu: Timdu, *, actor: User, year: int, title: str) -> ActionPlan:
    """Open the Timdu's RAD for a year, as a draft.

    Raises InvalidInput for a bad year or an empty title and Conflict (with `existing_id`) when
    the Timdu already has a plan for that year.
    """
    ensure_manage(actor, timdu)
    errors: dict[str, list[str]] = {}
    year = _clean_year(year, errors)
    title = text_field("title", title, errors, required=True)
    raise_errors(errors, _("Periksa kembali isian RAD."))
    existing = ActionPlan.objects.filter(timdu=timdu, year=year).values_list("pk", flat=True)
    if existing.first() is not None:
        raise Conflict(
            _("Timdu ini sudah punya RAD tahun %(year)d.") % {"year": year},
            existing_id=existing.first(),
        )
    plan = ActionPlan(timdu=timdu, year=year, title=title, created_by=actor)
    try:
        with transaction.atomic():
            plan.save(force_insert=True)
    except IntegrityError:
        raise Conflict(_("Timdu ini sudah punya RAD tahun %(year)d.") % {"year": year}) from None
    audit.record(actor=actor, action="action_plan.created", obj=plan, area_code=timdu.area_id)
    return plan


@transaction.atomic
def update_plan(plan: ActionPlan, *, actor: User, version: int, **fields: Any) -> ActionPlan:
    """Change a plan's title, its year (while a draft) or its status (draft -> active ->
    closed; activating needs at least one activity).

    Raises InvalidInput for bad fields or a status move that is not allowed, Conflict when
    someone changed the plan since `version` or another plan has that year.
    """
    timdu = plan.timdu
    ensure_manage(actor, timdu)
    version = clean_version(version)
    errors: dict[str, list[str]] = {}
    unknown_fields(fields, PLAN_FIELDS, errors)
    clean: dict[str, Any] = {}
    if "title" in fields:
        clean["title"] = text_field("title", fields["title"], errors, required=True)
    if "year" in fields:
        year = _clean_year(fields["year"], errors)
        if year != plan.year:
            if plan.status != PlanStatus.DRAFT:
                errors.setdefault("year", []).append(
                    _("Tahun hanya dapat diubah selama RAD masih draf.")
                )
            clean["year"] = year
    status = fields.get("status", plan.status)
    if status != plan.status:
        if status not in PlanStatus.values:
            errors.setdefault("status", []).append(_("Status tidak dikenal."))
        elif (plan.status, status) not in PLAN_MOVES:
            errors.setdefault("status", []).append(
                _("Status RAD tidak dapat diubah dari %(old)s ke %(new)s.")
                % {
                    "old": PlanStatus(plan.status).label,
                    "new": PlanStatus(status).label,
                }
            )
        elif status == PlanStatus.ACTIVE and not plan.activities.exists():
            errors.setdefault("status", []).append(
                _("Tambahkan minimal satu kegiatan sebelum RAD dijalankan.")
            )
        clean["status"] = status
    raise_errors(errors, _("Periksa kembali isian RAD."))
    if not clean:
        return plan
    if plan.status == PlanStatus.CLOSED:
        message = _("RAD yang sudah ditutup tidak dapat diubah.")
        raise InvalidInput(message, {"status": [message]})
    before = audit.snapshot(plan)
    try:
        with transaction.atomic():
            moved = ActionPlan.objects.filter(
                pk=plan.pk, version=version, status=plan.status
            ).update(version=F("version") + 1, updated_at=timezone.now(), **clean)
    except IntegrityError:
        raise Conflict(_("Timdu ini sudah punya RAD untuk tahun itu.")) from None
    if moved != 1:
        raise Conflict(STALE)
    plan.refresh_from_db()
    audit.record(
        actor=actor, action="action_plan.updated", obj=plan, before=before, area_code=timdu.area_id
    )
    return plan
