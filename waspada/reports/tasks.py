"""Background jobs of the reports app: thin entry points. The schedule is in config/settings.py."""

from __future__ import annotations

from waspada.core.jobs import job
from waspada.reports import reminders


@job(name="reports.send_daily_reminders", timeout=600, exclusive=True)
def send_daily_reminders() -> dict[str, int]:
    """Remind operators whose daily report is not filed by the reminder hour. Safe to repeat."""
    return reminders.send_daily_reminders()
