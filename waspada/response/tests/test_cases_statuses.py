"""The status keadaan konflik: declaring it (scale, area, dates, at most 90 days), reminders 14, 7
and 1 days before the end with the clock moved day by day, ending after day 90, extensions
recorded as such (and never longer than allowed), revocation, and the periodic job."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.models import AuditEntry
from waspada.notifications.models import Notification
from waspada.response.choices import CaseStage, ConflictStatusState
from waspada.response.models import CaseStageChange, ConflictStatus
from waspada.response.selectors import cases as selectors
from waspada.response.services import cases as services
from waspada.response.tests.factories_cases import local_noon, open_case

START = dt.date(2026, 1, 5)


def day(n: int) -> dt.datetime:
    """Noon (WIB, Palangka Raya is WIB) of day `n` of a status starting on START (day 1)."""
    return local_noon(START + dt.timedelta(days=n - 1))


def declare(case, actor, **overrides):
    values: dict[str, Any] = {
        "scale": "kabupaten_kota",
        "area_code": "62.71",
        "declared_by": "Wali Kota Palangka Raya",
        "decree_number": "188.45/77/2026",
        "start_date": START,
        "now": day(1),
    }
    values.update(overrides)
    return services.declare_status(case, actor=actor, **values)


def reminder_keys(status) -> dict[str, int]:
    counts: dict[str, int] = {}
    prefix = f"conflict_status:{status.pk}:reminder:"
    for key in Notification.objects.filter(key__startswith=prefix).values_list("key", flat=True):
        counts[key.removeprefix(prefix)] = counts.get(key.removeprefix(prefix), 0) + 1
    return counts


@pytest.fixture
def case(analyst_62, personas):
    personas("leader_62")  # a follower besides the opener
    return open_case(analyst_62, now=day(1) - dt.timedelta(days=3))


@pytest.mark.django_db
class TestDeclare:
    def test_it_lasts_90_days_by_default_and_moves_the_case_to_penghentian(self, case, analyst_62):
        status = declare(case, analyst_62)
        assert status.end_date == START + dt.timedelta(days=89)
        assert status.state == ConflictStatusState.ACTIVE and status.recorded_by == analyst_62
        case.refresh_from_db()
        assert case.stage == CaseStage.STOPPING
        change = CaseStageChange.objects.filter(case=case).latest("id")
        assert (change.from_stage, change.to_stage) == ("pencegahan", "penghentian")
        assert "188.45/77/2026" in change.note
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        assert {"conflict_status.declared", "case.stage_changed"} <= actions
        told = Notification.objects.filter(key=f"conflict_status:{status.pk}:declared")
        assert {n.user.username for n in told} == {"analyst_62", "leader_62"}

    def test_it_leaves_a_later_stage_alone(self, case, analyst_62):
        case = services.move_stage(
            case, actor=analyst_62, version=case.version, to_stage="pemulihan"
        )
        declare(case, analyst_62)
        case.refresh_from_db()
        assert case.stage == "pemulihan"

    def test_it_refuses_an_end_before_the_start_and_a_120_day_status(self, case, analyst_62):
        for end in (START - dt.timedelta(days=1), START + dt.timedelta(days=119)):
            with pytest.raises(InvalidInput) as caught:
                declare(case, analyst_62, end_date=end)
            assert "end_date" in caught.value.errors
        declare(case, analyst_62, end_date=START + dt.timedelta(days=89))

    @pytest.mark.parametrize(
        ("scale", "area_code"),
        [
            ("kabupaten_kota", "62"),
            ("kabupaten_kota", "62.71.02"),
            ("kabupaten_kota", "62.01"),
            ("provinsi", "62.71"),
            ("provinsi", "63"),
            ("nasional", "62"),
            ("kabupaten_kota", ""),
        ],
    )
    def test_it_refuses_a_wrong_scale_or_area(self, case, analyst_62, scale, area_code):
        with pytest.raises(InvalidInput) as caught:
            declare(case, analyst_62, scale=scale, area_code=area_code)
        assert "area_code" in caught.value.errors
        assert not ConflictStatus.objects.exists()

    def test_province_and_national_scales_are_accepted(self, case, analyst_62):
        status = declare(case, analyst_62, scale="provinsi", area_code="62")
        assert status.area_id == "62"
        services.revoke_status(status, actor=analyst_62, version=status.version, reason="Salah")
        national = declare(case, analyst_62, scale="nasional", area_code=None)
        assert national.area_id is None

    def test_it_needs_the_declarer_and_decree_and_one_status_at_a_time(self, case, analyst_62):
        with pytest.raises(InvalidInput) as caught:
            declare(case, analyst_62, declared_by=" ", decree_number="", scale="darurat")
        assert set(caught.value.errors) == {"declared_by", "decree_number", "scale"}
        declare(case, analyst_62)
        with pytest.raises(InvalidInput) as caught:
            declare(case, analyst_62)
        assert "status" in caught.value.errors

    def test_a_status_already_over_is_refused(self, case, analyst_62):
        with pytest.raises(InvalidInput) as caught:
            declare(case, analyst_62, now=day(95))
        assert "end_date" in caught.value.errors

    def test_only_managers_in_scope_declare(self, case, personas):
        with pytest.raises(PermissionDenied):
            declare(case, personas("operator_6271"))
        with pytest.raises(OutOfScope):
            declare(case, personas("analyst_63"))
        assert declare(case, personas("leader_62")).pk

    def test_a_case_cannot_be_closed_while_a_status_is_in_force(self, case, analyst_62):
        status = declare(case, analyst_62)
        case.refresh_from_db()
        with pytest.raises(InvalidInput) as caught:
            services.close_case(case, actor=analyst_62, version=case.version, note="Selesai")
        assert "status" in caught.value.errors
        with pytest.raises(Conflict):
            services.revoke_status(status, actor=analyst_62, version=99, reason="Aman")
        revoked = services.revoke_status(
            status, actor=analyst_62, version=status.version, reason="Situasi aman", now=day(20)
        )
        assert revoked.state == ConflictStatusState.REVOKED and revoked.ended_at == day(20)
        case.refresh_from_db()
        services.close_case(case, actor=analyst_62, version=case.version, note="Selesai")


@pytest.mark.django_db
class TestRemindersAndEnd:
    def test_reminders_fall_on_days_76_83_and_89_once_each_and_it_ends_after_day_90(
        self, case, analyst_62
    ):
        status = declare(case, analyst_62)
        first_seen: dict[str, int] = {}
        for n in range(1, 93):
            services.process_conflict_statuses(day(n))
            for key in reminder_keys(status):
                first_seen.setdefault(key, n)
            status.refresh_from_db()
            if n <= 90:
                assert status.state == ConflictStatusState.ACTIVE, n
                view = selectors.case_statuses(analyst_62, case, now=day(n))[0]
                assert (view.day_number, view.total_days, view.days_left) == (n, 90, 90 - n)
            else:
                assert status.state == ConflictStatusState.ENDED, n
        assert first_seen == {"14": 76, "7": 83, "1": 89}
        assert reminder_keys(status) == {"14": 2, "7": 2, "1": 2}  # opener and leader, once
        assert status.ended_at == day(91)
        ended = AuditEntry.objects.get(action="conflict_status.ended")
        assert ended.actor is None and ended.area_code == "62.71"
        assert Notification.objects.filter(key=f"conflict_status:{status.pk}:ended").count() == 2
        assert selectors.statuses_in_force(analyst_62).count() == 0

    def test_a_second_run_on_the_same_day_sends_nothing(self, case, analyst_62):
        status = declare(case, analyst_62)
        first = services.process_conflict_statuses(day(76))
        again = services.process_conflict_statuses(day(76) + dt.timedelta(hours=3))
        assert first["reminders"] == 2 and again["reminders"] == 0
        assert reminder_keys(status) == {"14": 2}

    def test_after_missed_runs_only_the_nearest_reminder_goes_out(self, case, analyst_62):
        status = declare(case, analyst_62)
        services.process_conflict_statuses(day(70))
        services.process_conflict_statuses(day(85))
        services.process_conflict_statuses(day(86))
        assert reminder_keys(status) == {"7": 2}

    def test_reminders_go_to_followers_who_can_see_the_case(self, case, analyst_62, personas):
        personas("analyst_63")
        personas("operator_6271")
        status = declare(case, analyst_62)
        services.process_conflict_statuses(day(76))
        users = set(
            Notification.objects.filter(key__contains=f":{status.pk}:reminder:").values_list(
                "user__username", flat=True
            )
        )
        assert users == {"analyst_62", "leader_62"}

    def test_the_statuses_ending_soon_are_listed_for_the_viewer(self, case, analyst_62, personas):
        declare(case, analyst_62)
        assert selectors.statuses_ending_soon(analyst_62, now=day(70)) == []
        soon = selectors.statuses_ending_soon(analyst_62, now=day(80))
        assert [left for _status, left in soon] == [10]
        assert selectors.statuses_ending_soon(personas("operator_6201"), now=day(80)) == []


@pytest.mark.django_db
class TestExtension:
    def test_an_extension_is_recorded_as_such_and_the_status_does_not_end_on_day_90(
        self, case, analyst_62
    ):
        status = declare(case, analyst_62)
        old_end = status.end_date
        extension = services.extend_status(
            status,
            actor=analyst_62,
            version=status.version,
            declared_by="Wali Kota Palangka Raya",
            decree_number="188.45/99/2026",
            end_date=old_end + dt.timedelta(days=30),
            now=day(80),
        )
        status.refresh_from_db()
        assert status.state == ConflictStatusState.EXTENDED
        assert extension.extends == status and extension.is_extension
        assert extension.start_date == old_end + dt.timedelta(days=1)
        assert AuditEntry.objects.filter(action="conflict_status.extended").exists()
        for n in range(80, 123):
            services.process_conflict_statuses(day(n))
            status.refresh_from_db()
            extension.refresh_from_db()
            assert status.state == ConflictStatusState.EXTENDED, n
            expected = ConflictStatusState.ACTIVE if n <= 120 else ConflictStatusState.ENDED
            assert extension.state == expected, n
        assert reminder_keys(extension) == {"14": 2, "7": 2, "1": 2}
        view = selectors.case_statuses(analyst_62, case, now=day(95))
        assert len(view) == 1 and [r.pk for r in view[0].chain] == [status.pk, extension.pk]

    def test_an_extension_longer_than_allowed_is_refused_in_total(self, case, analyst_62):
        status = declare(case, analyst_62)
        end = status.end_date
        with pytest.raises(InvalidInput) as caught:
            services.extend_status(
                status,
                actor=analyst_62,
                version=status.version,
                declared_by="Wali Kota",
                decree_number="X/1",
                end_date=end + dt.timedelta(days=31),
                now=day(80),
            )
        assert "end_date" in caught.value.errors
        first = services.extend_status(
            status,
            actor=analyst_62,
            version=status.version,
            declared_by="Wali Kota",
            decree_number="X/2",
            end_date=end + dt.timedelta(days=20),
            now=day(80),
        )
        with pytest.raises(InvalidInput):
            services.extend_status(
                first,
                actor=analyst_62,
                version=first.version,
                declared_by="Wali Kota",
                decree_number="X/3",
                end_date=first.end_date + dt.timedelta(days=11),
                now=day(80),
            )
        second = services.extend_status(
            first,
            actor=analyst_62,
            version=first.version,
            declared_by="Wali Kota",
            decree_number="X/4",
            end_date=first.end_date + dt.timedelta(days=10),
            now=day(80),
        )
        assert second.extends == first and second.end_date == end + dt.timedelta(days=30)

    def test_it_refuses_a_stale_version_an_extended_row_and_an_end_before_its_start(
        self, case, analyst_62
    ):
        status = declare(case, analyst_62)
        kwargs = {"actor": analyst_62, "declared_by": "Wali Kota", "decree_number": "X/1"}
        with pytest.raises(InvalidInput) as caught:
            services.extend_status(
                status, version=status.version, end_date=status.end_date, now=day(80), **kwargs
            )
        assert "end_date" in caught.value.errors
        with pytest.raises(Conflict):
            services.extend_status(
                status, version=status.version + 1, end_date=status.end_date, **kwargs
            )
        services.extend_status(
            status,
            version=status.version,
            end_date=status.end_date + dt.timedelta(days=5),
            now=day(80),
            **kwargs,
        )
        status.refresh_from_db()
        with pytest.raises(InvalidInput) as caught:
            services.extend_status(
                status,
                version=status.version,
                end_date=status.end_date + dt.timedelta(days=5),
                now=day(80),
                **kwargs,
            )
        assert "status" in caught.value.errors


@pytest.mark.django_db
def test_the_periodic_job_is_registered_under_its_beat_name_and_runs(case, analyst_62):
    from config.celery import app
    from waspada.response.tasks.cases import check_conflict_statuses

    assert "response.check_conflict_statuses" in app.tasks
    result = check_conflict_statuses.delay().get()
    assert set(result) == {"seen", "reminders", "ended"}
