"""The review workflow: draft → submitted → returned → resubmitted → verified, and its refusals."""

from __future__ import annotations

import importlib
import threading

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied
from django.db import connection, connections

from waspada.accounts.testing import make_persona, make_user
from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.models import AuditEntry
from waspada.events.models import Item, Term
from waspada.reports import services
from waspada.reports.models import ReportStatus, SituationReport
from waspada.reports.testing import make_item, make_report

pytestmark = pytest.mark.django_db

ON_POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def seeded_terms(transactional_db):
    """The taxonomy seeded by migration, again: an earlier transactional test may have flushed it.

    (serialized_rollback cannot be used: after other tests' flushes the content types clash.)
    """
    if not Term.objects.exists():
        importlib.import_module("waspada.events.migrations.0003_seed_terms").seed(django_apps, None)


def actions(report) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="reports.situationreport", object_id=str(report.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


@pytest.fixture
def draft(operator_6271):
    report = make_report("62.71", created_by=operator_6271)
    make_item(report)
    return report


@pytest.fixture
def submitted(draft, operator_6271):
    return services.submit_report(draft, actor=operator_6271)


class TestSubmit:
    def test_it_submits_a_draft_with_items_and_mirrors_the_items_status(self, draft, personas):
        services.submit_report(draft, actor=personas("operator_6271"), version=1)
        draft.refresh_from_db()
        assert draft.status == ReportStatus.SUBMITTED
        assert draft.submitted_at is not None
        assert draft.first_submitted_at == draft.submitted_at
        assert draft.version == 2
        assert set(Item.objects.values_list("status", flat=True)) == {"submitted"}
        assert actions(draft) == ["report.submitted"]

    def test_it_submits_a_nihil_report_without_items(self, operator_6271):
        report = make_report(created_by=operator_6271, is_nihil=True)
        services.submit_report(report, actor=operator_6271)
        assert report.status == ReportStatus.SUBMITTED

    def test_it_refuses_a_report_without_items_unless_nihil(self, operator_6271):
        report = make_report(created_by=operator_6271)
        with pytest.raises(InvalidInput) as caught:
            services.submit_report(report, actor=operator_6271)
        assert "nihil" in caught.value.message
        assert SituationReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT

    def test_it_refuses_a_nihil_report_that_has_items(self, draft, operator_6271):
        SituationReport.objects.filter(pk=draft.pk).update(is_nihil=True)
        draft.refresh_from_db()
        with pytest.raises(InvalidInput):
            services.submit_report(draft, actor=operator_6271)

    def test_a_report_submitted_twice_lands_once_and_the_second_gets_409(
        self, draft, operator_6271
    ):
        services.submit_report(draft, actor=operator_6271)
        again = SituationReport.objects.get(pk=draft.pk)
        with pytest.raises(Conflict) as caught:
            services.submit_report(again, actor=operator_6271)
        assert "Diajukan" in caught.value.message
        assert actions(draft) == ["report.submitted"]
        assert SituationReport.objects.get(pk=draft.pk).version == 2

    def test_it_refuses_a_stale_version(self, draft, operator_6271):
        services.update_report(draft, actor=operator_6271, version=1, title="Diubah")
        with pytest.raises(Conflict) as caught:
            services.submit_report(draft, actor=operator_6271, version=1)
        assert "pengguna lain" in caught.value.message
        assert SituationReport.objects.get(pk=draft.pk).status == ReportStatus.DRAFT

    def test_it_is_refused_outside_the_scope_and_for_roles_that_do_not_file(self, draft, personas):
        with pytest.raises(OutOfScope):
            services.submit_report(draft, actor=personas("operator_6201"))
        with pytest.raises(PermissionDenied):
            services.submit_report(draft, actor=personas("leader_62"))
        assert SituationReport.objects.get(pk=draft.pk).status == ReportStatus.DRAFT


class TestReturn:
    def test_it_returns_a_submitted_report_with_its_reason(self, submitted, analyst_62):
        services.return_report(submitted, actor=analyst_62, reason="  Lengkapi kronologi. ")
        assert submitted.status == ReportStatus.RETURNED
        assert submitted.return_reason == "Lengkapi kronologi."
        assert set(Item.objects.values_list("status", flat=True)) == {"returned"}
        assert actions(submitted)[-1] == "report.returned"

    def test_it_needs_a_reason(self, submitted, analyst_62):
        with pytest.raises(InvalidInput) as caught:
            services.return_report(submitted, actor=analyst_62, reason="   ")
        assert "reason" in caught.value.errors
        assert SituationReport.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED

    def test_it_refuses_a_draft_or_a_verified_report(self, draft, analyst_62, operator_6271):
        with pytest.raises(Conflict):
            services.return_report(draft, actor=analyst_62, reason="x")
        services.submit_report(draft, actor=operator_6271)
        services.verify_report(draft, actor=analyst_62)
        with pytest.raises(Conflict):
            services.return_report(draft, actor=analyst_62, reason="x")

    def test_it_refuses_operators_and_out_of_scope_analysts(self, submitted, personas):
        with pytest.raises(PermissionDenied):
            services.return_report(submitted, actor=personas("operator_6271"), reason="x")
        with pytest.raises(OutOfScope):
            services.return_report(submitted, actor=personas("analyst_63"), reason="x")


class TestResubmitAndVerify:
    def test_the_whole_cycle_is_recorded_in_the_audit_log(self, submitted, analyst_62):
        operator = submitted.created_by
        services.return_report(submitted, actor=analyst_62, reason="Tambahkan sumber.")
        first = submitted.first_submitted_at
        services.submit_report(submitted, actor=operator)
        assert submitted.status == ReportStatus.SUBMITTED
        assert submitted.first_submitted_at == first
        assert submitted.submitted_at > first
        services.verify_report(submitted, actor=analyst_62)
        assert submitted.status == ReportStatus.VERIFIED
        assert submitted.verified_by == analyst_62
        assert submitted.verified_at is not None
        assert set(Item.objects.values_list("status", flat=True)) == {"verified"}
        assert actions(submitted) == [
            "report.submitted",
            "report.returned",
            "report.resubmitted",
            "report.verified",
        ]
        verified = AuditEntry.objects.get(action="report.verified")
        assert (verified.before or {})["status"] == "submitted"
        assert (verified.after or {})["status"] == "verified"

    def test_nobody_verifies_a_report_they_created(self, analyst_62):
        report = make_report("62.71", created_by=analyst_62)
        make_item(report)
        services.submit_report(report, actor=analyst_62)
        with pytest.raises(services.ReviewRefused) as caught:
            services.verify_report(report, actor=analyst_62)
        assert caught.value.status_code == 403
        assert "sendiri" in caught.value.message
        with pytest.raises(services.ReviewRefused):
            services.return_report(report, actor=analyst_62, reason="x")
        assert SituationReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED

    def test_an_analyst_of_the_same_level_may_not_verify(self, operator_6271):
        analyst_6271 = make_user("analyst_6271", "analyst", ["62.71"])
        report = make_report("62.71", created_by=operator_6271)
        make_item(report)
        services.submit_report(report, actor=operator_6271)
        with pytest.raises(services.ReviewRefused) as caught:
            services.verify_report(report, actor=analyst_6271)
        assert "di atas" in caught.value.message
        assert SituationReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED

    def test_a_kab_kota_analyst_verifies_a_kecamatan_report(self, operator_6271):
        analyst_6271 = make_user("analyst_6271", "analyst", ["62.71"])
        operator = make_user("op_kec", "operator", ["62.71.02"])
        report = make_report("62.71.02", created_by=operator)
        make_item(report)
        services.submit_report(report, actor=operator)
        services.verify_report(report, actor=analyst_6271)
        assert report.status == ReportStatus.VERIFIED

    def test_it_refuses_to_verify_twice_or_a_returned_report(self, submitted, analyst_62):
        services.verify_report(submitted, actor=analyst_62)
        with pytest.raises(Conflict):
            services.verify_report(submitted, actor=analyst_62)
        report = make_report("62.71.02", created_by=submitted.created_by, status="returned")
        with pytest.raises(Conflict):
            services.verify_report(report, actor=analyst_62)

    def test_verification_is_refused_to_leaders_and_other_provinces(self, submitted, personas):
        with pytest.raises(PermissionDenied):
            services.verify_report(submitted, actor=personas("leader_62"))
        with pytest.raises(OutOfScope):
            services.verify_report(submitted, actor=personas("analyst_63"))

    def test_a_stale_version_is_refused(self, submitted, analyst_62):
        with pytest.raises(Conflict):
            services.verify_report(submitted, actor=analyst_62, version=1)
        services.verify_report(submitted, actor=analyst_62, version=2)
        assert submitted.version == 3


class TestTwoAnalystsAtOnce:
    def test_the_second_of_two_analysts_with_the_same_page_gets_409(self, submitted, analyst_62):
        other = make_user("analyst_62_b", "analyst", ["62"])
        seen_by_a = SituationReport.objects.get(pk=submitted.pk)
        seen_by_b = SituationReport.objects.get(pk=submitted.pk)
        services.verify_report(seen_by_a, actor=analyst_62, version=seen_by_a.version)
        with pytest.raises(Conflict) as caught:
            services.return_report(
                seen_by_b, actor=other, reason="Kurang lengkap", version=seen_by_b.version
            )
        assert "Terverifikasi" in caught.value.message
        report = SituationReport.objects.get(pk=submitted.pk)
        assert (report.status, report.verified_by_id, report.return_reason) == (
            "verified",
            analyst_62.pk,
            "",
        )
        assert actions(report).count("report.returned") == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_terms")
@pytest.mark.skipif(not ON_POSTGRES, reason="real concurrent writers need PostgreSQL")
def test_two_analysts_acting_at_the_same_moment_one_wins_and_the_other_gets_409():
    operator = make_persona("operator_6271")
    first = make_persona("analyst_62")
    second = make_user("analyst_62_b", "analyst", ["62"])
    report = make_report("62.71", created_by=operator)
    make_item(report)
    services.submit_report(report, actor=operator)
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def act(name, call):
        mine = SituationReport.objects.get(pk=report.pk)
        barrier.wait()
        try:
            call(mine)
            results[name] = "ok"
        except Conflict:
            results[name] = "conflict"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(
            target=act,
            args=("verify", lambda r: services.verify_report(r, actor=first, version=r.version)),
        ),
        threading.Thread(
            target=act,
            args=(
                "return",
                lambda r: services.return_report(
                    r, actor=second, reason="Kurang sumber", version=r.version
                ),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == ["conflict", "ok"]
    report.refresh_from_db()
    winner = "verify" if results["verify"] == "ok" else "return"
    assert report.status == {"verify": "verified", "return": "returned"}[winner]
    assert report.version == 3
    moved = [a for a in actions(report) if a in {"report.verified", "report.returned"}]
    assert len(moved) == 1
