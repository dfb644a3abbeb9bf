"""Report import from CSV and XLSX: every row checked, every error with its row and column."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from waspada.accounts.testing import BASE_AREAS, ensure_area, make_user
from waspada.core.models import AuditEntry
from waspada.events.models import Event, Item
from waspada.geo.models import Area
from waspada.geo.names import compact, search_name_for
from waspada.reports.importer import import_items, template_csv, template_xlsx
from waspada.reports.importing.columns import COLUMN_KEYS
from waspada.reports.models import ReportStatus, SituationReport
from waspada.reports.services import local_today
from waspada.reports.testing import make_item, make_report

pytestmark = pytest.mark.django_db


def area(code: str, name: str | None = None) -> Area:
    """An area with its search key filled in, as `load_areas` stores it."""
    found = ensure_area(code, name)
    key = compact(search_name_for(found.name, found.level))
    Area.objects.filter(code=code).update(
        search_name=search_name_for(found.name, found.level), search_key=key
    )
    return found


@pytest.fixture(autouse=True)
def _areas(db):
    for code in BASE_AREAS:
        area(code)


def code(term: Any) -> str:
    """The code of a term (tests: the term is there)."""
    return str(term.code)


def after(entry: Any) -> Any:
    return entry.after


def today() -> dt.date:
    return local_today("62.71")


def yesterday() -> dt.date:
    return today() - dt.timedelta(days=1)


def row(**values) -> dict:
    base = {
        "tanggal": yesterday().isoformat(),
        "jam": "08:30",
        "wilayah": "62.71.02",
        "judul": "Unjuk rasa warga menolak perluasan kebun sawit",
        "kronologi": "Sekitar 200 warga berkumpul di depan kantor desa.",
        "aspek": "ekonomi",
        "athg": "gangguan",
    }
    base.update(values)
    return base


def csv_file(rows: list[dict], delimiter: str = ",") -> bytes:
    header: list[str] = []
    for r in rows:
        header += [k for k in r if k not in header]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def xlsx_file(header: list[str], rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def problems(result) -> set[tuple[int, str]]:
    return {(p.row, p.column) for p in result.problems}


def nothing_written() -> bool:
    return (
        not Item.objects.exists()
        and not Event.objects.exists()
        and not SituationReport.objects.exists()
        and not AuditEntry.objects.filter(action__in=["item.recorded", "report.created"]).exists()
    )


class TestImportCommits:
    def test_it_files_the_rows_into_a_new_draft_daily_report_through_the_services(
        self, operator_6271
    ):
        data = csv_file(
            [
                row(
                    sumber_konflik="Sengketa sumber daya alam antarmasyarakat dan/atau antara "
                    "masyarakat dengan pelaku usaha",
                    jenis_acled="protests",
                    subjenis_acled="peaceful-protest",
                    aktor="Warga Desa Tumbang (warga); PT Sawit Lestari (Perusahaan)",
                    luka_ringan="2",
                    kerugian_rp="Rp 1.500.000",
                    keandalan_sumber="B",
                    kebenaran_informasi="2",
                    tren="Meningkat",
                    isu_pemilihan="",
                ),
                row(
                    wilayah="Kel. Palangka",
                    judul="Hoaks tentang kelompok agama beredar",
                    jam="",
                    aspek="Sosial budaya",
                    jenis_pemilihan="pilkada",
                    isu_pemilihan="hoaks; politik-identitas",
                ),
            ]
        )
        result = import_items(data, actor=operator_6271, dry_run=False)
        assert result.ok, result.problems
        assert (result.items_created, result.reports_new, result.reports_reused) == (2, 1, 0)
        report = SituationReport.objects.get()
        assert (report.report_type, report.area_id, report.period_start) == (
            "harian",
            "62.71",
            yesterday(),
        )
        assert report.status == ReportStatus.DRAFT
        assert report.created_by == operator_6271
        first, second = Item.objects.order_by("id")
        assert code(first.uu7_source) == "sengketa-sda"
        assert (code(first.acled_type), code(first.acled_subtype)) == (
            "protests",
            "peaceful-protest",
        )
        assert [(a.name, code(a.actor_type)) for a in first.actors.all()] == [
            ("Warga Desa Tumbang", "warga"),
            ("PT Sawit Lestari", "perusahaan"),
        ]
        assert (first.injured_light, first.loss_rupiah, first.trend) == (2, 1_500_000, "rising")
        assert (code(first.source_reliability), code(first.info_credibility)) == ("b", "2")
        local = first.occurred_at.astimezone(dt.timezone(dt.timedelta(hours=7)))
        assert (local.date(), local.hour, local.minute) == (yesterday(), 8, 30)
        assert first.time_precision == "exact"
        assert second.area_id == "62.71.02.1001"
        assert second.time_precision == "day"
        assert code(second.aspect) == "sosial-budaya"
        assert sorted(second.election_issues.values_list("code", flat=True)) == [
            "hoaks",
            "politik-identitas",
        ]
        assert AuditEntry.objects.filter(action="item.recorded").count() == 2
        summary = AuditEntry.objects.get(action="reports.imported")
        assert after(summary)["items_created"] == 2
        assert after(summary)["sha256"] == result.digest

    def test_it_reads_spreadsheet_dates_times_and_numbers_from_xlsx(self, operator_6271):
        day = yesterday()
        data = xlsx_file(
            ["Tanggal", "Jam", "wilayah", "judul*", "kronologi", "meninggal", "lintang", "bujur"],
            [
                [
                    dt.datetime.combine(day, dt.time()),
                    dt.time(14, 5),
                    "62.71.01",
                    "Bentrok",
                    "X",
                    1.0,
                    -2.21,
                    113.91,
                ],
                [day.strftime("%d/%m/%Y"), "07.15", "62.71.01", "Unjuk rasa", "Y", 0, None, None],
            ],
        )
        result = import_items(data, actor=operator_6271, dry_run=False)
        assert result.ok, result.problems
        assert result.file_format == "xlsx"
        first, second = Item.objects.order_by("id")
        assert first.deaths == 1
        assert (float(str(first.latitude)), float(str(first.longitude))) == (-2.21, 113.91)
        assert first.location_precision == "exact"
        assert first.occurred_at.astimezone(dt.timezone(dt.timedelta(hours=7))).time() == dt.time(
            14, 5
        )
        assert second.occurred_at.astimezone(dt.timezone(dt.timedelta(hours=7))).hour == 7
        assert second.location_precision == "district"

    def test_it_reads_semicolon_separated_csv_as_indonesian_spreadsheets_save_it(
        self, operator_6271
    ):
        result = import_items(
            csv_file([row(), row(judul="Kedua")], delimiter=";"),
            actor=operator_6271,
            dry_run=False,
        )
        assert result.ok, result.problems
        assert Item.objects.count() == 2

    def test_it_adds_rows_to_the_draft_daily_report_that_exists_and_groups_by_date(
        self, operator_6271
    ):
        existing = make_report("62.71", created_by=operator_6271, period_start=yesterday())
        two_days_ago = (yesterday() - dt.timedelta(days=1)).isoformat()
        data = csv_file([row(), row(tanggal=two_days_ago), row(judul="Lagi")])
        result = import_items(data, actor=operator_6271, dry_run=False)
        assert result.ok, result.problems
        assert (result.reports_new, result.reports_reused, result.items_created) == (1, 1, 3)
        assert existing.items.count() == 2
        other = SituationReport.objects.exclude(pk=existing.pk).get()
        assert other.period_start == yesterday() - dt.timedelta(days=1)

    def test_it_records_a_development_of_an_existing_event(self, operator_6271):
        report = make_report("62.71", created_by=operator_6271, period_start=yesterday())
        first = make_item(report, area_code="62.71.02")
        report.status = ReportStatus.VERIFIED
        report.save(update_fields=["status"])
        data = csv_file(
            [row(tanggal=today().isoformat(), jam="00:01", kejadian=first.event.reference)]
        )
        result = import_items(data, actor=operator_6271, dry_run=False)
        assert result.ok, result.problems
        development = Item.objects.exclude(pk=first.pk).get()
        assert development.event_id == first.event_id
        assert development.kind == "development"

    def test_a_report_date_after_the_event_puts_a_late_item_in_that_days_report(
        self, operator_6271
    ):
        earlier = (today() - dt.timedelta(days=3)).isoformat()
        data = csv_file([row(tanggal=earlier, tanggal_laporan=yesterday().isoformat())])
        assert import_items(data, actor=operator_6271, dry_run=False).ok
        assert SituationReport.objects.get().period_start == yesterday()

    def test_an_analyst_of_the_province_files_into_the_province_report_unless_told(
        self, analyst_62
    ):
        data = csv_file([row(), row(wilayah_laporan="62.71", judul="Ke laporan kota")])
        result = import_items(data, actor=analyst_62, dry_run=False)
        assert result.ok, result.problems
        assert sorted(SituationReport.objects.values_list("area_id", flat=True)) == ["62", "62.71"]


class TestImportChecks:
    def test_it_reports_every_problem_with_row_and_column_and_writes_nothing(self, operator_6271):
        ensure_area("62.01.01")
        tomorrow = (today() + dt.timedelta(days=1)).isoformat()
        data = csv_file(
            [
                row(),  # row 2: fine
                row(aspek="pariwisata"),  # 3
                row(tanggal=tomorrow),  # 4
                row(meninggal="-1", luka_berat="dua"),  # 5
                row(wilayah="62.01.01"),  # 6: outside the operator's scope
                row(wilayah="99.99"),  # 7: unknown code
                row(jenis_acled="protests", subjenis_acled="armed-clash"),  # 8
                row(judul="", kronologi=""),  # 9
                row(tanggal="kemarin", jam="25:00"),  # 10
                row(lintang="-2.2"),  # 11: a latitude without longitude
                row(klasifikasi="rahasia"),  # 12: above the operator's clearance (terbatas)
                row(aktor="Warga (alien)"),  # 13
                row(kejadian="KJD-999999"),  # 14
                row(tanggal_laporan=(yesterday() - dt.timedelta(days=2)).isoformat()),  # 15
            ]
        )
        result = import_items(data, actor=operator_6271, dry_run=False)
        assert not result.ok
        assert problems(result) == {
            (3, "aspek"),
            (4, "tanggal"),
            (5, "meninggal"),
            (5, "luka_berat"),
            (6, "wilayah"),
            (7, "wilayah"),
            (8, "subjenis_acled"),
            (9, "judul"),
            (9, "kronologi"),
            (10, "tanggal"),
            (11, "bujur"),
            (12, "klasifikasi"),
            (13, "aktor"),
            (14, "kejadian"),
            (15, "tanggal_laporan"),
        }
        messages = {(p.row, p.column): p.message for p in result.problems}
        assert "negatif" in messages[(5, "meninggal")]
        assert "masa depan" in messages[(4, "tanggal")]
        assert "ekonomi" in messages[(3, "aspek")]  # the allowed codes are listed
        assert messages[(6, "wilayah")] == messages[(6, "wilayah")].replace("Kumai", "")
        assert nothing_written()

    def test_it_names_the_candidates_of_an_ambiguous_area_name_within_scope(self, operator_6271):
        area("62.71.01.2001", "Sukamaju")
        area("62.71.02.2002", "Sukamaju")
        area("62.01.01.2003", "Mendawai")  # outside the operator's scope
        data = csv_file(
            [
                row(wilayah="Sukamaju"),
                row(wilayah="Desa Sukamaju, Pahandut"),
                row(wilayah="Mendawai"),
                row(wilayah="kec. jekan raya"),
            ]
        )
        result = import_items(data, actor=operator_6271, dry_run=True)
        assert problems(result) == {(2, "wilayah"), (4, "wilayah")}
        ambiguous = result.rows[0].problems[0].message
        assert "62.71.01.2001" in ambiguous and "62.71.02.2002" in ambiguous
        assert "Mendawai" in result.rows[2].problems[0].message
        assert "62.01" not in result.rows[2].problems[0].message
        assert result.rows[1].area_code == "62.71.01.2001"
        assert result.rows[3].area_code == "62.71.02"

    def test_a_dry_run_checks_everything_and_writes_nothing(self, operator_6271):
        result = import_items(csv_file([row(), row()]), actor=operator_6271, dry_run=True)
        assert result.ok
        assert result.rows[0].report_label.startswith("baru")
        assert result.items_created == 0
        assert nothing_written()

    def test_it_refuses_rows_for_a_daily_report_already_submitted(self, operator_6271):
        submitted = make_report(
            "62.71", created_by=operator_6271, period_start=yesterday(), status="submitted"
        )
        result = import_items(csv_file([row()]), actor=operator_6271, dry_run=False)
        assert problems(result) == {(2, "tanggal_laporan")}
        assert submitted.reference in result.problems[0].message
        assert not Item.objects.exists()

    def test_an_absurd_number_is_refused_as_the_entry_form_refuses_it(self, operator_6271):
        data = csv_file([row(), row(jumlah_massa="20000000"), row()])
        result = import_items(data, actor=operator_6271, dry_run=False)
        assert problems(result) == {(3, "jumlah_massa")}
        assert "masuk akal" in result.problems[0].message
        assert nothing_written()
        assert not AuditEntry.objects.filter(action="reports.imported").exists()

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"", "kosong"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
            (b"\x89PNG\r\n\x1a\n\x00\x00", "bukan CSV"),
            (b"PK\x03\x04 not really a zip", "tidak dapat dibaca"),
            (b"tanggal,wilayah,judul\n", "kronologi"),
            (b"tanggal,wilayah,judul,kronologi\n", "satu baris"),
            (b"tanggal,wilayah,judul,kronologi,warna\n2026-01-01,62.71,a,b,merah\n", "warna"),
        ],
    )
    def test_it_refuses_files_it_cannot_use_with_a_clear_message(
        self, operator_6271, data, message
    ):
        result = import_items(data, actor=operator_6271, dry_run=False)
        assert not result.ok
        text = " ".join(f"{p.column} {p.message}" for p in result.problems)
        assert message in text
        assert nothing_written()

    def test_it_refuses_a_role_that_may_not_file_reports(self, personas):
        with pytest.raises(PermissionDenied):
            import_items(csv_file([row()]), actor=personas("leader_62"), dry_run=True)

    def test_it_checks_a_large_file_with_a_fixed_number_of_queries(
        self, operator_6271, django_assert_max_num_queries
    ):
        area("62.71.01.2001", "Sukamaju")
        rows = [
            row(wilayah="Sukamaju" if i % 2 else "62.71.02", judul=f"Kejadian {i}")
            for i in range(300)
        ]
        with django_assert_max_num_queries(12):
            result = import_items(csv_file(rows), actor=operator_6271, dry_run=True)
        assert result.ok


class TestTemplates:
    def test_the_xlsx_template_has_the_header_help_and_term_codes_and_imports_back(
        self, operator_6271
    ):
        workbook = load_workbook(io.BytesIO(template_xlsx()))
        assert workbook.sheetnames[:1] == ["Data"]
        assert {"Petunjuk", "Kode istilah"} <= set(workbook.sheetnames)
        header = [c.value for c in next(workbook["Data"].iter_rows(max_row=1))]
        assert tuple(header) == COLUMN_KEYS
        codes = {(r[0], r[2]) for r in workbook["Kode istilah"].iter_rows(values_only=True)}
        assert {
            ("aspek", "ekonomi"),
            ("subjenis_acled", "armed-clash"),
            ("aktor", "warga"),
        } <= codes
        guide = {r[0] for r in workbook["Petunjuk"].iter_rows(values_only=True)}
        assert set(COLUMN_KEYS) <= guide

        sheet = workbook["Data"]
        sheet.append([None] * len(COLUMN_KEYS))
        values = {"tanggal": yesterday(), "wilayah": "62.71.02", "judul": "A", "kronologi": "B"}
        for key, value in values.items():
            sheet.cell(row=2, column=COLUMN_KEYS.index(key) + 1, value=value)
        buffer = io.BytesIO()
        workbook.save(buffer)
        result = import_items(buffer.getvalue(), actor=operator_6271, dry_run=False)
        assert result.ok, result.problems
        assert Item.objects.get().title == "A"

    def test_the_csv_template_is_the_header_line(self):
        text = template_csv().decode("utf-8-sig")
        assert text.strip().split(",") == list(COLUMN_KEYS)


def test_an_operator_of_another_kab_kota_cannot_place_rows_in_palangka_raya(personas):
    operator = make_user("operator_x", "operator", ["62.01"])
    result = import_items(csv_file([row()]), actor=operator, dry_run=False)
    assert problems(result) == {(2, "wilayah")}
    assert not SituationReport.objects.exists()


# ---------------------------------------------------------------- the import's write path


WIB = dt.timezone(dt.timedelta(hours=7))
ITEM_IDS = ("id", "report", "event", "original_event", "created_at", "updated_at")
SNAPSHOT_IDS = {"id", "report_id", "event_id", "original_event_id", "created_at", "updated_at"}


def every_column(**values) -> dict:
    """An import row filling every column an item has."""
    day = yesterday().isoformat()
    columns = dict(
        tempat="Depan kantor desa",
        apa="Unjuk rasa",
        siapa="Warga desa",
        mengapa="Izin perluasan kebun",
        bagaimana="Berkumpul dan berorasi",
        pemicu="Surat izin baru",
        jumlah_massa="200",
        aktor="Warga Desa Tumbang (warga); PT Sawit Lestari (perusahaan)",
        meninggal="1",
        luka_berat="1",
        luka_ringan="2",
        penculikan="0",
        kekerasan_seksual="0",
        pengungsi="15",
        rumah_rusak="3",
        bangunan_publik_rusak="1",
        rumah_ibadah_rusak="0",
        kerugian_rp="1500000",
        sumber="Lurah Palangka",
        hubungan_sumber="Mitra kerja",
        cara_memperoleh="Telepon",
        waktu_diperoleh=f"{day} 09:15",
        keandalan_sumber="b",
        kebenaran_informasi="2",
        tren="rising",
        analisis="Bisa meluas",
        prediksi="Berlanjut besok",
        langkah_diambil="Koordinasi dengan polsek",
        saran_tindak="Mediasi",
        klasifikasi="terbatas",
        sumber_konflik="sengketa-sda",
        snpk="sumber-daya",
        jenis_acled="protests",
        subjenis_acled="peaceful-protest",
        jenis_pemilihan="pilkada",
        tahapan_pemilihan="kampanye",
        isu_pemilihan="hoaks; politik-identitas; hoaks",
    )
    return row(**(columns | values))


def service_data(**values) -> dict:
    """What the entry form or the API sends record_item for `every_column()`."""
    day = yesterday()
    data = {
        "occurred_at": dt.datetime.combine(day, dt.time(8, 30), tzinfo=WIB).isoformat(),
        "time_precision": "exact",
        "area": "62.71.02",
        "place": "Depan kantor desa",
        "title": "Unjuk rasa warga menolak perluasan kebun sawit",
        "chronology": "Sekitar 200 warga berkumpul di depan kantor desa.",
        "what": "Unjuk rasa",
        "who": "Warga desa",
        "why": "Izin perluasan kebun",
        "how": "Berkumpul dan berorasi",
        "trigger": "Surat izin baru",
        "crowd_size": 200,
        "actors": [
            {"name": "Warga Desa Tumbang", "actor_type": "warga"},
            {"name": "PT Sawit Lestari", "actor_type": "perusahaan"},
        ],
        "deaths": 1,
        "injured_serious": 1,
        "injured_light": 2,
        "abducted": 0,
        "sexual_violence": 0,
        "displaced": 15,
        "houses_damaged": 3,
        "public_buildings_damaged": 1,
        "worship_places_damaged": 0,
        "loss_rupiah": 1500000,
        "source": "Lurah Palangka",
        "source_relation": "Mitra kerja",
        "how_obtained": "Telepon",
        "obtained_at": dt.datetime.combine(day, dt.time(9, 15), tzinfo=WIB).isoformat(),
        "source_reliability": "b",
        "info_credibility": "2",
        "trend": "rising",
        "analysis": "Bisa meluas",
        "prediction": "Berlanjut besok",
        "steps_taken": "Koordinasi dengan polsek",
        "recommendation": "Mediasi",
        "classification": "terbatas",
        "aspect": "ekonomi",
        "athg": "gangguan",
        "uu7_source": "sengketa-sda",
        "snpk": "sumber-daya",
        "acled_type": "protests",
        "acled_subtype": "peaceful-protest",
        "election_type": "pilkada",
        "election_stage": "kampanye",
        "election_issues": ["hoaks", "politik-identitas", "hoaks"],
    }
    data.update(values)
    return data


def written(item: Item) -> dict:
    """An item as stored, without what necessarily differs (ids, report, times of writing)."""
    values = {
        f.attname: getattr(item, f.attname)
        for f in Item._meta.concrete_fields
        if f.name not in ITEM_IDS
    }
    values["actors"] = [
        (a.name, a.actor_type_id, a.crowd_size, a.role) for a in item.actors.order_by("id")
    ]
    values["election_issues"] = sorted(item.election_issues.values_list("pk", flat=True))
    return values


def event_state(pk: int) -> dict:
    return Event.objects.filter(pk=pk).values().get() | {"id": 0, "created_at": 0, "updated_at": 0}


def logged(first_seq: int) -> list[tuple]:
    """The event and item entries written after `first_seq`, without ids and times."""
    entries = AuditEntry.objects.filter(
        seq__gt=first_seq, action__in=["event.opened", "item.recorded"]
    ).order_by("seq")
    return [
        (
            e.action,
            e.object_type,
            e.area_code,
            e.classification,
            e.actor_label,
            {k: v for k, v in (e.after or {}).items() if k not in SNAPSHOT_IDS},
        )
        for e in entries
    ]


def last_seq() -> int:
    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


@pytest.fixture
def items_changed_calls():
    from waspada.events.signals import items_changed

    calls: list[set] = []

    def receiver(sender, cells, **kwargs):
        calls.append(set(cells))

    items_changed.connect(receiver)
    yield calls
    items_changed.disconnect(receiver)


class TestTheImportWritesWhatRecordItemWrites:
    def _event_to_develop(self, operator) -> Event:
        """An open event of an earlier, verified report (a development's target)."""
        earlier = today() - dt.timedelta(days=3)
        report = make_report(
            "62.71", created_by=operator, report_type="khusus", period_start=earlier
        )
        when = dt.datetime.combine(earlier, dt.time(10, 0), tzinfo=WIB)
        item = make_item(report, area_code="62.71.02", occurred_at=when)
        report.status = ReportStatus.VERIFIED
        report.save(update_fields=["status"])
        return item.event

    def test_an_imported_row_is_the_item_record_item_makes(
        self, operator_6271, items_changed_calls
    ):
        from waspada.events.services import record_item

        developed_by_import = self._event_to_develop(operator_6271)
        developed_by_service = self._event_to_develop(operator_6271)
        assert event_state(developed_by_import.pk) == event_state(developed_by_service.pk)

        start = last_seq()
        rows = [
            every_column(),
            every_column(judul="Kedua", wilayah="62.71.01", klasifikasi="biasa"),
            every_column(judul="Perkembangan", kejadian=developed_by_import.reference),
        ]
        result = import_items(csv_file(rows), actor=operator_6271, dry_run=False)
        assert result.ok, result.problems
        imported = list(Item.objects.filter(report_id=result.report_ids[0]).order_by("id"))
        imported_log, imported_signals = logged(start), list(items_changed_calls)

        target = make_report("62.71", created_by=operator_6271, period_start=today())
        start = last_seq()
        items_changed_calls.clear()
        recorded = [
            record_item(target, actor=operator_6271, data=service_data()),
            record_item(
                target,
                actor=operator_6271,
                data=service_data(title="Kedua", area="62.71.01", classification="biasa"),
            ),
            record_item(
                target,
                actor=operator_6271,
                data=service_data(title="Perkembangan", event=developed_by_service.pk),
            ),
        ]
        recorded_log, recorded_signals = logged(start), list(items_changed_calls)

        assert [written(i) for i in imported] == [
            written(Item.objects.get(pk=i.pk)) for i in recorded
        ]
        assert [i.kind for i in imported] == ["new", "new", "development"]
        assert imported[0].election_issues.count() == 2  # named twice, linked once
        for mine, theirs in zip(imported[:2], recorded[:2], strict=True):
            assert event_state(mine.event_id) == event_state(theirs.event_id)
        # The development moved its event's window the same way.
        assert event_state(developed_by_import.pk) == event_state(developed_by_service.pk)
        assert imported_log == recorded_log
        assert [entry[0] for entry in imported_log] == [
            "event.opened",
            "item.recorded",
            "event.opened",
            "item.recorded",
            "item.recorded",
        ]
        assert imported_signals == recorded_signals == []
