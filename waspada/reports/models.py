"""Situation reports (LAPSITDA and the other report types) and their review workflow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waspada.core.scoping import AreaScopedQuerySet


class ReportType(models.TextChoices):
    DAILY = "harian", _("LAPSITDA harian")
    WEEKLY = "mingguan", _("LAPSITDA mingguan")
    MONTHLY = "bulanan", _("LAPSITDA bulanan")
    INFORMATION = "informasi", _("Laporan Informasi")
    ATTENTION = "atensi", _("Laporan Atensi")
    SPECIAL = "khusus", _("Laporan Khusus")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    RETURNED = "returned", _("Dikembalikan")
    VERIFIED = "verified", _("Terverifikasi")


class SituationReportQuerySet(AreaScopedQuerySet["SituationReport"]):
    area_lookup = "area__code"  # code is the PK: no join, and lookups work (area_id__x does not)


class SituationReport(models.Model):
    """A report of one type for one area and period, listing its items (or *nihil*).

    A daily report (harian) covers one date; there is at most one per area and date. A
    Laporan Informasi keeps its three sections: the items carry I. Pendahuluan (source) and
    II. Fakta-fakta (5W+1H); `introduction` and `opinion` hold the report-level text.
    """

    report_type = models.CharField(max_length=10, choices=ReportType.choices, db_index=True)
    area = models.ForeignKey("geo.Area", on_delete=models.PROTECT, related_name="reports")
    period_start = models.DateField(db_index=True)
    period_end = models.DateField()
    is_nihil = models.BooleanField(_("nihil"), default=False)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    title = models.CharField(_("judul"), max_length=200, blank=True)
    summary = models.TextField(_("ringkasan"), blank=True)
    introduction = models.TextField(_("pendahuluan"), blank=True)
    opinion = models.TextField(_("pendapat pelapor"), blank=True)
    return_reason = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    # The moment a daily report is due (end of the reporting hour in the area's own time zone).
    due_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)  # optimistic concurrency

    objects = SituationReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "area_id"]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(
                fields=["area"], name="reports_area_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "period_start"],
                condition=Q(report_type="harian"),
                name="uniq_daily_report_per_area_date",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="report_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_report_type_display()} {self.area_id} {self.period_start}"

    @property
    def reference(self) -> str:
        return f"LAP-{self.pk:06d}" if self.pk else "LAP-baru"
