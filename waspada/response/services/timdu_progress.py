"""Writes of RAD progress: the four-monthly reports B.04, B.08 and B.12 with one entry per
activity and their evidence files (the missing-report flags are in `timdu_flags`).

Who: "rad.report" and either the Timdu's area in scope or membership of one of the Timdu's
member agencies (a Polres officer reports for the Timdu the Polres sits in). Someone who sees the
Timdu without that gets PermissionDenied (403); someone who does not see it, OutOfScope (404).

Rules for an entry (checked when a draft is saved and again when it is submitted):
- the activity belongs to the plan (unknown activities are refused), once per report;
- the physical realisation is a whole percentage 0-100 and *cumulative*: never below the value a
  submitted earlier period gave for the same activity, never above a submitted later one;
- the budget spent (cumulative, whole rupiah) may exceed the activity's budget only when the
  entry's note explains why (our choice: an overrun happens, e.g. a price change approved
  mid-year, and the report must say so rather than hide it).
A report can be written once its period has started (by the area's local date) for a plan that
is active; it is a draft until submitted, and a submitted report is final. Submitting needs an
entry for every activity whose schedule has begun by the end of the period.

Audit actions: plan_report.created, plan_report.updated, plan_report.submitted (evidence files:
evidence.added, written by `services.evidence`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from waspada.core import audit
from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.events.attachments import Upload
from waspada.response.choices import PlanReportStatus, PlanStatus, RadPeriod
from waspada.response.models import (
    ActionPlan,
    Evidence,
    PlanActivity,
    PlanReport,
    PlanReportEntry,
    Timdu,
)
from waspada.response.selectors.timdu import can_report_progress, can_see_timdu
from waspada.response.services.evidence import add_evidence
from waspada.response.timdu_periods import (
    PERIODS,
    has_started,
    local_today,
    period_label,
    period_months,
    period_start,
)

if TYPE_CHECKING:
    from waspada.accounts.models import User

logger = logging.getLogger(__name__)

REPORT_PERMISSION = "rad.report"
RESPONSIBLE_PERMISSIONS = ("rad.report", "response.manage")
NOTES_MAX = 2000
SUMMARY_MAX = 8000
STALE = _("Laporan ini telah diubah oleh pengguna lain. Muat ulang lalu ulangi perubahan Anda.")


def ensure_can_report(actor: User, timdu: Timdu) -> None:
    """Raise unless the actor may fill in and submit the Timdu's progress reports.

    OutOfScope (404) when the actor cannot see the Timdu; PermissionDenied (403) otherwise.
    """
    if can_report_progress(actor, timdu):
        return
    if can_see_timdu(actor, timdu):
        raise PermissionDenied(REPORT_PERMISSION)
    raise OutOfScope(timdu.area_id)


def _invalid(message: str, field: str) -> InvalidInput:
    return InvalidInput(message, {field: [message]})


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _bounds(
    plan: ActionPlan, period: str
) -> tuple[dict[int, tuple[int, str]], dict[int, tuple[int, str]]]:
    """For each activity, the value of the latest submitted period before `period` (a floor)
    and of the earliest submitted period after it (a ceiling), with those periods."""
    position = PERIODS.index(period)
    floors: dict[int, tuple[int, str]] = {}
    ceilings: dict[int, tuple[int, str]] = {}
    entries = (
        PlanReportEntry.objects.filter(report__plan=plan, report__status=PlanReportStatus.SUBMITTED)
        .exclude(report__period=period)
        .values_list("activity_id", "realisation_percent", "report__period")
    )
    for activity_id, percent, other in sorted(entries, key=lambda row: PERIODS.index(row[2])):
        if PERIODS.index(other) < position:
            floors[activity_id] = (percent, other)  # later ones overwrite: the latest wins
        elif activity_id not in ceilings:
            ceilings[activity_id] = (percent, other)
    return floors, ceilings


def _clean_entries(
    plan: ActionPlan, period: str, entries: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The entries as {activity, realisation_percent, budget_spent, notes}, every rule checked;
    raises InvalidInput with messages under "entries.<index>.<field>"."""
    activities = {a.pk: a for a in PlanActivity.objects.filter(plan=plan)}
    floors, ceilings = _bounds(plan, period)
    errors: dict[str, list[str]] = {}
    clean: list[dict[str, Any]] = []
    seen: set[int] = set()
    if isinstance(entries, Mapping | str | bytes):
        raise _invalid(_("Isian kegiatan harus berupa daftar."), "entries")
    for index, raw in enumerate(entries):
        key = f"entries.{index}"
        if not isinstance(raw, Mapping):
            errors[key] = [_("Setiap isian harus memuat activity_id dan realisasinya.")]
            continue
        activity_id = _whole(raw.get("activity_id"))
        activity = activities.get(activity_id) if activity_id is not None else None
        if activity is None:
            errors[f"{key}.activity_id"] = [_("Kegiatan tidak dikenal dalam RAD ini.")]
            continue
        if activity.pk in seen:
            errors[f"{key}.activity_id"] = [_("Kegiatan ini diisi lebih dari sekali.")]
            continue
        seen.add(activity.pk)
        percent = _whole(raw.get("realisation_percent", 0))
        if percent is None or not 0 <= percent <= 100:
            errors[f"{key}.realisation_percent"] = [
                _("Realisasi fisik harus bilangan bulat 0 sampai 100.")
            ]
            percent = 0
        else:
            floor = floors.get(activity.pk)
            ceiling = ceilings.get(activity.pk)
            if floor is not None and percent < floor[0]:
                errors[f"{key}.realisation_percent"] = [
                    _(
                        "Realisasi fisik bersifat kumulatif dan tidak boleh turun: laporan "
                        "%(period)s yang sudah diajukan mencatat %(value)d%% untuk kegiatan ini."
                    )
                    % {"period": period_label(floor[1]), "value": floor[0]}
                ]
            elif ceiling is not None and percent > ceiling[0]:
                errors[f"{key}.realisation_percent"] = [
                    _(
                        "Realisasi fisik bersifat kumulatif: laporan %(period)s yang sudah "
                        "diajukan mencatat %(value)d%%, jadi periode ini tidak boleh lebih tinggi."
                    )
                    % {"period": period_label(ceiling[1]), "value": ceiling[0]}
                ]
        spent = _whole(raw.get("budget_spent", 0))
        notes = str(raw.get("notes") or "").strip()
        if spent is None or spent < 0:
            errors[f"{key}.budget_spent"] = [
                _("Realisasi anggaran harus bilangan bulat rupiah, 0 atau lebih.")
            ]
            spent = 0
        elif spent > activity.budget and not notes:
            errors[f"{key}.budget_spent"] = [
                _(
                    "Realisasi anggaran melebihi pagu kegiatan (Rp %(budget)s). Jelaskan "
                    "alasannya di catatan."
                )
                % {"budget": f"{activity.budget:,}".replace(",", ".")}
            ]
        if len(notes) > NOTES_MAX:
            errors[f"{key}.notes"] = [_("Catatan paling banyak %(n)d karakter.") % {"n": NOTES_MAX}]
        clean.append(
            {
                "activity": activity,
                "realisation_percent": percent,
                "budget_spent": spent,
                "notes": notes,
            }
        )
    if errors:
        raise InvalidInput(_("Periksa kembali isian laporan."), errors)
    return clean


def _check_period(plan: ActionPlan, period: str, now: dt.datetime | None) -> None:
    if period not in RadPeriod.values:
        raise _invalid(_("Periode tidak dikenal (B04, B08 atau B12)."), "period")
    if plan.status != PlanStatus.ACTIVE:
        message = (
            _("RAD masih draf: jalankan RAD dulu sebelum melaporkan kemajuan.")
            if plan.status == PlanStatus.DRAFT
            else _("RAD sudah ditutup; laporannya tidak dapat diubah lagi.")
        )
        raise _invalid(message, "period")
    today = local_today(plan.timdu.area_id, now)
    if not has_started(plan.year, period, today):
        raise _invalid(
            _("Periode %(period)s belum dimulai (mulai %(date)s); laporannya belum dapat diisi.")
            % {
                "period": period_label(period),
                "date": date_format(period_start(plan.year, period), "j F Y"),
            },
            "period",
        )


def _write_entries(report: PlanReport, rows: list[dict[str, Any]]) -> None:
    existing = {e.activity_id: e for e in report.entries.all()}
    for row in rows:
        activity = row["activity"]
        entry = existing.get(activity.pk)
        if entry is None:
            PlanReportEntry.objects.create(
                report=report,
                activity=activity,
                realisation_percent=row["realisation_percent"],
                budget_spent=row["budget_spent"],
                notes=row["notes"],
            )
            continue
        entry.realisation_percent = row["realisation_percent"]
        entry.budget_spent = row["budget_spent"]
        entry.notes = row["notes"]
        entry.save(update_fields=["realisation_percent", "budget_spent", "notes", "updated_at"])


def _report_snapshot(report: PlanReport) -> dict[str, Any]:
    data = audit.snapshot(report)
    data["entries"] = [
        {
            "activity": e.activity_id,
            "realisation_percent": e.realisation_percent,
            "budget_spent": e.budget_spent,
            "notes": e.notes,
        }
        for e in PlanReportEntry.objects.filter(report=report).order_by("activity_id")
    ]
    return data


@transaction.atomic
def save_plan_report(
    plan: ActionPlan,
    *,
    actor: User,
    period: str,
    summary: str = "",
    entries: Iterable[Mapping[str, Any]],
    version: int | None = None,
    now: dt.datetime | None = None,
) -> PlanReport:
    """Create the draft report of a period, or update it, with entries
    {activity_id, realisation_percent, budget_spent, notes}.

    Entries are added or updated per activity; activities not listed keep their entry. A new
    draft needs no `version`; changing an existing draft needs its `version`.

    Raises InvalidInput for an unknown period, a plan that is not active, a period that has not
    started yet (by the area's local date) or bad entries (see the module docstring); Conflict
    when the period's report is already submitted, when a draft exists and `version` is missing
    or stale (with `existing_id` and `version`).
    """
    timdu = plan.timdu
    ensure_can_report(actor, timdu)
    _check_period(plan, period, now)
    summary = str(summary or "").strip()
    if len(summary) > SUMMARY_MAX:
        raise _invalid(_("Ringkasan paling banyak %(n)d karakter.") % {"n": SUMMARY_MAX}, "summary")
    report = PlanReport.objects.filter(plan=plan, period=period).first()
    if report is not None and report.status == PlanReportStatus.SUBMITTED:
        raise Conflict(
            _("Laporan %(period)s sudah diajukan dan tidak dapat diubah.")
            % {"period": period_label(period)},
            existing_id=report.pk,
            status=report.status,
            version=report.version,
        )
    if report is not None and version is None:
        raise Conflict(
            _("Laporan %(period)s sudah ada; muat ulang lalu ubah laporan itu.")
            % {"period": period_label(period)},
            existing_id=report.pk,
            version=report.version,
        )
    if report is None and version is not None:
        raise Conflict(STALE)
    rows = _clean_entries(plan, period, entries)
    if report is None:
        report = PlanReport(plan=plan, period=period, summary=summary)
        try:
            with transaction.atomic():
                report.save(force_insert=True)
        except IntegrityError:  # a concurrent first save of the same period won
            raise Conflict(STALE) from None
        _write_entries(report, rows)
        audit.record(
            actor=actor,
            action="plan_report.created",
            obj=report,
            area_code=timdu.area_id,
            after=_report_snapshot(report),
        )
        return report
    before = _report_snapshot(report)
    moved = PlanReport.objects.filter(
        pk=report.pk, version=int(version or 0), status=PlanReportStatus.DRAFT
    ).update(version=F("version") + 1, summary=summary, updated_at=timezone.now())
    if moved != 1:
        raise Conflict(STALE, existing_id=report.pk)
    report.refresh_from_db()
    _write_entries(report, rows)
    audit.record(
        actor=actor,
        action="plan_report.updated",
        obj=report,
        area_code=timdu.area_id,
        before=before,
        after=_report_snapshot(report),
    )
    return report


def _missing_activities(report: PlanReport) -> list[PlanActivity]:
    """Activities scheduled to have begun by the end of the period that have no entry."""
    _first, last = period_months(report.period)
    reported = set(report.entries.values_list("activity_id", flat=True))
    return [
        a
        for a in PlanActivity.objects.filter(plan=report.plan, start_month__lte=last).order_by(
            "stage", "sort_order", "id"
        )
        if a.pk not in reported
    ]


@transaction.atomic
def submit_plan_report(
    report: PlanReport, *, actor: User, version: int, now: dt.datetime | None = None
) -> PlanReport:
    """Submit a draft report (final afterwards).

    Raises InvalidInput when an activity that has begun by the end of the period has no entry
    or an entry breaks a rule (an earlier period submitted since the draft was saved can make a
    value too low); Conflict when the report is no longer the draft of `version`.
    """
    plan = report.plan
    timdu = plan.timdu
    ensure_can_report(actor, timdu)
    _check_period(plan, report.period, now)
    try:
        version = int(version)
    except (TypeError, ValueError):
        raise _invalid(_("Versi wajib diisi (angka); muat ulang halaman."), "version") from None
    missing = _missing_activities(report)
    if missing:
        names = ", ".join(a.title for a in missing)
        raise _invalid(
            _("Isi realisasi semua kegiatan yang sudah dijadwalkan dimulai: %(names)s.")
            % {"names": names},
            "entries",
        )
    _clean_entries(
        plan,
        report.period,
        [
            {
                "activity_id": e.activity_id,
                "realisation_percent": e.realisation_percent,
                "budget_spent": e.budget_spent,
                "notes": e.notes,
            }
            for e in report.entries.all()
        ],
    )
    before = audit.snapshot(report)
    moved = PlanReport.objects.filter(
        pk=report.pk, version=version, status=PlanReportStatus.DRAFT
    ).update(
        status=PlanReportStatus.SUBMITTED,
        submitted_at=now or timezone.now(),
        submitted_by=actor,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if moved != 1:
        raise Conflict(STALE, existing_id=report.pk)
    report.refresh_from_db()
    audit.record(
        actor=actor,
        action="plan_report.submitted",
        obj=report,
        before=before,
        area_code=timdu.area_id,
    )
    return report


@transaction.atomic
def add_plan_evidence(
    entry: PlanReportEntry, upload: Upload, *, actor: User, keep_location: bool = False
) -> Evidence:
    """Attach an evidence file (photo, PDF, office document) to an entry of a draft report.

    Raises InvalidInput for a submitted report (final) or a refused file (under "file").
    """
    report = entry.report
    ensure_can_report(actor, report.plan.timdu)
    if report.status != PlanReportStatus.DRAFT:
        raise _invalid(_("Laporan sudah diajukan; bukti tidak dapat ditambahkan lagi."), "file")
    return add_evidence(entry, upload, actor=actor, keep_location=keep_location)


__all__ = [
    "add_plan_evidence",
    "ensure_can_report",
    "save_plan_report",
    "submit_plan_report",
]
