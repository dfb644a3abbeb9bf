"""Test builders for reports and items, straight through the models (tests only).

    report = make_report("62.71", created_by=operator, status="submitted")
    item = make_item(report, title="Sengketa lahan", deaths=1, classification="rahasia")

They fill every required field with plausible values so each test states only what it is about.
Services are what the tests exercise; these only set the stage.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from waspada.accounts.testing import ensure_area
from waspada.events.models import Event, Item, Term
from waspada.reports.models import ReportStatus, ReportType, SituationReport


def term(axis: str, code: str) -> Term:
    return Term.objects.get(axis=axis, code=code)


def make_report(
    area_code: str = "62.71",
    *,
    created_by: Any = None,
    report_type: str = ReportType.DAILY,
    period_start: dt.date | None = None,
    status: str = ReportStatus.DRAFT,
    **fields: Any,
) -> SituationReport:
    start = period_start or timezone.localdate()
    end = fields.pop("period_end", start)
    return SituationReport.objects.create(
        report_type=report_type,
        area=ensure_area(area_code),
        period_start=start,
        period_end=end,
        status=status,
        created_by=created_by,
        **fields,
    )


def make_item(
    report: SituationReport,
    *,
    event: Event | None = None,
    area_code: str | None = None,
    occurred_at: dt.datetime | None = None,
    **fields: Any,
) -> Item:
    area = ensure_area(area_code or report.area_id)
    when = occurred_at or timezone.now() - dt.timedelta(hours=2)
    title = fields.pop("title", "Unjuk rasa warga menolak perluasan kebun sawit")
    classification = fields.get("classification", "biasa")
    if event is None:
        event = Event.objects.create(
            area=area,
            title=title,
            classification=classification,
            first_occurred_at=when,
            last_occurred_at=when,
            created_by=report.created_by,
        )
        kind = "new"
    else:
        kind = "development"
    fields.setdefault("status", report.status if report.status != "returned" else "returned")
    fields.setdefault("chronology", "Sekitar 200 warga berkumpul di depan kantor desa.")
    fields.setdefault("aspect", term("aspect", "ekonomi"))
    fields.setdefault("athg", term("athg", "gangguan"))
    return Item.objects.create(
        report=report,
        event=event,
        original_event=event,
        kind=fields.pop("kind", kind),
        area=area,
        occurred_at=when,
        title=title,
        created_by=report.created_by,
        **fields,
    )
