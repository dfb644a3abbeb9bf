"""Writes to the area hierarchy and its boundaries: loading the code list and boundary files.

Both loads are idempotent and run in one transaction: everything is validated and computed in
memory first, then written with bulk operations, then summarised in one audit entry.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import shapely
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape

from waspada.core import audit
from waspada.core.errors import InvalidInput
from waspada.core.permissions import Actor, ensure_can
from waspada.geo.areadata import AreaData, AreaRow
from waspada.geo.choices import AreaLevel
from waspada.geo.models import Area, AreaBoundary, BoundaryBundle, BoundaryVersion
from waspada.geo.names import compact, search_name_for

# Loading reference data is a national task: only roles with this permission (national admin)
# may run it through a service call with a user; management commands run as the system.
LOAD_PERMISSION = "taxonomy.manage"

_CODE_PATTERNS: dict[int, re.Pattern[str]] = {
    AreaLevel.PROVINCE: re.compile(r"^\d{2}$"),
    AreaLevel.REGENCY: re.compile(r"^\d{2}\.\d{2}$"),
    AreaLevel.DISTRICT: re.compile(r"^\d{2}\.\d{2}\.\d{2}$"),
    AreaLevel.VILLAGE: re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"),
}
_NAME_MAX = Area._meta.get_field("name").max_length or 120
_MAX_ERRORS = 50

_AREA_FIELDS = ["name", "parent", "level", "search_name", "search_key", "path_name", "updated_at"]


@dataclass
class AreaLoadReport:
    """What `load_areas` did: counts per level and the codes that changed or went missing."""

    totals: dict[str, int] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    updated: int = 0
    unchanged: int = 0
    renamed: list[dict[str, str]] = field(default_factory=list)
    moved: list[dict[str, str | None]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def created_total(self) -> int:
        return sum(self.created.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "totals": self.totals,
            "created": self.created,
            "created_total": self.created_total,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "renamed": self.renamed,
            "moved": self.moved,
            "missing": self.missing,
        }


def _validate(data: AreaData) -> None:
    errors: dict[str, list[str]] = {}

    def add(row: AreaRow, message: str) -> None:
        errors.setdefault(row.origin or row.code or "?", []).append(message)

    seen: set[str] = set()
    previous: set[str] = set()
    for level, rows in zip(AreaLevel, data.levels(), strict=True):
        current: set[str] = set()
        pattern = _CODE_PATTERNS[level]
        for row in rows:
            if len(errors) >= _MAX_ERRORS:
                break
            if not pattern.match(row.code):
                add(
                    row,
                    _("kode '%(code)s' bukan kode %(level)s yang sah.")
                    % {"code": row.code, "level": level.label.lower()},
                )
                continue
            if row.code in seen:
                add(row, _("kode '%(code)s' muncul lebih dari sekali.") % {"code": row.code})
            seen.add(row.code)
            current.add(row.code)
            if not row.name:
                add(row, _("nama wilayah kosong."))
            elif len(row.name) > _NAME_MAX:
                add(row, _("nama lebih dari %(max)d karakter.") % {"max": _NAME_MAX})
            if level == AreaLevel.PROVINCE:
                continue
            expected_parent = row.code.rsplit(".", 1)[0]
            if row.parent_code != expected_parent:
                add(
                    row,
                    _("kode induk '%(parent)s' tidak sesuai dengan kode '%(code)s'.")
                    % {"parent": row.parent_code or "", "code": row.code},
                )
            elif row.parent_code not in previous:
                add(
                    row,
                    _("kode induk '%(parent)s' tidak ada di data.") % {"parent": row.parent_code},
                )
        previous = current
    if errors:
        raise InvalidInput(_("Data wilayah tidak valid; tidak ada yang disimpan."), errors=errors)


def load_areas(
    data: AreaData, *, actor: Actor | None = None, batch_size: int = 2000
) -> AreaLoadReport:
    """Create or update every area of `data` so the table matches it; idempotent.

    New codes are created, renamed or moved areas updated (with their `search_name` and
    `path_name`), codes no longer in `data` are reported as missing but kept (other rows may point
    at them). Everything runs in one transaction and writes one audit entry `areas.loaded`.

    Raises InvalidInput (nothing written) for a bad code, name or parent, and PermissionDenied
    when a given actor may not load reference data.
    """
    if actor is not None:
        ensure_can(actor, LOAD_PERMISSION)
    _validate(data)

    existing: dict[str, tuple[str, str | None, int, str, str, str]] = {
        code: (name, parent, level, search, key, path)
        for code, name, parent, level, search, key, path in Area.objects.values_list(
            "code", "name", "parent_id", "level", "search_name", "search_key", "path_name"
        ).iterator(chunk_size=10000)
    }
    now = timezone.now()
    report = AreaLoadReport()
    to_create: list[Area] = []
    to_update: list[Area] = []
    paths: dict[str, str] = {}
    for level, rows in zip(AreaLevel, data.levels(), strict=True):
        report.totals[level.slug] = len(rows)
        report.created[level.slug] = 0
        for row in rows:
            # Plain tuples first: model instances only for the rows that must be written.
            search_name = search_name_for(row.name, level)
            own = Area.format_display_name(row.code, level, row.name)
            path = own if row.parent_code is None else f"{own}, {paths[row.parent_code]}"
            paths[row.code] = path
            wanted = (
                row.name,
                row.parent_code,
                int(level),
                search_name,
                compact(search_name),
                path,
            )
            old = existing.get(row.code)
            if old == wanted:
                report.unchanged += 1
                continue
            area = Area(
                code=row.code,
                name=row.name,
                level=level,
                parent_id=row.parent_code,
                search_name=search_name,
                search_key=wanted[4],
                path_name=path,
                updated_at=now,
            )
            if old is None:
                to_create.append(area)
                report.created[level.slug] += 1
                continue
            to_update.append(area)
            if old[0] != row.name:
                report.renamed.append({"code": row.code, "before": old[0], "after": row.name})
            if old[1] != row.parent_code:
                report.moved.append({"code": row.code, "before": old[1], "after": row.parent_code})
    report.updated = len(to_update)
    report.missing = sorted(set(existing) - set(paths))

    with transaction.atomic():
        # Parents come first in `to_create` (levels in order), so the rows are consistent at
        # every batch even on a database that checks foreign keys immediately.
        Area.objects.bulk_create(to_create, batch_size=batch_size)
        if to_update:
            Area.objects.bulk_update(to_update, _AREA_FIELDS, batch_size=500)
        audit.record(
            actor=actor,
            action="areas.loaded",
            object_type="geo.area",
            object_id="areas",
            after={"source": data.source, **report.as_dict()},
        )
    return report


# ---------------------------------------------------------------- boundaries


@dataclass(frozen=True)
class BoundaryFeature:
    """One feature of a boundary file: the `kode` property and the GeoJSON geometry."""

    code: str
    geometry: Mapping[str, Any] | None
    origin: str = ""


@dataclass
class BoundaryLoadReport:
    """What `load_boundaries` did, per level, and which features it skipped and why."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    skipped: list[dict[str, str]] = field(default_factory=list)
    version: int = 0

    @property
    def changed(self) -> bool:
        return any(sum(counts.values()) for counts in (self.created, self.updated, self.removed))

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "skipped": self.skipped,
            "version": self.version,
        }


def _boundary_row(
    code: str, level: int, geometry: Mapping[str, Any]
) -> tuple[AreaBoundary | None, str]:
    """The boundary row for a feature, or None and the reason it cannot be used."""
    kind = geometry.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        return None, _("geometri %(kind)s bukan Polygon/MultiPolygon") % {"kind": kind}
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        return None, _("geometri rusak: %(error)s") % {"error": exc}
    if geom.is_empty:
        return None, _("geometri kosong")
    if geom.is_valid:
        text = json.dumps(geometry, separators=(",", ":"))
    else:
        # Simplified boundaries can self-intersect; keep the polygonal part of the repair.
        repaired = shapely.make_valid(geom)
        if repaired.geom_type == "GeometryCollection":
            parts = [g for g in repaired.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
            repaired = shapely.union_all(parts) if parts else shapely.Polygon()
        if repaired.is_empty:
            return None, _("geometri tidak dapat diperbaiki")
        geom = repaired
        text = shapely.to_geojson(shapely.set_precision(geom, 1e-6))
    centroid = geom.centroid
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    row = AreaBoundary(
        area_id=code,
        level=level,
        geometry=text,
        centroid_lon=round(centroid.x, 6),
        centroid_lat=round(centroid.y, 6),
        min_lon=min_lon,
        min_lat=min_lat,
        max_lon=max_lon,
        max_lat=max_lat,
    )
    return row, ""


def load_boundaries(
    features: Mapping[int, Sequence[BoundaryFeature]],
    *,
    actor: Actor | None = None,
    source: str = "",
) -> BoundaryLoadReport:
    """Store the boundaries of the given levels so they match `features`; idempotent.

    Features whose `kode` is not a known area of that level, or whose geometry is unusable, are
    skipped and reported. For each level given, boundaries not in the new features are removed.
    When anything changed, the boundary version goes up and cached bundles are dropped, so every
    process rebuilds its maps and reverse-geocoding index. One audit entry `boundaries.loaded`.

    Raises PermissionDenied when a given actor may not load reference data.
    """
    if actor is not None:
        ensure_can(actor, LOAD_PERMISSION)
    report = BoundaryLoadReport()
    levels = sorted(int(level) for level in features)
    known = dict(Area.objects.filter(level__in=levels).values_list("code", "level").iterator(10000))
    plans: list[tuple[list[AreaBoundary], list[AreaBoundary], list[str]]] = []
    for level in levels:
        slug = AreaLevel(level).slug
        existing = dict(AreaBoundary.objects.filter(level=level).values_list("area_id", "geometry"))
        wanted: dict[str, AreaBoundary] = {}
        kept: set[str] = set()  # same geometry text as stored: no geometry work at all
        for feature in features[level]:
            reason = ""
            row: AreaBoundary | None = None
            if known.get(feature.code) != level:
                reason = _("kode tidak dikenal pada tingkat ini")
            elif feature.code in wanted or feature.code in kept:
                reason = _("kode muncul lebih dari sekali")
            elif not feature.geometry:
                reason = _("tanpa geometri")
            elif existing.get(feature.code) == json.dumps(feature.geometry, separators=(",", ":")):
                kept.add(feature.code)
                continue
            else:
                row, reason = _boundary_row(feature.code, level, feature.geometry)
            if row is None:
                report.skipped.append(
                    {"code": feature.code, "origin": feature.origin, "reason": reason}
                )
                continue
            wanted[feature.code] = row
        create = [row for code, row in wanted.items() if code not in existing]
        update = [
            row
            for code, row in wanted.items()
            if code in existing and existing[code] != row.geometry
        ]
        removed = sorted(set(existing) - set(wanted) - kept)
        report.created[slug] = len(create)
        report.updated[slug] = len(update)
        report.removed[slug] = len(removed)
        report.unchanged[slug] = len(kept) + len(wanted) - len(create) - len(update)
        plans.append((create, update, removed))

    with transaction.atomic():
        stamp, _created = BoundaryVersion.objects.select_for_update().get_or_create(id=1)
        now = timezone.now()
        for create, update, removed in plans:
            AreaBoundary.objects.bulk_create(create, batch_size=500)
            for row in update:
                row.updated_at = now
            AreaBoundary.objects.bulk_update(
                update,
                [
                    "geometry",
                    "centroid_lon",
                    "centroid_lat",
                    "min_lon",
                    "min_lat",
                    "max_lon",
                    "max_lat",
                    "updated_at",
                ],
                batch_size=200,
            )
            if removed:
                AreaBoundary.objects.filter(area_id__in=removed).delete()
        if report.changed:
            stamp.version += 1
            stamp.stamp = uuid.uuid4().hex
            stamp.loaded_at = now
            stamp.source = source[:500]
            stamp.save(update_fields=["version", "stamp", "loaded_at", "source"])
            BoundaryBundle.objects.all().delete()
        report.version = stamp.version
        audit.record(
            actor=actor,
            action="boundaries.loaded",
            object_type="geo.areaboundary",
            object_id="boundaries",
            after={"source": source, **report.as_dict()},
        )
    return report
