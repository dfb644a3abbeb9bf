"""The RAD completion overview (realisation figures, activity and period states) and the job that
flags missing period reports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from waspada.accounts.testing import make_user
from waspada.notifications.models import Notification
from waspada.response.choices import AgencyKind, PlanReportStatus, PlanStatus
from waspada.response.selectors import timdu as selectors
from waspada.response.services import timdu as services
from waspada.response.tasks import timdu as tasks
from waspada.response.tests.factories import make_agency
from waspada.response.tests.factories_timdu import (
    make_activity,
    make_plan,
    make_report,
    make_timdu,
    make_timdu_user,
    rad_6271,
)

JUNE_15 = dt.date(2026, 6, 15)
SEPTEMBER_10 = dt.date(2026, 9, 10)
SEPTEMBER_11 = dt.date(2026, 9, 11)
# 11 September 2026, 10:00 in Palangka Raya (WIB, UTC+7).
SEPTEMBER_11_WIB = dt.datetime(2026, 9, 11, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def rad(db):
    return rad_6271()


@pytest.fixture
def reported(rad):
    """RAD 2026 of 62.71 with a submitted B.04: dialog 50 % (Rp 2 juta of 10 juta), patrol 20 %
    (Rp 6 juta of 30 juta); the recovery activity (no budget) starts in September."""
    make_report(
        rad["plan"],
        "B04",
        entries={rad["dialog"]: (50, 2_000_000), rad["patrol"]: (20, 6_000_000)},
        submitted_at=dt.datetime(2026, 5, 6, 2, 0, tzinfo=dt.UTC),
    )
    return rad


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a job the way a worker would: enqueued, after commit, through the real task."""

    def go(task, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            task.enqueue(**kwargs)

    return go


@pytest.mark.django_db
class TestOverview:
    def test_a_submitted_b04_gives_the_budget_weighted_realisation(self, reported, analyst_62):
        overview = selectors.plan_overview(analyst_62, reported["plan"], today=JUNE_15)
        # (10 juta x 50 % + 30 juta x 20 % + 0 x 0 %) / 40 juta = 27.5 %
        assert overview.physical_percent == 27.5
        assert overview.financial_percent == 20.0  # 8 juta of 40 juta
        assert (overview.budget, overview.spent) == (40_000_000, 8_000_000)
        assert overview.budget_label == "Rp 40.000.000"
        prevention, stopping, recovery = overview.stages
        assert [s.stage for s in overview.stages] == ["pencegahan", "penghentian", "pemulihan"]
        assert (prevention.physical_percent, prevention.financial_percent) == (27.5, 20.0)
        assert [a.activity.title for a in prevention.activities] == [
            "Dialog lintas tokoh",
            "Patroli bersama",
        ]
        assert stopping.activities == [] and stopping.physical_percent is None
        # No budget in the recovery stage: the plain mean, and no financial figure.
        assert (recovery.physical_percent, recovery.financial_percent) == (0.0, None)

    def test_activities_are_on_track_late_done_or_not_started(self, reported, analyst_62):
        def states(today):
            overview = selectors.plan_overview(analyst_62, reported["plan"], today=today)
            return {a.activity.title: a.state for s in overview.stages for a in s.activities}

        assert states(JUNE_15) == {
            "Dialog lintas tokoh": "on_track",
            "Patroli bersama": "on_track",
            "Rekonsiliasi warga": "not_started",
        }
        # The patrol was scheduled March-June and stands at 20 % in September: late.
        assert states(SEPTEMBER_11)["Patroli bersama"] == "late"
        make_report(reported["plan"], "B08", entries={reported["patrol"]: (100, 30_000_000)})
        assert states(SEPTEMBER_11)["Patroli bersama"] == "done"

    def test_the_latest_submitted_period_counts_and_drafts_do_not(self, reported, analyst_62):
        plan = reported["plan"]
        make_report(
            plan, "B08", status=PlanReportStatus.DRAFT, entries={reported["dialog"]: (90, 0)}
        )
        overview = selectors.plan_overview(analyst_62, plan, today=JUNE_15)
        dialog = overview.stages[0].activities[0]
        assert (dialog.realisation_percent, dialog.reported_in) == (50, "B04")
        assert dialog.spent_label == "Rp 2.000.000"
        assert [m.month for m in dialog.months if m.scheduled] == list(range(1, 13))
        assert [m.month for m in overview.stages[0].activities[1].months if m.scheduled] == [
            3,
            4,
            5,
            6,
        ]

    def test_a_missing_b08_is_flagged_after_its_due_day(self, reported, analyst_62):
        plan = reported["plan"]

        def periods(today):
            overview = selectors.plan_overview(analyst_62, plan, today=today)
            return {p.period: p.state for p in overview.periods}, overview

        states, overview = periods(JUNE_15)
        assert states == {"B04": "submitted", "B08": "not_due", "B12": "not_due"}
        assert overview.periods[0].submitted_at == dt.datetime(2026, 5, 6, 2, 0, tzinfo=dt.UTC)
        assert periods(SEPTEMBER_10)[0]["B08"] == "not_due"  # due by 10 September
        states, overview = periods(SEPTEMBER_11)
        assert states == {"B04": "submitted", "B08": "missing", "B12": "not_due"}
        assert overview.missing == ["B08"] and overview.periods[1].flagged
        assert overview.periods[1].due_date == SEPTEMBER_10

    def test_a_draft_past_its_due_day_is_still_missing(self, reported, analyst_62):
        make_report(reported["plan"], "B08", status=PlanReportStatus.DRAFT)
        overview = selectors.plan_overview(analyst_62, reported["plan"], today=SEPTEMBER_11)
        b08 = overview.periods[1]
        assert (b08.state, b08.has_draft) == ("missing", True)
        assert selectors.plan_overview(analyst_62, reported["plan"], today=JUNE_15).periods[
            1
        ].state == ("draft")

    def test_a_draft_plan_flags_nothing(self, rad, analyst_62):
        plan = make_plan(rad["timdu"], 2025, status=PlanStatus.DRAFT)
        overview = selectors.plan_overview(analyst_62, plan, today=SEPTEMBER_11)
        assert overview.missing == [] and overview.physical_percent is None

    def test_the_overview_is_hidden_outside_the_scope(self, reported, personas):
        from waspada.core.errors import OutOfScope

        with pytest.raises(OutOfScope):
            selectors.plan_overview(personas("analyst_63"), reported["plan"])
        with pytest.raises(OutOfScope):
            selectors.plan_overview(personas("operator_6201"), reported["plan"])

    def test_plans_needing_reports_lists_missing_and_due_periods(self, reported, personas):
        leader = personas("leader_62")
        assert selectors.plans_needing_reports(leader, JUNE_15) == []
        flags = selectors.plans_needing_reports(leader, SEPTEMBER_11)
        assert [(f.plan, [p.period for p in f.missing]) for f in flags] == [
            (reported["plan"], ["B08"])
        ]
        early = selectors.plans_needing_reports(leader, dt.date(2026, 9, 2))
        assert [p.period for p in early[0].due] == ["B08"] and early[0].missing == []
        assert selectors.plans_needing_reports(personas("analyst_63"), SEPTEMBER_11) == []

    def test_timdu_rows_pick_this_years_plan(self, reported, analyst_62):
        make_plan(reported["timdu"], 2025)
        rows = selectors.timdu_rows(analyst_62, [reported["timdu"]], today=JUNE_15)
        assert rows[0].plan == reported["plan"]
        assert rows[0].overview is not None and rows[0].overview.physical_percent == 27.5


@pytest.mark.django_db
class TestMissingReportJob:
    def test_the_job_tells_the_people_responsible_once(self, reported, personas, run):
        for name in (
            "operator_6271",
            "operator_6201",
            "analyst_62",
            "analyst_63",
            "leader_62",
            "area_admin_62",
            "national_admin",
        ):
            personas(name)
        secretary = make_user("sekretariat_kesbangpol", "operator", ["62.71.01"])
        reported["kesbangpol"].members.create(user=secretary)
        officer = make_timdu_user("kasat_intel", ["62.71"], reported["polres"])
        run(tasks.flag_missing_plan_reports, now=SEPTEMBER_11_WIB.isoformat())
        told = Notification.objects.filter(kind="action_plan")
        assert sorted(told.values_list("user__username", flat=True)) == sorted(
            [
                "analyst_62",
                "area_admin_62",
                # national_admin is not told: national scope reads the flags on the pages
                "kasat_intel",  # rad.report in 62.71
                "sekretariat_kesbangpol",  # member of the area's Kesbangpol
            ]
        )
        note = told.get(user=officer)
        assert note.key == f"rad-missing:{reported['plan'].pk}:B08"
        assert "B.08" in note.title and note.area_code == "62.71"
        assert note.url == f"/respons/rad/{reported['plan'].pk}/laporan/B08/"
        sent = len(mail.outbox)
        run(tasks.flag_missing_plan_reports, now=SEPTEMBER_11_WIB.isoformat())
        assert told.count() == 4 and len(mail.outbox) == sent

    def test_nothing_is_flagged_on_the_due_day_itself_or_once_submitted(self, reported, personas):
        personas("analyst_62")
        on_the_day = dt.datetime(2026, 9, 10, 16, 0, tzinfo=dt.UTC)  # 23:00 WIB
        assert services.flag_missing_plan_reports(on_the_day)["periods"] == 0
        make_report(
            reported["plan"],
            "B08",
            entries={reported["dialog"]: (60, 0), reported["patrol"]: (100, 0)},
        )
        assert services.flag_missing_plan_reports(SEPTEMBER_11_WIB)["periods"] == 0
        assert not Notification.objects.exists()

    def test_the_due_day_ends_by_each_areas_own_clock(self, reported, personas):
        analyst_63 = personas("analyst_63")
        banjarmasin = make_timdu("63.71", members=[])
        plan = make_plan(banjarmasin, 2026)
        make_activity(plan, make_agency("63.71", "Kesbangpol Banjarmasin", kind=AgencyKind.OPD))
        make_report(plan, "B04")
        # 16:30 UTC on 10 September: 00:30 on the 11th in Banjarmasin (WITA), 23:30 on the 10th
        # in Palangka Raya (WIB).
        result = services.flag_missing_plan_reports(dt.datetime(2026, 9, 10, 16, 30, tzinfo=dt.UTC))
        assert result == {"plans": 1, "periods": 1, "notified": 1}
        assert Notification.objects.get().user == analyst_63
