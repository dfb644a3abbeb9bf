"""Test builders for the early-warning app: verified items that went through the real path.

    items = make_verified_items("62.71.01", 3, days_ago=1, deaths=1)
    items = make_verified_items("62.71", verifier=analyst_62)     # through reports.verify_report

Each call files one report (a Laporan Informasi, so several per day and area are allowed) with
`count` items, submitted, and then verifies it: through `reports.services.verify_report` when a
`verifier` is given, otherwise through `events.services.set_items_status`, which is what
verification calls. Either way `items_changed` fires and the aggregate cells become pending (the
refresh job runs after commit; in a test, call `pipeline.process_pending()` or capture the
on-commit callbacks). Tests only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from waspada.accounts.testing import ensure_area
from waspada.events import services as event_services
from waspada.events.models import Item
from waspada.geo.zones import zone_for
from waspada.reports import services as report_services
from waspada.reports.models import ReportStatus, ReportType, SituationReport
from waspada.reports.testing import make_item, make_report, term


def noon(area_code: str, day: dt.date) -> dt.datetime:
    """12:00 local time of `day` in the area's zone (safely inside the local day)."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=zone_for(area_code))


def local_today(area_code: str) -> dt.date:
    return timezone.now().astimezone(zone_for(area_code)).date()


def make_verified_items(
    area_code: str,
    count: int = 1,
    *,
    occurred_at: dt.datetime | None = None,
    days_ago: int | None = None,
    verifier: Any = None,
    created_by: Any = None,
    **fields: Any,
) -> list[Item]:
    """`count` verified items in `area_code` (any level), at `occurred_at`, or at noon local time
    `days_ago` days back (default: half an hour ago, but not before today's local midnight).

    Term fields may be given as codes: ``acled_type="riots"``, ``athg="ancaman"``; election
    issues as ``election_issues=["hoaks"]``.
    """
    ensure_area(area_code)
    if occurred_at is None:
        today = local_today(area_code)
        if days_ago is None:
            # Earlier today in the area's zone, but never before local midnight.
            now = timezone.now()
            start = dt.datetime.combine(today, dt.time.min, tzinfo=zone_for(area_code))
            occurred_at = max(start + dt.timedelta(minutes=1), now - dt.timedelta(minutes=30))
        else:
            occurred_at = noon(area_code, today - dt.timedelta(days=days_ago))
    issues = fields.pop("election_issues", [])
    for name, axis in TERM_AXES.items():
        if isinstance(fields.get(name), str):
            fields[name] = term(axis, fields[name])
    report_area = ".".join(area_code.split(".")[:2])
    report = make_report(
        report_area,
        created_by=created_by,
        report_type=ReportType.INFORMATION,
        status=ReportStatus.SUBMITTED,
        period_start=occurred_at.astimezone(zone_for(area_code)).date(),
    )
    items = []
    for _n in range(count):
        item = make_item(report, area_code=area_code, occurred_at=occurred_at, **fields)
        if issues:
            item.election_issues.set([term("election_issue", code) for code in issues])
        items.append(item)
    verify(report, verifier=verifier)
    for item in items:
        item.refresh_from_db()
    return items


def verify(report: SituationReport, *, verifier: Any = None) -> None:
    if verifier is not None:
        report_services.verify_report(report, actor=verifier)
        return
    SituationReport.objects.filter(pk=report.pk).update(status=ReportStatus.VERIFIED)
    event_services.set_items_status(report, ReportStatus.VERIFIED)


TERM_AXES = {
    "aspect": "aspect",
    "athg": "athg",
    "uu7_source": "uu7_source",
    "snpk": "snpk",
    "acled_type": "acled_type",
    "acled_subtype": "acled_subtype",
    "election_type": "election_type",
    "election_stage": "election_stage",
    "source_reliability": "source_reliability",
    "info_credibility": "info_credibility",
}
