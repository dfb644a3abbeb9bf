"""Export pages under /dokumen/ekspor/: the filter form with a live count and the three formats,
the progress page of a background export, its download, and the user's own export history.

Views parse, call one selector or service, and render. Small sets are handed over at once (CSV
and GeoJSON streamed, XLSX built in a temporary file); larger ones go to the progress page, which
HTMX refreshes every 2 seconds until the file is ready. Exports are their owner's only: anyone
else gets 404.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods

from waspada.briefs import exporting
from waspada.briefs.choices import ExportFormat
from waspada.briefs.forms_exports import SHOWN, apply_errors, filter_form
from waspada.briefs.models import Export
from waspada.briefs.selectors import exports as selectors
from waspada.briefs.services import exports as services
from waspada.core.errors import InvalidInput
from waspada.core.web import domain_view
from waspada.geo.zones import zone_for

EXPORTS_PER_PAGE = 50


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _private(response: HttpResponseBase) -> HttpResponseBase:
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    patch_vary_headers(response, ["Cookie"])
    return response


# ---------------------------------------------------------------- the form


def _start_page(
    request: HttpRequest,
    filters: dict[str, str],
    *,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    count: int | None = None
    if errors is None:
        try:
            count = selectors.count_export_rows(user, filters)
        except InvalidInput as exc:
            errors, status = exc.errors, 400
    form = filter_form(user, filters)
    loose = apply_errors(form, errors or {})
    context = {
        "form": form,
        "shown": SHOWN,
        "count": count,
        "errors": bool(errors),
        "loose_errors": loose,
        "formats": ExportFormat.choices,
        "stream_max": services.stream_max_rows(),
        "areas": selectors.area_choices(user),
        "columns": exporting.COLUMNS,
        "filtered": bool(filters),
    }
    template = "briefs/exports/_count.html" if _is_htmx(request) else None
    return render(
        request,
        template or "briefs/exports/export_start.html",
        context,
        # htmx swaps only 2xx answers: a filter message in the count comes back with 200.
        status=200 if template else status,
    )


def _download_name(user: Any, fmt: str) -> str:
    local = timezone.now().astimezone(zone_for(getattr(user, "primary_area_code", None)))
    return f"butir-{local:%Y%m%d-%H%M}.{exporting.EXTENSIONS[fmt]}"


def _stream(user: Any, export: Export) -> HttpResponseBase:
    """The file of a small export, at once: CSV and GeoJSON streamed as the rows are read, XLSX
    built in a temporary file first (a zip cannot be streamed before it is complete)."""
    rows = selectors.export_rows(user, export.filters)
    name = _download_name(user, export.format)
    content_type = exporting.CONTENT_TYPES[export.format]
    response: HttpResponseBase
    if export.format == ExportFormat.XLSX:
        handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
        exporting.write_xlsx(rows, handle)
        handle.seek(0)
        response = FileResponse(
            handle, as_attachment=True, filename=name, content_type=content_type
        )
    else:
        chunks = (
            exporting.csv_chunks(rows)
            if export.format == ExportFormat.CSV
            else exporting.geojson_chunks(rows)
        )
        response = StreamingHttpResponse(chunks, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return _private(response)


@domain_view
@require_http_methods(["GET", "POST"])
def export_start(request: HttpRequest) -> HttpResponseBase:
    """GET: the filter form (filled from the query string) with the number of matching items;
    HTMX gets the count alone. POST: export in the chosen format: the file at once for a small
    set, otherwise the progress page of a background export."""
    user = request.user
    selectors.ensure_may_export(user)
    if request.method != "POST":
        return _start_page(request, selectors.pick_filters(request.GET))
    filters = selectors.pick_filters(request.POST)
    try:
        export = services.start_export(
            actor=user, format=request.POST.get("format", ""), filters=filters
        )
    except InvalidInput as exc:
        return _start_page(request, filters, errors=exc.errors, status=400)
    if services.is_streamed(export):
        return _stream(user, export)
    return redirect("briefs:export_detail", pk=export.pk)


# ---------------------------------------------------------------- one export


def _detail_context(export: Export, user: Any) -> dict[str, Any]:
    condition = selectors.export_condition(export)
    return {
        "export": export,
        "working": condition == "working",
        "ready": condition == "ready",
        "expired": condition == "expired",
        "failed": condition == "failed",
        "filters": sorted(export.filters.items()),
        "zone": zone_for(getattr(user, "primary_area_code", None)),
    }


@domain_view
@require_GET
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One of my exports: progress while it is built (HTMX refreshes the progress block every
    2 seconds and stops when it is done), then the download link, or why it failed."""
    export = selectors.get_export(request.user, pk)
    context = _detail_context(export, request.user)
    if _is_htmx(request):
        return render(request, "briefs/exports/_progress.html", context)
    return render(request, "briefs/exports/export_detail.html", context)


@domain_view
@require_GET
def export_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The file of one of my finished exports (404 for anyone else, and once it has expired)."""
    export = selectors.get_export(request.user, pk)
    if not _detail_context(export, request.user)["ready"]:
        raise Http404
    try:
        handle = default_storage.open(export.file.name or "", "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    name = services.file_name(export, export.finished_at or export.created_at)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=exporting.CONTENT_TYPES[export.format],
    )
    return _private(response)


@domain_view
@require_GET
def export_list(request: HttpRequest) -> HttpResponse:
    """My exports, newest first (streamed downloads leave no entry; they are in the audit log)."""
    exports = list(selectors.list_exports(request.user)[:EXPORTS_PER_PAGE])
    rows = [_detail_context(export, request.user) for export in exports]
    zone = zone_for(getattr(request.user, "primary_area_code", None))
    return render(request, "briefs/exports/export_list.html", {"rows": rows, "zone": zone})
