"""risk_map: the early-warning map requests and the nightly recompute, at 200,000 and 2,000,000
items.

Issue 4's target: on PostgreSQL with 2,000,000 verified items over five years in all 514 kab/kota,
the national map request (`GET /api/v1/risk/areas/?date=…&period=30`, all 514 kab/kota in one
page) has a p95 under 150 ms warm and the province map (`?parent=62`) under 50 ms; the same at
200,000 items, the 2M p95 within 1.5 times the 200k p95; recomputing every province and kab/kota
(`waspada.warnings.pipeline.recompute_all(day)`) takes under 60 s.

Each size has its own database, made and kept by bench/risk_data.py (see there for the data; the
first run generates it and takes minutes, later runs reuse it). Per size, a child process
(`python -m bench.risk_data`) prepares the database: items, `aggregates.rebuild()` (timed, no
target; only when the data is new), the score history, then `recompute_all` for the last day of
the data (timed: the recompute target). Then gunicorn (2 workers) serves that database and a
national admin sends, one after another, 20 warm-up requests and 200 timed requests of the
national map, then the same for the province map of Kalimantan Tengah (62). Every answer must be
200; the national one must list 514 kab/kota, the province one every kab/kota of 62.

Needs PostgreSQL (DATABASE_URL=postgres://…); on SQLite it prints why and reports nothing.
WASPADA_BENCH_RISK_SIZES="20k=20000" runs other sizes (a quick check; ratios need 200k and 2m);
WASPADA_BENCH_RISK_REBUILD=1 times `aggregates.rebuild()` again on kept data.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
from typing import Any

from bench.common import (
    ROOT,
    Result,
    Server,
    ensure_postgres_database,
    median,
    percentile,
)
from bench.risk_data import database_url

SIZES = [("200k", 200_000), ("2m", 2_000_000)]
WARMUP = 20
REQUESTS = 200
PERIOD = 30
PROVINCE = "62"
TARGET_NATIONAL_P95_MS = 150.0
TARGET_PROVINCE_P95_MS = 50.0
TARGET_RATIO = 1.5
TARGET_RECOMPUTE_S = 60.0


def _sizes() -> list[tuple[str, int]]:
    wanted = os.environ.get("WASPADA_BENCH_RISK_SIZES", "").strip()
    if not wanted:
        return SIZES
    sizes = []
    for part in wanted.split(","):
        label, _sep, count = part.partition("=")
        sizes.append((label.strip(), int(count)))
    return sizes


def _prepare(url: str, items: int) -> dict[str, Any]:
    """Run bench/risk_data.py for one database in a child process; its figures."""
    ensure_postgres_database(url)
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "bench.risk_data", "--url", url, "--items", str(items)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    result: dict[str, Any] | None = None
    tail: list[str] = []
    for line in process.stdout:
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT ") :])
        else:
            print(line, end="", flush=True)
            tail = [*tail[-30:], line]
    if process.wait() != 0 or result is None:
        raise RuntimeError(f"preparing {url} failed:\n{''.join(tail)}")
    return result


def _get(port: int, path: str, token: str) -> tuple[float, int, bytes]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(
            "GET", path, headers={"Authorization": f"Token {token}", "Accept": "application/json"}
        )
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    return (time.perf_counter() - started) * 1000, response.status, data


def _areas(data: bytes) -> list[dict[str, Any]]:
    body = json.loads(data)
    rows = body["results"] if isinstance(body, dict) else body
    if isinstance(body, dict) and body.get("next"):
        raise RuntimeError("the map answer has a next page: raise page_size")
    return list(rows)


def _measure(port: int, path: str, token: str, expected: int) -> list[float]:
    """WARMUP then REQUESTS sequential GETs of `path`; latencies (ms) of the timed ones."""
    latencies = []
    for number in range(WARMUP + REQUESTS):
        elapsed, status, data = _get(port, path, token)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {data[:300]!r}")
        if number in (0, WARMUP + REQUESTS - 1):
            areas = _areas(data)
            if len(areas) != expected:
                raise RuntimeError(f"GET {path} listed {len(areas)} areas, expected {expected}")
        if number >= WARMUP:
            latencies.append(elapsed)
    return latencies


def _province_kabkota(url: str) -> int:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as connection:
        row = connection.execute(
            "SELECT count(*) FROM geo_area WHERE level = 2 AND code LIKE %s", [f"{PROVINCE}.%"]
        ).fetchone()
    return int(row[0]) if row else 0


def _run_size(label: str, items: int) -> dict[str, Any]:
    url = database_url(label, os.environ["DATABASE_URL"])  # the bench database, set by run.py
    print(f"  [{label}: {items:,} items in {url.rsplit('/', 1)[-1]}]", flush=True)
    figures = _prepare(url, items)
    day = figures["day"]
    token = figures["token"]
    national = f"/api/v1/risk/areas/?date={day}&period={PERIOD}&page_size=1000"
    province = f"{national}&parent={PROVINCE}"
    with Server(url) as server:
        figures["national"] = _measure(server.port, national, token, 514)
        figures["province"] = _measure(server.port, province, token, _province_kabkota(url))
    national_ms, province_ms = figures["national"], figures["province"]
    print(
        f"  {label}: national p50 {median(national_ms):.1f} ms, "
        f"p95 {percentile(national_ms, 0.95):.1f} ms; province {PROVINCE} p50 "
        f"{median(province_ms):.1f} ms, p95 {percentile(province_ms, 0.95):.1f} ms; "
        f"recompute_all {figures['recompute_s']:.1f} s ({figures['scored_kabkota']} kab/kota, "
        f"levels {figures['levels']}); {figures['history_rows']:,} RiskScore rows",
        flush=True,
    )
    return figures


def run() -> list[Result]:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("  skipped: needs PostgreSQL (DATABASE_URL=postgres://...)")
        return []
    results: list[Result] = []
    p95s: dict[str, dict[str, float]] = {}
    for label, items in _sizes():
        figures = _run_size(label, items)
        national_p95 = percentile(figures["national"], 0.95)
        province_p95 = percentile(figures["province"], 0.95)
        p95s[label] = {"national": national_p95, "province": province_p95}
        recompute = figures["recompute_s"]
        results += [
            Result(f"risk_map_national_p50_{label}", round(median(figures["national"]), 1), "ms"),
            Result(
                f"risk_map_national_p95_{label}",
                round(national_p95, 1),
                "ms",
                f"< {TARGET_NATIONAL_P95_MS:.0f}",
                national_p95 < TARGET_NATIONAL_P95_MS,
            ),
            Result(f"risk_map_province_p50_{label}", round(median(figures["province"]), 1), "ms"),
            Result(
                f"risk_map_province_p95_{label}",
                round(province_p95, 1),
                "ms",
                f"< {TARGET_PROVINCE_P95_MS:.0f}",
                province_p95 < TARGET_PROVINCE_P95_MS,
            ),
            Result(
                "risk_recompute_all_s" if label == "2m" else f"risk_recompute_all_s_{label}",
                round(recompute, 1),
                "s",
                f"< {TARGET_RECOMPUTE_S:.0f}",
                recompute < TARGET_RECOMPUTE_S,
            ),
        ]
        if figures.get("rebuild_s") is not None:
            if not figures["rebuilt"]:
                print(f"  ({label}: rebuild time from when the data was made)")
            results.append(Result(f"risk_rebuild_s_{label}", round(figures["rebuild_s"], 1), "s"))
    if "2m" in p95s and "200k" in p95s:
        for kind in ("national", "province"):
            ratio = p95s["2m"][kind] / p95s["200k"][kind]
            results.append(
                Result(
                    f"risk_map_{kind}_p95_ratio_2m_200k",
                    round(ratio, 2),
                    "x",
                    f"<= {TARGET_RATIO}",
                    ratio <= TARGET_RATIO,
                )
            )
    return results
