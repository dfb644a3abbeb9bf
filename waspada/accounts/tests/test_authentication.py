"""ScopedTokenAuthentication: the caller and their scope in one query, DRF's answers otherwise."""

from __future__ import annotations

import pytest
from rest_framework import exceptions
from rest_framework.authtoken.models import Token

from waspada.accounts.authentication import ScopedTokenAuthentication
from waspada.accounts.models import AreaAssignment

pytestmark = pytest.mark.django_db


def test_it_loads_the_user_with_the_scope_it_would_compute(
    operator_6271, django_assert_num_queries
):
    token, _created = Token.objects.get_or_create(user=operator_6271)
    with django_assert_num_queries(1):
        user, got = ScopedTokenAuthentication().authenticate_credentials(token.key)
        codes = user.scope_area_codes
    assert got == token
    assert user == operator_6271
    fresh = type(operator_6271).objects.get(pk=operator_6271.pk)
    assert codes == fresh.scope_area_codes == frozenset({"62.71"})


def test_it_gives_an_empty_scope_to_a_user_without_assignments(operator_6271):
    operator_6271.assignments.all().delete()
    token, _created = Token.objects.get_or_create(user=operator_6271)
    user, _token = ScopedTokenAuthentication().authenticate_credentials(token.key)
    assert user.scope_area_codes == frozenset()


def test_it_refuses_an_unknown_token_and_an_inactive_user(operator_6271):
    with pytest.raises(exceptions.AuthenticationFailed):
        ScopedTokenAuthentication().authenticate_credentials("nope")
    token, _created = Token.objects.get_or_create(user=operator_6271)
    operator_6271.is_active = False
    operator_6271.save(update_fields=["is_active"])
    with pytest.raises(exceptions.AuthenticationFailed):
        ScopedTokenAuthentication().authenticate_credentials(token.key)


def test_it_joins_several_assignments_as_the_model_does(operator_6271):
    AreaAssignment.objects.create(user=operator_6271, area_id="62.01")
    AreaAssignment.objects.create(user=operator_6271, area_id="62.71.02")
    token, _created = Token.objects.get_or_create(user=operator_6271)
    user, _token = ScopedTokenAuthentication().authenticate_credentials(token.key)
    fresh = type(operator_6271).objects.get(pk=operator_6271.pk)
    assert user.scope_area_codes == fresh.scope_area_codes == frozenset({"62.01", "62.71"})
