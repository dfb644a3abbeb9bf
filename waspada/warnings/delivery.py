"""Getting alerts to people: fan-out to subscriptions, one attempt per channel, retries, digests.

Called by the jobs in `tasks.py` (ids in, idempotent):

- `fan_out(alert_id)`: one `Delivery` per matching active subscription (the unique key makes a
  second run create nothing); immediate ones are sent by `send_delivery`, daily-digest ones (and
  immediate ones over the hourly rate limit) wait as `digest`.
- `attempt(delivery_id)`: one try through the delivery's channel (inbox, e-mail, signed webhook).
  A failure is counted and retried with exponential back-off; after
  `WASPADA_WEBHOOK_MAX_ATTEMPTS` the delivery is `failed` and the subscriber gets one inbox
  notice. Nothing is dropped silently, and a `sent` delivery is never sent again.
- `retry_due()`: the deliveries whose next attempt is due (rows locked with SKIP LOCKED on
  PostgreSQL, so two workers never take the same one).
- `send_digests()`: once a day per subscription, after `WASPADA_ALERT_DIGEST_HOUR` in the zone of
  the subscription's area, one message listing the held alerts.

A delivery is claimed before it is tried: its `next_attempt_at` is pushed forward as a lease, so
a second worker skips it; a worker that dies mid-attempt leaves a lease that expires and
`retry_due` takes the delivery again. Deliveries sent inside a digest keep `attempts == 0`
(they were never tried one by one); that is how a digest already sent today is recognised.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import random
import time
import urllib.error
import urllib.request
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from waspada.core.scoping import ancestor_codes, user_covers
from waspada.geo.zones import zone_for, zone_label
from waspada.notifications.services import notify
from waspada.warnings.alert_selectors import AlertText, absolute_url, describe_alert
from waspada.warnings.choices import Channel, DeliveryStatus, DigestMode
from waspada.warnings.models import Alert, Delivery, Subscription

logger = logging.getLogger(__name__)

ALERT_KIND = "alert"
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600
ERROR_MAX = 2000


class DeliveryError(Exception):
    """One attempt failed; `response_code` is the HTTP status when there was one."""

    def __init__(self, message: str, response_code: int | None = None) -> None:
        super().__init__(message)
        self.response_code = response_code


# ---------------------------------------------------------------- fan-out


def _over_rate_limit(subscription: Subscription, now: dt.datetime) -> bool:
    """More immediate deliveries than the hourly limit for this subscription in the last hour."""
    limit = int(settings.WASPADA_ALERT_RATE_PER_HOUR)
    recent = Delivery.objects.filter(
        subscription=subscription, created_at__gte=now - dt.timedelta(hours=1)
    ).filter(
        Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING, DeliveryStatus.FAILED])
        | Q(status=DeliveryStatus.SENT, attempts__gt=0)  # sent one by one, not in a digest
    )
    return recent.count() >= limit


def fan_out(alert_id: int) -> dict[str, Any]:
    """Create one Delivery per matching subscription and queue the immediate ones.

    Matching: active subscription, active user, on the alert's area or an ancestor, minimum level
    at most the alert's level, and the alert's area still in the user's scope. Idempotent: a
    repeated run finds the deliveries already there and queues only those never tried.
    """
    from waspada.warnings.tasks import send_delivery

    alert = Alert.objects.select_related("area").get(pk=alert_id)
    candidates = (
        Subscription.objects.filter(
            active=True,
            user__is_active=True,
            area_id__in=ancestor_codes(alert.area_id),
            min_level__lte=alert.level,
        )
        .select_related("user")
        .order_by("pk")
    )
    counts: dict[str, int] = defaultdict(int)
    now = timezone.now()
    for subscription in candidates:
        if not user_covers(subscription.user, alert.area_id):
            counts["out_of_scope"] += 1
            continue
        with transaction.atomic():
            held = subscription.digest == DigestMode.DAILY or _over_rate_limit(subscription, now)
            delivery, created = Delivery.objects.get_or_create(
                alert=alert,
                subscription=subscription,
                defaults={
                    "channel": subscription.channel,
                    "status": DeliveryStatus.DIGEST if held else DeliveryStatus.PENDING,
                },
            )
            if delivery.status == DeliveryStatus.PENDING and delivery.attempts == 0:
                send_delivery.enqueue(delivery_id=delivery.pk)
                counts["queued"] += 1
            elif created and delivery.status == DeliveryStatus.DIGEST:
                counts["digest"] += 1
            if created:
                counts["created"] += 1
    logger.info("Alert %s: %s", alert_id, dict(counts))
    return {"alert": alert_id, **counts}


# ---------------------------------------------------------------- one attempt


def _lease_seconds() -> int:
    return int(settings.WASPADA_WEBHOOK_TIMEOUT) * 3 + 60


def _claim(delivery_id: int, now: dt.datetime) -> bool:
    """Take the delivery for one attempt (see the module docstring: the lease)."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return (
        Delivery.objects.filter(
            due,
            pk=delivery_id,
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING],
        ).update(next_attempt_at=now + dt.timedelta(seconds=_lease_seconds()))
        == 1
    )


def backoff_seconds(attempts: int) -> float:
    """Wait before the next attempt: min(2^attempts x 30 s, 1 h), plus up to 10 % jitter."""
    base = min((2**attempts) * BACKOFF_BASE_SECONDS, BACKOFF_MAX_SECONDS)
    return base * (1 + random.uniform(0, 0.1))  # noqa: S311 (jitter spreads retries; not a secret)


def attempt(delivery_id: int) -> dict[str, Any]:
    """Try one delivery once through its channel and record the outcome.

    A delivery that is sent, failed, held for the digest, not yet due or being tried by another
    worker is left alone. A subscription that was deactivated (or whose area left the user's
    scope) since the fan-out makes the delivery `failed` with the reason, without sending.
    """
    now = timezone.now()
    delivery = (
        Delivery.objects.select_related("alert__area", "subscription__user", "subscription__area")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:
        return {"delivery": delivery_id, "status": None}
    if not _claim(delivery_id, now):
        return {"delivery": delivery_id, "status": delivery.status, "skipped": True}
    subscription = delivery.subscription
    user = subscription.user
    if (
        not subscription.active
        or not user.is_active
        or not user_covers(user, delivery.alert.area_id)
    ):
        _finish_failed(delivery, "Langganan tidak aktif lagi atau wilayah di luar cakupan.", None)
        return {"delivery": delivery_id, "status": DeliveryStatus.FAILED}
    try:
        code = _send(delivery)
    except DeliveryError as exc:
        return _record_failure(delivery, str(exc), exc.response_code)
    except Exception as exc:  # an unexpected failure is a failed attempt too, never a lost one
        logger.exception("Delivery %s failed unexpectedly.", delivery_id)
        return _record_failure(delivery, f"{type(exc).__name__}: {exc}", None)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT,
        attempts=delivery.attempts + 1,
        sent_at=timezone.now(),
        next_attempt_at=None,
        last_error="",
        response_code=code,
    )
    return {"delivery": delivery_id, "status": DeliveryStatus.SENT}


def _record_failure(delivery: Delivery, error: str, code: int | None) -> dict[str, Any]:
    attempts = delivery.attempts + 1
    if attempts >= int(settings.WASPADA_WEBHOOK_MAX_ATTEMPTS):
        _finish_failed(delivery, error, code, attempts=attempts)
        return {"delivery": delivery.pk, "status": DeliveryStatus.FAILED}
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.RETRYING,
        attempts=attempts,
        next_attempt_at=timezone.now() + dt.timedelta(seconds=backoff_seconds(attempts)),
        last_error=error[:ERROR_MAX],
        response_code=code,
    )
    return {"delivery": delivery.pk, "status": DeliveryStatus.RETRYING, "attempts": attempts}


def _finish_failed(
    delivery: Delivery, error: str, code: int | None, *, attempts: int | None = None
) -> None:
    """Mark the delivery failed and tell the subscriber once, in the inbox."""
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED,
            attempts=delivery.attempts if attempts is None else attempts,
            next_attempt_at=None,
            last_error=error[:ERROR_MAX],
            response_code=code,
        )
        text = describe_alert(delivery.alert)
        notify(
            delivery.subscription.user,
            kind=ALERT_KIND,
            title=f"Pengiriman peringatan gagal: {text.headline}",
            body=(
                f"Peringatan lewat {delivery.get_channel_display()} tidak dapat dikirim. "
                f"Galat terakhir: {error[:300]}"
            ),
            url=text.path,
            area_code=delivery.alert.area_id,
            email=False,
            key=f"delivery-failed:{delivery.pk}",
        )


def _send(delivery: Delivery) -> int | None:
    """Send through the channel; returns the HTTP status for webhooks. Raises DeliveryError."""
    alert = delivery.alert
    subscription = delivery.subscription
    text = describe_alert(alert)
    if delivery.channel == Channel.INBOX:
        notify(
            subscription.user,
            kind=ALERT_KIND,
            title=f"Peringatan {text.level_label}: {text.headline}",
            body="\n".join(text.reasons),
            url=text.path,
            area_code=alert.area_id,
            email=False,
            key=f"alert:{alert.pk}",
        )
        return None
    if delivery.channel == Channel.EMAIL:
        _send_email(subscription, [(alert, text)], digest=False)
        return None
    if delivery.channel == Channel.WEBHOOK:
        return post_webhook(
            subscription,
            event="alert",
            delivery_ref=str(delivery.pk),
            payload=alert_payload(alert, text),
        )
    raise DeliveryError(f"Saluran tidak dikenal: {delivery.channel}")


# ---------------------------------------------------------------- e-mail


def unsubscribe_url(subscription: Subscription) -> str:
    return absolute_url(reverse("warnings:unsubscribe", args=[subscription.unsubscribe_token]))


def _send_email(
    subscription: Subscription, alerts: list[tuple[Alert, AlertText]], *, digest: bool
) -> None:
    address = subscription.user.email
    if not address:
        raise DeliveryError("Pengguna tidak punya alamat surel.")
    link = unsubscribe_url(subscription)
    context = {
        "user": subscription.user,
        "subscription": subscription,
        "alerts": [{"alert": alert, "text": text} for alert, text in alerts],
        "digest": digest,
        "unsubscribe_url": link,
        "list_url": absolute_url(reverse("warnings:alert_list")),
        "zone": zone_label(subscription.area_id),
    }
    if digest:
        subject = f"[Waspada] Ringkasan peringatan: {len(alerts)} peringatan"
    else:
        subject = f"[Waspada] {alerts[0][1].level_label}: {alerts[0][1].headline}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("warnings/email/alert.txt", context),
        to=[address],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("warnings/email/alert.html", context), "text/html")
    try:
        message.send()
    except Exception as exc:
        raise DeliveryError(f"Surel gagal dikirim: {type(exc).__name__}: {exc}") from exc


# ---------------------------------------------------------------- webhook


def alert_payload(alert: Alert, text: AlertText) -> dict[str, Any]:
    """The JSON body of a webhook for one alert."""
    return {
        "alert_id": alert.pk,
        "kind": alert.kind,
        "area_code": text.area_code,
        "area_name": text.area_name,
        "area_path": text.area_path,
        "level": text.level_slug,
        "level_number": text.level,
        "previous_level": ("normal", "waspada", "siaga", "awas")[text.previous_level],
        "previous_level_number": text.previous_level,
        "day": alert.day.isoformat(),
        "score": alert.score,
        "reasons": alert.reasons,
        "reasons_text": text.reasons,
        "url": text.url,
    }


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` with the subscription's secret."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a delivery: urllib would turn the POST into a GET."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post_webhook(
    subscription: Subscription, *, event: str, delivery_ref: str, payload: dict[str, Any]
) -> int:
    """POST the signed JSON; returns the 2xx status. Raises DeliveryError otherwise."""
    url = subscription.webhook_url
    if not url.startswith(("http://", "https://")):
        raise DeliveryError("URL webhook harus http(s).")
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 (scheme checked above: http(s) only)
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Waspada-Webhook/1",
            "X-Waspada-Event": event,
            "X-Waspada-Delivery": delivery_ref,
            "X-Waspada-Timestamp": timestamp,
            "X-Waspada-Signature": sign(subscription.webhook_secret, timestamp, body),
        },
    )
    try:
        with _opener.open(request, timeout=int(settings.WASPADA_WEBHOOK_TIMEOUT)) as response:
            code = int(response.status)
            response.read(1024)
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode("utf-8", "replace") if exc.fp else ""
        exc.close()
        raise DeliveryError(f"HTTP {exc.code} {detail}".strip(), exc.code) from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise DeliveryError(f"Jaringan: {exc}") from exc
    if not 200 <= code < 300:
        raise DeliveryError(f"HTTP {code}", code)
    return code


# ---------------------------------------------------------------- retries


def retry_due() -> dict[str, Any]:
    """Attempt the deliveries that are due: `retrying` ones whose next attempt has come, and
    `pending` ones whose lease expired (a worker died mid-attempt)."""
    now = timezone.now()
    due = Delivery.objects.filter(
        Q(status=DeliveryStatus.RETRYING, next_attempt_at__lte=now)
        | Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    ).order_by("next_attempt_at", "pk")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:500])
    results: dict[str, int] = defaultdict(int)
    for delivery_id in ids:
        outcome = attempt(delivery_id)
        results[str(outcome.get("status"))] += 1
    return {"attempted": len(ids), **results}


# ---------------------------------------------------------------- digests


def _local_midnight(area_code: str, now: dt.datetime) -> dt.datetime | None:
    """Midnight today in the area's zone, or None before the digest hour there."""
    local = now.astimezone(zone_for(area_code))
    if local.hour < int(settings.WASPADA_ALERT_DIGEST_HOUR):
        return None
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def send_digests() -> dict[str, Any]:
    """Send each subscription with held (`digest`) deliveries one digest a day, once its local
    hour has reached `WASPADA_ALERT_DIGEST_HOUR`. Idempotent: the held deliveries are claimed
    (marked sent) before sending and released again when sending fails."""
    now = timezone.now()
    counts: dict[str, int] = defaultdict(int)
    subscription_ids = (
        Delivery.objects.filter(status=DeliveryStatus.DIGEST, subscription__active=True)
        .values_list("subscription_id", flat=True)
        .distinct()
    )
    subscriptions = Subscription.objects.filter(pk__in=list(subscription_ids)).select_related(
        "user", "area"
    )
    for subscription in subscriptions:
        midnight = _local_midnight(subscription.area_id, now)
        if midnight is None:
            counts["not_yet"] += 1
            continue
        already = Delivery.objects.filter(
            subscription=subscription,
            status=DeliveryStatus.SENT,
            attempts=0,
            sent_at__gte=midnight,
        ).exists()
        if already:
            counts["already_sent_today"] += 1
            continue
        outcome = _send_digest(subscription, now)
        counts[outcome] += 1
    return {"digests": counts.get("sent", 0), **counts}


def _send_digest(subscription: Subscription, now: dt.datetime) -> str:
    held = list(
        Delivery.objects.filter(subscription=subscription, status=DeliveryStatus.DIGEST)
        .select_related("alert__area")
        .order_by("alert__created_at", "pk")
    )
    if not held:
        return "empty"
    ids = [d.pk for d in held]
    claimed = Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.DIGEST).update(
        status=DeliveryStatus.SENT, sent_at=now, next_attempt_at=None
    )
    if claimed != len(ids):  # another run took some of them: leave the rest to it
        Delivery.objects.filter(pk__in=ids, sent_at=now, attempts=0).update(
            status=DeliveryStatus.DIGEST, sent_at=None
        )
        return "raced"
    alerts = [(d.alert, describe_alert(d.alert)) for d in held]
    try:
        _send_digest_message(subscription, alerts, now)
    except Exception as exc:
        message = exc.args[0] if isinstance(exc, DeliveryError) else f"{type(exc).__name__}: {exc}"
        Delivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.DIGEST, sent_at=None, last_error=str(message)[:ERROR_MAX]
        )
        logger.warning("Digest for subscription %s failed: %s", subscription.pk, message)
        return "failed"
    Delivery.objects.filter(pk__in=ids).update(last_error="")
    return "sent"


def _send_digest_message(
    subscription: Subscription, alerts: list[tuple[Alert, AlertText]], now: dt.datetime
) -> None:
    if subscription.channel == Channel.INBOX:
        day = now.astimezone(zone_for(subscription.area_id)).date().isoformat()
        lines = [f"- {text.level_label}: {text.headline}" for _alert, text in alerts]
        notify(
            subscription.user,
            kind=ALERT_KIND,
            title=f"Ringkasan peringatan: {len(alerts)} peringatan",
            body="\n".join(lines),
            url=reverse("warnings:alert_list"),
            area_code=subscription.area_id,
            email=False,
            key=f"alert-digest:{subscription.pk}:{day}",
        )
    elif subscription.channel == Channel.EMAIL:
        _send_email(subscription, alerts, digest=True)
    else:
        post_webhook(
            subscription,
            event="digest",
            delivery_ref=f"digest-{subscription.pk}-{int(now.timestamp())}",
            payload={"alerts": [alert_payload(alert, text) for alert, text in alerts]},
        )
