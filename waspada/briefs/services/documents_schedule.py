"""The schedule of briefs (part of `briefs.services.documents`): build the daily, weekly and
monthly brief each subscriber is due, once their area's local time has passed
WASPADA_BRIEF_HOUR, and deliver it by e-mail (DOCX and PDF attached) and/or the inbox.

Idempotent: a subscriber's scheduled brief of a period is looked up before one is requested (one
per reader, area, kind and period), and each channel is delivered once per brief (recorded in the
brief's `summary["delivered"]` under a row lock; the inbox also through the notification key).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from waspada.briefs.choices import BriefChannel, BriefKind, JobState
from waspada.briefs.content import formatting as fmt
from waspada.briefs.content.periods import due_period
from waspada.briefs.models import Brief, BriefSubscription
from waspada.core.classification import Classification
from waspada.core.errors import DomainError
from waspada.geo.zones import zone_for

logger = logging.getLogger(__name__)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
NO_ADDRESS = "no-address"


def brief_label(brief: Brief) -> str:
    """ "Laporan bulanan Kalimantan Tengah, Desember 2026"."""
    kind = BriefKind(brief.kind).label
    if brief.kind == BriefKind.INFORMATION and brief.event_id:
        return f"{kind} KJD-{brief.event_id:06d}, {brief.area.display_name}"
    if brief.kind == BriefKind.DAILY:
        period = fmt.tanggal(brief.period_start)
    else:
        period = fmt.periode(brief.period_start, brief.period_end)
    return f"{kind} {brief.area.display_name}, {period}"


def download_name(brief: Brief, extension: str) -> str:
    """The file name users get: "laporan-bulanan-62-2026-12-01-v1.pdf"."""
    words = {
        BriefKind.DAILY: "rekap-harian",
        BriefKind.WEEKLY: "laporan-mingguan",
        BriefKind.MONTHLY: "laporan-bulanan",
        BriefKind.INFORMATION: "laporan-informasi",
    }
    return (
        f"{words.get(BriefKind(brief.kind), 'dokumen')}-{brief.area_id}-"
        f"{brief.period_start.isoformat()}-v{brief.version}.{extension}"
    )


def _read(name: str, storage: Any) -> bytes:
    with storage.open(name, "rb") as handle:
        data: bytes = handle.read()
        return data


def _email(brief: Brief, user: Any, path: str) -> None:
    """The brief by e-mail, DOCX and PDF attached; a *rahasia* brief is never attached (e-mail
    leaves the system's access control): its e-mail carries the link only."""
    label = brief_label(brief)
    site = str(settings.WASPADA_SITE_URL).rstrip("/")
    classification = str(brief.get_classification_display())
    attach = brief.classification != Classification.RAHASIA
    if attach:
        lead = (
            f"Terlampir {label} (klasifikasi {classification}) dalam format Word (DOCX) dan PDF, "
            "disusun Waspada dari data yang boleh Anda lihat.\n\n"
            f"Dokumen ini juga tersedia di {site}{path}\n\n"
        )
    else:
        lead = (
            f"{label} sudah dibuat. Dokumen berklasifikasi {classification.upper()} tidak "
            f"dilampirkan pada surel; unduh setelah masuk ke Waspada: {site}{path}\n\n"
        )
    body = (
        f"Yth. {user},\n\n{lead}"
        "Anda menerima surel ini karena berlangganan dokumen laporan di Waspada; langganan "
        f"dapat dihentikan di {site}{reverse('briefs:subscription_list')}\n"
    )
    message = EmailMessage(
        subject=f"[{classification.upper()}] {label}", body=body, to=[user.email]
    )
    if attach:
        for stored, extension, content_type in (
            (brief.docx, "docx", DOCX_TYPE),
            (brief.pdf, "pdf", PDF_TYPE),
        ):
            data = _read(stored.name or "", stored.storage)
            message.attach(download_name(brief, extension), data, content_type)
    message.send()


def _inbox(brief: Brief, user: Any, path: str) -> None:
    from waspada.notifications.services import notify

    notify(
        user,
        kind="brief",
        title=f"{brief_label(brief)} siap dibaca",
        body="Dokumen terjadwal Anda sudah dibuat (DOCX dan PDF).",
        url=path,
        area_code=brief.area_id,
        email=False,
        key=f"brief:{brief.pk}",
    )


def deliver_brief(brief: Brief) -> list[str]:
    """Deliver a done brief to its reader's active subscriptions of its area and kind, each
    channel once. Returns the channels delivered now (a channel that failed is tried again on
    the next scheduled run)."""
    if brief.state != JobState.DONE:
        return []
    channels = set(
        BriefSubscription.objects.filter(
            user_id=brief.built_for_id, area_id=brief.area_id, kind=brief.kind, active=True
        ).values_list("channel", flat=True)
    )
    if not channels:
        return []
    path = reverse("briefs:brief_detail", args=[brief.pk])
    sent: list[str] = []
    with transaction.atomic():
        locked = (
            Brief.objects.select_for_update().select_related("built_for", "area").get(pk=brief.pk)
        )
        summary = dict(locked.summary or {})
        delivered = dict(summary.get("delivered") or {})
        user = locked.built_for
        for channel in sorted(channels - delivered.keys()):
            try:
                if channel == BriefChannel.EMAIL:
                    if not user.email:
                        delivered[channel] = NO_ADDRESS
                        continue
                    _email(locked, user, path)
                else:
                    _inbox(locked, user, path)
            except Exception:
                logger.exception("Brief %s could not be delivered by %s.", brief.pk, channel)
                continue
            delivered[channel] = timezone.now().isoformat()
            sent.append(channel)
        summary["delivered"] = delivered
        Brief.objects.filter(pk=brief.pk).update(summary=summary)
    brief.summary = summary
    return sent


def _scheduled_brief(subscription: BriefSubscription, start: dt.date, end: dt.date) -> Brief | None:
    return (
        Brief.objects.filter(
            kind=subscription.kind,
            area_id=subscription.area_id,
            period_start=start,
            period_end=end,
            event__isnull=True,
            built_for_id=subscription.user_id,
            scheduled=True,
        )
        .select_related("built_for", "area")
        .order_by("-version")
        .first()
    )


def send_scheduled_briefs(now: dt.datetime | None = None) -> dict[str, int]:
    """For every active brief subscription whose area's local time has passed
    WASPADA_BRIEF_HOUR: request the brief due (daily: yesterday; weekly: the previous week, on
    Mondays; monthly: the previous month, on the 1st) for the subscriber unless it exists, and
    deliver the ones already built. Returns counts (requested, delivered, skipped)."""
    from waspada.briefs.services.documents import request_brief

    now = now or timezone.now()
    hour = int(settings.WASPADA_BRIEF_HOUR)
    counts = {"requested": 0, "delivered": 0, "skipped": 0, "waiting": 0}
    subscriptions = BriefSubscription.objects.filter(active=True, user__is_active=True)
    for subscription in subscriptions.select_related("user", "area").order_by("id"):
        local = now.astimezone(zone_for(subscription.area_id))
        if local.hour < hour:
            counts["waiting"] += 1
            continue
        period = due_period(subscription.kind, local.date())
        if period is None:
            continue
        start, end = period
        brief = _scheduled_brief(subscription, start, end)
        if brief is None:
            try:
                request_brief(
                    actor=subscription.user,
                    kind=subscription.kind,
                    area_code=subscription.area_id,
                    day=start,
                    period_start=start,
                    scheduled=True,
                    now=now,
                )
            except (DomainError, PermissionDenied) as exc:
                logger.info("Scheduled brief for subscription %s skipped: %s", subscription.pk, exc)
                counts["skipped"] += 1
                continue
            counts["requested"] += 1
        elif brief.state == JobState.DONE:
            counts["delivered"] += len(deliver_brief(brief))
    return counts
