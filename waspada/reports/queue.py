"""The reviewer queue, "Perlu ditinjau": what needs this user's action now, oldest first.

- An analyst ("reports.verify") reviews submitted and resubmitted reports of the areas strictly
  below each of their scope roots (analyst of 62 reviews 62.71, never 62 itself), except reports
  they created themselves: the same rule `services.return_report`/`verify_report` enforce.
- Whoever files reports ("reports.submit") corrects their returned reports: those they created,
  and for an operator also those of the areas they are assigned to. The return reason is shown.
- An operator files the daily report of each assigned area: until today's report (today in the
  area's own time zone) has been submitted, it is in the queue, pointing at the draft if one
  exists.

`queue_counts` gives the same numbers for the navigation in one aggregate query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Count, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.accounts.roles import Role
from waspada.core.scoping import minimal_codes
from waspada.events.selectors import allowed_classifications
from waspada.geo.models import Area
from waspada.geo.zones import zone_for, zone_label
from waspada.reports.models import ReportStatus, ReportType, SituationReport

REVIEW = "review"
RETURNED = "returned"
DAILY = "daily"
FILED_STATES = (ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.VERIFIED)


@dataclass(frozen=True)
class QueueEntry:
    """One thing to do: review a report, correct a returned one, or file today's daily report."""

    kind: str
    since: dt.datetime
    age: dt.timedelta
    area_code: str
    area_name: str
    area_path: str
    zone: str
    report: SituationReport | None
    report_type_label: str
    item_count: int
    reason: str
    url: str
    resubmitted: bool = False
    day: dt.date | None = None

    @property
    def kind_label(self) -> str:
        return {
            REVIEW: _("Tinjau"),
            RETURNED: _("Perbaiki"),
            DAILY: _("Buat laporan harian"),
        }[self.kind]


@dataclass(frozen=True)
class QueueCounts:
    review: int = 0
    returned: int = 0
    daily: int = 0

    @property
    def total(self) -> int:
        return self.review + self.returned + self.daily


def report_rows() -> QuerySet[SituationReport]:
    """All situation reports, typed (the scoped manager is typed for any model). Unscoped:
    callers filter by scope themselves."""
    return cast("QuerySet[SituationReport]", SituationReport.objects.all())


def is_reviewer(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_role_permission("reports.verify"))


def is_filer(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_role_permission("reports.submit"))


def own_area_codes(user: Any) -> list[str]:
    """The areas an operator files daily reports for: the areas assigned to them."""
    if not user.is_authenticated or user.role != Role.OPERATOR:
        return []
    return minimal_codes(user.scope_area_codes)


def _review_q(user: Any) -> Q | None:
    if not is_reviewer(user):
        return None
    condition = Q(status=ReportStatus.SUBMITTED) & ~Q(created_by_id=user.pk)
    if user.has_national_scope:
        return condition
    codes = minimal_codes(user.scope_area_codes)
    if not codes:
        return None
    below = Q(area__code__startswith=f"{codes[0]}.")
    for code in codes[1:]:
        below |= Q(area__code__startswith=f"{code}.")
    return condition & below


def _returned_q(user: Any) -> Q | None:
    if not is_filer(user):
        return None
    mine = Q(created_by_id=user.pk)
    codes = own_area_codes(user)
    if codes:
        mine |= Q(area_id__in=codes)
    return Q(status=ReportStatus.RETURNED) & mine


def local_today(area_code: str, now: dt.datetime) -> dt.date:
    return now.astimezone(zone_for(area_code)).date()


def _today_q(codes: list[str], now: dt.datetime) -> Q:
    condition = Q()
    for code in codes:
        condition |= Q(area_id=code, period_start=local_today(code, now))
    return Q(report_type=ReportType.DAILY) & condition


def queue_counts(user: Any, *, now: dt.datetime | None = None) -> QueueCounts:
    """How many entries `review_queue` has for the user, in one aggregate query (or none)."""
    if not user.is_authenticated:
        return QueueCounts()
    now = now or timezone.now()
    review_q, returned_q = _review_q(user), _returned_q(user)
    codes = own_area_codes(user)
    parts = [q for q in (review_q, returned_q) if q is not None]
    aggregates: dict[str, Any] = {}
    if review_q is not None:
        aggregates["review"] = Count("pk", filter=review_q)
    if returned_q is not None:
        aggregates["returned"] = Count("pk", filter=returned_q)
    if codes:
        filed_q = _today_q(codes, now) & Q(status__in=FILED_STATES)
        parts.append(filed_q)
        aggregates["filed"] = Count("pk", filter=filed_q)
    if not parts:
        return QueueCounts()
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    row = report_rows().filter(combined).aggregate(**aggregates)
    return QueueCounts(
        review=row.get("review") or 0,
        returned=row.get("returned") or 0,
        daily=max(0, len(codes) - (row.get("filed") or 0)) if codes else 0,
    )


def report_url(report_id: int) -> str:
    """The report's page (the entry helper's detail view answers /laporan/<id>/)."""
    try:
        return reverse("reports:report_detail", args=[report_id])
    except NoReverseMatch:
        return f"/laporan/{report_id}/"


def new_daily_url(area_code: str, day: dt.date) -> str:
    """The page that starts today's daily report for `area_code` ("" when there is none)."""
    try:
        base = reverse("reports:report_create")
    except NoReverseMatch:
        return ""
    return f"{base}?report_type={ReportType.DAILY}&area={area_code}&period_start={day.isoformat()}"


def _entry_for_report(
    kind: str, report: SituationReport, since: dt.datetime | None, now: dt.datetime
) -> QueueEntry:
    moment = since or report.updated_at
    return QueueEntry(
        kind=kind,
        since=moment,
        age=max(dt.timedelta(0), now - moment),
        area_code=report.area_id,
        area_name=report.area.display_name,
        area_path=report.area.path_name,
        zone=zone_label(report.area_id),
        report=report,
        report_type_label=str(report.get_report_type_display()),
        item_count=int(getattr(report, "visible_items", 0)),
        reason=report.return_reason if kind == RETURNED else "",
        url=report_url(report.pk),
        resubmitted=bool(
            kind == REVIEW
            and report.first_submitted_at
            and report.submitted_at
            and report.submitted_at > report.first_submitted_at
        ),
        day=report.period_start,
    )


def review_queue(user: Any, *, now: dt.datetime | None = None) -> list[QueueEntry]:
    """Everything that needs the user's action now, oldest first (see the module docstring).

    Item counts include only the items the user is cleared to read. Empty for anonymous users
    and for roles that neither review nor file reports.
    """
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    visible = Count(
        "items",
        filter=Q(items__classification__in=allowed_classifications(user))
        & ~Q(items__status="withdrawn"),
    )
    base = report_rows().select_related("area").annotate(visible_items=visible)
    entries: list[QueueEntry] = []
    review_q = _review_q(user)
    if review_q is not None:
        for report in base.filter(review_q):
            entries.append(_entry_for_report(REVIEW, report, report.submitted_at, now))
    returned_q = _returned_q(user)
    if returned_q is not None:
        for report in base.filter(returned_q):
            entries.append(_entry_for_report(RETURNED, report, report.updated_at, now))
    codes = own_area_codes(user)
    if codes:
        todays = {r.area_id: r for r in base.filter(_today_q(codes, now))}
        areas = {a.code: a for a in Area.objects.filter(code__in=codes)}
        for code in codes:
            existing = todays.get(code)
            area = areas.get(code)
            if area is None or (existing is not None and existing.status in FILED_STATES):
                continue
            day = local_today(code, now)
            start = dt.datetime.combine(day, dt.time.min, tzinfo=zone_for(code))
            entries.append(
                QueueEntry(
                    kind=DAILY,
                    since=start,
                    age=max(dt.timedelta(0), now - start),
                    area_code=code,
                    area_name=area.display_name,
                    area_path=area.path_name,
                    zone=zone_label(code),
                    report=existing,
                    report_type_label=str(ReportType.DAILY.label),
                    item_count=int(getattr(existing, "visible_items", 0)) if existing else 0,
                    reason="",
                    url=report_url(existing.pk) if existing else new_daily_url(code, day),
                    day=day,
                )
            )
    entries.sort(key=lambda entry: (entry.since, entry.area_code))
    return entries
