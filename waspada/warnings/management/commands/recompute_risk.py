"""`manage.py recompute_risk [--date YYYY-MM-DD]`: score every area now, as the nightly job does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from waspada.warnings import pipeline
from waspada.warnings.choices import RiskLevel


class Command(BaseCommand):
    help = "Score every province, kab/kota and kecamatan with data; raise alerts for rises."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="Day to score (YYYY-MM-DD); default today per zone.")

    def handle(self, *args: Any, **options: Any) -> None:
        day = options.get("date")
        if day:
            try:
                dt.date.fromisoformat(day)
            except ValueError as exc:
                raise CommandError(f"--date must be YYYY-MM-DD, not {day!r}") from exc
        result = pipeline.recompute_all(day)
        if result["rebuilt"]:
            rebuilt = result["rebuilt"]
            self.stdout.write(
                f"Aggregates rebuilt first (settings v{rebuilt['settings_version']}): "
                f"{rebuilt['area_days']} AreaDay rows in {rebuilt['seconds']:.1f} s."
            )
        levels = ", ".join(
            f"{RiskLevel(int(level)).label}: {count}" for level, count in result["levels"].items()
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{result['areas']} areas scored ({levels}); {result['alerts']} new alerts; "
                f"{result['seconds']:.1f} s."
            )
        )
