"""The daily-report reminder: operators who have not filed today's LAPSITDA harian are told, once.

Run every 15 minutes by beat (`reports.send_daily_reminders`). For each area with an active
operator assigned, once the area's own clock (WIB, WITA or WIT) has passed
WASPADA_DAILY_REMINDER_HOUR and today's daily report of that area has not been submitted, each
operator of the area gets one notification in the inbox and by e-mail. The notification key
"daily-reminder:<area>:<date>" makes every later run (and a concurrent one) a no-op for that
operator, area and day.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from waspada.accounts.roles import Role
from waspada.geo.models import Area
from waspada.geo.zones import ZONES, zone_for, zone_label
from waspada.notifications.choices import NotificationKind
from waspada.notifications.services import notify
from waspada.reports.models import ReportType
from waspada.reports.queue import FILED_STATES, new_daily_url, report_rows, report_url
from waspada.reports.services import due_at_for

logger = logging.getLogger(__name__)


def reminder_hour() -> int:
    """The local hour (0-23) after which the reminder goes out (WASPADA_DAILY_REMINDER_HOUR)."""
    return max(0, min(23, int(getattr(settings, "WASPADA_DAILY_REMINDER_HOUR", 16))))


def reminder_key(area_code: str, day: dt.date) -> str:
    return f"daily-reminder:{area_code}:{day.isoformat()}"


def zones_past_hour(now: dt.datetime, hour: int) -> dict[str, dt.date]:
    """{zone label: local date} for each zone whose local time is at or past `hour` today."""
    result: dict[str, dt.date] = {}
    for label, zone in ZONES.items():
        local = now.astimezone(zone)
        if local.hour >= hour:
            result[label] = local.date()
    return result


def send_daily_reminders(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remind the operators of every area whose daily report for its local today is not filed.

    Returns {"areas": unfiled areas past the hour, "notified": notifications written now}. Safe
    to repeat: an operator is reminded at most once per area and day.
    """
    now = now or timezone.now()
    due_zones = zones_past_hour(now, reminder_hour())
    if not due_zones:
        return {"areas": 0, "notified": 0}
    operators_by_area: dict[str, list[Any]] = defaultdict(list)
    operators = (
        get_user_model()
        .objects.filter(role=Role.OPERATOR, is_active=True)
        .prefetch_related("assignments")
    )
    for operator in operators:
        for assignment in operator.assignments.all():
            if zone_label(assignment.area_id) in due_zones:
                operators_by_area[assignment.area_id].append(operator)
    if not operators_by_area:
        return {"areas": 0, "notified": 0}
    today = {code: due_zones[zone_label(code)] for code in operators_by_area}
    reports = report_rows().filter(
        report_type=ReportType.DAILY,
        area_id__in=list(operators_by_area),
        period_start__in=set(today.values()),
    )
    todays = {r.area_id: r for r in reports if r.period_start == today[r.area_id]}
    areas = Area.objects.in_bulk(list(operators_by_area))
    reminded = notified = 0
    for code in sorted(operators_by_area):
        report = todays.get(code)
        area = areas.get(code)
        if area is None or (report is not None and report.status in FILED_STATES):
            continue
        day = today[code]
        due = due_at_for(code, day).astimezone(zone_for(code))
        title = _("Laporan harian %(area)s tanggal %(date)s belum dikirim") % {
            "area": area.display_name,
            "date": date_format(day, "j F Y"),
        }
        body = _(
            "Kirim LAPSITDA harian %(area)s untuk %(date)s, atau tandai nihil bila tidak ada "
            "kejadian menonjol. Batas waktu: %(due)s %(zone)s."
        ) % {
            "area": area.display_name,
            "date": date_format(day, "j F Y"),
            "due": date_format(due, "j F Y H:i"),
            "zone": zone_label(code),
        }
        url = (
            report_url(report.pk)
            if report is not None
            else new_daily_url(code, day) or reverse("reports:review_queue")
        )
        created = notify(
            operators_by_area[code],
            kind=NotificationKind.DAILY_REMINDER,
            title=title,
            body=body,
            url=url,
            area_code=code,
            email=True,
            key=reminder_key(code, day),
        )
        reminded += 1
        notified += len(created)
    logger.info(
        "Daily-report reminders: %d area(s) unfiled, %d new notification(s).", reminded, notified
    )
    return {"areas": reminded, "notified": notified}
