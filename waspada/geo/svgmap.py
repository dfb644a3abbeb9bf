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
    polygons = getattr(geom, "geoms", [geom])
    for polygon in polygons:
        if polygon.is_empty or polygon.geom_type != "Polygon":
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
    # About half a pixel of tolerance: invisible, and it drops most vertices of big maps.
    simplified = shapely.simplify(geoms, 0.5 / scale, preserve_topology=True)
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
