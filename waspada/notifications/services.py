"""Writes of the inbox: `notify` (in-app + e-mail), `mark_read`, `mark_all_read`.

Notifications are not written to the audit log: each one is the side effect of a change that is
audited by the service that caused it (a report returned, a reminder run recorded as a `core.Job`),
and the inbox itself is the record of what each user was told.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from waspada.core.errors import InvalidInput, OutOfScope
from waspada.notifications.models import Notification

logger = logging.getLogger(__name__)

TITLE_MAX = 200
BODY_MAX = 4000


def _recipients(user_or_users: Any) -> list[Any]:
    if user_or_users is None:
        return []
    if hasattr(user_or_users, "pk") and not isinstance(user_or_users, Iterable):
        candidates = [user_or_users]
    else:
        candidates = list(user_or_users)
    seen: set[int] = set()
    users = []
    for user in candidates:
        if user is None or not getattr(user, "is_active", False) or user.pk in seen:
            continue
        seen.add(user.pk)
        users.append(user)
    return users


def _check_url(url: str) -> str:
    # Only paths inside the site: the inbox redirects to it, so anything else is an open redirect.
    if url and (not url.startswith("/") or url.startswith("//") or "\\" in url):
        raise InvalidInput("Tautan notifikasi harus berupa alamat di dalam situs (diawali /).")
    return url


def notify(
    user_or_users: Any,
    *,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    area_code: str = "",
    email: bool = True,
    key: str = "",
) -> list[Notification]:
    """Put a notification in the inbox of each (active) user and, with `email`, e-mail it.

    `user_or_users` is one user or an iterable of users; inactive users and duplicates are
    skipped. With a `key`, a user who already has a notification with that key gets nothing new
    (safe against repeated and concurrent runs). The e-mails go out from a background job after
    the surrounding transaction commits (`notifications.send_emails`); users without an address
    get the in-app notification only. Returns the notifications written now.

    Raises InvalidInput for an empty title or a link outside the site.
    """
    title = title.strip()[:TITLE_MAX]
    if not title:
        raise InvalidInput("Judul notifikasi wajib diisi.")
    url = _check_url(url)
    users = _recipients(user_or_users)
    if not users:
        return []
    created: list[Notification] = []
    with transaction.atomic():
        if key:
            already = set(
                Notification.objects.filter(user__in=users, key=key).values_list(
                    "user_id", flat=True
                )
            )
            users = [user for user in users if user.pk not in already]
        for user in users:
            row = Notification(
                user=user,
                kind=kind,
                title=title,
                body=body[:BODY_MAX],
                url=url,
                area_code=area_code,
                key=key,
            )
            if key:
                try:
                    with transaction.atomic():  # a concurrent run may have written it just now
                        row.save()
                except IntegrityError:
                    logger.info("Notification %s for user %s already exists.", key, user.pk)
                    continue
            else:
                row.save()
            created.append(row)
        to_email = [row.pk for row in created if email and row.user.email]
        if to_email:
            from waspada.notifications.tasks import send_notification_emails

            send_notification_emails.enqueue(notification_ids=to_email)
    return created


def mark_read(notification: Notification, *, actor: Any) -> Notification:
    """Mark one of the actor's own notifications read (again is harmless).

    Raises OutOfScope (404) when the notification belongs to someone else.
    """
    if not actor.is_authenticated or notification.user_id != actor.pk:
        raise OutOfScope()
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.refresh_from_db(fields=["read_at"])
    return notification


def mark_all_read(*, actor: Any) -> int:
    """Mark every unread notification of the actor read; returns how many changed."""
    if not actor.is_authenticated:
        raise OutOfScope()
    return Notification.objects.filter(user_id=actor.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
