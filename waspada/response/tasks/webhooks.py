"""Background jobs of the response domain: signed webhook deliveries."""

from __future__ import annotations

from typing import Any

from waspada.core.jobs import job
from waspada.response import webhooks


@job(name="response.deliver_webhook", timeout=120)
def deliver_webhook(delivery_id: int) -> dict[str, Any]:
    """Try one response webhook delivery once (a sent one is never sent again)."""
    return webhooks.attempt(delivery_id)


@job(name="response.retry_webhooks", timeout=600, exclusive=True)
def retry_webhooks() -> dict[str, Any]:
    """Retry the response webhook deliveries that are due (every minute)."""
    return webhooks.retry_due()
