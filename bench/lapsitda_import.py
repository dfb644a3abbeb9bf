"""lapsitda_import: time to import a 10,000-row XLSX through `reports.importer.import_items`.

The file is made with openpyxl from seeded rows over the kecamatan and desa of Kota Palangka Raya
(62.71) and the last ten days, so it lands in ten daily reports of the bench operator. Timed: the
dry run (read and check every row) and the real import (read, check, create the reports and every
item through `record_item`, one transaction). Target for the import: under 20 s. Everything it
creates is removed afterwards.
"""

from __future__ import annotations

import datetime as dt
import io
import time

from bench.common import Result
from bench.lapsitda_common import bench_operator, cleanup, item_rows, past_days

ROWS = 10_000
TARGET_SECONDS = 20.0
COLUMNS = {  # import column -> key of the generated row
    "tanggal": "occurred_at",
    "jam": "occurred_at",
    "wilayah": "area",
    "tempat": "place",
    "judul": "title",
    "kronologi": "chronology",
    "jumlah_massa": "crowd_size",
    "luka_ringan": "injured_light",
    "rumah_rusak": "houses_damaged",
    "sumber": "source",
    "keandalan_sumber": "source_reliability",
    "kebenaran_informasi": "info_credibility",
    "tren": "trend",
    "aspek": "aspect",
    "athg": "athg",
    "sumber_konflik": "uu7_source",
    "snpk": "snpk",
    "jenis_acled": "acled_type",
    "subjenis_acled": "acled_subtype",
}


def make_xlsx(rows: list[dict[str, object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    sheet.append(list(COLUMNS))
    for row in rows:
        at = dt.datetime.fromisoformat(str(row["occurred_at"]))
        values: list[object] = []
        for column, key in COLUMNS.items():
            if column == "tanggal":
                values.append(at.date())
            elif column == "jam":
                values.append(at.time().replace(tzinfo=None))
            else:
                values.append(row[key])
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run() -> list[Result]:
    from django.conf import settings

    from waspada.reports.importer import import_items

    settings.DEBUG = False  # no query log in the timed part
    user, _token = bench_operator()
    cleanup()
    data = make_xlsx(item_rows(ROWS, past_days(10), seed=20260315))
    print(f"  {ROWS:,} rows, {len(data) / 2**20:.1f} MB of XLSX")
    try:
        started = time.perf_counter()
        preview = import_items(data, actor=user, dry_run=True)
        checked = time.perf_counter() - started
        if not preview.ok:
            raise RuntimeError(f"the bench file has problems: {preview.problems[:5]}")
        started = time.perf_counter()
        result = import_items(data, actor=user, dry_run=False)
        imported = time.perf_counter() - started
        if not result.ok or result.items_created != ROWS:
            raise RuntimeError(f"the import failed: {result.problems[:5]}")
        print(
            f"  dry run {checked:.1f} s; import {imported:.1f} s: {result.items_created:,} items "
            f"in {result.reports_new} new daily reports ({ROWS / imported:,.0f} rows/s)"
        )
    finally:
        cleanup()
    return [
        Result("lapsitda_import_10k_dry_run", round(checked, 2), "s"),
        Result(
            "lapsitda_import_10k",
            round(imported, 2),
            "s",
            f"< {TARGET_SECONDS:.0f}",
            imported < TARGET_SECONDS,
        ),
    ]
