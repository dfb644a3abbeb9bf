"""`manage.py seed_demo_response`: the demo response for Kalimantan Tengah (idempotent).

See `waspada.demo.response`: agencies, directives with their follow-up (one overdue), conflict
cases (one under a status keadaan konflik, one in pemulihan) and the Timdu with this year's RAD.
Needs the demo organisation and its synthetic month (`seed_demo`, `seed_demo_month`). The demo
agency accounts' passwords are printed once and added to var/demo-credentials.txt.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from waspada.accounts.models import User
from waspada.demo.management.commands.seed_demo import (
    _append_private,
    _table,
    credentials_path,
    generate_password,
)
from waspada.demo.response import ADMIN, already_seeded, seed_response
from waspada.response.services.directives import escalate_overdue


class Command(BaseCommand):
    help = "Create the demo response (agencies, directives, cases, Timdu and RAD); idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        if already_seeded():
            self.stdout.write("The demo response is already there; nothing created.")
            return
        if not User.objects.filter(username=ADMIN).exists():
            raise CommandError("The demo accounts are missing; run `manage.py seed_demo` first.")
        with transaction.atomic():
            summary = seed_response(password_for=lambda _username: generate_password())
        escalated = escalate_overdue(timezone.now())
        if summary.agency_users:
            table = _table(summary.agency_users)
            stamp = timezone.now().strftime("%Y-%m-%d %H:%M UTC")
            _append_private(
                credentials_path(),
                f"Waspada demo agency accounts, created {stamp}. DEMO DATA.\n{table}\n\n",
            )
            self.stdout.write(self.style.SUCCESS("Demo agency accounts:"))
            self.stdout.write(table)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo response: {summary.agencies} agencies, {summary.directives} directives "
                f"({summary.follow_ups} follow-ups), {summary.cases} conflict cases, "
                f"{summary.plans} Timdu action plans; overdue escalations: "
                f"{escalated.get('directives', 0)}."
            )
        )
