"""Export pages under /dokumen/ekspor/: access matrices for every page, the live count, streamed
downloads, the progress page, the owner-only download, the history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from waspada.accounts.testing import make_user
from waspada.briefs.choices import JobState
from waspada.briefs.models import Export
from waspada.briefs.tests import fixtures_exports as fx
from waspada.briefs.tests.fixtures_exports import clear, read_csv, read_geojson, read_xlsx
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
    return {p: 302 if p == "anonymous" else ok for p in ALL}


def owner_only(owner: str, ok: int = 200) -> dict[str, int]:
    """The owner gets `ok`, anonymous the log-in redirect, everyone else 404 (asked first)."""
    order = [p for p in ALL if p != owner] + [owner]
    return {p: 302 if p == "anonymous" else ok if p == owner else 404 for p in order}


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return b"".join(response) if hasattr(response, "file_to_stream") else response.content


@pytest.fixture
def secret_export(stage, personas, media):
    """A finished CSV export of analyst_62 (cleared for rahasia) that holds the rahasia item."""
    owner = clear(personas("analyst_62"))
    export = Export(
        user=owner,
        format="csv",
        filters={"area": "62.01"},
        state=JobState.DONE,
        progress=100,
        total_rows=1,
        row_count=1,
        finished_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    export.save()
    export.file.save("butir.csv", ContentFile(b"\xef\xbb\xbfID butir\r\n1\r\n"), save=False)
    export.size = 17
    export.save(update_fields=["file", "size"])
    return export


@pytest.mark.django_db
class TestStartPage:
    def test_the_form_answers_every_persona_that_reads_items(self, web_as, stage):
        check_access(web_as, "get", "/dokumen/ekspor/", everyone(200))
        outside = {"operator_6201": 400, "analyst_63": 400}  # 62.71 is outside their scope
        check_access(
            web_as,
            "get",
            "/dokumen/ekspor/?area=62.71&aspect=ekonomi",
            {**everyone(200), **outside},
        )

    def test_a_role_that_may_not_read_items_is_forbidden(self, client, stage):
        client.force_login(make_user("fkdm_62", "fkdm", ["62"]))
        assert client.get("/dokumen/ekspor/").status_code == 403
        assert client.post("/dokumen/ekspor/", {"format": "csv"}).status_code == 403

    def test_the_form_is_filled_from_the_link_and_counts_matching_items(self, web_as, stage):
        page = web_as("analyst_62").get("/dokumen/ekspor/?area=62.71&aspect=ekonomi&page=3")
        html = page.content.decode()
        assert 'data-count="2"' in html
        assert 'value="62.71"' in html
        assert '<option value="ekonomi" selected>' in html
        assert 'data-testid="export-format-xlsx"' in html
        assert "<code>election_issue_label</code>" in html  # the documented column list

    def test_the_count_never_includes_what_the_user_may_not_see(self, web_as, stage):
        counts = {}
        for persona in ("analyst_62", "analyst_63", "operator_6201", "national_admin"):
            html = web_as(persona).get("/dokumen/ekspor/", HTTP_HX_REQUEST="true").content
            counts[persona] = int(html.decode().split('data-count="')[1].split('"')[0])
        assert counts == {"analyst_62": 2, "analyst_63": 1, "operator_6201": 0, "national_admin": 3}

    def test_htmx_gets_the_count_alone(self, web_as, stage):
        response = web_as("analyst_62").get("/dokumen/ekspor/?q=sawit", HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert response.status_code == 200
        assert html.strip().startswith('<div id="export-count"') and "<form" not in html
        assert "1 butir" in html

    def test_bad_filters_show_messages_next_to_the_fields(self, web_as, stage):
        client = web_as("analyst_63")
        page = client.get("/dokumen/ekspor/?area=62&occurred_from=kemarin")
        html = page.content.decode()
        assert page.status_code == 400
        assert 'data-testid="error-occurred_from"' in html
        assert "Tanggal tidak valid (contoh: 2026-03-01)." in html
        posted = client.post("/dokumen/ekspor/", {"format": "csv", "area": "62"})
        assert posted.status_code == 400
        assert "Wilayah ini di luar cakupan Anda." in posted.content.decode()
        posted = client.post("/dokumen/ekspor/", {"format": "pdf"})
        assert posted.status_code == 400
        assert "Pilih CSV, XLSX atau GeoJSON." in posted.content.decode()


@pytest.mark.django_db
class TestStreamedDownload:
    def test_a_small_export_downloads_at_once_for_every_persona(self, web_as, stage):
        # check_access posts JSON; the page takes a form, so the same matrix by hand.
        got = {
            persona: web_as(persona).post("/dokumen/ekspor/", {"format": "csv"}).status_code
            for persona in ALL
        }
        assert got == everyone(200)

    def test_the_csv_holds_only_what_the_user_may_see(self, web_as, personas, stage):
        clear(personas("analyst_62"))
        got = {}
        for persona in ("analyst_62", "analyst_63", "leader_62", "operator_6201"):
            response = web_as(persona).post("/dokumen/ekspor/", {"format": "csv"})
            assert response["Content-Type"] == "text/csv; charset=utf-8"
            assert response["Content-Disposition"].startswith('attachment; filename="butir-')
            assert response["Cache-Control"] == "private, no-store"
            got[persona] = {int(r["ID butir"]) for r in read_csv(body(response))}
        assert got == {
            "analyst_62": {stage.plain.pk, stage.formula.pk, stage.secret.pk},
            "analyst_63": {stage.other.pk},
            "leader_62": {stage.plain.pk, stage.formula.pk},  # not cleared for rahasia
            "operator_6201": set(),
        }

    def test_xlsx_and_geojson_download_at_once_with_the_filters(self, web_as, stage):
        client = web_as("analyst_62")
        xlsx = client.post("/dokumen/ekspor/", {"format": "xlsx", "area": "62.71.02"})
        assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
        (sheet,) = read_xlsx(body(xlsx))
        assert [row[0] for row in sheet[1:]] == [stage.plain.pk]
        geo = client.post("/dokumen/ekspor/", {"format": "geojson", "q": "sawit"})
        assert geo["Content-Type"] == "application/geo+json"
        assert [f["id"] for f in read_geojson(body(geo))["features"]] == [stage.plain.pk]

    def test_a_large_export_goes_to_its_progress_page(
        self, web_as, stage, settings, media, django_capture_on_commit_callbacks
    ):
        settings.WASPADA_EXPORT_STREAM_MAX_ROWS = 1
        client = web_as("analyst_62")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/dokumen/ekspor/", {"format": "csv", "area": "62"})
        export = Export.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/dokumen/ekspor/{export.pk}/"
        page = client.get(response["Location"]).content.decode()
        assert 'data-state="done"' in page
        assert f'href="/dokumen/ekspor/{export.pk}/unduh/"' in page
        assert "every 2s" not in page
        assert "<code>area=62</code>" in page
        download = client.get(f"/dokumen/ekspor/{export.pk}/unduh/")
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith(
            f'attachment; filename="butir-{export.pk}-'
        )
        assert {int(r["ID butir"]) for r in read_csv(body(download))} == {
            stage.plain.pk,
            stage.formula.pk,
        }


@pytest.mark.django_db
class TestOneExport:
    def test_the_progress_page_is_the_owners_only(self, web_as, secret_export):
        url = f"/dokumen/ekspor/{secret_export.pk}/"
        check_access(web_as, "get", url, owner_only("analyst_62"))
        check_access(web_as, "get", "/dokumen/ekspor/999999/", {"analyst_62": 404})

    def test_the_download_is_the_owners_only(self, web_as, secret_export):
        url = f"/dokumen/ekspor/{secret_export.pk}/unduh/"
        check_access(web_as, "get", url, owner_only("analyst_62"))
        response = web_as("analyst_62").get(url)
        assert body(response) == b"\xef\xbb\xbfID butir\r\n1\r\n"
        assert response["Content-Type"] == "text/csv; charset=utf-8"

    def test_a_running_export_shows_its_progress_and_polls_every_two_seconds(
        self, web_as, personas, stage
    ):
        export = Export.objects.create(
            user=personas("analyst_62"),
            format="xlsx",
            state=JobState.RUNNING,
            progress=40,
            total_rows=20_000,
            row_count=8_000,
        )
        client = web_as("analyst_62")
        page = client.get(f"/dokumen/ekspor/{export.pk}/").content.decode()
        assert 'hx-trigger="every 2s"' in page
        assert 'value="40"' in page and "8.000 dari 20.000 butir (40%)" in page
        partial = client.get(f"/dokumen/ekspor/{export.pk}/", HTTP_HX_REQUEST="true")
        html = partial.content.decode()
        assert html.strip().startswith('<div id="export-progress"') and "<main" not in html
        assert client.get(f"/dokumen/ekspor/{export.pk}/unduh/").status_code == 404

    def test_a_failed_export_says_why(self, web_as, personas, stage):
        export = Export.objects.create(
            user=personas("analyst_62"),
            format="csv",
            state=JobState.FAILED,
            error="Saringan tidak valid. Kode wilayah tidak valid, contoh: 62.71",
        )
        page = web_as("analyst_62").get(f"/dokumen/ekspor/{export.pk}/").content.decode()
        assert 'data-testid="export-error"' in page and "Kode wilayah tidak valid" in page
        assert "every 2s" not in page

    def test_an_expired_export_says_so_and_no_longer_downloads(self, web_as, secret_export):
        Export.objects.filter(pk=secret_export.pk).update(
            expires_at=timezone.now() - dt.timedelta(minutes=1)
        )
        client = web_as("analyst_62")
        page = client.get(f"/dokumen/ekspor/{secret_export.pk}/").content.decode()
        assert 'data-testid="export-expired"' in page
        assert client.get(f"/dokumen/ekspor/{secret_export.pk}/unduh/").status_code == 404


@pytest.mark.django_db
class TestHistory:
    def test_the_history_answers_everyone_and_lists_only_their_own(self, web_as, secret_export):
        check_access(web_as, "get", "/dokumen/ekspor/riwayat/", everyone(200))
        mine = web_as("analyst_62").get("/dokumen/ekspor/riwayat/").content.decode()
        assert f'data-testid="export-row-{secret_export.pk}"' in mine
        for persona in ("national_admin", "leader_62", "analyst_63"):
            theirs = web_as(persona).get("/dokumen/ekspor/riwayat/").content.decode()
            assert f"export-row-{secret_export.pk}" not in theirs
            assert 'data-testid="export-list-empty"' in theirs
