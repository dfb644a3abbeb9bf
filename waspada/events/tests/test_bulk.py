"""events.bulk.record_clean_items: the batch form of record_item used by the report import."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from waspada.core import audit
from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.models import AuditEntry
from waspada.events import validation
from waspada.events.bulk import record_clean_items
from waspada.events.models import Event, Item, ItemActor
from waspada.reports.testing import make_item, make_report

pytestmark = pytest.mark.django_db


def clean(report, actor, **data):
    base = {
        "title": "Unjuk rasa warga menolak perluasan kebun sawit",
        "chronology": "Sekitar 200 warga berkumpul di depan kantor desa.",
        "occurred_at": timezone.now() - dt.timedelta(hours=3),
        "area": "62.71.02",
        "aspect": "ekonomi",
    }
    base.update(data)
    return validation.clean_item_data(report, base, actor=actor)


def test_it_writes_what_record_item_writes_for_every_item_in_one_go(operator_6271):
    report = make_report("62.71", created_by=operator_6271)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    earlier = make_item(make_report("62.71", created_by=operator_6271, period_start=yesterday))
    items = [
        clean(
            report,
            operator_6271,
            actors=[{"name": "PT Sawit", "actor_type": "perusahaan"}],
            election_issues=["hoaks", "intimidasi"],
            classification="terbatas",
        ),
        clean(report, operator_6271, title="Kedua", area="62.71.01"),
        clean(
            report,
            operator_6271,
            title="Perkembangan",
            event=earlier.event_id,
            occurred_at=timezone.now() - dt.timedelta(minutes=30),
        ),
    ]
    created = record_clean_items(report, actor=operator_6271, items=items)
    assert [i.kind for i in created] == ["new", "new", "development"]
    assert Item.objects.filter(report=report).count() == 3
    first = Item.objects.get(pk=created[0].pk)
    assert first.status == "draft"
    assert first.event.title == first.title
    assert first.event.classification == "terbatas"
    assert [a.name for a in ItemActor.objects.filter(item=first)] == ["PT Sawit"]
    assert sorted(first.election_issues.values_list("code", flat=True)) == [
        "hoaks",
        "intimidasi",
    ]
    assert Item.objects.get(pk=created[2].pk).event_id == earlier.event_id
    earlier.event.refresh_from_db()
    assert earlier.event.last_occurred_at == created[2].occurred_at
    recorded = AuditEntry.objects.filter(action="item.recorded").order_by("seq")
    assert [e.object_id for e in recorded] == [str(i.pk) for i in created]
    assert recorded[0].classification == "terbatas"
    assert dict(recorded[0].after or {})["actors"][0]["name"] == "PT Sawit"
    assert AuditEntry.objects.filter(action="event.opened").count() == 2
    assert audit.verify_chain().ok


def test_it_writes_nothing_when_one_item_breaks_a_rule(operator_6271):
    report = make_report("62.71", created_by=operator_6271)
    closed = make_item(report)
    Event.objects.filter(pk=closed.event_id).update(status="closed")
    good = clean(report, operator_6271)
    outside = clean(report, operator_6271)
    outside.fields["area"] = make_report("62.01").area
    secret = clean(report, operator_6271)
    secret.fields["classification"] = "rahasia"
    development = clean(report, operator_6271)
    development.event = closed.event
    with pytest.raises(InvalidInput) as caught:
        record_clean_items(report, actor=operator_6271, items=[good, outside, secret, development])
    assert set(caught.value.errors) == {"1.area", "2.classification", "3.event"}
    assert Item.objects.count() == 1
    assert not AuditEntry.objects.filter(action="item.recorded").exists()


def test_it_refuses_a_report_no_longer_editable_or_out_of_scope(operator_6271, personas):
    report = make_report("62.71", created_by=operator_6271, status="submitted")
    with pytest.raises(Conflict):
        record_clean_items(report, actor=operator_6271, items=[clean(report, operator_6271)])
    with pytest.raises(OutOfScope):
        record_clean_items(
            report, actor=personas("operator_6201"), items=[clean(report, operator_6271)]
        )
    assert not Item.objects.exists()


def test_an_election_issue_named_twice_is_linked_once_as_record_item_does(operator_6271):
    report = make_report("62.71", created_by=operator_6271)
    twice = clean(report, operator_6271, election_issues=["hoaks", "intimidasi"])
    twice.election_issues = [*twice.election_issues, twice.election_issues[0]]
    (item,) = record_clean_items(report, actor=operator_6271, items=[twice])
    assert sorted(item.election_issues.values_list("code", flat=True)) == ["hoaks", "intimidasi"]
    after = AuditEntry.objects.get(action="item.recorded").after or {}
    assert len(after["election_issues"]) == 2


def test_it_refuses_a_merged_event_and_a_time_before_1945_as_validation_does(operator_6271):
    report = make_report("62.71", created_by=operator_6271)
    target, duplicate = make_item(report), make_item(report)
    Event.objects.filter(pk=duplicate.event_id).update(merged_into=target.event_id)
    development = clean(report, operator_6271)
    development.event = duplicate.event
    ancient = clean(report, operator_6271)
    ancient.fields["occurred_at"] = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
    with pytest.raises(InvalidInput) as caught:
        record_clean_items(report, actor=operator_6271, items=[development, ancient])
    assert caught.value.errors["0.event"] == [
        f"Kejadian ini telah digabung ke KJD-{target.event_id:06d}; pilih kejadian tersebut."
    ]
    assert caught.value.errors["1.occurred_at"] == ["Waktu tidak masuk akal."]
