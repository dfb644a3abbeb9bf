"""Errors of the geo app, answered with a clear message by the API and pages."""

from __future__ import annotations

from django.utils.translation import gettext as _

from waspada.core.errors import DomainError

LOAD_HINT = (
    "Jalankan `python manage.py load_boundaries FOLDER` (folder berisi provinsi, kabupaten_kota "
    "dan kecamatan sebagai .geojson atau .topo.json dengan properti `kode`), atau setel "
    "WASPADA_BOUNDARIES."
)


class BoundariesNotLoaded(DomainError):
    """No boundary is stored yet: maps, boundaries and reverse geocoding need them."""

    status_code = 404
    code = "boundaries_not_loaded"

    def __init__(self) -> None:
        super().__init__(_("Batas wilayah belum dimuat. ") + _(LOAD_HINT))


class NoBoundariesHere(DomainError):
    """Boundaries are loaded, but none for the children of this area (e.g. desa/kelurahan)."""

    status_code = 404
    code = "no_boundaries"

    def __init__(self, parent_label: str) -> None:
        super().__init__(
            _("Tidak ada batas wilayah untuk anak wilayah %(parent)s.") % {"parent": parent_label}
        )


class PointOutsideAreas(DomainError):
    """The point lies outside every stored kecamatan (at sea, or outside Indonesia)."""

    status_code = 404
    code = "outside_areas"

    def __init__(self) -> None:
        super().__init__(_("Titik ini tidak berada di dalam kecamatan mana pun."))
