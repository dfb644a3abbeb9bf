"""Early warning: daily aggregates, risk scores and levels, alerts and who is told about them.

The flow (ARCHITECTURE.md, "Score" and "Warn"): a change to verified items marks the (area, day)
cells it touches as `PendingCell`; a coalesced job refreshes those `AreaDay`/`AreaDayTerm` cells
from the items (the same code the full rebuild uses, so both give identical numbers), then scores
the affected areas and their ancestors (`RiskScore`). A level rise writes one `Alert`, and each
matching `Subscription` gets a `Delivery` per channel, retried until it succeeds or is shown as
failed. The tunable parts (weights, half-life, thresholds, hysteresis, the escalation test) are
one `RiskSettings` row, versioned, so every score says which settings made it.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waspada.warnings.choices import (
    AlertKind,
    Channel,
    DeliveryStatus,
    DigestMode,
    RiskLevel,
)


def default_impact_weights() -> dict[str, float]:
    """Severity points per unit of each impact (loss per Rp 100 juta)."""
    return {
        "deaths": 5.0,
        "injured_serious": 2.0,
        "injured_light": 0.5,
        "abducted": 2.0,
        "sexual_violence": 2.0,
        "displaced": 0.02,
        "houses_damaged": 0.2,
        "public_buildings_damaged": 0.5,
        "worship_places_damaged": 1.0,
        "loss_100m_rupiah": 0.5,
    }


def default_trend_factors() -> dict[str, float]:
    return {"rising": 1.25, "steady": 1.0, "falling": 0.8, "": 1.0}


def default_thresholds() -> dict[str, list[float]]:
    """Score at which Waspada, Siaga and Awas begin, per area level (larger areas sum more)."""
    return {
        "province": [12.0, 35.0, 90.0],
        "regency": [4.0, 12.0, 30.0],
        "district": [2.0, 6.0, 15.0],
    }


class RiskSettings(models.Model):
    """The one set of tunable risk parameters (row id 1); `version` goes up on every change.

    Weights of individual taxonomy terms (event type, reliability) are `events.Term.weight`.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.PositiveIntegerField(default=1)
    half_life_days = models.FloatField(_("waktu paruh (hari)"), default=14.0)
    window_days = models.PositiveSmallIntegerField(_("jendela skor (hari)"), default=120)
    impact_weights = models.JSONField(_("bobot dampak"), default=default_impact_weights)
    trend_factors = models.JSONField(_("faktor tren"), default=default_trend_factors)
    crowd_weight = models.FloatField(_("bobot jumlah massa"), default=0.3)
    missing_reliability_factor = models.FloatField(default=0.8)
    thresholds = models.JSONField(_("ambang level"), default=default_thresholds)
    # A level is kept until the score falls this fraction below the level's threshold.
    hysteresis = models.FloatField(_("histeresis"), default=0.2)
    escalation_recent_days = models.PositiveSmallIntegerField(default=14)
    escalation_baseline_days = models.PositiveSmallIntegerField(default=180)
    escalation_alpha = models.FloatField(default=0.01)
    escalation_min_items = models.PositiveSmallIntegerField(default=3)
    # Weight of the optional structural input (VulnerabilityValue, 0-100); 0 switches it off.
    structural_weight = models.FloatField(default=0.0)
    # An area that stays at Awas raises a "sustained" alert again after this many days.
    sustained_alert_days = models.PositiveSmallIntegerField(default=7)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("pengaturan skor risiko")

    def __str__(self) -> str:
        return f"RiskSettings v{self.version}"


class AreaDay(models.Model):
    """Verified items of one area (itself and everything below it) on one local day.

    Kept for provinces, kab/kota and kecamatan. `severity` is the sum of item severities under
    the settings `settings_version`.
    """

    area = models.ForeignKey("geo.Area", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    area_level = models.PositiveSmallIntegerField()
    items = models.PositiveIntegerField(default=0)
    severity = models.FloatField(default=0.0)
    deaths = models.PositiveIntegerField(default=0)
    injured = models.PositiveIntegerField(default=0)
    displaced = models.PositiveIntegerField(default=0)
    settings_version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "day"], name="uniq_areaday_area_day"),
        ]
        indexes = [models.Index(fields=["area_level", "day"], name="areaday_level_day")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.day}: {self.items}"


class AreaDayTerm(models.Model):
    """Verified items of one area on one local day carrying one taxonomy term (any axis).

    Kept for provinces and kab/kota: what the map's aspect, ATHG, source and SNPK filters read.
    """

    area = models.ForeignKey("geo.Area", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    area_level = models.PositiveSmallIntegerField()
    term = models.ForeignKey("events.Term", on_delete=models.CASCADE, related_name="+")
    items = models.PositiveIntegerField(default=0)
    severity = models.FloatField(default=0.0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area", "day", "term"], name="uniq_areadayterm_area_day_term"
            ),
        ]
        indexes = [
            models.Index(fields=["term", "area_level", "day"], name="areadayterm_term_level_day")
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.day} term {self.term_id}: {self.items}"


class PendingCell(models.Model):
    """An (area, local day) whose aggregates must be refreshed; written in the same transaction
    as the change, so a crash between the change and the refresh loses nothing."""

    area = models.ForeignKey("geo.Area", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "day"], name="uniq_pendingcell_area_day"),
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.day}"


class VulnerabilityValue(models.Model):
    """The optional structural input: a vulnerability index value (0-100) for an area."""

    area = models.OneToOneField(
        "geo.Area", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    value = models.FloatField()
    source = models.CharField(_("sumber"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.area_id}: {self.value}"


class RiskScore(models.Model):
    """The score and level of one area on one local day, with its explanation.

    `explanation` holds the factors and the contributing items as ids (titles are read through
    the item selector, so a *rahasia* item is never named to someone not cleared for it).
    """

    area = models.ForeignKey("geo.Area", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    area_level = models.PositiveSmallIntegerField()
    score = models.FloatField(default=0.0)
    severity = models.FloatField(default=0.0)  # recency-weighted severity, before structure
    recent_items = models.PositiveIntegerField(default=0)
    expected_items = models.FloatField(default=0.0)
    p_value = models.FloatField(default=1.0)
    escalating = models.BooleanField(default=False)
    structural = models.FloatField(null=True, blank=True)
    raw_level = models.PositiveSmallIntegerField(choices=RiskLevel.choices, default=0)
    level = models.PositiveSmallIntegerField(choices=RiskLevel.choices, default=0)
    explanation = models.JSONField(default=dict)
    settings_version = models.PositiveIntegerField(default=1)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "day"], name="uniq_riskscore_area_day"),
        ]
        indexes = [models.Index(fields=["area_level", "day"], name="riskscore_level_day")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.day}: {self.score:.1f} ({self.get_level_display()})"


class Alert(models.Model):
    """One level rise of one area (or a stay at Awas), with its reasons. Raised once: the
    unique key makes a repeated recompute raise nothing new."""

    area = models.ForeignKey("geo.Area", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=12, choices=AlertKind.choices, default=AlertKind.RISE)
    level = models.PositiveSmallIntegerField(choices=RiskLevel.choices)
    previous_level = models.PositiveSmallIntegerField(choices=RiskLevel.choices)
    score = models.FloatField()
    reasons = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "day", "kind", "level"], name="uniq_alert_area_day_kind_level"
            ),
        ]
        indexes = [models.Index(fields=["area", "-created_at"], name="alert_area_newest")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.day}: {self.get_level_display()}"


class AlertAcknowledgement(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "user"], name="uniq_alert_ack_user"),
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} by {self.user_id}"


class AlertComment(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("komentar"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.alert_id} by {self.user_id}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Subscription(models.Model):
    """Who is told about alerts of an area (and everything below it), from which level, how."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_subscriptions"
    )
    area = models.ForeignKey("geo.Area", on_delete=models.CASCADE, related_name="+")
    min_level = models.PositiveSmallIntegerField(
        _("level minimum"), choices=RiskLevel.choices, default=RiskLevel.WASPADA
    )
    channel = models.CharField(_("saluran"), max_length=12, choices=Channel.choices)
    digest = models.CharField(
        _("mode"), max_length=12, choices=DigestMode.choices, default=DigestMode.IMMEDIATE
    )
    webhook_url = models.URLField(_("URL webhook"), max_length=500, blank=True)
    webhook_secret = models.CharField(max_length=64, blank=True, default="")
    active = models.BooleanField(default=True)
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["area_id", "channel", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "area", "channel", "webhook_url"],
                condition=Q(active=True),
                name="uniq_active_subscription",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.area_id} {self.channel}"


class Delivery(models.Model):
    """One alert to one subscription: its status, attempts and last error (never dropped)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=12, choices=Channel.choices)
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
                fields=["alert", "subscription"], name="uniq_delivery_alert_subscription"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.alert_id} -> {self.subscription_id}: {self.status}"


def level_label(level: int | None) -> Any:
    return RiskLevel(level or 0).label
