"""`/api/v1/conflict-cases/`, `/api/v1/conflict-statuses/`, `/api/v1/recovery-activities/`:
access matrices for every endpoint across all personas (rahasia cases included), idempotent
create, stale versions, clear 400s, and query budgets on the lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from waspada.core.testing.access import check_access
from waspada.response.choices import CaseStage, ConflictStatusState
from waspada.response.models import ConflictCase, ConflictStatus, RecoveryActivity
from waspada.response.services import cases as services
from waspada.response.tests.factories import make_agency
from waspada.response.tests.factories_cases import (
    cleared_analyst,
    jpeg_bytes,
    local_today,
    make_event,
    open_case,
)

CASES = "/api/v1/conflict-cases/"
STATUSES = "/api/v1/conflict-statuses/"
RECOVERY = "/api/v1/recovery-activities/"
OUT_OF_SCOPE = {"operator_6201", "analyst_63"}
MANAGERS = {"analyst_62", "leader_62"}
ORDER = [
    "anonymous",
    "operator_6271",
    "operator_6201",
    "analyst_63",
    "area_admin_62",
    "national_admin",
    "leader_62",
    "analyst_62",
]


def read_matrix() -> dict[str, int]:
    return {p: 401 if p == "anonymous" else 404 if p in OUT_OF_SCOPE else 200 for p in ORDER}


def list_matrix() -> dict[str, int]:
    return {p: 401 if p == "anonymous" else 200 for p in ORDER}


def write_matrix(ok: int = 200, *, last: int | None = None) -> dict[str, int]:
    table = {
        p: 401 if p == "anonymous" else 404 if p in OUT_OF_SCOPE else ok if p in MANAGERS else 403
        for p in ORDER
    }
    if last is not None:
        table["analyst_62"] = last
    return table


def hidden_matrix() -> dict[str, int]:
    return {p: 401 if p == "anonymous" else 404 for p in ORDER}


@pytest.fixture
def case(analyst_62):
    return open_case(analyst_62)


@pytest.fixture
def secret_case(db):
    return open_case(cleared_analyst(), [make_event(classification="rahasia")], title="Rahasia")


def fresh(case: ConflictCase) -> ConflictCase:
    return ConflictCase.objects.get(pk=case.pk)


def status_body(case, **overrides):
    body = {
        "case": case.pk,
        "scale": "kabupaten_kota",
        "area": "62.71",
        "declared_by": "Wali Kota Palangka Raya",
        "decree_number": "188.45/77/2026",
        "start_date": local_today().isoformat(),
    }
    body.update(overrides)
    return body


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.django_db
class TestCaseReads:
    def test_the_list_answers_everyone_and_leaks_nothing(self, api_as, case, secret_case):
        check_access(api_as, "get", CASES, list_matrix())
        for persona in ("operator_6271", "analyst_62", "leader_62", "national_admin"):
            response = api_as(persona).get(CASES)
            assert ids(response) == [case.pk] and response.json()["count"] == 1, persona
        for persona in OUT_OF_SCOPE:
            assert api_as(persona).get(CASES).json()["count"] == 0
        assert ids(api_as("analyst_62").get(CASES, {"stage": "penghentian"})) == []
        response = api_as("analyst_62").get(CASES, {"area": "nope"})
        assert response.status_code == 400 and "area" in response.json()["errors"]

    def test_retrieve_applies_the_matrix_and_hides_rahasia_cases(self, api_as, case, secret_case):
        check_access(api_as, "get", f"{CASES}{case.pk}/", read_matrix())
        check_access(api_as, "get", f"{CASES}{secret_case.pk}/", hidden_matrix())
        body = api_as("operator_6271").get(f"{CASES}{case.pk}/").json()
        assert body["reference"] == case.reference and body["stage"] == "pencegahan"
        assert [e["id"] for e in body["events"]] == [case.case_events.get().event_id]
        assert [p["name"] for p in body["parties"]] == ["Warga Desa Palangka", "PT Sawit Makmur"]
        assert [s["kind"] for s in body["history"]] == ["opened"]

    def test_the_list_keeps_to_a_query_budget(
        self, api_as, analyst_62, django_assert_max_num_queries
    ):
        for _ in range(6):
            case = open_case(analyst_62)
            services.declare_status(
                case,
                actor=analyst_62,
                scale="kabupaten_kota",
                area_code="62.71",
                declared_by="Wali Kota",
                decree_number="1",
                start_date=local_today(),
            )
            services.add_recovery_activity(case, actor=analyst_62, kind="rekonsiliasi", title="x")
        client = api_as("analyst_62")
        for url in (CASES, STATUSES, RECOVERY):
            with django_assert_max_num_queries(8):
                response = client.get(url)
            assert response.json()["count"] == 6, url


@pytest.mark.django_db
class TestCaseWrites:
    def test_create_applies_the_matrix(self, api_as):
        event = make_event("62.71")
        body = {
            "event_ids": [event.pk],
            "title": "Sengketa lahan",
            "root_cause": "sengketa-sda",
            "parties": [{"name": "Warga", "party_type": "warga"}],
        }
        table = {
            "anonymous": 401,
            "operator_6271": 403,
            "operator_6201": 403,
            "analyst_63": 400,  # the event is not visible to them
            "area_admin_62": 403,
            "national_admin": 403,
            "leader_62": 201,
            "analyst_62": 201,
        }
        check_access(api_as, "post", CASES, table, body)
        assert ConflictCase.objects.count() == 2

    def test_create_is_idempotent_with_a_key(self, api_as):
        event = make_event("62.71")
        client = api_as("analyst_62")
        body = {"event_ids": [event.pk], "title": "Sengketa lahan"}
        first = client.post(CASES, body, format="json", HTTP_IDEMPOTENCY_KEY="kasus-1")
        again = client.post(CASES, body, format="json", HTTP_IDEMPOTENCY_KEY="kasus-1")
        assert first.status_code == again.status_code == 201
        assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
        assert ConflictCase.objects.count() == 1
        other = client.post(
            CASES, {**body, "title": "Lain"}, format="json", HTTP_IDEMPOTENCY_KEY="kasus-1"
        )
        assert other.status_code == 422

    def test_bad_input_is_a_clear_400(self, api_as):
        client = api_as("analyst_62")
        response = client.post(CASES, {"event_ids": [], "title": ""}, format="json")
        assert response.status_code == 400
        assert {"event_ids", "title"} <= set(response.json()["errors"])
        events = [make_event("62.71"), make_event("62.01")]
        response = client.post(
            CASES, {"event_ids": [e.pk for e in events], "title": "x"}, format="json"
        )
        assert response.status_code == 400 and "area_code" in response.json()["errors"]

    def test_update_stage_and_events_apply_the_matrix(self, api_as, case, secret_case):
        check_access(
            api_as,
            "patch",
            f"{CASES}{case.pk}/",
            write_matrix(),
            lambda: {"version": fresh(case).version, "title": "Judul baru"},
        )
        order = list(CaseStage.values)

        def stage():
            current = fresh(case)
            nxt = order[(order.index(current.stage) + 1) % len(order)]
            return {"version": current.version, "to_stage": nxt, "note": "maju"}

        check_access(api_as, "post", f"{CASES}{case.pk}/stage/", write_matrix(), stage)
        extra = make_event("62.71.02", classification="terbatas")
        check_access(
            api_as,
            "post",
            f"{CASES}{case.pk}/events/",
            write_matrix(),
            {"add": [extra.pk]},
        )
        assert fresh(case).classification == "terbatas"
        for url in (f"{CASES}{secret_case.pk}/", f"{CASES}{secret_case.pk}/stage/"):
            method = "patch" if url.endswith(f"{secret_case.pk}/") else "post"
            check_access(api_as, method, url, hidden_matrix(), {"version": 1, "to_stage": "x"})

    def test_a_stale_version_is_a_409_with_the_current_version(self, api_as, case):
        response = api_as("analyst_62").post(
            f"{CASES}{case.pk}/stage/", {"version": 99, "to_stage": "pemulihan"}, format="json"
        )
        assert response.status_code == 409
        assert response.json()["version"] == fresh(case).version

    def test_closing_is_refused_while_a_status_is_in_force_then_applies_the_matrix(
        self, api_as, case, analyst_62
    ):
        client = api_as("analyst_62")
        assert client.post(STATUSES, status_body(case), format="json").status_code == 201
        response = client.post(
            f"{CASES}{case.pk}/close/",
            {"version": fresh(case).version, "note": "Selesai"},
            format="json",
        )
        assert response.status_code == 400 and "status" in response.json()["errors"]
        status = ConflictStatus.objects.get()
        services.revoke_status(status, actor=analyst_62, version=status.version, reason="Aman")
        check_access(
            api_as,
            "post",
            f"{CASES}{case.pk}/close/",
            write_matrix(last=400),
            lambda: {"version": fresh(case).version, "note": "Selesai"},
        )
        assert api_as("operator_6271").get(f"{CASES}{case.pk}/").json()["status"] == "closed"


@pytest.mark.django_db
class TestStatusEndpoints:
    def test_declaring_applies_the_matrix(self, api_as, case):
        check_access(api_as, "post", STATUSES, write_matrix(201, last=400), status_body(case))
        status = ConflictStatus.objects.get()
        assert status.end_date == local_today() + dt.timedelta(days=89)
        assert status.recorded_by is not None and status.recorded_by.username == "leader_62"
        assert fresh(case).stage == "penghentian"

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"end_date": "2000-01-01"}, "end_date"),
            ({"end_date": (local_today() + dt.timedelta(days=119)).isoformat()}, "end_date"),
            ({"scale": "provinsi", "area": "62.71"}, "area_code"),
            ({"scale": "kabupaten_kota", "area": "62"}, "area_code"),
            ({"scale": "nasional", "area": "62"}, "area_code"),
            ({"area": "62.01"}, "area_code"),
        ],
    )
    def test_bad_statuses_are_a_clear_400(self, api_as, case, overrides, field):
        response = api_as("analyst_62").post(
            STATUSES, status_body(case, **overrides), format="json"
        )
        assert response.status_code == 400
        assert field in response.json()["errors"], response.json()
        assert not ConflictStatus.objects.exists()

    def test_reads_apply_the_matrix_and_hide_rahasia_statuses(self, api_as, case, secret_case):
        status = services.declare_status(
            case,
            actor=case.opened_by,
            scale="kabupaten_kota",
            area_code="62.71",
            declared_by="Wali Kota",
            decree_number="1",
            start_date=local_today() - dt.timedelta(days=10),
        )
        secret = services.declare_status(
            secret_case,
            actor=secret_case.opened_by,
            scale="provinsi",
            area_code="62",
            declared_by="Gubernur",
            decree_number="2",
            start_date=local_today(),
        )
        check_access(api_as, "get", STATUSES, list_matrix())
        assert ids(api_as("analyst_62").get(STATUSES)) == [status.pk]
        assert api_as("analyst_63").get(STATUSES).json()["count"] == 0
        check_access(api_as, "get", f"{STATUSES}{status.pk}/", read_matrix())
        check_access(api_as, "get", f"{STATUSES}{secret.pk}/", hidden_matrix())
        body = api_as("leader_62").get(f"{STATUSES}{status.pk}/").json()
        assert body["days_left"] == 79 and body["state"] == "active"
        assert ids(api_as("analyst_62").get(STATUSES, {"in_force": "true"})) == [status.pk]
        for action in ("extend", "revoke"):
            check_access(
                api_as, "post", f"{STATUSES}{secret.pk}/{action}/", hidden_matrix(), {"version": 1}
            )

    def test_extend_and_revoke_apply_the_matrix(self, api_as, case, analyst_62):
        services.declare_status(
            case,
            actor=analyst_62,
            scale="kabupaten_kota",
            area_code="62.71",
            declared_by="Wali Kota",
            decree_number="1",
            start_date=local_today(),
        )

        def head():
            return ConflictStatus.objects.get(case=case, state=ConflictStatusState.ACTIVE)

        def extend():
            current = head()
            return {
                "version": current.version,
                "declared_by": "Wali Kota",
                "decree_number": f"P/{current.pk}",
                "end_date": (current.end_date + dt.timedelta(days=5)).isoformat(),
            }

        check_access(
            api_as, "post", lambda: f"{STATUSES}{head().pk}/extend/", write_matrix(201), extend
        )
        extensions = ConflictStatus.objects.filter(extends__isnull=False)
        assert extensions.count() == 2
        current = head()
        too_long = {**extend(), "end_date": (current.end_date + dt.timedelta(days=25)).isoformat()}
        response = api_as("analyst_62").post(
            f"{STATUSES}{current.pk}/extend/", too_long, format="json"
        )
        assert response.status_code == 400 and "end_date" in response.json()["errors"]
        stale = api_as("analyst_62").post(
            f"{STATUSES}{current.pk}/revoke/", {"version": 99, "reason": "x"}, format="json"
        )
        assert stale.status_code == 409
        check_access(
            api_as,
            "post",
            f"{STATUSES}{current.pk}/revoke/",
            write_matrix(last=400),
            lambda: {
                "version": ConflictStatus.objects.get(pk=current.pk).version,
                "reason": "Aman",
            },
        )
        assert ConflictStatus.objects.get(pk=current.pk).state == ConflictStatusState.REVOKED


@pytest.mark.django_db
class TestRecoveryEndpoints:
    def test_recovery_endpoints_apply_the_matrix(self, api_as, case, secret_case, analyst_62):
        agency = make_agency("62.71", "Dinas Sosial Kota Palangka Raya")
        body = {
            "case": case.pk,
            "kind": "rekonsiliasi",
            "title": "Musyawarah damai",
            "agency": agency.pk,
            "start_date": "2026-03-01",
        }
        check_access(api_as, "post", RECOVERY, write_matrix(201), body)
        assert RecoveryActivity.objects.count() == 2
        check_access(api_as, "post", RECOVERY, hidden_matrix(), {**body, "case": secret_case.pk})
        activity = RecoveryActivity.objects.earliest("id")
        check_access(api_as, "get", RECOVERY, list_matrix())
        assert api_as("analyst_63").get(RECOVERY).json()["count"] == 0
        check_access(api_as, "get", f"{RECOVERY}{activity.pk}/", read_matrix())
        check_access(
            api_as,
            "patch",
            f"{RECOVERY}{activity.pk}/",
            write_matrix(),
            lambda: {
                "version": RecoveryActivity.objects.get(pk=activity.pk).version,
                "status": "in_progress",
            },
        )
        stale = api_as("analyst_62").patch(
            f"{RECOVERY}{activity.pk}/", {"version": 1, "status": "done"}, format="json"
        )
        assert stale.status_code == 409
        bad = api_as("analyst_62").post(
            RECOVERY, {**body, "start_date": "2026-03-05", "end_date": "2026-03-01"}, format="json"
        )
        assert bad.status_code == 400 and "end_date" in bad.json()["errors"]
        secret_activity = services.add_recovery_activity(
            secret_case, actor=secret_case.opened_by, kind="rehabilitasi", title="Rahasia"
        )
        check_access(api_as, "get", f"{RECOVERY}{secret_activity.pk}/", hidden_matrix())
        check_access(
            api_as,
            "patch",
            f"{RECOVERY}{secret_activity.pk}/",
            hidden_matrix(),
            {"version": 1, "status": "done"},
        )

    def test_evidence_is_uploaded_as_multipart(self, api_as, case, analyst_62, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        activity = services.add_recovery_activity(
            case, actor=analyst_62, kind="rekonstruksi", title="Bangun ulang balai"
        )
        check_access(
            api_as,
            "post",
            f"{RECOVERY}{activity.pk}/evidence/",
            write_matrix(201),
            lambda: {"file": SimpleUploadedFile("balai.jpg", jpeg_bytes(), "image/jpeg")},
            fmt="multipart",
        )
        body = api_as("operator_6271").get(f"{RECOVERY}{activity.pk}/").json()
        assert [e["original_name"] for e in body["evidence"]] == ["balai.jpg"]
        response = api_as("analyst_62").post(
            f"{RECOVERY}{activity.pk}/evidence/",
            {"file": SimpleUploadedFile("x.jpg", b"not an image")},
            format="multipart",
        )
        assert response.status_code == 400 and "file" in response.json()["errors"]


@pytest.mark.django_db
def test_every_write_on_a_rahasia_case_is_not_found(api_as, secret_case, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    activity = services.add_recovery_activity(
        secret_case, actor=secret_case.opened_by, kind="rehabilitasi", title="Rahasia"
    )
    body = {"version": secret_case.version, "note": "x", "add": [], "remove": []}
    for action in ("close", "events"):
        check_access(api_as, "post", f"{CASES}{secret_case.pk}/{action}/", hidden_matrix(), body)
    check_access(api_as, "post", STATUSES, hidden_matrix(), status_body(secret_case))
    check_access(
        api_as,
        "post",
        f"{RECOVERY}{activity.pk}/evidence/",
        hidden_matrix(),
        lambda: {"file": SimpleUploadedFile("a.jpg", jpeg_bytes(), "image/jpeg")},
        fmt="multipart",
    )
    assert not activity.evidence.exists()
