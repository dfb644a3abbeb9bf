"""Events (matters in the world), their items (reported developments), taxonomy terms and files.

An *Event* is a land dispute, a planned demonstration, a hoax campaign: something that lasts days
or weeks. Every report *item* either opens an Event (kind NEW) or adds a development to one (kind
DEVELOPMENT), so an Event has a timeline across days and reports. Items carry everything DOMAIN.md
lists under "What an item records". Classification axes point at `Term` rows, which are data
seeded by a migration and editable by a national admin.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waspada.core.scoping import AreaScopedQuerySet
from waspada.events.choices import (
    Axis,
    Classification,
    EventStatus,
    ItemKind,
    ItemStatus,
    LocationPrecision,
    TimePrecision,
    Trend,
)


class Term(models.Model):
    """One value of a classification axis ("ekonomi" of the aspect axis, "A" of source reliability).

    `parent` links an ACLED sub-type to its type and an election stage to nothing in particular;
    `weight` is the term's contribution to severity, tuned by admins for the risk engine.
    """

    axis = models.CharField(max_length=24, choices=Axis.choices, db_index=True)
    code = models.SlugField(max_length=48)
    label = models.CharField(max_length=160)
    label_en = models.CharField(max_length=160, blank=True)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    sort_order = models.PositiveSmallIntegerField(default=0)
    weight = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["axis", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["axis", "code"], name="uniq_term_axis_code")]

    def __str__(self) -> str:
        return self.label


class TermStamp(models.Model):
    """One row whose value changes with every change to the Term table.

    Database triggers (migration 0006) write a new random value whenever a Term row is inserted,
    updated or deleted, however the change is made (services, admin, migrations, raw SQL). A process
    caching the taxonomy compares it with the value it loaded the terms under (`events.terms`).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    value = models.BigIntegerField()

    def __str__(self) -> str:
        return f"terms@{self.value}"


def term_field(axis: str) -> models.ForeignKey[Term | None, Term | None]:
    """An optional link to a term of one classification axis (protected: terms are retired, not
    deleted)."""
    return models.ForeignKey(
        Term,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"axis": axis},
    )


class EventQuerySet(AreaScopedQuerySet["Event"]):
    area_lookup = "area__code"  # code is the PK: no join, and lookups work (area_id__x does not)


class Event(models.Model):
    """A matter in the world, in one area, followed across reports until it is closed."""

    area = models.ForeignKey("geo.Area", on_delete=models.PROTECT, related_name="events")
    title = models.CharField(_("judul"), max_length=200)
    status = models.CharField(
        max_length=12, choices=EventStatus.choices, default=EventStatus.OPEN, db_index=True
    )
    # The highest classification of its items: lists hide the event from users not cleared for it.
    classification = models.CharField(
        max_length=10, choices=Classification.choices, default=Classification.BIASA
    )
    first_occurred_at = models.DateTimeField(null=True, blank=True)
    last_occurred_at = models.DateTimeField(null=True, blank=True, db_index=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_events"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)  # optimistic concurrency

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-last_occurred_at", "-id"]
        indexes = [
            models.Index(fields=["area", "status"]),
            models.Index(
                fields=["area"], name="events_event_area_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        """Human reference used in reports and on the phone: "KJD-000123"."""
        return f"KJD-{self.pk:06d}" if self.pk else "KJD-baru"


class ItemQuerySet(AreaScopedQuerySet["Item"]):
    area_lookup = "area__code"  # code is the PK: no join, and lookups work (area_id__x does not)

    def verified(self) -> ItemQuerySet:
        return self.filter(status=ItemStatus.VERIFIED)


class Item(models.Model):
    """One reported development of an Event, inside a situation report.

    Impacts are non-negative by constraint; `status` mirrors the report's status (kept in step by
    the report services) so that verified data is one indexed filter away.
    """

    report = models.ForeignKey(
        "reports.SituationReport", on_delete=models.CASCADE, related_name="items"
    )
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="items")
    # The event the item was first filed under: a merge moves items, an unmerge moves them back.
    original_event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=ItemKind.choices, default=ItemKind.NEW)
    status = models.CharField(
        max_length=10, choices=ItemStatus.choices, default=ItemStatus.DRAFT, db_index=True
    )
    classification = models.CharField(
        max_length=10, choices=Classification.choices, default=Classification.BIASA
    )

    # When
    occurred_at = models.DateTimeField(_("waktu kejadian"), db_index=True)
    time_precision = models.CharField(
        max_length=8, choices=TimePrecision.choices, default=TimePrecision.EXACT
    )
    # Where
    area = models.ForeignKey("geo.Area", on_delete=models.PROTECT, related_name="items")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    location_precision = models.CharField(
        max_length=10, choices=LocationPrecision.choices, default=LocationPrecision.DISTRICT
    )
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    # What (5W+1H)
    title = models.CharField(_("judul"), max_length=200)
    chronology = models.TextField(_("kronologi"))
    what = models.TextField(_("apa"), blank=True)
    who = models.TextField(_("siapa"), blank=True)
    why = models.TextField(_("mengapa"), blank=True)
    how = models.TextField(_("bagaimana"), blank=True)
    trigger = models.TextField(_("pemicu"), blank=True)
    crowd_size = models.PositiveIntegerField(_("perkiraan jumlah massa"), null=True, blank=True)
    # Impacts
    deaths = models.PositiveIntegerField(_("meninggal"), default=0)
    injured_serious = models.PositiveIntegerField(_("luka berat"), default=0)
    injured_light = models.PositiveIntegerField(_("luka ringan"), default=0)
    abducted = models.PositiveIntegerField(_("penculikan"), default=0)
    sexual_violence = models.PositiveIntegerField(_("kekerasan seksual"), default=0)
    displaced = models.PositiveIntegerField(_("pengungsi"), default=0)
    houses_damaged = models.PositiveIntegerField(_("rumah rusak"), default=0)
    public_buildings_damaged = models.PositiveIntegerField(_("bangunan publik rusak"), default=0)
    worship_places_damaged = models.PositiveIntegerField(_("rumah ibadah rusak"), default=0)
    loss_rupiah = models.PositiveBigIntegerField(_("kerugian (Rp)"), default=0)
    # Source (Laporan Informasi I. Pendahuluan)
    source = models.CharField(_("sumber"), max_length=200, blank=True)
    source_relation = models.CharField(_("hubungan dengan sumber"), max_length=200, blank=True)
    how_obtained = models.CharField(_("cara memperoleh"), max_length=200, blank=True)
    obtained_at = models.DateTimeField(_("waktu diperoleh"), null=True, blank=True)
    source_reliability = term_field(Axis.SOURCE_RELIABILITY)
    info_credibility = term_field(Axis.INFO_CREDIBILITY)
    trend = models.CharField(_("tren"), max_length=8, choices=Trend.choices, blank=True)
    # Opinion (III. Pendapat pelapor)
    analysis = models.TextField(_("analisis"), blank=True)
    prediction = models.TextField(_("prediksi"), blank=True)
    steps_taken = models.TextField(_("langkah yang telah diambil"), blank=True)
    recommendation = models.TextField(_("saran tindak"), blank=True)
    # Classification axes (terms are data)
    aspect = term_field(Axis.ASPECT)
    athg = term_field(Axis.ATHG)
    uu7_source = term_field(Axis.UU7_SOURCE)
    snpk = term_field(Axis.SNPK)
    acled_type = term_field(Axis.ACLED_TYPE)
    acled_subtype = term_field(Axis.ACLED_SUBTYPE)
    election_type = term_field(Axis.ELECTION_TYPE)
    election_stage = term_field(Axis.ELECTION_STAGE)
    election_issues = models.ManyToManyField(
        Term, blank=True, related_name="+", limit_choices_to={"axis": Axis.ELECTION_ISSUE}
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)  # optimistic concurrency

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["status", "occurred_at"]),
            models.Index(
                fields=["area"], name="events_item_area_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["event", "occurred_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="item_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ItemActor(models.Model):
    """A party in an item: a group, organisation, company or person, with its type and size."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="actors")
    name = models.CharField(_("nama"), max_length=200)
    actor_type = term_field(Axis.ACTOR_TYPE)
    crowd_size = models.PositiveIntegerField(null=True, blank=True)
    role = models.CharField(_("peran"), max_length=100, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name never comes from the client: a hash-based name in a dated folder.
    return f"attachments/{instance.created_at:%Y/%m}/{instance.sha256}{instance.extension}"


class Attachment(models.Model):
    """A photo, PDF or office document attached to an item; type checked from the content."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
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

    def __str__(self) -> str:
        return self.original_name
