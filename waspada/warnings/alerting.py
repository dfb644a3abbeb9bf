"""Raising alerts from stored scores: one per area and change, never twice.

- A **rise** (the level is above the previous day's stored level) raises `Alert(kind=rise)` for
  that area, day and level.
- An area **at Awas** whose last Awas alert is `sustained_alert_days` or more old raises
  `Alert(kind=sustained)`, so leaders are reminded that it has not come down.

Only areas at the levels of `WASPADA_ALERT_AREA_LEVELS` raise alerts (default: kab/kota, the unit
of the map and of a Kesbangpol's responsibility). Provinces and kecamatan are still scored and
shown; without this, one clash would tell a provincial leader three times (kecamatan, kab/kota,
province) about the same matter.

Alerts are created with get_or_create on their unique key (area, day, kind, level): a repeated
recompute finds the row and does nothing. A new alert gets an audit entry (`alert.raised`) and its
delivery job (`warnings.deliver_alert`), after commit. Reasons are the score's factors and the ids
of its top items (never titles: a reader's clearance decides whether a title is shown).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings as django_settings

from waspada.core import audit
from waspada.warnings.choices import AlertKind, RiskLevel
from waspada.warnings.models import Alert, RiskScore, RiskSettings


def alerting_levels() -> frozenset[int]:
    """The area levels (1 province, 2 kab/kota, 3 kecamatan) whose rises raise alerts."""
    return frozenset(int(level) for level in django_settings.WASPADA_ALERT_AREA_LEVELS)


def reasons_of(score: RiskScore) -> dict[str, Any]:
    explanation = score.explanation or {}
    return {
        "factors": explanation.get("factors", {}),
        "top_items": [
            {k: v for k, v in item.items() if k in ("id", "day", "severity", "contribution")}
            for item in explanation.get("top_items", [])
        ],
    }


def raise_for(
    score: RiskScore, previous_level: int | None, *, settings: RiskSettings | None = None
) -> list[Alert]:
    """Raise what `score` calls for after `previous_level`; returns the alerts created now."""
    from waspada.warnings import tasks

    if settings is None:
        settings, _created = RiskSettings.objects.get_or_create(pk=1)
    if score.area_level not in alerting_levels():
        return []
    previous = previous_level or RiskLevel.NORMAL
    wanted: list[str] = []
    if score.level > previous:
        wanted.append(AlertKind.RISE)
    if score.level == RiskLevel.AWAS:
        last = (
            Alert.objects.filter(area_id=score.area_id, level=RiskLevel.AWAS, day__lte=score.day)
            .order_by("-day")
            .values_list("day", flat=True)
            .first()
        )
        rising_now = AlertKind.RISE in wanted
        if not rising_now and (
            last is None or (score.day - last).days >= settings.sustained_alert_days
        ):
            wanted.append(AlertKind.SUSTAINED)
    created: list[Alert] = []
    for kind in wanted:
        alert, new = Alert.objects.get_or_create(
            area_id=score.area_id,
            day=score.day,
            kind=kind,
            level=score.level,
            defaults={
                "previous_level": previous,
                "score": score.score,
                "reasons": reasons_of(score),
            },
        )
        if not new:
            continue
        audit.record(actor=None, action="alert.raised", obj=alert, area_code=alert.area_id)
        tasks.deliver_alert.enqueue(alert_id=alert.pk)
        created.append(alert)
    return created
