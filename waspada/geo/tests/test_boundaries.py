"""Boundaries: loading GeoJSON/TopoJSON keyed by kode, and serving bundles with ETags."""

from __future__ import annotations

import json
from io import StringIO

import pytest
import shapely
from django.core.management import call_command
from django.core.management.base import CommandError

from waspada.core.models import AuditEntry
from waspada.core.testing.access import check_access
from waspada.geo.models import AreaBoundary, BoundaryBundle, BoundaryVersion
from waspada.geo.tests import data

pytestmark = pytest.mark.django_db

URL = "/api/v1/boundaries/"


def _command(*args: str) -> str:
    out = StringIO()
    call_command("load_boundaries", *args, stdout=out)
    return out.getvalue()


class TestLoadBoundaries:
    def test_it_loads_geojson_per_level_and_skips_unknown_codes(self, areas, tmp_path):
        output = _command(str(data.write_boundaries(tmp_path / "b")))
        assert AreaBoundary.objects.filter(level=1).count() == 2
        assert AreaBoundary.objects.filter(level=2).count() == 4
        assert AreaBoundary.objects.filter(level=3).count() == 5
        assert "Kecamatan: dibuat 5" in output
        assert "1 fitur dilewati: 99.99.99 (kode tidak dikenal pada tingkat ini)" in output
        boundary = AreaBoundary.objects.get(area_id="62.71.02")
        assert (boundary.min_lon, boundary.max_lon) == (114.5, 116)
        assert boundary.centroid_lon == pytest.approx(115.25)
        assert BoundaryVersion.objects.get().version == 1

    def test_a_second_run_is_idempotent_and_keeps_the_version(self, areas, tmp_path):
        folder = data.write_boundaries(tmp_path / "b")
        _command(str(folder))
        stamp = BoundaryVersion.objects.get().stamp
        output = _command(str(folder))
        assert "Kecamatan: dibuat 0, diperbarui 0, tidak berubah 5, dihapus 0" in output
        assert AreaBoundary.objects.count() == 11
        assert BoundaryVersion.objects.get().stamp == stamp
        assert AuditEntry.objects.filter(action="boundaries.loaded").count() == 2

    def test_it_reads_topojson_the_same_as_geojson(self, areas, tmp_path):
        _command(str(data.write_boundaries(tmp_path / "topo", topojson=True)))
        assert AreaBoundary.objects.count() == 11
        geometry = json.loads(AreaBoundary.objects.get(area_id="63.71.01").geometry)
        xs = sorted({round(x, 6) for x, _y in geometry["coordinates"][0]})
        assert xs == [116, 117]
        from_topojson = shapely.from_geojson(AreaBoundary.objects.get(area_id="62").geometry)
        _command(str(data.write_boundaries(tmp_path / "geo")))
        from_geojson = shapely.from_geojson(AreaBoundary.objects.get(area_id="62").geometry)
        assert from_topojson.equals(from_geojson)

    def test_a_changed_shape_updates_it_and_drops_cached_bundles(
        self, boundaries, tmp_path, api_as
    ):
        client = api_as("national_admin")
        assert client.get(URL, {"parent": "62"}).status_code == 200
        assert BoundaryBundle.objects.count() == 1
        boxes = {**data.BOXES, "62.01": (110, -4, 112.5, 0)}
        output = _command(str(data.write_boundaries(tmp_path / "b2", boxes=boxes)))
        assert "Kabupaten/Kota: dibuat 0, diperbarui 1" in output
        assert BoundaryVersion.objects.get().version == 2
        assert not BoundaryBundle.objects.exists()

    def test_a_missing_folder_or_an_empty_one_is_a_clear_error(self, areas, tmp_path):
        with pytest.raises(CommandError, match="tidak ada"):
            _command(str(tmp_path / "nowhere"))
        with pytest.raises(CommandError, match="tidak berisi berkas batas wilayah"):
            _command(str(tmp_path))

    def test_a_file_that_is_not_json_is_a_clear_error(self, areas, tmp_path):
        (tmp_path / "provinsi.geojson").write_text("{not json")
        with pytest.raises(CommandError, match="provinsi.geojson bukan JSON yang sah"):
            _command(str(tmp_path))

    def test_without_a_folder_it_uses_waspada_boundaries(self, areas, tmp_path, settings):
        settings.WASPADA_BOUNDARIES = str(data.write_boundaries(tmp_path / "env"))
        _command()
        assert AreaBoundary.objects.count() == 11


class TestServeBoundaries:
    def test_it_serves_the_children_of_a_parent_as_geojson(self, boundaries, api_as):
        response = api_as("analyst_62").get(URL, {"parent": "62", "format": "geojson"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/geo+json")
        body = json.loads(response.content)
        assert body["type"] == "FeatureCollection"
        assert [f["properties"] for f in body["features"]] == [
            {"code": "62.01", "name": "Kabupaten Kotawaringin Barat"},
            {"code": "62.71", "name": "Kota Palangka Raya"},
        ]

    def test_it_serves_topojson_by_default_and_the_provinces_without_parent(
        self, boundaries, api_as
    ):
        response = api_as("national_admin").get(URL)
        assert response.status_code == 200
        body = json.loads(response.content)
        assert body["type"] == "Topology"
        geometries = body["objects"]["areas"]["geometries"]
        assert [g["properties"]["code"] for g in geometries] == ["62", "63"]

    def test_it_sends_a_strong_etag_and_answers_304_when_it_matches(self, boundaries, api_as):
        client = api_as("analyst_62")
        first = client.get(URL, {"parent": "62.71"})
        etag = first["ETag"]
        assert etag.startswith('"') and not etag.startswith("W/")
        assert "private" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
        again = client.get(URL, {"parent": "62.71"}, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304
        assert again["ETag"] == etag
        assert client.get(URL, {"parent": "62.71"}, HTTP_IF_NONE_MATCH='"other"').status_code == 200
        geojson = client.get(URL, {"parent": "62.71", "format": "geojson"})
        assert geojson["ETag"] != etag

    def test_a_warm_request_reads_the_stored_bundle(
        self, boundaries, api_as, django_assert_max_num_queries
    ):
        client = api_as("national_admin")
        client.get(URL, {"parent": "62"})
        bundle = BoundaryBundle.objects.get()
        with django_assert_max_num_queries(3):
            response = client.get(URL, {"parent": "62"})
        assert response.content.decode() == bundle.body
        assert BoundaryBundle.objects.get().pk == bundle.pk

    def test_without_boundaries_it_answers_404_saying_how_to_load_them(self, areas, api_as):
        response = api_as("national_admin").get(URL, {"parent": "62"})
        assert response.status_code == 404
        assert response.json()["code"] == "boundaries_not_loaded"
        assert "manage.py load_boundaries" in response.json()["detail"]

    def test_children_without_boundaries_answer_404(self, boundaries, api_as):
        response = api_as("national_admin").get(URL, {"parent": "62.71.02"})
        assert response.status_code == 404
        assert response.json()["code"] == "no_boundaries"

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"format": "shapefile"}, "format"),
            ({"parent": "62-71"}, "parent"),
            ({"parent": "62.7"}, "parent"),
        ],
    )
    def test_bad_parameters_answer_400_with_a_clear_message(
        self, boundaries, api_as, params, message
    ):
        response = api_as("national_admin").get(URL, params)
        assert response.status_code == 400
        assert message in response.json()["detail"]

    def test_access_to_the_boundaries_of_a_kab_kota(self, boundaries, api_as):
        check_access(
            api_as,
            "get",
            f"{URL}?parent=62.71",
            {
                "anonymous": 401,
                "operator_6271": 200,
                "operator_6201": 404,
                "analyst_62": 200,
                "analyst_63": 404,
                "leader_62": 200,
                "area_admin_62": 200,
                "national_admin": 200,
            },
        )

    def test_access_to_the_national_boundaries(self, boundaries, api_as):
        check_access(
            api_as,
            "get",
            URL,
            {
                "anonymous": 401,
                "operator_6271": 404,
                "operator_6201": 404,
                "analyst_62": 404,
                "analyst_63": 404,
                "leader_62": 404,
                "area_admin_62": 404,
                "national_admin": 200,
            },
        )
