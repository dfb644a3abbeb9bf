"""Document pages under /dokumen/: my briefs and the request form, one brief (progress polled
with HTMX, then the DOCX and PDF downloads), the Laporan Informasi of an event, my brief
subscriptions, and the letterhead of an area.

Views parse, call one selector or service, and render. A brief is its reader's own: anyone else
gets 404, like an area outside their scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from waspada.briefs.choices import BriefKind, JobState
from waspada.briefs.content import common
from waspada.briefs.content.periods import previous_period
from waspada.briefs.forms_documents import BriefRequestForm, BriefSubscriptionForm, LetterheadForm
from waspada.briefs.models import Brief
from waspada.briefs.selectors import documents as selectors
from waspada.briefs.services import documents as services
from waspada.briefs.services.documents_schedule import brief_label, download_name
from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.web import domain_view
from waspada.geo import selectors as geo_selectors
from waspada.geo.zones import zone_for, zone_label

PER_PAGE = 25
READ = "reports.view"
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _user(request: HttpRequest) -> Any:
    """The signed-in user (domain_view has checked the log-in)."""
    return request.user


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _ensure_reader(user: Any) -> None:
    if not user.has_role_permission(READ):
        raise PermissionDenied(READ)


def _defaults(user: Any) -> dict[str, Any]:
    code = getattr(user, "primary_area_code", None) or ""
    today = timezone.now().astimezone(zone_for(code)).date()
    week, _end = previous_period(BriefKind.WEEKLY, today)
    month, _end = previous_period(BriefKind.MONTHLY, today)
    iso = week.isocalendar()
    return {
        "area": code,
        "kind": BriefKind.DAILY,
        "day": today - dt.timedelta(days=1),
        "week": f"{iso.year}-W{iso.week:02d}",
        "month": f"{month:%Y-%m}",
    }


def _rows(briefs: Any) -> list[dict[str, Any]]:
    return [{"brief": brief, "label": brief_label(brief)} for brief in briefs]


def _list_page(request: HttpRequest, form: BriefRequestForm, *, status: int = 200) -> HttpResponse:
    user = _user(request)
    page = Paginator(selectors.list_briefs(user), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "briefs/documents/brief_list.html",
        {
            "form": form,
            "page": page,
            "rows": _rows(page),
            "scope_areas": list(selectors.brief_areas(user)),
            "national": bool(getattr(user, "has_national_scope", False)),
            "can_letterhead": user.has_role_permission(services.LETTERHEAD),
        },
        status=status,
    )


@domain_view
@require_http_methods(["GET", "POST"])
def brief_list(request: HttpRequest) -> HttpResponse:
    """My briefs, newest first, with state and version; the form to request one."""
    user = _user(request)
    _ensure_reader(user)
    if request.method != "POST":
        return _list_page(request, BriefRequestForm(initial=_defaults(user)))
    form = BriefRequestForm(request.POST)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    try:
        brief = services.request_brief(actor=user, **form.service_kwargs())
    except OutOfScope:
        form.add_error("area", _("Wilayah ini di luar cakupan Anda."))
        return _list_page(request, form, status=400)
    except InvalidInput as exc:
        form.apply_errors(exc)
        return _list_page(request, form, status=400)
    except Conflict as exc:
        form.add_error(None, exc.message)
        return _list_page(request, form, status=409)
    messages.success(request, _("Dokumen sedang dibuat."))
    return redirect("briefs:brief_detail", pk=brief.pk)


def _detail_context(brief: Brief) -> dict[str, Any]:
    return {
        "brief": brief,
        "label": brief_label(brief),
        "working": brief.state in (JobState.QUEUED, JobState.RUNNING),
        "ready": brief.state == JobState.DONE and bool(brief.docx) and bool(brief.pdf),
        "failed": brief.state == JobState.FAILED,
        "zone": zone_for(brief.area_id),
        "zone_label": zone_label(brief.area_id),
    }


@domain_view
def brief_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One of my briefs: progress while it is built (HTMX asks again every 2 s), then the
    DOCX and PDF downloads, or the error."""
    brief = selectors.get_brief(_user(request), pk)
    context = _detail_context(brief)
    if _is_htmx(request):
        return render(request, "briefs/documents/_brief_status.html", context)
    return render(request, "briefs/documents/brief_detail.html", context)


@domain_view
def brief_download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    """The DOCX or PDF of one of my briefs (404 for anyone else, or while it is not built)."""
    brief = selectors.get_brief(_user(request), pk)
    if fmt not in CONTENT_TYPES or brief.state != JobState.DONE:
        raise Http404
    stored = brief.docx if fmt == "docx" else brief.pdf
    if not stored:
        raise Http404
    try:
        handle = stored.storage.open(stored.name or "", "rb")
    except OSError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        content_type=CONTENT_TYPES[fmt],
        as_attachment=True,
        filename=download_name(brief, fmt),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    patch_vary_headers(response, ["Cookie"])
    return response


@domain_view
@require_POST
def information_report(request: HttpRequest, event_id: int) -> HttpResponse:
    """Request the Laporan Informasi of an event and go to its page (404 for an event the user
    may not see)."""
    user = _user(request)
    try:
        brief = services.request_brief(actor=user, kind=BriefKind.INFORMATION, event_id=event_id)
    except InvalidInput as exc:
        messages.error(request, exc.message)
        return redirect("events:event_detail", pk=event_id)
    messages.success(request, _("Laporan Informasi sedang dibuat."))
    return redirect("briefs:brief_detail", pk=brief.pk)


# ---------------------------------------------------------------- subscriptions


def _subscription_page(
    request: HttpRequest, form: BriefSubscriptionForm, *, status: int = 200
) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "briefs/documents/subscription_list.html",
        {
            "form": form,
            "subscriptions": list(selectors.list_brief_subscriptions(user)),
            "scope_areas": list(selectors.brief_areas(user)),
            "national": bool(getattr(user, "has_national_scope", False)),
            "hour": settings.WASPADA_BRIEF_HOUR,
        },
        status=status,
    )


@domain_view
@require_http_methods(["GET", "POST"])
def subscription_list(request: HttpRequest) -> HttpResponse:
    """My subscriptions to scheduled briefs, and the form to add one."""
    user = _user(request)
    _ensure_reader(user)
    home = getattr(user, "primary_area_code", None) or ""
    if request.method != "POST":
        return _subscription_page(request, BriefSubscriptionForm(initial={"area": home}))
    form = BriefSubscriptionForm(request.POST)
    if not form.is_valid():
        return _subscription_page(request, form, status=400)
    try:
        services.subscribe_brief(actor=user, **form.service_kwargs())
    except OutOfScope:
        form.add_error("area", _("Wilayah ini di luar cakupan Anda."))
        return _subscription_page(request, form, status=400)
    except InvalidInput as exc:
        form.apply_errors(exc)
        return _subscription_page(request, form, status=400)
    except Conflict as exc:
        form.add_error(None, exc.message)
        return _subscription_page(request, form, status=409)
    messages.success(request, _("Langganan dokumen disimpan."))
    return redirect("briefs:subscription_list")


@domain_view
@require_POST
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop one of my brief subscriptions."""
    subscription = selectors.get_brief_subscription(_user(request), pk)
    services.unsubscribe_brief(subscription, actor=_user(request))
    messages.success(request, _("Langganan dokumen dihentikan."))
    return redirect("briefs:subscription_list")


# ---------------------------------------------------------------- letterhead


def _letterhead_page(
    request: HttpRequest, code: str, form: LetterheadForm, *, status: int = 200
) -> HttpResponse:
    area = geo_selectors.get_area(_user(request), code)
    own = selectors.get_own_letterhead(area.code)
    return render(
        request,
        "briefs/documents/letterhead.html",
        {
            "form": form,
            "area": area,
            "own": own,
            "effective": common.letterhead_for(area),
            "inherited": own is None and selectors.get_letterhead_for(area.code) is not None,
            "logo_uri": selectors.letterhead_logo_uri(own),
            "scope_areas": list(selectors.brief_areas(_user(request))),
        },
        status=status,
    )


@domain_view
@require_http_methods(["GET", "POST"])
def letterhead(request: HttpRequest) -> HttpResponse:
    """The letterhead (*kop*, logo, signer) of an area: ?wilayah=<code>, default my own area."""
    user = _user(request)
    if not user.has_role_permission(services.LETTERHEAD):
        raise PermissionDenied(services.LETTERHEAD)
    code = (request.GET.get("wilayah") or getattr(user, "primary_area_code", None) or "").strip()
    if not code:  # a national user picks the area first
        return render(
            request,
            "briefs/documents/letterhead.html",
            {"area": None, "scope_areas": [], "national": True},
        )
    if request.method != "POST":
        area = geo_selectors.get_area(user, code)
        effective = common.letterhead_for(area)
        own = selectors.get_own_letterhead(area.code)
        initial = {
            "lines": "\n".join(effective.lines),
            "address": effective.address,
            "city": effective.city,
            "signer_title": effective.signer_title,
            "signer_name": effective.signer_name,
            "signer_id": effective.signer_id,
        }
        if own is not None:
            initial["lines"] = own.lines
        return _letterhead_page(request, code, LetterheadForm(initial=initial))
    form = LetterheadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _letterhead_page(request, code, form, status=400)
    try:
        services.save_letterhead(actor=user, area_code=code, **form.service_kwargs())
    except InvalidInput as exc:
        form.apply_errors(exc)
        return _letterhead_page(request, code, form, status=400)
    messages.success(request, _("Kop surat disimpan."))
    return redirect(f"{request.path}?wilayah={code}")
