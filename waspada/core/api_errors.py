"""Maps domain errors to JSON answers with a stable `code` and a human `detail`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from waspada.core.errors import DomainError, InvalidInput


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map domain errors to JSON answers with a stable `code` and a human `detail`."""
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"detail": exc.message or str(exc), "code": exc.code}
        if isinstance(exc, InvalidInput) and exc.errors:
            body["errors"] = exc.errors
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        detail = response.data["detail"]
        response.data["code"] = getattr(detail, "code", "error")
    return response
