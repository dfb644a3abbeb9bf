"""`manage.py seed_demo`: the demo organisation for Kalimantan Tengah (province 62).

Creates, through `accounts.services.create_user` (so every account is audited like any other):
a national admin, an area admin, an analyst and a leader of 62, and one operator for each
kab/kota of 62 found in the Area table. Passwords are generated, printed once and written to
`var/demo-credentials.txt` (readable by its owner only). Running it again creates nothing that
exists already and says where the credentials are.

It lives in its own small app because it needs both `accounts` and `geo`, and `core` imports no
domain app.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from waspada.accounts.models import User
from waspada.accounts.roles import Role
from waspada.accounts.services import create_user
from waspada.geo.models import Area

PROVINCE = "62"
# No look-alike characters (0/O, 1/l/I): the passwords are read off a screen and typed.
ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    area_codes: tuple[str, ...]
    full_name: str


def credentials_path() -> Path:
    return Path(settings.VAR_DIR) / "demo-credentials.txt"


def generate_password() -> str:
    """Four groups of four random characters (about 93 bits), with letters and digits."""
    while True:
        groups = ["".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(4)]
        password = "-".join(groups)
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


def demo_accounts() -> list[DemoAccount]:
    """The accounts of the demo organisation, from the areas that are loaded."""
    province = Area.objects.filter(code=PROVINCE).first()
    if province is None:
        raise CommandError(
            f"Province {PROVINCE} is not in the Area table; run `manage.py load_areas` first."
        )
    name = province.name
    accounts = [
        DemoAccount("admin.nasional", Role.NATIONAL_ADMIN, (), "Admin Nasional (demo)"),
        DemoAccount(f"admin.{PROVINCE}", Role.AREA_ADMIN, (PROVINCE,), f"Admin {name} (demo)"),
        DemoAccount(f"analis.{PROVINCE}", Role.ANALYST, (PROVINCE,), f"Analis {name} (demo)"),
        DemoAccount(f"pimpinan.{PROVINCE}", Role.LEADER, (PROVINCE,), f"Pimpinan {name} (demo)"),
    ]
    for regency in Area.objects.filter(parent_id=PROVINCE).order_by("code"):
        accounts.append(
            DemoAccount(
                f"operator.{regency.code}",
                Role.OPERATOR,
                (regency.code,),
                f"Operator {regency.name} (demo)",
            )
        )
    return accounts


def _table(rows: list[tuple[str, str, str, str]]) -> str:
    header = ("username", "role", "area", "password")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"

    def row(cells: tuple[str, ...]) -> str:
        return "|" + "|".join(f" {c.ljust(w)} " for c, w in zip(cells, widths, strict=True)) + "|"

    return "\n".join([line, row(header), line, *(row(r) for r in rows), line])


def _append_private(path: Path, text: str) -> None:
    """Append to a file that only its owner may read, creating it that way."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(text)
    path.chmod(0o600)


def _subscribe_demo_readers(created: list[str]) -> None:
    """The demo leader and analyst are told about alerts of the province: in the inbox, and the
    leader also by e-mail (the console backend prints it in the embedded mode)."""
    from waspada.warnings.choices import Channel
    from waspada.warnings.subscriptions import subscribe

    wanted = {
        f"pimpinan.{PROVINCE}": (Channel.INBOX, Channel.EMAIL),
        f"analis.{PROVINCE}": (Channel.INBOX,),
    }
    for username, channels in wanted.items():
        if username not in created:
            continue
        user = User.objects.get(username=username)
        if Channel.EMAIL in channels and not user.email:
            user.email = f"{username}@demo.waspada.invalid"
            user.save(update_fields=["email"])
        for channel in channels:
            subscribe(actor=user, area_code=PROVINCE, channel=channel)


class Command(BaseCommand):
    help = "Create the demo organisation of Kalimantan Tengah (62); idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        path = credentials_path()
        accounts = demo_accounts()
        existing = set(
            User.objects.filter(username__in=[a.username for a in accounts]).values_list(
                "username", flat=True
            )
        )
        missing = [a for a in accounts if a.username not in existing]
        if not missing:
            self.stdout.write(
                f"Demo accounts already exist ({len(accounts)}); nothing created. "
                f"Their passwords are in {path}."
            )
            return
        rows: list[tuple[str, str, str, str]] = []
        with transaction.atomic():
            for account in missing:
                password = generate_password()
                create_user(
                    actor=None,
                    username=account.username,
                    role=account.role,
                    area_codes=list(account.area_codes),
                    password=password,
                    full_name=account.full_name,
                )
                rows.append(
                    (account.username, account.role, ",".join(account.area_codes) or "-", password)
                )
            _subscribe_demo_readers([a.username for a in missing])
            table = _table(rows)
            stamp = timezone.now().strftime("%Y-%m-%d %H:%M UTC")
            _append_private(
                path,
                f"Waspada demo accounts, created {stamp}. DEMO DATA: keep this file private.\n"
                f"{table}\n\n",
            )
        self.stdout.write(self.style.SUCCESS(f"Created {len(rows)} demo accounts:"))
        self.stdout.write(table)
        self.stdout.write(
            f"These passwords are shown once; they are also in {path} (readable by you only)."
        )
