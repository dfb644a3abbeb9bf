"""The real code list (91,599 areas), loaded from the cached, hash-checked npm tarball.

Needs var/cache/npm/idn-area-data-4.0.1.tgz (`manage.py load_areas --download-only` or `make areas`
puts it there). Without it the test is skipped, unless WASPADA_REQUIRE_FULLDATA=1 says it must run.
"""

from __future__ import annotations

import os

import pytest

from waspada.core.npm import cache_dir, tarball_from_dir
from waspada.geo import areadata
from waspada.geo.services import load_areas

pytestmark = [pytest.mark.fulldata, pytest.mark.django_db]

EXPECTED = {"province": 38, "regency": 514, "district": 7285, "village": 83762}


def _cached_tarball() -> bytes:
    path = cache_dir() / areadata.IDN_AREA_DATA.tarball_name
    if not path.is_file():
        reason = (
            f"{path} is absent: run `manage.py load_areas --download-only` to fetch "
            f"{areadata.IDN_AREA_DATA.name}@{areadata.IDN_AREA_DATA.version} first"
        )
        if os.environ.get("WASPADA_REQUIRE_FULLDATA") == "1":
            pytest.fail(f"WASPADA_REQUIRE_FULLDATA=1 but {reason}")
        pytest.skip(reason)
    return tarball_from_dir(areadata.IDN_AREA_DATA, path.parent)


def test_the_real_code_list_gives_the_official_counts_through_the_api(api_as):
    data = _cached_tarball()
    report = load_areas(areadata.read_tarball(data, source="cache"))
    assert report.totals == EXPECTED
    client = api_as("national_admin")
    for level, count in EXPECTED.items():
        response = client.get("/api/v1/areas/", {"level": level, "page_size": 1})
        assert response.status_code == 200, response.content
        assert response.json()["count"] == count, level
    search = client.get("/api/v1/areas/search/", {"q": "Kota Palangka Raya", "limit": 1})
    assert search.json()["results"][0]["code"] == "62.71"
