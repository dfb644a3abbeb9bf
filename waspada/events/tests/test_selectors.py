"""Selectors: scope AND clearance on every read, filters, timelines, history, duplicates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from waspada.accounts.testing import ensure_area, make_user
from waspada.core.errors import InvalidInput
from waspada.events import selectors, services
from waspada.events.models import Event
from waspada.events.tests import fixtures_events as fx
from waspada.events.tests.fixtures_events import payload
from waspada.reports.testing import make_item, make_report, term

pytestmark = pytest.mark.django_db
report_6271 = fx.report_6271
report_6201 = fx.report_6201
SECRET_TITLE = "Rencana aksi kelompok bersenjata di Jekan Raya"


@pytest.fixture
def stage(personas, report_6271, report_6201):
    """A biasa and a rahasia item in 62.71, a biasa item in 62.01 and one in 63.71."""
    plain = make_item(report_6271, title="Unjuk rasa sopir angkutan")
    secret = make_item(
        report_6271,
        title=SECRET_TITLE,
        chronology="Informasi intelijen tentang rencana penyerangan pos.",
        classification="rahasia",
    )
    other = make_item(report_6201, title="Sengketa batas desa", area_code="62.01.01")
    ensure_area("63.71")
    far = make_item(make_report("63.71"), title="Bentrok warga di Banjarmasin")
    return {"plain": plain, "secret": secret, "other": other, "far": far}


def _titles(qs) -> set[str]:
    return {i.title for i in qs}


class TestClearance:
    def test_a_rahasia_item_is_invisible_to_a_terbatas_analyst_everywhere(self, personas, stage):
        analyst = personas("analyst_62")
        assert analyst.clearance == "terbatas"
        secret = stage["secret"]
        assert SECRET_TITLE not in _titles(selectors.list_items(analyst))
        assert selectors.visible_items(analyst).count() == 2
        assert not selectors.list_items(analyst, {"q": "bersenjata"}).exists()
        assert not selectors.list_items(analyst, {"classification": "rahasia"}).exists()
        with pytest.raises(Http404):
            selectors.get_item(analyst, secret.pk)
        with pytest.raises(Http404):
            selectors.get_event(analyst, secret.event_id)
        assert secret.event_id not in {e.pk for e in selectors.list_events(analyst)}
        assert not selectors.list_events(analyst, {"q": "bersenjata"}).exists()

    def test_a_rahasia_cleared_analyst_sees_it(self, stage):
        cleared = make_user("analyst_62_rahasia", "analyst", ["62"], clearance="rahasia")
        secret = stage["secret"]
        assert SECRET_TITLE in _titles(selectors.list_items(cleared))
        assert selectors.visible_items(cleared).count() == 3
        assert _titles(selectors.list_items(cleared, {"q": "bersenjata"})) == {SECRET_TITLE}
        assert selectors.get_item(cleared, secret.pk) == secret
        assert selectors.get_event(cleared, secret.event_id).classification == "rahasia"

    def test_a_national_admin_is_still_bound_by_clearance_but_a_superuser_is_not(
        self, personas, stage
    ):
        admin = personas("national_admin")
        assert _titles(selectors.list_items(admin)) == {
            "Unjuk rasa sopir angkutan",
            "Sengketa batas desa",
            "Bentrok warga di Banjarmasin",
        }
        root = make_user("root", "national_admin", [], is_superuser=True, clearance="biasa")
        assert SECRET_TITLE in _titles(selectors.list_items(root))

    def test_a_biasa_cleared_user_does_not_see_terbatas_items(self, report_6271):
        viewer = make_user("leader_biasa", "leader", ["62"], clearance="biasa")
        make_item(report_6271, title="Terbatas", classification="terbatas")
        make_item(report_6271, title="Biasa")
        assert _titles(selectors.list_items(viewer)) == {"Biasa"}


class TestScope:
    def test_each_persona_sees_only_its_areas(self, personas, stage):
        assert _titles(selectors.list_items(personas("operator_6271"))) == {
            "Unjuk rasa sopir angkutan"
        }
        assert _titles(selectors.list_items(personas("operator_6201"))) == {"Sengketa batas desa"}
        assert _titles(selectors.list_items(personas("analyst_63"))) == {
            "Bentrok warga di Banjarmasin"
        }
        assert selectors.list_items(None).count() == 0
        with pytest.raises(Http404):
            selectors.get_item(personas("operator_6201"), stage["plain"].pk)
        with pytest.raises(Http404):
            selectors.get_item(personas("analyst_63"), "bukan-angka")


class TestFilters:
    def test_it_filters_by_area_and_below_period_axes_and_status(self, personas, report_6271):
        analyst = personas("analyst_62")
        now = timezone.now()
        a = make_item(
            report_6271,
            title="A",
            area_code="62.71.02",
            occurred_at=now - dt.timedelta(days=3),
            aspect=term("aspect", "politik"),
        )
        make_item(report_6271, title="B", area_code="62.71.01", occurred_at=now)
        assert _titles(selectors.list_items(analyst, {"area": "62.71.02"})) == {"A"}
        assert _titles(selectors.list_items(analyst, {"area": "62.71"})) == {"A", "B"}
        assert _titles(selectors.list_items(analyst, {"aspect": "politik"})) == {"A"}
        assert _titles(selectors.list_items(analyst, {"aspect": "politik,ekonomi"})) == {"A", "B"}
        day = timezone.localdate(a.occurred_at)
        period = {"occurred_from": day.isoformat(), "occurred_to": day.isoformat()}
        assert _titles(selectors.list_items(analyst, period)) == {"A"}
        assert _titles(selectors.list_items(analyst, {"status": "draft", "kind": "new"})) == {
            "A",
            "B",
        }
        assert not selectors.list_items(analyst, {"status": "verified"}).exists()
        assert _titles(selectors.list_items(analyst, {"event": a.event_id})) == {"A"}

    def test_it_filters_by_actor_type_and_election_issue(self, personas, report_6271):
        operator = personas("operator_6271")
        services.record_item(
            report_6271,
            actor=operator,
            data=payload(
                title="Kampanye hitam",
                actors=[
                    {"name": "Tim sukses", "actor_type": "partai-politik"},
                    {"name": "Relawan", "actor_type": "partai-politik"},
                ],
                election_issues=["hoaks", "politik-identitas"],
            ),
        )
        services.record_item(report_6271, actor=operator, data=payload(title="Lain"))
        analyst = personas("analyst_62")
        assert list(
            selectors.list_items(analyst, {"actor_type": "partai-politik"}).values_list(
                "title", flat=True
            )
        ) == ["Kampanye hitam"]
        assert _titles(selectors.list_items(analyst, {"election_issue": "hoaks"})) == {
            "Kampanye hitam"
        }
        assert _titles(selectors.list_events(analyst, {"election_issue": "hoaks"})) == {
            "Kampanye hitam"
        }

    def test_a_bad_filter_value_is_an_invalid_input(self, personas):
        with pytest.raises(InvalidInput) as exc:
            selectors.list_items(personas("analyst_62"), {"area": "62-71", "occurred_from": "x"})
        assert set(exc.value.errors) == {"area", "occurred_from"}


class TestTimelineAndHistory:
    def test_the_timeline_lists_the_visible_items_oldest_first(self, personas, report_6271):
        operator = personas("operator_6271")
        now = timezone.now()
        first = services.record_item(
            report_6271, actor=operator, data=payload(occurred_at=now - dt.timedelta(days=1))
        )
        services.record_item(
            report_6271,
            actor=operator,
            data=payload(event=first.event_id, title="Perkembangan", occurred_at=now),
        )
        timeline = selectors.event_timeline(personas("analyst_62"), first.event)
        assert [i.title for i in timeline] == [first.title, "Perkembangan"]

    def test_the_history_of_an_item_shows_its_changes_and_its_events(self, personas, report_6271):
        operator = personas("operator_6271")
        item = services.record_item(report_6271, actor=operator, data=payload())
        services.update_item(item, actor=operator, version=1, data={"deaths": 1})
        history = selectors.item_history(personas("analyst_62"), item)
        assert [e.action for e in history] == ["event.opened", "item.recorded", "item.updated"]
        assert {e.action for e in selectors.event_history(operator, item.event)} == {
            "event.opened",
            "item.recorded",
            "item.updated",
        }


class TestDuplicates:
    def _event(self, report, actor, **fields):
        return services.record_item(report, actor=actor, data=payload(**fields)).event

    def test_similar_nearby_recent_events_are_candidates_best_first(self, personas, report_6271):
        operator = personas("operator_6271")
        now = timezone.now()
        event = self._event(report_6271, operator)
        same = self._event(
            report_6271,
            operator,
            area="62.71.01",
            title="Demo warga tolak perluasan kebun sawit",
            chronology="Ratusan warga berunjuk rasa menuntut izin perluasan kebun sawit dicabut.",
            occurred_at=now - dt.timedelta(days=1),
        )
        self._event(
            report_6271,
            operator,
            title="Kebakaran pasar",
            chronology="Api melalap kios pedagang sayur di pasar besar.",
        )
        self._event(
            report_6271,
            operator,
            title="Unjuk rasa warga menolak perluasan kebun sawit",
            occurred_at=now - dt.timedelta(days=5),
        )
        found = selectors.duplicate_candidates(personas("analyst_62"), event)
        assert [c.event for c in found] == [same]
        assert 0.3 <= found[0].score <= 1

    def test_events_of_another_kab_kota_or_merged_or_hidden_are_not_candidates(
        self, personas, report_6271, report_6201
    ):
        analyst = make_user("analyst_terbatas", "analyst", ["62"])
        event = self._event(report_6271, personas("operator_6271"))
        self._event(report_6201, personas("operator_6201"), area="62.01.01")
        make_item(report_6271, title=payload()["title"], classification="rahasia")
        merged = self._event(report_6271, personas("operator_6271"))
        other = self._event(report_6271, personas("operator_6271"))
        services.merge_events(target=other, duplicate=merged, actor=personas("analyst_62"))
        found = selectors.duplicate_candidates(analyst, event)
        assert [c.event for c in found] == [other]
        assert Event.objects.count() == 5


class TestTerms:
    def test_terms_are_listed_by_axis(self, personas):
        codes = list(
            selectors.list_terms(personas("operator_6271"), axis="athg").values_list(
                "code", flat=True
            )
        )
        assert codes == ["ancaman", "tantangan", "hambatan", "gangguan"]
        with pytest.raises(InvalidInput):
            selectors.list_terms(personas("operator_6271"), axis="bukan")
        assert not selectors.list_terms(None).exists()
