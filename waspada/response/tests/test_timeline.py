"""Timelines of an event and of a case: every step of the loop in order, as each viewer may see
it, on the page and through the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from waspada.accounts.testing import make_user
from waspada.core.testing.access import check_access
from waspada.reports import services as report_services
from waspada.reports.testing import make_item, make_report
from waspada.response.choices import AgencyKind, CaseStage
from waspada.response.models import DirectiveAssignment
from waspada.response.selectors.timeline import case_steps, event_steps
from waspada.response.services import cases as case_services
from waspada.response.services import directives as directive_services
from waspada.response.tests.factories import make_agency
from waspada.warnings.choices import RiskLevel
from waspada.warnings.models import Alert

IN_SCOPE = {"operator_6271", "analyst_62", "leader_62", "area_admin_62", "national_admin"}


@pytest.fixture
def story(personas):
    """An event of 62.71 carried through report, verification, alert, directive, follow-up and
    a case from pencegahan to pemulihan, closed."""
    operator = personas("operator_6271")
    analyst = personas("analyst_62")
    leader = personas("leader_62")
    now = timezone.now()
    report = make_report("62.71", created_by=operator, period_start=timezone.localdate())
    item = make_item(report, occurred_at=now - dt.timedelta(hours=6))
    event = item.event
    report_services.submit_report(report, actor=operator)
    report_services.verify_report(report, actor=analyst)
    alert = Alert.objects.create(
        area_id="62.71",
        day=timezone.localdate(),
        level=RiskLevel.SIAGA,
        previous_level=RiskLevel.WASPADA,
        score=12.0,
    )
    polres = make_agency("62.71", "Polresta Palangka Raya", kind=AgencyKind.POLRI)
    camat_user = make_user("camat_pahandut", "timdu", ["62.71.01"])
    kecamatan = make_agency(
        "62.71.01", "Kecamatan Pahandut", kind=AgencyKind.KECAMATAN, members=[camat_user]
    )
    directive = directive_services.issue_directive(
        actor=leader,
        alert=alert,
        event=event,
        title="Cegah bentrokan di lokasi kebun",
        instruction="Siagakan personel dan fasilitasi dialog.",
        due_date=timezone.localdate() + dt.timedelta(days=3),
        priority="high",
        agency_ids=[polres.pk, kecamatan.pk],
    )
    assignment = DirectiveAssignment.objects.get(directive=directive, agency=kecamatan)
    directive_services.record_follow_up(
        assignment,
        actor=camat_user,
        version=assignment.version,
        status="in_progress",
        note="Dialog warga dan perusahaan dijadwalkan.",
        progress=30,
    )
    case = case_services.open_case(
        actor=analyst, event_ids=[event.pk], title="Sengketa lahan kebun sawit Palangka"
    )
    case = case_services.move_stage(
        case, actor=analyst, version=case.version, to_stage=CaseStage.RECOVERY, note="Damai"
    )
    case = case_services.close_case(case, actor=analyst, version=case.version, note="Selesai")
    return {"event": event, "case": case, "directive": directive, "camat": camat_user}


@pytest.mark.django_db
class TestTimeline:
    def test_the_event_timeline_holds_every_step_in_order(self, story, personas):
        steps = event_steps(personas("leader_62"), story["event"])
        kinds = [s.kind for s in steps]
        for kind in ("item", "report", "alert", "directive", "follow_up", "case", "stage"):
            assert kind in kinds, kind
        assert [s.at for s in steps] == sorted(s.at for s in steps)
        titles = " | ".join(s.title for s in steps)
        assert "Laporan diajukan" in titles and "Laporan diverifikasi" in titles
        assert "Pemulihan" in titles and "ditutup" in titles
        assert any("Kecamatan Pahandut" in s.title for s in steps if s.kind == "follow_up")

    def test_the_case_timeline_tells_the_same_story(self, story, personas):
        steps = case_steps(personas("analyst_62"), story["case"])
        kinds = {s.kind for s in steps}
        assert {"item", "report", "directive", "follow_up", "case", "stage"} <= kinds

    def test_a_user_of_another_kab_kota_sees_none_of_it(self, story, web_as, api_as):
        event, case = story["event"], story["case"]
        for persona in ("operator_6201", "analyst_63"):
            assert web_as(persona).get(f"/respons/kejadian/{event.pk}/linimasa/").status_code == 404
            assert web_as(persona).get(f"/respons/kasus/{case.pk}/linimasa/").status_code == 404
            assert api_as(persona).get(f"/api/v1/timelines/events/{event.pk}/").status_code == 404

    def test_the_event_page_answers_each_persona(self, story, web_as):
        expected = {
            p: (302 if p == "anonymous" else 200 if p in IN_SCOPE else 404)
            for p in ["anonymous", "operator_6201", "analyst_63", *sorted(IN_SCOPE)]
        }
        check_access(web_as, "get", f"/respons/kejadian/{story['event'].pk}/linimasa/", expected)

    def test_the_case_page_answers_each_persona(self, story, web_as):
        expected = {
            p: (302 if p == "anonymous" else 200 if p in IN_SCOPE else 404)
            for p in ["anonymous", "operator_6201", "analyst_63", *sorted(IN_SCOPE)]
        }
        check_access(web_as, "get", f"/respons/kasus/{story['case'].pk}/linimasa/", expected)

    def test_the_api_answers_each_persona(self, story, api_as):
        expected = {
            p: (401 if p == "anonymous" else 200 if p in IN_SCOPE else 404)
            for p in ["anonymous", "operator_6201", "analyst_63", *sorted(IN_SCOPE)]
        }
        check_access(api_as, "get", f"/api/v1/timelines/events/{story['event'].pk}/", expected)
        check_access(api_as, "get", f"/api/v1/timelines/cases/{story['case'].pk}/", expected)
        rows = api_as("leader_62").get(f"/api/v1/timelines/events/{story['event'].pk}/").json()
        assert rows[0]["kind"] == "item" and {"at", "title", "url"} <= set(rows[0])

    def test_the_page_shows_the_steps_in_the_areas_zone(self, story, web_as):
        html = web_as("leader_62").get(f"/respons/kejadian/{story['event'].pk}/linimasa/")
        text = html.content.decode()
        assert 'data-testid="timeline"' in text and "WIB" in text
        assert 'data-testid="step-follow_up"' in text

    def test_an_agency_member_sees_the_directive_but_not_what_lies_outside_their_scope(self, story):
        steps = event_steps(story["camat"], story["event"])
        # The event of 62.71 lies above the camat's scope (62.71.01): the page would be 404 for
        # them; their view of the directive is on the directive page. Nothing leaks here.
        assert all(s.kind in {"directive", "follow_up"} for s in steps)

    def test_classified_items_stay_out_of_the_timeline_of_uncleared_viewers(self, story, personas):
        event = story["event"]
        report = make_report(
            "62.71",
            created_by=personas("operator_6271"),
            period_start=timezone.localdate() - dt.timedelta(days=1),
        )
        make_item(report, event=event, title="Informasi rahasia", classification="rahasia")
        titles = [s.title for s in event_steps(personas("leader_62"), event)]
        assert not any("Informasi rahasia" in t for t in titles)
        cleared = make_user("pimpinan_rahasia", "leader", ["62"], clearance="rahasia")
        titles = [s.title for s in event_steps(cleared, event)]
        assert any("Informasi rahasia" in t for t in titles)
