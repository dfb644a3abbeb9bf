"""Review pages: the queue "Perlu ditinjau" and daily-report compliance (list and month calendar).

Parse, call one selector, render. Everyone here needs "reports.view" (403 otherwise); an area
outside the user's scope answers 404, malformed input 400 with the message on the page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from waspada.core.errors import InvalidInput, OutOfScope
from waspada.core.scoping import user_covers
from waspada.reports import compliance, queue


def _ensure_reader(request: HttpRequest) -> Any:
    user = request.user
    if not user.has_role_permission("reports.view"):  # type: ignore[union-attr]
        raise PermissionDenied("reports.view")
    return user


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """What needs the user's action now, oldest first (empty for roles that neither review nor
    file reports)."""
    user = _ensure_reader(request)
    entries = queue.review_queue(user)
    context = {
        "entries": entries,
        "review_entries": [e for e in entries if e.kind == queue.REVIEW],
        "own_entries": [e for e in entries if e.kind != queue.REVIEW],
        "is_reviewer": queue.is_reviewer(user),
        "is_filer": queue.is_filer(user),
    }
    return render(request, "reports/review/queue.html", context)


WEEKDAYS = [
    (_("Sen"), _("Senin")),
    (_("Sel"), _("Selasa")),
    (_("Rab"), _("Rabu")),
    (_("Kam"), _("Kamis")),
    (_("Jum"), _("Jumat")),
    (_("Sab"), _("Sabtu")),
    (_("Min"), pgettext_lazy("day of the week", "Minggu")),
]


def _month_url(code: str, year: int, month: int) -> str:
    return reverse(
        "reports:compliance_month",
        kwargs={"code": code, "year": f"{year:04d}", "month": f"{month:02d}"},
    )


@login_required
def compliance_day(request: HttpRequest) -> HttpResponse:
    """For a date (?date=YYYY-MM-DD, default today) and an area (?area=, default the user's own):
    each kab/kota of a province, or the area itself, with its daily-report status."""
    user = _ensure_reader(request)
    today = compliance.local_today(user)
    raw_date, raw_area = request.GET.get("date", ""), request.GET.get("area", "")
    context: dict[str, Any] = {"raw_date": raw_date, "raw_area": raw_area, "today": today}
    try:
        day = compliance.parse_day(raw_date, default=today)
        area_code = compliance.parse_area_code(raw_area)
    except InvalidInput as exc:
        context["error"] = exc.message
        return render(request, "reports/review/compliance_day.html", context, status=400)
    try:
        result = compliance.compliance_for_date(user, day=day, area_code=area_code)
    except OutOfScope as exc:
        raise Http404 from exc
    code = result.area.code if result.area else ""
    parent = result.area.parent_id if result.area else None
    context.update(
        result=result,
        day=day,
        area_code=code,
        previous_day=day - dt.timedelta(days=1),
        next_day=day + dt.timedelta(days=1),
        parent_code=parent if parent and user_covers(user, parent) else "",
        legend=compliance.LEGEND,
        counts=[(code, label, result.counts.get(code, 0)) for code, label in compliance.LEGEND],
        rows=[
            {"row": row, "month_url": _month_url(row.area_code, day.year, day.month)}
            for row in result.rows
        ],
    )
    return render(request, "reports/review/compliance_day.html", context)


@login_required
def compliance_month(request: HttpRequest, code: str, year: str, month: str) -> HttpResponse:
    """A month calendar of one area's daily reports, one cell per day, coloured by status."""
    user = _ensure_reader(request)
    try:
        calendar = compliance.compliance_month(
            user, area_code=code, year=int(year), month=int(month)
        )
    except InvalidInput as exc:
        raise Http404 from exc
    except OutOfScope as exc:
        raise Http404 from exc
    area = calendar.area
    up = area.parent_id if area.parent_id and user_covers(user, area.parent_id) else area.code
    context = {
        "cal": calendar,
        "legend": compliance.LEGEND,
        "previous_url": _month_url(area.code, *calendar.previous),
        "next_url": _month_url(area.code, *calendar.following),
        "day_url": reverse("reports:compliance") + f"?area={up}",
        "counts": [
            (code, label, calendar.counts.get(code, 0)) for code, label in compliance.LEGEND
        ],
        "weekdays": WEEKDAYS,
    }
    return render(request, "reports/review/compliance_month.html", context)
