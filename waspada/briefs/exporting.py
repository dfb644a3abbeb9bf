"""File writers of item exports: the column list, CSV, XLSX and GeoJSON.

The rows come from `briefs.selectors.exports.export_rows` (scope, clearance and the item
filters applied there): plain lists of cell values in the order of `COLUMNS`, holding only `str`,
`int`, `float` or `None`. The writers never query the database and keep nothing per row, so
memory stays flat however many rows pass through.

The header list (documented here, shown on the export page) is one row of Indonesian headers in
CSV and XLSX; GeoJSON properties use the stable machine keys. Choice values (status, kind,
classification, precisions, trend, report type) are written as their codes, the values the item
API and the filters use; every classification axis has a code column and a label column, and the
multi-valued axes (election issues, actor types) join their values with "; ".

Spreadsheet formula injection: a text cell starting with = + - @ (or a tab or carriage return) is
written with a leading single quote in CSV and XLSX, so Excel and LibreOffice show it as text
instead of running it. GeoJSON is data for GIS tools and is written as is.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, cast
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import xmlfile

Cell = str | int | float | None
Row = list[Cell]


@dataclass(frozen=True)
class Column:
    """One export column: its machine key (GeoJSON property, API docs) and Indonesian header."""

    key: str
    header: str
    numeric: bool = False


def _axis(key: str, header: str) -> tuple[Column, Column]:
    return Column(f"{key}_code", f"{header} (kode)"), Column(f"{key}_label", header)


IMPACT_COLUMNS = (
    Column("deaths", "Meninggal", True),
    Column("injured_serious", "Luka berat", True),
    Column("injured_light", "Luka ringan", True),
    Column("abducted", "Penculikan", True),
    Column("sexual_violence", "Kekerasan seksual", True),
    Column("displaced", "Pengungsi", True),
    Column("houses_damaged", "Rumah rusak", True),
    Column("public_buildings_damaged", "Bangunan publik rusak", True),
    Column("worship_places_damaged", "Rumah ibadah rusak", True),
)

# (axis key, header) of the classification axes, in the order of their columns. The first two are
# the reliability (Admiralty style: source A-F, information 1-6).
AXES: tuple[tuple[str, str], ...] = (
    ("source_reliability", "Keandalan sumber"),
    ("info_credibility", "Kebenaran informasi"),
    ("aspect", "Aspek (IPOLEKSOSBUDHANKAM)"),
    ("athg", "ATHG"),
    ("uu7_source", "Sumber konflik (UU 7/2012)"),
    ("snpk", "Kategori kekerasan (SNPK)"),
    ("acled_type", "Jenis kejadian (ACLED)"),
    ("acled_subtype", "Sub-jenis kejadian (ACLED)"),
    ("election_type", "Jenis pemilihan"),
    ("election_stage", "Tahapan pemilihan"),
    ("election_issue", "Isu pemilihan"),
    ("actor_type", "Jenis aktor"),
)
MULTI_VALUED_AXES = ("election_issue", "actor_type")

COLUMNS: tuple[Column, ...] = (
    Column("item_id", "ID butir", True),
    Column("event_ref", "Nomor kejadian"),
    Column("report_id", "ID laporan", True),
    Column("report_type", "Jenis laporan"),
    Column("status", "Status butir"),
    Column("kind", "Jenis butir"),
    Column("classification", "Klasifikasi keamanan"),
    Column("occurred_at", "Waktu kejadian"),
    Column("time_precision", "Ketepatan waktu"),
    Column("area_code", "Kode wilayah"),
    Column("area_name", "Nama wilayah"),
    Column("kabkota_code", "Kode kab/kota"),
    Column("kabkota_name", "Nama kab/kota"),
    Column("province_code", "Kode provinsi"),
    Column("latitude", "Lintang", True),
    Column("longitude", "Bujur", True),
    Column("location_precision", "Ketepatan lokasi"),
    Column("place", "Tempat"),
    Column("title", "Judul"),
    Column("chronology", "Kronologi"),
    Column("trigger", "Pemicu"),
    Column("crowd_size", "Perkiraan jumlah massa", True),
    *IMPACT_COLUMNS,
    Column("loss_rupiah", "Kerugian (Rp)", True),
    Column("source", "Sumber"),
    *(column for key, header in AXES[:2] for column in _axis(key, header)),
    Column("trend", "Tren"),
    *(column for key, header in AXES[2:] for column in _axis(key, header)),
    Column("analysis", "Analisis"),
    Column("prediction", "Prediksi"),
    Column("steps_taken", "Langkah yang telah diambil"),
    Column("recommendation", "Saran tindak"),
)
KEYS: tuple[str, ...] = tuple(column.key for column in COLUMNS)
HEADERS: tuple[str, ...] = tuple(column.header for column in COLUMNS)
INDEX: dict[str, int] = {key: index for index, key in enumerate(KEYS)}
TEXT_INDEXES: tuple[int, ...] = tuple(i for i, column in enumerate(COLUMNS) if not column.numeric)
LATITUDE = INDEX["latitude"]
LONGITUDE = INDEX["longitude"]

# Excel's limit is 1,048,576 rows a sheet, the header included.
XLSX_MAX_DATA_ROWS = 1_048_575
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
}
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "geojson": "geojson"}


def neutralise(value: str) -> str:
    """`value` made safe for a spreadsheet cell: a leading = + - @ (tab, CR) gets a quote."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _neutralise_row(row: Row) -> Row:
    for index in TEXT_INDEXES:
        value = row[index]
        if value and value[0] in "=+-@\t\r":  # type: ignore[index]  # text columns hold str
            row[index] = "'" + value  # type: ignore[operator]  # as above
    return row


# ---------------------------------------------------------------- CSV


def csv_chunks(rows: Iterable[Row], *, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """CSV (RFC 4180: CRLF, quotes doubled, quoted when needed) as UTF-8 with a BOM, in chunks
    of `rows_per_chunk` rows: the body of a streaming response, or of a file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    yield codecs.BOM_UTF8 + buffer.getvalue().encode()
    buffer.seek(0)
    buffer.truncate()
    pending = 0
    write = writer.writerow
    for row in rows:
        write(_neutralise_row(row))
        pending += 1
        if pending >= rows_per_chunk:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending:
        yield buffer.getvalue().encode()


def write_csv(rows: Iterable[Row], out: IO[bytes]) -> None:
    """Write the CSV of `rows` (as `csv_chunks`) to the binary file `out`."""
    out.write(codecs.BOM_UTF8)
    text = io.TextIOWrapper(cast(Any, out), encoding="utf-8", newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(map(_neutralise_row, rows))
    text.flush()
    text.detach()  # `out` stays open: it is the caller's


# ---------------------------------------------------------------- GeoJSON


def geojson_chunks(rows: Iterable[Row], *, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """A GeoJSON FeatureCollection written feature by feature: a Point (WGS84 lon, lat) where
    the item has coordinates, `null` geometry otherwise; every column as a property (the area,
    kab/kota and province codes let GIS users join the rows to boundaries)."""
    yield b'{"type":"FeatureCollection","features":['
    keys = KEYS
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    parts: list[str] = []
    first = True
    for row in rows:
        lat, lon = row[LATITUDE], row[LONGITUDE]
        geometry = (
            {"type": "Point", "coordinates": [lon, lat]}
            if lat is not None and lon is not None
            else None
        )
        feature = {
            "type": "Feature",
            "id": row[0],
            "geometry": geometry,
            "properties": dict(zip(keys, row, strict=True)),
        }
        parts.append(dumps(feature) if first else "," + dumps(feature))
        first = False
        if len(parts) >= rows_per_chunk:
            yield "".join(parts).encode()
            parts.clear()
    if parts:
        yield "".join(parts).encode()
    yield b"]}"


def write_geojson(rows: Iterable[Row], out: IO[bytes]) -> None:
    """Write the GeoJSON of `rows` to the binary file `out`."""
    for chunk in geojson_chunks(rows, rows_per_chunk=2000):
        out.write(chunk)


# ---------------------------------------------------------------- XLSX
#
# openpyxl in write-only mode writes the workbook: package, styles, sheet properties, the
# sheet's XML stream around its rows. Its own cell path (a WriteOnlyCell per value, then one lxml
# incremental-writer element per cell) costs about 230 microseconds a row of these 62 columns:
# 167 s for a million items in the first bench run. So the rows of our sheets are serialised
# here, as the same XML openpyxl writes (inline strings, numbers), straight into the sheet's
# stream, and the package is deflated at level 1: 33 s for the million on a quiet machine, 68 s
# under load (bench/exports.py).


_LETTERS = tuple(get_column_letter(i) for i in range(1, len(COLUMNS) + 1))
# Texts up to this length are kept, made into their cell's XML tail once, per sheet (codes,
# labels, area names, statuses repeat on every row); at most this many of them.
_CACHED_TEXT_LENGTH = 64
_CACHED_TEXTS = 50_000


def _xlsx_text(value: str) -> str:
    """A text cell's XML content: formula quote, characters XML cannot hold dropped, escaped."""
    if value[0] in "=+-@\t\r":
        value = "'" + value
    if not (value.isascii() and value.isprintable()) and ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


def _text_tail(value: str) -> str:
    """What follows `<c r="B2` for a text cell (empty when nothing printable is left)."""
    text = _xlsx_text(value)
    if not text:
        return ""
    if text[0] in " \t\n\r" or text[-1] in " \t\n\r":
        return f'" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    return f'" t="inlineStr"><is><t>{text}</t></is></c>'


def _row_xml(row: Row, number: int, cache: dict[str, str]) -> str:
    """One <row> of a sheet, as openpyxl writes it: strings inline, numbers as values; empty
    text and None make no cell at all."""
    r = str(number)
    parts = ['<row r="', r, '">']
    append = parts.append
    for letter, value in zip(_LETTERS, row, strict=False):
        if value is None or value == "":
            continue
        if value.__class__ is str:
            tail = cache.get(value)
            if tail is None:
                tail = _text_tail(value)
                if len(value) <= _CACHED_TEXT_LENGTH and len(cache) < _CACHED_TEXTS:
                    cache[value] = tail
            if tail:
                append(f'<c r="{letter}{r}{tail}')
        else:
            append(f'<c r="{letter}{r}" t="n"><v>{value!r}</v></c>')
    append("</row>")
    return "".join(parts)


class _SheetWriter(WorksheetWriter):
    """openpyxl's sheet writer, on a file object of ours, so rows can go straight into it."""

    def get_stream(self) -> Generator[Any, Any, None]:
        with open(self.out, "wb") as handle, xmlfile(handle) as xf:
            self.handle = handle
            with xf.element("worksheet", xmlns=SHEET_MAIN_NS):
                try:
                    while True:
                        element = yield
                        if element is True:
                            yield xf
                        elif element is not None:
                            xf.write(element)
                except GeneratorExit:
                    pass


class _Sheet(WriteOnlyWorksheet):
    """A write-only sheet whose appended rows are lists of plain values (see `_row_xml`)."""

    _writer: Any

    def _get_writer(self) -> None:
        if self._writer is None:
            self._writer = _SheetWriter(self)
            self._writer.write_top()

    def _write_rows(self) -> Generator[None, Row, None]:
        xf = self._writer.xf.send(True)
        with xf.element("sheetData"):
            xf.flush()  # the opening tag goes out before the rows written beside lxml
            write = self._writer.handle.write
            cache: dict[str, str] = {}
            number = 1
            try:
                while True:
                    row = yield
                    write(_row_xml(row, number, cache).encode())
                    number += 1
            except GeneratorExit:
                pass
        self._writer.xf.send(None)


def _new_sheet(workbook: Workbook, title: str) -> _Sheet:
    sheet = _Sheet(parent=workbook, title=title)
    workbook._add_sheet(sheet)  # what Workbook.create_sheet does for its own write-only sheets
    return sheet


def write_xlsx(
    rows: Iterable[Row],
    out: str | IO[bytes],
    *,
    sheet_title: str = "Butir",
    max_rows_per_sheet: int = XLSX_MAX_DATA_ROWS,
) -> None:
    """Write an XLSX workbook with openpyxl in write-only mode (rows go to disk as they come, so
    memory stays flat): one header row per sheet; past `max_rows_per_sheet` data rows the rows
    continue on a new sheet ("Butir (2)", ...)."""
    workbook = Workbook(write_only=True)
    sheet_number = 1
    sheet = _new_sheet(workbook, sheet_title)
    sheet.append(list(HEADERS))
    append: Callable[[Row], None] = sheet.append
    in_sheet = 0
    for row in rows:
        if in_sheet >= max_rows_per_sheet:
            sheet_number += 1
            sheet = _new_sheet(workbook, f"{sheet_title} ({sheet_number})")
            sheet.append(list(HEADERS))
            append = sheet.append
            in_sheet = 0
        append(row)
        in_sheet += 1
    # Level 1 deflate: the sheet XML is large and repetitive, and level 1 compresses it about
    # three times faster than the default, for a file a little larger.
    with ZipFile(out, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=1) as archive:
        ExcelWriter(workbook, archive).save()


WRITERS: dict[str, Callable[[Iterable[Row], IO[bytes]], None]] = {
    "csv": write_csv,
    "xlsx": write_xlsx,
    "geojson": write_geojson,
}
