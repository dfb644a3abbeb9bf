import pytest

from waspada.accounts.models import User
from waspada.core.scoping import code_within, minimal_codes, scope_q, user_covers
from waspada.geo.models import Area


def test_code_within_is_a_dotted_prefix_not_a_string_prefix():
    assert code_within("62.71.01", "62.71")
    assert code_within("62.71", "62.71")
    assert not code_within("62.10", "62.1")
    assert not code_within("621", "62")


def test_minimal_codes_drops_covered_codes():
    assert minimal_codes(["62.71", "62", "63.01", "63.01.02"]) == ["62", "63.01"]


@pytest.mark.django_db
class TestScope:
    def test_scope_q_matches_the_area_and_below_only(self, analyst_62):
        codes = set(Area.objects.filter(scope_q(["62.71"], "code")).values_list("code", flat=True))
        assert codes == {"62.71", "62.71.01", "62.71.02", "62.71.02.1001"}

    def test_an_empty_scope_matches_nothing(self, analyst_62):
        assert not Area.objects.filter(scope_q([], "code")).exists()

    def test_user_scope_follows_assignments(self, personas):
        operator = personas("operator_6271")
        assert user_covers(operator, "62.71.02.1001")
        assert not user_covers(operator, "62.01")
        assert not user_covers(operator, "62")
        assert user_covers(personas("national_admin"), "63.71")

    def test_an_inactive_user_sees_nothing(self, personas):
        operator = personas("operator_6271")
        operator.is_active = False
        operator.save(update_fields=["is_active"])
        fresh = User.objects.get(pk=operator.pk)
        assert fresh.scope_area_codes == frozenset()
        assert not user_covers(fresh, "62.71")


@pytest.mark.django_db
def test_scope_sql_is_the_same_rule_as_scope_q(analyst_62):
    from django.db import connection

    from waspada.core.scoping import scope_sql

    condition, params = scope_sql(["62.71", "62.71.02"], connection.ops.quote_name("code"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT code FROM geo_area WHERE {condition} ORDER BY code", params)  # noqa: S608
        raw = [row[0] for row in cursor.fetchall()]
    orm = list(
        Area.objects.filter(scope_q(["62.71"], "code"))
        .order_by("code")
        .values_list("code", flat=True)
    )
    assert raw == orm
    assert scope_sql([], "code") == ("(1 = 0)", [])


@pytest.mark.django_db
def test_visible_to_works_on_area_scoped_models(personas):
    from waspada.reports.testing import make_item, make_report

    operator = personas("operator_6271")
    report = make_report("62.71", created_by=operator)
    make_item(report, area_code="62.71.02")
    other = make_report("62.01", created_by=personas("operator_6201"))
    make_item(other)
    from waspada.events.models import Item
    from waspada.reports.models import SituationReport

    assert list(SituationReport.objects.visible_to(operator)) == [report]
    assert {i.area_id for i in Item.objects.visible_to(operator)} == {"62.71.02"}
    assert SituationReport.objects.within("62").count() == 2
