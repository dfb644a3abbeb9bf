"""Writes of item exports: request one, build one in the background, remove expired files.

An export is requested with a format and the item filters. Up to WASPADA_EXPORT_STREAM_MAX_ROWS
items are handed over at once (the caller streams them; no Export row is kept); larger sets get an
`Export` row and the job `briefs.build_export`, which writes the file through Django's storage
under `exports/<user id>/`, shows its progress on the row, and tells the owner in their inbox (and
by e-mail) when the file is ready or could not be made. Files are kept WASPADA_EXPORT_KEEP_DAYS
days; `briefs.remove_expired_exports` deletes them afterwards (the row stays, for the history).

Every request is audited (`export.requested`, with the format, filters and count), streamed or
not: exports of classified data must be traceable.

Audit actions: export.requested, export.file_removed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import IO, Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.briefs import exporting
from waspada.briefs.choices import ExportFormat, JobState
from waspada.briefs.models import Export
from waspada.briefs.selectors import exports as selectors
from waspada.core import audit
from waspada.core.errors import InvalidInput
from waspada.core.jobs import report_progress
from waspada.geo.zones import zone_for

logger = logging.getLogger(__name__)

OBJECT_TYPE = "briefs.export"
# A user's background exports waiting or being built at once; more are refused until one ends.
MAX_WORKING_PER_USER = 3


def stream_max_rows() -> int:
    """Exports of at most this many items are streamed at once (WASPADA_EXPORT_STREAM_MAX_ROWS)."""
    return int(getattr(settings, "WASPADA_EXPORT_STREAM_MAX_ROWS", 10_000))


def keep_days() -> int:
    """Days an export file is kept (WASPADA_EXPORT_KEEP_DAYS)."""
    return int(getattr(settings, "WASPADA_EXPORT_KEEP_DAYS", 7))


def is_streamed(export: Export) -> bool:
    """True for an export `start_export` handed over to be streamed now (it has no row)."""
    return export.pk is None


def _check_format(value: str) -> str:
    if value not in ExportFormat.values:
        raise InvalidInput(
            _("Format tidak dikenal."),
            {"format": [_("Pilih CSV, XLSX atau GeoJSON.")]},
        )
    return value


@transaction.atomic
def start_export(
    *,
    actor: Any,
    format: str,  # noqa: A002 (the name of the field and of the API's input)
    filters: Mapping[str, Any] | None,
    allow_stream: bool = True,
) -> Export:
    """Request an export of the items `actor` may see that match `filters` (ItemFilter names).

    Returns an unsaved Export (`is_streamed`) when `allow_stream` and the set is small: the caller
    streams `selectors.export_rows(actor, export.filters)` now. Otherwise returns the saved Export
    row, queued for `briefs.build_export` after the transaction commits.

    Raises PermissionDenied for a role that may not read items, InvalidInput (per field) for an
    unknown format, unknown filter names, invalid filter values or an area outside the scope,
    and when the user already has MAX_WORKING_PER_USER background exports waiting or running.
    """
    selectors.ensure_may_export(actor)
    errors: dict[str, list[str]] = {}
    try:
        _check_format(format)
    except InvalidInput as exc:
        errors.update(exc.errors)
    try:
        cleaned = selectors.clean_filters(actor, filters)
    except InvalidInput as exc:
        errors.update(exc.errors)
    if errors:
        raise InvalidInput(_("Periksa kembali permintaan ekspor."), errors)
    count = selectors.count_export_rows(actor, cleaned)
    streamed = allow_stream and count <= stream_max_rows()
    if not streamed and _working(actor) >= MAX_WORKING_PER_USER:
        message = _(
            "Masih ada %(n)s ekspor Anda yang sedang dibuat. Tunggu salah satunya selesai."
        ) % {"n": MAX_WORKING_PER_USER}
        raise InvalidInput(message, {"format": [message]})
    export = Export(user=actor, format=format, filters=cleaned, total_rows=count)
    if not streamed:
        export.save()
    audit.record(
        actor=actor,
        action="export.requested",
        object_type=OBJECT_TYPE,
        object_id=export.pk or "",
        area_code=cleaned.get("area") or getattr(actor, "primary_area_code", None) or "",
        after={
            "format": format,
            "filters": cleaned,
            "count": count,
            "delivery": "stream" if streamed else "background",
        },
    )
    if not streamed:
        from waspada.briefs.tasks.exports import build_export as build_task

        export.job_id = build_task.enqueue_for(
            actor=actor,
            area_code=cleaned.get("area", ""),
            kwargs={"export_id": export.pk},
        )
        export.save(update_fields=["job_id"])
    return export


def _working(user: Any) -> int:
    return Export.objects.filter(
        user_id=user.pk, state__in=[JobState.QUEUED, JobState.RUNNING]
    ).count()


def file_name(export: Export, now: dt.datetime) -> str:
    """The name of the file as the user downloads it: butir-<id>-<local date and time>.<ext>."""
    local = now.astimezone(zone_for(getattr(export.user, "primary_area_code", None)))
    number = export.pk or 0
    return f"butir-{number}-{local:%Y%m%d-%H%M}.{exporting.EXTENSIONS[export.format]}"


class _Progress:
    """Writes the row count and percentage on the export row after each chunk (when it moved)."""

    def __init__(self, export_id: int, total: int) -> None:
        self.export_id = export_id
        self.total = max(total, 1)
        self.percent = -1

    def __call__(self, produced: int) -> None:
        percent = min(99, produced * 100 // self.total)
        if percent == self.percent:
            return
        self.percent = percent
        Export.objects.filter(pk=self.export_id, state=JobState.RUNNING).update(
            progress=percent, row_count=produced
        )
        report_progress(percent)


def _fail(export: Export, message: str) -> dict[str, Any]:
    with transaction.atomic():
        moved = Export.objects.filter(pk=export.pk, state=JobState.RUNNING).update(
            state=JobState.FAILED, error=message, finished_at=timezone.now()
        )
        if moved:
            _notify_failed(export, message)
    return {"export": export.pk, "state": JobState.FAILED, "error": message}


def _notify_failed(export: Export, message: str) -> None:
    from waspada.notifications.services import notify

    notify(
        export.user,
        kind="export",
        title=_("Ekspor data gagal"),
        body=message,
        url=reverse("briefs:export_detail", args=[export.pk]),
        key=f"export:{export.pk}:failed",
    )


def build_export(export_id: int, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Build the file of a queued export (the job `briefs.build_export`). Safe to repeat.

    A finished or failed export is left alone; a queued one (or one whose worker died while
    running) is built from the start. The rows are read as the owner, with the filters stored
    on the row. Not one transaction: progress is written (and visible) as the rows go; the final
    state and the notification are written together. A filter that is no longer valid, or an
    owner who may no longer export, fails the export with the reason on the row (and in their
    inbox); an unexpected error fails it with a generic message and is raised again. `now` is
    the moment it is finished (default: when it is), from which the file is kept.
    """
    export = Export.objects.select_related("user").filter(pk=export_id).first()
    if export is None:
        return {"export": export_id, "skipped": "missing"}
    claimed = Export.objects.filter(
        pk=export.pk, state__in=[JobState.QUEUED, JobState.RUNNING]
    ).update(state=JobState.RUNNING, progress=0, row_count=0, error="")
    if not claimed:
        return {"export": export.pk, "skipped": export.state}
    export.state = JobState.RUNNING
    user = export.user
    name = ""
    try:
        selectors.ensure_may_export(user)
        total = selectors.count_export_rows(user, export.filters)
        classification = selectors.highest_export_classification(user, export.filters)
        Export.objects.filter(pk=export.pk).update(total_rows=total)
        produced = 0

        def progress(rows: int) -> None:
            nonlocal produced
            produced = rows
            tracker(rows)

        tracker = _Progress(export.pk, total)
        rows = selectors.export_rows(user, export.filters, on_chunk=progress)
        # The file is written straight into the storage (no temporary copy): an empty file
        # first reserves a free name (and makes the folder), then the writer fills it.
        wanted = export.file.field.generate_filename(export, file_name(export, timezone.now()))
        name = default_storage.save(wanted, ContentFile(b""))
        with default_storage.open(name, "wb") as handle:
            exporting.WRITERS[export.format](rows, cast(IO[bytes], handle))
        size = default_storage.size(name)
    except InvalidInput as exc:
        _remove(name)
        reasons = [message for messages in exc.errors.values() for message in messages]
        return _fail(export, " ".join([exc.message, *reasons]).strip())
    except PermissionDenied:
        _remove(name)
        return _fail(export, _("Peran Anda tidak lagi boleh mengekspor data butir."))
    except Exception:
        logger.exception("Export %s failed.", export.pk)
        _remove(name)
        _fail(
            export,
            _("Terjadi kesalahan saat membuat berkas. Silakan coba lagi atau hubungi admin."),
        )
        raise
    now = now or timezone.now()
    expires = now + dt.timedelta(days=keep_days())
    with transaction.atomic():
        moved = Export.objects.filter(pk=export.pk, state=JobState.RUNNING).update(
            state=JobState.DONE,
            progress=100,
            row_count=produced,
            file=name,
            size=size,
            classification=classification,
            finished_at=now,
            expires_at=expires,
        )
        if not moved:  # someone else finished or failed it meanwhile: keep theirs
            default_storage.delete(name)
            return {"export": export.pk, "skipped": "changed"}
        _notify_done(export, produced, expires)
    return {"export": export.pk, "state": JobState.DONE, "rows": produced, "size": size}


def _remove(name: str) -> None:
    """Delete a partly written file (nothing when no name was reserved yet)."""
    if name:
        default_storage.delete(name)


def _notify_done(export: Export, rows: int, expires: dt.datetime) -> None:
    from waspada.notifications.services import notify

    local = expires.astimezone(zone_for(getattr(export.user, "primary_area_code", None)))
    body = _("%(rows)s butir dalam format %(format)s. Unduh dari tautan ini sampai %(until)s.") % {
        "rows": f"{rows:,}".replace(",", "."),
        "format": ExportFormat(export.format).label,
        "until": f"{local:%d-%m-%Y %H:%M}",
    }
    notify(
        export.user,
        kind="export",
        title=_("Ekspor data siap diunduh"),
        body=body,
        url=reverse("briefs:export_detail", args=[export.pk]),
        key=f"export:{export.pk}:done",
    )


def remove_expired_exports(now: dt.datetime | None = None) -> dict[str, int]:
    """Delete the files of exports whose `expires_at` has passed (the job
    `briefs.remove_expired_exports`, daily). The rows stay, without a file. Safe to repeat."""
    now = now or timezone.now()
    expired = Export.objects.filter(expires_at__lte=now).exclude(file="").values_list("pk", "file")
    removed = 0
    for pk, name in list(expired):
        default_storage.delete(name)
        with transaction.atomic():
            moved = Export.objects.filter(pk=pk, file=name).update(file="")
            if moved:
                removed += 1
                audit.record(
                    actor=None,
                    action="export.file_removed",
                    object_type=OBJECT_TYPE,
                    object_id=pk,
                    after={"file": name, "expired": True},
                )
    return {"removed": removed}
