"""Background jobs: each run recorded in core.Job, inside a job context; the periodic jobs."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection, connections, transaction
from django.utils import timezone

from config.celery import app
from waspada.core import audit
from waspada.core.jobs import JobFailed, _lock_key, job, report_progress
from waspada.core.models import AuditEntry, Job, JobStatus
from waspada.core.tasks import clear_expired_sessions, verify_audit_chain

logger = logging.getLogger("waspada.tests.jobs")
CALLS: list[str] = []


@job(name="tests.add_numbers")
def add_numbers(a: int, b: int) -> dict[str, int]:
    logger.info("adding %d and %d", a, b)
    report_progress(50)
    CALLS.append("add")
    return {"sum": a + b}


@job(name="tests.write_audit")
def write_audit(object_id: int) -> None:
    audit.record(actor=None, action="test.touched", object_type="test.thing", object_id=object_id)


@job(name="tests.explode")
def explode() -> None:
    logger.info("about to fail")
    raise ValueError("boom")


@job(name="tests.refuse")
def refuse() -> None:
    raise JobFailed("nothing to do here", result={"checked": 3})


FLAKY: dict[str, int] = {"failures_left": 0}


@job(name="tests.flaky", retries=2, retry_on=(ConnectionError,), retry_delay=0)
def flaky() -> str:
    if FLAKY["failures_left"] > 0:
        FLAKY["failures_left"] -= 1
        raise ConnectionError("transient")
    return "done"


@job(name="tests.exclusive", exclusive=True)
def exclusive_job() -> str:
    return "ran"


@pytest.fixture(autouse=True)
def _reset_calls():
    CALLS.clear()


@pytest.mark.django_db
class TestJobWrapper:
    def test_it_records_a_successful_run_with_result_progress_and_log(self):
        outcome = add_numbers.delay(2, 3)
        row = Job.objects.get(pk=outcome.id)
        assert outcome.get() == {"sum": 5}
        assert row.name == "tests.add_numbers"
        assert row.status == JobStatus.SUCCEEDED
        assert row.result == {"sum": 5}
        assert row.progress == 100
        assert row.started_at is not None
        assert row.finished_at is not None
        assert row.started_at <= row.finished_at
        assert "adding 2 and 3" in row.log
        assert row.error == ""

    def test_it_records_a_failure_with_its_traceback_and_log(self):
        with pytest.raises(ValueError, match="boom"):
            explode.apply_async(task_id="job-explode-1")
        row = Job.objects.get(pk="job-explode-1")
        assert row.status == JobStatus.FAILED
        assert "ValueError: boom" in row.error
        assert "about to fail" in row.log
        assert row.finished_at is not None

    def test_it_records_a_refusal_with_its_message_and_result(self):
        with pytest.raises(JobFailed):
            refuse.apply_async(task_id="job-refuse-1")
        row = Job.objects.get(pk="job-refuse-1")
        assert row.status == JobStatus.FAILED
        assert row.error == "nothing to do here"
        assert row.result == {"checked": 3}

    def test_it_marks_audit_entries_with_the_job_id(self):
        outcome = write_audit.delay(7)
        entry = AuditEntry.objects.get(action="test.touched")
        assert entry.job_id == outcome.id
        assert entry.request_id == ""

    def test_it_does_not_run_a_job_that_already_succeeded_again(self):
        add_numbers.apply_async(args=(1, 1), task_id="job-once")
        again = add_numbers.apply_async(args=(1, 1), task_id="job-once")
        assert CALLS == ["add"]
        assert again.get() == {"sum": 2}
        assert Job.objects.filter(pk="job-once").count() == 1

    def test_it_retries_declared_errors_under_the_same_job_row(self):
        # Eager mode re-raises Retry when exceptions propagate, so run this one without throwing.
        FLAKY["failures_left"] = 1
        outcome = flaky.apply(task_id="job-flaky", throw=False)
        assert outcome.get() == "done"
        row = Job.objects.get(pk="job-flaky")
        assert row.status == JobStatus.SUCCEEDED
        assert Job.objects.filter(name="tests.flaky").count() == 1

    def test_it_fails_once_the_declared_retries_are_used_up(self):
        FLAKY["failures_left"] = 5
        outcome = flaky.apply(task_id="job-flaky-2", retries=2, throw=False)
        assert outcome.failed()
        row = Job.objects.get(pk="job-flaky-2")
        assert row.status == JobStatus.FAILED
        assert "ConnectionError: transient" in row.error
        FLAKY["failures_left"] = 0


@pytest.mark.django_db(transaction=True)
class TestEnqueue:
    def test_it_writes_a_queued_row_and_runs_only_after_commit(self):
        with transaction.atomic():
            job_id = add_numbers.enqueue(a=4, b=5)
            assert Job.objects.get(pk=job_id).status == JobStatus.QUEUED
            assert CALLS == []
        row = Job.objects.get(pk=job_id)
        assert row.status == JobStatus.SUCCEEDED
        assert row.result == {"sum": 9}

    def test_it_leaves_neither_row_nor_run_when_the_transaction_rolls_back(self):
        with pytest.raises(RuntimeError), transaction.atomic():
            job_id = add_numbers.enqueue(a=1, b=2)
            raise RuntimeError("service failed")
        assert not Job.objects.filter(pk=job_id).exists()
        assert CALLS == []

    def test_it_records_who_asked_and_for_which_area(self, analyst_62):
        job_id = add_numbers.enqueue_for(actor=analyst_62, area_code="62", kwargs={"a": 1, "b": 1})
        row = Job.objects.get(pk=job_id)
        assert row.created_by == analyst_62
        assert row.area_code == "62"
        assert row.status == JobStatus.SUCCEEDED


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")
def test_an_exclusive_job_skips_while_another_run_holds_its_lock():
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_lock_key("tests.exclusive")])
        outcome = exclusive_job.delay()
        row = Job.objects.get(pk=outcome.id)
        assert row.status == JobStatus.SUCCEEDED
        assert row.result == {"skipped": True}
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_lock_key("tests.exclusive")])
        assert exclusive_job.delay().get() == "ran"
    finally:
        other.close()


@pytest.mark.django_db
class TestPeriodicJobs:
    def test_the_beat_schedule_names_registered_tasks(self):
        app.loader.import_default_modules()
        scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
        assert {"core.verify_audit_chain", "core.clear_expired_sessions"} <= scheduled
        assert scheduled <= set(app.tasks)

    def test_verify_audit_chain_records_an_intact_log(self):
        for i in range(3):
            audit.record(actor=None, action="test.changed", object_type="test.thing", object_id=i)
        outcome = verify_audit_chain.delay()
        row = Job.objects.get(pk=outcome.id)
        assert row.status == JobStatus.SUCCEEDED
        assert row.result == {"ok": True, "checked": 3, "first_bad_seq": None, "reason": ""}

    def test_verify_audit_chain_fails_and_logs_an_error_when_the_log_was_edited(self, caplog):
        for i in range(3):
            audit.record(actor=None, action="test.changed", object_type="test.thing", object_id=i)
        AuditEntry.objects.filter(seq=2).update(action="test.forged")
        with caplog.at_level(logging.ERROR), pytest.raises(JobFailed):
            verify_audit_chain.apply_async(task_id="job-verify-broken")
        row = Job.objects.get(pk="job-verify-broken")
        assert row.status == JobStatus.FAILED
        assert "#2" in row.error
        assert row.result is not None
        assert row.result["first_bad_seq"] == 2
        assert any(r.levelno == logging.ERROR and "#2" in r.getMessage() for r in caplog.records)

    def test_clear_expired_sessions_removes_only_expired_sessions(self):
        for key, offset in (("old", -1), ("fresh", 1)):
            store = SessionStore()
            store["who"] = key
            store.set_expiry(timezone.now() + timedelta(days=offset))
            store.save()
        outcome = clear_expired_sessions.delay()
        assert Session.objects.count() == 1
        row = Job.objects.get(pk=outcome.id)
        assert row.status == JobStatus.SUCCEEDED
        assert row.result == {"removed": 1}
