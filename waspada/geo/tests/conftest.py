"""Fixtures of the geo tests: the tiny code list and boundaries of `data.py`, loaded for real."""

from __future__ import annotations

import pytest

from waspada.geo import areadata, boundaryfiles
from waspada.geo.services import load_areas, load_boundaries
from waspada.geo.tests import data


@pytest.fixture
def areas(db):
    """The tiny code list, loaded through the service (before any persona is created)."""
    return load_areas(areadata.read_tarball(data.tarball(), source="test"))


@pytest.fixture
def boundaries(areas, tmp_path):
    """Rectangular boundaries for every province, kab/kota and kecamatan of the tiny list."""
    folder = data.write_boundaries(tmp_path / "boundaries")
    features, _files = boundaryfiles.read_directory(folder)
    return load_boundaries(features, source=str(folder))
