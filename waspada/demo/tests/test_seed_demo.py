"""`manage.py seed_demo`: the demo organisation of Kalimantan Tengah, created once."""

from __future__ import annotations

import stat
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waspada.accounts.models import User
from waspada.accounts.roles import Role
from waspada.accounts.testing import ensure_area, ensure_base_areas
from waspada.core.models import AuditEntry
from waspada.geo.models import Area


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _passwords(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 4 and cells[0] != "username":
            found[cells[0]] = cells[3]
    return found


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.mark.django_db
class TestSeedDemo:
    def test_it_creates_the_organisation_with_working_private_passwords(self, var_dir):
        ensure_base_areas()
        output = _seed()
        expected = {
            "admin.nasional": (Role.NATIONAL_ADMIN, set()),
            "admin.62": (Role.AREA_ADMIN, {"62"}),
            "analis.62": (Role.ANALYST, {"62"}),
            "pimpinan.62": (Role.LEADER, {"62"}),
            "operator.62.01": (Role.OPERATOR, {"62.01"}),
            "operator.62.71": (Role.OPERATOR, {"62.71"}),
        }
        users = {u.username: u for u in User.objects.all()}
        assert set(users) == set(expected)
        for username, (role, codes) in expected.items():
            assert users[username].role == role
            assert set(users[username].assignments.values_list("area_id", flat=True)) == codes
        credentials = var_dir / "demo-credentials.txt"
        assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
        passwords = _passwords(credentials)
        assert set(passwords) == set(expected)
        for username, password in passwords.items():
            assert len(password) >= 16
            assert users[username].check_password(password)
            assert password in output
        assert AuditEntry.objects.filter(action="user.created").count() == len(expected)

    def test_it_creates_nothing_the_second_time_and_says_where_the_passwords_are(self, var_dir):
        ensure_base_areas()
        _seed()
        before = (var_dir / "demo-credentials.txt").read_text()
        output = _seed()
        assert User.objects.count() == 6
        assert "nothing created" in output
        assert str(var_dir / "demo-credentials.txt") in output
        assert (var_dir / "demo-credentials.txt").read_text() == before

    def test_it_adds_only_the_operator_of_a_kab_kota_loaded_later(self, var_dir):
        ensure_base_areas()
        _seed()
        ensure_area("62.02", "Kabupaten Kotawaringin Timur")
        output = _seed()
        assert "operator.62.02" in output
        assert User.objects.count() == 7
        assert set(_passwords(var_dir / "demo-credentials.txt")) >= {"operator.62.02", "analis.62"}

    def test_it_refuses_to_run_before_the_areas_are_loaded(self, var_dir):
        assert not Area.objects.filter(code="62").exists()
        with pytest.raises(CommandError, match="load_areas"):
            _seed()
        assert not User.objects.exists()
        assert not (var_dir / "demo-credentials.txt").exists()
