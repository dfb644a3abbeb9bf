"""The area browser pages: scope, breadcrumb, children, search (HTMX and plain) and the map."""

from __future__ import annotations

import json
import math

import pytest

from waspada.core.testing.access import check_access
from waspada.geo import svgmap
from waspada.geo.tests import data

pytestmark = pytest.mark.django_db


def _page(web_as, persona: str, url: str, **params) -> str:
    response = web_as(persona).get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


class TestAccess:
    def test_the_browser_needs_a_login_and_shows_everyone_their_own_top(self, areas, web_as):
        check_access(
            web_as,
            "get",
            "/wilayah/",
            {
                "anonymous": 302,
                "operator_6271": 200,
                "operator_6201": 200,
                "analyst_62": 200,
                "analyst_63": 200,
                "leader_62": 200,
                "area_admin_62": 200,
                "national_admin": 200,
            },
        )

    def test_a_province_answers_404_to_users_below_or_beside_it(self, areas, web_as):
        check_access(
            web_as,
            "get",
            "/wilayah/62/",
            {
                "anonymous": 302,
                "operator_6271": 404,
                "operator_6201": 404,
                "analyst_62": 200,
                "analyst_63": 404,
                "leader_62": 200,
                "area_admin_62": 200,
                "national_admin": 200,
            },
        )

    def test_a_kecamatan_is_open_to_its_kab_kota_and_above(self, areas, web_as):
        check_access(
            web_as,
            "get",
            "/wilayah/62.71.02/",
            {
                "anonymous": 302,
                "operator_6271": 200,
                "operator_6201": 404,
                "analyst_62": 200,
                "analyst_63": 404,
                "leader_62": 200,
                "area_admin_62": 200,
                "national_admin": 200,
            },
        )

    def test_the_search_page_needs_a_login(self, areas, web_as):
        check_access(
            web_as,
            "get",
            "/wilayah/cari/?q=pa",
            {
                "anonymous": 302,
                "operator_6271": 200,
                "operator_6201": 200,
                "analyst_62": 200,
                "analyst_63": 200,
                "leader_62": 200,
                "area_admin_62": 200,
                "national_admin": 200,
            },
        )

    def test_an_unknown_code_answers_404(self, areas, web_as):
        assert web_as("national_admin").get("/wilayah/62.99/").status_code == 404


class TestBrowser:
    def test_the_national_admin_starts_with_the_provinces_and_their_counts(self, areas, web_as):
        html = _page(web_as, "national_admin", "/wilayah/")
        assert 'href="/wilayah/62/"' in html
        assert 'href="/wilayah/63/"' in html
        assert "2 kabupaten/kota" in html

    def test_other_users_start_with_their_own_areas(self, areas, web_as):
        html = _page(web_as, "operator_6271", "/wilayah/")
        assert 'href="/wilayah/62.71/"' in html
        assert "2 kecamatan" in html
        assert 'href="/wilayah/62/"' not in html

    def test_an_area_page_has_a_breadcrumb_and_its_children(self, areas, web_as):
        html = _page(web_as, "analyst_62", "/wilayah/62.71.02/")
        assert 'href="/wilayah/62/">Kalimantan Tengah</a>' in html
        assert 'href="/wilayah/62.71/">Kota Palangka Raya</a>' in html
        assert 'aria-current="page">Kec. Jekan Raya</span>' in html
        assert 'href="/wilayah/62.71.02.1002/">Kel. Menteng</a>' in html

    def test_ancestors_above_the_users_scope_are_not_linked(self, areas, web_as):
        html = _page(web_as, "operator_6271", "/wilayah/62.71.02/")
        assert "<span>Kalimantan Tengah</span>" in html
        assert 'href="/wilayah/62/"' not in html

    def test_the_search_box_works_with_htmx_and_as_a_plain_form(self, areas, web_as):
        html = _page(web_as, "analyst_62", "/wilayah/")
        assert 'action="/wilayah/cari/"' in html
        assert 'hx-get="/wilayah/cari/"' in html
        assert 'name="q"' in html

    def test_the_search_partial_returns_result_links_inside_the_users_scope(self, areas, web_as):
        response = web_as("operator_6271").get(
            "/wilayah/cari/", {"q": "Kec. Pahandut"}, HTTP_HX_REQUEST="true"
        )
        html = response.content.decode()
        assert "<html" not in html
        assert 'href="/wilayah/62.71.01/"' in html
        empty = web_as("operator_6271").get(
            "/wilayah/cari/", {"q": "Kumai"}, HTTP_HX_REQUEST="true"
        )
        assert "/wilayah/62.01.01/" not in empty.content.decode()
        assert "Tidak ada wilayah dalam cakupan Anda" in empty.content.decode()

    def test_without_javascript_the_search_is_a_full_page(self, areas, web_as):
        html = _page(web_as, "analyst_62", "/wilayah/cari/", q="sukamenak")
        assert "<html" in html
        assert 'href="/wilayah/62.01.01.2002/"' in html


class TestMap:
    def test_the_map_draws_each_child_as_a_titled_link(self, boundaries, web_as):
        html = _page(web_as, "analyst_62", "/wilayah/62/")
        assert '<svg class="map area-map"' in html
        assert (
            '<a href="/wilayah/62.01/" data-code="62.01"><title>Kabupaten Kotawaringin Barat'
            in (html)
        )
        assert '<a href="/wilayah/62.71/" data-code="62.71">' in html
        assert 'href="/wilayah/63/"' not in html

    def test_the_map_keeps_proportions_by_scaling_longitude_with_latitude(self):
        def ratio(lat: float) -> float:
            box = json.dumps(data.rect(10, lat, 12, lat + 1))
            svg = svgmap.render([svgmap.MapShape("1", "x", "/x/", box)], label="x")
            width, height = (float(v) for v in svg.split('viewBox="0 0 ')[1].split('"')[0].split())
            return width / height

        # Two degrees of longitude by one of latitude: twice as wide at the equator, about as
        # wide as high at 60 degrees.
        assert ratio(0) == pytest.approx(2.0, abs=0.01)
        assert ratio(59.5) == pytest.approx(2 * math.cos(math.radians(60)), abs=0.01)

    def test_a_kecamatan_shows_its_own_outline_as_villages_have_no_boundaries(
        self, boundaries, web_as
    ):
        html = _page(web_as, "operator_6271", "/wilayah/62.71.02/")
        assert 'data-code="62.71.02"' in html
        assert "Batas desa/kelurahan tidak tersedia" in html

    def test_without_boundaries_the_map_says_how_to_load_them(self, areas, web_as):
        html = _page(web_as, "analyst_62", "/wilayah/62/")
        assert 'data-testid="map-empty"' in html
        assert "load_boundaries" in html
        assert "<svg" not in html
