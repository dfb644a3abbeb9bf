"""A real webhook receiver (http.server on a thread, 127.0.0.1) sees the signed alert, answers 500
the first time, and sees it again on the retry."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from waspada.warnings import delivery, subscriptions
from waspada.warnings.choices import AlertKind, Channel, DeliveryStatus, RiskLevel
from waspada.warnings.models import Alert, Delivery


class Receiver:
    """Answers 500 to the first POST and 200 afterwards; keeps every request it saw."""

    def __init__(self) -> None:
        self.seen: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers["Content-Length"])
                body = self.rfile.read(length)
                receiver.seen.append({"headers": dict(self.headers), "body": body})
                code = 500 if len(receiver.seen) == 1 else 200
                self.send_response(code)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"kaboom" if code == 500 else b"ok")

            def log_message(self, *args) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def valid_signature(secret: str, headers: dict, body: bytes) -> bool:
    timestamp = headers["X-Waspada-Timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest("sha256=" + expected.hexdigest(), headers["X-Waspada-Signature"])


@pytest.mark.django_db
def test_the_receiver_sees_the_signed_alert_again_after_answering_500(
    personas, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    leader = personas("leader_62")
    with Receiver() as receiver:
        subscription, secret = subscriptions.subscribe(
            actor=leader, area_code="62", channel=Channel.WEBHOOK, webhook_url=receiver.url
        )
        alert = Alert.objects.create(
            area_id="62.71",
            day=dt.date(2026, 3, 2),
            kind=AlertKind.RISE,
            level=RiskLevel.SIAGA,
            previous_level=RiskLevel.WASPADA,
            score=14.5,
            reasons={"factors": {"severity": 14.5, "escalating": True, "p_value": 0.002}},
        )
        with django_capture_on_commit_callbacks(execute=True):
            delivery.fan_out(alert.pk)

        row = Delivery.objects.get(alert=alert, subscription=subscription)
        assert row.status == DeliveryStatus.RETRYING
        assert row.response_code == 500
        assert row.attempts == 1
        assert "500" in row.last_error
        assert row.next_attempt_at is not None
        assert row.next_attempt_at > timezone.now()

        Delivery.objects.filter(pk=row.pk).update(
            next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
        )
        delivery.retry_due()
        row.refresh_from_db()
        assert row.status == DeliveryStatus.SENT
        assert row.response_code == 200
        assert row.attempts == 2
        assert row.last_error == ""

    assert len(receiver.seen) == 2
    first, second = receiver.seen
    assert first["body"] == second["body"]
    for request in receiver.seen:
        assert valid_signature(secret, request["headers"], request["body"])
        assert request["headers"]["X-Waspada-Event"] == "alert"
        assert request["headers"]["X-Waspada-Delivery"] == str(row.pk)
        assert not valid_signature("another secret", request["headers"], request["body"])
    payload = json.loads(first["body"])
    assert payload["alert_id"] == alert.pk
    assert payload["area_code"] == "62.71"
    assert payload["area_name"] == "Kota Palangka Raya"
    assert payload["level"] == "siaga"
    assert payload["level_number"] == 2
    assert payload["previous_level"] == "waspada"
    assert payload["day"] == "2026-03-02"
    assert payload["score"] == 14.5
    assert payload["url"].endswith(f"/peringatan/{alert.pk}/")

    # Sent is final: another retry run and another attempt send nothing more.
    delivery.retry_due()
    delivery.attempt(row.pk)
    assert len(receiver.seen) == 2


@pytest.mark.django_db
def test_a_webhook_that_never_answers_is_failed_after_the_last_attempt_and_the_user_is_told_once(
    personas, settings, django_capture_on_commit_callbacks
):
    from waspada.notifications.models import Notification

    settings.WASPADA_WEBHOOK_MAX_ATTEMPTS = 3
    settings.WASPADA_WEBHOOK_TIMEOUT = 2
    leader = personas("leader_62")
    # A port nobody listens on: connection refused, a network error.
    with Receiver() as probe:
        dead_url = probe.url
    subscription, _secret = subscriptions.subscribe(
        actor=leader, area_code="62.71", channel=Channel.WEBHOOK, webhook_url=dead_url
    )
    alert = Alert.objects.create(
        area_id="62.71", day=dt.date(2026, 3, 2), level=3, previous_level=2, score=40.0
    )
    with django_capture_on_commit_callbacks(execute=True):
        delivery.fan_out(alert.pk)
    row = Delivery.objects.get(subscription=subscription)
    assert row.status == DeliveryStatus.RETRYING
    assert row.response_code is None
    assert row.last_error
    for _ in range(4):
        Delivery.objects.filter(pk=row.pk).update(
            next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
        )
        delivery.retry_due()
    row.refresh_from_db()
    assert row.status == DeliveryStatus.FAILED
    assert row.attempts == 3
    notices = Notification.objects.filter(user=leader, key=f"delivery-failed:{row.pk}")
    assert notices.count() == 1


def test_the_back_off_doubles_and_stops_at_an_hour():
    assert 60 <= delivery.backoff_seconds(1) <= 66
    assert 120 <= delivery.backoff_seconds(2) <= 132
    assert 3600 <= delivery.backoff_seconds(12) <= 3960
