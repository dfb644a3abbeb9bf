"""`manage.py import_users FILE.csv [--dry-run]`: all or nothing, every bad row reported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waspada.accounts import services


class Command(BaseCommand):
    help = (
        "Mengimpor pengguna dari CSV (username,full_name,email,role,areas,phone,position,"
        "password). Tidak ada yang dibuat kecuali semua baris benar."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Hanya periksa; tidak membuat apa pun."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Tidak dapat membaca {path}: {exc.strerror}") from exc
        result = services.import_users_csv(data, actor=None, dry_run=options["dry_run"])
        for problem in result.problems:
            column = f", kolom {problem.column}" if problem.column else ""
            self.stderr.write(f"baris {problem.row}{column}: {problem.message}")
        if not result.ok:
            raise CommandError(
                f"{len(result.problems)} masalah ditemukan; tidak ada pengguna yang dibuat."
            )
        if options["dry_run"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Semua {len(result.rows)} baris benar (uji coba, tidak disimpan)."
                )
            )
            return
        self.stdout.write(self.style.SUCCESS(f"{len(result.created)} pengguna dibuat."))
        without_password = [r.username for r in result.rows if not r.has_password]
        if without_password:
            self.stdout.write(
                "Tanpa kata sandi (atur lewat lupa kata sandi atau admin): "
                + ", ".join(without_password)
            )
