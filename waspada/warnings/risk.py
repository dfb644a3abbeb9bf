"""The risk score and level of an area on a day: pure functions over daily series (no ORM).

The pipeline feeds them the stored `AreaDay` rows; the back-test feeds them series it builds in
memory from historical events. Both get the same numbers from the same code.

1. **Recency-weighted severity**: the sum of the daily severities of the last `window` days, each
   halved for every `half_life` days of age: yesterday's riot counts almost fully, one a month ago
   (half-life 14 days) about a quarter.
2. **Structural input** (optional): score × (1 + structural_weight × vulnerability/100), when the
   area has a vulnerability index value and the weight is above 0.
3. **Escalation**: are there more items in the last `recent` days than the area's own baseline
   (the `baseline` days before) would lead us to expect? k = items in the recent window, λ = the
   baseline rate scaled to the recent window (with a prior of half an item, so a quiet area's λ is
   small but not 0). p = P(X ≥ k) for X ~ Poisson(λ). Escalating when p < alpha and k ≥ min_items.
4. **Level**: the highest threshold the score reaches (Waspada, Siaga, Awas; per area level). An
   escalating area is at least Waspada and one level above its score level, capped at Siaga
   unless the score itself reaches Awas.
5. **Hysteresis**: a level rises at once, but drops only when the score falls below the previous
   level's threshold by the `hysteresis` fraction (20 %): then to the highest level whose own
   lowered threshold the score still reaches (never below what the rules in 4 give).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

NORMAL, WASPADA, SIAGA, AWAS = 0, 1, 2, 3
LEVEL_SLUGS = {1: "province", 2: "regency", 3: "district", 4: "district"}

# Rules that can set a raw level (named in each score's explanation).
RULE_SCORE = "score"  # the score reached the level's threshold (or none: Normal)
RULE_ESCALATION = "escalation"  # one above the score level because of escalation


@dataclass(frozen=True)
class Params:
    """The settings that apply to one area level (thresholds differ per level)."""

    half_life: float
    window: int
    thresholds: tuple[float, float, float]
    hysteresis: float
    recent_days: int
    baseline_days: int
    alpha: float
    min_items: int
    structural_weight: float
    version: int = 1
    prior_items: float = 0.5

    @classmethod
    def from_settings(cls, settings: Any, area_level: int | str) -> Params:
        """From a RiskSettings row (or anything with its attributes) for an area level (1-3, or
        "province", "regency", "district")."""
        slug = area_level if isinstance(area_level, str) else LEVEL_SLUGS[int(area_level)]
        raw = dict(settings.thresholds)[slug]
        waspada, siaga, awas = (float(v) for v in raw)
        return cls(
            half_life=float(settings.half_life_days),
            window=int(settings.window_days),
            thresholds=(waspada, siaga, awas),
            hysteresis=float(settings.hysteresis),
            recent_days=int(settings.escalation_recent_days),
            baseline_days=int(settings.escalation_baseline_days),
            alpha=float(settings.escalation_alpha),
            min_items=int(settings.escalation_min_items),
            structural_weight=float(settings.structural_weight),
            version=int(settings.version),
        )

    @property
    def span(self) -> int:
        """How many days back any part of the score looks (window or escalation)."""
        return max(self.window, self.recent_days + self.baseline_days)


def decay(age_days: int, params: Params) -> float:
    """The weight of a day `age_days` old: 0.5 ** (age / half_life)."""
    return float(0.5 ** (age_days / params.half_life))


def decayed_severity(daily: Mapping[dt.date, float], day: dt.date, params: Params) -> float:
    """Σ severity(d) · 0.5^((day − d) / half_life) over d in (day − window, day]."""
    total = 0.0
    for d, value in daily.items():
        age = (day - d).days
        if 0 <= age < params.window and value:
            total += value * decay(age, params)
    return total


def poisson_tail(k: int, lam: float) -> float:
    """P(X ≥ k) for X ~ Poisson(lam), from log-space terms (no scipy)."""
    if k <= 0:
        return 1.0
    if lam <= 0:
        return 0.0

    def term(i: int) -> float:
        return math.exp(i * math.log(lam) - lam - math.lgamma(i + 1))

    if k <= lam:
        # The lower part is small and exact enough to subtract.
        return max(0.0, 1.0 - sum(term(i) for i in range(k)))
    # Above the mean the terms fall: sum the upper tail directly (no cancellation for tiny p).
    total, i = 0.0, k
    while True:
        t = term(i)
        total += t
        if t < total * 1e-17 or i > k + 10_000:
            return min(1.0, total)
        i += 1


@dataclass(frozen=True)
class Escalation:
    recent: int
    expected: float
    p_value: float
    escalating: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "k": self.recent,
            "lambda": round(self.expected, 4),
            "p": self.p_value,
            "escalating": self.escalating,
        }


def escalation(daily_counts: Mapping[dt.date, int], day: dt.date, params: Params) -> Escalation:
    """The recent count against the area's own baseline, as a one-sided Poisson test."""
    recent = baseline = 0
    for d, count in daily_counts.items():
        age = (day - d).days
        if 0 <= age < params.recent_days:
            recent += count
        elif params.recent_days <= age < params.recent_days + params.baseline_days:
            baseline += count
    expected = (baseline + params.prior_items) * params.recent_days / params.baseline_days
    p = poisson_tail(recent, expected)
    return Escalation(
        recent=recent,
        expected=expected,
        p_value=p,
        escalating=p < params.alpha and recent >= params.min_items,
    )


def score_level(score: float, params: Params) -> int:
    """The highest level whose threshold the score reaches (Normal when none)."""
    level = NORMAL
    for index, threshold in enumerate(params.thresholds, start=1):
        if score >= threshold:
            level = index
    return level


def classify(score: float, esc: Escalation | None, params: Params) -> tuple[int, str]:
    """(raw level, the rule that set it): see rule 4 in the module docstring."""
    level = score_level(score, params)
    if esc is not None and esc.escalating and level < AWAS:
        return min(max(WASPADA, level + 1), SIAGA), RULE_ESCALATION
    return level, RULE_SCORE


def raw_level(score: float, esc: Escalation | None, params: Params) -> int:
    return classify(score, esc, params)[0]


def apply_hysteresis(raw: int, score: float, previous: int | None, params: Params) -> int:
    """The level after hysteresis: rise at once; drop only below the lowered thresholds."""
    if previous is None or raw >= previous:
        return raw
    factor = 1.0 - params.hysteresis
    for level in range(previous, raw, -1):
        if score >= params.thresholds[level - 1] * factor:
            return level
    return raw


def structural(score: float, value: float | None, params: Params) -> float:
    """The score with the optional structural input applied (unchanged when off or absent)."""
    if value is None or params.structural_weight <= 0:
        return score
    return score * (1.0 + params.structural_weight * float(value) / 100.0)


@dataclass(frozen=True)
class Assessment:
    """Everything the pipeline stores for one area and day."""

    severity: float
    score: float
    escalation: Escalation
    structural_value: float | None
    raw_level: int
    rule: str
    level: int
    previous: int | None
    held: bool

    def factors(self, params: Params) -> dict[str, Any]:
        return {
            "decayed_severity": round(self.severity, 4),
            "structural_value": self.structural_value,
            "structural_weight": params.structural_weight,
            "score": round(self.score, 4),
            "escalation": self.escalation.as_dict(),
            "thresholds": list(params.thresholds),
            "half_life_days": params.half_life,
            "window_days": params.window,
            "raw_level": self.raw_level,
            "rule": self.rule,
            "previous_level": self.previous,
            "hysteresis": params.hysteresis,
            "hysteresis_held": self.held,
            "level": self.level,
            "settings_version": params.version,
        }


def assess(
    daily_severity: Mapping[dt.date, float],
    daily_counts: Mapping[dt.date, int],
    day: dt.date,
    params: Params,
    *,
    previous: int | None = None,
    vulnerability: float | None = None,
) -> Assessment:
    """Score, escalation, raw level and level after hysteresis for one area on `day`."""
    severity = decayed_severity(daily_severity, day, params)
    score = structural(severity, vulnerability, params)
    esc = escalation(daily_counts, day, params)
    raw, rule = classify(score, esc, params)
    level = apply_hysteresis(raw, score, previous, params)
    used = vulnerability if params.structural_weight > 0 else None
    return Assessment(
        severity=severity,
        score=score,
        escalation=esc,
        structural_value=used,
        raw_level=raw,
        rule=rule,
        level=level,
        previous=previous,
        held=level > raw,
    )
