"""Reverse geocoding: a point to the kecamatan containing it, through the API and in batches."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from waspada.core.testing.access import check_access
from waspada.geo import boundaryfiles, geocode
from waspada.geo.services import load_boundaries
from waspada.geo.tests import data

pytestmark = pytest.mark.django_db

URL = "/api/v1/areas/locate/"
IN_JEKAN_RAYA = {"lat": -2.0, "lon": 115.0}


class TestLocateApi:
    def test_it_returns_the_kecamatan_with_its_path(self, boundaries, api_as):
        response = api_as("operator_6271").get(URL, IN_JEKAN_RAYA)
        assert response.status_code == 200
        body = response.json()
        assert body["code"] == "62.71.02"
        assert body["level"] == "district"
        assert body["path"] == "Kec. Jekan Raya, Kota Palangka Raya, Kalimantan Tengah"

    def test_a_point_outside_every_kecamatan_answers_404(self, boundaries, api_as):
        response = api_as("analyst_62").get(URL, {"lat": 10, "lon": 100})
        assert response.status_code == 404
        assert response.json()["code"] == "outside_areas"

    def test_without_boundaries_it_answers_404_saying_how_to_load_them(self, areas, api_as):
        response = api_as("analyst_62").get(URL, IN_JEKAN_RAYA)
        assert response.status_code == 404
        assert "load_boundaries" in response.json()["detail"]

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"lat": "abc", "lon": "115"}, "lat harus angka"),
            ({"lat": "91", "lon": "115"}, "Lintang harus antara -90 dan 90"),
            ({"lat": "-2", "lon": "181"}, "Bujur harus antara -180 dan 180"),
            ({"lon": "115"}, "lat (lintang) wajib"),
            ({"lat": "nan", "lon": "115"}, "lat"),
        ],
    )
    def test_malformed_or_out_of_range_coordinates_answer_400(
        self, boundaries, api_as, params, message
    ):
        response = api_as("analyst_62").get(URL, params)
        assert response.status_code == 400
        assert message in response.json()["detail"]

    def test_every_signed_in_persona_may_locate_a_point(self, boundaries, api_as):
        check_access(
            api_as,
            "get",
            f"{URL}?lat=-2&lon=115",
            {
                "anonymous": 401,
                "operator_6271": 200,
                "operator_6201": 200,
                "analyst_62": 200,
                "analyst_63": 200,
                "leader_62": 200,
                "area_admin_62": 200,
                "national_admin": 200,
            },
        )


class TestIndex:
    def test_the_batch_function_agrees_with_one_by_one(self, boundaries):
        lats = [-2.0, -1.0, -3.5, -2.0, 5.0, -2.0]
        lons = [115.0, 111.0, 113.2, 116.5, 100.0, 117.5]
        expected = ["62.71.02", "62.01.01", "62.71.01", "63.71.01", None, "63.02.01"]
        assert geocode.locate_many(lats, lons) == expected
        assert [geocode.locate(lat, lon) for lat, lon in zip(lats, lons, strict=True)] == expected

    def test_a_point_on_a_shared_border_gets_one_answer(self, boundaries):
        assert geocode.locate(-2.0, 114.5) in {"62.71.01", "62.71.02"}

    @pytest.mark.django_db(transaction=True)
    def test_the_index_is_built_once_and_shared_by_threads(self, boundaries):
        # The boundaries were just loaded, so no process-wide index fits them yet: the threads
        # race to build it, and every one of them must get the same index.
        seen = []
        barrier = threading.Barrier(4)

        def worker():
            barrier.wait()
            try:
                seen.append(geocode.get_index())
            finally:
                connections.close_all()

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(seen) == 4
        assert all(index is seen[0] for index in seen)
        assert seen[0] is geocode.get_index()
        assert len(seen[0]) == 5

    def test_the_index_follows_a_reload_of_the_boundaries(self, boundaries, tmp_path):
        assert geocode.locate(-2.0, 114.0) == "62.71.01"
        before = geocode.get_index()
        # Move the border between the two kecamatan of 62.71 west of the point.
        boxes = {**data.BOXES, "62.71.01": (113, -4, 113.5, 0), "62.71.02": (113.5, -4, 116, 0)}
        features, _files = boundaryfiles.read_directory(
            data.write_boundaries(tmp_path / "moved", boxes=boxes)
        )
        load_boundaries(features, source="moved")
        assert geocode.locate(-2.0, 114.0) == "62.71.02"
        assert geocode.get_index() is not before
