"""Users to act upon, in and out of the personas' scopes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from waspada.accounts.roles import Role
from waspada.accounts.testing import ensure_area, make_user


@pytest.fixture
def targets(db):
    """t6271 (operator, 62.71) · t6201 (operator, 62.01) · t63 (analyst, 63.71) ·
    tmixed (operator, 62.71 and 63.71) · tnational (national admin, no area)."""
    ensure_area("63.71")
    return SimpleNamespace(
        t6271=make_user("t6271", Role.OPERATOR, ["62.71"], full_name="Tari Palangka"),
        t6201=make_user("t6201", Role.OPERATOR, ["62.01"], full_name="Tono Pangkalan Bun"),
        t63=make_user("t63", Role.ANALYST, ["63.71"], full_name="Tina Banjarmasin"),
        tmixed=make_user("tmixed", Role.OPERATOR, ["62.71", "63.71"], full_name="Tomi Dua"),
        tnational=make_user("tnational", Role.NATIONAL_ADMIN, [], full_name="Tati Pusat"),
    )
