"""`/api/v1/directives/` and `/api/v1/directive-assignments/{id}/follow-ups/`: the access matrix
of every endpoint, idempotent creates, versions, files, and the list's query budget."""

from __future__ import annotations

import datetime as dt

import pytest

from waspada.core.testing.access import check_access
from waspada.response.models import Directive, DirectiveAssignment, Evidence, FollowUp
from waspada.response.tests.factories_directives import (
    ALL,
    IN_SCOPE_6271,
    disguised_upload,
    issue,
    jpeg_upload,
    local_today,
    make_alert,
    make_event,
    palangka,
)

DIRECTORS = {"analyst_62", "leader_62"}
ACTORS_FOR_POLRES = {"operator_6271", "analyst_62", "area_admin_62"}


def matrix(ok: int, *, allowed=IN_SCOPE_6271, forbidden=(), other: int = 404):
    """401 for anonymous, `ok` for `allowed`, 403 for `forbidden`, `other` for the rest."""
    return {
        p: 401 if p == "anonymous" else ok if p in allowed else 403 if p in forbidden else other
        for p in ALL
    }


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def org(personas):
    return palangka(personas)


@pytest.fixture
def directive(personas, org):
    return issue(personas("leader_62"), [org.polres, org.kecamatan])


def _assignment(directive, agency):
    return DirectiveAssignment.objects.get(directive=directive, agency=agency)


def _payload(org, **extra):
    return {
        "area": "62.71",
        "title": "Amankan lokasi unjuk rasa",
        "instruction": "Siagakan personel dan fasilitasi dialog.",
        "due_date": (local_today() + dt.timedelta(days=3)).isoformat(),
        "priority": "high",
        "agencies": [org.polres.pk, org.kecamatan.pk],
        **extra,
    }


@pytest.mark.django_db
class TestAccess:
    def test_the_list_is_for_every_signed_in_user_and_shows_only_what_they_may_see(
        self, api_as, directive
    ):
        check_access(api_as, "get", "/api/v1/directives/", matrix(200, allowed=set(ALL)))
        for persona in ALL[1:]:
            body = api_as(persona).get("/api/v1/directives/").json()
            assert body["count"] == (1 if persona in IN_SCOPE_6271 else 0), persona

    def test_one_directive_is_for_its_area_and_its_agencies(self, api_as, directive):
        check_access(api_as, "get", f"/api/v1/directives/{directive.pk}/", matrix(200))

    def test_creating_is_for_directors_of_the_area(self, api_as, org):
        expected = matrix(
            201,
            allowed=DIRECTORS,
            forbidden={"operator_6271", "area_admin_62", "national_admin"},
        )
        check_access(api_as, "post", "/api/v1/directives/", expected, _payload(org))
        assert Directive.objects.count() == 2

    def test_creating_on_an_alert_or_event_follows_their_visibility(self, api_as, org):
        alert = make_alert("62.71")
        expected = matrix(
            201,
            allowed=DIRECTORS,
            forbidden={"operator_6271", "area_admin_62", "national_admin"},
        )
        body = _payload(org, alert=alert.pk)
        del body["area"]
        check_access(api_as, "post", "/api/v1/directives/", expected, body)
        secret = make_event("62.71", classification="rahasia")
        body = _payload(org, event=secret.pk)
        del body["area"]
        response = api_as("leader_62").post("/api/v1/directives/", body, format="json")
        assert response.status_code == 404

    def test_changing_is_for_directors_of_the_area(self, api_as, personas, org):
        leader = personas("leader_62")

        def fresh():
            return f"/api/v1/directives/{issue(leader, [org.polres]).pk}/"

        expected = matrix(
            200,
            allowed=DIRECTORS,
            forbidden={"operator_6271", "area_admin_62", "national_admin"},
        )
        check_access(api_as, "patch", fresh, expected, {"version": 1, "priority": "urgent"})

    def test_cancelling_is_for_directors_of_the_area(self, api_as, personas, org):
        leader = personas("leader_62")

        def fresh():
            return f"/api/v1/directives/{issue(leader, [org.polres]).pk}/cancel/"

        expected = matrix(
            200,
            allowed=DIRECTORS,
            forbidden={"operator_6271", "area_admin_62", "national_admin"},
        )
        check_access(api_as, "post", fresh, expected, {"version": 1, "reason": "Kondusif."})

    def test_adding_agencies_is_for_directors_of_the_area(self, api_as, personas, org):
        leader = personas("leader_62")

        def fresh():
            return f"/api/v1/directives/{issue(leader, [org.polres]).pk}/agencies/"

        expected = matrix(
            200,
            allowed=DIRECTORS,
            forbidden={"operator_6271", "area_admin_62", "national_admin"},
        )
        check_access(api_as, "post", fresh, expected, {"version": 1, "agencies": [org.dinsos.pk]})

    def test_follow_ups_are_read_by_the_area_and_the_agency(self, api_as, org, directive):
        url = f"/api/v1/directive-assignments/{_assignment(directive, org.polres).pk}/follow-ups/"
        check_access(api_as, "get", url, matrix(200))

    def test_follow_ups_are_recorded_by_the_members_and_the_coordinators(
        self, api_as, personas, org
    ):
        leader = personas("leader_62")

        def fresh():
            directive = issue(leader, [org.polres, org.kecamatan])
            pk = _assignment(directive, org.polres).pk
            return f"/api/v1/directive-assignments/{pk}/follow-ups/"

        expected = matrix(
            201,
            allowed=ACTORS_FOR_POLRES,
            forbidden={"leader_62", "national_admin"},
        )
        data = {"version": 1, "status": "in_progress", "progress": 25, "note": "Patroli."}
        check_access(api_as, "post", fresh, expected, data)

    def test_the_camat_reads_and_acts_for_the_kecamatan_only(self, org, directive):
        from rest_framework.test import APIClient

        client = APIClient()
        client.force_authenticate(org.camat)
        assert client.get(f"/api/v1/directives/{directive.pk}/").status_code == 200
        mine = _assignment(directive, org.kecamatan).pk
        other = _assignment(directive, org.polres).pk
        url = "/api/v1/directive-assignments/{}/follow-ups/"
        data = {"version": 1, "status": "in_progress", "note": "Dialog dijadwalkan."}
        assert client.post(url.format(mine), data, format="json").status_code == 201
        assert client.post(url.format(other), data, format="json").status_code == 404
        assert client.get(url.format(other)).status_code == 404


@pytest.mark.django_db
class TestBehaviour:
    def test_a_retried_create_with_the_same_key_lands_once(self, api_as, org):
        client = api_as("leader_62")
        body = _payload(org)
        first = client.post("/api/v1/directives/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
        again = client.post("/api/v1/directives/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
        assert first.status_code == again.status_code == 201
        assert again["Idempotent-Replayed"] == "true"
        assert first.json() == again.json()
        assert Directive.objects.count() == 1
        other = client.post(
            "/api/v1/directives/",
            {**body, "title": "Lain"},
            format="json",
            HTTP_IDEMPOTENCY_KEY="k-1",
        )
        assert other.status_code == 422

    def test_the_created_directive_shows_its_agencies_and_what_the_caller_may_do(self, api_as, org):
        body = api_as("analyst_62").post("/api/v1/directives/", _payload(org), format="json")
        data = body.json()
        assert data["reference"].startswith("ARH-") and data["status"] == "open"
        assert data["overdue"] is False and data["can_direct"] is True
        assert [a["agency"]["name"] for a in data["assignments"]] == [
            "Polres Palangka Raya",
            "Kecamatan Pahandut",
        ]
        # Analysts coordinate in their area: they may record for both agencies.
        assert len(data["actionable_assignments"]) == 2

    def test_bad_input_is_answered_per_field(self, api_as, org):
        client = api_as("leader_62")
        past = (local_today() - dt.timedelta(days=1)).isoformat()
        response = client.post("/api/v1/directives/", _payload(org, due_date=past), format="json")
        assert response.status_code == 400 and "due_date" in response.json()["errors"]
        response = client.post("/api/v1/directives/", _payload(org, agencies=[]), format="json")
        assert response.status_code == 400 and "agencies" in response.json()["errors"]
        body = _payload(org)
        del body["area"]
        response = client.post("/api/v1/directives/", body, format="json")
        assert response.status_code == 400 and "area" in response.json()["errors"]

    def test_a_stale_version_is_answered_409_with_the_current_version(self, api_as, directive):
        client = api_as("leader_62")
        url = f"/api/v1/directives/{directive.pk}/"
        assert client.patch(url, {"version": 1, "title": "Baru"}, format="json").status_code == 200
        stale = client.patch(url, {"version": 1, "title": "Lagi"}, format="json")
        assert stale.status_code == 409
        assert stale.json()["version"] == 2 and stale.json()["code"] == "conflict"

    def test_a_follow_up_with_a_photo_and_a_disguised_file(self, api_as, org, directive):
        client = api_as("operator_6271")
        url = f"/api/v1/directive-assignments/{_assignment(directive, org.polres).pk}/follow-ups/"
        refused = client.post(
            url,
            {"version": 1, "status": "in_progress", "note": "Foto.", "files": [disguised_upload()]},
            format="multipart",
        )
        assert refused.status_code == 400
        assert not FollowUp.objects.exists()
        response = client.post(
            url,
            {
                "version": 1,
                "status": "in_progress",
                "progress": 40,
                "note": "Personel di lokasi.",
                "files": [jpeg_upload()],
            },
            format="multipart",
        )
        assert response.status_code == 201
        data = response.json()
        evidence = Evidence.objects.get()
        assert data["evidence"][0]["url"] == f"/respons/bukti/{evidence.pk}/"
        assert data["assignment_state"]["status"] == "in_progress"
        assert data["assignment_state"]["version"] == 2
        assert data["directive_status"] == "open"
        listed = client.get(url).json()
        assert listed["count"] == 1 and listed["results"][0]["note"] == "Personel di lokasi."

        stale = client.post(url, {"version": 1, "status": "done", "note": "x"}, format="json")
        assert stale.status_code == 409 and stale.json()["version"] == 2

    def test_the_list_filters(self, api_as, personas, org, directive):
        issue(personas("leader_62"), [org.dinsos], title="Bantuan logistik", priority="low")
        client = api_as("leader_62")
        assert client.get("/api/v1/directives/?priority=low").json()["count"] == 1
        assert client.get(f"/api/v1/directives/?agency={org.polres.pk}").json()["count"] == 1
        assert client.get("/api/v1/directives/?overdue=true").json()["count"] == 0
        assert client.get("/api/v1/directives/?q=logistik").json()["count"] == 1
        assert client.get("/api/v1/directives/?area=62.01").json()["count"] == 0
        bad = client.get("/api/v1/directives/?status=lost")
        assert bad.status_code == 400 and "status" in bad.json()["errors"]

    def test_the_list_stays_within_its_query_budget(
        self, api_as, personas, org, django_assert_max_num_queries
    ):
        leader = personas("leader_62")
        for n in range(12):
            issue(leader, [org.polres, org.kecamatan, org.dinsos], title=f"Arahan {n}")
        client = api_as("operator_6271")
        with django_assert_max_num_queries(6):
            response = client.get("/api/v1/directives/?status=open")
        assert response.json()["count"] == 12
