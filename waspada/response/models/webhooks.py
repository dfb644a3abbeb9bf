"""Signed webhook deliveries of response events (directives, cases, statuses, RAD reports)."""

from __future__ import annotations

from django.db import models

from waspada.core.classification import Classification
from waspada.warnings.choices import DeliveryStatus


class WebhookDelivery(models.Model):
    """One response event to one webhook subscription of the early-warning app: its payload,
    status, attempts and last error (never dropped; retried with back-off, then failed).

    The subscription's area covers the event's area; `key` names the event (e.g.
    "directive.overdue:42") so that the same event reaches a subscription once.
    """

    subscription = models.ForeignKey(
        "warnings.Subscription", on_delete=models.CASCADE, related_name="response_deliveries"
    )
    event = models.CharField(max_length=40)
    key = models.CharField(max_length=120)
    area_code = models.CharField(max_length=32)
    classification = models.CharField(
        max_length=10, choices=Classification.choices, default=Classification.BIASA
    )
    payload = models.JSONField(default=dict)
    status = models.CharField(
        max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "key"], name="uniq_response_webhook_key"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="response_webhook_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event} -> {self.subscription_id}: {self.status}"
