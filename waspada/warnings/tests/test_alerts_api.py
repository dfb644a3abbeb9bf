"""/api/v1/alerts/, /api/v1/subscriptions/, /api/v1/deliveries/: access matrix and contents."""

from __future__ import annotations

import datetime as dt

import pytest

from waspada.core.testing.access import check_access
from waspada.warnings import subscriptions as services
from waspada.warnings.choices import Channel, DeliveryStatus, RiskLevel
from waspada.warnings.models import Alert, AlertComment, Delivery

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


def matrix(ok: int, *, allowed=IN_SCOPE_6271, last: str | None = None) -> dict[str, int]:
    """401 for anonymous, `ok` for `allowed`, 404 for the rest; `last` is asked last."""
    order = [p for p in ALL if p != last] + ([last] if last else [])
    return {p: 401 if p == "anonymous" else ok if p in allowed else 404 for p in order}


def make_alert(area="62.71", level=RiskLevel.SIAGA, **kw):
    return Alert.objects.create(
        area_id=area,
        day=kw.pop("day", dt.date(2026, 3, 2)),
        level=level,
        previous_level=kw.pop("previous", RiskLevel.WASPADA),
        score=13.0,
        reasons={"factors": {"severity": 13.0}},
        **kw,
    )


@pytest.fixture
def alert(db):
    return make_alert()


@pytest.mark.django_db
class TestAlertsApi:
    def test_the_list_applies_the_access_matrix_and_the_scope(self, api_as, alert):
        check_access(api_as, "get", "/api/v1/alerts/", matrix(200, allowed=set(ALL)))
        make_alert("63.71")
        ids = {
            name: [row["area_code"] for row in api_as(name).get("/api/v1/alerts/").data["results"]]
            for name in ("analyst_63", "operator_6201", "operator_6271", "national_admin")
        }
        assert ids == {
            "analyst_63": ["63.71"],
            "operator_6201": [],
            "operator_6271": ["62.71"],
            "national_admin": ["63.71", "62.71"],
        }

    def test_the_detail_is_404_outside_the_scope(self, api_as, alert):
        check_access(api_as, "get", f"/api/v1/alerts/{alert.pk}/", matrix(200))
        body = api_as("leader_62").get(f"/api/v1/alerts/{alert.pk}/").data
        assert body["level_slug"] == "siaga"
        assert body["previous_level_slug"] == "waspada"
        assert body["area_name"] == "Kota Palangka Raya"
        assert body["url"] == f"/peringatan/{alert.pk}/"
        assert any("keparahan" in line for line in body["reasons_text"])

    def test_acknowledge_applies_the_matrix_and_is_idempotent(self, api_as, alert):
        check_access(api_as, "post", f"/api/v1/alerts/{alert.pk}/acknowledge/", matrix(200))
        assert alert.acknowledgements.count() == len(IN_SCOPE_6271)
        client = api_as("leader_62")
        client.post(f"/api/v1/alerts/{alert.pk}/acknowledge/")
        assert alert.acknowledgements.count() == len(IN_SCOPE_6271)
        body = client.get(f"/api/v1/alerts/{alert.pk}/").data
        assert body["acknowledged_by_me"] is True
        assert body["ack_count"] == len(IN_SCOPE_6271)
        unacked = api_as("leader_62").get("/api/v1/alerts/?acknowledged=false").data
        assert unacked["count"] == 0

    def test_comments_apply_the_matrix(self, api_as, alert):
        url = f"/api/v1/alerts/{alert.pk}/comments/"
        check_access(api_as, "get", url, matrix(200))
        check_access(api_as, "post", url, matrix(201), {"body": "Sudah dicek di lapangan."})
        assert AlertComment.objects.count() == len(IN_SCOPE_6271)
        rows = api_as("analyst_62").get(url).data
        assert len(rows) == len(IN_SCOPE_6271)
        bad = api_as("analyst_62").post(url, {"body": "  "}, format="json")
        assert bad.status_code == 400

    def test_the_list_filters_by_level_and_area(self, api_as, alert):
        make_alert("62.01", level=RiskLevel.AWAS, previous=RiskLevel.SIAGA)
        client = api_as("analyst_62")
        awas = client.get("/api/v1/alerts/?level=3").data["results"]
        assert [row["area_code"] for row in awas] == ["62.01"]
        city = client.get("/api/v1/alerts/?area=62.71").data["results"]
        assert [row["area_code"] for row in city] == ["62.71"]

    def test_the_list_has_a_query_budget(self, api_as, django_assert_max_num_queries):
        for n in range(20):
            make_alert("62.71", day=dt.date(2026, 1, 1) + dt.timedelta(days=n))
        client = api_as("national_admin")
        client.get("/api/v1/alerts/")  # warm the session and the user
        with django_assert_max_num_queries(6):
            response = client.get("/api/v1/alerts/")
        assert response.data["count"] == 20


@pytest.mark.django_db
class TestSubscriptionsApi:
    def test_create_applies_the_matrix(self, api_as):
        check_access(
            api_as,
            "post",
            "/api/v1/subscriptions/",
            matrix(201),
            {"area_code": "62.71", "channel": "inbox", "min_level": 2},
        )

    def test_the_webhook_secret_is_only_in_the_create_answer(self, api_as):
        client = api_as("leader_62")
        created = client.post(
            "/api/v1/subscriptions/",
            {"area_code": "62", "channel": "webhook", "webhook_url": "https://h.example.test/x"},
            format="json",
        )
        assert created.status_code == 201
        secret = created.data["webhook_secret"]
        assert len(secret) == 64
        listed = client.get("/api/v1/subscriptions/")
        assert secret not in listed.content.decode()
        assert "webhook_secret" not in listed.data["results"][0]
        one = client.get(f"/api/v1/subscriptions/{created.data['id']}/")
        assert "webhook_secret" not in one.data
        bad = client.post(
            "/api/v1/subscriptions/",
            {"area_code": "62", "channel": "webhook", "webhook_url": "ftp://h.example.test/x"},
            format="json",
        )
        assert bad.status_code == 400
        assert "webhook_url" in bad.data["errors"]
        again = client.post(
            "/api/v1/subscriptions/",
            {"area_code": "62", "channel": "webhook", "webhook_url": "https://h.example.test/x"},
            format="json",
        )
        assert again.status_code == 409

    def test_list_retrieve_update_delete_only_ones_own(self, api_as, personas):
        subscription, _ = services.subscribe(
            actor=personas("leader_62"), area_code="62", channel=Channel.INBOX
        )
        url = f"/api/v1/subscriptions/{subscription.pk}/"
        own = {"leader_62"}
        check_access(api_as, "get", "/api/v1/subscriptions/", matrix(200, allowed=set(ALL)))
        assert api_as("analyst_62").get("/api/v1/subscriptions/").data["count"] == 0
        check_access(api_as, "get", url, matrix(200, allowed=own))
        check_access(api_as, "patch", url, matrix(200, allowed=own), {"min_level": 3})
        subscription.refresh_from_db()
        assert subscription.min_level == RiskLevel.AWAS
        check_access(api_as, "delete", url, matrix(204, allowed=own, last="leader_62"))
        subscription.refresh_from_db()
        assert not subscription.active


@pytest.mark.django_db
class TestDeliveriesApi:
    def test_own_deliveries_and_admins_see_their_scope(self, api_as, personas, alert):
        subscription, _ = services.subscribe(
            actor=personas("leader_62"), area_code="62", channel=Channel.INBOX
        )
        row = Delivery.objects.create(
            alert=alert,
            subscription=subscription,
            channel=Channel.INBOX,
            status=DeliveryStatus.FAILED,
            attempts=8,
            last_error="HTTP 500",
        )
        check_access(api_as, "get", "/api/v1/deliveries/", matrix(200, allowed=set(ALL)))
        check_access(
            api_as,
            "get",
            f"/api/v1/deliveries/{row.pk}/",
            matrix(200, allowed={"leader_62", "area_admin_62", "national_admin"}),
        )
        seen = {
            name: api_as(name).get("/api/v1/deliveries/").data["count"]
            for name in ("leader_62", "area_admin_62", "analyst_62", "operator_6271")
        }
        assert seen == {"leader_62": 1, "area_admin_62": 1, "analyst_62": 0, "operator_6271": 0}
        body = api_as("area_admin_62").get("/api/v1/deliveries/?status=failed").data
        assert body["results"][0]["last_error"] == "HTTP 500"
