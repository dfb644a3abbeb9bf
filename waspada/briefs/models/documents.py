"""Letterheads, generated briefs and brief subscriptions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waspada.briefs.choices import BriefChannel, BriefKind, JobState
from waspada.core.classification import Classification
from waspada.core.scoping import AreaScopedQuerySet


def brief_path(instance: Brief, filename: str) -> str:
    return f"briefs/{instance.area_id}/{filename}"


def logo_path(instance: Letterhead, filename: str) -> str:
    return f"letterheads/{instance.area_id}/{filename}"


class Letterhead(models.Model):
    """The *kop surat* of an area's documents: heading lines, logo, and who signs.

    A brief of an area uses the letterhead of the area or of its nearest ancestor that has one.
    """

    area = models.OneToOneField("geo.Area", on_delete=models.CASCADE, related_name="+")
    lines = models.TextField(
        _("baris kop"),
        help_text=_("Satu baris per baris kop, mis. PEMERINTAH PROVINSI ... / BADAN KESBANGPOL"),
    )
    address = models.CharField(_("alamat dan kontak"), max_length=300, blank=True)
    logo = models.FileField(_("logo"), upload_to=logo_path, max_length=300, blank=True)
    city = models.CharField(_("kota penandatanganan"), max_length=100, blank=True)
    signer_title = models.CharField(_("jabatan penanda tangan"), max_length=200, blank=True)
    signer_name = models.CharField(_("nama penanda tangan"), max_length=200, blank=True)
    signer_id = models.CharField(_("NIP"), max_length=40, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Kop {self.area_id}"


class BriefQuerySet(AreaScopedQuerySet["Brief"]):
    area_lookup = "area__code"


class Brief(models.Model):
    """One generated version of a brief, built for one reader.

    A brief holds only what `built_for` may see (their scope and clearance), so a document is
    never handed to someone else: each subscriber of a scheduled brief gets their own build.
    `version` counts the builds of the same (kind, area, period, event, reader); `classification`
    is the highest classification of the content included, marked on every page.
    """

    kind = models.CharField(max_length=10, choices=BriefKind.choices)
    area = models.ForeignKey("geo.Area", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    built_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="briefs"
    )
    scheduled = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    classification = models.CharField(
        max_length=10, choices=Classification.choices, default=Classification.BIASA
    )
    state = models.CharField(
        max_length=8, choices=JobState.choices, default=JobState.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(default=0)  # 0-100
    progress_note = models.CharField(max_length=200, blank=True)
    job_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    docx = models.FileField(upload_to=brief_path, max_length=300, blank=True)
    pdf = models.FileField(upload_to=brief_path, max_length=300, blank=True)
    summary = models.JSONField(default=dict, blank=True)  # counts shown on the page
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = BriefQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "kind",
                    "area",
                    "period_start",
                    "period_end",
                    "event",
                    "built_for",
                    "version",
                ],
                name="uniq_brief_version",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="brief_progress_max_100"),
        ]
        indexes = [
            models.Index(fields=["built_for", "-created_at"], name="brief_reader_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.area_id} {self.period_start}..{self.period_end} v{self.version}"


class BriefSubscription(models.Model):
    """Who receives the scheduled briefs of an area, of which kind, through which channel."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="brief_subscriptions"
    )
    area = models.ForeignKey("geo.Area", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=BriefKind.choices)
    channel = models.CharField(
        max_length=8, choices=BriefChannel.choices, default=BriefChannel.EMAIL
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["area_id", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "area", "kind", "channel"],
                condition=Q(active=True),
                name="uniq_active_brief_subscription",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.area_id} {self.kind} {self.channel}"
