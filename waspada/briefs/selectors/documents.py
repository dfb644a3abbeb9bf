"""Reads of briefs, letterheads and brief subscriptions.

A brief belongs to the reader it was built for: only they may see or download it, and only while
its area is still inside their scope and they are still cleared for its classification (a reader
moved to another province, or whose clearance was lowered, no longer gets the old documents).
Anything else is answered as not found (Http404). Letterheads are reference data of an area.
"""

from __future__ import annotations

import base64
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from waspada.briefs.models import Brief, BriefSubscription, Letterhead
from waspada.core.classification import RANK
from waspada.core.scoping import user_covers
from waspada.events import selectors as event_selectors
from waspada.geo.models import Area


def _readable(user: Any, brief: Brief) -> bool:
    return user_covers(user, brief.area_id) and event_selectors.can_read_classification(
        user, brief.classification or "biasa"
    )


def list_briefs(user: Any) -> QuerySet[Brief]:
    """The user's own briefs, newest first, of areas still inside their scope and of
    classifications they are still cleared for (none for anonymous visitors)."""
    if user is None or not user.is_authenticated:
        return Brief.objects.none()
    qs = (
        Brief.objects.filter(built_for_id=user.pk)
        .visible_to(user)
        .select_related("area", "event")
        .order_by("-created_at", "-id")
    )
    if event_selectors.clearance_rank(user) < max(RANK.values()):
        qs = qs.filter(classification__in=event_selectors.allowed_classifications(user))
    return qs


def get_brief(user: Any, pk: int | str) -> Brief:
    """One of the user's own briefs. Raises Http404 when it is missing, someone else's, of an
    area no longer in their scope or above their clearance."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    found = list_briefs(user).filter(pk=key).first()
    if found is None or not _readable(user, found):
        raise Http404
    return found


def get_letterhead_for(area_code: str) -> Letterhead | None:
    """The letterhead of the area, or of its nearest ancestor that has one (None when none has).

    No scope check: callers check the area first (a letterhead is reference data of an area).
    """
    parts = area_code.split(".")
    codes = [".".join(parts[:n]) for n in range(len(parts), 0, -1)]
    found = {lh.area_id: lh for lh in Letterhead.objects.filter(area_id__in=codes)}
    for code in codes:
        if code in found:
            return found[code]
    return None


def get_own_letterhead(area_code: str) -> Letterhead | None:
    """The letterhead stored for exactly this area (the one the letterhead page edits)."""
    return Letterhead.objects.filter(area_id=area_code).first()


def list_brief_subscriptions(user: Any) -> QuerySet[BriefSubscription]:
    """The user's own active brief subscriptions."""
    if user is None or not user.is_authenticated:
        return BriefSubscription.objects.none()
    return BriefSubscription.objects.filter(user_id=user.pk, active=True).select_related("area")


def get_brief_subscription(user: Any, pk: int | str) -> BriefSubscription:
    """One of the user's own active brief subscriptions. Raises Http404 otherwise."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    found = list_brief_subscriptions(user).filter(pk=key).first()
    if found is None:
        raise Http404
    return found


def brief_areas(user: Any) -> QuerySet[Area]:
    """The user's own areas (the roots of what they may request briefs for)."""
    if user is None or not user.is_authenticated:
        return Area.objects.none()
    return Area.objects.filter(code__in=sorted(user.scope_area_codes)).order_by("code")


def letterhead_logo_uri(letterhead: Letterhead | None) -> str:
    """The stored logo as a data: URI for the letterhead page's preview ("" without one)."""
    if letterhead is None or not letterhead.logo:
        return ""
    try:
        with letterhead.logo.storage.open(letterhead.logo.name or "", "rb") as handle:
            data = handle.read()
    except OSError:
        return ""
    return "data:image/png;base64," + base64.b64encode(data).decode()
