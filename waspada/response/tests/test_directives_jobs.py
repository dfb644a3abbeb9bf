"""The periodic job `response.send_directive_reminders`: reminders before the due date and the
escalation of overdue directives, each once, with the time moved forward through `now`."""

from __future__ import annotations

import datetime as dt

import pytest

from waspada.core.models import AuditEntry, Job
from waspada.notifications.models import Notification
from waspada.response.models import Directive, DirectiveAssignment
from waspada.response.services import directives as services
from waspada.response.tasks.directives import send_directive_reminders
from waspada.response.tests.factories_directives import issue, local_time, local_today, palangka


@pytest.fixture
def org(personas):
    return palangka(personas)


@pytest.fixture
def directive(personas, org):
    """Due in three days (the end of that day in WIB), to the Polres and the kecamatan."""
    return issue(
        personas("leader_62"),
        [org.polres, org.kecamatan],
        due_date=local_today() + dt.timedelta(days=3),
    )


def _told(user, word):
    return Notification.objects.filter(user=user, kind="directive", title__contains=word)


@pytest.mark.django_db
class TestReminders:
    def test_nobody_is_reminded_before_the_reminder_window(self, org, directive):
        early = local_time(directive.due_date - dt.timedelta(days=2), 12)
        assert services.send_due_reminders(early) == {"directives": 0, "notifications": 0}
        directive.refresh_from_db()
        assert directive.reminded_at is None

    def test_unfinished_agencies_are_reminded_once(self, personas, org, directive):
        # The kecamatan has finished already: only the Polres is reminded.
        kecamatan = DirectiveAssignment.objects.get(directive=directive, agency=org.kecamatan)
        services.record_follow_up(
            kecamatan,
            actor=org.camat,
            version=kecamatan.version,
            status="done",
            note="Dialog warga selesai.",
        )
        window = local_time(directive.due_date, 9)  # the morning of the due date
        first = services.send_due_reminders(window)
        assert first == {"directives": 1, "notifications": 1}
        assert _told(org.polres_user, "Pengingat").count() == 1
        assert not _told(org.camat, "Pengingat").exists()
        directive.refresh_from_db()
        assert directive.reminded_at == window

        again = services.send_due_reminders(window + dt.timedelta(hours=1))
        assert again == {"directives": 0, "notifications": 0}
        assert _told(org.polres_user, "Pengingat").count() == 1

    def test_a_new_due_date_is_reminded_again(self, personas, org, directive):
        leader = personas("leader_62")
        services.send_due_reminders(local_time(directive.due_date, 9))
        new_due = directive.due_date + dt.timedelta(days=5)
        moved = services.update_directive(
            directive, actor=leader, version=directive.version, due_date=new_due
        )
        assert moved.reminded_at is None
        assert services.send_due_reminders(local_time(new_due, 9))["directives"] == 1
        assert _told(org.polres_user, "Pengingat").count() == 2


@pytest.mark.django_db
class TestEscalation:
    def test_an_overdue_directive_is_escalated_once_to_its_issuer_and_the_agencies(
        self, personas, org, directive
    ):
        leader = personas("leader_62")
        assert services.escalate_overdue(local_time(directive.due_date, 23))["directives"] == 0

        after = local_time(directive.due_date + dt.timedelta(days=1), 8)
        result = services.escalate_overdue(after)
        assert result == {"directives": 1, "notifications": 3}
        escalation = _told(leader, "melewati batas waktu").get()
        assert escalation.url == f"/respons/arahan/{directive.pk}/"
        assert "Polres Palangka Raya" in escalation.body
        assert _told(org.polres_user, "melewati batas waktu").count() == 1
        assert _told(org.camat, "melewati batas waktu").count() == 1
        directive.refresh_from_db()
        assert directive.overdue_notified_at == after
        assert directive.is_overdue(after)
        entry = AuditEntry.objects.get(action="directive.overdue")
        assert entry.actor is None and entry.object_id == str(directive.pk)

        assert services.escalate_overdue(after + dt.timedelta(hours=2)) == {
            "directives": 0,
            "notifications": 0,
        }
        assert _told(leader, "melewati batas waktu").count() == 1
        assert AuditEntry.objects.filter(action="directive.overdue").count() == 1

    def test_finished_and_cancelled_directives_are_not_escalated(self, personas, org, directive):
        leader = personas("leader_62")
        services.cancel_directive(directive, actor=leader, version=1, reason="Tidak diperlukan.")
        after = local_time(directive.due_date + dt.timedelta(days=1), 8)
        assert services.escalate_overdue(after)["directives"] == 0
        assert services.send_due_reminders(local_time(directive.due_date, 9))["directives"] == 0


@pytest.mark.django_db
class TestJob:
    def test_the_job_reminds_and_escalates_once_and_records_its_runs(
        self, personas, org, directive
    ):
        leader = personas("leader_62")
        reminder_time = local_time(directive.due_date, 9).isoformat()
        result = send_directive_reminders.delay(now=reminder_time).get()
        assert result["reminders"]["directives"] == 1
        assert result["overdue"]["directives"] == 0

        late = local_time(directive.due_date + dt.timedelta(days=1), 8).isoformat()
        result = send_directive_reminders.delay(now=late).get()
        assert result["overdue"] == {"directives": 1, "notifications": 3}
        assert _told(leader, "melewati batas waktu").count() == 1

        result = send_directive_reminders.delay(now=late).get()
        assert result == {
            "reminders": {"directives": 0, "notifications": 0},
            "overdue": {"directives": 0, "notifications": 0},
        }
        runs = Job.objects.filter(name="response.send_directive_reminders")
        assert runs.count() == 3 and {j.status for j in runs} == {"succeeded"}

    def test_the_job_runs_as_of_now_without_an_argument(self, org, directive):
        result = send_directive_reminders.delay().get()
        assert result["overdue"]["directives"] == 0
        assert Directive.objects.get(pk=directive.pk).overdue_notified_at is None
