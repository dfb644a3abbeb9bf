"""`manage.py rebuild_aggregates`: recompute every AreaDay/AreaDayTerm row from verified items."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from waspada.warnings import aggregates


class Command(BaseCommand):
    help = "Rebuild the daily aggregates of verified items (same code as the incremental refresh)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet-progress", action="store_true", help="No line per province.")

    def handle(self, *args: Any, **options: Any) -> None:
        progress = None if options["quiet_progress"] else self.stdout.write
        result = aggregates.rebuild(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"{result['items']} verified items -> {result['area_days']} AreaDay rows, "
                f"{result['area_day_terms']} AreaDayTerm rows (settings v"
                f"{result['settings_version']}) in {result['seconds']:.1f} s."
            )
        )
