"""The set-up commands `make run` calls: fetch_assets and compile_translations."""

from __future__ import annotations

import gettext
import io
import tarfile
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError

from waspada.core import npm
from waspada.core.management.commands import fetch_assets

SCRIPT = b"window.fake = true;\n"


def _tarball(content: bytes) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo("package/dist/fake.min.js")
        info.size = len(content)
        archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


@pytest.fixture
def offline_asset(settings, tmp_path, monkeypatch):
    """A made-up package whose tarball sits in a folder, as on a machine without the registry."""
    settings.VAR_DIR = tmp_path / "var"
    settings.WASPADA_AREA_CACHE_DIR = tmp_path / "var" / "cache"
    source = tmp_path / "tarballs"
    source.mkdir()
    data = _tarball(SCRIPT)
    package = npm.NpmPackage("fake-lib", "1.2.3", npm.integrity_of(data))
    (source / package.tarball_name).write_bytes(data)
    asset = fetch_assets.Asset(package, "dist/fake.min.js", "fake.min.js")
    monkeypatch.setattr(fetch_assets, "ASSETS", (asset,))
    return source, tmp_path / "var" / "vendor" / "fake.min.js"


def _fetch(source: Path) -> str:
    out = StringIO()
    call_command("fetch_assets", "--from", str(source), stdout=out)
    return out.getvalue()


class TestFetchAssets:
    def test_it_installs_a_verified_file_and_skips_it_the_second_time(self, offline_asset):
        source, target = offline_asset
        assert "installed fake.min.js" in _fetch(source)
        assert target.read_bytes() == SCRIPT
        assert "up to date" in _fetch(source)

    def test_it_replaces_a_file_changed_by_hand(self, offline_asset):
        source, target = offline_asset
        _fetch(source)
        target.write_text("tampered")
        assert "installed" in _fetch(source)
        assert target.read_bytes() == SCRIPT

    def test_it_refuses_a_tarball_that_does_not_match_the_pinned_integrity(self, offline_asset):
        source, target = offline_asset
        for tarball in source.iterdir():
            tarball.write_bytes(_tarball(b"evil()"))
        with pytest.raises(CommandError, match="integrity"):
            _fetch(source)
        assert not target.exists()

    def test_the_pinned_htmx_is_served_as_a_vendor_static_file(self):
        (htmx,) = [a for a in fetch_assets.ASSETS if a.package.name == "htmx.org"]
        assert htmx.package.version.startswith("2.")
        assert htmx.package.integrity.startswith("sha512-")
        assert htmx.target == "htmx.min.js"
        assert ("vendor", django_settings.VAR_DIR / "vendor") in django_settings.STATICFILES_DIRS


class TestCompileTranslations:
    def test_it_compiles_translated_entries_and_leaves_fuzzy_ones_out(self, settings, tmp_path):
        settings.LOCALE_PATHS = [tmp_path]
        folder = tmp_path / "en" / "LC_MESSAGES"
        folder.mkdir(parents=True)
        catalogue = polib.POFile()
        catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
        catalogue.append(polib.POEntry(msgid="Keluar", msgstr="Log out"))
        catalogue.append(polib.POEntry(msgid="Beranda", msgstr="Home", flags=["fuzzy"]))
        catalogue.save(str(folder / "django.po"))
        call_command("compile_translations", stdout=StringIO())
        with open(folder / "django.mo", "rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        assert compiled.gettext("Keluar") == "Log out"
        assert compiled.gettext("Beranda") == "Beranda"
        assert "0 catalogue" in _compile_again()

    def test_the_committed_english_catalogue_compiles(self, settings, tmp_path):
        source = Path(django_settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
        folder = tmp_path / "en" / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "django.po").write_bytes(source.read_bytes())
        settings.LOCALE_PATHS = [tmp_path]
        call_command("compile_translations", stdout=StringIO())
        with open(folder / "django.mo", "rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        assert compiled.gettext("Keluar") == "Log out"


def _compile_again() -> str:
    out = StringIO()
    call_command("compile_translations", stdout=out)
    return out.getvalue()
