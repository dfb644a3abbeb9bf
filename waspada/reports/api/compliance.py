"""`/api/v1/compliance/?date=&area=`: who filed their daily report, on time, late, nihil or not."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from waspada.reports import compliance
from waspada.reports.compliance import ComplianceStatus


class ComplianceRowSerializer(serializers.Serializer[Any]):
    area_code = serializers.CharField()
    area_name = serializers.CharField()
    zone = serializers.CharField(help_text="WIB, WITA atau WIT")
    # A plain string (not an enum) so the schema's "status" enum name stays the reports' own.
    status = serializers.CharField(help_text=" | ".join(ComplianceStatus.values))
    status_label = serializers.CharField()
    due_at = serializers.DateTimeField()
    filed_at = serializers.DateTimeField(allow_null=True)
    is_nihil = serializers.BooleanField()
    is_late = serializers.BooleanField()
    report_id = serializers.IntegerField(allow_null=True)
    report_status = serializers.CharField(allow_blank=True)


class ComplianceAreaSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField(source="display_name")
    level = serializers.IntegerField()


class ComplianceDaySerializer(serializers.Serializer[Any]):
    date = serializers.DateField(source="day")
    area = ComplianceAreaSerializer(allow_null=True)
    counts = serializers.DictField(child=serializers.IntegerField())
    rows = ComplianceRowSerializer(many=True)


class ComplianceView(APIView):
    """Daily-report compliance for a date: each kab/kota of a province, or the area itself.

    Needs "reports.view"; an area outside the caller's scope answers 404.
    """

    @extend_schema(
        summary="Kepatuhan laporan harian",
        parameters=[
            OpenApiParameter(
                "date", OpenApiTypes.DATE, description="Tanggal laporan (default: hari ini)"
            ),
            OpenApiParameter(
                "area",
                OpenApiTypes.STR,
                description="Kode wilayah (default: wilayah pengguna; provinsi = semua kab/kota)",
            ),
        ],
        responses={
            200: ComplianceDaySerializer,
            400: OpenApiResponse(description="Tanggal atau kode wilayah tidak valid."),
            404: OpenApiResponse(description="Wilayah di luar cakupan pengguna."),
        },
    )
    def get(self, request: Request) -> Response:
        user: Any = request.user
        day = compliance.parse_day(
            request.query_params.get("date"), default=compliance.local_today(user)
        )
        area_code = compliance.parse_area_code(request.query_params.get("area"))
        result = compliance.compliance_for_date(user, day=day, area_code=area_code)
        return Response(ComplianceDaySerializer(result).data)


urlpatterns = [path("compliance/", ComplianceView.as_view(), name="api-compliance")]
