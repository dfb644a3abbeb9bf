"""Background jobs of the early-warning app (ids in, services called, idempotent)."""

from __future__ import annotations

from typing import Any

from waspada.core.jobs import job


@job(name="warnings.process_pending", timeout=900)
def process_pending() -> dict[str, Any]:
    """Refresh the pending aggregate cells, then rescore their areas and ancestors (coalesced:
    a run takes whatever is pending; a run that finds nothing does nothing)."""
    from waspada.warnings import pipeline

    return pipeline.process_pending()


@job(name="warnings.recompute_all", timeout=3600, exclusive=True)
def recompute_all(day: str | None = None) -> dict[str, Any]:
    """Nightly: score every province, kab/kota (and kecamatan with data) for `day` (ISO date;
    today in each area's zone when None). Idempotent."""
    from waspada.warnings import pipeline

    return pipeline.recompute_all(day)


@job(name="warnings.deliver_alert", timeout=600)
def deliver_alert(alert_id: int) -> dict[str, Any]:
    """Fan an alert out to the matching subscriptions (one Delivery each) and send them."""
    from waspada.warnings import delivery

    return delivery.fan_out(alert_id)


@job(name="warnings.send_delivery", timeout=300)
def send_delivery(delivery_id: int) -> dict[str, Any]:
    """Try one delivery once; a failure schedules the next attempt with back-off."""
    from waspada.warnings import delivery

    return delivery.attempt(delivery_id)


@job(name="warnings.retry_due_deliveries", timeout=600, exclusive=True)
def retry_due_deliveries() -> dict[str, Any]:
    """Every minute: attempt the deliveries whose next attempt is due."""
    from waspada.warnings import delivery

    return delivery.retry_due()


@job(name="warnings.send_digests", timeout=900, exclusive=True)
def send_digests() -> dict[str, Any]:
    """Every 15 minutes: send each daily-digest subscriber their digest once their local hour
    has come (and what rate limits held back)."""
    from waspada.warnings import delivery

    return delivery.send_digests()
