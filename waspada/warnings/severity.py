"""The severity of one verified item: a product of five plain factors.

    severity = base × type_factor × crowd_factor × trend_factor × reliability_factor

How to explain it to a Bupati, factor by factor (every number is data an admin can tune: the
`RiskSettings` row, and the weight of each taxonomy term):

- **base** = 1 + Σ impact_weight × count. Every reported item starts at 1 point; each death adds
  5 points, a serious injury 2, a light injury 0.5, a displaced person 0.02, a damaged house 0.2,
  and so on (`RiskSettings.impact_weights`). Material loss counts per Rp 100 juta.
- **type_factor** = the highest weight among the item's ACLED event type, SNPK violence category
  and ATHG class (battles 2, riots 1.5, protests 1; ancaman 1.5, tantangan 0.8 ...). 1 when the
  item has none of them.
- **crowd_factor** = 1 + crowd_weight × log10(1 + crowd/100): a crowd of 100 adds about 9 % (with
  the default weight 0.3), 1,000 people about 31 %, 10,000 about 60 %. Unknown crowd: 1.
- **trend_factor**: rising 1.25, steady 1, falling 0.8 (`RiskSettings.trend_factors`).
- **reliability_factor** = source reliability weight × information credibility weight (Admiralty
  scale: A and 1 are 1.0, F and 6, "cannot be judged", 0.6). A grading that was not given counts as
  `RiskSettings.missing_reliability_factor` (0.8).

Example: a riot (1.5) with 2 serious injuries and 5 damaged houses, 500 people, rising, source B
information 2: base = 1 + 2×2 + 5×0.2 = 6; × 1.5 × (1 + 0.3 × log10 6 = 1.233) × 1.25 × (0.95 ×
0.95) = 12.5 points.

Severities are rounded to millionths of a point (`MICRO`) and summed as integers, so a sum does not
depend on the order of its terms: the incremental aggregate and the full rebuild agree exactly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

MICRO = 1_000_000

# Impact weight key -> (item field, units per point of the field value).
IMPACTS: dict[str, tuple[str, float]] = {
    "deaths": ("deaths", 1.0),
    "injured_serious": ("injured_serious", 1.0),
    "injured_light": ("injured_light", 1.0),
    "abducted": ("abducted", 1.0),
    "sexual_violence": ("sexual_violence", 1.0),
    "displaced": ("displaced", 1.0),
    "houses_damaged": ("houses_damaged", 1.0),
    "public_buildings_damaged": ("public_buildings_damaged", 1.0),
    "worship_places_damaged": ("worship_places_damaged", 1.0),
    "loss_100m_rupiah": ("loss_rupiah", 1e-8),  # Rp 100 juta = 10^8 rupiah
}
TYPE_FIELDS = ("acled_type_id", "snpk_id", "athg_id")
RELIABILITY_FIELDS = ("source_reliability_id", "info_credibility_id")

# The item columns severity reads (for `.values_list(*SEVERITY_FIELDS)`).
SEVERITY_FIELDS: tuple[str, ...] = (
    *sorted({f for f, _unit in IMPACTS.values()}),
    "crowd_size",
    "trend",
    *TYPE_FIELDS,
    *RELIABILITY_FIELDS,
)


@dataclass(frozen=True)
class SeverityConfig:
    """What severity needs from the settings row and the term weights (no ORM after loading)."""

    impact_weights: Mapping[str, float]
    trend_factors: Mapping[str, float]
    crowd_weight: float
    missing_reliability_factor: float
    term_weights: Mapping[int, float] = field(default_factory=dict)
    version: int = 1

    @classmethod
    def from_settings(cls, settings: Any, term_weights: Mapping[int, float]) -> SeverityConfig:
        return cls(
            impact_weights={k: float(v) for k, v in dict(settings.impact_weights).items()},
            trend_factors={k: float(v) for k, v in dict(settings.trend_factors).items()},
            crowd_weight=float(settings.crowd_weight),
            missing_reliability_factor=float(settings.missing_reliability_factor),
            term_weights=dict(term_weights),
            version=int(settings.version),
        )


def load_config() -> SeverityConfig:
    """The current settings (row 1, created with defaults when missing) and all term weights."""
    from waspada.events.models import Term
    from waspada.warnings.models import RiskSettings

    settings, _created = RiskSettings.objects.get_or_create(pk=1)
    weights = {pk: float(w) for pk, w in Term.objects.values_list("pk", "weight")}
    return SeverityConfig.from_settings(settings, weights)


@dataclass(frozen=True)
class Breakdown:
    """One item's severity with the factors that made it (for explanations)."""

    base: float
    type_factor: float
    crowd_factor: float
    trend_factor: float
    reliability_factor: float
    severity: float

    def as_dict(self) -> dict[str, float]:
        return {
            "base": round(self.base, 4),
            "type_factor": round(self.type_factor, 4),
            "crowd_factor": round(self.crowd_factor, 4),
            "trend_factor": round(self.trend_factor, 4),
            "reliability_factor": round(self.reliability_factor, 4),
            "severity": round(self.severity, 4),
        }


def breakdown(values: Mapping[str, Any], config: SeverityConfig) -> Breakdown:
    """The severity of an item given its `SEVERITY_FIELDS` values, with every factor."""
    base = 1.0
    for key, weight in config.impact_weights.items():
        spec = IMPACTS.get(key)
        if spec is None:
            continue
        name, unit = spec
        base += float(weight) * float(values.get(name) or 0) * unit
    weights = config.term_weights
    type_weights = [weights.get(values[f], 1.0) for f in TYPE_FIELDS if values.get(f) is not None]
    type_factor = max(type_weights) if type_weights else 1.0
    crowd = values.get("crowd_size") or 0
    crowd_factor = 1.0 + config.crowd_weight * math.log10(1.0 + float(crowd) / 100.0)
    trend_factor = config.trend_factors.get(values.get("trend") or "", 1.0)
    reliability_factor = 1.0
    for name in RELIABILITY_FIELDS:
        term_id = values.get(name)
        reliability_factor *= (
            config.missing_reliability_factor if term_id is None else weights.get(term_id, 1.0)
        )
    product = base * type_factor * crowd_factor * trend_factor * reliability_factor
    return Breakdown(
        base=base,
        type_factor=type_factor,
        crowd_factor=crowd_factor,
        trend_factor=trend_factor,
        reliability_factor=reliability_factor,
        severity=round(product * MICRO) / MICRO,
    )


def severity_micro(values: Mapping[str, Any], config: SeverityConfig) -> int:
    """The severity in millionths of a point (what aggregates sum: exact in any order)."""
    return round(breakdown(values, config).severity * MICRO)


def severity(values: Mapping[str, Any], config: SeverityConfig) -> float:
    """The severity of an item given its `SEVERITY_FIELDS` values."""
    return breakdown(values, config).severity


def item_values(item: Any) -> dict[str, Any]:
    """The `SEVERITY_FIELDS` of an Item instance, for `severity`/`breakdown`."""
    return {name: getattr(item, name) for name in SEVERITY_FIELDS}
