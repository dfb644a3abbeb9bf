"""Daily aggregates of verified items per area (`AreaDay`, `AreaDayTerm`).

Contract (the rest of the app relies on these names):

- `local_day(area_code, occurred_at) -> date`: the day in the area's own zone (WIB/WITA/WIT).
- `aggregate_codes(area_code) -> list[str]`: the aggregate levels an item of `area_code` counts in
  (its kecamatan, kab/kota and province codes, those that exist in its code).
- `mark_pending(cells)`: called inside the writing transaction with (area_code, occurred_at)
  pairs; writes `PendingCell` rows and enqueues `warnings.process_pending` after commit.
- `refresh_cells(cells: Iterable[tuple[str, date]]) -> int`: recompute those aggregate cells from
  the verified items (delete + insert), returns rows written.
- `rebuild(*, progress=None) -> dict`: recompute every cell from scratch with the same code path
  as `refresh_cells`, in one transaction; identical numbers.

How: each verified item is turned into its contributions by one function (`_Accumulator.add`):
one to the `AreaDay` cell of its kecamatan, kab/kota and province (the codes in its own code, on
its local day), and one per taxonomy term (every axis, election issues too) to the `AreaDayTerm`
cells of its kab/kota and province. Severities are summed as integers (millionths of a point, see
`severity.MICRO`), so the sum does not depend on the order items are read in: `refresh_cells`
reads the items of the requested cells, `rebuild` streams all of them province by province, and
both give the same rows. Rows carry the settings version whose weights made their severities.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections, models, transaction
from django.db.models import Q

from waspada.events.choices import ItemStatus
from waspada.events.models import Item
from waspada.geo.models import Area
from waspada.geo.zones import zone_for
from waspada.warnings.models import AreaDay, AreaDayTerm
from waspada.warnings.severity import MICRO, SEVERITY_FIELDS, SeverityConfig, load_config


def local_day(area_code: str, occurred_at: dt.datetime) -> dt.date:
    return occurred_at.astimezone(zone_for(area_code)).date()


def aggregate_codes(area_code: str) -> list[str]:
    parts = area_code.split(".")
    return [".".join(parts[:n]) for n in (1, 2, 3) if len(parts) >= n]


COALESCE_KEY = "warnings:process-pending:queued"


def mark_pending(cells: Iterable[tuple[str, dt.datetime]]) -> None:
    """Record the aggregate cells touched by a change and refresh them after commit."""
    from waspada.warnings.models import PendingCell
    from waspada.warnings.tasks import process_pending

    wanted = {
        (code, local_day(area_code, occurred_at))
        for area_code, occurred_at in cells
        for code in aggregate_codes(area_code)
    }
    if not wanted:
        return
    PendingCell.objects.bulk_create(
        [PendingCell(area_id=code, day=day) for code, day in sorted(wanted)],
        ignore_conflicts=True,
    )
    # One refresh per burst: the first change queues the job WASPADA_RISK_COALESCE_SECONDS
    # ahead; the changes made meanwhile find the marker and ride along (the job takes every
    # pending cell). The periodic `warnings.process_pending` run catches a change that commits
    # just as the marker expires. With 0, every change queues its own run at once.
    seconds = int(settings.WASPADA_RISK_COALESCE_SECONDS)
    if seconds > 0 and not cache.add(COALESCE_KEY, 1, timeout=seconds):
        return
    process_pending.enqueue_for(actor=None, countdown=seconds or None)


# ---------------------------------------------------------------- per-item contributions

# Every single-term axis of an item (AreaDayTerm rows); election issues come from the M2M table.
TERM_FIELDS = (
    "aspect_id",
    "athg_id",
    "uu7_source_id",
    "snpk_id",
    "acled_type_id",
    "acled_subtype_id",
    "election_type_id",
    "election_stage_id",
    "source_reliability_id",
    "info_credibility_id",
)
ITEM_FIELDS: tuple[str, ...] = tuple(
    dict.fromkeys(("id", "area_id", "occurred_at", *SEVERITY_FIELDS, *TERM_FIELDS))
)
TERM_LEVELS = (1, 2)  # AreaDayTerm: provinces and kab/kota only
Cell = tuple[str, dt.date]


def level_of(code: str) -> int:
    return code.count(".") + 1


def day_bounds(area_code: str, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants [start, end) of a local day in the area's zone."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone_for(area_code))
    return start, start + dt.timedelta(days=1)


class _Accumulator:
    """Sums of the cells, in integers: [items, severity_micro, deaths, injured, displaced] per
    AreaDay cell and [items, severity_micro] per AreaDayTerm cell."""

    def __init__(self, config: SeverityConfig, wanted: set[Cell] | None = None) -> None:
        self.config = config
        self.wanted = wanted
        self.days: dict[Cell, list[int]] = {}
        self.terms: dict[tuple[str, dt.date, int], list[int]] = {}

    def add(self, values: dict[str, Any], issues: Iterable[int]) -> None:
        from waspada.warnings.severity import severity_micro

        micro = severity_micro(values, self.config)
        deaths = int(values["deaths"] or 0)
        injured = int(values["injured_serious"] or 0) + int(values["injured_light"] or 0)
        displaced = int(values["displaced"] or 0)
        area_code: str = values["area_id"]
        day = local_day(area_code, values["occurred_at"])
        terms: list[int] | None = None
        for code in aggregate_codes(area_code):
            if self.wanted is not None and (code, day) not in self.wanted:
                continue
            row = self.days.get((code, day))
            if row is None:
                self.days[(code, day)] = [1, micro, deaths, injured, displaced]
            else:
                row[0] += 1
                row[1] += micro
                row[2] += deaths
                row[3] += injured
                row[4] += displaced
            if level_of(code) not in TERM_LEVELS:
                continue
            if terms is None:
                found = [values[f] for f in TERM_FIELDS if values[f] is not None]
                terms = sorted(set(found) | set(issues))
            for term_id in terms:
                cell = self.terms.get((code, day, term_id))
                if cell is None:
                    self.terms[(code, day, term_id)] = [1, micro]
                else:
                    cell[0] += 1
                    cell[1] += micro

    def day_rows(self) -> Iterator[tuple[Any, ...]]:
        """Rows in `DAY_COLUMNS` order."""
        version = self.config.version
        for (code, day), (items, micro, deaths, injured, displaced) in self.days.items():
            yield (
                code,
                day,
                level_of(code),
                items,
                micro / MICRO,
                deaths,
                injured,
                displaced,
                version,
            )

    def term_rows(self) -> Iterator[tuple[Any, ...]]:
        """Rows in `TERM_COLUMNS` order."""
        for (code, day, term_id), (items, micro) in self.terms.items():
            yield (code, day, level_of(code), term_id, items, micro / MICRO)


DAY_COLUMNS = (
    "area_id",
    "day",
    "area_level",
    "items",
    "severity",
    "deaths",
    "injured",
    "displaced",
    "settings_version",
)
TERM_COLUMNS = ("area_id", "day", "area_level", "term_id", "items", "severity")


def _issues_by_item(query: Q) -> dict[int, list[int]]:
    """Election-issue term ids per item, for the items `query` (on the item) selects."""
    through = Item.election_issues.through
    found: dict[int, list[int]] = {}
    rows = through.objects.filter(query).values_list("item_id", "term_id")
    for item_id, term_id in rows.iterator(chunk_size=10_000):
        found.setdefault(item_id, []).append(term_id)
    return found


def _prefix(codes: Iterable[str], lookup: str) -> Q:
    condition = Q(pk__in=[])
    for code in sorted(set(codes)):
        condition |= Q(**{lookup: code}) | Q(**{f"{lookup}__startswith": f"{code}."})
    return condition


# ---------------------------------------------------------------- writing


def _copy_rows(
    model: type[models.Model],
    columns: tuple[str, ...],
    rows: Iterable[tuple[Any, ...]],
    batch_size: int,
) -> int:
    """Insert plain rows (values in `columns` order: attnames of simple fields): COPY on
    PostgreSQL, several times faster than multi-row INSERT for millions of rows and with no model
    instance per row; bulk_create in batches elsewhere. Returns the number written."""
    manager = model._default_manager
    connection = connections[manager.db]
    written = 0
    if connection.vendor != "postgresql":
        batch: list[models.Model] = []
        for row in rows:
            batch.append(model(**dict(zip(columns, row, strict=True))))
            if len(batch) >= batch_size:
                manager.bulk_create(batch)
                written += len(batch)
                batch = []
        if batch:
            manager.bulk_create(batch)
            written += len(batch)
        return written
    meta = model._meta
    column_of = {f.attname: str(f.column) for f in meta.concrete_fields}
    names = ", ".join(connection.ops.quote_name(column_of[c]) for c in columns)
    table = connection.ops.quote_name(meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {table} ({names}) FROM STDIN"  # noqa: S608 (our own table and column names)
        ) as copy,
    ):
        for row in rows:
            copy.write_row(row)
            written += 1
    return written


def _delete_cells(cells: Iterable[Cell]) -> None:
    by_code: dict[str, set[dt.date]] = {}
    for code, day in cells:
        by_code.setdefault(code, set()).add(day)
    for code, days in sorted(by_code.items()):
        AreaDay.objects.filter(area_id=code, day__in=sorted(days)).delete()
        if level_of(code) in TERM_LEVELS:
            AreaDayTerm.objects.filter(area_id=code, day__in=sorted(days)).delete()


# ---------------------------------------------------------------- refresh and rebuild

CELLS_PER_QUERY = 200


def refresh_cells(
    cells: Iterable[tuple[str, dt.date]], config: SeverityConfig | None = None
) -> int:
    """Recompute exactly these (area code, local day) cells from the verified items.

    A cell counts the items of the area itself and everything below it whose time falls on that
    day in the area's zone. Rows of cells that became empty are deleted. Runs in one transaction;
    returns the number of rows written (AreaDay + AreaDayTerm).
    """
    wanted = {(code, day) for code, day in cells}
    if not wanted:
        return 0
    config = config or load_config()
    acc = _Accumulator(config, wanted)
    ordered = sorted(wanted)
    for start in range(0, len(ordered), CELLS_PER_QUERY):
        condition = Q(pk__in=[])
        for code, day in ordered[start : start + CELLS_PER_QUERY]:
            begin, end = day_bounds(code, day)
            condition |= _prefix([code], "area__code") & Q(
                occurred_at__gte=begin, occurred_at__lt=end
            )
        items = Item.objects.filter(status=ItemStatus.VERIFIED).filter(condition)
        rows = list(items.values_list(*ITEM_FIELDS))
        issues = _issues_by_item(Q(item_id__in=[row[0] for row in rows])) if rows else {}
        for row in rows:
            values = dict(zip(ITEM_FIELDS, row, strict=True))
            acc.add(values, issues.get(values["id"], ()))
    with transaction.atomic():
        _delete_cells(wanted)
        written = _copy_rows(AreaDay, DAY_COLUMNS, acc.day_rows(), 2000)
        written += _copy_rows(AreaDayTerm, TERM_COLUMNS, acc.term_rows(), 2000)
    return written


def rebuild(
    *,
    progress: Callable[[str], None] | None = None,
    config: SeverityConfig | None = None,
    chunk_size: int = 20_000,
    batch_size: int = 10_000,
) -> dict[str, Any]:
    """Recompute every aggregate row from the verified items, in one transaction.

    Streams the items province by province (memory stays at one province's cells) through the
    same per-item code as `refresh_cells`. Readers keep seeing the old rows until it commits.
    Returns counts: items, area_days, area_day_terms, seconds, settings_version.
    """
    config = config or load_config()
    started = time.monotonic()
    totals = {"items": 0, "area_days": 0, "area_day_terms": 0}
    # Every item's area has its province row (areas are loaded with their ancestors).
    provinces = sorted(Area.objects.filter(level=1).values_list("code", flat=True))
    with transaction.atomic():
        AreaDayTerm.objects.all().delete()
        AreaDay.objects.all().delete()
        for province in provinces:
            where = _prefix([province], "area__code")
            issues = _issues_by_item(
                Q(item__status=ItemStatus.VERIFIED) & _prefix([province], "item__area__code")
            )
            acc = _Accumulator(config)
            items = Item.objects.filter(status=ItemStatus.VERIFIED).filter(where)
            count = 0
            for row in items.values_list(*ITEM_FIELDS).iterator(chunk_size=chunk_size):
                values = dict(zip(ITEM_FIELDS, row, strict=True))
                acc.add(values, issues.get(values["id"], ()))
                count += 1
            if not count:
                continue
            totals["items"] += count
            totals["area_days"] += _copy_rows(AreaDay, DAY_COLUMNS, acc.day_rows(), batch_size)
            totals["area_day_terms"] += _copy_rows(
                AreaDayTerm, TERM_COLUMNS, acc.term_rows(), batch_size
            )
            if progress is not None:
                progress(f"{province}: {count} butir")
    return {
        **totals,
        "seconds": round(time.monotonic() - started, 2),
        "settings_version": config.version,
    }
