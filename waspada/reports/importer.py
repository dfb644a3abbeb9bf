"""Import of report items from CSV and XLSX: parse, check every row, preview, commit all or none.

    result = import_items(data, actor=user, dry_run=True)    # preview: nothing is written
    result = import_items(data, actor=user, dry_run=False)   # one transaction: every row or none

One row is one item. Rows are grouped into daily reports (LAPSITDA harian) per report area and
date: the draft (or returned) daily report of that area and date is reused, a missing one is
created through `reports.services.create_report`, and every item goes through
`events.services.record_item`, so imported data is checked and audited like typed-in data.

Checking is done in bulk (`importing.rows`): terms, areas, events and existing reports are read
once for the whole file, then each row is parsed with dictionary look-ups only. Every problem is
reported with its row (as a spreadsheet numbers it: the header is row 1) and its column; problems
the services find when committing are mapped back to the row and column they came from. The
columns and the cell readers are in `importing.columns`, the downloadable templates in
`importing.template`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from waspada.core import audit
from waspada.core.errors import DomainError, InvalidInput, OutOfScope
from waspada.geo.models import Area
from waspada.reports.importing.columns import (
    COLUMN_KEYS,
    COLUMNS,
    FIELD_TO_KEY,
    IMPORT_PERMISSION,
    KEY_FOR_FIELD,
    MAX_BYTES,
    MAX_ROWS,
    detect_format,
    read_table,
)
from waspada.reports.importing.rows import ImportRow, RowProblem, check_rows, to_clean_item
from waspada.reports.importing.template import template_csv, template_xlsx
from waspada.reports.models import ReportStatus, ReportType

__all__ = [
    "IMPORT_PERMISSION",
    "ImportResult",
    "ImportRow",
    "RowProblem",
    "import_items",
    "template_csv",
    "template_xlsx",
]


@dataclass
class ImportResult:
    """What an import found and did. `ok` is True only when there is no problem at all."""

    dry_run: bool
    file_format: str = ""
    digest: str = ""
    rows: list[ImportRow] = field(default_factory=list)
    file_problems: list[RowProblem] = field(default_factory=list)
    reports_new: int = 0
    reports_reused: int = 0
    items_created: int = 0
    report_ids: list[int] = field(default_factory=list)

    @property
    def problems(self) -> list[RowProblem]:
        return [*self.file_problems, *(p for r in self.rows for p in r.problems)]

    @property
    def ok(self) -> bool:
        return not self.file_problems and not any(r.problems for r in self.rows)

    @property
    def rows_with_problems(self) -> list[ImportRow]:
        return [r for r in self.rows if r.problems]

    def as_dict(self) -> dict[str, Any]:
        """The JSON answer of the API."""
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "format": self.file_format,
            "rows": len(self.rows),
            "reports_new": self.reports_new,
            "reports_reused": self.reports_reused,
            "items_created": self.items_created,
            "report_ids": self.report_ids,
            "errors": [p.as_dict() for p in self.problems],
        }


# ---------------------------------------------------------------- the import


@dataclass
class _ReportPlan:
    area_code: str
    date: dt.date
    rows: list[ImportRow]
    existing_id: int | None = None
    existing_version: int | None = None


def _plan_reports(actor: Any, rows: list[ImportRow]) -> list[_ReportPlan]:
    """Group rows by (report area, date) and find the daily reports that exist already."""
    from waspada.reports.selectors import visible_reports

    plans: dict[tuple[str, dt.date], _ReportPlan] = {}
    for row in rows:
        if row.problems or not row.report_area or row.report_date is None:
            continue
        key = (row.report_area, row.report_date)
        plans.setdefault(key, _ReportPlan(row.report_area, row.report_date, [])).rows.append(row)
    if not plans:
        return []
    existing = (
        visible_reports(actor)
        .filter(
            report_type=ReportType.DAILY,
            area_id__in={k[0] for k in plans},
            period_start__in={k[1] for k in plans},
        )
        .values_list("pk", "area_id", "period_start", "status", "is_nihil", "version")
    )
    for pk, area_code, day, status, is_nihil, version in existing:
        plan = plans.get((area_code, day))
        if plan is None:
            continue
        reference = f"LAP-{pk:06d}"
        if status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
            message = _(
                "Laporan harian %(r)s (%(a)s, %(d)s) sudah %(s)s; butir tidak dapat ditambahkan."
            ) % {"r": reference, "a": area_code, "d": day, "s": ReportStatus(status).label.lower()}
        elif is_nihil:
            message = _(
                "Laporan harian %(r)s (%(a)s, %(d)s) ditandai nihil; ubah dulu laporannya."
            ) % {"r": reference, "a": area_code, "d": day}
        else:
            message = ""
        for row in plan.rows:
            if message:
                row.problems.append(RowProblem(row.row, "tanggal_laporan", message))
            row.report_label = _("%(r)s (ditambahkan)") % {"r": reference}
        plan.existing_id, plan.existing_version = pk, version
    for plan in plans.values():
        if plan.existing_id is None:
            for row in plan.rows:
                row.report_label = _("baru: %(a)s, %(d)s") % {"a": plan.area_code, "d": plan.date}
    return [p for p in plans.values() if not any(r.problems for r in p.rows)]


def _map_service_errors(rows: list[ImportRow], error: Exception) -> None:
    """Put a service's refusal on the rows it concerns (errors keyed "<index>.<field>")."""
    if isinstance(error, InvalidInput) and error.errors:
        for key, messages in error.errors.items():
            index, _dot, name = key.partition(".")
            targets = [rows[int(index)]] if index.isdigit() and int(index) < len(rows) else rows
            column = KEY_FOR_FIELD.get(name, name if name in COLUMN_KEYS else "")
            for row in targets:
                row.problems += [RowProblem(row.row, column, str(m)) for m in messages]
        return
    if isinstance(error, OutOfScope):
        message = _("Wilayah laporan di luar wilayah Anda.")
    elif isinstance(error, DomainError):
        message = error.message or str(error)
    else:
        message = _("Anda tidak berwenang membuat laporan di wilayah ini.")
    for row in rows:
        row.problems.append(RowProblem(row.row, "wilayah_laporan", message))


def _commit(actor: Any, result: ImportResult, plans: list[_ReportPlan]) -> None:
    from waspada.events.bulk import record_clean_items
    from waspada.reports.models import SituationReport
    from waspada.reports.services import create_report

    codes = {row.data["area"] for plan in plans for row in plan.rows}
    areas = {area.code: area for area in Area.objects.filter(code__in=codes)}
    with transaction.atomic():
        for plan in plans:
            try:
                if plan.existing_id is None:
                    report = create_report(
                        actor=actor,
                        report_type=ReportType.DAILY,
                        area_code=plan.area_code,
                        period_start=plan.date,
                    )
                    result.reports_new += 1
                else:
                    report = SituationReport.objects.get(pk=plan.existing_id)
                    result.reports_reused += 1
                items = [to_clean_item(row, areas) for row in plan.rows]
                created = record_clean_items(report, actor=actor, items=items)
            except (DomainError, PermissionDenied) as error:
                _map_service_errors(plan.rows, error)
                continue
            result.report_ids.append(report.pk)
            result.items_created += len(created)
        if not result.ok:
            transaction.set_rollback(True)
            result.reports_new = result.reports_reused = result.items_created = 0
            result.report_ids = []
            return
        audit.record(
            actor=actor,
            action="reports.imported",
            object_type="reports.import",
            object_id=result.digest[:16],
            area_code=_common_area(actor),
            after={
                "format": result.file_format,
                "sha256": result.digest,
                "rows": len(result.rows),
                "items_created": result.items_created,
                "reports_new": result.reports_new,
                "reports_reused": result.reports_reused,
                "report_ids": result.report_ids,
            },
        )


def _common_area(actor: Any) -> str:
    codes = sorted(getattr(actor, "scope_area_codes", ()) or ())
    return codes[0] if len(codes) == 1 else ""


def import_items(data: bytes, *, actor: Any, dry_run: bool) -> ImportResult:
    """Check an import file and, unless `dry_run`, create every item in one transaction.

    Returns an ImportResult listing every row with its problems; `ok` is False when anything is
    wrong, and then nothing was written. Raises PermissionDenied (403) when the actor may not file
    reports at all; every other problem (unreadable file, bad value, out-of-scope area, a report
    already submitted) is a RowProblem in the result.
    """
    if not actor.is_authenticated or not actor.has_role_permission(IMPORT_PERMISSION):
        raise PermissionDenied(IMPORT_PERMISSION)
    result = ImportResult(dry_run=dry_run, digest=hashlib.sha256(data).hexdigest())

    def fail(message: str, row: int = 1, column: str = "") -> ImportResult:
        result.file_problems.append(RowProblem(row, column, message))
        return result

    if len(data) > MAX_BYTES:
        return fail(_("Berkas terlalu besar: paling besar %(n)d MB.") % {"n": MAX_BYTES // 2**20})
    result.file_format = detect_format(data)
    if result.file_format == "xls":
        return fail(_("Format .xls lama tidak didukung: simpan sebagai .xlsx atau CSV."))
    if not result.file_format:
        return fail(_("Berkas bukan CSV atau XLSX."))
    try:
        header, body = read_table(data, result.file_format)
    except InvalidInput as error:
        return fail(error.message)
    header = [FIELD_TO_KEY.get(h, h) for h in header]
    for name in sorted({h for h in header if h and header.count(h) > 1}):
        fail(_("Kolom muncul lebih dari sekali."), column=name)
    for name in header:
        if name and name not in COLUMN_KEYS:
            fail(_('Kolom tidak dikenal (lihat lembar "Petunjuk" di templat).'), column=name)
    for column in COLUMNS:
        if column.required and column.key not in header:
            fail(_("Kolom wajib tidak ada."), column=column.key)
    if result.file_problems:
        return result
    if not body:
        return fail(_("Berkas tidak berisi satu baris data pun."), row=2)
    if len(body) > MAX_ROWS:
        return fail(_("Terlalu banyak baris: paling banyak %(n)d per berkas.") % {"n": MAX_ROWS})
    positions = [(i, name) for i, name in enumerate(header) if name]
    result.rows = check_rows(
        actor,
        [
            (number, {name: values[i] if i < len(values) else None for i, name in positions})
            for number, values in body
        ],
    )
    plans = _plan_reports(actor, result.rows)
    if dry_run or not result.ok:
        return result
    _commit(actor, result, plans)
    return result
