"""Input and output shapes of the events, items and terms API (separate: their shapes differ).

Axis values are term codes everywhere. Item input is validated by `events.services` (one rule for
the API, the pages and the import); the input serializers parse the envelope (version, status,
ids) and document the item shape in the OpenAPI schema.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from waspada.core.models import AuditEntry
from waspada.events.choices import (
    Axis,
    Classification,
    EventStatus,
    ItemKind,
    LocationPrecision,
    TimePrecision,
    Trend,
)
from waspada.events.models import Attachment, Event, Item, ItemActor, Term
from waspada.events.validation import IMPACT_LIMITS, TERM_AXES, TEXT_FIELDS

IMPACTS = (*IMPACT_LIMITS, "loss_rupiah")
ITEM_TEXTS = tuple(name for name in TEXT_FIELDS if name != "title")


# ---------------------------------------------------------------- output


class ActorOutputSerializer(serializers.ModelSerializer[ItemActor]):
    actor_type = serializers.SlugRelatedField[Term](
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = ItemActor
        fields = ["name", "actor_type", "crowd_size", "role"]
        read_only_fields = fields


class AttachmentOutputSerializer(serializers.ModelSerializer[Attachment]):
    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "created_at"]
        read_only_fields = fields


class ItemOutputSerializer(serializers.ModelSerializer[Item]):
    """An item: when, where, what, who, impacts, source, opinion, classification on every axis."""

    event_reference = serializers.CharField(source="event.reference", read_only=True)
    area = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.path_name", read_only=True)
    actors = ActorOutputSerializer(many=True, read_only=True)
    election_issues = serializers.SlugRelatedField[Term](
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = Item
        fields = [
            "id",
            "report",
            "event",
            "event_reference",
            "original_event",
            "kind",
            "status",
            "classification",
            "occurred_at",
            "time_precision",
            "area",
            "area_name",
            "latitude",
            "longitude",
            "location_precision",
            "title",
            *ITEM_TEXTS,
            "crowd_size",
            *IMPACTS,
            "obtained_at",
            "trend",
            *TERM_AXES,
            "election_issues",
            "actors",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        for axis in TERM_AXES:
            fields[axis] = serializers.SlugRelatedField[Term](
                slug_field="code", read_only=True, allow_null=True
            )
        return fields


class ItemDetailOutputSerializer(ItemOutputSerializer):
    """An item with its attachments (their content is served by the entry pages)."""

    attachments = AttachmentOutputSerializer(many=True, read_only=True)

    class Meta(ItemOutputSerializer.Meta):
        fields = [*ItemOutputSerializer.Meta.fields, "attachments"]
        read_only_fields = fields


class EventOutputSerializer(serializers.ModelSerializer[Event]):
    """An event: a matter in the world followed across reports."""

    reference = serializers.CharField(read_only=True)
    area = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.path_name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "reference",
            "area",
            "area_name",
            "title",
            "status",
            "status_label",
            "classification",
            "first_occurred_at",
            "last_occurred_at",
            "merged_into",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class EventDetailOutputSerializer(EventOutputSerializer):
    """An event with its timeline (the items you may see, oldest first) and merged duplicates."""

    items = serializers.SerializerMethodField()
    merged_events = serializers.SerializerMethodField()

    class Meta(EventOutputSerializer.Meta):
        fields = [*EventOutputSerializer.Meta.fields, "items", "merged_events"]
        read_only_fields = fields

    @extend_schema_field(ItemOutputSerializer(many=True))
    def get_items(self, event: Event) -> list[dict[str, Any]]:
        data: list[dict[str, Any]] = ItemOutputSerializer(
            self.context.get("items", []), many=True
        ).data  # type: ignore[assignment]
        return data

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_merged_events(self, event: Event) -> list[int]:
        return [e.pk for e in self.context.get("merged", [])]


class DuplicateOutputSerializer(serializers.Serializer[Any]):
    """A likely duplicate with its similarity (0..1; see events/duplicates.py)."""

    event = EventOutputSerializer(read_only=True)
    score = serializers.FloatField(read_only=True)


class HistoryEntryOutputSerializer(serializers.ModelSerializer[AuditEntry]):
    """One audit entry of an item's or event's history."""

    class Meta:
        model = AuditEntry
        fields = [
            "seq",
            "created_at",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "area_code",
            "before",
            "after",
        ]
        read_only_fields = fields


class TermOutputSerializer(serializers.ModelSerializer[Term]):
    parent = serializers.SlugRelatedField[Term](  # type: ignore[assignment]  # field named "parent"
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = Term
        fields = [
            "id",
            "axis",
            "code",
            "label",
            "label_en",
            "description",
            "parent",
            "sort_order",
            "weight",
            "active",
        ]
        read_only_fields = fields


class ErrorOutputSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(  # type: ignore[assignment]  # the body key is "errors"
        child=serializers.ListField(child=serializers.CharField()), required=False
    )
    version = serializers.IntegerField(required=False, help_text="Versi sekarang (pada 409).")


# ---------------------------------------------------------------- input


class EventStatusInputSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(
        choices=EventStatus.choices,
        help_text="open → monitored → resolved → closed; resolved → monitored membuka kembali.",
    )
    version = serializers.IntegerField(
        min_value=1, help_text="Versi kejadian yang Anda lihat; 409 bila sudah berubah."
    )


class EventMergeInputSerializer(serializers.Serializer[Any]):
    duplicate = serializers.IntegerField(
        min_value=1, help_text="Id kejadian duplikat yang digabung ke kejadian ini."
    )


class DuplicatesQuerySerializer(serializers.Serializer[Any]):
    limit = serializers.IntegerField(min_value=1, max_value=20, required=False, default=5)


class ActorInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    actor_type = serializers.CharField(
        required=False, allow_blank=True, help_text="Kode istilah sumbu actor_type."
    )
    crowd_size = serializers.IntegerField(required=False, min_value=0, allow_null=True)
    role = serializers.CharField(required=False, allow_blank=True, max_length=100)


class ItemUpdateInputSerializer(serializers.Serializer[Any]):
    """A correction: `version` plus only the fields that change (validated by the service)."""

    version = serializers.IntegerField(
        min_value=1, help_text="Versi butir yang Anda ubah; 409 bila sudah berubah."
    )
    classification = serializers.ChoiceField(choices=Classification.choices, required=False)
    occurred_at = serializers.DateTimeField(required=False, help_text="Tidak boleh di masa depan.")
    time_precision = serializers.ChoiceField(choices=TimePrecision.choices, required=False)
    area = serializers.CharField(
        required=False, help_text="Kode wilayah di dalam wilayah laporan (boleh dari titik peta)."
    )
    latitude = serializers.FloatField(required=False, allow_null=True)
    longitude = serializers.FloatField(required=False, allow_null=True)
    location_precision = serializers.ChoiceField(choices=LocationPrecision.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    crowd_size = serializers.IntegerField(required=False, allow_null=True)
    obtained_at = serializers.DateTimeField(required=False, allow_null=True)
    trend = serializers.ChoiceField(choices=Trend.choices, required=False, allow_blank=True)
    actors = ActorInputSerializer(many=True, required=False, help_text="Mengganti semua aktor.")
    election_issues = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Kode istilah isu pemilihan."
    )
    kind = serializers.ChoiceField(
        choices=ItemKind.choices, required=False, help_text="Tidak dapat diubah."
    )

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        for name in ITEM_TEXTS:
            fields[name] = serializers.CharField(required=False, allow_blank=True)
        for name in IMPACTS:
            fields[name] = serializers.IntegerField(required=False)
        for name in TERM_AXES:
            fields[name] = serializers.CharField(
                required=False,
                allow_blank=True,
                allow_null=True,
                help_text=f"Kode istilah sumbu {name}.",
            )
        return fields


class TermCreateInputSerializer(serializers.Serializer[Any]):
    axis = serializers.ChoiceField(choices=Axis.choices)
    code = serializers.CharField(max_length=48, help_text="Huruf, angka, tanda hubung.")
    label = serializers.CharField(max_length=160)  # type: ignore[assignment]  # field "label"
    label_en = serializers.CharField(max_length=160, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    parent = serializers.CharField(  # type: ignore[assignment]  # a field named "parent"
        required=False, allow_blank=True, help_text="Kode jenis ACLED (hanya untuk sub-jenis)."
    )
    sort_order = serializers.IntegerField(required=False, min_value=0, max_value=32767)
    weight = serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False, min_value=0, max_value=100
    )
    active = serializers.BooleanField(required=False)


class TermUpdateInputSerializer(serializers.Serializer[Any]):
    """Only the fields that change; axis and code never change."""

    label = serializers.CharField(max_length=160, required=False)  # type: ignore[assignment]
    label_en = serializers.CharField(max_length=160, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    parent = serializers.CharField(required=False, allow_blank=True)  # type: ignore[assignment]
    sort_order = serializers.IntegerField(required=False, min_value=0, max_value=32767)
    weight = serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False, min_value=0, max_value=100
    )
    active = serializers.BooleanField(required=False)


class TermQuerySerializer(serializers.Serializer[Any]):
    axis = serializers.ChoiceField(choices=Axis.choices, required=False)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)
