"""Shared fixtures: personas and clients logged in as them."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.test import Client
from rest_framework.test import APIClient

from waspada.accounts.testing import make_persona


@pytest.fixture
def personas(db) -> Callable[[str], Any]:
    """`personas("analyst_62")` returns that user, created once per test."""
    cache: dict[str, Any] = {}

    def get(name: str) -> Any:
        if name == "anonymous":
            return None
        if name not in cache:
            cache[name] = make_persona(name)
        return cache[name]

    return get


@pytest.fixture
def api_as(personas) -> Callable[[str], APIClient]:
    """An API client authenticated as the named persona (or anonymous)."""

    def make(name: str) -> APIClient:
        client = APIClient()
        user = personas(name)
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def web_as(personas) -> Callable[[str], Client]:
    """A browser-like client with a session for the named persona (or anonymous)."""

    def make(name: str) -> Client:
        client = Client()
        user = personas(name)
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def form_as(web_as) -> Callable[[str], Any]:
    """Like `web_as`, but posts form-encoded data (for `check_access` on pages)."""
    from waspada.core.testing.access import FormClient

    return lambda name: FormClient(web_as(name))


@pytest.fixture
def analyst_62(personas):
    return personas("analyst_62")


@pytest.fixture
def analyst_63(personas):
    return personas("analyst_63")


@pytest.fixture
def operator_6271(personas):
    return personas("operator_6271")


@pytest.fixture
def national_admin(personas):
    return personas("national_admin")


@pytest.fixture
def area_admin_62(personas):
    return personas("area_admin_62")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put the seeded taxonomy back after a transactional test flushed every table.

    Migrations seed the classification terms once; a `transaction=True` test empties the
    database when it ends, which would leave later tests without them. After the last test the
    test database is already gone (session teardown), and there is nothing to put back.
    """
    yield
    if nextitem is None:
        return
    marker = item.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or (
        "transactional_db" in getattr(item, "fixturenames", ())
    )
    if not transactional:
        return
    from pytest_django.plugin import blocking_manager_key

    from waspada.events.models import Term

    with item.config.stash[blocking_manager_key].unblock():
        if not Term.objects.exists():
            seed = importlib.import_module("waspada.events.migrations.0003_seed_terms").seed
            seed(django_apps, None)
