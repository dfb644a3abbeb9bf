"""The scoped viewset base for every API resource."""

from __future__ import annotations

from typing import Any

from rest_framework import viewsets


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
