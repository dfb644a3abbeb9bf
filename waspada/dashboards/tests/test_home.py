import pytest

from waspada.core.testing.access import check_access


@pytest.mark.django_db
class TestHome:
    def test_it_applies_the_access_matrix(self, web_as):
        expected = {
            name: 200 for name in ["operator_6271", "analyst_62", "analyst_63", "national_admin"]
        }
        check_access(web_as, "get", "/", {"anonymous": 302, **expected})

    def test_it_sends_anonymous_users_to_login(self, client, db):
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/akun/masuk/")

    def test_it_counts_only_areas_inside_the_scope(self, web_as):
        response = web_as("operator_6271").get("/")
        html = response.content.decode()
        # 62.71 holds two kecamatan and one kelurahan in the persona fixture areas.
        assert response.context["summary"].counts == {2: 1, 3: 2, 4: 1}
        assert "Kota Palangka Raya" in html
        assert "Kabupaten Kotawaringin Barat" not in html

    def test_it_shows_time_in_the_zone_of_the_users_area(self, web_as):
        wib = web_as("analyst_62").get("/").content.decode()
        wita = web_as("analyst_63").get("/").content.decode()
        assert "WIB" in wib and "+07:00" in wib
        assert "WITA" in wita and "+08:00" in wita

    def test_it_hides_recent_changes_from_operators(self, web_as):
        assert web_as("operator_6271").get("/").context["recent"] is None
        assert web_as("analyst_62").get("/").context["recent"] == []
