"""The back-test: GED events placed by point in polygon, scored from the past only, measured."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command

from waspada.warnings import backtest

# Two square kab/kota: 62.01 west of 113.5° E, 62.71 east of it.
WEST = [[112.0, -2.0], [113.5, -2.0], [113.5, -1.0], [112.0, -1.0], [112.0, -2.0]]
EAST = [[113.5, -2.0], [115.0, -2.0], [115.0, -1.0], [113.5, -1.0], [113.5, -2.0]]
IN_WEST, IN_EAST, AT_SEA = (112.5, -1.5), (114.2, -1.4), (120.0, -5.0)
COLUMNS = [
    "id",
    "year",
    "type_of_violence",
    "where_prec",
    "latitude",
    "longitude",
    "date_prec",
    "date_start",
    "date_end",
    "best",
]


def write_events(path: Path, rows: list[tuple[str, str, int, tuple[float, float], int]]) -> Path:
    """(id, ISO day, where_prec, (lon, lat), best) rows as a GED CSV with its HXL second line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerow(["", "#date+year", "", "", "#geo+lat", "#geo+lon", "", "", "", ""])
    for event_id, day, where_prec, (lon, lat), best in rows:
        stamp = f"{day} 00:00:00.000"
        writer.writerow([event_id, day[:4], 1, where_prec, lat, lon, 1, stamp, stamp, best])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def write_boundaries(path: Path) -> Path:
    features = [
        {
            "type": "Feature",
            "properties": {"kode": code, "nama": code},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }
        for code, ring in (("62.71", EAST), ("62.01", WEST))
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def synthetic_rows() -> list[tuple[str, str, int, tuple[float, float], int]]:
    """A busy east (every other month, 2000-2002), a quiet west, plus one imprecise event and
    one at sea."""
    rows = []
    for n, month in enumerate(range(1, 37, 2)):
        year, month0 = divmod(month - 1, 12)
        rows.append((f"e{n}", f"{2000 + year}-{month0 + 1:02d}-10", 1, IN_EAST, 1 + n % 4))
    rows += [
        ("w1", "2000-06-03", 2, IN_WEST, 3),
        ("w2", "2001-07-20", 3, IN_WEST, 0),
        ("vague", "2001-03-05", 4, IN_WEST, 9),
        ("sea", "2001-03-06", 1, AT_SEA, 2),
    ]
    return rows


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return (
        write_events(tmp_path / "ged.csv", synthetic_rows()),
        write_boundaries(tmp_path / "kab.geojson"),
    )


def test_it_places_precise_events_by_point_in_polygon_and_drops_imprecise_ones(files):
    events_path, boundaries_path = files
    events = backtest.read_events(events_path)
    codes, geoms = backtest.read_boundaries(boundaries_path)

    placement = backtest.place_events(events, codes, geoms)

    assert len(events) == 22  # the HXL line is not an event
    assert codes == ["62.01", "62.71"]
    assert placement.imprecise == 1
    assert placement.outside == 1
    where = {item.event.id: item.area_code for item in placement.placed}
    assert where["w1"] == where["w2"] == "62.01"
    assert where["e0"] == where["e17"] == "62.71"
    assert "vague" not in where and "sea" not in where
    assert len(where) == 20


def test_it_runs_the_command_and_prints_every_predictor(files, tmp_path):
    events_path, boundaries_path = files
    out = io.StringIO()
    json_path = tmp_path / "result.json"

    call_command(
        "backtest",
        "--from-year",
        "2001",
        "--events",
        str(events_path),
        "--boundaries",
        str(boundaries_path),
        "--json",
        str(json_path),
        stdout=out,
    )

    text = out.getvalue()
    for predictor in backtest.PREDICTORS:
        assert predictor in text
    for level in ("Waspada+", "Siaga+", "Awas"):
        assert level in text
    result = json.loads(json_path.read_text())
    assert result["placed"] == 20
    assert result["imprecise_dropped"] == 1
    assert result["first_month"] == "2001-01"
    assert result["last_month"] == "2002-10"  # the last month whose next month is observed
    whole = result["periods"]["2001-01..2002-10 all"]
    assert whole["always zero"]["auc_pr"] == pytest.approx(whole["always zero"]["base_rate"])
    assert whole["always zero"]["brier"] == pytest.approx(whole["always zero"]["base_rate"])
    # 22 months x 2 areas; the east has an event in 11 of the outcome months, the west in one.
    assert whole["risk score"]["area_months"] == 44
    assert whole["risk score"]["positives"] == 12


def test_the_command_says_which_file_is_missing(tmp_path):
    with pytest.raises(Exception, match="missing.csv"):
        call_command("backtest", "--events", str(tmp_path / "missing.csv"), stdout=io.StringIO())


def test_a_perfect_predictor_has_auc_pr_one_and_brier_zero():
    y = np.array([0, 1, 0, 0, 1, 0])

    assert backtest.average_precision(y, y.astype(float)) == 1.0
    assert backtest.brier_score(y, y.astype(float)) == 0.0


def test_average_precision_treats_ties_as_one_step():
    y = np.array([1, 0, 1, 0])

    # A constant predictor: one step to full recall at precision 1/2, the base rate.
    assert backtest.average_precision(y, np.zeros(4)) == pytest.approx(0.5)
    # 0.9 (hit), then 0.5 tied for a hit and a miss, then 0.1 (miss): 1/2·1 + 1/2·2/3.
    p = np.array([0.9, 0.5, 0.5, 0.1])
    assert backtest.average_precision(np.array([1, 1, 0, 0]), p) == pytest.approx(0.5 + 1 / 3)
    assert backtest.brier_score(y, np.full(4, 0.5)) == pytest.approx(0.25)


def test_the_calibration_recovers_a_known_logistic_curve():
    rng = np.random.default_rng(7)
    x = rng.normal(size=20_000)
    y = (rng.uniform(size=x.size) < 1 / (1 + np.exp(-(-2.0 + 1.5 * x)))).astype(float)

    a, b = backtest.fit_logistic(x, y)

    assert a == pytest.approx(-2.0, abs=0.1)
    assert b == pytest.approx(1.5, abs=0.1)


def test_it_scores_a_month_from_the_past_only(files):
    events_path, boundaries_path = files
    codes, geoms = backtest.read_boundaries(boundaries_path)
    events = backtest.read_events(events_path)
    months = list(
        range(
            backtest.month_index(dt.date(2000, 1, 1)),
            backtest.month_index(dt.date(2002, 12, 1)) + 1,
        )
    )
    before = backtest.score_series(
        backtest.place_events(events, codes, geoms).placed, codes, months
    )
    # A big event in the west on the first day of July 2001, the month after June 2001.
    june = months.index(backtest.month_index(dt.date(2001, 6, 1)))
    later = backtest.GedEvent(
        id="later",
        day=dt.date(2001, 7, 1),
        where_prec=1,
        longitude=IN_WEST[0],
        latitude=IN_WEST[1],
        best=50,
        type_of_violence=3,
    )
    placed = backtest.place_events([*events, later], codes, geoms).placed

    after = backtest.score_series(placed, codes, months)

    west = codes.index("62.01")
    np.testing.assert_array_equal(after.score[: june + 1], before.score[: june + 1])
    np.testing.assert_array_equal(after.level[: june + 1], before.level[: june + 1])
    assert after.score[june + 1, west] > before.score[june + 1, west]
    assert after.level[june + 1, west] > before.level[june + 1, west]


REAL_DATA = (
    backtest.default_events_path().is_file() and backtest.default_boundaries_path().is_file()
)


@pytest.mark.skipif(not REAL_DATA, reason="../shared/data (UCDP GED, boundaries) is absent")
def test_it_back_tests_the_real_ged_events(tmp_path):
    out = io.StringIO()
    json_path = tmp_path / "result.json"

    call_command("backtest", "--json", str(json_path), stdout=out)

    text = out.getvalue()
    for predictor in backtest.PREDICTORS:
        assert predictor in text
    result = json.loads(json_path.read_text())
    assert result["events_read"] == 1734
    assert set(result["periods"]) == {
        "1990-01..2019-11 all",
        "1990-2004 conflict years",
        "2005-2019 quiet years",
    }
    for metrics in result["periods"].values():
        assert set(metrics) == set(backtest.PREDICTORS)
        assert metrics["risk score"]["positives"] > 0
