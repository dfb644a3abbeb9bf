"""Output shapes of the risk API (`api/risk.py`). Inputs are query parameters, parsed by
`selectors.parse_risk_params` / `parse_trend_range` (one set of rules for the API and pages)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from waspada.warnings.choices import LEVEL_COLOURS, RiskLevel
from waspada.warnings.selectors import AreaRisk

LEVEL_HELP = "0 Normal (hijau), 1 Waspada (kuning), 2 Siaga (oranye), 3 Awas (merah)"


def _level(level: int | None) -> RiskLevel:
    return RiskLevel(level or 0)


class AreaRiskSerializer(serializers.Serializer[AreaRisk]):
    """One area of the risk map. Rendered by hand: the national map has 514 rows."""

    code = serializers.CharField()
    name = serializers.CharField()
    area_level = serializers.IntegerField(help_text="1 provinsi, 2 kab/kota, 3 kecamatan")
    level = serializers.IntegerField(help_text=LEVEL_HELP)
    level_name = serializers.CharField()
    level_slug = serializers.CharField()
    colour = serializers.CharField()
    score = serializers.FloatField()
    scored_on = serializers.DateField(
        allow_null=True, help_text="Tanggal skor yang dipakai (terakhir pada atau sebelum date)."
    )
    previous_level = serializers.IntegerField(allow_null=True)
    previous_score = serializers.FloatField(allow_null=True)
    score_change = serializers.FloatField(allow_null=True)
    items = serializers.IntegerField(help_text="Butir terverifikasi dalam periode.")
    severity = serializers.FloatField(help_text="Jumlah keparahan butir dalam periode.")

    def to_representation(self, row: AreaRisk) -> dict[str, Any]:
        level = _level(row.level)
        return {
            "code": row.code,
            "name": row.name,
            "area_level": row.area_level,
            "level": int(level),
            "level_name": str(level.label),
            "level_slug": level.slug,
            "colour": LEVEL_COLOURS[int(level)],
            "score": round(row.score, 3),
            "scored_on": row.scored_on.isoformat() if row.scored_on else None,
            "previous_level": row.previous_level,
            "previous_score": (
                round(row.previous_score, 3) if row.previous_score is not None else None
            ),
            "score_change": row.score_change,
            "items": row.items,
            "severity": round(row.severity, 3),
        }


class TopItemSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="item.pk")
    title = serializers.CharField(source="item.title")
    area_code = serializers.CharField(source="item.area_id")
    day = serializers.CharField()
    severity = serializers.FloatField()
    contribution = serializers.FloatField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj: Any) -> str:
        return reverse("events:event_detail", args=[obj.item.event_id])


class RiskAreaRefSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField(source="display_name")
    level = serializers.IntegerField()


class RiskExplanationSerializer(serializers.Serializer[Any]):
    """The latest score of an area on or before `date`, its factors and visible top items."""

    area = RiskAreaRefSerializer()
    date = serializers.DateField(source="day")
    scored_on = serializers.DateField(source="score.day", allow_null=True, default=None)
    level = serializers.SerializerMethodField(help_text=LEVEL_HELP)
    level_name = serializers.SerializerMethodField()
    score = serializers.FloatField(source="score.score", allow_null=True, default=None)
    severity = serializers.FloatField(source="score.severity", allow_null=True, default=None)
    recent_items = serializers.IntegerField(
        source="score.recent_items", allow_null=True, default=None
    )
    expected_items = serializers.FloatField(
        source="score.expected_items", allow_null=True, default=None
    )
    p_value = serializers.FloatField(source="score.p_value", allow_null=True, default=None)
    escalating = serializers.BooleanField(source="score.escalating", allow_null=True, default=None)
    structural = serializers.FloatField(source="score.structural", allow_null=True, default=None)
    settings_version = serializers.IntegerField(
        source="score.settings_version", allow_null=True, default=None
    )
    recent_days = serializers.IntegerField(help_text="Jendela uji eskalasi (hari terakhir).")
    factors = serializers.DictField()
    top_items = TopItemSerializer(many=True)

    def get_level(self, obj: Any) -> int:
        return int(obj.score.level) if obj.score is not None else 0

    def get_level_name(self, obj: Any) -> str:
        return str(_level(obj.score.level if obj.score is not None else 0).label)


class TrendPointSerializer(serializers.Serializer[Any]):
    day = serializers.DateField()
    items = serializers.IntegerField()
    severity = serializers.FloatField()


class RiskTrendSerializer(serializers.Serializer[Any]):
    area = RiskAreaRefSerializer()
    start = serializers.DateField()
    end = serializers.DateField()
    points = TrendPointSerializer(many=True)
