"""Shared stage of the export tests: a handful of items in 62 and 63, one of them *rahasia*.

from waspada.briefs.tests.fixtures_exports import stage, media  # noqa: F401 (fixtures)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from waspada.accounts.testing import ensure_area
from waspada.events.models import Item, ItemActor
from waspada.reports.testing import make_item, make_report, term

UTC = dt.UTC


@dataclass
class Stage:
    """The items of the export tests, by what they are for."""

    plain: Item  # 62.71.02, biasa, coordinates, every axis, two election issues, two actors
    formula: Item  # 62.71, biasa, text cells that look like formulas, no coordinates
    secret: Item  # 62.01.01, rahasia
    other: Item  # 63.71, biasa (another province)


@pytest.fixture
def media(settings, tmp_path):
    """Files written by the tests go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def stage(personas) -> Stage:
    operator = personas("operator_6271")
    report = make_report("62.71", created_by=operator, status="verified")
    plain = make_item(
        report,
        area_code="62.71.02",
        occurred_at=dt.datetime(2026, 3, 1, 3, 30, tzinfo=UTC),
        time_precision="hour",
        latitude=Decimal("-2.209500"),
        longitude=Decimal("113.913400"),
        location_precision="exact",
        place="Depan kantor Kelurahan Palangka",
        title="Unjuk rasa warga menolak perluasan kebun sawit",
        chronology='Sekitar 200 warga berkumpul; spanduk "Tolak sawit",\nlalu bubar.',
        trigger="Izin perluasan kebun",
        crowd_size=200,
        deaths=1,
        injured_light=2,
        houses_damaged=3,
        loss_rupiah=25_000_000,
        source="Lurah Palangka",
        source_reliability=term("source_reliability", "b"),
        info_credibility=term("info_credibility", "2"),
        trend="rising",
        uu7_source=term("uu7_source", "sengketa-sda"),
        snpk=term("snpk", "sumber-daya"),
        acled_type=term("acled_type", "protests"),
        acled_subtype=term("acled_subtype", "peaceful-protest"),
        election_type=term("election_type", "pilkada"),
        election_stage=term("election_stage", "kampanye"),
        analysis="Berpotensi meluas.",
        prediction="Aksi lanjutan pekan depan.",
        steps_taken="Koordinasi dengan Polresta.",
        recommendation="Fasilitasi dialog.",
    )
    plain.election_issues.set(
        [term("election_issue", "politik-uang"), term("election_issue", "hoaks")]
    )
    ItemActor.objects.create(item=plain, name="Forum Warga", actor_type=term("actor_type", "warga"))
    ItemActor.objects.create(
        item=plain, name="PT Sawit", actor_type=term("actor_type", "perusahaan")
    )
    ItemActor.objects.create(item=plain, name="Warga lain", actor_type=term("actor_type", "warga"))
    formula = make_item(
        report,
        area_code="62.71",
        occurred_at=dt.datetime(2026, 3, 2, 1, 0, tzinfo=UTC),
        title='=HYPERLINK("http://contoh.test","klik")',
        chronology="+62 811 000 (nomor pelapor)",
        place="@kantor",
        source="-sumber rahasia-",
        analysis="Tidak berbahaya = biasa",
    )
    report_6201 = make_report("62.01", created_by=personas("operator_6201"), status="verified")
    secret = make_item(
        report_6201,
        area_code="62.01.01",
        occurred_at=dt.datetime(2026, 3, 3, 2, 0, tzinfo=UTC),
        title="Rencana penyerangan pos keamanan",
        classification="rahasia",
    )
    ensure_area("63.71")
    report_6371 = make_report("63.71", created_by=personas("analyst_63"), status="verified")
    other = make_item(
        report_6371,
        occurred_at=dt.datetime(2026, 3, 4, 5, 0, tzinfo=UTC),
        title="Perkelahian antarkelompok pemuda",
    )
    return Stage(plain=plain, formula=formula, secret=secret, other=other)


def clear(user: Any, level: str = "rahasia") -> Any:
    """Give `user` the clearance `level` (saved) and return it."""
    user.clearance = level
    user.save(update_fields=["clearance"])
    return user


def read_csv(data: bytes) -> list[dict[str, str]]:
    """The rows of an export CSV as dicts keyed by the Indonesian headers (BOM checked)."""
    assert data.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_xlsx(data: bytes) -> list[list[list[Any]]]:
    """Every sheet of an export XLSX as a list of rows (the header row first; rows padded to
    the header's width, as read-only mode leaves trailing empty cells out)."""
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    sheets = []
    for sheet in workbook:
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        width = len(rows[0]) if rows else 0
        sheets.append([row + [None] * (width - len(row)) for row in rows])
    return sheets


def read_geojson(data: bytes) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(data)
    return body
