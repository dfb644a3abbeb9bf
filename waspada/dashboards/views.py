from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from waspada.core.selectors import list_audit_entries
from waspada.dashboards.selectors import scope_summary
from waspada.geo.choices import AreaLevel


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Beranda: who I am, my areas, what lies inside them, and recent changes I may see."""
    summary = scope_summary(request.user)
    recent = (
        list(list_audit_entries(request.user)[:8])
        if request.user.has_role_permission("audit.view")  # type: ignore[union-attr]
        else None
    )
    level_cards = [
        (AreaLevel.REGENCY.label, summary.counts.get(AreaLevel.REGENCY, 0)),
        (AreaLevel.DISTRICT.label, summary.counts.get(AreaLevel.DISTRICT, 0)),
        (AreaLevel.VILLAGE.label, summary.counts.get(AreaLevel.VILLAGE, 0)),
    ]
    return render(
        request,
        "dashboards/home.html",
        {"summary": summary, "level_cards": level_cards, "recent": recent, "now": timezone.now()},
    )
