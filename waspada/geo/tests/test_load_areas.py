"""Loading the Kemendagri code list: the service, the command, and the CSV/tarball readers."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from waspada.core.errors import InvalidInput
from waspada.core.models import AuditEntry
from waspada.geo import areadata
from waspada.geo.models import Area
from waspada.geo.names import fold, parse_query, search_name_for
from waspada.geo.services import load_areas
from waspada.geo.tests import data

pytestmark = pytest.mark.django_db


def _load(**overrides: str):
    return load_areas(areadata.read_tarball(data.tarball(**overrides), source="test"))


def _command(*args: str) -> str:
    out = StringIO()
    call_command("load_areas", *args, stdout=out)
    return out.getvalue()


class TestLoadAreas:
    def test_it_creates_every_level_with_search_and_path_names(self):
        report = _load()
        assert report.created == {"province": 2, "regency": 4, "district": 5, "village": 8}
        assert Area.objects.count() == data.TOTAL
        village = Area.objects.get(code="62.71.02.1001")
        assert village.level == 4
        assert village.parent_id == "62.71.02"
        assert village.path_name == (
            "Kel. Palangka, Kec. Jekan Raya, Kota Palangka Raya, Kalimantan Tengah"
        )
        district = Area.objects.get(code="62.71.02")
        assert district.path_name == "Kec. Jekan Raya, Kota Palangka Raya, Kalimantan Tengah"
        assert Area.objects.get(code="62.71").search_name == "palangka raya"
        assert Area.objects.get(code="62.01").search_name == "kotawaringin barat"
        assert Area.objects.get(code="62.01.01.2002").search_name == "sukamenak"
        assert Area.objects.get(code="62.01.01.2001").path_name.startswith("Desa Sungai Sekonyer")
        assert Area.objects.get(code="62.71.02.1003").name == "Bukit Tunggal, Hilir"

    def test_a_second_run_changes_nothing_and_duplicates_nothing(self):
        _load()
        again = _load()
        assert again.created_total == 0
        assert again.updated == 0
        assert again.unchanged == data.TOTAL
        assert again.missing == []
        assert Area.objects.count() == data.TOTAL
        entries = list(AuditEntry.objects.filter(action="areas.loaded").order_by("seq"))
        assert len(entries) == 2
        summary = entries[1].after or {}
        assert summary["created_total"] == 0
        assert summary["unchanged"] == data.TOTAL

    def test_it_updates_a_renamed_area_and_the_paths_below_it(self):
        _load()
        renamed = data.REGENCIES.replace("Kota Palangka Raya", "Kota Palangkaraya")
        report = _load(regencies=renamed)
        assert report.renamed == [
            {"code": "62.71", "before": "Kota Palangka Raya", "after": "Kota Palangkaraya"}
        ]
        # The kab/kota itself, its 2 kecamatan and their 4 villages get new paths.
        assert report.updated == 7
        assert Area.objects.count() == data.TOTAL
        assert Area.objects.get(code="62.71").search_name == "palangkaraya"
        assert Area.objects.get(code="62.71.02.1002").path_name == (
            "Kel. Menteng, Kec. Jekan Raya, Kota Palangkaraya, Kalimantan Tengah"
        )
        entry = AuditEntry.objects.filter(action="areas.loaded").latest("seq")
        assert (entry.after or {})["renamed"] == report.renamed
        assert entry.actor_label == "system"

    def test_it_reports_codes_missing_from_the_new_data_without_deleting_them(self):
        _load()
        fewer = data.VILLAGES.replace("63.71.01.1001,63.71.01,Kelayan Dalam\n", "")
        report = _load(villages=fewer)
        assert report.missing == ["63.71.01.1001"]
        assert Area.objects.filter(code="63.71.01.1001").exists()

    def test_a_child_whose_parent_is_not_in_the_data_is_refused_and_nothing_is_written(self):
        orphan = data.VILLAGES + "64.01.01.2001,64.01.01,Tanpa Induk\n"
        with pytest.raises(InvalidInput) as caught:
            _load(villages=orphan)
        assert "villages.csv:10" in caught.value.errors
        assert "64.01.01" in caught.value.errors["villages.csv:10"][0]
        assert Area.objects.count() == 0
        assert not AuditEntry.objects.exists()

    def test_a_code_that_does_not_fit_its_parent_or_level_is_refused(self):
        bad = data.DISTRICTS + "62.71.3,62.71,Salah\n62.01.09,62.71,Induk Salah\n"
        with pytest.raises(InvalidInput) as caught:
            _load(districts=bad)
        messages = " ".join(m for ms in caught.value.errors.values() for m in ms)
        assert "62.71.3" in messages and "bukan kode kecamatan" in messages
        assert "tidak sesuai" in messages
        assert Area.objects.count() == 0

    def test_a_user_without_the_permission_cannot_load_areas(self, personas):
        analyst = personas("analyst_62")
        with pytest.raises(PermissionDenied):
            load_areas(areadata.read_tarball(data.tarball(), source="test"), actor=analyst)


class TestLoadAreasCommand:
    def test_it_loads_from_a_folder_of_csv_files_and_reports_counts(self, tmp_path):
        folder = data.write_csvs(tmp_path / "csv")
        output = _command("--from", str(folder))
        assert "2 provinsi, 4 kabupaten/kota, 5 kecamatan, 8 desa/kelurahan" in output
        assert f"Dibuat {data.TOTAL}" in output
        again = _command("--from", str(folder))
        assert f"tidak berubah {data.TOTAL}" in again
        assert Area.objects.count() == data.TOTAL

    def test_it_reports_renames_and_missing_codes(self, tmp_path):
        _command("--from", str(data.write_csvs(tmp_path / "a")))
        changed = data.write_csvs(
            tmp_path / "b",
            regencies=data.REGENCIES.replace("Kota Banjarmasin", "Kota Banjar Masin"),
            villages=data.VILLAGES.replace("63.02.01.2001,63.02.01,Kota Baru\n", ""),
        )
        output = _command("--from", str(changed))
        assert "63.71: Kota Banjarmasin → Kota Banjar Masin" in output
        assert "1 kode ada di basis data tetapi tidak ada di data baru" in output
        assert "63.02.01.2001" in output

    def test_a_bad_csv_row_gives_a_clear_error_and_writes_nothing(self, tmp_path):
        folder = data.write_csvs(
            tmp_path / "csv", villages=data.VILLAGES + "62.71.02.1004,62.71.02\n"
        )
        with pytest.raises(CommandError) as caught:
            _command("--from", str(folder))
        message = str(caught.value)
        assert "villages.csv" in message
        assert "villages.csv:10" in message
        assert "diharapkan 3 kolom" in message
        assert "tidak ada yang disimpan" in message
        assert Area.objects.count() == 0
        assert not AuditEntry.objects.exists()

    def test_a_wrong_header_is_named_in_the_error(self, tmp_path):
        folder = data.write_csvs(tmp_path / "csv", provinces="kode,nama\n62,Kalimantan Tengah\n")
        with pytest.raises(CommandError, match="provinces.csv: baris judul harus 'code,name'"):
            _command("--from", str(folder))
        assert Area.objects.count() == 0

    def test_a_tarball_that_does_not_match_the_pinned_integrity_is_refused(self, tmp_path):
        folder = tmp_path / "offline"
        folder.mkdir()
        (folder / areadata.IDN_AREA_DATA.tarball_name).write_bytes(data.tarball())
        with pytest.raises(CommandError, match="Paket ditolak"):
            _command("--from", str(folder))
        assert Area.objects.count() == 0

    def test_a_folder_without_the_package_is_a_clear_error(self, tmp_path):
        with pytest.raises(CommandError, match="idn-area-data-4.0.1.tgz"):
            _command("--from", str(tmp_path))

    def test_download_only_cannot_be_combined_with_from(self, tmp_path):
        with pytest.raises(CommandError, match="--download-only"):
            _command("--download-only", "--from", str(tmp_path))


class TestReaders:
    def test_the_tarball_reader_takes_the_four_csv_files_of_the_package(self):
        rows = areadata.read_tarball(data.tarball(), source="x")
        assert [len(level) for level in rows.levels()] == [2, 4, 5, 8]
        assert rows.villages[0] == areadata.AreaRow(
            "62.01.01.2001", "62.01.01", "Sungai Sekonyer", "villages.csv:2"
        )

    def test_the_folder_reader_accepts_an_unpacked_package(self, tmp_path):
        data.write_csvs(tmp_path / "package" / "data")
        rows = areadata.read_directory(tmp_path)
        assert len(rows.provinces) == 2


class TestNames:
    def test_folding_drops_case_accents_quotes_and_extra_spaces(self):
        assert fold("  Sukaménak ") == "sukamenak"
        assert fold("Ma'u") == "mau"
        assert fold("Regapu’u") == "regapuu"
        assert fold('Ra"as') == "raas"

    def test_the_kab_kota_prefix_is_left_out_of_the_search_name(self):
        assert search_name_for("Kabupaten Aceh Selatan", 2) == "aceh selatan"
        assert search_name_for("Kota Palangka Raya", 2) == "palangka raya"
        assert search_name_for("Kab. Kep. Seribu", 2) == "kep. seribu"
        # Only kab/kota carry the prefix: a desa called "Kota Baru" keeps its name.
        assert search_name_for("Kota Baru", 4) == "kota baru"

    def test_a_level_word_in_a_query_becomes_a_hint(self):
        assert parse_query("Kab. Kotabaru").hint == 2
        assert parse_query("Kab.Kotabaru").term == "kotabaru"
        assert parse_query("Kota Palangka").regency_kind == "kota"
        assert parse_query("Kecamatan Jekan").hint == 3
        assert parse_query("kec. jekan").term == "jekan"
        assert parse_query("Desa Sungai").hint == 4
        assert parse_query("Kel. Palangka").hint == 4
        assert parse_query("kotabaru").hint is None
        assert parse_query("kota").hint is None
