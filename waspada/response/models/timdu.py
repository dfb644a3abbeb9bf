"""The Timdu PKS of an area, its member agencies, and its yearly action plan (RAD) with the
four-monthly progress reports B.04, B.08 and B.12."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from waspada.core.scoping import AreaScopedQuerySet
from waspada.response.choices import (
    CaseStage,
    PlanReportStatus,
    PlanStatus,
    RadPeriod,
    TimduRole,
)


class TimduQuerySet(AreaScopedQuerySet["Timdu"]):
    area_lookup = "area__code"


class Timdu(models.Model):
    """The integrated team for handling social conflict (Timdu PKS) of one area."""

    area = models.ForeignKey("geo.Area", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nama tim"), max_length=200)
    chair = models.CharField(_("ketua"), max_length=200, blank=True)
    decree_number = models.CharField(_("nomor SK"), max_length=120, blank=True)
    decree_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    agencies = models.ManyToManyField(
        "response.Agency", through="response.TimduMember", related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = TimduQuerySet.as_manager()

    class Meta:
        ordering = ["area_id"]
        constraints = [models.UniqueConstraint(fields=["area"], name="uniq_timdu_area")]

    def __str__(self) -> str:
        return self.name


class TimduMember(models.Model):
    """A member agency of a Timdu, with its role in the team."""

    timdu = models.ForeignKey(Timdu, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey("response.Agency", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(
        _("peran"), max_length=12, choices=TimduRole.choices, default=TimduRole.MEMBER
    )

    class Meta:
        ordering = ["timdu_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["timdu", "agency"], name="uniq_timdu_member"),
        ]

    def __str__(self) -> str:
        return f"{self.timdu_id}: {self.agency_id} ({self.role})"


class ActionPlanQuerySet(AreaScopedQuerySet["ActionPlan"]):
    area_lookup = "timdu__area__code"


class ActionPlan(models.Model):
    """A Timdu's yearly action plan (Rencana Aksi, RAD)."""

    timdu = models.ForeignKey(Timdu, on_delete=models.CASCADE, related_name="plans")
    year = models.PositiveSmallIntegerField(
        _("tahun"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("judul"), max_length=200)
    status = models.CharField(max_length=8, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "timdu_id"]
        constraints = [
            models.UniqueConstraint(fields=["timdu", "year"], name="uniq_plan_timdu_year"),
        ]

    def __str__(self) -> str:
        return f"RAD {self.year} {self.timdu_id}"


class PlanActivity(models.Model):
    """One activity of a RAD, under one stage, with its responsible agency, target, budget and
    schedule (months of the plan's year)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="activities")
    stage = models.CharField(_("tahap"), max_length=12, choices=CaseStage.choices)
    title = models.CharField(_("kegiatan"), max_length=200)
    description = models.TextField(_("uraian"), blank=True)
    agency = models.ForeignKey(
        "response.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("penanggung jawab"),
    )
    target = models.CharField(_("target"), max_length=200)
    budget = models.PositiveBigIntegerField(_("anggaran (Rp)"), default=0)
    start_month = models.PositiveSmallIntegerField(
        _("bulan mulai"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    end_month = models.PositiveSmallIntegerField(
        _("bulan selesai"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    sort_order = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan_id", "stage", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_month__gte=1, end_month__lte=12, end_month__gte=F("start_month")),
                name="plan_activity_months",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PlanReport(models.Model):
    """The progress report of a RAD for one four-monthly period (B.04, B.08, B.12)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="reports")
    period = models.CharField(_("periode"), max_length=3, choices=RadPeriod.choices)
    summary = models.TextField(_("ringkasan"), blank=True)
    status = models.CharField(
        max_length=10, choices=PlanReportStatus.choices, default=PlanReportStatus.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan_id", "period"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="uniq_plan_report_period"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.period}"


class PlanReportEntry(models.Model):
    """One activity's realisation at the end of a period: cumulative percentage and spending."""

    report = models.ForeignKey(PlanReport, on_delete=models.CASCADE, related_name="entries")
    activity = models.ForeignKey(
        PlanActivity, on_delete=models.CASCADE, related_name="report_entries"
    )
    realisation_percent = models.PositiveSmallIntegerField(
        _("realisasi fisik (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    budget_spent = models.PositiveBigIntegerField(_("realisasi anggaran (Rp)"), default=0)
    notes = models.TextField(_("catatan"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["report_id", "activity_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "activity"], name="uniq_plan_entry"),
            models.CheckConstraint(
                condition=Q(realisation_percent__lte=100), name="plan_entry_percent_max_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}/{self.activity_id}: {self.realisation_percent}%"
