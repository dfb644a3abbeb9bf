"""Server-rendered inline SVG charts (no JS, no library): the daily trend of items and severity.

Bars are verified items per day (left scale); the line is their summed severity (right scale).
The page shows the same numbers in a table beside the chart for screen readers and print.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from waspada.warnings.selectors import TrendPoint

WIDTH, HEIGHT = 640.0, 200.0
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 34.0, 40.0, 10.0, 22.0


def _nice_max(value: float) -> float:
    """A round upper bound for an axis (1, 2, 5 × 10^n) at or above `value`."""
    if value <= 0:
        return 1.0
    magnitude = 1.0
    while magnitude * 10 <= value:
        magnitude *= 10
    while magnitude > value:
        magnitude /= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def trend_svg(points: Sequence[TrendPoint], *, label: str) -> SafeString:
    """An accessible SVG bar-and-line chart of `points` (empty string for no points)."""
    if not points:
        return SafeString("")
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    max_items = _nice_max(max(p.items for p in points))
    max_severity = _nice_max(max(p.severity for p in points))
    step = plot_w / len(points)
    bar_w = max(step * 0.7, 0.5)
    base = PAD_TOP + plot_h

    def y_items(n: float) -> float:
        return base - plot_h * n / max_items

    def y_sev(s: float) -> float:
        return base - plot_h * s / max_severity

    bars = format_html_join(
        "",
        '<rect class="bar" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
        (
            (
                f"{PAD_LEFT + i * step + (step - bar_w) / 2:.1f}",
                f"{y_items(p.items):.1f}",
                f"{bar_w:.1f}",
                f"{base - y_items(p.items):.1f}",
                date_format(p.day, "j M Y"),
                _("%(n)s butir, keparahan %(s)s")
                % {"n": p.items, "s": number_format(p.severity, 1)},
            )
            for i, p in enumerate(points)
            if p.items
        ),
    )
    line = " ".join(
        f"{PAD_LEFT + i * step + step / 2:.1f},{y_sev(p.severity):.1f}"
        for i, p in enumerate(points)
    )
    first, last = points[0].day, points[-1].day
    return format_html(
        '<svg class="trend-chart" viewBox="0 0 {w} {h}" role="img" aria-label="{label}" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<line class="axis" x1="{l}" y1="{b}" x2="{r}" y2="{b}"/>'
        '<text class="tick" x="{tl}" y="{ty}" text-anchor="end">{mi}</text>'
        '<text class="tick" x="{tl}" y="{b}" text-anchor="end">0</text>'
        '<text class="tick sev" x="{tr}" y="{ty}">{ms}</text>'
        "{bars}"
        '<polyline class="severity" points="{line}"/>'
        '<text class="tick" x="{l}" y="{h}">{first}</text>'
        '<text class="tick" x="{r}" y="{h}" text-anchor="end">{last}</text>'
        "</svg>",
        w=f"{WIDTH:.0f}",
        h=f"{HEIGHT - 2:.0f}",
        label=label,
        l=f"{PAD_LEFT:.1f}",
        r=f"{WIDTH - PAD_RIGHT:.1f}",
        b=f"{base:.1f}",
        tl=f"{PAD_LEFT - 4:.1f}",
        tr=f"{WIDTH - PAD_RIGHT + 4:.1f}",
        ty=f"{PAD_TOP + 8:.1f}",
        mi=number_format(max_items, 0),
        ms=number_format(max_severity, 0),
        bars=bars,
        line=line,
        first=date_format(first, "j M"),
        last=date_format(last, "j M"),
    )
