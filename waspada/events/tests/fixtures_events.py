"""Shared stage of the EVENTS tests: report fixtures (import them) and a payload builder."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from waspada.accounts.testing import ensure_area
from waspada.reports.testing import make_report


@pytest.fixture
def report_6271(personas):
    """A draft daily report of Kota Palangka Raya, filed by operator_6271."""
    return make_report("62.71", created_by=personas("operator_6271"))


@pytest.fixture
def report_6201(personas):
    return make_report("62.01", created_by=personas("operator_6201"))


@pytest.fixture
def report_6371(personas):
    ensure_area("63.71")
    return make_report("63.71", created_by=personas("analyst_63"))


def payload(**overrides: Any) -> dict[str, Any]:
    """A complete, valid item for a report of 62.71."""
    data: dict[str, Any] = {
        "occurred_at": (timezone.now() - dt.timedelta(hours=3)).isoformat(),
        "time_precision": "hour",
        "area": "62.71.02",
        "place": "Depan kantor Kelurahan Palangka",
        "title": "Unjuk rasa warga menolak perluasan kebun sawit",
        "chronology": "Sekitar 200 warga berkumpul menuntut pencabutan izin perluasan kebun sawit.",
        "what": "Unjuk rasa",
        "who": "Warga Kelurahan Palangka",
        "trigger": "Izin perluasan kebun",
        "crowd_size": 200,
        "deaths": 0,
        "injured_light": 2,
        "source": "Lurah Palangka",
        "source_relation": "Mitra kerja",
        "how_obtained": "Telepon",
        "source_reliability": "b",
        "info_credibility": "2",
        "trend": "rising",
        "aspect": "ekonomi",
        "athg": "gangguan",
        "uu7_source": "sengketa-sda",
        "snpk": "sumber-daya",
        "acled_type": "protests",
        "acled_subtype": "peaceful-protest",
        "classification": "biasa",
        "actors": [{"name": "Forum Warga Palangka", "actor_type": "warga", "crowd_size": 200}],
    }
    data.update(overrides)
    return data
