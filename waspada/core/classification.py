"""Security classification levels, shared by every app that stores classified content.

Ordered: a user whose clearance ranks at least an object's classification may read it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Classification(models.TextChoices):
    """Security classification of content, and the clearance of a user (the same scale)."""

    BIASA = "biasa", _("Biasa")
    TERBATAS = "terbatas", _("Terbatas")
    RAHASIA = "rahasia", _("Rahasia")


RANK: dict[str, int] = {"biasa": 0, "terbatas": 1, "rahasia": 2}


def readable_levels(clearance: str) -> list[str]:
    """The classification values a user with `clearance` may read ("" = unclassified)."""
    limit = RANK.get(clearance, 0)
    return ["", *(level for level, rank in RANK.items() if rank <= limit)]
