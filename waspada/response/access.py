"""Who may see what in the response domain: area scope, clearance, agency membership.

Directives, cases and plans carry the dotted code of their area and a security classification.
A user sees one when the area lies inside their scope and they are cleared for its
classification; agency members also see what is assigned to their agency (a camat whose scope
is one kecamatan acts on a kab/kota directive given to the kecamatan office). Everything hidden
is answered as "not found", so a 403 never confirms that a hidden object exists.
"""

from __future__ import annotations

from typing import Any

from waspada.core.classification import RANK, Classification
from waspada.core.errors import OutOfScope
from waspada.core.scoping import user_covers
from waspada.events import selectors as event_selectors


def allowed_classifications(user: Any) -> list[str]:
    """The classifications `user` is cleared for, lowest first (empty for anonymous users)."""
    return event_selectors.allowed_classifications(user)


def can_read(user: Any, area_code: str, classification: str) -> bool:
    """True when `area_code` is in the user's scope and the user is cleared for `classification`."""
    if user is None or not user.is_authenticated:
        return False
    return user_covers(user, area_code) and event_selectors.can_read_classification(
        user, classification or Classification.BIASA
    )


def ensure_visible(actor: Any, area_code: str, classification: str) -> None:
    """Raise OutOfScope (404) unless the actor may see an object of this area and classification."""
    if not can_read(actor, area_code, classification):
        raise OutOfScope(area_code)


def member_agency_ids(user: Any) -> frozenset[int]:
    """Ids of the agencies `user` belongs to (cached on the user object for the request)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_response_agency_ids", None)
    if cached is None:
        from waspada.response.models import AgencyMember

        cached = frozenset(
            AgencyMember.objects.filter(user_id=user.pk, agency__active=True).values_list(
                "agency_id", flat=True
            )
        )
        user._response_agency_ids = cached
    return frozenset(cached)


def forget_memberships(user: Any) -> None:
    """Drop the cached agency ids (after a membership change in the same request or test)."""
    if user is not None and hasattr(user, "_response_agency_ids"):
        del user._response_agency_ids


def highest_classification(*values: str | None) -> str:
    """The highest of the given classifications ("biasa" when none is given)."""
    found = [v for v in values if v in RANK]
    return max(found, key=RANK.__getitem__) if found else str(Classification.BIASA)


def event_classification(event: Any) -> str:
    """The classification of an event (the highest of its items, kept on the event)."""
    return str(getattr(event, "classification", "") or Classification.BIASA)
