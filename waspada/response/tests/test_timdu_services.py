"""Timdu, member agencies, RAD structure and progress reports: the services' rules."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.models import AuditEntry
from waspada.response.choices import (
    AgencyKind,
    CaseStage,
    PlanReportStatus,
    PlanStatus,
    TimduRole,
)
from waspada.response.models import PlanActivity, PlanReport, Timdu, TimduMember
from waspada.response.services import timdu as services
from waspada.response.tests.factories import make_agency
from waspada.response.tests.factories_timdu import (
    JUNE_2026,
    make_activity,
    make_plan,
    make_report,
    make_timdu,
    make_timdu_user,
    rad_6271,
)


@pytest.fixture
def rad(db):
    return rad_6271()


def entry(activity, percent, spent=0, notes=""):
    return {
        "activity_id": activity.pk,
        "realisation_percent": percent,
        "budget_spent": spent,
        "notes": notes,
    }


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 90, 160)).save(buffer, "JPEG")
    return SimpleUploadedFile("patroli.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.django_db
class TestTimdu:
    def test_it_creates_one_timdu_per_area_and_audits_it(self, analyst_62):
        timdu = services.create_timdu(
            actor=analyst_62,
            area_code="62.71",
            name="Timdu PKS Kota Palangka Raya",
            chair="Wali Kota Palangka Raya",
            decree_number="188.45/12/2026",
            decree_date="2026-01-15",
        )
        assert timdu.decree_date == dt.date(2026, 1, 15)
        entry = AuditEntry.objects.get(action="timdu.created")
        assert entry.area_code == "62.71" and entry.object_id == str(timdu.pk)
        with pytest.raises(Conflict) as caught:
            services.create_timdu(actor=analyst_62, area_code="62.71", name="Kedua")
        assert caught.value.params["existing_id"] == timdu.pk

    def test_it_refuses_a_timdu_below_kab_kota_and_an_empty_name(self, analyst_62):
        with pytest.raises(InvalidInput) as caught:
            services.create_timdu(actor=analyst_62, area_code="62.71.01", name="Timdu kecamatan")
        assert "area_code" in caught.value.errors
        with pytest.raises(InvalidInput) as caught:
            services.create_timdu(actor=analyst_62, area_code="62.71", name="  ")
        assert caught.value.errors["name"] == ["Wajib diisi."]
        assert not Timdu.objects.exists()

    def test_it_refuses_roles_without_manage_and_areas_outside_the_scope(self, personas):
        with pytest.raises(PermissionDenied):
            services.create_timdu(actor=personas("operator_6271"), area_code="62.71", name="T")
        with pytest.raises(PermissionDenied):
            services.create_timdu(actor=personas("leader_62"), area_code="62.71", name="T")
        with pytest.raises(OutOfScope):
            services.create_timdu(actor=personas("analyst_63"), area_code="62.71", name="T")
        services.create_timdu(actor=personas("national_admin"), area_code="62", name="Provinsi")

    def test_an_update_needs_the_current_version(self, rad, analyst_62):
        timdu = rad["timdu"]
        services.update_timdu(timdu, actor=analyst_62, version=1, chair="Wali Kota")
        assert timdu.version == 2 and timdu.chair == "Wali Kota"
        with pytest.raises(Conflict):
            services.update_timdu(timdu, actor=analyst_62, version=1, chair="Sekda")
        with pytest.raises(InvalidInput) as caught:
            services.update_timdu(timdu, actor=analyst_62, version=2, area_id="63")
        assert "area_id" in caught.value.errors
        entry = AuditEntry.objects.get(action="timdu.updated")
        assert entry.before is not None and entry.after is not None
        assert entry.before["chair"] == "" and entry.after["chair"] == "Wali Kota"

    def test_a_member_of_a_member_agency_sees_the_timdu_but_cannot_manage_it(self, rad):
        camat = make_timdu_user("camat_pahandut", ["62.71.01"], rad["polres"])
        with pytest.raises(PermissionDenied):
            services.update_timdu(rad["timdu"], actor=camat, version=1, chair="X")


@pytest.mark.django_db
class TestMembers:
    def test_agencies_of_the_area_above_and_below_may_join_but_not_a_siblings(
        self, rad, analyst_62
    ):
        timdu = rad["timdu"]
        polda = make_agency("62", "Polda Kalimantan Tengah", kind=AgencyKind.POLRI)
        camat = make_agency("62.71.01", "Kecamatan Pahandut", kind=AgencyKind.KECAMATAN)
        sibling = make_agency("62.01", "Polres Kotawaringin Barat", kind=AgencyKind.POLRI)
        services.set_member(timdu, actor=analyst_62, agency_id=polda.pk, role=TimduRole.MEMBER)
        services.set_member(timdu, actor=analyst_62, agency_id=camat.pk, role=TimduRole.MEMBER)
        with pytest.raises(InvalidInput) as caught:
            services.set_member(
                timdu, actor=analyst_62, agency_id=sibling.pk, role=TimduRole.MEMBER
            )
        assert "agency_id" in caught.value.errors
        assert TimduMember.objects.filter(timdu=timdu).count() == 4
        assert AuditEntry.objects.filter(action="timdu.member_set", area_code="62.71").count() == 2

    def test_a_timdu_has_one_chair_at_most(self, rad, analyst_62):
        timdu = rad["timdu"]
        with pytest.raises(InvalidInput) as caught:
            services.set_member(
                timdu, actor=analyst_62, agency_id=rad["polres"].pk, role=TimduRole.CHAIR
            )
        assert "Badan Kesbangpol" in caught.value.errors["role"][0]
        services.set_member(
            timdu, actor=analyst_62, agency_id=rad["kesbangpol"].pk, role=TimduRole.SECRETARY
        )
        services.set_member(
            timdu, actor=analyst_62, agency_id=rad["polres"].pk, role=TimduRole.CHAIR
        )
        roles = dict(TimduMember.objects.values_list("agency__name", "role"))
        assert roles["Polresta Palangka Raya"] == "ketua"

    def test_it_removes_a_member_and_audits_it(self, rad, analyst_62):
        services.remove_member(rad["timdu"], actor=analyst_62, agency_id=rad["polres"].pk)
        assert not TimduMember.objects.filter(agency=rad["polres"]).exists()
        assert AuditEntry.objects.filter(action="timdu.member_removed").count() == 1
        services.remove_member(rad["timdu"], actor=analyst_62, agency_id=rad["polres"].pk)
        assert AuditEntry.objects.filter(action="timdu.member_removed").count() == 1


@pytest.mark.django_db
class TestPlans:
    def test_one_plan_per_timdu_and_year(self, rad, analyst_62):
        plan = services.create_plan(rad["timdu"], actor=analyst_62, year=2027, title="RAD 2027")
        assert plan.status == PlanStatus.DRAFT and plan.created_by == analyst_62
        with pytest.raises(Conflict):
            services.create_plan(rad["timdu"], actor=analyst_62, year=2026, title="Lagi")
        with pytest.raises(InvalidInput) as caught:
            services.create_plan(rad["timdu"], actor=analyst_62, year=1999, title="")
        assert set(caught.value.errors) == {"year", "title"}

    def test_a_plan_runs_only_with_activities_and_never_goes_back(self, rad, analyst_62):
        plan = services.create_plan(rad["timdu"], actor=analyst_62, year=2027, title="RAD 2027")
        with pytest.raises(InvalidInput) as caught:
            services.update_plan(plan, actor=analyst_62, version=1, status=PlanStatus.ACTIVE)
        assert "kegiatan" in caught.value.errors["status"][0]
        make_activity(plan, rad["polres"])
        services.update_plan(plan, actor=analyst_62, version=1, status=PlanStatus.ACTIVE)
        with pytest.raises(InvalidInput):
            services.update_plan(plan, actor=analyst_62, version=2, status=PlanStatus.DRAFT)
        with pytest.raises(InvalidInput):
            services.update_plan(plan, actor=analyst_62, version=2, year=2028)
        with pytest.raises(Conflict):
            services.update_plan(plan, actor=analyst_62, version=1, status=PlanStatus.CLOSED)
        services.update_plan(plan, actor=analyst_62, version=2, status=PlanStatus.CLOSED)
        with pytest.raises(InvalidInput):
            services.update_plan(plan, actor=analyst_62, version=3, title="Baru")
        assert AuditEntry.objects.filter(action="action_plan.updated").count() == 2

    def test_operators_and_leaders_cannot_change_a_rad(self, rad, personas):
        for name in ("operator_6271", "leader_62"):
            with pytest.raises(PermissionDenied):
                services.update_plan(rad["plan"], actor=personas(name), version=1, title="X")
        with pytest.raises(OutOfScope):
            services.update_plan(rad["plan"], actor=personas("analyst_63"), version=1, title="X")


@pytest.mark.django_db
class TestActivities:
    def test_it_adds_an_activity_with_every_field_checked(self, rad, analyst_62):
        plan = rad["plan"]
        activity = services.add_activity(
            plan,
            actor=analyst_62,
            stage=CaseStage.STOPPING,
            title="Pengamanan aksi",
            agency_id=rad["polres"].pk,
            target="3 lokasi",
            budget="5000000",
            start_month=5,
            end_month=5,
        )
        assert activity.budget == 5_000_000 and activity.sort_order == 1
        entry = AuditEntry.objects.get(action="plan_activity.added")
        assert entry.area_code == "62.71"
        with pytest.raises(InvalidInput) as caught:
            services.add_activity(
                plan,
                actor=analyst_62,
                stage="lainnya",
                title="",
                agency_id=make_agency("63.71", "Polresta Banjarmasin").pk,
                target="x",
                budget=-1,
                start_month=0,
                end_month=13,
            )
        assert set(caught.value.errors) == {
            "stage",
            "title",
            "agency_id",
            "budget",
            "start_month",
            "end_month",
        }
        with pytest.raises(InvalidInput) as caught:
            services.add_activity(
                plan,
                actor=analyst_62,
                stage=CaseStage.PREVENTION,
                title="Sosialisasi",
                agency_id=rad["kesbangpol"].pk,
                target="x",
                budget=0,
                start_month=6,
                end_month=2,
            )
        assert "sebelum bulan mulai" in caught.value.errors["end_month"][0]

    def test_an_activity_update_needs_the_current_version(self, rad, analyst_62):
        patrol = rad["patrol"]
        services.update_activity(patrol, actor=analyst_62, version=1, end_month=8, budget=35)
        assert (patrol.end_month, patrol.budget, patrol.version) == (8, 35, 2)
        with pytest.raises(Conflict):
            services.update_activity(patrol, actor=analyst_62, version=1, title="X")
        with pytest.raises(InvalidInput):
            services.update_activity(patrol, actor=analyst_62, version=2, start_month=9)

    def test_an_activity_with_submitted_progress_cannot_be_removed(self, rad, analyst_62):
        make_report(rad["plan"], "B04", entries={rad["dialog"]: (20, 0)})
        make_report(
            rad["plan"], "B08", status=PlanReportStatus.DRAFT, entries={rad["patrol"]: (50, 0)}
        )
        with pytest.raises(InvalidInput):
            services.remove_activity(rad["dialog"], actor=analyst_62)
        services.remove_activity(rad["patrol"], actor=analyst_62, version=1)
        assert not PlanActivity.objects.filter(pk=rad["patrol"].pk).exists()
        removed = AuditEntry.objects.get(action="plan_activity.removed").before
        assert removed is not None and removed["title"] == "Patroli bersama"


@pytest.mark.django_db
class TestProgressReports:
    def test_it_saves_a_draft_and_updates_it_by_version(self, rad, analyst_62):
        plan = rad["plan"]
        report = services.save_plan_report(
            plan,
            actor=analyst_62,
            period="B04",
            summary="Triwulan pertama berjalan.",
            entries=[entry(rad["dialog"], 30, 2_000_000)],
            now=JUNE_2026,
        )
        assert report.status == PlanReportStatus.DRAFT and report.version == 1
        with pytest.raises(Conflict) as caught:
            services.save_plan_report(
                plan, actor=analyst_62, period="B04", entries=[], now=JUNE_2026
            )
        assert caught.value.params["existing_id"] == report.pk
        services.save_plan_report(
            plan,
            actor=analyst_62,
            period="B04",
            entries=[entry(rad["patrol"], 40)],
            version=1,
            now=JUNE_2026,
        )
        report.refresh_from_db()
        assert report.version == 2
        assert dict(report.entries.values_list("activity_id", "realisation_percent")) == {
            rad["dialog"].pk: 30,
            rad["patrol"].pk: 40,
        }
        with pytest.raises(Conflict):
            services.save_plan_report(
                plan, actor=analyst_62, period="B04", entries=[], version=1, now=JUNE_2026
            )
        actions = list(
            AuditEntry.objects.filter(area_code="62.71")
            .order_by("seq")
            .values_list("action", flat=True)
        )
        assert actions == ["plan_report.created", "plan_report.updated"]

    def test_a_period_that_has_not_started_cannot_be_reported(self, rad, analyst_62):
        with pytest.raises(InvalidInput) as caught:
            services.save_plan_report(
                rad["plan"], actor=analyst_62, period="B12", entries=[], now=JUNE_2026
            )
        assert "belum dimulai" in caught.value.errors["period"][0]
        # 1 September 00:30 in Palangka Raya (WIB) is still 31 August in UTC: already started.
        first_of_september = dt.datetime(2026, 8, 31, 17, 30, tzinfo=dt.UTC)
        services.save_plan_report(
            rad["plan"], actor=analyst_62, period="B12", entries=[], now=first_of_september
        )

    def test_unknown_activities_and_bad_figures_are_refused_with_messages(self, rad, analyst_62):
        other = make_plan(make_timdu("62.01"), 2026)
        foreign = make_activity(other, make_agency("62.01", "Kesbangpol Kobar"))
        with pytest.raises(InvalidInput) as caught:
            services.save_plan_report(
                rad["plan"],
                actor=analyst_62,
                period="B04",
                entries=[
                    entry(foreign, 10),
                    entry(rad["dialog"], 101),
                    entry(rad["patrol"], 10, 31_000_000),
                    entry(rad["patrol"], 10),
                ],
                now=JUNE_2026,
            )
        errors = caught.value.errors
        assert errors["entries.0.activity_id"] == ["Kegiatan tidak dikenal dalam RAD ini."]
        assert "0 sampai 100" in errors["entries.1.realisation_percent"][0]
        assert "Rp 30.000.000" in errors["entries.2.budget_spent"][0]
        assert "lebih dari sekali" in errors["entries.3.activity_id"][0]
        assert not PlanReport.objects.exists()

    def test_an_overrun_is_accepted_when_a_note_explains_it(self, rad, analyst_62):
        report = services.save_plan_report(
            rad["plan"],
            actor=analyst_62,
            period="B04",
            entries=[entry(rad["patrol"], 60, 31_000_000, "Harga BBM naik; disetujui Sekda.")],
            now=JUNE_2026,
        )
        assert report.entries.get().budget_spent == 31_000_000

    def test_realisation_is_cumulative_across_submitted_periods(self, rad, analyst_62):
        make_report(rad["plan"], "B04", entries={rad["dialog"]: (40, 1_000_000)})
        with pytest.raises(InvalidInput) as caught:
            services.save_plan_report(
                rad["plan"],
                actor=analyst_62,
                period="B08",
                entries=[entry(rad["dialog"], 35)],
                now=JUNE_2026,
            )
        message = caught.value.errors["entries.0.realisation_percent"][0]
        assert "B.04" in message and "40%" in message and "tidak boleh turun" in message
        report = services.save_plan_report(
            rad["plan"],
            actor=analyst_62,
            period="B08",
            entries=[entry(rad["dialog"], 40)],
            now=JUNE_2026,
        )
        assert report.entries.get().realisation_percent == 40

    def test_a_submitted_report_is_final(self, rad, analyst_62):
        make_report(rad["plan"], "B04", entries={rad["dialog"]: (40, 0)})
        with pytest.raises(Conflict):
            services.save_plan_report(
                rad["plan"], actor=analyst_62, period="B04", entries=[], now=JUNE_2026
            )

    def test_only_active_plans_take_reports(self, rad, analyst_62):
        draft = make_plan(rad["timdu"], 2025, status=PlanStatus.DRAFT)
        with pytest.raises(InvalidInput) as caught:
            services.save_plan_report(
                draft, actor=analyst_62, period="B04", entries=[], now=JUNE_2026
            )
        assert "draf" in caught.value.errors["period"][0]

    def test_operators_and_leaders_cannot_report_and_timdu_members_can(self, rad, personas):
        for name in ("operator_6271", "leader_62", "national_admin"):
            with pytest.raises(PermissionDenied):
                services.save_plan_report(
                    rad["plan"], actor=personas(name), period="B04", entries=[], now=JUNE_2026
                )
        with pytest.raises(OutOfScope):
            services.save_plan_report(
                rad["plan"], actor=personas("analyst_63"), period="B04", entries=[], now=JUNE_2026
            )
        # A Polres officer whose own scope is a kecamatan reports for the Timdu the Polres sits in.
        officer = make_timdu_user("kasat_intel", ["62.71.01"], rad["polres"])
        report = services.save_plan_report(
            rad["plan"],
            actor=officer,
            period="B04",
            entries=[entry(rad["patrol"], 25), entry(rad["dialog"], 10)],
            now=JUNE_2026,
        )
        services.submit_plan_report(report, actor=officer, version=1, now=JUNE_2026)
        outsider = make_timdu_user("kasat_kobar", ["62.01"])
        with pytest.raises(OutOfScope):
            services.save_plan_report(
                rad["plan"], actor=outsider, period="B08", entries=[], now=JUNE_2026
            )


@pytest.mark.django_db
class TestSubmit:
    def test_submitting_needs_every_activity_that_has_begun(self, rad, analyst_62):
        report = services.save_plan_report(
            rad["plan"],
            actor=analyst_62,
            period="B04",
            entries=[entry(rad["dialog"], 20)],
            now=JUNE_2026,
        )
        with pytest.raises(InvalidInput) as caught:
            services.submit_plan_report(report, actor=analyst_62, version=1, now=JUNE_2026)
        assert "Patroli bersama" in caught.value.errors["entries"][0]
        assert "Rekonsiliasi" not in caught.value.errors["entries"][0]  # begins in September
        services.save_plan_report(
            rad["plan"],
            actor=analyst_62,
            period="B04",
            entries=[entry(rad["patrol"], 50, 12_000_000)],
            version=1,
            now=JUNE_2026,
        )
        report.refresh_from_db()
        with pytest.raises(Conflict):
            services.submit_plan_report(report, actor=analyst_62, version=1, now=JUNE_2026)
        services.submit_plan_report(report, actor=analyst_62, version=2, now=JUNE_2026)
        assert report.status == PlanReportStatus.SUBMITTED
        assert report.submitted_at == JUNE_2026 and report.submitted_by == analyst_62
        audit = AuditEntry.objects.get(action="plan_report.submitted")
        assert audit.area_code == "62.71" and audit.before is not None
        assert audit.before["status"] == "draft"
        with pytest.raises(Conflict):
            services.submit_plan_report(report, actor=analyst_62, version=3, now=JUNE_2026)

    def test_a_draft_below_a_period_submitted_since_is_refused_on_submit(self, rad, analyst_62):
        late = services.save_plan_report(
            rad["plan"],
            actor=analyst_62,
            period="B08",
            entries=[entry(rad["dialog"], 30), entry(rad["patrol"], 100)],
            now=JUNE_2026,
        )
        make_report(rad["plan"], "B04", entries={rad["dialog"]: (45, 0)})
        with pytest.raises(InvalidInput) as caught:
            services.submit_plan_report(late, actor=analyst_62, version=1, now=JUNE_2026)
        assert "45%" in caught.value.errors["entries.0.realisation_percent"][0]


@pytest.mark.django_db
class TestEvidence:
    def test_evidence_goes_on_draft_entries_only(self, rad, analyst_62, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        report = services.save_plan_report(
            rad["plan"],
            actor=analyst_62,
            period="B04",
            entries=[entry(rad["dialog"], 20), entry(rad["patrol"], 30)],
            now=JUNE_2026,
        )
        first = report.entries.get(activity=rad["dialog"])
        evidence = services.add_plan_evidence(first, jpeg(), actor=analyst_62)
        assert evidence.plan_entry == first and evidence.area_code == "62.71"
        assert AuditEntry.objects.filter(action="evidence.added", area_code="62.71").exists()
        services.submit_plan_report(report, actor=analyst_62, version=1, now=JUNE_2026)
        first.report.refresh_from_db()
        with pytest.raises(InvalidInput):
            services.add_plan_evidence(first, jpeg(), actor=analyst_62)

    def test_readers_cannot_add_evidence(self, rad, personas, analyst_62, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        report = make_report(
            rad["plan"], "B04", status=PlanReportStatus.DRAFT, entries={rad["dialog"]: (5, 0)}
        )
        with pytest.raises(PermissionDenied):
            services.add_plan_evidence(report.entries.get(), jpeg(), actor=personas("leader_62"))
