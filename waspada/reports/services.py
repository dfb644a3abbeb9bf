"""Writes on situation reports: create, edit, submit, return and verify.

Every transition is optimistic: `filter(pk=, status=, version=).update(...)` moves the report only
when nobody else moved it first; otherwise the caller gets `Conflict` (409) with a message saying
what happened, and nothing is written. Each service checks scope and role with `ensure_can`, writes
an audit entry, and keeps the items' status in step through `events.services.set_items_status`.

Who may do what:
- "reports.create" / "reports.submit" in the report's area: operators, analysts, area admins;
- "reports.verify": analysts whose scope strictly contains the report's area (an ancestor area)
  may return or verify it, never a report they created themselves.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

import waspada.events.services as event_services
from waspada.accounts.models import User
from waspada.core import audit
from waspada.core.errors import Conflict, DomainError, InvalidInput, OutOfScope
from waspada.core.permissions import ensure_can
from waspada.core.scoping import code_within
from waspada.geo.models import Area
from waspada.geo.zones import zone_for
from waspada.reports.models import ReportStatus, ReportType, SituationReport

TEXT_FIELDS = ("title", "summary", "introduction", "opinion")
EDITABLE_STATES = (ReportStatus.DRAFT, ReportStatus.RETURNED)
# LAPSITDA families may be *nihil*; the single-matter reports always describe something.
NIHIL_TYPES = (ReportType.DAILY, ReportType.WEEKLY, ReportType.MONTHLY)
PERIODIC_TYPES = NIHIL_TYPES
MAX_REASON_LENGTH = 2000
MAX_TEXT_LENGTH = {"title": 200}


class ReviewRefused(DomainError):
    """The actor may see the report but may not review it (own report, or not above its area)."""

    status_code = 403
    code = "permission_denied"


# ---------------------------------------------------------------- helpers


def _reports() -> QuerySet[SituationReport]:
    # The scoped manager is typed for any model; the rows are situation reports.
    return cast("QuerySet[SituationReport]", SituationReport.objects.all())


def local_today(area_code: str) -> dt.date:
    """Today's date in the area's own time zone (WIB, WITA or WIT)."""
    return timezone.now().astimezone(zone_for(area_code)).date()


def due_at_for(area_code: str, period_end: dt.date) -> dt.datetime:
    """When a periodic report ending on `period_end` is due: the configured hour of the next day,
    in the area's own time zone (a daily report for D is due at 10:00 local time on D+1)."""
    hour = int(settings.WASPADA_DAILY_REPORT_DUE_HOUR)
    day = period_end + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour=hour), tzinfo=zone_for(area_code))


def default_period_end(report_type: str, period_start: dt.date) -> dt.date:
    """A week for mingguan, the rest of the month for bulanan, the start date otherwise."""
    if report_type == ReportType.WEEKLY:
        return period_start + dt.timedelta(days=6)
    if report_type == ReportType.MONTHLY:
        last = calendar.monthrange(period_start.year, period_start.month)[1]
        return period_start.replace(day=last)
    return period_start


def _status_label(status: str) -> str:
    return str(ReportStatus(status).label) if status in ReportStatus.values else status


def _stale(report_id: int, expected_version: int | None) -> Conflict:
    """The Conflict for a transition that found the report already moved by someone else."""
    current = _reports().filter(pk=report_id).values("status", "version").first()
    if current is None:
        return Conflict(_("Laporan ini sudah tidak ada."))
    return Conflict(
        _(
            "Laporan ini sudah diubah oleh pengguna lain (status sekarang: %(status)s, versi "
            "%(version)s). Muat ulang laporan, periksa perubahannya, lalu coba lagi."
        )
        % {"status": _status_label(current["status"]), "version": current["version"]},
        status=current["status"],
        version=current["version"],
        expected_version=expected_version,
    )


def _wrong_state(report: SituationReport, doing: str) -> Conflict:
    return Conflict(
        _("Laporan berstatus %(status)s tidak dapat %(doing)s.")
        % {"status": _status_label(report.status), "doing": doing},
        status=report.status,
        version=report.version,
    )


def _fresh(report: SituationReport) -> SituationReport:
    fresh = _reports().filter(pk=report.pk).first()
    if fresh is None:
        raise OutOfScope(report.area_id)
    return fresh


def _transition(
    report: SituationReport,
    *,
    allowed_from: Iterable[str],
    to: str,
    version: int | None,
    doing: str,
    values: Mapping[str, Any] | None = None,
) -> tuple[SituationReport, dict[str, Any]]:
    """Move `report` to `to` if it is still in one of `allowed_from` at the expected version.

    Returns (the report as it was, its snapshot); updates `report` in place. Raises Conflict when
    the report is in another state or someone else changed it first.
    """
    fresh = _fresh(report)
    if fresh.status not in set(allowed_from):
        raise _wrong_state(fresh, doing)
    expected = fresh.version if version is None else version
    if fresh.version != expected:
        raise _stale(fresh.pk, expected)
    before = audit.snapshot(fresh)
    moved = (
        _reports()
        .filter(pk=fresh.pk, status=fresh.status, version=expected)
        .update(status=to, version=F("version") + 1, updated_at=timezone.now(), **(values or {}))
    )
    if moved != 1:  # someone else moved it between our read and our write
        raise _stale(fresh.pk, expected)
    report.refresh_from_db()
    return fresh, before


def reviews_above(actor: User, area_code: str) -> bool:
    """True when the actor's scope strictly contains `area_code` (an ancestor area of it)."""
    if actor.has_national_scope:
        return True
    return any(
        code_within(area_code, scope) and area_code != scope for scope in actor.scope_area_codes
    )


def _ensure_can_review(actor: User, report: SituationReport, doing: str) -> None:
    ensure_can(actor, "reports.verify", report.area_id)
    if report.created_by_id is not None and report.created_by_id == actor.pk:
        raise ReviewRefused(
            _("Anda tidak dapat %(doing)s laporan yang Anda buat sendiri.") % {"doing": doing}
        )
    if not reviews_above(actor, report.area_id):
        raise ReviewRefused(
            _("Hanya analis dari wilayah di atas wilayah laporan yang dapat %(doing)s laporan ini.")
            % {"doing": doing}
        )


def _clean_text(fields: Mapping[str, Any]) -> dict[str, str]:
    unknown = sorted(set(fields) - set(TEXT_FIELDS))
    if unknown:
        raise InvalidInput(
            _("Kolom tidak dikenal: %(fields)s") % {"fields": ", ".join(unknown)},
            {name: [_("Kolom tidak dikenal.")] for name in unknown},
        )
    cleaned: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for name, value in fields.items():
        text = "" if value is None else str(value).strip()
        limit = MAX_TEXT_LENGTH.get(name)
        if limit and len(text) > limit:
            errors[name] = [_("Paling banyak %(n)s karakter.") % {"n": limit}]
        cleaned[name] = text
    if errors:
        raise InvalidInput(_("Periksa kembali isian laporan."), errors)
    return cleaned


def _has_items(report: SituationReport) -> bool:
    return report.items.exclude(status="withdrawn").exists()


def _existing_daily(area_code: str, day: dt.date) -> SituationReport | None:
    return (
        _reports().filter(report_type=ReportType.DAILY, area_id=area_code, period_start=day).first()
    )


def _duplicate_daily(existing: SituationReport) -> Conflict:
    return Conflict(
        _(
            "Laporan harian %(area)s untuk tanggal %(date)s sudah ada (%(ref)s). Buka laporan itu "
            "untuk menambah atau mengubah isinya."
        )
        % {
            "area": existing.area_id,
            "date": existing.period_start.strftime("%d-%m-%Y"),
            "ref": existing.reference,
        },
        existing_id=existing.pk,
    )


def _prefixed(index: int, exc: InvalidInput) -> dict[str, list[str]]:
    if not exc.errors:
        return {f"items.{index}": [exc.message]}
    return {f"items.{index}.{field}": list(msgs) for field, msgs in exc.errors.items()}


# ---------------------------------------------------------------- create and edit


@transaction.atomic
def create_report(
    *,
    actor: User,
    report_type: str,
    area_code: str,
    period_start: dt.date,
    period_end: dt.date | None = None,
    is_nihil: bool = False,
    items: Sequence[Mapping[str, Any]] | None = None,
    **text: Any,
) -> SituationReport:
    """Open a draft report of `report_type` for an area and period, optionally with its items.

    `text` holds title, summary, introduction and opinion. `items` are dicts for
    `events.services.record_item`, created in the same transaction. A daily report covers one
    date and gets `due_at` (the configured hour of the next day in the area's time zone).

    Raises OutOfScope (404) for an area outside the actor's scope, PermissionDenied (403) for a
    role that may not file reports, InvalidInput (400) for an unknown type or area, a future or
    disordered period, nihil with items or any item error (keys "items.<n>.<field>"), and
    Conflict (409, params `existing_id`) when the daily report of that area and date exists.
    """
    ensure_can(actor, "reports.create", area_code)
    errors: dict[str, list[str]] = {}
    if report_type not in ReportType.values:
        errors["report_type"] = [_("Jenis laporan tidak dikenal.")]
    area = Area.objects.filter(code=area_code).first()
    if area is None:
        errors["area"] = [_("Kode wilayah tidak dikenal.")]
    if period_start > local_today(area_code):
        errors["period_start"] = [_("Tanggal laporan tidak boleh di masa depan.")]
    end = period_end or default_period_end(report_type, period_start)
    if end < period_start:
        errors["period_end"] = [_("Akhir periode tidak boleh sebelum awal periode.")]
    elif report_type == ReportType.DAILY and end != period_start:
        errors["period_end"] = [_("Laporan harian hanya mencakup satu tanggal.")]
    if is_nihil and report_type in ReportType.values and report_type not in NIHIL_TYPES:
        errors["is_nihil"] = [_("Hanya LAPSITDA harian, mingguan atau bulanan yang dapat nihil.")]
    if is_nihil and items:
        errors["items"] = [_("Laporan nihil tidak berisi butir kejadian.")]
    cleaned = _clean_text(text)
    if errors:
        raise InvalidInput(_("Periksa kembali isian laporan."), errors)
    assert area is not None  # noqa: S101 (narrowing for mypy; errors covered the None case)

    if report_type == ReportType.DAILY:
        existing = _existing_daily(area_code, period_start)
        if existing is not None:
            raise _duplicate_daily(existing)
    report = SituationReport(
        report_type=report_type,
        area=area,
        period_start=period_start,
        period_end=end,
        is_nihil=is_nihil,
        status=ReportStatus.DRAFT,
        due_at=due_at_for(area_code, end) if report_type in PERIODIC_TYPES else None,
        created_by=actor,
        **cleaned,
    )
    try:
        with transaction.atomic():
            report.save(force_insert=True)
    except IntegrityError as exc:  # a concurrent request filed the same daily report first
        existing = _existing_daily(area_code, period_start)
        if existing is None:
            raise
        raise _duplicate_daily(existing) from exc
    audit.record(actor=actor, action="report.created", obj=report, area_code=area_code)

    item_errors: dict[str, list[str]] = {}
    for index, data in enumerate(items or ()):
        try:
            event_services.record_item(report, actor=actor, data=dict(data))
        except InvalidInput as exc:
            item_errors.update(_prefixed(index, exc))
    if item_errors:
        raise InvalidInput(_("Periksa kembali butir kejadian."), item_errors)
    if report_type in (ReportType.WEEKLY, ReportType.MONTHLY) and not report.summary and not items:
        # Imported here: prefill reads the queue and selectors, which import this module.
        from waspada.reports.prefill import prefill_periodic_report

        prefill_periodic_report(report, actor=actor)
        report.refresh_from_db()
    return report


def _reviewers(report: SituationReport) -> list[User]:
    """Active analysts assigned to an area strictly above the report's area."""
    parts = report.area_id.split(".")
    ancestors = [".".join(parts[:n]) for n in range(1, len(parts))]
    return list(
        User.objects.filter(
            is_active=True, role="analyst", assignments__area_id__in=ancestors
        ).distinct()
    )


def _tell(
    users: Iterable[User | None], report: SituationReport, *, kind: str, title: str, body: str = ""
) -> None:
    from waspada.notifications.services import notify

    recipients = [u for u in users if u is not None]
    if recipients:
        notify(
            recipients,
            kind=kind,
            title=title,
            body=body,
            url=f"/laporan/{report.pk}/",
            area_code=report.area_id,
            key=f"{kind}:{report.pk}:{report.version}",
        )


@transaction.atomic
def update_report(
    report: SituationReport, *, actor: User, version: int, **fields: Any
) -> SituationReport:
    """Change the text, the nihil flag or (not for daily reports) the period of a draft or
    returned report, if `version` is still current.

    Raises OutOfScope/PermissionDenied as `ensure_can`, InvalidInput (400) for unknown fields or
    bad values, Conflict (409) when the report was already submitted or changed by someone else.
    """
    ensure_can(actor, "reports.create", report.area_id)
    fresh = _fresh(report)
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    period = {k: fields.pop(k) for k in ("period_start", "period_end") if k in fields}
    if "is_nihil" in fields:
        is_nihil = bool(fields.pop("is_nihil"))
        if is_nihil and fresh.report_type not in NIHIL_TYPES:
            errors["is_nihil"] = [
                _("Hanya LAPSITDA harian, mingguan atau bulanan yang dapat nihil.")
            ]
        elif is_nihil and _has_items(fresh):
            errors["is_nihil"] = [
                _("Laporan ini berisi butir kejadian; hapus butirnya dulu sebelum menandai nihil.")
            ]
        values["is_nihil"] = is_nihil
    if period:
        start = period.get("period_start") or fresh.period_start
        end = period.get("period_end") or fresh.period_end
        if fresh.report_type == ReportType.DAILY:
            errors["period_start"] = [
                _("Tanggal laporan harian tidak dapat diubah; buat laporan baru.")
            ]
        elif start > local_today(fresh.area_id):
            errors["period_start"] = [_("Tanggal laporan tidak boleh di masa depan.")]
        elif end < start:
            errors["period_end"] = [_("Akhir periode tidak boleh sebelum awal periode.")]
        else:
            values.update(period_start=start, period_end=end)
            if fresh.report_type in PERIODIC_TYPES:
                values["due_at"] = due_at_for(fresh.area_id, end)
    try:
        values.update(_clean_text(fields))
    except InvalidInput as exc:
        errors.update(exc.errors)
    if errors:
        raise InvalidInput(_("Periksa kembali isian laporan."), errors)
    if fresh.status not in EDITABLE_STATES:
        raise _wrong_state(fresh, _("diubah"))
    if fresh.version != version:
        raise _stale(fresh.pk, version)
    before = audit.snapshot(fresh)
    moved = (
        _reports()
        .filter(pk=fresh.pk, status__in=EDITABLE_STATES, version=version)
        .update(version=F("version") + 1, updated_at=timezone.now(), **values)
    )
    if moved != 1:
        raise _stale(fresh.pk, version)
    report.refresh_from_db()
    audit.record(
        actor=actor, action="report.updated", obj=report, area_code=report.area_id, before=before
    )
    return report


# ---------------------------------------------------------------- workflow


@transaction.atomic
def submit_report(
    report: SituationReport, *, actor: User, version: int | None = None
) -> SituationReport:
    """Submit a draft (or resubmit a returned) report for review.

    A nihil report has no items; any other needs at least one. Raises OutOfScope/PermissionDenied
    as `ensure_can` ("reports.submit"), InvalidInput (400) for a report without items (or a nihil
    one with items), Conflict (409) when it is already submitted or verified, or was changed by
    someone else since `version`.
    """
    ensure_can(actor, "reports.submit", report.area_id)
    fresh = _fresh(report)
    if fresh.status in EDITABLE_STATES:
        has_items = _has_items(fresh)
        if fresh.is_nihil and has_items:
            raise InvalidInput(
                _("Laporan nihil tidak boleh berisi butir kejadian."),
                {"is_nihil": [_("Hapus butir kejadian atau batalkan tanda nihil.")]},
            )
        if not fresh.is_nihil and not has_items:
            raise InvalidInput(
                _(
                    "Laporan belum berisi butir kejadian. Tambahkan minimal satu butir, atau "
                    "tandai laporan sebagai nihil bila tidak ada kejadian menonjol."
                ),
                {"items": [_("Minimal satu butir kejadian.")]},
            )
    now = timezone.now()
    values: dict[str, Any] = {"submitted_at": now}
    if fresh.first_submitted_at is None:
        values["first_submitted_at"] = now
    was, before = _transition(
        report,
        allowed_from=EDITABLE_STATES,
        to=ReportStatus.SUBMITTED,
        version=version,
        doing=_("diajukan"),
        values=values,
    )
    action = "report.resubmitted" if was.status == ReportStatus.RETURNED else "report.submitted"
    audit.record(actor=actor, action=action, obj=report, area_code=report.area_id, before=before)
    event_services.set_items_status(report, ReportStatus.SUBMITTED)
    _tell(
        _reviewers(report),
        report,
        kind="report.submitted",
        title=_("%(ref)s perlu ditinjau: %(report)s") % {"ref": report.reference, "report": report},
    )
    return report


@transaction.atomic
def return_report(
    report: SituationReport, *, actor: User, reason: str, version: int | None = None
) -> SituationReport:
    """Send a submitted report back to its area with a reason, to be corrected and resubmitted.

    Raises OutOfScope (404) outside the actor's scope, PermissionDenied (403) without
    "reports.verify", ReviewRefused (403) for the report's creator or an analyst not above its
    area, InvalidInput (400) without a reason, Conflict (409) when the report is not submitted
    (any more) or was changed since `version`.
    """
    _ensure_can_review(actor, report, _("mengembalikan"))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            _("Tuliskan alasan pengembalian agar pelapor tahu apa yang harus diperbaiki."),
            {"reason": [_("Alasan wajib diisi.")]},
        )
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidInput(
            _("Alasan terlalu panjang."),
            {"reason": [_("Paling banyak %(n)s karakter.") % {"n": MAX_REASON_LENGTH}]},
        )
    _was, before = _transition(
        report,
        allowed_from=(ReportStatus.SUBMITTED,),
        to=ReportStatus.RETURNED,
        version=version,
        doing=_("dikembalikan"),
        values={"return_reason": reason},
    )
    audit.record(
        actor=actor, action="report.returned", obj=report, area_code=report.area_id, before=before
    )
    event_services.set_items_status(report, ReportStatus.RETURNED)
    _tell(
        [report.created_by],
        report,
        kind="report.returned",
        title=_("%(ref)s dikembalikan untuk diperbaiki") % {"ref": report.reference},
        body=reason,
    )
    return report


@transaction.atomic
def verify_report(
    report: SituationReport, *, actor: User, version: int | None = None
) -> SituationReport:
    """Verify a submitted report: its items become verified data that later scoring reads.

    Raises as `return_report` (404, 403 for the creator or an analyst not above the report's
    area, 409 when it is not submitted any more or was changed since `version`).
    """
    _ensure_can_review(actor, report, _("memverifikasi"))
    _was, before = _transition(
        report,
        allowed_from=(ReportStatus.SUBMITTED,),
        to=ReportStatus.VERIFIED,
        version=version,
        doing=_("diverifikasi"),
        values={"verified_at": timezone.now(), "verified_by": actor},
    )
    audit.record(
        actor=actor, action="report.verified", obj=report, area_code=report.area_id, before=before
    )
    event_services.set_items_status(report, ReportStatus.VERIFIED)
    _tell(
        [report.created_by],
        report,
        kind="report.verified",
        title=_("%(ref)s telah diverifikasi") % {"ref": report.reference},
    )
    return report
