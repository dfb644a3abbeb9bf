"""The area API: list, detail and search, with scope, bad parameters and query budgets."""

from __future__ import annotations

import pytest

from waspada.core.testing.access import check_access

pytestmark = pytest.mark.django_db

LIST = "/api/v1/areas/"
SEARCH = "/api/v1/areas/search/"


def _codes(response) -> list[str]:
    return [row["code"] for row in response.json()["results"]]


class TestList:
    def test_it_lists_a_level_with_a_count(self, areas, api_as):
        response = api_as("national_admin").get(LIST, {"level": "regency"})
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 4
        assert _codes(response) == ["62.01", "62.71", "63.02", "63.71"]
        assert body["results"][1] == {
            "code": "62.71",
            "name": "Kota Palangka Raya",
            "display_name": "Kota Palangka Raya",
            "level": "regency",
            "level_name": "Kabupaten/Kota",
            "parent": "62",
            "path": "Kota Palangka Raya, Kalimantan Tengah",
        }

    def test_it_lists_the_children_of_a_parent_page_by_page(self, areas, api_as):
        client = api_as("national_admin")
        response = client.get(LIST, {"parent": "62.71.02", "page_size": 2})
        assert response.json()["count"] == 3
        assert _codes(response) == ["62.71.02.1001", "62.71.02.1002"]
        assert response.json()["next"]
        assert _codes(client.get(LIST, {"parent": "62.71", "level": "district"})) == [
            "62.71.01",
            "62.71.02",
        ]

    def test_it_lists_only_the_users_scope(self, areas, api_as):
        response = api_as("operator_6271").get(LIST, {"level": "district"})
        assert _codes(response) == ["62.71.01", "62.71.02"]
        assert api_as("operator_6271").get(LIST, {"level": "province"}).json()["count"] == 0
        assert api_as("analyst_63").get(LIST, {"parent": "62"}).json()["count"] == 0
        assert api_as("analyst_62").get(LIST, {"level": "regency"}).json()["count"] == 2

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"level": "kabupaten"}, "Tingkat 'kabupaten' tidak dikenal"),
            ({"parent": "62/71"}, "Kode induk harus kode wilayah"),
        ],
    )
    def test_bad_parameters_answer_400_with_a_clear_message(self, areas, api_as, params, message):
        response = api_as("national_admin").get(LIST, params)
        assert response.status_code == 400
        assert message in response.json()["detail"]

    def test_the_list_keeps_to_a_query_budget(self, areas, api_as, django_assert_max_num_queries):
        client = api_as("analyst_62")
        client.get(LIST)
        with django_assert_max_num_queries(4):
            response = client.get(LIST, {"level": "village", "page_size": 100})
        assert response.json()["count"] == 6

    def test_access_to_the_list(self, areas, api_as):
        check_access(
            api_as,
            "get",
            LIST,
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


class TestDetail:
    def test_it_shows_one_area_with_its_children_count(self, areas, api_as):
        response = api_as("operator_6271").get(f"{LIST}62.71.02/")
        assert response.status_code == 200
        assert response.json()["children_count"] == 3
        assert response.json()["path"] == "Kec. Jekan Raya, Kota Palangka Raya, Kalimantan Tengah"

    def test_an_unknown_code_answers_404(self, areas, api_as):
        assert api_as("national_admin").get(f"{LIST}62.99/").status_code == 404

    def test_access_to_a_kab_kota(self, areas, api_as):
        check_access(
            api_as,
            "get",
            f"{LIST}62.01/",
            {
                "anonymous": 401,
                "operator_6271": 404,
                "operator_6201": 200,
                "analyst_62": 200,
                "analyst_63": 404,
                "leader_62": 200,
                "area_admin_62": 200,
                "national_admin": 200,
            },
        )

    def test_access_to_a_province_above_a_users_scope(self, areas, api_as):
        check_access(
            api_as,
            "get",
            f"{LIST}62/",
            {
                "anonymous": 401,
                "operator_6271": 404,
                "operator_6201": 404,
                "analyst_62": 200,
                "analyst_63": 404,
                "leader_62": 200,
                "area_admin_62": 200,
                "national_admin": 200,
            },
        )


class TestSearch:
    def _search(self, api_as, persona="national_admin", **params):
        response = api_as(persona).get(SEARCH, params)
        assert response.status_code == 200, response.content
        return response.json()

    def test_it_finds_areas_by_name_prefix_with_code_level_and_path(self, areas, api_as):
        body = self._search(api_as, q="jekan")
        assert body["count"] == 1
        result = body["results"][0]
        assert result["code"] == "62.71.02"
        assert result["level"] == "district"
        assert result["name"] == "Jekan Raya"
        assert result["path"] == "Kec. Jekan Raya, Kota Palangka Raya, Kalimantan Tengah"

    def test_it_ignores_case_accents_and_spacing(self, areas, api_as):
        assert [r["code"] for r in self._search(api_as, q="SUKAMENAK")["results"]] == [
            "62.01.01.2002"
        ]
        assert self._search(api_as, q="Sukamé")["results"][0]["code"] == "62.01.01.2002"
        assert self._search(api_as, q="palangkaraya")["results"][0]["code"] == "62.71"
        assert self._search(api_as, q="bukit tunggal, h")["results"][0]["code"] == ("62.71.02.1003")

    def test_level_words_in_the_query_are_tolerated_and_rank_that_level_first(self, areas, api_as):
        assert self._search(api_as, q="Kab. Kotawaringin")["results"][0]["code"] == "62.01"
        assert self._search(api_as, q="Kabupaten kotawaringin b")["results"][0]["code"] == "62.01"
        assert self._search(api_as, q="Kota Palangka Raya")["results"][0]["code"] == "62.71"
        # "Pahandut" is a kecamatan and a kelurahan: the hint decides which comes first.
        assert [r["code"] for r in self._search(api_as, q="Kec. Pahandut")["results"]] == [
            "62.71.01",
            "62.71.01.1001",
        ]
        assert self._search(api_as, q="Kel. Pahandut")["results"][0]["code"] == "62.71.01.1001"
        assert self._search(api_as, q="Kecamatan pahan")["results"][0]["code"] == "62.71.01"

    def test_a_name_that_starts_with_a_level_word_is_still_found(self, areas, api_as):
        codes = [r["code"] for r in self._search(api_as, q="Kota Baru")["results"]]
        assert "63.02.01.2001" in codes
        assert self._search(api_as, q="kotabaru")["results"][0]["code"] == "63.02"

    def test_without_scope_it_searches_the_whole_country_and_with_mine_only_the_users(
        self, areas, api_as
    ):
        assert self._search(api_as, "operator_6271", q="kota")["count"] >= 3
        mine = self._search(api_as, "operator_6271", q="p", scope="mine")
        assert [r["code"] for r in mine["results"]] == [
            "62.71",
            "62.71.01",
            "62.71.01.1001",
            "62.71.02.1001",
        ]
        assert self._search(api_as, "analyst_63", q="palangka", scope="mine")["count"] == 0
        assert self._search(api_as, "national_admin", q="palangka", scope="mine")["count"] == 2

    def test_it_filters_by_level_and_limits_the_results(self, areas, api_as):
        body = self._search(api_as, q="p", level="village")
        assert {r["level"] for r in body["results"]} == {"village"}
        assert self._search(api_as, q="p", limit=1)["count"] == 1

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({}, "Parameter q (awal nama wilayah) wajib diisi"),
            ({"q": "  "}, "Parameter q (awal nama wilayah) wajib diisi"),
            ({"q": "x" * 101}, "paling panjang 100"),
            ({"q": "pa", "scope": "ours"}, "scope harus 'all' atau 'mine'"),
            ({"q": "pa", "level": "kota"}, "Tingkat 'kota' tidak dikenal"),
            ({"q": "pa", "limit": "0"}, "limit paling kecil 1"),
            ({"q": "pa", "limit": "500"}, "limit paling besar 100"),
            ({"q": "pa", "limit": "ten"}, "limit harus bilangan bulat"),
        ],
    )
    def test_bad_parameters_answer_400_with_a_clear_message(self, areas, api_as, params, message):
        response = api_as("analyst_62").get(SEARCH, params)
        assert response.status_code == 400
        assert message in response.json()["detail"]

    def test_search_keeps_to_a_query_budget(self, areas, api_as, django_assert_max_num_queries):
        client = api_as("analyst_62")
        client.get(SEARCH, {"q": "pa"})
        # The user's scope, then one statement (with or without a level word).
        with django_assert_max_num_queries(2):
            client.get(SEARCH, {"q": "pa", "scope": "mine"})
        with django_assert_max_num_queries(2):
            client.get(SEARCH, {"q": "Kec. pa", "scope": "mine"})

    def test_access_to_search(self, areas, api_as):
        check_access(
            api_as,
            "get",
            f"{SEARCH}?q=palangka&scope=mine",
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


def test_the_schema_documents_the_search_parameters(api_as):
    response = api_as("national_admin").get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    search = {p["name"] for p in paths["/api/v1/areas/search/"]["get"]["parameters"]}
    assert {"q", "scope", "level", "limit"} <= search
    listing = {p["name"] for p in paths["/api/v1/areas/"]["get"]["parameters"]}
    assert {"level", "parent", "page", "page_size"} <= listing
    locate = {p["name"] for p in paths["/api/v1/areas/locate/"]["get"]["parameters"]}
    assert locate == {"lat", "lon"}
    boundaries = {p["name"] for p in paths["/api/v1/boundaries/"]["get"]["parameters"]}
    assert boundaries == {"parent", "format"}
