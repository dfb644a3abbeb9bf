"""Background jobs of the notifications app: thin entry points that take ids."""

from __future__ import annotations

from waspada.core.jobs import job
from waspada.notifications import emails


@job(name="notifications.send_emails", retries=5, retry_on=(OSError,))
def send_notification_emails(notification_ids: list[int]) -> dict[str, int]:
    """E-mail the listed notifications. Safe to repeat: each is e-mailed at most once."""
    return {"sent": emails.send_notification_emails(list(notification_ids))}
