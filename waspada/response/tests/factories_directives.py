"""Test helpers of the directive tests: the Palangka Raya set-up (a Polres and a kecamatan office
with their users), alerts, events, and directives issued through the service."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from waspada.accounts.testing import make_user
from waspada.events.models import Event
from waspada.geo.zones import zone_for
from waspada.response.choices import AgencyKind
from waspada.response.models import Agency, Directive
from waspada.response.services import directives as services
from waspada.response.tests.factories import make_agency

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
# Who sees a 62.71 directive by area scope (national admin: national scope).
IN_SCOPE_6271 = {"operator_6271", "analyst_62", "leader_62", "area_admin_62", "national_admin"}

_days = itertools.count(1)


def local_today(area_code: str = "62.71") -> dt.date:
    return timezone.now().astimezone(zone_for(area_code)).date()


def local_time(day: dt.date, hour: int = 12, area_code: str = "62.71") -> dt.datetime:
    """`hour`:00 of `day` in the zone of `area_code`, as an aware datetime."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone_for(area_code))


@dataclass
class Palangka:
    """Agencies of Kota Palangka Raya (62.71) and the users acting for them."""

    polres: Agency
    kecamatan: Agency
    dinsos: Agency
    polres_user: Any
    camat: Any


def palangka(personas: Any) -> Palangka:
    """The Polres Palangka Raya (62.71) with operator_6271 as its member, the Kecamatan Pahandut
    office (62.71.01) with a camat whose scope is only 62.71.01, and a Dinas Sosial (62.71)."""
    polres_user = personas("operator_6271")
    camat = make_user("camat_pahandut", "operator", ["62.71.01"], full_name="Camat Pahandut")
    polres = make_agency(
        "62.71",
        "Polres Palangka Raya",
        kind=AgencyKind.POLRI,
        short_name="Polres",
        members=[polres_user],
    )
    kecamatan = make_agency(
        "62.71.01",
        "Kecamatan Pahandut",
        kind=AgencyKind.KECAMATAN,
        short_name="Kec. Pahandut",
        members=[camat],
    )
    dinsos = make_agency("62.71", "Dinas Sosial Kota Palangka Raya", short_name="Dinsos")
    return Palangka(
        polres=polres,
        kecamatan=kecamatan,
        dinsos=dinsos,
        polres_user=polres_user,
        camat=camat,
    )


def make_alert(area_code: str = "62.71", *, level: int = 2, day: dt.date | None = None) -> Any:
    """An alert of `area_code` (a rise to Siaga by default)."""
    from waspada.warnings.models import Alert

    return Alert.objects.create(
        area_id=area_code,
        day=day or local_today(area_code),
        level=level,
        previous_level=max(level - 1, 0),
        score=20.0,
        reasons={"factors": {"severity": 20.0}},
    )


def make_event(
    area_code: str = "62.71",
    *,
    title: str = "Unjuk rasa warga menolak perluasan kebun",
    classification: str = "biasa",
) -> Event:
    """An event of `area_code` with one submitted item (through the reports test builders)."""
    from waspada.reports.testing import make_item, make_report

    day = timezone.localdate() - dt.timedelta(days=next(_days))
    report = make_report(area_code, status="submitted", period_start=day)
    item = make_item(report, title=title, classification=classification)
    event: Event = item.event
    return event


def issue(
    actor: Any,
    agencies: list[Agency],
    *,
    area_code: str = "62.71",
    due_date: dt.date | None = None,
    title: str = "Amankan lokasi unjuk rasa dan fasilitasi dialog",
    now: dt.datetime | None = None,
    **fields: Any,
) -> Directive:
    """A directive issued by `actor` through the service, due in three days by default."""
    subject = {k: fields.pop(k) for k in ("alert", "event", "case") if k in fields}
    return services.issue_directive(
        actor=actor,
        area_code=None if subject else area_code,
        title=title,
        instruction=fields.pop("instruction", "Laporkan perkembangan setiap hari."),
        due_date=due_date or local_today(area_code) + dt.timedelta(days=3),
        priority=fields.pop("priority", "high"),
        agency_ids=[a.pk for a in agencies],
        now=now,
        **subject,
        **fields,
    )


def jpeg_upload(name: str = "lokasi.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 120, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def disguised_upload(name: str = "foto.jpg") -> SimpleUploadedFile:
    """A web page named like a photo."""
    return SimpleUploadedFile(
        name, b"<html><script>alert(1)</script></html>", content_type="image/jpeg"
    )
