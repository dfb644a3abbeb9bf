"""Ambient ids for the audit log and logs: the current request id or background job id.

They are context variables, so services can read them without a request object and workers,
management commands and imports set their own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("waspada_request_id", default=None)
job_id_var: ContextVar[str | None] = ContextVar("waspada_job_id", default=None)


def new_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def job_context(job_id: str | None = None) -> Iterator[str]:
    """Mark everything inside (audit entries, log lines) as done by one background job."""
    value = job_id or new_id()
    token = job_id_var.set(value)
    try:
        yield value
    finally:
        job_id_var.reset(token)
