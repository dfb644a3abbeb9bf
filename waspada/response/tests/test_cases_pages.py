"""Conflict-case pages under /respons/kasus/: access matrices for every page across all personas
(rahasia cases included), the walk from pencegahan to a closed case, the status panel, and
validation messages next to the fields."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from waspada.core.testing.access import check_access
from waspada.response.choices import CaseStage, ConflictStatusState
from waspada.response.models import CaseParty, ConflictCase, ConflictStatus, RecoveryActivity
from waspada.response.services import cases as services
from waspada.response.tests.factories import make_agency
from waspada.response.tests.factories_cases import (
    ALL,
    cleared_analyst,
    jpeg_bytes,
    local_today,
    make_event,
    open_case,
)

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


def read_matrix(ok: int = 200) -> dict[str, int]:
    """GET of a 62.71 case page: everyone in scope reads it."""
    return {p: 302 if p == "anonymous" else 404 if p in OUT_OF_SCOPE else ok for p in ORDER}


def write_matrix(ok: int = 302, *, last: int | None = None) -> dict[str, int]:
    """POST (or GET of a form) on a 62.71 case: 404 outside scope, 403 for roles that may not,
    `ok` for managers; `last` overrides the answer for analyst_62 (it goes last)."""
    table = {
        p: 302 if p == "anonymous" else 404 if p in OUT_OF_SCOPE else ok if p in MANAGERS else 403
        for p in ORDER
    }
    if last is not None:
        table["analyst_62"] = last
    return table


def hidden_matrix() -> dict[str, int]:
    return {p: 302 if p == "anonymous" else 404 for p in ORDER}


@pytest.fixture
def case(analyst_62):
    return open_case(analyst_62)


@pytest.fixture
def secret_case(db):
    return open_case(cleared_analyst(), [make_event(classification="rahasia")], title="Rahasia")


def fresh(case: ConflictCase) -> ConflictCase:
    return ConflictCase.objects.get(pk=case.pk)


def declare(case, actor, **kw):
    return services.declare_status(
        fresh(case),
        actor=actor,
        scale="kabupaten_kota",
        area_code="62.71",
        declared_by="Wali Kota Palangka Raya",
        decree_number="188.45/77/2026",
        start_date=kw.pop("start_date", local_today()),
        **kw,
    )


@pytest.mark.django_db
class TestList:
    def test_the_list_answers_everyone_but_shows_only_what_they_may_see(
        self, web_as, case, secret_case
    ):
        check_access(
            web_as, "get", "/respons/kasus/", {p: 302 if p == "anonymous" else 200 for p in ALL}
        )
        row = f'data-case-id="{case.pk}"'
        secret_row = f'data-case-id="{secret_case.pk}"'
        for persona in ("operator_6271", "analyst_62", "leader_62", "national_admin"):
            html = web_as(persona).get("/respons/kasus/").content.decode()
            assert row in html and secret_row not in html, persona
        for persona in OUT_OF_SCOPE:
            html = web_as(persona).get("/respons/kasus/").content.decode()
            assert row not in html and 'data-testid="empty-cases"' in html

    def test_the_list_filters_and_says_when_nothing_matches(self, web_as, case):
        client = web_as("analyst_62")
        assert (
            f'data-case-id="{case.pk}"'
            in client.get("/respons/kasus/?stage=pencegahan").content.decode()
        )
        html = client.get("/respons/kasus/?area=62.01").content.decode()
        assert 'data-testid="empty-cases"' in html and "cocok" in html
        assert client.get("/respons/kasus/?area=x").status_code == 400


@pytest.mark.django_db
class TestDetail:
    def test_the_case_page_applies_the_access_matrix(self, web_as, case, secret_case):
        check_access(web_as, "get", f"/respons/kasus/{case.pk}/", read_matrix())
        check_access(web_as, "get", f"/respons/kasus/{secret_case.pk}/", hidden_matrix())
        check_access(web_as, "get", "/respons/kasus/999999/", hidden_matrix())

    def test_readers_see_the_case_but_not_the_forms(self, web_as, case):
        html = web_as("operator_6271").get(f"/respons/kasus/{case.pk}/").content.decode()
        assert 'data-testid="stage-stepper"' in html and 'data-testid="status-panel"' in html
        assert 'data-testid="stage-form"' not in html and 'data-testid="close-form"' not in html
        html = web_as("leader_62").get(f"/respons/kasus/{case.pk}/").content.decode()
        assert 'data-testid="stage-form"' in html and 'data-testid="declare-form"' in html

    def test_the_status_panel_counts_the_days_in_indonesian(self, web_as, case, analyst_62):
        declare(case, analyst_62, start_date=local_today() - dt.timedelta(days=9))
        html = web_as("analyst_62").get(f"/respons/kasus/{case.pk}/").content.decode()
        assert 'data-in-force="true"' in html
        assert "hari ke-10 dari 90" in html
        assert 'data-days-left="80"' in html
        assert 'data-testid="extend-form"' in html and 'data-testid="revoke-form"' in html
        # Indonesian month names (LANGUAGE_CODE id).
        months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus"]
        months += ["September", "Oktober", "November", "Desember"]
        assert any(m in html for m in months)


@pytest.mark.django_db
class TestWalk:
    def test_a_case_opened_from_the_event_moves_to_pemulihan_and_is_closed(
        self, form_as, web_as, personas
    ):
        event = make_event("62.71", title="Bentrok warga dan perusahaan sawit")
        client = form_as("analyst_62")
        page = client.get(f"/respons/kasus/baru/?event={event.pk}").content.decode()
        assert "Bentrok warga dan perusahaan sawit" in page and 'value="62.71"' in page
        response = client.post(
            "/respons/kasus/baru/",
            {
                "title": "Konflik lahan sawit Palangka",
                "area": "62.71",
                "events": [event.pk],
                "root_cause": "sengketa-sda",
                "summary": "",
                "parties-TOTAL_FORMS": "2",
                "parties-INITIAL_FORMS": "0",
                "parties-MIN_NUM_FORMS": "0",
                "parties-MAX_NUM_FORMS": "30",
                "parties-0-name": "Warga Palangka",
                "parties-0-party_type": "warga",
                "parties-1-name": "",
            },
        )
        assert response.status_code == 302
        case = ConflictCase.objects.get()
        assert response["Location"] == f"/respons/kasus/{case.pk}/"
        assert [p.name for p in CaseParty.objects.filter(case=case)] == ["Warga Palangka"]
        for stage, note in (("penghentian", "Bentrok pecah"), ("pemulihan", "Damai")):
            response = client.post(
                f"/respons/kasus/{case.pk}/tahap/",
                {"to_stage": stage, "note": note, "version": fresh(case).version},
            )
            assert response.status_code == 302
        response = client.post(
            f"/respons/kasus/{case.pk}/tutup/",
            {"note": "Kesepakatan damai", "version": fresh(case).version},
        )
        assert response.status_code == 302
        html = web_as("analyst_62").get(f"/respons/kasus/{case.pk}/").content.decode()
        assert html.count('data-testid="history-step"') == 4
        for kind in ("opened", "moved", "closed"):
            assert f'data-kind="{kind}"' in html
        assert 'data-status="closed"' in html and 'data-testid="close-form"' not in html
        assert "Bentrok pecah" in html and "Kesepakatan damai" in html
        assert web_as("operator_6201").get(f"/respons/kasus/{case.pk}/").status_code == 404
        html = web_as("operator_6201").get("/respons/kasus/").content.decode()
        assert case.reference not in html


@pytest.mark.django_db
class TestCreateAndEdit:
    def test_the_create_page_is_for_analysts_and_leaders(self, web_as, personas):
        table = {
            "anonymous": 302,
            "operator_6271": 403,
            "operator_6201": 403,
            "analyst_62": 200,
            "analyst_63": 200,
            "leader_62": 200,
            "area_admin_62": 403,
            "national_admin": 403,
        }
        check_access(web_as, "get", "/respons/kasus/baru/", table)
        event = make_event("62.71")
        table["analyst_63"] = 404
        check_access(web_as, "get", f"/respons/kasus/baru/?event={event.pk}", table)

    def test_bad_input_is_shown_next_to_the_fields(self, form_as):
        event = make_event("62.01")
        response = form_as("analyst_62").post(
            "/respons/kasus/baru/",
            {
                "title": "",
                "area": "62.71",
                "events": [event.pk],
                "parties-TOTAL_FORMS": "1",
                "parties-INITIAL_FORMS": "0",
                "parties-0-name": "X",
                "parties-0-party_type": "tidak-ada",
            },
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert 'data-testid="error-title"' in html
        assert not ConflictCase.objects.exists()
        response = form_as("analyst_62").post(
            "/respons/kasus/baru/",
            {
                "title": "Kasus",
                "area": "62.71",
                "events": [event.pk],
                "parties-TOTAL_FORMS": "0",
                "parties-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 400
        assert "di luar wilayah kasus" in response.content.decode()

    def test_the_edit_page_applies_the_matrix_and_replaces_the_parties(
        self, web_as, form_as, case, secret_case
    ):
        check_access(web_as, "get", f"/respons/kasus/{case.pk}/ubah/", write_matrix(200))
        check_access(web_as, "get", f"/respons/kasus/{secret_case.pk}/ubah/", hidden_matrix())

        def data():
            return {
                "title": "Judul baru",
                "root_cause": "polekbud",
                "summary": "Ringkasan",
                "version": fresh(case).version,
                "parties-TOTAL_FORMS": "1",
                "parties-INITIAL_FORMS": "0",
                "parties-0-name": "Ormas Y",
                "parties-0-party_type": "ormas",
            }

        check_access(form_as, "post", f"/respons/kasus/{case.pk}/ubah/", write_matrix(), data)
        case = fresh(case)
        assert case.title == "Judul baru" and case.root_cause.code == "polekbud"
        assert [p.name for p in CaseParty.objects.filter(case=case)] == ["Ormas Y"]
        stale = {**data(), "version": 1}
        assert (
            form_as("analyst_62").post(f"/respons/kasus/{case.pk}/ubah/", stale).status_code == 409
        )


@pytest.mark.django_db
class TestStageAndClose:
    def test_moving_the_stage_applies_the_matrix(self, form_as, case, secret_case):
        order = list(CaseStage.values)

        def data():
            current = fresh(case)
            nxt = order[(order.index(current.stage) + 1) % len(order)]
            return {"to_stage": nxt, "note": "", "version": current.version}

        check_access(form_as, "post", f"/respons/kasus/{case.pk}/tahap/", write_matrix(), data)
        assert fresh(case).stage == "pemulihan"
        secret = {"to_stage": "pemulihan", "version": secret_case.version}
        check_access(
            form_as, "post", f"/respons/kasus/{secret_case.pk}/tahap/", hidden_matrix(), secret
        )

    def test_a_stale_version_says_so(self, form_as, case):
        response = form_as("analyst_62").post(
            f"/respons/kasus/{case.pk}/tahap/", {"to_stage": "pemulihan", "version": 99}
        )
        assert response.status_code == 409
        assert 'data-testid="conflict-message"' in response.content.decode()

    def test_closing_applies_the_matrix_and_is_refused_while_a_status_is_in_force(
        self, form_as, case, analyst_62
    ):
        declare(case, analyst_62)
        response = form_as("analyst_62").post(
            f"/respons/kasus/{case.pk}/tutup/", {"note": "Selesai", "version": fresh(case).version}
        )
        assert response.status_code == 400
        assert "selama status keadaan konflik" in response.content.decode()
        status = ConflictStatus.objects.get()
        services.revoke_status(status, actor=analyst_62, version=status.version, reason="Aman")

        def data():
            return {"note": "Selesai", "version": fresh(case).version}

        check_access(
            form_as, "post", f"/respons/kasus/{case.pk}/tutup/", write_matrix(last=400), data
        )
        assert fresh(case).status == "closed"


@pytest.mark.django_db
class TestStatusForms:
    def test_declaring_applies_the_matrix_and_shows_bad_dates(self, form_as, case):
        today = local_today()
        data = {
            "scale": "kabupaten_kota",
            "area": "62.71",
            "declared_by": "Wali Kota Palangka Raya",
            "decree_number": "188.45/1/2026",
            "start_date": today.isoformat(),
            "end_date": (today + dt.timedelta(days=119)).isoformat(),
        }
        response = form_as("analyst_62").post(f"/respons/kasus/{case.pk}/status/", data)
        assert response.status_code == 400
        assert 'data-testid="error-end_date"' in response.content.decode()
        response = form_as("analyst_62").post(
            f"/respons/kasus/{case.pk}/status/", {**data, "end_date": "", "area": "62"}
        )
        assert 'data-testid="error-area"' in response.content.decode()
        # leader_62 declares; analyst_62 (last) finds one in force already.
        good = {**data, "end_date": ""}
        check_access(
            form_as, "post", f"/respons/kasus/{case.pk}/status/", write_matrix(last=400), good
        )
        status = ConflictStatus.objects.get()
        assert status.end_date == today + dt.timedelta(days=89)
        assert fresh(case).stage == "penghentian"

    def test_extending_and_revoking_apply_the_matrix(self, form_as, case, analyst_62):
        declare(case, analyst_62)

        def head():
            return ConflictStatus.objects.get(case=case, state=ConflictStatusState.ACTIVE)

        def extend_data():
            current = head()
            return {
                "declared_by": "Wali Kota Palangka Raya",
                "decree_number": f"188.45/{current.pk}/2026",
                "end_date": (current.end_date + dt.timedelta(days=5)).isoformat(),
                "version": current.version,
            }

        check_access(
            form_as,
            "post",
            lambda: f"/respons/kasus/status/{head().pk}/perpanjang/",
            write_matrix(),
            extend_data,
        )
        assert ConflictStatus.objects.filter(extends__isnull=False).count() == 2
        last = head()
        check_access(
            form_as,
            "post",
            f"/respons/kasus/status/{last.pk}/cabut/",
            write_matrix(last=400),
            lambda: {
                "reason": "Situasi aman",
                "version": ConflictStatus.objects.get(pk=last.pk).version,
            },
        )
        assert ConflictStatus.objects.get(pk=last.pk).state == ConflictStatusState.REVOKED

    def test_status_forms_of_a_rahasia_case_are_not_found(self, form_as, secret_case):
        cleared = secret_case.opened_by
        status = declare(secret_case, cleared)
        body = {"reason": "x", "version": status.version}
        check_access(
            form_as, "post", f"/respons/kasus/status/{status.pk}/cabut/", hidden_matrix(), body
        )
        check_access(
            form_as, "post", f"/respons/kasus/status/{status.pk}/perpanjang/", hidden_matrix(), body
        )
        check_access(
            form_as, "post", f"/respons/kasus/{secret_case.pk}/status/", hidden_matrix(), body
        )


@pytest.mark.django_db
class TestRecoveryPages:
    def test_recovery_pages_apply_the_matrix(self, web_as, form_as, case, secret_case):
        agency = make_agency("62.71", "Dinas Sosial Kota Palangka Raya")
        check_access(web_as, "get", f"/respons/kasus/{case.pk}/pemulihan/baru/", write_matrix(200))
        check_access(
            web_as, "get", f"/respons/kasus/{secret_case.pk}/pemulihan/baru/", hidden_matrix()
        )
        body = {
            "kind": "rekonsiliasi",
            "title": "Musyawarah damai",
            "agency": agency.pk,
            "status": "planned",
            "start_date": "2026-03-01",
            "end_date": "2026-03-02",
        }
        check_access(
            form_as, "post", f"/respons/kasus/{case.pk}/pemulihan/baru/", write_matrix(), body
        )
        assert RecoveryActivity.objects.filter(case=case).count() == 2
        activity = RecoveryActivity.objects.filter(case=case).earliest("id")
        url = f"/respons/kasus/pemulihan/{activity.pk}/ubah/"
        check_access(web_as, "get", url, write_matrix(200))

        def edit():
            return {
                **body,
                "status": "in_progress",
                "version": RecoveryActivity.objects.get(pk=activity.pk).version,
            }

        check_access(form_as, "post", url, write_matrix(), edit)
        assert RecoveryActivity.objects.get(pk=activity.pk).status == "in_progress"
        html = web_as("operator_6271").get(f"/respons/kasus/{case.pk}/").content.decode()
        assert 'data-testid="recovery-group-rekonsiliasi"' in html and "Musyawarah damai" in html
        bad = {**body, "end_date": "2026-02-01", "version": 2}
        response = form_as("analyst_62").post(f"/respons/kasus/{case.pk}/pemulihan/baru/", bad)
        assert response.status_code == 400
        assert 'data-testid="error-end_date"' in response.content.decode()

    def test_evidence_is_uploaded_on_the_activity_page(
        self, web_as, case, analyst_62, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        activity = services.add_recovery_activity(
            case, actor=analyst_62, kind="rehabilitasi", title="Perbaikan rumah warga"
        )
        url = f"/respons/kasus/pemulihan/{activity.pk}/ubah/"

        def upload():
            return {
                "action": "evidence",
                "file": SimpleUploadedFile("foto.jpg", jpeg_bytes(), content_type="image/jpeg"),
            }

        for persona, want in write_matrix().items():
            response = web_as(persona).post(url, upload())
            assert response.status_code == want, persona
        assert activity.evidence.count() == 1  # the same file twice lands once
        html = web_as("operator_6271").get(f"/respons/kasus/{case.pk}/").content.decode()
        assert 'data-testid="recovery-evidence"' in html and "foto.jpg" in html
        response = web_as("analyst_62").post(
            url, {"action": "evidence", "file": SimpleUploadedFile("x.jpg", b"not an image")}
        )
        assert response.status_code == 400


@pytest.mark.django_db
def test_every_page_of_a_rahasia_case_is_not_found(web_as, form_as, secret_case):
    activity = services.add_recovery_activity(
        secret_case, actor=secret_case.opened_by, kind="rehabilitasi", title="Rahasia"
    )
    body = {"version": secret_case.version, "note": "x", "title": "x", "kind": "rekonsiliasi"}
    for url in (
        f"/respons/kasus/{secret_case.pk}/tutup/",
        f"/respons/kasus/{secret_case.pk}/ubah/",
        f"/respons/kasus/{secret_case.pk}/pemulihan/baru/",
        f"/respons/kasus/pemulihan/{activity.pk}/ubah/",
    ):
        check_access(form_as, "post", url, hidden_matrix(), body)
    check_access(web_as, "get", f"/respons/kasus/pemulihan/{activity.pk}/ubah/", hidden_matrix())
    assert ConflictCase.objects.get(pk=secret_case.pk).status == "active"
