"""Pages under /dokumen/: the access matrix of every page, and what they show and do."""

from __future__ import annotations

import pytest

from waspada.accounts.testing import make_user
from waspada.briefs.models import Brief, BriefSubscription, Letterhead
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
LETTERHEAD = {"analyst_62", "area_admin_62", "national_admin"}


def matrix(ok: int, allowed, other: int = 404) -> dict[str, int]:
    """302 (to the log-in page) for anonymous, `ok` for `allowed`, `other` for the rest."""
    return {p: 302 if p == "anonymous" else ok if p in allowed else other for p in ALL}


@pytest.fixture
def own_brief(personas, march, django_capture_on_commit_callbacks):
    """A done monthly brief of 62 built for analyst_62 (cleared for rahasia: it is rahasia)."""
    return monthly(django_capture_on_commit_callbacks, cleared(personas("analyst_62")))


@pytest.mark.django_db
class TestBriefPages:
    def test_the_list_is_open_to_every_reader_and_shows_only_their_own(
        self, web_as, personas, own_brief
    ):
        check_access(web_as, "get", "/dokumen/", matrix(200, set(ALL)))
        row = f'data-testid="brief-row-{own_brief.pk}"'
        assert row in web_as("analyst_62").get("/dokumen/").content.decode()
        for persona in ("leader_62", "national_admin", "analyst_63"):
            assert row not in web_as(persona).get("/dokumen/").content.decode()
        fkdm = make_user("fkdm_62", "fkdm", ["62"])
        client = web_as("anonymous")
        client.force_login(fkdm)
        assert client.get("/dokumen/").status_code == 403

    def test_requesting_a_brief_of_62_is_refused_outside_62(
        self, form_as, web_as, personas, brief_media
    ):
        data = {"kind": "monthly", "area": "62", "month": "2026-03"}
        expected = {p: 302 if p in COVERS_62 | {"anonymous"} else 400 for p in ALL}
        check_access(form_as, "post", "/dokumen/", expected, data)
        readers = set(Brief.objects.values_list("built_for__username", flat=True))
        assert readers == COVERS_62
        refused = web_as("analyst_63").post("/dokumen/", data)
        assert "Wilayah ini di luar cakupan Anda." in refused.content.decode()

    def test_a_request_goes_to_the_brief_page_and_bad_input_stays_next_to_the_field(
        self, web_as, personas, brief_media
    ):
        client = web_as("leader_62")
        answer = client.post("/dokumen/", {"kind": "weekly", "area": "62", "week": "2026-W10"})
        brief = Brief.objects.get()
        assert answer.status_code == 302 and answer.url == f"/dokumen/{brief.pk}/"
        assert (brief.period_start.isoformat(), brief.kind) == ("2026-03-02", "weekly")
        bad = client.post("/dokumen/", {"kind": "monthly", "area": "62", "month": "maret"})
        assert bad.status_code == 400
        assert 'data-testid="error-month"' in bad.content.decode()
        later = client.post("/dokumen/", {"kind": "daily", "area": "62", "day": "2100-01-01"})
        assert later.status_code == 400
        assert 'data-testid="error-day"' in later.content.decode()

    def test_a_brief_page_is_its_readers_only(self, web_as, personas, own_brief):
        url = f"/dokumen/{own_brief.pk}/"
        check_access(web_as, "get", url, matrix(200, {"analyst_62"}))
        page = web_as("analyst_62").get(url).content.decode()
        assert 'data-testid="download-docx"' in page and 'data-testid="download-pdf"' in page
        assert "hx-trigger" not in page
        assert "RAHASIA" in page

    def test_a_reader_whose_clearance_was_lowered_no_longer_gets_a_rahasia_brief(
        self, web_as, personas, own_brief
    ):
        cleared(personas("analyst_62"), "terbatas")
        client = web_as("analyst_62")
        assert client.get(f"/dokumen/{own_brief.pk}/").status_code == 404
        assert client.get(f"/dokumen/{own_brief.pk}/unduh/pdf/").status_code == 404
        assert f"brief-row-{own_brief.pk}" not in client.get("/dokumen/").content.decode()

    def test_the_downloads_are_the_readers_only(self, web_as, personas, own_brief):
        for fmt, content_type in (
            ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("pdf", "application/pdf"),
        ):
            url = f"/dokumen/{own_brief.pk}/unduh/{fmt}/"
            check_access(web_as, "get", url, matrix(200, {"analyst_62"}))
            answer = web_as("analyst_62").get(url)
            assert answer["Content-Type"] == content_type
            assert f"laporan-bulanan-62-2026-03-01-v1.{fmt}" in answer["Content-Disposition"]
            assert b"".join(answer.streaming_content)[:2] in (b"PK", b"%P")
        assert web_as("analyst_62").get(f"/dokumen/{own_brief.pk}/unduh/xls/").status_code == 404

    def test_while_it_is_built_the_page_polls_its_status(self, web_as, personas, brief_media):
        brief = services.request_brief(
            actor=personas("leader_62"), kind="monthly", area_code="62", period_start=MONTH
        )
        client = web_as("leader_62")
        page = client.get(f"/dokumen/{brief.pk}/").content.decode()
        assert 'hx-trigger="every 2s"' in page and 'data-state="queued"' in page
        assert client.get(f"/dokumen/{brief.pk}/unduh/docx/").status_code == 404
        services.build_brief(brief.pk)
        partial = client.get(f"/dokumen/{brief.pk}/", HTTP_HX_REQUEST="true").content.decode()
        assert partial.lstrip().startswith("<div") and "<html" not in partial
        assert 'data-state="done"' in partial and "hx-trigger" not in partial
        assert 'data-testid="download-pdf"' in partial

    def test_a_running_brief_shows_its_progress_and_step(self, web_as, personas, brief_media):
        brief = services.request_brief(
            actor=personas("leader_62"), kind="monthly", area_code="62", period_start=MONTH
        )
        Brief.objects.filter(pk=brief.pk).update(
            state="running", progress=40, progress_note="Menggambar peta"
        )
        partial = (
            web_as("leader_62")
            .get(f"/dokumen/{brief.pk}/", HTTP_HX_REQUEST="true")
            .content.decode()
        )
        assert 'data-state="running"' in partial and 'value="40"' in partial
        assert "Menggambar peta" in partial and 'hx-trigger="every 2s"' in partial

    def test_a_failed_brief_says_why(self, web_as, personas, brief_media):
        leader = personas("leader_62")
        brief = services.request_brief(actor=leader, kind="monthly", area_code="62")
        leader.assignments.update(area_id="62.71")
        services.build_brief(brief.pk)
        page = web_as("leader_62").get(f"/dokumen/{brief.pk}/")
        assert page.status_code == 404  # 62 is no longer the reader's: the brief is gone for them
        Brief.objects.filter(pk=brief.pk).update(area_id="62.71")
        page = web_as("leader_62").get(f"/dokumen/{brief.pk}/").content.decode()
        assert 'data-testid="brief-error"' in page
        assert "tidak lagi dapat Anda akses" in page

    def test_the_laporan_informasi_of_an_event_is_requested_from_its_page(
        self, form_as, web_as, personas, march
    ):
        url = f"/dokumen/laporan-informasi/{march.demo.event_id}/"
        in_scope = {"operator_6271", *COVERS_62}
        check_access(form_as, "post", url, matrix(302, in_scope))
        assert web_as("analyst_62").get(url).status_code == 405
        brief = Brief.objects.filter(built_for__username="analyst_62").get()
        assert (brief.kind, brief.event_id) == ("informasi", march.demo.event_id)
        secret = f"/dokumen/laporan-informasi/{march.secret.event_id}/"
        check_access(form_as, "post", secret, matrix(302, set(), other=404))
        draft = web_as("analyst_62").post(f"/dokumen/laporan-informasi/{march.draft.event_id}/")
        assert draft.status_code == 302 and draft.url == f"/kejadian/{march.draft.event_id}/"

    def test_the_nav_has_documents_for_readers(self, web_as, personas):
        page = web_as("operator_6271").get("/dokumen/").content.decode()
        assert 'href="/dokumen/"' in page and "Dokumen" in page


@pytest.mark.django_db
class TestSubscriptionPages:
    def test_the_page_and_the_form_follow_the_scope(self, web_as, form_as, personas):
        check_access(web_as, "get", "/dokumen/langganan/", matrix(200, set(ALL)))
        data = {"area": "62", "kind": "daily", "channel": "inbox"}
        expected = {p: 302 if p in COVERS_62 | {"anonymous"} else 400 for p in ALL}
        check_access(form_as, "post", "/dokumen/langganan/", expected, data)
        assert BriefSubscription.objects.filter(active=True).count() == len(COVERS_62)

    def test_only_the_subscriber_may_stop_a_subscription(self, form_as, personas):
        subscription = services.subscribe_brief(
            actor=personas("leader_62"), area_code="62", kind="monthly", channel="inbox"
        )
        url = f"/dokumen/langganan/{subscription.pk}/hapus/"
        check_access(form_as, "post", url, matrix(302, {"leader_62"}))
        subscription.refresh_from_db()
        assert subscription.active is False

    def test_a_duplicate_is_answered_with_a_message(self, web_as, personas):
        client = web_as("leader_62")
        data = {"area": "62", "kind": "daily", "channel": "inbox"}
        assert client.post("/dokumen/langganan/", data).status_code == 302
        again = client.post("/dokumen/langganan/", data)
        assert again.status_code == 409
        assert "Langganan yang sama sudah aktif." in again.content.decode()


@pytest.mark.django_db
class TestLetterheadPage:
    def test_it_is_for_analysts_and_admins_of_the_area(
        self, web_as, form_as, personas, brief_media
    ):
        # The role is checked first (403), then the area (an analyst of 63 gets 404 for 62).
        reads = {**matrix(200, LETTERHEAD, 403), "analyst_63": 404}
        check_access(web_as, "get", "/dokumen/kop/?wilayah=62", reads)
        writes = {**reads, **{p: 302 for p in LETTERHEAD}}
        check_access(form_as, "post", "/dokumen/kop/?wilayah=62", writes, {"lines": "KOP PROVINSI"})
        assert Letterhead.objects.get(area_id="62").lines == "KOP PROVINSI"
        assert web_as("analyst_63").get("/dokumen/kop/?wilayah=63").status_code == 200

    def test_it_shows_the_default_and_keeps_errors_next_to_the_field(self, web_as, personas):
        client = web_as("analyst_62")
        page = client.get("/dokumen/kop/").content.decode()
        assert "PEMERINTAH PROVINSI KALIMANTAN TENGAH" in page
        assert "BADAN KESATUAN BANGSA DAN POLITIK" in page
        bad = client.post("/dokumen/kop/?wilayah=62", {"lines": ""})
        assert bad.status_code == 400 and 'data-testid="error-lines"' in bad.content.decode()
        national = web_as("national_admin").get("/dokumen/kop/").content.decode()
        assert 'data-testid="letterhead-area-form"' in national
