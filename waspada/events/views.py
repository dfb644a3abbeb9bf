"""Event pages: list, the event with its timeline, history and duplicates; scoped attachments.

An event or attachment the viewer may not see (outside scope or above clearance) is 404. Status
changes and merges go through `events.services`; a stale version is answered 409 on the page.
Attachments are only ever served here, after the item's scope and clearance are checked.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from waspada.accounts.models import User
from waspada.core.errors import Conflict, InvalidInput
from waspada.core.web import domain_view
from waspada.events import attachments, selectors, services
from waspada.events.filters import EventFilter
from waspada.events.forms import EventStatusForm, MergeForm, history_rows
from waspada.events.models import Event
from waspada.geo.zones import zone_for, zone_label

EVENTS_PER_PAGE = 25
REVIEW_PERMISSION = services.MANAGE_PERMISSION
# Images and PDF open in the browser; office documents are downloaded.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "application/pdf"})


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


event_view = domain_view


@event_view
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    """Events in the user's scope and clearance, newest first, with the shared EventFilter."""
    user = _user(request)
    query = request.GET.copy()
    query.pop("page", None)
    filterset = EventFilter(query or None, queryset=selectors.visible_events(user).none())
    errors = False
    try:
        events = selectors.list_events(user, query)
    except InvalidInput:
        errors = True
        events = selectors.visible_events(user).none()
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    # The item export takes the same filters, except the event status (items have their own).
    export_query = query.copy()
    export_query.pop("status", None)
    return render(
        request,
        "events/event_list.html",
        {
            "filter": filterset,
            "filter_errors": errors,
            "page": page,
            "query": query.urlencode(),
            "export_query": export_query.urlencode(),
            "filtered": bool(query),
        },
        status=400 if errors else 200,
    )


def _can_manage(user: User, event: Event) -> bool:
    return user.has_role_permission(REVIEW_PERMISSION)


def _response_context(user: Any, event: Event) -> dict[str, Any]:
    """What the response app holds on this event: its directives and cases, and whether the user
    may give a directive, open a case or ask for its Laporan Informasi."""
    from waspada.core.permissions import can
    from waspada.response.selectors.cases import cases_for_event
    from waspada.response.selectors.directives import directives_for_event

    return {
        "directives": list(directives_for_event(user, event)[:20]),
        "cases": cases_for_event(user, event),
        "can_direct": can(user, "response.direct", event.area_id),
        "can_open_case": can(user, "cases.manage", event.area_id),
        "can_brief": can(user, "reports.view", event.area_id),
    }


def _event_page(
    request: HttpRequest,
    event: Event,
    *,
    conflict: str = "",
    error: str = "",
    status_form: EventStatusForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    can_manage = _can_manage(user, event)
    candidates = (
        selectors.duplicate_candidates(user, event)
        if can_manage and event.merged_into_id is None
        else []
    )
    next_statuses = sorted(services.EVENT_TRANSITIONS.get(event.status, frozenset()))
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "timeline": selectors.event_timeline(user, event),
            "history": history_rows(selectors.event_history(user, event)),
            "merged": selectors.merged_duplicates(user, event),
            "candidates": candidates,
            "can_manage": can_manage,
            "status_form": status_form
            or EventStatusForm(initial={"version": event.version}, statuses=next_statuses),
            "has_next_status": bool(next_statuses),
            "conflict": conflict,
            "error": error,
            "zone": zone_label(event.area_id),
            "tz": zone_for(event.area_id),
            **_response_context(user, event),
        },
        status=status,
    )


@event_view
@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The event: its timeline (items across reports), history, duplicates and merges."""
    return _event_page(request, selectors.get_event(_user(request), pk))


@event_view
@require_POST
def event_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    event = selectors.get_event(user, pk)
    statuses = sorted(services.EVENT_TRANSITIONS.get(event.status, frozenset()))
    form = EventStatusForm(request.POST, statuses=statuses)
    if not form.is_valid():
        if not _can_manage(user, event):
            raise PermissionDenied(REVIEW_PERMISSION)
        return _event_page(request, event, status_form=form, status=400)
    try:
        services.change_event_status(
            event,
            actor=user,
            status=form.cleaned_data["status"],
            version=form.cleaned_data["version"],
        )
    except Conflict as exc:
        return _event_page(request, selectors.get_event(user, pk), conflict=exc.message, status=409)
    except InvalidInput as exc:
        return _event_page(request, event, error=exc.message, status=400)
    messages.success(request, _("Status kejadian diubah."))
    return redirect("events:event_detail", pk=event.pk)


@event_view
@require_POST
def event_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge a duplicate (posted id) into this event; reversible from either event's page."""
    user = _user(request)
    target = selectors.get_event(user, pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        if not _can_manage(user, target):
            raise PermissionDenied(REVIEW_PERMISSION)
        return _event_page(
            request, target, error=_("Pilih kejadian yang akan digabung."), status=400
        )
    duplicate = selectors.get_event(user, form.cleaned_data["duplicate"])
    try:
        services.merge_events(target=target, duplicate=duplicate, actor=user)
    except InvalidInput as exc:
        return _event_page(request, target, error=exc.message, status=400)
    except Conflict as exc:
        return _event_page(request, target, conflict=exc.message, status=409)
    messages.success(
        request,
        _("%(dup)s digabung ke %(target)s. Penggabungan dapat dibatalkan dari halaman ini.")
        % {"dup": duplicate.reference, "target": target.reference},
    )
    return redirect("events:event_detail", pk=target.pk)


@event_view
@require_POST
def event_unmerge(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo the merge of this (duplicate) event: its items come back to it."""
    user = _user(request)
    duplicate = selectors.get_event(user, pk)
    target_id = duplicate.merged_into_id
    try:
        services.unmerge_event(duplicate, actor=user)
    except InvalidInput as exc:
        return _event_page(request, duplicate, error=exc.message, status=400)
    except Conflict as exc:
        return _event_page(request, duplicate, conflict=exc.message, status=409)
    messages.success(request, _("Penggabungan dibatalkan; butirnya kembali ke kejadian ini."))
    next_pk = request.POST.get("next")
    if next_pk and next_pk.isdigit() and int(next_pk) == target_id:
        return redirect("events:event_detail", pk=target_id)
    return redirect("events:event_detail", pk=duplicate.pk)


# ---------------------------------------------------------------- attachments


@event_view
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The file, for viewers of its item only (404 otherwise). Never cached by shared caches."""
    attachment = attachments.get_attachment(_user(request), pk)
    name = attachment.file.name or ""
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    inline = attachment.content_type in INLINE_TYPES and request.GET.get("unduh") is None
    response = FileResponse(
        handle,
        content_type=attachment.content_type,
        as_attachment=not inline,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Whatever a file holds, it runs nothing in our origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["Cache-Control"] = "private, max-age=300"
    patch_vary_headers(response, ["Cookie"])
    return response


@event_view
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    attachment = attachments.get_attachment(user, pk)
    item = attachment.item
    try:
        attachments.remove_attachment(attachment, actor=user)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Lampiran %(name)s dihapus.") % {"name": attachment.original_name}
        )
    return redirect("reports:item_edit", pk=item.report_id, item_pk=item.pk)
