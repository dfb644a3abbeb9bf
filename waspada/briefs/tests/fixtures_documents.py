"""Shared stage of the document tests: March 2026 in Kalimantan Tengah (62).

    from waspada.briefs.tests.fixtures_documents import brief_media, march  # noqa: F401

Verified items of March 2026: a demonstration in Jekan Raya (62.71.02, ekonomi/gangguan, one
death, with a later development), a boundary dispute in Kumai (62.01.01, politik/ancaman), a
*rahasia* plan of an attack in Pahandut (62.71.01, pertahanan-keamanan), a clash in Banjarmasin
(63.71, another province); a draft item that must never show. Kota Palangka Raya files its daily
report every day of the month on time; Kabupaten Kotawaringin Barat files none.

Helpers open what the brief jobs wrote: `docx_of` (python-docx), `pdf_pages` (every page through
pdftoppm to PNG, checked to be images) and `pdf_texts` (pdftotext, one text per page).
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pytest
from PIL import Image

from waspada.briefs.models import Brief
from waspada.briefs.services import documents as services
from waspada.events.models import Item
from waspada.geo.zones import zone_for
from waspada.reports.testing import make_item, make_report
from waspada.warnings.testing import make_verified_items

MONTH = dt.date(2026, 3, 1)
SECRET_TITLE = "Rencana penyerangan pos oleh kelompok bersenjata"
DEMO_TITLE = "Unjuk rasa warga menolak perluasan kebun sawit"
DISPUTE_TITLE = "Sengketa batas desa Kumai dan Sungai Sekonyer"
OTHER_TITLE = "Bentrok pemuda di Banjarmasin"
DRAFT_TITLE = "Draf yang belum diajukan"


def at(day: int, hour: int = 12, area_code: str = "62") -> dt.datetime:
    """`hour`:00 local time on March `day`, 2026, in the area's zone."""
    return dt.datetime.combine(MONTH.replace(day=day), dt.time(hour), tzinfo=zone_for(area_code))


@dataclass
class March:
    """The items of the stage, by what they are for."""

    demo: Item
    development: Item
    dispute: Item
    secret: Item
    other: Item
    draft: Item


@pytest.fixture
def brief_media(settings, tmp_path):
    """Files written by the tests go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def march(personas, brief_media) -> March:
    operator = personas("operator_6271")
    demo = make_verified_items(
        "62.71.02",
        occurred_at=at(3, 10),
        title=DEMO_TITLE,
        aspect="ekonomi",
        athg="gangguan",
        deaths=1,
        crowd_size=200,
        source="Lurah Palangka",
        source_relation="Aparat kelurahan",
        how_obtained="Laporan lisan di lokasi",
        obtained_at=at(3, 11),
        who="Warga tiga RT",
        why="Izin perluasan kebun",
        analysis="Penolakan meluas ke desa tetangga.",
        prediction="Unjuk rasa lanjutan pekan depan.",
        recommendation="Fasilitasi dialog warga dan perusahaan.",
        steps_taken="Camat menemui perwakilan warga.",
    )[0]
    development = make_verified_items(
        "62.71.02",
        occurred_at=at(10, 9),
        title="Unjuk rasa lanjutan di kantor wali kota",
        chronology="Warga kembali berkumpul di depan kantor wali kota.",
        aspect="ekonomi",
        athg="gangguan",
        recommendation="Bentuk tim mediasi terpadu.",
    )[0]
    Item.objects.filter(pk=development.pk).update(event=demo.event, kind="development")
    development.refresh_from_db()
    dispute = make_verified_items(
        "62.01.01", occurred_at=at(5), title=DISPUTE_TITLE, aspect="politik", athg="ancaman"
    )[0]
    secret = make_verified_items(
        "62.71.01",
        occurred_at=at(7),
        title=SECRET_TITLE,
        aspect="pertahanan-keamanan",
        athg="ancaman",
        classification="rahasia",
    )[0]
    other = make_verified_items("63.71", occurred_at=at(6, area_code="63"), title=OTHER_TITLE)[0]
    report = make_report(
        "62.71", created_by=operator, period_start=MONTH.replace(day=8), report_type="informasi"
    )
    draft = make_item(report, occurred_at=at(8), title=DRAFT_TITLE)
    for day in range(1, 32):
        filed = at(day, 18, "62.71")
        make_report(
            "62.71",
            created_by=operator,
            period_start=MONTH.replace(day=day),
            status="verified",
            submitted_at=filed,
            first_submitted_at=filed,
        )
    return March(demo, development, dispute, secret, other, draft)


@pytest.fixture
def geography(db, tmp_path):
    """The hand-made areas and rectangle boundaries of the geo tests (62 and 63)."""
    from waspada.geo import areadata, boundaryfiles
    from waspada.geo.services import load_areas, load_boundaries
    from waspada.geo.tests import data

    load_areas(areadata.read_tarball(data.tarball(), source="test"))
    features, _files = boundaryfiles.read_directory(data.write_boundaries(tmp_path / "bounds"))
    load_boundaries(features, source="test")


def cleared(user: Any, clearance: str = "rahasia") -> Any:
    user.clearance = clearance
    user.save(update_fields=["clearance"])
    return user


def built(capture: Any, **kwargs: Any) -> Brief:
    """Request a brief and run its build job (after commit, as in production); the brief."""
    with capture(execute=True):
        brief = services.request_brief(**kwargs)
    brief.refresh_from_db()
    return brief


def monthly(capture: Any, actor: Any, area_code: str = "62") -> Brief:
    return built(capture, actor=actor, kind="monthly", area_code=area_code, period_start=MONTH)


def docx_of(brief: Brief) -> Any:
    with brief.docx.open("rb") as handle:
        return docx.Document(io.BytesIO(handle.read()))


def headings(document: Any) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]


def docx_text(document: Any) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def table_with(document: Any, header: str) -> Any:
    """The first table whose first row has a cell reading `header`."""
    for table in document.tables:
        if any(cell.text == header for cell in table.rows[0].cells):
            return table
    raise AssertionError(f"no table with the column {header!r}")


def _pdf_file(brief: Brief, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"brief-{brief.pk}.pdf"
    with brief.pdf.open("rb") as handle:
        path.write_bytes(handle.read())
    return path


def pdf_pages(brief: Brief, folder: Path) -> list[Path]:
    """Every page of the brief's PDF rendered to PNG by pdftoppm; each checked to be an image."""
    tool = shutil.which("pdftoppm")
    assert tool, "pdftoppm is missing (Debian: apt-get install poppler-utils; make test does it)"
    source = _pdf_file(brief, folder)
    prefix = folder / f"page-{brief.pk}"
    subprocess.run([tool, "-r", "40", "-png", str(source), str(prefix)], check=True)  # noqa: S603
    pages = sorted(folder.glob(f"page-{brief.pk}-*.png"))
    for page in pages:
        assert page.stat().st_size > 0
        with Image.open(page) as image:
            assert image.format == "PNG"
            assert image.width > 100 and image.height > 100
    return pages


def pdf_texts(brief: Brief, folder: Path) -> list[str]:
    """The text of each page of the brief's PDF (pdftotext)."""
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is missing (Debian: apt-get install poppler-utils)"
    source = _pdf_file(brief, folder)
    out = subprocess.run(  # noqa: S603
        [tool, "-layout", str(source), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [page for page in out.split("\f") if page.strip()]
