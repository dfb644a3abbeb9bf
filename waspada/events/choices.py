"""Fixed vocabularies of the events domain. Classification taxonomies are data (`Term`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from waspada.core import classification as _core_classification


class Axis(models.TextChoices):
    """The classification axes of DOMAIN.md; each has its terms in the `Term` table."""

    ASPECT = "aspect", _("Aspek (IPOLEKSOSBUDHANKAM)")
    ATHG = "athg", _("ATHG")
    UU7_SOURCE = "uu7_source", _("Sumber konflik (UU 7/2012)")
    SNPK = "snpk", _("Kategori kekerasan (SNPK)")
    ACLED_TYPE = "acled_type", _("Jenis kejadian (ACLED)")
    ACLED_SUBTYPE = "acled_subtype", _("Sub-jenis kejadian (ACLED)")
    ELECTION_TYPE = "election_type", _("Jenis pemilihan")
    ELECTION_STAGE = "election_stage", _("Tahapan pemilihan")
    ELECTION_ISSUE = "election_issue", _("Isu pemilihan")
    ACTOR_TYPE = "actor_type", _("Jenis aktor")
    SOURCE_RELIABILITY = "source_reliability", _("Keandalan sumber")
    INFO_CREDIBILITY = "info_credibility", _("Kebenaran informasi")


# Security classification lives in core (users' clearance uses the same scale).
Classification = _core_classification.Classification


CLASSIFICATION_RANK = _core_classification.RANK


class EventStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    MONITORED = "monitored", _("Dipantau")
    RESOLVED = "resolved", _("Selesai ditangani")
    CLOSED = "closed", _("Ditutup")


class ItemKind(models.TextChoices):
    NEW = "new", _("Kejadian baru")
    DEVELOPMENT = "development", _("Perkembangan")


class ItemStatus(models.TextChoices):
    """Mirrors the status of the item's report, so verified data is one indexed filter away."""

    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    RETURNED = "returned", _("Dikembalikan")
    VERIFIED = "verified", _("Terverifikasi")
    WITHDRAWN = "withdrawn", _("Ditarik")


class TimePrecision(models.TextChoices):
    EXACT = "exact", _("Tepat (jam dan menit)")
    HOUR = "hour", _("Perkiraan jam")
    DAY = "day", _("Hari")
    WEEK = "week", _("Minggu")
    MONTH = "month", _("Bulan")


class LocationPrecision(models.TextChoices):
    EXACT = "exact", _("Titik tepat")
    VILLAGE = "village", _("Desa/kelurahan")
    DISTRICT = "district", _("Kecamatan")
    REGENCY = "regency", _("Kabupaten/kota")


class Trend(models.TextChoices):
    RISING = "rising", _("Meningkat")
    STEADY = "steady", _("Tetap")
    FALLING = "falling", _("Menurun")
