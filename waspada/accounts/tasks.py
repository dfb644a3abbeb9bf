"""Background jobs of the accounts app: thin entry points that take ids."""

from __future__ import annotations

from waspada.accounts import emails
from waspada.core.jobs import job


@job(name="accounts.send_password_reset_email", retries=5, retry_on=(OSError,))
def send_password_reset_email(user_id: int) -> dict[str, bool]:
    """E-mail a password reset link to one user. Repeating it only sends another valid link."""
    return {"sent": emails.send_password_reset_email(user_id)}
