"""Browser tests: Playwright (the pinned Python package) driving Debian's Chromium.

No browser is ever downloaded: the system's `chromium` is launched by path, and a missing one is a
clear failure (`make test` installs it when it can). Tests get a `page` on a fresh browser context
pointed at pytest-django's `live_server`, with a `login` helper.

Playwright's sync API runs an event loop in the test thread, which makes Django refuse ORM calls
from that thread ("async unsafe") unless DJANGO_ALLOW_ASYNC_UNSAFE is set; the fixtures set it.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS_ROOT = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="session")
def _async_unsafe_allowed() -> Iterator[None]:
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(_async_unsafe_allowed: None) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Chromium is not installed: the browser tests need Debian's chromium "
            "(`sudo apt-get install chromium`, or `make test`, which installs it as root)."
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def _compiled_translations(django_db_blocker: Any) -> None:
    """The English catalogue as `make run` builds it (the .mo files are not committed)."""
    with django_db_blocker.unblock():
        call_command("compile_translations", verbosity=0)


@pytest.fixture
def new_page(
    browser: Any,
    live_server: Any,
    transactional_db: None,
    settings: Any,
    _compiled_translations: None,
) -> Iterator[Callable[..., Any]]:
    """Open pages on fresh contexts: `new_page()` (desktop) or `new_page(viewport=PHONE)`."""
    # Reset Django's translation caches so catalogues compiled in this session are read.
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)
    contexts: list[Any] = []

    def open_page(viewport: dict[str, int] | None = None) -> Any:
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport or DESKTOP, locale="id-ID"
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A desktop-sized page on the live server."""
    return new_page()


def login(page: Any, username: str, password: str) -> None:
    """Fill in and submit the log-in form on the current page."""
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def signed_in(
    new_page: Callable[..., Any], username: str, *, accept_dialogs: bool = False, **kwargs: Any
) -> Any:
    """A new page signed in as `username` (a persona's password); `accept_dialogs` answers the
    pages' confirm() questions ("Tutup kasus ini?") with OK."""
    from waspada.accounts.testing import PERSONA_PASSWORD

    page = new_page(**kwargs)
    if accept_dialogs:
        page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/akun/masuk/")
    login(page, username, PERSONA_PASSWORD)
    assert "/akun/masuk/" not in page.url, f"{username} could not log in"
    return page


class Shots:
    """Numbered full-page screenshots of a walk in var/test-artifacts/<folder>/ (emptied first)."""

    def __init__(self, folder: str) -> None:
        self.directory = ARTIFACTS_ROOT / folder
        self.directory.mkdir(parents=True, exist_ok=True)
        for old in self.directory.iterdir():
            if old.is_file():
                old.unlink()
        self.count = 0

    def __call__(self, page: Any, name: str) -> None:
        self.count += 1
        path = self.directory / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)


@pytest.fixture
def tiny_geography(transactional_db: None, tmp_path: Path) -> None:
    """The tiny code list and its rectangular boundaries, loaded through the geo services."""
    from waspada.geo import areadata, boundaryfiles
    from waspada.geo.services import load_areas, load_boundaries
    from waspada.geo.tests import data

    load_areas(areadata.read_tarball(data.tarball(), source="test"))
    features, _files = boundaryfiles.read_directory(data.write_boundaries(tmp_path / "b"))
    load_boundaries(features, source="test")


def jpeg(path: Path, size: tuple[int, int] = (96, 64)) -> Path:
    """A small real JPEG photo at `path`."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 40, 40)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path
