"""The pictures of a brief, drawn on the server as PNG at print resolution (matplotlib, Agg).

- `choropleth_png`: the sub-areas of the brief's area coloured by early-warning level (the
  colours of `warnings.choices.LEVEL_COLOURS`, with a legend in words), drawn from the boundary
  bundle the geo app builds once per boundary stamp and keeps (`geo.selectors.boundary_bundle`,
  read as the brief's reader). None when no sub-area has a boundary: the brief then says so and
  shows the ranked table only.
- `trend_png`: verified items per day (bars) and the area's risk score (line) over the window.

Figures are built with `matplotlib.figure.Figure` and the Agg canvas directly (no pyplot state),
so concurrent jobs in one worker do not share anything.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from collections.abc import Sequence
from typing import Any

import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path
from matplotlib.ticker import MaxNLocator

from waspada.briefs.content.model import LEVEL_WORDS, MapArea
from waspada.geo import selectors as geo_selectors
from waspada.warnings.choices import LEVEL_COLOURS

DPI = 200
CM = 1 / 2.54
MAP_SIZE = (16 * CM, 11 * CM)
TREND_SIZE = (16 * CM, 6.5 * CM)
COLOUR_WORDS = {0: "hijau", 1: "kuning", 2: "oranye", 3: "merah"}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
LABELS_UP_TO = 40  # name labels on the map only when there are few areas
NO_SCORE = "#d9dde3"


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    return buffer.getvalue()


def _polygon_path(polygon: Any) -> Path:
    rings = [polygon.exterior, *polygon.interiors]
    paths = [Path(shapely.get_coordinates(ring), closed=True) for ring in rings]
    return Path.make_compound_path(*paths)


def _short(name: str) -> str:
    """A map label: "Kotawaringin Barat" for "Kabupaten Kotawaringin Barat" (kota keep "Kota")."""
    return name.removeprefix("Kabupaten ").removeprefix("Kec. ")


def _features(user: Any, parent_code: str) -> list[tuple[str, Any]]:
    bundle = geo_selectors.boundary_bundle(user, parent_code, "geojson")
    if bundle is None:
        return []
    collection = json.loads(bundle.body)
    codes = [str(f["properties"]["code"]) for f in collection.get("features", [])]
    texts = [json.dumps(f["geometry"]) for f in collection.get("features", [])]
    return list(zip(codes, shapely.from_geojson(texts), strict=True))


def choropleth_png(user: Any, parent_code: str, areas: Sequence[MapArea]) -> bytes | None:
    """The sub-areas of `parent_code` coloured by level, or None when none has a boundary.

    Raises OutOfScope when the parent is outside the user's scope.
    """
    features = _features(user, parent_code)
    if not features:
        return None
    by_code = {area.code: area for area in areas}
    geoms = [geom for _code, geom in features]
    min_x, min_y, max_x, max_y = shapely.total_bounds(geoms)
    tolerance = max(max_x - min_x, max_y - min_y) / 1500
    simplified = shapely.simplify(geoms, tolerance, preserve_topology=True)
    figure = Figure(figsize=MAP_SIZE, dpi=DPI)
    axes = figure.add_axes((0.01, 0.12, 0.98, 0.86))
    patches: list[PathPatch] = []
    colours: list[str] = []
    for (code, _geom), shape in zip(features, simplified, strict=True):
        area = by_code.get(code)
        colour = LEVEL_COLOURS[area.level] if area is not None else NO_SCORE
        for polygon in getattr(shape, "geoms", [shape]):
            if polygon.geom_type != "Polygon" or polygon.is_empty:
                continue
            patches.append(PathPatch(_polygon_path(polygon)))
            colours.append(colour)
    axes.add_collection(
        PatchCollection(patches, facecolors=colours, edgecolors="#333333", linewidths=0.4)
    )
    if len(features) <= LABELS_UP_TO:
        for (code, _geom), shape in zip(features, simplified, strict=True):
            area = by_code.get(code)
            point = shape.representative_point()
            axes.annotate(
                _short(area.name) if area is not None else code,
                (point.x, point.y),
                ha="center",
                va="center",
                fontsize=5.5,
                color="#111111",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
            )
    pad_x = (max_x - min_x) * 0.02 or 0.01
    pad_y = (max_y - min_y) * 0.02 or 0.01
    axes.set_xlim(min_x - pad_x, max_x + pad_x)
    axes.set_ylim(min_y - pad_y, max_y + pad_y)
    axes.set_aspect(1 / max(math.cos(math.radians((min_y + max_y) / 2)), 0.1))
    axes.axis("off")
    legend = [
        Patch(
            facecolor=LEVEL_COLOURS[level],
            edgecolor="#333333",
            label=f"{word} ({COLOUR_WORDS[level]})",
        )
        for level, word in LEVEL_WORDS.items()
    ]
    figure.legend(handles=legend, loc="lower center", ncol=4, fontsize=7, frameon=False)
    return _png(figure)


def _day_label(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


def trend_png(
    days: Sequence[dt.date], items: Sequence[int], scores: Sequence[float | None]
) -> bytes:
    """Bars of verified items per day and a line of the risk score, over `days`."""
    figure = Figure(figsize=TREND_SIZE, dpi=DPI)
    axes = figure.add_axes((0.07, 0.2, 0.85, 0.72))
    positions = list(range(len(days)))
    axes.bar(positions, items, color="#0b4f6c", width=0.7, label="Butir terverifikasi per hari")
    axes.set_ylabel("Butir", fontsize=7)
    axes.set_ylim(0, max([*items, 1]) * 1.15)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.tick_params(labelsize=6)
    step = max(1, math.ceil(len(days) / 12))
    axes.set_xticks(positions[::step], [_day_label(d) for d in days[::step]])
    axes.spines["top"].set_visible(False)
    axes.spines["right"].set_visible(False)
    handles = [Patch(facecolor="#0b4f6c", label="Butir terverifikasi per hari")]
    known = [(x, s) for x, s in zip(positions, scores, strict=True) if s is not None]
    if known:
        twin = axes.twinx()
        twin.plot([x for x, _s in known], [s for _x, s in known], color="#c62828", linewidth=1.2)
        twin.set_ylim(0, max(s for _x, s in known) * 1.2 or 1)
        twin.set_ylabel("Skor risiko", fontsize=7)
        twin.tick_params(labelsize=6)
        twin.spines["top"].set_visible(False)
        handles.append(Patch(facecolor="#c62828", label="Skor risiko wilayah"))
    figure.legend(handles=handles, loc="lower center", ncol=2, fontsize=6.5, frameon=False)
    return _png(figure)
