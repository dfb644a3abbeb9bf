"""The per-parent boundary bundles: serialized once per boundary stamp, then read as-is.

A bundle is a cache row, not domain data: it is filled on first request by whichever process gets
there first (a concurrent duplicate is simply dropped) and emptied by `services.load_boundaries`.
"""

from __future__ import annotations

import hashlib
import json

from django.db import IntegrityError, transaction

from waspada.geo import boundaryfiles, geocode
from waspada.geo.choices import AreaLevel
from waspada.geo.models import AreaBoundary, BoundaryBundle

FORMATS = ("topojson", "geojson")


def _geojson(parent_code: str) -> tuple[str, int]:
    rows = AreaBoundary.objects.order_by("area_id")
    if parent_code:
        rows = rows.filter(area__parent_id=parent_code)
    else:
        rows = rows.filter(level=AreaLevel.PROVINCE)
    features = [
        # The stored geometry is already GeoJSON text: splice it in instead of re-encoding it.
        '{"type":"Feature","id":%s,"properties":%s,"geometry":%s}'  # noqa: UP031
        % (
            json.dumps(code),
            json.dumps({"code": code, "name": name}, ensure_ascii=False),
            geometry,
        )
        for code, name, geometry in rows.values_list("area_id", "area__name", "geometry")
    ]
    body = '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"
    return body, len(features)


def get_or_build(parent_code: str, fmt: str) -> BoundaryBundle | None:
    """The bundle of the children of `parent_code` ("" for the provinces) in `fmt`.

    None when no child has a boundary. Raises ValueError for an unknown format.
    """
    if fmt not in FORMATS:
        raise ValueError(fmt)
    stamp = geocode.current_stamp()
    bundle = BoundaryBundle.objects.filter(parent_code=parent_code, fmt=fmt, stamp=stamp).first()
    if bundle is not None:
        return bundle
    body, count = _geojson(parent_code)
    if count == 0:
        return None
    if fmt == "topojson":
        body = boundaryfiles.to_topojson(json.loads(body))
    bundle = BoundaryBundle(
        parent_code=parent_code,
        fmt=fmt,
        stamp=stamp,
        body=body,
        etag=hashlib.sha256(body.encode()).hexdigest(),
        feature_count=count,
    )
    try:
        with transaction.atomic():
            BoundaryBundle.objects.filter(parent_code=parent_code, fmt=fmt).delete()
            bundle.save(force_insert=True)
    except IntegrityError:
        pass  # another process stored the same bundle first; ours is identical
    return bundle
