"""`manage.py seed_demo_response`: the demo response, through the response services."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from waspada.accounts.testing import ensure_area, ensure_base_areas
from waspada.core.models import AuditEntry
from waspada.notifications.models import Notification
from waspada.response.models import (
    ActionPlan,
    Agency,
    AgencyMember,
    ConflictCase,
    Directive,
    FollowUp,
    PlanReport,
    Timdu,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    ensure_base_areas()
    for code, name in [
        ("62.01.01.2001", "Sungai Kapitan"),
        ("62.01.02", "Arut Selatan"),
        ("62.01.02.1001", "Raja"),
        ("62.71.01.1001", "Langkai"),
        ("62.71.02.2001", "Bukit Tunggal"),
    ]:
        ensure_area(code, name)
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo_month", stdout=StringIO())
    return tmp_path


def seed() -> str:
    out = StringIO()
    call_command("seed_demo_response", stdout=out)
    return out.getvalue()


def test_it_makes_a_lived_in_response_through_the_services(month):
    output = seed()
    assert "Demo response:" in output
    assert Agency.objects.filter(area_id="62").count() >= 5
    assert Agency.objects.filter(area_id="62.71", kind="polri").exists()
    directives = Directive.objects.all()
    assert directives.count() >= 1
    assert FollowUp.objects.exists()
    assert ConflictCase.objects.exists()
    assert Timdu.objects.filter(area_id="62").exists() and ActionPlan.objects.exists()
    assert AuditEntry.objects.filter(action="directive.issued").count() == directives.count()
    # Agency users exist, belong to their agency and their passwords are kept privately.
    assert AgencyMember.objects.filter(user__username__startswith="polres.").exists()
    credentials = (month / "demo-credentials.txt").read_text()
    assert "polres." in credentials


def test_the_first_matters_directive_is_overdue_and_its_issuer_was_told(month):
    seed()
    overdue = Directive.objects.filter(overdue_notified_at__isnull=False)
    assert overdue.exists()
    assert Notification.objects.filter(
        user__username="pimpinan.62", kind="directive", title__icontains="batas"
    ).exists()


def test_it_creates_nothing_the_second_time(month):
    seed()
    counts = (Directive.objects.count(), ConflictCase.objects.count(), PlanReport.objects.count())
    assert "nothing created" in seed()
    assert counts == (
        Directive.objects.count(),
        ConflictCase.objects.count(),
        PlanReport.objects.count(),
    )
