"""/api/v1/exports/: access matrices for every endpoint, background builds, owner-only reads and
downloads, 400 with the field's message for bad filters."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from waspada.accounts.testing import make_user
from waspada.briefs.choices import JobState
from waspada.briefs.models import Export
from waspada.briefs.tests import fixtures_exports as fx
from waspada.briefs.tests.fixtures_exports import clear, read_csv, read_xlsx
from waspada.core.testing.access import check_access

stage = fx.stage
media = fx.media

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


def everyone(ok: int) -> dict[str, int]:
    return {p: 401 if p == "anonymous" else ok for p in ALL}


def owner_only(owner: str) -> dict[str, int]:
    order = [p for p in ALL if p != owner] + [owner]
    return {p: 401 if p == "anonymous" else 200 if p == owner else 404 for p in order}


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def built(stage, personas, media, django_capture_on_commit_callbacks):
    """A finished XLSX export of analyst_62 (cleared for rahasia), made through the API."""
    owner = clear(personas("analyst_62"))
    client = APIClient()
    client.force_authenticate(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/exports/", {"format": "xlsx", "filters": {"area": "62"}}, format="json"
        )
    assert response.status_code == 201, response.data
    return Export.objects.get(pk=response.data["id"])


@pytest.mark.django_db
class TestCreate:
    def test_every_persona_that_reads_items_may_export(
        self, api_as, stage, media, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            check_access(
                api_as, "post", "/api/v1/exports/", everyone(201), {"format": "csv", "filters": {}}
            )
        rows = dict(Export.objects.values_list("user__username", "row_count"))
        assert rows == {
            "operator_6271": 2,
            "operator_6201": 0,
            "analyst_62": 2,
            "analyst_63": 1,
            "leader_62": 2,
            "area_admin_62": 2,
            "national_admin": 3,
        }

    def test_a_role_that_may_not_read_items_is_forbidden(self, stage):
        client = APIClient()
        client.force_authenticate(make_user("fkdm_62", "fkdm", ["62"]))
        response = client.post("/api/v1/exports/", {"format": "csv"}, format="json")
        assert response.status_code == 403
        assert client.get("/api/v1/exports/").status_code == 403

    def test_it_answers_201_with_the_export_built_in_the_background(self, built):
        client = APIClient()
        client.force_authenticate(built.user)
        body = client.get(f"/api/v1/exports/{built.pk}/").data
        assert body["state"] == JobState.DONE and body["condition"] == "ready"
        assert body["progress"] == 100 and body["row_count"] == body["total_rows"] == 3
        assert body["filters"] == {"area": "62"}
        assert body["url"] == f"/dokumen/ekspor/{built.pk}/"
        assert body["download_url"] == f"/api/v1/exports/{built.pk}/download/"

    def test_bad_filters_answer_400_with_the_fields_message(self, api_as, stage):
        client = api_as("analyst_63")
        response = client.post(
            "/api/v1/exports/",
            {"format": "csv", "filters": {"area": "62", "occurred_from": "kemarin", "x": "1"}},
            format="json",
        )
        assert response.status_code == 400
        errors = response.data["errors"]
        assert errors["filters.occurred_from"] == ["Tanggal tidak valid (contoh: 2026-03-01)."]
        assert errors["filters.x"] == ["Saringan tidak dikenal."]
        response = client.post(
            "/api/v1/exports/", {"format": "csv", "filters": {"area": "62"}}, format="json"
        )
        assert response.data["errors"] == {"filters.area": ["Wilayah ini di luar cakupan Anda."]}
        response = client.post("/api/v1/exports/", {"format": "pdf"}, format="json")
        assert response.status_code == 400 and "format" in response.data["errors"]
        response = client.post(
            "/api/v1/exports/", {"format": "csv", "filters": {"area": ["62"]}}, format="json"
        )
        assert response.status_code == 400 and "filters.area" in response.data["errors"]
        assert not Export.objects.exists()


@pytest.mark.django_db
class TestRead:
    def test_the_list_answers_everyone_with_their_own_exports_only(
        self, api_as, built, django_assert_max_num_queries
    ):
        check_access(api_as, "get", "/api/v1/exports/", everyone(200))
        for persona in ("national_admin", "leader_62", "analyst_63"):
            assert api_as(persona).get("/api/v1/exports/").data["results"] == []
        client = APIClient()
        client.force_authenticate(built.user)
        with django_assert_max_num_queries(6):
            results = client.get("/api/v1/exports/").data["results"]
        assert [row["id"] for row in results] == [built.pk]

    def test_one_export_is_its_owners_only(self, api_as, built):
        check_access(api_as, "get", f"/api/v1/exports/{built.pk}/", owner_only("analyst_62"))

    def test_the_download_is_its_owners_only(self, api_as, built):
        url = f"/api/v1/exports/{built.pk}/download/"
        check_access(api_as, "get", url, owner_only("analyst_62"))
        client = APIClient()
        client.force_authenticate(built.user)
        response = client.get(url, HTTP_ACCEPT="application/octet-stream")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        (sheet,) = read_xlsx(content(response))
        assert len(sheet) == 4  # the header and the three items of 62, the rahasia one included

    def test_nothing_downloads_before_the_file_is_ready(self, personas, stage):
        export = Export.objects.create(
            user=personas("analyst_62"), format="csv", state=JobState.RUNNING, progress=10
        )
        client = APIClient()
        client.force_authenticate(export.user)
        assert client.get(f"/api/v1/exports/{export.pk}/").data["download_url"] is None
        response = client.get(f"/api/v1/exports/{export.pk}/download/")
        assert response.status_code == 404

    def test_a_csv_download_holds_the_rows(
        self, personas, stage, media, django_capture_on_commit_callbacks
    ):
        client = APIClient()
        client.force_authenticate(personas("leader_62"))
        with django_capture_on_commit_callbacks(execute=True):
            created = client.post(
                "/api/v1/exports/", {"format": "csv", "filters": {"q": "sawit"}}, format="json"
            )
        assert created.data["condition"] == "working"  # answered before the job ran
        detail = client.get(f"/api/v1/exports/{created.data['id']}/").data
        response = client.get(detail["download_url"])
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert [int(r["ID butir"]) for r in read_csv(content(response))] == [stage.plain.pk]
