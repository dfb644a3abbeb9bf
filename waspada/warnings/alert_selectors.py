"""Reads of alerts, their acknowledgements and comments, subscriptions and deliveries.

Every function takes the user first. Alerts are visible in the user's area scope (the alert's
area inside one of the user's areas); "get by id" answers 404 for missing and out-of-scope alike.
Subscriptions are the user's own. Deliveries are the user's own, and for an area admin or a
national admin also those of alerts in their scope (the delivery status page).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from waspada.core.scoping import scope_q, user_covers, user_scope_q
from waspada.geo.models import Area
from waspada.warnings.choices import LEVEL_COLOURS, AlertKind, RiskLevel
from waspada.warnings.models import (
    Alert,
    AlertAcknowledgement,
    AlertComment,
    Delivery,
    Subscription,
)

ADMIN_PERMISSION = "users.manage"  # area admins and national admins


def is_delivery_admin(user: Any) -> bool:
    """True for users who see the deliveries of everyone in their scope (area/national admins)."""
    return bool(user.is_authenticated and user.has_role_permission(ADMIN_PERMISSION))


# ---------------------------------------------------------------- alerts


def visible_alerts(user: Any) -> QuerySet[Alert]:
    """Alerts of areas in the user's scope, newest first, with `ack_count` and `acked_by_me`.

    Anonymous visitors and users without areas see none.
    """
    if not user.is_authenticated:
        return Alert.objects.none()
    qs = Alert.objects.select_related("area")
    condition = user_scope_q(user, "area__code")
    if condition is not None:
        qs = qs.filter(condition)
    mine = AlertAcknowledgement.objects.filter(alert=OuterRef("pk"), user_id=user.pk)
    return qs.annotate(
        ack_count=Count("acknowledgements", distinct=True), acked_by_me=Exists(mine)
    ).order_by("-created_at", "-id")


def list_alerts(
    user: Any,
    *,
    level: int | None = None,
    area_code: str = "",
    acknowledged: bool | None = None,
) -> QuerySet[Alert]:
    """Visible alerts, filtered: `level` (at least this level), `area_code` (that area and
    everything below), `acknowledged` (True: acknowledged by anyone; False: by nobody yet)."""
    qs = visible_alerts(user)
    if level is not None:
        qs = qs.filter(level__gte=level)
    if area_code:
        qs = qs.filter(scope_q([area_code], "area__code"))
    if acknowledged is not None:
        # ack_count is annotated by visible_alerts (the stubs cannot see annotations)
        qs = qs.filter(ack_count__gt=0) if acknowledged else qs.filter(ack_count=0)  # type: ignore[misc]
    return qs


def get_alert(user: Any, pk: int | str) -> Alert:
    """One visible alert. Raises Http404 when it is missing or outside the user's scope."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    found = visible_alerts(user).filter(pk=key).first()
    if found is None:
        raise Http404
    return found


def alert_comments(user: Any, alert: Alert) -> QuerySet[AlertComment]:
    """Comments on a visible alert, oldest first (none when the alert is not visible)."""
    if not user_covers(user, alert.area_id):
        return AlertComment.objects.none()
    return (
        AlertComment.objects.filter(alert=alert).select_related("user").order_by("created_at", "id")
    )


def alert_acknowledgements(user: Any, alert: Alert) -> QuerySet[AlertAcknowledgement]:
    """Who acknowledged a visible alert, and when (first first)."""
    if not user_covers(user, alert.area_id):
        return AlertAcknowledgement.objects.none()
    return (
        AlertAcknowledgement.objects.filter(alert=alert).select_related("user").order_by("at", "id")
    )


# ---------------------------------------------------------------- what an alert says


@dataclass
class AlertText:
    """The words of an alert, shared by the pages, the e-mail, the inbox and the webhook."""

    area_code: str
    area_name: str
    area_path: str
    level: int
    level_label: str
    level_slug: str
    colour: str
    previous_level: int
    previous_label: str
    headline: str
    reasons: list[str] = field(default_factory=list)
    path: str = ""
    url: str = ""


def _number(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return str(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number and abs(number) < 0.01:  # small p-values: two significant digits, not "0"
        return f"{number:.2g}"
    return f"{number:.2f}".rstrip("0").rstrip(".")


def _first(data: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if key in data and data[key] is not None:
            return data[key]
    return None


def reason_lines(alert: Alert) -> list[str]:
    """The alert's reasons in plain Indonesian (never item titles: the reasons hold ids only).

    Reads the factors the engine stores (`reasons["factors"]` or the reasons themselves):
    recency-weighted severity, the escalation test, the structural input, the thresholds and
    the rule that set the level, hysteresis, and the number of contributing items.
    """
    raw = alert.reasons if isinstance(alert.reasons, dict) else {}
    nested = raw.get("factors")
    factors: dict[str, Any] = nested if isinstance(nested, dict) else raw
    lines: list[str] = [
        _("Skor risiko %(score)s pada %(day)s.")
        % {"score": _number(alert.score), "day": alert.day.strftime("%d-%m-%Y")}
    ]
    severity = _first(factors, "decayed_severity", "severity", "severity_decayed")
    if severity is not None:
        text = _("Bobot keparahan kejadian terverifikasi (yang baru lebih berat): %(value)s") % {
            "value": _number(severity)
        }
        half_life = factors.get("half_life_days")
        if half_life is not None:
            text += " " + _("(bobot tinggal separuh setelah %(n)s hari)") % {
                "n": _number(half_life)
            }
        lines.append(text + ".")
    nested = factors.get("escalation")
    esc: dict[str, Any] = nested if isinstance(nested, dict) else factors
    recent = _first(esc, "recent_items", "k")
    expected = _first(esc, "expected_items", "lambda", "expected")
    p_value = _first(esc, "p_value", "p")
    if recent is not None and expected is not None:
        lines.append(
            _(
                "%(recent)s kejadian dalam periode terakhir, padahal biasanya sekitar "
                "%(expected)s di wilayah ini."
            )
            % {"recent": _number(recent), "expected": _number(expected)}
        )
    if esc.get("escalating"):
        text = _("Ada tanda eskalasi: kenaikan ini terlalu besar untuk dianggap kebetulan")
        if p_value is not None:
            text += f" (p = {_number(p_value)})"
        lines.append(text + ".")
    structural = _first(factors, "structural", "structural_value")
    if structural is not None:
        lines.append(_("Nilai kerawanan struktural wilayah: %(v)s.") % {"v": _number(structural)})
    thresholds = factors.get("thresholds")
    if isinstance(thresholds, list | tuple) and len(thresholds) == 3:
        lines.append(
            _("Ambang level: Waspada dari %(a)s, Siaga dari %(b)s, Awas dari %(c)s.")
            % {
                "a": _number(thresholds[0]),
                "b": _number(thresholds[1]),
                "c": _number(thresholds[2]),
            }
        )
    rule = _first(factors, "rule", "level_rule")
    if rule == "escalation":
        lines.append(_("Level dinaikkan oleh sinyal eskalasi."))
    elif rule == "score":
        lines.append(_("Level ditentukan oleh skor."))
    if factors.get("hysteresis_held") or factors.get("held"):
        lines.append(_("Level dipertahankan (histeresis) agar tidak naik-turun."))
    top = raw.get("top_items") or factors.get("top_items")
    if isinstance(top, list) and top:
        lines.append(
            _("%(n)s kejadian terverifikasi paling berpengaruh (lihat penjelasan skor).")
            % {"n": len(top)}
        )
    return lines


def alert_path(alert: Alert) -> str:
    return reverse("warnings:alert_detail", args=[alert.pk])


def absolute_url(path: str) -> str:
    return str(settings.WASPADA_SITE_URL).rstrip("/") + path


def describe_alert(alert: Alert) -> AlertText:
    """What the alert says, in words (area path name, levels and colour words, reasons, link)."""
    level = RiskLevel(alert.level)
    previous = RiskLevel(alert.previous_level)
    area = alert.area
    if alert.kind == AlertKind.SUSTAINED:
        headline = _("%(area)s bertahan di level %(level)s") % {
            "area": area.display_name,
            "level": level.label,
        }
    else:
        headline = _("%(area)s naik dari %(prev)s ke %(level)s") % {
            "area": area.display_name,
            "prev": previous.label,
            "level": level.label,
        }
    path = alert_path(alert)
    return AlertText(
        area_code=area.code,
        area_name=area.display_name,
        area_path=area.path_name,
        level=int(level),
        level_label=f"{level.label} ({colour_word(int(level))})",
        level_slug=level.slug,
        colour=LEVEL_COLOURS[int(level)],
        previous_level=int(previous),
        previous_label=f"{previous.label} ({colour_word(int(previous))})",
        headline=headline,
        reasons=reason_lines(alert),
        path=path,
        url=absolute_url(path),
    )


def colour_word(level: int) -> str:
    """The colour of a level in words: hijau, kuning, oranye, merah."""
    return [_("hijau"), _("kuning"), _("oranye"), _("merah")][level]


# ---------------------------------------------------------------- subscriptions


def list_subscriptions(user: Any) -> QuerySet[Subscription]:
    """The user's own active subscriptions."""
    if not user.is_authenticated:
        return Subscription.objects.none()
    return Subscription.objects.filter(user_id=user.pk, active=True).select_related("area")


def get_subscription(user: Any, pk: int | str) -> Subscription:
    """One of the user's own active subscriptions. Raises Http404 otherwise."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    found = list_subscriptions(user).filter(pk=key).first()
    if found is None:
        raise Http404
    return found


def get_subscription_by_token(token: str) -> Subscription:
    """The subscription an unsubscribe link names (active or not). Raises Http404 otherwise."""
    found = (
        Subscription.objects.filter(unsubscribe_token=token).select_related("area", "user").first()
        if token
        else None
    )
    if found is None:
        raise Http404
    return found


def subscribable_areas(user: Any) -> QuerySet[Area]:
    """The user's own areas (the roots of what they may subscribe to)."""
    if not user.is_authenticated:
        return Area.objects.none()
    return Area.objects.filter(code__in=sorted(user.scope_area_codes)).order_by("code")


# ---------------------------------------------------------------- deliveries


def visible_deliveries(user: Any) -> QuerySet[Delivery]:
    """The user's own deliveries; an area admin or national admin also sees the deliveries of
    alerts in their scope. Newest first."""
    if not user.is_authenticated:
        return Delivery.objects.none()
    qs = Delivery.objects.select_related("alert", "alert__area", "subscription__user")
    own = Q(subscription__user_id=user.pk)
    if is_delivery_admin(user):
        condition = user_scope_q(user, "alert__area__code")
        if condition is None:
            return qs.order_by("-created_at", "-id")
        return qs.filter(own | condition).order_by("-created_at", "-id")
    return qs.filter(own).order_by("-created_at", "-id")


def list_deliveries(
    user: Any, *, status: str = "", alert_id: int | None = None
) -> QuerySet[Delivery]:
    """Visible deliveries, optionally of one status or one alert."""
    qs = visible_deliveries(user)
    if status:
        qs = qs.filter(status=status)
    if alert_id is not None:
        qs = qs.filter(alert_id=alert_id)
    return qs


def get_delivery(user: Any, pk: int | str) -> Delivery:
    """One visible delivery. Raises Http404 otherwise."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    found = visible_deliveries(user).filter(pk=key).first()
    if found is None:
        raise Http404
    return found
