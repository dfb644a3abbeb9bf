"""Conflict cases: opening from events, scope and clearance, permissions, stages from pencegahan
to pemulihan and closing, events and parties, recovery activities and their evidence."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from waspada.accounts.testing import make_user
from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.models import AuditEntry
from waspada.response.choices import CaseStage, CaseStatus
from waspada.response.models import CaseEvent, CaseParty, CaseStageChange, ConflictCase
from waspada.response.selectors import cases as selectors
from waspada.response.services import cases as services
from waspada.response.tests.factories import make_agency
from waspada.response.tests.factories_cases import (
    cleared_analyst,
    jpeg_bytes,
    make_event,
    open_case,
)


@pytest.mark.django_db
class TestOpenCase:
    def test_it_opens_a_case_from_an_event_in_pencegahan_with_parties_and_audit(self, analyst_62):
        event = make_event("62.71")
        case = open_case(analyst_62, [event])
        assert case.area_id == "62.71"
        assert case.stage == CaseStage.PREVENTION and case.status == CaseStatus.ACTIVE
        assert case.root_cause is not None and case.root_cause.code == "sengketa-sda"
        assert list(CaseEvent.objects.filter(case=case).values_list("event_id", flat=True)) == [
            event.pk
        ]
        assert [p.name for p in CaseParty.objects.filter(case=case)] == [
            "Warga Desa Palangka",
            "PT Sawit Makmur",
        ]
        change = CaseStageChange.objects.get(case=case)
        assert (change.from_stage, change.to_stage, change.actor) == ("", "pencegahan", analyst_62)
        entry = AuditEntry.objects.get(action="case.opened")
        assert entry.area_code == "62.71" and entry.object_id == str(case.pk)

    def test_it_lets_leaders_open_cases_but_not_operators_timdu_or_admins(self, personas):
        event = make_event("62.71")
        assert open_case(personas("leader_62"), [event]).pk
        timdu = make_user("timdu_62", "timdu", ["62"])
        for actor in (personas("operator_6271"), timdu, personas("area_admin_62")):
            with pytest.raises(PermissionDenied):
                open_case(actor, [event])
        with pytest.raises(PermissionDenied):
            open_case(personas("national_admin"), [event])

    def test_it_needs_an_area_when_the_events_are_in_different_areas(self, analyst_62):
        events = [make_event("62.71"), make_event("62.01")]
        with pytest.raises(InvalidInput) as caught:
            open_case(analyst_62, events)
        assert "area_code" in caught.value.errors
        case = open_case(analyst_62, events, area_code="62")
        assert case.area_id == "62"

    def test_it_refuses_events_outside_the_cases_area(self, analyst_62):
        events = [make_event("62.71"), make_event("62.01")]
        with pytest.raises(InvalidInput) as caught:
            open_case(analyst_62, events, area_code="62.71")
        assert "event_ids" in caught.value.errors
        assert not ConflictCase.objects.exists()

    def test_it_refuses_events_the_actor_cannot_see(self, analyst_63, analyst_62):
        event = make_event("62.71")
        with pytest.raises(InvalidInput) as caught:
            open_case(analyst_63, [event])
        assert "event_ids" in caught.value.errors
        with pytest.raises(OutOfScope):
            open_case(analyst_63, [event], area_code="62.71")
        secret = make_event("62.71", classification="rahasia")
        with pytest.raises(InvalidInput):
            open_case(analyst_62, [secret])

    def test_it_needs_an_event_a_title_and_known_terms(self, analyst_62):
        with pytest.raises(InvalidInput) as caught:
            open_case(analyst_62, [])
        assert "event_ids" in caught.value.errors
        with pytest.raises(InvalidInput) as caught:
            open_case(
                analyst_62,
                [make_event()],
                title=" ",
                root_cause="tidak-ada",
                parties=[{"name": "", "party_type": "alien"}],
            )
        assert set(caught.value.errors) == {
            "title",
            "root_cause",
            "parties.0.name",
            "parties.0.party_type",
        }

    def test_a_case_from_a_rahasia_event_is_rahasia_and_hidden_from_the_uncleared(
        self, analyst_62, personas
    ):
        cleared = cleared_analyst()
        case = open_case(cleared, [make_event(), make_event(classification="rahasia")])
        assert case.classification == "rahasia"
        assert selectors.get_case(cleared, case.pk) == case
        for name in ("analyst_62", "leader_62", "national_admin"):
            with pytest.raises(OutOfScope):
                selectors.get_case(personas(name), case.pk)
            assert not selectors.list_cases(personas(name)).exists()
        assert selectors.statuses_in_force(analyst_62).count() == 0


@pytest.mark.django_db
class TestScope:
    def test_a_user_of_6201_sees_nothing_of_a_6271_case(self, analyst_62, personas):
        case = open_case(analyst_62)
        operator_6201 = personas("operator_6201")
        assert list(selectors.list_cases(operator_6201)) == []
        with pytest.raises(OutOfScope):
            selectors.get_case(operator_6201, case.pk)
        assert selectors.case_stage_history(operator_6201, case) == []
        assert selectors.case_statuses(operator_6201, case) == []
        assert list(selectors.list_recovery_activities(operator_6201)) == []
        assert selectors.cases_for_event(operator_6201, case.case_events.get().event) == []
        assert [c.pk for c in selectors.list_cases(personas("operator_6271"))] == [case.pk]

    def test_it_filters_the_list(self, analyst_62):
        first = open_case(analyst_62, title="Sengketa batas desa")
        second = open_case(analyst_62, [make_event("62.01")], root_cause="polekbud")
        services.move_stage(
            second, actor=analyst_62, version=second.version, to_stage="penghentian"
        )

        def ids(**filters):
            return [c.pk for c in selectors.list_cases(analyst_62, filters)]

        assert ids(area="62.71") == [first.pk]
        assert ids(stage="penghentian") == [second.pk]
        assert ids(root_cause="polekbud") == [second.pk]
        assert ids(q="batas") == [first.pk]
        assert ids(q=first.reference) == [first.pk]
        assert ids(active_status="ya") == []
        assert ids(status="active") == [second.pk, first.pk]
        with pytest.raises(InvalidInput):
            selectors.list_cases(analyst_62, {"area": "nope"})


@pytest.mark.django_db
class TestStages:
    def test_a_case_moves_from_pencegahan_to_pemulihan_and_is_closed_with_every_step_kept(
        self, analyst_62, personas
    ):
        case = open_case(analyst_62)
        case = services.move_stage(
            case, actor=analyst_62, version=case.version, to_stage="penghentian", note="Bentrok"
        )
        leader = personas("leader_62")
        case = services.move_stage(
            case, actor=leader, version=case.version, to_stage="pemulihan", note="Damai"
        )
        case = services.close_case(case, actor=leader, version=case.version, note="Selesai")
        assert case.status == CaseStatus.CLOSED and case.closed_by == leader
        steps = selectors.case_stage_history(analyst_62, case)
        assert [(s.kind, s.from_stage, s.to_stage, s.note) for s in steps] == [
            ("opened", "", "pencegahan", ""),
            ("moved", "pencegahan", "penghentian", "Bentrok"),
            ("moved", "penghentian", "pemulihan", "Damai"),
            ("closed", "pemulihan", "pemulihan", "Selesai"),
        ]
        assert [s.actor for s in steps] == [analyst_62, analyst_62, leader, leader]
        actions = list(
            AuditEntry.objects.filter(object_type="response.conflictcase")
            .order_by("seq")
            .values_list("action", flat=True)
        )
        assert actions == ["case.opened", "case.stage_changed", "case.stage_changed", "case.closed"]
        with pytest.raises(InvalidInput):
            services.move_stage(case, actor=leader, version=case.version, to_stage="pencegahan")

    def test_it_moves_back_and_refuses_the_current_or_an_unknown_stage(self, analyst_62):
        case = open_case(analyst_62)
        case = services.move_stage(
            case, actor=analyst_62, version=case.version, to_stage="pemulihan"
        )
        case = services.move_stage(
            case, actor=analyst_62, version=case.version, to_stage="pencegahan"
        )
        assert case.stage == "pencegahan"
        for stage in ("pencegahan", "perang"):
            with pytest.raises(InvalidInput) as caught:
                services.move_stage(case, actor=analyst_62, version=case.version, to_stage=stage)
            assert "to_stage" in caught.value.errors

    def test_a_stale_version_is_a_conflict(self, analyst_62):
        case = open_case(analyst_62)
        old = case.version
        services.update_case(case, actor=analyst_62, version=old, title="Judul baru")
        with pytest.raises(Conflict):
            services.move_stage(case, actor=analyst_62, version=old, to_stage="penghentian")
        with pytest.raises(Conflict):
            services.close_case(case, actor=analyst_62, version=old, note="x")
        assert CaseStageChange.objects.filter(case=case).count() == 1

    def test_closing_needs_a_note_and_a_closed_case_can_be_reopened(self, analyst_62):
        case = open_case(analyst_62)
        with pytest.raises(InvalidInput) as caught:
            services.close_case(case, actor=analyst_62, version=case.version, note=" ")
        assert "note" in caught.value.errors
        case = services.close_case(case, actor=analyst_62, version=case.version, note="Damai")
        with pytest.raises(InvalidInput):
            services.update_case(case, actor=analyst_62, version=case.version, title="x")
        case = services.reopen_case(case, actor=analyst_62, version=case.version, note="Kambuh")
        assert case.status == CaseStatus.ACTIVE and case.closed_at is None
        kinds = [s.kind for s in selectors.case_stage_history(analyst_62, case)]
        assert kinds == ["opened", "closed", "reopened"]

    def test_others_cannot_move_a_case(self, analyst_62, personas):
        case = open_case(analyst_62)
        with pytest.raises(OutOfScope):
            services.move_stage(
                case, actor=personas("analyst_63"), version=case.version, to_stage="pemulihan"
            )
        with pytest.raises(PermissionDenied):
            services.move_stage(
                case, actor=personas("operator_6271"), version=case.version, to_stage="pemulihan"
            )


@pytest.mark.django_db
class TestEventsAndParties:
    def test_adding_an_event_raises_the_classification_and_removing_never_lowers_it(
        self, analyst_62
    ):
        case = open_case(analyst_62)
        limited = make_event("62.71.02", classification="terbatas")
        case = services.add_case_event(case, actor=analyst_62, event_id=limited.pk)
        assert case.classification == "terbatas"
        case = services.remove_case_event(case, actor=analyst_62, event_id=limited.pk)
        assert case.classification == "terbatas"
        assert AuditEntry.objects.filter(action="case.events_changed").count() == 2

    def test_it_keeps_at_least_one_event_and_refuses_outside_events(self, analyst_62):
        case = open_case(analyst_62)
        only = case.case_events.get().event_id
        with pytest.raises(InvalidInput) as caught:
            services.remove_case_event(case, actor=analyst_62, event_id=only)
        assert "remove" in caught.value.errors
        with pytest.raises(InvalidInput) as caught:
            services.add_case_event(case, actor=analyst_62, event_id=make_event("62.01").pk)
        assert "add" in caught.value.errors

    def test_parties_are_added_changed_and_removed_with_audit(self, analyst_62):
        case = open_case(analyst_62, parties=[])
        party = services.add_party(case, actor=analyst_62, name="Ormas X", party_type="ormas")
        party = services.update_party(party, actor=analyst_62, representative="Ketua")
        assert party.party_type is not None
        assert (party.name, party.representative, party.party_type.code) == (
            "Ormas X",
            "Ketua",
            "ormas",
        )
        with pytest.raises(InvalidInput):
            services.update_party(party, actor=analyst_62, name="")
        services.remove_party(party, actor=analyst_62)
        assert not CaseParty.objects.exists()
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        assert {"case.party_added", "case.party_updated", "case.party_removed"} <= actions


@pytest.mark.django_db
class TestRecovery:
    def test_activities_are_planned_early_and_grouped_by_kind_with_their_agency(self, analyst_62):
        case = open_case(analyst_62)
        agency = make_agency("62.71", "Dinas Sosial Kota Palangka Raya")
        activity = services.add_recovery_activity(
            case,
            actor=analyst_62,
            kind="rekonsiliasi",
            title="Musyawarah damai warga dan perusahaan",
            agency_id=agency.pk,
            start_date="2026-03-01",
            end_date="2026-03-02",
        )
        assert activity.status == "planned" and activity.agency == agency
        detail = selectors.case_detail(analyst_62, case)
        groups = {g.kind: [a.pk for a in g.activities] for g in detail.recovery}
        assert groups == {"rekonsiliasi": [activity.pk], "rehabilitasi": [], "rekonstruksi": []}
        assert AuditEntry.objects.filter(action="recovery.added").exists()

    def test_it_refuses_bad_activities(self, analyst_62):
        case = open_case(analyst_62)
        other = make_agency("63", "Dinas Sosial Kalsel")
        with pytest.raises(InvalidInput) as caught:
            services.add_recovery_activity(
                case,
                actor=analyst_62,
                kind="perdamaian",
                title="",
                agency_id=other.pk,
                status="x",
                start_date="2026-03-05",
                end_date="2026-03-01",
            )
        assert set(caught.value.errors) == {"kind", "title", "agency_id", "status", "end_date"}

    def test_updates_check_the_version(self, analyst_62):
        case = open_case(analyst_62)
        activity = services.add_recovery_activity(
            case, actor=analyst_62, kind="rehabilitasi", title="Perbaikan rumah"
        )
        activity = services.update_recovery_activity(
            activity, actor=analyst_62, version=activity.version, status="in_progress"
        )
        assert activity.status == "in_progress" and activity.version == 2
        with pytest.raises(Conflict):
            services.update_recovery_activity(activity, actor=analyst_62, version=1, status="done")

    def test_evidence_is_attached_through_the_evidence_service(
        self, analyst_62, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        case = open_case(analyst_62)
        activity = services.add_recovery_activity(
            case, actor=analyst_62, kind="rekonstruksi", title="Bangun ulang balai desa"
        )
        upload = SimpleUploadedFile("foto.jpg", jpeg_bytes(), content_type="image/jpeg")
        evidence = services.add_recovery_evidence(activity, upload, actor=analyst_62)
        assert evidence.recovery_activity == activity and evidence.area_code == "62.71"
        detail = selectors.case_detail(analyst_62, case)
        assert [e.pk for e in detail.recovery[2].activities[0].evidence.all()] == [evidence.pk]
