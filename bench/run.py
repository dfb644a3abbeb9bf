"""Run the benchmarks: `python bench/run.py [NAME ...]` (all of them without a name).

Each benchmark is one module of this folder with a `run()` returning `Result`s. Figures are
printed as a table and merged into var/bench/results.json as a list of {"name", "value", "unit"}
(a run of one benchmark replaces only its own entries). The benchmarks use their own database
(see bench/common.py), never the user's.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import RESULTS, Result, bench_database_url, ensure_postgres_database  # noqa: E402

# name -> module in this folder, in the order they run (areas_load first: it makes the data).
BENCHMARKS = [
    "areas_load",
    "area_search",
    "reverse_geocode",
    "lapsitda_api",
    "lapsitda_import",
    "risk_map",
    "exports",
    "brief_build",
]


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _merge(results: list[Result]) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    try:
        existing = json.loads(RESULTS.read_text())
        if not isinstance(existing, list):
            existing = []
    except (FileNotFoundError, json.JSONDecodeError):
        existing = []
    fresh = {result.name: result.record() for result in results}
    merged = [fresh.pop(entry["name"], entry) for entry in existing if isinstance(entry, dict)]
    merged.extend(fresh.values())
    RESULTS.write_text(json.dumps(merged, indent=2) + "\n")


def _table(results: list[Result]) -> str:
    rows = [("benchmark", "value", "unit", "target", "")]
    for r in results:
        value = f"{r.value:,.0f}" if abs(r.value) >= 1000 else f"{r.value:,.2f}"
        mark = "" if r.ok is None else ("ok" if r.ok else "MISSED")
        rows.append((r.name, value, r.unit, r.target, mark))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = []
    for number, row in enumerate(rows):
        cells = [
            row[0].ljust(widths[0]),
            row[1].rjust(widths[1]),
            row[2].ljust(widths[2]),
            row[3].ljust(widths[3]),
            row[4],
        ]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths).rstrip())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=", ".join(BENCHMARKS))
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    names = args.names or BENCHMARKS
    database_url = bench_database_url()
    ensure_postgres_database(database_url)
    _setup_django(database_url)
    print(f"bench database: {database_url}")
    results: list[Result] = []
    for name in names:
        print(f"[{name}]")
        started = time.perf_counter()
        module = importlib.import_module(f"bench.{name}")
        results.extend(module.run())
        print(f"  ({time.perf_counter() - started:.1f} s)")
    _merge(results)
    print()
    print(_table(results))
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")
    return 0 if all(r.ok is not False for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
