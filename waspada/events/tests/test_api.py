"""/api/v1/events/, /api/v1/items/, /api/v1/terms/: access matrices for every persona (including a
rahasia-cleared analyst and rahasia items), query budgets, conflicts, merges, bad input."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from rest_framework.test import APIClient

from waspada.accounts.testing import make_user
from waspada.core.testing.access import check_access
from waspada.events import services
from waspada.events.models import Event, Item, Term
from waspada.events.tests import fixtures_events as fx
from waspada.events.tests.fixtures_events import payload
from waspada.reports.testing import make_item, make_report

pytestmark = pytest.mark.django_db
report_6271 = fx.report_6271
_counter = itertools.count()

CLEARED = "analyst_62_rahasia"
READ_6271 = {
    "anonymous": 401,
    "operator_6271": 200,
    "operator_6201": 404,
    "analyst_62": 200,
    "analyst_63": 404,
    "leader_62": 200,
    "area_admin_62": 200,
    "national_admin": 200,
    CLEARED: 200,
}
# Every persona is cleared up to terbatas: a rahasia object does not exist for them.
READ_RAHASIA_6271 = {name: 404 for name in READ_6271} | {"anonymous": 401, CLEARED: 200}
EVERYONE = {name: 200 for name in READ_6271} | {"anonymous": 401}
REVIEW_6271 = {
    "anonymous": 401,
    "operator_6271": 403,
    "operator_6201": 404,
    "analyst_62": 200,
    "analyst_63": 404,
    "leader_62": 403,
    "area_admin_62": 403,
    "national_admin": 403,
    CLEARED: 200,
}


@pytest.fixture
def client_for(api_as, personas):
    """The persona clients, plus an analyst of 62 cleared for rahasia."""
    cleared: list[Any] = []

    def make(name: str) -> APIClient:
        if name != CLEARED:
            return api_as(name)
        if not cleared:
            personas("analyst_62")  # the base areas
            cleared.append(make_user(CLEARED, "analyst", ["62"], clearance="rahasia"))
        client = APIClient()
        client.force_authenticate(cleared[0])
        return client

    return make


@pytest.fixture
def stage(personas, report_6271):
    operator = personas("operator_6271")
    plain = services.record_item(report_6271, actor=operator, data=payload())
    secret = make_item(report_6271, title="Rahasia", classification="rahasia")
    return {"plain": plain, "secret": secret, "operator": operator}


def _new_event(report, personas, **fields) -> Event:
    return services.record_item(
        report, actor=personas("operator_6271"), data=payload(**fields)
    ).event


class TestEventsAccess:
    def test_list(self, client_for, stage):
        check_access(client_for, "get", "/api/v1/events/", EVERYONE)

    def test_list_never_shows_or_counts_a_rahasia_event(self, client_for, stage):
        body = client_for("analyst_62").get("/api/v1/events/").json()
        assert body["count"] == 1
        assert [e["id"] for e in body["results"]] == [stage["plain"].event_id]
        cleared = client_for(CLEARED).get("/api/v1/events/").json()
        assert cleared["count"] == 2
        found = client_for("analyst_62").get("/api/v1/events/", {"q": "Rahasia"}).json()
        assert found["count"] == 0

    def test_retrieve(self, client_for, stage):
        check_access(client_for, "get", f"/api/v1/events/{stage['plain'].event_id}/", READ_6271)

    def test_retrieve_rahasia(self, client_for, stage):
        url = f"/api/v1/events/{stage['secret'].event_id}/"
        check_access(client_for, "get", url, READ_RAHASIA_6271)

    def test_duplicates(self, client_for, stage):
        url = f"/api/v1/events/{stage['plain'].event_id}/duplicates/"
        check_access(client_for, "get", url, READ_6271)
        check_access(
            client_for,
            "get",
            f"/api/v1/events/{stage['secret'].event_id}/duplicates/",
            READ_RAHASIA_6271,
        )

    def test_history(self, client_for, stage):
        check_access(
            client_for, "get", f"/api/v1/events/{stage['plain'].event_id}/history/", READ_6271
        )

    def test_status(self, client_for, stage):
        event_id = stage["plain"].event_id

        def body() -> dict[str, Any]:
            event = Event.objects.get(pk=event_id)
            target = "resolved" if event.status == "monitored" else "monitored"
            return {"status": target, "version": event.version}

        check_access(client_for, "post", f"/api/v1/events/{event_id}/status/", REVIEW_6271, body)

    def test_status_of_a_rahasia_event(self, client_for, stage):
        event_id = stage["secret"].event_id

        def body() -> dict[str, Any]:
            event = Event.objects.get(pk=event_id)
            target = "resolved" if event.status == "monitored" else "monitored"
            return {"status": target, "version": event.version}

        expected = READ_RAHASIA_6271 | {CLEARED: 200}
        check_access(client_for, "post", f"/api/v1/events/{event_id}/status/", expected, body)

    def test_merge(self, client_for, personas, report_6271):
        duplicates: list[int] = []

        def url() -> str:
            target = _new_event(report_6271, personas)
            duplicates.append(_new_event(report_6271, personas).pk)
            return f"/api/v1/events/{target.pk}/merge/"

        check_access(client_for, "post", url, REVIEW_6271, lambda: {"duplicate": duplicates[-1]})

    def test_unmerge(self, client_for, personas, report_6271):
        def url() -> str:
            target = _new_event(report_6271, personas)
            duplicate = _new_event(report_6271, personas)
            services.merge_events(target=target, duplicate=duplicate, actor=personas("analyst_62"))
            return f"/api/v1/events/{duplicate.pk}/unmerge/"

        check_access(client_for, "post", url, REVIEW_6271)


class TestItemsAccess:
    def test_list(self, client_for, stage):
        check_access(client_for, "get", "/api/v1/items/", EVERYONE)

    def test_list_never_shows_or_counts_a_rahasia_item(self, client_for, stage):
        analyst = client_for("analyst_62")
        assert analyst.get("/api/v1/items/").json()["count"] == 1
        assert analyst.get("/api/v1/items/", {"q": "Rahasia"}).json()["count"] == 0
        assert analyst.get("/api/v1/items/", {"classification": "rahasia"}).json()["count"] == 0
        cleared = client_for(CLEARED)
        assert cleared.get("/api/v1/items/").json()["count"] == 2
        assert cleared.get("/api/v1/items/", {"q": "Rahasia"}).json()["count"] == 1

    def test_retrieve(self, client_for, stage):
        check_access(client_for, "get", f"/api/v1/items/{stage['plain'].pk}/", READ_6271)

    def test_retrieve_rahasia(self, client_for, stage):
        url = f"/api/v1/items/{stage['secret'].pk}/"
        check_access(client_for, "get", url, READ_RAHASIA_6271)

    def test_history(self, client_for, stage):
        check_access(client_for, "get", f"/api/v1/items/{stage['plain'].pk}/history/", READ_6271)
        url = f"/api/v1/items/{stage['secret'].pk}/history/"
        check_access(client_for, "get", url, READ_RAHASIA_6271)

    def test_patch(self, client_for, stage):
        item_id = stage["plain"].pk

        def body() -> dict[str, Any]:
            item = Item.objects.get(pk=item_id)
            return {"version": item.version, "deaths": item.deaths + 1}

        expected = {
            "anonymous": 401,
            "operator_6271": 200,
            "operator_6201": 404,
            "analyst_62": 200,
            "analyst_63": 404,
            "leader_62": 403,
            "area_admin_62": 200,
            "national_admin": 403,
            CLEARED: 200,
        }
        check_access(client_for, "patch", f"/api/v1/items/{item_id}/", expected, body)

    def test_patch_rahasia(self, client_for, stage):
        item_id = stage["secret"].pk

        def body() -> dict[str, Any]:
            return {"version": Item.objects.get(pk=item_id).version, "deaths": 1}

        expected = READ_RAHASIA_6271 | {CLEARED: 200}
        check_access(client_for, "patch", f"/api/v1/items/{item_id}/", expected, body)

    def test_create_and_delete_are_not_here(self, client_for, stage):
        analyst = client_for("analyst_62")
        assert analyst.post("/api/v1/items/", {}, format="json").status_code == 405
        assert analyst.delete(f"/api/v1/items/{stage['plain'].pk}/").status_code == 405


class TestTermsAccess:
    def test_list_and_retrieve(self, client_for):
        check_access(client_for, "get", "/api/v1/terms/?axis=aspect", EVERYONE)
        term = Term.objects.get(axis="aspect", code="ekonomi")
        check_access(client_for, "get", f"/api/v1/terms/{term.pk}/", EVERYONE)

    def test_create(self, client_for):
        def body() -> dict[str, Any]:
            return {"axis": "aspect", "code": f"baru-{next(_counter)}", "label": "Baru"}

        expected = {name: 403 for name in READ_6271} | {"anonymous": 401, "national_admin": 201}
        check_access(client_for, "post", "/api/v1/terms/", expected, body)

    def test_update(self, client_for):
        term = Term.objects.get(axis="aspect", code="ekonomi")
        expected = {name: 403 for name in READ_6271} | {"anonymous": 401, "national_admin": 200}
        check_access(client_for, "patch", f"/api/v1/terms/{term.pk}/", expected, {"weight": "1.50"})


class TestQueryBudgets:
    def _fill(self, report, personas, n: int) -> None:
        for i in range(n):
            services.record_item(
                report,
                actor=personas("operator_6271"),
                data=payload(
                    title=f"Kejadian {i}",
                    actors=[{"name": "A", "actor_type": "warga"}, {"name": "B"}],
                    election_issues=["hoaks"],
                ),
            )

    def test_the_item_list_costs_the_same_for_3_or_30_items(
        self, api_as, personas, report_6271, django_assert_max_num_queries
    ):
        self._fill(report_6271, personas, 3)
        client = api_as("analyst_62")
        with django_assert_max_num_queries(6):
            assert client.get("/api/v1/items/").json()["count"] == 3
        self._fill(report_6271, personas, 27)
        client = api_as("analyst_62")
        with django_assert_max_num_queries(6):
            body = client.get("/api/v1/items/", {"aspect": "ekonomi", "q": "kejadian"}).json()
        assert body["count"] == 30

    def test_the_event_list_and_detail_cost_the_same_for_3_or_30_items(
        self, api_as, personas, report_6271, django_assert_max_num_queries
    ):
        self._fill(report_6271, personas, 30)
        event_id = Item.objects.first().event_id  # type: ignore[union-attr]
        for _ in range(5):
            services.record_item(
                report_6271, actor=personas("operator_6271"), data=payload(event=event_id)
            )
        client = api_as("analyst_62")
        with django_assert_max_num_queries(4):
            assert client.get("/api/v1/events/").json()["count"] == 30
        with django_assert_max_num_queries(8):
            detail = client.get(f"/api/v1/events/{event_id}/").json()
        assert len(detail["items"]) == 6

    def test_the_term_list_is_one_page_in_few_queries(self, api_as, django_assert_max_num_queries):
        client = api_as("operator_6271")
        with django_assert_max_num_queries(4):
            body = client.get("/api/v1/terms/", {"page_size": 500}).json()
        assert body["count"] == Term.objects.count()


class TestItemCorrections:
    def test_a_stale_edit_is_a_409_with_the_current_version(self, api_as, stage):
        item = stage["plain"]
        client = api_as("operator_6271")
        first = client.patch(
            f"/api/v1/items/{item.pk}/", {"version": 1, "deaths": 1}, format="json"
        )
        assert first.status_code == 200
        assert first.json()["version"] == 2
        second = api_as("analyst_62").patch(
            f"/api/v1/items/{item.pk}/", {"version": 1, "deaths": 7}, format="json"
        )
        assert second.status_code == 409
        assert second.json()["code"] == "conflict"
        assert second.json()["version"] == 2
        assert "diubah oleh pengguna lain" in second.json()["detail"]
        item.refresh_from_db()
        assert item.deaths == 1

    def test_bad_input_answers_400_per_field_and_writes_nothing(self, api_as, stage):
        item = stage["plain"]
        response = api_as("operator_6271").patch(
            f"/api/v1/items/{item.pk}/",
            {"version": 1, "deaths": -1, "aspect": "xx", "warna": "merah", "area": "62.01"},
            format="json",
        )
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert set(errors) == {"deaths", "aspect", "warna", "area"}
        assert response.json()["code"] == "invalid"
        item.refresh_from_db()
        assert item.version == 1 and item.deaths == 0

    def test_a_missing_version_is_a_400(self, api_as, stage):
        response = api_as("operator_6271").patch(
            f"/api/v1/items/{stage['plain'].pk}/", {"deaths": 1}, format="json"
        )
        assert response.status_code == 400
        assert "version" in response.json()["errors"]

    def test_a_submitted_report_cannot_be_corrected(self, api_as, personas):
        report = make_report("62.71", status="submitted", created_by=personas("operator_6271"))
        item = make_item(report)
        response = api_as("operator_6271").patch(
            f"/api/v1/items/{item.pk}/", {"version": 1, "deaths": 1}, format="json"
        )
        assert response.status_code == 409

    def test_the_history_shows_the_correction(self, api_as, stage):
        item = stage["plain"]
        client = api_as("operator_6271")
        client.patch(f"/api/v1/items/{item.pk}/", {"version": 1, "deaths": 2}, format="json")
        history = client.get(f"/api/v1/items/{item.pk}/history/").json()["results"]
        assert [e["action"] for e in history] == ["event.opened", "item.recorded", "item.updated"]
        assert history[-1]["before"]["deaths"] == 0 and history[-1]["after"]["deaths"] == 2


class TestEventsWorkflow:
    def test_merge_and_unmerge_round_trip(self, api_as, personas, report_6271):
        target = _new_event(report_6271, personas, source="Lurah")
        duplicate = _new_event(report_6271, personas, source="Kapolsek")
        analyst = api_as("analyst_62")

        merged = analyst.post(
            f"/api/v1/events/{target.pk}/merge/", {"duplicate": duplicate.pk}, format="json"
        )
        assert merged.status_code == 200
        assert {i["source"] for i in merged.json()["items"]} == {"Lurah", "Kapolsek"}
        assert merged.json()["merged_events"] == [duplicate.pk]
        listed = [e["id"] for e in analyst.get("/api/v1/events/").json()["results"]]
        assert listed == [target.pk]
        hidden = analyst.get(f"/api/v1/events/{duplicate.pk}/").json()
        assert hidden["merged_into"] == target.pk and hidden["items"] == []

        back = analyst.post(f"/api/v1/events/{duplicate.pk}/unmerge/")
        assert back.status_code == 200
        assert [i["source"] for i in back.json()["items"]] == ["Kapolsek"]
        assert back.json()["merged_into"] is None
        again = {e["id"] for e in analyst.get("/api/v1/events/").json()["results"]}
        assert again == {target.pk, duplicate.pk}
        actions = [
            e["action"]
            for e in analyst.get(f"/api/v1/events/{target.pk}/history/").json()["results"]
        ]
        assert actions[-2:] == ["event.merged_in", "event.unmerged_from"]

    def test_merging_an_unknown_or_hidden_duplicate_is_a_400(self, api_as, personas, stage):
        response = api_as("analyst_62").post(
            f"/api/v1/events/{stage['plain'].event_id}/merge/",
            {"duplicate": stage["secret"].event_id},
            format="json",
        )
        assert response.status_code == 400
        assert "duplicate" in response.json()["errors"]

    def test_status_change_with_a_stale_version_is_a_409(self, api_as, stage):
        url = f"/api/v1/events/{stage['plain'].event_id}/status/"
        analyst = api_as("analyst_62")
        ok = analyst.post(url, {"status": "monitored", "version": 1}, format="json")
        assert ok.status_code == 200 and ok.json()["status"] == "monitored"
        stale = analyst.post(url, {"status": "resolved", "version": 1}, format="json")
        assert stale.status_code == 409
        skipped = analyst.post(url, {"status": "open", "version": 2}, format="json")
        assert skipped.status_code == 400
        assert "status" in skipped.json()["errors"]

    def test_duplicates_are_listed_with_their_score(self, api_as, personas, report_6271):
        event = _new_event(report_6271, personas)
        twin = _new_event(report_6271, personas, area="62.71.01")
        body = api_as("analyst_62").get(f"/api/v1/events/{event.pk}/duplicates/").json()
        assert [d["event"]["id"] for d in body] == [twin.pk]
        assert body[0]["score"] >= 0.3

    def test_filters_reject_bad_values_with_a_400(self, api_as, stage):
        response = api_as("analyst_62").get("/api/v1/events/", {"area": "x", "status": "nope"})
        assert response.status_code == 400
        assert set(response.json()["errors"]) == {"area", "status"}
