from __future__ import annotations

from rest_framework import serializers

from waspada.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    kind_label = serializers.CharField(read_only=True)
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "body",
            "url",
            "area_code",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields


class UnreadCountSerializer(serializers.Serializer[dict[str, int]]):
    unread = serializers.IntegerField()


class MarkedSerializer(serializers.Serializer[dict[str, int]]):
    marked = serializers.IntegerField()
