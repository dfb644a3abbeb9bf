"""Fan-out, the inbox and e-mail channels, the unsubscribe link, rate limit and digests."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from waspada.notifications.models import Notification
from waspada.warnings import subscriptions
from waspada.warnings.choices import AlertKind, Channel, DeliveryStatus, DigestMode, RiskLevel
from waspada.warnings.models import Alert, Delivery, Subscription
from waspada.warnings.tasks import deliver_alert, send_digests


def make_alert(area="62.71", level=RiskLevel.SIAGA, previous=RiskLevel.WASPADA, day=None, **kw):
    return Alert.objects.create(
        area_id=area,
        day=day or dt.date(2026, 3, 2),
        kind=kw.pop("kind", AlertKind.RISE),
        level=level,
        previous_level=previous,
        score=kw.pop("score", 13.0),
        reasons=kw.pop(
            "reasons",
            {
                "factors": {
                    "severity": 13.0,
                    "recent_items": 7,
                    "expected_items": 1.5,
                    "p_value": 0.001,
                    "escalating": True,
                    "thresholds": [4.0, 12.0, 30.0],
                    "rule": "score",
                },
                "top_items": [{"id": 1, "day": "2026-03-01", "severity": 5, "contribution": 4}],
            },
        ),
    )


def subscribe(user, area="62", channel=Channel.INBOX, **kw):
    subscription, _secret = subscriptions.subscribe(
        actor=user, area_code=area, channel=channel, **kw
    )
    return subscription


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a job the way a worker would: enqueued, after commit, through the real task."""

    def go(task, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            task.enqueue(**kwargs)

    return go


@pytest.mark.django_db
class TestFanOut:
    def test_it_delivers_to_subscriptions_on_the_area_or_an_ancestor_at_or_above_min_level(
        self, personas, run
    ):
        leader = personas("leader_62")
        operator = personas("operator_6271")
        on_province = subscribe(leader, "62")
        on_city = subscribe(operator, "62.71")
        too_high = subscribe(personas("analyst_62"), "62", min_level=RiskLevel.AWAS)
        sibling = subscribe(personas("operator_6201"), "62.01")
        alert = make_alert("62.71.02", level=RiskLevel.SIAGA)

        run(deliver_alert, alert_id=alert.pk)

        delivered = set(Delivery.objects.values_list("subscription_id", flat=True))
        assert delivered == {on_province.pk, on_city.pk}
        assert too_high.pk not in delivered and sibling.pk not in delivered
        assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}

    def test_a_subscription_outside_the_users_scope_gets_nothing(self, personas, run):
        # analyst_63 covers 63 only; a subscription on 62 (left from a former assignment).
        stale = Subscription.objects.create(
            user=personas("analyst_63"), area_id="62", channel=Channel.INBOX
        )
        inactive_user = personas("operator_6271")
        subscribe(inactive_user, "62.71")
        inactive_user.is_active = False
        inactive_user.save(update_fields=["is_active"])
        alert = make_alert("62.71")

        run(deliver_alert, alert_id=alert.pk)

        assert not Delivery.objects.filter(subscription=stale).exists()
        assert not Delivery.objects.exists()
        assert not Notification.objects.filter(user=stale.user).exists()

    def test_running_it_twice_creates_and_sends_nothing_more(self, personas, run):
        leader = personas("leader_62")
        subscribe(leader, "62", channel=Channel.EMAIL)
        alert = make_alert("62.71")
        run(deliver_alert, alert_id=alert.pk)
        run(deliver_alert, alert_id=alert.pk)
        assert Delivery.objects.count() == 1
        assert len(mail.outbox) == 1

    def test_the_inbox_channel_writes_one_alert_notification_with_the_reasons(self, personas, run):
        leader = personas("leader_62")
        subscribe(leader, "62")
        subscribe(leader, "62.71")  # two matching subscriptions, still one notice
        alert = make_alert("62.71")
        run(deliver_alert, alert_id=alert.pk)
        notes = Notification.objects.filter(user=leader, kind="alert")
        assert notes.count() == 1
        note = notes.get()
        assert note.url == f"/peringatan/{alert.pk}/"
        assert "Siaga" in note.title and "Kota Palangka Raya" in note.title
        assert "7 kejadian" in note.body
        assert not mail.outbox  # the inbox channel sends no e-mail


@pytest.mark.django_db
class TestEmail:
    def test_one_email_in_indonesian_with_the_unsubscribe_link_and_header(self, personas, run):
        leader = personas("leader_62")
        subscription = subscribe(leader, "62", channel=Channel.EMAIL)
        alert = make_alert("62.71")
        run(deliver_alert, alert_id=alert.pk)

        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == [leader.email]
        link = f"/peringatan/berhenti/{subscription.unsubscribe_token}/"
        assert link in message.body
        assert message.extra_headers["List-Unsubscribe"].endswith(f"{link}>")
        assert "Kota Palangka Raya, Kalimantan Tengah" in message.body  # area path name
        assert "Siaga (oranye)" in message.body
        assert "Waspada (kuning)" in message.body  # previous level
        assert f"/peringatan/{alert.pk}/" in message.body
        assert "7 kejadian dalam periode terakhir" in message.body
        assert isinstance(message, EmailMultiAlternatives)
        html, mime = message.alternatives[0]
        assert mime == "text/html"
        assert link in str(html)
        assert Delivery.objects.get().status == DeliveryStatus.SENT

    def test_the_unsubscribe_link_works_without_logging_in(self, personas, run, client):
        leader = personas("leader_62")
        subscription = subscribe(leader, "62", channel=Channel.EMAIL)
        run(deliver_alert, alert_id=make_alert("62.71").pk)
        link = re.search(r"https?://\S+(/peringatan/berhenti/\S+/)", str(mail.outbox[0].body))
        assert link is not None
        path = link.group(1)

        page = client.get(path)
        assert page.status_code == 200
        assert 'data-testid="confirm-unsubscribe"' in page.content.decode()
        subscription.refresh_from_db()
        assert subscription.active  # a GET (link preview, scanner) changes nothing

        done = client.post(path)
        assert done.status_code == 200
        assert 'data-testid="unsubscribed"' in done.content.decode()
        subscription.refresh_from_db()
        assert not subscription.active

        run(deliver_alert, alert_id=make_alert("62.71", level=RiskLevel.AWAS).pk)
        assert len(mail.outbox) == 1  # nothing more after unsubscribing

    def test_a_user_without_an_address_gets_a_retrying_delivery_with_the_reason(
        self, personas, run
    ):
        leader = personas("leader_62")
        subscription = subscribe(leader, "62", channel=Channel.EMAIL)
        leader.email = ""
        leader.save(update_fields=["email"])
        run(deliver_alert, alert_id=make_alert("62.71").pk)
        row = Delivery.objects.get(subscription=subscription)
        assert row.status == DeliveryStatus.RETRYING  # counted, shown, retried; never dropped
        assert "alamat surel" in row.last_error


@pytest.mark.django_db
class TestRateLimitAndDigest:
    def test_over_the_hourly_limit_deliveries_are_held_for_the_digest_which_goes_once(
        self, personas, run, settings
    ):
        settings.WASPADA_ALERT_RATE_PER_HOUR = 2
        settings.WASPADA_ALERT_DIGEST_HOUR = 0  # the digest hour has come everywhere
        leader = personas("leader_62")
        subscription = subscribe(leader, "62", channel=Channel.EMAIL)
        alerts = [
            make_alert(code, day=dt.date(2026, 3, 2))
            for code in ("62.71", "62.01", "62.71.01", "62.71.02")
        ]
        for alert in alerts:
            run(deliver_alert, alert_id=alert.pk)

        statuses = list(Delivery.objects.order_by("alert_id").values_list("status", flat=True))
        assert statuses == [
            DeliveryStatus.SENT,
            DeliveryStatus.SENT,
            DeliveryStatus.DIGEST,
            DeliveryStatus.DIGEST,
        ]
        assert len(mail.outbox) == 2

        run(send_digests)
        assert len(mail.outbox) == 3
        digest = mail.outbox[2]
        assert "Ringkasan" in digest.subject
        assert "Kec. Pahandut" in digest.body and "Kec. Jekan Raya" in digest.body
        assert f"/peringatan/berhenti/{subscription.unsubscribe_token}/" in digest.body
        assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 4

        run(send_digests)  # idempotent: nothing held, nothing sent
        assert len(mail.outbox) == 3

    def test_a_daily_digest_waits_for_the_local_hour_and_then_goes_once_a_day(
        self, personas, run, settings
    ):
        leader = personas("leader_62")
        subscribe(leader, "62", channel=Channel.INBOX, digest=DigestMode.DAILY)
        run(deliver_alert, alert_id=make_alert("62.71").pk)
        assert Delivery.objects.get().status == DeliveryStatus.DIGEST
        assert not Notification.objects.filter(user=leader).exists()

        settings.WASPADA_ALERT_DIGEST_HOUR = 24  # an hour that never comes
        run(send_digests)
        assert Delivery.objects.get().status == DeliveryStatus.DIGEST

        settings.WASPADA_ALERT_DIGEST_HOUR = 0
        run(send_digests)
        assert Delivery.objects.get().status == DeliveryStatus.SENT
        note = Notification.objects.get(user=leader, kind="alert")
        assert "Ringkasan" in note.title

        # A new alert the same day waits for tomorrow's digest.
        run(deliver_alert, alert_id=make_alert("62.01").pk)
        run(send_digests)
        assert Delivery.objects.filter(status=DeliveryStatus.DIGEST).count() == 1
        assert Notification.objects.filter(user=leader).count() == 1

        # Tomorrow: pretend the first digest went out yesterday.
        Delivery.objects.filter(status=DeliveryStatus.SENT).update(
            sent_at=timezone.now() - dt.timedelta(days=1)
        )
        run(send_digests)
        assert Delivery.objects.filter(status=DeliveryStatus.DIGEST).count() == 0


@pytest.mark.django_db
def test_an_alert_raised_by_the_engine_reaches_the_leader_by_inbox_and_email_once(
    personas, django_capture_on_commit_callbacks
):
    from waspada.warnings import alerting
    from waspada.warnings.models import RiskScore

    leader = personas("leader_62")
    subscribe(leader, "62", channel=Channel.INBOX)
    subscribe(leader, "62", channel=Channel.EMAIL)
    subscribe(personas("analyst_63"), "63", channel=Channel.EMAIL)
    score = RiskScore.objects.create(
        area_id="62.71",
        day=dt.date(2026, 3, 2),
        area_level=2,
        score=14.2,
        level=RiskLevel.SIAGA,
        raw_level=RiskLevel.SIAGA,
        explanation={
            "factors": {
                "decayed_severity": 14.2,
                "structural_value": None,
                "score": 14.2,
                "escalation": {"k": 6, "lambda": 0.8, "p": 0.0004, "escalating": True},
                "thresholds": [4.0, 12.0, 30.0],
                "half_life_days": 14.0,
                "rule": "score",
                "hysteresis_held": False,
            },
            "top_items": [{"id": 3, "day": "2026-03-01", "severity": 6.0, "contribution": 5.7}],
        },
    )
    for _ in range(2):  # a repeated recompute raises and sends nothing more
        with django_capture_on_commit_callbacks(execute=True):
            alerting.raise_for(score, RiskLevel.WASPADA)

    alert = Alert.objects.get()
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert Delivery.objects.count() == 2
    note = Notification.objects.get(user=leader, kind="alert")
    assert note.url == f"/peringatan/{alert.pk}/"
    assert "6 kejadian dalam periode terakhir, padahal biasanya sekitar 0.8" in note.body
    assert "(p = 0.0004)" in note.body
    assert "separuh setelah 14 hari" in note.body
    assert [m.to for m in mail.outbox] == [[leader.email]]
    assert not Notification.objects.filter(user=personas("analyst_63")).exists()
