"""POST /api/v1/reports/import/: import report items from a CSV or XLSX file (multipart).

`dry_run=true` checks every row and writes nothing; otherwise every row is imported in one
transaction, or none. Problems come back as a list of {row, column, message} with status 400.
An `Idempotency-Key` header makes a retried import land once (the same key with another file is
refused with 422).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from waspada.core.idempotency import HEADER, Outcome, idempotent_create
from waspada.reports.importer import IMPORT_PERMISSION, ImportResult, import_items
from waspada.reports.importing.columns import MAX_BYTES


class ImportRequestSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="CSV (UTF-8, comma or semicolon) or XLSX")
    dry_run = serializers.BooleanField(default=False, help_text="check only, write nothing")

    def validate_file(self, upload: Any) -> bytes:
        if upload.size > MAX_BYTES:
            raise serializers.ValidationError(
                _("Berkas terlalu besar: paling besar %(n)d MB.") % {"n": MAX_BYTES // 2**20}
            )
        data: bytes = upload.read()
        return data


class ImportProblemSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField(help_text="spreadsheet row number; the header is row 1")
    column = serializers.CharField(help_text="column key, empty for the whole row or file")
    message = serializers.CharField()


# A plain dict of fields: a Serializer subclass cannot declare a field named "errors".
ImportResultSerializer = inline_serializer(
    name="ImportResult",
    fields={
        "ok": serializers.BooleanField(),
        "dry_run": serializers.BooleanField(),
        "format": serializers.CharField(help_text="xlsx or csv, from the content"),
        "rows": serializers.IntegerField(),
        "reports_new": serializers.IntegerField(),
        "reports_reused": serializers.IntegerField(),
        "items_created": serializers.IntegerField(),
        "report_ids": serializers.ListField(child=serializers.IntegerField()),
        "errors": ImportProblemSerializer(many=True),
    },
)


class _ImportFailed(Exception):
    def __init__(self, result: ImportResult) -> None:
        super().__init__("import failed")
        self.result = result


def _failure(result: ImportResult) -> Response:
    body = {
        "detail": _("Ada %(n)d masalah dalam berkas; tidak ada yang disimpan.")
        % {"n": len(result.problems)},
        "code": "invalid",
        **result.as_dict(),
    }
    return Response(body, status=400)


class ReportImportView(APIView):
    """Import report items (one per row) from a CSV or XLSX file into daily reports.

    Rows are grouped into the daily report of their report area and date (a draft that exists is
    reused). `dry_run=true` checks every row and writes nothing (200). Otherwise every row is
    imported in one transaction (201), or none: problems come back with status 400 as
    `errors`, a list of {row, column, message}. The columns and the allowed codes are in the
    template at /laporan/impor/templat.xlsx. Needs the right to file reports ("reports.create").
    """

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="reports_import",
        summary="Impor butir laporan dari CSV/XLSX",
        request={"multipart/form-data": ImportRequestSerializer},
        parameters=[OpenApiParameter(HEADER, str, OpenApiParameter.HEADER, required=False)],
        responses={
            200: ImportResultSerializer,
            201: ImportResultSerializer,
            400: ImportResultSerializer,
        },
        tags=["reports"],
    )
    def post(self, request: Request) -> Response:
        user = request.user
        if not user.has_role_permission(IMPORT_PERMISSION):  # type: ignore[union-attr]
            raise PermissionDenied(IMPORT_PERMISSION)
        serializer = ImportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: bytes = serializer.validated_data["file"]
        if serializer.validated_data["dry_run"]:
            result = import_items(data, actor=user, dry_run=True)
            return Response(result.as_dict(), status=200) if result.ok else _failure(result)

        def create() -> Outcome:
            result = import_items(data, actor=user, dry_run=False)
            if not result.ok:
                raise _ImportFailed(result)
            return Outcome(status_code=201, body=result.as_dict(), object_type="reports.import")

        fingerprint = hashlib.sha256(data).hexdigest()
        try:
            outcome = idempotent_create(
                user, "reports.import", request.headers.get(HEADER), fingerprint, create
            )
        except _ImportFailed as failed:
            return _failure(failed.result)
        return Response(outcome.body, status=outcome.status_code)


urlpatterns = [path("reports/import/", ReportImportView.as_view(), name="report-import")]
