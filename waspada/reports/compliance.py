"""Compliance: who filed their daily report (LAPSITDA harian), on time or late, nihil or missing.

For a date and an area: a province lists each of its kab/kota, any other area lists itself (and
a national user without an area lists the provinces). Statuses:

- on_time: first submitted at or before the due moment (`due_at`, the configured hour of the next
  day in the area's own WIB/WITA/WIT time); a resubmission after a return does not make it late;
- late: first submitted after the due moment;
- nihil: a nihil report was submitted (it counts as filed; `is_late` says whether it was late);
- missing: nothing submitted (no report, or a draft only) and the due moment has passed;
- pending: nothing submitted yet, but it is not due yet.

Reads are scoped: the area must lie inside the user's scope (OutOfScope, 404, otherwise), and the
user needs "reports.view" (PermissionDenied, 403).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waspada.core.errors import InvalidInput, OutOfScope
from waspada.core.scoping import user_covers
from waspada.geo.choices import AreaLevel
from waspada.geo.models import Area
from waspada.geo.zones import zone_for, zone_label
from waspada.reports.models import ReportType, SituationReport
from waspada.reports.queue import report_rows, report_url
from waspada.reports.services import due_at_for


class ComplianceStatus(TextChoices):
    ON_TIME = "on_time", gettext_lazy("Tepat waktu")
    LATE = "late", gettext_lazy("Terlambat")
    NIHIL = "nihil", gettext_lazy("Nihil")
    MISSING = "missing", gettext_lazy("Tidak melapor")
    PENDING = "pending", gettext_lazy("Belum jatuh tempo")


LEGEND = [(status.value, status.label) for status in ComplianceStatus]
MIN_YEAR, MAX_YEAR = 2000, 2100
AREA_CODE = re.compile(r"^\d{2}(?:\.\d{2}){0,2}(?:\.\d{4})?$")


def parse_day(raw: str | None, *, default: dt.date) -> dt.date:
    """A date from "YYYY-MM-DD" (`default` when empty). Raises InvalidInput with a clear message."""
    text = (raw or "").strip()
    if not text:
        return default
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or len(text) != 10 or not (MIN_YEAR <= day.year <= MAX_YEAR):
        raise InvalidInput(
            _("Tanggal tidak valid: gunakan format TTTT-BB-HH, misalnya 2026-03-31."),
            {"date": [_("Tanggal tidak valid.")]},
        )
    return day


def parse_area_code(raw: str | None) -> str:
    """A dotted Kemendagri code ("" when empty). Raises InvalidInput for a malformed one."""
    text = (raw or "").strip()
    if text and not AREA_CODE.match(text):
        raise InvalidInput(
            _("Kode wilayah tidak valid: gunakan kode Kemendagri bertitik, misalnya 62.71."),
            {"area": [_("Kode wilayah tidak valid.")]},
        )
    return text


@dataclass(frozen=True)
class ComplianceRow:
    """The daily-report status of one area for one date."""

    area_code: str
    area_name: str
    zone: str
    day: dt.date
    status: str
    due_at: dt.datetime
    filed_at: dt.datetime | None
    report_id: int | None
    report_status: str
    is_nihil: bool
    is_late: bool

    @property
    def status_label(self) -> str:
        return str(ComplianceStatus(self.status).label)

    @property
    def due_local(self) -> dt.datetime:
        """`due_at` on the area's own clock (WIB, WITA or WIT)."""
        return self.due_at.astimezone(zone_for(self.area_code))

    @property
    def report_url(self) -> str:
        return report_url(self.report_id) if self.report_id else ""

    @property
    def filed_local(self) -> dt.datetime | None:
        return self.filed_at.astimezone(zone_for(self.area_code)) if self.filed_at else None


@dataclass(frozen=True)
class ComplianceDay:
    """Every row for one date and area, with the counts per status."""

    day: dt.date
    area: Area | None
    rows: list[ComplianceRow]
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CalendarCell:
    row: ComplianceRow
    in_future: bool

    @property
    def aria_label(self) -> str:
        text = f"{date_format(self.row.day, 'l, j F Y')}: {self.row.status_label}"
        if self.row.status == ComplianceStatus.NIHIL and self.row.is_late:
            text += f" ({_('terlambat')})"
        return text


@dataclass(frozen=True)
class MonthCalendar:
    area: Area
    year: int
    month: int
    weeks: list[list[CalendarCell | None]]
    counts: dict[str, int]
    previous: tuple[int, int]
    following: tuple[int, int]

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def zone(self) -> str:
        return zone_label(self.area.code)


def status_of(
    report: SituationReport | None, *, due_at: dt.datetime, now: dt.datetime
) -> tuple[str, dt.datetime | None, bool]:
    """(status, filed_at, is_late) of a daily report (or of its absence) against `due_at`.

    Filed means submitted once: `first_submitted_at` (falling back to `submitted_at`). Exactly at
    the due moment is on time.
    """
    filed_at = None
    if report is not None:
        filed_at = report.first_submitted_at or report.submitted_at
    if filed_at is None:
        return (ComplianceStatus.MISSING if now > due_at else ComplianceStatus.PENDING), None, False
    late = filed_at > due_at
    if report is not None and report.is_nihil:
        return ComplianceStatus.NIHIL, filed_at, late
    return (ComplianceStatus.LATE if late else ComplianceStatus.ON_TIME), filed_at, late


def _row(
    area: Area, day: dt.date, report: SituationReport | None, now: dt.datetime
) -> ComplianceRow:
    due = (report.due_at if report is not None else None) or due_at_for(area.code, day)
    status, filed_at, late = status_of(report, due_at=due, now=now)
    return ComplianceRow(
        area_code=area.code,
        area_name=area.display_name,
        zone=zone_label(area.code),
        day=day,
        status=status,
        due_at=due,
        filed_at=filed_at,
        report_id=report.pk if report is not None else None,
        report_status=report.status if report is not None else "",
        is_nihil=bool(report is not None and report.is_nihil),
        is_late=late,
    )


def _ensure_reader(user: Any) -> None:
    if not user.is_authenticated or not user.has_role_permission("reports.view"):
        raise PermissionDenied("reports.view")


def _scoped_area(user: Any, area_code: str) -> Area:
    if not user_covers(user, area_code):
        raise OutOfScope(area_code)
    area = Area.objects.filter(code=area_code).first()
    if area is None:
        raise OutOfScope(area_code)
    return area


def default_area_code(user: Any) -> str:
    """The user's own (highest) area, or "" for a national user (the provinces)."""
    return "" if user.has_national_scope else (user.primary_area_code or "")


def local_today(user: Any) -> dt.date:
    """Today in the zone of the user's own area."""
    return timezone.now().astimezone(zone_for(user.primary_area_code)).date()


def _counts(rows: list[ComplianceRow]) -> dict[str, int]:
    tally = Counter(row.status for row in rows)
    return {status.value: tally.get(status.value, 0) for status in ComplianceStatus}


def compliance_for_date(
    user: Any, *, day: dt.date, area_code: str = "", now: dt.datetime | None = None
) -> ComplianceDay:
    """The daily-report status of each subordinate kab/kota of a province, or of the area itself.

    `area_code` "" means the user's own area (the provinces for a national user). Raises
    PermissionDenied without "reports.view", OutOfScope for an area outside the user's scope.
    """
    _ensure_reader(user)
    now = now or timezone.now()
    code = area_code or default_area_code(user)
    area: Area | None
    if code:
        area = _scoped_area(user, code)
        if area.level == AreaLevel.PROVINCE:
            areas = list(Area.objects.filter(parent_id=area.code).order_by("code"))
        else:
            areas = [area]
    elif user.has_national_scope:
        area = None
        areas = list(Area.objects.filter(level=AreaLevel.PROVINCE).order_by("code"))
    else:
        raise OutOfScope("")
    reports = {
        report.area_id: report
        for report in report_rows().filter(
            report_type=ReportType.DAILY,
            period_start=day,
            area_id__in=[a.code for a in areas],
        )
    }
    rows = [_row(a, day, reports.get(a.code), now) for a in areas]
    return ComplianceDay(day=day, area=area, rows=rows, counts=_counts(rows))


def check_month(year: int, month: int) -> None:
    """Raises InvalidInput unless year/month name a month this system can hold."""
    if not (MIN_YEAR <= year <= MAX_YEAR) or not (1 <= month <= 12):
        raise InvalidInput(_("Bulan tidak valid."), {"month": [_("Gunakan format YYYY-MM.")]})


def _shift(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def compliance_month(
    user: Any, *, area_code: str, year: int, month: int, now: dt.datetime | None = None
) -> MonthCalendar:
    """A month calendar of one area: one cell per day with its daily-report status (weeks start
    on Monday; days outside the month are None).

    Raises PermissionDenied without "reports.view", OutOfScope for an area outside the user's
    scope, InvalidInput for an impossible month.
    """
    _ensure_reader(user)
    check_month(year, month)
    now = now or timezone.now()
    area = _scoped_area(user, area_code)
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    reports = {
        report.period_start: report
        for report in report_rows().filter(
            report_type=ReportType.DAILY,
            area_id=area.code,
            period_start__gte=first,
            period_start__lte=last,
        )
    }
    today = now.astimezone(zone_for(area.code)).date()
    weeks: list[list[CalendarCell | None]] = []
    rows: list[ComplianceRow] = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        cells: list[CalendarCell | None] = []
        for day in week:
            if day.month != month:
                cells.append(None)
                continue
            row = _row(area, day, reports.get(day), now)
            rows.append(row)
            cells.append(CalendarCell(row=row, in_future=day > today))
        weeks.append(cells)
    return MonthCalendar(
        area=area,
        year=year,
        month=month,
        weeks=weeks,
        counts=_counts(rows),
        previous=_shift(year, month, -1),
        following=_shift(year, month, 1),
    )
