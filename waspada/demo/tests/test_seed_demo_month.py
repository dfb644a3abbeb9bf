"""`manage.py seed_demo_month`: a synthetic, labelled, reproducible month of LAPSITDA for 62."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from waspada.accounts.testing import ensure_area, ensure_base_areas
from waspada.core import audit
from waspada.core.models import AuditEntry
from waspada.demo.month import default_end, seed_month
from waspada.demo.stories import PREFIX
from waspada.events.models import Event, Item
from waspada.reports.models import SituationReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation(settings, tmp_path):
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


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo_month", stdout=out, **options)
    return out.getvalue()


def fingerprint() -> list[tuple]:
    return list(
        Item.objects.order_by("report__area_id", "occurred_at", "title").values_list(
            "report__area_id", "report__period_start", "title", "area_id", "aspect__code", "deaths"
        )
    )


def test_it_files_a_labelled_month_through_the_services(organisation):
    output = seed()
    end = default_end()
    reports = SituationReport.objects.all()
    assert "Titles start with [SINTETIS]" in output
    assert set(reports.values_list("area_id", flat=True)) == {"62.01", "62.71"}
    assert reports.count() >= 50  # two kab/kota, thirty days, a few missed
    assert all(r.title.startswith(PREFIX) for r in reports)
    assert Item.objects.count() >= 40
    assert not Item.objects.exclude(title__startswith=PREFIX).exists()
    assert not Event.objects.exclude(title__startswith=PREFIX).exists()
    assert {r.period_start for r in reports} <= {end - dt.timedelta(days=n) for n in range(30)}
    statuses = list(reports.values_list("status", flat=True))
    assert statuses.count("verified") > len(statuses) * 0.8
    assert reports.filter(is_nihil=True, status="verified").exists()
    verified = reports.filter(status="verified")
    assert set(verified.values_list("verified_by__username", flat=True)) == {"analis.62"}
    assert set(reports.values_list("created_by__username", flat=True)) == {
        "operator.62.01",
        "operator.62.71",
    }
    # Times are those of the month: some reports were late, none was submitted in the future.
    filed: list[tuple[Any, Any]] = list(
        reports.exclude(first_submitted_at=None).values_list("first_submitted_at", "due_at")
    )
    assert any(first > due for first, due in filed)
    assert any(first <= due for first, due in filed)
    assert all(first.date() <= end + dt.timedelta(days=2) for first, _due in filed)
    # Every axis of the taxonomy is used somewhere.
    for axis in ["aspect", "athg", "uu7_source", "snpk", "acled_type", "acled_subtype"]:
        assert Item.objects.exclude(**{axis: None}).exists(), axis
    assert Item.objects.exclude(election_type=None).exists()
    assert Item.objects.filter(election_issues__isnull=False).exists()
    summary = AuditEntry.objects.get(action="demo.month_seeded")
    after: Any = summary.after
    assert after["synthetic"] is True
    assert after["items"] == Item.objects.count()
    assert AuditEntry.objects.filter(action="item.recorded").count() == Item.objects.count()
    assert audit.verify_chain().ok


def test_the_scripted_matters_escalate_over_the_days(organisation):
    seed()
    land = Event.objects.get(title__contains="pengembalian lahan plasma")
    steps = list(land.items.order_by("occurred_at"))
    assert len(steps) == 7
    assert [s.kind for s in steps] == ["new"] + ["development"] * 6
    clash = next(s for s in steps if "Bentrok" in s.title)
    assert (clash.injured_serious, clash.injured_light) == (2, 7)
    assert getattr(clash.acled_type, "code", "") == "riots"
    assert clash.classification == "terbatas"
    assert land.status == "resolved"
    assert land.area_id.startswith("62.01")  # the first kab/kota of the story that is loaded
    pilkades = Event.objects.get(title__contains="Pilkades serentak")
    assert pilkades.items.count() == 5
    assert pilkades.items.filter(election_type__code="pilkades").count() == 5
    hoax = Event.objects.get(title__contains="Hoaks video")
    assert hoax.area_id.startswith("62.71")
    assert hoax.items.filter(election_issues__code="hoaks").exists()
    assert hoax.status == "resolved"


def test_it_is_the_same_month_for_the_same_seed_and_end_day(organisation):
    end = default_end()
    with transaction.atomic():
        seed_month(end=end, days=12, seed=7)
        first = fingerprint()
        transaction.set_rollback(True)
    seed_month(end=end, days=12, seed=7)
    assert fingerprint() == first
    assert first


def test_it_creates_nothing_the_second_time(organisation):
    seed(days=5)
    before = (SituationReport.objects.count(), Item.objects.count(), AuditEntry.objects.count())
    assert "nothing created" in seed(days=5)
    assert before == (
        SituationReport.objects.count(),
        Item.objects.count(),
        AuditEntry.objects.count(),
    )


def test_it_needs_the_demo_organisation_first(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    ensure_base_areas()
    with pytest.raises(CommandError, match="seed_demo"):
        seed()
    assert not SituationReport.objects.exists()
