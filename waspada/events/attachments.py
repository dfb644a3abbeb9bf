"""Attachments of report items: photos, PDF and office documents.

The type is read from the content (magic bytes, and for zip-based and OLE2 documents their inner
structure), never from the name or the browser's content type; the name's extension must agree with
the content, so a program or web page named ``.jpg`` and a JPEG named ``.pdf`` are both refused.
Photos are decoded and re-encoded with Pillow without their metadata (EXIF with GPS, XMP, comments)
unless the reporter keeps the location; the stored name is made from the content hash, never the
client's name, and files go through Django's storage API (local folder or S3-compatible storage,
see STORAGES in settings). Files are served only by the scoped view `events:attachment_download`.
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.core import audit
from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.permissions import ensure_can
from waspada.core.scoping import user_covers
from waspada.events import selectors
from waspada.events.models import Attachment, Item, attachment_path

if TYPE_CHECKING:
    from waspada.accounts.models import User

# Who may add or remove files: whoever may file the item's report (the same rule as editing it).
EDIT_PERMISSION = "reports.create"
ITEM_OBJECT_TYPE = "events.item"
EDITABLE_REPORT_STATUSES = frozenset({"draft", "returned"})
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


class Upload(Protocol):
    """What an uploaded file offers (Django's UploadedFile, or any named binary file)."""

    name: str | None

    def read(self, size: int = ..., /) -> bytes: ...


@dataclass(frozen=True)
class FileKind:
    """An allowed type: canonical extension, other accepted extensions, MIME type, label."""

    extension: str
    content_type: str
    label: str
    aliases: tuple[str, ...] = ()
    is_photo: bool = False

    @property
    def extensions(self) -> tuple[str, ...]:
        return (self.extension, *self.aliases)


JPEG = FileKind(".jpg", "image/jpeg", "JPEG", (".jpeg", ".jpe"), is_photo=True)
PNG = FileKind(".png", "image/png", "PNG", is_photo=True)
WEBP = FileKind(".webp", "image/webp", "WebP", is_photo=True)
PDF = FileKind(".pdf", "application/pdf", "PDF")
DOCX = FileKind(
    ".docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word (DOCX)",
)
XLSX = FileKind(
    ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)"
)
PPTX = FileKind(
    ".pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "PowerPoint (PPTX)",
)
DOC = FileKind(".doc", "application/msword", "Word 97-2003 (DOC)")
XLS = FileKind(".xls", "application/vnd.ms-excel", "Excel 97-2003 (XLS)")
ODT = FileKind(".odt", "application/vnd.oasis.opendocument.text", "OpenDocument (ODT)")
ODS = FileKind(".ods", "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument (ODS)")

ALLOWED: tuple[FileKind, ...] = (JPEG, PNG, WEBP, PDF, DOCX, XLSX, PPTX, DOC, XLS, ODT, ODS)
ALLOWED_EXTENSIONS = frozenset(ext for kind in ALLOWED for ext in kind.extensions)
# For the file input's `accept` attribute (a hint to the phone's picker, not a check).
ACCEPT_ATTRIBUTE = ",".join(sorted(ALLOWED_EXTENSIONS))

# The main part of an Office Open XML package, as declared in its [Content_Types].xml.
# Macro-enabled variants (docm, xlsm, pptm) declare other types and are refused.
_OOXML_MAIN = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
}
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_MAX_CONTENT_TYPES_BYTES = 1024 * 1024  # [Content_Types].xml is a few kilobytes


def max_bytes() -> int:
    """The largest accepted attachment, from WASPADA_ATTACHMENT_MAX_BYTES (default 10 MB)."""
    return int(getattr(settings, "WASPADA_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _allowed_list() -> str:
    return "JPEG, PNG, WebP, PDF, DOCX, XLSX, PPTX, DOC, XLS, ODT, ODS"


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(message, {"file": [message]})


def _ooxml_kind(archive: zipfile.ZipFile) -> FileKind | None:
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return None
    if info.file_size > _MAX_CONTENT_TYPES_BYTES:
        return None
    declared = archive.read(info)
    for main_type, kind in _OOXML_MAIN.items():
        if main_type in declared:
            return kind
    return None


def _odf_kind(archive: zipfile.ZipFile) -> FileKind | None:
    # ODF puts an uncompressed "mimetype" entry first; its content names the document type.
    names = archive.namelist()
    if not names or names[0] != "mimetype":
        return None
    info = archive.getinfo("mimetype")
    if info.file_size > 200:
        return None
    return _ODF_MIMETYPES.get(archive.read(info).strip())


def _zip_kind(data: bytes) -> FileKind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _ooxml_kind(archive) or _odf_kind(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError):
        return None


def _ole2_streams(data: bytes) -> set[str]:
    """Names of the entries in an OLE2 compound file's directory.

    Directory entries are 128 bytes, aligned to 128 inside sectors that start at a multiple of the
    sector size, so every aligned slot is read as a candidate entry and kept when it is well formed
    (a UTF-16 name of the declared length and a storage/stream/root type). That finds the
    directory without following the FAT chain.
    """
    if len(data) < 512:
        return set()
    names: set[str] = set()
    for offset in range(512, len(data) - 127, 128):
        entry = data[offset : offset + 128]
        (name_length,) = struct.unpack_from("<H", entry, 64)
        kind = entry[66]
        if kind not in (1, 2, 5) or not 2 <= name_length <= 64 or name_length % 2:
            continue
        raw = entry[: name_length - 2]
        if entry[name_length - 2 : name_length] != b"\x00\x00":
            continue
        try:
            names.add(raw.decode("utf-16-le"))
        except UnicodeDecodeError:
            continue
    return names


def _ole2_kind(data: bytes) -> FileKind | None:
    streams = _ole2_streams(data)
    if "WordDocument" in streams:
        return DOC
    if "Workbook" in streams or "Book" in streams:
        return XLS
    return None


def detect_kind(data: bytes) -> FileKind | None:
    """The allowed type of `data`, read from its content; None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(_ZIP_MAGIC):
        return _zip_kind(data)
    if data.startswith(_OLE2_MAGIC):
        return _ole2_kind(data)
    return None


def _extension(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "." + base.rsplit(".", 1)[1].lower() if "." in base.strip(".") else ""


def _clean_name(name: str | None, kind: FileKind) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = "".join(ch for ch in base if ch.isprintable())[:200]
    if not base:
        return f"lampiran{kind.extension}"
    return base if _extension(base) else base + kind.extension


def _read_limited(upload: Upload, limit: int) -> bytes:
    size = getattr(upload, "size", None)
    if isinstance(size, int) and size > limit:
        raise _too_large(limit)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    return data


def _too_large(limit: int) -> InvalidInput:
    return _refuse(
        _("Berkas terlalu besar: paling besar %(mb)s MB.") % {"mb": f"{limit / 1048576:g}"}
    )


def _clean_photo(data: bytes, kind: FileKind, keep_location: bool) -> bytes:
    """Decode the photo (refusing anything Pillow cannot read) and re-encode it without metadata.

    Orientation from EXIF is applied to the pixels first, so the photo still stands upright once
    the EXIF block is gone. With `keep_location` the original bytes are kept as they are.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    bad = _refuse(
        _("Foto tidak dapat dibaca: berkas rusak atau bukan gambar %(t)s.") % {"t": kind.label}
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                probe.verify()  # structure check; the image must be reopened after verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                if keep_location:
                    return data
                upright = ImageOps.exif_transpose(image)
                keep: dict[Any, Any] = {
                    k: image.info[k]
                    for k in ("icc_profile", "transparency", "dpi")
                    if k in image.info
                }
                upright.info = dict(keep)  # drops exif, xmp, comments and text chunks
                out = io.BytesIO()
                options: dict[str, Any] = dict(keep)
                if kind is JPEG:
                    target = (
                        upright if upright.mode in ("RGB", "L", "CMYK") else upright.convert("RGB")
                    )
                    target.save(out, "JPEG", quality=90, optimize=True, **options)
                elif kind is PNG:
                    upright.save(out, "PNG", optimize=False, **options)
                else:
                    options.pop("dpi", None)
                    options.pop("transparency", None)
                    upright.save(out, "WEBP", quality=90, **options)
                return out.getvalue()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(_("Foto terlalu besar ukurannya (jumlah piksel) untuk diproses.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error):
        raise bad from None


def inspect_upload(upload: Upload, *, keep_location: bool = False) -> tuple[FileKind, bytes, str]:
    """Check an upload and return (type, bytes to store, clean original name).

    Raises InvalidInput (errors under "file") for an empty, oversized, disguised or unreadable
    file. Nothing is stored; `add_attachment` calls this and then stores.
    """
    limit = max_bytes()
    data = _read_limited(upload, limit)
    if not data:
        raise _refuse(_("Berkas kosong."))
    kind = detect_kind(data)
    name = upload.name or ""
    ext = _extension(name)
    if kind is None:
        if ext and ext not in ALLOWED_EXTENSIONS:
            raise _refuse(
                _("Jenis berkas %(ext)s tidak diizinkan. Yang diizinkan: %(allowed)s.")
                % {"ext": ext, "allowed": _allowed_list()}
            )
        raise _refuse(
            _(
                "Isi berkas bukan foto, PDF atau dokumen kantor yang diizinkan (%(allowed)s), "
                "apa pun nama berkasnya."
            )
            % {"allowed": _allowed_list()}
        )
    if ext and ext not in kind.extensions:
        raise _refuse(
            _(
                "Nama berkas berakhiran %(ext)s, tetapi isinya %(label)s. Berkas yang "
                "menyamar ditolak: simpan dengan nama yang benar lalu unggah lagi."
            )
            % {"ext": ext, "label": kind.label}
        )
    if kind.is_photo:
        data = _clean_photo(data, kind, keep_location)
    return kind, data, _clean_name(name, kind)


def _ensure_editable(item: Item, actor: User) -> None:
    # Hidden items (outside scope or above clearance) are "not found" before any permission check.
    if not user_covers(actor, item.area_id) or not selectors.can_read_classification(
        actor, item.classification
    ):
        raise OutOfScope(item.area_id)
    ensure_can(actor, EDIT_PERMISSION, item.report.area_id)
    if item.report.status not in EDITABLE_REPORT_STATUSES:
        raise Conflict(
            _(
                "Laporan ini sudah diajukan atau diverifikasi; lampiran hanya dapat diubah "
                "selama laporan berstatus draf atau dikembalikan."
            )
        )


def _snapshot(attachment: Attachment) -> dict[str, Any]:
    # audit.snapshot cannot serialise a FieldFile; the stored name is what the log needs.
    return {**audit.snapshot(attachment, exclude=["file"]), "file": attachment.file.name}


@transaction.atomic
def add_attachment(
    item: Item, *, actor: User, upload: Upload, keep_location: bool = False
) -> Attachment:
    """Check `upload`, store it through the default storage and attach it to `item`.

    Photos lose their metadata (GPS included) unless `keep_location`. Raises InvalidInput (empty,
    oversized, disguised or unreadable file), OutOfScope (item outside the actor's scope or
    clearance), PermissionDenied (role may not file reports), Conflict (report no longer editable).
    Uploading the same content to the same item again (a double submit) returns the first
    attachment and stores nothing.
    """
    _ensure_editable(item, actor)
    kind, data, original_name = inspect_upload(upload, keep_location=keep_location)
    digest = hashlib.sha256(data).hexdigest()
    existing = Attachment.objects.filter(item=item, sha256=digest).first()
    if existing is not None:
        return existing
    attachment = Attachment(
        item=item,
        original_name=original_name,
        content_type=kind.content_type,
        extension=kind.extension,
        size=len(data),
        sha256=digest,
        location_kept=keep_location and kind.is_photo,
        uploaded_by=actor,
        created_at=timezone.now(),
    )
    stored = default_storage.save(attachment_path(attachment, original_name), ContentFile(data))
    try:
        attachment.file = stored
        attachment.save(force_insert=True)
        audit.record(
            actor=actor,
            action="attachment.added",
            # Filed under the item, so the item's history lists its files.
            object_type=ITEM_OBJECT_TYPE,
            object_id=item.pk,
            area_code=item.area_id,
            after=_snapshot(attachment),
        )
    except BaseException:
        # Nothing half-written: the row is rolled back with the transaction, the file goes too.
        # (A rollback of an outer transaction after we return leaves an unreferenced file, which
        # holds no data anyone can reach: files are served only through an Attachment row.)
        default_storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def remove_attachment(attachment: Attachment, *, actor: User) -> None:
    """Remove an attachment; its file is deleted from storage once the removal commits.

    Raises OutOfScope, PermissionDenied or Conflict like `add_attachment`.
    """
    item = attachment.item
    _ensure_editable(item, actor)
    before = _snapshot(attachment)
    name = attachment.file.name or ""
    attachment.delete()
    audit.record(
        actor=actor,
        action="attachment.removed",
        object_type=ITEM_OBJECT_TYPE,
        object_id=item.pk,
        area_code=item.area_id,
        before=before,
        after=None,
    )
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def get_attachment(user: Any, pk: int | str) -> Attachment:
    """One attachment whose item the viewer may see (scope and clearance); Http404 otherwise."""
    try:
        return Attachment.objects.select_related("item").get(
            pk=pk, item__in=selectors.visible_items(user)
        )
    except (Attachment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
