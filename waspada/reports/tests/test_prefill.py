"""Weekly and monthly reports start pre-filled from the period's verified items."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from waspada.core.errors import Conflict, InvalidInput, OutOfScope
from waspada.core.models import AuditEntry
from waspada.reports.prefill import prefill_periodic_report
from waspada.reports.testing import make_item, make_report, term

WIB = ZoneInfo("Asia/Jakarta")
START, END = dt.date(2026, 3, 2), dt.date(2026, 3, 8)


def at(day, hour, minute=0):
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def items(personas):
    op71, op01 = personas("operator_6271"), personas("operator_6201")
    r71 = make_report("62.71", created_by=op71, status="verified", period_start=dt.date(2026, 3, 3))
    r01 = make_report("62.01", created_by=op01, status="verified", period_start=dt.date(2026, 3, 5))
    clash = make_item(
        r71,
        title="Bentrok warga di Jekan Raya",
        area_code="62.71.02",
        occurred_at=at(3, 10),
        deaths=1,
        injured_light=4,
    )
    make_item(
        r71,
        event=clash.event,
        title="Mediasi gagal, warga kembali berkumpul",
        occurred_at=at(4, 9),
        athg=term("athg", "ancaman"),
        trend="rising",
    )
    make_item(
        r01,
        title="Sengketa tapal batas desa",
        occurred_at=at(5, 14),
        aspect=term("aspect", "politik"),
        athg=term("athg", "tantangan"),
        loss_rupiah=2_500_000,
    )
    # Left out: rahasia, not verified, another province, before and after the period.
    make_item(r71, title="Rapat tertutup kelompok", occurred_at=at(6, 8), classification="rahasia")
    make_item(r71, title="Belum diverifikasi", occurred_at=at(6, 9), status="submitted")
    r63 = make_report("63.71", status="verified", period_start=dt.date(2026, 3, 3))
    make_item(r63, title="Kejadian di Banjarmasin", occurred_at=at(4, 9))
    make_item(r01, title="Sesudah periode", occurred_at=at(9, 0, 30))
    make_item(r01, title="Sebelum periode", occurred_at=at(1, 23, 30))


def weekly(**fields):
    fields.setdefault("status", "draft")
    return make_report("62", report_type="mingguan", period_start=START, period_end=END, **fields)


@pytest.mark.django_db
class TestPrefill:
    def test_it_summarises_the_verified_items_of_the_area_and_below(self, personas, items):
        report = weekly()
        prefill_periodic_report(report, actor=personas("analyst_62"))
        text = report.summary
        assert "periode 2 Maret 2026 s.d. 8 Maret 2026 di Kalimantan Tengah" in text
        assert "Jumlah butir kejadian: 3 (dari 2 kejadian)." in text
        assert "Menurut aspek: Ekonomi 2, Politik 1." in text
        assert "Menurut ATHG: Ancaman 1, Gangguan 1, Tantangan 1." in text
        assert "Dampak: 1 meninggal, 4 luka ringan, kerugian Rp 2.500.000." in text
        assert "- 3 Mar 2026, Kec. Jekan Raya: Bentrok warga di Jekan Raya (1 meninggal" in text
        assert "Mediasi gagal" in text  # an ancaman with a rising trend is notable too
        assert "- Bentrok warga di Jekan Raya (2 perkembangan)" in text
        for hidden in ("Rapat tertutup", "Belum diverifikasi", "Banjarmasin", "Sesudah", "Sebelum"):
            assert hidden not in text
        assert "rahasia tidak dimasukkan" in text
        assert report.version == 2
        entry = AuditEntry.objects.get(action="report.prefilled")
        assert entry.object_id == str(report.pk)
        assert entry.area_code == "62"

    def test_a_lower_area_sees_only_its_own_items(self, personas, items):
        report = make_report(
            "62.71",
            report_type="bulanan",
            period_start=dt.date(2026, 3, 1),
            period_end=dt.date(2026, 3, 31),
        )
        prefill_periodic_report(report, actor=personas("operator_6271"))
        assert "Jumlah butir kejadian: 2 (dari 1 kejadian)." in report.summary
        assert "Sengketa tapal batas" not in report.summary

    def test_an_empty_period_says_so(self, personas):
        report = weekly()
        prefill_periodic_report(report, actor=personas("analyst_62"))
        assert "Tidak ada butir kejadian terverifikasi pada periode ini." in report.summary

    def test_it_keeps_an_existing_summary_unless_asked_to_overwrite(self, personas, items):
        report = weekly(summary="Tulisan operator.")
        with pytest.raises(Conflict):
            prefill_periodic_report(report, actor=personas("analyst_62"))
        report.refresh_from_db()
        assert report.summary == "Tulisan operator."
        prefill_periodic_report(report, actor=personas("analyst_62"), overwrite=True)
        assert "Jumlah butir kejadian: 3" in report.summary

    def test_it_refuses_other_types_and_states(self, personas, items):
        analyst = personas("analyst_62")
        with pytest.raises(InvalidInput):
            prefill_periodic_report(make_report("62", period_start=START), actor=analyst)
        with pytest.raises(Conflict):
            prefill_periodic_report(weekly(status="submitted"), actor=analyst)
        assert not AuditEntry.objects.filter(action="report.prefilled").exists()

    def test_it_checks_scope_and_role(self, personas, items):
        report = weekly()
        with pytest.raises(OutOfScope):
            prefill_periodic_report(report, actor=personas("operator_6201"))
        with pytest.raises(OutOfScope):
            prefill_periodic_report(report, actor=personas("analyst_63"))
        with pytest.raises(PermissionDenied):
            prefill_periodic_report(report, actor=personas("leader_62"))
        report.refresh_from_db()
        assert report.summary == ""
