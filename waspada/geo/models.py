"""Administrative areas (Kemendagri codes) and their boundaries."""

from __future__ import annotations

from django.db import models
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
    # "Kec. Jekan Raya, Kota Palangka Raya, Kalimantan Tengah": computed when areas are loaded.
    path_name = models.CharField(max_length=400)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        indexes = [
            models.Index(fields=["level", "search_name"], name="geo_area_level_search"),
            # Prefix matches (LIKE 'x%') need pattern ops on PostgreSQL with a non-C collation.
            models.Index(
                fields=["search_name"],
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

    @property
    def display_name(self) -> str:
        """The name as officials write it in a list: "Kec. Jekan Raya", "Kel. Palangka"."""
        if self.level == AreaLevel.DISTRICT:
            return f"Kec. {self.name}"
        if self.level == AreaLevel.VILLAGE:
            # Kemendagri: the last segment starts with 1 for a kelurahan, 2 for a desa.
            return (
                f"{'Kel.' if self.code.rsplit('.', 1)[-1].startswith('1') else 'Desa'} {self.name}"
            )
        return self.name

    @property
    def province_code(self) -> str:
        return self.code.split(".", 1)[0]
