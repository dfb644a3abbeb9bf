"""The layout of a brief as a list of blocks, shared by the DOCX and the PDF writer.

The content (`briefs.content`) says what a brief holds; the outline says in which order it is
shown, under which headings and in which tables; each writer only turns blocks into its format.
So the Word file and the PDF always have the same sections, headings and tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from waspada.briefs.content import formatting as fmt
from waspada.briefs.content.model import (
    LEVEL_WORDS,
    InformationReport,
    Labelled,
    PeriodicBrief,
)
from waspada.warnings.choices import LEVEL_COLOURS

CLASSIFICATION_WORDS = {"biasa": "BIASA", "terbatas": "TERBATAS", "rahasia": "RAHASIA"}
CLASSIFICATION_COLOURS = {"biasa": "#333333", "terbatas": "#b35c00", "rahasia": "#c62828"}


@dataclass(frozen=True)
class Title:
    lines: list[str]


@dataclass(frozen=True)
class Heading:
    text: str
    level: int


@dataclass(frozen=True)
class Para:
    text: str
    label: str = ""  # bold lead-in ("Fakta: ")
    small: bool = False


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[str]]
    widths: list[float]  # relative
    fills: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) -> colour
    bold_last_row: bool = False


@dataclass(frozen=True)
class Image:
    png: bytes
    width_cm: float
    caption: str


@dataclass(frozen=True)
class Signature:
    place_date: str
    title: str
    name: str
    signer_id: str


Block = Title | Heading | Para | Table | Image | Signature


def marking(classification: str) -> str:
    """The word marked on every page: BIASA, TERBATAS or RAHASIA."""
    return CLASSIFICATION_WORDS.get(classification, "BIASA")


def marking_colour(classification: str) -> str:
    return CLASSIFICATION_COLOURS.get(classification, "#333333")


def _pairs(rows: list[Labelled]) -> Table:
    return Table(["Uraian", "Jumlah"], [[r.label, r.value] for r in rows], [3, 2])


def _form(rows: list[Labelled]) -> Table:
    return Table(["Unsur", "Keterangan"], [[r.label, r.value] for r in rows], [1, 3])


# Light tints of the level colours for table cells (dark text stays readable, also in grey).
LEVEL_TINTS = {0: "#c8e6c9", 1: "#fff1a8", 2: "#ffd59e", 3: "#f5b7b1"}


def _level_fill(level: int) -> str:
    return LEVEL_TINTS.get(level, LEVEL_COLOURS[0])


def periodic_outline(brief: PeriodicBrief, map_png: bytes | None, trend_png: bytes) -> list[Block]:
    """The blocks of a daily, weekly or monthly brief, in order."""
    blocks: list[Block] = [
        Title([brief.title, brief.area_name.upper(), f"Periode: {brief.period_text}"]),
        Heading("I. RINGKASAN", 1),
        _pairs(brief.totals),
        Heading("Butir menurut aspek (IPOLEKSOSBUDHANKAM) dan ATHG", 2),
    ]
    table = brief.table
    rows = [
        [label, *(fmt.angka(v) for v in values), fmt.angka(total)]
        for label, values, total in table.rows
    ]
    rows.append(["Jumlah", *(fmt.angka(v) for v in table.column_totals), fmt.angka(table.total)])
    blocks.append(
        Table(
            ["Aspek", *table.columns, "Jumlah"],
            rows,
            [2.4, *([1.3] * len(table.columns)), 1.1],
            bold_last_row=True,
        )
    )
    blocks.append(Heading("Perubahan level peringatan dini", 2))
    if brief.level_changes:
        fills = {}
        level_rows = []
        for number, change in enumerate(brief.level_changes):
            level_rows.append(
                [
                    change.name,
                    change.previous_label,
                    change.level_label,
                    change.change,
                    fmt.angka(change.score, 1) if change.score is not None else "-",
                ]
            )
            fills[(number, 2)] = _level_fill(change.level)
        blocks.append(
            Table(
                ["Wilayah", "Awal periode", "Akhir periode", "Perubahan", "Skor"],
                level_rows,
                [3, 1.5, 1.5, 1.2, 1],
                fills=fills,
            )
        )
    else:
        blocks.append(Para("Tidak ada sub-wilayah yang diberi skor risiko untuk wilayah ini."))
    blocks.append(Heading("Peringatan dini yang terbit", 2))
    if brief.alerts:
        blocks.append(
            Table(
                ["Tanggal", "Wilayah", "Level", "Sebelumnya", "Jenis"],
                [
                    [a.day, a.area_name, a.level_label, a.previous_label, a.kind]
                    for a in brief.alerts
                ],
                [1.6, 3, 1.2, 1.2, 1.4],
            )
        )
    else:
        blocks.append(Para("Tidak ada peringatan dini yang terbit dalam periode ini."))
    blocks.append(Heading("Kepatuhan laporan harian (LAPSITDA)", 2))
    if brief.compliance is None:
        blocks.append(
            Para("Kepatuhan laporan harian dicatat di tingkat provinsi dan kabupaten/kota.")
        )
    else:
        blocks.append(_pairs(brief.compliance_totals))
        blocks.append(
            Table(
                ["Wilayah", "Tepat waktu", "Terlambat", "Nihil", "Tidak melapor"],
                [
                    [
                        c.name,
                        fmt.angka(c.on_time),
                        fmt.angka(c.late),
                        fmt.angka(c.nihil),
                        fmt.angka(c.missing),
                    ]
                    for c in brief.compliance
                ],
                [3, 1, 1, 1, 1.2],
            )
        )
    blocks += [Heading("II. PETA DAN TREN", 1), Heading("Peta tingkat kerawanan", 2)]
    if map_png is not None:
        blocks.append(
            Image(
                map_png,
                16,
                f"Level peringatan dini di {brief.area_name} pada {fmt.tanggal(brief.levels_on)}.",
            )
        )
    else:
        blocks.append(
            Para(
                "Peta tidak dapat digambar karena batas wilayah untuk sub-wilayah ini belum "
                "dimuat; peringkat wilayah ditampilkan sebagai gantinya."
            )
        )
        if brief.map_areas:
            blocks.append(
                Table(
                    ["No.", "Wilayah", "Level", "Skor", "Butir"],
                    [
                        [
                            str(n),
                            a.name,
                            LEVEL_WORDS[a.level],
                            fmt.angka(a.score, 1) if a.score is not None else "-",
                            fmt.angka(a.items),
                        ]
                        for n, a in enumerate(brief.map_areas, start=1)
                    ],
                    [0.6, 3, 1.2, 1, 1],
                    fills={(n, 2): _level_fill(a.level) for n, a in enumerate(brief.map_areas)},
                )
            )
    blocks.append(Heading("Tren butir laporan dan skor risiko", 2))
    blocks.append(
        Image(
            trend_png,
            16,
            f"Butir terverifikasi per hari dan skor risiko {brief.area_name}, "
            f"{fmt.periode(brief.trend_days[0], brief.trend_days[-1])}.",
        )
    )
    blocks.append(Heading("III. PERKEMBANGAN MENONJOL MENURUT ASPEK", 1))
    if not brief.matters:
        blocks.append(Para("Tidak ada butir laporan terverifikasi dalam periode ini."))
    for group in brief.matters:
        blocks.append(Heading(f"Aspek {group.aspect}", 2))
        for matter in group.matters:
            blocks.append(Heading(f"{matter.reference} {matter.title}", 3))
            blocks += [
                Para(
                    f"{matter.area_name}; {matter.when}; {fmt.angka(matter.items)} butir laporan.",
                    label="Wilayah dan waktu: ",
                ),
                Para(matter.facts, label="Fakta: "),
                Para(matter.impacts, label="Dampak: "),
                Para(matter.analysis, label="Analisis: "),
                Para(matter.prediction, label="Prediksi: "),
                Para(matter.recommendation, label="Rekomendasi: "),
            ]
        if group.omitted:
            blocks.append(
                Para(
                    f"Dan {fmt.angka(group.omitted)} kejadian lain pada aspek ini "
                    "(lihat daftar kejadian di Waspada).",
                    small=True,
                )
            )
    blocks.append(Heading("IV. ARAHAN PIMPINAN DAN TINDAK LANJUT", 1))
    if brief.directives is None:
        blocks.append(Para("Data arahan pimpinan belum tersedia di sistem ini."))
    elif not brief.directives:
        blocks.append(Para("Tidak ada arahan yang masih berjalan."))
    else:
        blocks.append(
            Table(
                ["Nomor", "Arahan", "Wilayah", "Batas waktu", "Prioritas", "Tindak lanjut"],
                [
                    [
                        d.reference,
                        d.title,
                        d.area_name,
                        d.due + (" (lewat)" if d.overdue else ""),
                        d.priority,
                        d.agencies or d.status,
                    ]
                    for d in brief.directives
                ],
                [1.3, 2.6, 1.6, 1.4, 1, 2.6],
            )
        )
    blocks.append(Heading("V. WILAYAH YANG TIDAK MELAPOR", 1))
    if brief.compliance is None:
        blocks.append(Para("Tidak dicatat untuk wilayah di bawah kabupaten/kota."))
    elif not brief.missing_areas:
        blocks.append(Para("Semua wilayah menyampaikan laporan harian dalam periode ini."))
    else:
        blocks.append(
            Table(
                ["Wilayah", "Jumlah hari", "Tanggal tidak melapor"],
                [
                    [
                        a.name,
                        fmt.angka(a.missing),
                        ", ".join(fmt.tanggal(d) for d in a.missing_days),
                    ]
                    for a in brief.missing_areas
                ],
                [2.4, 1, 4],
            )
        )
    blocks.append(_signature(brief.place_date, brief))
    blocks.append(Para(brief.generated_text, small=True))
    return blocks


def _signature(place_date: str, doc: PeriodicBrief | InformationReport) -> Signature:
    letterhead = doc.letterhead
    return Signature(
        place_date=place_date,
        title=letterhead.signer_title,
        name=letterhead.signer_name,
        signer_id=letterhead.signer_id,
    )


def information_outline(report: InformationReport) -> list[Block]:
    """The blocks of a Laporan Informasi, in its standard order."""
    blocks: list[Block] = [
        Title(
            ["LAPORAN INFORMASI", f"Tentang: {report.title}", f"Nomor kejadian: {report.reference}"]
        ),
        Heading("I. PENDAHULUAN", 1),
        _form(report.introduction),
        Heading("II. FAKTA-FAKTA", 1),
        _form(report.facts),
        _form(report.impacts),
    ]
    if len(report.developments) > 1:
        blocks.append(Heading("Perkembangan", 2))
        blocks.append(
            Table(
                ["Waktu", "Perkembangan"],
                [[d.label, d.value] for d in report.developments],
                [1.3, 4],
            )
        )
    blocks += [
        Heading("III. PENDAPAT PELAPOR", 1),
        _form(report.opinion),
        _signature(report.place_date, report),
        Para(report.generated_text, small=True),
    ]
    return blocks
