"""The daily-report reminder: after the local reminder hour, once per operator, area and day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.core import mail

from config.celery import app
from waspada.accounts.testing import make_user
from waspada.core.models import Job
from waspada.notifications.models import Notification
from waspada.reports import tasks
from waspada.reports.reminders import send_daily_reminders
from waspada.reports.testing import make_report

DAY = dt.date(2026, 3, 2)
# 08:30 UTC is 15:30 WIB and 16:30 WITA; 09:15 UTC is 16:15 WIB.
WITA_PAST_HOUR = dt.datetime(2026, 3, 2, 8, 30, tzinfo=dt.UTC)
WIB_PAST_HOUR = dt.datetime(2026, 3, 2, 9, 15, tzinfo=dt.UTC)


@pytest.fixture
def operators(personas, settings):
    settings.WASPADA_DAILY_REMINDER_HOUR = 16
    retired = make_user("operator_6271_pensiun", "operator", ["62.71"], is_active=False)
    return {
        "6271": personas("operator_6271"),
        "6271b": make_user("operator_6271_b", "operator", ["62.71"]),
        "6201": personas("operator_6201"),
        "6371": make_user("operator_6371", "operator", ["63.71"]),
        "retired": retired,
        "analyst": personas("analyst_62"),  # analysts are never reminded
    }


def _reminded():
    return sorted(
        Notification.objects.filter(kind="report.daily_reminder").values_list(
            "user__username", "area_code"
        )
    )


@pytest.mark.django_db
class TestDailyReminders:
    def test_nobody_is_reminded_before_the_hour_of_their_own_zone(
        self, operators, django_capture_on_commit_callbacks
    ):
        early = dt.datetime(2026, 3, 2, 7, 55, tzinfo=dt.UTC)  # 14:55 WIB, 15:55 WITA
        with django_capture_on_commit_callbacks(execute=True):
            assert send_daily_reminders(now=early) == {"areas": 0, "notified": 0}
        assert _reminded() == []
        assert mail.outbox == []

    def test_a_wita_area_is_reminded_an_hour_before_a_wib_one(
        self, operators, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            send_daily_reminders(now=WITA_PAST_HOUR)
        assert _reminded() == [("operator_6371", "63.71")]
        assert [m.to for m in mail.outbox] == [[operators["6371"].email]]

    def test_operators_who_filed_are_left_alone_and_the_rest_get_one_reminder(
        self, operators, django_capture_on_commit_callbacks
    ):
        make_report("62.01", period_start=DAY, status="submitted", is_nihil=True)
        draft = make_report("62.71", period_start=DAY, status="draft")
        make_report("63.71", period_start=DAY, status="returned")  # filed once: counts as filed
        with django_capture_on_commit_callbacks(execute=True):
            first = send_daily_reminders(now=WIB_PAST_HOUR)
        assert first == {"areas": 1, "notified": 2}
        assert _reminded() == [("operator_6271", "62.71"), ("operator_6271_b", "62.71")]
        note = Notification.objects.filter(user=operators["6271"]).get()
        assert note.url == f"/laporan/{draft.pk}/"
        assert "2 Maret 2026" in note.title
        assert "3 Maret 2026 10:00 WIB" in note.body  # the due moment, on the area's clock
        assert len(mail.outbox) == 2

    def test_repeated_runs_send_nothing_twice(self, operators, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            send_daily_reminders(now=WIB_PAST_HOUR)
        sent = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            again = send_daily_reminders(now=WIB_PAST_HOUR + dt.timedelta(minutes=15))
            later = send_daily_reminders(now=WIB_PAST_HOUR + dt.timedelta(hours=6))
        assert again == {"areas": 3, "notified": 0}
        assert later["notified"] == 0
        assert len(mail.outbox) == sent == 4  # 6271, 6271_b, 6201, 6371: once each
        assert len(_reminded()) == 4

    def test_the_next_day_brings_a_new_reminder(
        self, operators, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            send_daily_reminders(now=WIB_PAST_HOUR)
            next_day = send_daily_reminders(now=WIB_PAST_HOUR + dt.timedelta(days=1))
        assert next_day["notified"] == 4
        keys = set(
            Notification.objects.filter(user=operators["6271"]).values_list("key", flat=True)
        )
        assert keys == {"daily-reminder:62.71:2026-03-02", "daily-reminder:62.71:2026-03-03"}


@pytest.mark.django_db
class TestReminderJob:
    def test_beat_runs_a_registered_task_every_quarter_hour(self):
        entry = django_settings.CELERY_BEAT_SCHEDULE["daily-report-reminders"]
        assert entry["task"] == tasks.send_daily_reminders.name
        assert entry["task"] in app.tasks
        assert entry["schedule"].minute == {0, 15, 30, 45}

    def test_the_job_is_recorded_and_safe_to_repeat(
        self, operators, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            first = tasks.send_daily_reminders.delay().get()
            second = tasks.send_daily_reminders.delay().get()
        assert second["notified"] == 0
        assert first["notified"] == Notification.objects.count()
        runs = Job.objects.filter(name="reports.send_daily_reminders")
        assert [job.status for job in runs] == ["succeeded", "succeeded"]
