"""`manage.py backtest`: the risk score against real UCDP GED events, month by month."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waspada.warnings import backtest


class Command(BaseCommand):
    # It reads two files and touches neither the database nor the URLs: nothing to check first.
    requires_system_checks: list[str] = []
    help = (
        "Back-test the risk score on UCDP GED events (Indonesia): for every month and kab/kota, "
        "the score from the past only against '>=1 event next month', beside three baselines "
        "(always zero, last month, historical average). Reads files only, writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from-year", type=int, default=1990, help="first month scored")
        parser.add_argument("--to-year", type=int, default=None, help="last year scored")
        parser.add_argument("--events", type=Path, default=None, help="GED CSV")
        parser.add_argument("--boundaries", type=Path, default=None, help="kab/kota GeoJSON")
        parser.add_argument("--json", type=Path, default=None, help="also write results here")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        events_path = options["events"] or backtest.default_events_path()
        boundaries_path = options["boundaries"] or backtest.default_boundaries_path()
        for path in (events_path, boundaries_path):
            if not path.is_file():
                raise CommandError(f"File not found: {path} (see --events/--boundaries)")
        events = backtest.read_events(events_path)
        codes, geoms = backtest.read_boundaries(boundaries_path)
        placement = backtest.place_events(events, codes, geoms)
        try:
            result = backtest.run_backtest(
                placement, codes, from_year=options["from_year"], to_year=options["to_year"]
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        result.seconds = time.monotonic() - started
        self.stdout.write(backtest.format_table(result))
        if options["json"]:
            options["json"].write_text(
                json.dumps(backtest.result_as_json(result), indent=2) + "\n", encoding="utf-8"
            )
            self.stdout.write(f"Wrote {options['json']}")
