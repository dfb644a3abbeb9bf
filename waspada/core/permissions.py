"""`ensure_can`: the check every write service makes before touching data in an area."""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import PermissionDenied

from waspada.core.errors import OutOfScope
from waspada.core.scoping import ScopedUser, user_covers


class Actor(ScopedUser, Protocol):
    def has_role_permission(self, permission: str) -> bool: ...


def can(actor: Actor, permission: str, area_code: str | None = None) -> bool:
    if not actor.is_authenticated or not actor.has_role_permission(permission):
        return False
    return area_code is None or user_covers(actor, area_code)


def ensure_can(actor: Actor, permission: str, area_code: str | None = None) -> None:
    """Raise unless `actor` may do `permission` in `area_code`.

    Raises OutOfScope (answered as 404, so existence does not leak) when the area lies outside the
    actor's scope, and PermissionDenied (403) when the role lacks the permission.
    """
    if area_code is not None and not user_covers(actor, area_code):
        raise OutOfScope(area_code)
    if not actor.is_authenticated or not actor.has_role_permission(permission):
        raise PermissionDenied(permission)
