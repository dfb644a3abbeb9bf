"""/api/v1/reports/: status codes, access matrices for every persona, filters, query budgets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from waspada.accounts.models import User
from waspada.accounts.testing import make_user
from waspada.core.testing.access import check_access
from waspada.events.models import Item
from waspada.reports import services
from waspada.reports.models import SituationReport
from waspada.reports.testing import make_item, make_report

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/"
# Personas beyond the shared ones: an analyst of 62 cleared for *rahasia*.
EXTRA_PERSONAS = {"analyst_62_rahasia": ("analyst", ["62"], {"clearance": "rahasia"})}


@pytest.fixture
def client_for(api_as):
    made: dict[str, User] = {}

    def get(name: str):
        if name not in EXTRA_PERSONAS:
            return api_as(name)
        if name not in made:
            role, codes, extra = EXTRA_PERSONAS[name]
            made[name] = make_user(name, role, codes, **extra)
        client = APIClient()
        client.force_authenticate(made[name])
        return client

    return get


def today() -> dt.date:
    return services.local_today("62.71")


def item_data(**extra):
    data = {
        "title": "Unjuk rasa warga menolak perluasan kebun sawit",
        "chronology": "Sekitar 200 warga berkumpul di depan kantor desa.",
        "occurred_at": (timezone.now() - dt.timedelta(hours=3)).isoformat(),
        "area": "62.71.02",
        "aspect": "ekonomi",
        "athg": "gangguan",
    }
    data.update(extra)
    return data


def report_with_item(operator, *, status="draft", **fields):
    report = make_report("62.71", created_by=operator, report_type="khusus", **fields)
    make_item(report)
    if status != "draft":
        services.submit_report(report, actor=operator)
    return report


# ---------------------------------------------------------------- access matrices

ALL_READERS = {
    "anonymous": 401,
    "operator_6271": 200,
    "operator_6201": 404,
    "analyst_62": 200,
    "analyst_63": 404,
    "leader_62": 200,
    "area_admin_62": 200,
    "national_admin": 200,
    "analyst_62_rahasia": 200,
}
FILERS = {
    "anonymous": 401,
    "operator_6271": 200,
    "operator_6201": 404,
    "analyst_62": 200,
    "analyst_63": 404,
    "leader_62": 403,
    "area_admin_62": 200,
    "national_admin": 403,
    "analyst_62_rahasia": 200,
}
REVIEWERS = {
    "anonymous": 401,
    "operator_6271": 403,
    "operator_6201": 404,
    "analyst_62": 200,
    "analyst_63": 404,
    "leader_62": 403,
    "area_admin_62": 403,
    "national_admin": 403,
    "analyst_62_rahasia": 200,
}


def created(matrix: dict[str, int]) -> dict[str, int]:
    return {k: 201 if v == 200 else v for k, v in matrix.items()}


class TestAccessMatrix:
    def test_list(self, client_for):
        matrix = {k: 401 if k == "anonymous" else 200 for k in ALL_READERS}
        check_access(client_for, "get", URL, matrix)

    def test_retrieve(self, client_for, operator_6271):
        report = report_with_item(operator_6271)
        check_access(client_for, "get", f"{URL}{report.pk}/", ALL_READERS)

    def test_create(self, client_for):
        data = {"report_type": "khusus", "area": "62.71", "period_start": str(today())}
        check_access(client_for, "post", URL, created(FILERS), data)

    def test_create_with_items(self, client_for):
        def data():
            return {
                "report_type": "khusus",
                "area": "62.71",
                "period_start": str(today()),
                "items": [item_data()],
            }

        check_access(client_for, "post", URL, created(FILERS), data)

    def test_update(self, client_for, operator_6271):
        def url():
            return f"{URL}{report_with_item(operator_6271).pk}/"

        check_access(client_for, "patch", url, FILERS, {"version": 1, "title": "Baru"})

    def test_submit(self, client_for, operator_6271):
        def url():
            return f"{URL}{report_with_item(operator_6271).pk}/submit/"

        check_access(client_for, "post", url, FILERS, {})

    def test_return(self, client_for, operator_6271):
        def url():
            return f"{URL}{report_with_item(operator_6271, status='submitted').pk}/return/"

        check_access(client_for, "post", url, REVIEWERS, {"reason": "Lengkapi sumbernya."})

    def test_verify(self, client_for, operator_6271):
        def url():
            return f"{URL}{report_with_item(operator_6271, status='submitted').pk}/verify/"

        check_access(client_for, "post", url, REVIEWERS, {})

    def test_add_item(self, client_for, operator_6271):
        def url():
            return f"{URL}{report_with_item(operator_6271).pk}/items/"

        check_access(client_for, "post", url, created(FILERS), item_data())

    def test_a_rahasia_item_is_invisible_below_rahasia_clearance(self, client_for, operator_6271):
        report = report_with_item(operator_6271)
        secret = make_item(report, title="Rencana aksi rahasia", classification="rahasia")
        seen: dict[str, tuple[int, bool, int]] = {}
        for name in ["analyst_62", "leader_62", "national_admin", "analyst_62_rahasia"]:
            client = client_for(name)
            detail = client.get(f"{URL}{report.pk}/").json()
            listed = client.get(URL).json()["results"]
            ids = {i["id"] for i in detail["items"]}
            seen[name] = (len(ids), secret.pk in ids, listed[0]["item_count"])
        assert seen == {
            "analyst_62": (1, False, 1),
            "leader_62": (1, False, 1),
            "national_admin": (1, False, 1),
            "analyst_62_rahasia": (2, True, 2),
        }
        body = client_for("analyst_62").get(f"{URL}{report.pk}/").content.decode()
        assert "Rencana aksi rahasia" not in body


# ---------------------------------------------------------------- behaviour


class TestCreate:
    def test_it_creates_a_daily_report_with_nested_items(self, api_as):
        body = {
            "report_type": "harian",
            "area": "62.71",
            "period_start": str(today()),
            "title": "LAPSITDA",
            "items": [item_data(), item_data(title="Sengketa batas", deaths=1)],
        }
        response = api_as("operator_6271").post(URL, body, format="json")
        assert response.status_code == 201, response.json()
        data = response.json()
        assert data["status"] == "draft"
        assert data["version"] == 1
        assert data["item_count"] == 2
        assert [i["title"] for i in data["items"]] == [
            "Unjuk rasa warga menolak perluasan kebun sawit",
            "Sengketa batas",
        ]
        assert data["items"][0]["aspect"] == "ekonomi"
        assert data["due_at"] is not None

    def test_a_duplicate_daily_report_answers_409_with_the_existing_id(self, api_as):
        client = api_as("operator_6271")
        body = {"report_type": "harian", "area": "62.71", "period_start": str(today())}
        first = client.post(URL, body, format="json").json()
        response = client.post(URL, body, format="json")
        assert response.status_code == 409
        assert response.json()["existing_id"] == first["id"]
        assert response.json()["code"] == "conflict"

    def test_bad_input_answers_400_with_field_errors_and_writes_nothing(self, api_as):
        client = api_as("operator_6271")
        future = str(today() + dt.timedelta(days=2))
        response = client.post(
            URL, {"report_type": "harian", "area": "62.71", "period_start": future}, format="json"
        )
        assert response.status_code == 400
        assert "period_start" in response.json()["errors"]
        response = client.post(
            URL,
            {
                "report_type": "harian",
                "area": "62.71",
                "period_start": str(today()),
                "items": [item_data(aspect="tidak-ada", deaths=-3)],
            },
            format="json",
        )
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert {"items.0.aspect", "items.0.deaths"} <= set(errors)
        response = client.post(
            URL, {"report_type": "tahunan", "area": "62.7x", "period_start": "x"}, format="json"
        )
        assert response.status_code == 400
        assert {"report_type", "area", "period_start"} <= set(response.json())
        assert not SituationReport.objects.exists()
        assert not Item.objects.exists()

    def test_an_out_of_scope_area_answers_404(self, api_as):
        body = {"report_type": "harian", "area": "63.71", "period_start": str(today())}
        assert api_as("operator_6271").post(URL, body, format="json").status_code == 404

    def test_a_retry_with_the_same_key_returns_the_first_answer(self, api_as):
        client = api_as("operator_6271")
        body = {"report_type": "harian", "area": "62.71", "period_start": str(today())}
        first = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="lap-1")
        again = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="lap-1")
        assert (first.status_code, again.status_code) == (201, 201)
        assert again.json() == first.json()
        assert again.headers["Idempotent-Replayed"] == "true"
        assert SituationReport.objects.count() == 1
        other = client.post(
            URL, {**body, "title": "lain"}, format="json", HTTP_IDEMPOTENCY_KEY="lap-1"
        )
        assert other.status_code == 422
        bad = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="a b")
        assert bad.status_code == 400


class TestWorkflowOverApi:
    def test_submit_return_resubmit_verify(self, api_as, operator_6271):
        report = report_with_item(operator_6271)
        operator, analyst = api_as("operator_6271"), api_as("analyst_62")
        r = operator.post(f"{URL}{report.pk}/submit/", {"version": 1}, format="json")
        assert (r.status_code, r.json()["status"]) == (200, "submitted")
        r = analyst.post(f"{URL}{report.pk}/return/", {}, format="json")
        assert r.status_code == 400
        assert "reason" in r.json()
        r = analyst.post(f"{URL}{report.pk}/return/", {"reason": "Kurang sumber"}, format="json")
        assert (r.status_code, r.json()["return_reason"]) == (200, "Kurang sumber")
        version = r.json()["version"]
        r = operator.patch(
            f"{URL}{report.pk}/", {"version": version, "summary": "Sumber: Polsek"}, format="json"
        )
        assert r.status_code == 200
        r = operator.post(f"{URL}{report.pk}/submit/", {}, format="json")
        assert r.status_code == 200
        r = analyst.post(
            f"{URL}{report.pk}/verify/", {"version": r.json()["version"]}, format="json"
        )
        assert (r.status_code, r.json()["status"]) == (200, "verified")
        assert r.json()["items"][0]["status"] == "verified"

    def test_a_stale_version_answers_409_with_the_current_version(self, api_as, operator_6271):
        report = report_with_item(operator_6271)
        client = api_as("operator_6271")
        ok = client.patch(f"{URL}{report.pk}/", {"version": 1, "title": "a"}, format="json")
        assert ok.status_code == 200
        r = client.patch(f"{URL}{report.pk}/", {"version": 1, "title": "b"}, format="json")
        assert r.status_code == 409
        assert r.json()["version"] == 2
        assert "pengguna lain" in r.json()["detail"]
        missing = client.patch(f"{URL}{report.pk}/", {"title": "c"}, format="json")
        assert missing.status_code == 400
        assert "version" in missing.json()
        form = client.patch(f"{URL}{report.pk}/", {"version": 2, "title": "d"})
        assert form.status_code == 415

    def test_a_report_submitted_twice_answers_409(self, api_as, operator_6271):
        report = report_with_item(operator_6271)
        client = api_as("operator_6271")
        assert client.post(f"{URL}{report.pk}/submit/").status_code == 200
        response = client.post(f"{URL}{report.pk}/submit/")
        assert response.status_code == 409
        assert response.json()["status"] == "submitted"

    def test_self_verification_answers_403_with_a_message(self, api_as, analyst_62):
        report = make_report("62.71", created_by=analyst_62)
        make_item(report)
        services.submit_report(report, actor=analyst_62)
        response = api_as("analyst_62").post(f"{URL}{report.pk}/verify/")
        assert response.status_code == 403
        assert "sendiri" in response.json()["detail"]

    def test_adding_an_item_with_a_key_lands_once(self, api_as, operator_6271):
        report = make_report("62.71", created_by=operator_6271)
        client = api_as("operator_6271")
        url = f"{URL}{report.pk}/items/"
        body = item_data()
        first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="butir-1")
        again = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="butir-1")
        assert first.status_code == 201, first.json()
        assert again.json() == first.json()
        assert report.items.count() == 1
        bad = client.post(url, item_data(crowd_size=-1), format="json")
        assert bad.status_code == 400
        assert "crowd_size" in bad.json()["errors"]

    @pytest.mark.parametrize("pk", ["0", "99999999", "99999999999999999999999"])
    def test_adding_an_item_to_a_report_that_does_not_exist_answers_404(self, api_as, pk):
        response = api_as("operator_6271").post(f"{URL}{pk}/items/", item_data(), format="json")
        assert response.status_code == 404

    def test_adding_an_item_to_a_submitted_report_answers_409(self, api_as, operator_6271):
        report = report_with_item(operator_6271, status="submitted")
        response = api_as("operator_6271").post(
            f"{URL}{report.pk}/items/", item_data(), format="json"
        )
        assert response.status_code == 409


class TestListFilters:
    @pytest.fixture
    def reports(self, operator_6271, personas):
        operator_6201 = personas("operator_6201")
        return {
            "daily": make_report(
                "62.71", created_by=operator_6271, period_start=dt.date(2025, 3, 1)
            ),
            "nihil": make_report(
                "62.71.02",
                created_by=operator_6271,
                period_start=dt.date(2025, 3, 2),
                is_nihil=True,
                status="submitted",
            ),
            "weekly": make_report(
                "62.01",
                created_by=operator_6201,
                report_type="mingguan",
                period_start=dt.date(2025, 3, 3),
                period_end=dt.date(2025, 3, 9),
                title="Rekap minggu pertama Maret",
            ),
            "other": make_report("63.71", period_start=dt.date(2025, 3, 1)),
        }

    def ids(self, client, query=""):
        response = client.get(f"{URL}{query}")
        assert response.status_code == 200, response.json()
        return {r["id"] for r in response.json()["results"]}

    def test_each_filter_narrows_the_list(self, api_as, reports):
        client = api_as("analyst_62")
        pk = {k: r.pk for k, r in reports.items()}
        assert self.ids(client) == {pk["daily"], pk["nihil"], pk["weekly"]}
        assert self.ids(client, "?area=62.71") == {pk["daily"], pk["nihil"]}
        assert self.ids(client, "?area=62.71.02") == {pk["nihil"]}
        assert self.ids(client, "?report_type=mingguan") == {pk["weekly"]}
        assert self.ids(client, "?status=submitted") == {pk["nihil"]}
        assert self.ids(client, "?is_nihil=true") == {pk["nihil"]}
        assert self.ids(client, "?date_from=2025-03-05&date_to=2025-03-05") == {pk["weekly"]}
        assert self.ids(client, "?date_to=2025-03-01") == {pk["daily"]}
        assert self.ids(client, "?q=minggu%20pertama") == {pk["weekly"]}
        assert self.ids(client, f"?q=LAP-{pk['daily']:06d}") == {pk["daily"]}

    def test_a_viewer_never_sees_reports_outside_the_scope(self, api_as, reports):
        assert self.ids(api_as("operator_6201")) == {reports["weekly"].pk}
        assert self.ids(api_as("analyst_63")) == {reports["other"].pk}
        assert self.ids(api_as("operator_6201"), "?area=62.71") == set()

    def test_a_bad_filter_answers_400(self, api_as, reports):
        client = api_as("analyst_62")
        assert client.get(f"{URL}?area=62.7x").status_code == 400
        assert client.get(f"{URL}?date_from=kemarin").status_code == 400
        assert client.get(f"{URL}?status=hilang").status_code == 400


class TestQueryBudgets:
    def test_the_list_costs_the_same_for_three_or_thirty_reports(
        self, api_as, operator_6271, django_assert_max_num_queries
    ):
        client = api_as("analyst_62")
        for day in range(30):
            report = make_report(
                "62.71", created_by=operator_6271, period_start=dt.date(2025, 1, 1 + day)
            )
            make_item(report)
        with django_assert_max_num_queries(4):
            response = client.get(URL)
        assert response.json()["count"] == 30

    def test_the_detail_costs_the_same_for_one_or_ten_items(
        self, api_as, operator_6271, django_assert_max_num_queries
    ):
        client = api_as("analyst_62")
        report = make_report("62.71", created_by=operator_6271)
        for _ in range(10):
            make_item(report)
        with django_assert_max_num_queries(7):
            response = client.get(f"{URL}{report.pk}/")
        assert len(response.json()["items"]) == 10
