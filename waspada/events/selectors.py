"""Reads of events, items and taxonomy terms: area scope AND security clearance, always.

Every function takes the viewer first. An item or event is visible when its area lies inside the
viewer's scope (`core.scoping`) and its classification is not above the viewer's clearance
(`User.clearance`; biasa < terbatas < rahasia). A national admin sees every area but is still
bound by clearance; only a superuser sees everything. Objects the viewer may not see do not exist
for them: lists and counts leave them out and "get by id" raises Http404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from waspada.core.errors import InvalidInput
from waspada.core.models import AuditEntry
from waspada.core.scoping import scope_q, user_scope_q
from waspada.events import duplicates
from waspada.events.choices import CLASSIFICATION_RANK, Axis, Classification
from waspada.events.models import Event, Item, ItemActor, Term

# The term foreign keys of an item: lists select them in the same query.
ITEM_TERM_FIELDS = (
    "aspect",
    "athg",
    "uu7_source",
    "snpk",
    "acled_type",
    "acled_subtype",
    "election_type",
    "election_stage",
    "source_reliability",
    "info_credibility",
)
ITEM_OBJECT_TYPE = "events.item"
EVENT_OBJECT_TYPE = "events.event"


# ---------------------------------------------------------------- scope and clearance

# The dotted area code of items and events. Lookups through the foreign key to the code (the
# primary key of Area) compile to the `area_id` column itself, without a join.
AREA_LOOKUP = "area__code"

_Q = TypeVar("_Q", QuerySet[Item], QuerySet[Event])


def _in_scope(qs: _Q, user: Any) -> _Q:
    condition = user_scope_q(user, AREA_LOOKUP)
    return qs if condition is None else qs.filter(condition)


def clearance_rank(user: Any) -> int:
    """The highest classification rank `user` may read (-1: nothing; superusers: everything)."""
    if user is None or not user.is_authenticated:
        return -1
    if getattr(user, "is_superuser", False):
        return max(CLASSIFICATION_RANK.values())
    clearance = getattr(user, "clearance", "") or Classification.BIASA
    return CLASSIFICATION_RANK.get(Classification(clearance), 0)


def allowed_classifications(user: Any) -> list[str]:
    """The classifications `user` is cleared for, lowest first."""
    rank = clearance_rank(user)
    return [str(c) for c, r in sorted(CLASSIFICATION_RANK.items(), key=lambda i: i[1]) if r <= rank]


def can_read_classification(user: Any, classification: str) -> bool:
    """True when `user` is cleared for `classification`."""
    return CLASSIFICATION_RANK.get(Classification(classification), 99) <= clearance_rank(user)


# ---------------------------------------------------------------- items


def visible_items(user: Any) -> QuerySet[Item]:
    """Items inside the viewer's scope and clearance (no ordering or joins added)."""
    if user is None or not user.is_authenticated:
        return cast(QuerySet[Item], Item.objects.none())
    qs = _in_scope(cast(QuerySet[Item], Item.objects.all()), user)
    if clearance_rank(user) < max(CLASSIFICATION_RANK.values()):
        qs = qs.filter(classification__in=allowed_classifications(user))
    return qs


def with_item_details(qs: QuerySet[Item]) -> QuerySet[Item]:
    """Join the area, event and terms, and prefetch actors and election issues (lists, detail)."""
    return qs.select_related("area", "event", *ITEM_TERM_FIELDS).prefetch_related(
        Prefetch("actors", queryset=ItemActor.objects.select_related("actor_type")),
        "election_issues",
    )


def get_item(user: Any, pk: int | str) -> Item:
    """One item with its details; Http404 when missing, out of scope or above clearance."""
    try:
        return with_item_details(visible_items(user)).prefetch_related("attachments").get(pk=pk)
    except (Item.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def list_items(user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Item]:
    """Visible items narrowed by `ItemFilter` (area and below, period, status, axes, text).

    Newest first. Raises InvalidInput with per-field messages when a filter value is invalid.
    """
    from waspada.events.filters import ItemFilter  # filters import selectors

    qs = with_item_details(visible_items(user)).order_by("-occurred_at", "-id")
    if not filters:
        return qs
    filterset = ItemFilter(filters, queryset=qs, viewer=user)
    if not filterset.is_valid():
        raise InvalidInput(
            "Filter tidak valid.",
            {k: [str(m) for m in v] for k, v in filterset.errors.items()},
        )
    return filterset.qs


# ---------------------------------------------------------------- events


def visible_events(user: Any, *, include_merged: bool = False) -> QuerySet[Event]:
    """Events inside the viewer's scope and clearance; merged duplicates only on request."""
    if user is None or not user.is_authenticated:
        return cast(QuerySet[Event], Event.objects.none())
    qs = _in_scope(cast(QuerySet[Event], Event.objects.all()), user)
    if clearance_rank(user) < max(CLASSIFICATION_RANK.values()):
        qs = qs.filter(classification__in=allowed_classifications(user))
    if not include_merged:
        qs = qs.filter(merged_into__isnull=True)
    return qs


def get_event(user: Any, pk: int | str) -> Event:
    """One event (merged duplicates included, so they can be unmerged); Http404 otherwise."""
    try:
        return (
            visible_events(user, include_merged=True)
            .select_related("area", "merged_into")
            .get(pk=pk)
        )
    except (Event.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def list_events(user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Event]:
    """Visible events that are not merged into another, narrowed by `EventFilter`, newest first.

    Raises InvalidInput with per-field messages when a filter value is invalid.
    """
    from waspada.events.filters import EventFilter

    qs = visible_events(user).select_related("area").order_by("-last_occurred_at", "-id")
    if not filters:
        return qs
    filterset = EventFilter(filters, queryset=qs, viewer=user)
    if not filterset.is_valid():
        raise InvalidInput(
            "Filter tidak valid.",
            {k: [str(m) for m in v] for k, v in filterset.errors.items()},
        )
    return filterset.qs


def event_timeline(user: Any, event: Event) -> list[Item]:
    """The event's items the viewer may see, oldest first, with details (its *perkembangan*).

    Items merged in from a duplicate are included; `original_event_id` tells where they came from.
    """
    qs = with_item_details(visible_items(user).filter(event=event)).prefetch_related("attachments")
    return list(qs.order_by("occurred_at", "id"))


def merged_duplicates(user: Any, event: Event) -> list[Event]:
    """The visible events merged into `event` (each can be unmerged)."""
    return list(visible_events(user, include_merged=True).filter(merged_into=event).order_by("id"))


# ---------------------------------------------------------------- history


def item_history(user: Any, item: Item) -> QuerySet[AuditEntry]:
    """Audit entries of the item and of the events it belongs or belonged to, oldest first.

    The caller got `item` from `get_item`; entries of an event are included only when the viewer
    may see that event (its title could come from a more classified item).
    """
    event_ids = {item.event_id, item.original_event_id}
    seen = visible_events(user, include_merged=True).filter(pk__in=event_ids)
    event_keys = [str(pk) for pk in seen.values_list("pk", flat=True)]
    condition = Q(object_type=ITEM_OBJECT_TYPE, object_id=str(item.pk))
    if event_keys:
        condition |= Q(object_type=EVENT_OBJECT_TYPE, object_id__in=event_keys)
    return AuditEntry.objects.filter(condition).order_by("seq")


def event_history(user: Any, event: Event) -> QuerySet[AuditEntry]:
    """Audit entries of the event (status, merges) and of its visible items, oldest first."""
    item_keys = [
        str(pk) for pk in visible_items(user).filter(event=event).values_list("pk", flat=True)
    ]
    condition = Q(object_type=EVENT_OBJECT_TYPE, object_id=str(event.pk))
    if item_keys:
        condition |= Q(object_type=ITEM_OBJECT_TYPE, object_id__in=item_keys)
    return AuditEntry.objects.filter(condition).order_by("seq")


# ---------------------------------------------------------------- duplicates


@dataclass(frozen=True)
class DuplicateCandidate:
    """A visible event that may report the same matter, with its similarity score (0..1)."""

    event: Event
    score: float


def duplicate_candidates(user: Any, event: Event, limit: int = 5) -> list[DuplicateCandidate]:
    """Likely duplicates of `event` that the viewer may see, best first.

    Same or neighbouring area (inside the same kab/kota, or the same province for an event filed
    at province level), close in time (the two events' occurrence windows come within
    `duplicates.WINDOW` of each other) and similar text (`duplicates.similarity` of title and
    chronologies at least `duplicates.THRESHOLD`). Merged events are never candidates.
    """
    first = event.first_occurred_at or event.created_at
    last = event.last_occurred_at or first
    window = duplicates.WINDOW
    pool = (
        visible_events(user)
        .filter(scope_q([duplicates.neighbourhood(event.area_id)], AREA_LOOKUP))
        .exclude(pk=event.pk)
        .filter(last_occurred_at__gte=first - window, first_occurred_at__lte=last + window)
        .order_by("-last_occurred_at", "-id")[: duplicates.POOL]
    )
    candidates = list(pool)
    if not candidates:
        return []
    texts = _event_texts(user, [event.pk, *(c.pk for c in candidates)])
    own = duplicates.profile(event.title, texts.get(event.pk, []))
    scored = []
    for candidate in candidates:
        other = duplicates.profile(candidate.title, texts.get(candidate.pk, []))
        score = duplicates.similarity(own, other)
        if score >= duplicates.THRESHOLD:
            scored.append(DuplicateCandidate(candidate, round(score, 3)))
    scored.sort(key=lambda c: (-c.score, -c.event.pk))
    return scored[:limit]


def _event_texts(user: Any, event_ids: list[int]) -> dict[int, list[str]]:
    """Titles and chronologies of the visible items of each event (one query)."""
    texts: dict[int, list[str]] = {}
    rows = (
        visible_items(user)
        .filter(event_id__in=event_ids)
        .values_list("event_id", "title", "chronology")
    )
    for event_id, title, chronology in rows:
        texts.setdefault(event_id, []).extend((title, chronology))
    return texts


# ---------------------------------------------------------------- terms


def list_terms(
    user: Any, *, axis: str | None = None, include_inactive: bool = True
) -> QuerySet[Term]:
    """Taxonomy terms (reference data every signed-in user may read), by axis and order.

    Raises InvalidInput for an unknown axis.
    """
    if user is None or not user.is_authenticated:
        return Term.objects.none()
    qs = Term.objects.select_related("parent").order_by("axis", "sort_order", "code")
    if axis:
        if axis not in Axis.values:
            raise InvalidInput("Sumbu klasifikasi tidak dikenal.", {"axis": [f"'{axis}'?"]})
        qs = qs.filter(axis=axis)
    if not include_inactive:
        qs = qs.filter(active=True)
    return qs


def get_term(user: Any, pk: int | str) -> Term:
    """One term; Http404 when missing (or for an anonymous viewer)."""
    try:
        return list_terms(user).get(pk=pk)
    except (Term.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def period_bounds(
    start: dt.date | None, end: dt.date | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """[start 00:00, end+1 00:00) in the current time zone, as aware datetimes (or None)."""
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz) if start else None
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz) if end else None
    return lo, hi
