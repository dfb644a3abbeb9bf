"""Receivers: a change to items marks the aggregate cells it touches, in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.dispatch import receiver

from waspada.events.signals import items_changed
from waspada.warnings import aggregates


@receiver(items_changed)
def mark_cells(sender: Any, cells: set[tuple[str, dt.datetime]], **kwargs: Any) -> None:
    aggregates.mark_pending(cells)
