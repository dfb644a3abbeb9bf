"""Writes on users: every change checks the actor's scope and role and writes an audit entry.

`actor` None means the system (management commands, set-up, background jobs): it may do anything.
A human actor needs the "users.manage" permission, may only touch users whose every area lies
inside its own scope, and may only give roles up to its own rank (`roles.can_grant`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import IO

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from waspada.accounts import tasks
from waspada.accounts.csv_import import ImportResult, check_file
from waspada.accounts.models import AreaAssignment, User
from waspada.accounts.roles import RANK, can_grant
from waspada.accounts.validation import (
    clean_codes,
    password_errors,
    profile_errors,
    role_area_errors,
    username_errors,
)
from waspada.core import audit
from waspada.core.errors import InvalidInput, OutOfScope
from waspada.core.permissions import ensure_can
from waspada.geo.models import Area

# ---------------------------------------------------------------- helpers


def _assigned_codes(user: User) -> list[str]:
    """The codes a user is assigned to, read from the table (also for inactive users)."""
    return sorted(AreaAssignment.objects.filter(user=user).values_list("area_id", flat=True))


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


CLEARANCE_RANK = {"biasa": 0, "terbatas": 1, "rahasia": 2}


def _check_clearance(actor: User | None, clearance: str) -> None:
    """A known clearance, and never above the actor's own (system actors may grant any)."""
    if clearance not in CLEARANCE_RANK:
        raise InvalidInput(
            _("Data pengguna tidak valid."),
            {"clearance": [_("Izin klasifikasi tidak dikenal: %(c)s") % {"c": clearance}]},
        )
    above_own = actor is not None and (
        CLEARANCE_RANK[clearance] > CLEARANCE_RANK.get(actor.clearance, 0)
    )
    if above_own and not (actor is not None and actor.is_superuser):
        raise PermissionDenied("clearance above the actor's own")


def _ensure_can_manage(actor: User | None, target: User) -> list[str]:
    """Raise unless `actor` may manage `target`; returns the target's assigned codes.

    Every area of the target must lie inside the actor's scope (OutOfScope otherwise, so a user
    of another area looks like a missing one). A user without areas (a national admin) is only
    within reach of an actor with national scope. A target ranked above the actor is refused with
    PermissionDenied.
    """
    codes = _assigned_codes(target)
    if actor is None:
        return codes
    if codes:
        for code in codes:
            ensure_can(actor, "users.manage", code)
    else:
        if not actor.has_national_scope:
            raise OutOfScope()
        ensure_can(actor, "users.manage")
    if not actor.is_superuser and not can_grant(actor.role, target.role):
        raise PermissionDenied("target ranked above the actor")
    return codes


def _resolve_areas(area_codes: Sequence[str]) -> list[Area]:
    found = {a.code: a for a in Area.objects.filter(code__in=list(area_codes))}
    missing = [c for c in area_codes if c not in found]
    if missing:
        raise InvalidInput(
            _("Kode wilayah tidak dikenal: %(codes)s") % {"codes": ", ".join(missing)},
            {"areas": [_("Kode wilayah tidak dikenal: %(c)s") % {"c": c} for c in missing]},
        )
    return [found[c] for c in area_codes]


def _area_of(codes: Iterable[str]) -> str:
    """The area an audit entry about a user is filed under: its widest assigned area."""
    ordered = sorted(codes, key=lambda c: (c.count("."), c))
    return ordered[0] if ordered else ""


def _forget_scope(user: User) -> None:
    user.__dict__.pop("scope_area_codes", None)


# ---------------------------------------------------------------- create and update


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
    clearance: str = "terbatas",
) -> User:
    """Create an active user with a role and area assignments.

    `actor` None means the system (management commands, set-up). Raises InvalidInput for an
    unknown role or area, a malformed or taken username, a bad e-mail or a password the policy
    refuses; OutOfScope for an area outside the actor's scope, PermissionDenied for a role above
    the actor's. Without a password the account cannot log in until a password reset.
    """
    area_codes = clean_codes(area_codes)
    errors = role_area_errors(role, area_codes)
    name_errors = username_errors(username)
    if name_errors:
        errors["username"] = name_errors
    errors.update(profile_errors(email=email, full_name=full_name, phone=phone, position=position))
    if errors:
        raise InvalidInput(_("Data pengguna tidak valid."), errors)
    areas = _resolve_areas(area_codes)
    _check_grant(actor, role, area_codes)
    _check_clearance(actor, clearance)
    user = User(
        clearance=clearance,
        username=username,
        role=role,
        email=email,
        full_name=full_name,
        phone=phone,
        position=position,
    )
    if password is None or password == "":
        user.set_unusable_password()
    else:
        refused = password_errors(password, user)
        if refused:
            raise InvalidInput(_("Kata sandi ditolak."), {"password": refused})
        user.set_password(password)
    user.save()
    AreaAssignment.objects.bulk_create([AreaAssignment(user=user, area=a) for a in areas])
    audit.record(actor=actor, action="user.created", obj=user, area_code=_area_of(area_codes))
    return user


@transaction.atomic
def update_user(
    *,
    actor: User | None,
    user: User,
    role: str | None = None,
    area_codes: Sequence[str] | None = None,
    full_name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    position: str | None = None,
    clearance: str | None = None,
) -> User:
    """Change a user's role, areas, clearance, name or contact; None leaves a value as it is.

    The actor must be able to manage the user as it is (every current area inside the actor's
    scope, else OutOfScope) and as it will be (every new area inside the scope, the new role not
    above the actor's rank, else PermissionDenied). Nobody raises their own role. Raises
    InvalidInput for unknown roles or areas, a national admin with areas or another role without,
    and malformed details. Writes "user.updated" when something changed; returns the user.
    """
    User.objects.select_for_update().filter(pk=user.pk).first()
    user.refresh_from_db()
    _forget_scope(user)
    old_codes = _ensure_can_manage(actor, user)
    new_role = user.role if role is None else role
    new_codes = old_codes if area_codes is None else clean_codes(area_codes)
    profile = {
        name: value
        for name, value in (
            ("full_name", full_name),
            ("email", email),
            ("phone", phone),
            ("position", position),
        )
        if value is not None
    }
    errors = role_area_errors(new_role, new_codes)
    errors.update(profile_errors(**profile))
    if errors:
        raise InvalidInput(_("Data pengguna tidak valid."), errors)
    areas = _resolve_areas(new_codes)
    if actor is not None:
        if actor.pk == user.pk and RANK.get(new_role, 99) > RANK.get(user.role, 0):
            raise PermissionDenied("nobody raises their own role")
        _check_grant(actor, new_role, new_codes)
    if clearance is not None:
        _check_clearance(actor, clearance)
        if actor is not None and actor.pk == user.pk and clearance != user.clearance:
            raise PermissionDenied("nobody changes their own clearance")

    before = audit.snapshot(user)
    changed: list[str] = []
    if new_role != user.role:
        user.role = new_role
        changed.append("role")
    if clearance is not None and clearance != user.clearance:
        user.clearance = clearance
        changed.append("clearance")
    for name, value in profile.items():
        if getattr(user, name) != value:
            setattr(user, name, value)
            changed.append(name)
    if changed:
        user.save(update_fields=changed)
    areas_changed = sorted(new_codes) != old_codes
    if areas_changed:
        AreaAssignment.objects.filter(user=user).exclude(area_id__in=new_codes).delete()
        AreaAssignment.objects.bulk_create(
            [AreaAssignment(user=user, area=a) for a in areas if a.code not in old_codes]
        )
        _forget_scope(user)
    if changed or areas_changed:
        audit.record(
            actor=actor,
            action="user.updated",
            obj=user,
            before=before,
            area_code=_area_of(new_codes or old_codes),
        )
    return user


@transaction.atomic
def set_user_active(*, actor: User | None, user: User, active: bool) -> User:
    """Deactivate (the user can no longer log in or use a token) or reactivate a user.

    Same reach as `update_user`; nobody deactivates themselves (InvalidInput). Setting the state
    a user already has changes nothing and writes nothing. Writes "user.deactivated" or
    "user.reactivated".
    """
    User.objects.select_for_update().filter(pk=user.pk).first()
    user.refresh_from_db()
    codes = _ensure_can_manage(actor, user)
    if actor is not None and actor.pk == user.pk and not active:
        raise InvalidInput(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    if user.is_active == active:
        return user
    before = audit.snapshot(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    _forget_scope(user)
    audit.record(
        actor=actor,
        action="user.reactivated" if active else "user.deactivated",
        obj=user,
        before=before,
        area_code=_area_of(codes),
    )
    return user


# ---------------------------------------------------------------- passwords


@transaction.atomic
def set_password_by_admin(*, actor: User | None, user: User, password: str) -> None:
    """An admin sets another user's password (for example before handing the account over).

    Same reach as `update_user`. Raises InvalidInput when the policy refuses the password, and
    when an admin targets their own account (that needs the old password: `change_own_password`).
    The user's existing sessions end, because their session hash depends on the password.
    Writes "user.password_set_by_admin" (never the password itself).
    """
    User.objects.select_for_update().filter(pk=user.pk).first()
    user.refresh_from_db()
    codes = _ensure_can_manage(actor, user)
    if actor is not None and actor.pk == user.pk:
        raise InvalidInput(
            _("Untuk akun Anda sendiri, gunakan halaman ganti kata sandi."),
            {"password": [_("Untuk akun Anda sendiri, gunakan halaman ganti kata sandi.")]},
        )
    errors = password_errors(password, user)
    if errors:
        raise InvalidInput(_("Kata sandi ditolak."), {"password": errors})
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(
        actor=actor, action="user.password_set_by_admin", obj=user, area_code=_area_of(codes)
    )


@transaction.atomic
def change_own_password(*, actor: User, old_password: str, new_password: str) -> None:
    """A user changes their own password, proving it with the old one.

    Raises InvalidInput when the old password is wrong or the policy refuses the new one.
    Writes "user.password_changed". The caller keeps the current session alive with
    `update_session_auth_hash`.
    """
    if not actor.check_password(old_password):
        raise InvalidInput(
            _("Kata sandi lama salah."), {"old_password": [_("Kata sandi lama salah.")]}
        )
    errors = password_errors(new_password, actor)
    if errors:
        raise InvalidInput(_("Kata sandi ditolak."), {"new_password1": errors})
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    audit.record(
        actor=actor,
        action="user.password_changed",
        obj=actor,
        area_code=_area_of(_assigned_codes(actor)),
    )


@transaction.atomic
def reset_password(*, user: User, new_password: str) -> None:
    """Set a new password through a valid reset link (the link proved the e-mail address).

    Raises InvalidInput when the policy refuses it. Writes "user.password_reset" with the user as
    actor.
    """
    errors = password_errors(new_password, user)
    if errors:
        raise InvalidInput(_("Kata sandi ditolak."), {"new_password1": errors})
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit.record(
        actor=user,
        action="user.password_reset",
        obj=user,
        area_code=_area_of(_assigned_codes(user)),
    )


@transaction.atomic
def request_password_reset(*, user: User) -> None:
    """Send `user` a password reset link by e-mail, through a background job after commit.

    Writes "user.password_reset_requested" (the requester is anonymous, so the actor is the
    system). The link is built in the job from `WASPADA_SITE_URL`, never from the request's Host
    header.
    """
    audit.record(
        actor=None,
        action="user.password_reset_requested",
        obj=user,
        after={"email": user.email},
        area_code=_area_of(_assigned_codes(user)),
    )
    tasks.send_password_reset_email.enqueue(user_id=user.pk)


# ---------------------------------------------------------------- sessions and tokens


@transaction.atomic
def record_login(*, user: User) -> None:
    """Write "user.logged_in" after a successful log-in."""
    audit.record(
        actor=user,
        action="user.logged_in",
        object_type=user._meta.label_lower,
        object_id=user.pk,
        area_code=_area_of(_assigned_codes(user)),
    )


@transaction.atomic
def record_logout(*, user: User) -> None:
    """Write "user.logged_out" before the session ends."""
    audit.record(
        actor=user,
        action="user.logged_out",
        object_type=user._meta.label_lower,
        object_id=user.pk,
        area_code=_area_of(_assigned_codes(user)),
    )


@transaction.atomic
def create_api_token(*, actor: User) -> Token:
    """Give the actor a new API token for machine clients, replacing any earlier one.

    The key is returned once to show it; the audit entry ("user.api_token_created") never holds it.
    """
    replaced = Token.objects.filter(user=actor).delete()[0] > 0
    token = Token.objects.create(user=actor)
    audit.record(
        actor=actor,
        action="user.api_token_created",
        object_type=actor._meta.label_lower,
        object_id=actor.pk,
        after={"created": token.created.isoformat(), "replaced_earlier_token": replaced},
        area_code=_area_of(_assigned_codes(actor)),
    )
    return token


@transaction.atomic
def revoke_api_token(*, actor: User) -> bool:
    """Delete the actor's API token; True when there was one ("user.api_token_revoked")."""
    deleted = Token.objects.filter(user=actor).delete()[0] > 0
    if deleted:
        audit.record(
            actor=actor,
            action="user.api_token_revoked",
            object_type=actor._meta.label_lower,
            object_id=actor.pk,
            area_code=_area_of(_assigned_codes(actor)),
        )
    return deleted


# ---------------------------------------------------------------- CSV import


@transaction.atomic
def import_users_csv(
    file: IO[bytes] | IO[str] | bytes | str, *, actor: User | None, dry_run: bool = False
) -> ImportResult:
    """Create many users from a CSV file, all or nothing.

    Columns: username, full_name, email, role, areas (codes separated by ";"), phone, position,
    password (optional; without it the user sets one through "lupa kata sandi"). Every problem is
    reported with its row (the header is row 1, as a spreadsheet shows it), column and message:
    unknown or out-of-scope area, unknown or too-high role, username repeated in the file or
    already taken, bad e-mail, password refused by the policy. Nothing is created unless every row
    is good; with `dry_run` nothing is created either and the result is the preview. Raises
    PermissionDenied when the actor lacks "users.manage". Each created user gets its own
    "user.created" entry, and the import one "users.imported" entry.
    """
    if actor is not None:
        ensure_can(actor, "users.manage")
    data = file if isinstance(file, bytes | str) else file.read()
    result = check_file(data, actor, dry_run=dry_run)
    if dry_run or not result.ok:
        return result
    for row in result.rows:
        result.created.append(
            create_user(
                actor=actor,
                username=row.username,
                role=row.role,
                area_codes=row.area_codes,
                password=row.password or None,
                email=row.email,
                full_name=row.full_name,
                phone=row.phone,
                position=row.position,
            )
        )
    audit.record(
        actor=actor,
        action="users.imported",
        object_type="accounts.user",
        object_id="",
        after={"count": len(result.created), "usernames": [u.username for u in result.created]},
        area_code=_area_of(actor.scope_area_codes) if actor is not None else "",
    )
    return result
