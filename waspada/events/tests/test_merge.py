"""Merging duplicate events keeps every item and source and is reversible through the history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from waspada.accounts.testing import make_user
from waspada.core.errors import InvalidInput, OutOfScope
from waspada.core.models import AuditEntry
from waspada.events import selectors, services
from waspada.events.models import Event, Item
from waspada.events.tests import fixtures_events as fx
from waspada.events.tests.fixtures_events import payload
from waspada.reports.testing import make_report

pytestmark = pytest.mark.django_db
report_6271 = fx.report_6271


@pytest.fixture
def pair(personas, report_6271):
    """Two events of the same matter: the target with two items, the duplicate with one."""
    operator = personas("operator_6271")
    target = services.record_item(report_6271, actor=operator, data=payload(source="Lurah"))
    services.record_item(
        report_6271, actor=operator, data=payload(event=target.event_id, source="Camat")
    )
    duplicate = services.record_item(
        report_6271, actor=operator, data=payload(source="Kapolsek", deaths=1)
    )
    return target.event, duplicate.event


def _items(event: Event) -> set[int]:
    return set(Item.objects.filter(event=event).values_list("pk", flat=True))


class TestMerge:
    def test_merge_then_unmerge_restores_both_timelines(self, personas, pair):
        analyst = personas("analyst_62")
        target, duplicate = pair
        target_items, duplicate_items = _items(target), _items(duplicate)

        services.merge_events(target=target, duplicate=duplicate, actor=analyst)
        duplicate.refresh_from_db()
        assert duplicate.merged_into_id == target.pk
        assert _items(target) == target_items | duplicate_items
        assert _items(duplicate) == set()
        sources = {i.source for i in selectors.event_timeline(analyst, target)}
        assert sources == {"Lurah", "Camat", "Kapolsek"}
        moved = Item.objects.get(pk=next(iter(duplicate_items)))
        assert moved.original_event_id == duplicate.pk
        assert duplicate.pk not in {e.pk for e in selectors.list_events(analyst)}
        assert selectors.get_event(analyst, duplicate.pk) == duplicate
        assert [e.pk for e in selectors.merged_duplicates(analyst, target)] == [duplicate.pk]

        services.unmerge_event(duplicate, actor=analyst)
        duplicate.refresh_from_db()
        assert duplicate.merged_into_id is None
        assert _items(target) == target_items
        assert _items(duplicate) == duplicate_items
        assert duplicate.pk in {e.pk for e in selectors.list_events(analyst)}

    def test_both_histories_show_the_merge_and_the_unmerge(self, personas, pair):
        analyst = personas("analyst_62")
        target, duplicate = pair
        services.merge_events(target=target, duplicate=duplicate, actor=analyst)
        services.unmerge_event(Event.objects.get(pk=duplicate.pk), actor=analyst)
        assert [e.action for e in selectors.event_history(analyst, target)][-2:] == [
            "event.merged_in",
            "event.unmerged_from",
        ]
        moved = Item.objects.get(event=duplicate)
        actions = [e.action for e in selectors.item_history(analyst, moved)]
        assert actions[-2:] == ["event.merged", "event.unmerged"]
        merged = AuditEntry.objects.get(action="event.merged")
        assert merged.after is not None and merged.after["items_moved"] == [moved.pk]
        assert merged.area_code == duplicate.area_id

    def test_the_target_takes_the_duplicates_classification(self, personas, report_6271):
        cleared = make_user("analyst_rahasia", "analyst", ["62"], clearance="rahasia")
        target = services.record_item(report_6271, actor=cleared, data=payload()).event
        duplicate = services.record_item(
            report_6271, actor=cleared, data=payload(classification="rahasia")
        ).event
        services.merge_events(target=target, duplicate=duplicate, actor=cleared)
        target.refresh_from_db()
        assert target.classification == "rahasia"
        services.unmerge_event(Event.objects.get(pk=duplicate.pk), actor=cleared)
        target.refresh_from_db()
        assert target.classification == "biasa"

    def test_unmerging_a_duplicate_brings_back_what_was_merged_into_it(self, personas, pair):
        analyst = personas("analyst_62")
        target, duplicate = pair
        third = services.record_item(
            make_report("62.71", report_type="khusus"),
            actor=personas("operator_6271"),
            data=payload(),
        ).event
        third_items = _items(third)
        services.merge_events(target=duplicate, duplicate=third, actor=analyst)
        services.merge_events(target=target, duplicate=duplicate, actor=analyst)
        assert _items(third) == set()
        services.unmerge_event(Event.objects.get(pk=duplicate.pk), actor=analyst)
        assert third_items <= _items(duplicate)
        assert Event.objects.get(pk=third.pk).merged_into_id == duplicate.pk
        services.unmerge_event(Event.objects.get(pk=third.pk), actor=analyst)
        assert _items(third) == third_items

    def test_bad_merges_are_refused(self, personas, pair):
        analyst = personas("analyst_62")
        target, duplicate = pair
        with pytest.raises(InvalidInput):
            services.merge_events(target=target, duplicate=target, actor=analyst)
        services.merge_events(target=target, duplicate=duplicate, actor=analyst)
        duplicate.refresh_from_db()
        with pytest.raises(InvalidInput):
            services.merge_events(target=target, duplicate=duplicate, actor=analyst)
        with pytest.raises(InvalidInput):
            services.merge_events(target=duplicate, duplicate=target, actor=analyst)
        with pytest.raises(InvalidInput):
            services.unmerge_event(target, actor=analyst)

    def test_only_reviewers_in_scope_may_merge(self, personas, pair):
        target, duplicate = pair
        with pytest.raises(PermissionDenied):
            services.merge_events(
                target=target, duplicate=duplicate, actor=personas("operator_6271")
            )
        with pytest.raises(OutOfScope):
            services.merge_events(target=target, duplicate=duplicate, actor=personas("analyst_63"))
        assert Event.objects.get(pk=duplicate.pk).merged_into_id is None

    def test_a_merged_event_takes_no_new_developments(self, personas, pair, report_6271):
        target, duplicate = pair
        services.merge_events(target=target, duplicate=duplicate, actor=personas("analyst_62"))
        with pytest.raises(InvalidInput) as exc:
            services.record_item(
                report_6271, actor=personas("operator_6271"), data=payload(event=duplicate.pk)
            )
        assert "digabung" in exc.value.errors["event"][0]
