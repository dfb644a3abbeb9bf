"""Background jobs of the response domain: timdu (the RAD's missing period reports)."""

from __future__ import annotations

import datetime as dt

from waspada.core.jobs import job


@job(name="response.flag_missing_plan_reports", timeout=600, exclusive=True)
def flag_missing_plan_reports(now: str | None = None) -> dict[str, int]:
    """Daily: tell the people responsible about RAD period reports (B.04, B.08, B.12) still not
    submitted after their due day. `now` (ISO date-time with zone) replaces the current time.
    Idempotent: each plan's period is flagged to each person once."""
    from waspada.response.services import timdu_flags

    moment = dt.datetime.fromisoformat(now) if now else None
    return timdu_flags.flag_missing_plan_reports(moment)
