"""Signals of the events domain, for apps that keep derived data (the early-warning aggregates).

`items_changed` is sent inside the writing transaction whenever items may have entered, left or
moved within the verified data: status changes (verify, withdraw), edits, removals, merges. Its
`cells` argument is a set of `(area_code, occurred_at)` pairs, before and after the change, so a
receiver can refresh exactly what was touched. Receivers must write in the same transaction (or
record what to do there) so a crash loses nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.dispatch import Signal

items_changed = Signal()


def send_items_changed(cells: Iterable[tuple[str, dt.datetime]]) -> None:
    """Send `items_changed` for the given (area_code, occurred_at) pairs (nothing when empty)."""
    unique = set(cells)
    if unique:
        items_changed.send(sender=None, cells=unique)
