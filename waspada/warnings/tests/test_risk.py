"""The pure risk functions: decay, the Poisson test, levels, hysteresis, structure."""

from __future__ import annotations

import datetime as dt
import math
from types import SimpleNamespace

import pytest

from waspada.warnings import risk
from waspada.warnings.models import default_thresholds, default_trend_factors

DAY = dt.date(2026, 6, 30)


def params(**overrides) -> risk.Params:
    settings = SimpleNamespace(
        half_life_days=14.0,
        window_days=120,
        thresholds=default_thresholds(),
        trend_factors=default_trend_factors(),
        hysteresis=0.2,
        escalation_recent_days=14,
        escalation_baseline_days=180,
        escalation_alpha=0.01,
        escalation_min_items=3,
        structural_weight=0.0,
        version=3,
    )
    for key, value in overrides.items():
        setattr(settings, key, value)
    return risk.Params.from_settings(settings, "regency")


def test_it_takes_the_thresholds_of_the_area_level():
    assert params().thresholds == (4.0, 12.0, 30.0)
    assert params().version == 3


def test_decayed_severity_halves_every_half_life_and_ignores_days_outside_the_window():
    p = params()
    daily = {
        DAY: 8.0,
        DAY - dt.timedelta(days=14): 8.0,
        DAY - dt.timedelta(days=120): 100.0,  # just outside (day - window, day]
        DAY + dt.timedelta(days=1): 100.0,  # the future never counts
    }
    assert risk.decayed_severity(daily, DAY, p) == pytest.approx(8.0 + 4.0)


@pytest.mark.parametrize(
    ("k", "lam", "expected"),
    [
        (0, 0.5, 1.0),
        (1, 0.5, 1 - math.exp(-0.5)),
        (3, 0.5, 1 - math.exp(-0.5) * (1 + 0.5 + 0.125)),  # 0.0143877
        (10, 10.0, 0.5420702855281478),
        (30, 1.0, 3.2e-33),  # far tail, summed directly: no cancellation to 0
    ],
)
def test_the_poisson_tail_matches_known_values(k, lam, expected):
    assert risk.poisson_tail(k, lam) == pytest.approx(expected, rel=1e-2)


def test_p_of_three_or_more_at_half_an_item_is_about_one_and_a_half_percent():
    assert risk.poisson_tail(3, 0.5) == pytest.approx(0.0143877, abs=1e-6)


def test_escalation_flags_a_burst_against_a_quiet_baseline():
    p = params()
    burst = {DAY - dt.timedelta(days=i): 1 for i in range(4)}
    found = risk.escalation(burst, DAY, p)
    assert found.recent == 4
    assert found.expected == pytest.approx(0.5 * 14 / 180)
    assert found.escalating


def test_escalation_does_not_flag_a_steady_busy_area():
    p = params()
    steady = {DAY - dt.timedelta(days=i): 2 for i in range(194)}
    found = risk.escalation(steady, DAY, p)
    assert found.recent == 28
    assert found.expected == pytest.approx((360 + 0.5) * 14 / 180)
    assert not found.escalating


def test_escalation_needs_the_minimum_number_of_items():
    p = params()
    found = risk.escalation({DAY: 2}, DAY, p)
    assert found.p_value < p.alpha
    assert not found.escalating


def test_the_raw_level_is_the_highest_threshold_reached_or_one_above_when_escalating():
    p = params()
    calm = risk.Escalation(recent=0, expected=1, p_value=1.0, escalating=False)
    hot = risk.Escalation(recent=5, expected=0.1, p_value=1e-6, escalating=True)
    assert risk.raw_level(3.9, calm, p) == risk.NORMAL
    assert risk.raw_level(4.0, calm, p) == risk.WASPADA
    assert risk.raw_level(12.0, calm, p) == risk.SIAGA
    assert risk.raw_level(30.0, calm, p) == risk.AWAS
    assert risk.classify(0.0, hot, p) == (risk.WASPADA, risk.RULE_ESCALATION)
    assert risk.raw_level(5.0, hot, p) == risk.SIAGA
    assert risk.raw_level(20.0, hot, p) == risk.SIAGA  # capped: the score does not reach Awas
    assert risk.classify(31.0, hot, p) == (risk.AWAS, risk.RULE_SCORE)


def test_hysteresis_rises_at_once_and_drops_only_well_below_the_threshold():
    p = params()
    assert risk.apply_hysteresis(risk.SIAGA, 12.5, risk.NORMAL, p) == risk.SIAGA
    # Siaga starts at 12; with 20 % hysteresis it holds down to 9.6.
    assert risk.apply_hysteresis(risk.WASPADA, 11.0, risk.SIAGA, p) == risk.SIAGA
    assert risk.apply_hysteresis(risk.WASPADA, 9.7, risk.SIAGA, p) == risk.SIAGA
    assert risk.apply_hysteresis(risk.WASPADA, 9.5, risk.SIAGA, p) == risk.WASPADA
    # From Awas, a score in Siaga's band lands on Siaga, not lower.
    assert risk.apply_hysteresis(risk.WASPADA, 11.0, risk.AWAS, p) == risk.SIAGA
    assert risk.apply_hysteresis(risk.NORMAL, 1.0, risk.AWAS, p) == risk.NORMAL
    assert risk.apply_hysteresis(risk.WASPADA, 5.0, None, p) == risk.WASPADA


def test_a_score_wobbling_around_a_threshold_does_not_flap():
    p = params()
    level = None
    levels = []
    for score in [12.5, 11.5, 12.2, 10.5, 12.1, 11.0, 12.4, 10.0]:
        raw = risk.raw_level(score, None, p)
        level = risk.apply_hysteresis(raw, score, level, p)
        levels.append(level)
    assert levels == [risk.SIAGA] * 8


def test_structure_scales_the_score_only_when_switched_on():
    assert risk.structural(10.0, 50.0, params()) == 10.0
    assert risk.structural(10.0, 50.0, params(structural_weight=0.4)) == pytest.approx(12.0)
    assert risk.structural(10.0, None, params(structural_weight=0.4)) == 10.0


def test_assess_explains_which_rule_set_the_level_and_whether_hysteresis_held():
    p = params()
    found = risk.assess({DAY: 11.0}, {DAY: 1}, DAY, p, previous=risk.SIAGA)
    assert found.raw_level == risk.WASPADA
    assert found.level == risk.SIAGA
    factors = found.factors(p)
    assert factors["hysteresis_held"] is True
    assert factors["rule"] == risk.RULE_SCORE
    assert factors["settings_version"] == 3
    assert factors["escalation"]["k"] == 1
