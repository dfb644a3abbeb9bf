import io
import re

import pytest
from django.core.management import CommandError, call_command

from waspada.accounts.models import User
from waspada.accounts.testing import ensure_base_areas
from waspada.core.models import AuditEntry


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
class TestCreateUserCommand:
    @pytest.fixture(autouse=True)
    def areas(self, db):
        ensure_base_areas()

    def test_it_creates_a_user_with_the_given_password(self):
        out, _ = _run(
            "create_user",
            "rudi",
            "--role",
            "analyst",
            "--area",
            "62.71",
            "--area",
            "62.01",
            "--password",
            "Rudi-sandi-2026",
            "--email",
            "rudi@example.go.id",
        )
        user = User.objects.get(username="rudi")
        assert user.check_password("Rudi-sandi-2026")
        assert sorted(user.assignments.values_list("area_id", flat=True)) == ["62.01", "62.71"]
        assert user.email == "rudi@example.go.id"
        assert "Rudi-sandi-2026" not in out
        assert AuditEntry.objects.get(action="user.created").actor_label == "system"

    def test_without_a_password_it_prints_a_generated_one_once(self):
        out, _ = _run("create_user", "pusat", "--role", "national_admin")
        match = re.search(r"sekali\): (\S+)", out)
        assert match
        assert User.objects.get(username="pusat").check_password(match.group(1))
        assert out.count(match.group(1)) == 1

    def test_it_fails_clearly_on_bad_input(self):
        with pytest.raises(CommandError, match="62.99"):
            _run("create_user", "x", "--role", "operator", "--area", "62.99")
        with pytest.raises(CommandError, match="wilayah"):
            _run("create_user", "x", "--role", "operator")
        with pytest.raises(CommandError, match="password"):
            _run("create_user", "x", "--role", "operator", "--area", "62.71", "--password", "a")
        assert not User.objects.filter(username="x").exists()


@pytest.mark.django_db
class TestImportUsersCommand:
    @pytest.fixture(autouse=True)
    def areas(self, db):
        ensure_base_areas()

    def test_it_imports_a_good_file(self, tmp_path):
        path = tmp_path / "users.csv"
        path.write_text("username,role,areas,password\nani,operator,62.71,Ani-sandi-2026\n")
        out, _ = _run("import_users", str(path))
        assert "1 pengguna dibuat" in out
        assert User.objects.get(username="ani").check_password("Ani-sandi-2026")

    def test_it_prints_every_bad_row_and_fails_without_creating_anything(self, tmp_path):
        path = tmp_path / "users.csv"
        path.write_text(
            "username,role,areas\nani,operator,62.71\nbad,operator,62.99\nani,raja,62.71\n"
        )
        err = io.StringIO()
        with pytest.raises(CommandError, match="3 masalah"):
            call_command("import_users", str(path), stdout=io.StringIO(), stderr=err)
        lines = err.getvalue().splitlines()
        assert any(line.startswith("baris 3, kolom areas:") for line in lines)
        assert any(line.startswith("baris 4, kolom username:") for line in lines)
        assert any(line.startswith("baris 4, kolom role:") for line in lines)
        assert not User.objects.filter(username="ani").exists()

    def test_a_dry_run_creates_nothing(self, tmp_path):
        path = tmp_path / "users.csv"
        path.write_text("username,role,areas\nani,operator,62.71\n")
        out, _ = _run("import_users", str(path), "--dry-run")
        assert "uji coba" in out
        assert not User.objects.filter(username="ani").exists()

    def test_a_missing_file_is_a_clear_error(self, tmp_path):
        with pytest.raises(CommandError, match="Tidak dapat membaca"):
            _run("import_users", str(tmp_path / "tidak-ada.csv"))
