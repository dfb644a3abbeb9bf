"""The reviewer queue "Perlu ditinjau": contents per persona, order, counts, page access."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import timezone

from waspada.accounts.context_processors import nav
from waspada.core.testing.access import check_access
from waspada.geo.zones import zone_for
from waspada.reports.queue import DAILY, RETURNED, REVIEW, queue_counts, review_queue
from waspada.reports.testing import make_item, make_report

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


def _today(code: str) -> dt.date:
    return timezone.now().astimezone(zone_for(code)).date()


def _submitted(area, by, *, hours_ago, day=None, **fields):
    moment = timezone.now() - dt.timedelta(hours=hours_ago)
    return make_report(
        area,
        created_by=by,
        status="submitted",
        period_start=day or _today(area) - dt.timedelta(days=1),
        submitted_at=moment,
        first_submitted_at=fields.pop("first_submitted_at", moment),
        **fields,
    )


@pytest.fixture
def stage(personas):
    """Reports in every state the queue must tell apart."""
    op71, op01, analyst = (
        personas("operator_6271"),
        personas("operator_6201"),
        personas("analyst_62"),
    )
    older = _submitted("62.01", op01, hours_ago=30, day=_today("62.01") - dt.timedelta(days=2))
    newer = _submitted(
        "62.71",
        op71,
        hours_ago=3,
        first_submitted_at=timezone.now() - dt.timedelta(hours=20),  # resubmitted
    )
    make_item(newer, title="Unjuk rasa sawit", status="submitted")
    make_item(newer, title="Rapat tertutup", status="submitted", classification="rahasia")
    today71 = _submitted("62.71", op71, hours_ago=1, day=_today("62.71"), is_nihil=True)
    returned = make_report(
        "62.71",
        created_by=op71,
        status="returned",
        period_start=_today("62.71") - dt.timedelta(days=3),
        return_reason="Kronologi belum lengkap.",
        first_submitted_at=timezone.now() - dt.timedelta(days=2),
    )
    return {
        "older": older,
        "newer": newer,
        "today71": today71,
        "returned": returned,
        # never in anybody's queue below:
        "province": _submitted("62", personas("area_admin_62"), hours_ago=5),
        "own": _submitted("62.71.01", analyst, hours_ago=6),
        "draft": make_report("62.71.02", created_by=op71, status="draft"),
        "verified": make_report(
            "62.01", created_by=op01, status="verified", period_start=dt.date(2025, 1, 5)
        ),
        "other_province": _submitted("63.71", None, hours_ago=8),
    }


def _ids(entries, kind=None):
    return [e.report.pk for e in entries if e.report and (kind is None or e.kind == kind)]


def _pk(entry):
    assert entry.report is not None
    return entry.report.pk


@pytest.mark.django_db
class TestQueueContents:
    def test_an_analyst_reviews_submitted_reports_strictly_below_oldest_first(
        self, personas, stage
    ):
        entries = review_queue(personas("analyst_62"))
        assert _ids(entries) == [stage["older"].pk, stage["newer"].pk, stage["today71"].pk]
        assert {e.kind for e in entries} == {REVIEW}
        newer = entries[1]
        assert newer.resubmitted is True
        assert entries[0].resubmitted is False
        assert newer.item_count == 1  # the rahasia item is above a terbatas clearance
        assert newer.area_path == "Kota Palangka Raya, Kalimantan Tengah"
        assert newer.url == f"/laporan/{stage['newer'].pk}/"
        assert newer.age >= dt.timedelta(hours=3)

    def test_a_cleared_analyst_counts_rahasia_items(self, personas, stage):
        analyst = personas("analyst_62")
        analyst.clearance = "rahasia"
        analyst.save(update_fields=["clearance"])
        entry = next(e for e in review_queue(analyst) if _pk(e) == stage["newer"].pk)
        assert entry.item_count == 2

    def test_an_analyst_of_another_province_sees_only_theirs(self, personas, stage):
        assert _ids(review_queue(personas("analyst_63"))) == [stage["other_province"].pk]

    def test_an_operator_corrects_returned_reports_with_the_reason(self, personas, stage):
        entries = review_queue(personas("operator_6271"))
        assert [e.kind for e in entries] == [RETURNED]  # today's report is filed (nihil)
        assert _pk(entries[0]) == stage["returned"].pk
        assert entries[0].reason == "Kronologi belum lengkap."

    def test_an_operator_who_has_not_filed_today_is_asked_to(self, personas, stage):
        entries = review_queue(personas("operator_6201"))
        assert [e.kind for e in entries] == [DAILY]
        assert entries[0].area_code == "62.01"
        assert entries[0].day == _today("62.01")
        assert entries[0].report is None

    def test_a_draft_for_today_is_still_to_do_and_links_to_the_draft(self, personas, stage):
        draft = make_report("62.01", created_by=personas("operator_6201"), status="draft")
        (entry,) = review_queue(personas("operator_6201"))
        assert entry.kind == DAILY
        assert _pk(entry) == draft.pk
        assert entry.url == f"/laporan/{draft.pk}/"

    @pytest.mark.parametrize("name", ["leader_62", "national_admin", "area_admin_62"])
    def test_other_roles_have_nothing_to_do_here(self, personas, stage, name):
        assert review_queue(personas(name)) == []

    def test_the_counts_match_the_queue_in_one_query(
        self, personas, stage, django_assert_num_queries
    ):
        for name in ("analyst_62", "analyst_63", "operator_6271", "operator_6201"):
            user = personas(name)
            expected = review_queue(user)
            with django_assert_num_queries(1):
                counts = queue_counts(user)
            assert counts.total == len(expected), name
            assert counts.review == len([e for e in expected if e.kind == REVIEW])
            assert counts.returned == len([e for e in expected if e.kind == RETURNED])
            assert counts.daily == len([e for e in expected if e.kind == DAILY])

    def test_the_navigation_shows_the_count(self, personas, stage):
        request = RequestFactory().get("/")
        request.user = personas("analyst_62")
        work = {str(i["label"]): i["count"] for i in nav(request)["nav_work"]}
        assert work["Perlu ditinjau"] == 3
        request.user = personas("leader_62")
        assert "Perlu ditinjau" not in {str(i["label"]) for i in nav(request)["nav_work"]}


@pytest.mark.django_db
class TestQueuePage:
    def test_it_applies_the_access_matrix(self, web_as, stage):
        check_access(
            web_as, "get", "/laporan/tinjau/", {p: 302 if p == "anonymous" else 200 for p in ALL}
        )

    def test_it_lists_the_analysts_queue_with_links(self, web_as, stage):
        html = web_as("analyst_62").get("/laporan/tinjau/").content.decode()
        assert f'href="/laporan/{stage["newer"].pk}/"' in html
        assert "Diajukan ulang setelah diperbaiki" in html
        assert "Kota Palangka Raya, Kalimantan Tengah" in html
        assert "LAPSITDA harian" in html
        assert f'href="/laporan/{stage["other_province"].pk}/"' not in html
        assert f'href="/laporan/{stage["own"].pk}/"' not in html

    def test_it_shows_the_operator_the_return_reason(self, web_as, stage):
        html = web_as("operator_6271").get("/laporan/tinjau/").content.decode()
        assert "Kronologi belum lengkap." in html
        assert "Perbaiki" in html

    def test_it_has_an_empty_state(self, web_as, stage):
        html = web_as("leader_62").get("/laporan/tinjau/").content.decode()
        assert 'data-testid="queue-empty"' in html
