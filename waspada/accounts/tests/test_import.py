import pytest
from django.core.exceptions import PermissionDenied

from waspada.accounts import services
from waspada.accounts.models import User
from waspada.core.models import AuditEntry

HEADER = "username,full_name,email,role,areas,phone,position,password\n"
GOOD = (
    HEADER
    + "budi,Budi Santoso,budi@example.go.id,operator,62.71,0812,Staf,\n"
    + "sari,Sari Dewi,sari@example.go.id,analyst,62.01;62.71,0813,Analis,Sari-sandi-2026\n"
)


def _problems(result):
    return {(p.row, p.column) for p in result.problems}


@pytest.mark.django_db
class TestImportUsers:
    def test_it_creates_every_user_when_every_row_is_good(self, area_admin_62):
        result = services.import_users_csv(GOOD.encode(), actor=area_admin_62)
        assert result.ok
        assert [u.username for u in result.created] == ["budi", "sari"]
        sari = User.objects.get(username="sari")
        assert sorted(sari.assignments.values_list("area_id", flat=True)) == ["62.01", "62.71"]
        assert sari.check_password("Sari-sandi-2026")
        assert not User.objects.get(username="budi").has_usable_password()
        assert AuditEntry.objects.filter(action="user.created").count() == 2
        summary = AuditEntry.objects.get(action="users.imported").after or {}
        assert summary["count"] == 2

    def test_a_dry_run_previews_and_creates_nothing(self, area_admin_62):
        result = services.import_users_csv(GOOD, actor=area_admin_62, dry_run=True)
        assert result.ok and result.dry_run
        assert [r.username for r in result.rows] == ["budi", "sari"]
        assert result.rows[1].area_codes == ["62.01", "62.71"]
        assert result.rows[1].has_password and not result.rows[0].has_password
        assert not User.objects.filter(username__in=["budi", "sari"]).exists()

    def test_it_reports_every_bad_row_with_row_and_column_and_creates_nothing(
        self, area_admin_62, targets
    ):
        text = (
            HEADER
            + "baik,Baik,baik@example.go.id,operator,62.71,,,\n"  # row 2: good
            + "a1,A,,operator,62.99,,,\n"  # 3: unknown area
            + "a2,A,,operator,63.71,,,\n"  # 4: outside the admin's scope
            + "a3,A,,raja,62.71,,,\n"  # 5: unknown role
            + "baik,A,,operator,62.71,,,\n"  # 6: repeats row 2
            + "T6271,A,,operator,62.71,,,\n"  # 7: taken (case-insensitively)
            + "a4,A,bukan-email,operator,62.71,,,\n"  # 8: bad e-mail
            + "a5,A,,operator,62.71,,,abc\n"  # 9: password refused
            + "a6,A,,national_admin,,,,\n"  # 10: role above the admin's
            + "a7,A,,operator,,,,\n"  # 11: no area
        )
        result = services.import_users_csv(text.encode(), actor=area_admin_62)
        assert not result.ok
        assert _problems(result) == {
            (3, "areas"),
            (4, "areas"),
            (5, "role"),
            (6, "username"),
            (7, "username"),
            (8, "email"),
            (9, "password"),
            (10, "role"),
            (11, "areas"),
        }
        messages = {(p.row, p.column): p.message for p in result.problems}
        assert "62.99" in messages[(3, "areas")]
        assert "di luar wilayah" in messages[(4, "areas")]
        assert "baris 2" in messages[(6, "username")]
        assert result.created == []
        assert not User.objects.filter(username__in=["baik", "a1", "a4"]).exists()
        assert not AuditEntry.objects.filter(action="user.created").exists()

    def test_it_reports_header_problems_on_row_1(self, national_admin):
        result = services.import_users_csv(b"username,nama,role\nx,y,operator\n", actor=None)
        assert _problems(result) == {(1, "nama"), (1, "areas")}
        assert _problems(services.import_users_csv(b"", actor=None)) == {(1, "")}
        assert _problems(services.import_users_csv(HEADER.encode(), actor=None)) == {(2, "")}

    def test_it_reads_spreadsheet_exports(self, national_admin):
        semicolons = (
            "username;full_name;email;role;areas\r\n"
            'rina;Rina Ayu;rina@example.go.id;operator;"62.01;62.71"\r\n'
        )
        result = services.import_users_csv(
            "\ufeff".encode() + semicolons.encode(), actor=national_admin, dry_run=True
        )
        assert result.ok, result.problems
        assert result.rows[0].area_codes == ["62.01", "62.71"]
        ansi = "username,full_name,role,areas\nandre,André Sitompul,operator,62.71\n"
        result = services.import_users_csv(ansi.encode("cp1252"), actor=national_admin)
        assert result.ok
        assert User.objects.get(username="andre").full_name == "André Sitompul"

    def test_only_user_managers_may_import(self, personas):
        with pytest.raises(PermissionDenied):
            services.import_users_csv(GOOD, actor=personas("analyst_62"), dry_run=True)
