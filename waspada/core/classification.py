"""Security classification levels, shared by every app that stores classified content.

Ordered: a user whose clearance ranks at least an object's classification may read it.
"""

from __future__ import annotations

RANK: dict[str, int] = {"biasa": 0, "terbatas": 1, "rahasia": 2}


def readable_levels(clearance: str) -> list[str]:
    """The classification values a user with `clearance` may read ("" = unclassified)."""
    limit = RANK.get(clearance, 0)
    return ["", *(level for level, rank in RANK.items() if rank <= limit)]
