"""Beranda and the leader's dashboard (/dasbor/): the risk map of the areas in scope, the ten of
highest risk, the trend, and a drill-down page per area with its score explained."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.accounts.roles import Role
from waspada.core.selectors import list_audit_entries
from waspada.core.web import domain_view
from waspada.dashboards import charts, explain
from waspada.dashboards.forms import FILTER_AXES, DashboardFilterForm
from waspada.dashboards.selectors import area_dashboard, dashboard, scope_summary
from waspada.geo.choices import AreaLevel
from waspada.geo.errors import LOAD_HINT
from waspada.warnings.choices import LEVEL_COLOURS, RiskLevel
from waspada.warnings.selectors import local_today


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Beranda: who I am, my areas, what lies inside them, and recent changes I may see.

    Leaders start on the dashboard instead (`?beranda=1` still shows this page).
    """
    if getattr(request.user, "role", "") == Role.LEADER and not request.GET.get("beranda"):
        return redirect("dashboards:dashboard")
    summary = scope_summary(request.user)
    recent = (
        list(list_audit_entries(request.user)[:8])
        if request.user.has_role_permission("audit.view")  # type: ignore[union-attr]
        else None
    )
    level_cards = [
        (AreaLevel.REGENCY.label, summary.counts.get(AreaLevel.REGENCY, 0)),
        (AreaLevel.DISTRICT.label, summary.counts.get(AreaLevel.DISTRICT, 0)),
        (AreaLevel.VILLAGE.label, summary.counts.get(AreaLevel.VILLAGE, 0)),
    ]
    return render(
        request,
        "dashboards/home.html",
        {"summary": summary, "level_cards": level_cards, "recent": recent, "now": timezone.now()},
    )


def _levels() -> list[dict[str, Any]]:
    return [
        {
            "value": int(level),
            "label": level.label,
            "slug": level.slug,
            "colour": LEVEL_COLOURS[level],
        }
        for level in RiskLevel
    ]


def _filters(request: HttpRequest) -> DashboardFilterForm:
    return DashboardFilterForm(request.user, request.GET, today=local_today(request.user))


def _base_context(form: DashboardFilterForm) -> dict[str, Any]:
    return {
        "form": form,
        "axis_fields": [form[str(axis)] for axis in FILTER_AXES],
        "levels": _levels(),
        "load_hint": _(LOAD_HINT),
    }


@domain_view
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """The risk map of the kab/kota in the viewer's scope, with legend, filters, top ten and
    trend; without boundaries the ranked table stands in for the map."""
    form = _filters(request)
    context = _base_context(form)
    if not form.is_valid():
        return render(request, "dashboards/dashboard.html", context, status=400)
    params = form.params()
    query = form.query()
    board = dashboard(request.user, params, link_query=query)
    context.update(
        {
            "params": params,
            "query": query,
            "board": board,
            "trend_svg": charts.trend_svg(board.trend, label=_("Tren butir dan keparahan harian")),
        }
    )
    return render(request, "dashboards/dashboard.html", context)


@domain_view
def area_page(request: HttpRequest, code: str) -> HttpResponse:
    """One area: the map of its children, its score explained in words, the top contributing
    items, the trend and the verified items of the period. 404 outside the viewer's scope."""
    form = _filters(request)
    context = _base_context(form)
    if not form.is_valid():
        return render(request, "dashboards/area.html", context, status=400)
    params = form.params()
    query = form.query()
    data = area_dashboard(
        request.user, code, params, link_query=query, page=request.GET.get("page")
    )
    context.update(
        {
            "params": params,
            "query": query,
            "data": data,
            "board": data.board,
            "area": data.area,
            "sentences": explain.describe(data.explanation),
            "level_slug": RiskLevel(
                data.explanation.score.level if data.explanation.score else 0
            ).slug,
            "trend_svg": charts.trend_svg(
                data.board.trend,
                label=_("Tren butir dan keparahan harian di %(name)s")
                % {"name": data.area.display_name},
            ),
        }
    )
    return render(request, "dashboards/area.html", context)
