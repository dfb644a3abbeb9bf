import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from waspada.accounts.selectors import get_user, list_users, user_areas


def _names(user):
    return set(list_users(user).values_list("username", flat=True))


@pytest.mark.django_db
class TestListUsers:
    def test_an_operator_sees_users_of_its_own_kab_kota_only(self, personas, targets):
        names = _names(personas("operator_6271"))
        assert {"t6271", "tmixed", "operator_6271"} <= names
        assert not names & {"t6201", "t63", "tnational", "analyst_62"}

    def test_a_province_analyst_sees_both_kab_kota_and_nobody_of_63(self, personas, targets):
        personas("operator_6201")
        names = _names(personas("analyst_62"))
        assert {"t6271", "t6201", "tmixed", "operator_6201"} <= names
        assert not names & {"t63", "tnational"}

    def test_an_analyst_of_63_sees_neither_kab_kota_of_62(self, personas, targets):
        names = _names(personas("analyst_63"))
        assert names >= {"t63", "tmixed"}
        assert not names & {"t6271", "t6201", "tnational"}

    def test_users_without_an_area_are_visible_to_national_admins_only(self, personas, targets):
        assert "tnational" in _names(personas("national_admin"))
        assert "tnational" not in _names(personas("area_admin_62"))

    def test_anonymous_and_inactive_viewers_see_nobody(self, personas, targets):
        assert not list_users(AnonymousUser()).exists()
        viewer = targets.t6201
        viewer.is_active = False
        viewer.save(update_fields=["is_active"])
        viewer.__dict__.pop("scope_area_codes", None)
        assert not list_users(viewer).exists()

    def test_each_user_appears_once_with_its_areas(self, personas, targets):
        users = list(list_users(personas("national_admin")).filter(username="tmixed"))
        assert len(users) == 1
        assert [a.code for a in user_areas(users[0])] == ["62.71", "63.71"]


@pytest.mark.django_db
class TestGetUser:
    def test_it_returns_a_user_in_scope(self, personas, targets):
        assert get_user(personas("operator_6271"), targets.t6271.pk) == targets.t6271

    def test_it_answers_404_outside_scope_and_for_missing_ids(self, personas, targets):
        with pytest.raises(Http404):
            get_user(personas("operator_6271"), targets.t6201.pk)
        with pytest.raises(Http404):
            get_user(personas("area_admin_62"), targets.t63.pk)
        with pytest.raises(Http404):
            get_user(personas("national_admin"), 987654)
