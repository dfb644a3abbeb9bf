"""Serializers of the export API: the request (format and item filters) apart from the export."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from waspada.briefs.choices import ExportFormat
from waspada.briefs.models import Export
from waspada.briefs.selectors import exports as selectors


class ExportInputSerializer(serializers.Serializer[Any]):
    format = serializers.ChoiceField(choices=ExportFormat.choices)
    filters = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=dict,
        help_text=(
            "Saringan butir, sama dengan parameter /api/v1/items/ (mis. "
            '{"area": "62.71", "occurred_from": "2026-03-01", "aspect": "ekonomi,politik"}).'
        ),
    )


class ExportSerializer(serializers.ModelSerializer[Export]):
    format_label = serializers.CharField(source="get_format_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    condition = serializers.SerializerMethodField(
        help_text="working (dibuat), ready (dapat diunduh), expired (berkas dihapus), failed"
    )
    filters = serializers.DictField(child=serializers.CharField(), read_only=True)
    url = serializers.SerializerMethodField(help_text="Halaman kemajuan ekspor.")
    download_url = serializers.SerializerMethodField(
        help_text="Unduhan lewat API, bila berkas siap (null selain itu)."
    )

    class Meta:
        model = Export
        fields = [
            "id",
            "format",
            "format_label",
            "filters",
            "state",
            "state_label",
            "condition",
            "progress",
            "total_rows",
            "row_count",
            "error",
            "size",
            "created_at",
            "finished_at",
            "expires_at",
            "url",
            "download_url",
        ]
        read_only_fields = fields

    def get_condition(self, export: Export) -> str:
        return selectors.export_condition(export)

    def get_url(self, export: Export) -> str:
        return reverse("briefs:export_detail", args=[export.pk])

    def get_download_url(self, export: Export) -> str | None:
        if selectors.export_condition(export) != "ready":
            return None
        return reverse("api-export-download", args=[export.pk])
