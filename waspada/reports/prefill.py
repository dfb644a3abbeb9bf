"""Weekly and monthly LAPSITDA start pre-filled from the period's verified items.

`period_summary` reads (through `events.selectors.visible_items`, so scope and clearance hold) the
verified items that occurred in the period, in the report's area and everything below it, and
counts them by aspect (IPOLEKSOSBUDHANKAM) and ATHG, totals the impacts and picks the notable
matters. `prefill_periodic_report` writes that as the draft's summary, which the operator then
edits. Items classified *rahasia* are left out of the generated text: a report's summary is read by
everyone who may read the report, and that is not the same circle as those cleared for rahasia.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from waspada.core import audit
from waspada.core.errors import Conflict, InvalidInput
from waspada.core.permissions import ensure_can
from waspada.core.scoping import scope_q
from waspada.events.choices import Classification, ItemStatus, Trend
from waspada.events.models import Item
from waspada.events.selectors import visible_items
from waspada.geo.models import Area
from waspada.geo.zones import zone_for
from waspada.reports.models import ReportStatus, ReportType, SituationReport
from waspada.reports.queue import report_rows

PREFILLED_TYPES = (ReportType.WEEKLY, ReportType.MONTHLY)
EDITABLE_STATES = (ReportStatus.DRAFT, ReportStatus.RETURNED)
NOTABLE_LIMIT = 5
ONGOING_LIMIT = 5
IMPACT_FIELDS = {
    "deaths": "meninggal",
    "injured_serious": "luka berat",
    "injured_light": "luka ringan",
    "abducted": "penculikan",
    "sexual_violence": "kekerasan seksual",
    "displaced": "pengungsi",
    "houses_damaged": "rumah rusak",
    "public_buildings_damaged": "bangunan publik rusak",
    "worship_places_damaged": "rumah ibadah rusak",
}


@dataclass(frozen=True)
class NotableMatter:
    item_id: int
    title: str
    area_name: str
    occurred_at: dt.datetime
    why: str


@dataclass(frozen=True)
class OngoingMatter:
    event_id: int
    title: str
    developments: int


@dataclass(frozen=True)
class PeriodSummary:
    """What the verified items of one area (and below) say about one period."""

    area: Area
    start: dt.date
    end: dt.date
    item_count: int = 0
    event_count: int = 0
    by_aspect: list[tuple[str, int]] = field(default_factory=list)
    by_athg: list[tuple[str, int]] = field(default_factory=list)
    impacts: dict[str, int] = field(default_factory=dict)
    loss_rupiah: int = 0
    notable: list[NotableMatter] = field(default_factory=list)
    ongoing: list[OngoingMatter] = field(default_factory=list)


def _period_items(user: Any, area: Area, start: dt.date, end: dt.date) -> QuerySet[Item]:
    zone = zone_for(area.code)
    since = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return (
        visible_items(user)
        .filter(scope_q([area.code], "area__code"))
        .filter(status=ItemStatus.VERIFIED, occurred_at__gte=since, occurred_at__lt=until)
        .exclude(classification=Classification.RAHASIA)
    )


def _tally(items: QuerySet[Item], label: str) -> list[tuple[str, int]]:
    rows = items.values(label).annotate(n=Count("id")).order_by("-n", label).values_list(label, "n")
    return [(name or _("Belum diklasifikasi"), n) for name, n in rows]


def _why(item: Item) -> str:
    parts = [
        f"{getattr(item, name)} {label}"
        for name, label in IMPACT_FIELDS.items()
        if getattr(item, name)
    ]
    if item.athg_id and item.athg and item.athg.code == "ancaman":
        parts.append(_("ancaman"))
    if item.trend == Trend.RISING:
        parts.append(_("tren meningkat"))
    return ", ".join(parts)


def period_summary(user: Any, *, area: Area, start: dt.date, end: dt.date) -> PeriodSummary:
    """Counts by aspect and ATHG, impact totals, notable and ongoing matters of the verified,
    non-rahasia items the user may see that occurred from `start` to `end` (the area's local
    days) in `area` and below. A handful of queries, however many items there are.
    """
    items = _period_items(user, area, start, end)
    totals = items.aggregate(
        item_count=Count("id"),
        event_count=Count("event_id", distinct=True),
        loss=Sum("loss_rupiah"),
        **{name: Sum(name) for name in IMPACT_FIELDS},
    )
    if not totals["item_count"]:
        return PeriodSummary(area=area, start=start, end=end)
    harmful = Q(athg__code="ancaman") | Q(trend=Trend.RISING)
    for name in IMPACT_FIELDS:
        harmful |= Q(**{f"{name}__gt": 0})
    notable_items = (
        items.filter(harmful)
        .select_related("area", "athg")
        .annotate(hurt=F("deaths") + F("injured_serious"))
        .order_by("-hurt", "-displaced", "occurred_at", "id")[:NOTABLE_LIMIT]
    )
    ongoing = (
        items.values("event_id", "event__title")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("-n", "event_id")[:ONGOING_LIMIT]
    )
    return PeriodSummary(
        area=area,
        start=start,
        end=end,
        item_count=totals["item_count"],
        event_count=totals["event_count"],
        by_aspect=_tally(items, "aspect__label"),
        by_athg=_tally(items, "athg__label"),
        impacts={name: totals[name] or 0 for name in IMPACT_FIELDS if totals[name]},
        loss_rupiah=totals["loss"] or 0,
        notable=[
            NotableMatter(
                item_id=item.pk,
                title=item.title,
                area_name=item.area.display_name,
                occurred_at=item.occurred_at,
                why=_why(item),
            )
            for item in notable_items
        ],
        ongoing=[
            OngoingMatter(
                event_id=row["event_id"], title=row["event__title"], developments=row["n"]
            )
            for row in ongoing
        ],
    )


def _counts_line(pairs: list[tuple[str, int]]) -> str:
    return ", ".join(f"{name} {n}" for name, n in pairs)


def render_summary(summary: PeriodSummary) -> str:
    """The summary as plain Indonesian text, the way a LAPSITDA summary is written."""
    zone = zone_for(summary.area.code)
    period = f"{date_format(summary.start, 'j F Y')} s.d. {date_format(summary.end, 'j F Y')}"
    lines = [
        _(
            "Ringkasan otomatis dari butir kejadian terverifikasi periode %(period)s di "
            "%(area)s dan wilayah di bawahnya. Periksa dan lengkapi sebelum dikirim."
        )
        % {"period": period, "area": summary.area.display_name},
        "",
    ]
    if not summary.item_count:
        lines.append(_("Tidak ada butir kejadian terverifikasi pada periode ini."))
        return "\n".join(lines)
    lines.append(
        _("Jumlah butir kejadian: %(items)d (dari %(events)d kejadian).")
        % {"items": summary.item_count, "events": summary.event_count}
    )
    lines.append(_("Menurut aspek: %(list)s.") % {"list": _counts_line(summary.by_aspect)})
    lines.append(_("Menurut ATHG: %(list)s.") % {"list": _counts_line(summary.by_athg)})
    if summary.impacts or summary.loss_rupiah:
        parts = [f"{n} {IMPACT_FIELDS[name]}" for name, n in summary.impacts.items()]
        if summary.loss_rupiah:
            parts.append(
                _("kerugian Rp %(n)s") % {"n": f"{summary.loss_rupiah:,}".replace(",", ".")}
            )
        lines.append(_("Dampak: %(list)s.") % {"list": ", ".join(parts)})
    if summary.notable:
        lines += ["", _("Hal menonjol:")]
        for matter in summary.notable:
            when = date_format(matter.occurred_at.astimezone(zone), "j M Y")
            why = f" ({matter.why})" if matter.why else ""
            lines.append(f"- {when}, {matter.area_name}: {matter.title}{why}")
    if summary.ongoing:
        lines += ["", _("Kejadian yang berlanjut dalam periode ini:")]
        for event in summary.ongoing:
            lines.append(
                _("- %(title)s (%(n)d perkembangan)")
                % {"title": event.title, "n": event.developments}
            )
    lines += ["", _("Butir berklasifikasi rahasia tidak dimasukkan dalam ringkasan otomatis.")]
    return "\n".join(lines)


@transaction.atomic
def prefill_periodic_report(
    report: SituationReport, *, actor: Any, overwrite: bool = False
) -> SituationReport:
    """Fill the summary of a weekly or monthly draft from its period's verified items.

    An existing summary is kept unless `overwrite`. Raises OutOfScope/PermissionDenied as
    `ensure_can` ("reports.create" in the report's area), InvalidInput (400) for another report
    type, Conflict (409) when the report is no longer editable, was changed by someone else
    meanwhile, or already has a summary (without `overwrite`).
    """
    ensure_can(actor, "reports.create", report.area_id)
    if report.report_type not in PREFILLED_TYPES:
        raise InvalidInput(
            _("Hanya LAPSITDA mingguan dan bulanan yang diisi otomatis."),
            {"report_type": [_("Jenis laporan ini tidak diisi otomatis.")]},
        )
    fresh = report_rows().select_related("area").filter(pk=report.pk).first()
    if fresh is None or fresh.status not in EDITABLE_STATES:
        raise Conflict(_("Laporan ini sudah tidak dapat diubah."))
    if fresh.summary.strip() and not overwrite:
        raise Conflict(_("Ringkasan laporan sudah berisi; tidak ditimpa."))
    summary = period_summary(actor, area=fresh.area, start=fresh.period_start, end=fresh.period_end)
    text = render_summary(summary)
    before = audit.snapshot(fresh)
    moved = (
        report_rows()
        .filter(pk=fresh.pk, version=fresh.version, status__in=EDITABLE_STATES)
        .update(summary=text, version=F("version") + 1, updated_at=timezone.now())
    )
    if moved != 1:
        raise Conflict(_("Laporan ini sudah diubah oleh pengguna lain. Muat ulang lalu coba lagi."))
    report.refresh_from_db()
    audit.record(
        actor=actor,
        action="report.prefilled",
        obj=report,
        area_code=report.area_id,
        before=before,
    )
    return report
