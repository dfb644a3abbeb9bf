"""`manage.py seed_demo_month`: a synthetic month of LAPSITDA for Kalimantan Tengah (idempotent).

See `waspada.demo.month`. Needs the areas and the demo organisation (`seed_demo`); creates nothing
when a synthetic month is already there. `--end` picks the last day (default: yesterday, WIB),
`--days` the length, `--seed` the random seed (the same seed and end give the same month).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from waspada.accounts.models import User
from waspada.demo.month import ANALYST, PROVINCE, already_seeded, seed_month
from waspada.geo.models import Area


def score_month(start: dt.date, end: dt.date) -> dict[str, int]:
    """Score each day of the month in order, as the nightly job would have, so the dashboard has
    a history and the escalating matters raise their alerts on the days they rose."""
    from waspada.warnings import aggregates, pipeline

    # The month's verifications queued their refreshes for the worker, which is not running yet.
    aggregates.rebuild()
    alerts = 0
    day = start
    while day <= end:
        alerts += int(pipeline.recompute_all(day).get("alerts", 0) or 0)
        day += dt.timedelta(days=1)
    return {"alerts": alerts}


class Command(BaseCommand):
    help = "Create a synthetic month of daily reports for Kalimantan Tengah (62); idempotent."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--end", type=dt.date.fromisoformat, help="last day (YYYY-MM-DD)")
        parser.add_argument("--days", type=int, default=30, help="number of days (default 30)")
        parser.add_argument("--seed", type=int, default=20260101, help="random seed")

    def handle(self, *args: Any, **options: Any) -> None:
        if already_seeded():
            self.stdout.write("The synthetic demo month is already there; nothing created.")
            return
        if not Area.objects.filter(parent_id=PROVINCE).exists():
            raise CommandError(
                f"No kab/kota of {PROVINCE} in the Area table; run `manage.py load_areas` first."
            )
        if not User.objects.filter(username=ANALYST).exists():
            raise CommandError("The demo accounts are missing; run `manage.py seed_demo` first.")
        if not 1 <= options["days"] <= 366:
            raise CommandError("--days must be between 1 and 366.")
        started = time.monotonic()
        summary = seed_month(end=options["end"], days=options["days"], seed=options["seed"])
        scored = score_month(summary.start, summary.end)
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthetic month {summary.start} to {summary.end} for "
                f"{len(summary.regencies)} kab/kota: {summary.reports} daily reports "
                f"({summary.nihil} nihil, {summary.late} late, {summary.verified} verified, "
                f"{summary.submitted} waiting for review, {summary.returned} returned, "
                f"{summary.drafts} drafts), {summary.missing} missed, {summary.items} items "
                f"({time.monotonic() - started:.1f} s). Titles start with [SINTETIS]."
            )
        )
        self.stdout.write(
            f"Scored every day of the month: {scored['alerts']} alerts raised on the way."
        )
