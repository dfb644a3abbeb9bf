"""Import pages under /laporan/impor/: upload, preview every row with its problems, confirm.

Step 1 uploads a CSV or XLSX and shows the dry run (nothing written). When every row is right,
the file is kept in Django's storage under `imports/<user>/<sha256>` (not in the session, which is
saved on every request) and step 2 commits it in one transaction. The confirm form carries an
idempotency key, so a double click or a retried POST imports the file once.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, re_path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from waspada.core.errors import DomainError
from waspada.core.idempotency import Outcome, idempotent_create
from waspada.reports.importer import (
    IMPORT_PERMISSION,
    ImportResult,
    import_items,
    template_csv,
    template_xlsx,
)
from waspada.reports.importing.columns import MAX_BYTES, MAX_ROWS

SESSION_KEY = "reports_item_import"
PREVIEW_OK_ROWS = 100  # rows without problems shown in the preview (all problem rows are shown)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas CSV atau XLSX"),
        widget=forms.ClearableFileInput(
            attrs={"accept": f".csv,.xlsx,text/csv,{XLSX_TYPE}", "data-testid": "import-file"}
        ),
        error_messages={"required": gettext_lazy("Pilih berkas CSV atau XLSX.")},
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar: paling besar %(n)d MB.") % {"n": MAX_BYTES // 2**20}
            )
        data: bytes = upload.read()
        return data


class _ImportFailed(Exception):
    """Raised inside the idempotent create so that a failed import stores no answer."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__("import failed")
        self.result = result


def _ensure_may_import(request: HttpRequest) -> Any:
    user = request.user
    if not user.has_role_permission(IMPORT_PERMISSION):  # type: ignore[union-attr]
        raise PermissionDenied(IMPORT_PERMISSION)
    return user


def _stored_name(user: Any, digest: str) -> str:
    return f"imports/{user.pk}/{digest}"


def _forget(request: HttpRequest, user: Any) -> None:
    previous = request.session.pop(SESSION_KEY, None)
    if previous:
        default_storage.delete(_stored_name(user, previous["digest"]))  # house-rule: ok (file)


def _preview_rows(result: ImportResult) -> list[Any]:
    shown = [r for r in result.rows if r.problems]
    shown += [r for r in result.rows if not r.problems][:PREVIEW_OK_ROWS]
    return sorted(shown, key=lambda r: r.row)


def _limits() -> dict[str, Any]:
    return {"max_mb": MAX_BYTES // 2**20, "max_rows": MAX_ROWS}


@login_required
@require_GET
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The import template: XLSX (header, help and term-code sheets) or CSV (header line)."""
    _ensure_may_import(request)
    if fmt == "xlsx":
        response = HttpResponse(template_xlsx(), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="templat-impor-laporan.{fmt}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: upload a file and see the dry run: every row, every problem by row and column."""
    user = _ensure_may_import(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data: bytes = form.cleaned_data["file"]
        result = import_items(data, actor=user, dry_run=True)
        _forget(request, user)
        key = ""
        if result.ok:
            name = _stored_name(user, result.digest)
            if not default_storage.exists(name):
                default_storage.save(name, ContentFile(data))  # house-rule: ok (file)
            key = uuid.uuid4().hex
            request.session[SESSION_KEY] = {"digest": result.digest, "key": key}
        return render(
            request,
            "reports/import/preview.html",
            {
                "result": result,
                "rows": _preview_rows(result),
                "hidden_ok_rows": max(0, len(result.rows) - len(_preview_rows(result))),
                "idempotency_key": key,
                "form": ImportForm(),
                **_limits(),
            },
            status=200 if result.ok else 400,
        )
    return render(
        request,
        "reports/import/upload.html",
        {"form": form, **_limits()},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: import the previewed file in one transaction (all rows or none)."""
    user = _ensure_may_import(request)
    key = request.POST.get("idempotency_key", "")
    digest = request.POST.get("digest", "")
    stored = request.session.get(SESSION_KEY) or {}
    name = _stored_name(user, digest)

    def create() -> Outcome:
        if stored.get("digest") != digest or stored.get("key") != key:
            raise DomainError(_("Pratinjau impor sudah tidak berlaku. Unggah berkasnya lagi."))
        if not default_storage.exists(name):
            raise DomainError(_("Berkas pratinjau sudah tidak ada. Unggah berkasnya lagi."))
        with default_storage.open(name, "rb") as handle:
            data = handle.read()
        if hashlib.sha256(data).hexdigest() != digest:
            raise DomainError(_("Berkas pratinjau berubah. Unggah berkasnya lagi."))
        result = import_items(data, actor=user, dry_run=False)
        if not result.ok:
            raise _ImportFailed(result)
        return Outcome(status_code=201, body=result.as_dict(), object_type="reports.import")

    try:
        outcome = idempotent_create(user, "reports.import", key or None, digest, create)
    except _ImportFailed as failed:
        # Something changed since the preview (a report was submitted meanwhile, say).
        _forget(request, user)
        return render(
            request,
            "reports/import/preview.html",
            {
                "result": failed.result,
                "rows": _preview_rows(failed.result),
                "hidden_ok_rows": 0,
                "changed": True,
                "form": ImportForm(),
                **_limits(),
            },
            status=400,
        )
    except DomainError as error:
        return render(
            request,
            "reports/import/upload.html",
            {"form": ImportForm(), "stale": error.message, **_limits()},
            status=error.status_code if error.status_code != 400 else 409,
        )
    if not outcome.replayed:
        _forget(request, user)
    return render(request, "reports/import/done.html", {"summary": outcome.body}, status=200)


# Included by reports/urls.py (namespace "reports").
urlpatterns = [
    path("impor/", import_upload, name="import"),
    path("impor/konfirmasi/", import_confirm, name="import_confirm"),
    re_path(r"^impor/templat\.(?P<fmt>xlsx|csv)$", import_template, name="import_template"),
]
