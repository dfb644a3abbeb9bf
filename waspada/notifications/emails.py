"""The e-mail channel of notifications, through Django's mail."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from waspada.notifications.models import Notification

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    return str(settings.WASPADA_SITE_URL).rstrip("/") + path if path else ""


def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail each listed notification that has not been e-mailed yet; returns how many went out.

    Each row is claimed (emailed_at set) before sending, so two runs never send the same one; a
    failed send releases the claim and re-raises, so the job's retry sends it later.
    """
    sent = 0
    rows = Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True, user__is_active=True
    ).select_related("user")
    for row in rows:
        address = row.user.email
        if not address:
            continue
        claimed = Notification.objects.filter(pk=row.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if claimed != 1:
            continue
        context = {"n": row, "user": row.user, "link": absolute_url(row.url)}
        body = render_to_string("notifications/email/notification_body.txt", context)
        try:
            send_mail(f"[Waspada] {row.title}", body, None, [address])
        except Exception:
            Notification.objects.filter(pk=row.pk).update(emailed_at=None)
            raise
        sent += 1
    logger.info("Sent %d notification e-mail(s).", sent)
    return sent
