from typing import Any

from django.conf import settings
from django.http import HttpRequest


def waspada(request: HttpRequest) -> dict[str, Any]:
    """Values every page needs: demo banner and the user's area time zone label."""
    return {
        "WASPADA_DEMO": settings.WASPADA_DEMO,
        "AREA_TZ_LABEL": getattr(request, "area_tz_label", "WIB"),
    }
