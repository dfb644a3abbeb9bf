"""Reverse geocoding: which kecamatan contains a latitude/longitude.

A shapely 2 STRtree over every stored kecamatan boundary is built once per process, lazily, under
a lock, and rebuilt when the boundary stamp (renewed by `services.load_boundaries`) changes. The
stamp is one single-row read, so a reload in any process reaches every process.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely import STRtree

from waspada.geo.choices import AreaLevel
from waspada.geo.models import AreaBoundary, BoundaryVersion

LAT_RANGE = (-90.0, 90.0)
LON_RANGE = (-180.0, 180.0)


@dataclass(frozen=True)
class KecamatanIndex:
    """An STRtree over the kecamatan polygons of one boundary stamp."""

    stamp: str
    codes: tuple[str, ...]
    tree: STRtree

    def __len__(self) -> int:
        return len(self.codes)

    def locate(self, lat: float, lon: float) -> str | None:
        """The code of the kecamatan containing the point (border points count), or None."""
        hits = self.tree.query(shapely.Point(lon, lat), predicate="intersects")
        if len(hits) == 0:
            return None
        # Neighbouring simplified shapes can overlap by a sliver: the lowest index wins, so the
        # answer is the same on every run.
        return self.codes[int(hits.min())]

    def locate_many(self, lats: Sequence[float], lons: Sequence[float]) -> list[str | None]:
        """`locate` for many points at once (one vectorised tree query)."""
        points = shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
        result: list[str | None] = [None] * len(points)
        if len(points) == 0 or len(self.codes) == 0:
            return result
        inputs, found = self.tree.query(points, predicate="intersects")
        # Sort by (point, tree index) and keep the first hit of each point.
        order = np.lexsort((found, inputs))
        inputs, found = inputs[order], found[order]
        first_points, first_at = np.unique(inputs, return_index=True)
        for point, at in zip(first_points.tolist(), first_at.tolist(), strict=True):
            result[point] = self.codes[int(found[at])]
        return result


_lock = threading.Lock()
_index: KecamatanIndex | None = None


def current_stamp() -> str:
    """The stamp of the stored boundaries ("" before any boundaries were loaded)."""
    stamp = BoundaryVersion.objects.filter(id=1).values_list("stamp", flat=True).first()
    return stamp or ""


def _build(stamp: str) -> KecamatanIndex:
    rows = list(
        AreaBoundary.objects.filter(level=AreaLevel.DISTRICT)
        .order_by("area_id")
        .values_list("area_id", "geometry")
    )
    geometries = shapely.from_geojson([geometry for _code, geometry in rows])
    return KecamatanIndex(
        stamp=stamp, codes=tuple(code for code, _geometry in rows), tree=STRtree(geometries)
    )


def get_index() -> KecamatanIndex:
    """The index for the current boundaries, built on first use in this process."""
    global _index  # one index per process is the point
    stamp = current_stamp()
    index = _index
    if index is not None and index.stamp == stamp:
        return index
    with _lock:
        index = _index
        if index is None or index.stamp != stamp:
            index = _build(stamp)
            _index = index
    return index


def locate(lat: float, lon: float) -> str | None:
    """The kecamatan code containing (lat, lon), or None (also when no boundaries are loaded)."""
    return get_index().locate(lat, lon)


def locate_many(lats: Sequence[float], lons: Sequence[float]) -> list[str | None]:
    """Kecamatan codes for many points, with one stamp check and one tree query."""
    return get_index().locate_many(lats, lons)


def valid_coordinates(lat: float, lon: float) -> bool:
    """True for finite coordinates inside the WGS84 ranges."""
    return bool(
        np.isfinite(lat)
        and np.isfinite(lon)
        and LAT_RANGE[0] <= lat <= LAT_RANGE[1]
        and LON_RANGE[0] <= lon <= LON_RANGE[1]
    )
