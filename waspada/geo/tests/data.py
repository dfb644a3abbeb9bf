"""A tiny, hand-made slice of the code list and of the boundaries, for tests (no network).

Kalimantan Tengah (62) and Kalimantan Selatan (63) with a few kab/kota, kecamatan and desa; the
codes the personas need are all here. Boundaries are rectangles on a made-up grid:

    lon 110   113  114.5  116   117   118
        | 62.01 | 62.71.01 | 62.71.02 | 63.71 | 63.02 |     lat -4 .. 0
"""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROVINCES = "code,name\n62,Kalimantan Tengah\n63,Kalimantan Selatan\n"
REGENCIES = (
    "code,province_code,name\n"
    "62.01,62,Kabupaten Kotawaringin Barat\n"
    "62.71,62,Kota Palangka Raya\n"
    "63.02,63,Kabupaten Kotabaru\n"
    "63.71,63,Kota Banjarmasin\n"
)
DISTRICTS = (
    "code,regency_code,name\n"
    "62.01.01,62.01,Kumai\n"
    "62.71.01,62.71,Pahandut\n"
    "62.71.02,62.71,Jekan Raya\n"
    "63.02.01,63.02,Pulau Laut Utara\n"
    "63.71.01,63.71,Banjarmasin Selatan\n"
)
VILLAGES = (
    "code,district_code,name\n"
    "62.01.01.2001,62.01.01,Sungai Sekonyer\n"
    "62.01.01.2002,62.01.01,Sukaménak\n"
    "62.71.01.1001,62.71.01,Pahandut\n"
    "62.71.02.1001,62.71.02,Palangka\n"
    "62.71.02.1002,62.71.02,Menteng\n"
    '62.71.02.1003,62.71.02,"Bukit Tunggal, Hilir"\n'
    "63.02.01.2001,63.02.01,Kota Baru\n"
    "63.71.01.1001,63.71.01,Kelayan Dalam\n"
)
CSV = {"provinces": PROVINCES, "regencies": REGENCIES, "districts": DISTRICTS, "villages": VILLAGES}
TOTAL = 2 + 4 + 5 + 8


def write_csvs(directory: Path, **overrides: str) -> Path:
    """The four CSV files in `directory` (one may be replaced by keyword, e.g. villages=...)."""
    directory.mkdir(parents=True, exist_ok=True)
    for stem, text in {**CSV, **overrides}.items():
        (directory / f"{stem}.csv").write_text(text, encoding="utf-8")
    return directory


def tarball(**overrides: str) -> bytes:
    """A package tarball shaped like idn-area-data's (package/data/*.csv)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for stem, text in {**CSV, **overrides}.items():
            content = text.encode()
            info = tarfile.TarInfo(f"package/data/{stem}.csv")
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def rect(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
    }


BOXES: dict[str, tuple[float, float, float, float]] = {
    "62": (110, -4, 116, 0),
    "63": (116, -4, 118, 0),
    "62.01": (110, -4, 113, 0),
    "62.71": (113, -4, 116, 0),
    "63.71": (116, -4, 117, 0),
    "63.02": (117, -4, 118, 0),
    "62.01.01": (110, -4, 113, 0),
    "62.71.01": (113, -4, 114.5, 0),
    "62.71.02": (114.5, -4, 116, 0),
    "63.71.01": (116, -4, 117, 0),
    "63.02.01": (117, -4, 118, 0),
}
FILES = {1: "provinsi", 2: "kabupaten_kota", 3: "kecamatan"}


def feature_collection(level: int, boxes: Mapping[str, tuple[float, ...]] | None = None) -> dict:
    chosen = boxes or BOXES
    features = [
        {
            "type": "Feature",
            "properties": {"kode": code, "nama": f"Wilayah {code}"},
            "geometry": rect(*box),
        }
        for code, box in chosen.items()
        if code.count(".") + 1 == level
    ]
    if level == 3 and boxes is None:
        # A kode that is not a known area: skipped and reported.
        features.append(
            {"type": "Feature", "properties": {"kode": "99.99.99"}, "geometry": rect(0, 0, 1, 1)}
        )
    return {"type": "FeatureCollection", "features": features}


def write_boundaries(
    directory: Path, *, topojson: bool = False, boxes: Mapping[str, tuple[float, ...]] | None = None
) -> Path:
    """provinsi/kabupaten_kota/kecamatan as .geojson (or .topo.json) in `directory`."""
    import topojson as tp

    directory.mkdir(parents=True, exist_ok=True)
    for level, stem in FILES.items():
        collection = feature_collection(level, boxes)
        if topojson:
            text = str(tp.Topology(collection, object_name=stem, prequantize=False).to_json())
            (directory / f"{stem}.topo.json").write_text(text)
        else:
            (directory / f"{stem}.geojson").write_text(json.dumps(collection))
    return directory
