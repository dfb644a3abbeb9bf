"""Reads of the inbox: a user only ever sees their own notifications."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from waspada.notifications.models import Notification


def list_notifications(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first (none for anonymous visitors)."""
    if not user.is_authenticated:
        return Notification.objects.none()
    qs = Notification.objects.filter(user_id=user.pk)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def unread_count(user: Any) -> int:
    """How many of the user's notifications are unread: one indexed COUNT, for the navigation."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def get_notification(user: Any, pk: int) -> Notification:
    """One of the user's own notifications. Raises Http404 for a missing one or someone else's."""
    found = list_notifications(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
