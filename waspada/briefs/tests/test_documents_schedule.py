"""The schedule: each subscriber's brief is built once after their local hour and delivered
once by e-mail (DOCX and PDF attached) and in the inbox; a second run sends nothing more."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from waspada.briefs.models import Brief
from waspada.briefs.services import documents as services
from waspada.briefs.tests import fixtures_documents as fx
from waspada.geo.zones import zone_for
from waspada.notifications.models import Notification

brief_media = fx.brief_media
march = fx.march


def local(day: dt.date, hour: int, minute: int = 0, area_code: str = "62") -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone_for(area_code))


@pytest.fixture
def leader(personas, settings):
    settings.WASPADA_BRIEF_HOUR = 7
    user = personas("leader_62")
    user.email = "pimpinan62@example.go.id"
    user.save(update_fields=["email"])
    return user


def run(capture, now):
    with capture(execute=True):
        return services.send_scheduled_briefs(now)


@pytest.mark.django_db
class TestScheduledBriefs:
    def test_the_daily_brief_is_built_after_the_local_hour_and_delivered_once(
        self, leader, march, django_capture_on_commit_callbacks
    ):
        for channel in ("email", "inbox"):
            services.subscribe_brief(actor=leader, area_code="62", kind="daily", channel=channel)
        tuesday = dt.date(2026, 3, 3)

        early = run(django_capture_on_commit_callbacks, local(dt.date(2026, 3, 4), 6, 45))
        assert early["requested"] == 0 and not Brief.objects.exists()

        counts = run(django_capture_on_commit_callbacks, local(dt.date(2026, 3, 4), 7, 5))
        assert counts["requested"] == 1
        brief = Brief.objects.get()
        assert (brief.kind, brief.area_id, brief.period_start) == ("daily", "62", tuesday)
        assert (brief.built_for, brief.scheduled, brief.state) == (leader, True, "done")
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["pimpinan62@example.go.id"]
        assert "Rekap LAPSITDA harian Kalimantan Tengah, 3 Maret 2026" in message.subject
        names = sorted(name for name, _content, _type in message.attachments)
        assert names == [
            "rekap-harian-62-2026-03-03-v1.docx",
            "rekap-harian-62-2026-03-03-v1.pdf",
        ]
        types = {name[-4:]: kind for name, _content, kind in message.attachments}
        assert types["docx"].endswith("wordprocessingml.document")
        assert types[".pdf"] == "application/pdf"
        assert all(content[:2] in (b"PK", b"%P") for _n, content, _t in message.attachments)
        inbox = Notification.objects.get(user=leader)
        assert inbox.kind == "brief" and inbox.url == f"/dokumen/{brief.pk}/"
        assert set(brief.summary["delivered"]) == {"email", "inbox"}

        again = run(django_capture_on_commit_callbacks, local(dt.date(2026, 3, 4), 9))
        assert again["requested"] == 0 and again["delivered"] == 0
        assert Brief.objects.count() == 1
        assert len(mail.outbox) == 1
        assert Notification.objects.filter(user=leader).count() == 1

    def test_weekly_briefs_come_on_mondays_and_monthly_ones_on_the_first(
        self, leader, march, django_capture_on_commit_callbacks
    ):
        services.subscribe_brief(actor=leader, area_code="62", kind="weekly", channel="inbox")
        services.subscribe_brief(actor=leader, area_code="62", kind="monthly", channel="inbox")
        run(django_capture_on_commit_callbacks, local(dt.date(2026, 3, 10), 8))  # a Tuesday
        assert not Brief.objects.exists()
        run(django_capture_on_commit_callbacks, local(dt.date(2026, 3, 9), 8))  # a Monday
        weekly = Brief.objects.get(kind="weekly")
        assert (weekly.period_start, weekly.period_end) == (
            dt.date(2026, 3, 2),
            dt.date(2026, 3, 8),
        )
        run(django_capture_on_commit_callbacks, local(dt.date(2026, 4, 1), 8))
        monthly = Brief.objects.get(kind="monthly")
        assert (monthly.period_start, monthly.period_end) == (
            dt.date(2026, 3, 1),
            dt.date(2026, 3, 31),
        )
        assert Notification.objects.filter(user=leader, kind="brief").count() == 2
        assert mail.outbox == []

    def test_the_hour_is_the_subscribers_area_clock(
        self, leader, personas, march, django_capture_on_commit_callbacks
    ):
        south = personas("analyst_63")
        services.subscribe_brief(actor=leader, area_code="62", kind="daily", channel="inbox")
        services.subscribe_brief(actor=south, area_code="63", kind="daily", channel="inbox")
        # 06:30 WIB is 07:30 WITA: Kalimantan Selatan is due, Kalimantan Tengah not yet.
        run(django_capture_on_commit_callbacks, local(dt.date(2026, 3, 4), 6, 30))
        assert list(Brief.objects.values_list("area_id", flat=True)) == ["63"]

    def test_each_subscriber_gets_their_own_build(
        self, leader, personas, march, django_capture_on_commit_callbacks
    ):
        analyst = personas("analyst_62")
        analyst.clearance = "rahasia"
        analyst.save(update_fields=["clearance"])
        for user in (leader, analyst):
            services.subscribe_brief(actor=user, area_code="62", kind="monthly", channel="inbox")
        run(django_capture_on_commit_callbacks, local(dt.date(2026, 4, 1), 8))
        readers = dict(Brief.objects.values_list("built_for__username", "classification"))
        assert readers == {"leader_62": "biasa", "analyst_62": "rahasia"}

    def test_a_subscriber_who_lost_the_area_gets_nothing(
        self, leader, march, django_capture_on_commit_callbacks
    ):
        services.subscribe_brief(actor=leader, area_code="62", kind="daily", channel="inbox")
        leader.assignments.all().delete()
        leader.__dict__.pop("scope_area_codes", None)
        counts = run(django_capture_on_commit_callbacks, local(dt.date(2026, 3, 4), 8))
        assert counts["skipped"] == 1 and not Brief.objects.exists()


@pytest.mark.django_db
def test_a_rahasia_brief_is_never_attached_to_an_email(
    personas, settings, march, django_capture_on_commit_callbacks
):
    settings.WASPADA_BRIEF_HOUR = 7
    analyst = personas("analyst_62")
    analyst.clearance = "rahasia"
    analyst.save(update_fields=["clearance"])
    services.subscribe_brief(actor=analyst, area_code="62", kind="monthly", channel="email")
    run(django_capture_on_commit_callbacks, local(dt.date(2026, 4, 1), 8))
    brief = Brief.objects.get()
    assert brief.classification == "rahasia"
    message = mail.outbox[0]
    assert message.attachments == []
    assert message.subject.startswith("[RAHASIA]")
    assert f"/dokumen/{brief.pk}/" in message.body
    assert "tidak dilampirkan" in message.body
