"""POST /api/v1/reports/<id>/items/: a query budget, and the fast path answers and logs exactly
what the item looks like when read back (response body, audit entries, event window)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from waspada.accounts.models import User
from waspada.core.idempotency import _jsonable
from waspada.core.models import AuditEntry
from waspada.events import services as event_services
from waspada.events.models import Event, Item
from waspada.events.selectors import with_item_details
from waspada.reports.api.serializers import ReportItemSerializer
from waspada.reports.models import SituationReport
from waspada.reports.testing import make_report

pytestmark = pytest.mark.django_db

# Token with the caller's scope, report; the report lock (with the taxonomy stamp: terms come
# from the process's copy), area; event and item; the audit head lock, the entries with the head
# update (one statement on PostgreSQL, two elsewhere); the idempotency record with its answer;
# and the transaction around them (no inner savepoint).
ITEM_CREATE_BUDGET = 12


def token_client(user: User) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def bench_like(**extra: Any) -> dict[str, Any]:
    """What bench/lapsitda_api.py posts (see bench/lapsitda_common.item_rows)."""
    data: dict[str, Any] = {
        "title": "Unjuk rasa warga menolak perluasan kebun sawit #1",
        "chronology": "Sekitar 200 warga berkumpul; aparat keamanan berjaga di lokasi.",
        "occurred_at": (timezone.now() - dt.timedelta(hours=3))
        .astimezone(dt.timezone(dt.timedelta(hours=7)))
        .isoformat(),
        "area": "62.71.02",
        "place": "Depan kantor desa",
        "crowd_size": 200,
        "injured_light": 1,
        "houses_damaged": 0,
        "acled_type": "protests",
        "acled_subtype": "peaceful-protest",
        "source": "Kepala desa",
        "source_reliability": "b",
        "info_credibility": "2",
        "trend": "rising",
        "aspect": "ekonomi",
        "athg": "gangguan",
        "uu7_source": "polekbud",
        "snpk": "sumber-daya",
    }
    data.update(extra)
    return data


def post(client: APIClient, report: SituationReport, data: dict[str, Any], key: str) -> Any:
    return client.post(
        f"/api/v1/reports/{report.pk}/items/", data, format="json", HTTP_IDEMPOTENCY_KEY=key
    )


def read_back(pk: int) -> Item:
    item: Item = with_item_details(Item.objects.all()).prefetch_related("attachments").get(pk=pk)
    return item


def test_it_creates_an_item_within_the_query_budget(operator_6271):
    report = make_report("62.71", created_by=operator_6271)
    client = token_client(operator_6271)
    assert post(client, report, bench_like(), "warm-up").status_code == 201
    with CaptureQueriesContext(connection) as queries:
        response = post(client, report, bench_like(title="Kedua"), "budget-1")
    assert response.status_code == 201, response.json()
    assert len(queries.captured_queries) <= ITEM_CREATE_BUDGET, "\n".join(
        q["sql"][:120] for q in queries.captured_queries
    )


def test_it_answers_what_the_item_reads_back_as(operator_6271, django_assert_max_num_queries):
    report = make_report("62.71", created_by=operator_6271)
    client = token_client(operator_6271)
    data = bench_like(
        actors=[
            {"name": "Warga Desa A", "actor_type": "warga", "crowd_size": 150},
            {"name": "PT Sawit Jaya", "role": "perusahaan"},
        ],
        election_issues=["intimidasi", "politik-uang", "intimidasi"],
    )
    assert post(client, report, bench_like(), "warm-up").status_code == 201  # the audit head
    # One INSERT for the actors, one for the election issues.
    with django_assert_max_num_queries(ITEM_CREATE_BUDGET + 2):
        response = post(client, report, data, "same-as-read-back")
    assert response.status_code == 201, response.json()
    body = response.json()
    item = read_back(body["id"])
    assert body == _jsonable(ReportItemSerializer(item).data)
    assert [a["name"] for a in body["actors"]] == ["Warga Desa A", "PT Sawit Jaya"]
    assert body["election_issues"] == ["politik-uang", "intimidasi"]
    replay = post(client, report, data, "same-as-read-back")
    assert replay.json() == body


def test_it_logs_the_item_and_its_new_event_as_before(operator_6271):
    report = make_report("62.71", created_by=operator_6271)
    item = event_services.record_item(
        report,
        actor=operator_6271,
        data=bench_like(actors=[{"name": "Warga", "actor_type": "warga"}]),
    )
    opened, recorded = AuditEntry.objects.order_by("-seq")[:2][::-1]
    assert (opened.action, recorded.action) == ("event.opened", "item.recorded")
    assert (opened.object_type, opened.object_id) == ("events.event", str(item.event_id))
    assert (recorded.object_type, recorded.object_id) == ("events.item", str(item.pk))
    assert recorded.prev_hash == opened.hash
    # The snapshot the slow path took: the item's fields, then actors and issues from the database.
    assert recorded.after == _jsonable(event_services.item_snapshot(item))
    event = Event.objects.get(pk=item.event_id)
    assert (opened.after or {})["classification"] == event.classification
    assert opened.classification == recorded.classification == item.classification
    # The new event already holds what refresh_event would compute.
    before = Event.objects.filter(pk=event.pk).values().get()
    event_services.refresh_event(event.pk)
    assert Event.objects.filter(pk=event.pk).values().get() == before


def test_a_development_moves_its_event_window(operator_6271):
    report = make_report("62.71", created_by=operator_6271)
    first = event_services.record_item(report, actor=operator_6271, data=bench_like())
    later = timezone.now() - dt.timedelta(minutes=30)
    event_services.record_item(
        report,
        actor=operator_6271,
        data=bench_like(event=first.event_id, occurred_at=later.isoformat(), title="Lanjutan"),
    )
    event = Event.objects.get(pk=first.event_id)
    assert event.last_occurred_at == later
    assert event.first_occurred_at == first.occurred_at
