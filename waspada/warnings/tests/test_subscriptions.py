"""Services: subscribe/update/unsubscribe, acknowledge, comment (scope, validation, audit)."""

from __future__ import annotations

import datetime as dt

import pytest

from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.models import AuditEntry
from waspada.warnings import subscriptions as services
from waspada.warnings.choices import Channel, DigestMode, RiskLevel
from waspada.warnings.models import Alert, AlertAcknowledgement, AlertComment


def make_alert(area="62.71"):
    return Alert.objects.create(
        area_id=area,
        day=dt.date(2026, 3, 2),
        level=RiskLevel.SIAGA,
        previous_level=RiskLevel.WASPADA,
        score=13.0,
    )


@pytest.mark.django_db
class TestSubscribe:
    def test_it_subscribes_inside_the_scope_and_audits_without_secrets(self, personas):
        leader = personas("leader_62")
        subscription, secret = services.subscribe(
            actor=leader,
            area_code="62.71",
            channel=Channel.WEBHOOK,
            min_level=RiskLevel.SIAGA,
            digest=DigestMode.DAILY,
            webhook_url="https://hooks.example.test/waspada",
        )
        assert len(secret) == 64 and subscription.webhook_secret == secret
        assert subscription.min_level == RiskLevel.SIAGA
        entry = AuditEntry.objects.get(action="subscription.created")
        assert entry.area_code == "62.71"
        assert secret not in str(entry.after)
        assert subscription.unsubscribe_token not in str(entry.after)

    def test_other_channels_get_no_secret(self, personas):
        subscription, secret = services.subscribe(
            actor=personas("leader_62"), area_code="62", channel=Channel.INBOX
        )
        assert secret == "" and subscription.webhook_secret == ""

    @pytest.mark.parametrize(
        ("persona", "area"),
        [("analyst_63", "62.71"), ("operator_6201", "62.71"), ("operator_6271", "62")],
    )
    def test_an_area_outside_the_scope_is_refused_as_not_found(self, personas, persona, area):
        with pytest.raises(OutOfScope):
            services.subscribe(actor=personas(persona), area_code=area, channel=Channel.INBOX)

    @pytest.mark.parametrize(
        "url", ["", "ftp://example.test/x", "javascript:alert(1)", "file:///etc/passwd", "http://"]
    )
    def test_a_webhook_url_must_be_http_or_https(self, personas, url):
        with pytest.raises(InvalidInput) as caught:
            services.subscribe(
                actor=personas("leader_62"),
                area_code="62",
                channel=Channel.WEBHOOK,
                webhook_url=url,
            )
        assert "webhook_url" in caught.value.errors

    def test_bad_fields_are_reported_per_field(self, personas):
        with pytest.raises(InvalidInput) as caught:
            services.subscribe(
                actor=personas("leader_62"),
                area_code="62",
                channel="sms",
                digest="weekly",
                min_level=9,
            )
        assert set(caught.value.errors) == {"channel", "digest", "min_level"}

    def test_the_same_active_subscription_twice_is_a_conflict(self, personas):
        leader = personas("leader_62")
        services.subscribe(actor=leader, area_code="62", channel=Channel.EMAIL)
        with pytest.raises(Conflict):
            services.subscribe(actor=leader, area_code="62", channel=Channel.EMAIL)

    def test_update_and_unsubscribe_only_ones_own(self, personas):
        leader = personas("leader_62")
        subscription, _ = services.subscribe(actor=leader, area_code="62", channel=Channel.INBOX)
        with pytest.raises(OutOfScope):
            services.update_subscription(
                subscription, actor=personas("analyst_62"), min_level=RiskLevel.AWAS
            )
        with pytest.raises(OutOfScope):
            services.unsubscribe(subscription, actor=personas("area_admin_62"))
        services.update_subscription(subscription, actor=leader, min_level=RiskLevel.AWAS)
        subscription.refresh_from_db()
        assert subscription.min_level == RiskLevel.AWAS
        services.unsubscribe(subscription, actor=leader)
        services.unsubscribe(subscription, actor=leader)  # again: harmless, audited once
        subscription.refresh_from_db()
        assert not subscription.active
        assert AuditEntry.objects.filter(action="subscription.deactivated").count() == 1
        # Deactivated: the same subscription may be made again.
        services.subscribe(actor=leader, area_code="62", channel=Channel.INBOX)


@pytest.mark.django_db
class TestAcknowledgeAndComment:
    def test_acknowledging_is_idempotent_and_audited_once(self, personas):
        leader = personas("leader_62")
        alert = make_alert()
        first = services.acknowledge(alert, actor=leader)
        second = services.acknowledge(alert, actor=leader)
        assert first.pk == second.pk
        assert AlertAcknowledgement.objects.count() == 1
        entries = AuditEntry.objects.filter(action="alert.acknowledged")
        assert entries.count() == 1
        assert entries.get().area_code == "62.71"

    @pytest.mark.parametrize("persona", ["analyst_63", "operator_6201"])
    def test_users_outside_the_area_can_neither_acknowledge_nor_comment(self, personas, persona):
        alert = make_alert()
        with pytest.raises(OutOfScope):
            services.acknowledge(alert, actor=personas(persona))
        with pytest.raises(OutOfScope):
            services.comment(alert, actor=personas(persona), body="Saya lihat")
        assert not AlertAcknowledgement.objects.exists()
        assert not AlertComment.objects.exists()

    def test_a_comment_is_saved_and_audited_and_must_not_be_empty(self, personas):
        operator = personas("operator_6271")
        alert = make_alert()
        note = services.comment(alert, actor=operator, body="  Tim sudah ke lokasi.  ")
        assert note.body == "Tim sudah ke lokasi."
        assert AuditEntry.objects.filter(action="alert.commented", area_code="62.71").exists()
        with pytest.raises(InvalidInput):
            services.comment(alert, actor=operator, body="   ")
        with pytest.raises(InvalidInput):
            services.comment(alert, actor=operator, body="x" * 4001)
