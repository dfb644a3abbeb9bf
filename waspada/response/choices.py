"""Fixed vocabularies of the response domain (UU 7/2012 stages, directive and follow-up states)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    """The kinds of bodies that receive directives and sit in a Timdu."""

    KESBANGPOL = "kesbangpol", _("Badan Kesbangpol")
    OPD = "opd", _("Perangkat daerah (OPD)")
    POLRI = "polri", _("Kepolisian (Polda/Polres/Polsek)")
    TNI = "tni", _("TNI (Kodam/Korem/Kodim/Koramil)")
    KEJAKSAAN = "kejaksaan", _("Kejaksaan (Kejati/Kejari)")
    KECAMATAN = "kecamatan", _("Kecamatan")
    DESA = "desa", _("Pemerintah desa/kelurahan")
    FKDM = "fkdm", _("FKDM")
    FKUB = "fkub", _("FKUB")
    VERTICAL = "vertical", _("Instansi vertikal lain")
    OTHER = "other", _("Lainnya")


class DirectivePriority(models.TextChoices):
    LOW = "low", _("Rendah")
    NORMAL = "normal", _("Sedang")
    HIGH = "high", _("Tinggi")
    URGENT = "urgent", _("Segera")


# Sort order for lists: urgent first.
PRIORITY_RANK = {"urgent": 0, "high": 1, "normal": 2, "low": 3}


class DirectiveStatus(models.TextChoices):
    """A directive is open until every assigned agency has finished (done or cannot be done)."""

    OPEN = "open", _("Berjalan")
    COMPLETED = "completed", _("Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")


class FollowUpStatus(models.TextChoices):
    """The follow-up (*tindak lanjut*) of one agency on one directive."""

    PLANNED = "planned", _("Direncanakan")
    IN_PROGRESS = "in_progress", _("Sedang dilaksanakan")
    DONE = "done", _("Selesai")
    CANNOT = "cannot", _("Tidak dapat dilaksanakan")


FOLLOW_UP_FINISHED = frozenset({FollowUpStatus.DONE, FollowUpStatus.CANNOT})


class CaseStage(models.TextChoices):
    """The three stages of conflict handling in UU 7/2012."""

    PREVENTION = "pencegahan", _("Pencegahan")
    STOPPING = "penghentian", _("Penghentian")
    RECOVERY = "pemulihan", _("Pemulihan")


class CaseStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    CLOSED = "closed", _("Ditutup")


class ConflictScale(models.TextChoices):
    """The scale of a *status keadaan konflik* (UU 7/2012 Pasal 14-16)."""

    REGENCY = "kabupaten_kota", _("Skala kabupaten/kota")
    PROVINCE = "provinsi", _("Skala provinsi")
    NATIONAL = "nasional", _("Skala nasional")


class ConflictStatusState(models.TextChoices):
    ACTIVE = "active", _("Berlaku")
    EXTENDED = "extended", _("Diperpanjang")
    ENDED = "ended", _("Berakhir")
    REVOKED = "revoked", _("Dicabut")


class RecoveryKind(models.TextChoices):
    """Recovery after a conflict (UU 7/2012 Pasal 36)."""

    RECONCILIATION = "rekonsiliasi", _("Rekonsiliasi")
    REHABILITATION = "rehabilitasi", _("Rehabilitasi")
    RECONSTRUCTION = "rekonstruksi", _("Rekonstruksi")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Direncanakan")
    IN_PROGRESS = "in_progress", _("Berjalan")
    DONE = "done", _("Selesai")


class TimduRole(models.TextChoices):
    CHAIR = "ketua", _("Ketua")
    VICE_CHAIR = "wakil_ketua", _("Wakil ketua")
    SECRETARY = "sekretaris", _("Sekretaris")
    MEMBER = "anggota", _("Anggota")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    ACTIVE = "active", _("Berjalan")
    CLOSED = "closed", _("Ditutup")


class RadPeriod(models.TextChoices):
    """The four-monthly periods of a RAD: B.04 (Jan-Apr), B.08 (May-Aug), B.12 (Sep-Dec)."""

    B04 = "B04", _("B.04 (Januari-April)")
    B08 = "B08", _("B.08 (Mei-Agustus)")
    B12 = "B12", _("B.12 (September-Desember)")


# The last month of each period; a period's report is due in the days after its last month.
RAD_PERIOD_LAST_MONTH = {"B04": 4, "B08": 8, "B12": 12}


class PlanReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
