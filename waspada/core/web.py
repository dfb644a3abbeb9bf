"""Shared plumbing for server-rendered pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from waspada.core.errors import DomainError, OutOfScope

_R = TypeVar("_R", bound=HttpResponseBase)


def domain_view(view: Callable[..., _R]) -> Callable[..., _R]:
    """Log-in required; a service's OutOfScope becomes 404 (nothing leaks), a 403 domain error
    becomes PermissionDenied, and other domain errors are left to the view to show."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> _R:
        try:
            return view(request, *args, **kwargs)
        except OutOfScope as exc:
            raise Http404 from exc
        except DomainError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from exc
            raise

    return wrapper
