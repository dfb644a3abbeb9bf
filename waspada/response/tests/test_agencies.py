"""Agencies: services, selectors, the API and the pages, with their access matrices; evidence
downloads through `response:evidence_download`."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from waspada.accounts.testing import make_user
from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.models import AuditEntry
from waspada.core.testing.access import check_access
from waspada.response.choices import AgencyKind
from waspada.response.models import Agency, AgencyMember, Directive, DirectiveAssignment, FollowUp
from waspada.response.selectors.agencies import agencies_for_area, get_agency, list_agencies
from waspada.response.selectors.evidence import get_evidence
from waspada.response.services import agencies as services
from waspada.response.services.evidence import add_evidence
from waspada.response.tests.factories import make_agency

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


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.django_db
class TestAgencyServices:
    def test_it_creates_an_agency_in_scope_and_audits_it(self, analyst_62):
        agency = services.create_agency(
            actor=analyst_62,
            area_code="62.71",
            kind=AgencyKind.POLRI,
            name="Polresta Palangka Raya",
        )
        assert agency.area_id == "62.71"
        entry = AuditEntry.objects.get(action="agency.created")
        assert entry.area_code == "62.71" and entry.object_id == str(agency.pk)

    def test_it_refuses_an_area_outside_scope_as_not_found(self, analyst_63):
        with pytest.raises(OutOfScope):
            services.create_agency(
                actor=analyst_63, area_code="62.71", kind=AgencyKind.POLRI, name="Polres"
            )

    def test_it_refuses_roles_that_may_not_manage_agencies(self, operator_6271, personas):
        with pytest.raises(PermissionDenied):
            services.create_agency(
                actor=operator_6271, area_code="62.71", kind=AgencyKind.OPD, name="Dinas"
            )
        with pytest.raises(PermissionDenied):
            services.create_agency(
                actor=personas("leader_62"), area_code="62.71", kind=AgencyKind.OPD, name="Dinas"
            )

    def test_it_reports_every_bad_field_at_once(self, analyst_62):
        with pytest.raises(InvalidInput) as caught:
            services.create_agency(
                actor=analyst_62, area_code="62.71", kind="nope", name=" ", contact_email="x@"
            )
        assert set(caught.value.errors) == {"kind", "name", "contact_email"}
        assert not Agency.objects.exists()

    def test_it_refuses_a_second_agency_of_the_same_name_in_an_area(self, analyst_62):
        services.create_agency(actor=analyst_62, area_code="62.71", kind="opd", name="Dinas A")
        with pytest.raises(Conflict):
            services.create_agency(actor=analyst_62, area_code="62.71", kind="opd", name="Dinas A")

    def test_a_stale_edit_gets_a_conflict_and_changes_nothing(self, analyst_62):
        agency = make_agency("62.71", "Kodim 1016")
        services.update_agency(agency, actor=analyst_62, version=1, contact_name="Mayor A")
        with pytest.raises(Conflict):
            services.update_agency(agency, actor=analyst_62, version=1, contact_name="Mayor B")
        agency.refresh_from_db()
        assert agency.contact_name == "Mayor A" and agency.version == 2

    def test_members_are_added_once_and_removed(self, analyst_62, operator_6271):
        agency = make_agency("62.71", "Kecamatan Pahandut", kind=AgencyKind.KECAMATAN)
        services.add_member(agency, actor=analyst_62, user=operator_6271, position="Camat")
        services.add_member(agency, actor=analyst_62, user=operator_6271)
        assert AgencyMember.objects.filter(agency=agency).count() == 1
        assert AuditEntry.objects.filter(action="agency.member_added").count() == 1
        services.remove_member(agency, actor=analyst_62, user=operator_6271)
        assert not AgencyMember.objects.exists()

    def test_a_user_outside_the_managers_scope_cannot_be_added(self, analyst_62, analyst_63):
        agency = make_agency("62.71")
        with pytest.raises(OutOfScope):
            services.add_member(agency, actor=analyst_62, user=analyst_63)


@pytest.mark.django_db
class TestAgencySelectors:
    def test_agencies_for_an_area_are_its_own_its_ancestors_and_its_descendants(self, personas):
        leader_62 = personas("leader_62")
        province = make_agency("62", "Polda Kalteng", kind=AgencyKind.POLRI)
        city = make_agency("62.71", "Polresta Palangka Raya", kind=AgencyKind.POLRI)
        district = make_agency("62.71.01", "Kecamatan Pahandut", kind=AgencyKind.KECAMATAN)
        sibling = make_agency("62.01", "Polres Kobar", kind=AgencyKind.POLRI)
        make_agency("62.71", "Dinas lama", active=False)
        chosen = agencies_for_area(leader_62, "62.71")
        assert [a.pk for a in chosen][0] == city.pk
        assert {a.pk for a in chosen} == {province.pk, city.pk, district.pk}
        assert sibling.pk not in {a.pk for a in chosen}

    def test_a_member_sees_their_agency_even_above_their_scope(self, db):
        camat = make_user("camat_pahandut", "timdu", ["62.71.01"])
        agency = make_agency("62.71", "Bagian Pemerintahan", members=[camat])
        assert get_agency(camat, agency.pk) == agency
        other = make_agency("62.71", "Dinas lain")
        with pytest.raises(OutOfScope):
            get_agency(camat, other.pk)

    def test_another_province_sees_nothing(self, analyst_63):
        make_agency("62.71")
        assert list(list_agencies(analyst_63)) == []


@pytest.fixture
def agency(db):
    return make_agency("62.71", "Polresta Palangka Raya", kind=AgencyKind.POLRI)


@pytest.mark.django_db
class TestAgencyApi:
    def test_the_list_answers_each_persona(self, api_as, agency):
        expected = {p: 200 for p in ALL}
        expected["anonymous"] = 401
        check_access(api_as, "get", "/api/v1/agencies/", expected)

    def test_the_list_shows_only_what_is_in_scope(self, api_as, agency):
        def ids(name):
            answer = api_as(name).get("/api/v1/agencies/")
            return [row["id"] for row in answer.json()["results"]]

        assert ids("operator_6271") == [agency.pk]
        assert ids("operator_6201") == []
        assert ids("analyst_63") == []

    def test_one_agency_answers_each_persona(self, api_as, agency):
        check_access(
            api_as,
            "get",
            f"/api/v1/agencies/{agency.pk}/",
            {
                "anonymous": 401,
                "operator_6271": 200,
                "operator_6201": 404,
                "analyst_62": 200,
                "analyst_63": 404,
                "leader_62": 200,
                "area_admin_62": 200,
                "national_admin": 200,
            },
        )

    def test_creating_answers_each_persona(self, api_as, db):
        counter = iter(range(100))
        check_access(
            api_as,
            "post",
            "/api/v1/agencies/",
            {
                "anonymous": 401,
                "operator_6271": 403,
                "operator_6201": 404,
                "analyst_62": 201,
                "analyst_63": 404,
                "leader_62": 403,
                "area_admin_62": 201,
                "national_admin": 201,
            },
            data=lambda: {"area": "62.71", "kind": "opd", "name": f"Dinas {next(counter)}"},
        )

    def test_editing_answers_each_persona_and_a_stale_version_is_a_conflict(self, api_as, agency):
        check_access(
            api_as,
            "patch",
            lambda: f"/api/v1/agencies/{agency.pk}/",
            {
                "anonymous": 401,
                "operator_6271": 403,
                "operator_6201": 404,
                "analyst_63": 404,
                "leader_62": 403,
                "analyst_62": 200,
                "area_admin_62": 200,
                "national_admin": 200,
            },
            data=lambda: {"version": Agency.objects.get(pk=agency.pk).version, "address": "x"},
        )
        stale = api_as("analyst_62").patch(
            f"/api/v1/agencies/{agency.pk}/", {"version": 1, "address": "y"}, format="json"
        )
        assert stale.status_code == 409

    def test_adding_a_member_through_the_api(self, api_as, agency, personas):
        operator = personas("operator_6271")
        answer = api_as("analyst_62").post(
            f"/api/v1/agencies/{agency.pk}/members/", {"user": operator.pk}, format="json"
        )
        assert answer.status_code == 201
        assert AgencyMember.objects.filter(agency=agency, user=operator).exists()
        gone = api_as("analyst_62").delete(f"/api/v1/agencies/{agency.pk}/members/{operator.pk}/")
        assert gone.status_code == 204
        assert not AgencyMember.objects.exists()

    def test_the_list_stays_within_a_query_budget(self, api_as, django_assert_max_num_queries):
        for i in range(15):
            make_agency("62.71", f"Dinas {i}")
        client = api_as("analyst_62")
        with django_assert_max_num_queries(6):
            assert client.get("/api/v1/agencies/").status_code == 200


@pytest.mark.django_db
class TestAgencyPages:
    def test_the_list_page_answers_each_persona(self, web_as, agency):
        expected = {p: 200 for p in ALL}
        expected["anonymous"] = 302
        check_access(web_as, "get", "/respons/instansi/", expected)

    def test_the_detail_page_answers_each_persona(self, web_as, agency):
        check_access(
            web_as,
            "get",
            f"/respons/instansi/{agency.pk}/",
            {
                "anonymous": 302,
                "operator_6271": 200,
                "operator_6201": 404,
                "analyst_62": 200,
                "analyst_63": 404,
                "leader_62": 200,
                "area_admin_62": 200,
                "national_admin": 200,
            },
        )

    def test_the_create_page_answers_each_persona(self, form_as, db):
        counter = iter(range(100))
        check_access(
            form_as,
            "post",
            "/respons/instansi/baru/",
            {
                "anonymous": 302,
                "operator_6271": 403,
                "operator_6201": 403,
                "analyst_63": 400,
                "leader_62": 403,
                "analyst_62": 302,
                "area_admin_62": 302,
                "national_admin": 302,
            },
            data=lambda: {"area": "62.71", "kind": "opd", "name": f"Dinas {next(counter)}"},
        )

    def test_a_bad_form_shows_the_messages_next_to_the_fields(self, web_as):
        answer = web_as("analyst_62").post("/respons/instansi/baru/", {"area": "62.71"})
        assert answer.status_code == 400
        html = answer.content.decode()
        assert 'data-testid="error-name"' in html and 'data-testid="error-kind"' in html

    def test_the_edit_page_answers_each_persona(self, form_as, agency):
        check_access(
            form_as,
            "post",
            f"/respons/instansi/{agency.pk}/ubah/",
            {
                "anonymous": 302,
                "operator_6271": 403,
                "operator_6201": 404,
                "analyst_63": 404,
                "leader_62": 403,
                "analyst_62": 302,
                "area_admin_62": 302,
                "national_admin": 302,
            },
            data=lambda: {
                "kind": "polri",
                "name": "Polresta Palangka Raya",
                "active": "on",
                "version": Agency.objects.get(pk=agency.pk).version,
            },
        )

    def test_members_are_added_and_removed_from_the_page(self, web_as, agency, personas):
        operator = personas("operator_6271")
        client = web_as("analyst_62")
        added = client.post(
            f"/respons/instansi/{agency.pk}/anggota/",
            {"username": "operator_6271", "position": "Kasat Intelkam"},
        )
        assert added.status_code == 302
        assert AgencyMember.objects.get(agency=agency).position == "Kasat Intelkam"
        unknown = client.post(f"/respons/instansi/{agency.pk}/anggota/", {"username": "analyst_63"})
        assert unknown.status_code == 400
        removed = client.post(f"/respons/instansi/{agency.pk}/anggota/{operator.pk}/keluar/")
        assert removed.status_code == 302
        assert not AgencyMember.objects.exists()


@pytest.fixture
def evidence(db, personas, agency):
    leader = personas("leader_62")
    now = timezone.now()
    directive = Directive.objects.create(
        area_id="62.71",
        title="Amankan lokasi",
        instruction="Kerahkan personel.",
        due_date=dt.date(2026, 12, 9),
        due_at=now + dt.timedelta(days=3),
        issued_by=leader,
        issued_at=now,
    )
    assignment = DirectiveAssignment.objects.create(directive=directive, agency=agency)
    follow_up = FollowUp.objects.create(
        assignment=assignment, status="in_progress", note="Personel di lokasi", created_at=now
    )
    upload = SimpleUploadedFile("lokasi.jpg", jpeg_bytes(), content_type="image/jpeg")
    return add_evidence(follow_up, upload, actor=personas("analyst_62"))


@pytest.mark.django_db
class TestEvidence:
    def test_a_photo_is_stored_with_the_owners_area_and_audited(self, evidence):
        assert evidence.area_code == "62.71" and evidence.content_type == "image/jpeg"
        assert AuditEntry.objects.filter(action="evidence.added", area_code="62.71").exists()

    def test_a_disguised_file_is_refused(self, evidence):
        upload = SimpleUploadedFile(
            "foto.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg"
        )
        with pytest.raises(InvalidInput):
            add_evidence(evidence.follow_up, upload, actor=None)  # type: ignore[arg-type]

    def test_the_download_answers_each_persona(self, web_as, evidence):
        check_access(
            web_as,
            "get",
            f"/respons/bukti/{evidence.pk}/",
            {
                "anonymous": 302,
                "operator_6271": 200,
                "operator_6201": 404,
                "analyst_62": 200,
                "analyst_63": 404,
                "leader_62": 200,
                "area_admin_62": 200,
                "national_admin": 200,
            },
        )

    def test_an_agency_member_above_whose_scope_the_directive_lies_sees_the_file(self, evidence):
        camat = make_user("camat_jekan", "timdu", ["62.71.02"])
        with pytest.raises(OutOfScope):
            get_evidence(camat, evidence.pk)
        AgencyMember.objects.create(agency=evidence.follow_up.assignment.agency, user=camat)
        camat = type(camat).objects.get(pk=camat.pk)
        assert get_evidence(camat, evidence.pk) == evidence

    def test_classified_evidence_is_hidden_from_users_without_clearance(self, evidence, personas):
        type(evidence).objects.filter(pk=evidence.pk).update(classification="rahasia")
        with pytest.raises(OutOfScope):
            get_evidence(personas("analyst_62"), evidence.pk)
        cleared = make_user("analis_rahasia", "analyst", ["62"], clearance="rahasia")
        assert get_evidence(cleared, evidence.pk).pk == evidence.pk


def test_recovery_evidence_follows_its_case_when_the_case_becomes_classified(personas):
    from waspada.reports.testing import make_item, make_report
    from waspada.response.models import ConflictCase
    from waspada.response.services import cases as case_services
    from waspada.response.services import recovery as recovery_services

    analyst = personas("analyst_62")
    report = make_report("62.71", created_by=personas("operator_6271"))
    event = make_item(report, status="verified").event
    case = case_services.open_case(actor=analyst, event_ids=[event.pk], title="Kasus")
    activity = recovery_services.add_recovery_activity(
        case, actor=analyst, kind="rekonsiliasi", title="Musyawarah damai"
    )
    upload = SimpleUploadedFile("foto.jpg", jpeg_bytes(), content_type="image/jpeg")
    evidence = add_evidence(activity, upload, actor=analyst)
    assert get_evidence(analyst, evidence.pk) == evidence
    ConflictCase.objects.filter(pk=case.pk).update(classification="rahasia")
    with pytest.raises(OutOfScope):
        get_evidence(analyst, evidence.pk)
