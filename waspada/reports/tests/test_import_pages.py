"""The import page (/laporan/impor/) and API (POST /api/v1/reports/import/), for every persona."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from waspada.core.models import AuditEntry
from waspada.core.testing.access import check_access
from waspada.events.models import Item
from waspada.reports.models import SituationReport
from waspada.reports.services import local_today
from waspada.reports.tests.test_import import csv_file, row

pytestmark = pytest.mark.django_db

URL = "/laporan/impor/"
API = "/api/v1/reports/import/"


def palangka_raya_file(**values) -> bytes:
    return csv_file([row(**values), row(judul="Kedua", **values)])


def upload(data: bytes, name: str = "impor.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


class TestImportPage:
    def test_it_previews_then_imports_the_file_once(self, web_as):
        client = web_as("operator_6271")
        page = client.get(URL)
        assert page.status_code == 200
        assert b"templat.xlsx" in page.content
        preview = client.post(URL, {"file": upload(palangka_raya_file())})
        assert preview.status_code == 200
        assert b'data-testid="import-ok"' in preview.content
        assert not Item.objects.exists()
        digest = preview.context["result"].digest
        key = preview.context["idempotency_key"]
        form = {"digest": digest, "idempotency_key": key}
        done = client.post(f"{URL}konfirmasi/", form)
        assert done.status_code == 200
        assert b'data-testid="import-done"' in done.content
        assert Item.objects.count() == 2
        again = client.post(f"{URL}konfirmasi/", form)  # a double click or a reload
        assert again.status_code == 200
        assert Item.objects.count() == 2
        assert AuditEntry.objects.filter(action="reports.imported").count() == 1

    def test_it_shows_every_problem_by_row_and_column_and_offers_no_confirmation(self, web_as):
        client = web_as("operator_6271")
        data = csv_file([row(), row(aspek="pariwisata", meninggal="-3")])
        preview = client.post(URL, {"file": upload(data)})
        assert preview.status_code == 400
        html = preview.content.decode()
        assert 'data-testid="import-errors"' in html
        assert 'data-row="3"' in html
        assert 'data-column="aspek"' in html and 'data-column="meninggal"' in html
        assert 'data-testid="import-confirm"' not in html
        response = client.post(f"{URL}konfirmasi/", {"digest": "x", "idempotency_key": "k"})
        assert response.status_code == 409
        assert not Item.objects.exists()

    def test_a_confirmation_after_a_change_since_the_preview_imports_nothing(self, web_as):
        client = web_as("operator_6271")
        preview = client.post(URL, {"file": upload(palangka_raya_file())})
        SituationReport.objects.create(  # the operator submitted that day's report meanwhile
            report_type="harian",
            area_id="62.71",
            period_start=local_today("62.71") - dt.timedelta(days=1),
            period_end=local_today("62.71") - dt.timedelta(days=1),
            status="submitted",
        )
        response = client.post(
            f"{URL}konfirmasi/",
            {
                "digest": preview.context["result"].digest,
                "idempotency_key": preview.context["idempotency_key"],
            },
        )
        assert response.status_code == 400
        assert "berubah sejak pratinjau" in response.content.decode()
        assert not Item.objects.exists()

    def test_the_templates_download_as_xlsx_and_csv(self, web_as):
        client = web_as("operator_6271")
        xlsx = client.get(f"{URL}templat.xlsx")
        assert xlsx.status_code == 200
        assert xlsx.content[:2] == b"PK"
        assert "attachment" in xlsx["Content-Disposition"]
        assert client.get(f"{URL}templat.csv").content.decode("utf-8-sig").startswith("tanggal,")

    @pytest.mark.parametrize("url", [URL, f"{URL}templat.xlsx"])
    def test_only_roles_that_file_reports_reach_the_page(self, web_as, url):
        check_access(
            web_as,
            "get",
            url,
            {
                "anonymous": 302,
                "operator_6271": 200,
                "operator_6201": 200,
                "analyst_62": 200,
                "analyst_63": 200,
                "leader_62": 403,
                "area_admin_62": 200,
                "national_admin": 403,
            },
        )


class TestImportApi:
    def test_every_persona_gets_the_right_answer_and_only_in_scope_rows_land(self, api_as):
        check_access(
            api_as,
            "post",
            API,
            {
                "anonymous": 401,
                "leader_62": 403,
                "national_admin": 403,
                "operator_6201": 400,
                "analyst_63": 400,
                "operator_6271": 201,
                "analyst_62": 201,
            },
            data=lambda: {"file": upload(palangka_raya_file())},
            fmt="multipart",
        )
        assert sorted(SituationReport.objects.values_list("area_id", flat=True)) == ["62", "62.71"]
        assert Item.objects.count() == 4

    def test_it_answers_a_dry_run_and_lists_errors_with_row_and_column(self, api_as):
        client = api_as("operator_6271")
        ok = client.post(API, {"file": upload(palangka_raya_file()), "dry_run": "true"})
        assert ok.status_code == 200
        assert ok.json()["ok"] is True
        assert ok.json()["rows"] == 2
        bad = client.post(
            API,
            {"file": upload(csv_file([row(tanggal="2999-01-01")])), "dry_run": "true"},
        )
        assert bad.status_code == 400
        assert bad.json()["errors"] == [
            {"row": 2, "column": "tanggal", "message": bad.json()["errors"][0]["message"]}
        ]
        assert bad.json()["code"] == "invalid"
        assert not Item.objects.exists()

    def test_a_classification_above_the_importers_clearance_is_refused(self, api_as):
        client = api_as("operator_6271")
        response = client.post(API, {"file": upload(palangka_raya_file(klasifikasi="rahasia"))})
        assert response.status_code == 400
        assert {e["column"] for e in response.json()["errors"]} == {"klasifikasi"}
        assert not Item.objects.exists()

    def test_a_retried_import_with_the_same_idempotency_key_lands_once(self, api_as):
        client = api_as("operator_6271")
        data = palangka_raya_file()
        first = client.post(API, {"file": upload(data)}, HTTP_IDEMPOTENCY_KEY="impor-1")
        again = client.post(API, {"file": upload(data)}, HTTP_IDEMPOTENCY_KEY="impor-1")
        assert (first.status_code, again.status_code) == (201, 201)
        assert first.json() == again.json()
        assert Item.objects.count() == 2
        other = client.post(
            API, {"file": upload(csv_file([row()]))}, HTTP_IDEMPOTENCY_KEY="impor-1"
        )
        assert other.status_code == 422

    def test_it_refuses_a_request_without_a_file(self, api_as):
        response = api_as("operator_6271").post(API, {"dry_run": "true"})
        assert response.status_code == 400
        assert "file" in response.json()
