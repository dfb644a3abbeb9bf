"""`/api/v1/risk/areas/`: risk levels and scores per area (the map), one area's explanation and
its daily trend. Reads only; scoped like everything else (an area outside the caller's scope
answers 404). The list is what the national map calls: a handful of queries, none per area.
"""

from __future__ import annotations

from typing import Any

from django.urls import re_path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from waspada.core.pagination import Pagination
from waspada.warnings import selectors
from waspada.warnings.api.risk_serializers import (
    AreaRiskSerializer,
    RiskExplanationSerializer,
    RiskTrendSerializer,
)

CODE = r"(?P<code>\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?)"

DATE_PARAMETER = OpenApiParameter(
    "date",
    OpenApiTypes.DATE,
    description="Tanggal (TTTT-BB-HH; default: hari ini di zona wilayah Anda). Skor yang dipakai "
    "adalah skor terakhir pada atau sebelum tanggal ini.",
)
ERRORS: dict[int, Any] = {
    400: OpenApiResponse(description="Parameter tidak valid (pesan per kolom di `errors`)."),
    404: OpenApiResponse(description="Wilayah tidak ada, atau di luar cakupan Anda."),
}


def _user(request: Request) -> Any:
    """The caller (IsAuthenticated runs first: an accounts.User, a ScopedUser)."""
    return request.user


class RiskPagination(Pagination):
    """Page-number pagination that lets one request hold the whole national map (514)."""

    page_size = 100
    max_page_size = 1000


class RiskAreaListView(APIView):
    """Risk level and score of each child area of `parent` (default: the kab/kota in scope)."""

    @extend_schema(
        summary="Risiko per wilayah (peta)",
        parameters=[
            OpenApiParameter(
                "parent",
                OpenApiTypes.STR,
                description="Kode wilayah induk (anak-anaknya dicantumkan). Tanpa parent: semua "
                "kab/kota dalam cakupan Anda (nasional: 514).",
            ),
            DATE_PARAMETER,
            OpenApiParameter(
                "period",
                OpenApiTypes.INT,
                description="Panjang periode dalam hari (1-366, default 30): jumlah butir dan "
                "keparahan dijumlah atas periode; perubahan dibanding skor pada date - period.",
            ),
            OpenApiParameter(
                "term",
                OpenApiTypes.INT,
                many=True,
                description="Id istilah (events.Term); boleh diulang atau dipisah koma. Butir dan "
                "keparahan dijumlah atas istilah ini (level tetap dari semua butir).",
            ),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter(
                "page_size", OpenApiTypes.INT, description="Default 100, paling banyak 1000."
            ),
        ],
        responses={200: AreaRiskSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        """Areas in code order with level, score, change and period totals."""
        params = selectors.parse_risk_params(request.user, request.query_params)
        result = selectors.risk_map(
            _user(request),
            parent=params.parent,
            day=params.day,
            period_days=params.period_days,
            terms=params.terms,
        )
        paginator = RiskPagination()
        page = paginator.paginate_queryset(result.rows, request, view=self)
        serializer = AreaRiskSerializer()
        rows = [serializer.to_representation(row) for row in page or []]
        return paginator.get_paginated_response(rows)


class RiskAreaDetailView(APIView):
    """The score of one area with its explanation and the contributing items you may see."""

    @extend_schema(
        summary="Skor risiko dan penjelasannya",
        parameters=[DATE_PARAMETER],
        responses={200: RiskExplanationSerializer, **ERRORS},
    )
    def get(self, request: Request, code: str) -> Response:
        """Factors of the score, the escalation test and the top items you are cleared for."""
        params = selectors.parse_risk_params(request.user, request.query_params)
        result = selectors.explanation(_user(request), code, params.day)
        return Response(RiskExplanationSerializer(result).data)


class RiskAreaTrendView(APIView):
    """Verified items and severity per day for one area (days without items are zeros)."""

    @extend_schema(
        summary="Tren butir dan keparahan harian",
        parameters=[
            OpenApiParameter(
                "start", OpenApiTypes.DATE, description="Default: 89 hari sebelum end."
            ),
            OpenApiParameter(
                "end", OpenApiTypes.DATE, description="Default: hari ini (paling panjang 731 hari)."
            ),
        ],
        responses={200: RiskTrendSerializer, **ERRORS},
    )
    def get(self, request: Request, code: str) -> Response:
        """One point per day from start to end."""
        start, end = selectors.parse_trend_range(request.user, request.query_params)
        result = selectors.trend(_user(request), code, start, end)
        return Response(RiskTrendSerializer(result).data)


urlpatterns = [
    re_path(r"^risk/areas/$", RiskAreaListView.as_view(), name="api-risk-areas"),
    re_path(rf"^risk/areas/{CODE}/$", RiskAreaDetailView.as_view(), name="api-risk-area"),
    re_path(
        rf"^risk/areas/{CODE}/trend/$", RiskAreaTrendView.as_view(), name="api-risk-area-trend"
    ),
]
