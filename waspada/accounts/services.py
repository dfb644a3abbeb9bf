"""Writes on users: every change checks the actor's scope and role and writes an audit entry."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from waspada.accounts.models import AreaAssignment, User
from waspada.accounts.roles import Role, can_grant
from waspada.core import audit
from waspada.core.errors import InvalidInput
from waspada.core.permissions import ensure_can
from waspada.geo.models import Area


def _check_grant(actor: User | None, role: str, area_codes: Sequence[str]) -> None:
    """System actors (None) may do anything; admins only inside their scope, up to their rank."""
    if actor is None:
        return
    for code in area_codes:
        ensure_can(actor, "users.manage", code)
    if not area_codes:
        ensure_can(actor, "users.manage")
        if not actor.has_national_scope:
            raise PermissionDenied("only a national admin may create users without an area")
    if not actor.is_superuser and not can_grant(actor.role, role):
        raise PermissionDenied("role above the actor's own")


def _resolve_areas(area_codes: Sequence[str]) -> list[Area]:
    found = {a.code: a for a in Area.objects.filter(code__in=list(area_codes))}
    missing = [c for c in area_codes if c not in found]
    if missing:
        raise InvalidInput(
            _("Kode wilayah tidak dikenal: %(codes)s") % {"codes": ", ".join(missing)},
            {"areas": [_("Kode wilayah tidak dikenal: %(c)s") % {"c": c} for c in missing]},
        )
    return [found[c] for c in area_codes]


@transaction.atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    role: str,
    area_codes: Sequence[str],
    password: str | None = None,
    email: str = "",
    full_name: str = "",
    phone: str = "",
    position: str = "",
) -> User:
    """Create an active user with a role and area assignments.

    `actor` None means the system (management commands, set-up). Raises OutOfScope for an area
    outside the actor's scope, PermissionDenied for a role above the actor's, and InvalidInput
    for an unknown role or area, a taken username or a password the policy refuses. Without a
    password the account cannot log in until a reset.
    """
    errors: dict[str, list[str]] = {}
    if role not in Role.values:
        errors["role"] = [_("Peran tidak dikenal: %(role)s") % {"role": role}]
    if role == Role.NATIONAL_ADMIN and area_codes:
        errors["areas"] = [_("Admin nasional tidak diberi wilayah.")]
    if role != Role.NATIONAL_ADMIN and not area_codes:
        errors["areas"] = [_("Setiap pengguna selain admin nasional harus punya wilayah.")]
    if not username or User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("Nama pengguna sudah dipakai atau kosong.")]
    if errors:
        raise InvalidInput(_("Data pengguna tidak valid."), errors)
    _check_grant(actor, role, area_codes)
    areas = _resolve_areas(area_codes)
    user = User(
        username=username,
        role=role,
        email=email,
        full_name=full_name,
        phone=phone,
        position=position,
    )
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise InvalidInput(_("Kata sandi ditolak."), {"password": list(exc.messages)}) from exc
        user.set_password(password)
    user.save()
    AreaAssignment.objects.bulk_create([AreaAssignment(user=user, area=a) for a in areas])
    audit.record(
        actor=actor,
        action="user.created",
        obj=user,
        area_code=areas[0].code if areas else "",
    )
    return user
