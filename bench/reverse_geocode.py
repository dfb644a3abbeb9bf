"""reverse_geocode: points per second from a latitude/longitude to its kecamatan.

Uses the per-process STRtree of `geo.geocode` over the 7,285 stored kecamatan boundaries (loaded
from the workplace boundary folder when the bench database has none). Two point sets of 100,000:
uniform in Indonesia's bounding box (most fall in the sea) and uniform inside randomly chosen
kecamatan. Each is located in one batch call and one point at a time. Target: over 5,000/s.
"""

from __future__ import annotations

import time

import numpy as np

from bench.common import Result, ensure_areas, ensure_boundaries

POINTS = 100_000
TARGET_PER_SECOND = 5000.0
BBOX = (95.0, -11.0, 141.0, 6.0)  # lon min, lat min, lon max, lat max


def _inside_points(index_codes: tuple[str, ...], rng: np.random.Generator) -> tuple:
    import shapely

    from waspada.geo.models import AreaBoundary

    rows = list(
        AreaBoundary.objects.filter(level=3).order_by("area_id").values_list("area_id", "geometry")
    )
    codes = np.array([code for code, _g in rows])
    geometries = shapely.from_geojson([geometry for _c, geometry in rows])
    shapely.prepare(geometries)
    bounds = shapely.bounds(geometries)
    chosen = rng.integers(0, len(rows), POINTS)
    lons = np.empty(POINTS)
    lats = np.empty(POINTS)
    todo = np.arange(POINTS)
    while len(todo):
        b = bounds[chosen[todo]]
        x = rng.uniform(b[:, 0], b[:, 2])
        y = rng.uniform(b[:, 1], b[:, 3])
        inside = shapely.contains_xy(geometries[chosen[todo]], x, y)
        lons[todo[inside]] = x[inside]
        lats[todo[inside]] = y[inside]
        todo = todo[~inside]
    return lats, lons, codes[chosen]


def _rates(index, lats: np.ndarray, lons: np.ndarray) -> tuple[float, float, list]:
    started = time.perf_counter()
    batch = index.locate_many(lats, lons)
    batch_rate = len(lats) / (time.perf_counter() - started)
    locate = index.locate
    started = time.perf_counter()
    single = [locate(lat, lon) for lat, lon in zip(lats.tolist(), lons.tolist(), strict=True)]
    single_rate = len(lats) / (time.perf_counter() - started)
    if single != batch:
        raise RuntimeError("batch and one-by-one answers differ")
    return batch_rate, single_rate, batch


def run() -> list[Result]:
    from waspada.geo import geocode

    ensure_areas()
    if not ensure_boundaries():
        print("  skipped: no boundary folder (set WASPADA_BOUNDARIES)")
        return []
    started = time.perf_counter()
    index = geocode.get_index()
    build = time.perf_counter() - started
    rng = np.random.default_rng(7)
    box_lons = rng.uniform(BBOX[0], BBOX[2], POINTS)
    box_lats = rng.uniform(BBOX[1], BBOX[3], POINTS)
    box_batch, box_single, box_found = _rates(index, box_lats, box_lons)
    in_lats, in_lons, in_codes = _inside_points(index.codes, rng)
    in_batch, in_single, in_found = _rates(index, in_lats, in_lons)
    hits = sum(found is not None for found in box_found) / POINTS * 100
    match = float(np.mean(np.array(in_found, dtype=object) == in_codes)) * 100
    print(
        f"  {len(index):,} kecamatan; {hits:.1f}% of bbox points fall in one; "
        f"{match:.2f}% of inside points get their own kecamatan (misses: overlapping slivers)"
    )
    target = f"> {TARGET_PER_SECOND:,.0f}"
    return [
        Result("reverse_geocode_index_build", round(build, 3), "s"),
        Result(
            "reverse_geocode_batch_bbox",
            round(box_batch),
            "points/s",
            target,
            box_batch > TARGET_PER_SECOND,
        ),
        Result(
            "reverse_geocode_single_bbox",
            round(box_single),
            "points/s",
            target,
            box_single > TARGET_PER_SECOND,
        ),
        Result(
            "reverse_geocode_batch_inside",
            round(in_batch),
            "points/s",
            target,
            in_batch > TARGET_PER_SECOND,
        ),
        Result(
            "reverse_geocode_single_inside",
            round(in_single),
            "points/s",
            target,
            in_single > TARGET_PER_SECOND,
        ),
        Result("reverse_geocode_inside_match", round(match, 2), "%"),
    ]
