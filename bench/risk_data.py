"""Data for the risk_map benchmark: N verified items over five years in all 514 kab/kota.

Each size lives in its own PostgreSQL database next to the bench database (`<bench db>_risk200k`,
`<bench db>_risk2m`), kept between runs: generation is skipped when the database already holds the
expected number of verified items and the marker row (table `bench_risk_marker`) carries the same
data version. Nothing here is the measured path: events, items (and the verified monthly report
per kab/kota per month their NOT NULL report FK needs) are written straight with psycopg COPY, with
foreign-key triggers off and the item indexes dropped and rebuilt around the load.

The data, from a seeded generator (the same every run):
- five years (1,826 days) ending the day before generation, in every kab/kota; an item's place is
  one of that kab/kota's desa (70 %), kecamatan (20 %) or the kab/kota itself (10 %);
- areas weighted log-normally, a dozen hot areas six times busier, a slow upward trend, bursts of
  5-30 days at 4-12 times the usual rate in each area, and busier months around the 2024 Pemilu and
  Pilkada;
- events of 1-12 items (mean about 1.8) over a few days; impacts mostly 0, larger for battles,
  riots and violence against civilians; terms of the seeded taxonomy on every axis (ACLED sub-type
  under its type, election type, stage and issues for election items); 9 % terbatas, 3 % rahasia.

After the load (and on every run) `python -m bench.risk_data` (run in a child process per
database by bench/risk_map.py, so Django talks to that database only):
1. `waspada.warnings.aggregates.rebuild()`, timed, when the data was just generated (or never
   rebuilt, or WASPADA_BENCH_RISK_REBUILD=1);
2. once per data set: `pipeline.recompute_all(day - 30)`, then the RiskScore history of every other
   day of the five years for every province and kab/kota copied (COPY) from the engine's own rows
   of day - 30 (same columns and explanation, score varied), so the table has its real size;
3. every run: `pipeline.recompute_all(day)`, timed: the recompute target (under 60 s);
4. a national admin with an API token for the map requests.
It prints one line `RESULT {json}` with the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATA_VERSION = "risk-data-1"
DAYS = 1826
SEED = 20260404
ADMIN = "bench-risk-national-admin"
HISTORY_LEVELS = (1, 2)  # provinces and kab/kota get a RiskScore row every day

TITLES = [
    "Unjuk rasa warga menolak perluasan kebun sawit",
    "Sengketa batas lahan antarwarga",
    "Penertiban tambang emas tanpa izin",
    "Hoaks tentang kelompok agama di media sosial",
    "Perkelahian antarkelompok pemuda",
    "Mogok kerja buruh perkebunan",
    "Pemalangan jalan perusahaan oleh warga adat",
    "Bentrokan pendukung calon kepala desa",
    "Penyerangan pos keamanan oleh kelompok bersenjata",
    "Aksi main hakim sendiri terhadap terduga pencuri",
]
# ACLED type code -> (share of events, violent)
ACLED_TYPES = {
    "protests": (0.40, False),
    "strategic-developments": (0.22, False),
    "riots": (0.18, True),
    "violence-against-civilians": (0.12, True),
    "battles": (0.05, True),
    "explosions": (0.03, True),
}
RELIABILITY_WEIGHTS = {"a": 8, "b": 30, "c": 35, "d": 12, "e": 5, "f": 10}
CREDIBILITY_WEIGHTS = {"1": 10, "2": 35, "3": 30, "4": 12, "5": 5, "6": 8}
# (first day, last day, extra factor, election type code) of national election seasons.
ELECTIONS = [
    (dt.date(2024, 1, 1), dt.date(2024, 3, 20), 1.6, "pemilu"),
    (dt.date(2024, 9, 20), dt.date(2024, 12, 20), 1.5, "pilkada"),
]


# --------------------------------------------------------------------------- databases


def database_url(label: str, base: str) -> str:
    """The database of one data size next to the bench database `base`: `<bench db>_risk<label>`.

    Under bench/run.py pass `os.environ["DATABASE_URL"]` (run.py has set it to the bench
    database), not `bench_database_url()`, which would add `_bench` a second time.
    """
    if not base.startswith(("postgres://", "postgresql://")):
        raise RuntimeError("the risk_map benchmark needs PostgreSQL (DATABASE_URL=postgres://...)")
    parts = urlsplit(base)
    name = parts.path.lstrip("/")
    return urlunsplit(parts._replace(path=f"/{name}_risk{label}"))


def _psycopg_url(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def _scalar(connection: Any, sql: str, params: list[Any] | None = None) -> Any:
    row = connection.execute(sql, params).fetchone()
    return row[0] if row else None


def _marker(connection: Any) -> dict[str, Any] | None:
    connection.execute(
        "CREATE TABLE IF NOT EXISTS bench_risk_marker (id int PRIMARY KEY, version text NOT NULL,"
        " items bigint NOT NULL, end_day date NOT NULL, generated_at timestamptz NOT NULL,"
        " generate_seconds float NOT NULL, rebuild_seconds float, history_rows bigint)"
    )
    row = connection.execute(
        "SELECT version, items, end_day, generate_seconds, rebuild_seconds, history_rows"
        " FROM bench_risk_marker WHERE id = 1"
    ).fetchone()
    if row is None:
        return None
    keys = ["version", "items", "end_day", "generate_seconds", "rebuild_seconds", "history_rows"]
    return dict(zip(keys, row, strict=True))


# --------------------------------------------------------------------------- generation


def _copy_text(value: object) -> str:
    if value is None:
        return "\\N"
    text = str(value)
    if any(c in text for c in "\\\t\n\r"):
        text = (
            text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "")
        )
    return text


class _Areas:
    """The kab/kota and the kecamatan and desa below each, from the bench database."""

    def __init__(self, connection: Any) -> None:
        self.kabkota: list[str] = []
        self.kecamatan: dict[str, list[str]] = defaultdict(list)
        self.desa: dict[str, list[str]] = defaultdict(list)
        for code, level in connection.execute(
            "SELECT code, level FROM geo_area WHERE level IN (2, 3, 4) ORDER BY code"
        ):
            if level == 2:
                self.kabkota.append(code)
            elif level == 3:
                self.kecamatan[code[:5]].append(code)
            else:
                self.desa[code[:5]].append(code)
        if len(self.kabkota) != 514:
            raise RuntimeError(f"expected 514 kab/kota, found {len(self.kabkota)}: load the areas")

    def place(self, rng: random.Random, kabkota: str) -> tuple[str, str]:
        """(area code, location precision) of an item in `kabkota`."""
        draw = rng.random()
        desa = self.desa.get(kabkota)
        kecamatan = self.kecamatan.get(kabkota)
        if draw < 0.7 and desa:
            return rng.choice(desa), "village"
        if draw < 0.9 and kecamatan:
            return rng.choice(kecamatan), "district"
        return kabkota, "regency"


def _offset_hours(code: str) -> int:
    from waspada.geo.zones import zone_label

    return {"WIB": 7, "WITA": 8, "WIT": 9}[zone_label(code)]


def _intensities(rng: random.Random, kabkota: list[str], days: list[dt.date]) -> list[list[float]]:
    """Cumulative daily weights per kab/kota: trend, election seasons and local bursts."""
    season = [1.0] * len(days)
    for index, day in enumerate(days):
        for first, last, factor, _type in ELECTIONS:
            if first <= day <= last:
                season[index] *= factor
    cumulative = []
    for _code in kabkota:
        daily = [(0.7 + 0.6 * i / len(days)) * season[i] for i in range(len(days))]
        for _burst in range(rng.randint(2, 8)):
            start = rng.randrange(len(days))
            factor = rng.uniform(4, 12)
            for i in range(start, min(len(days), start + rng.randint(5, 30))):
                daily[i] *= factor
        total = 0.0
        running = []
        for value in daily:
            total += value
            running.append(total)
        cumulative.append(running)
    return cumulative


def _terms(connection: Any) -> dict[str, list[tuple[int, str, int | None]]]:
    terms: dict[str, list[tuple[int, str, int | None]]] = defaultdict(list)
    for term_id, axis, code, parent in connection.execute(
        "SELECT id, axis, code, parent_id FROM events_term WHERE active ORDER BY axis, id"
    ):
        terms[axis].append((term_id, code, parent))
    for axis in (
        "aspect",
        "athg",
        "uu7_source",
        "snpk",
        "acled_type",
        "acled_subtype",
        "source_reliability",
        "info_credibility",
        "election_type",
        "election_stage",
        "election_issue",
    ):
        if not terms[axis]:
            raise RuntimeError(f"no terms of axis {axis}: migrate the bench database first")
    return terms


ITEM_COLUMNS = [
    "id",
    "kind",
    "status",
    "classification",
    "occurred_at",
    "time_precision",
    "location_precision",
    "place",
    "title",
    "chronology",
    "what",
    "who",
    "why",
    "how",
    "trigger",
    "crowd_size",
    "deaths",
    "injured_serious",
    "injured_light",
    "abducted",
    "sexual_violence",
    "displaced",
    "houses_damaged",
    "public_buildings_damaged",
    "worship_places_damaged",
    "loss_rupiah",
    "source",
    "source_relation",
    "how_obtained",
    "trend",
    "analysis",
    "prediction",
    "steps_taken",
    "recommendation",
    "created_at",
    "updated_at",
    "version",
    "area_id",
    "event_id",
    "original_event_id",
    "report_id",
    "acled_subtype_id",
    "acled_type_id",
    "aspect_id",
    "athg_id",
    "election_stage_id",
    "election_type_id",
    "info_credibility_id",
    "snpk_id",
    "source_reliability_id",
    "uu7_source_id",
]
EVENT_COLUMNS = [
    "id",
    "title",
    "status",
    "classification",
    "first_occurred_at",
    "last_occurred_at",
    "created_at",
    "updated_at",
    "version",
    "area_id",
]
REPORT_COLUMNS = [
    "id",
    "report_type",
    "period_start",
    "period_end",
    "is_nihil",
    "status",
    "title",
    "summary",
    "introduction",
    "opinion",
    "return_reason",
    "submitted_at",
    "first_submitted_at",
    "verified_at",
    "created_at",
    "updated_at",
    "version",
    "area_id",
]


def _month_starts(days: list[dt.date]) -> list[dt.date]:
    return sorted({day.replace(day=1) for day in days})


def _month_end(start: dt.date) -> dt.date:
    following = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _weighted(rng: random.Random, weights: dict[str, int], ids: dict[str, int]) -> Any:
    if rng.random() < 0.05:
        return None
    return ids[rng.choices(list(weights), weights=list(weights.values()))[0]]


def generate(connection: Any, items: int, end_day: dt.date) -> dict[str, int]:
    """Replace every event, item and report of the database by `items` verified items."""
    rng = random.Random(SEED + items)
    areas = _Areas(connection)
    terms = _terms(connection)
    by_code = {axis: {code: tid for tid, code, _p in rows} for axis, rows in terms.items()}
    subtypes: dict[int, list[int]] = defaultdict(list)
    for tid, _code, parent in terms["acled_subtype"]:
        if parent is not None:
            subtypes[parent].append(tid)
    acled_codes = list(ACLED_TYPES)
    acled_weights = [share for share, _violent in ACLED_TYPES.values()]
    plain_axes = ["aspect", "athg", "uu7_source", "snpk"]
    plain_ids = {axis: [tid for tid, _c, _p in terms[axis]] for axis in plain_axes}
    stages = [tid for tid, _c, _p in terms["election_stage"]]
    issues = [tid for tid, _c, _p in terms["election_issue"]]

    days = [end_day - dt.timedelta(days=offset) for offset in range(DAYS - 1, -1, -1)]
    day_iso = [day.isoformat() for day in days]
    day_index = {day: index for index, day in enumerate(days)}
    election_of_day: dict[int, str] = {}
    for first, last, _factor, code in ELECTIONS:
        for day in days:
            if first <= day <= last:
                election_of_day[day_index[day]] = code
    months = _month_starts(days)
    month_of_day = [months.index(day.replace(day=1)) for day in days]
    kabkota = areas.kabkota
    weights = [math.exp(rng.gauss(0, 0.9)) for _ in kabkota]
    for hot in rng.sample(range(len(kabkota)), 12):
        weights[hot] *= 6
    cumulative = _intensities(rng, kabkota, days)
    offsets = {code: _offset_hours(code) for code in kabkota}

    # Events: how many items each, and where; then their start days per area.
    sizes: list[int] = []
    total = 0
    while total < items:
        size = 1
        while size < 12 and rng.random() < 0.45:
            size += 1
        size = min(size, items - total)
        sizes.append(size)
        total += size
    event_area = rng.choices(range(len(kabkota)), weights=weights, k=len(sizes))
    per_area: dict[int, list[int]] = defaultdict(list)
    for event_number, area in enumerate(event_area):
        per_area[area].append(event_number)
    event_start = [0] * len(sizes)
    for area, numbers in per_area.items():
        starts = rng.choices(range(DAYS), cum_weights=cumulative[area], k=len(numbers))
        for number, start in zip(numbers, starts, strict=True):
            event_start[number] = start

    report_base = 1
    report_id = {
        (a, m): report_base + a * len(months) + m
        for a in range(len(kabkota))
        for m in range(len(months))
    }
    now = f"{end_day + dt.timedelta(days=1)} 00:00:00+00"  # the generation day, fixed
    counts = {"events": len(sizes), "items": 0, "reports": len(report_id), "issues": 0}

    connection.execute("SET session_replication_role = replica")  # no FK triggers while loading
    connection.execute(
        "TRUNCATE events_item_election_issues, events_item, events_event,"
        " reports_situationreport, warnings_areaday, warnings_areadayterm, warnings_riskscore,"
        " warnings_pendingcell, warnings_alert RESTART IDENTITY CASCADE"
    )
    dropped = connection.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'events_item'"
        " AND indexname NOT IN (SELECT conname FROM pg_constraint"
        " WHERE conrelid = 'events_item'::regclass)"
    ).fetchall()
    for name, _definition in dropped:
        connection.execute(f'DROP INDEX "{name}"')

    with connection.cursor() as cursor:
        with cursor.copy(
            f"COPY reports_situationreport ({', '.join(REPORT_COLUMNS)}) FROM STDIN"
        ) as copy:
            for (a, m), rid in report_id.items():
                month = months[m]
                end = _month_end(month)
                done = f"{end + dt.timedelta(days=3)} 02:00:00+00"
                copy.write(
                    f"{rid}\tbulanan\t{month}\t{end}\tf\tverified\tLAPSITDA bulanan {month:%m/%Y}"
                    f"\t\t\t\t\t{done}\t{done}\t{done}\t{done}\t{done}\t1\t{kabkota[a]}\n"
                )

        item_id = 0
        event_rows: list[str] = []
        with cursor.copy(f"COPY events_item ({', '.join(ITEM_COLUMNS)}) FROM STDIN") as copy:
            issue_rows: list[str] = []
            for number, size in enumerate(sizes):
                event_id = number + 1
                area = event_area[number]
                code = kabkota[area]
                offset = offsets[code]
                acled = rng.choices(acled_codes, weights=acled_weights)[0]
                violent = ACLED_TYPES[acled][1]
                acled_id = by_code["acled_type"][acled]
                draw = rng.random()
                classification = (
                    "rahasia" if draw < 0.03 else "terbatas" if draw < 0.12 else "biasa"
                )
                title = rng.choice(TITLES)
                place, precision = areas.place(rng, code)
                slot = event_start[number]
                election = election_of_day.get(slot)
                if election is None and rng.random() < 0.03:
                    election = "pilkades"
                if election is not None and rng.random() > 0.4:
                    election = None
                plain = {axis: rng.choice(ids) for axis, ids in plain_ids.items()}
                first_at = last_at = ""
                for position in range(size):
                    if position:
                        slot = min(DAYS - 1, slot + rng.choice((0, 0, 1, 1, 2, 3)))
                        if rng.random() < 0.3:
                            place, precision = areas.place(rng, code)
                    item_id += 1
                    hour, minute = rng.randrange(24), rng.randrange(60)
                    at = f"{day_iso[slot]} {hour:02d}:{minute:02d}:00+{offset:02d}"
                    first_at = first_at or at
                    last_at = at
                    deaths = (rng.randint(1, 3) if rng.random() < 0.04 else 0) if violent else 0
                    serious = rng.randint(1, 4) if violent and rng.random() < 0.08 else 0
                    light = rng.randint(1, 10) if rng.random() < (0.2 if violent else 0.03) else 0
                    houses = rng.randint(1, 20) if violent and rng.random() < 0.06 else 0
                    displaced = rng.randint(10, 400) if violent and rng.random() < 0.02 else 0
                    loss = rng.randint(1, 500) * 1_000_000 if rng.random() < 0.04 else 0
                    crowd = (
                        str(int(math.exp(rng.gauss(4.5, 1.1))))
                        if acled in ("protests", "riots") or rng.random() < 0.3
                        else "\\N"
                    )
                    trend = rng.choices(("rising", "steady", "falling", ""), (3, 5, 3, 1))[0]
                    subtype = rng.choice(subtypes[acled_id]) if subtypes[acled_id] else None
                    reliability = _weighted(rng, RELIABILITY_WEIGHTS, by_code["source_reliability"])
                    credibility = _weighted(rng, CREDIBILITY_WEIGHTS, by_code["info_credibility"])
                    election_type = by_code["election_type"].get(election) if election else None
                    stage = rng.choice(stages) if election else None
                    copy.write(
                        f"{item_id}\t{'development' if position else 'new'}\tverified\t"
                        f"{classification}\t{at}\texact\t{precision}\tDesa/kelurahan {place}\t"
                        f"{title}\tSekitar {rng.randint(10, 400)} warga terlibat; aparat berjaga."
                        f"\t\t\t\t\t\t{crowd}\t{deaths}\t{serious}\t{light}\t0\t0\t{displaced}\t"
                        f"{houses}\t0\t0\t{loss}\tKepala desa\t\t\t{trend}\t\t\t\t\t"
                        f"{now}\t{now}\t1\t{place}\t{event_id}\t{event_id}\t"
                        f"{report_id[(area, month_of_day[slot])]}\t{_copy_text(subtype)}\t"
                        f"{acled_id}\t{plain['aspect']}\t{plain['athg']}\t{_copy_text(stage)}\t"
                        f"{_copy_text(election_type)}\t{_copy_text(credibility)}\t"
                        f"{plain['snpk']}\t{_copy_text(reliability)}\t{plain['uu7_source']}\n"
                    )
                    if election:
                        for issue in rng.sample(issues, rng.randint(1, 2)):
                            issue_rows.append(f"{item_id}\t{issue}\n")
                status = "open" if slot > DAYS - 60 else "closed"
                event_rows.append(
                    f"{event_id}\t{title}\t{status}\t{classification}\t{first_at}\t{last_at}\t"
                    f"{now}\t{now}\t1\t{code}\n"
                )
        counts["items"] = item_id
        with cursor.copy(f"COPY events_event ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as copy:
            for row in event_rows:
                copy.write(row)
        with cursor.copy("COPY events_item_election_issues (item_id, term_id) FROM STDIN") as copy:
            for row in issue_rows:
                copy.write(row)
        counts["issues"] = len(issue_rows)

    for _name, definition in dropped:
        connection.execute(definition)
    connection.execute("SET session_replication_role = DEFAULT")
    for table in ("events_item", "events_event", "reports_situationreport"):
        connection.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608 (our names)
            f" (SELECT coalesce(max(id), 1) FROM {table}))"
        )
    return counts


# --------------------------------------------------------------------------- scores


def fill_history(connection: Any, template_day: dt.date, skip: set[dt.date]) -> int:
    """Copy the engine's rows of `template_day` (provinces, kab/kota) to every other day of the
    five years that has none, score varied a little, level and explanation kept."""
    rng = random.Random(SEED)
    columns = [
        name
        for (name,) in connection.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = 'warnings_riskscore' AND column_name <> 'id'"
            " ORDER BY ordinal_position"
        )
    ]
    templates = connection.execute(
        f"SELECT {', '.join(columns)} FROM warnings_riskscore"  # noqa: S608 (our columns)
        " WHERE day = %s AND area_level = ANY(%s)",
        [template_day, list(HISTORY_LEVELS)],
    ).fetchall()
    if not templates:
        raise RuntimeError(f"recompute_all({template_day}) wrote no province or kab/kota scores")
    end = max(skip)
    existing = {
        day
        for (day,) in connection.execute(
            "SELECT DISTINCT day FROM warnings_riskscore WHERE area_level = ANY(%s)",
            [list(HISTORY_LEVELS)],
        )
    }
    days = [
        end - dt.timedelta(days=offset)
        for offset in range(DAYS)
        if end - dt.timedelta(days=offset) not in skip | existing
    ]
    position = {name: index for index, name in enumerate(columns)}
    rows = 0
    with (
        connection.cursor() as cursor,
        cursor.copy(
            f"COPY warnings_riskscore ({', '.join(columns)}) FROM STDIN"  # noqa: S608
        ) as copy,
    ):
        for template in templates:
            row = list(template)
            for index, value in enumerate(row):
                if isinstance(value, (dict, list)):
                    row[index] = json.dumps(value)
            score = float(template[position["score"]])
            for day in days:
                row[position["day"]] = day
                if "score" in position:
                    row[position["score"]] = round(score * rng.uniform(0.8, 1.2), 3)
                copy.write_row(row)
                rows += 1
    connection.execute("ANALYZE warnings_riskscore")
    return rows


def _national_admin_token() -> str:
    from rest_framework.authtoken.models import Token

    from waspada.accounts.models import User
    from waspada.accounts.roles import Role

    user, _created = User.objects.get_or_create(
        username=ADMIN, defaults={"role": Role.NATIONAL_ADMIN, "clearance": "rahasia"}
    )
    token, _created = Token.objects.get_or_create(user=user)
    return str(token.key)


def prepare(url: str, items: int, *, data_only: bool = False) -> dict[str, Any]:
    """Everything above for one database; returns the figures (seconds, counts, day, token)."""
    import psycopg

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Alerts raised by the recompute enqueue deliveries: keep those messages in this process.
    os.environ["CELERY_BROKER_URL"] = "memory://"
    import django

    django.setup()
    from django.core.management import call_command

    from bench.common import ensure_areas

    call_command("migrate", verbosity=0, interactive=False)
    ensure_areas()
    out: dict[str, Any] = {"items": items}
    from django.utils import timezone

    yesterday = timezone.now().astimezone(dt.timezone(dt.timedelta(hours=7))).date()
    yesterday -= dt.timedelta(days=1)  # the data ends the day before today (WIB)
    with psycopg.connect(_psycopg_url(url), autocommit=True) as connection:
        marker = _marker(connection)
        verified = _scalar(connection, "SELECT count(*) FROM events_item WHERE status = 'verified'")
        fresh = not (
            marker and marker["version"] == DATA_VERSION and marker["items"] == verified == items
        )
        if fresh:
            print(f"  generating {items:,} verified items (five years to {yesterday})", flush=True)
            started = time.perf_counter()
            with connection.transaction():
                counts = generate(connection, items, yesterday)
                connection.execute("DELETE FROM bench_risk_marker")
            for table in ("events_item", "events_event", "reports_situationreport"):
                connection.execute(f"ANALYZE {table}")
            seconds = time.perf_counter() - started
            connection.execute(
                "INSERT INTO bench_risk_marker (id, version, items, end_day, generated_at,"
                " generate_seconds) VALUES (1, %s, %s, %s, now(), %s)",
                [DATA_VERSION, counts["items"], yesterday, seconds],
            )
            print(
                f"  generated {counts['items']:,} items, {counts['events']:,} events, "
                f"{counts['reports']:,} monthly reports, {counts['issues']:,} election issues "
                f"in {seconds:.0f} s",
                flush=True,
            )
            marker = _marker(connection)
        assert marker is not None
        out["generated"] = fresh
        out["generate_s"] = marker["generate_seconds"]
        day: dt.date = marker["end_day"]
        out["day"] = day.isoformat()
        if data_only:
            return out

        from waspada.warnings import aggregates, pipeline

        rebuild = (
            fresh
            or marker["rebuild_seconds"] is None
            or os.environ.get("WASPADA_BENCH_RISK_REBUILD") == "1"
        )
        if rebuild:
            print("  aggregates.rebuild() ...", flush=True)
            started = time.perf_counter()
            summary = aggregates.rebuild()
            seconds = time.perf_counter() - started
            print(f"  rebuild: {seconds:.1f} s {summary}", flush=True)
            connection.execute(
                "UPDATE bench_risk_marker SET rebuild_seconds = %s, history_rows = NULL", [seconds]
            )
            connection.execute("ANALYZE warnings_areaday")
            connection.execute("ANALYZE warnings_areadayterm")
            marker = _marker(connection)
            assert marker is not None
        out["rebuilt"] = rebuild
        out["rebuild_s"] = marker["rebuild_seconds"]

        before = day - dt.timedelta(days=30)
        if marker["history_rows"] is None:
            print(f"  recompute_all({before}) and the score history ...", flush=True)
            connection.execute("DELETE FROM warnings_riskscore")
            connection.execute("DELETE FROM warnings_alert")
            started = time.perf_counter()
            pipeline.recompute_all(before.isoformat())
            out["recompute_before_s"] = time.perf_counter() - started
            started = time.perf_counter()
            rows = fill_history(connection, before, {before, day})
            print(f"  history: {rows:,} rows in {time.perf_counter() - started:.0f} s", flush=True)
            connection.execute("UPDATE bench_risk_marker SET history_rows = %s", [rows])

        started = time.perf_counter()
        result = pipeline.recompute_all(day.isoformat())
        out["recompute_s"] = time.perf_counter() - started
        print(f"  recompute_all({day}): {out['recompute_s']:.1f} s {result}", flush=True)
        out["history_rows"] = _scalar(connection, "SELECT count(*) FROM warnings_riskscore")
        out["scored_kabkota"] = _scalar(
            connection,
            "SELECT count(*) FROM warnings_riskscore WHERE day = %s AND area_level = 2",
            [day],
        )
        out["levels"] = dict(
            connection.execute(
                "SELECT level, count(*) FROM warnings_riskscore WHERE day = %s AND area_level = 2"
                " GROUP BY level ORDER BY level",
                [day],
            ).fetchall()
        )
    out["token"] = _national_admin_token()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Prepare one risk_map bench database.")
    parser.add_argument("--url", required=True)
    parser.add_argument("--items", type=int, required=True)
    parser.add_argument("--data-only", action="store_true", help="stop after the items")
    args = parser.parse_args(argv)
    out = prepare(args.url, args.items, data_only=args.data_only)
    print("RESULT " + json.dumps(out, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
