"""Report entry pages: access matrices for every persona, messages next to the fields, the
workflow buttons (409 on a stale version), idempotent web submits, uploads from the item form."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from waspada.accounts.models import User
from waspada.accounts.testing import make_user
from waspada.core.testing.access import check_access
from waspada.events.models import Attachment, Event, Item
from waspada.reports import services
from waspada.reports.models import SituationReport
from waspada.reports.testing import make_item, make_report

pytestmark = pytest.mark.django_db

EXTRA_PERSONAS = {"analyst_62_rahasia": ("analyst", ["62"], {"clearance": "rahasia"})}
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
def report(operator):
    return make_report("62.71", created_by=operator)


@pytest.fixture
def item(report):
    return make_item(report, area_code="62.71.02")


def today() -> dt.date:
    return services.local_today("62.71")


def expect(**overrides: int) -> dict[str, int]:
    table = dict.fromkeys(ALL, 200)
    table["anonymous"] = 302  # to the log-in page
    table.update(overrides)
    return table


def local_now(hours_ago: int = 2) -> str:
    from waspada.geo.zones import zone_for

    when = timezone.now().astimezone(zone_for("62.71")) - dt.timedelta(hours=hours_ago)
    return when.strftime("%Y-%m-%dT%H:%M")


def item_post(**extra):
    data = {
        "idempotency_key": "kunci-uji-0001",
        "kind": "new",
        "event": "",
        "occurred_at": local_now(),
        "time_precision": "exact",
        "area": "62.71.02",
        "title": "Unjuk rasa warga menolak perluasan kebun sawit",
        "chronology": "Sekitar 200 warga berkumpul di depan kantor desa.",
        "classification": "biasa",
        "aspect": "ekonomi",
        "athg": "gangguan",
        "actors-TOTAL_FORMS": "2",
        "actors-INITIAL_FORMS": "0",
        "actors-MIN_NUM_FORMS": "0",
        "actors-MAX_NUM_FORMS": "50",
        "actors-0-name": "Kelompok tani Sido Makmur",
        "actors-0-actor_type": "",
        "actors-0-crowd_size": "200",
        "actors-0-role": "penggerak",
        "actors-1-name": "",
    }
    data.update(extra)
    return data


def gps_jpeg() -> bytes:
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "S", (2.0, 12.0, 34.5), "E", (113.0, 54.0, 38.9)
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 40)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def errors_of(response, name: str) -> str:
    """The text of the error list rendered next to field `name`."""
    html = response.content.decode()
    match = re.search(rf'data-testid="error-{re.escape(name)}">(.*?)</ul>', html, re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", match.group(1))) if match else ""


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


# ---------------------------------------------------------------- access matrices


def test_the_report_list_is_open_to_every_signed_in_persona(client_for, report):
    check_access(client_for, "get", "/laporan/", expect())


def test_the_report_list_shows_only_reports_in_scope(client_for, report, personas):
    other = make_report("62.01", created_by=personas("operator_6201"))
    html = client_for("operator_6201").get("/laporan/").content.decode()
    assert other.reference in html
    assert report.reference not in html
    assert report.reference in client_for("analyst_62").get("/laporan/").content.decode()
    assert "empty-reports" in client_for("analyst_63").get("/laporan/").content.decode()


def test_the_report_list_filters_with_the_shared_filterset(client_for, report):
    client = client_for("analyst_62")
    assert report.reference in client.get("/laporan/?status=draft").content.decode()
    assert report.reference not in client.get("/laporan/?status=verified").content.decode()
    bad = client.get("/laporan/?area=bukan-kode")
    assert bad.status_code == 400
    assert "Kode wilayah tidak valid" in bad.content.decode()


def test_the_new_report_page_is_for_roles_that_file_reports(client_for):
    check_access(client_for, "get", "/laporan/baru/", expect(leader_62=403, national_admin=403))


def test_the_report_page_is_404_outside_scope(client_for, report):
    check_access(
        client_for,
        "get",
        f"/laporan/{report.pk}/",
        expect(operator_6201=404, analyst_63=404),
    )


def test_the_new_item_page_needs_scope_then_the_filing_permission(client_for, report):
    check_access(
        client_for,
        "get",
        f"/laporan/{report.pk}/butir/baru/",
        expect(operator_6201=404, analyst_63=404, leader_62=403, national_admin=403),
    )


def test_the_item_page_is_readable_in_scope(client_for, item):
    check_access(
        client_for,
        "get",
        f"/laporan/{item.report_id}/butir/{item.pk}/",
        expect(operator_6201=404, analyst_63=404),
    )


def test_a_rahasia_item_is_404_for_everyone_not_cleared(client_for, report):
    secret = make_item(report, classification="rahasia", title="Rencana rahasia")
    url = f"/laporan/{report.pk}/butir/{secret.pk}/"
    check_access(
        client_for,
        "get",
        url,
        {**expect(operator_6201=404, analyst_63=404), **dict.fromkeys(ALL[1:], 404)}
        | {"analyst_62_rahasia": 200},
    )
    assert (
        "Rencana rahasia"
        not in client_for("analyst_62").get(f"/laporan/{report.pk}/").content.decode()
    )
    assert (
        "Rencana rahasia"
        in client_for("analyst_62_rahasia").get(f"/laporan/{report.pk}/").content.decode()
    )


def test_submit_needs_scope_and_the_submit_permission(client_for, operator):
    counter = iter(range(1, 100))

    def url() -> str:
        fresh = make_report(
            "62.71", created_by=operator, period_start=today() - dt.timedelta(days=next(counter))
        )
        make_item(fresh)
        return f"/laporan/{fresh.pk}/ajukan/"

    check_access(
        client_for,
        "post",
        url,
        expect(
            operator_6271=302,
            operator_6201=404,
            analyst_62=302,
            analyst_63=404,
            leader_62=403,
            area_admin_62=302,
            national_admin=403,
        ),
        data={},
        fmt="multipart",
    )


def test_verify_is_for_analysts_above_the_report_area(client_for, operator):
    counter = iter(range(1, 100))

    def url() -> str:
        fresh = make_report(
            "62.71",
            created_by=operator,
            status="submitted",
            period_start=today() - dt.timedelta(days=next(counter)),
        )
        make_item(fresh)
        return f"/laporan/{fresh.pk}/verifikasi/"

    check_access(
        client_for,
        "post",
        url,
        expect(
            operator_6271=403,
            operator_6201=404,
            analyst_62=302,
            analyst_63=404,
            leader_62=403,
            area_admin_62=403,
            national_admin=403,
        ),
        data={},
    )


def test_the_attachment_upload_from_the_report_page_respects_scope(client_for, item):
    # check_access posts JSON; an upload is multipart, so the same table is walked here.
    expected = expect(
        operator_6271=302,
        operator_6201=404,
        analyst_62=302,
        analyst_63=404,
        leader_62=403,
        area_admin_62=302,
        national_admin=403,
    )
    url = f"/laporan/{item.report_id}/butir/{item.pk}/lampiran/"
    got = {}
    for persona in expected:
        body = b"%PDF-1.4\n% " + persona.encode() + b"\n%%EOF\n"
        upload = SimpleUploadedFile("s.pdf", body)
        got[persona] = client_for(persona).post(url, {"files": [upload]}).status_code
    assert got == expected
    assert Attachment.objects.count() == 3


def fresh_report(operator, days: list[int], **fields):
    """A report with one item on a new date each call (one daily report per area and date)."""
    start = today() - dt.timedelta(days=len(days) + 1)
    days.append(1)
    report = make_report("62.71", created_by=operator, period_start=start, **fields)
    make_item(report)
    return report


def test_saving_the_report_text_needs_scope_and_the_filing_permission(client_for, operator):
    days: list[int] = []
    made: list[SituationReport] = []

    def url() -> str:
        made.append(fresh_report(operator, days))
        return f"/laporan/{made[-1].pk}/"

    check_form_access(
        client_for,
        url,
        expect(
            operator_6271=302,
            operator_6201=404,
            analyst_62=302,
            analyst_63=404,
            leader_62=403,
            area_admin_62=302,
            national_admin=403,
        ),
        data=lambda: {"title": "Situasi kondusif", "version": made[-1].version},
    )


def test_returning_is_for_analysts_above_the_report_area(client_for, operator):
    days: list[int] = []

    def url() -> str:
        return f"/laporan/{fresh_report(operator, days, status='submitted').pk}/kembalikan/"

    check_form_access(
        client_for,
        url,
        expect(
            operator_6271=403,
            operator_6201=404,
            analyst_62=302,
            analyst_63=404,
            leader_62=403,
            area_admin_62=403,
            national_admin=403,
        ),
        data={"reason": "Lengkapi sumber informasi."},
    )


def test_removing_an_item_needs_scope_and_the_filing_permission(client_for, operator):
    days: list[int] = []

    def url() -> str:
        report = fresh_report(operator, days)
        return f"/laporan/{report.pk}/butir/{report.items.get().pk}/hapus/"

    check_form_access(
        client_for,
        url,
        expect(
            operator_6271=302,
            operator_6201=404,
            analyst_62=302,
            analyst_63=404,
            leader_62=403,
            area_admin_62=302,
            national_admin=403,
        ),
    )


def test_creating_an_item_needs_scope_and_the_filing_permission(client_for, report):
    keys = iter(range(100))
    check_form_access(
        client_for,
        f"/laporan/{report.pk}/butir/baru/",
        expect(
            operator_6271=302,
            operator_6201=404,
            analyst_62=302,
            analyst_63=404,
            leader_62=403,
            area_admin_62=302,
            national_admin=403,
        ),
        data=lambda: item_post(idempotency_key=f"matrix-{next(keys)}"),
    )
    assert Item.objects.filter(report=report).count() == 3


def test_creating_a_report_needs_the_filing_permission_and_scope(client_for):
    days = iter(range(1, 100))
    check_form_access(
        client_for,
        "/laporan/baru/",
        expect(
            operator_6271=302,
            operator_6201=400,  # 62.71 is outside its scope: said next to the area field
            analyst_62=302,
            analyst_63=400,
            leader_62=403,
            area_admin_62=302,
            national_admin=403,
        ),
        data=lambda: {
            "report_type": "harian",
            "area": "62.71",
            "period_start": (today() - dt.timedelta(days=next(days))).isoformat(),
        },
    )


# ---------------------------------------------------------------- new report


def test_the_new_report_form_defaults_to_a_daily_report_of_my_area_today(client_for):
    html = client_for("operator_6271").get("/laporan/baru/").content.decode()
    assert 'value="62.71"' in html
    assert f'value="{today():%Y-%m-%d}"' in html
    assert 'name="idempotency_key"' in html
    assert 'data-area-picker data-scope="mine"' in html
    assert 'data-testid="field-is_nihil"' in html


def test_a_new_report_lands_once_however_often_the_form_is_sent(client_for, operator):
    client = client_for("operator_6271")
    form = {
        "idempotency_key": "lap-baru-0001",
        "report_type": "harian",
        "area": "62.71",
        "period_start": today().isoformat(),
        "is_nihil": "on",
    }
    first = client.post("/laporan/baru/", form)
    second = client.post("/laporan/baru/", form)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert SituationReport.objects.count() == 1
    report = SituationReport.objects.get()
    assert report.is_nihil and report.created_by == operator
    page = client.get(second["Location"]).content.decode()
    assert "sudah dibuat sebelumnya" in page
    assert 'data-clear-draft="report-new"' in page  # the browser forgets the autosaved form


def test_the_new_report_form_puts_messages_next_to_the_fields(client_for):
    client = client_for("operator_6271")
    response = client.post(
        "/laporan/baru/", {"report_type": "harian", "area": "", "period_start": ""}
    )
    assert response.status_code == 400
    assert "Wajib diisi." in errors_of(response, "area")
    assert "Wajib diisi." in errors_of(response, "period_start")

    future = (today() + dt.timedelta(days=3)).isoformat()
    response = client.post(
        "/laporan/baru/", {"report_type": "harian", "area": "62.71", "period_start": future}
    )
    assert response.status_code == 400
    assert "masa depan" in errors_of(response, "period_start")


def test_an_area_outside_my_scope_is_refused_next_to_the_area_field(client_for):
    response = client_for("operator_6271").post(
        "/laporan/baru/",
        {"report_type": "harian", "area": "62.01", "period_start": today().isoformat()},
    )
    assert response.status_code == 400
    assert "di luar cakupan" in errors_of(response, "area")
    assert not SituationReport.objects.exists()


def test_a_second_daily_report_for_the_same_day_is_a_409_with_a_link(client_for, report):
    response = client_for("operator_6271").post(
        "/laporan/baru/",
        {"report_type": "harian", "area": "62.71", "period_start": report.period_start.isoformat()},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "sudah ada" in html
    assert f'href="/laporan/{report.pk}/" data-testid="existing-report-link"' in html


# ---------------------------------------------------------------- items


def test_the_item_form_has_every_section_and_sensible_defaults(client_for, report):
    html = client_for("operator_6271").get(f"/laporan/{report.pk}/butir/baru/").content.decode()
    for section in (
        "sec-waktu-tempat",
        "sec-apa",
        "sec-pelaku",
        "sec-dampak",
        "sec-sumber",
        "sec-klasifikasi",
        "sec-analisis",
        "sec-lampiran",
    ):
        assert f'id="{section}"' in html
    for label in ("Waktu & tempat", "Apa yang terjadi (5W+1H)", "Sumber & keandalan", "Pelaku"):
        assert label in html
    assert 'name="area" value="62.71"' in html or 'value="62.71"' in html
    assert 'data-parent="62.71"' in html  # the map draws the kab/kota's kecamatan
    assert 'type="datetime-local"' in html
    assert 'value="biasa"' in html


def test_an_item_is_recorded_with_its_actors_and_lands_once_on_a_double_submit(client_for, report):
    client = client_for("operator_6271")
    url = f"/laporan/{report.pk}/butir/baru/"
    first = client.post(url, item_post())
    assert first.status_code == 302
    # The page after a save tells the browser to forget the locally autosaved draft.
    assert (
        f'data-clear-draft="item-new:{report.pk}"' in client.get(first["Location"]).content.decode()
    )
    second = client.post(url, item_post())
    assert second.status_code == 302
    item = Item.objects.get()
    assert item.report == report
    assert item.area_id == "62.71.02"
    assert [a.name for a in item.actors.all()] == ["Kelompok tani Sido Makmur"]
    assert item.aspect is not None and item.aspect.code == "ekonomi"
    page = client.get(second["Location"]).content.decode()
    assert "sudah tersimpan sebelumnya" in page


def test_the_item_time_is_read_in_the_report_areas_zone(client_for, report):
    client_for("operator_6271").post(
        f"/laporan/{report.pk}/butir/baru/", item_post(occurred_at="2026-01-05T08:30")
    )
    item = Item.objects.get()
    # 08:30 WIB (Palangka Raya, UTC+7) is 01:30 UTC.
    assert item.occurred_at == dt.datetime(2026, 1, 5, 1, 30, tzinfo=dt.UTC)


def test_item_validation_messages_sit_next_to_their_fields(client_for, report):
    response = client_for("operator_6271").post(
        f"/laporan/{report.pk}/butir/baru/",
        item_post(title="", deaths="-3", latitude="95", area="62.01"),
    )
    assert response.status_code == 400
    assert "Wajib diisi." in errors_of(response, "title")
    assert "negatif" in errors_of(response, "deaths")
    assert "-90 dan 90" in errors_of(response, "latitude")
    assert not Item.objects.exists()


def test_service_errors_come_back_next_to_the_field(client_for, report):
    response = client_for("operator_6271").post(
        f"/laporan/{report.pk}/butir/baru/", item_post(area="62.71.01", aspect="tidak-ada")
    )
    assert response.status_code == 400
    assert "Pilihan 'tidak-ada' tidak dikenal." in errors_of(response, "aspect")
    outside = client_for("operator_6271").post(
        f"/laporan/{report.pk}/butir/baru/", item_post(area="62.01.01")
    )
    assert outside.status_code == 400
    assert "di dalam wilayah laporan (62.71)" in errors_of(outside, "area")
    response = client_for("operator_6271").post(
        f"/laporan/{report.pk}/butir/baru/",
        item_post(**{"actors-0-crowd_size": "", "actors-0-name": "", "actors-0-role": "korban"}),
    )
    assert response.status_code == 400
    assert "Nama aktor wajib diisi." in errors_of(response, "actors-0-name")


def test_a_future_time_is_refused_next_to_the_time_field(client_for, report):
    response = client_for("operator_6271").post(
        f"/laporan/{report.pk}/butir/baru/", item_post(occurred_at=local_now(hours_ago=-48))
    )
    assert response.status_code == 400
    assert "masa depan" in errors_of(response, "occurred_at")


def test_a_development_needs_its_event_and_joins_its_timeline(client_for, report, item):
    client = client_for("operator_6271")
    url = f"/laporan/{report.pk}/butir/baru/"
    missing = client.post(url, item_post(kind="development", idempotency_key="k-dev-1"))
    assert missing.status_code == 400
    assert "Pilih kejadian" in errors_of(missing, "event")
    form = client.get(url).content.decode()
    assert f'<option value="{item.event_id}"' in form
    done = client.post(
        url,
        item_post(kind="development", event=str(item.event_id), idempotency_key="k-dev-2"),
    )
    assert done.status_code == 302
    development: Item = Item.objects.exclude(pk=item.pk).get()
    assert development.event_id == item.event_id
    assert development.kind == "development"


def test_the_item_form_uploads_a_photo_without_its_location(client_for, report):
    photo = SimpleUploadedFile("foto.jpg", gps_jpeg(), content_type="image/jpeg")
    response = client_for("operator_6271").post(
        f"/laporan/{report.pk}/butir/baru/", {**item_post(), "files": [photo]}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    with default_storage.open(str(attachment.file.name)) as handle:
        stored = handle.read()
    with Image.open(io.BytesIO(stored)) as image:
        assert dict(image.getexif().get_ifd(0x8825)) == {}


def test_a_disguised_upload_keeps_nothing_and_says_why(client_for, report):
    fake = SimpleUploadedFile("foto.jpg", b"<html><script>x</script></html>", "image/jpeg")
    response = client_for("operator_6271").post(
        f"/laporan/{report.pk}/butir/baru/", {**item_post(), "files": [fake]}
    )
    assert response.status_code == 400
    assert "Lampiran:" in response.content.decode()
    assert not Item.objects.exists()
    assert not Attachment.objects.exists()


def test_an_item_edit_with_a_stale_version_is_a_409(client_for, item):
    client = client_for("operator_6271")
    url = f"/laporan/{item.report_id}/butir/{item.pk}/"
    data = item_post(title="Judul diperbaiki", version=str(item.version))
    data.pop("idempotency_key")
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.title == "Judul diperbaiki"
    stale = client.post(url, {**data, "title": "Judul lain"})
    assert stale.status_code == 409
    assert 'data-testid="conflict-message"' in stale.content.decode()
    item.refresh_from_db()
    assert item.title == "Judul diperbaiki"


def test_the_item_page_shows_its_history(client_for, item):
    client = client_for("operator_6271")
    url = f"/laporan/{item.report_id}/butir/{item.pk}/"
    data = item_post(title="Judul diperbaiki", version=str(item.version))
    client.post(url, data)
    html = client.get(url).content.decode()
    assert 'data-action="item.updated"' in html


def test_removing_an_item_takes_it_off_the_report(client_for, item):
    response = client_for("operator_6271").post(f"/laporan/{item.report_id}/butir/{item.pk}/hapus/")
    assert response.status_code == 302
    assert not Item.objects.filter(pk=item.pk).exists()


# ---------------------------------------------------------------- workflow


def test_the_operator_submits_and_a_second_submit_is_a_clear_409(client_for, item):
    client = client_for("operator_6271")
    url = f"/laporan/{item.report_id}/ajukan/"
    assert client.post(url, {"version": item.report.version}).status_code == 302
    again = client.post(url, {"version": item.report.version})
    assert again.status_code == 409
    html = again.content.decode()
    assert 'data-testid="conflict-message"' in html
    assert 'data-status="submitted"' in html


def test_submitting_an_empty_report_says_what_is_missing(client_for, report):
    response = client_for("operator_6271").post(f"/laporan/{report.pk}/ajukan/")
    assert response.status_code == 400
    assert "nihil" in response.content.decode()


def test_the_analyst_returns_with_a_reason_and_the_operator_sees_it(client_for, item):
    services.submit_report(item.report, actor=item.report.created_by)
    analyst = client_for("analyst_62")
    url = f"/laporan/{item.report_id}/kembalikan/"
    page = analyst.get(f"/laporan/{item.report_id}/").content.decode()
    assert 'data-testid="return-form"' in page and 'data-testid="verify-report"' in page
    empty = analyst.post(url, {"reason": " "})
    assert empty.status_code == 400
    assert "Alasan wajib diisi." in errors_of(empty, "reason")
    done = analyst.post(url, {"reason": "Lengkapi jumlah massa dan sumber informasi."})
    assert done.status_code == 302
    html = client_for("operator_6271").get(f"/laporan/{item.report_id}/").content.decode()
    assert 'data-testid="return-reason"' in html
    assert "Lengkapi jumlah massa" in html
    assert "Ajukan ulang" in html


def test_two_analysts_at_once_the_second_gets_a_409_not_a_silent_overwrite(client_for, item):
    report = services.submit_report(item.report, actor=item.report.created_by)
    seen = report.version
    first = client_for("analyst_62").post(f"/laporan/{report.pk}/verifikasi/", {"version": seen})
    assert first.status_code == 302
    other = make_user("analyst_62_b", "analyst", ["62"])
    second = Client()
    second.force_login(other)
    late = second.post(
        f"/laporan/{report.pk}/kembalikan/", {"reason": "Perlu dicek", "version": seen}
    )
    assert late.status_code == 409
    assert "Perubahan tidak disimpan." in late.content.decode()
    report.refresh_from_db()
    assert report.status == "verified"


def test_the_creator_sees_no_review_buttons_on_a_submitted_report(client_for, item):
    services.submit_report(item.report, actor=item.report.created_by)
    html = client_for("operator_6271").get(f"/laporan/{item.report_id}/").content.decode()
    assert 'data-testid="verify-report"' not in html
    assert "Menunggu verifikasi" in html


def test_the_report_text_edit_with_a_stale_version_is_a_409(client_for, report):
    client = client_for("operator_6271")
    url = f"/laporan/{report.pk}/"
    ok = client.post(url, {"title": "Situasi kondusif", "version": report.version})
    assert ok.status_code == 302
    stale = client.post(url, {"title": "Judul lain", "version": report.version})
    assert stale.status_code == 409
    report.refresh_from_db()
    assert report.title == "Situasi kondusif"


def test_the_leader_reads_verified_items_but_gets_no_buttons(client_for, item, personas):
    services.submit_report(item.report, actor=item.report.created_by)
    services.verify_report(item.report, actor=personas("analyst_62"))
    html = client_for("leader_62").get(f"/laporan/{item.report_id}/").content.decode()
    assert item.title in html
    assert 'data-status="verified"' in html
    assert "submit-report" not in html and "edit-item" not in html


def test_event_link_from_the_report_page_points_at_the_event(client_for, item):
    html = client_for("operator_6271").get(f"/laporan/{item.report_id}/").content.decode()
    assert f'href="/kejadian/{item.event_id}/" data-testid="event-link"' in html
    assert Event.objects.filter(pk=item.event_id).exists()
