"""Serializers of the alert API: output shapes apart from input shapes (Sentry style)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from waspada.warnings.alert_selectors import describe_alert
from waspada.warnings.choices import Channel, DigestMode, RiskLevel
from waspada.warnings.models import (
    Alert,
    AlertAcknowledgement,
    AlertComment,
    Delivery,
    Subscription,
)

SLUGS = ("normal", "waspada", "siaga", "awas")


class AlertSerializer(serializers.ModelSerializer[Alert]):
    kind = serializers.CharField(read_only=True, help_text="rise (naik level) atau sustained")
    level = serializers.IntegerField(
        read_only=True, help_text="0 Normal, 1 Waspada, 2 Siaga, 3 Awas"
    )
    previous_level = serializers.IntegerField(read_only=True, help_text="level sebelumnya (0-3)")
    area_code = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.display_name", read_only=True)
    area_path = serializers.CharField(source="area.path_name", read_only=True)
    level_slug = serializers.SerializerMethodField()
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    previous_level_slug = serializers.SerializerMethodField()
    colour = serializers.SerializerMethodField()
    reasons_text = serializers.SerializerMethodField()
    ack_count = serializers.IntegerField(read_only=True, default=0)
    acknowledged_by_me = serializers.BooleanField(source="acked_by_me", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = [
            "id",
            "kind",
            "area_code",
            "area_name",
            "area_path",
            "day",
            "level",
            "level_slug",
            "level_label",
            "previous_level",
            "previous_level_slug",
            "colour",
            "score",
            "reasons",
            "reasons_text",
            "ack_count",
            "acknowledged_by_me",
            "created_at",
            "url",
        ]
        read_only_fields = fields

    def get_level_slug(self, alert: Alert) -> str:
        return SLUGS[alert.level]

    def get_previous_level_slug(self, alert: Alert) -> str:
        return SLUGS[alert.previous_level]

    def get_colour(self, alert: Alert) -> str:
        return RiskLevel(alert.level).colour

    def get_reasons_text(self, alert: Alert) -> list[str]:
        return describe_alert(alert).reasons

    def get_url(self, alert: Alert) -> str:
        return describe_alert(alert).path


class AcknowledgementSerializer(serializers.ModelSerializer[AlertAcknowledgement]):
    user = serializers.CharField(source="user.__str__", read_only=True)

    class Meta:
        model = AlertAcknowledgement
        fields = ["id", "alert", "user", "at"]
        read_only_fields = fields


class CommentSerializer(serializers.ModelSerializer[AlertComment]):
    user = serializers.CharField(source="user.__str__", read_only=True)

    class Meta:
        model = AlertComment
        fields = ["id", "alert", "user", "body", "created_at"]
        read_only_fields = fields


class CommentInputSerializer(serializers.Serializer[dict[str, Any]]):
    body = serializers.CharField(max_length=4000, trim_whitespace=True)


class SubscriptionSerializer(serializers.ModelSerializer[Subscription]):
    """A subscription as listed: never with its webhook secret or unsubscribe token."""

    area_code = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.display_name", read_only=True)

    class Meta:
        model = Subscription
        fields = [
            "id",
            "area_code",
            "area_name",
            "min_level",
            "channel",
            "digest",
            "webhook_url",
            "active",
            "created_at",
        ]
        read_only_fields = fields


class SubscriptionCreatedSerializer(SubscriptionSerializer):
    """The answer to a create: the only time the webhook secret is shown."""

    webhook_secret = serializers.SerializerMethodField()

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "webhook_secret"]
        read_only_fields = fields

    def get_webhook_secret(self, subscription: Subscription) -> str:
        return str(self.context.get("secret", ""))


class SubscriptionInputSerializer(serializers.Serializer[dict[str, Any]]):
    area_code = serializers.CharField(max_length=13)
    min_level = serializers.IntegerField(default=int(RiskLevel.WASPADA), min_value=1, max_value=3)
    channel = serializers.ChoiceField(choices=Channel.choices)
    digest = serializers.ChoiceField(choices=DigestMode.choices, default=DigestMode.IMMEDIATE)
    webhook_url = serializers.CharField(max_length=500, required=False, allow_blank=True)


class SubscriptionUpdateSerializer(serializers.Serializer[dict[str, Any]]):
    min_level = serializers.IntegerField(required=False, min_value=1, max_value=3)
    digest = serializers.ChoiceField(choices=DigestMode.choices, required=False)
    webhook_url = serializers.CharField(max_length=500, required=False, allow_blank=True)


class DeliverySerializer(serializers.ModelSerializer[Delivery]):
    user = serializers.CharField(source="subscription.user.__str__", read_only=True)
    area_code = serializers.CharField(source="alert.area_id", read_only=True)
    in_digest = serializers.SerializerMethodField()

    class Meta:
        model = Delivery
        fields = [
            "id",
            "alert",
            "subscription",
            "user",
            "area_code",
            "channel",
            "status",
            "attempts",
            "last_error",
            "response_code",
            "next_attempt_at",
            "sent_at",
            "created_at",
            "in_digest",
        ]
        read_only_fields = fields

    def get_in_digest(self, delivery: Delivery) -> bool:
        """True when the delivery is held for, or went out in, a digest."""
        return delivery.status == "digest" or (delivery.status == "sent" and not delivery.attempts)
