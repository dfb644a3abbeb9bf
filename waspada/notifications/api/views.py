"""`/api/v1/notifications/`: the caller's own inbox. Someone else's notification answers 404."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from waspada.notifications import selectors, services
from waspada.notifications.api.serializers import (
    MarkedSerializer,
    NotificationSerializer,
    UnreadCountSerializer,
)
from waspada.notifications.models import Notification


@extend_schema(
    parameters=[
        OpenApiParameter("unread", OpenApiTypes.BOOL, description="true: hanya yang belum dibaca")
    ]
)
class NotificationList(generics.ListAPIView[Notification]):
    """The caller's notifications, newest first."""

    serializer_class = NotificationSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        unread = self.request.query_params.get("unread", "").lower() in {"1", "true", "yes"}
        return selectors.list_notifications(self.request.user, unread_only=unread)


class NotificationDetail(generics.RetrieveAPIView[Notification]):
    """One of the caller's notifications."""

    serializer_class = NotificationSerializer

    def get_object(self) -> Notification:
        return selectors.get_notification(self.request.user, int(self.kwargs["pk"]))


class NotificationMarkRead(APIView):
    """Mark one of the caller's notifications read."""

    @extend_schema(request=None, responses={200: NotificationSerializer})
    def post(self, request: Request, pk: int) -> Response:
        notification = selectors.get_notification(request.user, pk)
        services.mark_read(notification, actor=request.user)
        return Response(NotificationSerializer(notification).data)


class NotificationMarkAllRead(APIView):
    """Mark every unread notification of the caller read."""

    @extend_schema(request=None, responses={200: MarkedSerializer})
    def post(self, request: Request) -> Response:
        return Response({"marked": services.mark_all_read(actor=request.user)})


class NotificationUnreadCount(APIView):
    """How many of the caller's notifications are unread."""

    @extend_schema(responses={200: UnreadCountSerializer})
    def get(self, request: Request) -> Response:
        return Response({"unread": selectors.unread_count(request.user)})
