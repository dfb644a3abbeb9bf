"""Item and event services: validation, scope, optimistic concurrency, status workflow, audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from waspada.accounts.testing import make_user
from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.models import AuditEntry
from waspada.events import services
from waspada.events.models import Event, Item, Term
from waspada.events.tests import fixtures_events as fx
from waspada.events.tests.fixtures_events import payload
from waspada.geo.services import load_boundaries
from waspada.reports.testing import make_item, make_report

pytestmark = pytest.mark.django_db
report_6271 = fx.report_6271
report_6201 = fx.report_6201


def _errors(exc_info) -> dict[str, list[str]]:
    return exc_info.value.errors


def _code(term: Term | None) -> str:
    assert term is not None
    return term.code


def _json(value: Any) -> Any:
    assert value is not None
    return value


class TestRecordItem:
    def test_it_creates_an_item_that_opens_an_event_and_audits_both(self, personas, report_6271):
        operator = personas("operator_6271")
        item = services.record_item(report_6271, actor=operator, data=payload())
        assert item.kind == "new"
        assert item.status == "draft"
        assert item.area_id == "62.71.02"
        assert _code(item.aspect) == "ekonomi"
        assert _json(item.acled_subtype).parent_id == item.acled_type_id
        assert [a.name for a in item.actors.all()] == ["Forum Warga Palangka"]
        assert _code(item.actors.get().actor_type) == "warga"
        event = item.event
        assert event == item.original_event
        assert event.title == item.title
        assert event.area_id == "62.71.02"
        assert event.first_occurred_at == item.occurred_at == event.last_occurred_at
        actions = list(AuditEntry.objects.order_by("seq").values_list("action", "area_code"))
        assert actions == [("event.opened", "62.71.02"), ("item.recorded", "62.71.02")]
        recorded = AuditEntry.objects.get(action="item.recorded")
        assert _json(recorded.after)["actors"][0]["name"] == "Forum Warga Palangka"

    def test_a_development_joins_the_named_event(self, personas, report_6271):
        operator = personas("operator_6271")
        first = services.record_item(report_6271, actor=operator, data=payload())
        later = timezone.now() - dt.timedelta(minutes=30)
        second = services.record_item(
            report_6271,
            actor=operator,
            data=payload(event=first.event_id, occurred_at=later, title="Massa bertambah"),
        )
        assert second.kind == "development"
        assert second.event_id == first.event_id
        event = Event.objects.get(pk=first.event_id)
        assert event.last_occurred_at == later
        assert event.first_occurred_at == first.occurred_at

    def test_the_event_takes_the_highest_classification_of_its_items(self, personas, report_6271):
        analyst = make_user("analyst_rahasia", "analyst", ["62"], clearance="rahasia")
        first = services.record_item(report_6271, actor=analyst, data=payload())
        services.record_item(
            report_6271,
            actor=analyst,
            data=payload(event=first.event_id, classification="rahasia"),
        )
        assert Event.objects.get(pk=first.event_id).classification == "rahasia"

    def test_it_refuses_a_classification_above_the_actors_clearance(self, personas, report_6271):
        with pytest.raises(InvalidInput) as exc:
            services.record_item(
                report_6271,
                actor=personas("operator_6271"),
                data=payload(classification="rahasia"),
            )
        assert "classification" in _errors(exc)

    def test_it_reports_every_bad_field_at_once_and_writes_nothing(self, personas, report_6271):
        future = timezone.now() + dt.timedelta(hours=2)
        bad = payload(
            occurred_at=future,
            aspect="tidak-ada",
            acled_subtype="armed-clash",
            deaths=-1,
            displaced=99_000_000,
            latitude=120,
            longitude=113,
            area="62.01.01",
            title="",
            unknown_field="x",
            actors=[{"name": "", "crowd_size": -5, "actor_type": "alien"}],
            election_issues=["hoaks", "bukan-isu"],
        )
        with pytest.raises(InvalidInput) as exc:
            services.record_item(report_6271, actor=personas("operator_6271"), data=bad)
        errors = _errors(exc)
        for key in (
            "occurred_at",
            "aspect",
            "acled_subtype",
            "deaths",
            "displaced",
            "latitude",
            "area",
            "title",
            "unknown_field",
            "actors.0.name",
            "actors.0.crowd_size",
            "actors.0.actor_type",
            "election_issues",
        ):
            assert key in errors, key
        assert "masa depan" in errors["occurred_at"][0]
        assert "negatif" in errors["deaths"][0]
        assert "tidak masuk akal" in errors["displaced"][0]
        assert "bukan bagian" in errors["acled_subtype"][0]
        assert "62.71" in errors["area"][0]
        assert Item.objects.count() == 0
        assert Event.objects.count() == 0
        assert AuditEntry.objects.count() == 0

    def test_a_few_minutes_of_clock_skew_are_allowed(self, personas, report_6271):
        soon = timezone.now() + dt.timedelta(minutes=3)
        item = services.record_item(
            report_6271, actor=personas("operator_6271"), data=payload(occurred_at=soon)
        )
        assert item.occurred_at == soon

    def test_an_inactive_term_is_refused_for_new_items(self, personas, report_6271):
        Term.objects.filter(axis="aspect", code="ekonomi").update(active=False)
        with pytest.raises(InvalidInput) as exc:
            services.record_item(report_6271, actor=personas("operator_6271"), data=payload())
        assert "tidak dipakai" in _errors(exc)["aspect"][0]

    def test_an_acled_subtype_alone_fills_its_type(self, personas, report_6271):
        data = payload(acled_subtype="mob-violence")
        del data["acled_type"]
        item = services.record_item(report_6271, actor=personas("operator_6271"), data=data)
        assert _code(item.acled_type) == "riots"

    def test_without_an_area_the_report_area_is_used(self, personas, report_6271):
        data = payload()
        del data["area"]
        item = services.record_item(report_6271, actor=personas("operator_6271"), data=data)
        assert item.area_id == "62.71"
        assert item.location_precision == "regency"

    def test_a_development_of_an_event_outside_scope_is_refused(
        self, personas, report_6271, report_6201
    ):
        other = services.record_item(
            report_6201,
            actor=personas("operator_6201"),
            data=payload(area="62.01.01"),
        )
        with pytest.raises(InvalidInput) as exc:
            services.record_item(
                report_6271, actor=personas("operator_6271"), data=payload(event=other.event_id)
            )
        assert "event" in _errors(exc)

    def test_a_development_of_a_hidden_rahasia_event_is_refused(self, personas, report_6271):
        secret = make_item(report_6271, classification="rahasia")
        with pytest.raises(InvalidInput) as exc:
            services.record_item(
                report_6271, actor=personas("operator_6271"), data=payload(event=secret.event_id)
            )
        assert _errors(exc)["event"] == ["Kejadian tidak ditemukan atau di luar wilayah Anda."]

    def test_a_development_of_a_closed_event_is_refused(self, personas, report_6271):
        item = make_item(report_6271)
        Event.objects.filter(pk=item.event_id).update(status="closed")
        with pytest.raises(InvalidInput) as exc:
            services.record_item(
                report_6271, actor=personas("operator_6271"), data=payload(event=item.event_id)
            )
        assert "ditutup" in _errors(exc)["event"][0]

    def test_a_report_outside_scope_is_not_found(self, personas, report_6201):
        with pytest.raises(OutOfScope):
            services.record_item(report_6201, actor=personas("operator_6271"), data=payload())

    def test_a_leader_may_not_file_items(self, personas, report_6271):
        with pytest.raises(PermissionDenied):
            services.record_item(report_6271, actor=personas("leader_62"), data=payload())

    def test_a_submitted_report_takes_no_more_items(self, personas):
        report = make_report("62.71", status="submitted")
        with pytest.raises(Conflict):
            services.record_item(report, actor=personas("operator_6271"), data=payload())

    def test_an_item_of_a_returned_report_is_returned_too(self, personas):
        report = make_report("62.71", status="returned")
        item = services.record_item(report, actor=personas("operator_6271"), data=payload())
        assert item.status == "returned"


class TestReverseGeocoding:
    @pytest.fixture
    def boundaries(self, db, tmp_path):
        from waspada.geo import boundaryfiles
        from waspada.geo.tests import data

        folder = data.write_boundaries(tmp_path / "boundaries")
        features, _files = boundaryfiles.read_directory(folder)
        return load_boundaries(features, source=str(folder))

    def test_a_pin_without_a_finer_area_fills_the_kecamatan(
        self, personas, report_6271, boundaries
    ):
        data = payload(latitude=-2.2, longitude=115.0)
        del data["area"]
        item = services.record_item(report_6271, actor=personas("operator_6271"), data=data)
        assert item.area_id == "62.71.02"
        assert item.latitude == Decimal("-2.200000")
        assert item.location_precision == "exact"

    def test_a_pin_outside_the_report_area_is_refused(self, personas, report_6271, boundaries):
        data = payload(area="", latitude=-2.0, longitude=111.0)
        with pytest.raises(InvalidInput) as exc:
            services.record_item(report_6271, actor=personas("operator_6271"), data=data)
        assert "latitude" in _errors(exc)

    def test_a_given_kecamatan_is_kept(self, personas, report_6271, boundaries):
        data = payload(area="62.71.01", latitude=-2.2, longitude=115.0)
        item = services.record_item(report_6271, actor=personas("operator_6271"), data=data)
        assert item.area_id == "62.71.01"

    def test_without_boundaries_the_pin_is_kept_and_the_report_area_used(
        self, personas, report_6271
    ):
        data = payload(area="", latitude=-2.2, longitude=115.0)
        item = services.record_item(report_6271, actor=personas("operator_6271"), data=data)
        assert item.area_id == "62.71"
        assert item.longitude == Decimal("115.000000")

    def test_only_one_coordinate_is_refused(self, personas, report_6271):
        with pytest.raises(InvalidInput) as exc:
            services.record_item(
                report_6271, actor=personas("operator_6271"), data=payload(latitude=-2.2)
            )
        assert "longitude" in _errors(exc)


class TestUpdateItem:
    def test_it_changes_only_the_given_fields_and_bumps_the_version(self, personas, report_6271):
        operator = personas("operator_6271")
        item = services.record_item(report_6271, actor=operator, data=payload())
        updated = services.update_item(
            item, actor=operator, version=1, data={"deaths": 1, "aspect": "politik"}
        )
        assert updated.version == 2
        assert updated.deaths == 1
        assert _code(updated.aspect) == "politik"
        assert updated.title == payload()["title"]
        assert updated.actors.count() == 1
        entry = AuditEntry.objects.get(action="item.updated")
        assert _json(entry.before)["deaths"] == 0 and _json(entry.after)["deaths"] == 1
        assert entry.area_code == "62.71.02"

    def test_a_stale_version_is_a_conflict_and_changes_nothing(self, personas, report_6271):
        operator = personas("operator_6271")
        item = services.record_item(report_6271, actor=operator, data=payload())
        services.update_item(item, actor=operator, version=1, data={"deaths": 1})
        with pytest.raises(Conflict):
            services.update_item(item, actor=operator, version=1, data={"deaths": 5})
        item.refresh_from_db()
        assert item.deaths == 1 and item.version == 2

    def test_the_event_an_item_opened_follows_its_title(self, personas, report_6271):
        operator = personas("operator_6271")
        item = services.record_item(report_6271, actor=operator, data=payload())
        services.update_item(item, actor=operator, version=1, data={"title": "Judul baru"})
        assert Event.objects.get(pk=item.event_id).title == "Judul baru"

    def test_actors_are_replaced_when_given(self, personas, report_6271):
        operator = personas("operator_6271")
        item = services.record_item(report_6271, actor=operator, data=payload())
        services.update_item(
            item,
            actor=operator,
            version=1,
            data={"actors": [{"name": "PT Sawit"}, {"name": "Polres", "actor_type": "polri"}]},
        )
        assert [a.name for a in item.actors.all()] == ["PT Sawit", "Polres"]

    def test_a_retired_term_the_item_already_has_may_stay(self, personas, report_6271):
        operator = personas("operator_6271")
        item = services.record_item(report_6271, actor=operator, data=payload())
        Term.objects.filter(axis="aspect", code="ekonomi").update(active=False)
        services.update_item(item, actor=operator, version=1, data={"deaths": 2})
        item.refresh_from_db()
        assert _code(item.aspect) == "ekonomi"

    def test_the_event_of_an_item_cannot_be_changed(self, personas, report_6271):
        operator = personas("operator_6271")
        a = services.record_item(report_6271, actor=operator, data=payload())
        b = services.record_item(report_6271, actor=operator, data=payload(title="Lain"))
        with pytest.raises(InvalidInput) as exc:
            services.update_item(b, actor=operator, version=1, data={"event": a.event_id})
        assert "event" in _errors(exc)

    def test_an_item_of_a_submitted_report_cannot_be_changed(self, personas):
        report = make_report("62.71", status="submitted")
        item = make_item(report)
        with pytest.raises(Conflict):
            services.update_item(item, actor=personas("operator_6271"), version=1, data={})

    def test_an_item_above_clearance_is_not_found(self, personas, report_6271):
        item = make_item(report_6271, classification="rahasia")
        with pytest.raises(OutOfScope):
            services.update_item(item, actor=personas("operator_6271"), version=1, data={})


class TestRemoveItem:
    def test_it_removes_the_item_and_the_event_it_opened(self, personas, report_6271):
        operator = personas("operator_6271")
        item = services.record_item(report_6271, actor=operator, data=payload())
        event_id = item.event_id
        services.remove_item(item, actor=operator)
        assert not Item.objects.exists()
        assert not Event.objects.filter(pk=event_id).exists()
        actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
        assert actions[-2:] == ["item.removed", "event.deleted"]

    def test_an_event_with_other_items_stays(self, personas, report_6271):
        operator = personas("operator_6271")
        first = services.record_item(report_6271, actor=operator, data=payload())
        services.record_item(report_6271, actor=operator, data=payload(event=first.event_id))
        services.remove_item(first, actor=operator)
        assert Event.objects.filter(pk=first.event_id).exists()

    def test_outside_scope_it_is_not_found(self, personas, report_6271):
        item = make_item(report_6271)
        with pytest.raises(OutOfScope):
            services.remove_item(item, actor=personas("operator_6201"))


class TestSetItemsStatus:
    def test_it_mirrors_the_report_status_and_keeps_events_current(self, personas, report_6271):
        item = make_item(report_6271)
        Event.objects.filter(pk=item.event_id).update(first_occurred_at=None)
        assert services.set_items_status(report_6271, "submitted") == 1
        item.refresh_from_db()
        assert item.status == "submitted"
        assert Event.objects.get(pk=item.event_id).first_occurred_at == item.occurred_at


class TestChangeEventStatus:
    def test_it_follows_the_workflow_and_audits(self, personas, report_6271):
        analyst = personas("analyst_62")
        event = make_item(report_6271).event
        event = services.change_event_status(event, actor=analyst, status="monitored", version=1)
        event = services.change_event_status(event, actor=analyst, status="resolved", version=2)
        event = services.change_event_status(event, actor=analyst, status="monitored", version=3)
        event = services.change_event_status(event, actor=analyst, status="resolved", version=4)
        event = services.change_event_status(event, actor=analyst, status="closed", version=5)
        assert event.status == "closed" and event.version == 6
        entries = AuditEntry.objects.filter(action="event.status_changed").order_by("seq")
        assert [_json(e.after)["status"] for e in entries] == [
            "monitored",
            "resolved",
            "monitored",
            "resolved",
            "closed",
        ]
        assert _json(entries[0].before)["status"] == "open"

    def test_a_skipped_step_is_refused(self, personas, report_6271):
        event = make_item(report_6271).event
        with pytest.raises(InvalidInput) as exc:
            services.change_event_status(
                event, actor=personas("analyst_62"), status="closed", version=1
            )
        assert "status" in _errors(exc)

    def test_a_stale_version_is_a_conflict(self, personas, report_6271):
        analyst = personas("analyst_62")
        event = make_item(report_6271).event
        services.change_event_status(event, actor=analyst, status="monitored", version=1)
        with pytest.raises(Conflict):
            services.change_event_status(event, actor=analyst, status="monitored", version=1)

    def test_an_operator_may_not_and_another_province_cannot_see_it(self, personas, report_6271):
        event = make_item(report_6271).event
        with pytest.raises(PermissionDenied):
            services.change_event_status(
                event, actor=personas("operator_6271"), status="monitored", version=1
            )
        with pytest.raises(OutOfScope):
            services.change_event_status(
                event, actor=personas("analyst_63"), status="monitored", version=1
            )


class TestTerms:
    def test_a_national_admin_adds_and_edits_a_term_with_audit(self, personas):
        admin = personas("national_admin")
        term = services.create_term(
            actor=admin,
            axis="acled_subtype",
            code="blockade",
            label="Blokade jalan",
            parent="protests",
            weight="1.25",
        )
        assert _code(term.parent) == "protests"
        services.update_term(term, actor=admin, label="Blokade", active=False)
        term.refresh_from_db()
        assert term.label == "Blokade" and not term.active
        actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
        assert actions == ["term.created", "term.updated"]

    def test_bad_terms_are_refused(self, personas):
        admin = personas("national_admin")
        with pytest.raises(InvalidInput) as exc:
            services.create_term(
                actor=admin, axis="aspect", code="ekonomi", label="", parent="protests"
            )
        assert set(_errors(exc)) == {"code", "label", "parent"}
        with pytest.raises(InvalidInput) as exc:
            services.create_term(actor=admin, axis="acled_subtype", code="x", label="X")
        assert "parent" in _errors(exc)

    def test_only_a_national_admin_edits_taxonomies(self, personas):
        term = Term.objects.get(axis="aspect", code="ekonomi")
        with pytest.raises(PermissionDenied):
            services.update_term(term, actor=personas("area_admin_62"), label="X")
