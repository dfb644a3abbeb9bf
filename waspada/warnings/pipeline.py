"""From pending cells to scores and alerts.

`process_pending()` (the coalesced job after every change to verified items): take the pending
(area, day) cells, refresh their aggregates and delete them in one transaction, then score each
touched area (kecamatan, kab/kota, province: the cells hold all three) for today in its zone.

`recompute_all(day=None)` (nightly, and after a settings change): score every province and
kab/kota, and every kecamatan with data in the window or a level above Normal, for `day` (today in
each area's zone when None). It reads the `AreaDay` rows of the window in one query per level and
zone, computes in Python (`risk.assess`), and writes with one bulk upsert per group. When the
aggregates were made under older settings it rebuilds them first (their severities follow the
weights).

Both store `RiskScore` rows with an explanation (factors, and for areas above Normal or whose
level changed, the five items that contributed most) and hand each stored score to
`alerting.raise_for`. Running either twice writes the same rows and raises no second alert.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from waspada.events.choices import ItemStatus
from waspada.events.models import Item
from waspada.geo.models import Area
from waspada.geo.zones import zone_for
from waspada.warnings import aggregates, alerting, risk
from waspada.warnings.models import (
    AreaDay,
    PendingCell,
    RiskScore,
    RiskSettings,
    VulnerabilityValue,
)
from waspada.warnings.severity import SEVERITY_FIELDS, SeverityConfig, breakdown, load_config

SCORED_LEVELS = (1, 2, 3)
PENDING_BATCH = 5000
MAX_PENDING_BATCHES = 50
TOP_ITEMS = 5
IN_LIMIT = 500  # above this many codes, read the level and filter in Python instead of IN (...)
# How far back the "previous level" is looked for, beyond the score's own span: the nightly run
# scores every area with a level above Normal, so a level older than this has been superseded.
PREVIOUS_LOOKBACK_EXTRA = 60

SCORE_FIELDS = [
    "area_level",
    "score",
    "severity",
    "recent_items",
    "expected_items",
    "p_value",
    "escalating",
    "structural",
    "raw_level",
    "level",
    "explanation",
    "settings_version",
    "computed_at",
]


def local_today(area_code: str) -> dt.date:
    return timezone.now().astimezone(zone_for(area_code)).date()


@dataclass
class Result:
    """Counts for the job log and the commands."""

    areas: int = 0
    alerts: int = 0
    levels: Counter[int] = field(default_factory=Counter)

    def add(self, other: Result) -> None:
        self.areas += other.areas
        self.alerts += other.alerts
        self.levels.update(other.levels)

    def as_dict(self) -> dict[str, Any]:
        return {
            "areas": self.areas,
            "alerts": self.alerts,
            "levels": {str(level): self.levels.get(level, 0) for level in range(4)},
        }


# ---------------------------------------------------------------- entry points


def process_pending() -> dict[str, Any]:
    """Refresh the pending cells, then score the touched areas for today. Coalesced: a run
    takes whatever is pending (a run that finds nothing does nothing)."""
    started = time.monotonic()
    config = load_config()
    touched: set[str] = set()
    cells = rows = 0
    for _batch in range(MAX_PENDING_BATCHES):
        with transaction.atomic():
            pending = PendingCell.objects.order_by("id")
            if connection.features.has_select_for_update_skip_locked:
                pending = pending.select_for_update(skip_locked=True)
            taken = list(pending.values_list("id", "area_id", "day")[:PENDING_BATCH])
            if not taken:
                break
            rows += aggregates.refresh_cells({(code, day) for _pk, code, day in taken}, config)
            PendingCell.objects.filter(id__in=[pk for pk, _code, _day in taken]).delete()
        cells += len(taken)
        touched |= {code for _pk, code, _day in taken}
    result = score_areas(touched, config=config) if touched else Result()
    return {
        "cells": cells,
        "rows": rows,
        **result.as_dict(),
        "seconds": round(time.monotonic() - started, 2),
    }


def recompute_all(day: str | dt.date | None = None) -> dict[str, Any]:
    """Score every province and kab/kota (and kecamatan with data or a raised level) for `day`
    (an ISO date, or today in each area's zone when None). Rebuilds stale aggregates first."""
    started = time.monotonic()
    config = load_config()
    rebuilt = None
    if AreaDay.objects.exclude(settings_version=config.version).exists():
        rebuilt = aggregates.rebuild(config=config)
    when = dt.date.fromisoformat(day) if isinstance(day, str) else day
    settings = _settings()
    total = Result()
    for level in SCORED_LEVELS:
        codes = set(Area.objects.filter(level=level).values_list("code", flat=True))
        for group_day, group in _by_day(codes, when).items():
            params = risk.Params.from_settings(settings, level)
            if level == 3:
                group = _districts_worth_scoring(group, group_day, params)
            total.add(_score_group(level, group_day, group, settings, config))
    return {
        **total.as_dict(),
        "rebuilt": rebuilt,
        "seconds": round(time.monotonic() - started, 2),
    }


def score_areas(
    codes: Iterable[str], *, day: dt.date | None = None, config: SeverityConfig | None = None
) -> Result:
    """Score these areas (any of levels 1-3) for `day` (today in each area's zone when None)."""
    config = config or load_config()
    settings = _settings()
    total = Result()
    by_level: dict[int, set[str]] = {}
    for code in codes:
        level = aggregates.level_of(code)
        if level in SCORED_LEVELS:
            by_level.setdefault(level, set()).add(code)
    for level, level_codes in sorted(by_level.items()):
        for group_day, group in _by_day(level_codes, day).items():
            total.add(_score_group(level, group_day, group, settings, config))
    return total


# ---------------------------------------------------------------- scoring one group


def _settings() -> RiskSettings:
    settings, _created = RiskSettings.objects.get_or_create(pk=1)
    return settings


def _by_day(codes: Iterable[str], day: dt.date | None) -> dict[dt.date, set[str]]:
    """Group codes by the day they are scored for (today differs between WIB, WITA and WIT)."""
    groups: dict[dt.date, set[str]] = {}
    today: dict[str, dt.date] = {}
    for code in codes:
        if day is None:
            zone = str(zone_for(code))
            if zone not in today:
                today[zone] = local_today(code)
            key = today[zone]
        else:
            key = day
        groups.setdefault(key, set()).add(code)
    return groups


def _restrict(query: Any, codes: set[str]) -> Any:
    return query.filter(area_id__in=sorted(codes)) if len(codes) <= IN_LIMIT else query


def _districts_worth_scoring(codes: set[str], day: dt.date, params: risk.Params) -> set[str]:
    """Kecamatan with aggregate rows in the score's span, or whose last level is above Normal
    (so that a level comes down when the data stops)."""
    since = day - dt.timedelta(days=params.span - 1)
    with_data = set(
        AreaDay.objects.filter(area_level=3, day__gte=since, day__lte=day)
        .values_list("area_id", flat=True)
        .distinct()
    )
    raised = {
        code
        for code, level in _previous_levels(3, day, codes, params).items()
        if level > risk.NORMAL
    }
    return (with_data | raised) & codes


def _previous_levels(
    level: int, day: dt.date, codes: set[str], params: risk.Params
) -> dict[str, int]:
    """The level of each area's latest stored score before `day`."""
    since = day - dt.timedelta(days=params.span + PREVIOUS_LOOKBACK_EXTRA)
    scores = RiskScore.objects.filter(area_level=level, day__lt=day, day__gte=since)
    scores = _restrict(scores, codes)
    last = dict(
        scores.order_by().values("area_id").annotate(last=Max("day")).values_list("area_id", "last")
    )
    if not last:
        return {}
    rows = _restrict(
        RiskScore.objects.filter(area_level=level, day__in=sorted(set(last.values()))), codes
    )
    return {
        code: found
        for code, on, found in rows.values_list("area_id", "day", "level")
        if code in codes and last.get(code) == on
    }


def _score_group(
    level: int,
    day: dt.date,
    codes: set[str],
    settings: RiskSettings,
    config: SeverityConfig,
) -> Result:
    """Score `codes` (all of one level, all scored for `day`), store, and raise alerts."""
    result = Result()
    if not codes:
        return result
    params = risk.Params.from_settings(settings, level)
    since = day - dt.timedelta(days=params.span - 1)
    rows = _restrict(
        AreaDay.objects.filter(area_level=level, day__gte=since, day__lte=day), codes
    ).values_list("area_id", "day", "items", "severity")
    severities: dict[str, dict[dt.date, float]] = {}
    counts: dict[str, dict[dt.date, int]] = {}
    for code, on, items, severity in rows.iterator(chunk_size=20_000):
        if code not in codes:
            continue
        severities.setdefault(code, {})[on] = severity
        counts.setdefault(code, {})[on] = items
    previous = _previous_levels(level, day, codes, params)
    vulnerability: dict[str, float] = {}
    if params.structural_weight > 0:
        values = VulnerabilityValue.objects.filter(area__level=level)
        vulnerability = {
            code: value
            for code, value in _restrict(values, codes).values_list("area_id", "value")
            if code in codes
        }
    scores: list[RiskScore] = []
    for code in sorted(codes):
        found = risk.assess(
            severities.get(code, {}),
            counts.get(code, {}),
            day,
            params,
            previous=previous.get(code),
            vulnerability=vulnerability.get(code),
        )
        explain = found.level > risk.NORMAL or found.level != (found.previous or risk.NORMAL)
        explanation = {
            "factors": found.factors(params),
            "top_items": _top_items(code, day, params, config) if explain else [],
            "top_items_computed": explain,
        }
        scores.append(
            RiskScore(
                area_id=code,
                day=day,
                area_level=level,
                score=round(found.score, 6),
                severity=round(found.severity, 6),
                recent_items=found.escalation.recent,
                expected_items=found.escalation.expected,
                p_value=found.escalation.p_value,
                escalating=found.escalation.escalating,
                structural=found.structural_value,
                raw_level=found.raw_level,
                level=found.level,
                explanation=explanation,
                settings_version=params.version,
            )
        )
        result.levels[found.level] += 1
    result.areas = len(scores)
    with transaction.atomic():
        RiskScore.objects.bulk_create(
            scores,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["area", "day"],
            update_fields=SCORE_FIELDS,
        )
        for score in scores:
            before = previous.get(score.area_id)
            if score.level > (before or risk.NORMAL) or score.level == risk.AWAS:
                result.alerts += len(alerting.raise_for(score, before, settings=settings))
    return result


def _top_items(
    code: str, day: dt.date, params: risk.Params, config: SeverityConfig
) -> list[dict[str, Any]]:
    """The verified items of the area in the window that contributed most (severity × decay),
    by id only: titles are read through the item selector, which applies classification."""
    start, _end = aggregates.day_bounds(code, day - dt.timedelta(days=params.window - 1))
    _start, end = aggregates.day_bounds(code, day)
    items = (
        Item.objects.filter(status=ItemStatus.VERIFIED, occurred_at__gte=start, occurred_at__lt=end)
        .filter(Q(area__code=code) | Q(area__code__startswith=f"{code}."))
        .values_list("id", "occurred_at", *SEVERITY_FIELDS)
    )
    ranked = []
    for row in items:
        item_id, occurred_at = row[0], row[1]
        values = dict(zip(SEVERITY_FIELDS, row[2:], strict=True))
        on = aggregates.local_day(code, occurred_at)
        severity = breakdown(values, config).severity
        contribution = severity * risk.decay((day - on).days, params)
        ranked.append((-contribution, item_id, on, severity, contribution))
    ranked.sort()
    return [
        {
            "id": item_id,
            "day": on.isoformat(),
            "severity": round(severity, 4),
            "contribution": round(contribution, 4),
        }
        for _key, item_id, on, severity, contribution in ranked[:TOP_ITEMS]
    ]
