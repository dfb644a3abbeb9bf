"""The done-when walk of documents in a real browser: the analyst of Kalimantan Tengah (62)
requests the monthly brief of 62 for March 2026 on /dokumen/, waits on its page, downloads the
Word file and the PDF, and both open (python-docx finds the sections; pdftotext reads every page,
each marked with the classification). The analyst of 63 cannot open that brief. Screenshots go to
var/test-artifacts/brief-download/.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest

from tests.browser.conftest import ARTIFACTS_ROOT, PHONE, Shots, signed_in
from waspada.briefs.models import Brief
from waspada.briefs.tests import fixtures_documents as fx

pytestmark = pytest.mark.browser

ARTIFACTS = ARTIFACTS_ROOT / "brief-download"
march = fx.march
geography = fx.geography
brief_media = fx.brief_media


def download(page: Any, testid: str) -> Path:
    with page.expect_download() as info:
        page.get_by_test_id(testid).click()
    got = info.value
    target = ARTIFACTS / got.suggested_filename
    got.save_as(str(target))
    return target


def test_the_analyst_downloads_the_monthly_brief_of_62_and_both_files_open(
    new_page, personas, geography, march, settings
):
    settings.WASPADA_DEMO = False
    shot = Shots("brief-download")
    personas("analyst_62")
    personas("analyst_63")
    analyst = signed_in(new_page, "analyst_62")

    # ------------------------------------------------ the request form, from the nav
    analyst.goto("/")
    with analyst.expect_navigation():
        analyst.locator("nav.mainnav").get_by_role("link", name="Dokumen").click()
    assert analyst.url.endswith("/dokumen/")
    analyst.select_option("#id_kind", "monthly")
    assert analyst.locator("#id_month").is_visible()
    assert not analyst.locator("#id_day").is_visible()
    analyst.fill("#id_area", "62")
    analyst.fill("#id_month", "2026-03")
    shot(analyst, "request-form")
    with analyst.expect_navigation():
        analyst.get_by_test_id("request-brief").click()

    # ------------------------------------------------ its page: progress, then the downloads
    brief = Brief.objects.get(built_for__username="analyst_62")
    assert analyst.url.endswith(f"/dokumen/{brief.pk}/")
    analyst.get_by_test_id("download-docx").wait_for(timeout=60_000)
    status = analyst.get_by_test_id("brief-status")
    assert status.get_attribute("data-state") == "done"
    shot(analyst, "brief-ready")

    docx_path = download(analyst, "download-docx")
    assert docx_path.name == "laporan-bulanan-62-2026-03-01-v1.docx"
    document = docx.Document(io.BytesIO(docx_path.read_bytes()))
    sections = [p.text for p in document.paragraphs if getattr(p.style, "name", "") == "Heading 1"]
    assert sections == [
        "I. RINGKASAN",
        "II. PETA DAN TREN",
        "III. PERKEMBANGAN MENONJOL MENURUT ASPEK",
        "IV. ARAHAN PIMPINAN DAN TINDAK LANJUT",
        "V. WILAYAH YANG TIDAK MELAPOR",
    ]
    assert document.sections[0].header.paragraphs[0].text == "BIASA"
    assert len(document.inline_shapes) == 2  # the choropleth and the trend chart

    pdf_path = download(analyst, "download-pdf")
    assert pdf_path.suffix == ".pdf"
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is missing (apt-get install poppler-utils)"
    text = subprocess.run(  # noqa: S603
        [tool, "-layout", str(pdf_path), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) >= 2
    assert all("BIASA" in page for page in pages)
    assert "Maret 2026" in text and fx.DISPUTE_TITLE in text
    assert fx.SECRET_TITLE not in text  # terbatas clearance: the rahasia item stays out
    ppm = shutil.which("pdftoppm")
    assert ppm, "pdftoppm is missing (apt-get install poppler-utils)"
    subprocess.run(  # noqa: S603
        [ppm, "-r", "50", "-png", "-f", "1", "-l", "1", str(pdf_path), str(ARTIFACTS / "pdf-page")],
        check=True,
    )
    assert list(ARTIFACTS.glob("pdf-page*.png"))

    # ------------------------------------------------ the list shows it, also on a phone
    phone = signed_in(new_page, "analyst_62", viewport=PHONE)
    phone.goto("/dokumen/")
    assert phone.get_by_test_id(f"brief-row-{brief.pk}").is_visible()
    shot(phone, "list-on-phone")

    # ------------------------------------------------ the analyst of 63 cannot open it
    outsider = signed_in(new_page, "analyst_63")
    response = outsider.goto(f"/dokumen/{brief.pk}/")
    assert response is not None and response.status == 404
    response = outsider.goto(f"/dokumen/{brief.pk}/unduh/pdf/")
    assert response is not None and response.status == 404
    shot(outsider, "outsider-404")
