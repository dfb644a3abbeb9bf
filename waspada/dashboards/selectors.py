"""Reads for the home page (the user's areas and what lies inside them) and the risk map."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from waspada.core.scoping import user_scope_q
from waspada.geo import selectors as geo_selectors
from waspada.geo.choices import AreaLevel
from waspada.geo.models import Area
from waspada.warnings import selectors as risk_selectors
from waspada.warnings.choices import RiskLevel
from waspada.warnings.selectors import AreaRisk, RiskMap, RiskParams, ScoreExplanation, TrendPoint


@dataclass(frozen=True)
class ScopeSummary:
    areas: list[Area]
    counts: dict[int, int]  # level -> number of areas of that level inside the scope
    areas_loaded: bool


def scope_summary(user: Any) -> ScopeSummary:
    """The user's own areas (the provinces for national scope) and area counts per level inside."""
    if user.has_national_scope:
        areas = list(Area.objects.filter(level=AreaLevel.PROVINCE).order_by("code"))
    else:
        areas = list(Area.objects.filter(code__in=user.scope_area_codes).order_by("code"))
    qs = Area.objects.all()
    condition = user_scope_q(user, "code")
    if condition is not None:
        qs = qs.filter(condition)
    counts = {row["level"]: row["n"] for row in qs.values("level").annotate(n=Count("code"))}
    return ScopeSummary(areas=areas, counts=counts, areas_loaded=Area.objects.exists())


# ---------------------------------------------------------------- the risk map

# What geo's cached map markup looks like per area (svgmap.render): the link, then its title.
_SHAPE = re.compile(r'<a href="[^"]*" data-code="([0-9.]+)"><title>([^<]*)</title>')


@dataclass(frozen=True)
class RiskMapView:
    """The choropleth of a risk map: SVG markup, or why there is none (`state`, as geo's
    `AreaMap`: "ok", "not_loaded", "no_shapes", "own")."""

    svg: SafeString
    state: str


def risk_choropleth(user: Any, result: RiskMap, *, link_query: str = "") -> RiskMapView:
    """The areas of `result` coloured by level, each linked to its drill-down page.

    The geometry is geo's cached map of these areas (built once per boundary stamp); per request
    only one regular-expression pass puts each area's level class, its level in words and its
    link into the markup, so a warm national map does no geometry work. Raises OutOfScope when
    the map's parent is outside the viewer's scope.
    """
    base = geo_selectors.children_map(user, result.parent, result.areas)
    if base.state != "ok":
        return RiskMapView(SafeString(""), base.state)
    rows = {row.code: row for row in result.rows}
    suffix = f"?{escape(link_query)}" if link_query else ""

    def colour(match: re.Match[str]) -> str:
        code, title = match.group(1), match.group(2)
        row = rows.get(code)
        level = RiskLevel(row.level if row else 0)
        words = _("%(level)s, skor %(score)s") % {
            "level": level.label,
            "score": number_format(row.score if row else 0.0, 1),
        }
        href = reverse("dashboards:area", args=[code]) + suffix
        return (
            f'<a href="{href}" data-code="{code}" data-level="{int(level)}" '
            f'class="risk-{level.slug}"><title>{title}: {escape(words)}</title>'
        )

    # geo's markup was built with format_html; what goes in is escaped above.
    return RiskMapView(mark_safe(_SHAPE.sub(colour, str(base.svg))), "ok")  # noqa: S308


@dataclass(frozen=True)
class DashboardData:
    """Everything the leader's first page shows for one set of filters."""

    risk: RiskMap
    choropleth: RiskMapView
    top: list[AreaRisk]
    ranked: list[AreaRisk]
    trend: list[TrendPoint]


def dashboard(user: Any, params: RiskParams, *, link_query: str = "") -> DashboardData:
    """The kab/kota in the viewer's scope (or the children of `params.parent`) with their risk,
    the choropleth, the ten of highest score and the daily trend over the period.

    Raises OutOfScope when `params.parent` is unknown or outside the viewer's scope.
    """
    risk = risk_selectors.risk_map(
        user,
        parent=params.parent,
        day=params.day,
        period_days=params.period_days,
        terms=params.terms,
    )
    if params.parent is None:
        points = risk_selectors.scope_trend(user, params.start, params.day)
    else:
        points = risk_selectors.trend(user, params.parent, params.start, params.day).points
    ranked = risk_selectors.rank(risk.rows, limit=len(risk.rows))
    return DashboardData(
        risk=risk,
        choropleth=risk_choropleth(user, risk, link_query=link_query),
        top=ranked[:10],
        ranked=ranked,
        trend=points,
    )


@dataclass(frozen=True)
class AreaDashboardData:
    """The drill-down page of one area: its own map, score explanation and items."""

    area: Area
    crumbs: list[geo_selectors.Crumb]
    board: DashboardData
    explanation: ScoreExplanation
    items: Page[Any]


ITEMS_PER_PAGE = 20


def area_dashboard(
    user: Any, code: str, params: RiskParams, *, link_query: str = "", page: str | None = None
) -> AreaDashboardData:
    """One area: the map of its children, its score explained, its trend and the verified items
    of the period (paginated, through the events item selector).

    Raises OutOfScope (404) for an area that is unknown or outside the viewer's scope.
    """
    explanation = risk_selectors.explanation(user, code, params.day)
    area = explanation.area
    board = dashboard(
        user,
        RiskParams(params.day, params.period_days, params.terms, parent=area.code),
        link_query=link_query,
    )
    items = risk_selectors.area_items(user, area.code, params.start, params.day, params.terms)
    return AreaDashboardData(
        area=area,
        crumbs=geo_selectors.breadcrumb(user, area),
        board=board,
        explanation=explanation,
        items=Paginator(items, ITEMS_PER_PAGE).get_page(page),
    )
