"""Reads of core tables, always through the viewer's scope."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from waspada.core.classification import readable_levels
from waspada.core.models import AuditEntry
from waspada.core.scoping import user_scope_q


def list_audit_entries(
    user: Any,
    *,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    object_id: str = "",
    area: str = "",
) -> QuerySet[AuditEntry]:
    """Audit entries the user may read, newest first.

    Needs the "audit.view" permission (PermissionDenied otherwise). Entries carry the area of the
    changed object; a user sees the entries of areas inside their scope, and only a user with
    national scope sees entries with no area (system-wide changes such as an area load). Entries
    about classified objects need the matching clearance (a superuser sees everything).
    """
    if not user.is_authenticated or not user.has_role_permission("audit.view"):
        raise PermissionDenied("audit.view")
    qs = AuditEntry.objects.select_related("actor").order_by("-seq")
    if not user.is_superuser:
        qs = qs.filter(classification__in=readable_levels(user.clearance))
    condition = user_scope_q(user, "area_code")
    if condition is not None:
        qs = qs.filter(condition)
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_label__iexact=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if area:
        qs = qs.filter(Q(area_code=area) | Q(area_code__startswith=f"{area}."))
    return qs
