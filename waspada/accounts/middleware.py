"""Shows times in the zone of the user's own area (WIB, WITA, WIT)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from waspada.geo.zones import zone_for, zone_label


class AreaTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        code = getattr(user, "primary_area_code", None) if user and user.is_authenticated else None
        label = zone_label(code)
        request.area_tz_label = label  # type: ignore[attr-defined]
        timezone.activate(zone_for(code))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
