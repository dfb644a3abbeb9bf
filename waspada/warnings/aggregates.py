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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from waspada.geo.zones import zone_for


def local_day(area_code: str, occurred_at: dt.datetime) -> dt.date:
    return occurred_at.astimezone(zone_for(area_code)).date()


def aggregate_codes(area_code: str) -> list[str]:
    parts = area_code.split(".")
    return [".".join(parts[:n]) for n in (1, 2, 3) if len(parts) >= n]


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
    process_pending.enqueue()
