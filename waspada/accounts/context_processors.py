"""The main navigation links, chosen by what the user may do."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from waspada.notifications.selectors import unread_count
from waspada.reports.queue import is_filer, is_reviewer, queue_counts
from waspada.response.selectors.directives import open_assignment_count


def nav(request: HttpRequest) -> dict[str, Any]:
    """`nav_items`: a list of {url, label} for base.html; empty for anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items: list[dict[str, Any]] = []
    if user.has_role_permission("reports.view"):
        items.append({"url": reverse("reports:report_list"), "label": _("Laporan")})
        items.append({"url": reverse("events:event_list"), "label": _("Kejadian")})
        items.append({"url": reverse("briefs:brief_list"), "label": _("Dokumen")})
    if user.has_role_permission("response.view"):
        items.append({"url": reverse("response:home"), "label": _("Respons")})
    items.append({"url": "/wilayah/", "label": _("Wilayah")})
    if user.has_role_permission("audit.view"):
        items.append({"url": "/audit/", "label": _("Audit")})
    if user.has_role_permission("users.manage"):
        items.append({"url": reverse("accounts:user_list"), "label": _("Pengguna")})
    items.append({"url": reverse("accounts:profile"), "label": _("Profil")})
    return {"nav_items": items, "nav_work": _work_links(user)}


def _work_links(user: Any) -> list[dict[str, Any]]:
    """`nav_work`: "Perlu ditinjau", "Tindak lanjut" (open assignments of the user's agencies,
    for agency members) and "Notifikasi", with their counts (one query each)."""
    links: list[dict[str, Any]] = []
    if is_reviewer(user) or is_filer(user):
        count = queue_counts(user).total
        links.append(
            {"url": reverse("reports:review_queue"), "label": _("Perlu ditinjau"), "count": count}
        )
    open_assignments = open_assignment_count(user)
    if open_assignments is not None:  # members of an agency only
        links.append(
            {
                "url": reverse("response:home"),
                "label": _("Tindak lanjut"),
                "count": open_assignments,
            }
        )
    unread = unread_count(user)
    links.append({"url": reverse("notifications:inbox"), "label": _("Notifikasi"), "count": unread})
    return links
