"""Pages under /peringatan/: access matrix for every page, and what they show."""

from __future__ import annotations

import datetime as dt

import pytest

from waspada.core.testing.access import check_access
from waspada.warnings import subscriptions as services
from waspada.warnings.choices import Channel, DeliveryStatus, RiskLevel
from waspada.warnings.models import Alert, AlertAcknowledgement, AlertComment, Delivery

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
IN_SCOPE_6271 = {"operator_6271", "analyst_62", "leader_62", "area_admin_62", "national_admin"}
ADMINS = {"area_admin_62", "national_admin"}


def matrix(ok: int, *, allowed=IN_SCOPE_6271, other: int = 404, last=None) -> dict[str, int]:
    """302 (to the log-in page) for anonymous, `ok` for `allowed`, `other` for the rest."""
    order = [p for p in ALL if p != last] + ([last] if last else [])
    return {p: 302 if p == "anonymous" else ok if p in allowed else other for p in order}


@pytest.fixture
def alert(db):
    return Alert.objects.create(
        area_id="62.71",
        day=dt.date(2026, 3, 2),
        level=RiskLevel.AWAS,
        previous_level=RiskLevel.SIAGA,
        score=33.0,
        reasons={
            "factors": {
                "severity": 33.0,
                "recent_items": 9,
                "expected_items": 2.0,
                "p_value": 0.0004,
                "escalating": True,
            },
            "top_items": [{"id": 5, "day": "2026-03-01", "severity": 9, "contribution": 8}],
        },
    )


@pytest.mark.django_db
class TestAlertPages:
    def test_the_list_applies_the_access_matrix_and_shows_only_the_scope(self, web_as, alert):
        check_access(web_as, "get", "/peringatan/", matrix(200, allowed=set(ALL)))
        row = f'data-testid="alert-row-{alert.pk}"'
        assert row in web_as("operator_6271").get("/peringatan/").content.decode()
        for persona in ("analyst_63", "operator_6201"):
            assert row not in web_as(persona).get("/peringatan/").content.decode()

    def test_the_list_filters_by_level_area_and_acknowledgement(self, web_as, personas, alert):
        row = f'data-testid="alert-row-{alert.pk}"'
        client = web_as("analyst_62")
        assert row in client.get("/peringatan/?level=3").content.decode()
        assert row not in client.get("/peringatan/?area=62.01").content.decode()
        assert row in client.get("/peringatan/?ack=belum").content.decode()
        services.acknowledge(alert, actor=personas("leader_62"))
        assert row not in client.get("/peringatan/?ack=belum").content.decode()
        assert row in client.get("/peringatan/?ack=ya").content.decode()
        assert client.get("/peringatan/?area=xx").status_code == 400

    def test_the_detail_is_404_outside_the_scope(self, web_as, alert):
        check_access(web_as, "get", f"/peringatan/{alert.pk}/", matrix(200))

    def test_the_detail_explains_in_words_and_links_the_score_explanation(
        self, web_as, personas, alert
    ):
        subscription, _ = services.subscribe(
            actor=personas("leader_62"),
            area_code="62",
            channel=Channel.WEBHOOK,
            webhook_url="https://h.example.test/x",
        )
        Delivery.objects.create(
            alert=alert,
            subscription=subscription,
            channel=Channel.WEBHOOK,
            status=DeliveryStatus.RETRYING,
            attempts=2,
            response_code=503,
            last_error="HTTP 503 sibuk",
        )
        html = web_as("leader_62").get(f"/peringatan/{alert.pk}/").content.decode()
        assert "Kota Palangka Raya naik dari Siaga ke Awas" in html
        assert "9 kejadian dalam periode terakhir" in html
        assert "tanda eskalasi" in html
        assert 'href="/dasbor/wilayah/62.71/?tanggal=2026-03-02"' in html
        assert "HTTP 503 sibuk" in html and "Dicoba lagi" in html
        # Someone who is not the subscriber and no admin does not see that delivery.
        other = web_as("analyst_62").get(f"/peringatan/{alert.pk}/").content.decode()
        assert "HTTP 503 sibuk" not in other

    def test_acknowledging_applies_the_matrix(self, web_as, alert):
        check_access(web_as, "post", f"/peringatan/{alert.pk}/terima/", matrix(302))
        assert AlertAcknowledgement.objects.count() == len(IN_SCOPE_6271)
        html = web_as("leader_62").get(f"/peringatan/{alert.pk}/").content.decode()
        assert 'data-testid="acked"' in html

    def test_acknowledging_with_htmx_returns_the_block(self, web_as, alert):
        response = web_as("leader_62").post(
            f"/peringatan/{alert.pk}/terima/", HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="acks"' in html and 'data-testid="acked"' in html
        assert "<html" not in html

    def test_commenting_applies_the_matrix(self, form_as, alert):
        check_access(
            form_as,
            "post",
            f"/peringatan/{alert.pk}/komentar/",
            matrix(302),
            {"body": "Tim sudah ke lokasi."},
        )
        assert AlertComment.objects.count() == len(IN_SCOPE_6271)

    def test_commenting_with_htmx_returns_the_comments_and_empty_is_refused(self, web_as, alert):
        client = web_as("operator_6271")
        url = f"/peringatan/{alert.pk}/komentar/"
        response = client.post(url, {"body": "Situasi kondusif."}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert "Situasi kondusif." in response.content.decode()
        empty = client.post(url, {"body": "  "}, HTTP_HX_REQUEST="true")
        assert 'data-testid="error-body"' in empty.content.decode()
        assert client.post(url, {"body": ""}).status_code == 400
        assert AlertComment.objects.count() == 1


@pytest.mark.django_db
class TestSubscriptionPages:
    def test_the_page_applies_the_access_matrix(self, web_as):
        check_access(web_as, "get", "/peringatan/langganan/", matrix(200, allowed=set(ALL)))

    def test_creating_applies_the_matrix_and_refuses_areas_outside_the_scope(self, web_as, form_as):
        check_access(
            form_as,
            "post",
            "/peringatan/langganan/",
            matrix(302, other=400),
            {"area": "62.71", "min_level": "1", "channel": "inbox", "digest": "immediate"},
        )
        html = web_as("analyst_63").post(
            "/peringatan/langganan/",
            {"area": "62.71", "min_level": "1", "channel": "inbox", "digest": "immediate"},
        )
        assert "di luar cakupan" in html.content.decode()
        page = web_as("leader_62").get("/peringatan/langganan/").content.decode()
        assert "Kota Palangka Raya (62.71)" in page

    def test_a_webhook_secret_is_shown_once(self, web_as, personas):
        client = web_as("leader_62")
        response = client.post(
            "/peringatan/langganan/",
            {
                "area": "62",
                "min_level": "2",
                "channel": "webhook",
                "digest": "immediate",
                "webhook_url": "https://hooks.example.test/w",
            },
        )
        assert response.status_code == 201
        secret = personas("leader_62").alert_subscriptions.get().webhook_secret
        assert secret in response.content.decode()
        assert secret not in client.get("/peringatan/langganan/").content.decode()
        bad = client.post(
            "/peringatan/langganan/",
            {
                "area": "62",
                "min_level": "2",
                "channel": "webhook",
                "digest": "immediate",
                "webhook_url": "ftp://x.example.test/",
            },
        )
        assert bad.status_code == 400
        assert 'data-testid="error-webhook_url"' in bad.content.decode()

    def test_stopping_applies_the_matrix(self, web_as, personas):
        subscription, _ = services.subscribe(
            actor=personas("leader_62"), area_code="62", channel=Channel.INBOX
        )
        check_access(
            web_as,
            "post",
            f"/peringatan/langganan/{subscription.pk}/hapus/",
            matrix(302, allowed={"leader_62"}, last="leader_62"),
        )
        subscription.refresh_from_db()
        assert not subscription.active


@pytest.mark.django_db
class TestDeliveryAndUnsubscribePages:
    def test_the_delivery_page_is_for_admins(self, web_as, personas, alert):
        subscription, _ = services.subscribe(
            actor=personas("leader_62"), area_code="62", channel=Channel.INBOX
        )
        Delivery.objects.create(
            alert=alert,
            subscription=subscription,
            channel=Channel.INBOX,
            status=DeliveryStatus.FAILED,
            attempts=8,
            last_error="gagal terus",
        )
        check_access(
            web_as, "get", "/peringatan/pengiriman/", matrix(200, allowed=ADMINS, other=403)
        )
        html = web_as("area_admin_62").get("/peringatan/pengiriman/?status=failed")
        assert "gagal terus" in html.content.decode()
        national = web_as("national_admin").get("/peringatan/pengiriman/?status=sent")
        assert "gagal terus" not in national.content.decode()

    def test_the_unsubscribe_link_needs_no_login_and_an_unknown_token_is_404(
        self, web_as, personas
    ):
        subscription, _ = services.subscribe(
            actor=personas("leader_62"), area_code="62", channel=Channel.EMAIL
        )
        url = f"/peringatan/berhenti/{subscription.unsubscribe_token}/"
        check_access(web_as, "get", url, {p: 200 for p in ALL})
        check_access(web_as, "get", "/peringatan/berhenti/salah/", {p: 404 for p in ALL})
        subscription.refresh_from_db()
        assert subscription.active
        response = web_as("anonymous").post(url)
        assert response.status_code == 200
        subscription.refresh_from_db()
        assert not subscription.active
