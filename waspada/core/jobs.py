"""Background jobs: Celery tasks whose every run is recorded in a `core.Job` row.

    @job(timeout=600, retries=3, retry_on=(ConnectionError,))
    def send_alert(alert_id: int) -> dict[str, int]:
        '''Send one alert to its subscribers. Safe to repeat.'''
        alert = Alert.objects.get(pk=alert_id)
        ...

    send_alert.enqueue(alert_id=alert.pk)            # inside a service: runs after commit
    send_alert.enqueue_for(actor=user, area_code="62.71", kwargs={"alert_id": alert.pk})

Rules (STYLE.md, "Background jobs"): a job takes ids, never objects, reloads what it needs and
calls a service; it is idempotent; it is enqueued only after the surrounding transaction commits.

What the wrapper adds to every run:
- a `Job` row keyed by the Celery task id: queued -> running -> succeeded/failed, with start and
  finish times, the error (traceback) and the log lines emitted while it ran;
- `job_context(job_id)` around the body, so audit entries and log lines carry the job id;
- a JSON-able return value stored as `Job.result`;
- a redelivered message whose run already succeeded is not run again (acks are late, so a worker
  that dies after finishing but before acknowledging would otherwise repeat it);
- `exclusive=True`: on PostgreSQL a session advisory lock keyed by the job name makes overlapping
  runs of a periodic job skip instead of running twice (SQLite needs no lock: the embedded mode has
  one beat and one machine, and its writers are serialised by the database).
"""

from __future__ import annotations

import hashlib
import json
import logging
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from celery import Task, shared_task
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from waspada.core.context import job_context, job_id_var, new_id
from waspada.core.models import Job, JobStatus

logger = logging.getLogger(__name__)

MAX_LOG_CHARS = 100_000  # the tail is kept; a job that logs more should log less


class JobFailed(Exception):
    """Raised by a job body to end the run as failed with a clear message (no traceback).

    `result` is stored in `Job.result` all the same, so a check that found a problem can still
    say what it found.
    """

    def __init__(self, message: str, *, result: Any = None) -> None:
        super().__init__(message)
        self.result = result


class JobTask(Task):  # celery ships no type information, so Task is Any to mypy
    """The Celery task class behind `@job`: adds `enqueue` and `enqueue_for`."""

    def enqueue(self, *args: Any, **kwargs: Any) -> str:
        """Queue a run after the current transaction commits; returns the job id at once."""
        area_code = kwargs.get("area_code")
        return self.enqueue_for(
            actor=None,
            area_code=area_code if isinstance(area_code, str) else "",
            args=args,
            kwargs=kwargs,
        )

    def enqueue_for(
        self,
        *,
        actor: Any,
        area_code: str = "",
        args: tuple[Any, ...] = (),
        kwargs: dict[str, Any] | None = None,
        countdown: float | None = None,
    ) -> str:
        """Like `enqueue`, recording who asked for the run and for which area; `countdown`
        delays the run by that many seconds after the commit.

        The queued `Job` row is written in the caller's transaction, so a rolled-back service
        leaves neither a row nor a message behind.
        """
        job_id = new_id()
        is_user = actor is not None and getattr(actor, "is_authenticated", False)
        Job.objects.create(
            id=job_id,
            name=self.name,
            status=JobStatus.QUEUED,
            area_code=area_code,
            created_by=actor if is_user else None,
        )
        call_kwargs = dict(kwargs or {})
        transaction.on_commit(
            lambda: self.apply_async(
                args=args, kwargs=call_kwargs, task_id=job_id, countdown=countdown
            )
        )
        return job_id


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


class _JobLogHandler(logging.Handler):
    """Collects the log lines emitted by one job run (matched by the ambient job id)."""

    def __init__(self, job_id: str) -> None:
        super().__init__(logging.INFO)
        self.job_id = job_id
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if job_id_var.get() != self.job_id:
            return
        stamp = timezone.now().strftime("%Y-%m-%d %H:%M:%S")
        line = f"{stamp} {record.levelname} {record.name}: {record.getMessage()}"
        self.lines.append(line)

    def text(self) -> str:
        joined = "\n".join(self.lines)
        return joined[-MAX_LOG_CHARS:]


@contextmanager
def _captured_log(job_id: str) -> Iterator[_JobLogHandler]:
    handler = _JobLogHandler(job_id)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


def _lock_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextmanager
def exclusive_lock(name: str) -> Iterator[bool]:
    """Yield True when this process may run `name` now; False when another run holds it.

    PostgreSQL: a session-level advisory lock (released at the end, or when the connection
    dies). Other engines: always True (see the module docstring).
    """
    if connection.vendor != "postgresql":
        yield True
        return
    key = _lock_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        row = cursor.fetchone()
    acquired = bool(row and row[0])
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def _mark_running(job_id: str, name: str) -> bool:
    """Move the row to RUNNING (creating it for runs that beat or a shell queued directly).

    Returns False when this id already succeeded: the message is a redelivery.
    """
    existing = Job.objects.filter(pk=job_id).first()
    if existing is not None and existing.status == JobStatus.SUCCEEDED:
        return False
    now = timezone.now()
    Job.objects.update_or_create(
        pk=job_id,
        defaults={"status": JobStatus.RUNNING, "started_at": now, "finished_at": None, "error": ""},
        create_defaults={
            "name": name,
            "status": JobStatus.RUNNING,
            "started_at": now,
        },
    )
    return True


def _mark_done(job_id: str, status: str, *, log: str, error: str = "", result: Any = None) -> None:
    fields: dict[str, Any] = {
        "status": status,
        "finished_at": timezone.now(),
        "error": error,
        "log": log,
        "result": _jsonable(result),
    }
    if status == JobStatus.SUCCEEDED:
        fields["progress"] = 100
    Job.objects.filter(pk=job_id).update(**fields)


def report_progress(percent: int) -> None:
    """Let a running job say how far it got (0-100); does nothing outside a job."""
    job_id = job_id_var.get()
    if job_id:
        Job.objects.filter(pk=job_id).update(progress=max(0, min(100, int(percent))))


def job(
    *,
    name: str | None = None,
    queue: str | None = None,
    timeout: int | None = None,
    retries: int = 0,
    retry_on: tuple[type[BaseException], ...] = (),
    retry_delay: int = 30,
    exclusive: bool = False,
) -> Callable[[Callable[..., Any]], JobTask]:
    """Turn a function into a recorded Celery task (see the module docstring).

    `timeout` is a hard time limit in seconds; `retries` re-runs the job (same id, same row)
    after `retry_delay` seconds, doubling each time, when it raises one of `retry_on`.
    """

    def decorate(func: Callable[..., Any]) -> JobTask:
        task_name = name or f"{func.__module__}.{func.__name__}"
        options: dict[str, Any] = {
            "name": task_name,
            "bind": True,
            "base": JobTask,
            "max_retries": retries,
            "typing": False,  # the wrapper takes *args; the body checks its own arguments
        }
        if queue:
            options["queue"] = queue
        if timeout:
            options["time_limit"] = timeout
            options["soft_time_limit"] = max(1, timeout - 5)

        def run(self: JobTask, *args: Any, **kwargs: Any) -> Any:
            job_id = str(self.request.id or new_id())
            if not _mark_running(job_id, task_name):
                logger.info("Job %s (%s) already succeeded; not run again.", job_id, task_name)
                return Job.objects.get(pk=job_id).result
            lock = exclusive_lock(task_name) if exclusive else _always()
            with job_context(job_id), _captured_log(job_id) as captured, lock as may_run:
                if not may_run:
                    logger.info("Another run of %s holds the lock; skipped.", task_name)
                    result: Any = {"skipped": True}
                    _mark_done(job_id, JobStatus.SUCCEEDED, log=captured.text(), result=result)
                    return result
                try:
                    result = func(*args, **kwargs)
                except JobFailed as exc:
                    logger.error("Job %s failed: %s", task_name, exc)
                    _mark_done(
                        job_id,
                        JobStatus.FAILED,
                        log=captured.text(),
                        error=str(exc),
                        result=exc.result,
                    )
                    raise
                except Exception as exc:
                    attempt = int(self.request.retries or 0)
                    if retry_on and isinstance(exc, retry_on) and attempt < retries:
                        logger.warning("Job %s will be retried: %s", task_name, exc)
                        _mark_done(job_id, JobStatus.QUEUED, log=captured.text(), error=str(exc))
                        raise self.retry(exc=exc, countdown=retry_delay * 2**attempt) from exc
                    logger.exception("Job %s failed.", task_name)
                    _mark_done(
                        job_id,
                        JobStatus.FAILED,
                        log=captured.text(),
                        error=traceback.format_exc(),
                    )
                    raise
                _mark_done(job_id, JobStatus.SUCCEEDED, log=captured.text(), result=result)
                return result

        run.__name__ = func.__name__
        run.__qualname__ = func.__qualname__
        run.__doc__ = func.__doc__
        run.__module__ = func.__module__
        task: JobTask = shared_task(**options)(run)
        return task

    return decorate


@contextmanager
def _always() -> Iterator[bool]:
    yield True
