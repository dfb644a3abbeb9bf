"""Alerts: one per area and rise, a reminder for a stay at Awas, never a second one on re-run."""

from __future__ import annotations

import datetime as dt

import pytest

from waspada.core.models import AuditEntry, Job
from waspada.warnings import alerting, pipeline
from waspada.warnings.choices import AlertKind, RiskLevel
from waspada.warnings.models import Alert, RiskScore
from waspada.warnings.testing import local_today, make_verified_items

pytestmark = pytest.mark.django_db


def score(code: str, level: int, day: dt.date, **extra) -> RiskScore:
    return RiskScore(
        area_id=code,
        day=day,
        area_level=code.count(".") + 1,
        score=extra.pop("score", 40.0),
        level=level,
        raw_level=level,
        explanation=extra.pop("explanation", {"factors": {"score": 40.0}, "top_items": []}),
    )


def test_a_rise_raises_exactly_one_alert_and_a_rerun_raises_none():
    make_verified_items("62.71.01", 3, deaths=1, acled_type="battles")
    pipeline.process_pending()
    alert = Alert.objects.get(area_id="62.71")
    assert (alert.kind, alert.level, alert.previous_level) == (
        AlertKind.RISE,
        RiskLevel.SIAGA,
        RiskLevel.NORMAL,
    )
    assert alert.day == local_today("62.71")
    assert alert.reasons["factors"]["level"] == RiskLevel.SIAGA
    assert len(alert.reasons["top_items"]) == 3
    assert "title" not in str(alert.reasons)
    entry = AuditEntry.objects.get(action="alert.raised", area_code="62.71")
    assert entry.object_id == str(alert.pk)
    total = Alert.objects.count()
    pipeline.recompute_all()
    pipeline.score_areas(["62.71", "62", "62.71.01"])
    assert Alert.objects.count() == total
    assert AuditEntry.objects.filter(action="alert.raised").count() == total


def test_a_further_rise_the_same_day_raises_one_more_alert_for_the_new_level():
    make_verified_items("62.71.01", 1, deaths=1, acled_type="battles")  # 7.68: Waspada in 62.71
    pipeline.process_pending()
    assert list(Alert.objects.filter(area_id="62.71").values_list("level", flat=True)) == [1]
    make_verified_items("62.71.01", 3, deaths=2, acled_type="battles")  # + 42.24: Awas
    pipeline.process_pending()
    levels = sorted(Alert.objects.filter(area_id="62.71").values_list("level", flat=True))
    assert levels == [RiskLevel.WASPADA, RiskLevel.AWAS]


def test_the_chain_runs_through_the_jobs_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_verified_items("62.71.01", 3, deaths=1, acled_type="battles")
    assert RiskScore.objects.filter(area_id="62.71", level=RiskLevel.SIAGA).exists()
    assert Alert.objects.filter(area_id="62.71").count() == 1
    assert Job.objects.filter(name="warnings.process_pending", status="succeeded").exists()
    # One delivery job per new alert (what it does is the delivery module's business).
    assert Job.objects.filter(name="warnings.deliver_alert").count() == Alert.objects.count()


def test_no_alert_when_the_level_stays_or_drops():
    day = local_today("62.71")
    assert alerting.raise_for(score("62.71", RiskLevel.SIAGA, day), RiskLevel.SIAGA) == []
    assert alerting.raise_for(score("62.71", RiskLevel.WASPADA, day), RiskLevel.SIAGA) == []
    assert not Alert.objects.exists()


def test_an_area_that_stays_at_awas_is_reminded_after_the_sustained_days():
    make_verified_items("62.71.01", 1)  # the areas exist
    day = local_today("62.71")
    Alert.objects.create(
        area_id="62.71",
        day=day - dt.timedelta(days=8),
        kind=AlertKind.RISE,
        level=RiskLevel.AWAS,
        previous_level=RiskLevel.SIAGA,
        score=35,
    )
    (reminder,) = alerting.raise_for(score("62.71", RiskLevel.AWAS, day), RiskLevel.AWAS)
    assert (reminder.kind, reminder.level, reminder.day) == (AlertKind.SUSTAINED, 3, day)
    assert alerting.raise_for(score("62.71", RiskLevel.AWAS, day), RiskLevel.AWAS) == []
    tomorrow = day + dt.timedelta(days=1)
    assert alerting.raise_for(score("62.71", RiskLevel.AWAS, tomorrow), RiskLevel.AWAS) == []


def test_a_recent_awas_alert_means_no_reminder_yet():
    make_verified_items("62.71.01", 1)
    day = local_today("62.71")
    Alert.objects.create(
        area_id="62.71",
        day=day - dt.timedelta(days=3),
        kind=AlertKind.RISE,
        level=RiskLevel.AWAS,
        previous_level=RiskLevel.SIAGA,
        score=35,
    )
    assert alerting.raise_for(score("62.71", RiskLevel.AWAS, day), RiskLevel.AWAS) == []
