"""Fixed vocabularies of the early-warning domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskLevel(models.IntegerChoices):
    """The four early-warning levels, in the colours of Indonesian disaster warnings."""

    NORMAL = 0, _("Normal")
    WASPADA = 1, _("Waspada")
    SIAGA = 2, _("Siaga")
    AWAS = 3, _("Awas")

    @property
    def colour(self) -> str:
        return LEVEL_COLOURS[int(self.value)]

    @property
    def slug(self) -> str:
        return ("normal", "waspada", "siaga", "awas")[int(self.value)]


# hijau, kuning, oranye, merah (readable on white, distinguishable in grey print by lightness).
LEVEL_COLOURS = {0: "#2e7d32", 1: "#f9c80e", 2: "#f57c00", 3: "#c62828"}


class AlertKind(models.TextChoices):
    RISE = "rise", _("Naik level")
    SUSTAINED = "sustained", _("Bertahan di Awas")


class Channel(models.TextChoices):
    INBOX = "inbox", _("Kotak masuk")
    EMAIL = "email", _("Surel")
    WEBHOOK = "webhook", _("Webhook")


class DigestMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Segera")
    DAILY = "daily", _("Ringkasan harian")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    SENT = "sent", _("Terkirim")
    RETRYING = "retrying", _("Dicoba lagi")
    FAILED = "failed", _("Gagal")
    DIGEST = "digest", _("Masuk ringkasan")
