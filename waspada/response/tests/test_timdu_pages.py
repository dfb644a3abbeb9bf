"""Timdu and RAD pages under /respons/: access matrices for every page, and what they show."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from waspada.core.testing.access import check_access
from waspada.response.choices import AgencyKind, PlanReportStatus, PlanStatus
from waspada.response.models import (
    ActionPlan,
    Evidence,
    PlanActivity,
    PlanReport,
    Timdu,
    TimduMember,
)
from waspada.response.tests.factories import make_agency
from waspada.response.tests.factories_timdu import (
    make_activity,
    make_plan,
    make_report,
    make_timdu,
    make_timdu_user,
    rad_6271,
)
from waspada.response.timdu_periods import local_today

ALL = [
    "anonymous",
    "operator_6271",
    "operator_6201",
    "analyst_62",
    "analyst_63",
    "leader_62",
    "area_admin_62",
    "national_admin",
]
READERS_6271 = {"operator_6271", "analyst_62", "leader_62", "area_admin_62", "national_admin"}
MANAGERS_6271 = {"analyst_62", "area_admin_62", "national_admin"}
REPORTERS_6271 = {"analyst_62", "area_admin_62"}


def matrix(ok: int, allowed: set[str], *, seen: set[str] = READERS_6271) -> dict[str, int]:
    """302 (to log in) for anonymous, `ok` for `allowed`, 403 for those who see the Timdu
    without the right, 404 for the rest."""
    return {
        p: 302 if p == "anonymous" else ok if p in allowed else 403 if p in seen else 404
        for p in ALL
    }


READ = matrix(200, READERS_6271)
MANAGE = matrix(200, MANAGERS_6271)


@pytest.fixture
def rad(db):
    return rad_6271()


@pytest.fixture
def last_year(rad):
    """Last year's RAD of 62.71 (active): every period has begun and is past its due day; B.04
    is submitted (dialog 50 %, patrol 20 %)."""
    year = local_today("62.71").year - 1
    plan = make_plan(rad["timdu"], year)
    dialog = make_activity(plan, rad["kesbangpol"], title="Dialog tahun lalu", budget=10_000_000)
    patrol = make_activity(
        plan, rad["polres"], title="Patroli tahun lalu", budget=30_000_000, start_month=3
    )
    make_report(plan, "B04", entries={dialog: (50, 2_000_000), patrol: (20, 6_000_000)})
    return {"plan": plan, "dialog": dialog, "patrol": patrol}


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 90, 160)).save(buffer, "JPEG")
    return SimpleUploadedFile("bukti.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.django_db
class TestTimduPages:
    def test_the_list_answers_everyone_and_shows_only_the_scope(self, web_as, rad):
        check_access(web_as, "get", "/respons/timdu/", matrix(200, set(ALL)))
        make_timdu("62")
        row = f'data-testid="timdu-row-{rad["timdu"].pk}"'
        city = html(web_as("operator_6271"), "/respons/timdu/")
        assert row in city and "Kalimantan Tengah</a>" not in city
        province = Timdu.objects.get(area_id="62")
        assert f'timdu-row-{province.pk}"' not in city  # a user of 62.71 never sees 62's Timdu
        assert f'timdu-row-{province.pk}"' in html(web_as("leader_62"), "/respons/timdu/")
        assert row not in html(web_as("operator_6201"), "/respons/timdu/")

    def test_the_empty_list_says_how_to_form_a_timdu(self, web_as, db):
        page = html(web_as("analyst_63"), "/respons/timdu/")
        assert 'data-testid="timdu-empty"' in page and 'data-testid="new-timdu"' in page
        page = html(web_as("operator_6201"), "/respons/timdu/")
        assert "dibentuk oleh analis atau admin wilayah" in page
        assert 'data-testid="new-timdu"' not in page

    def test_the_list_shows_the_current_plans_realisation_and_flags(self, web_as, rad, last_year):
        page = html(web_as("leader_62"), "/respons/timdu/")
        assert 'data-testid="needing-reports"' in page
        flag = f'data-testid="plan-flag-{last_year["plan"].pk}-B08"'
        assert flag in page

    def test_the_create_form_is_for_managers(self, web_as, form_as, rad):
        check_access(
            web_as,
            "get",
            "/respons/timdu/baru/",
            {**matrix(200, MANAGERS_6271), "analyst_63": 200, "operator_6201": 403},
        )
        response = form_as("analyst_62").post(
            "/respons/timdu/baru/", {"area": "62.01", "name": "Timdu PKS Kotawaringin Barat"}
        )
        created = Timdu.objects.get(area_id="62.01")
        assert response.status_code == 302 and response.url == f"/respons/timdu/{created.pk}/"
        again = form_as("area_admin_62").post(
            "/respons/timdu/baru/", {"area": "62.01", "name": "Lagi"}
        )
        assert again.status_code == 409
        assert 'data-testid="existing-timdu"' in again.content.decode()
        outside = form_as("analyst_63").post("/respons/timdu/baru/", {"area": "62.71", "name": "X"})
        assert outside.status_code == 400 and "di luar cakupan" in outside.content.decode()
        low = form_as("analyst_62").post("/respons/timdu/baru/", {"area": "62.71.01", "name": "X"})
        assert low.status_code == 400 and "provinsi atau kabupaten/kota" in low.content.decode()
        for persona in ("operator_6271", "leader_62"):
            refused = form_as(persona).post("/respons/timdu/baru/", {"area": "62", "name": "X"})
            assert refused.status_code == 403

    def test_the_detail_shows_members_and_plans_in_scope(self, web_as, rad):
        url = f"/respons/timdu/{rad['timdu'].pk}/"
        check_access(web_as, "get", url, READ)
        page = html(web_as("leader_62"), url)
        assert f'data-testid="member-{rad["kesbangpol"].pk}" data-role="ketua"' in page
        assert f'data-testid="plan-{rad["plan"].pk}"' in page
        assert 'data-testid="member-form"' not in page
        assert 'data-testid="member-form"' in html(web_as("analyst_62"), url)

    def test_a_member_agencys_user_sees_its_timdu_outside_their_scope(self, web_as, rad):
        officer = make_timdu_user("kasat_intel", ["62.71.01"], rad["polres"])
        client = web_as("anonymous")
        client.force_login(officer)
        assert client.get(f"/respons/timdu/{rad['timdu'].pk}/").status_code == 200
        assert client.get(f"/respons/rad/{rad['plan'].pk}/").status_code == 200
        assert client.get(f"/respons/timdu/{rad['timdu'].pk}/ubah/").status_code == 403

    def test_the_edit_form_applies_the_matrix_and_the_version(self, web_as, form_as, rad):
        url = f"/respons/timdu/{rad['timdu'].pk}/ubah/"
        check_access(web_as, "get", url, MANAGE)
        data = {"name": "Timdu PKS Kota Palangka Raya", "chair": "Wali Kota", "version": 1}
        assert form_as("analyst_62").post(url, data).status_code == 302
        stale = form_as("area_admin_62").post(url, {**data, "chair": "Sekda"})
        assert stale.status_code == 409 and "diubah oleh pengguna lain" in stale.content.decode()
        empty = form_as("area_admin_62").post(url, {**data, "name": "", "version": 2})
        assert empty.status_code == 400 and 'data-testid="error-name"' in empty.content.decode()

    def test_members_are_set_and_removed_by_managers(self, form_as, rad):
        url = f"/respons/timdu/{rad['timdu'].pk}/anggota/"
        kodim = make_agency("62.71", "Kodim 1016", kind=AgencyKind.TNI)
        check_access(
            form_as,
            "post",
            url,
            matrix(302, MANAGERS_6271),
            {"agency": str(kodim.pk), "role": "anggota"},
        )
        assert TimduMember.objects.filter(agency=kodim).count() == 1
        second_chair = form_as("analyst_62").post(url, {"agency": kodim.pk, "role": "ketua"})
        assert second_chair.status_code == 400
        assert "sudah punya ketua" in second_chair.content.decode()
        sibling = make_agency("62.01", "Kodim 1014", kind=AgencyKind.TNI)
        assert form_as("analyst_62").post(url, {"agency": sibling.pk}).status_code == 400
        gone = form_as("analyst_62").post(url, {"agency": kodim.pk, "remove": "1"})
        assert gone.status_code == 302 and not TimduMember.objects.filter(agency=kodim).exists()


@pytest.mark.django_db
class TestPlanPages:
    def test_plan_create_applies_the_matrix_and_refuses_a_second_plan_for_a_year(
        self, web_as, form_as, rad
    ):
        url = f"/respons/timdu/{rad['timdu'].pk}/rad/baru/"
        check_access(web_as, "get", url, MANAGE)
        response = form_as("analyst_62").post(url, {"year": 2027, "title": "RAD 2027"})
        plan = ActionPlan.objects.get(year=2027)
        assert response.status_code == 302 and plan.status == PlanStatus.DRAFT
        again = form_as("analyst_62").post(url, {"year": 2027, "title": "Lagi"})
        assert again.status_code == 409 and 'data-testid="existing-plan"' in again.content.decode()
        bad = form_as("analyst_62").post(url, {"year": "dua ribu", "title": ""})
        assert bad.status_code == 400 and 'data-testid="error-year"' in bad.content.decode()

    def test_the_plan_page_shows_budgets_schedule_realisation_and_flags(
        self, web_as, rad, last_year
    ):
        url = f"/respons/rad/{last_year['plan'].pk}/"
        check_access(web_as, "get", url, READ)
        page = html(web_as("leader_62"), url)
        dialog = last_year["dialog"]
        assert f'data-testid="activity-budget-{dialog.pk}">Rp 10.000.000<' in page
        assert f'data-testid="schedule-{dialog.pk}"' in page
        assert page.count('class="on') >= 12 + 10  # Jan-Dec and Mar-Dec
        assert 'data-testid="period-B04" data-state="submitted"' in page
        assert 'data-testid="period-B08" data-state="missing"' in page
        assert 'data-testid="period-flag-B08"' in page and "Belum dilaporkan" in page
        assert "Terlambat" in page
        # (10 juta x 50 % + 30 juta x 20 %) / 40 juta = 27,5 %
        assert 'data-testid="total-physical"' in page and "27,5%" in page
        assert 'data-testid="completion-chart"' in page
        assert 'data-testid="edit-plan"' not in page  # leaders read
        assert 'data-testid="edit-plan"' in html(web_as("area_admin_62"), url)

    def test_plan_edit_moves_the_status_forward(self, web_as, form_as, rad):
        plan = make_plan(rad["timdu"], 2027, status=PlanStatus.DRAFT)
        url = f"/respons/rad/{plan.pk}/ubah/"
        check_access(web_as, "get", url, MANAGE)
        data = {"year": 2027, "title": "RAD 2027", "status": "active", "version": 1}
        empty = form_as("analyst_62").post(url, data)
        assert empty.status_code == 400 and "minimal satu kegiatan" in empty.content.decode()
        make_activity(plan, rad["polres"])
        assert form_as("analyst_62").post(url, data).status_code == 302
        plan.refresh_from_db()
        assert plan.status == PlanStatus.ACTIVE
        assert form_as("analyst_62").post(url, data).status_code == 409  # version 1 is stale
        assert form_as("operator_6271").post(url, data).status_code == 403

    def test_activities_are_added_with_rupiah_amounts_and_messages_next_to_fields(
        self, web_as, form_as, rad
    ):
        url = f"/respons/rad/{rad['plan'].pk}/kegiatan/baru/"
        check_access(web_as, "get", url, MANAGE)
        data = {
            "stage": "penghentian",
            "title": "Pengamanan aksi damai",
            "agency": rad["polres"].pk,
            "target": "3 lokasi",
            "budget": "Rp 1.250.000",
            "start_month": 5,
            "end_month": 6,
        }
        assert form_as("analyst_62").post(url, data).status_code == 302
        assert PlanActivity.objects.get(title="Pengamanan aksi damai").budget == 1_250_000
        bad = form_as("analyst_62").post(url, {**data, "budget": "1,5 juta", "end_month": 2})
        page = bad.content.decode()
        assert bad.status_code == 400 and 'data-testid="error-budget"' in page
        assert form_as("leader_62").post(url, data).status_code == 403

    def test_an_activity_is_edited_by_version_and_removed_until_reported(
        self, web_as, form_as, rad
    ):
        patrol = rad["patrol"]
        url = f"/respons/rad/kegiatan/{patrol.pk}/ubah/"
        check_access(web_as, "get", url, MANAGE)
        data = {
            "stage": "pencegahan",
            "title": "Patroli bersama",
            "agency": rad["polres"].pk,
            "target": "24 kali",
            "budget": "30.000.000",
            "start_month": 3,
            "end_month": 7,
            "version": 1,
        }
        assert form_as("analyst_62").post(url, data).status_code == 302
        assert form_as("analyst_62").post(url, data).status_code == 409
        make_report(rad["plan"], "B04", entries={patrol: (10, 0)})
        refused = form_as("analyst_62").post(url, {"remove": "1", "version": 2}, follow=True)
        assert "tidak dapat dihapus" in refused.content.decode()
        assert PlanActivity.objects.filter(pk=patrol.pk).exists()
        dialog_url = f"/respons/rad/kegiatan/{rad['recovery'].pk}/ubah/"
        assert form_as("analyst_62").post(dialog_url, {"remove": "1"}).status_code == 302
        assert not PlanActivity.objects.filter(pk=rad["recovery"].pk).exists()


@pytest.mark.django_db
class TestReportPage:
    def test_the_report_page_applies_the_read_matrix_and_404s_unknown_periods(
        self, web_as, rad, last_year
    ):
        base = f"/respons/rad/{last_year['plan'].pk}/laporan"
        check_access(web_as, "get", f"{base}/B08/", READ)
        check_access(web_as, "get", f"{base}/B04/", READ)
        assert web_as("analyst_62").get(f"{base}/B16/").status_code == 404
        page = html(web_as("leader_62"), f"{base}/B04/")
        assert 'data-testid="report-readonly"' in page and 'data-testid="report-form"' not in page
        page = html(web_as("analyst_62"), f"{base}/B08/")
        assert 'data-testid="report-form"' in page
        assert f'data-testid="previous-{last_year["dialog"].pk}">B.04: 50%' in page

    def test_saving_applies_the_report_matrix(self, form_as, rad, last_year):
        plan = last_year["plan"]
        url = f"/respons/rad/{plan.pk}/laporan/B08/"

        def data():
            report = PlanReport.objects.filter(plan=plan, period="B08").first()
            return {
                "action": "save",
                "version": report.version if report else "",
                f"p_{last_year['dialog'].pk}": "60",
                f"s_{last_year['dialog'].pk}": "3.000.000",
            }

        check_access(form_as, "post", url, matrix(302, REPORTERS_6271), data)
        report = PlanReport.objects.get(plan=plan, period="B08")
        assert report.version == 2 and report.status == PlanReportStatus.DRAFT
        assert report.entries.get().budget_spent == 3_000_000

    def test_a_timdu_member_reports_and_submits_with_evidence(
        self, web_as, rad, last_year, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        officer = make_timdu_user("kasat_intel", ["62.71.01"], rad["polres"])
        client = web_as("anonymous")
        client.force_login(officer)
        plan, dialog, patrol = last_year["plan"], last_year["dialog"], last_year["patrol"]
        url = f"/respons/rad/{plan.pk}/laporan/B08/"
        low = client.post(url, {"action": "save", f"p_{dialog.pk}": "40"})
        assert low.status_code == 400
        assert "tidak boleh turun" in low.content.decode() and "B.04" in low.content.decode()
        saved = client.post(
            url,
            {
                "action": "save",
                f"p_{dialog.pk}": "70",
                f"p_{patrol.pk}": "60",
                f"s_{patrol.pk}": "31.000.000",
                f"n_{patrol.pk}": "Tambahan BBM disetujui Sekda.",
            },
        )
        assert saved.status_code == 302
        report = PlanReport.objects.get(plan=plan, period="B08")
        entry = report.entries.get(activity=patrol)
        upload = client.post(url, {"action": "evidence", "entry": entry.pk, "file": jpeg()})
        assert upload.status_code == 302 and Evidence.objects.get().plan_entry == entry
        page = html(client, url)
        assert 'data-testid="evidence-file-' in page
        bad_file = SimpleUploadedFile("x.jpg", b"MZ not a photo", content_type="image/jpeg")
        refused = client.post(url, {"action": "evidence", "entry": entry.pk, "file": bad_file})
        assert refused.status_code == 400 and 'data-testid="evidence-error"' in (
            refused.content.decode()
        )
        done = client.post(url, {"action": "submit", "version": report.version})
        assert done.status_code == 302 and done.url == f"/respons/rad/{plan.pk}/"
        report.refresh_from_db()
        assert report.status == PlanReportStatus.SUBMITTED and report.submitted_by == officer
        again = client.post(url, {"action": "save", "version": report.version})
        assert again.status_code == 409

    def test_submitting_without_every_begun_activity_keeps_the_draft_and_says_why(
        self, form_as, rad, last_year
    ):
        plan, dialog = last_year["plan"], last_year["dialog"]
        url = f"/respons/rad/{plan.pk}/laporan/B08/"
        response = form_as("analyst_62").post(url, {"action": "submit", f"p_{dialog.pk}": "55"})
        page = response.content.decode()
        assert response.status_code == 400 and "Patroli tahun lalu" in page
        report = PlanReport.objects.get(plan=plan, period="B08")
        assert report.status == PlanReportStatus.DRAFT
        assert f'name="version" value="{report.version}"' in page


@pytest.mark.django_db
class TestFormPostMatrices:
    """Every form's POST answers each persona: managers are redirected after saving, readers
    get 403, the rest 404 (the current version is sent each time)."""

    def test_timdu_edit(self, form_as, rad):
        timdu = rad["timdu"]

        def data():
            timdu.refresh_from_db()
            return {"name": timdu.name, "chair": "Wali Kota", "version": timdu.version}

        url = f"/respons/timdu/{timdu.pk}/ubah/"
        check_access(form_as, "post", url, matrix(302, MANAGERS_6271), data)
        timdu.refresh_from_db()
        assert timdu.version == 1 + len(MANAGERS_6271)

    def test_plan_create_and_edit(self, form_as, rad):
        years = iter(range(2040, 2050))
        url = f"/respons/timdu/{rad['timdu'].pk}/rad/baru/"
        check_access(
            form_as,
            "post",
            url,
            matrix(302, MANAGERS_6271),
            lambda: {"year": next(years), "title": "RAD"},
        )
        assert ActionPlan.objects.filter(year__gte=2040).count() == len(MANAGERS_6271)
        plan = rad["plan"]

        def data():
            plan.refresh_from_db()
            return {"year": 2026, "title": "RAD 2026", "status": "active", "version": plan.version}

        check_access(
            form_as, "post", f"/respons/rad/{plan.pk}/ubah/", matrix(302, MANAGERS_6271), data
        )

    def test_activity_create_and_edit(self, form_as, rad):
        fields = {
            "stage": "pencegahan",
            "title": "Sosialisasi",
            "agency": rad["kesbangpol"].pk,
            "target": "10 desa",
            "budget": "2.000.000",
            "start_month": 2,
            "end_month": 4,
        }
        url = f"/respons/rad/{rad['plan'].pk}/kegiatan/baru/"
        check_access(form_as, "post", url, matrix(302, MANAGERS_6271), fields)
        assert PlanActivity.objects.filter(title="Sosialisasi").count() == len(MANAGERS_6271)
        dialog = rad["dialog"]

        def data():
            dialog.refresh_from_db()
            return {**fields, "title": "Dialog lintas tokoh", "version": dialog.version}

        url = f"/respons/rad/kegiatan/{dialog.pk}/ubah/"
        check_access(form_as, "post", url, matrix(302, MANAGERS_6271), data)
