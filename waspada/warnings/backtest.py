"""Back-test of the risk score on real events: UCDP GED 20.1, Indonesia, 1989-2019.

Question asked month by month: "will this kab/kota have at least one lethal organised-violence
event next month?" For every month M and every kab/kota the engine's own functions
(`waspada.warnings.severity`, `waspada.warnings.risk`) score the area at the last day of M from
the events up to that day only. The score becomes a probability through a logistic calibration
fitted on earlier months only (refitted every January), and is compared with three baselines
computed in the same run: always zero, last month repeated, and the historical average of the
area. Metrics: average precision (AUC-PR, ties grouped) and Brier score, for the whole range and
for the conflict years (1990-2004) and the quiet years (2005-2019), plus what the level
thresholds would have flagged. Method and results: `docs/dev/backtest.md`.

Nothing here touches the database: events and boundaries come from files, and the settings are
the model defaults of an unsaved `RiskSettings()`.
"""

from __future__ import annotations

import bisect
import calendar
import csv
import datetime as dt
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from django.conf import settings as django_settings

from waspada.geo.choices import AreaLevel
from waspada.warnings import risk, severity
from waspada.warnings.models import RiskSettings

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

MAX_WHERE_PREC = 3  # 1 exact place, 2 within ~25 km, 3 second-order admin unit; 4+ too coarse
# UCDP type_of_violence -> the ACLED-like event type whose weight the engine would use (all 2).
TYPE_WEIGHTS = {1: 2.0, 2: 2.0, 3: 2.0}  # state-based=battles, non-state=battles, one-sided=VAC
PERIODS: tuple[tuple[str, int, int], ...] = (
    ("1990-2004 conflict years", 1990, 2004),
    ("2005-2019 quiet years", 2005, 2019),
)
PREDICTORS = ("risk score", "always zero", "last month", "historical avg")


def default_data_dir() -> Path:
    """`../shared/data` next to the repository (the parent of settings.BASE_DIR)."""
    return Path(django_settings.BASE_DIR).resolve().parent / "shared" / "data"


def default_events_path() -> Path:
    return default_data_dir() / "ucdp-ged-indonesia" / "conflict_data_idn.csv"


def default_boundaries_path() -> Path:
    return default_data_dir() / "wilayah-boundaries" / "kabupaten_kota.geojson"


# ------------------------------------------------------------------------------------- input


@dataclass(frozen=True)
class GedEvent:
    """One UCDP GED event: where, when (its first possible day), how many died, what kind."""

    id: str
    day: dt.date
    where_prec: int
    longitude: float
    latitude: float
    best: int
    type_of_violence: int


@dataclass(frozen=True)
class PlacedEvent:
    event: GedEvent
    area_code: str


@dataclass
class Placement:
    placed: list[PlacedEvent]
    read: int
    imprecise: int  # where_prec > 3
    outside: int  # precise, but in no polygon (Timor-Leste since 2002, the sea, slivers)
    ambiguous: int  # in more than one polygon (overlapping slivers); the first code is taken


def read_events(path: Path) -> list[GedEvent]:
    """The events of a GED CSV; the HXL hashtag row (line 2) and rows without a date are skipped."""
    events = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if any((value or "").startswith("#") for value in row.values()):
                continue  # HXL row
            if not (row.get("date_start") or "").strip():
                continue
            events.append(
                GedEvent(
                    id=row["id"],
                    day=dt.date.fromisoformat(row["date_start"].strip()[:10]),
                    where_prec=int(row["where_prec"]),
                    longitude=float(row["longitude"]),
                    latitude=float(row["latitude"]),
                    best=int(float(row["best"] or 0)),
                    type_of_violence=int(row["type_of_violence"]),
                )
            )
    return events


def read_boundaries(path: Path) -> tuple[list[str], list[Any]]:
    """(codes, geometries) of a GeoJSON FeatureCollection keyed by the `kode` property, by code."""
    data = json.loads(path.read_text(encoding="utf-8"))
    features = sorted(
        (feature for feature in data["features"] if feature.get("geometry")),
        key=lambda feature: feature["properties"]["kode"],
    )
    codes = [str(feature["properties"]["kode"]) for feature in features]
    geoms = [shapely.from_geojson(json.dumps(feature["geometry"])) for feature in features]
    return codes, geoms


def place_events(
    events: Sequence[GedEvent], codes: Sequence[str], geoms: Sequence[Any]
) -> Placement:
    """Put each precise event (where_prec <= 3) in the polygon containing its (lon, lat).

    One STRtree over all polygons, one bulk query for all points; a point on a shared border or
    in an overlap goes to the lowest code (deterministic)."""
    precise = [event for event in events if event.where_prec <= MAX_WHERE_PREC]
    placement = Placement(
        placed=[], read=len(events), imprecise=len(events) - len(precise), outside=0, ambiguous=0
    )
    if not precise:
        return placement
    tree = shapely.STRtree(list(geoms))
    points = shapely.points(
        np.array([event.longitude for event in precise]),
        np.array([event.latitude for event in precise]),
    )
    point_idx, geom_idx = tree.query(points, predicate="intersects")
    hits: dict[int, list[int]] = {}
    for p, g in zip(point_idx.tolist(), geom_idx.tolist(), strict=True):
        hits.setdefault(p, []).append(g)
    for index, event in enumerate(precise):
        found = hits.get(index)
        if not found:
            placement.outside += 1
            continue
        if len(found) > 1:
            placement.ambiguous += 1
        placement.placed.append(PlacedEvent(event=event, area_code=codes[min(found)]))
    return placement


# ---------------------------------------------------------------------------------- metrics


def average_precision(y: npt.ArrayLike, p: npt.ArrayLike) -> float:
    """Area under the precision-recall curve as average precision: Σ (R_n − R_{n−1}) · P_n over
    the distinct predicted values, highest first; tied predictions enter as one step (so a
    constant predictor scores the base rate). NaN when there is no positive."""
    y_arr = np.asarray(y, dtype=np.float64)
    p_arr = np.asarray(p, dtype=np.float64)
    positives = y_arr.sum()
    if y_arr.size == 0 or positives == 0:
        return math.nan
    order = np.argsort(-p_arr, kind="stable")
    p_sorted, y_sorted = p_arr[order], y_arr[order]
    ends = np.r_[np.flatnonzero(np.diff(p_sorted)), y_sorted.size - 1]
    tp = np.cumsum(y_sorted)[ends]
    fp = (ends + 1) - tp
    precision = tp / (tp + fp)
    recall = tp / positives
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def brier_score(y: npt.ArrayLike, p: npt.ArrayLike) -> float:
    """Mean squared difference between the predicted probability and the 0/1 outcome."""
    y_arr = np.asarray(y, dtype=np.float64)
    p_arr = np.asarray(p, dtype=np.float64)
    if y_arr.size == 0:
        return math.nan
    return float(np.mean((p_arr - y_arr) ** 2))


def fit_logistic(x: FloatArray, y: FloatArray, *, steps: int = 50) -> tuple[float, float]:
    """(intercept, slope) of P(y=1) = 1/(1+exp(−(a + b·x))), maximum likelihood by damped Newton
    steps, with a weak ridge on the slope (λ = 1) so a separable history (no event ever followed
    a zero score) still gives finite numbers. With no positive (or no negative) yet, the slope is
    0 and the intercept the smoothed rate (pos + 0.5)/(n + 1)."""
    n = float(y.size)
    positives = float(y.sum())
    if n == 0 or positives in (0.0, n):
        rate = (positives + 0.5) / (n + 1.0)
        return math.log(rate / (1.0 - rate)), 0.0
    design = np.column_stack([np.ones_like(x), x])
    penalty = np.diag([0.0, 1.0])

    def objective(w: FloatArray) -> float:
        z = design @ w
        return float(np.sum(y * z - np.logaddexp(0.0, z)) - 0.5 * w @ penalty @ w)

    weights = np.array([math.log(positives / (n - positives)), 0.0])
    current = objective(weights)
    for _ in range(steps):
        prob = 1.0 / (1.0 + np.exp(-np.clip(design @ weights, -35, 35)))
        gradient = design.T @ (y - prob) - penalty @ weights
        hessian = (design * (prob * (1.0 - prob))[:, None]).T @ design + penalty
        step = np.linalg.solve(hessian + 1e-9 * np.eye(2), gradient)
        scale = 1.0
        while scale > 1e-6:  # halve the step until the penalised likelihood does not fall
            candidate = weights + scale * step
            value = objective(candidate)
            if value >= current - 1e-12:
                break
            scale /= 2
        weights, improvement, current = candidate, value - current, value
        if float(np.max(np.abs(scale * step))) < 1e-8 or abs(improvement) < 1e-10:
            break
    return float(weights[0]), float(weights[1])


def logistic(a: float, b: float, x: FloatArray) -> FloatArray:
    result: FloatArray = 1.0 / (1.0 + np.exp(-np.clip(a + b * x, -35, 35)))
    return result


# ------------------------------------------------------------------------- the engine, reused


def engine_params() -> risk.Params:
    """The engine's Params for kab/kota from the model defaults (an unsaved RiskSettings())."""
    return risk.Params.from_settings(RiskSettings(), AreaLevel.REGENCY)


# Stand-in term ids for the severity config: GED events carry no taxonomy terms, so the type
# weight of their ACLED-like type and a neutral (1.0) reliability grading are given as weights of
# these made-up ids (negative, so they can never be mistaken for real `events.Term` rows).
BATTLES_TERM, VIOLENCE_AGAINST_CIVILIANS_TERM, NEUTRAL_GRADING_TERM = -1, -2, -3
TYPE_TERMS = {1: BATTLES_TERM, 2: BATTLES_TERM, 3: VIOLENCE_AGAINST_CIVILIANS_TERM}


def severity_config() -> severity.SeverityConfig:
    """The engine's severity config from the model defaults, with the GED type weights
    (state-based and non-state = battles 2, one-sided = violence against civilians 2)."""
    return severity.SeverityConfig.from_settings(
        RiskSettings(),
        {BATTLES_TERM: 2.0, VIOLENCE_AGAINST_CIVILIANS_TERM: 2.0, NEUTRAL_GRADING_TERM: 1.0},
    )


def event_severity(event: GedEvent, config: severity.SeverityConfig) -> float:
    """The engine's item severity of a GED event: deaths = `best`, the type weight of its
    `type_of_violence`; crowd, trend and reliability unknown, so neutral (factor 1)."""
    values: dict[str, Any] = {
        "deaths": event.best,
        "acled_type_id": TYPE_TERMS.get(event.type_of_violence),
        "crowd_size": None,
        "trend": "",
        "source_reliability_id": NEUTRAL_GRADING_TERM,
        "info_credibility_id": NEUTRAL_GRADING_TERM,
    }
    return float(severity.severity(values, config))


# ------------------------------------------------------------------------------ month scores


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def month_end(index: int) -> dt.date:
    year, month0 = divmod(index, 12)
    return dt.date(year, month0 + 1, calendar.monthrange(year, month0 + 1)[1])


def month_label(index: int) -> str:
    year, month0 = divmod(index, 12)
    return f"{year}-{month0 + 1:02d}"


@dataclass
class MonthScores:
    """Per (month, area): the engine's score and level at the month's last day, and the number
    of events in the month."""

    months: list[int]
    codes: list[str]
    score: FloatArray
    level: npt.NDArray[np.int64]
    escalating: BoolArray
    events: npt.NDArray[np.int64]


def month_scores(
    placed: Sequence[PlacedEvent],
    codes: Sequence[str],
    months: Sequence[int],
    params: risk.Params,
    severity_of: Callable[[GedEvent], float],
) -> MonthScores:
    """Score every area at the last day of each month with the engine's `risk.assess` (the
    pipeline's own call: decayed severity, escalation, raw level, hysteresis against the level of
    the month before) from the events up to that day, never later: the daily series handed to the
    engine stop at that day.

    An area with no event in the engine's look-back (`params.span`) and no level to hold gets
    the engine's assessment of an empty series, computed once per month: the same numbers."""
    codes = list(codes)
    column = {code: i for i, code in enumerate(codes)}
    first = months[0]
    n_months, n_areas = len(months), len(codes)
    per_area: dict[int, list[tuple[dt.date, float]]] = {}
    events = np.zeros((n_months, n_areas), dtype=np.int64)
    for item in sorted(placed, key=lambda item: (item.event.day, item.event.id)):
        col = column[item.area_code]
        per_area.setdefault(col, []).append((item.event.day, severity_of(item.event)))
        row = month_index(item.event.day) - first
        if 0 <= row < n_months:
            events[row, col] += 1
    area_days = {col: [day for day, _ in rows] for col, rows in per_area.items()}
    score = np.zeros((n_months, n_areas))
    level = np.zeros((n_months, n_areas), dtype=np.int64)
    escalating = np.zeros((n_months, n_areas), dtype=bool)
    previous: list[int | None] = [None] * n_areas
    for row, month in enumerate(months):
        day = month_end(month)
        start = day - dt.timedelta(days=params.span)
        empty = risk.assess({}, {}, day, params)
        for col in range(n_areas):
            days = area_days.get(col, [])
            lo = bisect.bisect_right(days, start)
            hi = bisect.bisect_right(days, day)  # only the past: nothing after `day`
            if lo == hi and empty.level == 0 and not previous[col]:
                score[row, col] = empty.score  # the common case, without a call per area
                previous[col] = 0
                continue
            daily: dict[dt.date, float] = {}
            counts: dict[dt.date, int] = {}
            for event_day, value in per_area.get(col, [])[lo:hi]:
                daily[event_day] = daily.get(event_day, 0.0) + value
                counts[event_day] = counts.get(event_day, 0) + 1
            assessment = risk.assess(daily, counts, day, params, previous=previous[col])
            score[row, col] = assessment.score
            level[row, col] = assessment.level
            escalating[row, col] = assessment.escalation.escalating
            previous[col] = assessment.level
    return MonthScores(
        months=list(months),
        codes=codes,
        score=score,
        level=level,
        escalating=escalating,
        events=events,
    )


# -------------------------------------------------------------------------------- the run


@dataclass
class Metrics:
    auc_pr: float
    brier: float
    area_months: int
    positives: int

    @property
    def base_rate(self) -> float:
        return self.positives / self.area_months if self.area_months else math.nan


@dataclass
class LevelFlags:
    level: int
    flagged: int
    caught: int  # flagged area-months with an event the next month
    positives: int

    @property
    def recall(self) -> float:
        return self.caught / self.positives if self.positives else math.nan

    @property
    def false_alarm_share(self) -> float:
        return (self.flagged - self.caught) / self.flagged if self.flagged else math.nan


@dataclass
class BacktestResult:
    placement: Placement
    first_month: int
    last_month: int
    areas: int
    thresholds: tuple[float, ...]
    periods: dict[str, dict[str, Metrics]] = field(default_factory=dict)
    levels: dict[str, list[LevelFlags]] = field(default_factory=dict)
    calibrations: dict[int, tuple[float, float]] = field(default_factory=dict)
    threshold_probabilities: list[float] = field(default_factory=list)
    seconds: float = 0.0


def run_backtest(
    placement: Placement,
    codes: Sequence[str],
    *,
    from_year: int = 1990,
    to_year: int | None = None,
) -> BacktestResult:
    """Score month by month, calibrate on the past, and measure the score and the baselines.

    The months M are from January of `from_year` to the month before the last event's month
    (the outcome "≥1 event in M+1" must be observable). Score history starts in January of the
    first event's year (a warm-up that feeds the calibration and the historical average)."""
    config = severity_config()
    params = engine_params()
    placed = placement.placed
    if not placed:
        raise ValueError("no events placed in any area")
    first_event = min(item.event.day for item in placed)
    last_event = max(item.event.day for item in placed)
    history_start = month_index(dt.date(min(first_event.year, from_year), 1, 1))
    last_observed = month_index(last_event)
    if to_year is not None:
        last_observed = min(last_observed, month_index(dt.date(to_year + 1, 1, 1)))
    months = list(range(history_start, last_observed + 1))
    table = month_scores(placed, codes, months, params, lambda e: event_severity(e, config))
    n_months = len(months)
    eval_rows = [
        row for row in range(n_months - 1) if months[row] >= month_index(dt.date(from_year, 1, 1))
    ]
    if not eval_rows:
        raise ValueError("no month to evaluate")
    had_event = table.events > 0
    outcome = had_event[1:]  # outcome[row] = an event in month row+1
    x = np.log1p(table.score)

    # Calibration: refitted each January on every (area, month) pair whose outcome is known by
    # then (months before that January); used for the twelve months that follow.
    result = BacktestResult(
        placement=placement,
        first_month=months[eval_rows[0]],
        last_month=months[eval_rows[-1]],
        areas=len(codes),
        thresholds=params.thresholds,
    )
    p_score = np.zeros((n_months, len(codes)))
    fit: tuple[float, float] = (0.0, 0.0)
    for row in eval_rows:
        if row == eval_rows[0] or months[row] % 12 == 0:
            fit = fit_logistic(x[:row].ravel(), outcome[:row].ravel().astype(np.float64))
            result.calibrations[months[row] // 12] = fit
        p_score[row] = logistic(fit[0], fit[1], x[row])
    result.threshold_probabilities = [
        float(logistic(fit[0], fit[1], np.log1p(np.array([t])))[0]) for t in result.thresholds
    ]
    p_last = had_event.astype(np.float64)
    p_hist = np.cumsum(had_event, axis=0) / np.arange(1, n_months + 1)[:, None]

    predictions = {
        "risk score": p_score,
        "always zero": np.zeros_like(p_score),
        "last month": p_last,
        "historical avg": p_hist,
    }
    selections: list[tuple[str, list[int]]] = [
        (f"{month_label(result.first_month)}..{month_label(result.last_month)} all", eval_rows)
    ]
    for name, start, end in PERIODS:
        rows = [row for row in eval_rows if start <= months[row] // 12 <= end]
        if rows:
            selections.append((name, rows))
    for name, rows in selections:
        y = outcome[rows].ravel()
        result.periods[name] = {
            predictor: Metrics(
                auc_pr=average_precision(y, values[rows].ravel()),
                brier=brier_score(y, values[rows].ravel()),
                area_months=int(y.size),
                positives=int(y.sum()),
            )
            for predictor, values in predictions.items()
        }
        levels = table.level[rows].ravel()
        result.levels[name] = [
            LevelFlags(
                level=level,
                flagged=int((levels >= level).sum()),
                caught=int(((levels >= level) & y).sum()),
                positives=int(y.sum()),
            )
            for level in (1, 2, 3)
        ]
    return result


# ------------------------------------------------------------------------------- output

LEVEL_NAMES = {1: "Waspada+", 2: "Siaga+", 3: "Awas"}


def _fmt(value: float, digits: int = 3) -> str:
    return "n/a" if math.isnan(value) else f"{value:.{digits}f}"


def format_table(result: BacktestResult) -> str:
    """The printed report: placement counts, metrics per period and predictor, level flags."""
    placement = result.placement
    lines = [
        f"Events read {placement.read:,}; imprecise (where_prec > {MAX_WHERE_PREC}) dropped "
        f"{placement.imprecise:,}; outside every kab/kota {placement.outside:,}; placed "
        f"{len(placement.placed):,} in {len({item.area_code for item in placement.placed}):,} "
        f"kab/kota (of {result.areas:,}); on a border or overlap {placement.ambiguous:,}.",
        f"Months scored {month_label(result.first_month)}..{month_label(result.last_month)}; "
        "outcome: >=1 event in the kab/kota in the next month.",
        "",
    ]
    header = f"{'period':<30} {'predictor':<15} {'AUC-PR':>7} {'Brier':>8} "
    header += f"{'area-months':>11} {'positives':>9} {'base rate':>9}"
    lines += [header, "-" * len(header)]
    for period, metrics in result.periods.items():
        for predictor, m in metrics.items():
            lines.append(
                f"{period:<30} {predictor:<15} {_fmt(m.auc_pr):>7} {_fmt(m.brier, 5):>8} "
                f"{m.area_months:>11,} {m.positives:>9,} {_fmt(m.base_rate, 4):>9}"
            )
        lines.append("")
    thresholds = ", ".join(f"{t:g}" for t in result.thresholds)
    probabilities = ", ".join(_fmt(p) for p in result.threshold_probabilities)
    lines.append(
        f"Levels at month end (kab/kota thresholds {thresholds}; hysteresis as in the engine; "
        f"last calibration gives p = {probabilities} at those scores):"
    )
    head = f"{'period':<30} {'level':<9} {'flagged':>8} {'caught':>7} {'of pos.':>8} "
    head += f"{'recall':>7} {'false alarms':>12}"
    lines += [head, "-" * len(head)]
    for period, flags in result.levels.items():
        for flag in flags:
            lines.append(
                f"{period:<30} {LEVEL_NAMES[flag.level]:<9} {flag.flagged:>8,} {flag.caught:>7,} "
                f"{flag.positives:>8,} {_fmt(flag.recall):>7} {_fmt(flag.false_alarm_share):>12}"
            )
    lines.append("")
    lines.append(f"Took {result.seconds:.1f} s.")
    return "\n".join(lines)


def result_as_json(result: BacktestResult) -> dict[str, Any]:
    def number(value: float) -> float | None:
        return None if math.isnan(value) else round(value, 6)

    placement = result.placement
    return {
        "events_read": placement.read,
        "imprecise_dropped": placement.imprecise,
        "outside": placement.outside,
        "placed": len(placement.placed),
        "ambiguous": placement.ambiguous,
        "areas": result.areas,
        "first_month": month_label(result.first_month),
        "last_month": month_label(result.last_month),
        "thresholds": list(result.thresholds),
        "threshold_probabilities": [number(p) for p in result.threshold_probabilities],
        "calibrations": {str(year): list(fit) for year, fit in result.calibrations.items()},
        "periods": {
            period: {
                predictor: {
                    "auc_pr": number(m.auc_pr),
                    "brier": number(m.brier),
                    "area_months": m.area_months,
                    "positives": m.positives,
                    "base_rate": number(m.base_rate),
                }
                for predictor, m in metrics.items()
            }
            for period, metrics in result.periods.items()
        },
        "levels": {
            period: [
                {
                    "level": flag.level,
                    "flagged": flag.flagged,
                    "caught": flag.caught,
                    "positives": flag.positives,
                    "recall": number(flag.recall),
                    "false_alarm_share": number(flag.false_alarm_share),
                }
                for flag in flags
            ]
            for period, flags in result.levels.items()
        },
        "seconds": round(result.seconds, 2),
    }


def score_series(
    placed: Iterable[PlacedEvent], codes: Sequence[str], months: Sequence[int]
) -> MonthScores:
    """The engine's month-end scores for `months` with the default settings (for tests and
    notebooks)."""
    config = severity_config()
    return month_scores(
        list(placed), codes, months, engine_params(), lambda e: event_severity(e, config)
    )
