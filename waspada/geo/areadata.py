"""Reading the Kemendagri code list of `idn-area-data` into rows for `services.load_areas`.

The package is pinned by version and sha512 integrity (see `core.npm`). Its tarball holds
`package/data/{provinces,regencies,districts,villages}.csv`; an operator on an offline machine
may instead give a folder holding the tarball or the four CSV files.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from waspada.core.errors import InvalidInput
from waspada.core.npm import NpmPackage, fetch_tarball, read_member, tarball_from_dir

IDN_AREA_DATA = NpmPackage(
    name="idn-area-data",
    version="4.0.1",
    integrity=(
        "sha512-PhNSIl5T7swVwwWxJOFMtCaeHAF9TUu0HLDf+36EIWZro9j7au83AFIJiBQGL+iRsBDA2OlpJ5fjiqxNYndzOQ=="
    ),
)

# file stem -> expected header; the order is the load order (parents first).
FILES: dict[str, list[str]] = {
    "provinces": ["code", "name"],
    "regencies": ["code", "province_code", "name"],
    "districts": ["code", "regency_code", "name"],
    "villages": ["code", "district_code", "name"],
}


@dataclass(frozen=True)
class AreaRow:
    """One line of the code list: code, parent code (None for a province) and name.

    `origin` ("villages.csv:12") is only used to point error messages at the bad line.
    """

    code: str
    parent_code: str | None
    name: str
    origin: str = ""


@dataclass
class AreaData:
    """The four levels of the code list, parents first, and where they came from."""

    provinces: list[AreaRow] = field(default_factory=list)
    regencies: list[AreaRow] = field(default_factory=list)
    districts: list[AreaRow] = field(default_factory=list)
    villages: list[AreaRow] = field(default_factory=list)
    source: str = ""

    def levels(self) -> list[list[AreaRow]]:
        return [self.provinces, self.regencies, self.districts, self.villages]


def parse_csv(stem: str, content: bytes | str) -> list[AreaRow]:
    """Rows of one CSV file of the package; raises InvalidInput naming the file and line."""
    filename = f"{stem}.csv"
    try:
        text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            _("%(file)s bukan teks UTF-8 (bita ke-%(pos)d).") % {"file": filename, "pos": exc.start}
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    expected = FILES[stem]
    header = next(reader, None)
    if header is None or [h.strip() for h in header] != expected:
        raise InvalidInput(
            _("%(file)s: baris judul harus '%(expected)s', ditemukan '%(found)s'.")
            % {
                "file": filename,
                "expected": ",".join(expected),
                "found": ",".join(header or []),
            }
        )
    rows: list[AreaRow] = []
    errors: dict[str, list[str]] = {}
    for values in reader:
        line = reader.line_num
        if not values or all(not v.strip() for v in values):
            continue  # blank lines are harmless
        origin = f"{filename}:{line}"
        if len(values) != len(expected):
            errors[origin] = [
                _("diharapkan %(want)d kolom (%(cols)s), ditemukan %(got)d.")
                % {"want": len(expected), "cols": ",".join(expected), "got": len(values)}
            ]
            if len(errors) >= 20:
                break
            continue
        code = values[0].strip()
        parent = values[1].strip() if len(expected) == 3 else None
        rows.append(AreaRow(code=code, parent_code=parent, name=values[-1].strip(), origin=origin))
    if errors:
        raise InvalidInput(
            _("%(file)s berisi baris yang salah; tidak ada yang disimpan.") % {"file": filename},
            errors=errors,
        )
    return rows


def _find_csv_dir(directory: Path) -> Path | None:
    for candidate in (directory, directory / "data", directory / "package" / "data"):
        if all((candidate / f"{stem}.csv").is_file() for stem in FILES):
            return candidate
    return None


def read_tarball(data: bytes, *, source: str) -> AreaData:
    """Rows from a verified `idn-area-data` tarball."""
    parsed = {stem: parse_csv(stem, read_member(data, f"data/{stem}.csv")) for stem in FILES}
    return AreaData(**parsed, source=source)


def read_directory(directory: Path) -> AreaData:
    """Rows from a folder holding the pinned tarball (checked) or the four CSV files.

    Raises FileNotFoundError when the folder holds neither, and `core.npm.IntegrityError` when
    the tarball there is not the pinned one.
    """
    tarball = directory / IDN_AREA_DATA.tarball_name
    if tarball.is_file():
        return read_tarball(tarball_from_dir(IDN_AREA_DATA, directory), source=str(tarball))
    csv_dir = _find_csv_dir(directory)
    if csv_dir is None:
        names = ", ".join(f"{stem}.csv" for stem in FILES)
        raise FileNotFoundError(
            _("%(dir)s tidak berisi %(tgz)s maupun berkas %(names)s.")
            % {"dir": directory, "tgz": IDN_AREA_DATA.tarball_name, "names": names}
        )
    parsed = {stem: parse_csv(stem, (csv_dir / f"{stem}.csv").read_bytes()) for stem in FILES}
    return AreaData(**parsed, source=str(csv_dir))


def download() -> bytes:
    """The verified tarball from the cache under var/, fetching it from the registry if needed."""
    return fetch_tarball(IDN_AREA_DATA)


def read_pinned() -> AreaData:
    """Rows from the pinned package (cache or registry)."""
    return read_tarball(download(), source=f"{IDN_AREA_DATA.name}@{IDN_AREA_DATA.version}")
