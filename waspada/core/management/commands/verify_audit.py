"""`manage.py verify_audit`: exit 0 when the audit chain is intact, 1 naming the first bad entry."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from waspada.core.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log."

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"Audit log damaged at entry #{result.first_bad_seq}: {result.reason} "
                f"({result.checked} entries before it are intact)."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Audit log intact: {result.checked} entries verified.")
        )
