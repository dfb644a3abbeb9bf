"""Alert pages under /peringatan/: list, detail (acknowledge, comments, delivery status), my
subscriptions, the delivery status page for admins, and the unsubscribe link from e-mails.

Views parse, call one selector or service, and render. Alerts outside the user's scope are 404.
The unsubscribe page needs no log-in: the token in the link is the key, and its POST is exempt
from CSRF so that mail clients can unsubscribe in one click (RFC 8058).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.web import domain_view
from waspada.geo.zones import zone_label
from waspada.warnings import alert_selectors as selectors
from waspada.warnings import subscriptions as services
from waspada.warnings.choices import Channel, RiskLevel
from waspada.warnings.forms import (
    AlertFilterForm,
    CommentForm,
    DeliveryFilterForm,
    SubscriptionForm,
)
from waspada.warnings.models import Alert

PER_PAGE = 25


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _levels() -> list[dict[str, Any]]:
    return [
        {"value": int(level), "label": level.label, "colour": level.colour, "slug": level.slug}
        for level in RiskLevel
    ]


# ---------------------------------------------------------------- alerts


@domain_view
def alert_list(request: HttpRequest) -> HttpResponse:
    """Alerts in the user's scope, newest first; filters: level, area, acknowledged."""
    form = AlertFilterForm(request.GET or None)
    alerts = selectors.list_alerts(request.user, **form.selector_kwargs())
    page = Paginator(alerts, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = [{"alert": alert, "text": selectors.describe_alert(alert)} for alert in page]
    return render(
        request,
        "warnings/alerts/alert_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "levels": _levels(),
            "is_admin": selectors.is_delivery_admin(request.user),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _detail_context(request: HttpRequest, alert: Alert, **extra: Any) -> dict[str, Any]:
    user = request.user
    acks = list(selectors.alert_acknowledgements(user, alert))
    return {
        "alert": alert,
        "text": selectors.describe_alert(alert),
        "acks": acks,
        "acked_by_me": any(ack.user_id == user.pk for ack in acks),
        "comments": list(selectors.alert_comments(user, alert)),
        "comment_form": extra.pop("comment_form", None) or CommentForm(),
        "deliveries": list(selectors.list_deliveries(user, alert_id=alert.pk)[:200]),
        "zone": zone_label(alert.area_id),
        "explanation_url": f"/dasbor/wilayah/{alert.area_id}/?tanggal={alert.day.isoformat()}",
        **_response_context(user, alert),
        **extra,
    }


def _response_context(user: Any, alert: Alert) -> dict[str, Any]:
    """The directives given on this alert, and whether the user may give one."""
    from waspada.core.permissions import can
    from waspada.response.selectors.directives import directives_for_alert

    return {
        "directives": list(directives_for_alert(user, alert)[:20]),
        "can_direct": can(user, "response.direct", alert.area_id),
    }


@domain_view
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One alert: reasons in words, link to the score explanation, acknowledgements, comments
    and the delivery status of what the user may see."""
    alert = selectors.get_alert(request.user, pk)
    return render(request, "warnings/alerts/alert_detail.html", _detail_context(request, alert))


@domain_view
@require_POST
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """Acknowledge the alert (again is harmless). HTMX gets the acknowledgement block back."""
    alert = selectors.get_alert(request.user, pk)
    services.acknowledge(alert, actor=request.user)
    if _is_htmx(request):
        return render(request, "warnings/alerts/_acks.html", _detail_context(request, alert))
    messages.success(request, _("Peringatan ditandai sudah diterima."))
    return redirect("warnings:alert_detail", pk=alert.pk)


@domain_view
@require_POST
def alert_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a comment. HTMX gets the comment block back (with the form's message on error)."""
    alert = selectors.get_alert(request.user, pk)
    form = CommentForm(request.POST)
    saved = False
    if form.is_valid():
        try:
            services.comment(alert, actor=request.user, body=form.cleaned_data["body"])
        except InvalidInput as exc:
            form.add_error("body", exc.errors.get("body", [exc.message])[0])
        else:
            saved = True
    if saved and not _is_htmx(request):
        messages.success(request, _("Komentar ditambahkan."))
        return redirect("warnings:alert_detail", pk=alert.pk)
    context = _detail_context(request, alert, comment_form=None if saved else form)
    if _is_htmx(request):
        # htmx swaps only 2xx answers: the form's message comes back with 200.
        return render(request, "warnings/alerts/_comments.html", context)
    return render(request, "warnings/alerts/alert_detail.html", context, status=400)


# ---------------------------------------------------------------- subscriptions


def _subscription_page(
    request: HttpRequest, form: SubscriptionForm, *, status: int = 200, **extra: Any
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "warnings/subscriptions/subscription_list.html",
        {
            "form": form,
            "subscriptions": list(selectors.list_subscriptions(user)),
            "scope_areas": list(selectors.subscribable_areas(user)),
            "national": bool(getattr(user, "has_national_scope", False)),
            **extra,
        },
        status=status,
    )


@domain_view
@require_http_methods(["GET", "POST"])
def subscription_list(request: HttpRequest) -> HttpResponse:
    """My subscriptions, and the form to add one. A webhook's secret is shown once, here."""
    user = request.user
    home = getattr(user, "primary_area_code", None) or ""
    if request.method != "POST":
        return _subscription_page(request, SubscriptionForm(initial={"area": home}))
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        return _subscription_page(request, form, status=400)
    try:
        subscription, secret = services.subscribe(actor=user, **form.service_kwargs())
    except OutOfScope:
        form.add_error("area", _("Wilayah ini di luar cakupan Anda."))
        return _subscription_page(request, form, status=400)
    except InvalidInput as exc:
        form.apply_errors(exc)
        return _subscription_page(request, form, status=400)
    except Conflict as exc:
        form.add_error(None, exc.message)
        return _subscription_page(request, form, status=409)
    if subscription.channel == Channel.WEBHOOK:
        # Not a redirect: the secret exists only in this answer and is never shown again.
        return _subscription_page(
            request,
            SubscriptionForm(initial={"area": home}),
            status=201,
            created=subscription,
            secret=secret,
        )
    messages.success(request, _("Langganan disimpan."))
    return redirect("warnings:subscription_list")


@domain_view
@require_POST
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop one of my subscriptions (it is deactivated; past deliveries stay)."""
    subscription = selectors.get_subscription(request.user, pk)
    services.unsubscribe(subscription, actor=request.user)
    messages.success(request, _("Langganan dihentikan."))
    return redirect("warnings:subscription_list")


# ---------------------------------------------------------------- deliveries


@domain_view
def delivery_list(request: HttpRequest) -> HttpResponse:
    """Delivery status in the admin's scope: sent, retrying and failed, with the last error."""
    if not selectors.is_delivery_admin(request.user):
        raise PermissionDenied("warnings.deliveries")
    form = DeliveryFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    deliveries = selectors.list_deliveries(request.user, status=status)
    page = Paginator(deliveries, PER_PAGE * 2).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "warnings/alerts/delivery_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


# ---------------------------------------------------------------- unsubscribe link


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every alert e-mail: GET shows a confirmation form, POST unsubscribes."""
    subscription = selectors.get_subscription_by_token(token)
    done = False
    if request.method == "POST":
        subscription = services.unsubscribe_by_token(token)
        done = True
    return render(
        request,
        "warnings/subscriptions/unsubscribe.html",
        {"subscription": subscription, "done": done},
    )
