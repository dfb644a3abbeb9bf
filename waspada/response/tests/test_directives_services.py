"""Directives and follow-up: the services and selectors (scope, permission, clearance, agency
membership, status moves, completion, evidence, notifications, audit)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from waspada.accounts.testing import make_user
from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.models import AuditEntry
from waspada.notifications.models import Notification
from waspada.response.models import Directive, DirectiveAssignment, Evidence, FollowUp
from waspada.response.selectors import directives as selectors
from waspada.response.services import directives as services
from waspada.response.tests.factories import make_agency
from waspada.response.tests.factories_directives import (
    disguised_upload,
    issue,
    jpeg_upload,
    local_time,
    local_today,
    make_alert,
    make_event,
    palangka,
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def org(personas):
    return palangka(personas)


def _assignment(directive, agency) -> DirectiveAssignment:
    return DirectiveAssignment.objects.get(directive=directive, agency=agency)


def _follow(assignment, actor, status="in_progress", **kwargs):
    assignment.refresh_from_db()
    kwargs.setdefault("note", "Personel disiagakan di lokasi.")
    return services.record_follow_up(
        assignment, actor=actor, version=assignment.version, status=status, **kwargs
    )


@pytest.mark.django_db
class TestIssueDirective:
    def test_it_issues_a_directive_on_an_alert_to_each_agency_and_tells_their_members(
        self, personas, org
    ):
        leader = personas("leader_62")
        alert = make_alert("62.71")
        due = local_today() + dt.timedelta(days=3)
        directive = issue(leader, [org.polres, org.kecamatan], alert=alert, due_date=due)

        assert directive.area_id == "62.71"
        assert directive.alert_id == alert.pk
        assert directive.status == "open"
        assert directive.issued_by == leader
        # 62 is WIB (UTC+7): the end of the due date is 16:59:59 UTC that day.
        assert directive.due_at == dt.datetime.combine(
            due, dt.time(16, 59, 59, 999999), tzinfo=dt.UTC
        )
        assignments = DirectiveAssignment.objects.filter(directive=directive)
        assert sorted(a.agency_id for a in assignments) == sorted([org.polres.pk, org.kecamatan.pk])
        assert {a.status for a in assignments} == {"planned"}
        entry = AuditEntry.objects.get(action="directive.issued", object_id=str(directive.pk))
        assert (entry.after or {})["agencies"] == [org.polres.pk, org.kecamatan.pk]
        told = Notification.objects.filter(kind="directive")
        assert {n.user for n in told} == {org.polres_user, org.camat}
        assert all(n.url == f"/respons/arahan/{directive.pk}/" for n in told)
        assert not told.filter(user=leader).exists()

    def test_the_due_time_is_the_end_of_the_day_in_the_areas_own_zone(self, personas):
        leader = make_user("pimpinan_63", "leader", ["63"])
        agency = make_agency("63.71", "Polresta Banjarmasin")
        due = local_today("63.71") + dt.timedelta(days=2)
        directive = issue(leader, [agency], area_code="63.71", due_date=due)
        # 63 is WITA (UTC+8).
        assert directive.due_at == dt.datetime.combine(
            due, dt.time(15, 59, 59, 999999), tzinfo=dt.UTC
        )

    def test_it_takes_the_highest_classification_of_the_event(self, personas, org):
        event = make_event("62.71", classification="terbatas")
        directive = issue(personas("analyst_62"), [org.polres], event=event, classification="biasa")
        assert directive.event_id == event.pk
        assert directive.classification == "terbatas"

    def test_it_refuses_a_due_date_before_the_areas_today(self, personas, org):
        with pytest.raises(InvalidInput) as caught:
            issue(
                personas("leader_62"),
                [org.polres],
                due_date=local_today() - dt.timedelta(days=1),
            )
        assert "due_date" in caught.value.errors
        assert not Directive.objects.exists()

    def test_today_itself_is_a_valid_due_date(self, personas, org):
        directive = issue(personas("leader_62"), [org.polres], due_date=local_today())
        assert directive.due_date == local_today()

    def test_it_needs_at_least_one_agency_of_the_area(self, personas, org):
        leader = personas("leader_62")
        with pytest.raises(InvalidInput) as caught:
            issue(leader, [])
        assert "agencies" in caught.value.errors
        kumai = make_agency("62.01", "Polres Kotawaringin Barat")
        with pytest.raises(InvalidInput) as caught:
            issue(leader, [org.polres, kumai])
        assert "agencies" in caught.value.errors
        assert not Directive.objects.exists()
        assert not Notification.objects.exists()

    def test_it_refuses_actors_outside_the_area_or_without_the_permission(self, personas, org):
        with pytest.raises(OutOfScope):
            issue(personas("analyst_63"), [org.polres])
        with pytest.raises(OutOfScope):
            issue(personas("operator_6201"), [org.polres])
        with pytest.raises(PermissionDenied):
            issue(personas("operator_6271"), [org.polres])
        with pytest.raises(PermissionDenied):
            issue(personas("area_admin_62"), [org.polres])
        assert not Directive.objects.exists()

    def test_it_refuses_an_event_the_actor_is_not_cleared_for(self, personas, org):
        secret = make_event("62.71", classification="rahasia")
        with pytest.raises(OutOfScope):
            issue(personas("leader_62"), [org.polres], event=secret)


@pytest.mark.django_db
class TestVisibility:
    def test_a_directive_on_a_rahasia_event_is_invisible_to_users_without_clearance(
        self, personas, org
    ):
        cleared = make_user("pimpinan_rahasia", "leader", ["62"], clearance="rahasia")
        secret = make_event("62.71", classification="rahasia")
        directive = issue(cleared, [org.polres], event=secret)
        assert directive.classification == "rahasia"

        assert list(selectors.list_directives(cleared)) == [directive]
        for name in ("analyst_62", "leader_62", "operator_6271", "national_admin"):
            user = personas(name)
            assert selectors.list_directives(user).count() == 0
            assert selectors.list_directives(user, {"status": "open"}).count() == 0
            with pytest.raises(OutOfScope):
                selectors.get_directive(user, directive.pk)
        # The Polres member (cleared for terbatas only) was not told either.
        assert not Notification.objects.filter(user=org.polres_user).exists()
        assert selectors.open_assignment_count(org.polres_user) == 0

    def test_62_01_sees_nothing_of_a_62_71_directive(self, personas, org):
        directive = issue(personas("leader_62"), [org.polres, org.kecamatan])
        kobar = personas("operator_6201")
        assert selectors.list_directives(kobar).count() == 0
        assert selectors.my_open_assignments(kobar).count() == 0
        assert selectors.open_assignment_count(kobar) is None
        with pytest.raises(OutOfScope):
            selectors.get_directive(kobar, directive.pk)
        with pytest.raises(OutOfScope):
            selectors.get_assignment(kobar, _assignment(directive, org.polres).pk)
        assert selectors.list_directives(personas("analyst_63")).count() == 0

    def test_a_camat_sees_and_acts_on_the_kecamatan_assignment_but_not_another_agencys(
        self, personas, org
    ):
        directive = issue(personas("leader_62"), [org.polres, org.kecamatan])
        camat = org.camat  # scope 62.71.01 only: the 62.71 directive is seen through the agency
        assert list(selectors.list_directives(camat)) == [directive]
        assert [a.agency_id for a in selectors.my_open_assignments(camat)] == [org.kecamatan.pk]

        shown = selectors.get_directive(camat, directive.pk)
        detail = selectors.directive_detail(camat, shown)
        rows = {row.assignment.agency_id: row for row in detail.assignments}
        assert rows[org.kecamatan.pk].can_act and rows[org.kecamatan.pk].history_visible
        assert not rows[org.polres.pk].can_act
        assert not rows[org.polres.pk].history_visible
        assert not detail.can_direct

        follow_up = _follow(_assignment(directive, org.kecamatan), camat, progress=30)
        assert follow_up.author == camat
        with pytest.raises(PermissionDenied):
            _follow(_assignment(directive, org.polres), camat)
        with pytest.raises(OutOfScope):
            selectors.get_assignment(camat, _assignment(directive, org.polres).pk)

    def test_another_camat_of_the_same_city_sees_nothing(self, personas, org):
        issue(personas("leader_62"), [org.polres, org.kecamatan])
        other = make_user("camat_jekan", "operator", ["62.71.02"])
        make_agency("62.71.02", "Kecamatan Jekan Raya", kind="kecamatan", members=[other])
        assert selectors.list_directives(other).count() == 0
        assert selectors.open_assignment_count(other) == 0

    def test_the_open_assignment_count_is_one_query(self, personas, org, django_assert_num_queries):
        leader = personas("leader_62")
        issue(leader, [org.polres, org.kecamatan])
        issue(leader, [org.polres])
        user = org.polres_user
        with django_assert_num_queries(1):
            assert selectors.open_assignment_count(user) == 2
        assert selectors.open_assignment_count(leader) is None

    def test_the_list_filters_and_puts_overdue_first(self, personas, org):
        leader = personas("leader_62")
        analyst = personas("analyst_62")
        today = local_today()
        later = issue(leader, [org.polres], title="Patroli gabungan", priority="normal")
        soon = issue(
            analyst,
            [org.kecamatan],
            title="Mediasi warga",
            due_date=today,
            priority="urgent",
        )
        done = issue(leader, [org.dinsos], title="Bantuan logistik pengungsi")
        _follow(_assignment(done, org.dinsos), analyst, status="done")
        tomorrow = local_time(today + dt.timedelta(days=1), 10)

        rows = list(selectors.list_directives(leader, now=tomorrow))
        assert rows[0] == soon and getattr(rows[0], "overdue")  # noqa: B009 (an annotation)
        assert [d.pk for d in rows] == [soon.pk, later.pk, done.pk]

        def pks(filters, now=None):
            return [d.pk for d in selectors.list_directives(leader, filters, now=now)]

        assert pks({"overdue": "true"}, now=tomorrow) == [soon.pk]
        assert pks({"overdue": "false"}, now=tomorrow) == [later.pk, done.pk]
        assert pks({"status": "completed"}) == [done.pk]
        assert pks({"status": "open"}) == [soon.pk, later.pk]
        assert pks({"agency": str(org.kecamatan.pk)}) == [soon.pk]
        assert pks({"priority": "urgent"}) == [soon.pk]
        assert pks({"q": "mediasi"}) == [soon.pk]
        assert pks({"issued_by_me": "true"}) == [later.pk, done.pk]
        assert pks({"area": "62.71"}) == [soon.pk, later.pk, done.pk]
        assert pks({"area": "62.01"}) == []
        assert [d.pk for d in selectors.list_directives(org.camat, {"assigned_to_me": "1"})] == [
            soon.pk
        ]
        with pytest.raises(InvalidInput):
            selectors.list_directives(leader, {"area": "Palangka"})

    def test_briefs_read_open_rows_with_their_agencies_without_a_query_per_row(
        self, personas, org, django_assert_max_num_queries
    ):
        leader = personas("leader_62")
        for n in range(4):
            issue(leader, [org.polres, org.kecamatan, org.dinsos], title=f"Arahan {n}")
        with django_assert_max_num_queries(4):
            rows = list(selectors.list_directives(leader, {"area": "62.71", "status": "open"}))
            seen = [
                (
                    r.reference,
                    r.title,
                    r.priority,
                    r.due_date,
                    r.status,
                    getattr(r, "overdue"),  # noqa: B009 (an annotation)
                    [(a.agency.name, a.status) for a in r.assignments.all()],
                )
                for r in rows
            ]
        assert len(seen) == 4
        assert seen[0][6][0] == ("Polres Palangka Raya", "planned")

    def test_directives_for_an_alert_an_event_and_a_case(self, personas, org):
        leader = personas("leader_62")
        alert = make_alert()
        event = make_event()
        on_alert = issue(leader, [org.polres], alert=alert)
        on_event = issue(leader, [org.polres], event=event)
        assert list(selectors.directives_for_alert(leader, alert)) == [on_alert]
        assert list(selectors.directives_for_event(leader, event)) == [on_event]
        assert list(selectors.directives_for_alert(personas("operator_6201"), alert)) == []


@pytest.mark.django_db
class TestFollowUp:
    def test_the_status_moves_forward_and_done_sets_the_progress_to_100(self, personas, org):
        directive = issue(personas("leader_62"), [org.polres, org.kecamatan])
        assignment = _assignment(directive, org.polres)
        user = org.polres_user
        _follow(assignment, user, status="planned", note="Rapat koordinasi dijadwalkan.")
        _follow(assignment, user, status="in_progress", progress=40)
        assignment.refresh_from_db()
        assert (assignment.status, assignment.progress) == ("in_progress", 40)
        with pytest.raises(InvalidInput) as caught:
            _follow(assignment, user, status="planned")
        assert "status" in caught.value.errors
        with pytest.raises(InvalidInput) as caught:
            _follow(assignment, user, progress=120)
        assert "progress" in caught.value.errors
        _follow(assignment, user, status="done", progress=60)
        assignment.refresh_from_db()
        assert (assignment.status, assignment.progress) == ("done", 100)
        assert assignment.completed_at is not None
        assert FollowUp.objects.filter(assignment=assignment).count() == 3
        with pytest.raises(Conflict):
            _follow(assignment, user, status="in_progress")
        entry = AuditEntry.objects.filter(action="directive.follow_up").order_by("seq").last()
        assert entry is not None and entry.object_id == str(directive.pk)
        after = entry.after or {}
        assert after["status"] == "done" and after["on_behalf"] is False

    def test_a_stale_version_is_a_conflict_with_a_clear_message(self, personas, org):
        directive = issue(personas("leader_62"), [org.polres])
        assignment = _assignment(directive, org.polres)
        stale = assignment.version
        _follow(assignment, org.polres_user)
        with pytest.raises(Conflict) as caught:
            services.record_follow_up(
                assignment,
                actor=org.polres_user,
                version=stale,
                status="in_progress",
                note="Catatan dari tab lama.",
            )
        assert "diperbarui oleh pengguna lain" in caught.value.message
        assert caught.value.params["version"] == stale + 1
        assert FollowUp.objects.count() == 1

    def test_cannot_be_done_needs_a_reason(self, personas, org):
        directive = issue(personas("leader_62"), [org.polres])
        assignment = _assignment(directive, org.polres)
        with pytest.raises(InvalidInput) as caught:
            _follow(assignment, org.polres_user, status="cannot", reason="  ")
        assert "reason" in caught.value.errors
        _follow(
            assignment, org.polres_user, status="cannot", reason="Personel dikerahkan ke Pilkada."
        )
        assignment.refresh_from_db()
        assert assignment.status == "cannot"
        assert assignment.reason == "Personel dikerahkan ke Pilkada."

    def test_the_directive_completes_when_every_agency_has_finished(self, personas, org):
        leader = personas("leader_62")
        directive = issue(leader, [org.polres, org.kecamatan])
        _follow(_assignment(directive, org.polres), org.polres_user, status="done")
        directive.refresh_from_db()
        assert directive.status == "open"
        told = Notification.objects.filter(user=leader, kind="directive")
        assert told.count() == 1 and "menyelesaikan" in told.get().title

        _follow(
            _assignment(directive, org.kecamatan),
            org.camat,
            status="cannot",
            reason="Warga menolak hadir.",
        )
        directive.refresh_from_db()
        assert directive.status == "completed" and directive.completed_at is not None
        assert AuditEntry.objects.filter(action="directive.completed").count() == 1
        last = Notification.objects.filter(user=leader).order_by("id").last()
        assert last is not None
        assert "tidak dapat" in last.title and "arahan selesai" in last.body

    def test_a_coordinator_records_on_the_agencys_behalf(self, personas, org):
        directive = issue(personas("leader_62"), [org.polres])
        admin = personas("area_admin_62")
        _follow(_assignment(directive, org.polres), admin, note="Dilaporkan lewat telepon.")
        entry = AuditEntry.objects.get(action="directive.follow_up")
        assert (entry.after or {})["on_behalf"] is True
        with pytest.raises(PermissionDenied):
            _follow(_assignment(directive, org.polres), personas("leader_62"))
        with pytest.raises(OutOfScope):
            _follow(_assignment(directive, org.polres), personas("analyst_63"))

    def test_files_become_evidence_and_a_disguised_file_is_refused_whole(self, personas, org):
        directive = issue(personas("leader_62"), [org.polres])
        assignment = _assignment(directive, org.polres)
        follow_up = _follow(assignment, org.polres_user, files=[jpeg_upload()])
        evidence = Evidence.objects.get(follow_up=follow_up)
        assert evidence.content_type == "image/jpeg"
        assert evidence.area_code == "62.71"
        assert evidence.classification == directive.classification

        with pytest.raises(InvalidInput):
            _follow(
                assignment,
                org.polres_user,
                status="done",
                files=[jpeg_upload("lain.jpg"), disguised_upload()],
            )
        assignment.refresh_from_db()
        assert assignment.status == "in_progress"
        assert FollowUp.objects.count() == 1
        assert Evidence.objects.count() == 1


@pytest.mark.django_db
class TestChangeAndCancel:
    def test_changing_the_due_date_clears_the_reminders_sent(self, personas, org):
        leader = personas("leader_62")
        directive = issue(leader, [org.polres])
        Directive.objects.filter(pk=directive.pk).update(
            reminded_at=directive.issued_at, overdue_notified_at=directive.issued_at
        )
        new_due = local_today() + dt.timedelta(days=7)
        updated = services.update_directive(
            directive, actor=leader, version=directive.version, due_date=new_due, priority="urgent"
        )
        assert updated.due_date == new_due and updated.priority == "urgent"
        assert updated.reminded_at is None and updated.overdue_notified_at is None
        assert updated.version == directive.version + 1
        assert AuditEntry.objects.filter(action="directive.updated").count() == 1
        with pytest.raises(Conflict):
            services.update_directive(directive, actor=leader, version=directive.version, title="x")
        with pytest.raises(PermissionDenied):
            services.update_directive(updated, actor=org.polres_user, version=2, title="x")
        with pytest.raises(InvalidInput):
            services.update_directive(updated, actor=leader, version=2, status="completed")

    def test_cancelling_needs_a_reason_tells_the_agencies_and_ends_the_follow_up(
        self, personas, org
    ):
        leader = personas("leader_62")
        directive = issue(leader, [org.polres, org.kecamatan])
        with pytest.raises(InvalidInput):
            services.cancel_directive(directive, actor=leader, version=1, reason="")
        cancelled = services.cancel_directive(
            directive, actor=leader, version=1, reason="Situasi sudah kondusif."
        )
        assert cancelled.status == "cancelled" and cancelled.cancel_reason
        assert Notification.objects.filter(title__contains="dibatalkan").count() == 2
        with pytest.raises(Conflict):
            _follow(_assignment(directive, org.polres), org.polres_user)
        with pytest.raises(Conflict):
            services.cancel_directive(cancelled, actor=leader, version=2, reason="lagi")
        assert selectors.open_assignment_count(org.polres_user) == 0

    def test_more_agencies_can_be_added_while_it_is_open(self, personas, org):
        leader = personas("leader_62")
        directive = issue(leader, [org.polres])
        updated = services.add_agencies(
            directive, actor=leader, version=1, agency_ids=[org.kecamatan.pk]
        )
        assert updated.assignments.count() == 2
        assert Notification.objects.filter(user=org.camat).count() == 1
        with pytest.raises(InvalidInput):
            services.add_agencies(updated, actor=leader, version=2, agency_ids=[org.polres.pk])
