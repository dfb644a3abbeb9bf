"""`/api/v1/briefs/` and `/api/v1/brief-subscriptions/`.

POST /briefs/ queues a brief for you (a periodic brief of an area, or the Laporan Informasi of an
event) and answers 202 with it; poll GET /briefs/{id}/ (state, progress) until it is "done", then
GET /briefs/{id}/download/?format=docx|pdf. A brief is yours only: anyone else's answers 404, and
an area outside your scope or an event you may not see answers 404 as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from waspada.briefs.api.serializers_documents import (
    BriefRequestSerializer,
    BriefSerializer,
    BriefSubscriptionInputSerializer,
    BriefSubscriptionSerializer,
)
from waspada.briefs.choices import JobState
from waspada.briefs.selectors import documents as selectors
from waspada.briefs.services import documents as services
from waspada.briefs.services.documents_schedule import DOCX_TYPE, PDF_TYPE, download_name
from waspada.core.errors import InvalidInput

NOT_FOUND = OpenApiResponse(description="Tidak ada, bukan milik Anda, atau di luar cakupan Anda.")
INVALID = OpenApiResponse(description="Isian tidak valid (per kolom).")
FORBIDDEN = OpenApiResponse(description="Peran Anda tidak boleh membaca laporan.")
CONFLICT = OpenApiResponse(description="Langganan yang sama sudah aktif.")
READ = "reports.view"


def _invalid(errors: Any, message: str) -> InvalidInput:
    """A serializer's errors as the project's 400 shape (`detail`, `code`, `errors` per field)."""
    return InvalidInput(message, {str(k): [str(m) for m in v] for k, v in errors.items()})


class CanReadReports(permissions.BasePermission):
    """Briefs are made of reports: "reports.view"."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_role_permission(READ))


class _FileRenderer(renderers.BaseRenderer):
    """A download answers with the file itself; errors still come back as JSON text."""

    charset = None

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> Any:
        if isinstance(data, bytes | str):
            return data
        return renderers.JSONRenderer().render(data)


class DocxRenderer(_FileRenderer):
    media_type = DOCX_TYPE
    format = "docx"


class PdfRenderer(_FileRenderer):
    media_type = PDF_TYPE
    format = "pdf"


@extend_schema(tags=["briefs"])
class BriefViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg,unused-ignore]
):
    """Your own briefs (documents), newest first."""

    serializer_class = BriefSerializer
    permission_classes = [permissions.IsAuthenticated, CanReadReports]
    parser_classes = [JSONParser]
    filter_backends: list[Any] = []
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        return selectors.list_briefs(self.request.user)

    def get_object(self) -> Any:
        return selectors.get_brief(self.request.user, self.kwargs["pk"])

    @extend_schema(responses={200: BriefSerializer(many=True), 403: FORBIDDEN})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Your briefs with their state, progress and version."""
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: BriefSerializer, 404: NOT_FOUND})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One of your briefs: state, progress and, when done, its download links."""
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=BriefRequestSerializer,
        responses={202: BriefSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def create(self, request: Request) -> Response:
        """Request a brief: kind daily/weekly/monthly with `area_code` (and `day` or
        `period_start`), or kind informasi with `event_id`. It is built in the background."""
        data = BriefRequestSerializer(data=request.data)
        if not data.is_valid():
            raise _invalid(data.errors, "Periksa kembali permintaan dokumen.")
        values = data.validated_data
        brief = services.request_brief(
            actor=request.user,
            kind=values["kind"],
            area_code=values.get("area_code") or "",
            day=values.get("day"),
            period_start=values.get("period_start"),
            event_id=values.get("event_id"),
        )
        return Response(BriefSerializer(brief).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=["docx", "pdf"],
                required=True,
                description="Berkas",
            )
        ],
        responses={
            (200, DOCX_TYPE): OpenApiTypes.BINARY,
            (200, PDF_TYPE): OpenApiTypes.BINARY,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[DocxRenderer, PdfRenderer])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        """The DOCX or PDF of one of your briefs once it is done (404 before)."""
        brief = self.get_object()
        fmt = request.query_params.get("format", "")
        if fmt not in ("docx", "pdf") or brief.state != JobState.DONE:
            raise Http404
        stored = brief.docx if fmt == "docx" else brief.pdf
        if not stored:
            raise Http404
        try:
            handle = stored.storage.open(stored.name or "", "rb")
        except OSError as exc:
            raise Http404 from exc
        response = FileResponse(
            handle,
            content_type=DOCX_TYPE if fmt == "docx" else PDF_TYPE,
            as_attachment=True,
            filename=download_name(brief, fmt),
        )
        response["Cache-Control"] = "private, no-store"
        return response


@extend_schema(tags=["briefs"])
class BriefSubscriptionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg,unused-ignore]
):
    """Your subscriptions to scheduled briefs. DELETE stops one."""

    serializer_class = BriefSubscriptionSerializer
    permission_classes = [permissions.IsAuthenticated, CanReadReports]
    parser_classes = [JSONParser]
    filter_backends: list[Any] = []
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        return selectors.list_brief_subscriptions(self.request.user)

    def get_object(self) -> Any:
        return selectors.get_brief_subscription(self.request.user, self.kwargs["pk"])

    @extend_schema(
        request=BriefSubscriptionInputSerializer,
        responses={
            201: BriefSubscriptionSerializer,
            400: INVALID,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def create(self, request: Request) -> Response:
        """Subscribe to the daily, weekly or monthly briefs of an area (inbox or e-mail)."""
        data = BriefSubscriptionInputSerializer(data=request.data)
        if not data.is_valid():
            raise _invalid(data.errors, "Periksa isian langganan.")
        subscription = services.subscribe_brief(actor=request.user, **data.validated_data)
        body = BriefSubscriptionSerializer(subscription).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None, 404: NOT_FOUND})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Stop the subscription."""
        services.unsubscribe_brief(self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
