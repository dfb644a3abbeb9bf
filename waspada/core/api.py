"""The scoped viewset base for every API resource, and the input helpers every API shares."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from waspada.core.errors import InvalidInput
from waspada.core.idempotency import Outcome


class ScopedModelViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg,unused-ignore]
    """Base viewset: `get_queryset` must come from a selector that takes the user.

    Subclasses set `selector` (a callable taking the user) and implement `perform_create` /
    `perform_update` / `perform_destroy` by calling services.
    """

    selector: Any = None

    def get_queryset(self) -> Any:
        if self.selector is None:
            raise NotImplementedError("ScopedModelViewSet subclasses must set `selector`")
        return type(self).selector(self.request.user)


def invalid_input(errors: Any, message: str = "") -> InvalidInput:
    """A serializer's or filter's errors as one InvalidInput, the project's 400 shape: nested
    fields flattened to dotted keys ("entries.0.budget_spent"), top-level errors under
    "non_field_errors"."""
    flat: dict[str, list[str]] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list) and value and not isinstance(value[0], str):
            for index, inner in enumerate(value):
                if inner:
                    walk(f"{prefix}.{index}", inner)
        else:
            flat[prefix or "non_field_errors"] = [str(m) for m in value]

    walk("", errors)
    return InvalidInput(message or _("Periksa kembali isian."), flat)


def parse_input(serializer_class: type[serializers.Serializer[Any]], data: Any) -> dict[str, Any]:
    """Validate `data` with an input serializer; raises InvalidInput (400) with every error."""
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise invalid_input(serializer.errors)
    return dict(serializer.validated_data)


def idempotent_response(outcome: Outcome) -> Response:
    """The answer of an idempotent create: the first answer, marked when it is a replay."""
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
    return Response(outcome.body, status=outcome.status_code, headers=headers)
