"""exports: exporting 1,000,000 items to CSV and to XLSX, time and peak memory.

Issue 6's target: exporting 1,000,000 items to CSV takes under 60 s, and the peak memory of the
export is under 300 MB, for CSV and for XLSX (XLSX has no time target: its time is reported).

Data: bench/risk_data.py's generator (verified items over five years in all 514 kab/kota, written
with COPY; 3 % rahasia, 9 % terbatas) in its own database next to the bench database,
`<bench db>_risk1m`, kept between runs (generation, a few minutes, happens on the first run only;
other benchmarks' data is never touched).

Each export runs in a fresh child process (`python -m bench.exports --child ...`), so its peak
memory is its own: Django set up, a national admin cleared for *rahasia* (made once), then an
`Export` row built by `briefs.services.exports.build_export`, the code of the background job
itself: the count, the rows through the item selector and ItemFilter in keyset chunks, the writer,
progress written on the row, the file saved through Django's storage (into a temporary
MEDIA_ROOT, deleted afterwards), the notification. The child reports its `ru_maxrss` after
Django setup (baseline) and at the end (the whole process's peak, nothing subtracted).

Baseline in the same run: PostgreSQL's own `COPY (SELECT the same columns: the item with its
area, report, the terms' codes and labels, election issues and actor types joined with "; ")
TO STDOUT WITH CSV` written to a file, from this process; the ratios export/COPY are reported.

Needs PostgreSQL (DATABASE_URL=postgres://...); on SQLite it prints why and reports nothing.
WASPADA_BENCH_EXPORT_ITEMS=200000 runs another size (database `<bench db>_risk<N>`).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import BENCH_DIR, Result, ensure_postgres_database  # noqa: E402
from bench.risk_data import database_url  # noqa: E402

ITEMS = 1_000_000
TARGET_CSV_S = 60.0
TARGET_PEAK_MB = 300.0
ADMIN = "bench-export-national-admin"
MEDIA = BENCH_DIR / "exports-media"


def _items() -> tuple[str, int]:
    wanted = int(os.environ.get("WASPADA_BENCH_EXPORT_ITEMS", ITEMS))
    label = "1m" if wanted == ITEMS else str(wanted)
    return label, wanted


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _run_child(args: list[str]) -> dict[str, Any]:
    """Run `python -m <module> args` here; echo its lines; return its `RESULT {json}`."""
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", *args],
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
        raise RuntimeError(f"{' '.join(args[:2])} failed:\n{''.join(tail)}")
    return result


# --------------------------------------------------------------------------- the child


def child(url: str, fmt: str) -> dict[str, Any]:
    """Export every item as a national admin through the background job's code; figures."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["CELERY_BROKER_URL"] = "memory://"  # the notification's e-mail job stays here
    import django

    django.setup()
    from django.conf import settings

    media = MEDIA / fmt
    shutil.rmtree(media, ignore_errors=True)
    settings.MEDIA_ROOT = media  # before the storage's first use

    from waspada.accounts.models import User
    from waspada.accounts.roles import Role
    from waspada.briefs.models import Export
    from waspada.briefs.tasks.exports import build_export
    from waspada.notifications.models import Notification

    user, _created = User.objects.get_or_create(
        username=ADMIN, defaults={"role": Role.NATIONAL_ADMIN, "clearance": "rahasia"}
    )
    export = Export.objects.create(user=user, format=fmt, filters={})
    baseline = _rss_mb()
    started = time.perf_counter()
    result = build_export.apply(kwargs={"export_id": export.pk}).get()  # the job, in here
    seconds = time.perf_counter() - started
    peak = _rss_mb()
    export.refresh_from_db()
    figures = {
        "format": fmt,
        "seconds": seconds,
        "rows": export.row_count,
        "size": export.size,
        "state": export.state,
        "result": result,
        "baseline_mb": baseline,
        "peak_mb": peak,
    }
    # The file and the row are this benchmark's own: leave nothing behind.
    shutil.rmtree(media, ignore_errors=True)
    export.delete()
    Notification.objects.filter(user=user).delete()
    return figures


# --------------------------------------------------------------------------- the baseline

AXES = (
    "source_reliability",
    "info_credibility",
    "aspect",
    "athg",
    "uu7_source",
    "snpk",
    "acled_type",
    "acled_subtype",
    "election_type",
    "election_stage",
)


def copy_sql() -> str:
    """The export's columns in one SELECT, for PostgreSQL's COPY (the baseline)."""
    terms = ", ".join(f"t_{axis}.code, t_{axis}.label" for axis in AXES)
    joins = " ".join(
        f"LEFT JOIN events_term t_{axis} ON t_{axis}.id = i.{axis}_id" for axis in AXES
    )
    # The multi-valued axes, aggregated once per item and joined (not a subquery per row).
    issues = (
        "LEFT JOIN (SELECT x.item_id, string_agg(t.code, '; ' ORDER BY t.id) AS codes,"
        " string_agg(t.label, '; ' ORDER BY t.id) AS labels FROM events_item_election_issues x"
        " JOIN events_term t ON t.id = x.term_id GROUP BY x.item_id) ei ON ei.item_id = i.id"
    )
    actors = (
        "LEFT JOIN (SELECT d.item_id, string_agg(d.code, '; ') AS codes,"
        " string_agg(d.label, '; ') AS labels FROM (SELECT DISTINCT x.item_id, t.code, t.label"
        " FROM events_itemactor x JOIN events_term t ON t.id = x.actor_type_id) d"
        " GROUP BY d.item_id) ea ON ea.item_id = i.id"
    )
    many = "ei.codes, ei.labels, ea.codes, ea.labels"
    return (
        "SELECT i.id, 'KJD-' || lpad(i.event_id::text, 6, '0'), i.report_id, r.report_type,"  # noqa: S608 (our own names)
        " i.status, i.kind, i.classification, i.occurred_at, i.time_precision, i.area_id,"
        " a.name, CASE WHEN a.level >= 2 THEN left(i.area_id, 5) END, k.name,"
        " left(i.area_id, 2), i.latitude, i.longitude, i.location_precision, i.place, i.title,"
        " i.chronology, i.trigger, i.crowd_size, i.deaths, i.injured_serious, i.injured_light,"
        " i.abducted, i.sexual_violence, i.displaced, i.houses_damaged,"
        " i.public_buildings_damaged, i.worship_places_damaged, i.loss_rupiah, i.source,"
        f" i.trend, {terms}, {many}, i.analysis, i.prediction, i.steps_taken,"
        " i.recommendation"
        " FROM events_item i JOIN geo_area a ON a.code = i.area_id"
        " JOIN reports_situationreport r ON r.id = i.report_id"
        " LEFT JOIN geo_area k ON k.code = left(i.area_id, 5) AND k.level = 2"
        f" {joins} {issues} {actors} ORDER BY i.id"
    )


def copy_baseline(url: str) -> dict[str, Any]:
    """Time COPY (SELECT the export's columns) TO STDOUT in CSV into a file."""
    import psycopg

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    target = BENCH_DIR / "exports-copy.csv"
    started = time.perf_counter()
    size = 0
    with (
        psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as connection,
        connection.cursor() as cursor,
        target.open("wb") as out,
        cursor.copy(f"COPY ({copy_sql()}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy,
    ):
        for data in copy:
            out.write(data)
            size += len(data)
    seconds = time.perf_counter() - started
    target.unlink()
    return {"seconds": seconds, "size": size}


# --------------------------------------------------------------------------- run


def run() -> list[Result]:
    base = os.environ.get("DATABASE_URL", "")  # the bench database, set by run.py
    if not base.startswith(("postgres://", "postgresql://")):
        print("  skipped: needs PostgreSQL (DATABASE_URL=postgres://...)")
        return []
    label, items = _items()
    url = database_url(label, base)
    print(f"  [{items:,} items in {url.rsplit('/', 1)[-1]}]", flush=True)
    ensure_postgres_database(url)
    _run_child(["bench.risk_data", "--url", url, "--items", str(items), "--data-only"])
    copy = copy_baseline(url)
    print(f"  COPY baseline: {copy['seconds']:.1f} s, {copy['size'] / 1e6:,.0f} MB", flush=True)
    figures = {}
    for fmt in ("csv", "xlsx"):
        got = _run_child(["bench.exports", "--child", "--url", url, "--format", fmt])
        if got["state"] != "done" or got["rows"] != items:
            raise RuntimeError(f"the {fmt} export did not write {items:,} rows: {got}")
        figures[fmt] = got
        print(
            f"  {fmt}: {got['seconds']:.1f} s for {got['rows']:,} rows "
            f"({got['size'] / 1e6:,.0f} MB), peak RSS {got['peak_mb']:.0f} MB "
            f"(after Django setup {got['baseline_mb']:.0f} MB), "
            f"{got['seconds'] / copy['seconds']:.1f}x COPY",
            flush=True,
        )
    csv_s, xlsx_s = figures["csv"]["seconds"], figures["xlsx"]["seconds"]
    csv_mb, xlsx_mb = figures["csv"]["peak_mb"], figures["xlsx"]["peak_mb"]
    return [
        Result(f"exports_csv_{label}_s", round(csv_s, 1), "s", f"< {TARGET_CSV_S:.0f}", csv_s < 60),
        Result(
            f"exports_csv_{label}_peak_rss",
            round(csv_mb, 1),
            "MB",
            f"< {TARGET_PEAK_MB:.0f}",
            csv_mb < TARGET_PEAK_MB,
        ),
        Result(f"exports_xlsx_{label}_s", round(xlsx_s, 1), "s"),
        Result(
            f"exports_xlsx_{label}_peak_rss",
            round(xlsx_mb, 1),
            "MB",
            f"< {TARGET_PEAK_MB:.0f}",
            xlsx_mb < TARGET_PEAK_MB,
        ),
        Result("exports_child_setup_rss", round(figures["csv"]["baseline_mb"], 1), "MB"),
        Result(f"exports_copy_{label}_s", round(copy["seconds"], 1), "s"),
        Result(f"exports_csv_vs_copy_{label}", round(csv_s / copy["seconds"], 1), "x"),
        Result(f"exports_xlsx_vs_copy_{label}", round(xlsx_s / copy["seconds"], 1), "x"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="One measured export (a child of run()).")
    parser.add_argument("--child", action="store_true", required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--format", choices=("csv", "xlsx", "geojson"), required=True)
    args = parser.parse_args(argv)
    print("RESULT " + json.dumps(child(args.url, args.format), default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
