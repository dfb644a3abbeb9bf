"""Building briefs: every DOCX opened with python-docx, every PDF page rendered with pdftoppm.

Only what the reader may see goes in; the classification is marked on every page; dates and
numbers are Indonesian; the map is drawn from the stored boundaries or replaced by a ranked table.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from waspada.accounts.models import AreaAssignment
from waspada.briefs.models import Brief
from waspada.briefs.services import documents as services
from waspada.briefs.tests import fixtures_documents as fx
from waspada.briefs.tests.fixtures_documents import (
    DEMO_TITLE,
    DISPUTE_TITLE,
    DRAFT_TITLE,
    MONTH,
    OTHER_TITLE,
    SECRET_TITLE,
    built,
    cleared,
    docx_of,
    docx_text,
    headings,
    monthly,
    pdf_pages,
    pdf_texts,
    table_with,
)
from waspada.core.models import AuditEntry

brief_media = fx.brief_media
geography = fx.geography
march = fx.march

SECTIONS = [
    "I. RINGKASAN",
    "II. PETA DAN TREN",
    "III. PERKEMBANGAN MENONJOL MENURUT ASPEK",
    "IV. ARAHAN PIMPINAN DAN TINDAK LANJUT",
    "V. WILAYAH YANG TIDAK MELAPOR",
]


@pytest.mark.django_db
class TestPeriodicBrief:
    def test_it_builds_the_monthly_docx_with_word_headings_and_tables(
        self, personas, march, django_capture_on_commit_callbacks
    ):
        brief = monthly(django_capture_on_commit_callbacks, personas("leader_62"))
        assert brief.state == "done" and brief.progress == 100 and brief.version == 1
        document = docx_of(brief)
        found = headings(document)
        assert [text for style, text in found if style == "Heading 1"] == SECTIONS
        assert ("Heading 2", "Aspek Ekonomi") in found
        assert ("Heading 2", "Aspek Politik") in found
        assert ("Heading 3", f"{march.demo.event.reference} {march.development.title}") in found
        summary = table_with(document, "Uraian")
        rows = {row.cells[0].text: row.cells[1].text for row in summary.rows}
        assert rows["Butir laporan terverifikasi"] == "3"
        assert rows["Korban meninggal"] == "1"
        matrix = table_with(document, "Aspek")
        assert [c.text for c in matrix.rows[0].cells] == [
            "Aspek",
            "Ancaman",
            "Tantangan",
            "Hambatan",
            "Gangguan",
            "Jumlah",
        ]
        assert [c.text for c in matrix.rows[-1].cells] == ["Jumlah", "1", "0", "0", "2", "3"]
        header = document.sections[0].header.paragraphs[0]
        assert header.text == "BIASA"
        assert "BIASA" in document.sections[0].footer.paragraphs[0].text
        text = docx_text(document)
        assert "Periode: Maret 2026" in text
        assert "PEMERINTAH PROVINSI KALIMANTAN TENGAH" in text

    def test_it_renders_every_pdf_page_and_marks_each_one(
        self, personas, march, django_capture_on_commit_callbacks, tmp_path
    ):
        brief = monthly(django_capture_on_commit_callbacks, personas("leader_62"))
        pages = pdf_pages(brief, tmp_path / "pdf")
        texts = pdf_texts(brief, tmp_path / "pdf")
        assert len(pages) == len(texts) >= 2
        for text in texts:
            assert text.count("BIASA") >= 2  # top and bottom of the page
        whole = "\n".join(texts)
        assert "Maret 2026" in whole
        assert "I. RINGKASAN" in whole and "V. WILAYAH YANG TIDAK MELAPOR" in whole

    def test_it_leaves_out_what_the_reader_may_not_see(
        self, personas, march, django_capture_on_commit_callbacks, tmp_path
    ):
        leader = personas("leader_62")  # cleared up to terbatas
        analyst = cleared(personas("analyst_62"))
        plain = monthly(django_capture_on_commit_callbacks, leader)
        secret = monthly(django_capture_on_commit_callbacks, analyst)

        plain_text = docx_text(docx_of(plain)) + "\n".join(pdf_texts(plain, tmp_path / "a"))
        for absent in (SECRET_TITLE, OTHER_TITLE, DRAFT_TITLE):
            assert absent not in plain_text
        assert DISPUTE_TITLE in plain_text
        assert plain.classification == "biasa"

        assert secret.classification == "rahasia"
        document = docx_of(secret)
        assert SECRET_TITLE in docx_text(document)
        assert document.sections[0].header.paragraphs[0].text == "RAHASIA"
        texts = pdf_texts(secret, tmp_path / "b")
        assert all("RAHASIA" in page for page in texts)
        assert SECRET_TITLE in "\n".join(texts)
        assert OTHER_TITLE not in "\n".join(texts)

    def test_it_lists_the_areas_that_did_not_report(
        self, personas, march, django_capture_on_commit_callbacks
    ):
        brief = monthly(django_capture_on_commit_callbacks, personas("leader_62"))
        document = docx_of(brief)
        table = table_with(document, "Tanggal tidak melapor")
        names = [row.cells[0].text for row in table.rows[1:]]
        assert names == ["Kabupaten Kotawaringin Barat"]
        assert table.rows[1].cells[1].text == "31"
        assert "1 Maret 2026" in table.rows[1].cells[2].text
        compliance = table_with(document, "Tepat waktu")
        rows = {row.cells[0].text: row.cells[1].text for row in compliance.rows[1:]}
        assert rows["Kota Palangka Raya"] == "31"
        assert brief.summary["missing_areas"] == 1

    def test_it_shows_the_open_directives_in_a_table(
        self, personas, march, django_capture_on_commit_callbacks
    ):
        from waspada.response.services.directives import issue_directive
        from waspada.response.tests.factories import make_agency

        leader = personas("leader_62")
        polres = make_agency("62.71", "Polres Palangka Raya")
        issue_directive(
            actor=leader,
            area_code="62.71",
            title="Amankan lokasi unjuk rasa dan fasilitasi dialog",
            instruction="Laporkan perkembangan setiap hari.",
            due_date=timezone.localdate() + dt.timedelta(days=3),
            priority="high",
            agency_ids=[polres.pk],
        )
        brief = monthly(django_capture_on_commit_callbacks, leader)
        document = docx_of(brief)
        table = table_with(document, "Arahan")
        row = table.rows[1].cells
        assert row[1].text == "Amankan lokasi unjuk rasa dan fasilitasi dialog"
        assert "Polres Palangka Raya" in row[5].text
        assert brief.summary["directives"] == 1

    def test_it_says_so_when_no_directive_is_open(
        self, personas, march, django_capture_on_commit_callbacks
    ):
        brief = monthly(django_capture_on_commit_callbacks, personas("leader_62"))
        assert "Tidak ada arahan yang masih berjalan." in docx_text(docx_of(brief))

    def test_it_draws_the_choropleth_from_the_stored_boundaries(
        self, geography, personas, march, django_capture_on_commit_callbacks, tmp_path
    ):
        brief = monthly(django_capture_on_commit_callbacks, personas("leader_62"))
        assert brief.summary["map"] is True
        document = docx_of(brief)
        assert len(document.inline_shapes) == 2  # the map and the trend chart
        assert "Peta tidak dapat digambar" not in docx_text(document)
        pdf_pages(brief, tmp_path / "pdf")

    def test_it_shows_a_ranked_table_without_boundaries(
        self, personas, march, django_capture_on_commit_callbacks
    ):
        brief = monthly(django_capture_on_commit_callbacks, personas("leader_62"))
        assert brief.summary["map"] is False
        document = docx_of(brief)
        assert "Peta tidak dapat digambar" in docx_text(document)
        ranked = table_with(document, "No.")
        names = {row.cells[1].text: row.cells[4].text for row in ranked.rows[1:]}
        assert names == {"Kabupaten Kotawaringin Barat": "1", "Kota Palangka Raya": "2"}
        assert len(document.inline_shapes) == 1  # the trend chart only

    def test_a_daily_brief_names_the_day_in_indonesian(
        self, personas, march, django_capture_on_commit_callbacks, tmp_path
    ):
        brief = built(
            django_capture_on_commit_callbacks,
            actor=personas("operator_6271"),
            kind="daily",
            area_code="62.71",
            day=MONTH.replace(day=3),
        )
        assert (brief.period_start, brief.period_end) == (dt.date(2026, 3, 3),) * 2
        text = docx_text(docx_of(brief))
        assert "REKAPITULASI LAPSITDA HARIAN" in text
        assert "Periode: Selasa, 3 Maret 2026" in text
        assert DEMO_TITLE in text and DISPUTE_TITLE not in text
        assert "PEMERINTAH KOTA PALANGKA RAYA" in text
        assert "Selasa, 3 Maret 2026" in "\n".join(pdf_texts(brief, tmp_path))

    def test_a_weekly_brief_covers_monday_to_sunday(
        self, personas, march, django_capture_on_commit_callbacks
    ):
        brief = built(
            django_capture_on_commit_callbacks,
            actor=personas("leader_62"),
            kind="weekly",
            area_code="62",
            period_start=dt.date(2026, 3, 4),
        )
        assert (brief.period_start, brief.period_end) == (dt.date(2026, 3, 2), dt.date(2026, 3, 8))
        text = docx_text(docx_of(brief))
        assert "Periode: 2 - 8 Maret 2026" in text
        assert DISPUTE_TITLE in text and march.development.title not in text


@pytest.mark.django_db
class TestInformationReport:
    def test_it_has_the_three_sections_of_the_standard_layout(
        self, personas, march, django_capture_on_commit_callbacks, tmp_path
    ):
        brief = built(
            django_capture_on_commit_callbacks,
            actor=personas("analyst_62"),
            kind="informasi",
            event_id=march.demo.event_id,
        )
        assert brief.state == "done"
        assert brief.area_id == "62.71.02"
        assert (brief.period_start, brief.period_end) == (dt.date(2026, 3, 3), dt.date(2026, 3, 10))
        document = docx_of(brief)
        assert [t for s, t in headings(document) if s == "Heading 1"] == [
            "I. PENDAHULUAN",
            "II. FAKTA-FAKTA",
            "III. PENDAPAT PELAPOR",
        ]
        facts = table_with(document, "Unsur")
        labels = [row.cells[0].text for row in facts.rows[1:]]
        assert labels == [
            "Sumber informasi",
            "Hubungan dengan sumber",
            "Cara memperoleh",
            "Waktu memperoleh",
            "Nilai informasi",
        ]
        text = docx_text(document)
        for label in ("Apa", "Bilamana", "Di mana", "Siapa", "Bagaimana", "Mengapa"):
            assert label in text
        assert "Bentuk tim mediasi terpadu." in text  # the latest item's recommendation
        # fields the latest item leaves empty come from the newest item that has them
        assert "Lurah Palangka" in text and "Penolakan meluas ke desa tetangga." in text
        assert "Warga tiga RT (perkiraan massa 200 orang)" in text
        assert "LAPORAN INFORMASI" in text and "NIP." in text
        assert "Palangka Raya, " in text
        texts = pdf_texts(brief, tmp_path)
        assert len(pdf_pages(brief, tmp_path)) == len(texts)
        assert all("BIASA" in page for page in texts)

    def test_a_secret_event_is_refused_to_a_reader_without_clearance(self, personas, march):
        from waspada.core.errors import OutOfScope

        with pytest.raises(OutOfScope):
            services.request_brief(
                actor=personas("leader_62"), kind="informasi", event_id=march.secret.event_id
            )

    def test_a_cleared_reader_gets_it_marked_rahasia(
        self, personas, march, django_capture_on_commit_callbacks, tmp_path
    ):
        brief = built(
            django_capture_on_commit_callbacks,
            actor=cleared(personas("analyst_62")),
            kind="informasi",
            event_id=march.secret.event_id,
        )
        assert brief.classification == "rahasia"
        assert all("RAHASIA" in page for page in pdf_texts(brief, tmp_path))


@pytest.mark.django_db
class TestProgressAndFailure:
    def test_a_requested_brief_waits_then_runs_to_done(self, personas, march):
        brief = services.request_brief(
            actor=personas("leader_62"), kind="monthly", area_code="62", period_start=MONTH
        )
        assert (brief.state, brief.progress, brief.job_id != "") == ("queued", 0, True)
        done = services.build_brief(brief.pk)
        assert (done.state, done.progress, done.progress_note) == ("done", 100, "Selesai")
        assert str(done.docx.name).endswith(".docx") and str(done.pdf.name).endswith(".pdf")
        assert done.finished_at is not None
        again = services.build_brief(brief.pk)  # a repeated job changes nothing
        assert again.docx.name == done.docx.name
        actions = list(
            AuditEntry.objects.filter(object_type="briefs.brief", object_id=str(brief.pk))
            .order_by("seq")
            .values_list("action", flat=True)
        )
        assert actions == ["brief.requested", "brief.built"]

    def test_it_fails_with_the_reason_when_the_reader_lost_the_area(self, personas, march):
        analyst = personas("analyst_62")
        brief = services.request_brief(
            actor=analyst, kind="monthly", area_code="62", period_start=MONTH
        )
        AreaAssignment.objects.filter(user=analyst).update(area_id="63")
        failed = services.build_brief(brief.pk)
        assert failed.state == "failed"
        assert failed.error == "Wilayah atau kejadian ini tidak lagi dapat Anda akses."
        assert not failed.docx and not failed.pdf
        assert AuditEntry.objects.filter(action="brief.failed", object_id=str(brief.pk)).exists()

    def test_the_job_run_is_recorded_as_failed(self, personas, march):
        from waspada.briefs.tasks.documents import build_brief
        from waspada.core.jobs import JobFailed
        from waspada.core.models import Job

        analyst = personas("analyst_62")
        brief = services.request_brief(
            actor=analyst, kind="monthly", area_code="62", period_start=MONTH
        )
        AreaAssignment.objects.filter(user=analyst).update(area_id="63")
        with pytest.raises(JobFailed):
            build_brief.apply(kwargs={"brief_id": brief.pk}, task_id=brief.job_id)
        job = Job.objects.get(pk=brief.job_id)
        assert job.status == "failed"
        assert "tidak lagi dapat Anda akses" in job.error

    def test_each_build_of_the_same_brief_gets_the_next_version(self, personas, march):
        leader = personas("leader_62")
        first, second = (
            services.request_brief(actor=leader, kind="monthly", area_code="62", period_start=MONTH)
            for _n in range(2)
        )
        other_reader = services.request_brief(
            actor=personas("analyst_62"), kind="monthly", area_code="62", period_start=MONTH
        )
        assert (first.version, second.version, other_reader.version) == (1, 2, 1)
        assert Brief.objects.count() == 3
