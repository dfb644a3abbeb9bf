import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import timezone

from waspada.accounts import services
from waspada.accounts.models import User
from waspada.accounts.roles import Role
from waspada.accounts.testing import PERSONA_PASSWORD
from waspada.core.models import AuditEntry

LOGIN = "/akun/masuk/"


def _login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def _logged_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.django_db
class TestLogin:
    def test_it_logs_in_and_records_an_audit_entry(self, personas):
        user = personas("operator_6271")
        client = Client()
        response = _login(client, "operator_6271", PERSONA_PASSWORD)
        assert response.status_code == 302
        assert _logged_in(client)
        entry = AuditEntry.objects.get(action="user.logged_in")
        assert (entry.actor_id, entry.area_code) == (user.pk, "62.71")

    def test_a_wrong_password_gets_a_clear_message_and_no_session(self, personas):
        personas("operator_6271")
        client = Client()
        response = _login(client, "operator_6271", "salah-sekali-1")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Nama pengguna atau kata sandi salah" in html
        assert f"Setelah {settings.AXES_FAILURE_LIMIT} kali gagal" in html
        assert not _logged_in(client)
        assert not AuditEntry.objects.filter(action="user.logged_in").exists()

    def test_missing_fields_get_messages_next_to_them(self, db):
        html = Client().post(LOGIN, {"username": "", "password": ""}).content.decode()
        assert 'id="id_username_error"' in html
        assert 'id="id_password_error"' in html
        assert 'aria-describedby="id_username_error"' in html

    def test_an_inactive_user_cannot_log_in(self, personas):
        user = personas("operator_6271")
        user.is_active = False
        user.save(update_fields=["is_active"])
        client = Client()
        assert _login(client, "operator_6271", PERSONA_PASSWORD).status_code == 200
        assert not _logged_in(client)

    def test_the_sixth_attempt_is_refused_even_with_the_right_password(self, personas):
        personas("operator_6271")
        client = Client()
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert _login(client, "operator_6271", "salah-sekali-1").status_code == 200
        locked = _login(client, "operator_6271", "salah-sekali-1")
        assert locked.status_code == 429
        response = _login(client, "operator_6271", PERSONA_PASSWORD)
        assert response.status_code == 429
        assert "accounts/locked_out.html" in [t.name for t in response.templates]
        assert "Akun terkunci sementara" in response.content.decode()
        assert not _logged_in(client)
        assert not AuditEntry.objects.filter(action="user.logged_in").exists()

    def test_a_logged_in_user_is_sent_on_from_the_login_page(self, web_as):
        assert web_as("analyst_62").get(LOGIN).status_code == 302


@pytest.mark.django_db
class TestLogout:
    def test_it_logs_out_by_post_only_and_records_it(self, web_as, personas):
        client = web_as("analyst_62")
        assert client.get("/akun/keluar/").status_code == 405
        response = client.post("/akun/keluar/")
        assert response.status_code == 302
        assert response["Location"] == "/akun/masuk/"
        assert not _logged_in(client)
        assert AuditEntry.objects.get(action="user.logged_out").actor_id == (
            personas("analyst_62").pk
        )


@pytest.mark.django_db
class TestSessionExpiry:
    def test_an_expired_session_is_logged_out(self, web_as):
        client = web_as("analyst_62")
        assert client.get("/akun/profil/").status_code == 200
        key = client.session.session_key
        Session.objects.filter(session_key=key).update(
            expire_date=timezone.now() - timedelta(seconds=1)
        )
        response = client.get("/akun/profil/")
        assert response.status_code == 302
        assert response["Location"].startswith("/akun/masuk/")

    def test_each_request_pushes_the_idle_deadline_forward(self, web_as):
        client = web_as("analyst_62")
        key = client.session.session_key
        soon = timezone.now() + timedelta(seconds=30)
        Session.objects.filter(session_key=key).update(expire_date=soon)
        assert client.get("/akun/profil/").status_code == 200
        assert Session.objects.get(session_key=key).expire_date > soon
        assert settings.SESSION_SAVE_EVERY_REQUEST


@pytest.mark.django_db
class TestPasswordChange:
    def test_it_changes_the_password_keeps_the_session_and_records_it(self, web_as, personas):
        client = web_as("analyst_62")
        response = client.post(
            "/akun/kata-sandi/",
            {
                "old_password": PERSONA_PASSWORD,
                "new_password1": "Sandi-baru-2027",
                "new_password2": "Sandi-baru-2027",
            },
        )
        assert response.status_code == 302
        assert client.get("/akun/profil/").status_code == 200
        assert User.objects.get(username="analyst_62").check_password("Sandi-baru-2027")
        assert AuditEntry.objects.filter(action="user.password_changed").count() == 1
        assert _logged_in(_client_logged_in_with("analyst_62", "Sandi-baru-2027"))

    def test_it_refuses_a_weak_password_next_to_the_field(self, web_as):
        response = web_as("analyst_62").post(
            "/akun/kata-sandi/",
            {
                "old_password": PERSONA_PASSWORD,
                "new_password1": "abcdefghijkl",
                "new_password2": "abcdefghijkl",
            },
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="id_new_password2_error"' in html or 'id="id_new_password1_error"' in html
        assert "huruf dan angka" in html
        assert not AuditEntry.objects.filter(action="user.password_changed").exists()

    def test_it_needs_a_login(self, db):
        response = Client().get("/akun/kata-sandi/")
        assert response.status_code == 302


def _client_logged_in_with(username, password):
    client = Client()
    _login(client, username, password)
    return client


def _reset_link():
    assert len(mail.outbox) == 1
    body = str(mail.outbox[0].body)
    match = re.search(r"https?://\S+/akun/atur-ulang/\S+/", body)
    assert match, body
    return urlsplit(match.group(0)).path


@pytest.mark.django_db
class TestPasswordReset:
    def test_the_whole_flow_from_the_mail_to_a_working_password(
        self, personas, django_capture_on_commit_callbacks
    ):
        user = personas("operator_6271")
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/akun/lupa-kata-sandi/", {"email": user.email.upper()})
        assert response.status_code == 302
        assert response["Location"] == "/akun/lupa-kata-sandi/terkirim/"
        assert mail.outbox[0].to == [user.email]
        assert "operator_6271" in mail.outbox[0].body
        link = _reset_link()
        form_url = client.get(link)["Location"]
        assert "set-password" in form_url
        assert client.get(form_url).status_code == 200
        weak = client.post(form_url, {"new_password1": "abc", "new_password2": "abc"})
        assert weak.status_code == 200
        done = client.post(
            form_url, {"new_password1": "Sandi-pulih-2026", "new_password2": "Sandi-pulih-2026"}
        )
        assert done["Location"] == "/akun/atur-ulang/selesai/"
        assert _logged_in(_client_logged_in_with("operator_6271", "Sandi-pulih-2026"))
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        assert {"user.password_reset_requested", "user.password_reset"} <= actions
        # The link works once only.
        again = Client().get(link)
        assert again.status_code == 200
        assert 'data-testid="invalid-link"' in again.content.decode()

    def test_an_unknown_address_looks_the_same_and_sends_nothing(
        self, db, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post("/akun/lupa-kata-sandi/", {"email": "tak@ada.test"})
        assert response.status_code == 302
        assert mail.outbox == []

    def test_a_user_created_without_a_password_sets_one_by_reset(
        self, national_admin, django_capture_on_commit_callbacks
    ):
        services.create_user(
            actor=national_admin,
            username="tanpasandi",
            role=Role.OPERATOR,
            area_codes=["62.71"],
            email="tanpa@example.go.id",
        )
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/akun/lupa-kata-sandi/", {"email": "tanpa@example.go.id"})
        form_url = client.get(_reset_link())["Location"]
        client.post(
            form_url, {"new_password1": "Sandi-awal-2026", "new_password2": "Sandi-awal-2026"}
        )
        assert User.objects.get(username="tanpasandi").check_password("Sandi-awal-2026")

    def test_the_request_form_checks_the_address_next_to_the_field(self, db):
        html = Client().post("/akun/lupa-kata-sandi/", {"email": "bukan"}).content.decode()
        assert 'id="id_email_error"' in html
