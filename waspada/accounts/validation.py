"""Rules on user data shared by the services and the CSV import: each returns messages.

Every check returns Indonesian messages keyed by field (or a list), rather than raising, so the
import can report every problem of every row at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from waspada.accounts.models import User
from waspada.accounts.roles import Role

AREA_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
MAX_LENGTHS = {"full_name": 150, "phone": 30, "position": 150, "email": 254}


def clean_codes(area_codes: Sequence[str]) -> list[str]:
    """Strip and de-duplicate area codes, keeping their order."""
    seen: dict[str, None] = {}
    for code in area_codes:
        cleaned = code.strip()
        if cleaned:
            seen.setdefault(cleaned, None)
    return list(seen)


def role_area_errors(role: str, area_codes: Sequence[str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if role not in Role.values:
        errors["role"] = [_("Peran tidak dikenal: %(role)s") % {"role": role}]
    elif role == Role.NATIONAL_ADMIN and area_codes:
        errors["areas"] = [_("Admin nasional tidak diberi wilayah.")]
    elif role != Role.NATIONAL_ADMIN and not area_codes:
        errors["areas"] = [_("Setiap pengguna selain admin nasional harus punya wilayah.")]
    bad = [c for c in area_codes if not AREA_CODE.match(c)]
    if bad:
        errors.setdefault("areas", []).append(
            _("Format kode wilayah salah: %(codes)s (contoh: 62.71)") % {"codes": ", ".join(bad)}
        )
    return errors


def profile_errors(**values: str) -> dict[str, list[str]]:
    """Length and e-mail checks for the free-text profile fields that are given."""
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        limit = MAX_LENGTHS.get(name)
        if limit is not None and len(value) > limit:
            errors[name] = [_("Paling banyak %(n)d karakter.") % {"n": limit}]
    email = values.get("email")
    if email and "email" not in errors:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Alamat e-mail tidak valid.")]
    return errors


def username_format_errors(username: str) -> list[str]:
    if not username:
        return [_("Nama pengguna wajib diisi.")]
    if len(username) > 150:
        return [_("Nama pengguna paling banyak 150 karakter.")]
    try:
        User.username_validator(username)
    except ValidationError:
        return [_("Nama pengguna hanya boleh berisi huruf, angka, dan @ . + - _ tanpa spasi.")]
    return []


def username_taken_message(username: str) -> str:
    return _("Nama pengguna %(u)s sudah dipakai.") % {"u": username}


def username_errors(username: str) -> list[str]:
    errors = username_format_errors(username)
    if not errors and User.objects.filter(username__iexact=username).exists():
        errors = [username_taken_message(username)]
    return errors


def password_errors(password: str, user: User) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return list(exc.messages)
    return []
