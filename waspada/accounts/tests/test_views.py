import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from waspada.accounts.context_processors import nav
from waspada.accounts.models import User
from waspada.accounts.roles import Role
from waspada.accounts.testing import make_user
from waspada.core.models import AuditEntry
from waspada.core.testing.access import check_access


def _digest(html):
    match = re.search(r'name="digest" value="([0-9a-f]+)"', html)
    assert match, "no confirm form"
    return match.group(1)


MANAGERS_ONLY = {
    "anonymous": 302,
    "operator_6271": 403,
    "operator_6201": 403,
    "analyst_62": 403,
    "analyst_63": 403,
    "leader_62": 403,
    "area_admin_62": 200,
    "national_admin": 200,
}


@pytest.mark.django_db
class TestPageAccessMatrix:
    @pytest.mark.parametrize(
        "path",
        [
            "/akun/pengguna/",
            "/akun/pengguna/baru/",
            "/akun/pengguna/impor/",
            "/akun/pengguna/impor/templat.csv",
        ],
    )
    def test_management_pages_are_for_user_managers(self, web_as, path):
        check_access(web_as, "get", path, MANAGERS_ONLY)

    @pytest.mark.parametrize("suffix", ["", "kata-sandi/", "nonaktifkan/", "aktifkan/"])
    def test_user_pages_inside_62(self, web_as, targets, suffix):
        check_access(web_as, "get", f"/akun/pengguna/{targets.t6271.pk}/{suffix}", MANAGERS_ONLY)

    @pytest.mark.parametrize("suffix", ["", "kata-sandi/", "nonaktifkan/"])
    def test_user_pages_outside_the_admins_scope_are_404(self, web_as, targets, suffix):
        for target in (targets.t63, targets.tnational):
            check_access(
                web_as,
                "get",
                f"/akun/pengguna/{target.pk}/{suffix}",
                {"operator_6271": 403, "area_admin_62": 404, "national_admin": 200},
            )

    def test_posting_to_an_out_of_scope_user_is_404_and_changes_nothing(self, web_as, targets):
        client = web_as("area_admin_62")
        assert client.post(f"/akun/pengguna/{targets.t63.pk}/nonaktifkan/").status_code == 404
        assert User.objects.get(pk=targets.t63.pk).is_active

    def test_profile_is_for_everyone_logged_in(self, web_as):
        check_access(
            web_as,
            "get",
            "/akun/profil/",
            {
                "anonymous": 302,
                "operator_6271": 200,
                "operator_6201": 200,
                "analyst_62": 200,
                "analyst_63": 200,
                "leader_62": 200,
                "area_admin_62": 200,
                "national_admin": 200,
            },
        )


@pytest.mark.django_db
class TestUserList:
    def test_it_lists_users_in_scope_only(self, web_as, targets):
        html = web_as("area_admin_62").get("/akun/pengguna/").content.decode()
        assert "t6271" in html and "t6201" in html and "tmixed" in html
        assert ">t63<" not in html and "tnational" not in html

    def test_it_searches_and_filters(self, web_as, targets):
        client = web_as("area_admin_62")
        html = client.get("/akun/pengguna/?q=Tono").content.decode()
        assert "t6201" in html and "t6271" not in html
        html = client.get("/akun/pengguna/?area=62.71&role=operator").content.decode()
        assert "t6271" in html and "t6201" not in html and "analyst_62" not in html
        html = client.get("/akun/pengguna/?area=62-71").content.decode()
        assert 'id="id_area_error"' in html

    def test_it_shows_a_clear_empty_state(self, web_as, targets):
        html = web_as("area_admin_62").get("/akun/pengguna/?q=zzz").content.decode()
        assert 'data-testid="empty"' in html
        assert "Tidak ada pengguna yang cocok" in html

    def test_it_paginates(self, web_as, targets):
        for n in range(30):
            make_user(f"massal{n:02d}", Role.OPERATOR, ["62.71"])
        client = web_as("area_admin_62")
        first = client.get("/akun/pengguna/").content.decode()
        assert "Halaman 1 dari 2" in first
        second = client.get("/akun/pengguna/?page=2").content.decode()
        assert "Halaman 2 dari 2" in second


@pytest.mark.django_db
class TestCreateAndEditPages:
    def test_an_admin_creates_a_user(self, web_as):
        response = web_as("area_admin_62").post(
            "/akun/pengguna/baru/",
            {
                "username": "wati",
                "full_name": "Wati",
                "role": "operator",
                "areas": "62.71, 62.01",
                "email": "wati@example.go.id",
                "password1": "",
                "password2": "",
            },
        )
        user = User.objects.get(username="wati")
        assert response.status_code == 302
        assert response["Location"] == f"/akun/pengguna/{user.pk}/"
        assert sorted(user.assignments.values_list("area_id", flat=True)) == ["62.01", "62.71"]

    def test_errors_appear_next_to_their_fields(self, web_as, targets):
        response = web_as("area_admin_62").post(
            "/akun/pengguna/baru/",
            {
                "username": "t6271",
                "role": "operator",
                "areas": "63.71",
                "email": "bukan",
                "password1": "Sandi-awal-2026",
                "password2": "lain",
            },
        )
        assert response.status_code == 200
        html = response.content.decode()
        for name in ("areas", "email", "password2"):
            assert f'id="id_{name}_error"' in html, name
        assert "Di luar wilayah Anda: 63.71" in html
        assert "novalidate" in html

    def test_service_errors_land_on_their_fields(self, web_as, targets):
        html = (
            web_as("area_admin_62")
            .post(
                "/akun/pengguna/baru/",
                {"username": "t6271", "role": "operator", "areas": "62.99", "email": "a@b.id"},
            )
            .content.decode()
        )
        assert 'id="id_areas_error"' in html or 'id="id_username_error"' in html
        assert not User.objects.filter(username="T6271").exists()

    def test_the_role_list_offers_only_grantable_roles(self, web_as):
        html = web_as("area_admin_62").get("/akun/pengguna/baru/").content.decode()
        assert 'value="area_admin"' in html
        assert 'value="national_admin"' not in html

    def test_an_admin_edits_a_user(self, web_as, targets):
        client = web_as("area_admin_62")
        url = f"/akun/pengguna/{targets.t6271.pk}/"
        assert 'value="62.71"' in client.get(url).content.decode()
        response = client.post(
            url,
            {"full_name": "Tari Baru", "role": "analyst", "areas": "62.71", "email": ""},
        )
        assert response.status_code == 302
        fresh = User.objects.get(pk=targets.t6271.pk)
        assert (fresh.full_name, fresh.role) == ("Tari Baru", "analyst")
        assert AuditEntry.objects.filter(action="user.updated").exists()

    def test_a_user_partly_outside_scope_is_shown_read_only(self, web_as, personas):
        make_user("campur", Role.OPERATOR, ["62.71"])
        user = User.objects.get(username="campur")
        from waspada.accounts.models import AreaAssignment
        from waspada.accounts.testing import ensure_area

        AreaAssignment.objects.create(user=user, area=ensure_area("63.71"))
        client = web_as("analyst_62")
        assert client.get(f"/akun/pengguna/{user.pk}/").status_code == 403
        client = web_as("area_admin_62")
        # area_admin_62 sees campur (one area inside 62) but cannot change it.
        html = client.get(f"/akun/pengguna/{user.pk}/").content.decode()
        assert 'data-testid="read-only"' in html
        response = client.post(
            f"/akun/pengguna/{user.pk}/", {"full_name": "X", "role": "operator", "areas": "62.71"}
        )
        assert response.status_code == 404
        assert User.objects.get(pk=user.pk).full_name == ""

    def test_deactivate_and_set_password_pages(self, web_as, targets):
        client = web_as("area_admin_62")
        base = f"/akun/pengguna/{targets.t6271.pk}/"
        assert "Nonaktifkan t6271?" in client.get(base + "nonaktifkan/").content.decode()
        assert client.post(base + "nonaktifkan/").status_code == 302
        assert not User.objects.get(pk=targets.t6271.pk).is_active
        weak = client.post(base + "kata-sandi/", {"password1": "abc", "password2": "abc"})
        assert 'id="id_password1_error"' in weak.content.decode()
        client.post(
            base + "kata-sandi/", {"password1": "Baru-2026-ok", "password2": "Baru-2026-ok"}
        )
        assert User.objects.get(pk=targets.t6271.pk).check_password("Baru-2026-ok")

    def test_an_admin_cannot_deactivate_itself(self, web_as, personas):
        me = personas("area_admin_62")
        client = web_as("area_admin_62")
        response = client.post(f"/akun/pengguna/{me.pk}/nonaktifkan/", follow=True)
        assert "tidak dapat menonaktifkan akun Anda sendiri" in response.content.decode()
        assert User.objects.get(pk=me.pk).is_active


@pytest.mark.django_db
class TestImportPages:
    def test_the_template_downloads_as_csv(self, web_as):
        response = web_as("area_admin_62").get("/akun/pengguna/impor/templat.csv")
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        header = response.content.decode().splitlines()[0]
        assert header == "username,full_name,email,role,areas,phone,position,password"

    def test_a_bad_file_previews_every_rows_errors_and_offers_no_confirm(self, web_as, targets):
        content = b"username,role,areas\nbaik,operator,62.71\nx,operator,63.71\ny,raja,62.71\n"
        response = web_as("area_admin_62").post(
            "/akun/pengguna/impor/", {"file": SimpleUploadedFile("u.csv", content)}
        )
        html = response.content.decode()
        assert 'data-testid="import-errors"' in html
        assert "Ada 2 masalah" in html
        assert "Wilayah 63.71 di luar wilayah Anda." in html
        assert "Peran tidak dikenal: raja" in html
        assert "/akun/pengguna/impor/konfirmasi/" not in html
        assert not User.objects.filter(username="baik").exists()

    def test_a_good_file_is_previewed_then_created_on_confirm(self, web_as):
        client = web_as("area_admin_62")
        content = b"username,role,areas\nbaik,operator,62.71\nbagus,analyst,62.01\n"
        preview = client.post(
            "/akun/pengguna/impor/", {"file": SimpleUploadedFile("u.csv", content)}
        )
        html = preview.content.decode()
        assert 'data-testid="import-ok"' in html
        assert not User.objects.filter(username="baik").exists()
        digest = _digest(html)
        stale = client.post("/akun/pengguna/impor/konfirmasi/", {"digest": "0" * 64})
        assert stale["Location"] == "/akun/pengguna/impor/"
        assert not User.objects.filter(username="baik").exists()
        done = client.post("/akun/pengguna/impor/konfirmasi/", {"digest": digest})
        assert done.status_code == 302
        assert User.objects.filter(username__in=["baik", "bagus"]).count() == 2
        again = client.post("/akun/pengguna/impor/konfirmasi/", {"digest": digest})
        assert again["Location"] == "/akun/pengguna/impor/"

    def test_confirm_creates_nothing_when_a_name_was_taken_since_the_preview(self, web_as):
        client = web_as("area_admin_62")
        content = b"username,role,areas\nbaik,operator,62.71\nbagus,analyst,62.01\n"
        html = client.post(
            "/akun/pengguna/impor/", {"file": SimpleUploadedFile("u.csv", content)}
        ).content.decode()
        digest = _digest(html)
        make_user("bagus", Role.OPERATOR, ["62.71"])
        response = client.post("/akun/pengguna/impor/konfirmasi/", {"digest": digest})
        assert response.status_code == 200
        assert "Data berubah sejak pratinjau" in response.content.decode()
        assert not User.objects.filter(username="baik").exists()

    def test_the_upload_form_checks_the_file(self, web_as):
        client = web_as("area_admin_62")
        html = client.post("/akun/pengguna/impor/", {}).content.decode()
        assert 'id="id_file_error"' in html
        html = client.post(
            "/akun/pengguna/impor/", {"file": SimpleUploadedFile("u.xlsx", b"abc")}
        ).content.decode()
        assert ".csv" in html


@pytest.mark.django_db
class TestProfile:
    def test_it_shows_own_details_and_areas(self, web_as):
        html = web_as("operator_6271").get("/akun/profil/").content.decode()
        assert "Kota Palangka Raya, Kalimantan Tengah" in html
        assert "/akun/kata-sandi/" in html

    def test_it_creates_shows_once_and_revokes_an_api_token(self, web_as, personas):
        client = web_as("operator_6271")
        created = client.post("/akun/profil/token/")
        html = created.content.decode()
        key = re.search(r'id="new-key" value="([0-9a-f]{40})"', html)
        assert key
        assert "no-cache" in created.get("Cache-Control", "") or "no-store" in created.get(
            "Cache-Control", ""
        )
        later = client.get("/akun/profil/").content.decode()
        assert key.group(1) not in later
        assert "Token aktif" in later
        assert AuditEntry.objects.filter(action="user.api_token_created").exists()
        client.post("/akun/profil/token/cabut/")
        assert "Belum ada token" in client.get("/akun/profil/").content.decode()
        assert client.get("/akun/profil/token/").status_code == 405


@pytest.mark.django_db
class TestNavigation:
    def _labels(self, user):
        request = RequestFactory().get("/")
        request.user = user
        return [str(item["label"]) for item in nav(request)["nav_items"]]

    def test_it_offers_links_by_permission(self, personas):
        from django.contrib.auth.models import AnonymousUser

        assert self._labels(AnonymousUser()) == []
        assert self._labels(personas("operator_6271")) == [
            "Laporan",
            "Kejadian",
            "Dokumen",
            "Respons",
            "Wilayah",
            "Profil",
        ]
        assert self._labels(personas("analyst_62")) == [
            "Laporan",
            "Kejadian",
            "Dokumen",
            "Respons",
            "Wilayah",
            "Audit",
            "Profil",
        ]
        assert self._labels(personas("area_admin_62")) == [
            "Laporan",
            "Kejadian",
            "Dokumen",
            "Respons",
            "Wilayah",
            "Audit",
            "Pengguna",
            "Profil",
        ]

    def test_the_follow_up_link_is_for_agency_members_only(self, personas):
        from waspada.response.tests.factories import make_agency

        request = RequestFactory().get("/")
        member = personas("operator_6271")
        make_agency("62.71", "Polres Palangka Raya", members=[member])
        request.user = member
        links = {str(link["label"]): link for link in nav(request)["nav_work"]}
        assert links["Tindak lanjut"]["url"] == "/respons/"
        assert links["Tindak lanjut"]["count"] == 0
        request.user = personas("leader_62")
        assert "Tindak lanjut" not in [str(link["label"]) for link in nav(request)["nav_work"]]

    def test_the_links_appear_in_the_page(self, web_as):
        html = web_as("area_admin_62").get("/akun/profil/").content.decode()
        assert 'href="/akun/pengguna/"' in html
        assert 'href="/audit/"' in html
