"""Response events through the signed webhooks of the early-warning subscriptions.

A machine client (a provincial command centre, a partner system) that subscribed a webhook to an
area for its alerts also receives what happens in response there: a directive issued, overdue or
completed; a conflict case opened, moved to another stage or closed; a status keadaan konflik
declared, extended, about to end or ended; a RAD period report missing. The body is the same
signed JSON envelope as the alerts' (`X-Waspada-Event`, `X-Waspada-Signature` over
"<timestamp>.<body>"), sent by `warnings.delivery.post_webhook`.

- `publish(...)` (called inside the services' transactions) writes one `WebhookDelivery` per
  active webhook subscription whose area covers the event's area and whose owner may see it
  (scope and clearance), then queues the sending after commit; the (subscription, key) unique key
  makes a repeated publish create nothing.
- `attempt(delivery_id)` tries once (claimed with a lease, like the alerts), records the outcome,
  and retries with exponential back-off; after WASPADA_WEBHOOK_MAX_ATTEMPTS the delivery fails
  and its owner is told once in the inbox. `retry_due()` takes the deliveries whose time came.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from waspada.core.scoping import ancestor_codes, user_covers
from waspada.events.selectors import can_read_classification
from waspada.notifications.services import notify
from waspada.response.models import WebhookDelivery
from waspada.warnings.alert_selectors import absolute_url
from waspada.warnings.choices import Channel, DeliveryStatus
from waspada.warnings.delivery import DeliveryError, backoff_seconds, post_webhook
from waspada.warnings.models import Subscription

logger = logging.getLogger(__name__)

ERROR_MAX = 2000


def publish(
    event: str,
    *,
    key: str,
    area_code: str,
    classification: str,
    title: str,
    url: str = "",
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> int:
    """Queue `event` for every webhook subscription covering `area_code` whose owner may see it.

    `key` identifies the event (a second publish with the same key sends nothing new); `url` is
    a path inside the site. Returns the number of deliveries written now.
    """
    subscriptions = (
        Subscription.objects.filter(
            channel=Channel.WEBHOOK, active=True, area_id__in=ancestor_codes(area_code)
        )
        .exclude(webhook_url="")
        .select_related("user")
    )
    payload = {
        "event": event,
        "at": (at or timezone.now()).isoformat(),
        "area": area_code,
        "classification": classification,
        "title": title,
        "url": absolute_url(url) if url else "",
        "data": data or {},
    }
    created: list[int] = []
    for subscription in subscriptions:
        user = subscription.user
        if not (
            user.is_active
            and user_covers(user, area_code)
            and can_read_classification(user, classification)
        ):
            continue
        try:
            with transaction.atomic():
                row = WebhookDelivery.objects.create(
                    subscription=subscription,
                    event=event,
                    key=key[:120],
                    area_code=area_code,
                    classification=classification,
                    payload=payload,
                )
        except IntegrityError:
            continue  # this event already reached this subscription
        created.append(row.pk)
    if created:
        from waspada.response.tasks.webhooks import deliver_webhook

        for delivery_id in created:
            deliver_webhook.enqueue(delivery_id=delivery_id)
    return len(created)


def _lease_seconds() -> int:
    return int(settings.WASPADA_WEBHOOK_TIMEOUT) * 3 + 60


def _claim(delivery_id: int, now: dt.datetime) -> bool:
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return (
        WebhookDelivery.objects.filter(
            due, pk=delivery_id, status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING]
        ).update(next_attempt_at=now + dt.timedelta(seconds=_lease_seconds()))
        == 1
    )


def _fail(delivery: WebhookDelivery, error: str, code: int | None, attempts: int) -> None:
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED,
            attempts=attempts,
            next_attempt_at=None,
            last_error=error[:ERROR_MAX],
            response_code=code,
        )
        notify(
            delivery.subscription.user,
            kind="general",
            title=f"Pengiriman webhook gagal: {delivery.payload.get('title', delivery.event)}"[
                :200
            ],
            body=f"Kejadian {delivery.event} tidak dapat dikirim. Galat terakhir: {error[:300]}",
            area_code=delivery.area_code,
            email=False,
            key=f"response-webhook-failed:{delivery.pk}",
        )


def attempt(delivery_id: int) -> dict[str, Any]:
    """Try one webhook delivery once and record the outcome (see the module docstring)."""
    now = timezone.now()
    delivery = (
        WebhookDelivery.objects.select_related("subscription__user").filter(pk=delivery_id).first()
    )
    if delivery is None:
        return {"delivery": delivery_id, "status": None}
    if not _claim(delivery_id, now):
        return {"delivery": delivery_id, "status": delivery.status, "skipped": True}
    subscription = delivery.subscription
    user = subscription.user
    if not (subscription.active and user.is_active and user_covers(user, delivery.area_code)):
        _fail(delivery, "Langganan tidak aktif lagi atau wilayah di luar cakupan.", None, 0)
        return {"delivery": delivery_id, "status": DeliveryStatus.FAILED}
    try:
        code = post_webhook(
            subscription,
            event=delivery.event,
            delivery_ref=f"response-{delivery.pk}",
            payload=delivery.payload,
        )
    except DeliveryError as exc:
        return _failed_attempt(delivery, str(exc), exc.response_code)
    except Exception as exc:  # an unexpected failure is a failed attempt too, never a lost one
        logger.exception("Webhook delivery %s failed unexpectedly.", delivery_id)
        return _failed_attempt(delivery, f"{type(exc).__name__}: {exc}", None)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT,
        attempts=delivery.attempts + 1,
        sent_at=timezone.now(),
        next_attempt_at=None,
        last_error="",
        response_code=code,
    )
    return {"delivery": delivery_id, "status": DeliveryStatus.SENT}


def _failed_attempt(delivery: WebhookDelivery, error: str, code: int | None) -> dict[str, Any]:
    attempts = delivery.attempts + 1
    if attempts >= int(settings.WASPADA_WEBHOOK_MAX_ATTEMPTS):
        _fail(delivery, error, code, attempts)
        return {"delivery": delivery.pk, "status": DeliveryStatus.FAILED}
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.RETRYING,
        attempts=attempts,
        next_attempt_at=timezone.now() + dt.timedelta(seconds=backoff_seconds(attempts)),
        last_error=error[:ERROR_MAX],
        response_code=code,
    )
    return {"delivery": delivery.pk, "status": DeliveryStatus.RETRYING, "attempts": attempts}


def retry_due() -> dict[str, Any]:
    """Attempt the webhook deliveries whose next attempt has come (or whose lease expired)."""
    now = timezone.now()
    due = WebhookDelivery.objects.filter(
        status__in=[DeliveryStatus.RETRYING, DeliveryStatus.PENDING], next_attempt_at__lte=now
    ).order_by("next_attempt_at", "pk")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:500])
    results: dict[str, int] = defaultdict(int)
    for delivery_id in ids:
        results[str(attempt(delivery_id).get("status"))] += 1
    return {"attempted": len(ids), **results}
