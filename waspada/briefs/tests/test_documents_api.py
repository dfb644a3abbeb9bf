"""`/api/v1/briefs/` and `/api/v1/brief-subscriptions/`: the access matrix of every endpoint."""

from __future__ import annotations

import pytest

from waspada.briefs.models import Brief, BriefSubscription
from waspada.briefs.services import documents as services
from waspada.briefs.tests import fixtures_documents as fx
from waspada.briefs.tests.fixtures_documents import (
    MONTH,
    cleared,
    monthly,
)
from waspada.core.testing.access import check_access

brief_media = fx.brief_media
march = fx.march

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
COVERS_62 = {"analyst_62", "leader_62", "area_admin_62", "national_admin"}


def matrix(ok: int, allowed, other: int = 404) -> dict[str, int]:
    """401 for anonymous, `ok` for `allowed`, `other` for the rest."""
    return {p: 401 if p == "anonymous" else ok if p in allowed else other for p in ALL}


@pytest.fixture
def own_brief(personas, march, django_capture_on_commit_callbacks):
    return monthly(django_capture_on_commit_callbacks, cleared(personas("analyst_62")))


@pytest.mark.django_db
class TestBriefApi:
    def test_the_list_is_each_readers_own(self, api_as, own_brief, django_assert_max_num_queries):
        check_access(api_as, "get", "/api/v1/briefs/", matrix(200, set(ALL)))
        with django_assert_max_num_queries(8):
            body = api_as("analyst_62").get("/api/v1/briefs/").json()
        assert [row["id"] for row in body["results"]] == [own_brief.pk]
        row = body["results"][0]
        assert (row["state"], row["classification"], row["version"]) == ("done", "rahasia", 1)
        assert row["downloads"]["pdf"].endswith("?format=pdf")
        assert api_as("national_admin").get("/api/v1/briefs/").json()["count"] == 0

    def test_a_reader_of_63_asking_for_62_gets_404(self, api_as, personas, brief_media):
        data = {"kind": "monthly", "area_code": "62", "period_start": "2026-03-01"}
        expected = matrix(202, COVERS_62)
        check_access(api_as, "post", "/api/v1/briefs/", expected, data)
        readers = set(Brief.objects.values_list("built_for__username", flat=True))
        assert readers == COVERS_62
        body = api_as("leader_62").post("/api/v1/briefs/", data, format="json").json()
        assert (body["state"], body["version"], body["period_end"]) == ("queued", 2, "2026-03-31")

    def test_bad_input_is_answered_per_field(self, api_as, personas, brief_media):
        client = api_as("leader_62")
        answer = client.post("/api/v1/briefs/", {"kind": "tahunan"}, format="json")
        assert answer.status_code == 400 and "kind" in answer.json()["errors"]
        answer = client.post("/api/v1/briefs/", {"kind": "monthly"}, format="json")
        assert answer.status_code == 400 and "area_code" in answer.json()["errors"]

    def test_a_laporan_informasi_follows_the_event(self, api_as, personas, march):
        data = {"kind": "informasi", "event_id": march.demo.event_id}
        check_access(
            api_as, "post", "/api/v1/briefs/", matrix(202, {"operator_6271", *COVERS_62}), data
        )
        secret = {"kind": "informasi", "event_id": march.secret.event_id}
        check_access(api_as, "post", "/api/v1/briefs/", matrix(202, set()), secret)

    def test_one_brief_and_its_files_are_the_readers_only(self, api_as, own_brief):
        url = f"/api/v1/briefs/{own_brief.pk}/"
        check_access(api_as, "get", url, matrix(200, {"analyst_62"}))
        body = api_as("analyst_62").get(url).json()
        assert (body["progress"], body["progress_note"]) == (100, "Selesai")
        for fmt, prefix in (("docx", b"PK"), ("pdf", b"%PDF")):
            download = f"{url}download/?format={fmt}"
            check_access(api_as, "get", download, matrix(200, {"analyst_62"}))
            answer = api_as("analyst_62").get(download)
            assert b"".join(answer.streaming_content).startswith(prefix)
            assert f".{fmt}" in answer["Content-Disposition"]
        assert api_as("analyst_62").get(f"{url}download/?format=xls").status_code == 404

    def test_a_queued_brief_has_no_download_yet(self, api_as, personas, brief_media):
        brief = services.request_brief(
            actor=personas("leader_62"), kind="monthly", area_code="62", period_start=MONTH
        )
        client = api_as("leader_62")
        assert client.get(f"/api/v1/briefs/{brief.pk}/").json()["downloads"] is None
        answer = client.get(f"/api/v1/briefs/{brief.pk}/download/?format=pdf")
        assert answer.status_code == 404


@pytest.mark.django_db
class TestBriefSubscriptionApi:
    def test_subscribing_follows_the_scope(self, api_as, personas):
        check_access(api_as, "get", "/api/v1/brief-subscriptions/", matrix(200, set(ALL)))
        data = {"area_code": "62", "kind": "weekly", "channel": "inbox"}
        check_access(api_as, "post", "/api/v1/brief-subscriptions/", matrix(201, COVERS_62), data)
        again = api_as("leader_62").post("/api/v1/brief-subscriptions/", data, format="json")
        assert again.status_code == 409
        mine = api_as("leader_62").get("/api/v1/brief-subscriptions/").json()
        assert [(r["area_code"], r["kind"], r["channel"]) for r in mine["results"]] == [
            ("62", "weekly", "inbox")
        ]

    def test_one_subscription_is_the_subscribers_only(self, api_as, personas):
        subscription = services.subscribe_brief(
            actor=personas("leader_62"), area_code="62", kind="daily", channel="inbox"
        )
        url = f"/api/v1/brief-subscriptions/{subscription.pk}/"
        check_access(api_as, "get", url, matrix(200, {"leader_62"}))
        expected = matrix(204, {"leader_62"})
        check_access(api_as, "delete", url, expected)
        assert not BriefSubscription.objects.get(pk=subscription.pk).active
