"""reports.services: creating and editing reports (the workflow is in test_workflow.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.utils import timezone

from waspada.accounts.testing import ensure_area, make_user
from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.models import AuditEntry
from waspada.events.models import Item
from waspada.reports import services
from waspada.reports.models import ReportStatus, SituationReport
from waspada.reports.testing import make_item, make_report

pytestmark = pytest.mark.django_db


def today(code: str = "62.71") -> dt.date:
    return services.local_today(code)


def item_data(**extra):
    data = {
        "title": "Unjuk rasa warga menolak perluasan kebun sawit",
        "chronology": "Sekitar 200 warga berkumpul di depan kantor desa.",
        "occurred_at": (timezone.now() - dt.timedelta(hours=3)).isoformat(),
        "area": "62.71.02",
        "aspect": "ekonomi",
        "athg": "gangguan",
    }
    data.update(extra)
    return data


class TestCreateReport:
    def test_it_opens_a_draft_daily_report_with_its_due_time_and_an_audit_entry(
        self, operator_6271
    ):
        day = today()
        report = services.create_report(
            actor=operator_6271,
            report_type="harian",
            area_code="62.71",
            period_start=day,
            title="  LAPSITDA Palangka Raya  ",
        )
        assert report.status == ReportStatus.DRAFT
        assert (report.period_start, report.period_end) == (day, day)
        assert report.title == "LAPSITDA Palangka Raya"
        assert report.created_by == operator_6271
        # 62 (Kalimantan Tengah) is WIB: due 10:00 WIB the next day = 03:00 UTC.
        assert report.due_at == dt.datetime.combine(
            day + dt.timedelta(days=1), dt.time(3), tzinfo=dt.UTC
        )
        entry = AuditEntry.objects.get(action="report.created")
        assert (entry.object_id, entry.area_code) == (str(report.pk), "62.71")

    @override_settings(WASPADA_DAILY_REPORT_DUE_HOUR=8)
    def test_it_computes_the_due_time_in_the_areas_own_zone(self):
        ensure_area("63.71")
        operator = make_user("op_bjm", "operator", ["63.71"])
        day = today("63.71")
        report = services.create_report(
            actor=operator, report_type="harian", area_code="63.71", period_start=day
        )
        # 63 (Kalimantan Selatan) is WITA (UTC+8): 08:00 WITA is 00:00 UTC.
        assert report.due_at == dt.datetime.combine(
            day + dt.timedelta(days=1), dt.time(0), tzinfo=dt.UTC
        )

    def test_it_fills_the_period_of_weekly_and_monthly_reports(self, operator_6271):
        start = today().replace(day=1)
        weekly = services.create_report(
            actor=operator_6271, report_type="mingguan", area_code="62.71", period_start=start
        )
        monthly = services.create_report(
            actor=operator_6271, report_type="bulanan", area_code="62.71", period_start=start
        )
        assert weekly.period_end == start + dt.timedelta(days=6)
        assert monthly.period_end.month == start.month
        assert (monthly.period_end + dt.timedelta(days=1)).day == 1

    def test_it_creates_the_items_sent_with_the_report_in_the_same_transaction(self, operator_6271):
        report = services.create_report(
            actor=operator_6271,
            report_type="harian",
            area_code="62.71",
            period_start=today(),
            items=[item_data(), item_data(title="Sengketa batas desa", aspect="politik")],
        )
        titles = sorted(report.items.values_list("title", flat=True))
        assert titles == ["Sengketa batas desa", "Unjuk rasa warga menolak perluasan kebun sawit"]

    def test_it_writes_nothing_when_an_item_is_bad_and_names_the_item_and_field(
        self, operator_6271
    ):
        with pytest.raises(InvalidInput) as caught:
            services.create_report(
                actor=operator_6271,
                report_type="harian",
                area_code="62.71",
                period_start=today(),
                items=[item_data(), item_data(aspect="tidak-ada", deaths=-1)],
            )
        assert "items.1.aspect" in caught.value.errors
        assert "items.1.deaths" in caught.value.errors
        assert not SituationReport.objects.exists()
        assert not Item.objects.exists()
        assert not AuditEntry.objects.filter(action="report.created").exists()

    def test_it_refuses_a_second_daily_report_for_the_same_area_and_date(self, operator_6271):
        first = services.create_report(
            actor=operator_6271, report_type="harian", area_code="62.71", period_start=today()
        )
        with pytest.raises(Conflict) as caught:
            services.create_report(
                actor=operator_6271, report_type="harian", area_code="62.71", period_start=today()
            )
        assert caught.value.params["existing_id"] == first.pk
        assert first.reference in caught.value.message
        assert SituationReport.objects.count() == 1

    def test_it_allows_other_report_types_and_other_dates_beside_a_daily_one(self, operator_6271):
        for report_type, day in [("harian", today()), ("harian", today() - dt.timedelta(1))]:
            services.create_report(
                actor=operator_6271, report_type=report_type, area_code="62.71", period_start=day
            )
        services.create_report(
            actor=operator_6271, report_type="informasi", area_code="62.71", period_start=today()
        )
        assert SituationReport.objects.count() == 3

    def test_it_refuses_future_dates_unknown_types_and_bad_periods_with_field_errors(
        self, operator_6271
    ):
        with pytest.raises(InvalidInput) as caught:
            services.create_report(
                actor=operator_6271,
                report_type="harian",
                area_code="62.71",
                period_start=today() + dt.timedelta(days=1),
            )
        assert "period_start" in caught.value.errors
        with pytest.raises(InvalidInput) as caught:
            services.create_report(
                actor=operator_6271, report_type="tahunan", area_code="62.71", period_start=today()
            )
        assert "report_type" in caught.value.errors
        with pytest.raises(InvalidInput) as caught:
            services.create_report(
                actor=operator_6271,
                report_type="mingguan",
                area_code="62.71",
                period_start=today(),
                period_end=today() - dt.timedelta(days=1),
            )
        assert "period_end" in caught.value.errors
        with pytest.raises(InvalidInput) as caught:
            services.create_report(
                actor=operator_6271,
                report_type="informasi",
                area_code="62.71",
                period_start=today(),
                is_nihil=True,
            )
        assert "is_nihil" in caught.value.errors
        with pytest.raises(InvalidInput) as caught:
            services.create_report(
                actor=operator_6271,
                report_type="harian",
                area_code="62.71",
                period_start=today(),
                is_nihil=True,
                items=[item_data()],
            )
        assert "items" in caught.value.errors
        assert not SituationReport.objects.exists()

    def test_it_refuses_an_unknown_area_inside_the_scope_and_unknown_fields(self, analyst_62):
        with pytest.raises(InvalidInput) as caught:
            services.create_report(
                actor=analyst_62, report_type="harian", area_code="62.99", period_start=today()
            )
        assert "area" in caught.value.errors
        with pytest.raises(InvalidInput) as caught:
            services.create_report(
                actor=analyst_62,
                report_type="harian",
                area_code="62.71",
                period_start=today(),
                colour="merah",
            )
        assert "colour" in caught.value.errors

    def test_it_answers_out_of_scope_before_anything_else(self, personas):
        operator = personas("operator_6201")
        with pytest.raises(OutOfScope):
            services.create_report(
                actor=operator, report_type="tahunan", area_code="62.71", period_start=today()
            )

    def test_it_refuses_roles_that_do_not_file_reports(self, personas):
        for name in ["leader_62", "national_admin"]:
            with pytest.raises(PermissionDenied):
                services.create_report(
                    actor=personas(name),
                    report_type="harian",
                    area_code="62.71",
                    period_start=today(),
                )


class TestUpdateReport:
    def test_it_changes_texts_and_bumps_the_version_with_an_audit_entry(self, operator_6271):
        report = make_report(created_by=operator_6271)
        services.update_report(
            report, actor=operator_6271, version=1, title="Baru", summary="Ringkas"
        )
        assert (report.title, report.summary, report.version) == ("Baru", "Ringkas", 2)
        entry = AuditEntry.objects.get(action="report.updated")
        assert (entry.before or {})["title"] == ""
        assert (entry.after or {})["title"] == "Baru"

    def test_it_refuses_a_stale_version_and_keeps_the_other_edit(self, operator_6271):
        report = make_report(created_by=operator_6271)
        services.update_report(report, actor=operator_6271, version=1, title="Pertama")
        stale = SituationReport.objects.get(pk=report.pk)
        with pytest.raises(Conflict) as caught:
            services.update_report(stale, actor=operator_6271, version=1, title="Kedua")
        assert "pengguna lain" in caught.value.message
        assert caught.value.params["version"] == 2
        assert SituationReport.objects.get(pk=report.pk).title == "Pertama"

    def test_it_refuses_to_edit_a_submitted_or_verified_report(self, operator_6271):
        for status in ["submitted", "verified"]:
            report = make_report(
                created_by=operator_6271, status=status, period_start=dt.date(2025, 1, 1)
            )
            with pytest.raises(Conflict):
                services.update_report(report, actor=operator_6271, version=1, title="x")
            report.delete()

    def test_it_edits_a_returned_report(self, operator_6271):
        report = make_report(created_by=operator_6271, status="returned")
        services.update_report(report, actor=operator_6271, version=1, summary="Diperbaiki")
        assert report.summary == "Diperbaiki"

    def test_it_refuses_nihil_while_items_exist_and_moving_a_daily_report(self, operator_6271):
        report = make_report(created_by=operator_6271)
        make_item(report)
        with pytest.raises(InvalidInput) as caught:
            services.update_report(
                report,
                actor=operator_6271,
                version=1,
                is_nihil=True,
                period_start=today() - dt.timedelta(days=1),
            )
        assert set(caught.value.errors) == {"is_nihil", "period_start"}

    def test_it_moves_the_period_of_a_weekly_report(self, operator_6271):
        report = make_report(
            created_by=operator_6271, report_type="mingguan", period_start=dt.date(2025, 3, 3)
        )
        services.update_report(
            report,
            actor=operator_6271,
            version=1,
            period_start=dt.date(2025, 3, 10),
            period_end=dt.date(2025, 3, 16),
        )
        assert (report.period_start, report.period_end) == (
            dt.date(2025, 3, 10),
            dt.date(2025, 3, 16),
        )
        assert report.due_at is not None

    def test_it_answers_out_of_scope_for_another_area(self, personas, operator_6271):
        report = make_report(created_by=operator_6271)
        with pytest.raises(OutOfScope):
            services.update_report(report, actor=personas("operator_6201"), version=1, title="x")
