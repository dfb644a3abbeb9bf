"""The inbox page `/notifikasi/`: list, mark one read (and follow its link), mark all read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waspada.notifications import selectors, services

PAGE_SIZE = 30


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first; `?belum=1` shows the unread ones only."""
    unread_only = request.GET.get("belum") == "1"
    notifications = selectors.list_notifications(request.user, unread_only=unread_only)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread_only": unread_only,
        "unread": selectors.unread_count(request.user),
    }
    return render(request, "notifications/inbox.html", context)


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read, then open its link (or go back to the inbox)."""
    notification = selectors.get_notification(request.user, pk)
    services.mark_read(notification, actor=request.user)
    target = notification.url
    if request.POST.get("stay") == "1" or not url_has_allowed_host_and_scheme(
        target, allowed_hosts=None
    ):
        target = reverse("notifications:inbox")
    return HttpResponseRedirect(target)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    """Mark every unread notification read."""
    count = services.mark_all_read(actor=request.user)
    messages.success(request, _("%(n)d notifikasi ditandai sudah dibaca.") % {"n": count})
    return redirect("notifications:inbox")
