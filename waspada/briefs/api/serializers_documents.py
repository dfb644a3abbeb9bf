"""Serializers of the brief API: output shapes apart from input shapes."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from waspada.briefs.choices import JobState
from waspada.briefs.models import Brief, BriefSubscription
from waspada.briefs.services.documents_schedule import brief_label


class BriefSerializer(serializers.ModelSerializer[Brief]):
    kind = serializers.CharField(read_only=True, help_text="daily, weekly, monthly, informasi")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    title = serializers.SerializerMethodField()
    area_code = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.display_name", read_only=True)
    event_id = serializers.IntegerField(read_only=True, allow_null=True)
    classification = serializers.CharField(
        read_only=True, help_text="biasa, terbatas atau rahasia (yang tertinggi dari isinya)"
    )
    state = serializers.CharField(read_only=True, help_text="queued, running, done, failed")
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    page_url = serializers.SerializerMethodField()
    downloads = serializers.SerializerMethodField()

    class Meta:
        model = Brief
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "area_code",
            "area_name",
            "period_start",
            "period_end",
            "event_id",
            "version",
            "scheduled",
            "classification",
            "state",
            "state_label",
            "progress",
            "progress_note",
            "error",
            "created_at",
            "finished_at",
            "page_url",
            "downloads",
        ]
        read_only_fields = fields

    def get_title(self, brief: Brief) -> str:
        return brief_label(brief)

    def get_page_url(self, brief: Brief) -> str:
        return reverse("briefs:brief_detail", args=[brief.pk])

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"docx": {"type": "string"}, "pdf": {"type": "string"}},
        }
    )
    def get_downloads(self, brief: Brief) -> dict[str, str] | None:
        if brief.state != JobState.DONE:
            return None
        base = reverse("api-brief-download", args=[brief.pk])
        return {"docx": f"{base}?format=docx", "pdf": f"{base}?format=pdf"}


class BriefRequestSerializer(serializers.Serializer[Any]):
    # Plain strings, checked by the service (per-field 400): enums named "kind" and "channel"
    # already exist in the schema for other resources.
    kind = serializers.CharField(max_length=10, help_text="daily, weekly, monthly atau informasi")
    area_code = serializers.CharField(
        required=False, allow_blank=True, max_length=13, help_text="Wajib untuk laporan periodik."
    )
    day = serializers.DateField(
        required=False, allow_null=True, help_text="Rekap harian: tanggalnya (bawaan: hari ini)."
    )
    period_start = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Mingguan/bulanan: tanggal mana pun di minggu/bulan itu (bawaan: yang lalu).",
    )
    event_id = serializers.IntegerField(
        required=False, allow_null=True, help_text="Laporan Informasi: nomor kejadian."
    )


class BriefSubscriptionSerializer(serializers.ModelSerializer[BriefSubscription]):
    area_code = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.display_name", read_only=True)
    kind = serializers.CharField(read_only=True, help_text="daily, weekly atau monthly")
    channel = serializers.CharField(read_only=True, help_text="inbox atau email")

    class Meta:
        model = BriefSubscription
        fields = ["id", "area_code", "area_name", "kind", "channel", "active", "created_at"]
        read_only_fields = fields


class BriefSubscriptionInputSerializer(serializers.Serializer[Any]):
    area_code = serializers.CharField(max_length=13)
    kind = serializers.CharField(max_length=10, help_text="daily, weekly atau monthly")
    channel = serializers.CharField(max_length=8, help_text="inbox atau email")
