"""Checks and input cleaning shared by the Timdu and RAD services (`timdu`,
`timdu_activities`): who may change a Timdu, and typed values with Indonesian messages."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from waspada.core.errors import InvalidInput, OutOfScope
from waspada.core.permissions import ensure_can
from waspada.core.scoping import user_covers
from waspada.response.models import Timdu
from waspada.response.selectors.timdu import can_see_timdu

if TYPE_CHECKING:
    from waspada.accounts.models import User

MANAGE_PERMISSION = "response.manage"
STALE = _("Data ini telah diubah oleh pengguna lain. Muat ulang lalu ulangi perubahan Anda.")
TEXT_LIMITS = {
    "name": 200,
    "chair": 200,
    "decree_number": 120,
    "title": 200,
    "target": 200,
    "description": 4000,
}


def ensure_manage(actor: User, timdu: Timdu) -> None:
    """Raise unless the actor may change the Timdu (its members, plans and activities).

    OutOfScope (404) when the actor cannot see the Timdu at all; PermissionDenied (403) when they
    see it (as a member or a reader) but lack "response.manage" over its area.
    """
    if not user_covers(actor, timdu.area_id):
        if can_see_timdu(actor, timdu):
            raise PermissionDenied(MANAGE_PERMISSION)
        raise OutOfScope(timdu.area_id)
    ensure_can(actor, MANAGE_PERMISSION, timdu.area_id)


def clean_version(version: Any) -> int:
    try:
        return int(version)
    except (TypeError, ValueError):
        message = _("Versi wajib diisi (angka); muat ulang halaman.")
        raise InvalidInput(message, {"version": [message]}) from None


def text_field(
    name: str, value: Any, errors: dict[str, list[str]], *, required: bool = False
) -> str:
    text = str(value or "").strip()
    limit = TEXT_LIMITS.get(name)
    if required and not text:
        errors.setdefault(name, []).append(_("Wajib diisi."))
    elif limit and len(text) > limit:
        errors.setdefault(name, []).append(_("Paling banyak %(n)d karakter.") % {"n": limit})
    return text


def whole(
    name: str,
    value: Any,
    errors: dict[str, list[str]],
    *,
    low: int,
    high: int | None = None,
    message: str,
) -> int:
    """An integer within [low, high]; anything else adds `message` under `name`."""
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    else:
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            number = None
    if number is None or number < low or (high is not None and number > high):
        errors.setdefault(name, []).append(message)
        return low
    return number


def date_field(name: str, value: Any, errors: dict[str, list[str]]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.setdefault(name, []).append(_("Tanggal tidak sah (TTTT-BB-HH)."))
        return None


def unknown_fields(
    fields: dict[str, Any], allowed: tuple[str, ...], errors: dict[str, list[str]]
) -> None:
    for name in fields:
        if name not in allowed:
            errors.setdefault(name, []).append(_("Kolom ini tidak dapat diubah."))


def raise_errors(errors: dict[str, list[str]], message: str) -> None:
    if errors:
        raise InvalidInput(message, errors)
