"""Reads of risk scores and daily aggregates for maps, dashboards and the risk API.

Every function takes the viewer first and applies area scope (`core.scoping`): an area outside
the viewer's scope, or unknown, raises OutOfScope (404). Maps and tables read only the stored
tables (`RiskScore`, `AreaDay`, `AreaDayTerm`), so their cost grows with the number of areas
shown, never with the number of items stored. Items themselves (the top contributors of a score,
the items of a clicked area) are read through the events item selector, so scope and security
classification apply: an item the viewer is not cleared for is left out and nothing says it
exists.

Query shape of `risk_map` (a handful of queries, none per area):
1. the areas shown;
2. the scores of exactly `day` for those areas (the nightly and incremental jobs score every area
   every day, so this usually finds them all), read through the (area_level, day) index;
3. only for areas without a score on `day`: the latest score before it, one correlated
   `ORDER BY day DESC LIMIT 1` probe of the (area, day) unique index per missing area;
4. and 5. the same for the previous period (`day - period_days`);
6. items and severity summed over the period, from `AreaDay` (or `AreaDayTerm` for a term
   filter), grouped by area.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.core.errors import InvalidInput, OutOfScope
from waspada.core.scoping import ScopedUser, minimal_codes, scope_q, user_covers
from waspada.events import selectors as event_selectors
from waspada.events.choices import ItemStatus
from waspada.events.models import Item
from waspada.geo import selectors as geo_selectors
from waspada.geo.choices import AreaLevel
from waspada.geo.models import Area
from waspada.geo.zones import zone_for
from waspada.warnings.choices import RiskLevel
from waspada.warnings.models import AreaDay, AreaDayTerm, RiskScore, RiskSettings

AREA_CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
PERIOD_DEFAULT = 30
PERIOD_MAX = 366
TREND_DEFAULT_DAYS = 90
TREND_MAX_DAYS = 731
RECENT_DAYS_DEFAULT = 14
MIN_YEAR, MAX_YEAR = 2000, 2100
# Levels that have scores and daily aggregates (provinsi, kab/kota, kecamatan); term
# aggregates exist for provinsi and kab/kota only.
SCORED_LEVELS = (AreaLevel.PROVINCE, AreaLevel.REGENCY, AreaLevel.DISTRICT)
TERM_LEVELS = (AreaLevel.PROVINCE, AreaLevel.REGENCY)


# ---------------------------------------------------------------- parameters


@dataclass(frozen=True)
class RiskParams:
    """Validated query parameters of the risk map, the API and the dashboard."""

    day: dt.date
    period_days: int = PERIOD_DEFAULT
    terms: tuple[int, ...] = ()
    parent: str | None = None

    @property
    def start(self) -> dt.date:
        """First day of the period (the period is `period_days` days ending on `day`)."""
        return self.day - dt.timedelta(days=self.period_days - 1)

    @property
    def previous_day(self) -> dt.date:
        return self.day - dt.timedelta(days=self.period_days)


def local_today(user: Any) -> dt.date:
    """Today in the zone of the viewer's own area (WIB for national users)."""
    code = getattr(user, "primary_area_code", None)
    return timezone.now().astimezone(zone_for(code)).date()


def _first(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    return str(value or "").strip()


def _all(data: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(data, "getlist", None)
    values = getlist(name) if getlist is not None else data.get(name) or []
    if isinstance(values, str):
        values = [values]
    return [part.strip() for value in values for part in str(value).split(",") if part.strip()]


def parse_date(raw: str, name: str, errors: dict[str, list[str]]) -> dt.date | None:
    """A date from "YYYY-MM-DD" (None when empty); an error under `name` when invalid."""
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None or len(raw) != 10 or not (MIN_YEAR <= day.year <= MAX_YEAR):
        errors[name] = [_("Tanggal tidak valid: gunakan format TTTT-BB-HH, misalnya 2026-03-31.")]
        return None
    return day


def parse_risk_params(user: Any, data: Mapping[str, Any]) -> RiskParams:
    """`date`, `period`, `term` (repeatable or comma-separated ids) and `parent` from a query.

    Defaults: today in the viewer's zone, 30 days, no term, no parent. Raises InvalidInput with
    per-field messages for a bad date, a period outside 1..366, an unknown term or a malformed
    area code.
    """
    errors: dict[str, list[str]] = {}
    day = parse_date(_first(data, "date"), "date", errors) or local_today(user)
    period = PERIOD_DEFAULT
    raw_period = _first(data, "period")
    if raw_period:
        if raw_period.isdigit() and 1 <= int(raw_period) <= PERIOD_MAX:
            period = int(raw_period)
        else:
            errors["period"] = [
                _("Periode harus bilangan bulat 1 sampai %(max)s hari.") % {"max": PERIOD_MAX}
            ]
    terms: list[int] = []
    raw_terms = _all(data, "term")
    if raw_terms:
        if not all(t.isdigit() for t in raw_terms):
            errors["term"] = [_("Istilah harus berupa nomor (id).")]
        else:
            terms = sorted({int(t) for t in raw_terms})
            known = set(
                event_selectors.list_terms(user).filter(pk__in=terms).values_list("pk", flat=True)
            )
            if known != set(terms):
                missing = ", ".join(str(t) for t in terms if t not in known)
                errors["term"] = [_("Istilah tidak dikenal: %(ids)s.") % {"ids": missing}]
    parent = _first(data, "parent") or None
    if parent is not None and not AREA_CODE_RE.match(parent):
        errors["parent"] = [_("Kode wilayah tidak valid, contoh: 62.71")]
    if errors:
        raise InvalidInput(_("Parameter tidak valid."), errors)
    return RiskParams(day=day, period_days=period, terms=tuple(terms), parent=parent)


def parse_trend_range(user: Any, data: Mapping[str, Any]) -> tuple[dt.date, dt.date]:
    """`start` and `end` of a trend (default: the 90 days up to today in the viewer's zone).

    Raises InvalidInput for bad dates, an end before the start or a range over 731 days.
    """
    errors: dict[str, list[str]] = {}
    end = parse_date(_first(data, "end"), "end", errors) or local_today(user)
    start = parse_date(_first(data, "start"), "start", errors) or (
        end - dt.timedelta(days=TREND_DEFAULT_DAYS - 1)
    )
    if not errors:
        if end < start:
            errors["end"] = [_("Tanggal akhir tidak boleh sebelum tanggal awal.")]
        elif (end - start).days + 1 > TREND_MAX_DAYS:
            errors["start"] = [_("Rentang paling panjang %(max)s hari.") % {"max": TREND_MAX_DAYS}]
    if errors:
        raise InvalidInput(_("Parameter tidak valid."), errors)
    return start, end


# ---------------------------------------------------------------- the map


@dataclass
class AreaRisk:
    """One area on the map: its risk level and score on the day, the previous period's, and
    the verified items and severity of the period."""

    code: str
    name: str
    area_level: int
    level: int = 0
    score: float = 0.0
    scored_on: dt.date | None = None  # day of the score used (latest on or before the day)
    previous_level: int | None = None
    previous_score: float | None = None
    items: int = 0
    severity: float = 0.0

    @property
    def has_score(self) -> bool:
        return self.scored_on is not None

    @property
    def score_change(self) -> float | None:
        if self.scored_on is None:
            return None
        return round(self.score - (self.previous_score or 0.0), 3)

    @property
    def level_change(self) -> int:
        return self.level - (self.previous_level or 0)

    @property
    def level_name(self) -> str:
        return str(RiskLevel(self.level).label)

    @property
    def level_slug(self) -> str:
        return RiskLevel(self.level).slug

    @property
    def previous_level_name(self) -> str:
        return str(RiskLevel(self.previous_level or 0).label)


@dataclass(frozen=True)
class RiskMap:
    """The areas of a map (children of `parent`, or the kab/kota in scope) with their risk."""

    parent: Area | None
    child_level: int | None
    areas: list[Area]
    rows: list[AreaRisk]
    params: RiskParams
    term_filtered: bool = False


def _latest_scores(
    codes: Sequence[str], area_level: int, day: dt.date
) -> dict[str, tuple[dt.date, int, float]]:
    """(day, level, score) of the latest score on or before `day` for each code that has one.

    Exactly `day` first, in one query on the (area_level, day) index; then one query for the
    rest, with a correlated probe of the (area, day) index per missing area.
    """
    if not codes or area_level not in SCORED_LEVELS:
        return {}
    wanted = set(codes)
    found: dict[str, tuple[dt.date, int, float]] = {}
    exact = RiskScore.objects.filter(area_level=area_level, day=day)
    if len(wanted) <= 50:
        exact = exact.filter(area_id__in=wanted)
    for code, level, score in exact.values_list("area_id", "level", "score"):
        if code in wanted:
            found[code] = (day, level, score)
    missing = sorted(wanted - found.keys())
    if not missing:
        return found
    latest = RiskScore.objects.filter(area_id=OuterRef("code"), day__lt=day).order_by("-day")
    rows = (
        Area.objects.filter(code__in=missing)
        .annotate(score_id=Subquery(latest.values("id")[:1]))
        .filter(score_id__isnull=False)
        .values_list("score_id", flat=True)
    )
    for code, on, level, score in RiskScore.objects.filter(id__in=Subquery(rows)).values_list(
        "area_id", "day", "level", "score"
    ):
        found[code] = (on, level, score)
    return found


def _period_sums(
    codes: Sequence[str], area_level: int, start: dt.date, end: dt.date, terms: Sequence[int]
) -> dict[str, tuple[int, float]]:
    """Items and severity summed over [start, end] per area (over the given terms, if any)."""
    if not codes:
        return {}
    qs: QuerySet[Any]
    if terms:
        if area_level not in TERM_LEVELS:
            return {}
        qs = AreaDayTerm.objects.filter(term_id__in=list(terms))
    else:
        if area_level not in SCORED_LEVELS:
            return {}
        qs = AreaDay.objects.all()
    qs = qs.filter(area_level=area_level, day__gte=start, day__lte=end)
    if len(codes) <= 50:
        qs = qs.filter(area_id__in=list(codes))
    wanted = set(codes)
    rows = qs.values("area_id").annotate(n=Sum("items"), s=Sum("severity")).order_by()
    return {
        row["area_id"]: (int(row["n"] or 0), float(row["s"] or 0.0))
        for row in rows
        if row["area_id"] in wanted
    }


def map_areas(user: ScopedUser, parent: str | None) -> tuple[Area | None, list[Area]]:
    """The parent (None at the top) and the areas a risk map shows.

    With a parent: its children (OutOfScope when the parent is unknown or outside the scope).
    Without: every kab/kota inside the viewer's scope (all 514 for national scope), plus the
    viewer's own areas below kab/kota level, which have no kab/kota of their own in scope.
    """
    if not user.is_authenticated:
        raise OutOfScope(parent or "")
    only = ("code", "name", "level", "parent")
    if parent is not None:
        area = geo_selectors.get_area(user, parent)
        return area, list(Area.objects.filter(parent_id=area.code).only(*only).order_by("code"))
    qs = Area.objects.filter(level=AreaLevel.REGENCY)
    if not user.has_national_scope:
        own = minimal_codes(user.scope_area_codes)
        deeper = [c for c in own if c.count(".") >= AreaLevel.REGENCY]
        qs = Area.objects.filter(
            (Q(level=AreaLevel.REGENCY) & scope_q(own, "code")) | Q(code__in=deeper)
        )
    return None, list(qs.only(*only).order_by("code"))


def risk_map(
    user: ScopedUser,
    *,
    parent: str | None,
    day: dt.date,
    period_days: int = PERIOD_DEFAULT,
    terms: Sequence[int] = (),
) -> RiskMap:
    """Risk of each area of a map on `day`, with the change against `day - period_days`.

    Level and score are the latest score on or before each day; items and severity are summed
    over the `period_days` days ending on `day`, from `AreaDay` or, with `terms`, from
    `AreaDayTerm` summed over the given terms (an item carrying two of them counts twice).
    Raises OutOfScope (404) when `parent` is unknown or outside the viewer's scope.
    """
    parent_area, areas = map_areas(user, parent)
    params = RiskParams(day=day, period_days=period_days, terms=tuple(terms), parent=parent)
    by_level: dict[int, list[str]] = {}
    for area in areas:
        by_level.setdefault(area.level, []).append(area.code)
    current: dict[str, tuple[dt.date, int, float]] = {}
    previous: dict[str, tuple[dt.date, int, float]] = {}
    sums: dict[str, tuple[int, float]] = {}
    for level, codes in by_level.items():
        current.update(_latest_scores(codes, level, day))
        previous.update(_latest_scores(codes, level, params.previous_day))
        sums.update(_period_sums(codes, level, params.start, day, params.terms))
    rows: list[AreaRisk] = []
    for area in areas:
        row = AreaRisk(code=area.code, name=area.display_name, area_level=area.level)
        if area.code in current:
            row.scored_on, row.level, row.score = current[area.code]
        if area.code in previous:
            _on, row.previous_level, row.previous_score = previous[area.code]
        row.items, row.severity = sums.get(area.code, (0, 0.0))
        rows.append(row)
    child_level = areas[0].level if areas else None
    return RiskMap(parent_area, child_level, areas, rows, params, term_filtered=bool(terms))


def rank(rows: Iterable[AreaRisk], limit: int = 10) -> list[AreaRisk]:
    """The `limit` rows of highest score (then level, items and code): the top-areas table."""
    ordered = sorted(rows, key=lambda r: (-r.score, -r.level, -r.items, r.code))
    return ordered[:limit]


def top_areas(
    user: ScopedUser,
    *,
    parent: str | None,
    day: dt.date,
    period_days: int = PERIOD_DEFAULT,
    terms: Sequence[int] = (),
    limit: int = 10,
) -> list[AreaRisk]:
    """The areas of the map of highest score, with their change against the previous period.

    Raises OutOfScope (404) like `risk_map`.
    """
    result = risk_map(user, parent=parent, day=day, period_days=period_days, terms=terms)
    return rank(result.rows, limit)


# ---------------------------------------------------------------- one area


@dataclass(frozen=True)
class TrendPoint:
    """Verified items and their severity in an area on one day."""

    day: dt.date
    items: int
    severity: float


@dataclass(frozen=True)
class AreaTrend:
    """The daily trend of one area over [start, end]."""

    area: Area
    start: dt.date
    end: dt.date
    points: list[TrendPoint]


def trend(user: ScopedUser, area_code: str, start: dt.date, end: dt.date) -> AreaTrend:
    """Items and severity per day in [start, end] for an area (days without items are zeros).

    Raises OutOfScope (404) when the area is unknown or outside the viewer's scope.
    """
    area = geo_selectors.get_area(user, area_code)
    rows = AreaDay.objects.filter(area_id=area.code, day__gte=start, day__lte=end).values_list(
        "day", "items", "severity"
    )
    values = {day: (items, severity) for day, items, severity in rows}
    return AreaTrend(area, start, end, _fill_days(start, end, values))


def scope_trend(user: ScopedUser, start: dt.date, end: dt.date) -> list[TrendPoint]:
    """Items and severity per day over the whole scope of the viewer (the provinces for
    national scope), summed from the aggregates of the viewer's own top areas."""
    if not user.is_authenticated:
        return _fill_days(start, end, {})
    if user.has_national_scope:
        qs = AreaDay.objects.filter(area_level=AreaLevel.PROVINCE)
    else:
        qs = AreaDay.objects.filter(area_id__in=minimal_codes(user.scope_area_codes))
    rows = (
        qs.filter(day__gte=start, day__lte=end)
        .values("day")
        .annotate(n=Sum("items"), s=Sum("severity"))
        .order_by()
    )
    return _fill_days(
        start, end, {row["day"]: (int(row["n"] or 0), float(row["s"] or 0)) for row in rows}
    )


def _fill_days(
    start: dt.date, end: dt.date, values: Mapping[dt.date, tuple[int, float]]
) -> list[TrendPoint]:
    points: list[TrendPoint] = []
    day = start
    while day <= end:
        items, severity = values.get(day, (0, 0.0))
        points.append(TrendPoint(day, int(items), round(float(severity), 3)))
        day += dt.timedelta(days=1)
    return points


@dataclass(frozen=True)
class TopItem:
    """A contributing item the viewer may see, with its part in the score."""

    item: Item
    day: str
    severity: float
    contribution: float


@dataclass(frozen=True)
class ScoreExplanation:
    """The latest score of an area on or before a day, its factors and its visible top items."""

    area: Area
    day: dt.date
    score: RiskScore | None
    factors: dict[str, Any] = field(default_factory=dict)
    top_items: list[TopItem] = field(default_factory=list)
    recent_days: int = 14  # the escalation test's recent window (RiskSettings)


def latest_score(area_code: str, day: dt.date) -> RiskScore | None:
    """The stored score of an area on `day`, or the latest before it (no scope check: callers
    check the area first)."""
    return RiskScore.objects.filter(area_id=area_code, day__lte=day).order_by("-day").first()


def explanation(user: ScopedUser, area_code: str, day: dt.date) -> ScoreExplanation:
    """The score of an area on `day` (or the latest before it) with its factors and top items.

    Top items are read through the events item selector: those outside the viewer's scope or
    above their clearance are left out without a trace. Raises OutOfScope (404) for an area
    that is unknown or outside the viewer's scope.
    """
    area = geo_selectors.get_area(user, area_code)
    score = latest_score(area.code, day)
    if score is None:
        return ScoreExplanation(area=area, day=day, score=None)
    raw = score.explanation if isinstance(score.explanation, dict) else {}
    nested = raw.get("factors")
    factors = (
        dict(nested)
        if isinstance(nested, dict)
        else {k: v for k, v in raw.items() if k not in ("top_items", "top_items_computed")}
    )
    entries = [e for e in raw.get("top_items") or [] if isinstance(e, dict) and "id" in e]
    ids = [int(e["id"]) for e in entries if str(e["id"]).isdigit()]
    items = {
        item.pk: item
        for item in event_selectors.visible_items(user)
        .filter(pk__in=ids)
        .select_related("area")
        .only(
            "id",
            "title",
            "occurred_at",
            "event_id",
            "status",
            "classification",
            "area__code",
            "area__name",
            "area__level",
        )
    }
    top = [
        TopItem(
            item=items[int(e["id"])],
            day=str(e.get("day", "")),
            severity=float(e.get("severity") or 0.0),
            contribution=float(e.get("contribution") or 0.0),
        )
        for e in entries
        if str(e["id"]).isdigit() and int(e["id"]) in items
    ]
    recent_days = (
        RiskSettings.objects.filter(pk=1).values_list("escalation_recent_days", flat=True).first()
    )
    return ScoreExplanation(
        area=area,
        day=day,
        score=score,
        factors=factors,
        top_items=top,
        recent_days=recent_days or RECENT_DAYS_DEFAULT,
    )


ITEM_TERM_LINKS = event_selectors.ITEM_TERM_FIELDS


def area_items(
    user: ScopedUser,
    area_code: str,
    start: dt.date,
    end: dt.date,
    terms: Sequence[int] = (),
) -> QuerySet[Item]:
    """Verified items of an area (and below) that occurred in [start, end] in the area's zone,
    newest first, optionally carrying any of `terms`; through the events item selector (scope
    and clearance). Paginate the result. Raises OutOfScope (404) for an area outside the scope.
    """
    area = geo_selectors.get_area(user, area_code)
    zone = zone_for(area.code)
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    qs = event_selectors.visible_items(user).filter(
        scope_q([area.code], event_selectors.AREA_LOOKUP),
        status=ItemStatus.VERIFIED,
        occurred_at__gte=lo,
        occurred_at__lt=hi,
    )
    if terms:
        condition = Q(pk__in=[])
        for name in ITEM_TERM_LINKS:
            condition |= Q(**{f"{name}_id__in": list(terms)})
        qs = qs.filter(condition)
    return qs.select_related("area", "aspect", "athg").order_by("-occurred_at", "-id")


def covers(user: ScopedUser, area_code: str) -> bool:
    """True when the area lies inside the viewer's scope (for links, not for access)."""
    return user_covers(user, area_code)
