"""Server-rendered SVG maps of a few areas, drawn from stored boundaries (no tiles, no JS).

Shapes are simplified with shapely to about a pixel and projected equirectangularly, with the
longitude scaled by cos(latitude) at the middle of the map so shapes keep their proportions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 800.0
MAX_HEIGHT = 640.0
MIN_PART_PX = 2.0  # square pixels


@dataclass(frozen=True)
class MapShape:
    """One area to draw: its code, name, link and GeoJSON geometry text."""

    code: str
    name: str
    href: str
    geometry: str


def _ring_path(coords: np.ndarray) -> str:
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    return f"M{points}Z"


def _path_data(geom: shapely.Geometry, project: np.ndarray) -> str:
    parts: list[str] = []
    polygons = [p for p in getattr(geom, "geoms", [geom]) if p.geom_type == "Polygon" and p.area]
    if not polygons:
        return ""
    # Islands smaller than about a pixel are left out (Indonesia has thousands); the largest
    # part of every area is always drawn, so each area keeps a clickable shape.
    px_area = abs(project[1][0] * project[1][1])
    largest = max(polygons, key=lambda p: p.area)
    for polygon in polygons:
        if polygon is not largest and polygon.area * px_area < MIN_PART_PX:
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            coords = shapely.get_coordinates(ring)
            if len(coords) < 3:
                continue
            xy = (coords - project[0]) * project[1]
            parts.append(_ring_path(xy))
    return "".join(parts)


def render(shapes: Sequence[MapShape], *, label: str) -> SafeString:
    """An inline <svg> with one linked, titled path per shape (empty string for no shapes)."""
    if not shapes:
        return SafeString("")
    geoms = shapely.from_geojson([shape.geometry for shape in shapes])
    min_x, min_y, max_x, max_y = shapely.total_bounds(geoms)
    k = math.cos(math.radians((min_y + max_y) / 2))
    span_x = max((max_x - min_x) * k, 1e-9)
    span_y = max(max_y - min_y, 1e-9)
    scale = min(WIDTH / span_x, MAX_HEIGHT / span_y)
    width, height = span_x * scale, span_y * scale
    # About a pixel of tolerance: invisible, and it drops most vertices of big maps.
    simplified = shapely.simplify(geoms, 1.0 / scale, preserve_topology=True)
    # x = (lon - min_x) * k * scale; y = (max_y - lat) * scale
    project = np.array([[min_x, max_y], [k * scale, -scale]])
    paths = format_html_join(
        "",
        '<a href="{}" data-code="{}"><title>{}</title><path d="{}"/></a>',
        (
            (shape.href, shape.code, shape.name, _path_data(geom, project))
            for shape, geom in zip(shapes, simplified, strict=True)
        ),
    )
    return format_html(
        '<svg class="map area-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'role="img" aria-label="{}" fill-rule="evenodd">{}</svg>',
        f"{width:.0f}",
        f"{height:.0f}",
        label,
        paths,
    )
