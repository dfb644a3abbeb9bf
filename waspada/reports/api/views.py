"""`/api/v1/reports/`: reads through selectors, writes through services.

Creates honour the `Idempotency-Key` header (a retry returns the first answer and creates
nothing; the same key with another body answers 422). A report outside the caller's scope
answers 404; a role that may not do the action 403; a stale `version` or a transition someone
else made first 409; a duplicate daily report 409 with `existing_id`.
"""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

import waspada.events.services as event_services
from waspada.accounts.models import User
from waspada.core.api import idempotent_response
from waspada.core.errors import Conflict
from waspada.core.idempotency import HEADER, Outcome, fingerprint_of, idempotent_create
from waspada.reports import services
from waspada.reports.api.serializers import (
    ConflictSerializer,
    ErrorSerializer,
    ItemInputSerializer,
    ReportCreateInputSerializer,
    ReportDetailSerializer,
    ReportItemSerializer,
    ReportListSerializer,
    ReportUpdateInputSerializer,
    ReturnInputSerializer,
    TransitionInputSerializer,
)
from waspada.reports.filters import ReportFilter
from waspada.reports.models import SituationReport
from waspada.reports.selectors import get_report, list_reports, report_items, visible_report

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Kunci buatan klien (paling banyak 128 karakter: huruf, angka, . _ : ~ -). Pengiriman "
        "ulang dengan kunci yang sama mengembalikan jawaban pertama tanpa membuat data baru; "
        "kunci yang sama dengan isi berbeda: 422."
    ),
)
ERRORS: dict[int, Any] = {
    400: OpenApiResponse(ErrorSerializer, description="Isian tidak valid (per kolom)."),
    403: OpenApiResponse(ErrorSerializer, description="Peran Anda tidak boleh melakukan ini."),
    404: OpenApiResponse(ErrorSerializer, description="Tidak ada, atau di luar wilayah Anda."),
    409: OpenApiResponse(ConflictSerializer, description="Sudah diubah orang lain / duplikat."),
}
CREATE_ERRORS = {
    **ERRORS,
    422: OpenApiResponse(ErrorSerializer, description="Idempotency-Key dipakai untuk isi lain."),
}
CONFLICT_FIELDS = ("existing_id", "status", "version")


_item_serializer: ReportItemSerializer | None = None


def _item_body(item: Any) -> dict[str, Any]:
    """`ReportItemSerializer(item).data`, through one serializer built once per process (building
    its fields costs more than rendering an item; rendering keeps no state between calls)."""
    global _item_serializer
    if _item_serializer is None:
        _item_serializer = ReportItemSerializer()
    body: dict[str, Any] = _item_serializer.to_representation(item)
    return body


def _actor(request: Request) -> User:
    """The authenticated caller (every view here requires authentication first)."""
    return cast(User, request.user)


class ReportPermission(permissions.BasePermission):
    """Lists need "reports.view"; everything else is decided by the selector and the services
    (404 outside the caller's scope first, then 403 for the role)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if view.action == "list":
            return _actor(request).has_role_permission("reports.view")
        return True


class ReportViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg,unused-ignore]
    """Situation reports in the caller's scope, with their items and their review workflow."""

    serializer_class = ReportListSerializer
    filterset_class = ReportFilter
    permission_classes = [permissions.IsAuthenticated, ReportPermission]
    parser_classes = [JSONParser]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        return list_reports(self.request.user)

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        if isinstance(exc, Conflict) and isinstance(response.data, dict):
            for name in CONFLICT_FIELDS:
                if exc.params.get(name) is not None:
                    response.data[name] = exc.params[name]
        return response

    # ---------------------------------------------------------------- helpers

    def _report(self) -> SituationReport:
        return get_report(self.request.user, self.kwargs["pk"])

    def _detail(self, report_id: int) -> dict[str, Any]:
        user = self.request.user
        report = get_report(user, report_id)
        items = list(report_items(user, report))
        data: dict[str, Any] = ReportDetailSerializer(report, context={"items": items}).data
        return data

    def _respond(self, outcome: Outcome) -> Response:
        return idempotent_response(outcome)

    # ---------------------------------------------------------------- read

    @extend_schema(responses=ReportListSerializer(many=True))
    def list(self, request: Request) -> Response:
        """Reports in your area and below, newest period first; filter by area (and below),
        period (date_from/date_to overlap), type, status, nihil and text."""
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        data = ReportListSerializer(page, many=True).data
        return self.get_paginated_response(data)

    @extend_schema(responses={200: ReportDetailSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        """One report with the items you are cleared for."""
        return Response(self._detail(self._report().pk))

    # ---------------------------------------------------------------- write

    @extend_schema(
        request=ReportCreateInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: ReportDetailSerializer, **CREATE_ERRORS},
    )
    def create(self, request: Request) -> Response:
        """Open a draft report, with its items (`items`) in the same request if you like.

        A daily report is one per area and date: a second answers 409 with `existing_id`.
        """
        data = ReportCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        actor = _actor(request)

        def create() -> Outcome:
            report = services.create_report(
                actor=actor,
                area_code=values.pop("area"),
                items=values.pop("items", None),
                **values,
            )
            return Outcome.of(report, body=self._detail(report.pk))

        outcome = idempotent_create(
            actor,
            "reports.create",
            request.headers.get(HEADER),
            fingerprint_of(request.data),
            create,
        )
        return self._respond(outcome)

    @extend_schema(
        request=ReportUpdateInputSerializer, responses={200: ReportDetailSerializer, **ERRORS}
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        """Change a draft or returned report; `version` is required (409 when stale)."""
        report = self._report()
        data = ReportUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        services.update_report(report, actor=_actor(request), **values)
        return Response(self._detail(report.pk))

    @extend_schema(
        request=TransitionInputSerializer, responses={200: ReportDetailSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Submit a draft, or resubmit a returned report (needs items, or nihil)."""
        report = self._report()
        data = TransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.submit_report(
            report, actor=_actor(request), version=data.validated_data.get("version")
        )
        return Response(self._detail(report.pk))

    @extend_schema(request=ReturnInputSerializer, responses={200: ReportDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        """Return a submitted report to its area with a reason (analyst of an ancestor area)."""
        report = self._report()
        data = ReturnInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.return_report(
            report,
            actor=_actor(request),
            reason=data.validated_data["reason"],
            version=data.validated_data.get("version"),
        )
        return Response(self._detail(report.pk))

    @extend_schema(
        request=TransitionInputSerializer, responses={200: ReportDetailSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        """Verify a submitted report (analyst of an ancestor area, never its creator)."""
        report = self._report()
        data = TransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.verify_report(
            report, actor=_actor(request), version=data.validated_data.get("version")
        )
        return Response(self._detail(report.pk))

    @extend_schema(
        request=ItemInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: ReportItemSerializer, **CREATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def items(self, request: Request, pk: str | None = None) -> Response:
        """Add an item to a draft or returned report (a new event, or a development of one)."""
        # The report row only, without the item count `get_report` adds (it grows with the report).
        actor = _actor(request)
        report = visible_report(actor, self.kwargs["pk"])
        body = request.data if isinstance(request.data, dict) else {}

        def create() -> Outcome:
            # idempotent_create's transaction rolls back whole on any error: no savepoint.
            item = event_services.record_item(report, actor=actor, data=dict(body), savepoint=False)
            return Outcome.of(item, body=_item_body(item))

        # Everything record_item does is in the transaction: the key is stored once, afterwards.
        outcome = idempotent_create(
            actor,
            f"reports.items:{report.pk}",
            request.headers.get(HEADER),
            fingerprint_of(body),
            create,
            claim_first=False,
        )
        return self._respond(outcome)
