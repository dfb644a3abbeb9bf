"""Reading boundary files (GeoJSON or TopoJSON keyed by `kode`) and writing TopoJSON.

A boundary folder holds `provinsi`, `kabupaten_kota` and `kecamatan`, each as `.geojson` or
`.topo.json` (GeoJSON is preferred when both exist: it needs no arc decoding). TopoJSON is read and
written with the pinned `topojson` package.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import topojson
from django.conf import settings
from django.utils.translation import gettext as _
from topojson.utils import serialize_as_geojson

from waspada.geo.choices import AreaLevel
from waspada.geo.services import BoundaryFeature

LEVEL_FILES: dict[AreaLevel, str] = {
    AreaLevel.PROVINCE: "provinsi",
    AreaLevel.REGENCY: "kabupaten_kota",
    AreaLevel.DISTRICT: "kecamatan",
}

# Rounds TopoJSON coordinates to about 1e-5 of the extent: smaller bodies, no visible change.
TOPOLOGY_QUANTIZATION = 1e5


class BoundaryFileError(ValueError):
    """A boundary file cannot be read (not JSON, not a FeatureCollection or Topology)."""


def default_directory() -> Path | None:
    """WASPADA_BOUNDARIES, else `../shared/data/wilayah-boundaries` next to the repository."""
    configured = getattr(settings, "WASPADA_BOUNDARIES", None)
    if configured:
        return Path(configured)
    candidate = Path(settings.BASE_DIR).parent / "shared" / "data" / "wilayah-boundaries"
    return candidate if candidate.is_dir() else None


def _features(collection: dict[str, Any], origin: str) -> list[BoundaryFeature]:
    if collection.get("type") != "FeatureCollection" or not isinstance(
        collection.get("features"), list
    ):
        raise BoundaryFileError(_("%(file)s bukan GeoJSON FeatureCollection.") % {"file": origin})
    result = []
    for index, feature in enumerate(collection["features"]):
        properties = feature.get("properties") or {}
        code = str(properties.get("kode", "")).strip()
        result.append(
            BoundaryFeature(code=code, geometry=feature.get("geometry"), origin=f"{origin}#{index}")
        )
    return result


def features_from_geojson(collection: dict[str, Any], origin: str) -> list[BoundaryFeature]:
    """Features of a GeoJSON FeatureCollection whose features carry the property `kode`."""
    return _features(collection, origin)


def features_from_topojson(
    topology: dict[str, Any], origin: str, objectname: str | None = None
) -> list[BoundaryFeature]:
    """Features of one object of a TopoJSON Topology (the named one, or the only one)."""
    objects = topology.get("objects")
    if topology.get("type") != "Topology" or not isinstance(objects, dict) or not objects:
        raise BoundaryFileError(_("%(file)s bukan TopoJSON Topology.") % {"file": origin})
    if objectname not in objects:
        if len(objects) != 1:
            raise BoundaryFileError(
                _("%(file)s: objek '%(name)s' tidak ada (ada: %(names)s).")
                % {"file": origin, "name": objectname, "names": ", ".join(objects)}
            )
        objectname = next(iter(objects))
    collection = serialize_as_geojson(topology, objectname=objectname, decimals=6)
    return _features(collection, origin)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryFileError(
            _("%(file)s bukan JSON yang sah: %(error)s") % {"file": path, "error": exc}
        ) from exc
    if not isinstance(data, dict):
        raise BoundaryFileError(_("%(file)s bukan objek JSON.") % {"file": path})
    return data


def read_directory(directory: Path) -> tuple[dict[int, list[BoundaryFeature]], list[Path]]:
    """The features of every level found in `directory`, and the files they came from.

    Raises FileNotFoundError when the folder holds no boundary file at all, and
    BoundaryFileError when a file is not usable GeoJSON/TopoJSON.
    """
    if not directory.is_dir():
        raise FileNotFoundError(_("Folder %(dir)s tidak ada.") % {"dir": directory})
    features: dict[int, list[BoundaryFeature]] = {}
    used: list[Path] = []
    for level, stem in LEVEL_FILES.items():
        geojson_path = directory / f"{stem}.geojson"
        topo_path = directory / f"{stem}.topo.json"
        if geojson_path.is_file():
            features[level] = features_from_geojson(_read_json(geojson_path), geojson_path.name)
            used.append(geojson_path)
        elif topo_path.is_file():
            features[level] = features_from_topojson(
                _read_json(topo_path), topo_path.name, objectname=stem
            )
            used.append(topo_path)
    if not used:
        names = ", ".join(f"{stem}.geojson/.topo.json" for stem in LEVEL_FILES.values())
        raise FileNotFoundError(
            _("Folder %(dir)s tidak berisi berkas batas wilayah (%(names)s).")
            % {"dir": directory, "names": names}
        )
    return features, used


def to_topojson(collection: dict[str, Any], object_name: str = "areas") -> str:
    """A GeoJSON FeatureCollection as a TopoJSON string (shared arcs, quantized)."""
    topology = topojson.Topology(
        collection, object_name=object_name, prequantize=TOPOLOGY_QUANTIZATION
    )
    return str(topology.to_json())
