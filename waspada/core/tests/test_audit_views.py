import pytest

from waspada.core import audit
from waspada.core.testing.access import check_access


@pytest.fixture
def entries(db):
    audit.record(actor=None, action="test.in6271", object_type="t", object_id=1, area_code="62.71")
    audit.record(
        actor=None, action="test.in6201", object_type="t", object_id=2, area_code="62.01.01"
    )
    audit.record(actor=None, action="test.in63", object_type="t", object_id=3, area_code="63.71")
    audit.record(actor=None, action="test.system", object_type="t", object_id=4)


def _actions(response):
    return {row["action"] for row in response.json()["results"]}


@pytest.mark.django_db
class TestAuditApi:
    def test_it_applies_the_access_matrix(self, api_as, entries):
        check_access(
            api_as,
            "get",
            "/api/v1/audit/",
            {
                "anonymous": 401,
                "operator_6271": 403,
                "operator_6201": 403,
                "analyst_62": 200,
                "analyst_63": 200,
                "leader_62": 200,
                "area_admin_62": 200,
                "national_admin": 200,
            },
        )

    def test_it_shows_each_reader_only_their_scope(self, api_as, entries):
        assert _actions(api_as("analyst_62").get("/api/v1/audit/")) == {
            "test.in6271",
            "test.in6201",
        }
        assert _actions(api_as("analyst_63").get("/api/v1/audit/")) == {"test.in63"}
        everything = _actions(api_as("national_admin").get("/api/v1/audit/"))
        assert {"test.in6271", "test.in63", "test.system"} <= everything

    def test_it_filters_by_area_and_action(self, api_as, entries):
        client = api_as("analyst_62")
        assert _actions(client.get("/api/v1/audit/?area=62.01")) == {"test.in6201"}
        assert _actions(client.get("/api/v1/audit/?action=test.in62")) == {
            "test.in6271",
            "test.in6201",
        }

    def test_it_refuses_a_malformed_area_filter(self, api_as, entries):
        response = api_as("analyst_62").get("/api/v1/audit/?area=62-71")
        assert response.status_code == 400
        assert "area" in response.json()


@pytest.mark.django_db
class TestAuditPage:
    def test_it_applies_the_access_matrix(self, web_as, entries):
        check_access(
            web_as,
            "get",
            "/audit/",
            {
                "anonymous": 302,
                "operator_6271": 403,
                "analyst_62": 200,
                "analyst_63": 200,
                "leader_62": 200,
                "national_admin": 200,
            },
        )

    def test_it_lists_scoped_entries(self, web_as, entries):
        html = web_as("analyst_63").get("/audit/").content.decode()
        assert "test.in63" in html
        assert "test.in6271" not in html

    def test_it_shows_an_empty_state(self, web_as):
        html = web_as("leader_62").get("/audit/?action=nothing").content.decode()
        assert "Belum ada catatan audit" in html


@pytest.mark.django_db
def test_classified_entries_need_the_clearance(api_as, personas):
    audit.record(
        actor=None,
        action="test.secret",
        object_type="events.item",
        object_id=9,
        area_code="62.71",
        after={"title": "rahasia", "classification": "rahasia"},
    )
    audit.record(actor=None, action="test.open", object_type="t", object_id=1, area_code="62.71")
    assert _actions(api_as("analyst_62").get("/api/v1/audit/")) == {"test.open"}
    cleared = personas("analyst_62")
    cleared.clearance = "rahasia"
    cleared.save(update_fields=["clearance"])
    assert _actions(api_as("analyst_62").get("/api/v1/audit/")) == {"test.open", "test.secret"}
    assert audit.verify_chain().ok
