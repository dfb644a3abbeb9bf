"""From verified items to stored scores: pending cells, scoring of ancestors, hysteresis, the
nightly recompute, and the settings services that drive it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from waspada.accounts.testing import ensure_base_areas
from waspada.core.errors import InvalidInput, OutOfScope
from waspada.core.models import AuditEntry, Job
from waspada.events import services as event_services
from waspada.warnings import pipeline, services
from waspada.warnings.choices import RiskLevel
from waspada.warnings.models import (
    Alert,
    AreaDay,
    PendingCell,
    RiskScore,
    RiskSettings,
    VulnerabilityValue,
)
from waspada.warnings.testing import local_today, make_verified_items

pytestmark = pytest.mark.django_db


def level(code: str, day: dt.date | None = None) -> int:
    return RiskScore.objects.get(area_id=code, day=day or local_today(code)).level


def test_verified_items_become_pending_cells_and_then_scores_for_the_area_and_its_ancestors():
    make_verified_items("62.71.01", 3, deaths=1, acled_type="battles")
    assert set(PendingCell.objects.values_list("area_id", flat=True)) == {"62", "62.71", "62.71.01"}
    result = pipeline.process_pending()
    assert result["cells"] == 3
    assert not PendingCell.objects.exists()
    assert set(RiskScore.objects.values_list("area_id", flat=True)) == {"62", "62.71", "62.71.01"}
    # 3 × (1 + 5) × 2 × 0.8 × 0.8 = 23.04 points today.
    regency = RiskScore.objects.get(area_id="62.71")
    assert regency.severity == pytest.approx(23.04)
    assert regency.level == RiskLevel.SIAGA  # 12 ≤ 23.04 < 30
    assert level("62.71.01") == RiskLevel.AWAS  # kecamatan thresholds 2, 6, 15
    assert regency.escalating and regency.recent_items == 3
    factors = regency.explanation["factors"]
    assert factors["thresholds"] == [4.0, 12.0, 30.0]
    assert factors["settings_version"] == 1
    assert factors["escalation"]["k"] == 3
    top = regency.explanation["top_items"]
    assert len(top) == 3 and {"id", "day", "severity", "contribution"} == set(top[0])
    assert "title" not in str(regency.explanation)


def test_items_of_6201_do_not_touch_6271():
    make_verified_items("62.71.01", 1)
    pipeline.process_pending()
    before = RiskScore.objects.get(area_id="62.71")
    make_verified_items("62.01.01", 5, deaths=2)
    assert set(PendingCell.objects.values_list("area_id", flat=True)) == {"62", "62.01", "62.01.01"}
    pipeline.process_pending()
    after = RiskScore.objects.get(area_id="62.71")
    assert (after.score, after.level, after.computed_at) == (
        before.score,
        before.level,
        before.computed_at,
    )
    assert not AreaDay.objects.filter(area_id="62.71", items__gt=1).exists()


def test_a_withdrawal_lowers_the_level_only_past_the_hysteresis_band(personas):
    RiskSettings.objects.filter(pk=1).update(escalation_min_items=100)  # isolate hysteresis
    analyst = personas("analyst_62")
    yesterday = local_today("62.71") - dt.timedelta(days=1)
    keep = make_verified_items("62.71.01", 1, days_ago=1, deaths=1, acled_type="battles")  # 7.68
    small = make_verified_items("62.71.01", 2, days_ago=1, acled_type="battles")  # 1.28 each
    (big,) = make_verified_items("62.71.01", 1, days_ago=1, deaths=2, acled_type="battles")
    pipeline.process_pending()
    pipeline.score_areas(["62.71"], day=yesterday)
    assert level("62.71", yesterday) == RiskLevel.SIAGA  # 24.32
    event_services.withdraw_item(big, actor=analyst, version=big.version, reason="Dobel")
    pipeline.process_pending()
    today = RiskScore.objects.get(area_id="62.71", day=local_today("62.71"))
    # 10.24 × 0.5^(1/14) = 9.75: below Siaga (12) but inside its band (9.6): held.
    assert today.score == pytest.approx(10.24 * 0.5 ** (1 / 14), rel=1e-6)
    assert today.raw_level == RiskLevel.WASPADA
    assert today.level == RiskLevel.SIAGA
    assert today.explanation["factors"]["hysteresis_held"] is True
    assert keep
    withdrawn = small[0]
    withdrawn.refresh_from_db()
    event_services.withdraw_item(
        withdrawn, actor=analyst, version=withdrawn.version, reason="Salah"
    )
    pipeline.process_pending()
    assert level("62.71") == RiskLevel.WASPADA  # 8.96 × 0.95 = 8.5: below the band


def test_recompute_all_scores_every_province_and_regency_and_is_idempotent(capsys):
    ensure_base_areas()
    make_verified_items("62.71.01", 3, deaths=1, acled_type="battles")
    make_verified_items("63.71", 1)
    pipeline.process_pending()
    alerts = Alert.objects.count()
    first = pipeline.recompute_all()
    codes = set(RiskScore.objects.values_list("area_id", flat=True))
    assert {"62", "63", "62.01", "62.71", "63.71", "62.71.01"} <= codes
    assert "62.01.01" not in codes  # a kecamatan with no data and no level is not scored
    rows = sorted(RiskScore.objects.values_list("area_id", "day", "score", "level", "explanation"))
    second = pipeline.recompute_all()
    assert first["levels"] == second["levels"]
    assert (
        sorted(RiskScore.objects.values_list("area_id", "day", "score", "level", "explanation"))
        == rows
    )
    assert Alert.objects.count() == alerts
    call_command("recompute_risk", "--date", local_today("62").isoformat())
    assert "areas scored" in capsys.readouterr().out


def test_recompute_all_rebuilds_aggregates_of_older_settings(personas):
    make_verified_items("62.71.01", 1, deaths=1)
    pipeline.process_pending()
    assert AreaDay.objects.get(area_id="62.71").severity == pytest.approx(
        6 * 1.3 * 0.64
    )  # make_item: gangguan (1.3)
    services.update_risk_settings(actor=personas("national_admin"), impact_weights={"deaths": 9})
    result = pipeline.recompute_all()
    assert result["rebuilt"]["settings_version"] == 2
    row = AreaDay.objects.get(area_id="62.71")
    assert (row.severity, row.settings_version) == (pytest.approx(10 * 1.3 * 0.64), 2)
    assert RiskScore.objects.get(area_id="62.71").settings_version == 2


# ---------------------------------------------------------------- settings services


def test_a_national_admin_changes_the_settings_with_a_version_an_audit_entry_and_a_recompute(
    personas,
):
    admin = personas("national_admin")
    updated = services.update_risk_settings(
        actor=admin,
        half_life_days=7,
        thresholds={"province": [10, 30, 80], "regency": [3, 10, 25], "district": [1, 5, 12]},
        trend_factors={"rising": 1.5},
    )
    assert updated.version == 2
    assert updated.half_life_days == 7
    assert updated.trend_factors["rising"] == 1.5 and updated.trend_factors["falling"] == 0.8
    entry = AuditEntry.objects.get(action="risk_settings.updated")
    assert entry.before is not None and entry.after is not None
    assert entry.before["version"] == 1 and entry.after["version"] == 2
    assert Job.objects.filter(name="warnings.recompute_all").exists()


@pytest.mark.parametrize("persona", ["analyst_62", "area_admin_62", "operator_6271"])
def test_only_national_admins_change_the_settings(personas, persona):
    with pytest.raises(PermissionDenied):
        services.update_risk_settings(actor=personas(persona), half_life_days=7)
    assert RiskSettings.objects.get(pk=1).version == 1


def test_bad_settings_are_refused_field_by_field_and_nothing_is_written(personas):
    with pytest.raises(InvalidInput) as caught:
        services.update_risk_settings(
            actor=personas("national_admin"),
            half_life_days=-1,
            window_days="banyak",
            thresholds={"province": [3, 2, 1], "regency": [1, 2, 3], "district": [1, 2, 3]},
            impact_weights={"deaths": -5, "kittens": 1},
            colour="merah",
        )
    assert set(caught.value.errors) == {
        "half_life_days",
        "window_days",
        "thresholds",
        "impact_weights",
        "colour",
    }
    assert RiskSettings.objects.get(pk=1).version == 1
    assert not AuditEntry.objects.filter(action="risk_settings.updated").exists()


def test_a_vulnerability_value_is_scoped_validated_audited_and_raises_the_score(personas):
    admin = personas("national_admin")
    make_verified_items("62.71.01", 1, deaths=1)
    pipeline.process_pending()
    plain = RiskScore.objects.get(area_id="62.71").score
    with pytest.raises(InvalidInput):
        services.set_vulnerability(actor=admin, area_code="62.71", value=120)
    with pytest.raises(PermissionDenied):
        services.set_vulnerability(actor=personas("analyst_62"), area_code="62.71", value=50)
    with pytest.raises(OutOfScope):
        services.set_vulnerability(actor=personas("analyst_63"), area_code="62.71", value=50)
    with pytest.raises(OutOfScope):
        services.set_vulnerability(actor=admin, area_code="99.99", value=50)
    services.set_vulnerability(actor=admin, area_code="62.71", value=50, source="IKP 2024")
    assert VulnerabilityValue.objects.get(area_id="62.71").value == 50
    assert AuditEntry.objects.get(action="vulnerability.set").area_code == "62.71"
    RiskSettings.objects.filter(pk=1).update(structural_weight=0.4)
    pipeline.score_areas(["62.71"])
    scored = RiskScore.objects.get(area_id="62.71")
    assert scored.score == pytest.approx(plain * 1.2)
    assert scored.structural == 50
