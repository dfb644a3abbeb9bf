"""core.idempotency: a retried create lands once, whatever the timing."""

from __future__ import annotations

import datetime as dt
import importlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.apps import apps as django_apps
from django.db import connection, connections
from django.utils import timezone
from rest_framework.test import APIClient

from waspada.accounts.testing import make_persona
from waspada.core.errors import Conflict, InvalidInput
from waspada.core.idempotency import (
    KeyReused,
    Outcome,
    fingerprint_of,
    idempotent_create,
)
from waspada.core.models import AuditEntry, IdempotencyRecord
from waspada.events.models import Event, Item, Term
from waspada.reports.models import SituationReport
from waspada.reports.services import local_today, submit_report
from waspada.reports.testing import make_report

pytestmark = pytest.mark.django_db

ON_POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def seeded_terms(transactional_db):
    """The taxonomy seeded by migration, again: an earlier transactional test may have flushed it.

    (serialized_rollback cannot be used: after other tests' flushes the content types clash.)
    """
    if not Term.objects.exists():
        importlib.import_module("waspada.events.migrations.0003_seed_terms").seed(django_apps, None)


def _creator(calls: list[int], **fields):
    def create() -> Outcome:
        report = make_report("62.71", report_type="khusus", **fields)
        calls.append(report.pk)
        return Outcome.of(report, body={"id": report.pk, "title": report.title})

    return create


class TestIdempotentCreate:
    def test_it_runs_the_create_every_time_without_a_key(self, operator_6271):
        calls: list[int] = []
        for _ in range(2):
            idempotent_create(operator_6271, "t", None, "fp", _creator(calls))
        assert len(calls) == 2
        assert not IdempotencyRecord.objects.exists()

    def test_it_replays_the_first_answer_for_a_retry_and_creates_nothing(self, operator_6271):
        calls: list[int] = []
        fp = fingerprint_of({"title": "a"})
        first = idempotent_create(operator_6271, "t", "key-1", fp, _creator(calls, title="a"))
        again = idempotent_create(operator_6271, "t", "key-1", fp, _creator(calls, title="a"))
        assert len(calls) == 1
        assert SituationReport.objects.count() == 1
        assert first.replayed is False
        assert again.replayed is True
        assert (again.status_code, again.body) == (201, first.body)
        assert again.object_id == str(calls[0])
        record = IdempotencyRecord.objects.get()
        assert (record.status_code, record.object_type) == (201, "reports.situationreport")

    def test_it_refuses_the_same_key_with_a_different_body(self, operator_6271):
        calls: list[int] = []
        idempotent_create(operator_6271, "t", "key-1", fingerprint_of({"a": 1}), _creator(calls))
        with pytest.raises(KeyReused) as caught:
            idempotent_create(
                operator_6271, "t", "key-1", fingerprint_of({"a": 2}), _creator(calls)
            )
        assert caught.value.status_code == 422
        assert "isi yang berbeda" in caught.value.message
        assert len(calls) == 1

    def test_it_treats_the_same_body_with_reordered_keys_as_a_retry(self):
        assert fingerprint_of({"a": 1, "b": [1, 2]}) == fingerprint_of({"b": [1, 2], "a": 1})
        assert fingerprint_of({"a": 1}) != fingerprint_of({"a": "1"})

    @pytest.mark.parametrize("key", ["x" * 129, "dua kata", "kunci/miring", "kuncí", "a\nb"])
    def test_it_refuses_a_malformed_key(self, operator_6271, key):
        calls: list[int] = []
        with pytest.raises(InvalidInput) as caught:
            idempotent_create(operator_6271, "t", key, "fp", _creator(calls))
        assert "Idempotency-Key" in caught.value.errors
        assert calls == []

    def test_it_accepts_a_uuid_and_a_128_character_key(self, operator_6271):
        calls: list[int] = []
        for key in ["3f2b8c4e-7d1a-4c0e-9b5f-2a6d8e1c0f3a", "k" * 128]:
            idempotent_create(operator_6271, "t", key, "fp", _creator(calls))
        assert len(calls) == 2

    def test_it_stores_nothing_when_the_create_fails_so_a_corrected_retry_runs(self, operator_6271):
        def failing() -> Outcome:
            make_report("62.71", report_type="khusus")
            raise InvalidInput("salah", {"title": ["wajib"]})

        with pytest.raises(InvalidInput):
            idempotent_create(operator_6271, "t", "key-1", "fp-bad", failing)
        assert not SituationReport.objects.exists()
        assert not IdempotencyRecord.objects.exists()
        calls: list[int] = []
        idempotent_create(operator_6271, "t", "key-1", "fp-good", _creator(calls))
        assert len(calls) == 1

    def test_it_keeps_keys_apart_per_user_and_per_scope(self, operator_6271, analyst_62):
        calls: list[int] = []
        for user, scope in [(operator_6271, "a"), (operator_6271, "b"), (analyst_62, "a")]:
            idempotent_create(user, scope, "same", "fp", _creator(calls))
        assert len(calls) == 3


class TestStoredAfterTheCreate:
    """claim_first=False: one write, after the object; the same answers as claiming first."""

    def test_it_replays_the_first_answer_and_keeps_nothing_of_the_retry(self, operator_6271):
        calls: list[int] = []
        fp = fingerprint_of({"title": "a"})
        first = idempotent_create(
            operator_6271, "t", "key-1", fp, _creator(calls, title="a"), claim_first=False
        )
        again = idempotent_create(
            operator_6271, "t", "key-1", fp, _creator(calls, title="a"), claim_first=False
        )
        assert SituationReport.objects.get().pk == calls[0] == int(again.object_id)
        assert (first.replayed, again.replayed) == (False, True)
        assert (again.status_code, again.body) == (201, first.body)
        record = IdempotencyRecord.objects.get()
        assert (record.status_code, record.response) == (201, first.body)

    def test_a_retry_is_replayed_even_when_the_create_would_now_be_refused(self, operator_6271):
        calls: list[int] = []
        first = idempotent_create(
            operator_6271, "t", "key-1", "fp", _creator(calls), claim_first=False
        )

        def refused() -> Outcome:
            make_report("62.71", report_type="khusus")
            raise Conflict("Laporan sudah diajukan.")

        again = idempotent_create(operator_6271, "t", "key-1", "fp", refused, claim_first=False)
        assert again.replayed and again.body == first.body
        assert SituationReport.objects.count() == 1

    def test_it_refuses_the_same_key_with_a_different_body(self, operator_6271):
        calls: list[int] = []
        idempotent_create(
            operator_6271,
            "t",
            "key-1",
            fingerprint_of({"a": 1}),
            _creator(calls),
            claim_first=False,
        )
        with pytest.raises(KeyReused):
            idempotent_create(
                operator_6271,
                "t",
                "key-1",
                fingerprint_of({"a": 2}),
                _creator(calls),
                claim_first=False,
            )
        assert SituationReport.objects.count() == 1

    def test_it_stores_nothing_when_the_create_fails_so_a_corrected_retry_runs(self, operator_6271):
        def failing() -> Outcome:
            make_report("62.71", report_type="khusus")
            raise InvalidInput("salah", {"title": ["wajib"]})

        with pytest.raises(InvalidInput):
            idempotent_create(operator_6271, "t", "key-1", "fp-bad", failing, claim_first=False)
        assert not SituationReport.objects.exists()
        assert not IdempotencyRecord.objects.exists()
        calls: list[int] = []
        done = idempotent_create(
            operator_6271, "t", "key-1", "fp-good", _creator(calls), claim_first=False
        )
        assert not done.replayed and len(calls) == 1

    def test_an_item_retried_after_its_report_was_submitted_gets_its_first_answer(
        self, operator_6271
    ):
        report = make_report("62.71", created_by=operator_6271)
        client = APIClient()
        client.force_authenticate(operator_6271)
        body = {
            "title": "Bentrok antarkelompok pemuda di pasar",
            "chronology": "Dua kelompok pemuda saling lempar batu selepas pertandingan.",
            "occurred_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
            "area": "62.71.01",
        }
        url = f"/api/v1/reports/{report.pk}/items/"
        first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="butir-1")
        assert first.status_code == 201
        submit_report(report, actor=operator_6271)
        again = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="butir-1")
        assert (again.status_code, again.json()) == (201, first.json())
        assert again.headers["Idempotent-Replayed"] == "true"
        other = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="butir-2")
        assert other.status_code == 409
        assert Item.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_terms")
class TestConcurrentRetries:
    @pytest.mark.parametrize("claim_first", [True, False])
    def test_concurrent_retries_with_one_key_create_exactly_once(self, claim_first):
        user = make_persona("operator_6271")
        attempts, workers = 60, 20 if ON_POSTGRES else 1
        fp = fingerprint_of({"title": "sama"})
        barrier = threading.Barrier(workers, timeout=120)
        calls: list[int] = []
        lock = threading.Lock()

        def create() -> Outcome:
            report = make_report("62.71", report_type="khusus", title="sama")
            with lock:
                calls.append(report.pk)
            return Outcome.of(report, body={"id": report.pk})

        def attempt(index: int) -> Outcome:
            if ON_POSTGRES and index < workers:
                barrier.wait()
            try:
                return idempotent_create(user, "t", "key-race", fp, create, claim_first=claim_first)
            finally:
                if ON_POSTGRES:
                    connections.close_all()

        if ON_POSTGRES:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                outcomes = list(pool.map(attempt, range(attempts)))
        else:  # SQLite serialises writers: the same retries, one after another
            outcomes = [attempt(i) for i in range(attempts)]
        assert SituationReport.objects.count() == 1
        if claim_first:
            assert len(calls) == 1  # stored after the create: the losers ran it, and rolled back
        stored = SituationReport.objects.get().pk
        assert {o.body["id"] for o in outcomes} == {stored}
        assert sum(not o.replayed for o in outcomes) == 1


# ---------------------------------------------------------------- done when: 100 replays, one item


def _replay_concurrently(user, url: str, body: dict, key: str, times: int):
    """POST the same body with the same key `times` times; concurrently on PostgreSQL."""
    workers = min(32, times) if ON_POSTGRES else 1
    barrier = threading.Barrier(workers, timeout=120)

    def post(index: int):
        client = APIClient()
        client.force_authenticate(user)
        if ON_POSTGRES and index < workers:
            barrier.wait()
        try:
            return client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
        finally:
            if ON_POSTGRES:
                connections.close_all()

    if not ON_POSTGRES:  # SQLite serialises writers: the same retries, one after another
        return [post(i) for i in range(times)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(post, range(times)))


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_terms")
class TestReplayedCreatesOverTheApi:
    def test_the_same_item_posted_100_times_at_once_with_one_key_lands_once(self):
        user = make_persona("operator_6271")
        report = make_report("62.71", created_by=user)
        body = {
            "title": "Bentrok antarkelompok pemuda di pasar",
            "chronology": "Dua kelompok pemuda saling lempar batu selepas pertandingan.",
            "occurred_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
            "area": "62.71.01",
            "aspect": "ekonomi",
            "injured_light": 3,
        }
        responses = _replay_concurrently(
            user, f"/api/v1/reports/{report.pk}/items/", body, "butir-bentrok-1", 100
        )
        assert [r.status_code for r in responses] == [201] * 100
        assert Item.objects.count() == 1
        assert Event.objects.count() == 1
        item = Item.objects.get()
        assert {r.json()["id"] for r in responses} == {item.pk}
        assert sum("Idempotent-Replayed" not in r.headers for r in responses) == 1
        assert AuditEntry.objects.filter(action="item.recorded").count() == 1
        assert IdempotencyRecord.objects.count() == 1

    def test_the_same_report_with_items_posted_30_times_at_once_lands_once(self):
        user = make_persona("operator_6271")
        body = {
            "report_type": "harian",
            "area": "62.71",
            "period_start": str(local_today("62.71")),
            "items": [
                {
                    "title": "Unjuk rasa menolak tambang",
                    "chronology": "Warga berkumpul di depan kantor bupati.",
                    "occurred_at": (timezone.now() - dt.timedelta(hours=2)).isoformat(),
                    "area": "62.71.02",
                    "aspect": "ekonomi",
                }
            ],
        }
        responses = _replay_concurrently(user, "/api/v1/reports/", body, "lap-harian-1", 30)
        assert [r.status_code for r in responses] == [201] * 30
        assert SituationReport.objects.count() == 1
        assert Item.objects.count() == 1
        assert len({r.content for r in responses}) == 1
