"""Directives (*arahan*) and their follow-up (*tindak lanjut*) by agencies, with evidence files."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waspada.core.classification import Classification
from waspada.core.scoping import AreaScopedQuerySet
from waspada.response.choices import DirectivePriority, DirectiveStatus, FollowUpStatus


class DirectiveQuerySet(AreaScopedQuerySet["Directive"]):
    area_lookup = "area__code"  # code is the PK: no join


class Directive(models.Model):
    """A leader's or analyst's instruction to one or more agencies, on an alert, an event, a
    conflict case or simply an area, due on a local date.

    `due_at` is the end of `due_date` in the area's own zone (WIB/WITA/WIT), in UTC, so "overdue"
    is one indexed comparison. The directive is open until every assignment is finished (done or
    cannot be done), then completed; its issuer may cancel it. `classification` is at least that of
    its event or case, so a *rahasia* matter's directives stay hidden from users not cleared.
    """

    area = models.ForeignKey("geo.Area", on_delete=models.PROTECT, related_name="+")
    alert = models.ForeignKey(
        "warnings.Alert", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "response.ConflictCase",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="directives",
    )
    title = models.CharField(_("judul"), max_length=200)
    instruction = models.TextField(_("isi arahan"))
    priority = models.CharField(
        _("prioritas"),
        max_length=8,
        choices=DirectivePriority.choices,
        default=DirectivePriority.NORMAL,
    )
    due_date = models.DateField(_("batas waktu"))
    due_at = models.DateTimeField(db_index=True)
    status = models.CharField(
        max_length=10, choices=DirectiveStatus.choices, default=DirectiveStatus.OPEN, db_index=True
    )
    classification = models.CharField(
        max_length=10, choices=Classification.choices, default=Classification.BIASA
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    # Reminders already sent (the jobs are idempotent through these and notification keys).
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)  # optimistic concurrency

    objects = DirectiveQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="directive_status_due"),
            models.Index(
                fields=["area"],
                name="response_directive_area_pfx",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        """Human reference used in briefs and on the phone: "ARH-000042"."""
        return f"ARH-{self.pk:06d}" if self.pk else "ARH-baru"

    def is_overdue(self, now: dt.datetime) -> bool:
        return self.status == DirectiveStatus.OPEN and self.due_at < now


class DirectiveAssignment(models.Model):
    """One agency's follow-up of one directive: its current status, progress and reason."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="assignments")
    agency = models.ForeignKey(
        "response.Agency", on_delete=models.PROTECT, related_name="assignments"
    )
    status = models.CharField(
        max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("kemajuan (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    reason = models.TextField(_("alasan"), blank=True)  # required when it cannot be done
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["directive_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["directive", "agency"], name="uniq_directive_assignment"
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="assignment_progress_max_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.directive_id} -> {self.agency_id}: {self.status}"


class FollowUp(models.Model):
    """A progress note of an assignment: what was done, the status after it, evidence files."""

    assignment = models.ForeignKey(
        DirectiveAssignment, on_delete=models.CASCADE, related_name="follow_ups"
    )
    status = models.CharField(max_length=12, choices=FollowUpStatus.choices)
    progress = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(_("catatan"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.status} {self.created_at:%Y-%m-%d}"


def evidence_path(instance: Evidence, filename: str) -> str:
    """Evidence files by month under response/; the name is the content hash."""
    at = instance.created_at
    return f"response/{at:%Y/%m}/{filename}"


class Evidence(models.Model):
    """A photo, PDF or office document proving a follow-up, a recovery activity or RAD progress.

    Exactly one owner is set. `area_code` and `classification` are copied from the owner so the
    download view can check scope and clearance without walking the chain. The type is checked
    from the content (events.attachments.inspect_upload), never from the name.
    """

    follow_up = models.ForeignKey(
        FollowUp, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    recovery_activity = models.ForeignKey(
        "response.RecoveryActivity",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    plan_entry = models.ForeignKey(
        "response.PlanReportEntry",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    area_code = models.CharField(max_length=32)
    classification = models.CharField(
        max_length=10, choices=Classification.choices, default=Classification.BIASA
    )
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    location_kept = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        follow_up__isnull=False,
                        recovery_activity__isnull=True,
                        plan_entry__isnull=True,
                    )
                    | Q(
                        follow_up__isnull=True,
                        recovery_activity__isnull=False,
                        plan_entry__isnull=True,
                    )
                    | Q(
                        follow_up__isnull=True,
                        recovery_activity__isnull=True,
                        plan_entry__isnull=False,
                    )
                ),
                name="evidence_exactly_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name
