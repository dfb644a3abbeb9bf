"""The done-when walk of the response in a real browser.

The leader of Kalimantan Tengah (62) opens a Siaga alert for Kota Palangka Raya (62.71) and directs
the Polresta and the camat of Pahandut to act within three days. The Polresta's officer records
progress with a photo. The clock then moves past the due date (time-machine moves the process's
clock: the live server reads it too): the periodic job escalates, the directive shows as overdue
and the leader is told (inbox and e-mail). A case opened from the event moves from pencegahan to
pemulihan and is closed; the event's timeline shows every step in order. The operator of 62.01
and the analyst of 63 see none of it. Screenshots go to var/test-artifacts/response-flow/.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail

from tests.browser.conftest import Shots, jpeg, signed_in
from waspada.accounts.testing import make_user
from waspada.notifications.models import Notification
from waspada.reports.testing import make_item, make_report
from waspada.response.models import ConflictCase, Directive, DirectiveAssignment
from waspada.response.tasks.directives import send_directive_reminders
from waspada.response.tests.factories import make_agency
from waspada.warnings.choices import RiskLevel
from waspada.warnings.models import Alert
from waspada.warnings.testing import local_today, noon

pytestmark = pytest.mark.browser


def status_of(page: Any, url: str) -> int:
    return page.goto(url).status


def test_a_directive_on_an_alert_is_followed_up_escalated_and_the_case_closed(
    new_page, personas, settings, tmp_path
):
    settings.WASPADA_DEMO = False
    shot = Shots("response-flow")
    operator = personas("operator_6271")
    leader = personas("leader_62")
    for name in ("analyst_62", "operator_6201", "analyst_63"):
        personas(name)
    leader.email = "pimpinan62@example.go.id"
    leader.save(update_fields=["email"])
    officer = make_user("kasat_polresta", "timdu", ["62.71"], full_name="Kasat Intelkam")
    camat = make_user("camat_pahandut", "timdu", ["62.71.01"], full_name="Camat Pahandut")
    polres = make_agency("62.71", "Polresta Palangka Raya", kind="polri", members=[officer])
    kecamatan = make_agency("62.71.01", "Kecamatan Pahandut", kind="kecamatan", members=[camat])
    make_agency("62.01", "Polres Kotawaringin Barat", kind="polri")

    today = local_today("62.71")
    report = make_report("62.71", created_by=operator, period_start=today, status="verified")
    event = make_item(
        report,
        area_code="62.71.01",
        occurred_at=noon("62.71", today) - dt.timedelta(hours=4),
        title="Warga menduduki lahan sengketa kebun sawit",
        crowd_size=300,
    ).event
    alert = Alert.objects.create(
        area_id="62.71",
        day=today,
        level=RiskLevel.SIAGA,
        previous_level=RiskLevel.WASPADA,
        score=14.2,
        reasons={"factors": {"severity": 14.2, "recent_items": 5, "expected_items": 1.2}},
    )

    # ------------------------------------------------ the leader directs from the alert
    boss = signed_in(new_page, "leader_62", accept_dialogs=True)
    boss.goto(f"/peringatan/{alert.pk}/")
    shot(boss, "leader-alert")
    with boss.expect_navigation():
        boss.get_by_test_id("direct-from-alert").click()
    boss.fill("#id_title", "Cegah bentrokan di lahan sengketa")
    boss.fill("#id_instruction", "Siagakan personel, fasilitasi dialog warga dan perusahaan.")
    for agency in (polres, kecamatan):
        boss.locator(f"[data-testid=agency-option][data-agency-id='{agency.pk}'] input").check()
    assert boss.input_value("#id_due_date") == (today + dt.timedelta(days=3)).isoformat()
    boss.select_option("#id_priority", "high")
    shot(boss, "leader-directive-form")
    with boss.expect_navigation():
        boss.get_by_test_id("submit-directive").click()
    directive = Directive.objects.get()
    assert directive.alert_id == alert.pk and directive.due_date == today + dt.timedelta(days=3)
    assert boss.locator("[data-testid=agency-row]").count() == 2
    shot(boss, "leader-directive")

    # ------------------------------------------------ the Polresta records progress with a photo
    police = signed_in(new_page, "kasat_polresta", accept_dialogs=True)
    police.goto("/respons/")
    row = police.locator("[data-testid=assignment-row]").first
    assert row.get_attribute("data-directive-id") == str(directive.pk)
    with police.expect_navigation():
        row.get_by_role("link").first.click()
    assignment = DirectiveAssignment.objects.get(directive=directive, agency=polres)
    form = police.locator(f"[data-testid=follow-up-form][data-assignment-id='{assignment.pk}']")
    form.locator("select[name=status]").select_option("in_progress")
    form.locator("input[name=progress]").fill("50")
    form.locator("textarea[name=note]").fill("Dua peleton disiagakan; dialog dijadwalkan besok.")
    evidence = jpeg(tmp_path / "lokasi.jpg", (64, 48))
    form.get_by_test_id("follow-up-files").set_input_files(str(evidence))
    form.get_by_test_id("follow-up-submit").click()
    police.locator("[data-testid=evidence-thumb]").first.wait_for()
    assignment.refresh_from_db()
    assert assignment.status == "in_progress" and assignment.progress == 50
    shot(police, "polres-follow-up")

    # The camat sees the directive assigned to the kecamatan office, above their own scope.
    kec = signed_in(new_page, "camat_pahandut", accept_dialogs=True)
    assert status_of(kec, f"/respons/arahan/{directive.pk}/") == 200
    shot(kec, "camat-directive")

    # ------------------------------------------------ the due date passes
    later = directive.due_at + dt.timedelta(hours=2)
    with time_machine.travel(later, tick=True):
        outcome = send_directive_reminders.delay().get()
        assert outcome["overdue"]["directives"] == 1
        told = Notification.objects.filter(user=leader, kind="directive")
        assert told.filter(title__icontains="batas waktu").count() == 1
        assert any(leader.email in m.to and "batas waktu" in m.subject.lower() for m in mail.outbox)

        # The earlier session has idled out by now.
        boss = signed_in(new_page, "leader_62", accept_dialogs=True)
        boss.goto("/notifikasi/")
        shot(boss, "leader-told-overdue")
        boss.goto(f"/respons/arahan/{directive.pk}/")
        assert boss.get_by_test_id("overdue-banner").is_visible()
        shot(boss, "leader-directive-overdue")
        send_directive_reminders.delay().get()
        assert told.filter(title__icontains="batas waktu").count() == 1  # told once

        # -------------------------------------------- a case from the event, to pemulihan, closed
        boss.goto(f"/kejadian/{event.pk}/")
        with boss.expect_navigation():
            boss.get_by_test_id("open-case-from-event").click()
        assert "sawit" in boss.input_value("#id_title")
        with boss.expect_navigation():
            boss.get_by_test_id("save-case").click()
        case = ConflictCase.objects.get()
        assert boss.get_by_test_id("stage-stepper").get_attribute("data-stage") == "pencegahan"
        shot(boss, "case-opened")
        stage = boss.get_by_test_id("stage-form")
        stage.locator("select[name=to_stage]").select_option("pemulihan")
        stage.locator("[name=note]").fill("Kesepakatan damai; rehabilitasi dimulai.")
        with boss.expect_navigation():
            stage.get_by_test_id("move-stage").click()
        assert boss.get_by_test_id("stage-stepper").get_attribute("data-stage") == "pemulihan"
        close = boss.get_by_test_id("close-form")
        close.locator("[name=note]").fill("Situasi kondusif; kasus ditutup.")
        with boss.expect_navigation():
            close.get_by_test_id("close-case").click()
        case.refresh_from_db()
        assert case.status == "closed" and case.stage == "pemulihan"
        shot(boss, "case-closed")

        # -------------------------------------------- the timeline shows every step in order
        boss.goto(f"/respons/kejadian/{event.pk}/linimasa/")
        kinds = boss.locator("[data-testid=timeline] li[data-kind]").evaluate_all(
            "items => items.map(i => i.dataset.kind)"
        )
        for kind in ("item", "alert", "directive", "follow_up", "case", "stage"):
            assert kind in kinds, (kind, kinds)
        assert kinds.index("item") < kinds.index("directive") < kinds.index("follow_up")
        assert kinds.index("follow_up") < kinds.index("stage")
        text = boss.get_by_test_id("timeline").inner_text()
        assert "lewat batas waktu" in text and "ditutup" in text
        shot(boss, "event-timeline")

        # -------------------------------------------- 62.01 and 63 see none of it
        for persona in ("operator_6201", "analyst_63"):
            other = signed_in(new_page, persona, accept_dialogs=True)
            for url in (
                f"/respons/arahan/{directive.pk}/",
                f"/respons/kasus/{case.pk}/",
                f"/respons/kejadian/{event.pk}/linimasa/",
                f"/peringatan/{alert.pk}/",
            ):
                assert status_of(other, url) == 404, (persona, url)
            other.goto("/respons/arahan/")
            assert other.locator("[data-testid=directive-row]").count() == 0
            shot(other, f"{persona}-sees-nothing")
