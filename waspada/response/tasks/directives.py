"""Background jobs of the response domain: directives."""

from __future__ import annotations

import datetime as dt

from waspada.core.jobs import job
from waspada.response.services import directives


@job(name="response.send_directive_reminders", timeout=600, exclusive=True)
def send_directive_reminders(now: str | None = None) -> dict[str, dict[str, int]]:
    """Remind agencies of directives due soon and escalate overdue ones to their issuers.

    Runs every 15 minutes (CELERY_BEAT_SCHEDULE). `now` (an ISO 8601 time with its offset) runs
    it as of another moment, for tests and catch-up runs. Safe to repeat: each directive is
    reminded and escalated once per due date.
    """
    moment = dt.datetime.fromisoformat(now) if now else None
    if moment is not None and moment.tzinfo is None:
        raise ValueError("now needs a UTC offset, e.g. 2026-03-05T10:00:00+00:00")
    return {
        "reminders": directives.send_due_reminders(moment),
        "overdue": directives.escalate_overdue(moment),
    }
