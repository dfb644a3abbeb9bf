"""Test helpers of the conflict-case tests: events (through the reports/events test builders)
and cases (through the services, so the stage history and audit are real)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any

from django.utils import timezone
from PIL import Image

from waspada.accounts.testing import make_user
from waspada.events.models import Event
from waspada.geo.zones import zone_for
from waspada.reports.testing import make_report
from waspada.response.models import ConflictCase
from waspada.response.services import cases as services

_days = itertools.count(1)

ALL = [
    "anonymous",
    "operator_6271",
    "operator_6201",
    "analyst_62",
    "analyst_63",
    "leader_62",
    "area_admin_62",
    "national_admin",
]


def make_event(
    area_code: str = "62.71",
    *,
    title: str = "Sengketa lahan warga dengan perusahaan sawit",
    classification: str = "biasa",
    created_by: Any = None,
) -> Event:
    """An event of `area_code` with one submitted item."""
    from waspada.reports.testing import make_item

    # A daily report is one per area and date: each event gets its own day.
    day = timezone.localdate() - dt.timedelta(days=next(_days))
    report = make_report(area_code, created_by=created_by, status="submitted", period_start=day)
    item = make_item(report, title=title, classification=classification)
    return item.event


def cleared_analyst(username: str = "analis_rahasia_62", area_code: str = "62") -> Any:
    """An analyst of `area_code` cleared for *rahasia*."""
    return make_user(username, "analyst", [area_code], clearance="rahasia")


def open_case(
    actor: Any,
    events: list[Event] | None = None,
    *,
    title: str = "Sengketa lahan Desa Palangka dengan PT Sawit Makmur",
    now: dt.datetime | None = None,
    **fields: Any,
) -> ConflictCase:
    """A case opened by `actor` through the service (from a new 62.71 event by default)."""
    events = events if events is not None else [make_event()]
    fields.setdefault("root_cause", "sengketa-sda")
    fields.setdefault(
        "parties",
        [
            {"name": "Warga Desa Palangka", "party_type": "warga", "representative": "Kades"},
            {"name": "PT Sawit Makmur", "party_type": "perusahaan"},
        ],
    )
    return services.open_case(
        actor=actor, event_ids=[e.pk for e in events], title=title, now=now, **fields
    )


def local_noon(day: dt.date, area_code: str = "62.71") -> dt.datetime:
    """Noon of `day` in the zone of `area_code`, as an aware datetime."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=zone_for(area_code))


def local_today(area_code: str = "62.71") -> dt.date:
    return timezone.now().astimezone(zone_for(area_code)).date()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 120, 30)).save(buffer, "JPEG")
    return buffer.getvalue()
