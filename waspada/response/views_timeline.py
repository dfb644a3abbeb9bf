"""Timelines: /respons/kejadian/<pk>/linimasa/ (an event) and /respons/kasus/<pk>/linimasa/
(a conflict case): every step of the loop in order, each in the area's own time zone."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from waspada.core.web import domain_view
from waspada.events import selectors as event_selectors
from waspada.geo.zones import zone_for, zone_label
from waspada.response.selectors import timeline


def _rows(steps: list[timeline.Step], area_code: str) -> list[dict[str, Any]]:
    zone = zone_for(area_code)
    rows = []
    previous_day = None
    for step in steps:
        local = step.at.astimezone(zone)
        rows.append({"step": step, "local": local, "new_day": local.date() != previous_day})
        previous_day = local.date()
    return rows


def _kinds(steps: list[timeline.Step]) -> list[tuple[str, str]]:
    present = {s.kind for s in steps}
    return [(kind, str(label)) for kind, label in timeline.KIND_LABELS.items() if kind in present]


@domain_view
def event_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole story of one event the user may see."""
    event = event_selectors.get_event(request.user, pk)
    steps = timeline.event_steps(request.user, event)
    return render(
        request,
        "response/timeline/timeline.html",
        {
            "subject": event,
            "subject_kind": "event",
            "rows": _rows(steps, event.area_id),
            "zone": zone_label(event.area_id),
            "kinds": _kinds(steps),
        },
    )


@domain_view
def case_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole story of one conflict case the user may see."""
    from waspada.response.selectors.cases import get_case

    case = get_case(request.user, pk)
    steps = timeline.case_steps(request.user, case)
    return render(
        request,
        "response/timeline/timeline.html",
        {
            "subject": case,
            "subject_kind": "case",
            "rows": _rows(steps, case.area_id),
            "zone": zone_label(case.area_id),
            "kinds": _kinds(steps),
        },
    )
