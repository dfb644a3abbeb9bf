"""`manage.py compile_translations`: turn every `locale/*/LC_MESSAGES/*.po` into a `.mo` file.

Uses the pinned `polib`, so neither the build nor `make run` needs GNU gettext (`compilemessages`
does). Fuzzy and untranslated entries are left out, as msgfmt does. A `.mo` newer than its `.po`
is left alone unless `--force`. The `.mo` files are build output and are not committed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def catalogue_files() -> list[Path]:
    """Every .po file under the project's LOCALE_PATHS."""
    found: list[Path] = []
    for base in settings.LOCALE_PATHS:
        found.extend(sorted(Path(base).glob("*/LC_MESSAGES/*.po")))
    return found


class Command(BaseCommand):
    help = "Compile the .po translation catalogues to .mo files with polib (no gettext needed)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="compile even when up to date")

    def handle(self, *args: Any, **options: Any) -> None:
        compiled = 0
        for po_path in catalogue_files():
            mo_path = po_path.with_suffix(".mo")
            if (
                not options["force"]
                and mo_path.exists()
                and mo_path.stat().st_mtime >= po_path.stat().st_mtime
            ):
                continue
            try:
                catalogue = polib.pofile(str(po_path))
            except (OSError, ValueError) as exc:
                raise CommandError(f"{po_path}: cannot be read ({exc})") from exc
            tmp = mo_path.with_suffix(".mo.part")
            catalogue.save_as_mofile(str(tmp))
            tmp.replace(mo_path)
            compiled += 1
            self.stdout.write(
                f"{po_path}: "
                f"{len(catalogue.translated_entries())} of "
                f"{len([e for e in catalogue if not e.obsolete])} messages translated"
            )
        self.stdout.write(f"Compiled {compiled} catalogue(s).")
