"""Getting alerts to people: fan-out to subscriptions, attempts per channel, retries, digests."""

from __future__ import annotations

from typing import Any


def fan_out(alert_id: int) -> dict[str, Any]:
    """Create one Delivery per matching subscription and send the immediate ones."""
    return {"alert": alert_id, "deliveries": 0}


def attempt(delivery_id: int) -> dict[str, Any]:
    """Try one delivery once."""
    return {"delivery": delivery_id, "status": None}


def retry_due() -> dict[str, Any]:
    """Attempt the deliveries whose next attempt is due."""
    return {"attempted": 0}


def send_digests() -> dict[str, Any]:
    """Send the daily digests that are due."""
    return {"digests": 0}
