"""Periodic housekeeping jobs. The schedule is `CELERY_BEAT_SCHEDULE` in `config/settings.py`."""

from __future__ import annotations

import logging
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from waspada.core.audit import verify_chain
from waspada.core.jobs import JobFailed, job

logger = logging.getLogger(__name__)


@job(name="core.verify_audit_chain", timeout=3600, exclusive=True)
def verify_audit_chain() -> dict[str, Any]:
    """Walk the whole audit hash chain; the run fails, naming the first bad entry, if it is broken.

    Nightly. The same check as `manage.py verify_audit`, recorded in `core.Job` so admins see it.
    """
    result = verify_chain()
    summary: dict[str, Any] = {
        "ok": result.ok,
        "checked": result.checked,
        "first_bad_seq": result.first_bad_seq,
        "reason": result.reason,
    }
    if not result.ok:
        message = (
            f"Audit log damaged at entry #{result.first_bad_seq}: {result.reason} "
            f"({result.checked} entries before it are intact)."
        )
        raise JobFailed(message, result=summary)
    logger.info("Audit log intact: %d entries verified.", result.checked)
    return summary


@job(name="core.clear_expired_sessions", timeout=600, exclusive=True)
def clear_expired_sessions() -> dict[str, Any]:
    """Delete expired sessions (what `manage.py clearsessions` does). Daily; safe to repeat."""
    expired = 0
    if settings.SESSION_ENGINE in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ):
        expired = Session.objects.filter(expire_date__lt=timezone.now()).count()
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
    logger.info("Removed %d expired sessions.", expired)
    return {"removed": expired}
