"""Background jobs of the response domain: cases (the status keadaan konflik)."""

from __future__ import annotations

from django.utils import timezone

from waspada.core.jobs import job


@job(name="response.check_conflict_statuses", timeout=900, exclusive=True)
def check_conflict_statuses() -> dict[str, int]:
    """Hourly: send the reminders due before a status keadaan konflik ends, and end the statuses
    whose last day has passed in their area's zone. Idempotent."""
    from waspada.response.services.conflict_statuses import process_conflict_statuses

    return process_conflict_statuses(timezone.now())
