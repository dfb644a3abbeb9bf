"""Attachments: type from the content, size limit, photo metadata stripped, storage and audit.

Every file is made inside the test: photos with Pillow (with GPS in their EXIF), office documents
with openpyxl or as the zip/OLE2 structures the formats define, so nothing is fetched.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.models import AuditEntry
from waspada.events import services
from waspada.events.attachments import add_attachment, detect_kind, remove_attachment
from waspada.events.models import Attachment
from waspada.reports.testing import make_item, make_report

GPS_IFD = 0x8825
ORIENTATION = 0x0112


# ---------------------------------------------------------------- files made in the test


def gps_exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "KameraUji"  # Make
    if orientation:
        exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "S"
    gps[2] = (2.0, 12.0, 34.5)
    gps[3] = "E"
    gps[4] = (113.0, 54.0, 38.9)
    return exif


def photo(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), orientation: int | None = None):
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((20, 20, 220), (0, 0, size[0] // 2, size[1]))
    out = io.BytesIO()
    image.save(out, fmt, exif=gps_exif(orientation))
    return out.getvalue()


def stored_bytes(attachment: Attachment) -> bytes:
    with default_storage.open(str(attachment.file.name)) as handle:
        return handle.read()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def read_gps(data: bytes) -> dict:
    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif().get_ifd(GPS_IFD))


def zipped(entries: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in entries:
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=method)
    return out.getvalue()


def ooxml(main_type: str, part: str) -> bytes:
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{main_type}"/></Types>'
    ).encode()
    return zipped([("[Content_Types].xml", types), (part, b"<document/>")])


def docx() -> bytes:
    return ooxml(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "word/document.xml",
    )


def xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Tanggal", "Kejadian"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ole2(stream_name: str) -> bytes:
    """A minimal compound file: header, one FAT sector, one directory sector (root + stream)."""
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 44, 1)  # one FAT sector
    struct.pack_into("<I", header, 48, 1)  # directory starts at sector 1
    struct.pack_into("<III", header, 56, 4096, end, 0)  # mini cutoff, no mini FAT
    struct.pack_into("<II", header, 68, end, 0)  # no DIFAT sectors
    struct.pack_into("<I", header, 76, 0)  # DIFAT[0] = sector 0 holds the FAT
    for i in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * i, free)
    fat = bytearray(b"\xff" * 512)
    struct.pack_into("<II", fat, 0, fat_sector, end)

    def entry(name: str, kind: int, child: int = free) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        raw[: len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, free, free, child)
        struct.pack_into("<IQ", raw, 116, end, 0)
        return bytes(raw)

    directory = entry("Root Entry", 5, child=1) + entry(stream_name, 2) + bytes(256)
    return bytes(header) + bytes(fat) + directory


def odf(mimetype: str) -> bytes:
    return zipped([("mimetype", mimetype.encode()), ("content.xml", b"<office:document/>")])


PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


# ---------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def item(operator_6271):
    report = make_report("62.71", created_by=operator_6271)
    return make_item(report)


# ---------------------------------------------------------------- type from the content


@pytest.mark.parametrize(
    ("name", "make", "content_type", "extension"),
    [
        ("foto.jpg", lambda: photo("JPEG"), "image/jpeg", ".jpg"),
        ("foto.JPEG", lambda: photo("JPEG"), "image/jpeg", ".jpg"),
        ("peta.png", lambda: photo("PNG"), "image/png", ".png"),
        ("foto.webp", lambda: photo("WEBP"), "image/webp", ".webp"),
        ("surat.pdf", lambda: PDF_BYTES, "application/pdf", ".pdf"),
        (
            "laporan.docx",
            docx,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".docx",
        ),
        (
            "rekap.xlsx",
            xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".xlsx",
        ),
        (
            "paparan.pptx",
            lambda: ooxml(
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
                ".main+xml",
                "ppt/presentation.xml",
            ),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            ".pptx",
        ),
        ("lama.doc", lambda: ole2("WordDocument"), "application/msword", ".doc"),
        ("lama.xls", lambda: ole2("Workbook"), "application/vnd.ms-excel", ".xls"),
        (
            "catatan.odt",
            lambda: odf("application/vnd.oasis.opendocument.text"),
            "application/vnd.oasis.opendocument.text",
            ".odt",
        ),
        (
            "tabel.ods",
            lambda: odf("application/vnd.oasis.opendocument.spreadsheet"),
            "application/vnd.oasis.opendocument.spreadsheet",
            ".ods",
        ),
    ],
)
def test_it_accepts_each_allowed_type_recognised_from_its_content(
    item, operator_6271, name, make, content_type, extension
):
    data = make()
    attachment = add_attachment(item, actor=operator_6271, upload=upload(name, data, "text/html"))
    assert attachment.content_type == content_type
    assert attachment.extension == extension
    assert attachment.original_name == name
    stored = stored_bytes(attachment)
    assert attachment.size == len(stored)
    assert attachment.sha256 == hashlib.sha256(stored).hexdigest()
    assert str(attachment.file.name).endswith(attachment.sha256 + extension)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("foto.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200), "bukan foto, PDF"),
        ("foto.jpg", b"<!doctype html><script>alert(1)</script>", "bukan foto, PDF"),
        ("program.exe", b"MZ\x90\x00" + bytes(100), "Jenis berkas .exe tidak diizinkan"),
        ("laporan.docx", zipped([("word/document.xml", b"<x/>")]), "bukan foto, PDF"),
        (
            "makro.docx",
            ooxml("application/vnd.ms-word.document.macroEnabled.main+xml", "word/document.xml"),
            "bukan foto, PDF",
        ),
        ("pemasang.doc", ole2("SummaryInformation"), "bukan foto, PDF"),
    ],
)
def test_it_refuses_files_whose_content_is_not_an_allowed_type(
    item, operator_6271, name, data, message
):
    with pytest.raises(InvalidInput) as caught:
        add_attachment(item, actor=operator_6271, upload=upload(name, data, "image/jpeg"))
    assert message in caught.value.errors["file"][0]
    assert not Attachment.objects.exists()


def test_it_refuses_a_jpeg_named_as_a_pdf_and_says_what_the_file_really_is(item, operator_6271):
    with pytest.raises(InvalidInput) as caught:
        add_attachment(item, actor=operator_6271, upload=upload("surat.pdf", photo()))
    message = caught.value.errors["file"][0]
    assert ".pdf" in message
    assert "JPEG" in message
    assert not Attachment.objects.exists()


def test_it_refuses_a_truncated_photo_as_unreadable(item, operator_6271):
    broken = photo()[:40]
    with pytest.raises(InvalidInput) as caught:
        add_attachment(item, actor=operator_6271, upload=upload("foto.jpg", broken))
    assert "tidak dapat dibaca" in caught.value.errors["file"][0]


def test_it_refuses_an_empty_file(item, operator_6271):
    with pytest.raises(InvalidInput) as caught:
        add_attachment(item, actor=operator_6271, upload=upload("kosong.pdf", b""))
    assert caught.value.errors["file"] == ["Berkas kosong."]


def test_it_gives_a_name_to_a_file_without_extension_from_its_content(item, operator_6271):
    attachment = add_attachment(item, actor=operator_6271, upload=upload("image", photo("PNG")))
    assert attachment.original_name == "image.png"


def test_detect_kind_recognises_nothing_in_plain_text():
    assert detect_kind(b"halo") is None


# ---------------------------------------------------------------- size limit


def test_it_refuses_a_file_over_the_configured_limit_with_the_limit_in_the_message(
    item, operator_6271, settings
):
    settings.WASPADA_ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = b"%PDF-1.4\n" + bytes(1024 * 1024)
    with pytest.raises(InvalidInput) as caught:
        add_attachment(item, actor=operator_6271, upload=upload("besar.pdf", big))
    assert caught.value.errors["file"] == ["Berkas terlalu besar: paling besar 1 MB."]
    assert not Attachment.objects.exists()


def test_it_accepts_a_file_exactly_at_the_limit(item, operator_6271, settings):
    settings.WASPADA_ATTACHMENT_MAX_BYTES = len(PDF_BYTES)
    attachment = add_attachment(item, actor=operator_6271, upload=upload("pas.pdf", PDF_BYTES))
    assert attachment.size == len(PDF_BYTES)


def test_the_default_limit_is_ten_megabytes(settings):
    from waspada.events.attachments import max_bytes

    assert max_bytes() == settings.WASPADA_ATTACHMENT_MAX_BYTES == 10 * 1024 * 1024


# ---------------------------------------------------------------- photo metadata


@pytest.mark.parametrize(
    ("fmt", "name"), [("JPEG", "foto.jpg"), ("PNG", "foto.png"), ("WEBP", "foto.webp")]
)
def test_it_strips_gps_from_photos(item, operator_6271, fmt, name):
    original = photo(fmt)
    assert read_gps(original)[2] == (2.0, 12.0, 34.5)  # the test photo really carries a location
    attachment = add_attachment(item, actor=operator_6271, upload=upload(name, original))
    stored = stored_bytes(attachment)
    assert read_gps(stored) == {}
    with Image.open(io.BytesIO(stored)) as image:
        assert image.getexif().get(0x010F) is None  # the camera make is gone too
        assert image.size == (64, 48)
    assert attachment.location_kept is False


def test_it_keeps_the_location_when_the_reporter_asks(item, operator_6271):
    original = photo("JPEG")
    attachment = add_attachment(
        item, actor=operator_6271, upload=upload("foto.jpg", original), keep_location=True
    )
    stored = stored_bytes(attachment)
    assert read_gps(stored)[4] == (113.0, 54.0, 38.9)
    assert attachment.location_kept is True


def test_it_turns_a_rotated_photo_upright_before_dropping_its_exif(item, operator_6271):
    sideways = photo("JPEG", size=(80, 40), orientation=6)  # "rotate 90° clockwise to view"
    attachment = add_attachment(item, actor=operator_6271, upload=upload("hp.jpg", sideways))
    with Image.open(io.BytesIO(stored_bytes(attachment))) as image:
        assert image.size == (40, 80)
        assert ORIENTATION not in image.getexif()


def test_keep_location_means_nothing_for_documents(item, operator_6271):
    attachment = add_attachment(
        item, actor=operator_6271, upload=upload("surat.pdf", PDF_BYTES), keep_location=True
    )
    assert attachment.location_kept is False


# ---------------------------------------------------------------- storage, audit, rules


def test_it_stores_through_the_default_storage_under_a_hash_name_and_audits(
    item, operator_6271, media
):
    attachment = add_attachment(
        item, actor=operator_6271, upload=upload("../../x/surat.pdf", PDF_BYTES)
    )
    assert attachment.original_name == "surat.pdf"
    assert str(attachment.file.name).startswith("attachments/")
    assert (media / str(attachment.file.name)).read_bytes() == PDF_BYTES
    entry = AuditEntry.objects.get(action="attachment.added")
    assert (entry.object_type, entry.object_id) == ("events.item", str(item.pk))
    assert entry.after is not None
    assert entry.after["id"] == attachment.pk
    assert entry.area_code == item.area_id
    assert entry.after is not None
    assert entry.after["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()


def test_the_same_file_uploaded_twice_to_an_item_lands_once(item, operator_6271):
    first = add_attachment(item, actor=operator_6271, upload=upload("surat.pdf", PDF_BYTES))
    again = add_attachment(item, actor=operator_6271, upload=upload("surat.pdf", PDF_BYTES))
    assert again.pk == first.pk
    assert Attachment.objects.count() == 1
    assert AuditEntry.objects.filter(action="attachment.added").count() == 1


def test_it_refuses_an_item_outside_the_actors_area(item, personas):
    with pytest.raises(OutOfScope):
        add_attachment(item, actor=personas("operator_6201"), upload=upload("s.pdf", PDF_BYTES))


def test_it_refuses_an_item_above_the_actors_clearance_as_not_found(operator_6271):
    report = make_report("62.71", created_by=operator_6271)
    secret = make_item(report, classification="rahasia")
    with pytest.raises(OutOfScope):
        add_attachment(secret, actor=operator_6271, upload=upload("s.pdf", PDF_BYTES))


def test_it_refuses_a_role_that_may_not_file_reports(item, personas):
    with pytest.raises(PermissionDenied):
        add_attachment(item, actor=personas("leader_62"), upload=upload("s.pdf", PDF_BYTES))


def test_it_refuses_changes_once_the_report_is_submitted(operator_6271):
    report = make_report("62.71", created_by=operator_6271, status="submitted")
    submitted = make_item(report)
    with pytest.raises(Conflict):
        add_attachment(submitted, actor=operator_6271, upload=upload("s.pdf", PDF_BYTES))


def test_remove_deletes_the_row_then_the_file_after_commit_and_audits(
    item, operator_6271, django_capture_on_commit_callbacks
):
    attachment = add_attachment(item, actor=operator_6271, upload=upload("s.pdf", PDF_BYTES))
    name = str(attachment.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        remove_attachment(attachment, actor=operator_6271)
    assert not Attachment.objects.exists()
    assert not default_storage.exists(name)
    entry = AuditEntry.objects.get(action="attachment.removed")
    assert entry.before is not None
    assert entry.before["original_name"] == "s.pdf"


def test_remove_is_refused_after_submission(item, operator_6271):
    attachment = add_attachment(item, actor=operator_6271, upload=upload("s.pdf", PDF_BYTES))
    item.report.status = "submitted"
    item.report.save(update_fields=["status"])
    with pytest.raises(Conflict):
        remove_attachment(attachment, actor=operator_6271)
    assert Attachment.objects.count() == 1


def test_removing_an_item_deletes_its_files_once_the_removal_commits(
    item, operator_6271, django_capture_on_commit_callbacks
):
    attachments = [
        add_attachment(item, actor=operator_6271, upload=upload("s.pdf", PDF_BYTES)),
        add_attachment(item, actor=operator_6271, upload=upload("foto.jpg", photo())),
    ]
    names = [str(a.file.name) for a in attachments]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.remove_item(item, actor=operator_6271)
    assert not Attachment.objects.exists()
    assert all(default_storage.exists(name) for name in names)  # not before the commit
    for callback in callbacks:
        callback()
    assert not any(default_storage.exists(name) for name in names)


def test_a_removal_rolled_back_keeps_the_files(
    item, operator_6271, django_capture_on_commit_callbacks
):
    name = str(add_attachment(item, actor=operator_6271, upload=upload("s.pdf", PDF_BYTES)).file)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.remove_item(item, actor=operator_6271)
        raise RuntimeError("something later in the same transaction failed")
    assert callbacks == []
    assert Attachment.objects.count() == 1
    assert default_storage.exists(name)
