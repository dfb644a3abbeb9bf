"""Input and output shapes of the reports API (separate, as their shapes differ).

Items are validated by `events.services.record_item` (one rule for the API, the pages and the
import); `ItemInputSerializer` only documents their shape in the OpenAPI schema.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from waspada.accounts.validation import AREA_CODE
from waspada.events.choices import Classification, ItemKind, LocationPrecision, TimePrecision, Trend
from waspada.events.models import Item
from waspada.reports.models import ReportType, SituationReport

AREA_CODE_ERRORS: dict[str, Any] = {"invalid": "Kode wilayah tidak valid, contoh: 62.71"}
TERM_AXES = (
    "aspect",
    "athg",
    "uu7_source",
    "snpk",
    "acled_type",
    "acled_subtype",
    "election_type",
    "election_stage",
    "source_reliability",
    "info_credibility",
)
IMPACTS = (
    "deaths",
    "injured_serious",
    "injured_light",
    "abducted",
    "sexual_violence",
    "displaced",
    "houses_damaged",
    "public_buildings_damaged",
    "worship_places_damaged",
    "loss_rupiah",
)
ITEM_TEXTS = (
    "place",
    "chronology",
    "what",
    "who",
    "why",
    "how",
    "trigger",
    "source",
    "source_relation",
    "how_obtained",
    "analysis",
    "prediction",
    "steps_taken",
    "recommendation",
)


# ---------------------------------------------------------------- output


class AreaRefSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField()
    path_name = serializers.CharField()


class PersonRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()


class ItemActorOutputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    actor_type = serializers.CharField(source="actor_type.code", allow_null=True)
    crowd_size = serializers.IntegerField(allow_null=True)
    role = serializers.CharField()


class AttachmentRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class ReportItemSerializer(serializers.ModelSerializer[Item]):
    """An item as listed in its report; axis values are term codes."""

    event_reference = serializers.CharField(source="event.reference", read_only=True)
    area = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.path_name", read_only=True)
    actors = ItemActorOutputSerializer(many=True, read_only=True)
    election_issues = serializers.SlugRelatedField[Any](
        slug_field="code", many=True, read_only=True
    )
    attachments = AttachmentRefSerializer(many=True, read_only=True)

    class Meta:
        model = Item
        fields = [
            "id",
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
            "attachments",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        for axis in TERM_AXES:
            fields[axis] = serializers.SlugRelatedField(
                slug_field="code", read_only=True, allow_null=True
            )
        return fields


class ReportListSerializer(serializers.ModelSerializer[SituationReport]):
    """A report as lists show it: no texts, the number of items the caller may see."""

    reference = serializers.CharField(read_only=True)
    report_type_label = serializers.CharField(source="get_report_type_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    area = AreaRefSerializer(read_only=True)
    created_by = PersonRefSerializer(read_only=True, allow_null=True)
    verified_by = PersonRefSerializer(read_only=True, allow_null=True)
    item_count = serializers.IntegerField(read_only=True, help_text="Butir yang boleh Anda lihat.")
    is_late = serializers.SerializerMethodField(
        help_text="Diajukan pertama kali setelah batas waktu (atau belum diajukan dan lewat)."
    )

    class Meta:
        model = SituationReport
        fields = [
            "id",
            "reference",
            "report_type",
            "report_type_label",
            "area",
            "period_start",
            "period_end",
            "is_nihil",
            "status",
            "status_label",
            "title",
            "due_at",
            "is_late",
            "first_submitted_at",
            "submitted_at",
            "verified_at",
            "verified_by",
            "created_by",
            "created_at",
            "updated_at",
            "version",
            "item_count",
        ]
        read_only_fields = fields

    def get_is_late(self, report: SituationReport) -> bool:
        if report.due_at is None:
            return False
        moment = report.first_submitted_at
        if moment is None:
            return timezone.now() > report.due_at
        return moment > report.due_at


class ReportDetailSerializer(ReportListSerializer):
    """A report with its texts and the items the caller is cleared for."""

    items = serializers.SerializerMethodField()

    class Meta(ReportListSerializer.Meta):
        fields = [
            *ReportListSerializer.Meta.fields,
            "summary",
            "introduction",
            "opinion",
            "return_reason",
            "items",
        ]
        read_only_fields = fields

    @extend_schema_field(ReportItemSerializer(many=True))
    def get_items(self, report: SituationReport) -> list[dict[str, Any]]:
        items = self.context.get("items", [])
        return ReportItemSerializer(items, many=True).data  # type: ignore[return-value]


# ---------------------------------------------------------------- input


class ItemActorInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    actor_type = serializers.CharField(required=False, help_text="Kode istilah sumbu actor_type.")
    crowd_size = serializers.IntegerField(required=False, min_value=0, allow_null=True)
    role = serializers.CharField(required=False, max_length=100)


class ItemInputSerializer(serializers.Serializer[Any]):
    """The shape of one item (documentation; `events.services.record_item` validates it)."""

    event = serializers.IntegerField(
        required=False, help_text="Id kejadian yang sudah ada: butir ini perkembangannya."
    )
    kind = serializers.ChoiceField(choices=ItemKind.choices, required=False)
    classification = serializers.ChoiceField(choices=Classification.choices, required=False)
    occurred_at = serializers.DateTimeField(help_text="Tidak boleh di masa depan.")
    time_precision = serializers.ChoiceField(choices=TimePrecision.choices, required=False)
    area = serializers.CharField(
        required=False, help_text="Kode wilayah di dalam wilayah laporan (boleh dari titik peta)."
    )
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False)
    location_precision = serializers.ChoiceField(choices=LocationPrecision.choices, required=False)
    title = serializers.CharField(max_length=200)
    chronology = serializers.CharField()
    crowd_size = serializers.IntegerField(required=False, min_value=0)
    obtained_at = serializers.DateTimeField(required=False)
    trend = serializers.ChoiceField(choices=Trend.choices, required=False)
    actors = ItemActorInputSerializer(many=True, required=False)
    election_issues = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Kode istilah isu pemilihan."
    )

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        for name in ITEM_TEXTS:
            if name not in fields:
                fields[name] = serializers.CharField(required=False, allow_blank=True)
        for name in IMPACTS:
            fields[name] = serializers.IntegerField(required=False, min_value=0)
        for name in TERM_AXES:
            fields[name] = serializers.CharField(
                required=False, help_text=f"Kode istilah sumbu {name}."
            )
        return fields


@extend_schema_field(ItemInputSerializer(many=True))
class ItemListField(serializers.ListField):
    """A list of item objects, passed as sent to `record_item`, which validates them."""

    child = serializers.DictField()


class ReportCreateInputSerializer(serializers.Serializer[Any]):
    report_type = serializers.ChoiceField(choices=ReportType.choices)
    area = serializers.RegexField(AREA_CODE.pattern, max_length=13, error_messages=AREA_CODE_ERRORS)
    period_start = serializers.DateField(help_text="Tanggal laporan (harian) atau awal periode.")
    period_end = serializers.DateField(
        required=False,
        help_text="Default: sama dengan awal (harian), +6 hari (mingguan), akhir bulan (bulanan).",
    )
    is_nihil = serializers.BooleanField(required=False, default=False)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    introduction = serializers.CharField(required=False, allow_blank=True)
    opinion = serializers.CharField(required=False, allow_blank=True)
    items = ItemListField(required=False, max_length=200)


class ReportUpdateInputSerializer(serializers.Serializer[Any]):
    """Every field but `version` optional: only the fields sent change."""

    version = serializers.IntegerField(
        min_value=1, help_text="Versi laporan yang Anda ubah; 409 bila sudah berubah."
    )
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)
    is_nihil = serializers.BooleanField(required=False)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    introduction = serializers.CharField(required=False, allow_blank=True)
    opinion = serializers.CharField(required=False, allow_blank=True)


class TransitionInputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="Versi laporan yang Anda lihat; bila diisi dan sudah berubah: 409.",
    )


class ReturnInputSerializer(TransitionInputSerializer):
    reason = serializers.CharField(max_length=2000, help_text="Alasan pengembalian (wajib).")


class ConflictSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    code = serializers.CharField()
    existing_id = serializers.IntegerField(
        required=False, help_text="Id laporan harian yang sudah ada (duplikat)."
    )
    status = serializers.CharField(required=False, help_text="Status laporan sekarang.")
    version = serializers.IntegerField(required=False, help_text="Versi laporan sekarang.")


class ErrorSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(  # type: ignore[assignment]  # the body key is "errors"
        child=serializers.ListField(child=serializers.CharField()), required=False
    )
