"""Response events reach the signed webhooks of the area's subscriptions: a real receiver
(http.server on a thread) sees the directive issued, a follow-up, the overdue escalation and a
case's stages, signed; a 500 is retried; nothing reaches a subscriber outside the area or without
clearance; the same event is never delivered twice."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from waspada.accounts.testing import make_user
from waspada.reports.testing import make_item, make_report
from waspada.response import webhooks
from waspada.response.models import DirectiveAssignment, WebhookDelivery
from waspada.response.services import cases as case_services
from waspada.response.services import directives as directive_services
from waspada.response.tests.factories import make_agency
from waspada.warnings import subscriptions
from waspada.warnings.choices import Channel, DeliveryStatus
from waspada.warnings.tests.test_webhook import Receiver, valid_signature

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet_proxy(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


def events_seen(receiver) -> list[str]:
    return [json.loads(r["body"])["event"] for r in receiver.seen]


def test_directive_and_case_events_reach_the_areas_webhook_signed(
    personas, quiet_proxy, django_capture_on_commit_callbacks
):
    leader = personas("leader_62")
    analyst = personas("analyst_62")
    outsider = personas("analyst_63")
    with Receiver() as receiver:
        subscription, secret = subscriptions.subscribe(
            actor=leader, area_code="62", channel=Channel.WEBHOOK, webhook_url=receiver.url
        )
        subscriptions.subscribe(
            actor=outsider, area_code="63", channel=Channel.WEBHOOK, webhook_url=receiver.url
        )
        polres = make_agency("62.71", "Polresta Palangka Raya", kind="polri")
        with django_capture_on_commit_callbacks(execute=True):
            directive = directive_services.issue_directive(
                actor=leader,
                area_code="62.71",
                title="Amankan lokasi",
                instruction="Siagakan personel.",
                due_date=timezone.localdate() + dt.timedelta(days=2),
                priority="high",
                agency_ids=[polres.pk],
            )
        # The first POST was answered 500: the delivery waits for its retry.
        first = WebhookDelivery.objects.get(event="directive.issued")
        assert first.status == DeliveryStatus.RETRYING and first.attempts == 1
        WebhookDelivery.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now())
        assert webhooks.retry_due()["attempted"] == 1
        first.refresh_from_db()
        assert first.status == DeliveryStatus.SENT and first.response_code == 200

        assignment = DirectiveAssignment.objects.get(directive=directive)
        with django_capture_on_commit_callbacks(execute=True):
            directive_services.record_follow_up(
                assignment,
                actor=analyst,
                version=assignment.version,
                status="done",
                note="Selesai.",
            )
        report = make_report("62.71", created_by=personas("operator_6271"))
        event = make_item(report, status="verified").event
        with django_capture_on_commit_callbacks(execute=True):
            case = case_services.open_case(actor=analyst, event_ids=[event.pk], title="Kasus")
            case_services.move_stage(
                case, actor=analyst, version=case.version, to_stage="pemulihan"
            )

    seen = events_seen(receiver)
    assert seen[:2] == ["directive.issued", "directive.issued"]  # 500, then the retry
    for name in ("directive.follow_up", "directive.completed", "case.opened", "case.stage_changed"):
        assert name in seen, (name, seen)
    # Every body is signed with the subscriber's secret; none went to the subscription of 63.
    assert all(valid_signature(secret, r["headers"], r["body"]) for r in receiver.seen)
    assert set(WebhookDelivery.objects.values_list("subscription_id", flat=True)) == {
        subscription.pk
    }
    body = json.loads(receiver.seen[-1]["body"])
    assert body["area"] == "62.71" and body["url"].endswith(f"/respons/kasus/{case.pk}/")


def test_the_same_event_is_delivered_once_and_not_to_the_uncleared(personas):
    leader = personas("leader_62")
    subscriptions.subscribe(
        actor=leader, area_code="62", channel=Channel.WEBHOOK, webhook_url="http://127.0.0.1:9/x"
    )
    cleared = make_user("pimpinan_rahasia", "leader", ["62"], clearance="rahasia")
    subscriptions.subscribe(
        actor=cleared,
        area_code="62.71",
        channel=Channel.WEBHOOK,
        webhook_url="http://127.0.0.1:9/y",
    )
    kwargs: dict[str, Any] = {
        "key": "directive.issued:1",
        "area_code": "62.71",
        "title": "Arahan rahasia",
        "url": "/respons/arahan/1/",
    }
    assert webhooks.publish("directive.issued", classification="rahasia", **kwargs) == 1
    assert webhooks.publish("directive.issued", classification="rahasia", **kwargs) == 0
    assert WebhookDelivery.objects.get().subscription.user == cleared
