"""The inbox: notify (in-app and e-mail after commit), read marks, inbox page, API, nav badge."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import RequestFactory

from waspada.accounts.context_processors import nav
from waspada.core.errors import InvalidInput, OutOfScope
from waspada.core.models import Job
from waspada.core.testing.access import check_access
from waspada.notifications import services
from waspada.notifications.models import Notification
from waspada.notifications.selectors import unread_count

ALL = [
    "anonymous",
    "operator_6271",
    "operator_6201",
    "analyst_62",
    "analyst_63",
    "leader_62",
    "area_admin_62",
    "national_admin",
]


def _notify(users, **extra):
    fields: dict = {
        "kind": "general",
        "title": "Laporan dikembalikan",
        "body": "Perbaiki kronologi.",
    }
    fields.update(extra)
    return services.notify(users, **fields)


@pytest.mark.django_db
class TestNotify:
    def test_it_writes_the_inbox_and_emails_after_commit(
        self, personas, django_capture_on_commit_callbacks
    ):
        operator = personas("operator_6271")
        with django_capture_on_commit_callbacks(execute=True):
            created = _notify(operator, url="/laporan/7/", area_code="62.71")
        assert [n.user for n in created] == [operator]
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == [operator.email]
        assert "Laporan dikembalikan" in message.subject
        assert "/laporan/7/" in message.body
        assert Notification.objects.get().emailed_at is not None
        assert Job.objects.get(name="notifications.send_emails").status == "succeeded"

    def test_it_sends_nothing_when_the_transaction_rolls_back(
        self, personas, django_capture_on_commit_callbacks
    ):
        operator = personas("operator_6271")
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            _notify(operator)
        assert len(callbacks) == 1  # the e-mail waits for the commit
        assert mail.outbox == []

    def test_it_skips_email_when_asked_or_without_an_address(
        self, personas, django_capture_on_commit_callbacks
    ):
        operator, analyst = personas("operator_6271"), personas("analyst_62")
        analyst.email = ""
        analyst.save(update_fields=["email"])
        with django_capture_on_commit_callbacks(execute=True):
            _notify([operator], email=False)
            _notify([analyst])
        assert mail.outbox == []
        assert Notification.objects.count() == 2

    def test_a_key_makes_it_land_once_per_user(self, personas, django_capture_on_commit_callbacks):
        operators = [personas("operator_6271"), personas("operator_6201")]
        with django_capture_on_commit_callbacks(execute=True):
            first = _notify(operators, key="daily-reminder:62.71:2026-03-02")
            again = _notify(operators, key="daily-reminder:62.71:2026-03-02")
        assert len(first) == 2
        assert again == []
        assert Notification.objects.count() == 2
        assert len(mail.outbox) == 2

    def test_it_skips_inactive_users_and_duplicates(self, personas):
        operator, analyst = personas("operator_6271"), personas("analyst_62")
        analyst.is_active = False
        analyst.save(update_fields=["is_active"])
        created = _notify([operator, operator, analyst], email=False)
        assert [n.user_id for n in created] == [operator.pk]

    @pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/x", "laporan/1/"])
    def test_it_refuses_links_outside_the_site(self, personas, url):
        with pytest.raises(InvalidInput):
            _notify(personas("operator_6271"), url=url)
        assert not Notification.objects.exists()

    def test_it_refuses_an_empty_title(self, personas):
        with pytest.raises(InvalidInput):
            _notify(personas("operator_6271"), title="  ")

    def test_mark_read_only_touches_the_owners_notification(self, personas):
        operator, other = personas("operator_6271"), personas("operator_6201")
        (note,) = _notify(operator, email=False)
        with pytest.raises(OutOfScope):
            services.mark_read(note, actor=other)
        assert unread_count(operator) == 1
        services.mark_read(note, actor=operator)
        services.mark_read(note, actor=operator)  # again is harmless
        assert unread_count(operator) == 0
        _notify(operator, email=False)
        _notify(operator, email=False)
        assert services.mark_all_read(actor=operator) == 2
        assert unread_count(operator) == 0


@pytest.fixture
def inbox(personas):
    """One notification for each of two users; returns {persona: notification}."""
    return {
        name: services.notify(
            personas(name), kind="general", title=f"Untuk {name}", url="/laporan/9/", email=False
        )[0]
        for name in ("operator_6271", "analyst_62")
    }


@pytest.mark.django_db
class TestInboxPage:
    def test_it_applies_the_access_matrix(self, web_as):
        check_access(
            web_as, "get", "/notifikasi/", {p: 302 if p == "anonymous" else 200 for p in ALL}
        )

    def test_it_lists_only_the_users_own_notifications_with_the_unread_count(self, web_as, inbox):
        html = web_as("operator_6271").get("/notifikasi/").content.decode()
        assert "Untuk operator_6271" in html
        assert "Untuk analyst_62" not in html
        assert "1 notifikasi belum dibaca" in html

    def test_marking_read_follows_the_link_and_someone_elses_is_404(self, web_as, inbox):
        own, theirs = inbox["operator_6271"], inbox["analyst_62"]
        check_access(
            web_as,
            "post",
            f"/notifikasi/{own.pk}/baca/",
            {p: {"anonymous": 302, "operator_6271": 302}.get(p, 404) for p in ALL},
        )
        response = web_as("operator_6271").post(f"/notifikasi/{own.pk}/baca/")
        assert response["Location"] == "/laporan/9/"
        own.refresh_from_db()
        theirs.refresh_from_db()
        assert own.read_at is not None
        assert theirs.read_at is None

    def test_mark_all_read_and_the_unread_filter(self, web_as, inbox):
        client = web_as("analyst_62")
        assert "Untuk analyst_62" in client.get("/notifikasi/?belum=1").content.decode()
        assert client.post("/notifikasi/baca-semua/").status_code == 302
        html = client.get("/notifikasi/?belum=1").content.decode()
        assert "Belum ada notifikasi" in html
        assert client.get("/notifikasi/baca-semua/").status_code == 405
        check_access(
            web_as,
            "post",
            "/notifikasi/baca-semua/",
            {p: 302 for p in ALL},  # anonymous to the login page, the rest back to the inbox
        )
        assert not Notification.objects.filter(read_at__isnull=True).exists()


@pytest.mark.django_db
class TestNotificationApi:
    def test_the_list_applies_the_access_matrix(self, api_as, inbox):
        check_access(
            api_as,
            "get",
            "/api/v1/notifications/",
            {p: 401 if p == "anonymous" else 200 for p in ALL},
        )

    def test_the_list_holds_only_the_callers_own(self, api_as, inbox):
        body = api_as("operator_6271").get("/api/v1/notifications/").json()
        assert [row["title"] for row in body["results"]] == ["Untuk operator_6271"]
        assert api_as("leader_62").get("/api/v1/notifications/").json()["count"] == 0

    def test_detail_and_read_answer_404_for_someone_elses(self, api_as, inbox):
        own = inbox["operator_6271"]
        expected = {p: {"anonymous": 401, "operator_6271": 200}.get(p, 404) for p in ALL}
        check_access(api_as, "get", f"/api/v1/notifications/{own.pk}/", expected)
        check_access(api_as, "post", f"/api/v1/notifications/{own.pk}/read/", expected)
        own.refresh_from_db()
        assert own.read_at is not None

    def test_unread_count_and_read_all(self, api_as, inbox):
        client = api_as("analyst_62")
        assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 1}
        assert client.get("/api/v1/notifications/?unread=true").json()["count"] == 1
        assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
        assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 0}
        check_access(
            api_as,
            "get",
            "/api/v1/notifications/unread-count/",
            {p: 401 if p == "anonymous" else 200 for p in ALL},
        )
        check_access(
            api_as,
            "post",
            "/api/v1/notifications/read-all/",
            {p: 401 if p == "anonymous" else 200 for p in ALL},
        )


@pytest.mark.django_db
class TestNavigationBadge:
    def _work(self, user):
        request = RequestFactory().get("/")
        request.user = user
        return {str(item["label"]): item["count"] for item in nav(request)["nav_work"]}

    def test_it_counts_unread_notifications_in_one_query(
        self, personas, inbox, django_assert_num_queries
    ):
        leader = personas("leader_62")
        services.notify(leader, kind="general", title="Halo", email=False)
        with django_assert_num_queries(1):
            assert self._work(leader) == {"Notifikasi": 1}

    def test_the_badge_appears_in_the_page(self, web_as, inbox):
        html = web_as("operator_6271").get("/notifikasi/").content.decode()
        assert 'href="/notifikasi/">Notifikasi <span class="badge nav-count">1</span>' in html
