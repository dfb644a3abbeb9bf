"""Gathering a daily, weekly or monthly brief of an area, AS its reader.

Everything is read through the selectors of the apps it comes from, with the reader as the user:
- items: `warnings.selectors.area_items` (verified items of the area and below that occurred in
  the period on the area's own clock, through the events item selector: scope and clearance);
- level changes: `warnings.selectors.risk_map` of the sub-areas at the end of the period against
  the day before it began; the area's own level from `latest_score`; alerts of the period from
  `warnings.alert_selectors.list_alerts`;
- compliance: `reports.compliance.compliance_for_date`, day by day;
- open directives: `response.selectors.directives.list_directives` (when installed).

The counts come from one light query over the period's items (no text columns); only the latest
item of each notable matter is read in full, so a month of a busy province stays fast.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from waspada.briefs.choices import BriefKind
from waspada.briefs.content import common
from waspada.briefs.content import formatting as fmt
from waspada.briefs.content.model import (
    AlertRow,
    AspectAthgTable,
    AspectMatters,
    ComplianceArea,
    Labelled,
    LevelChange,
    MapArea,
    Matter,
    PeriodicBrief,
)
from waspada.briefs.content.periods import days
from waspada.events import selectors as event_selectors
from waspada.events.choices import Axis
from waspada.geo import selectors as geo_selectors
from waspada.geo.choices import AreaLevel
from waspada.geo.models import Area
from waspada.geo.zones import zone_for, zone_label
from waspada.reports.compliance import ComplianceStatus, compliance_for_date
from waspada.warnings import alert_selectors
from waspada.warnings import selectors as risk_selectors

MATTERS_PER_ASPECT = 10
TREND_MIN_DAYS = 14
MAX_ALERTS = 200
NO_ASPECT = "Tanpa aspek"
NO_ATHG = "Tanpa ATHG"
TITLES = {
    BriefKind.DAILY: "REKAPITULASI LAPSITDA HARIAN",
    BriefKind.WEEKLY: "LAPORAN SITUASI DAERAH MINGGUAN",
    BriefKind.MONTHLY: "LAPORAN SITUASI DAERAH BULANAN",
}
ITEM_COLUMNS = (
    "id",
    "event_id",
    "aspect_id",
    "athg_id",
    "classification",
    "occurred_at",
    "deaths",
    "injured_serious",
    "injured_light",
    "displaced",
    "loss_rupiah",
    "area_id",
)


@dataclass
class _EventTally:
    items: int = 0
    deaths: int = 0
    injured_serious: int = 0
    injured_light: int = 0
    displaced: int = 0
    loss: int = 0
    first: dt.datetime | None = None
    last: dt.datetime | None = None
    latest_id: int = 0
    aspect_id: int | None = None
    classification: str = "biasa"

    def add(self, row: tuple[Any, ...]) -> None:
        pk, _event, aspect, _athg, classification, at, deaths, serious, light, displaced, loss = (
            row[:11]
        )
        self.items += 1
        self.deaths += deaths
        self.injured_serious += serious
        self.injured_light += light
        self.displaced += displaced
        self.loss += loss
        self.classification = common.highest([self.classification, classification])
        if self.first is None or at < self.first:
            self.first = at
        if self.last is None or (at, pk) > (self.last, self.latest_id):
            self.last, self.latest_id, self.aspect_id = at, pk, aspect

    @property
    def weight(self) -> float:
        return (
            self.items
            + 5 * self.deaths
            + 2 * self.injured_serious
            + 0.5 * self.injured_light
            + self.displaced / 50
        )


def impacts_text(deaths: int, serious: int, light: int, displaced: int, loss: int) -> str:
    parts = []
    for value, word in (
        (deaths, "meninggal"),
        (serious, "luka berat"),
        (light, "luka ringan"),
        (displaced, "mengungsi"),
    ):
        if value:
            parts.append(f"{fmt.angka(value)} orang {word}")
    if loss:
        parts.append(f"kerugian {fmt.rupiah(loss)}")
    return ", ".join(parts) or "Tidak ada korban atau kerugian tercatat"


def _labels(user: Any, axis: str) -> list[tuple[int, str]]:
    return [(t.pk, t.label) for t in event_selectors.list_terms(user, axis=axis)]


def _table(user: Any, rows: list[tuple[Any, ...]]) -> AspectAthgTable:
    aspects = _labels(user, Axis.ASPECT)
    athgs = _labels(user, Axis.ATHG)
    counts: dict[tuple[int | None, int | None], int] = defaultdict(int)
    for row in rows:
        counts[(row[2], row[3])] += 1
    aspect_keys: list[tuple[int | None, str]] = list(aspects)
    athg_keys: list[tuple[int | None, str]] = list(athgs)
    if any(a is None for a, _b in counts):
        aspect_keys.append((None, NO_ASPECT))
    if any(b is None for _a, b in counts):
        athg_keys.append((None, NO_ATHG))
    body = []
    for aspect_id, label in aspect_keys:
        values = [counts.get((aspect_id, athg_id), 0) for athg_id, _l in athg_keys]
        body.append((label, values, sum(values)))
    column_totals = [sum(r[1][i] for r in body) for i in range(len(athg_keys))]
    return AspectAthgTable(
        columns=[label for _id, label in athg_keys],
        rows=body,
        column_totals=column_totals,
        total=len(rows),
    )


def _matters(
    user: Any, rows: list[tuple[Any, ...]], area_code: str
) -> tuple[list[AspectMatters], int]:
    tallies: dict[int, _EventTally] = defaultdict(_EventTally)
    for row in rows:
        tallies[row[1]].add(row)
    by_aspect: dict[int | None, list[tuple[int, _EventTally]]] = defaultdict(list)
    for event_id, tally in tallies.items():
        by_aspect[tally.aspect_id].append((event_id, tally))
    chosen: dict[int | None, list[tuple[int, _EventTally]]] = {}
    for aspect_id, events in by_aspect.items():
        events.sort(key=lambda e: (-e[1].weight, -(e[1].last or timezone.now()).timestamp()))
        chosen[aspect_id] = events[:MATTERS_PER_ASPECT]
    latest_ids = [t.latest_id for events in chosen.values() for _e, t in events]
    latest = {
        item.pk: item
        for item in event_selectors.visible_items(user)
        .filter(pk__in=latest_ids)
        .select_related("area")
    }
    zone = zone_for(area_code)
    result = []
    for aspect_id, label in [*_labels(user, Axis.ASPECT), (None, NO_ASPECT)]:
        events = chosen.get(aspect_id) or []
        if not events:
            continue
        matters = []
        for event_id, tally in events:
            item = latest.get(tally.latest_id)
            if item is None or tally.first is None or tally.last is None:
                continue
            matters.append(
                Matter(
                    reference=f"KJD-{event_id:06d}",
                    title=item.title,
                    area_name=item.area.path_name or item.area.display_name,
                    when=fmt.periode(
                        tally.first.astimezone(zone).date(), tally.last.astimezone(zone).date()
                    ),
                    items=tally.items,
                    classification=tally.classification,
                    facts=item.chronology or item.what or "-",
                    analysis=item.analysis or "-",
                    prediction=item.prediction or "-",
                    recommendation=item.recommendation or "-",
                    impacts=impacts_text(
                        tally.deaths,
                        tally.injured_serious,
                        tally.injured_light,
                        tally.displaced,
                        tally.loss,
                    ),
                )
            )
        omitted = len(by_aspect[aspect_id]) - len(events)
        result.append(AspectMatters(aspect=label, matters=matters, omitted=omitted))
    return result, len(tallies)


def _child_counts(area: Area, rows: list[tuple[Any, ...]]) -> dict[str, int]:
    """Visible items per direct sub-area (from the rows already read: never a hidden item)."""
    depth = area.code.count(".") + 2
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        parts = str(row[11]).split(".")
        if len(parts) >= depth:
            counts[".".join(parts[:depth])] += 1
    return counts


def _levels(
    user: Any, area: Area, start: dt.date, end: dt.date, rows: list[tuple[Any, ...]]
) -> tuple[list[LevelChange], list[MapArea]]:
    if area.level >= AreaLevel.DISTRICT:
        return [], []
    counts = _child_counts(area, rows)
    period_days = (end - start).days + 1
    result = risk_selectors.risk_map(user, parent=area.code, day=end, period_days=period_days)
    ordered = sorted(result.rows, key=lambda r: (-r.level, -r.score, r.code))
    changes = [
        LevelChange(
            code=row.code,
            name=row.name,
            previous_level=row.previous_level or 0,
            level=row.level,
            score=row.score if row.has_score else None,
        )
        for row in ordered
    ]
    shapes = [
        MapArea(
            code=row.code,
            name=row.name,
            level=row.level,
            score=row.score if row.has_score else None,
            items=counts.get(row.code, 0),
        )
        for row in ordered
    ]
    return changes, shapes


def _alerts(user: Any, area: Area, start: dt.date, end: dt.date) -> list[AlertRow]:
    alerts = (
        alert_selectors.list_alerts(user, area_code=area.code)
        .filter(day__gte=start, day__lte=end)
        .order_by("day", "id")[:MAX_ALERTS]
    )
    return [
        AlertRow(
            day=fmt.tanggal(alert.day),
            area_name=alert.area.display_name,
            level=alert.level,
            previous_level=alert.previous_level,
            kind=alert.get_kind_display(),
        )
        for alert in alerts
    ]


def _compliance(
    user: Any, area: Area, start: dt.date, end: dt.date, now: dt.datetime
) -> tuple[list[ComplianceArea] | None, list[Labelled]]:
    if area.level > AreaLevel.REGENCY:
        return None, []
    today = common.local_today(area.code, now)
    tally: dict[str, dict[str, int]] = {}
    names: dict[str, str] = {}
    missing: dict[str, list[dt.date]] = defaultdict(list)
    for day in days(start, min(end, today)):
        result = compliance_for_date(user, day=day, area_code=area.code, now=now)
        for row in result.rows:
            names[row.area_code] = row.area_name
            counts = tally.setdefault(row.area_code, defaultdict(int))
            counts[row.status] += 1
            if row.status == ComplianceStatus.MISSING:
                missing[row.area_code].append(day)
    rows = [
        ComplianceArea(
            code=code,
            name=names[code],
            on_time=counts[ComplianceStatus.ON_TIME],
            late=counts[ComplianceStatus.LATE],
            nihil=counts[ComplianceStatus.NIHIL],
            missing=counts[ComplianceStatus.MISSING],
            pending=counts[ComplianceStatus.PENDING],
            missing_days=missing.get(code, []),
        )
        for code, counts in sorted(tally.items())
    ]
    totals = {status: sum(getattr(r, status) for r in rows) for status in _STATUS_FIELDS}
    due = sum(totals.values()) - totals["pending"]
    filed = totals["on_time"] + totals["late"] + totals["nihil"]
    labelled = [Labelled(str(label), fmt.angka(totals[name])) for name, label in _STATUS_LABELS]
    rate = fmt.persen(100 * filed / due) if due else "-"
    labelled.append(Labelled("Tingkat kepatuhan", rate))
    return rows, labelled


_STATUS_FIELDS = ("on_time", "late", "nihil", "missing", "pending")
_STATUS_LABELS = (
    ("on_time", "Tepat waktu"),
    ("late", "Terlambat"),
    ("nihil", "Nihil"),
    ("missing", "Tidak melapor"),
    ("pending", "Belum jatuh tempo"),
)


def _trend(
    user: Any, area: Area, start: dt.date, end: dt.date, rows: list[tuple[Any, ...]]
) -> tuple[list[dt.date], list[int], list[float | None]]:
    window_start = min(start, end - dt.timedelta(days=TREND_MIN_DAYS - 1))
    stamps = [row[5] for row in rows]
    if window_start < start:
        earlier = risk_selectors.area_items(
            user, area.code, window_start, start - dt.timedelta(days=1)
        ).values_list("occurred_at", flat=True)
        stamps += list(earlier)
    zone = zone_for(area.code)
    per_day: dict[dt.date, int] = defaultdict(int)
    for at in stamps:
        per_day[at.astimezone(zone).date()] += 1
    window = days(window_start, end)
    scores: list[float | None] = []
    for day in window:
        score = risk_selectors.latest_score(area.code, day)
        scores.append(round(score.score, 2) if score is not None else None)
    return window, [per_day.get(day, 0) for day in window], scores


def _totals(
    rows: list[tuple[Any, ...]], events: int, alerts: int, own: tuple[int, int] | None
) -> list[Labelled]:
    deaths = sum(r[6] for r in rows)
    serious = sum(r[7] for r in rows)
    light = sum(r[8] for r in rows)
    displaced = sum(r[9] for r in rows)
    loss = sum(r[10] for r in rows)
    totals = [
        Labelled("Butir laporan terverifikasi", fmt.angka(len(rows))),
        Labelled("Kejadian (perkara)", fmt.angka(events)),
        Labelled("Korban meninggal", fmt.angka(deaths)),
        Labelled("Korban luka berat", fmt.angka(serious)),
        Labelled("Korban luka ringan", fmt.angka(light)),
        Labelled("Pengungsi", fmt.angka(displaced)),
        Labelled("Kerugian material", fmt.rupiah(loss)),
        Labelled("Peringatan dini yang terbit", fmt.angka(alerts)),
    ]
    if own is not None:
        previous, level = own
        words = {0: "Normal", 1: "Waspada", 2: "Siaga", 3: "Awas"}
        text = words[level]
        if level != previous:
            text += f" ({'naik' if level > previous else 'turun'} dari {words[previous]})"
        totals.append(Labelled("Level peringatan wilayah di akhir periode", text))
    return totals


def _own_level(area: Area, start: dt.date, end: dt.date) -> tuple[int, int] | None:
    current = risk_selectors.latest_score(area.code, end)
    if current is None:
        return None
    before = risk_selectors.latest_score(area.code, start - dt.timedelta(days=1))
    return (before.level if before is not None else 0), current.level


def gather_periodic(
    user: Any,
    *,
    kind: str,
    area_code: str,
    start: dt.date,
    end: dt.date,
    now: dt.datetime | None = None,
) -> PeriodicBrief:
    """Everything a periodic brief of `area_code` over [start, end] shows, read as `user`.

    Raises OutOfScope (404) for an area outside the user's scope and PermissionDenied when the
    user may not read reports.
    """
    now = now or timezone.now()
    area = geo_selectors.get_area(user, area_code)
    rows = list(risk_selectors.area_items(user, area.code, start, end).values_list(*ITEM_COLUMNS))
    matters, event_count = _matters(user, rows, area.code)
    # Levels and the trend stop at today: a brief of the running month shows what is known.
    last = max(start, min(end, common.local_today(area.code, now)))
    level_changes, map_areas = _levels(user, area, start, last, rows)
    alerts = _alerts(user, area, start, end)
    compliance, compliance_totals = _compliance(user, area, start, end, now)
    trend_days, trend_items, trend_scores = _trend(user, area, start, last, rows)
    directives = common.open_directives(user, area.code, now)
    directive_rows = common.directive_rows(directives, now) if directives is not None else None
    classification = common.highest(
        [r[4] for r in rows] + [getattr(d, "classification", "") for d in directives or []]
    )
    letterhead = common.letterhead_for(area)
    local_now = now.astimezone(zone_for(area.code))
    period_text = fmt.hari_tanggal(start) if kind == BriefKind.DAILY else fmt.periode(start, end)
    brief = PeriodicBrief(
        kind=kind,
        title=TITLES.get(BriefKind(kind), "LAPORAN SITUASI DAERAH"),
        area_code=area.code,
        area_name=area.display_name,
        area_level=area.level,
        period_start=start,
        period_end=end,
        period_text=period_text,
        generated_text=(
            f"Disusun {fmt.waktu(now, area.code)} untuk {user}"
            if str(user)
            else f"Disusun {fmt.waktu(now, area.code)}"
        ),
        place_date=common.place_date(letterhead, local_now.date()),
        reader_name=str(user),
        classification=classification,
        letterhead=letterhead,
        totals=_totals(rows, event_count, len(alerts), _own_level(area, start, end)),
        table=_table(user, rows),
        level_changes=level_changes,
        alerts=alerts,
        compliance=compliance,
        compliance_totals=compliance_totals,
        map_areas=map_areas,
        levels_on=last,
        trend_days=trend_days,
        trend_items=trend_items,
        trend_scores=trend_scores,
        matters=matters,
        directives=directive_rows,
    )
    brief.summary = {
        "items": len(rows),
        "events": event_count,
        "alerts": len(alerts),
        "missing_areas": len(brief.missing_areas),
        "directives": None if directive_rows is None else len(directive_rows),
        "zone": zone_label(area.code),
    }
    return brief
