"""The first walk through the site in a real browser: log in, demo banner, language, phone."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import PHONE, login
from waspada.accounts.testing import PERSONA_PASSWORD

pytestmark = pytest.mark.browser


def no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_it_sends_an_anonymous_visitor_to_the_login_page(page):
    page.goto("/")
    assert re.search(r"/akun/masuk/\?next=/$", page.url)
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("#id_username").is_visible()


def test_it_shows_an_error_for_a_wrong_password_and_logs_in_with_the_right_one(
    page, personas, settings, live_server
):
    settings.WASPADA_DEMO = True
    personas("analyst_62")
    page.goto("/")
    login(page, "analyst_62", "bukan-sandinya-123")
    error = page.locator("[role=alert]")
    assert error.is_visible()
    assert "salah" in error.inner_text()
    assert "/akun/masuk/" in page.url

    login(page, "analyst_62", PERSONA_PASSWORD)
    assert page.url == f"{live_server.url}/"
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.locator("[data-testid=demo-banner]").is_visible()
    assert page.get_by_role("button", name="Keluar").is_visible()


def test_it_hides_the_demo_banner_when_demo_mode_is_off(page, settings):
    settings.WASPADA_DEMO = False
    page.goto("/akun/masuk/")
    assert page.locator("[data-testid=demo-banner]").count() == 0


def test_it_switches_the_interface_to_english(page, personas):
    personas("analyst_62")
    page.goto("/")
    login(page, "analyst_62", PERSONA_PASSWORD)
    assert page.locator("html").get_attribute("lang") == "id"
    with page.expect_navigation():
        page.select_option("#lang-select", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Log out").is_visible()
    assert page.get_by_role("link", name="Home").first.is_visible()


def test_it_fits_a_phone_screen_without_horizontal_scrolling(new_page, personas, settings):
    settings.WASPADA_DEMO = True
    personas("analyst_62")
    page = new_page(viewport=PHONE)
    page.goto("/")
    assert no_horizontal_scroll(page)
    login(page, "analyst_62", PERSONA_PASSWORD)
    assert "/akun/masuk/" not in page.url
    assert page.locator("[data-testid=demo-banner]").is_visible()
    assert no_horizontal_scroll(page)
