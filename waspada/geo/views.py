"""Area browser pages: /wilayah/, /wilayah/<code>/ and the search partial. Login required.

A user browses inside their scope only; ancestors above it answer 404, as in the API.
"""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from waspada.core.errors import OutOfScope
from waspada.core.scoping import ScopedUser
from waspada.geo import selectors
from waspada.geo.choices import AreaLevel
from waspada.geo.errors import LOAD_HINT
from waspada.geo.models import Area

SEARCH_PAGE_LIMIT = 30


def _browse(request: HttpRequest, area: Area | None) -> HttpResponse:
    user = cast(ScopedUser, request.user)  # login_required: an accounts.User
    try:
        children = selectors.list_children(user, area)
        area_map = selectors.children_map(user, area, children)
    except OutOfScope as exc:
        raise Http404 from exc
    rows = [
        (
            child,
            AreaLevel(child.level + 1).label.lower() if child.level < AreaLevel.VILLAGE else "",
        )
        for child in children
    ]
    context = {
        "area": area,
        "crumbs": selectors.breadcrumb(user, area) if area else [],
        "rows": rows,
        "has_counts": any(label for _child, label in rows),
        "children_level": (
            AreaLevel(area.level + 1).label
            if area is not None and area.level < AreaLevel.VILLAGE
            else (AreaLevel.PROVINCE.label if area is None else "")
        ),
        "map": area_map,
        "load_hint": _(LOAD_HINT),
    }
    return render(request, "geo/area_browser.html", context)


@login_required
def area_index(request: HttpRequest) -> HttpResponse:
    """The top of the browser: the provinces (national scope) or the user's own areas."""
    return _browse(request, None)


@login_required
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One area: breadcrumb, children with counts, map of the children."""
    try:
        area = selectors.get_area(cast(ScopedUser, request.user), code)
    except OutOfScope as exc:
        raise Http404 from exc
    return _browse(request, area)


@login_required
def area_search(request: HttpRequest) -> HttpResponse:
    """Search inside the user's scope: a partial for HTMX, a full page for a plain GET form."""
    query = request.GET.get("q", "").strip()[:100]
    results = (
        selectors.search_areas(
            cast(ScopedUser, request.user),
            query,
            mine=True,
            limit=SEARCH_PAGE_LIMIT,
        )
        if query
        else []
    )
    context = {"q": query, "results": results}
    if request.headers.get("HX-Request") == "true":
        response = render(request, "geo/_search_results.html", context)
    else:
        response = render(request, "geo/area_search.html", context)
    patch_vary_headers(response, ["HX-Request"])  # the same URL answers a partial or a page
    return response
