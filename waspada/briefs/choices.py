"""Fixed vocabularies of briefs and exports."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BriefKind(models.TextChoices):
    """A periodic brief of an area, or the Laporan Informasi of one event."""

    DAILY = "daily", _("Rekap LAPSITDA harian")
    WEEKLY = "weekly", _("Laporan mingguan")
    MONTHLY = "monthly", _("Laporan bulanan")
    INFORMATION = "informasi", _("Laporan Informasi")


PERIODIC_KINDS = (BriefKind.DAILY, BriefKind.WEEKLY, BriefKind.MONTHLY)


class JobState(models.TextChoices):
    """State of a document or export being built in the background."""

    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Sedang dibuat")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class BriefChannel(models.TextChoices):
    INBOX = "inbox", _("Kotak masuk")
    EMAIL = "email", _("Surel (dengan lampiran)")


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (XLSX)")
    GEOJSON = "geojson", _("GeoJSON")
