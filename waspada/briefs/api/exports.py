"""`/api/v1/exports/`: exports of the items you may see, as CSV, XLSX or GeoJSON.

Through the API every export is built in the background (POST answers 201 with the export; poll
`GET /api/v1/exports/{id}/` until `condition` is "ready", then fetch `download_url`): a client
has one flow whatever the size. Small sets download at once from the export page instead. Reads
are your own exports only; anyone else's answer 404. The rows are read through the item selector
with the item list's own filters (scope and clearance applied).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from waspada.briefs import exporting
from waspada.briefs.api.serializers_exports import ExportInputSerializer, ExportSerializer
from waspada.briefs.selectors import exports as selectors
from waspada.briefs.services import exports as services
from waspada.core.errors import InvalidInput

NOT_FOUND = OpenApiResponse(description="Tidak ada, atau bukan ekspor Anda.")
INVALID = OpenApiResponse(description="Isian tidak valid (per kolom; saringan: filters.<nama>).")
FORBIDDEN = OpenApiResponse(description="Peran Anda tidak boleh membaca butir laporan.")


class CanExport(permissions.BasePermission):
    """Exporting items is reading them: "reports.view"."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return selectors.may_export(request.user)


class FileRenderer(renderers.BaseRenderer):
    """Lets a download answer whatever the client accepts (the body is the file itself)."""

    media_type = "*/*"
    format = "file"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> Any:
        return data


def _invalid(errors: dict[str, Any]) -> InvalidInput:
    flat: dict[str, list[str]] = {}
    for name, messages in errors.items():
        if isinstance(messages, dict):
            for key, inner in messages.items():
                flat[f"{name}.{key}"] = [str(m) for m in inner]
        else:
            flat[str(name)] = [str(m) for m in messages]
    return InvalidInput("Periksa kembali permintaan ekspor.", flat)


@extend_schema(tags=["exports"])
class ExportViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg,unused-ignore]
    """Your own exports of items, newest first."""

    serializer_class = ExportSerializer
    permission_classes = [permissions.IsAuthenticated, CanExport]
    parser_classes = [JSONParser]
    filter_backends: list[Any] = []
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        return selectors.list_exports(self.request.user)

    @extend_schema(responses={200: ExportSerializer(many=True), 403: FORBIDDEN})
    def list(self, request: Request) -> Response:
        """Your exports, newest first (files past their expiry show `condition` "expired")."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ExportSerializer(page, many=True).data)

    @extend_schema(responses={200: ExportSerializer, 404: NOT_FOUND})
    def retrieve(self, request: Request, pk: str) -> Response:
        """One of your exports: state, progress (0-100), rows written, and the download link
        once ready."""
        return Response(ExportSerializer(selectors.get_export(request.user, pk)).data)

    @extend_schema(
        request=ExportInputSerializer,
        responses={201: ExportSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request: Request) -> Response:
        """Export the items you may see that match `filters` (the names and values of
        `/api/v1/items/`) in `format`. Always built in the background: poll the export until
        `condition` is "ready". Every export is written to the audit log."""
        data = ExportInputSerializer(data=request.data)
        if not data.is_valid():
            raise _invalid(data.errors)
        try:
            export = services.start_export(
                actor=request.user,
                format=data.validated_data["format"],
                filters=data.validated_data["filters"],
                allow_stream=False,
            )
        except InvalidInput as exc:
            errors = {
                (key if key == "format" else f"filters.{key}"): messages
                for key, messages in exc.errors.items()
            }
            raise InvalidInput(exc.message, errors) from exc
        return Response(ExportSerializer(export).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("format", exclude=True)],  # renderer choice: not for clients
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, exporting.CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
            (200, "application/geo+json"): OpenApiTypes.BINARY,
            404: NOT_FOUND,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[renderers.JSONRenderer, FileRenderer],
        url_name="download",
    )
    def download(self, request: Request, pk: str) -> Any:
        """The file of one of your finished exports (404 before it is ready and once expired)."""
        export = selectors.get_export(request.user, pk)
        if selectors.export_condition(export) != "ready":
            raise Http404
        try:
            handle = default_storage.open(export.file.name or "", "rb")
        except (FileNotFoundError, OSError) as exc:
            raise Http404 from exc
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=services.file_name(export, export.finished_at or export.created_at),
            content_type=exporting.CONTENT_TYPES[export.format],
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
