"""The leader's dashboard (/dasbor/) and the drill-down page of an area (/dasbor/wilayah/<code>/).

Risk rows are written directly (test data); boundaries and areas are the geo tests' tiny set,
loaded through the real services.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from waspada.accounts.testing import ensure_area
from waspada.core.testing.access import check_access
from waspada.events.models import Term
from waspada.geo import areadata, boundaryfiles
from waspada.geo.services import load_areas, load_boundaries
from waspada.geo.tests import data
from waspada.reports.testing import make_item, make_report
from waspada.warnings.models import AreaDay, RiskScore

DAY = dt.date(2026, 3, 31)
Q = "date=2026-03-31&period=30"


@pytest.fixture
def boundaries(db, tmp_path):
    """The geo tests' tiny code list and rectangular boundaries (loaded before any persona)."""
    load_areas(areadata.read_tarball(data.tarball(), source="test"))
    folder = data.write_boundaries(tmp_path / "boundaries")
    features, _files = boundaryfiles.read_directory(folder)
    return load_boundaries(features, source=str(folder))


def score(code, day, *, level=0, value=0.0, **fields):
    return RiskScore.objects.create(
        area=ensure_area(code),
        day=day,
        area_level=code.count(".") + 1,
        level=level,
        raw_level=level,
        score=value,
        **fields,
    )


@pytest.fixture
def risk(personas):
    """62.71 at Siaga (up from Normal), 62.01 at Waspada, 63.71 at Awas; items in 62.71."""
    personas("operator_6271")
    score(
        "62.71",
        DAY,
        level=2,
        value=15.0,
        severity=14.2,
        recent_items=14,
        expected_items=2.0,
        p_value=0.001,
        escalating=True,
        explanation={
            "factors": {
                "decayed_severity": 14.2,
                "thresholds": [4.0, 12.0, 30.0],
                "half_life_days": 14.0,
                "window_days": 120,
                "rule": "score",
                "hysteresis_held": False,
            },
            "top_items": [],
        },
    )
    score("62.71", DAY - dt.timedelta(days=30), level=0, value=1.0)
    score("62.01", DAY, level=1, value=5.0)
    score("62.71.01", DAY, level=3, value=16.0)
    score("63.71", DAY, level=3, value=50.0)
    AreaDay.objects.create(area_id="62.71", day=DAY, area_level=2, items=3, severity=9.0)
    AreaDay.objects.create(area_id="62", day=DAY, area_level=1, items=4, severity=10.0)


ALL_200 = {
    "operator_6271": 200,
    "operator_6201": 200,
    "analyst_62": 200,
    "analyst_63": 200,
    "leader_62": 200,
    "area_admin_62": 200,
    "national_admin": 200,
}


@pytest.mark.django_db
class TestDashboardPage:
    def test_it_applies_the_access_matrix(self, risk, web_as):
        check_access(web_as, "get", f"/dasbor/?{Q}", {"anonymous": 302, **ALL_200})

    def test_leaders_start_on_the_dashboard(self, web_as):
        response = web_as("leader_62").get("/")
        assert response.status_code == 302 and response["Location"] == "/dasbor/"
        assert web_as("leader_62").get("/?beranda=1").status_code == 200
        assert web_as("analyst_62").get("/").status_code == 200

    def test_without_boundaries_it_shows_the_ranked_table_and_how_to_load_them(self, risk, web_as):
        html = web_as("leader_62").get(f"/dasbor/?{Q}").content.decode()
        assert 'data-state="not_loaded"' in html
        assert "load_boundaries" in html
        ranked = html.split('data-testid="ranked-areas"', 1)[1]
        assert ranked.index('data-code="62.71"') < ranked.index('data-code="62.01"')
        assert "63.71" not in html  # analyst 63's area: not in 62's scope

    def test_the_top_table_shows_levels_in_words_and_change_arrows(self, risk, web_as):
        html = web_as("leader_62").get(f"/dasbor/?{Q}").content.decode()
        top = html.split('data-testid="top-areas"', 1)[1].split("</table>", 1)[0]
        found = re.search(r'<tr data-code="62.71".*?</tr>', top, re.S)
        assert found is not None
        row = found.group(0)
        assert "Siaga" in row and "dari Normal" in row
        assert 'data-change="up"' in row and "+14" in row
        for word in ("Normal", "Waspada", "Siaga", "Awas"):
            assert word in html.split('data-testid="legend"', 1)[1].split("</ul>", 1)[0]

    def test_the_map_colours_each_kab_kota_by_level_and_links_the_drill_down(
        self, boundaries, risk, web_as
    ):
        html = web_as("leader_62").get(f"/dasbor/?{Q}").content.decode()
        assert 'data-state="ok"' in html
        shape = re.search(r'<a href="([^"]+)" data-code="62.71"[^>]*class="risk-siaga">', html)
        assert shape is not None
        assert shape.group(1) == "/dasbor/wilayah/62.71/?date=2026-03-31&amp;period=30"
        assert re.search(r'data-code="62.01"[^>]*class="risk-waspada"><title>[^<]*Waspada', html)
        assert "<style>" in html and "a.risk-siaga path" in html

    def test_the_national_map_shows_every_kab_kota(self, boundaries, risk, web_as):
        html = web_as("national_admin").get(f"/dasbor/?{Q}").content.decode()
        codes = set(re.findall(r'<a href="/dasbor/wilayah/[^"]+" data-code="([0-9.]+)"', html))
        assert codes == {"62.01", "62.71", "63.02", "63.71"}
        assert 'data-code="63.71" data-level="3" class="risk-awas"' in html

    def test_the_trend_chart_has_a_table_fallback(self, risk, web_as):
        html = web_as("analyst_62").get(f"/dasbor/?{Q}").content.decode()
        assert '<svg class="trend-chart"' in html and 'role="img"' in html
        table = html.split('data-testid="trend-table"', 1)[1]
        assert "31 Mar 2026" in table and "10,0" in table

    def test_the_filters_offer_active_terms_of_the_four_axes(self, risk, web_as):
        inactive = Term.objects.filter(axis="aspect").order_by("pk")[0]
        inactive.active = False
        inactive.save(update_fields=["active"])
        html = web_as("leader_62").get("/dasbor/").content.decode()
        for name in ("aspect", "athg", "uu7_source", "snpk"):
            assert f'name="{name}"' in html
        assert (
            f'value="{inactive.pk}"' not in html.split('name="aspect"', 1)[1].split("</select>")[0]
        )

    def test_a_term_filter_changes_the_totals_not_the_level(self, risk, web_as):
        ekonomi = Term.objects.get(axis="aspect", code="ekonomi")
        response = web_as("leader_62").get(f"/dasbor/?{Q}&aspect={ekonomi.pk}")
        assert response.status_code == 200
        row = next(r for r in response.context["board"].ranked if r.code == "62.71")
        assert (row.level, row.items) == (2, 0)
        assert "level risiko dihitung dari semua butir" in response.content.decode() or (
            response.context["board"].choropleth.state != "ok"
        )

    @pytest.mark.parametrize("query", ["date=2026-13-45", "period=5", "aspect=999999"])
    def test_bad_parameters_answer_400_with_the_form_errors(self, risk, web_as, query):
        response = web_as("leader_62").get(f"/dasbor/?{query}")
        assert response.status_code == 400
        assert 'class="errorlist"' in response.content.decode()


@pytest.mark.django_db
class TestAreaPage:
    def test_it_applies_the_access_matrix(self, risk, web_as):
        expected = {
            "anonymous": 302,
            **ALL_200,
            "operator_6201": 404,
            "analyst_63": 404,
        }
        check_access(web_as, "get", f"/dasbor/wilayah/62.71/?{Q}", expected)
        check_access(
            web_as,
            "get",
            f"/dasbor/wilayah/62/?{Q}",
            {**expected, "operator_6271": 404},
        )

    def test_it_explains_the_score_in_plain_indonesian(self, risk, web_as):
        html = web_as("leader_62").get(f"/dasbor/wilayah/62.71/?{Q}").content.decode()
        explanation = html.split('data-testid="explanation"', 1)[1].split("</section>", 1)[0]
        assert "14 butir dalam 14 hari terakhir; biasanya 2; peluang kebetulan 0,1%." in (
            explanation
        )
        assert "eskalasi" in explanation
        assert "Ambang skor: Waspada dari 4, Siaga dari 12, Awas dari 30." in explanation
        assert "Siaga" in explanation

    def test_it_drills_down_to_the_kecamatan(self, boundaries, risk, web_as):
        html = web_as("leader_62").get(f"/dasbor/wilayah/62.71/?{Q}").content.decode()
        assert 'data-state="ok"' in html
        assert re.search(r'data-code="62.71.01"[^>]*class="risk-awas"', html)
        assert re.search(r'data-code="62.71.02"[^>]*class="risk-normal"', html)
        assert 'href="/dasbor/wilayah/62.71.01/?date=2026-03-31&amp;period=30"' in html

    def test_a_rahasia_top_item_is_hidden_from_a_user_not_cleared(self, risk, personas, web_as):
        leader = personas("leader_62")
        report = make_report("62.71", status="verified", created_by=leader)
        when = dt.datetime(2026, 3, 30, 3, tzinfo=dt.UTC)
        shown = make_item(
            report,
            title="Bentrok warga di Pahandut",
            occurred_at=when,
            status="verified",
            area_code="62.71.01",
        )
        secret = make_item(
            report,
            title="Rencana penyerangan gudang",
            occurred_at=when,
            status="verified",
            classification="rahasia",
        )
        RiskScore.objects.filter(area_id="62.71", day=DAY).update(
            explanation={
                "factors": {},
                "top_items": [
                    {"id": secret.pk, "day": "2026-03-30", "severity": 9, "contribution": 8},
                    {"id": shown.pk, "day": "2026-03-30", "severity": 2, "contribution": 1.5},
                ],
            }
        )
        html = web_as("leader_62").get(f"/dasbor/wilayah/62.71/?{Q}").content.decode()
        top = html.split('data-testid="top-items"', 1)[1].split("</ol>", 1)[0]
        assert "Bentrok warga di Pahandut" in top
        assert f'href="/kejadian/{shown.event_id}/"' in top
        assert "Rencana penyerangan" not in html
        items = html.split('data-testid="area-items"', 1)[1]
        assert f'data-item-id="{shown.pk}"' in items
        assert f'data-item-id="{secret.pk}"' not in items

    def test_the_items_of_the_period_are_paginated(self, risk, personas, web_as):
        report = make_report("62.71", status="verified", created_by=personas("leader_62"))
        when = dt.datetime(2026, 3, 20, 3, tzinfo=dt.UTC)
        for n in range(23):
            make_item(report, title=f"Butir {n}", occurred_at=when, status="verified")
        client = web_as("leader_62")
        first = client.get(f"/dasbor/wilayah/62.71/?{Q}")
        assert len(first.context["data"].items.object_list) == 20
        assert "page=2" in first.content.decode()
        second = client.get(f"/dasbor/wilayah/62.71/?{Q}&page=2")
        assert len(second.context["data"].items.object_list) == 3

    def test_an_area_without_a_score_says_so(self, risk, web_as):
        html = web_as("leader_62").get("/dasbor/wilayah/62.01/?date=2025-01-01").content.decode()
        assert "Belum ada skor risiko" in html

    def test_bad_parameters_answer_400(self, risk, web_as):
        assert web_as("leader_62").get("/dasbor/wilayah/62.71/?period=abc").status_code == 400
