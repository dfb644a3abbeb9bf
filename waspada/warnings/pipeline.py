"""From pending cells to scores and alerts (being built: see the early-warning brief)."""

from __future__ import annotations

from typing import Any


def process_pending() -> dict[str, Any]:
    return {}
