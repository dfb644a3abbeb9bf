"""`manage.py create_user USERNAME --role ROLE --area CODE [--area CODE …]`: no prompts."""

from __future__ import annotations

import secrets
import string
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waspada.accounts import services
from waspada.accounts.roles import Role
from waspada.core.errors import InvalidInput


def generate_password(length: int = 16) -> str:
    """A random password that the policy accepts (letters and digits, long enough)."""
    alphabet = string.ascii_letters + string.digits
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if any(c.isalpha() for c in candidate) and any(c.isdigit() for c in candidate):
            return candidate


class Command(BaseCommand):
    help = (
        "Membuat pengguna tanpa pertanyaan. Tanpa --password, kata sandi acak dibuat dan "
        "dicetak sekali."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument(
            "--area",
            action="append",
            default=[],
            dest="areas",
            metavar="CODE",
            help="Kode wilayah (boleh diulang); tidak dipakai untuk national_admin.",
        )
        parser.add_argument("--password", default=None)
        parser.add_argument("--email", default="")
        parser.add_argument("--full-name", default="", dest="full_name")
        parser.add_argument("--phone", default="")
        parser.add_argument("--position", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"]
        generated = password is None
        if generated:
            password = generate_password()
        try:
            user = services.create_user(
                actor=None,
                username=options["username"],
                role=options["role"],
                area_codes=options["areas"],
                password=password,
                email=options["email"],
                full_name=options["full_name"],
                phone=options["phone"],
                position=options["position"],
            )
        except InvalidInput as exc:
            lines = [exc.message]
            for name, messages in exc.errors.items():
                lines.extend(f"  {name}: {m}" for m in messages)
            raise CommandError("\n".join(lines)) from exc
        areas = ", ".join(options["areas"]) or "nasional"
        self.stdout.write(
            self.style.SUCCESS(f"Pengguna {user.username} ({user.role}, {areas}) dibuat.")
        )
        if generated:
            self.stdout.write(f"Kata sandi (hanya ditampilkan sekali): {password}")
