"""Event pages and scoped attachment downloads: access matrices, timeline and history, duplicates
and merges, status changes (409 when stale), download headers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from waspada.accounts.models import User
from waspada.accounts.testing import make_user
from waspada.core.testing.access import check_access
from waspada.events import services
from waspada.events.attachments import add_attachment
from waspada.events.models import Attachment, Event, Item
from waspada.reports.testing import make_item, make_report

pytestmark = pytest.mark.django_db

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
EXTRA_PERSONAS = {"analyst_62_rahasia": ("analyst", ["62"], {"clearance": "rahasia"})}
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def client_for(web_as):
    made: dict[str, User] = {}

    def get(name: str) -> Client:
        if name not in EXTRA_PERSONAS:
            return web_as(name)
        if name not in made:
            role, codes, extra = EXTRA_PERSONAS[name]
            made[name] = make_user(name, role, codes, **extra)
        client = Client()
        client.force_login(made[name])
        return client

    return get


@pytest.fixture
def operator(personas):
    return personas("operator_6271")


@pytest.fixture
def item(operator):
    return make_item(make_report("62.71", created_by=operator), area_code="62.71.02")


def expect(**overrides: int) -> dict[str, int]:
    table = dict.fromkeys(ALL, 200)
    table["anonymous"] = 302
    table.update(overrides)
    return table


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def check_form_access(client_for, url, expected, data=None) -> None:
    """`check_access` for form posts (it sends JSON): `url` and `data` may be callables."""
    got = {}
    for persona in expected:
        target = url() if callable(url) else url
        body = data() if callable(data) else (data or {})
        got[persona] = client_for(persona).post(target, body).status_code
    assert got == expected, "\n".join(
        f"{p:<16} expected {expected[p]} got {got[p]}" for p in expected
    )


REVIEWERS_ONLY = {
    "operator_6271": 403,
    "operator_6201": 404,
    "analyst_62": 302,
    "analyst_63": 404,
    "leader_62": 403,
    "area_admin_62": 403,
    "national_admin": 403,
}
FILERS_ONLY = {
    "operator_6271": 302,
    "operator_6201": 404,
    "analyst_62": 302,
    "analyst_63": 404,
    "leader_62": 403,
    "area_admin_62": 302,
    "national_admin": 403,
}


# ---------------------------------------------------------------- access


def test_the_event_list_is_open_to_signed_in_users_and_scoped(client_for, item):
    check_access(client_for, "get", "/kejadian/", expect())
    assert item.event.reference in client_for("leader_62").get("/kejadian/").content.decode()
    assert (
        item.event.reference not in client_for("operator_6201").get("/kejadian/").content.decode()
    )


def test_the_event_page_is_404_outside_scope(client_for, item):
    check_access(
        client_for,
        "get",
        f"/kejadian/{item.event_id}/",
        expect(operator_6201=404, analyst_63=404),
    )


def test_a_rahasia_event_is_404_unless_cleared(client_for, operator):
    secret = make_item(make_report("62.71", created_by=operator), classification="rahasia")
    expected = {name: 404 for name in ALL} | {"anonymous": 302, "analyst_62_rahasia": 200}
    check_access(client_for, "get", f"/kejadian/{secret.event_id}/", expected)


def test_attachments_are_served_only_to_viewers_of_their_item(client_for, item, operator):
    attachment = add_attachment(item, actor=operator, upload=upload("surat.pdf", PDF))
    check_access(
        client_for,
        "get",
        f"/kejadian/lampiran/{attachment.pk}/",
        expect(operator_6201=404, analyst_63=404),
    )


def test_an_attachment_of_a_rahasia_item_is_404_unless_cleared(client_for, operator, personas):
    cleared = make_user("operator_6271_rahasia", "operator", ["62.71"], clearance="rahasia")
    secret = make_item(make_report("62.71", created_by=cleared), classification="rahasia")
    attachment = add_attachment(secret, actor=cleared, upload=upload("rahasia.pdf", PDF))
    expected = {name: 404 for name in ALL} | {"anonymous": 302, "analyst_62_rahasia": 200}
    check_access(client_for, "get", f"/kejadian/lampiran/{attachment.pk}/", expected)


def test_the_download_is_the_stored_file_with_safe_headers(client_for, item, operator):
    attachment = add_attachment(item, actor=operator, upload=upload("surat.pdf", PDF))
    response = client_for("leader_62").get(f"/kejadian/lampiran/{attachment.pk}/")
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["Cache-Control"].startswith("private")
    assert 'inline; filename="surat.pdf"' in response["Content-Disposition"]
    forced = client_for("leader_62").get(f"/kejadian/lampiran/{attachment.pk}/?unduh=1")
    assert forced["Content-Disposition"].startswith("attachment")


def test_uploaded_files_have_no_public_media_url(client_for, item, operator):
    attachment = add_attachment(item, actor=operator, upload=upload("surat.pdf", PDF))
    assert client_for("operator_6271").get(f"/media/{attachment.file.name}").status_code == 404


def test_removing_an_attachment_from_the_page(client_for, item, operator):
    attachment = add_attachment(item, actor=operator, upload=upload("surat.pdf", PDF))
    assert (
        client_for("operator_6201").post(f"/kejadian/lampiran/{attachment.pk}/hapus/").status_code
        == 404
    )
    assert (
        client_for("leader_62").post(f"/kejadian/lampiran/{attachment.pk}/hapus/").status_code
        == 403
    )
    response = client_for("operator_6271").post(f"/kejadian/lampiran/{attachment.pk}/hapus/")
    assert response.status_code == 302
    assert not Attachment.objects.exists()


# ---------------------------------------------------------------- timeline and history


def test_the_event_page_shows_the_timeline_across_reports_and_the_history(
    client_for, item, operator
):
    later = make_report(
        "62.71", created_by=operator, period_start=timezone.localdate() - dt.timedelta(days=1)
    )
    development = make_item(later, event=item.event, title="Massa bertambah", area_code="62.71.02")
    services.update_item(item, actor=operator, version=item.version, data={"title": "Unjuk rasa"})
    html = client_for("leader_62").get(f"/kejadian/{item.event_id}/").content.decode()
    assert html.count('data-testid="timeline-item"') == 2
    assert f'data-item-id="{development.pk}" data-kind="development"' in html
    assert f'href="/laporan/{later.pk}/" data-testid="report-link"' in html
    assert 'data-action="item.updated"' in html


# ---------------------------------------------------------------- duplicates and merges


@pytest.fixture
def twins(operator, personas):
    first = make_item(
        make_report("62.71", created_by=operator),
        area_code="62.71.02",
        title="Bentrok warga dan petugas keamanan kebun sawit di Jekan Raya",
        chronology="Warga desa menghadang petugas keamanan kebun sawit, dua orang luka ringan.",
    )
    other = make_user("operator_6271_b", "operator", ["62.71"])
    second = make_item(
        make_report(
            "62.71", created_by=other, period_start=timezone.localdate() - dt.timedelta(days=1)
        ),
        area_code="62.71.02",
        title="Bentrok warga dengan petugas keamanan kebun sawit Jekan Raya",
        chronology="Warga menghadang petugas keamanan kebun sawit; dua orang luka ringan.",
    )
    return first, second


def test_analysts_see_duplicate_candidates_with_a_merge_button(client_for, twins):
    first, second = twins
    html = client_for("analyst_62").get(f"/kejadian/{first.event_id}/").content.decode()
    assert 'data-testid="duplicate-candidates"' in html
    assert f'data-testid="duplicate" data-event-id="{second.event_id}"' in html
    assert 'data-testid="merge"' in html
    operator_view = client_for("operator_6271").get(f"/kejadian/{first.event_id}/").content.decode()
    assert 'data-testid="duplicate-candidates"' not in operator_view


def test_a_merge_moves_the_items_and_is_reversible_from_the_page(client_for, twins):
    first, second = twins
    analyst = client_for("analyst_62")
    response = analyst.post(f"/kejadian/{first.event_id}/gabung/", {"duplicate": second.event_id})
    assert response.status_code == 302
    assert Item.objects.get(pk=second.pk).event_id == first.event_id
    assert Event.objects.get(pk=second.event_id).merged_into_id == first.event_id
    page = analyst.get(f"/kejadian/{first.event_id}/").content.decode()
    assert page.count('data-testid="timeline-item"') == 2
    assert 'data-testid="merged-duplicates"' in page
    assert 'data-action="event.merged_in"' in page
    undo = analyst.post(f"/kejadian/{second.event_id}/pisahkan/", {"next": first.event_id})
    assert undo.status_code == 302
    assert Item.objects.get(pk=second.pk).event_id == second.event_id
    assert Event.objects.get(pk=second.event_id).merged_into_id is None


def test_merging_is_refused_to_operators_and_outsiders(client_for, twins):
    first, second = twins
    url = f"/kejadian/{first.event_id}/gabung/"
    for persona, status in [("operator_6271", 403), ("analyst_63", 404), ("leader_62", 403)]:
        got = client_for(persona).post(url, {"duplicate": second.event_id}).status_code
        assert got == status, persona
    assert Event.objects.get(pk=second.event_id).merged_into_id is None


def test_the_status_changes_and_a_stale_version_is_a_409(client_for, item):
    analyst = client_for("analyst_62")
    url = f"/kejadian/{item.event_id}/status/"
    version = item.event.version
    assert analyst.post(url, {"status": "monitored", "version": version}).status_code == 302
    assert Event.objects.get(pk=item.event_id).status == "monitored"
    stale = analyst.post(url, {"status": "resolved", "version": version})
    assert stale.status_code == 409
    assert 'data-testid="conflict-message"' in stale.content.decode()
    assert (
        client_for("operator_6271")
        .post(url, {"status": "resolved", "version": version + 1})
        .status_code
        == 403
    )


# ---------------------------------------------------------------- matrices of the writes


def test_changing_the_status_is_for_reviewers_in_scope(client_for, operator):
    made: list[Item] = []

    def url() -> str:
        made.append(make_item(make_report("62.71", created_by=operator, report_type="informasi")))
        return f"/kejadian/{made[-1].event_id}/status/"

    check_form_access(
        client_for,
        url,
        expect(**REVIEWERS_ONLY),
        data=lambda: {"status": "monitored", "version": made[-1].event.version},
    )


def test_merging_and_unmerging_are_for_reviewers_in_scope(client_for, operator, personas):
    pairs: list[tuple[Item, Item]] = []

    def pair() -> tuple[Item, Item]:
        report = make_report("62.71", created_by=operator, report_type="informasi")
        first = make_item(report, title="Blokade jalan oleh warga desa")
        second = make_item(report, title="Blokade jalan warga desa")
        pairs.append((first, second))
        return first, second

    def merge_url() -> str:
        return f"/kejadian/{pair()[0].event_id}/gabung/"

    check_form_access(
        client_for,
        merge_url,
        expect(**REVIEWERS_ONLY),
        data=lambda: {"duplicate": pairs[-1][1].event_id},
    )

    def unmerge_url() -> str:
        first, second = pair()
        services.merge_events(
            target=first.event,
            duplicate=second.event,
            actor=personas("analyst_62"),
        )
        return f"/kejadian/{second.event_id}/pisahkan/"

    check_form_access(client_for, unmerge_url, expect(**REVIEWERS_ONLY))


def test_removing_an_attachment_is_for_filers_in_scope(client_for, item, operator):
    bodies = iter(range(100))

    def url() -> str:
        body = PDF + f"% {next(bodies)}\n".encode()
        attachment = add_attachment(item, actor=operator, upload=upload("s.pdf", body))
        return f"/kejadian/lampiran/{attachment.pk}/hapus/"

    check_form_access(client_for, url, expect(**FILERS_ONLY))
