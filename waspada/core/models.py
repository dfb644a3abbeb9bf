"""Core tables: the hash-chained audit log and the record of background jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One change made through a service: who did what to which object, before and after.

    Entries form a hash chain: `hash` covers this entry's content and the previous entry's hash,
    and `seq` counts from 1 without gaps, so editing or deleting any row is detectable by
    `manage.py verify_audit`. Rows are only ever inserted, by `core.audit.record`.
    """

    seq = models.PositiveBigIntegerField(unique=True)
    created_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150, help_text="username at the time, or 'system'")
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    area_code = models.CharField(max_length=20, blank=True, db_index=True)
    # The changed object's security classification: readers need the clearance to see the entry.
    classification = models.CharField(max_length=10, blank=True, default="")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    job_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")

    def __str__(self) -> str:
        return (
            f"#{self.seq} {self.action} {self.object_type}:{self.object_id} by {self.actor_label}"
        )


class AuditHead(models.Model):
    """The newest seq and hash of the chain, so that deleting the last entries is detectable too."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"audit head #{self.seq}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Antre")
    RUNNING = "running", _("Berjalan")
    SUCCEEDED = "succeeded", _("Selesai")
    FAILED = "failed", _("Gagal")


class Job(models.Model):
    """One run of a background job, visible to admins: status, timing, error and log."""

    id = models.CharField(primary_key=True, max_length=64)
    name = models.CharField(max_length=120, db_index=True)
    status = models.CharField(max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="0-100")
    error = models.TextField(blank=True)
    log = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)
    area_code = models.CharField(max_length=20, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"


class IdempotencyRecord(models.Model):
    """The first answer to a create carrying an Idempotency-Key, replayed for every retry.

    The row is inserted in the same transaction as the object it creates; the unique constraint
    makes concurrent retries wait for the first and then replay its answer (see core.idempotency).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=80, help_text="what was created, e.g. 'reports.create'")
    key = models.CharField(max_length=128)
    fingerprint = models.CharField(max_length=64, help_text="sha256 of the request body")
    status_code = models.PositiveSmallIntegerField(default=201)
    response = models.JSONField(null=True, blank=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "scope", "key"], name="uniq_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
