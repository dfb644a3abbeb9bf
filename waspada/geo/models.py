"""Administrative areas (Kemendagri codes) and their boundaries."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waspada.geo.choices import AreaLevel


class Area(models.Model):
    """A provinsi, kabupaten/kota, kecamatan or desa/kelurahan, keyed by its dotted Kemendagri code.

    The code is the primary key, so every foreign key to an area stores the dotted code itself and
    scoping is a prefix match on an indexed column (see `core.scoping`).
    """

    code = models.CharField(primary_key=True, max_length=13)
    name = models.CharField(max_length=120)
    level = models.PositiveSmallIntegerField(choices=AreaLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Lower-case, accent-free name without "Kabupaten"/"Kota" prefixes, for prefix search.
    search_name = models.CharField(max_length=120)
    # search_name with only letters and digits ("palangkaraya" for "Palangka Raya" and for
    # "Palangkaraya"): what prefix search matches, so spacing and punctuation do not matter.
    search_key = models.CharField(max_length=120, default="")
    # "Kec. Jekan Raya, Kota Palangka Raya, Kalimantan Tengah": computed when areas are loaded.
    path_name = models.CharField(max_length=400)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        indexes = [
            # level = ? AND search_key LIKE 'x%' ORDER BY search_key: the search's query shape.
            models.Index(
                fields=["level", "search_key"],
                name="geo_area_level_search",
                opclasses=["int2_ops", "varchar_pattern_ops"],
            ),
            # Prefix matches (LIKE 'x%') need pattern ops on PostgreSQL with a non-C collation.
            models.Index(
                fields=["search_key"],
                name="geo_area_search_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(
                fields=["code"], name="geo_area_code_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("geo:area_detail", args=[self.code])

    @property
    def display_name(self) -> str:
        """The name as officials write it in a list: "Kec. Jekan Raya", "Kel. Palangka"."""
        return self.format_display_name(self.code, self.level, self.name)

    @staticmethod
    def format_display_name(code: str, level: int, name: str) -> str:
        """`display_name` without an instance (the loader formats 91,599 names at once)."""
        if level == AreaLevel.DISTRICT:
            return f"Kec. {name}"
        if level == AreaLevel.VILLAGE:
            # Kemendagri: the last segment starts with 1 for a kelurahan, 2 for a desa.
            return f"{'Kel.' if code.rsplit('.', 1)[-1].startswith('1') else 'Desa'} {name}"
        return name

    @property
    def province_code(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def parent_code(self) -> str | None:
        return self.code.rsplit(".", 1)[0] if "." in self.code else None

    @property
    def ancestor_codes(self) -> list[str]:
        """Codes of the ancestors, from the province down ("62", "62.71" for "62.71.02")."""
        parts = self.code.split(".")
        return [".".join(parts[:i]) for i in range(1, len(parts))]


class AreaBoundary(models.Model):
    """The boundary of one area (provinsi, kab/kota or kecamatan) as a GeoJSON geometry.

    Loaded by `services.load_boundaries` from files keyed by `kode`; never official BIG
    boundaries. The bounding box and centroid are stored so that maps and the reverse geocoder
    need not parse every geometry to place it.
    """

    area = models.OneToOneField(
        Area, primary_key=True, on_delete=models.CASCADE, related_name="boundary"
    )
    level = models.PositiveSmallIntegerField(choices=AreaLevel.choices, db_index=True)
    # A GeoJSON Polygon or MultiPolygon object, WGS84 [lon, lat].
    geometry = models.TextField()
    centroid_lon = models.FloatField()
    centroid_lat = models.FloatField()
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["area_id"]
        verbose_name = _("batas wilayah")
        verbose_name_plural = _("batas wilayah")

    def __str__(self) -> str:
        return f"{self.area_id} ({self.get_level_display()})"


class BoundaryVersion(models.Model):
    """One row (id 1) whose `version` goes up whenever stored boundaries change.

    Per-process caches (the reverse-geocoding index, rendered maps) compare `stamp` with the one
    they were built from, so a reload in one process invalidates them in every process.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.PositiveIntegerField(default=0)
    # Random per change: caches key on it, so a restored or rolled-back database with the same
    # version number never serves shapes cached from different boundaries.
    stamp = models.CharField(max_length=32, blank=True)
    loaded_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("versi batas wilayah")
        verbose_name_plural = _("versi batas wilayah")

    def __str__(self) -> str:
        return f"v{self.version}"


class BoundaryBundle(models.Model):
    """The serialized boundaries of the children of one parent area, in one format.

    Filled on first request (a cache, shared by every web process) and emptied whenever the
    boundaries change, so a warm request reads one row and does no geometry work.
    """

    class Format(models.TextChoices):
        GEOJSON = "geojson", "GeoJSON"
        TOPOJSON = "topojson", "TopoJSON"

    # "" is the national bundle (the provinces).
    parent_code = models.CharField(max_length=13, blank=True)
    fmt = models.CharField(max_length=10, choices=Format.choices)
    stamp = models.CharField(max_length=32)  # BoundaryVersion.stamp it was built from
    body = models.TextField()
    etag = models.CharField(max_length=64)
    feature_count = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["parent_code", "fmt"], name="uniq_boundary_bundle")
        ]
        verbose_name = _("paket batas wilayah")
        verbose_name_plural = _("paket batas wilayah")

    def __str__(self) -> str:
        return f"{self.parent_code or 'nasional'}.{self.fmt} {self.stamp}"
