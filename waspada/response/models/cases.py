"""Conflict cases carried through the UU 7/2012 stages, and the *status keadaan konflik*."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from waspada.core.classification import Classification
from waspada.core.scoping import AreaScopedQuerySet
from waspada.response.choices import (
    ActivityStatus,
    CaseStage,
    CaseStatus,
    ConflictScale,
    ConflictStatusState,
    RecoveryKind,
)


class ConflictCaseQuerySet(AreaScopedQuerySet["ConflictCase"]):
    area_lookup = "area__code"  # code is the PK: no join


class ConflictCase(models.Model):
    """A conflict handled as a case: opened from one or more events, with its parties and root
    cause, moving through pencegahan, penghentian and pemulihan until it is closed.

    `classification` is at least the highest of its events'.
    """

    area = models.ForeignKey("geo.Area", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("judul"), max_length=200)
    summary = models.TextField(_("ringkasan"), blank=True)
    root_cause = models.ForeignKey(
        "events.Term",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"axis": "uu7_source"},
        verbose_name=_("akar masalah (UU 7/2012)"),
    )
    stage = models.CharField(
        _("tahap"), max_length=12, choices=CaseStage.choices, default=CaseStage.PREVENTION
    )
    status = models.CharField(
        max_length=8, choices=CaseStatus.choices, default=CaseStatus.ACTIVE, db_index=True
    )
    classification = models.CharField(
        max_length=10, choices=Classification.choices, default=Classification.BIASA
    )
    events = models.ManyToManyField("events.Event", through="response.CaseEvent", related_name="+")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField()
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.TextField(_("catatan penutupan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = ConflictCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(
                fields=["area"], name="response_case_area_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        """Human reference: "KSS-000007"."""
        return f"KSS-{self.pk:06d}" if self.pk else "KSS-baru"


class CaseEvent(models.Model):
    """An event handled under a case (an event may belong to more than one case)."""

    case = models.ForeignKey(ConflictCase, on_delete=models.CASCADE, related_name="case_events")
    event = models.ForeignKey("events.Event", on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "event"], name="uniq_case_event"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} ~ {self.event_id}"


class CaseParty(models.Model):
    """A party to the conflict: a village, a company, a group, with its representative."""

    case = models.ForeignKey(ConflictCase, on_delete=models.CASCADE, related_name="parties")
    name = models.CharField(_("nama pihak"), max_length=200)
    party_type = models.ForeignKey(
        "events.Term",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"axis": "actor_type"},
        verbose_name=_("jenis pihak"),
    )
    representative = models.CharField(_("perwakilan"), max_length=200, blank=True)
    interest = models.TextField(_("kepentingan/tuntutan"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["case_id", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class CaseStageChange(models.Model):
    """One move of a case between stages (or its opening and closing): the stage history."""

    case = models.ForeignKey(ConflictCase, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=12, choices=CaseStage.choices, blank=True)
    to_stage = models.CharField(max_length=12, choices=CaseStage.choices)
    note = models.TextField(_("catatan"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_stage or '-'} -> {self.to_stage}"


class ConflictStatusQuerySet(AreaScopedQuerySet["ConflictStatus"]):
    area_lookup = "case__area__code"


class ConflictStatus(models.Model):
    """A declared *status keadaan konflik*: scale, who declared it, decree number and dates.

    It lasts at most 90 days (`end_date` is the last day it is in force; start + 89 days at
    most). An extension is a new row whose `extends` points at the status it prolongs, starting
    the day after it ends; the extended row's state becomes EXTENDED. A daily job ends rows whose
    end date has passed and sends reminders 14, 7 and 1 days before the end.
    """

    case = models.ForeignKey(ConflictCase, on_delete=models.CASCADE, related_name="statuses")
    scale = models.CharField(_("skala"), max_length=16, choices=ConflictScale.choices)
    # The kab/kota or province the status covers; empty for the national scale.
    area = models.ForeignKey(
        "geo.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    declared_by = models.CharField(_("ditetapkan oleh"), max_length=200)
    decree_number = models.CharField(_("nomor keputusan"), max_length=120)
    start_date = models.DateField(_("mulai berlaku"))
    end_date = models.DateField(_("berakhir"))
    extends = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="extensions"
    )
    state = models.CharField(
        max_length=10,
        choices=ConflictStatusState.choices,
        default=ConflictStatusState.ACTIVE,
        db_index=True,
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(_("alasan berakhir"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    objects = ConflictStatusQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="conflict_status_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decree_number} ({self.start_date} - {self.end_date})"

    @property
    def is_extension(self) -> bool:
        return self.extends_id is not None


class RecoveryActivity(models.Model):
    """A recovery activity of a case: reconciliation, rehabilitation or reconstruction."""

    case = models.ForeignKey(
        ConflictCase, on_delete=models.CASCADE, related_name="recovery_activities"
    )
    kind = models.CharField(_("jenis"), max_length=14, choices=RecoveryKind.choices)
    title = models.CharField(_("kegiatan"), max_length=200)
    description = models.TextField(_("uraian"), blank=True)
    agency = models.ForeignKey(
        "response.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    start_date = models.DateField(_("mulai"), null=True, blank=True)
    end_date = models.DateField(_("selesai"), null=True, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["case_id", "start_date", "id"]

    def __str__(self) -> str:
        return self.title
