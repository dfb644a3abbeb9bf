"""Severity of one item: the documented arithmetic, on real term weights."""

from __future__ import annotations

import math

import pytest

from waspada.events.models import Term
from waspada.warnings.models import RiskSettings
from waspada.warnings.severity import breakdown, item_values, load_config, severity
from waspada.warnings.testing import make_verified_items

pytestmark = pytest.mark.django_db


def weight(axis: str, code: str) -> float:
    return float(Term.objects.get(axis=axis, code=code).weight)


def term_id(axis: str, code: str) -> int:
    return Term.objects.get(axis=axis, code=code).pk


def test_it_follows_the_documented_formula_factor_by_factor():
    Term.objects.filter(axis="acled_type", code="riots").update(weight=1.5)
    Term.objects.filter(axis="athg", code="gangguan").update(weight=1.3)
    Term.objects.filter(axis="source_reliability", code="b").update(weight=0.95)
    Term.objects.filter(axis="info_credibility", code="2").update(weight=0.95)
    config = load_config()
    values = {
        "injured_serious": 2,
        "houses_damaged": 5,
        "crowd_size": 500,
        "trend": "rising",
        "acled_type_id": term_id("acled_type", "riots"),
        "athg_id": term_id("athg", "gangguan"),
        "snpk_id": None,
        "source_reliability_id": term_id("source_reliability", "b"),
        "info_credibility_id": term_id("info_credibility", "2"),
    }
    parts = breakdown(values, config)
    assert parts.base == pytest.approx(1 + 2 * 2.0 + 5 * 0.2)
    assert parts.type_factor == pytest.approx(1.5)  # the highest of riots 1.5 and gangguan 1.3
    assert parts.crowd_factor == pytest.approx(1 + 0.3 * math.log10(6))
    assert parts.trend_factor == pytest.approx(1.25)
    assert parts.reliability_factor == pytest.approx(0.95 * 0.95)
    expected = 6 * 1.5 * (1 + 0.3 * math.log10(6)) * 1.25 * 0.95 * 0.95
    assert parts.severity == pytest.approx(expected, abs=1e-6)
    assert parts.as_dict()["severity"] == pytest.approx(12.52, abs=0.01)  # the docstring example


def test_it_gives_one_point_times_missing_reliability_to_a_bare_item():
    config = load_config()
    parts = breakdown({}, config)
    assert parts.base == 1
    assert parts.type_factor == 1
    assert parts.crowd_factor == 1
    assert parts.trend_factor == 1
    assert parts.reliability_factor == pytest.approx(0.8 * 0.8)  # both gradings missing


def test_it_counts_loss_per_hundred_million_rupiah_and_follows_the_settings():
    RiskSettings.objects.filter(pk=1).update(
        impact_weights={"deaths": 10.0, "loss_100m_rupiah": 1.0}, missing_reliability_factor=1.0
    )
    config = load_config()
    assert severity({"deaths": 1, "loss_rupiah": 300_000_000}, config) == pytest.approx(1 + 10 + 3)


def test_the_migration_sets_the_briefed_weights():
    assert weight("acled_type", "violence-against-civilians") == 2
    assert weight("acled_type", "protests") == 1
    assert weight("athg", "tantangan") == 0.8
    assert weight("source_reliability", "f") == 0.6
    assert weight("info_credibility", "5") == 0.5


def test_it_reads_an_items_own_fields():
    (item,) = make_verified_items("62.71.01", deaths=1, acled_type="battles", crowd_size=None)
    config = load_config()
    parts = breakdown(item_values(item), config)
    assert parts.base == pytest.approx(6.0)
    assert parts.type_factor == pytest.approx(2.0)
