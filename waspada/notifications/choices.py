"""Kinds of notification. The field is free text so other apps can add kinds without a migration."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    REPORT_SUBMITTED = "report.submitted", _("Laporan diajukan")
    REPORT_RETURNED = "report.returned", _("Laporan dikembalikan")
    REPORT_VERIFIED = "report.verified", _("Laporan diverifikasi")
    DAILY_REMINDER = "report.daily_reminder", _("Pengingat laporan harian")
    ALERT = "alert", _("Peringatan dini")
    DIRECTIVE = "directive", _("Arahan dan tindak lanjut")
    CONFLICT_CASE = "conflict_case", _("Kasus konflik")
    ACTION_PLAN = "action_plan", _("Rencana aksi Timdu")
    BRIEF = "brief", _("Dokumen laporan")
    EXPORT = "export", _("Ekspor data")
    GENERAL = "general", _("Pemberitahuan")


def kind_label(kind: str) -> str:
    """The Indonesian label of a kind, or the kind itself when it is not one of ours."""
    try:
        return str(NotificationKind(kind).label)
    except ValueError:
        return kind
