"""areas_load: the full load of the 91,599 areas from the cached tarball into an empty table.

The timed part reads the hash-checked tarball from var/cache, parses the four CSV files and runs
`geo.services.load_areas` (one transaction, bulk writes, one audit entry). Target: under 60 s.
The idempotent second run (nothing to change) is reported too.
"""

from __future__ import annotations

import time

from bench.common import EXPECTED_AREAS, Result, area_counts

TARGET_SECONDS = 60.0


def _empty_area_table() -> None:
    from django.db import connection, transaction

    from waspada.geo.models import Area, AreaBoundary, BoundaryBundle

    tables = [BoundaryBundle._meta.db_table, AreaBoundary._meta.db_table]
    try:
        from waspada.accounts.models import AreaAssignment

        tables.append(AreaAssignment._meta.db_table)
    except ImportError:  # pragma: no cover
        pass
    tables.append(Area._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608


def run() -> list[Result]:
    from waspada.geo import areadata
    from waspada.geo.services import load_areas

    areadata.download()  # make sure the tarball is cached; not part of the timing
    _empty_area_table()
    started = time.perf_counter()
    report = load_areas(areadata.read_pinned())
    first = time.perf_counter() - started
    counts = area_counts()
    if counts != EXPECTED_AREAS:
        raise RuntimeError(f"unexpected area counts after the load: {counts}")
    started = time.perf_counter()
    again = load_areas(areadata.read_pinned())
    second = time.perf_counter() - started
    if again.created_total or again.updated:
        raise RuntimeError("the second load was not idempotent")
    print(f"  loaded {report.created_total:,} areas: {counts}")
    return [
        Result(
            "areas_load", round(first, 2), "s", f"< {TARGET_SECONDS:.0f}", first < TARGET_SECONDS
        ),
        Result("areas_reload_unchanged", round(second, 2), "s", "", None),
    ]
