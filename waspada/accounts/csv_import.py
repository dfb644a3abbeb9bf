"""Reading and checking a CSV of users for `services.import_users_csv`.

Nothing here writes: it parses the file and reports every problem with its row and column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from waspada.accounts.models import User
from waspada.accounts.roles import Role, can_grant
from waspada.accounts.validation import (
    AREA_CODE,
    clean_codes,
    password_errors,
    profile_errors,
    role_area_errors,
    username_format_errors,
    username_taken_message,
)
from waspada.core.scoping import user_covers
from waspada.geo.models import Area

IMPORT_COLUMNS = (
    "username",
    "full_name",
    "email",
    "role",
    "areas",
    "phone",
    "position",
    "password",
)
REQUIRED_COLUMNS = ("username", "role", "areas")
MAX_IMPORT_ROWS = 2000


@dataclass(frozen=True)
class RowProblem:
    """One problem of an import file: its row (1 is the header line), column and message."""

    row: int
    column: str
    message: str


@dataclass
class ImportRow:
    """One data row of an import file, as read, with its problems."""

    row: int
    username: str
    full_name: str
    email: str
    role: str
    area_codes: list[str]
    phone: str
    position: str
    password: str = field(default="", repr=False)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def has_password(self) -> bool:
        return bool(self.password)

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role in Role.values else self.role


@dataclass
class ImportResult:
    """What an import found and did: every row with its problems, and the users created."""

    dry_run: bool
    rows: list[ImportRow]
    file_problems: list[RowProblem]
    created: list[User]

    @property
    def problems(self) -> list[RowProblem]:
        return [*self.file_problems, *(p for r in self.rows for p in r.problems)]

    @property
    def ok(self) -> bool:
        return not self.problems


def decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets on Windows save "CSV" in the ANSI code page.
        return data.decode("cp1252")


def read_rows(text: str) -> tuple[list[dict[str, str]], list[RowProblem]]:
    """Parse CSV text into (rows keyed by column, header problems)."""
    first_line = text.split("\n", 1)[0]
    # Indonesian-locale spreadsheets separate columns with ";" (then areas need quoting).
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return [], [RowProblem(1, "", _("Berkas kosong: baris judul kolom tidak ada."))]
    except csv.Error as exc:
        return [], [RowProblem(1, "", _("Berkas CSV rusak: %(e)s") % {"e": exc})]
    problems = []
    unknown = [h for h in header if h not in IMPORT_COLUMNS]
    for name in unknown:
        problems.append(RowProblem(1, name, _("Kolom tidak dikenal.")))
    for name in REQUIRED_COLUMNS:
        if name not in header:
            problems.append(RowProblem(1, name, _("Kolom wajib tidak ada.")))
    duplicated = sorted({h for h in header if header.count(h) > 1})
    for name in duplicated:
        problems.append(RowProblem(1, name, _("Kolom muncul lebih dari sekali.")))
    if problems:
        return [], problems
    rows: list[dict[str, str]] = []
    try:
        for line_number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            row = {name: "" for name in IMPORT_COLUMNS}
            row["_row"] = str(line_number)  # the row number a spreadsheet shows
            if len(values) > len(header):
                row["_extra"] = "1"
            for name, value in zip(header, values, strict=False):
                row[name] = value.strip()
            rows.append(row)
    except csv.Error as exc:
        problems.append(RowProblem(reader.line_num, "", _("Baris CSV rusak: %(e)s") % {"e": exc}))
    if len(rows) > MAX_IMPORT_ROWS:
        problems.append(
            RowProblem(
                1,
                "",
                _("Terlalu banyak baris: paling banyak %(n)d pengguna per berkas.")
                % {"n": MAX_IMPORT_ROWS},
            )
        )
    return rows, problems


def _check_row(
    raw: dict[str, str],
    actor: User | None,
    known_areas: set[str],
    taken: set[str],
    seen: dict[str, int],
) -> ImportRow:
    number = int(raw["_row"])
    row = ImportRow(
        row=number,
        username=raw["username"],
        full_name=raw["full_name"],
        email=raw["email"],
        role=raw["role"].lower(),
        area_codes=clean_codes(raw["areas"].split(";")),
        phone=raw["phone"],
        position=raw["position"],
        password=raw["password"],
    )

    def add(column: str, message: str) -> None:
        row.problems.append(RowProblem(number, column, message))

    if raw.get("_extra"):
        add("", _("Baris berisi lebih banyak nilai daripada kolom judul."))
    key = row.username.lower()
    format_errors = username_format_errors(row.username)
    for message in format_errors:
        add("username", message)
    if not format_errors and key in seen:
        add("username", _("Nama pengguna sama dengan baris %(n)d.") % {"n": seen[key]})
    elif not format_errors and key in taken:
        add("username", username_taken_message(row.username))
    if key:
        seen.setdefault(key, number)
    for column, messages in role_area_errors(row.role, row.area_codes).items():
        for message in messages:
            add(column, message)
    grantable = actor is None or actor.is_superuser or can_grant(actor.role, row.role)
    if row.role in Role.values and not grantable:
        add("role", _("Anda tidak dapat memberi peran %(r)s.") % {"r": row.role_label})
    for code in row.area_codes:
        if not AREA_CODE.match(code):
            continue
        if code not in known_areas:
            add("areas", _("Kode wilayah tidak dikenal: %(c)s") % {"c": code})
        elif actor is not None and not user_covers(actor, code):
            add("areas", _("Wilayah %(c)s di luar wilayah Anda.") % {"c": code})
    profile = {
        "full_name": row.full_name,
        "email": row.email,
        "phone": row.phone,
        "position": row.position,
    }
    for column, messages in profile_errors(**profile).items():
        for message in messages:
            add(column, message)
    if row.password:
        probe = User(username=row.username, email=row.email, full_name=row.full_name)
        for message in password_errors(row.password, probe):
            add("password", message)
    return row


def check_file(data: bytes | str, actor: User | None, *, dry_run: bool) -> ImportResult:
    """Parse and check a whole file; the result lists every row and every problem."""
    try:
        text = decode(data)
    except UnicodeDecodeError:
        problem = RowProblem(1, "", _("Berkas bukan teks CSV (UTF-8)."))
        return ImportResult(dry_run=dry_run, rows=[], file_problems=[problem], created=[])
    raw_rows, file_problems = read_rows(text)
    if file_problems:
        return ImportResult(dry_run=dry_run, rows=[], file_problems=file_problems, created=[])
    if not raw_rows:
        problem = RowProblem(2, "", _("Berkas tidak berisi satu pun pengguna."))
        return ImportResult(dry_run=dry_run, rows=[], file_problems=[problem], created=[])
    codes = {c.strip() for r in raw_rows for c in r["areas"].split(";") if c.strip()}
    known_areas = set(Area.objects.filter(code__in=codes).values_list("code", flat=True))
    names = [r["username"].lower() for r in raw_rows if r["username"]]
    taken = set(
        User.objects.annotate(lowered=Lower("username"))
        .filter(lowered__in=names)
        .values_list("lowered", flat=True)
    )
    seen: dict[str, int] = {}
    rows = [_check_row(r, actor, known_areas, taken, seen) for r in raw_rows]
    return ImportResult(dry_run=dry_run, rows=rows, file_problems=[], created=[])
