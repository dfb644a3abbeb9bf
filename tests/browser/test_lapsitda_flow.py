"""The done-when walk of LAPSITDA in a real browser, from filing to verification to who sees what.

The operator of Kota Palangka Raya (62.71) files today's daily report with one new event (a photo
attached, the place set by clicking the map) and one development of an event already followed,
and submits it. The analyst of Kalimantan Tengah (62) finds it in "Perlu ditinjau" and returns it
with a reason; the operator corrects an item and resubmits; the analyst verifies. The leader of
62 sees the verified items; the operator of Kotawaringin Barat (62.01) gets 404 for the report;
the analyst of Kalimantan Selatan (63) sees nothing of it anywhere.

Areas and boundaries are the tiny hand-made slice of `waspada.geo.tests.data` (rectangles: the map
shows Pahandut on the left and Jekan Raya on the right). A screenshot of each page is kept under
var/test-artifacts/lapsitda-flow/.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.conftest import ARTIFACTS_ROOT, Shots, jpeg, signed_in
from waspada.events.models import Attachment, Item
from waspada.geo.zones import zone_for
from waspada.reports.models import SituationReport
from waspada.reports.testing import make_item, make_report

pytestmark = pytest.mark.browser

ARTIFACTS = ARTIFACTS_ROOT / "lapsitda-flow"
RETURN_REASON = "Kronologi butir baru belum menyebut jumlah massa. Mohon dilengkapi."


def local_now() -> dt.datetime:
    return timezone.now().astimezone(zone_for("62.71"))


def status_of(page: Any) -> str:
    return str(page.get_by_test_id("report-status").get_attribute("data-status"))


def fill_item(page: Any, *, title: str, chronology: str, when: dt.datetime) -> None:
    page.fill("#id_occurred_at", when.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_title", title)
    page.fill("#id_chronology", chronology)
    page.select_option("#id_aspect", "ekonomi")
    page.select_option("#id_athg", "gangguan")


def test_a_daily_report_goes_from_filing_to_verification_and_only_the_right_people_see_it(
    new_page, personas, tiny_geography, settings, tmp_path
):
    settings.WASPADA_DEMO = False
    shot = Shots("lapsitda-flow")
    operator = personas("operator_6271")
    for name in ["analyst_62", "leader_62", "operator_6201", "analyst_63"]:
        personas(name)
    # An event the operator has been following since yesterday (verified).
    yesterday = local_now().date() - dt.timedelta(days=1)
    earlier = make_report("62.71", created_by=operator, period_start=yesterday, status="verified")
    followed = make_item(
        earlier, area_code="62.71.01", title="Sengketa lahan warga dengan PT Sawit Contoh"
    )
    today = local_now().date()

    # ------------------------------------------------ the operator files the daily report
    page = signed_in(new_page, "operator_6271")
    page.goto("/laporan/")
    shot(page, "operator-report-list")
    with page.expect_navigation():
        page.get_by_test_id("new-report").click()
    page.fill("#id_area", "62.71")
    page.fill("#id_period_start", today.isoformat())
    shot(page, "operator-new-report")
    with page.expect_navigation():
        page.get_by_test_id("save-report").click()
    assert re.search(r"/laporan/\d+/$", page.url), page.url
    report_url = page.url.removeprefix(new_page_base(page))
    report = SituationReport.objects.get(area_id="62.71", period_start=today)
    assert status_of(page) == "draft"

    # One new event, placed by clicking the map, with a photo.
    with page.expect_navigation():
        page.get_by_test_id("add-item").click()
    pin = page.get_by_test_id("map-pin")
    page.wait_for_selector("[data-testid=map-pin][data-state=ready]")
    # Click in the middle of Jekan Raya (62.71.02) on the map.
    pin.locator("svg path[data-code='62.71.02']").click()
    page.wait_for_function("document.getElementById('id_area').value === '62.71.02'")
    assert page.get_by_test_id("map-marker").is_visible()
    assert "62.71.02" in page.get_by_test_id("map-status").inner_text()
    fill_item(
        page,
        title="Unjuk rasa warga menolak perluasan kebun sawit",
        chronology="Warga berkumpul di depan kantor kelurahan menolak perluasan kebun.",
        when=local_now() - dt.timedelta(minutes=30),
    )
    page.get_by_test_id("attachment-input").set_input_files(str(jpeg(tmp_path / "unjuk-rasa.jpg")))
    shot(page, "operator-new-item-with-pin-and-photo")
    with page.expect_navigation():
        page.get_by_test_id("save-item").click()
    assert "/laporan/" in page.url and page.get_by_test_id("item").count() == 1

    # One development of the event followed since yesterday.
    with page.expect_navigation():
        page.get_by_test_id("add-item").click()
    page.check("input[name=kind][value=development]")
    page.select_option("#id_event", str(followed.event_id))
    page.fill("#id_area", "62.71.01")
    fill_item(
        page,
        title="Perkembangan sengketa lahan: mediasi di kantor kecamatan",
        chronology="Camat memfasilitasi mediasi; para pihak sepakat bertemu lagi pekan depan.",
        when=local_now() - dt.timedelta(minutes=20),
    )
    shot(page, "operator-development-item")
    with page.expect_navigation():
        page.get_by_test_id("save-item").click()
    assert page.get_by_test_id("item").count() == 2
    items = {i.kind: i for i in Item.objects.filter(report=report)}
    assert items["new"].area_id == "62.71.02"
    assert items["new"].latitude is not None and items["new"].location_precision == "exact"
    assert Attachment.objects.filter(item=items["new"]).count() == 1
    assert items["development"].event_id == followed.event_id
    with page.expect_navigation():
        page.get_by_test_id("submit-report").click()
    assert status_of(page) == "submitted"
    shot(page, "operator-submitted")

    # ------------------------------------------------ the analyst of 62 returns it
    analyst = signed_in(new_page, "analyst_62")
    analyst.goto("/laporan/tinjau/")
    row = analyst.locator("[data-testid=queue-table] tr", has_text=report.reference)
    assert row.count() == 1
    shot(analyst, "analyst-queue")
    with analyst.expect_navigation():
        row.get_by_role("link").click()
    assert analyst.url.endswith(report_url)
    analyst.get_by_test_id("return-reason-input").fill(RETURN_REASON)
    shot(analyst, "analyst-review")
    with analyst.expect_navigation():
        analyst.get_by_test_id("return-report").click()
    assert status_of(analyst) == "returned"
    shot(analyst, "analyst-returned")

    # ------------------------------------------------ the operator corrects and resubmits
    page.goto(report_url)
    assert RETURN_REASON in page.get_by_test_id("return-reason").inner_text()
    shot(page, "operator-sees-return-reason")
    new_item = page.locator(f"[data-testid=item][data-item-id='{items['new'].pk}']")
    with page.expect_navigation():
        new_item.get_by_test_id("edit-item").click()
    page.fill(
        "#id_chronology",
        "Sekitar 200 warga berkumpul di depan kantor kelurahan menolak perluasan kebun.",
    )
    page.fill("#id_crowd_size", "200")
    shot(page, "operator-corrects-item")
    with page.expect_navigation():
        page.get_by_test_id("save-item").click()
    with page.expect_navigation():
        page.get_by_test_id("submit-report").click()
    assert status_of(page) == "submitted"
    assert Item.objects.get(pk=items["new"].pk).crowd_size == 200

    # ------------------------------------------------ the analyst verifies
    analyst.goto("/laporan/tinjau/")
    row = analyst.locator("[data-testid=queue-table] tr", has_text=report.reference)
    with analyst.expect_navigation():
        row.get_by_role("link").click()
    with analyst.expect_navigation():
        analyst.get_by_test_id("verify-report").click()
    assert status_of(analyst) == "verified"
    shot(analyst, "analyst-verified")
    assert set(Item.objects.filter(report=report).values_list("status", flat=True)) == {"verified"}

    # ------------------------------------------------ who sees it
    leader = signed_in(new_page, "leader_62")
    leader.goto(report_url)
    assert status_of(leader) == "verified"
    titles = leader.get_by_test_id("item-title").all_inner_texts()
    assert "Unjuk rasa warga menolak perluasan kebun sawit" in titles
    assert any(t.startswith("Perkembangan sengketa lahan") for t in titles)
    shot(leader, "leader-sees-verified-items")
    leader.goto("/kejadian/")
    assert "Unjuk rasa warga menolak perluasan kebun sawit" in leader.content()
    shot(leader, "leader-events")

    other_operator = signed_in(new_page, "operator_6201")
    response = other_operator.goto(report_url)
    assert response is not None and response.status == 404
    shot(other_operator, "operator-6201-gets-404")

    outsider = signed_in(new_page, "analyst_63")
    outsider.goto("/laporan/")
    assert report.reference not in outsider.content()
    assert outsider.get_by_test_id("report-row").count() == 0
    shot(outsider, "analyst-63-report-list-empty")
    outsider.goto("/laporan/tinjau/")
    assert report.reference not in outsider.content()
    outsider.goto("/kejadian/")
    assert "perluasan kebun sawit" not in outsider.content()
    shot(outsider, "analyst-63-events-empty")
    response = outsider.goto(report_url)
    assert response is not None and response.status == 404
    assert sorted(p.name for p in ARTIFACTS.glob("*.png"))[-1].startswith(f"{shot.count:02d}")


def new_page_base(page: Any) -> str:
    """The live server's address (the part of page.url before the path)."""
    match = re.match(r"^(https?://[^/]+)", page.url)
    assert match is not None
    return match.group(1)
