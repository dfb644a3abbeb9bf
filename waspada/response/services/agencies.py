"""Writes of agencies and their members: checked ("response.manage" in the agency's area),
atomic, audited.

Audit actions: agency.created, agency.updated, agency.member_added, agency.member_removed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from waspada.core import audit
from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.permissions import ensure_can
from waspada.core.scoping import user_covers
from waspada.geo.models import Area
from waspada.response.access import forget_memberships
from waspada.response.choices import AgencyKind
from waspada.response.models import Agency, AgencyMember

if TYPE_CHECKING:
    from waspada.accounts.models import User

MANAGE_PERMISSION = "response.manage"
EDITABLE_FIELDS = (
    "kind",
    "name",
    "short_name",
    "contact_name",
    "contact_phone",
    "contact_email",
    "address",
    "active",
)
LIMITS = {"name": 200, "short_name": 60, "contact_name": 150, "contact_phone": 40}
STALE = "Instansi ini telah diubah oleh pengguna lain. Muat ulang lalu ulangi perubahan Anda."


def _clean(fields: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """Validated agency fields; raises InvalidInput with every problem at once."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            errors.setdefault(name, []).append(_("Kolom ini tidak dapat diubah."))
            continue
        if name == "active":
            clean[name] = bool(value)
            continue
        text = str(value or "").strip()
        if name == "kind":
            if text not in AgencyKind.values:
                errors.setdefault(name, []).append(_("Jenis instansi tidak dikenal."))
                continue
        elif name == "contact_email" and text:
            try:
                validate_email(text)
            except ValidationError:
                errors.setdefault(name, []).append(_("Alamat surel tidak sah."))
                continue
        limit = LIMITS.get(name)
        if limit and len(text) > limit:
            errors.setdefault(name, []).append(_("Paling banyak %(n)d karakter.") % {"n": limit})
            continue
        clean[name] = text
    if (creating or "name" in clean) and not clean.get("name"):
        errors.setdefault("name", []).append(_("Nama instansi wajib diisi."))
    if creating and not clean.get("kind"):
        errors.setdefault("kind", []).append(_("Jenis instansi wajib dipilih."))
    if errors:
        raise InvalidInput(_("Periksa kembali isian instansi."), errors)
    return clean


@transaction.atomic
def create_agency(*, actor: User, area_code: str, kind: str, name: str, **fields: Any) -> Agency:
    """Create an agency serving `area_code`.

    Raises OutOfScope when the area lies outside the actor's scope (or does not exist),
    PermissionDenied without "response.manage", InvalidInput for bad fields, and Conflict when
    the area already has an agency of that name.
    """
    ensure_can(actor, MANAGE_PERMISSION, area_code)
    area = Area.objects.filter(code=area_code).first()
    if area is None:
        raise OutOfScope(area_code)
    clean = _clean({"kind": kind, "name": name, **fields}, creating=True)
    agency = Agency(area=area, **clean)
    try:
        with transaction.atomic():
            agency.save(force_insert=True)
    except IntegrityError:
        raise Conflict(_("Wilayah ini sudah punya instansi dengan nama itu.")) from None
    audit.record(actor=actor, action="agency.created", obj=agency, area_code=area.code)
    return agency


@transaction.atomic
def update_agency(agency: Agency, *, actor: User, version: int, **fields: Any) -> Agency:
    """Change an agency's details (or deactivate it with active=False).

    Raises Conflict when someone changed it since `version`, or when the new name is taken.
    """
    ensure_can(actor, MANAGE_PERMISSION, agency.area_id)
    clean = _clean(fields, creating=False)
    before = audit.snapshot(agency)
    try:
        with transaction.atomic():
            moved = Agency.objects.filter(pk=agency.pk, version=version).update(
                version=F("version") + 1, **clean
            )
    except IntegrityError:
        raise Conflict(_("Wilayah ini sudah punya instansi dengan nama itu.")) from None
    if moved != 1:
        raise Conflict(STALE)
    agency.refresh_from_db()
    audit.record(
        actor=actor, action="agency.updated", obj=agency, before=before, area_code=agency.area_id
    )
    return agency


@transaction.atomic
def add_member(agency: Agency, *, actor: User, user: User, position: str = "") -> AgencyMember:
    """Make `user` act for `agency` (idempotent: an existing member keeps their row).

    The user must be active and visible to the actor (one of their areas inside the actor's
    scope). Raises OutOfScope otherwise.
    """
    ensure_can(actor, MANAGE_PERMISSION, agency.area_id)
    if not user.is_active or not (
        actor.has_national_scope or any(user_covers(actor, code) for code in user.scope_area_codes)
    ):
        raise OutOfScope()
    position = position.strip()[:150]
    member, created = AgencyMember.objects.get_or_create(
        agency=agency, user=user, defaults={"position": position}
    )
    if not created and position and member.position != position:
        member.position = position
        member.save(update_fields=["position"])
    forget_memberships(user)
    if created:
        audit.record(
            actor=actor,
            action="agency.member_added",
            obj=member,
            area_code=agency.area_id,
            after={"agency": agency.pk, "user": user.pk, "position": position},
        )
    return member


@transaction.atomic
def remove_member(agency: Agency, *, actor: User, user: User) -> None:
    """Stop `user` acting for `agency` (nothing happens when they were not a member)."""
    ensure_can(actor, MANAGE_PERMISSION, agency.area_id)
    deleted, _rows = AgencyMember.objects.filter(agency=agency, user=user).delete()
    forget_memberships(user)
    if deleted:
        audit.record(
            actor=actor,
            action="agency.member_removed",
            object_type="response.agencymember",
            object_id=f"{agency.pk}:{user.pk}",
            area_code=agency.area_id,
            before={"agency": agency.pk, "user": user.pk},
        )
