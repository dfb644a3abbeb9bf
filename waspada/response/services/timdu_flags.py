"""The periodic flag of missing RAD period reports (job `response.flag_missing_plan_reports`).

A period report is missing once WASPADA_RAD_REPORT_DUE_DAY of the month after the period has
passed (by the area's local date) and it is still not submitted; the people responsible hear
about it once (see `flag_missing_plan_reports`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from waspada.accounts.roles import PERMISSIONS
from waspada.core.scoping import user_covers
from waspada.notifications.choices import NotificationKind
from waspada.notifications.services import notify
from waspada.response.choices import AgencyKind, PlanReportStatus, PlanStatus, RadPeriod
from waspada.response.models import ActionPlan, Agency, PlanReport
from waspada.response.timdu_periods import (
    PERIODS,
    due_date,
    is_overdue,
    local_today,
    period_label,
)
from waspada.response.webhooks import publish

logger = logging.getLogger(__name__)

RESPONSIBLE_PERMISSIONS = ("rad.report", "response.manage")


def missing_key(plan_id: int, period: str) -> str:
    """The notification key that makes the flag of one plan's period go out once."""
    return f"rad-missing:{plan_id}:{period}"


def _responsible_users() -> list[Any]:
    roles = [
        role
        for role, permissions in PERMISSIONS.items()
        if any(p in permissions for p in RESPONSIBLE_PERMISSIONS)
    ]
    return list(get_user_model().objects.filter(is_active=True, role__in=roles).order_by("pk"))


def flag_missing_plan_reports(now: dt.datetime | None = None) -> dict[str, int]:
    """Tell the people responsible about each period report of an active plan that is still not
    submitted after its due day (WASPADA_RAD_REPORT_DUE_DAY of the month after the period, by
    the area's local date).

    Recipients: active users with "rad.report" or "response.manage" whose scope covers the
    Timdu's area (national scope excepted: it reads the flags on the pages), and the members of
    the area's Kesbangpol agency when one is recorded. Each hears once per plan and period
    (notification key `rad-missing:<plan>:<period>`), so the job is safe to repeat. Returns
    {"plans", "periods" (flagged now or before), "notified" (new)}.
    """
    now = now or timezone.now()
    plans = list(
        ActionPlan.objects.filter(status=PlanStatus.ACTIVE)
        .select_related("timdu", "timdu__area")
        .prefetch_related(
            Prefetch(
                "reports", queryset=PlanReport.objects.only("id", "plan_id", "period", "status")
            )
        )
        .order_by("year", "timdu__area_id", "pk")
    )
    flagged: list[tuple[ActionPlan, str]] = []
    for plan in plans:
        today = local_today(plan.timdu.area_id, now)
        submitted = {r.period for r in plan.reports.all() if r.status == PlanReportStatus.SUBMITTED}
        for period in PERIODS:
            if period not in submitted and is_overdue(plan.year, period, today):
                flagged.append((plan, period))
    if not flagged:
        return {"plans": 0, "periods": 0, "notified": 0}
    areas = {plan.timdu.area_id for plan, _period in flagged}
    kesbangpol: dict[str, list[Any]] = defaultdict(list)
    for agency in Agency.objects.filter(
        kind=AgencyKind.KESBANGPOL, active=True, area_id__in=areas
    ).prefetch_related("members__user"):
        kesbangpol[agency.area_id] += [m.user for m in agency.members.all()]
    users = _responsible_users()
    notified = 0
    for plan, period in flagged:
        code = plan.timdu.area_id
        # National scope sees the flags on its pages; a country of Timdus would bury its inbox.
        recipients = [
            u for u in users if not u.has_national_scope and user_covers(u, code)
        ] + kesbangpol.get(code, [])
        area_name = plan.timdu.area.display_name
        due = due_date(plan.year, period)
        created = notify(
            recipients,
            kind=NotificationKind.ACTION_PLAN,
            title=_("Laporan RAD %(period)s %(year)d %(area)s belum dilaporkan")
            % {"period": period_label(period), "year": plan.year, "area": area_name},
            body=_(
                "Laporan kemajuan RAD %(title)s periode %(period)s belum diajukan, padahal "
                "batasnya %(due)s. Isi dan ajukan laporannya."
            )
            % {
                "title": plan.title,
                "period": str(RadPeriod(period).label),
                "due": date_format(due, "j F Y"),
            },
            url=reverse("response:plan_report", kwargs={"pk": plan.pk, "period": period}),
            area_code=code,
            key=missing_key(plan.pk, period),
        )
        notified += len(created)
        publish(
            "plan_report.missing",
            key=missing_key(plan.pk, period),
            area_code=code,
            classification="biasa",
            title=f"RAD {plan.year} {area_name}: {period_label(period)}",
            url=reverse("response:plan_detail", kwargs={"pk": plan.pk}),
            data={
                "plan": plan.pk,
                "year": plan.year,
                "period": period,
                "due_date": due.isoformat(),
            },
            at=now,
        )
    plan_count = len({plan.pk for plan, _period in flagged})
    logger.info(
        "Missing RAD reports: %d period(s) of %d plan(s); %d new notification(s).",
        len(flagged),
        plan_count,
        notified,
    )
    return {"plans": plan_count, "periods": len(flagged), "notified": notified}


__all__ = ["flag_missing_plan_reports", "missing_key"]
