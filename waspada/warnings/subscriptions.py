"""Writes around alerts: subscriptions (subscribe, update, unsubscribe), acknowledgements, comments.

Each service runs in one transaction, checks the actor's scope (out of scope: `OutOfScope`, 404)
and writes an audit entry. Webhook secrets and unsubscribe tokens never go into the audit log.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction

from waspada.core import audit
from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.scoping import user_covers
from waspada.geo.models import Area
from waspada.warnings.choices import Channel, DigestMode, RiskLevel
from waspada.warnings.models import Alert, AlertAcknowledgement, AlertComment, Subscription

SECRET_FIELDS = ("webhook_secret", "unsubscribe_token")
COMMENT_MAX = 4000


def _snapshot(subscription: Subscription) -> dict[str, Any]:
    return audit.snapshot(subscription, exclude=SECRET_FIELDS)


def _check_actor(actor: Any) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise OutOfScope()


def _clean_level(value: Any, errors: dict[str, list[str]]) -> int:
    try:
        level = int(value)
        RiskLevel(level)
    except (TypeError, ValueError):
        errors.setdefault("min_level", []).append("Level minimum tidak dikenal.")
        return int(RiskLevel.WASPADA)
    if level < RiskLevel.WASPADA:
        errors.setdefault("min_level", []).append("Level minimum paling rendah Waspada.")
    return level


def _clean_webhook_url(url: str, errors: dict[str, list[str]]) -> str:
    url = (url or "").strip()
    if not url:
        errors.setdefault("webhook_url", []).append("URL webhook wajib diisi.")
        return url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        errors.setdefault("webhook_url", []).append(
            "URL webhook harus diawali http:// atau https:// dan menyebut nama server."
        )
    if len(url) > 500:
        errors.setdefault("webhook_url", []).append("URL webhook paling panjang 500 karakter.")
    return url


@transaction.atomic
def subscribe(
    *,
    actor: Any,
    area_code: str,
    channel: str,
    min_level: int = RiskLevel.WASPADA,
    digest: str = DigestMode.IMMEDIATE,
    webhook_url: str = "",
) -> tuple[Subscription, str]:
    """Subscribe the actor to alerts of an area (and everything below it) from `min_level`.

    Returns the subscription and, for a webhook, its new signing secret (shown once, never
    again; empty for other channels). Raises OutOfScope for an area outside the actor's scope,
    InvalidInput for bad fields (per field), Conflict when the same subscription is active.
    """
    _check_actor(actor)
    area_code = (area_code or "").strip()
    if not area_code or not user_covers(actor, area_code):
        raise OutOfScope(area_code)
    area = Area.objects.filter(code=area_code).first()
    if area is None:
        raise OutOfScope(area_code)
    errors: dict[str, list[str]] = {}
    if channel not in Channel.values:
        errors["channel"] = ["Saluran tidak dikenal."]
    if digest not in DigestMode.values:
        errors["digest"] = ["Mode tidak dikenal."]
    level = _clean_level(min_level, errors)
    secret = ""
    if channel == Channel.WEBHOOK:
        webhook_url = _clean_webhook_url(webhook_url, errors)
        secret = secrets.token_hex(32)
    else:
        webhook_url = ""
    if channel == Channel.EMAIL and not actor.email:
        errors["channel"] = ["Akun Anda belum punya alamat surel; isi dulu di profil."]
    if errors:
        raise InvalidInput("Periksa isian langganan.", errors)
    subscription = Subscription(
        user=actor,
        area=area,
        channel=channel,
        min_level=level,
        digest=digest,
        webhook_url=webhook_url,
        webhook_secret=secret,
    )
    try:
        with transaction.atomic():
            subscription.save(force_insert=True)
    except IntegrityError:
        raise Conflict("Langganan yang sama sudah aktif.") from None
    audit.record(
        actor=actor,
        action="subscription.created",
        obj=subscription,
        area_code=area.code,
        after=_snapshot(subscription),
    )
    return subscription, secret


def _own(subscription: Subscription, actor: Any) -> None:
    _check_actor(actor)
    if subscription.user_id != actor.pk:
        raise OutOfScope(subscription.area_id)


@transaction.atomic
def update_subscription(
    subscription: Subscription,
    *,
    actor: Any,
    min_level: int | None = None,
    digest: str | None = None,
    webhook_url: str | None = None,
) -> Subscription:
    """Change the minimum level, the digest mode or the webhook URL of one's own subscription.

    Raises OutOfScope for someone else's (or an inactive) subscription, InvalidInput for bad
    fields. The area and the channel stay: unsubscribe and subscribe again to change them.
    """
    _own(subscription, actor)
    if not subscription.active:
        raise OutOfScope(subscription.area_id)
    errors: dict[str, list[str]] = {}
    before = _snapshot(subscription)
    changed: list[str] = []
    if min_level is not None:
        subscription.min_level = _clean_level(min_level, errors)
        changed.append("min_level")
    if digest is not None:
        if digest not in DigestMode.values:
            errors["digest"] = ["Mode tidak dikenal."]
        subscription.digest = digest
        changed.append("digest")
    if webhook_url is not None and subscription.channel == Channel.WEBHOOK:
        subscription.webhook_url = _clean_webhook_url(webhook_url, errors)
        changed.append("webhook_url")
    if errors:
        raise InvalidInput("Periksa isian langganan.", errors)
    if not changed:
        return subscription
    try:
        with transaction.atomic():
            subscription.save(update_fields=changed)
    except IntegrityError:
        raise Conflict("Langganan yang sama sudah aktif.") from None
    audit.record(
        actor=actor,
        action="subscription.updated",
        obj=subscription,
        area_code=subscription.area_id,
        before=before,
        after=_snapshot(subscription),
    )
    return subscription


@transaction.atomic
def unsubscribe(subscription: Subscription, *, actor: Any) -> Subscription:
    """Deactivate one's own subscription (again is harmless; deliveries stay for the record).

    Raises OutOfScope for someone else's subscription.
    """
    _own(subscription, actor)
    return _deactivate(subscription, actor=actor, action="subscription.deactivated")


@transaction.atomic
def unsubscribe_by_token(token: str) -> Subscription:
    """Deactivate the subscription an unsubscribe link names (no log-in: the token is the key).

    The audit entry names the subscriber as the actor. Raises OutOfScope for an unknown token.
    """
    subscription = Subscription.objects.filter(unsubscribe_token=token).first() if token else None
    if subscription is None:
        raise OutOfScope()
    return _deactivate(
        subscription, actor=subscription.user, action="subscription.unsubscribed_by_link"
    )


def _deactivate(subscription: Subscription, *, actor: Any, action: str) -> Subscription:
    before = _snapshot(subscription)
    moved = Subscription.objects.filter(pk=subscription.pk, active=True).update(active=False)
    subscription.refresh_from_db(fields=["active"])
    if moved:
        audit.record(
            actor=actor,
            action=action,
            obj=subscription,
            area_code=subscription.area_id,
            before=before,
            after=_snapshot(subscription),
        )
    return subscription


# ---------------------------------------------------------------- acknowledgements and comments


def _check_alert_scope(alert: Alert, actor: Any) -> None:
    _check_actor(actor)
    if not user_covers(actor, alert.area_id):
        raise OutOfScope(alert.area_id)


@transaction.atomic
def acknowledge(alert: Alert, *, actor: Any) -> AlertAcknowledgement:
    """Record that the actor has seen the alert and is on it (again is harmless: one entry).

    Raises OutOfScope when the alert's area lies outside the actor's scope.
    """
    _check_alert_scope(alert, actor)
    existing = AlertAcknowledgement.objects.filter(alert=alert, user=actor).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            ack = AlertAcknowledgement.objects.create(alert=alert, user=actor)
    except IntegrityError:  # a concurrent click won
        return AlertAcknowledgement.objects.get(alert=alert, user=actor)
    audit.record(
        actor=actor,
        action="alert.acknowledged",
        obj=ack,
        area_code=alert.area_id,
    )
    return ack


@transaction.atomic
def comment(alert: Alert, *, actor: Any, body: str) -> AlertComment:
    """Add a comment to an alert. Raises OutOfScope outside the actor's scope and InvalidInput
    for an empty or too long comment."""
    _check_alert_scope(alert, actor)
    body = (body or "").strip()
    if not body:
        raise InvalidInput("Komentar wajib diisi.", {"body": ["Komentar wajib diisi."]})
    if len(body) > COMMENT_MAX:
        raise InvalidInput(
            "Komentar terlalu panjang.",
            {"body": [f"Komentar paling panjang {COMMENT_MAX} karakter."]},
        )
    note = AlertComment.objects.create(alert=alert, user=actor, body=body)
    audit.record(actor=actor, action="alert.commented", obj=note, area_code=alert.area_id)
    return note
