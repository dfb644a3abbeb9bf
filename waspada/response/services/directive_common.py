"""Shared pieces of the directive services: permissions, limits, clean-up of input, notices.

Used by `directives` (issue, change, cancel), `follow_ups` (the agencies' follow-up) and
`directive_reminders` (reminders and the overdue escalation).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.core.classification import RANK as CLASSIFICATION_RANK
from waspada.core.classification import Classification
from waspada.core.errors import Conflict, OutOfScope
from waspada.core.scoping import user_covers
from waspada.events.selectors import can_read_classification
from waspada.geo.zones import zone_for, zone_label
from waspada.response.access import member_agency_ids
from waspada.response.choices import (
    DirectivePriority,
    DirectiveStatus,
    FollowUpStatus,
)
from waspada.response.models import (
    Agency,
    Directive,
    DirectiveAssignment,
)

if TYPE_CHECKING:
    from waspada.accounts.models import User

DIRECT_PERMISSION = "response.direct"
ACT_PERMISSION = "response.act"
COORDINATE_PERMISSION = "response.coordinate"
NOTIFICATION_KIND = "directive"

TITLE_MAX = 200
INSTRUCTION_MAX = 10_000
NOTE_MAX = 10_000
EDITABLE_FIELDS = frozenset({"title", "instruction", "priority", "due_date"})

# Which follow-up status may follow which (staying put records another progress note).
FOLLOW_UP_NEXT: dict[str, frozenset[str]] = {
    FollowUpStatus.PLANNED: frozenset(
        {
            FollowUpStatus.PLANNED,
            FollowUpStatus.IN_PROGRESS,
            FollowUpStatus.DONE,
            FollowUpStatus.CANNOT,
        }
    ),
    FollowUpStatus.IN_PROGRESS: frozenset(
        {FollowUpStatus.IN_PROGRESS, FollowUpStatus.DONE, FollowUpStatus.CANNOT}
    ),
    FollowUpStatus.DONE: frozenset(),
    FollowUpStatus.CANNOT: frozenset(),
}
UNFINISHED = (FollowUpStatus.PLANNED, FollowUpStatus.IN_PROGRESS)

STALE_DIRECTIVE = (
    "Arahan ini telah diubah oleh pengguna lain. Muat ulang halaman, periksa perubahannya, lalu "
    "ulangi perubahan Anda."
)
STALE_ASSIGNMENT = (
    "Tindak lanjut instansi ini telah diperbarui oleh pengguna lain. Muat ulang halaman, periksa "
    "perkembangan terbaru, lalu kirim lagi catatan Anda."
)


# ---------------------------------------------------------------- helpers


def due_at_for(area_code: str, due_date: dt.date) -> dt.datetime:
    """The end of `due_date` in the area's own zone (WIB/WITA/WIT), as an aware UTC datetime."""
    local_end = dt.datetime.combine(due_date, dt.time.max, tzinfo=zone_for(area_code))
    return local_end.astimezone(dt.UTC)


def local_today(area_code: str, now: dt.datetime | None = None) -> dt.date:
    """Today's date in the area's zone."""
    return timezone.localdate(now or timezone.now(), zone_for(area_code))


def cleared_for(user: Any, classification: str) -> bool:
    """True when `user` may read content of `classification` (superusers read everything)."""
    if user is None or not user.is_authenticated:
        return False
    return can_read_classification(user, classification or Classification.BIASA)


def can_see_directive(
    user: Any, directive: Directive, *, agency_ids: frozenset[int] | None = None
) -> bool:
    """The directive's area lies in the user's scope, or the user acts for an assigned agency;
    and the user is cleared for its classification."""
    if not cleared_for(user, directive.classification):
        return False
    if user_covers(user, directive.area_id):
        return True
    mine = member_agency_ids(user) if agency_ids is None else agency_ids
    if not mine:
        return False
    return DirectiveAssignment.objects.filter(directive=directive, agency_id__in=mine).exists()


def _directive_url(directive: Directive) -> str:
    return reverse("response:directive_detail", args=[directive.pk])


def _members(agency_ids: Iterable[int], classification: str) -> list[User]:
    """Active members of the agencies who are cleared for `classification`."""
    from waspada.accounts.models import User

    cleared = [
        c
        for c, rank in CLASSIFICATION_RANK.items()
        if rank >= CLASSIFICATION_RANK.get(classification, 0)
    ]
    return list(
        User.objects.filter(
            Q(clearance__in=cleared) | Q(is_superuser=True),
            is_active=True,
            agency_memberships__agency_id__in=list(agency_ids),
        )
        .distinct()
        .order_by("pk")
    )


def _tell(users: Sequence[Any], directive: Directive, *, title: str, body: str, key: str) -> int:
    """Notify `users` (those not cleared for the directive are left out) once per `key`."""
    from waspada.notifications.services import notify

    recipients = [u for u in users if u is not None and cleared_for(u, directive.classification)]
    if not recipients:
        return 0
    written = notify(
        recipients,
        kind=NOTIFICATION_KIND,
        title=title,
        body=body,
        url=_directive_url(directive),
        area_code=directive.area_id,
        key=key,
    )
    return len(written)


def _publish(directive: Directive, name: str, key: str, **data: Any) -> None:
    """Send the event `name` to the webhook subscriptions covering the directive's area."""
    from waspada.response.webhooks import publish

    publish(
        name,
        key=key,
        area_code=directive.area_id,
        classification=directive.classification,
        title=f"{directive.reference} {directive.title}",
        url=_directive_url(directive),
        data={
            "directive": directive.pk,
            "reference": directive.reference,
            "status": directive.status,
            "priority": directive.priority,
            "due_date": directive.due_date.isoformat(),
            **data,
        },
    )


def _due_text(directive: Directive) -> str:
    return f"{directive.due_date:%d-%m-%Y} ({zone_label(directive.area_id)})"


def _priority_label(priority: str) -> str:
    return str(DirectivePriority(priority).label)


def _lock(directive: Directive) -> Directive:
    """The directive's current row, locked until the transaction ends (PostgreSQL)."""
    try:
        return Directive.objects.select_for_update().get(pk=directive.pk)
    except Directive.DoesNotExist as exc:
        raise OutOfScope() from exc


def _require_open(directive: Directive) -> None:
    if directive.status == DirectiveStatus.CANCELLED:
        raise Conflict(_("Arahan ini sudah dibatalkan."), version=directive.version)
    if directive.status == DirectiveStatus.COMPLETED:
        raise Conflict(_("Arahan ini sudah selesai."), version=directive.version)


def _clean_text(
    errors: dict[str, list[str]], name: str, value: Any, *, label: str, limit: int
) -> str:
    text = str(value or "").strip()
    if not text:
        errors.setdefault(name, []).append(_("%(label)s wajib diisi.") % {"label": label})
    elif len(text) > limit:
        errors.setdefault(name, []).append(
            _("%(label)s paling banyak %(limit)s karakter.") % {"label": label, "limit": limit}
        )
    return text


def _clean_priority(errors: dict[str, list[str]], value: Any) -> str:
    priority = str(value or "")
    if priority not in DirectivePriority.values:
        errors.setdefault("priority", []).append(_("Pilih prioritas yang tersedia."))
    return priority


def _clean_due_date(
    errors: dict[str, list[str]], area_code: str, value: Any, now: dt.datetime
) -> dt.date | None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        errors.setdefault("due_date", []).append(_("Isi batas waktu dengan tanggal yang valid."))
        return None
    today = local_today(area_code, now)
    if value < today:
        errors.setdefault("due_date", []).append(
            _("Batas waktu tidak boleh sebelum hari ini (%(today)s %(zone)s).")
            % {"today": f"{today:%d-%m-%Y}", "zone": zone_label(area_code)}
        )
    return value


def _allowed_agencies(actor: Any, area_code: str) -> dict[int, Agency]:
    from waspada.response.selectors.agencies import agencies_for_area

    return {agency.pk: agency for agency in agencies_for_area(actor, area_code)}


def _clean_agencies(
    errors: dict[str, list[str]], actor: Any, area_code: str, agency_ids: Iterable[Any]
) -> list[Agency]:
    try:
        wanted = list(dict.fromkeys(int(pk) for pk in agency_ids))
    except (TypeError, ValueError):
        errors.setdefault("agencies", []).append(_("Instansi tidak valid."))
        return []
    if not wanted:
        errors.setdefault("agencies", []).append(_("Pilih sedikitnya satu instansi."))
        return []
    allowed = _allowed_agencies(actor, area_code)
    if any(pk not in allowed for pk in wanted):
        errors.setdefault("agencies", []).append(
            _("Instansi yang dipilih tidak tersedia untuk wilayah arahan ini.")
        )
        return []
    return [allowed[pk] for pk in wanted]


def _unfinished_agency_ids(directive: Directive) -> list[int]:
    return list(
        DirectiveAssignment.objects.filter(directive=directive, status__in=UNFINISHED).values_list(
            "agency_id", flat=True
        )
    )
