"""area_search: latency of GET /api/v1/areas/search/ through real HTTP, over all 91,599 areas.

gunicorn serves the project on a free local port against the bench database; a national admin
signs in with an API token and sends about 500 realistic prefixes (names cut after 3 to 8
letters, some lower-case, some with "Kab."/"Kota"/"Kec."/"Desa"/"Kel." in front). The healthz
endpoint (one SELECT 1, no authentication) is measured in the same run as the baseline.
Target: p95 under 20 ms.
"""

from __future__ import annotations

import http.client
import os
import random
import time
from urllib.parse import urlencode

from bench.common import Result, Server, ensure_areas, median, percentile

QUERIES = 500
WARMUP = 30
TARGET_P95_MS = 20.0
PREFIXES = {2: ["Kab. ", "Kabupaten ", "Kota "], 3: ["Kec. ", "Kecamatan "], 4: ["Desa ", "Kel. "]}


def _queries(count: int, seed: int = 20260101) -> list[str]:
    from waspada.geo.models import Area

    rng = random.Random(seed)
    names: dict[int, list[str]] = {}
    for level, name in Area.objects.values_list("level", "name").iterator(chunk_size=10000):
        names.setdefault(level, []).append(name)
    # Pickers mostly look for desa and kecamatan, now and then for a kab/kota or province.
    weights = {1: 0.05, 2: 0.2, 3: 0.3, 4: 0.45}
    queries = []
    for _ in range(count):
        level = rng.choices(list(weights), weights=list(weights.values()))[0]
        name = rng.choice(names[level])
        if level == 2:
            name = name.split(" ", 1)[-1]  # "Kabupaten Bandung" -> "Bandung"
        text = name[: rng.randint(3, 8)].rstrip()
        if rng.random() < 0.5:
            text = text.lower()
        if level in PREFIXES and rng.random() < 0.25:
            text = rng.choice(PREFIXES[level]) + text
        queries.append(text)
    return queries


def _token() -> str:
    from rest_framework.authtoken.models import Token

    from waspada.accounts.models import User
    from waspada.accounts.roles import Role

    user, _created = User.objects.get_or_create(
        username="bench-national", defaults={"role": Role.NATIONAL_ADMIN}
    )
    token, _created = Token.objects.get_or_create(user=user)
    return str(token.key)


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[float, int]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    return (time.perf_counter() - started) * 1000, response.status


def run() -> list[Result]:
    ensure_areas()
    token = _token()
    queries = _queries(QUERIES)
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    database_url = os.environ["DATABASE_URL"]  # the bench database, set by run.py
    with Server(database_url) as server:
        for query in queries[:WARMUP]:
            _get(server.port, "/api/v1/areas/search/?" + urlencode({"q": query}), headers)
            _get(server.port, "/healthz", {})
        search: list[float] = []
        baseline: list[float] = []
        empty = 0
        for query in queries:
            path = "/api/v1/areas/search/?" + urlencode({"q": query, "limit": 20})
            elapsed, status = _get(server.port, path, headers)
            if status != 200:
                raise RuntimeError(f"search for {query!r} answered {status}")
            search.append(elapsed)
            elapsed, status = _get(server.port, "/healthz", {})
            if status != 200:
                raise RuntimeError(f"healthz answered {status}")
            baseline.append(elapsed)
        for query in queries[:50]:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            connection.request(
                "GET", "/api/v1/areas/search/?" + urlencode({"q": query}), headers=headers
            )
            body = connection.getresponse().read()
            connection.close()
            empty += b'"count":0' in body
    p95 = percentile(search, 0.95)
    base95 = percentile(baseline, 0.95)
    print(f"  {len(search)} searches, e.g. {queries[:6]}; {empty} of 50 sampled found nothing")
    return [
        Result("area_search_p50", round(median(search), 2), "ms"),
        Result(
            "area_search_p95", round(p95, 2), "ms", f"< {TARGET_P95_MS:.0f}", p95 < TARGET_P95_MS
        ),
        Result("healthz_p50", round(median(baseline), 2), "ms"),
        Result("healthz_p95", round(base95, 2), "ms"),
        Result("area_search_p95_vs_healthz", round(p95 / base95, 2), "x"),
    ]
