"""Named test personas (the Healthchecks idea), built directly so each test gets fresh ones.

anonymous · operator_6271 (Kota Palangka Raya) · operator_6201 (Kab. Kotawaringin Barat) ·
analyst_62 (Kalimantan Tengah) · analyst_63 (Kalimantan Selatan) · leader_62 · area_admin_62 ·
national_admin. Tests reach them through the `persona` fixture or the access-matrix helper.
"""

from __future__ import annotations

from typing import Any

from waspada.accounts.models import AreaAssignment, User
from waspada.accounts.roles import Role
from waspada.geo.choices import AreaLevel
from waspada.geo.models import Area

PERSONA_PASSWORD = "Uji-sandi-2026"

# code -> (name, parent) for the areas the personas need; more can be added per test.
BASE_AREAS: dict[str, tuple[str, str | None]] = {
    "62": ("Kalimantan Tengah", None),
    "62.01": ("Kabupaten Kotawaringin Barat", "62"),
    "62.71": ("Kota Palangka Raya", "62"),
    "62.71.01": ("Pahandut", "62.71"),
    "62.71.02": ("Jekan Raya", "62.71"),
    "62.71.02.1001": ("Palangka", "62.71.02"),
    "62.01.01": ("Kumai", "62.01"),
    "63": ("Kalimantan Selatan", None),
    "63.71": ("Kota Banjarmasin", "63"),
}

PERSONAS: dict[str, tuple[str, list[str]]] = {
    "operator_6271": (Role.OPERATOR, ["62.71"]),
    "operator_6201": (Role.OPERATOR, ["62.01"]),
    "analyst_62": (Role.ANALYST, ["62"]),
    "analyst_63": (Role.ANALYST, ["63"]),
    "leader_62": (Role.LEADER, ["62"]),
    "area_admin_62": (Role.AREA_ADMIN, ["62"]),
    "national_admin": (Role.NATIONAL_ADMIN, []),
}

ALL_PERSONAS = ["anonymous", *PERSONAS]


def ensure_area(code: str, name: str | None = None) -> Area:
    """Create `code` (and its missing ancestors) with plausible names; returns the area."""
    existing = Area.objects.filter(code=code).first()
    if existing:
        return existing
    parent_code = code.rsplit(".", 1)[0] if "." in code else None
    parent = ensure_area(parent_code) if parent_code else None
    label = name or BASE_AREAS.get(code, (f"Wilayah {code}", None))[0]
    level = AreaLevel(code.count(".") + 1)
    path = label if parent is None else f"{label}, {parent.path_name}"
    return Area.objects.create(
        code=code,
        name=label,
        level=level,
        parent=parent,
        search_name=label.lower(),
        path_name=path,
    )


def ensure_base_areas() -> None:
    for code in BASE_AREAS:
        ensure_area(code)


def make_user(username: str, role: str, area_codes: list[str], **extra: Any) -> User:
    ensure_base_areas()
    user = User.objects.create_user(
        username=username,
        password=PERSONA_PASSWORD,
        role=role,
        email=f"{username}@example.test",
        **extra,
    )
    for code in area_codes:
        AreaAssignment.objects.create(user=user, area=ensure_area(code))
    return user


def make_persona(name: str) -> User:
    role, codes = PERSONAS[name]
    return make_user(name, role, codes, full_name=name.replace("_", " ").title())
