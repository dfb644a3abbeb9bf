"""Exports of filtered item lists, built in the background when large."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from waspada.briefs.choices import ExportFormat, JobState
from waspada.core.classification import Classification


def export_path(instance: Export, filename: str) -> str:
    return f"exports/{instance.user_id}/{filename}"


class Export(models.Model):
    """A filtered list of items written as CSV, XLSX or GeoJSON for one user.

    `filters` are the list filters as given (the same FilterSet as the item list and the API);
    the rows are read through the item selector as `user`, so the file holds only what they may
    see. The file is kept until `expires_at` and downloadable only by its owner.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    format = models.CharField(max_length=8, choices=ExportFormat.choices)
    filters = models.JSONField(default=dict, blank=True)
    state = models.CharField(
        max_length=8, choices=JobState.choices, default=JobState.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(default=0)  # 0-100
    total_rows = models.PositiveIntegerField(null=True, blank=True)
    row_count = models.PositiveIntegerField(default=0)
    job_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to=export_path, max_length=300, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    # The highest classification of the rows in the file: an owner whose clearance is lowered
    # later no longer gets it.
    classification = models.CharField(
        max_length=10, choices=Classification.choices, default=Classification.BIASA
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_progress_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.format} for {self.user_id} ({self.state})"
