"""Daily aggregates: the incremental refresh equals the full rebuild, cell by cell."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from waspada.events import services as event_services
from waspada.events.models import Term
from waspada.geo.zones import zone_for
from waspada.warnings import aggregates, pipeline
from waspada.warnings.models import AreaDay, AreaDayTerm, PendingCell
from waspada.warnings.testing import local_today, make_verified_items, noon

pytestmark = pytest.mark.django_db


def day_rows() -> set[tuple]:
    return set(
        AreaDay.objects.values_list(
            "area_id",
            "day",
            "area_level",
            "items",
            "severity",
            "deaths",
            "injured",
            "displaced",
            "settings_version",
        )
    )


def term_rows() -> set[tuple]:
    return set(
        AreaDayTerm.objects.values_list(
            "area_id", "day", "area_level", "term_id", "items", "severity"
        )
    )


def varied_data(analyst) -> dict:
    """Items in three zones, at every level, on several days, with merges and a withdrawal;
    the pending cells are processed after each step, as the job would."""
    today = local_today("62.71")
    make_verified_items("62.71.01", 2, days_ago=0, deaths=1, acled_type="riots", crowd_size=300)
    make_verified_items(
        "62.71.02.1001",
        1,
        days_ago=3,
        injured_serious=2,
        trend="rising",
        source_reliability="b",
        info_credibility="2",
        election_issues=["hoaks", "intimidasi"],
        election_type="pilkada",
    )
    pipeline.process_pending()
    # A province-level item, and one in 62.01 (WIB).
    make_verified_items("62", 1, days_ago=1, snpk="identitas", displaced=40)
    make_verified_items(
        "62.01.01", 3, days_ago=1, uu7_source="sengketa-sda", loss_rupiah=250_000_000
    )
    # WITA: 00:30 local is still the previous day in WIB; the cell is the WITA day.
    wita_day = today - dt.timedelta(days=2)
    wita_time = dt.datetime.combine(wita_day, dt.time(0, 30), tzinfo=zone_for("63.71"))
    make_verified_items("63.71", 2, occurred_at=wita_time, athg="ancaman")
    # WIT.
    make_verified_items("94.71.01", 1, days_ago=5, acled_type="battles", deaths=3)
    pipeline.process_pending()
    # Withdraw one item, merge two events, unmerge one.
    (lonely,) = make_verified_items("62.71.02", 1, days_ago=2, houses_damaged=4)
    pipeline.process_pending()
    event_services.withdraw_item(lonely, actor=analyst, version=lonely.version, reason="Hoaks")
    first = make_verified_items("62.71.01", 1, days_ago=4)[0]
    second = make_verified_items("62.71.01", 1, days_ago=4, deaths=1)[0]
    target = event_services.merge_events(target=first.event, duplicate=second.event, actor=analyst)
    pipeline.process_pending()
    second.event.refresh_from_db()
    event_services.unmerge_event(second.event, actor=analyst)
    pipeline.process_pending()
    return {"today": today, "wita_day": wita_day, "lonely": lonely, "target": target}


def test_the_incremental_refresh_equals_the_rebuild(personas):
    analyst = personas("analyst_62")
    varied_data(analyst)
    assert not PendingCell.objects.exists()
    incremental_days, incremental_terms = day_rows(), term_rows()
    assert incremental_days and incremental_terms
    result = aggregates.rebuild()
    assert result["items"] == 12  # 13 verified, one withdrawn
    assert day_rows() == incremental_days
    assert term_rows() == incremental_terms


def test_cells_follow_the_local_day_and_every_level(personas):
    analyst = personas("analyst_62")
    data = varied_data(analyst)
    levels = dict(AreaDay.objects.values_list("area_id", "area_level").distinct())
    assert levels["62"] == 1 and levels["62.71"] == 2 and levels["62.71.01"] == 3
    assert "62.71.02.1001" not in levels  # no village rows
    wita = AreaDay.objects.get(area_id="63.71", day=data["wita_day"])
    assert wita.items == 2
    province = AreaDay.objects.get(area_id="62", day=data["today"] - dt.timedelta(days=1))
    assert province.items == 4  # the province-level item and the three of 62.01.01
    assert province.displaced == 40
    # Term rows only for provinces and kab/kota; election issues count like any axis.
    assert set(AreaDayTerm.objects.values_list("area_level", flat=True)) == {1, 2}
    hoaks = Term.objects.get(axis="election_issue", code="hoaks")
    assert AreaDayTerm.objects.filter(term=hoaks, area_id="62.71").count() == 1


def test_a_withdrawn_items_cell_is_deleted_when_it_becomes_empty(personas):
    analyst = personas("analyst_62")
    data = varied_data(analyst)
    lonely_day = data["today"] - dt.timedelta(days=2)
    assert not AreaDay.objects.filter(area_id="62.71.02", day=lonely_day).exists()
    # 62.71 on that day has nothing else either.
    assert not AreaDay.objects.filter(area_id="62.71", day=lonely_day).exists()


def test_refresh_cells_recomputes_only_the_cells_it_is_given():
    day = local_today("62.71")
    make_verified_items("62.71.01", 2, occurred_at=noon("62.71.01", day))
    PendingCell.objects.all().delete()  # refresh by hand below
    assert aggregates.refresh_cells([("62.71", day)]) > 0
    assert AreaDay.objects.get(area_id="62.71", day=day).items == 2
    assert not AreaDay.objects.filter(area_id="62.71.01").exists()
    assert not AreaDay.objects.filter(area_id="62").exists()


def test_the_command_prints_counts(capsys):
    make_verified_items("62.71.01", 3)
    call_command("rebuild_aggregates", "--quiet-progress")
    out = capsys.readouterr().out
    assert "3 verified items" in out
    assert "AreaDay rows" in out


def test_a_burst_of_changes_queues_one_refresh(settings, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from waspada.accounts.testing import ensure_base_areas
    from waspada.core.models import Job

    ensure_base_areas()
    settings.WASPADA_RISK_COALESCE_SECONDS = 30
    cache.delete(aggregates.COALESCE_KEY)
    at = noon("62.71", local_today("62.71"))
    with django_capture_on_commit_callbacks(execute=True):
        for code in ("62.71", "62.71.01", "62.01"):
            aggregates.mark_pending([(code, at)])
    jobs = Job.objects.filter(name="warnings.process_pending")
    assert jobs.count() == 1  # the burst rode along with the first change's run
    assert not PendingCell.objects.exists()  # and that run took every pending cell
    cache.delete(aggregates.COALESCE_KEY)  # the marker expires
    with django_capture_on_commit_callbacks(execute=True):
        aggregates.mark_pending([("62.71", at)])
    assert jobs.count() == 2
