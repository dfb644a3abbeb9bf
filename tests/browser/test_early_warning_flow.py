"""The done-when walk of early warning in a real browser: verified items raise a level, the map
changes colour, the leader is told once (inbox and e-mail), acknowledges and reads why.

The leader of Kalimantan Tengah (62) subscribes to alerts of 62 from Waspada, in the inbox and by
e-mail. Kota Palangka Raya (62.71) files a report with two violent items that the analyst of 62
verifies in the review page. The verification marks the aggregate cells, the coalesced job (eager
in tests) refreshes them and rescored 62.71 and its ancestors; the level rises, one alert is
raised and delivered. The analyst of 63 sees none of it. Running the recompute again raises no
second alert and sends nothing more. Screenshots go to var/test-artifacts/early-warning-flow/.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from tests.browser.conftest import ARTIFACTS_ROOT, Shots, signed_in
from waspada.notifications.models import Notification
from waspada.reports.testing import make_item, make_report
from waspada.warnings import pipeline, subscriptions
from waspada.warnings.choices import Channel, RiskLevel
from waspada.warnings.models import Alert, Delivery, RiskScore
from waspada.warnings.testing import local_today, noon

pytestmark = pytest.mark.browser

ARTIFACTS = ARTIFACTS_ROOT / "early-warning-flow"


def map_level(page: Any, code: str) -> int:
    shape = page.locator(f"svg a[data-code='{code}']").first
    return int(shape.get_attribute("data-level"))


def test_verified_violence_raises_the_level_and_the_leader_is_told_once(
    new_page, personas, tiny_geography, settings
):
    settings.WASPADA_DEMO = False
    shot = Shots("early-warning-flow")
    operator = personas("operator_6271")
    leader = personas("leader_62")
    personas("analyst_62")
    personas("analyst_63")
    leader.email = "pimpinan62@example.go.id"
    leader.save(update_fields=["email"])
    for channel in (Channel.INBOX, Channel.EMAIL):
        subscriptions.subscribe(
            actor=leader, area_code="62", channel=channel, min_level=RiskLevel.WASPADA
        )

    # ------------------------------------------------ before: 62.71 is Normal on the map
    pipeline.recompute_all(None)
    boss = signed_in(new_page, "leader_62")
    boss.goto("/dasbor/")
    assert map_level(boss, "62.71") == RiskLevel.NORMAL
    shot(boss, "leader-map-before")

    # ------------------------------------------------ a submitted report with violent items
    today = local_today("62.71")
    report = make_report("62.71", created_by=operator, period_start=today, status="submitted")
    for title, deaths, injured in [
        ("Bentrok warga dan keamanan kebun sawit", 1, 4),
        ("Pembakaran pos keamanan perusahaan", 0, 6),
    ]:
        make_item(
            report,
            area_code="62.71.01",
            occurred_at=noon("62.71", today) - dt.timedelta(hours=3),
            title=title,
            deaths=deaths,
            injured_serious=injured,
            crowd_size=300,
        )

    # ------------------------------------------------ the analyst verifies in the review page
    analyst = signed_in(new_page, "analyst_62")
    analyst.goto("/laporan/tinjau/")
    row = analyst.locator("[data-testid=queue-table] tr", has_text=report.reference)
    with analyst.expect_navigation():
        row.get_by_role("link").click()
    with analyst.expect_navigation():
        analyst.get_by_test_id("verify-report").click()
    shot(analyst, "analyst-verified")

    score = RiskScore.objects.get(area_id="62.71", day=today)
    assert score.level > RiskLevel.NORMAL, score.explanation
    alerts = Alert.objects.filter(area_id="62.71")
    assert alerts.count() == 1

    # ------------------------------------------------ the map shows the new colour
    boss.goto("/dasbor/")
    assert map_level(boss, "62.71") == score.level
    shot(boss, "leader-map-after")

    # ------------------------------------------------ one alert in the inbox, one e-mail
    inbox = Notification.objects.filter(user=leader, kind="alert")
    assert inbox.count() == 1
    to_leader = [m for m in mail.outbox if leader.email in m.to]
    assert len(to_leader) == 1
    assert "/peringatan/berhenti/" in to_leader[0].body
    boss.goto("/notifikasi/")
    shot(boss, "leader-inbox")
    alert = alerts.get()
    card = boss.locator("[data-testid=notification-list] li", has_text="Kota Palangka Raya")
    with boss.expect_navigation():
        card.get_by_role("button", name="Buka").click()
    assert f"/peringatan/{alert.pk}/" in boss.url

    # ------------------------------------------------ acknowledge, then read the explanation
    boss.get_by_test_id("acknowledge").click()
    boss.wait_for_function(
        "() => !document.querySelector('[data-testid=acknowledge]')", timeout=10_000
    )
    assert alert.acknowledgements.filter(user=leader).count() == 1
    shot(boss, "leader-alert-acknowledged")
    with boss.expect_navigation():
        boss.get_by_test_id("explanation-link").click()
    assert "/dasbor/wilayah/62.71/" in boss.url
    body = boss.locator("main").inner_text()
    assert "Bentrok warga dan keamanan kebun sawit" in body
    shot(boss, "leader-explanation")

    # ------------------------------------------------ an analyst of 63 gets nothing
    outsider = signed_in(new_page, "analyst_63")
    outsider.goto("/peringatan/")
    assert "62.71" not in outsider.locator("main").inner_text()
    response = outsider.goto(f"/peringatan/{alert.pk}/")
    assert response is not None and response.status == 404
    response = outsider.goto("/dasbor/wilayah/62.71/")
    assert response is not None and response.status == 404
    assert not Notification.objects.filter(user__username="analyst_63", kind="alert").exists()
    shot(outsider, "outsider-nothing")

    # ------------------------------------------------ a second recompute raises nothing new
    sent = len(mail.outbox)
    deliveries = Delivery.objects.count()
    pipeline.recompute_all(None)
    pipeline.process_pending()
    assert Alert.objects.filter(area_id="62.71").count() == 1
    assert Delivery.objects.count() == deliveries
    assert len(mail.outbox) == sent
    assert Notification.objects.filter(user=leader, kind="alert").count() == 1
