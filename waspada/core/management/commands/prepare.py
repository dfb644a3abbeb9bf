"""`manage.py prepare`: everything `make run` does before it starts the processes.

In order, each step idempotent and cheap when there is nothing to do: front-end packages
(`fetch_assets`), translations (`compile_translations`), database tables (`migrate`), the area code
list (`load_areas`), boundaries when a folder is available (`load_boundaries`), the demo
organisation (`seed_demo`), its synthetic month of reports (`seed_demo_month`) and the response
to it (`seed_demo_response`), unless --no-demo, today's risk scores (`recompute_risk`), and
static files (`collectstatic`). One process runs them all, so a second `make run` does not pay for
Django's start-up eight times.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def boundary_directory() -> str | None:
    """WASPADA_BOUNDARIES (a folder or URL the operator gives), else the workplace's shared copy."""
    configured = getattr(settings, "WASPADA_BOUNDARIES", None)
    if configured:
        return str(configured)
    shared = Path(settings.BASE_DIR).parent / "shared" / "data" / "wilayah-boundaries"
    return str(shared) if shared.is_dir() else None


class Command(BaseCommand):
    help = "Set up the embedded installation: assets, translations, tables, areas, demo, static."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-demo", action="store_true", help="do not create demo accounts")
        parser.add_argument("--skip-boundaries", action="store_true", help="do not load boundaries")

    def step(self, title: str, name: str, *args: Any, **options: Any) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"==> {title}"))
        started = time.monotonic()
        call_command(name, *args, stdout=self.stdout, stderr=self.stderr, **options)
        self.stdout.write(f"    ({time.monotonic() - started:.1f} s)")

    def handle(self, *args: Any, **options: Any) -> None:
        self.step("Front-end packages (npm registry, pinned and hashed)", "fetch_assets")
        self.step("Translations", "compile_translations")
        self.step("Database tables", "migrate", interactive=False, verbosity=1)
        self.step("Administrative areas (idn-area-data)", "load_areas")
        directory = None if options["skip_boundaries"] else boundary_directory()
        if directory:
            self.step(f"Boundaries from {directory}", "load_boundaries", directory)
        else:
            self.stdout.write(
                self.style.WARNING(
                    "No boundary folder (set WASPADA_BOUNDARIES): maps stay empty and say how "
                    "to load them."
                )
            )
        if not options["no_demo"]:
            self.step("Demo organisation (Kalimantan Tengah)", "seed_demo")
            self.step("Synthetic month of daily reports (demo)", "seed_demo_month")
            self.step("Synthetic response: directives, cases, Timdu (demo)", "seed_demo_response")
        self.step("Risk scores of today (early warning)", "recompute_risk")
        self.step("Static files", "collectstatic", interactive=False, verbosity=0)
