"""lapsitda_api: items created per second through the API, against gunicorn and the bench database.

gunicorn (2 workers) serves the project; 8 client threads, each with its own daily report of
Kota Palangka Raya (62.71), POST items to /api/v1/reports/<id>/items/ with token authentication
and an Idempotency-Key, as a phone would. Measured: items per second over the whole run and the
latency of each request (p50, p95). Targets: at least 150 items/s, p95 under 200 ms.

In the same run the same rows are inserted straight through psycopg (8 threads, one connection
each, one transaction per item inserting its event and its item, no checks and no audit) to show
what the database alone allows; the ratio of the two rates is printed. Everything created is
removed afterwards.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import threading
import time
import uuid
from typing import Any

from bench.common import Result, Server, ensure_areas, median, percentile
from bench.lapsitda_common import AREA, bench_operator, cleanup, item_rows, past_days

CLIENTS = 8
ITEMS_PER_CLIENT = 100
WARMUP_PER_CLIENT = 5
TARGET_RATE = 150.0
TARGET_P95_MS = 200.0


def _post(port: int, path: str, token: str, body: dict[str, Any]) -> tuple[float, int, bytes]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            "POST",
            path,
            body=json.dumps(body),
            headers={
                "Authorization": f"Token {token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Idempotency-Key": uuid.uuid4().hex,
            },
        )
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    return (time.perf_counter() - started) * 1000, response.status, data


def _run_clients(
    work: list[list[dict[str, Any]]], send: Any
) -> tuple[float, list[float], list[str]]:
    """Run one thread per list of `work`; returns (wall seconds, latencies in ms, errors)."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(len(work) + 1)

    def client(index: int, rows: list[dict[str, Any]]) -> None:
        mine: list[float] = []
        start.wait()
        for row in rows:
            try:
                mine.append(send(index, row))
            except Exception as exc:  # noqa: BLE001 (any failure is reported, not raised in a thread)
                with lock:
                    errors.append(repr(exc))
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(i, rows)) for i, rows in enumerate(work)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, latencies, errors


def _direct_inserter(database_url: str, report_ids: list[int], user_id: int) -> Any:
    """A `send` function inserting an event and an item straight through psycopg."""
    import psycopg
    from django.utils import timezone

    from waspada.events.models import Event, Item, Term

    term_ids = {(t.axis, t.code): t.pk for t in Term.objects.all()}
    axes = {
        "aspect": "aspect",
        "athg": "athg",
        "uu7_source": "uu7_source",
        "snpk": "snpk",
        "acled_type": "acled_type",
        "acled_subtype": "acled_subtype",
        "source_reliability": "source_reliability",
        "info_credibility": "info_credibility",
    }
    item_columns = [
        f.column for f in Item._meta.concrete_fields if not f.primary_key and f.column is not None
    ]
    item_sql = (
        f"INSERT INTO {Item._meta.db_table} ({', '.join(item_columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(item_columns))})"
    )
    event_sql = (
        f"INSERT INTO {Event._meta.db_table} (area_id, title, status, classification, "  # noqa: S608
        "first_occurred_at, last_occurred_at, created_by_id, created_at, updated_at, version) "
        "VALUES (%s, %s, 'open', 'biasa', %s, %s, %s, %s, %s, 1) RETURNING id"
    )
    local = threading.local()

    def send(index: int, row: dict[str, Any]) -> float:
        if not hasattr(local, "connection"):
            local.connection = psycopg.connect(database_url)
        started = time.perf_counter()
        now = timezone.now()
        at = dt.datetime.fromisoformat(row["occurred_at"])
        values: dict[str, Any] = {
            "report_id": report_ids[index],
            "kind": "new",
            "status": "draft",
            "classification": "biasa",
            "occurred_at": at,
            "time_precision": "exact",
            "area_id": row["area"],
            "latitude": None,
            "longitude": None,
            "location_precision": "district",
            "crowd_size": row["crowd_size"],
            "loss_rupiah": 0,
            "obtained_at": None,
            "trend": row["trend"],
            "election_type_id": None,
            "election_stage_id": None,
            "created_by_id": user_id,
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        for name, axis in axes.items():
            values[f"{name}_id"] = term_ids[(axis, row[name])]
        with local.connection.transaction():
            event_id = local.connection.execute(
                event_sql, [row["area"], row["title"], at, at, user_id, now, now]
            ).fetchone()[0]
            values["event_id"] = values["original_event_id"] = event_id
            params = []
            for column in item_columns:
                if column in values:
                    params.append(values[column])
                elif column in row:
                    params.append(row[column])
                else:
                    params.append(0 if column in _COUNTS else "")
            local.connection.execute(item_sql, params)
        return (time.perf_counter() - started) * 1000

    return send


_COUNTS = {
    "deaths",
    "injured_serious",
    "injured_light",
    "abducted",
    "sexual_violence",
    "displaced",
    "houses_damaged",
    "public_buildings_damaged",
    "worship_places_damaged",
}


def run() -> list[Result]:
    ensure_areas()
    user, token = bench_operator()
    cleanup()
    database_url = os.environ["DATABASE_URL"]  # the bench database, set by run.py
    days = past_days(CLIENTS, ending_days_ago=2)
    total = CLIENTS * (ITEMS_PER_CLIENT + WARMUP_PER_CLIENT)
    rows = item_rows(total, days, seed=20260301)
    try:
        with Server(database_url) as server:
            report_ids = []
            for day in days:
                _ms, status, data = _post(
                    server.port,
                    "/api/v1/reports/",
                    token,
                    {"report_type": "harian", "area": AREA, "period_start": day.isoformat()},
                )
                if status != 201:
                    raise RuntimeError(f"creating a report answered {status}: {data[:300]!r}")
                report_ids.append(json.loads(data)["id"])
            # Client i files items of day i into report i.
            work = [[r for r in rows if r["occurred_at"][:10] == day.isoformat()] for day in days]

            def send(index: int, row: dict[str, Any]) -> float:
                path = f"/api/v1/reports/{report_ids[index]}/items/"
                elapsed, status, data = _post(server.port, path, token, row)
                if status != 201:
                    raise RuntimeError(f"item answered {status}: {data[:300]!r}")
                return elapsed

            warm = [w[:WARMUP_PER_CLIENT] for w in work]
            timed = [w[WARMUP_PER_CLIENT:] for w in work]
            _run_clients(warm, send)
            wall, latencies, errors = _run_clients(timed, send)
        if errors:
            raise RuntimeError(f"{len(errors)} requests failed, e.g. {errors[:3]}")
        created = len(latencies)
        api_rate = created / wall
        direct_send = _direct_inserter(
            database_url.replace("postgres://", "postgresql://", 1), report_ids, user.pk
        )
        direct_wall, direct_latencies, direct_errors = _run_clients(timed, direct_send)
        if direct_errors:
            raise RuntimeError(f"direct inserts failed, e.g. {direct_errors[:3]}")
        direct_rate = len(direct_latencies) / direct_wall
    finally:
        cleanup()
    p95 = percentile(latencies, 0.95)
    print(
        f"  {created} items by {CLIENTS} clients in {wall:.1f} s through the API; "
        f"{len(direct_latencies)} straight through psycopg in {direct_wall:.1f} s "
        f"(the API reaches {api_rate / direct_rate:.0%} of the direct rate; direct is "
        f"{direct_rate / api_rate:.1f}x)"
    )
    return [
        Result(
            "lapsitda_api_items_per_s",
            round(api_rate, 1),
            "items/s",
            f">= {TARGET_RATE:.0f}",
            api_rate >= TARGET_RATE,
        ),
        Result("lapsitda_api_p50", round(median(latencies), 1), "ms"),
        Result(
            "lapsitda_api_p95", round(p95, 1), "ms", f"< {TARGET_P95_MS:.0f}", p95 < TARGET_P95_MS
        ),
        Result("lapsitda_psycopg_items_per_s", round(direct_rate, 1), "items/s"),
        Result("lapsitda_psycopg_vs_api", round(direct_rate / api_rate, 2), "x"),
    ]
