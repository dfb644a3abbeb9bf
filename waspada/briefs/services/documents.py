"""Writes of briefs: requesting and building briefs, letterheads, brief subscriptions, and the
schedule that builds and delivers the daily, weekly and monthly briefs of subscribers.

A brief is built for one reader, from what that reader may see: `request_brief` checks the
reader's scope and permission ("reports.view"; a reader of 63 asking for 62 gets OutOfScope, 404),
writes a queued `Brief` (its version counts the earlier builds of the same kind, area, period,
event and reader), audits `brief.requested` and queues `briefs.build_brief` after commit. The job
(`build_brief`) gathers the content as the reader, draws the map and chart, writes the DOCX and
the PDF, stores them through Django's storage and marks the brief done, or failed with the error
kept; its progress (percent and a note) is visible while it runs.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation

from waspada.briefs.choices import PERIODIC_KINDS, BriefChannel, BriefKind, JobState
from waspada.briefs.content import information, periodic
from waspada.briefs.content.periods import normalise, previous_period
from waspada.briefs.models import Brief, BriefSubscription, Letterhead
from waspada.core import audit
from waspada.core.errors import Conflict, DomainError, InvalidInput, OutOfScope
from waspada.core.jobs import report_progress
from waspada.core.permissions import ensure_can
from waspada.geo import selectors as geo_selectors
from waspada.geo.models import Area
from waspada.geo.zones import zone_for

logger = logging.getLogger(__name__)

READ = "reports.view"
LETTERHEAD = "briefs.letterhead"
MIN_YEAR, MAX_YEAR = 2000, 2100
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PX = 600
LINES_MAX = 6
LINE_MAX_CHARS = 120
STEP_GATHER = (10, "Mengumpulkan data")
STEP_MAP = (40, "Menggambar peta")
STEP_DOCX = (60, "Menyusun DOCX")
STEP_PDF = (80, "Menyusun PDF")
STEP_STORE = (95, "Menyimpan berkas")


def _snapshot(obj: Brief | Letterhead | None) -> dict[str, Any] | None:
    """The audit snapshot of a brief or letterhead (file fields as their stored names)."""
    if obj is None:
        return None
    files = [f.name for f in obj._meta.concrete_fields if f.get_internal_type() == "FileField"]
    data = audit.snapshot(obj, exclude=files)
    for name in files:
        data[name] = getattr(obj, name).name or ""
    return data


def _check_actor(actor: Any) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise OutOfScope()


def _local_today(area_code: str, now: dt.datetime) -> dt.date:
    return now.astimezone(zone_for(area_code)).date()


def _period(
    kind: str,
    area_code: str,
    day: dt.date | None,
    period_start: dt.date | None,
    now: dt.datetime,
) -> tuple[dt.date, dt.date]:
    """The period of a periodic brief: the day, the week or the month that holds the given date
    (default: today for a daily brief, the last complete week or month otherwise)."""
    today = _local_today(area_code, now)
    given = day or period_start
    if given is None:
        start, end = (today, today) if kind == BriefKind.DAILY else previous_period(kind, today)
    else:
        start, end = normalise(kind, given)
    field = "day" if kind == BriefKind.DAILY else "period_start"
    if not (MIN_YEAR <= start.year <= MAX_YEAR):
        raise InvalidInput("Periode tidak valid.", {field: ["Tahun di luar jangkauan."]})
    if start > today:
        raise InvalidInput("Periode belum dimulai.", {field: ["Periode ini belum dimulai."]})
    return start, end


def _next_version(
    *, kind: str, area: Area, start: dt.date, end: dt.date, event_id: int | None, reader: Any
) -> int:
    # Lock the reader's row: two requests of one reader get consecutive versions (the unique key
    # cannot see NULL events on PostgreSQL).
    list(get_user_model().objects.select_for_update().filter(pk=reader.pk).values_list("pk"))
    same = Brief.objects.filter(
        kind=kind, area=area, period_start=start, period_end=end, built_for=reader
    )
    same = same.filter(event__isnull=True) if event_id is None else same.filter(event=event_id)
    latest = same.aggregate(n=Max("version"))["n"]
    return int(latest or 0) + 1


@transaction.atomic
def request_brief(
    *,
    actor: Any,
    kind: str,
    area_code: str = "",
    day: dt.date | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    event_id: int | None = None,
    scheduled: bool = False,
    now: dt.datetime | None = None,
) -> Brief:
    """Queue a brief for the actor: a periodic brief of an area and period, or the Laporan
    Informasi of one event. Returns the queued brief; the build job runs after commit.

    `period_end` is taken from the kind (a day, a Monday-Sunday week, a calendar month holding
    `day`/`period_start`). Raises OutOfScope (404) for an area or event outside the actor's scope
    or clearance, PermissionDenied without "reports.view", InvalidInput for a bad kind, a missing
    area or event, a period not yet begun, or an event without verified items.
    """
    _check_actor(actor)
    now = now or timezone.now()
    if kind not in BriefKind.values:
        raise InvalidInput("Jenis dokumen tidak dikenal.", {"kind": ["Jenis tidak dikenal."]})
    event_key: int | None = None
    if kind == BriefKind.INFORMATION:
        if event_id is None:
            raise InvalidInput("Pilih kejadian.", {"event_id": ["Wajib diisi."]})
        event = information.visible_event(actor, event_id)
        ensure_can(actor, READ, event.area_id)
        items = information.verified_timeline(actor, event)
        if not items:
            raise InvalidInput(
                "Kejadian ini belum memiliki butir laporan terverifikasi.",
                {"event_id": ["Belum ada butir terverifikasi."]},
            )
        area = event.area
        zone = zone_for(area.code)
        start = items[0].occurred_at.astimezone(zone).date()
        end = items[-1].occurred_at.astimezone(zone).date()
        event_key = event.pk
    else:
        area_code = (area_code or "").strip()
        if not area_code:
            raise InvalidInput("Pilih wilayah.", {"area_code": ["Wajib diisi."]})
        ensure_can(actor, READ, area_code)
        area = geo_selectors.get_area(actor, area_code)
        start, end = _period(kind, area.code, day, period_start, now)
    version = _next_version(
        kind=kind, area=area, start=start, end=end, event_id=event_key, reader=actor
    )
    try:
        with transaction.atomic():
            brief = Brief.objects.create(
                kind=kind,
                area=area,
                period_start=start,
                period_end=end,
                event_id=event_key,
                built_for=actor,
                scheduled=scheduled,
                version=version,
                progress_note="Menunggu giliran",
            )
    except IntegrityError:
        raise Conflict("Dokumen yang sama sedang dibuat; coba lagi.") from None
    audit.record(
        actor=actor,
        action="brief.requested",
        obj=brief,
        area_code=area.code,
        after=_snapshot(brief),
    )
    from waspada.briefs.tasks.documents import build_brief as build_job

    job_id = build_job.enqueue_for(actor=actor, area_code=area.code, kwargs={"brief_id": brief.pk})
    Brief.objects.filter(pk=brief.pk).update(job_id=job_id)
    brief.job_id = job_id
    return brief


# ---------------------------------------------------------------- building


def _step(brief: Brief, step: tuple[int, str]) -> None:
    percent, note = step
    Brief.objects.filter(pk=brief.pk, state=JobState.RUNNING).update(
        progress=percent, progress_note=note
    )
    report_progress(percent)


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, OutOfScope):
        return "Wilayah atau kejadian ini tidak lagi dapat Anda akses."
    if isinstance(exc, PermissionDenied):
        return "Peran Anda tidak lagi boleh membaca laporan."
    if isinstance(exc, DomainError):
        return exc.message or str(exc)
    return f"{type(exc).__name__}: {exc}"[:2000]


def _file_stem(brief: Brief) -> str:
    return (
        f"{brief.kind}-{brief.area_id}-{brief.period_start:%Y%m%d}-{brief.period_end:%Y%m%d}"
        f"-v{brief.version}-{brief.pk}"
    )


def _render(brief: Brief, now: dt.datetime) -> tuple[bytes, bytes, str, dict[str, Any]]:
    """Gather, draw and write one brief as its reader: (docx, pdf, classification, summary)."""
    from waspada.briefs import images
    from waspada.briefs.documents import outline
    from waspada.briefs.documents.docx_writer import write_docx
    from waspada.briefs.documents.pdf_writer import write_pdf

    reader = brief.built_for
    _step(brief, STEP_GATHER)
    ensure_can(reader, READ, brief.area_id)
    if brief.kind == BriefKind.INFORMATION:
        if brief.event_id is None:
            raise InvalidInput("Laporan Informasi tanpa kejadian.")
        report = information.gather_information(reader, event_id=brief.event_id, now=now)
        _step(brief, STEP_MAP)
        blocks = outline.information_outline(report)
        content: Any = report
        title = f"Laporan Informasi {report.reference}"
    else:
        brief_content = periodic.gather_periodic(
            reader,
            kind=brief.kind,
            area_code=brief.area_id,
            start=brief.period_start,
            end=brief.period_end,
            now=now,
        )
        _step(brief, STEP_MAP)
        map_png = (
            images.choropleth_png(reader, brief.area_id, brief_content.map_areas)
            if brief_content.map_areas
            else None
        )
        trend_png = images.trend_png(
            brief_content.trend_days, brief_content.trend_items, brief_content.trend_scores
        )
        blocks = outline.periodic_outline(brief_content, map_png, trend_png)
        brief_content.summary["map"] = map_png is not None
        content = brief_content
        title = f"{brief_content.title} {brief_content.area_name} {brief_content.period_text}"
    _step(brief, STEP_DOCX)
    docx = write_docx(blocks, letterhead=content.letterhead, classification=content.classification)
    _step(brief, STEP_PDF)
    pdf = write_pdf(
        blocks, letterhead=content.letterhead, classification=content.classification, title=title
    )
    return docx, pdf, content.classification, dict(content.summary)


def build_brief(brief_id: int, *, now: dt.datetime | None = None) -> Brief:
    """Build a queued brief (the job's body): running with progress, then done with its DOCX
    and PDF stored, or failed with the error kept. Safe to repeat: a done or failed brief is
    left as it is. A scheduled brief is delivered to its reader's subscriptions when done.

    Raises Brief.DoesNotExist for an unknown id.
    """
    brief = Brief.objects.select_related("built_for", "area").get(pk=brief_id)
    moved = Brief.objects.filter(pk=brief.pk, state__in=[JobState.QUEUED, JobState.RUNNING]).update(
        state=JobState.RUNNING, progress=5, progress_note="Dimulai", error=""
    )
    if moved != 1:
        return brief
    brief.state = JobState.RUNNING
    now = now or timezone.now()
    try:
        with translation.override("id"):
            docx, pdf, classification, summary = _render(brief, now)
        _step(brief, STEP_STORE)
        stem = _file_stem(brief)
        brief.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
        brief.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    except Exception as exc:
        logger.exception("Brief %s could not be built.", brief.pk)
        with transaction.atomic():
            Brief.objects.filter(pk=brief.pk, state=JobState.RUNNING).update(
                state=JobState.FAILED,
                progress_note="Gagal",
                error=_error_text(exc),
                finished_at=timezone.now(),
            )
            brief.refresh_from_db()
            audit.record(
                actor=None,
                action="brief.failed",
                obj=brief,
                area_code=brief.area_id,
                after=_snapshot(brief),
            )
        return brief
    summary["docx_bytes"], summary["pdf_bytes"] = len(docx), len(pdf)
    with transaction.atomic():
        Brief.objects.filter(pk=brief.pk, state=JobState.RUNNING).update(
            state=JobState.DONE,
            progress=100,
            progress_note="Selesai",
            docx=brief.docx.name,
            pdf=brief.pdf.name,
            classification=classification,
            summary=summary,
            finished_at=timezone.now(),
        )
        brief.refresh_from_db()
        audit.record(
            actor=None,
            action="brief.built",
            obj=brief,
            area_code=brief.area_id,
            after=_snapshot(brief),
        )
    if brief.scheduled:
        from waspada.briefs.services.documents_schedule import deliver_brief

        deliver_brief(brief)
    return brief


# ---------------------------------------------------------------- letterheads


def _clean_logo(upload: Any, errors: dict[str, list[str]]) -> bytes | None:
    """The logo as a small PNG (re-encoded: no metadata, a known format), or None with an error."""
    from PIL import Image, UnidentifiedImageError

    if upload.size and upload.size > LOGO_MAX_BYTES:
        errors["logo"] = ["Berkas logo paling besar 2 MB."]
        return None
    try:
        with Image.open(upload) as image:
            if image.format not in ("PNG", "JPEG"):
                errors["logo"] = ["Logo harus berkas PNG atau JPEG."]
                return None
            image.load()
            picture = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError):
        errors["logo"] = ["Berkas ini bukan gambar PNG atau JPEG yang dapat dibaca."]
        return None
    picture.thumbnail((LOGO_MAX_PX, LOGO_MAX_PX))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


@transaction.atomic
def save_letterhead(
    *,
    actor: Any,
    area_code: str,
    lines: str,
    address: str = "",
    city: str = "",
    signer_title: str = "",
    signer_name: str = "",
    signer_id: str = "",
    logo: Any = None,
    remove_logo: bool = False,
) -> Letterhead:
    """Create or change the letterhead of an area (its lines, address, logo and signer).

    Raises OutOfScope (404) for an area outside the actor's scope, PermissionDenied without
    "briefs.letterhead", InvalidInput for empty or too many lines or a logo that is not a PNG or
    JPEG image (nothing is saved then).
    """
    _check_actor(actor)
    ensure_can(actor, LETTERHEAD, area_code)
    area = geo_selectors.get_area(actor, area_code)
    errors: dict[str, list[str]] = {}
    kept = [line.strip() for line in (lines or "").splitlines() if line.strip()]
    if not kept:
        errors["lines"] = ["Isi paling sedikit satu baris kop."]
    elif len(kept) > LINES_MAX:
        errors["lines"] = [f"Paling banyak {LINES_MAX} baris."]
    elif any(len(line) > LINE_MAX_CHARS for line in kept):
        errors["lines"] = [f"Setiap baris paling panjang {LINE_MAX_CHARS} karakter."]
    png = _clean_logo(logo, errors) if logo is not None else None
    limits = {"address": 300, "city": 100, "signer_title": 200, "signer_name": 200, "signer_id": 40}
    values = {
        "address": address.strip(),
        "city": city.strip(),
        "signer_title": signer_title.strip(),
        "signer_name": signer_name.strip(),
        "signer_id": signer_id.strip(),
    }
    for name, limit in limits.items():
        if len(values[name]) > limit:
            errors[name] = [f"Paling panjang {limit} karakter."]
    if errors:
        raise InvalidInput("Periksa isian kop surat.", errors)
    letterhead = Letterhead.objects.select_for_update().filter(area=area).first()
    before = _snapshot(letterhead)
    if letterhead is None:
        letterhead = Letterhead(area=area)
    letterhead.lines = "\n".join(kept)
    for name, value in values.items():
        setattr(letterhead, name, value)
    letterhead.updated_by = actor
    old_logo = letterhead.logo.name if letterhead.logo else ""
    if png is not None:
        letterhead.logo.save("logo.png", ContentFile(png), save=False)
    elif remove_logo:
        letterhead.logo = ""
    letterhead.save()
    if old_logo and (png is not None or remove_logo):
        storage = letterhead.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    audit.record(
        actor=actor,
        action="letterhead.saved",
        obj=letterhead,
        area_code=area.code,
        before=before,
        after=_snapshot(letterhead),
    )
    return letterhead


# ---------------------------------------------------------------- subscriptions


@transaction.atomic
def subscribe_brief(*, actor: Any, area_code: str, kind: str, channel: str) -> BriefSubscription:
    """Subscribe the actor to the scheduled daily, weekly or monthly briefs of an area.

    Raises OutOfScope (404) for an area outside the actor's scope, PermissionDenied without
    "reports.view", InvalidInput for a kind or channel that does not exist (or e-mail without an
    address), Conflict when the same subscription is already active.
    """
    _check_actor(actor)
    area_code = (area_code or "").strip()
    if not area_code:
        raise InvalidInput("Pilih wilayah.", {"area_code": ["Wajib diisi."]})
    ensure_can(actor, READ, area_code)
    area = geo_selectors.get_area(actor, area_code)
    errors: dict[str, list[str]] = {}
    if kind not in [str(k) for k in PERIODIC_KINDS]:
        errors["kind"] = ["Pilih harian, mingguan atau bulanan."]
    if channel not in BriefChannel.values:
        errors["channel"] = ["Saluran tidak dikenal."]
    elif channel == BriefChannel.EMAIL and not actor.email:
        errors["channel"] = ["Akun Anda belum punya alamat surel; isi dulu di profil."]
    if errors:
        raise InvalidInput("Periksa isian langganan.", errors)
    subscription = BriefSubscription(user=actor, area=area, kind=kind, channel=channel)
    try:
        with transaction.atomic():
            subscription.save(force_insert=True)
    except IntegrityError:
        raise Conflict("Langganan yang sama sudah aktif.") from None
    audit.record(
        actor=actor, action="brief_subscription.created", obj=subscription, area_code=area.code
    )
    return subscription


@transaction.atomic
def unsubscribe_brief(subscription: BriefSubscription, *, actor: Any) -> BriefSubscription:
    """Stop one of the actor's own brief subscriptions (again is harmless).

    Raises OutOfScope (404) for someone else's subscription.
    """
    _check_actor(actor)
    if subscription.user_id != actor.pk:
        raise OutOfScope(subscription.area_id)
    before = audit.snapshot(subscription)
    changed = BriefSubscription.objects.filter(pk=subscription.pk, active=True).update(active=False)
    subscription.refresh_from_db()
    if changed:
        audit.record(
            actor=actor,
            action="brief_subscription.stopped",
            obj=subscription,
            area_code=subscription.area_id,
            before=before,
        )
    return subscription


# The schedule lives next door (size); it is part of this service module's surface.
from waspada.briefs.services.documents_schedule import (  # noqa: E402
    deliver_brief,
    send_scheduled_briefs,
)

__all__ = [
    "build_brief",
    "deliver_brief",
    "request_brief",
    "save_letterhead",
    "send_scheduled_briefs",
    "subscribe_brief",
    "unsubscribe_brief",
]
