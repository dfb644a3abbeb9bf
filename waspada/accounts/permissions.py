"""Predicates about managing users, for pages that show or hide actions.

Services enforce the same rules (`services._ensure_can_manage`); these only answer yes or no.
"""

from __future__ import annotations

from collections.abc import Collection

from waspada.accounts.models import User
from waspada.accounts.roles import can_grant
from waspada.core.scoping import user_covers


def can_manage_users(actor: User) -> bool:
    return actor.is_authenticated and actor.has_role_permission("users.manage")


def can_manage_user(actor: User, target: User, target_codes: Collection[str]) -> bool:
    """True when `actor` may edit `target` (assigned to `target_codes`)."""
    if not can_manage_users(actor):
        return False
    if target_codes:
        inside = all(user_covers(actor, code) for code in target_codes)
    else:
        inside = actor.has_national_scope
    return inside and (actor.is_superuser or can_grant(actor.role, target.role))
