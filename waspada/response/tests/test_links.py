"""The alert, event and event-list pages lead into the response and the briefs: directives on
them, "Beri arahan", "Buka kasus", the full timeline, the Laporan Informasi and the export."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from waspada.reports.testing import make_item, make_report
from waspada.response.services import directives as directive_services
from waspada.response.tests.factories import make_agency
from waspada.warnings.choices import RiskLevel
from waspada.warnings.models import Alert

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(db):
    return Alert.objects.create(
        area_id="62.71",
        day=timezone.localdate(),
        level=RiskLevel.SIAGA,
        previous_level=RiskLevel.WASPADA,
        score=12.0,
    )


def test_the_alert_page_offers_a_directive_to_leaders_and_lists_the_given_ones(
    alert, web_as, personas
):
    page = web_as("leader_62").get(f"/peringatan/{alert.pk}/").content.decode()
    assert 'data-testid="direct-from-alert"' in page
    assert f"/respons/arahan/baru/?alert={alert.pk}" in page
    polres = make_agency("62.71", "Polresta Palangka Raya", kind="polri")
    directive_services.issue_directive(
        actor=personas("leader_62"),
        alert=alert,
        title="Siagakan personel",
        instruction="Amankan lokasi.",
        due_date=timezone.localdate() + dt.timedelta(days=3),
        priority="high",
        agency_ids=[polres.pk],
    )
    page = web_as("leader_62").get(f"/peringatan/{alert.pk}/").content.decode()
    assert "Siagakan personel" in page
    operator_page = web_as("operator_6271").get(f"/peringatan/{alert.pk}/").content.decode()
    assert 'data-testid="direct-from-alert"' not in operator_page


def test_the_event_page_leads_to_the_timeline_directive_case_and_information_report(
    web_as, personas
):
    report = make_report("62.71", created_by=personas("operator_6271"))
    event = make_item(report).event
    leader = web_as("leader_62").get(f"/kejadian/{event.pk}/").content.decode()
    for hook in (
        "full-timeline",
        "direct-from-event",
        "open-case-from-event",
        "information-report",
    ):
        assert f'data-testid="{hook}"' in leader, hook
    operator = web_as("operator_6271").get(f"/kejadian/{event.pk}/").content.decode()
    assert 'data-testid="full-timeline"' in operator
    assert 'data-testid="direct-from-event"' not in operator
    assert 'data-testid="open-case-from-event"' not in operator


def test_the_event_list_exports_with_its_filters_but_not_the_event_status(web_as):
    page = web_as("analyst_62").get("/kejadian/?area=62.71&status=open&aspect=ekonomi")
    html = page.content.decode()
    assert "/dokumen/ekspor/?area=62.71&amp;aspect=ekonomi" in html
