"""Daily-report compliance: statuses at each boundary, time zones, month calendar, pages, API."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from waspada.accounts.testing import ensure_area, make_user
from waspada.core.errors import OutOfScope
from waspada.core.testing.access import check_access
from waspada.reports.compliance import compliance_for_date, compliance_month
from waspada.reports.testing import make_report

WIB, WITA = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")
DAY = dt.date(2026, 3, 2)  # a Monday
# Due at 10:00 local time on the next day: 03:00 UTC in WIB, 02:00 UTC in WITA.
DUE_WIB = dt.datetime(2026, 3, 3, 10, 0, tzinfo=WIB)
DUE_WITA = dt.datetime(2026, 3, 3, 10, 0, tzinfo=WITA)
MINUTE = dt.timedelta(minutes=1)
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
def due_hour(settings):
    settings.WASPADA_DAILY_REPORT_DUE_HOUR = 10


def filed(area_code, at, *, day=DAY, **fields):
    """A daily report first submitted at `at` (through the model: services are not the subject)."""
    fields.setdefault("status", "submitted")
    fields.setdefault("due_at", DUE_WITA if area_code.startswith("63") else DUE_WIB)
    return make_report(
        area_code,
        period_start=day,
        submitted_at=fields.pop("submitted_at", at),
        first_submitted_at=at,
        **fields,
    )


def statuses(result):
    return {row.area_code: row.status for row in result.rows}


@pytest.mark.django_db
class TestStatuses:
    def test_each_boundary(self, personas):
        for code in ("62.02", "62.03", "62.04", "62.05"):
            ensure_area(code)
        filed("62.71", DUE_WIB)  # exactly at the due moment
        filed("62.01", DUE_WIB + MINUTE)  # a minute late
        filed("62.02", DUE_WIB + dt.timedelta(hours=5), is_nihil=True)  # nihil, late
        make_report("62.04", period_start=DAY, status="draft")  # a draft is not filed
        filed("62.05", DUE_WIB - dt.timedelta(hours=20), is_nihil=True)  # nihil, on time
        result = compliance_for_date(
            personas("analyst_62"), day=DAY, area_code="62", now=DUE_WIB + dt.timedelta(days=1)
        )
        assert statuses(result) == {
            "62.01": "late",
            "62.02": "nihil",
            "62.03": "missing",
            "62.04": "missing",
            "62.05": "nihil",
            "62.71": "on_time",
        }
        rows = {row.area_code: row for row in result.rows}
        assert rows["62.02"].is_late is True
        assert rows["62.05"].is_late is False
        assert rows["62.71"].filed_at == DUE_WIB
        assert rows["62.03"].report_id is None
        assert result.counts == {"on_time": 1, "late": 1, "nihil": 2, "missing": 2, "pending": 0}

    def test_nothing_filed_before_the_due_moment_is_pending_not_missing(self, personas):
        analyst = personas("analyst_62")
        before = compliance_for_date(analyst, day=DAY, area_code="62.71", now=DUE_WIB - MINUTE)
        at_due = compliance_for_date(analyst, day=DAY, area_code="62.71", now=DUE_WIB)
        after = compliance_for_date(analyst, day=DAY, area_code="62.71", now=DUE_WIB + MINUTE)
        assert statuses(before) == {"62.71": "pending"}
        assert statuses(at_due) == {"62.71": "pending"}
        assert statuses(after) == {"62.71": "missing"}

    def test_a_resubmission_after_a_return_keeps_the_first_submission_time(self, personas):
        filed(
            "62.71",
            DUE_WIB - dt.timedelta(hours=12),
            status="submitted",
            submitted_at=DUE_WIB + dt.timedelta(hours=30),
        )
        result = compliance_for_date(personas("analyst_62"), day=DAY, area_code="62.71")
        assert statuses(result) == {"62.71": "on_time"}

    def test_a_report_without_due_at_gets_it_computed(self, personas):
        filed("62.71", DUE_WIB + MINUTE, due_at=None)
        (row,) = compliance_for_date(personas("analyst_62"), day=DAY, area_code="62.71").rows
        assert row.due_at == DUE_WIB
        assert row.status == "late"


@pytest.mark.django_db
class TestTimeZones:
    def test_a_wita_area_is_due_an_hour_earlier_in_utc_than_a_wib_one(self, personas):
        admin = personas("national_admin")
        (wib,) = compliance_for_date(admin, day=DAY, area_code="62.71").rows
        (wita,) = compliance_for_date(admin, day=DAY, area_code="63.71").rows
        assert (wib.zone, wita.zone) == ("WIB", "WITA")
        assert wib.due_at - wita.due_at == dt.timedelta(hours=1)
        assert wita.due_at == dt.datetime(2026, 3, 3, 2, 0, tzinfo=dt.UTC)
        assert wib.due_local.hour == wita.due_local.hour == 10

    def test_the_same_instant_is_on_time_in_wib_and_late_in_wita(self, personas):
        instant = dt.datetime(2026, 3, 3, 2, 30, tzinfo=dt.UTC)
        filed("62.71", instant, due_at=None)
        filed("63.71", instant, due_at=None)
        admin = personas("national_admin")
        assert statuses(compliance_for_date(admin, day=DAY, area_code="62.71")) == {
            "62.71": "on_time"
        }
        assert statuses(compliance_for_date(admin, day=DAY, area_code="63.71")) == {"63.71": "late"}


@pytest.mark.django_db
class TestScope:
    def test_a_province_lists_its_kab_kota_and_other_areas_themselves(self, personas):
        analyst = personas("analyst_62")
        assert list(statuses(compliance_for_date(analyst, day=DAY, area_code="62"))) == [
            "62.01",
            "62.71",
        ]
        assert list(statuses(compliance_for_date(analyst, day=DAY, area_code="62.71.01"))) == [
            "62.71.01"
        ]

    def test_defaults_follow_the_users_own_area(self, personas):
        assert list(statuses(compliance_for_date(personas("operator_6271"), day=DAY))) == ["62.71"]
        assert list(statuses(compliance_for_date(personas("analyst_62"), day=DAY))) == [
            "62.01",
            "62.71",
        ]
        assert {"62", "63"} <= set(
            statuses(compliance_for_date(personas("national_admin"), day=DAY))
        )

    @pytest.mark.parametrize(
        ("name", "code"),
        [
            ("analyst_63", "62"),
            ("operator_6271", "62"),
            ("operator_6201", "62.71"),
            ("analyst_62", "99"),
        ],
    )
    def test_areas_outside_the_scope_do_not_exist(self, personas, name, code):
        with pytest.raises(OutOfScope):
            compliance_for_date(personas(name), day=DAY, area_code=code)

    def test_a_role_without_report_access_is_refused(self, db):
        fkdm = make_user("fkdm_62", "fkdm", ["62"])
        with pytest.raises(PermissionDenied):
            compliance_for_date(fkdm, day=DAY, area_code="62")


@pytest.mark.django_db
class TestMonthCalendar:
    def test_one_cell_per_day_from_monday_with_statuses(self, personas):
        filed("62.71", DUE_WIB)
        filed("62.71", dt.datetime(2026, 3, 5, 9, 0, tzinfo=WIB), day=dt.date(2026, 3, 3))
        filed(
            "62.71",
            dt.datetime(2026, 3, 5, 11, 0, tzinfo=WIB),
            day=dt.date(2026, 3, 4),
            is_nihil=True,
            due_at=dt.datetime(2026, 3, 5, 10, 0, tzinfo=WIB),
        )
        now = dt.datetime(2026, 3, 10, 12, 0, tzinfo=WIB)
        cal = compliance_month(
            personas("operator_6271"), area_code="62.71", year=2026, month=3, now=now
        )
        cells = [cell for week in cal.weeks for cell in week if cell is not None]
        assert len(cells) == 31
        assert cal.weeks[0][:6] == [None] * 6  # 1 March 2026 is a Sunday
        by_day = {cell.row.day.day: cell for cell in cells}
        assert by_day[1].row.status == "missing"
        assert by_day[2].row.status == "on_time"
        assert by_day[3].row.status == "late"
        assert by_day[4].row.status == "nihil"
        assert by_day[4].row.is_late is True
        assert by_day[9].row.status == "missing"  # due on the 10th at 10:00, passed at 12:00
        assert by_day[10].row.status == "pending"  # due on the 11th
        assert by_day[20].in_future is True
        assert by_day[2].aria_label == "Senin, 2 Maret 2026: Tepat waktu"
        assert cal.counts["on_time"] == 1
        assert (cal.previous, cal.following) == ((2026, 2), (2026, 4))

    def test_it_refuses_other_scopes(self, personas):
        with pytest.raises(OutOfScope):
            compliance_month(personas("operator_6201"), area_code="62.71", year=2026, month=3)


def _expected(**overrides):
    base = {"anonymous": 302, **{p: 200 for p in ALL[1:]}}
    base.update(overrides)
    return base


@pytest.mark.django_db
class TestPages:
    def test_the_day_page_applies_the_access_matrix(self, web_as):
        check_access(web_as, "get", "/laporan/kepatuhan/", _expected())
        check_access(
            web_as,
            "get",
            "/laporan/kepatuhan/?date=2026-03-02&area=62",
            _expected(operator_6271=404, operator_6201=404, analyst_63=404),
        )

    def test_the_month_page_applies_the_access_matrix(self, web_as):
        check_access(
            web_as,
            "get",
            "/laporan/kepatuhan/62.71/2026-03/",
            _expected(operator_6201=404, analyst_63=404),
        )

    def test_the_day_page_shows_statuses_times_and_links(self, web_as):
        report = filed("62.71", DUE_WIB + MINUTE)
        html = (
            web_as("analyst_62").get("/laporan/kepatuhan/?date=2026-03-02&area=62").content.decode()
        )
        assert 'data-area="62.71" data-status="late"' in html
        assert 'data-area="62.01" data-status="missing"' in html
        assert "3 Mar 2026 10:00 WIB" in html  # the due moment on the area's own clock
        assert f'href="/laporan/{report.pk}/"' in html
        assert 'href="/laporan/kepatuhan/62.71/2026-03/"' in html
        assert 'data-testid="legend"' in html

    def test_the_month_page_has_labelled_cells_and_a_legend(self, web_as):
        filed("62.71", DUE_WIB)
        html = web_as("operator_6271").get("/laporan/kepatuhan/62.71/2026-03/").content.decode()
        assert 'aria-label="Senin, 2 Maret 2026: Tepat waktu"' in html
        assert 'data-day="2026-03-01" data-status="missing"' in html
        assert "Belum jatuh tempo" in html  # in the legend
        assert 'href="/laporan/kepatuhan/62.71/2026-02/"' in html

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            ("date=2026-13-01", "Tanggal tidak valid"),
            ("date=kemarin", "Tanggal tidak valid"),
            ("area=62-71", "Kode wilayah tidak valid"),
        ],
    )
    def test_bad_input_is_a_400_with_a_message(self, web_as, query, message):
        response = web_as("analyst_62").get(f"/laporan/kepatuhan/?{query}")
        assert response.status_code == 400
        assert message in response.content.decode()

    def test_an_impossible_month_is_not_found(self, web_as):
        assert web_as("analyst_62").get("/laporan/kepatuhan/62.71/2026-13/").status_code == 404


@pytest.mark.django_db
class TestApi:
    def test_it_applies_the_access_matrix(self, api_as):
        check_access(
            api_as,
            "get",
            "/api/v1/compliance/?date=2026-03-02&area=62",
            {
                "anonymous": 401,
                "operator_6271": 404,
                "operator_6201": 404,
                "analyst_62": 200,
                "analyst_63": 404,
                "leader_62": 200,
                "area_admin_62": 200,
                "national_admin": 200,
            },
        )
        check_access(
            api_as,
            "get",
            "/api/v1/compliance/",
            {p: 401 if p == "anonymous" else 200 for p in ALL},
        )

    def test_it_answers_rows_and_counts(self, api_as):
        filed("62.71", DUE_WIB, is_nihil=True)
        body = api_as("leader_62").get("/api/v1/compliance/?date=2026-03-02&area=62").json()
        assert body["date"] == "2026-03-02"
        assert body["area"] == {"code": "62", "name": "Kalimantan Tengah", "level": 1}
        rows = {row["area_code"]: row for row in body["rows"]}
        assert rows["62.71"]["status"] == "nihil"
        assert rows["62.71"]["is_nihil"] is True
        assert rows["62.71"]["zone"] == "WIB"
        assert rows["62.01"]["status"] == "missing"
        assert rows["62.01"]["report_id"] is None
        assert body["counts"]["nihil"] == 1

    @pytest.mark.parametrize("query", ["date=02-03-2026", "area=62.7", "area=abc"])
    def test_bad_parameters_are_400_with_a_message(self, api_as, query):
        response = api_as("analyst_62").get(f"/api/v1/compliance/?{query}")
        assert response.status_code == 400
        assert "tidak valid" in response.json()["detail"]
