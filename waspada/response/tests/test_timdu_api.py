"""/api/v1/timdus/, /api/v1/action-plans/, /api/v1/plan-activities/, /api/v1/plan-reports/:
access matrices for every endpoint, contents, errors, idempotent creates, query budgets."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from waspada.accounts.testing import ensure_area
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
    """401 for anonymous, `ok` for `allowed`, 403 for those who see the Timdu without the
    right, 404 for the rest."""
    return {
        p: 401 if p == "anonymous" else ok if p in allowed else 403 if p in seen else 404
        for p in ALL
    }


READ = matrix(200, READERS_6271)
EVERYONE = {p: 401 if p == "anonymous" else 200 for p in ALL}


def one_by_one(*values):
    """Data for check_access, one value per persona in ALL order."""
    queue = list(values)
    return lambda: queue.pop(0)


@pytest.fixture
def rad(db):
    return rad_6271()


@pytest.fixture
def last_year(rad):
    """Last year's active RAD of 62.71: every period has begun (reports may be written)."""
    plan = make_plan(rad["timdu"], local_today("62.71").year - 1)
    dialog = make_activity(plan, rad["kesbangpol"], title="Dialog", budget=10_000_000)
    patrol = make_activity(plan, rad["polres"], title="Patroli", budget=30_000_000)
    return {"plan": plan, "dialog": dialog, "patrol": patrol}


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 90, 160)).save(buffer, "JPEG")
    return SimpleUploadedFile("bukti.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.django_db
class TestTimdusApi:
    def test_the_list_applies_the_matrix_and_the_scope(self, api_as, rad):
        check_access(api_as, "get", "/api/v1/timdus/", EVERYONE)
        make_timdu("62")
        make_timdu("63.71")
        seen = {
            name: [row["area_code"] for row in api_as(name).get("/api/v1/timdus/").data["results"]]
            for name in ("operator_6271", "operator_6201", "leader_62", "analyst_63")
        }
        assert seen == {
            "operator_6271": ["62.71"],
            "operator_6201": [],
            "leader_62": ["62", "62.71"],
            "analyst_63": ["63.71"],
        }
        body = api_as("leader_62").get("/api/v1/timdus/?area=62.71").data
        assert body["count"] == 1 and body["results"][0]["member_count"] == 2

    def test_the_detail_lists_members_chair_first(self, api_as, rad):
        url = f"/api/v1/timdus/{rad['timdu'].pk}/"
        check_access(api_as, "get", url, READ)
        body = api_as("operator_6271").get(url).data
        assert [(m["agency_name"], m["role"]) for m in body["members"]] == [
            ("Badan Kesbangpol Kota Palangka Raya", "ketua"),
            ("Polresta Palangka Raya", "anggota"),
        ]
        assert body["url"] == f"/respons/timdu/{rad['timdu'].pk}/"

    def test_create_applies_the_matrix_and_one_timdu_per_area(self, api_as, db):
        areas = one_by_one(*[{"area": code, "name": "Timdu PKS"} for code in (
            "62.01", "62.01", "62.01", "62.01", "63.71", "62", "62", "63",
        )])  # fmt: skip
        check_access(
            api_as,
            "post",
            "/api/v1/timdus/",
            {
                "anonymous": 401,
                "operator_6271": 404,  # 62.01 lies outside its scope
                "operator_6201": 403,
                "analyst_62": 201,
                "analyst_63": 201,
                "leader_62": 403,
                "area_admin_62": 201,
                "national_admin": 201,
            },
            areas,
        )
        assert set(Timdu.objects.values_list("area_id", flat=True)) == {
            "62.01",
            "63.71",
            "62",
            "63",
        }
        again = api_as("analyst_62").post(
            "/api/v1/timdus/", {"area": "62.01", "name": "Lagi"}, format="json"
        )
        assert (
            again.status_code == 409
            and again.data["existing_id"] == Timdu.objects.get(area_id="62.01").pk
        )
        outside = api_as("analyst_63").post(
            "/api/v1/timdus/", {"area": "62.71", "name": "X"}, format="json"
        )
        assert outside.status_code == 404
        low = api_as("analyst_62").post(
            "/api/v1/timdus/", {"area": "62.71.01", "name": ""}, format="json"
        )
        assert low.status_code == 400 and "name" in low.data["errors"]

    def test_create_is_idempotent_with_a_key(self, api_as, db):
        client = api_as("analyst_62")
        body = {"area": "62.71", "name": "Timdu PKS Kota Palangka Raya"}
        first = client.post("/api/v1/timdus/", body, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
        again = client.post("/api/v1/timdus/", body, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
        assert (first.status_code, again.status_code) == (201, 201)
        assert again.headers["Idempotent-Replayed"] == "true"
        assert again.json() == first.json() and Timdu.objects.count() == 1
        other = client.post(
            "/api/v1/timdus/", {**body, "name": "Lain"}, format="json", HTTP_IDEMPOTENCY_KEY="t-1"
        )
        assert other.status_code == 422

    def test_partial_update_applies_the_matrix_and_the_version(self, api_as, rad):
        timdu = rad["timdu"]
        url = f"/api/v1/timdus/{timdu.pk}/"

        def data():
            timdu.refresh_from_db()
            return {"version": timdu.version, "chair": "Wali Kota"}

        check_access(api_as, "patch", url, matrix(200, MANAGERS_6271), data)
        stale = api_as("analyst_62").patch(url, {"version": 1, "chair": "X"}, format="json")
        assert stale.status_code == 409
        missing = api_as("analyst_62").patch(url, {"chair": "X"}, format="json")
        assert missing.status_code == 400 and "version" in missing.data["errors"]

    def test_members_apply_the_matrices(self, api_as, rad):
        timdu = rad["timdu"]
        url = f"/api/v1/timdus/{timdu.pk}/members/"
        check_access(api_as, "get", url, READ)
        kodim = make_agency("62.71", "Kodim 1016", kind=AgencyKind.TNI)
        payload = {"agency": kodim.pk, "role": "anggota"}
        check_access(api_as, "post", url, matrix(200, MANAGERS_6271), payload)
        assert TimduMember.objects.filter(timdu=timdu).count() == 3
        chair = api_as("analyst_62").post(url, {"agency": kodim.pk, "role": "ketua"}, format="json")
        assert chair.status_code == 400 and "role" in chair.data["errors"]
        sibling = make_agency("62.01", "Kodim 1014", kind=AgencyKind.TNI)
        refused = api_as("analyst_62").post(
            url, {"agency": sibling.pk, "role": "anggota"}, format="json"
        )
        assert refused.status_code == 400 and "agency_id" in refused.data["errors"]
        check_access(api_as, "delete", f"{url}?agency={kodim.pk}", matrix(204, MANAGERS_6271))
        assert not TimduMember.objects.filter(agency=kodim).exists()


@pytest.mark.django_db
class TestPlansApi:
    def test_list_and_detail_apply_the_matrices(self, api_as, rad):
        check_access(api_as, "get", "/api/v1/action-plans/", EVERYONE)
        check_access(api_as, "get", f"/api/v1/action-plans/{rad['plan'].pk}/", READ)
        rows = api_as("leader_62").get("/api/v1/action-plans/?year=2026&status=active").data
        assert [(r["year"], r["activity_count"]) for r in rows["results"]] == [(2026, 3)]
        assert api_as("analyst_63").get("/api/v1/action-plans/").data["count"] == 0
        bad = api_as("leader_62").get("/api/v1/action-plans/?status=lain&year=x")
        assert bad.status_code == 400 and set(bad.data["errors"]) == {"status", "year"}

    def test_create_applies_the_matrix_and_one_plan_per_year(self, api_as, rad):
        years = one_by_one(*[{"timdu": rad["timdu"].pk, "year": y, "title": f"RAD {y}"} for y in (
            2030, 2030, 2030, 2030, 2031, 2031, 2031, 2032,
        )])  # fmt: skip
        check_access(api_as, "post", "/api/v1/action-plans/", matrix(201, MANAGERS_6271), years)
        assert sorted(ActionPlan.objects.filter(year__gte=2030).values_list("year", flat=True)) == [
            2030,
            2031,
            2032,
        ]
        again = api_as("analyst_62").post(
            "/api/v1/action-plans/",
            {"timdu": rad["timdu"].pk, "year": 2026, "title": "x"},
            format="json",
        )
        assert again.status_code == 409 and again.data["existing_id"] == rad["plan"].pk

    def test_partial_update_moves_the_status_by_version(self, api_as, rad):
        plan = make_plan(rad["timdu"], 2027, status=PlanStatus.DRAFT)
        url = f"/api/v1/action-plans/{plan.pk}/"
        empty = api_as("analyst_62").patch(url, {"version": 1, "status": "active"}, format="json")
        assert empty.status_code == 400 and "status" in empty.data["errors"]
        make_activity(plan, rad["polres"])

        def data():
            plan.refresh_from_db()
            return {"version": plan.version, "title": "RAD 2027 (revisi)"}

        check_access(api_as, "patch", url, matrix(200, MANAGERS_6271), data)
        plan.refresh_from_db()
        ok = api_as("analyst_62").patch(
            url, {"version": plan.version, "status": "active"}, format="json"
        )
        assert ok.status_code == 200 and ok.data["status"] == "active"
        stale = api_as("analyst_62").patch(url, {"version": 1, "title": "x"}, format="json")
        assert stale.status_code == 409

    def test_the_overview_gives_the_figures(self, api_as, rad):
        make_report(
            rad["plan"],
            "B04",
            entries={rad["dialog"]: (50, 2_000_000), rad["patrol"]: (20, 6_000_000)},
        )
        url = f"/api/v1/action-plans/{rad['plan'].pk}/overview/"
        check_access(api_as, "get", url, READ)
        body = api_as("leader_62").get(f"{url}?date=2026-09-11").data
        assert (body["physical_percent"], body["financial_percent"]) == (27.5, 20.0)
        assert body["missing"] == ["B08"]
        periods = {p["period"]: (p["state"], p["flagged"]) for p in body["periods"]}
        assert periods == {
            "B04": ("submitted", False),
            "B08": ("missing", True),
            "B12": ("not_due", False),
        }
        patrol = body["stages"][0]["activities"][1]
        assert (patrol["title"], patrol["state"], patrol["realisation_percent"]) == (
            "Patroli bersama",
            "late",
            20,
        )
        bad = api_as("leader_62").get(f"{url}?date=kemarin")
        assert bad.status_code == 400 and "date" in bad.data["errors"]

    def test_the_list_has_a_query_budget(self, api_as, rad, django_assert_max_num_queries):
        for year in range(2000, 2020):
            make_plan(rad["timdu"], year)
        client = api_as("leader_62")
        client.get("/api/v1/action-plans/")
        with django_assert_max_num_queries(8):
            response = client.get("/api/v1/action-plans/")
        assert response.data["count"] == 21


@pytest.mark.django_db
class TestActivitiesApi:
    def test_list_and_detail_apply_the_matrices(self, api_as, rad):
        check_access(api_as, "get", f"/api/v1/plan-activities/?plan={rad['plan'].pk}", EVERYONE)
        check_access(api_as, "get", f"/api/v1/plan-activities/{rad['dialog'].pk}/", READ)
        rows = api_as("operator_6271").get(
            f"/api/v1/plan-activities/?plan={rad['plan'].pk}&stage=pencegahan"
        )
        assert [r["title"] for r in rows.data["results"]] == [
            "Dialog lintas tokoh",
            "Patroli bersama",
        ]
        assert api_as("operator_6201").get("/api/v1/plan-activities/").data["count"] == 0

    def test_create_update_and_delete_apply_the_matrices(self, api_as, rad):
        payload = {
            "plan": rad["plan"].pk,
            "stage": "pemulihan",
            "title": "Rehabilitasi rumah ibadah",
            "agency": rad["kesbangpol"].pk,
            "target": "2 rumah ibadah",
            "budget": 50_000_000,
            "start_month": 7,
            "end_month": 12,
        }
        check_access(
            api_as, "post", "/api/v1/plan-activities/", matrix(201, MANAGERS_6271), payload
        )
        created = PlanActivity.objects.filter(title="Rehabilitasi rumah ibadah")
        assert created.count() == 3
        activity = created.first()
        assert activity is not None
        url = f"/api/v1/plan-activities/{activity.pk}/"

        def data():
            activity.refresh_from_db()
            return {"version": activity.version, "end_month": 11}

        check_access(api_as, "patch", url, matrix(200, MANAGERS_6271), data)
        bad = api_as("analyst_62").patch(
            url, {"version": activity.version + 3, "start_month": 13}, format="json"
        )
        assert bad.status_code == 400 and "start_month" in bad.data["errors"]
        stale = api_as("analyst_62").patch(url, {"version": 1, "title": "x"}, format="json")
        assert stale.status_code == 409

        def first_left() -> str:
            left = created.first()
            assert left is not None
            return f"/api/v1/plan-activities/{left.pk}/"

        check_access(
            api_as,
            "delete",
            first_left,
            {
                "anonymous": 401,
                "operator_6271": 403,
                "operator_6201": 404,
                "analyst_63": 404,
                "leader_62": 403,
                "analyst_62": 204,
                "area_admin_62": 204,
                "national_admin": 204,
            },
        )
        assert not created.exists()

    def test_an_activity_with_submitted_progress_cannot_be_deleted(self, api_as, rad):
        make_report(rad["plan"], "B04", entries={rad["dialog"]: (10, 0)})
        response = api_as("analyst_62").delete(f"/api/v1/plan-activities/{rad['dialog'].pk}/")
        assert response.status_code == 400 and "tidak dapat" in response.data["detail"]


@pytest.mark.django_db
class TestReportsApi:
    def test_list_and_detail_apply_the_matrices(self, api_as, rad):
        report = make_report(rad["plan"], "B04", entries={rad["dialog"]: (40, 1_000_000)})
        check_access(api_as, "get", f"/api/v1/plan-reports/?plan={rad['plan'].pk}", EVERYONE)
        check_access(api_as, "get", f"/api/v1/plan-reports/{report.pk}/", READ)
        body = api_as("leader_62").get(f"/api/v1/plan-reports/{report.pk}/").data
        assert body["period"] == "B04" and body["status"] == "submitted"
        assert [(e["activity_title"], e["realisation_percent"]) for e in body["entries"]] == [
            ("Dialog lintas tokoh", 40)
        ]
        assert api_as("analyst_63").get("/api/v1/plan-reports/").data["count"] == 0

    def test_saving_applies_the_matrix_and_the_version(self, api_as, rad, last_year):
        plan = last_year["plan"]

        def data():
            report = PlanReport.objects.filter(plan=plan, period="B04").first()
            return {
                "plan": plan.pk,
                "period": "B04",
                "version": report.version if report else None,
                "entries": [
                    {"activity_id": last_year["dialog"].pk, "realisation_percent": 30},
                ],
            }

        check_access(
            api_as,
            "post",
            "/api/v1/plan-reports/",
            {**matrix(200, REPORTERS_6271), "analyst_62": 201},
            data,
        )
        report = PlanReport.objects.get(plan=plan, period="B04")
        assert report.version == 2 and report.status == PlanReportStatus.DRAFT
        again = api_as("analyst_62").post(
            "/api/v1/plan-reports/", {"plan": plan.pk, "period": "B04"}, format="json"
        )
        assert again.status_code == 409 and again.data["existing_id"] == report.pk
        url = f"/api/v1/plan-reports/{report.pk}/"
        patch = api_as("area_admin_62").patch(
            url,
            {
                "version": 2,
                "summary": "Berjalan",
                "entries": [{"activity_id": last_year["patrol"].pk, "realisation_percent": 25}],
            },
            format="json",
        )
        assert patch.status_code == 200 and len(patch.data["entries"]) == 2
        assert api_as("area_admin_62").patch(url, {"version": 2}, format="json").status_code == 409

        def current():
            report.refresh_from_db()
            return {"version": report.version, "summary": "Diperbarui"}

        check_access(api_as, "patch", url, matrix(200, REPORTERS_6271), current)

    def test_bad_entries_answer_400_with_messages_per_entry(self, api_as, rad, last_year):
        plan = last_year["plan"]
        make_report(plan, "B04", entries={last_year["dialog"]: (40, 0)})
        foreign = make_activity(make_plan(make_timdu("62.01"), 2026), make_agency("62.01"))
        response = api_as("analyst_62").post(
            "/api/v1/plan-reports/",
            {
                "plan": plan.pk,
                "period": "B08",
                "entries": [
                    {"activity_id": last_year["dialog"].pk, "realisation_percent": 30},
                    {"activity_id": foreign.pk, "realisation_percent": 10},
                    {
                        "activity_id": last_year["patrol"].pk,
                        "realisation_percent": 10,
                        "budget_spent": 40_000_000,
                    },
                    {"activity_id": last_year["patrol"].pk, "realisation_percent": "banyak"},
                ],
            },
            format="json",
        )
        assert response.status_code == 400
        assert set(response.data["errors"]) == {"entries.3.realisation_percent"}
        response = api_as("analyst_62").post(
            "/api/v1/plan-reports/",
            {
                "plan": plan.pk,
                "period": "B08",
                "entries": [
                    {"activity_id": last_year["dialog"].pk, "realisation_percent": 30},
                    {"activity_id": foreign.pk, "realisation_percent": 10},
                    {
                        "activity_id": last_year["patrol"].pk,
                        "realisation_percent": 10,
                        "budget_spent": 40_000_000,
                    },
                ],
            },
            format="json",
        )
        errors = response.data["errors"]
        assert response.status_code == 400
        assert "tidak boleh turun" in errors["entries.0.realisation_percent"][0]
        assert errors["entries.1.activity_id"] == ["Kegiatan tidak dikenal dalam RAD ini."]
        assert "catatan" in errors["entries.2.budget_spent"][0]
        next_year = make_plan(rad["timdu"], local_today("62.71").year + 1)
        future = api_as("analyst_62").post(
            "/api/v1/plan-reports/", {"plan": next_year.pk, "period": "B04"}, format="json"
        )
        assert future.status_code == 400 and "belum dimulai" in future.data["errors"]["period"][0]

    def test_submit_applies_the_matrix(self, api_as, personas, rad, last_year):
        plan = last_year["plan"]
        reports = {}
        for period in ("B04", "B08", "B12"):
            reports[period] = make_report(
                plan,
                period,
                status=PlanReportStatus.DRAFT,
                entries={last_year["dialog"]: (10, 0), last_year["patrol"]: (10, 0)},
            )
        drafts = PlanReport.objects.filter(plan=plan, status="draft").order_by("period")

        def first_draft() -> str:
            report = drafts.first()
            assert report is not None
            return f"/api/v1/plan-reports/{report.pk}/submit/"

        check_access(
            api_as,
            "post",
            first_draft,
            {
                "anonymous": 401,
                "operator_6271": 403,
                "operator_6201": 404,
                "analyst_63": 404,
                "leader_62": 403,
                "national_admin": 403,
                "analyst_62": 200,
                "area_admin_62": 200,
            },
            lambda: {"version": 1},
        )
        submitted = PlanReport.objects.filter(plan=plan, status="submitted").order_by("period")
        assert [(r.period, r.submitted_by_id) for r in submitted] == [
            ("B04", personas("analyst_62").pk),
            ("B08", personas("area_admin_62").pk),
        ]
        stale = api_as("analyst_62").post(
            f"/api/v1/plan-reports/{reports['B12'].pk}/submit/", {"version": 7}, format="json"
        )
        assert stale.status_code == 409

    def test_a_timdu_member_reports_and_uploads_evidence(
        self, api_as, rad, last_year, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        officer = make_timdu_user("kasat_intel", ["62.71.01"], rad["polres"])
        from rest_framework.test import APIClient

        client = APIClient()
        client.force_authenticate(officer)
        created = client.post(
            "/api/v1/plan-reports/",
            {
                "plan": last_year["plan"].pk,
                "period": "B04",
                "entries": [{"activity_id": last_year["patrol"].pk, "realisation_percent": 35}],
            },
            format="json",
        )
        assert created.status_code == 201
        report_id, entry_id = created.data["id"], created.data["entries"][0]["id"]
        url = f"/api/v1/plan-reports/{report_id}/entries/{entry_id}/evidence/"
        upload = client.post(url, {"file": jpeg()}, format="multipart")
        assert upload.status_code == 201 and upload.data["url"].startswith("/respons/bukti/")
        assert Evidence.objects.get().plan_entry_id == entry_id

        def files():
            return {"file": jpeg()}

        check_access(
            api_as,
            "post",
            url,
            {**matrix(201, REPORTERS_6271), "anonymous": 401},
            files,
            fmt="multipart",
        )
        bad = client.post(
            url,
            {"file": SimpleUploadedFile("x.jpg", b"MZ no photo", content_type="image/jpeg")},
            format="multipart",
        )
        assert bad.status_code == 400 and "file" in bad.data["errors"]
        other = make_report(last_year["plan"], "B08", status=PlanReportStatus.DRAFT)
        wrong = client.post(
            f"/api/v1/plan-reports/{other.pk}/entries/{entry_id}/evidence/",
            {"file": jpeg()},
            format="multipart",
        )
        assert wrong.status_code == 404

    def test_lists_have_query_budgets(self, api_as, rad, last_year, django_assert_max_num_queries):
        for n in range(20):
            ensure_area(f"62.{n + 30:02d}")
            timdu = make_timdu(f"62.{n + 30:02d}")
            plan = make_plan(timdu, 2026)
            activity = make_activity(plan, rad["kesbangpol"], title=f"Kegiatan {n}")
            make_report(plan, "B04", entries={activity: (n, 0)})
        client = api_as("leader_62")
        for url, count in (
            ("/api/v1/timdus/", 21),
            ("/api/v1/action-plans/", 22),
            ("/api/v1/plan-activities/", 25),
            ("/api/v1/plan-reports/", 20),
        ):
            client.get(url)
            with django_assert_max_num_queries(8):
                response = client.get(url)
            assert response.data["count"] == count, url
