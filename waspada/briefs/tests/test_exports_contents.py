"""What an export holds: every column of an item in CSV, XLSX and GeoJSON, only what the user may
see (scope and clearance), the item filters, formula injection neutralised."""

from __future__ import annotations

import io

import pytest

from waspada.briefs import exporting
from waspada.briefs.selectors import exports as selectors
from waspada.briefs.tests import fixtures_exports as fx
from waspada.briefs.tests.fixtures_exports import clear, read_csv, read_geojson, read_xlsx
from waspada.core.errors import InvalidInput

stage = fx.stage  # the shared fixture


def rows(user, filters=None, **kwargs):
    return list(selectors.export_rows(user, filters, **kwargs))


def as_csv(user, filters=None) -> bytes:
    out = io.BytesIO()
    exporting.write_csv(selectors.export_rows(user, filters), out)
    return out.getvalue()


def as_xlsx(user, filters=None, **kwargs) -> bytes:
    out = io.BytesIO()
    exporting.write_xlsx(selectors.export_rows(user, filters), out, **kwargs)
    return out.getvalue()


def as_geojson(user, filters=None) -> bytes:
    out = io.BytesIO()
    exporting.write_geojson(selectors.export_rows(user, filters), out)
    return out.getvalue()


def test_the_columns_have_unique_keys_and_headers_and_match_the_rows():
    assert len(set(exporting.KEYS)) == len(exporting.COLUMNS)
    assert len(set(exporting.HEADERS)) == len(exporting.COLUMNS)
    assert [key for key, _header in exporting.AXES][-2:] == list(exporting.MULTI_VALUED_AXES)


@pytest.mark.django_db
class TestRows:
    def test_it_writes_every_column_of_an_item(self, stage, analyst_62):
        (row,) = [r for r in rows(analyst_62) if r[0] == stage.plain.pk]
        assert len(row) == len(exporting.COLUMNS)
        got = dict(zip(exporting.KEYS, row, strict=True))
        assert got == {
            "item_id": stage.plain.pk,
            "event_ref": f"KJD-{stage.plain.event_id:06d}",
            "report_id": stage.plain.report_id,
            "report_type": "harian",
            "status": "verified",
            "kind": "new",
            "classification": "biasa",
            "occurred_at": "2026-03-01T10:30:00+07:00",
            "time_precision": "hour",
            "area_code": "62.71.02",
            "area_name": "Kec. Jekan Raya",
            "kabkota_code": "62.71",
            "kabkota_name": "Kota Palangka Raya",
            "province_code": "62",
            "latitude": -2.2095,
            "longitude": 113.9134,
            "location_precision": "exact",
            "place": "Depan kantor Kelurahan Palangka",
            "title": "Unjuk rasa warga menolak perluasan kebun sawit",
            "chronology": 'Sekitar 200 warga berkumpul; spanduk "Tolak sawit",\nlalu bubar.',
            "trigger": "Izin perluasan kebun",
            "crowd_size": 200,
            "deaths": 1,
            "injured_serious": 0,
            "injured_light": 2,
            "abducted": 0,
            "sexual_violence": 0,
            "displaced": 0,
            "houses_damaged": 3,
            "public_buildings_damaged": 0,
            "worship_places_damaged": 0,
            "loss_rupiah": 25_000_000,
            "source": "Lurah Palangka",
            "source_reliability_code": "b",
            "source_reliability_label": "B - Biasanya dapat dipercaya",
            "info_credibility_code": "2",
            "info_credibility_label": "2 - Kemungkinan besar benar",
            "trend": "rising",
            "aspect_code": "ekonomi",
            "aspect_label": "Ekonomi",
            "athg_code": "gangguan",
            "athg_label": "Gangguan",
            "uu7_source_code": "sengketa-sda",
            "uu7_source_label": got["uu7_source_label"],
            "snpk_code": "sumber-daya",
            "snpk_label": got["snpk_label"],
            "acled_type_code": "protests",
            "acled_type_label": "Unjuk rasa",
            "acled_subtype_code": "peaceful-protest",
            "acled_subtype_label": got["acled_subtype_label"],
            "election_type_code": "pilkada",
            "election_type_label": "Pilkada",
            "election_stage_code": "kampanye",
            "election_stage_label": "Kampanye",
            "election_issue_code": "politik-uang; hoaks",
            "election_issue_label": "Politik uang; Hoaks di media sosial",
            "actor_type_code": "warga; perusahaan",
            "actor_type_label": "Warga masyarakat; Perusahaan",
            "analysis": "Berpotensi meluas.",
            "prediction": "Aksi lanjutan pekan depan.",
            "steps_taken": "Koordinasi dengan Polresta.",
            "recommendation": "Fasilitasi dialog.",
        }
        assert got["uu7_source_label"] and got["snpk_label"] and got["acled_subtype_label"]

    def test_an_item_without_terms_or_coordinates_has_empty_cells(self, stage, analyst_62):
        (row,) = [r for r in rows(analyst_62) if r[0] == stage.formula.pk]
        got = dict(zip(exporting.KEYS, row, strict=True))
        assert got["latitude"] is None and got["longitude"] is None
        assert got["election_issue_code"] == "" and got["actor_type_label"] == ""
        assert got["kabkota_code"] == "62.71" and got["area_name"] == "Kota Palangka Raya"

    def test_times_carry_the_zone_offset_of_the_area(self, stage, national_admin):
        got = {r[0]: r[exporting.INDEX["occurred_at"]] for r in rows(national_admin)}
        assert got[stage.other.pk] == "2026-03-04T13:00:00+08:00"  # 63: WITA

    def test_rows_come_in_chunks_ordered_by_item_id(self, stage, national_admin):
        seen: list[int] = []
        ids = [r[0] for r in rows(national_admin, chunk_size=1, on_chunk=seen.append)]
        assert ids == sorted(ids) and len(ids) == 3  # the rahasia item needs clearance
        assert seen == [1, 2, 3]


@pytest.mark.django_db
class TestScopeAndClearance:
    def test_a_classified_item_is_absent_without_clearance(self, stage, analyst_62):
        ids = {r[0] for r in rows(analyst_62)}
        assert ids == {stage.plain.pk, stage.formula.pk}
        assert selectors.count_export_rows(analyst_62, {}) == 2

    def test_a_classified_item_is_present_with_clearance(self, stage, analyst_62):
        clear(analyst_62)
        ids = {r[0] for r in rows(analyst_62)}
        assert ids == {stage.plain.pk, stage.formula.pk, stage.secret.pk}

    def test_an_analyst_of_63_gets_nothing_of_62(self, stage, analyst_63):
        clear(analyst_63)
        assert {r[0] for r in rows(analyst_63)} == {stage.other.pk}
        assert [r[0] for r in rows(analyst_63, {"area": "63"})] == [stage.other.pk]

    def test_an_area_outside_the_scope_is_refused(self, stage, analyst_63):
        with pytest.raises(InvalidInput) as caught:
            rows(analyst_63, {"area": "62"})
        assert caught.value.errors == {"area": ["Wilayah ini di luar cakupan Anda."]}

    def test_an_operator_sees_only_their_kab_kota(self, stage, personas):
        ids = {r[0] for r in rows(personas("operator_6201"))}
        assert ids == set()  # 62.01's only item is rahasia; the operator is not cleared


@pytest.mark.django_db
class TestFilters:
    def test_the_item_filters_narrow_the_rows(self, stage, analyst_62):
        clear(analyst_62)
        assert [r[0] for r in rows(analyst_62, {"area": "62.01"})] == [stage.secret.pk]
        assert [r[0] for r in rows(analyst_62, {"acled_type": "protests"})] == [stage.plain.pk]
        assert [r[0] for r in rows(analyst_62, {"election_issue": "hoaks,intimidasi"})] == [
            stage.plain.pk
        ]
        assert [r[0] for r in rows(analyst_62, {"classification": "rahasia"})] == [stage.secret.pk]
        assert [
            r[0]
            for r in rows(analyst_62, {"occurred_from": "2026-03-02", "occurred_to": "2026-03-02"})
        ] == [stage.formula.pk]
        assert [r[0] for r in rows(analyst_62, {"q": "sawit"})] == [stage.plain.pk]
        assert rows(analyst_62, {"status": "draft"}) == []

    def test_bad_filters_are_refused_with_the_field_message(self, stage, analyst_62):
        with pytest.raises(InvalidInput) as caught:
            rows(analyst_62, {"area": "62-71", "occurred_from": "kemarin", "nama": "x"})
        errors = caught.value.errors
        assert errors["nama"] == ["Saringan tidak dikenal."]
        with pytest.raises(InvalidInput) as caught:
            rows(analyst_62, {"area": "62-71", "occurred_from": "kemarin", "status": "x"})
        errors = caught.value.errors
        assert errors["area"] == ["Kode wilayah tidak valid, contoh: 62.71"]
        assert errors["occurred_from"] == ["Tanggal tidak valid (contoh: 2026-03-01)."]
        assert "status" in errors

    def test_pick_filters_keeps_only_item_filters(self):
        data = {"area": " 62.71 ", "page": "2", "format": "csv", "q": "", "aspect": "ekonomi"}
        assert selectors.pick_filters(data) == {"area": "62.71", "aspect": "ekonomi"}


@pytest.mark.django_db
class TestFiles:
    def test_the_csv_has_a_bom_the_headers_and_rfc4180_quoting(self, stage, analyst_62):
        data = as_csv(analyst_62)
        assert b"\r\n" in data
        parsed = read_csv(data)
        assert list(parsed[0]) == list(exporting.HEADERS)
        plain = next(r for r in parsed if r["ID butir"] == str(stage.plain.pk))
        assert (
            plain["Kronologi"] == 'Sekitar 200 warga berkumpul; spanduk "Tolak sawit",\nlalu bubar.'
        )
        assert plain["Waktu kejadian"] == "2026-03-01T10:30:00+07:00"
        assert plain["Lintang"] == "-2.2095" and plain["Bujur"] == "113.9134"
        assert plain["Isu pemilihan"] == "Politik uang; Hoaks di media sosial"
        assert '"Sekitar 200 warga berkumpul; spanduk ""Tolak sawit"",' in data.decode("utf-8-sig")
        assert {r["ID butir"] for r in parsed} == {str(stage.plain.pk), str(stage.formula.pk)}

    def test_the_xlsx_reads_back_with_openpyxl(self, stage, analyst_62):
        (sheet,) = read_xlsx(as_xlsx(analyst_62))
        assert tuple(sheet[0]) == exporting.HEADERS
        by_id = {row[0]: dict(zip(exporting.KEYS, row, strict=True)) for row in sheet[1:]}
        assert set(by_id) == {stage.plain.pk, stage.formula.pk}
        plain = by_id[stage.plain.pk]
        assert plain["latitude"] == pytest.approx(-2.2095)
        assert plain["deaths"] == 1 and plain["loss_rupiah"] == 25_000_000
        assert plain["occurred_at"] == "2026-03-01T10:30:00+07:00"
        assert plain["actor_type_code"] == "warga; perusahaan"
        assert by_id[stage.formula.pk]["analysis"] == "Tidak berbahaya = biasa"
        assert by_id[stage.formula.pk]["latitude"] is None

    def test_the_xlsx_continues_on_a_second_sheet_past_the_row_limit(self, stage, national_admin):
        clear(national_admin)
        sheets = read_xlsx(as_xlsx(national_admin, max_rows_per_sheet=3))
        assert [len(sheet) for sheet in sheets] == [4, 2]
        assert tuple(sheets[1][0]) == exporting.HEADERS
        assert sheets[1][1][0] == stage.other.pk

    def test_the_geojson_has_points_and_null_geometries_with_area_codes(self, stage, analyst_62):
        body = read_geojson(as_geojson(analyst_62))
        assert body["type"] == "FeatureCollection"
        features = {f["id"]: f for f in body["features"]}
        assert set(features) == {stage.plain.pk, stage.formula.pk}
        plain = features[stage.plain.pk]
        assert plain["geometry"] == {"type": "Point", "coordinates": [113.9134, -2.2095]}
        assert plain["properties"]["area_code"] == "62.71.02"
        assert plain["properties"]["kabkota_code"] == "62.71"
        assert plain["properties"]["province_code"] == "62"
        assert features[stage.formula.pk]["geometry"] is None
        assert features[stage.formula.pk]["properties"]["title"].startswith("=HYPERLINK")

    def test_an_empty_export_is_still_a_valid_file(self, analyst_63):
        assert read_csv(as_csv(analyst_63)) == []
        assert read_geojson(as_geojson(analyst_63)) == {"type": "FeatureCollection", "features": []}
        assert read_xlsx(as_xlsx(analyst_63)) == [[list(exporting.HEADERS)]]


@pytest.mark.django_db
class TestFormulaInjection:
    def test_cells_that_look_like_formulas_are_quoted_in_csv(self, stage, analyst_62):
        parsed = read_csv(as_csv(analyst_62))
        row = next(r for r in parsed if r["ID butir"] == str(stage.formula.pk))
        assert row["Judul"] == '\'=HYPERLINK("http://contoh.test","klik")'
        assert row["Kronologi"] == "'+62 811 000 (nomor pelapor)"
        assert row["Tempat"] == "'@kantor"
        assert row["Sumber"] == "'-sumber rahasia-"
        assert row["Analisis"] == "Tidak berbahaya = biasa"

    def test_cells_that_look_like_formulas_are_quoted_text_in_xlsx(self, stage, analyst_62):
        (sheet,) = read_xlsx(as_xlsx(analyst_62))
        row = dict(
            zip(exporting.KEYS, next(r for r in sheet if r[0] == stage.formula.pk), strict=True)
        )
        assert row["title"] == '\'=HYPERLINK("http://contoh.test","klik")'
        assert row["chronology"] == "'+62 811 000 (nomor pelapor)"
        assert row["place"] == "'@kantor"
        assert row["source"] == "'-sumber rahasia-"

    def test_neutralise_quotes_only_dangerous_starts(self):
        assert exporting.neutralise("=1+1") == "'=1+1"
        assert exporting.neutralise("\t=1") == "'\t=1"
        assert exporting.neutralise("a=1") == "a=1"
        assert exporting.neutralise("") == ""


def test_the_xlsx_keeps_markup_spaces_and_numbers_and_drops_control_characters():
    row: list = [None] * len(exporting.COLUMNS)
    row[0] = 7
    row[exporting.INDEX["title"]] = "  <b>Tom & Jerry</b> \n"
    row[exporting.INDEX["chronology"]] = "a\x01b\x0bc"
    row[exporting.INDEX["latitude"]] = -2.5e-05
    row[exporting.INDEX["loss_rupiah"]] = 12_345_678_901
    out = io.BytesIO()
    exporting.write_xlsx([row], out)
    (sheet,) = read_xlsx(out.getvalue())
    got = dict(zip(exporting.KEYS, sheet[1], strict=True))
    assert got["title"] == "  <b>Tom & Jerry</b> \n"
    assert got["chronology"] == "abc"
    assert got["latitude"] == pytest.approx(-2.5e-05)
    assert got["loss_rupiah"] == 12_345_678_901
    assert got["item_id"] == 7 and got["place"] is None
