"""Risk reads: the selectors (scope, latest score on or before a day, change, term filter) and
the `/api/v1/risk/areas/` endpoints (access matrix, explanation, trend, bad parameters)."""

from __future__ import annotations

import datetime as dt

import pytest

from waspada.accounts.testing import ensure_area
from waspada.core.errors import InvalidInput, OutOfScope
from waspada.core.testing.access import check_access
from waspada.events.models import Term
from waspada.reports.testing import make_item, make_report
from waspada.warnings import selectors
from waspada.warnings.models import AreaDay, AreaDayTerm, RiskScore

DAY = dt.date(2026, 3, 31)


def score(code, day, *, level=0, score_=0.0, **fields):
    return RiskScore.objects.create(
        area=ensure_area(code),
        day=day,
        area_level=code.count(".") + 1,
        level=level,
        raw_level=level,
        score=score_,
        **fields,
    )


def area_day(code, day, items, severity):
    return AreaDay.objects.create(
        area=ensure_area(code),
        day=day,
        area_level=code.count(".") + 1,
        items=items,
        severity=severity,
    )


def area_day_term(code, day, term, items, severity):
    return AreaDayTerm.objects.create(
        area=ensure_area(code),
        day=day,
        area_level=code.count(".") + 1,
        term=term,
        items=items,
        severity=severity,
    )


@pytest.fixture
def risk_data(personas):
    """Scores and aggregates in 62.71, 62.01 and 63.71 around DAY."""
    personas("operator_6271")  # the persona areas
    score("62.71", DAY, level=2, score_=15.0, recent_items=14, expected_items=2.0, p_value=0.001)
    score("62.71", DAY - dt.timedelta(days=30), level=0, score_=1.0)
    # 62.01 was last scored two days before DAY: that score stands on DAY.
    score("62.01", DAY - dt.timedelta(days=2), level=1, score_=5.0)
    score("62.01", DAY - dt.timedelta(days=31), level=1, score_=6.0)
    score("62.01", DAY + dt.timedelta(days=1), level=3, score_=40.0)  # after DAY: never used
    score("63.71", DAY, level=3, score_=50.0)
    area_day("62.71", DAY, 3, 9.0)
    area_day("62.71", DAY - dt.timedelta(days=10), 2, 4.0)
    area_day("62.71", DAY - dt.timedelta(days=40), 7, 20.0)  # before a 30-day period
    area_day("62.01", DAY, 1, 1.5)
    area_day("63.71", DAY, 5, 30.0)


@pytest.mark.django_db
class TestRiskMapSelector:
    def test_it_shows_an_analyst_the_kab_kota_of_their_province_only(self, risk_data, analyst_62):
        result = selectors.risk_map(analyst_62, parent=None, day=DAY, period_days=30)
        assert [row.code for row in result.rows] == ["62.01", "62.71"]

    def test_it_shows_analyst_63_nothing_of_62(self, risk_data, analyst_63):
        result = selectors.risk_map(analyst_63, parent=None, day=DAY, period_days=30)
        assert [row.code for row in result.rows] == ["63.71"]
        with pytest.raises(OutOfScope):
            selectors.risk_map(analyst_63, parent="62", day=DAY, period_days=30)

    def test_it_shows_operator_6271_only_62_71(self, risk_data, operator_6271):
        result = selectors.risk_map(operator_6271, parent=None, day=DAY, period_days=30)
        assert [row.code for row in result.rows] == ["62.71"]
        with pytest.raises(OutOfScope):
            selectors.risk_map(operator_6271, parent="62", day=DAY, period_days=30)
        kecamatan = selectors.risk_map(operator_6271, parent="62.71", day=DAY, period_days=30)
        assert [row.code for row in kecamatan.rows] == ["62.71.01", "62.71.02"]

    def test_a_national_user_sees_every_kab_kota(self, risk_data, national_admin):
        result = selectors.risk_map(national_admin, parent=None, day=DAY, period_days=30)
        assert [row.code for row in result.rows] == ["62.01", "62.71", "63.71"]

    def test_it_uses_the_latest_score_on_or_before_the_day(self, risk_data, analyst_62):
        rows = {
            r.code: r
            for r in selectors.risk_map(analyst_62, parent=None, day=DAY, period_days=30).rows
        }
        assert (rows["62.71"].level, rows["62.71"].score, rows["62.71"].scored_on) == (
            2,
            15.0,
            DAY,
        )
        assert (rows["62.01"].level, rows["62.01"].score) == (1, 5.0)
        assert rows["62.01"].scored_on == DAY - dt.timedelta(days=2)

    def test_an_area_without_any_score_is_normal_and_unscored(self, risk_data, analyst_62):
        early = selectors.risk_map(
            analyst_62, parent=None, day=DAY - dt.timedelta(days=100), period_days=30
        )
        assert all(row.level == 0 and not row.has_score for row in early.rows)

    def test_it_compares_with_the_previous_period(self, risk_data, analyst_62):
        rows = {
            r.code: r
            for r in selectors.risk_map(analyst_62, parent=None, day=DAY, period_days=30).rows
        }
        assert (rows["62.71"].previous_level, rows["62.71"].previous_score) == (0, 1.0)
        assert rows["62.71"].level_change == 2
        assert rows["62.71"].score_change == 14.0
        assert rows["62.01"].previous_score == 6.0  # latest on or before DAY - 30
        assert rows["62.01"].score_change == -1.0

    def test_it_sums_items_and_severity_over_the_period_only(self, risk_data, analyst_62):
        rows = {
            r.code: r
            for r in selectors.risk_map(analyst_62, parent=None, day=DAY, period_days=30).rows
        }
        assert (rows["62.71"].items, rows["62.71"].severity) == (5, 13.0)
        longer = selectors.risk_map(analyst_62, parent=None, day=DAY, period_days=90).rows
        assert {r.code: r.items for r in longer}["62.71"] == 12

    def test_a_term_filter_sums_the_given_terms(self, risk_data, analyst_62):
        ekonomi = Term.objects.get(axis="aspect", code="ekonomi")
        politik = Term.objects.get(axis="aspect", code="politik")
        gangguan = Term.objects.get(axis="athg", code="gangguan")
        area_day_term("62.71", DAY, ekonomi, 2, 6.0)
        area_day_term("62.71", DAY, politik, 1, 3.0)
        area_day_term("62.71", DAY, gangguan, 4, 8.0)
        area_day_term("62.01", DAY - dt.timedelta(days=50), ekonomi, 9, 9.0)
        result = selectors.risk_map(
            analyst_62, parent=None, day=DAY, period_days=30, terms=[ekonomi.pk, politik.pk]
        )
        rows = {r.code: r for r in result.rows}
        assert (rows["62.71"].items, rows["62.71"].severity) == (3, 9.0)
        assert rows["62.01"].items == 0
        assert rows["62.71"].level == 2  # the level is not filtered
        assert result.term_filtered

    def test_top_areas_rank_by_score(self, risk_data, national_admin):
        top = selectors.top_areas(national_admin, parent=None, day=DAY, period_days=30, limit=2)
        assert [r.code for r in top] == ["63.71", "62.71"]

    def test_the_map_needs_few_queries(
        self, risk_data, national_admin, django_assert_max_num_queries
    ):
        for code in ("62.02", "62.03", "62.04", "62.05", "62.06"):
            ensure_area(code)
        with django_assert_max_num_queries(7):
            selectors.risk_map(national_admin, parent=None, day=DAY, period_days=30)


@pytest.mark.django_db
class TestExplanationAndItems:
    def test_a_rahasia_top_item_is_left_out_for_a_user_not_cleared(self, personas):
        analyst = personas("analyst_62")
        report = make_report("62.71", status="verified", created_by=analyst)
        open_item = make_item(report, title="Bentrok warga", status="verified")
        secret = make_item(
            report,
            title="Rahasia: rencana penyerangan",
            status="verified",
            classification="rahasia",
        )
        top = [
            {"id": secret.pk, "day": str(DAY), "severity": 9.0, "contribution": 8.0},
            {"id": open_item.pk, "day": str(DAY), "severity": 2.0, "contribution": 1.5},
        ]
        score("62.71", DAY, level=2, score_=15.0, explanation={"top_items": top, "decayed": 15})
        result = selectors.explanation(analyst, "62.71", DAY)
        assert [t.item.pk for t in result.top_items] == [open_item.pk]
        assert result.factors == {"decayed": 15}
        analyst.clearance = "rahasia"
        analyst.save(update_fields=["clearance"])
        cleared = selectors.explanation(analyst, "62.71", DAY)
        assert [t.item.pk for t in cleared.top_items] == [secret.pk, open_item.pk]

    def test_area_items_are_verified_items_of_the_period_inside_the_area(self, personas):
        analyst = personas("analyst_62")
        report = make_report("62.71", status="verified", created_by=analyst)
        when = dt.datetime(2026, 3, 30, 10, tzinfo=dt.UTC)
        inside = make_item(report, area_code="62.71.01", occurred_at=when, status="verified")
        make_item(report, occurred_at=when, status="submitted")
        make_item(report, occurred_at=when - dt.timedelta(days=60), status="verified")
        make_item(report, occurred_at=when, status="verified", classification="rahasia", title="R")
        other = make_report("62.01", status="verified", created_by=analyst)
        make_item(other, occurred_at=when, status="verified")
        items = selectors.area_items(analyst, "62.71", DAY - dt.timedelta(days=29), DAY)
        assert [i.pk for i in items] == [inside.pk]
        athg = Term.objects.get(axis="athg", code="ancaman")
        assert list(selectors.area_items(analyst, "62.71", DAY, DAY, [athg.pk])) == []
        with pytest.raises(OutOfScope):
            selectors.area_items(personas("analyst_63"), "62.71", DAY, DAY)

    def test_bad_parameters_are_refused_per_field(self, analyst_62):
        with pytest.raises(InvalidInput) as caught:
            selectors.parse_risk_params(
                analyst_62, {"date": "2026-13-01", "period": "0", "term": "x", "parent": "6"}
            )
        assert set(caught.value.errors) == {"date", "period", "term", "parent"}


@pytest.mark.django_db
class TestRiskApi:
    def test_the_list_applies_the_access_matrix(self, risk_data, api_as):
        check_access(
            api_as,
            "get",
            "/api/v1/risk/areas/?date=2026-03-31",
            {
                "anonymous": 401,
                "operator_6271": 200,
                "operator_6201": 200,
                "analyst_62": 200,
                "analyst_63": 200,
                "leader_62": 200,
                "area_admin_62": 200,
                "national_admin": 200,
            },
        )

    def test_a_parent_outside_the_scope_answers_404(self, risk_data, api_as):
        check_access(
            api_as,
            "get",
            "/api/v1/risk/areas/?parent=62&date=2026-03-31",
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

    def test_the_detail_and_trend_apply_the_access_matrix(self, risk_data, api_as):
        expected = {
            "anonymous": 401,
            "operator_6271": 200,
            "operator_6201": 404,
            "analyst_62": 200,
            "analyst_63": 404,
            "leader_62": 200,
            "area_admin_62": 200,
            "national_admin": 200,
        }
        check_access(api_as, "get", "/api/v1/risk/areas/62.71/?date=2026-03-31", expected)
        check_access(api_as, "get", "/api/v1/risk/areas/62.71/trend/", expected)

    def test_the_list_answers_levels_in_words_and_changes(self, risk_data, api_as):
        body = api_as("leader_62").get("/api/v1/risk/areas/?date=2026-03-31&period=30").json()
        assert body["count"] == 2
        row = {r["code"]: r for r in body["results"]}["62.71"]
        assert row["level"] == 2 and row["level_name"] == "Siaga"
        assert row["level_slug"] == "siaga" and row["colour"].startswith("#")
        assert (row["score"], row["previous_score"], row["score_change"]) == (15.0, 1.0, 14.0)
        assert (row["items"], row["severity"]) == (5, 13.0)
        assert row["scored_on"] == "2026-03-31"

    def test_the_list_takes_terms_repeated_or_comma_separated(self, risk_data, api_as):
        ekonomi = Term.objects.get(axis="aspect", code="ekonomi")
        politik = Term.objects.get(axis="aspect", code="politik")
        area_day_term("62.71", DAY, ekonomi, 2, 6.0)
        area_day_term("62.71", DAY, politik, 1, 3.0)
        client = api_as("analyst_62")
        for query in (f"term={ekonomi.pk}&term={politik.pk}", f"term={ekonomi.pk},{politik.pk}"):
            body = client.get(f"/api/v1/risk/areas/?date=2026-03-31&{query}").json()
            assert {r["code"]: r["items"] for r in body["results"]} == {"62.01": 0, "62.71": 3}

    def test_one_page_can_hold_the_national_map(
        self, risk_data, api_as, django_assert_max_num_queries
    ):
        client = api_as("national_admin")
        client.get("/api/v1/risk/areas/")  # warm the session and user caches
        with django_assert_max_num_queries(10):
            body = client.get("/api/v1/risk/areas/?date=2026-03-31&page_size=1000").json()
        assert body["count"] == 3 and len(body["results"]) == 3

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ("date=2026-02-30", "date"),
            ("date=31-03-2026", "date"),
            ("period=0", "period"),
            ("period=abc", "period"),
            ("period=400", "period"),
            ("term=999999", "term"),
            ("term=abc", "term"),
            ("parent=6x", "parent"),
        ],
    )
    def test_bad_parameters_answer_400_with_field_errors(self, risk_data, api_as, query, field):
        response = api_as("analyst_62").get(f"/api/v1/risk/areas/?{query}")
        assert response.status_code == 400
        assert field in response.json()["errors"]

    def test_bad_trend_ranges_answer_400(self, risk_data, api_as):
        client = api_as("analyst_62")
        for query, field in (
            ("start=2026-03-31&end=2026-03-01", "end"),
            ("start=2020-01-01&end=2026-03-01", "start"),
            ("start=x", "start"),
        ):
            response = client.get(f"/api/v1/risk/areas/62.71/trend/?{query}")
            assert response.status_code == 400
            assert field in response.json()["errors"]

    def test_the_detail_explains_the_score_and_hides_rahasia_items(self, personas, api_as):
        leader = personas("leader_62")
        report = make_report("62.71", status="verified", created_by=leader)
        visible = make_item(report, title="Bentrok warga", status="verified")
        secret = make_item(
            report,
            title="Rahasia: rencana penyerangan",
            status="verified",
            classification="rahasia",
        )
        top = [
            {"id": secret.pk, "day": "2026-03-30", "severity": 9.0, "contribution": 8.0},
            {"id": visible.pk, "day": "2026-03-30", "severity": 2.0, "contribution": 1.5},
        ]
        score(
            "62.71",
            DAY,
            level=2,
            score_=15.0,
            recent_items=14,
            expected_items=2.0,
            p_value=0.001,
            escalating=True,
            explanation={
                "factors": {"decayed_severity": 15.0},
                "top_items": top,
                "top_items_computed": True,
            },
        )
        response = api_as("leader_62").get("/api/v1/risk/areas/62.71/?date=2026-04-02")
        body = response.json()
        assert response.status_code == 200
        assert body["scored_on"] == "2026-03-31" and body["level_name"] == "Siaga"
        assert body["escalating"] is True and body["recent_items"] == 14
        assert body["factors"] == {"decayed_severity": 15.0}
        assert [t["id"] for t in body["top_items"]] == [visible.pk]
        assert "Rahasia" not in response.content.decode()
        assert body["top_items"][0]["url"] == f"/kejadian/{visible.event_id}/"

    def test_an_area_without_a_score_answers_normal(self, risk_data, api_as):
        body = api_as("analyst_62").get("/api/v1/risk/areas/62.71.01/").json()
        assert body["score"] is None and body["level"] == 0 and body["top_items"] == []

    def test_the_trend_has_one_point_per_day(self, risk_data, api_as):
        body = (
            api_as("analyst_62")
            .get("/api/v1/risk/areas/62.71/trend/?start=2026-03-21&end=2026-03-31")
            .json()
        )
        assert len(body["points"]) == 11
        assert body["points"][-1] == {"day": "2026-03-31", "items": 3, "severity": 9.0}
        assert body["points"][0]["items"] == 2  # 2026-03-21, ten days before
