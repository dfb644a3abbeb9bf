"""Pages under /respons/ for directives and follow-up: the access matrix of every page, and what
they show (the overview, the list, the form on an alert, the overdue banner, the follow-up form
with a photo through a normal POST and through HTMX, the navigation)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from waspada.core.testing.access import check_access
from waspada.response.models import Directive, DirectiveAssignment, Evidence
from waspada.response.tests.factories_directives import (
    ALL,
    IN_SCOPE_6271,
    disguised_upload,
    issue,
    jpeg_upload,
    local_today,
    make_alert,
    palangka,
)

DIRECTORS = {"analyst_62", "leader_62"}
ACTORS_FOR_POLRES = {"operator_6271", "analyst_62", "area_admin_62"}  # member, coordinators


def matrix(ok: int, *, allowed=IN_SCOPE_6271, forbidden=(), other: int = 404):
    """302 (to the log-in page) for anonymous, `ok` for `allowed`, 403 for `forbidden`, `other`
    for the rest."""
    return {
        p: 302 if p == "anonymous" else ok if p in allowed else 403 if p in forbidden else other
        for p in ALL
    }


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def org(personas):
    return palangka(personas)


@pytest.fixture
def directive(personas, org):
    return issue(personas("leader_62"), [org.polres, org.kecamatan])


def _assignment(directive, agency):
    return DirectiveAssignment.objects.get(directive=directive, agency=agency)


@pytest.mark.django_db
class TestAccess:
    def test_the_overview_and_the_list_are_for_every_signed_in_user(self, web_as, directive):
        check_access(web_as, "get", "/respons/", matrix(200, allowed=set(ALL)))
        check_access(web_as, "get", "/respons/arahan/", matrix(200, allowed=set(ALL)))

    def test_the_form_is_for_directors_of_the_alerts_area(self, web_as, org):
        alert = make_alert("62.71")
        expected = matrix(
            200,
            allowed=DIRECTORS,
            forbidden={"operator_6271", "operator_6201", "area_admin_62", "national_admin"},
        )
        check_access(web_as, "get", f"/respons/arahan/baru/?alert={alert.pk}", expected)
        check_access(web_as, "get", "/respons/arahan/baru/?area=62.71", expected)

    def test_posting_a_directive_follows_the_same_rules(self, form_as, org):
        alert = make_alert("62.71")
        data = {
            "title": "Amankan lokasi",
            "instruction": "Siagakan personel.",
            "agencies": [org.polres.pk],
            "due_date": (local_today() + dt.timedelta(days=3)).isoformat(),
            "priority": "high",
            "classification": "biasa",
        }
        expected = matrix(
            302,
            allowed=DIRECTORS,
            forbidden={"operator_6271", "operator_6201", "area_admin_62", "national_admin"},
        )
        check_access(form_as, "post", f"/respons/arahan/baru/?alert={alert.pk}", expected, data)
        assert Directive.objects.filter(alert=alert).count() == 2

    def test_the_directive_page_is_for_its_area_and_its_agencies(self, web_as, directive):
        check_access(web_as, "get", f"/respons/arahan/{directive.pk}/", matrix(200))

    def test_editing_is_for_directors_of_the_area(self, web_as, directive):
        expected = matrix(
            200,
            allowed=DIRECTORS,
            forbidden={"operator_6271", "area_admin_62", "national_admin"},
        )
        check_access(web_as, "get", f"/respons/arahan/{directive.pk}/ubah/", expected)

    def test_cancelling_is_for_directors_of_the_area(self, form_as, personas, org):
        leader = personas("leader_62")

        def fresh_url():
            return f"/respons/arahan/{issue(leader, [org.polres]).pk}/batal/"

        expected = matrix(
            302,
            allowed=DIRECTORS,
            forbidden={"operator_6271", "area_admin_62", "national_admin"},
        )
        check_access(form_as, "post", fresh_url, expected, {"version": 1, "reason": "Kondusif."})
        assert Directive.objects.filter(status="cancelled").count() == 2

    def test_follow_up_is_for_the_agencys_members_and_the_coordinators(
        self, form_as, personas, org
    ):
        leader = personas("leader_62")

        def fresh_url():
            directive = issue(leader, [org.polres, org.kecamatan])
            return f"/respons/arahan/tugas/{_assignment(directive, org.polres).pk}/tindak-lanjut/"

        data = {"version": 1, "status": "in_progress", "progress": 20, "note": "Patroli."}
        expected = matrix(
            302,
            allowed=ACTORS_FOR_POLRES,
            forbidden={"leader_62", "national_admin"},
        )
        check_access(form_as, "post", fresh_url, expected, data)

    def test_the_camat_acts_on_the_kecamatan_only(self, client, org, directive):
        client.force_login(org.camat)
        data = {"version": 1, "status": "in_progress", "note": "Dialog dijadwalkan."}
        mine = _assignment(directive, org.kecamatan)
        other = _assignment(directive, org.polres)
        assert client.get(f"/respons/arahan/{directive.pk}/").status_code == 200
        url = "/respons/arahan/tugas/{}/tindak-lanjut/"
        assert client.post(url.format(mine.pk), data).status_code == 302
        assert client.post(url.format(other.pk), data).status_code == 404


@pytest.mark.django_db
class TestPages:
    def test_the_form_on_an_alert_shows_what_it_is_about_and_sensible_defaults(self, web_as, org):
        alert = make_alert("62.71", level=2)
        page = web_as("leader_62").get(f"/respons/arahan/baru/?alert={alert.pk}")
        html = page.content.decode()
        assert 'data-testid="directive-subject" data-kind="alert"' in html
        assert "Peringatan Siaga" in html and "Kota Palangka Raya" in html
        assert f'data-agency-id="{org.polres.pk}"' in html
        assert f'data-agency-id="{org.kecamatan.pk}"' in html
        due = (local_today() + dt.timedelta(days=3)).isoformat()
        assert f'value="{due}"' in html

    def test_issuing_through_the_form_leads_to_the_directive(self, web_as, org):
        alert = make_alert("62.71")
        client = web_as("leader_62")
        response = client.post(
            f"/respons/arahan/baru/?alert={alert.pk}",
            {
                "title": "Amankan lokasi unjuk rasa",
                "instruction": "Siagakan personel dan fasilitasi dialog.",
                "agencies": [org.polres.pk, org.kecamatan.pk],
                "due_date": (local_today() + dt.timedelta(days=3)).isoformat(),
                "priority": "urgent",
                "classification": "biasa",
            },
        )
        directive = Directive.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/respons/arahan/{directive.pk}/"
        assert directive.alert_id == alert.pk and directive.assignments.count() == 2

    def test_a_bad_form_comes_back_with_its_messages(self, web_as, org):
        response = web_as("leader_62").post(
            "/respons/arahan/baru/?area=62.71",
            {
                "title": "Amankan lokasi",
                "instruction": "Siagakan personel.",
                "due_date": (local_today() - dt.timedelta(days=1)).isoformat(),
                "priority": "high",
                "classification": "biasa",
                "agencies": [org.polres.pk],
            },
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert 'data-testid="error-due_date"' in html
        assert not Directive.objects.exists()

    def test_an_overdue_directive_shows_a_banner_and_comes_first(self, web_as, personas, org):
        leader = personas("leader_62")
        later = issue(leader, [org.dinsos], title="Bantuan logistik")
        late = issue(leader, [org.polres], title="Patroli gabungan")
        Directive.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
        page = web_as("leader_62").get(f"/respons/arahan/{late.pk}/").content.decode()
        assert 'data-testid="overdue-banner"' in page
        listing = web_as("leader_62").get("/respons/arahan/").content.decode()
        assert listing.index(f'data-directive-id="{late.pk}"') < listing.index(
            f'data-directive-id="{later.pk}"'
        )
        assert 'data-overdue="true"' in listing
        ok = web_as("leader_62").get(f"/respons/arahan/{later.pk}/").content.decode()
        assert 'data-testid="overdue-banner"' not in ok

    def test_the_agency_records_progress_with_a_photo(self, client, org, directive):
        client.force_login(org.polres_user)
        assignment = _assignment(directive, org.polres)
        page = client.get(f"/respons/arahan/{directive.pk}/").content.decode()
        assert f'data-testid="follow-up-form" data-assignment-id="{assignment.pk}"' in page
        kecamatan = _assignment(directive, org.kecamatan)
        assert f'data-testid="follow-up-form" data-assignment-id="{kecamatan.pk}"' not in page

        response = client.post(
            f"/respons/arahan/tugas/{assignment.pk}/tindak-lanjut/",
            {
                "version": 1,
                "status": "in_progress",
                "progress": 50,
                "note": "Personel disiagakan di lokasi.",
                "files": [jpeg_upload()],
            },
        )
        assert response.status_code == 302
        evidence = Evidence.objects.get()
        page = client.get(f"/respons/arahan/{directive.pk}/").content.decode()
        assert f"/respons/bukti/{evidence.pk}/" in page
        assert 'data-testid="evidence-thumb"' in page
        assert 'data-progress="50"' in page

    def test_htmx_gets_the_agency_block_back_with_messages_or_the_new_state(
        self, client, org, directive
    ):
        client.force_login(org.polres_user)
        assignment = _assignment(directive, org.polres)
        url = f"/respons/arahan/tugas/{assignment.pk}/tindak-lanjut/"
        bad = client.post(
            url,
            {"version": 1, "status": "cannot", "note": "Tidak bisa.", "reason": ""},
            HTTP_HX_REQUEST="true",
        )
        assert bad.status_code == 200
        html = bad.content.decode()
        assert html.lstrip().startswith("<article") and 'data-testid="error-reason"' in html

        disguised = client.post(
            url,
            {"version": 1, "status": "in_progress", "note": "Foto.", "files": [disguised_upload()]},
            HTTP_HX_REQUEST="true",
        )
        assert disguised.status_code == 200
        assert 'data-testid="error-note"' in disguised.content.decode()

        good = client.post(
            url,
            {"version": 1, "status": "in_progress", "progress": 30, "note": "Patroli."},
            HTTP_HX_REQUEST="true",
        )
        html = good.content.decode()
        assert good.status_code == 200
        assert 'data-testid="follow-up-saved"' in html
        assert 'data-status="in_progress"' in html and 'name="version" value="2"' in html

        stale = client.post(
            url,
            {"version": 1, "status": "in_progress", "note": "Dari tab lama."},
            HTTP_HX_REQUEST="true",
        )
        assert 'data-testid="conflict-message"' in stale.content.decode()

    def test_finishing_the_last_assignment_reloads_the_page(self, client, personas, org):
        directive = issue(personas("leader_62"), [org.polres])
        client.force_login(org.polres_user)
        assignment = _assignment(directive, org.polres)
        response = client.post(
            f"/respons/arahan/tugas/{assignment.pk}/tindak-lanjut/",
            {"version": 1, "status": "done", "note": "Selesai."},
            HTTP_HX_REQUEST="true",
        )
        assert response["HX-Redirect"] == f"/respons/arahan/{directive.pk}/"
        page = client.get(f"/respons/arahan/{directive.pk}/").content.decode()
        assert 'data-testid="completed-banner"' in page

    def test_a_stale_normal_post_is_answered_409_with_the_message(self, client, org, directive):
        client.force_login(org.polres_user)
        assignment = _assignment(directive, org.polres)
        url = f"/respons/arahan/tugas/{assignment.pk}/tindak-lanjut/"
        client.post(url, {"version": 1, "status": "in_progress", "note": "Pertama."})
        response = client.post(url, {"version": 1, "status": "in_progress", "note": "Kedua."})
        assert response.status_code == 409
        assert 'data-testid="conflict-message"' in response.content.decode()

    def test_the_overview_shows_my_agencys_work_and_what_i_issued(self, web_as, personas, org):
        leader = personas("leader_62")
        late = issue(leader, [org.polres], title="Patroli gabungan")
        Directive.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
        issue(leader, [org.polres], title="Rapat koordinasi")

        polres = web_as("operator_6271").get("/respons/").content.decode()
        assert 'data-testid="my-assignments"' in polres
        assert polres.count('data-testid="assignment-row"') == 2
        assert 'data-overdue="true"' in polres.split('data-testid="assignment-row"')[1]
        mine = web_as("leader_62").get("/respons/").content.decode()
        assert 'data-testid="issued-directives"' in mine
        assert 'data-testid="overdue-directives"' in mine
        kobar = web_as("operator_6201").get("/respons/").content.decode()
        assert 'data-testid="empty-response"' in kobar
        assert "Patroli gabungan" not in kobar

    def test_the_navigation_shows_respons_and_the_agency_work_count(self, web_as, org, directive):
        page = web_as("operator_6271").get("/respons/").content.decode()
        assert 'href="/respons/"' in page and "Tindak lanjut" in page
        assert '<span class="badge nav-count">1</span>' in page
        leader = web_as("leader_62").get("/respons/").content.decode()
        assert "Respons" in leader and "Tindak lanjut" not in leader

    def test_the_list_filters_by_status_and_text(self, web_as, personas, org, directive):
        other = issue(personas("leader_62"), [org.dinsos], title="Bantuan logistik pengungsi")
        page = web_as("leader_62").get("/respons/arahan/?q=logistik").content.decode()
        assert f'data-directive-id="{other.pk}"' in page
        assert f'data-directive-id="{directive.pk}"' not in page
        bad = web_as("leader_62").get("/respons/arahan/?area=xx")
        assert bad.status_code == 400

    def test_the_issuer_edits_and_cancels(self, web_as, directive):
        client = web_as("leader_62")
        due = local_today() + dt.timedelta(days=5)
        response = client.post(
            f"/respons/arahan/{directive.pk}/ubah/",
            {
                "version": 1,
                "title": "Judul baru",
                "instruction": "Isi baru.",
                "due_date": due.isoformat(),
                "priority": "low",
            },
        )
        assert response.status_code == 302
        stale = client.post(
            f"/respons/arahan/{directive.pk}/ubah/",
            {
                "version": 1,
                "title": "Lagi",
                "instruction": "Isi.",
                "due_date": due.isoformat(),
                "priority": "low",
            },
        )
        assert stale.status_code == 409
        cancel = client.post(f"/respons/arahan/{directive.pk}/batal/", {"version": 2, "reason": ""})
        assert cancel.status_code == 400
        cancel = client.post(
            f"/respons/arahan/{directive.pk}/batal/", {"version": 2, "reason": "Kondusif."}
        )
        assert cancel.status_code == 302
        page = client.get(f"/respons/arahan/{directive.pk}/").content.decode()
        assert 'data-testid="cancelled-banner"' in page
        assert 'data-testid="follow-up-form"' not in page
