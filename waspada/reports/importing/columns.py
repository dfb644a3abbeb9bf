"""The columns of the report import file, and reading cells: files, dates, numbers, coordinates.

Nothing here touches the database. Help texts for people are in `template.py`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from waspada.core.errors import InvalidInput
from waspada.events.choices import Axis, Classification, Trend
from waspada.geo.names import fold

Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | Decimal | None

MAX_ROWS = 20_000
MAX_BYTES = 5 * 1024 * 1024
IMPORT_PERMISSION = "reports.create"
XLSX_SHEET = "Data"
AREA_CODE = re.compile(r"^\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?$")
EVENT_REF = re.compile(r"^(?:kjd-?)?0*(\d{1,12})$", re.I)
# The kinds of value a column holds; each has a parser below.
TEXT, LONG_TEXT, DATE, TIME, DATETIME, AREA, EVENT = (
    "text",
    "long_text",
    "date",
    "time",
    "datetime",
    "area",
    "event",
)
COUNT, MONEY, COORD, TERM, TERMS, CHOICE, ACTORS = (
    "count",
    "money",
    "coord",
    "term",
    "terms",
    "choice",
    "actors",
)


@dataclass(frozen=True)
class Column:
    """One column of the import file: its header, the item field it fills and how it is read.

    Help texts and examples for people live with the templates (reports/import_template.py).
    """

    key: str
    field: str
    kind: str
    required: bool = False
    axis: str = ""
    max_length: int = 0


_A = Axis
# key, field, kind, required, axis, max_length: the template's column order.
COLUMNS: tuple[Column, ...] = tuple(
    Column(*spec)
    for spec in (
        ("tanggal", "date", DATE, True),
        ("jam", "time", TIME),
        ("tanggal_laporan", "report_date", DATE),
        ("wilayah", "area", AREA),
        ("wilayah_laporan", "report_area", AREA),
        ("tempat", "place", TEXT, False, "", 200),
        ("lintang", "latitude", COORD),
        ("bujur", "longitude", COORD),
        ("judul", "title", TEXT, True, "", 200),
        ("kronologi", "chronology", LONG_TEXT, True),
        ("kejadian", "event", EVENT),
        ("apa", "what", LONG_TEXT),
        ("siapa", "who", LONG_TEXT),
        ("mengapa", "why", LONG_TEXT),
        ("bagaimana", "how", LONG_TEXT),
        ("pemicu", "trigger", LONG_TEXT),
        ("jumlah_massa", "crowd_size", COUNT),
        ("aktor", "actors", ACTORS),
        ("meninggal", "deaths", COUNT),
        ("luka_berat", "injured_serious", COUNT),
        ("luka_ringan", "injured_light", COUNT),
        ("penculikan", "abducted", COUNT),
        ("kekerasan_seksual", "sexual_violence", COUNT),
        ("pengungsi", "displaced", COUNT),
        ("rumah_rusak", "houses_damaged", COUNT),
        ("bangunan_publik_rusak", "public_buildings_damaged", COUNT),
        ("rumah_ibadah_rusak", "worship_places_damaged", COUNT),
        ("kerugian_rp", "loss_rupiah", MONEY),
        ("sumber", "source", TEXT, False, "", 200),
        ("hubungan_sumber", "source_relation", TEXT, False, "", 200),
        ("cara_memperoleh", "how_obtained", TEXT, False, "", 200),
        ("waktu_diperoleh", "obtained_at", DATETIME),
        ("keandalan_sumber", "source_reliability", TERM, False, _A.SOURCE_RELIABILITY),
        ("kebenaran_informasi", "info_credibility", TERM, False, _A.INFO_CREDIBILITY),
        ("tren", "trend", CHOICE),
        ("analisis", "analysis", LONG_TEXT),
        ("prediksi", "prediction", LONG_TEXT),
        ("langkah_diambil", "steps_taken", LONG_TEXT),
        ("saran_tindak", "recommendation", LONG_TEXT),
        ("klasifikasi", "classification", CHOICE),
        ("aspek", "aspect", TERM, False, _A.ASPECT),
        ("athg", "athg", TERM, False, _A.ATHG),
        ("sumber_konflik", "uu7_source", TERM, False, _A.UU7_SOURCE),
        ("snpk", "snpk", TERM, False, _A.SNPK),
        ("jenis_acled", "acled_type", TERM, False, _A.ACLED_TYPE),
        ("subjenis_acled", "acled_subtype", TERM, False, _A.ACLED_SUBTYPE),
        ("jenis_pemilihan", "election_type", TERM, False, _A.ELECTION_TYPE),
        ("tahapan_pemilihan", "election_stage", TERM, False, _A.ELECTION_STAGE),
        ("isu_pemilihan", "election_issues", TERMS, False, _A.ELECTION_ISSUE),
    )
)

COLUMN_KEYS: tuple[str, ...] = tuple(c.key for c in COLUMNS)
# Item field names are accepted as headers too (and map back to the template's key).
FIELD_TO_KEY = {c.field: c.key for c in COLUMNS}
KEY_FOR_FIELD = {**FIELD_TO_KEY, "occurred_at": "tanggal", "area_id": "wilayah", "report": ""}
CHOICES: dict[str, dict[str, str]] = {
    "trend": {
        **{fold(str(label)): value for value, label in Trend.choices},
        **{value: value for value in Trend.values},
        "naik": Trend.RISING,
        "turun": Trend.FALLING,
        "stabil": Trend.STEADY,
    },
    "classification": {
        **{fold(str(label)): value for value, label in Classification.choices},
        **{value: value for value in Classification.values},
    },
}


# ---------------------------------------------------------------- reading files


def detect_format(data: bytes) -> str:
    """ "xlsx", "csv", or "" for content that is neither (checked from the bytes, not the name)."""
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    sample = data[:4096]
    if b"\x00" in sample:
        return ""
    return "csv"


def normalise_header(value: Cell) -> str:
    text = fold(str(value or "")).replace("*", "").strip()
    return re.sub(r"[\s\-/]+", "_", text)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets on Windows save "CSV" in the ANSI code page.
        return data.decode("cp1252", errors="replace")


def _csv_rows(data: bytes) -> Iterator[list[Cell]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    # Indonesian-locale spreadsheets separate columns with ";".
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


def _xlsx_rows(data: bytes) -> Iterator[list[Cell]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        names = workbook.sheetnames
        sheet = workbook[XLSX_SHEET] if XLSX_SHEET in names else workbook[names[0]]
        empty_run = 0
        for values in sheet.iter_rows(values_only=True):
            # Formatted but empty rows can run to the sheet's last row: stop after a long gap.
            if not any(v not in (None, "") for v in values):
                empty_run += 1
                if empty_run > 1000:
                    return
            else:
                empty_run = 0
            yield list(values)
    finally:
        workbook.close()


def read_table(data: bytes, file_format: str) -> tuple[list[str], list[tuple[int, list[Cell]]]]:
    """(normalised header, [(row number, values)]) of the file, empty rows left out.

    Raises InvalidInput with a readable message when the file cannot be read at all.
    """
    try:
        rows = _xlsx_rows(data) if file_format == "xlsx" else _csv_rows(data)
        header: list[str] | None = None
        body: list[tuple[int, list[Cell]]] = []
        for number, values in enumerate(rows, start=1):
            if header is None:
                header = [normalise_header(v) for v in values]
                continue
            if any(v not in (None, "") and str(v).strip() for v in values):
                body.append((number, values))
                if len(body) > MAX_ROWS:
                    break
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, csv.Error) as exc:
        raise InvalidInput(_("Berkas tidak dapat dibaca: %(e)s") % {"e": exc}) from exc
    if header is None or not any(header):
        raise InvalidInput(_("Berkas kosong: baris judul kolom tidak ada."))
    return header, body


# ---------------------------------------------------------------- parsing values


class BadValue(Exception):
    """A value that cannot be read; the message says what is expected."""


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")
_TIME_FORMATS = ("%H:%M", "%H.%M", "%H:%M:%S")


def parse_date(value: Cell) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no zone)
        except ValueError:
            continue
    raise BadValue(
        _("Tanggal tidak dikenali: %(v)s (tulis TTTT-BB-HH, mis. 2026-03-14).") % {"v": text}
    )


def parse_time(value: Cell) -> dt.time:
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, float) and 0 <= value < 1:  # a spreadsheet time without a format
        minutes = round(value * 24 * 60)
        return dt.time(minutes // 60 % 24, minutes % 60)
    text = cell_text(value)
    for fmt in _TIME_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).time()  # noqa: DTZ007 (a time of day)
        except ValueError:
            continue
    raise BadValue(_("Jam tidak dikenali: %(v)s (tulis JJ:MM, mis. 08:30).") % {"v": text})


def parse_datetime(value: Cell) -> tuple[dt.date, dt.time | None]:
    if isinstance(value, dt.datetime):
        return value.date(), value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.date):
        return value, None
    text = cell_text(value)
    date_part, _sep, time_part = text.replace("T", " ").partition(" ")
    return parse_date(date_part), parse_time(time_part) if time_part.strip() else None


_THOUSANDS = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")


def parse_count(value: Cell) -> int:
    if isinstance(value, bool):
        raise BadValue(_("Harus bilangan bulat."))
    if isinstance(value, int | float | Decimal):
        if value < 0:
            raise BadValue(_("Tidak boleh negatif."))
        if value != int(value):
            raise BadValue(_("Harus bilangan bulat."))
        return int(value)
    text = cell_text(value).replace(" ", "")
    if text.startswith("-") and text[1:].replace(".", "").replace(",", "").isdigit():
        raise BadValue(_("Tidak boleh negatif."))
    if text.isdigit():
        return int(text)
    if _THOUSANDS.match(text):
        return int(re.sub(r"[.,]", "", text))
    raise BadValue(_("Harus bilangan bulat, mis. 12."))


def parse_money(value: Cell) -> int:
    if isinstance(value, str):
        text = re.sub(r"(?i)^rp\.?", "", value.strip()).replace(" ", "")
        # "1.500.000,00" or "1,500,000.00": drop the cents when they are zero.
        text = (
            re.sub(r"[.,]0{1,2}$", "", text) if re.search(r"\d[.,]\d{3}[.,]0{1,2}$", text) else text
        )
        return parse_count(text)
    return parse_count(value)


def parse_coordinate(value: Cell) -> Decimal:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value)).quantize(Decimal("0.000001"))
    text = cell_text(value)
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # Indonesian decimal comma
    try:
        return Decimal(text).quantize(Decimal("0.000001"))
    except InvalidOperation as exc:
        raise BadValue(_("Koordinat harus angka desimal, mis. -2.2136.")) from exc
