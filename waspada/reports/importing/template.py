"""The downloadable import templates (XLSX and CSV) and the help text of every column.

The XLSX template has a "Data" sheet with the header row (drop-down lists of the term codes on the
classification columns), a "Petunjuk" sheet describing every column with an example, and a
"Kode istilah" sheet with the allowed codes and labels of every axis, read from the `Term` table.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from waspada.events.choices import Axis, Classification, Trend
from waspada.events.models import Term
from waspada.reports.importing.columns import (
    CHOICE,
    COLUMN_KEYS,
    COLUMNS,
    LONG_TEXT,
    MAX_ROWS,
    TERM,
    TERMS,
    XLSX_SHEET,
)


def column_help() -> dict[str, tuple[str, str]]:
    """Column key -> (help text, example), in the active language."""
    impact = _("Jumlah (bilangan bulat, 0 atau lebih).")
    return {
        "tanggal": (_("Tanggal kejadian (TTTT-BB-HH atau HH/BB/TTTT)."), "2026-03-14"),
        "jam": (
            _("Jam kejadian, waktu setempat (JJ:MM). Kosong: hanya tanggal yang diketahui."),
            "08:30",
        ),
        "tanggal_laporan": (
            _(
                "Tanggal laporan harian tempat butir ini dimasukkan. Kosong: sama dengan "
                "tanggal kejadian."
            ),
            "",
        ),
        "wilayah": (
            _(
                "Kode wilayah Kemendagri (mis. 62.71.02) atau nama yang tunggal di wilayah Anda "
                '(mis. "Kec. Jekan Raya", atau "Palangka, Jekan Raya" dengan nama induknya). '
                "Boleh kosong bila lintang dan bujur diisi."
            ),
            "62.71.02",
        ),
        "wilayah_laporan": (
            _("Wilayah laporan harian. Kosong: wilayah tugas Anda yang mencakup wilayah kejadian."),
            "",
        ),
        "tempat": (_("Nama tempat (jalan, kantor, kebun)."), "Depan kantor desa"),
        "lintang": (_("Lintang (desimal, mis. -2.2136)."), ""),
        "bujur": (_("Bujur (desimal, mis. 113.9108)."), ""),
        "judul": (_("Judul singkat kejadian."), "Unjuk rasa warga menolak perluasan kebun sawit"),
        "kronologi": (
            _("Kronologi kejadian (5W+1H)."),
            "Sekitar 200 warga berkumpul di depan kantor desa.",
        ),
        "kejadian": (
            _(
                "Nomor kejadian yang sudah ada (mis. KJD-000123) bila baris ini "
                "perkembangannya. Kosong: kejadian baru."
            ),
            "",
        ),
        "apa": (_("Apa yang terjadi."), ""),
        "siapa": (_("Siapa yang terlibat."), ""),
        "mengapa": (_("Mengapa terjadi."), ""),
        "bagaimana": (_("Bagaimana terjadinya."), ""),
        "pemicu": (_("Pemicu kejadian."), ""),
        "jumlah_massa": (_("Perkiraan jumlah massa."), "200"),
        "aktor": (
            _(
                "Pihak yang terlibat, dipisah titik koma; jenis aktor boleh ditulis dalam "
                'kurung, mis. "Warga Desa X (warga); PT Y (perusahaan)".'
            ),
            "Warga Desa Tumbang (warga); PT Sawit Lestari (perusahaan)",
        ),
        "meninggal": (impact, "0"),
        "luka_berat": (impact, "0"),
        "luka_ringan": (impact, "0"),
        "penculikan": (impact, "0"),
        "kekerasan_seksual": (impact, "0"),
        "pengungsi": (impact, "0"),
        "rumah_rusak": (impact, "0"),
        "bangunan_publik_rusak": (impact, "0"),
        "rumah_ibadah_rusak": (impact, "0"),
        "kerugian_rp": (_("Kerugian material dalam rupiah."), "0"),
        "sumber": (_("Sumber informasi."), "Kepala desa"),
        "hubungan_sumber": (_("Hubungan pelapor dengan sumber."), ""),
        "cara_memperoleh": (_("Cara informasi diperoleh."), "Wawancara"),
        "waktu_diperoleh": (
            _("Kapan informasi diperoleh (TTTT-BB-HH JJ:MM, waktu setempat)."),
            "",
        ),
        "keandalan_sumber": (_("Keandalan sumber (A–F)."), "B"),
        "kebenaran_informasi": (_("Kebenaran informasi (1–6)."), "2"),
        "tren": (_("meningkat, tetap atau menurun."), "meningkat"),
        "analisis": (_("Analisis pelapor."), ""),
        "prediksi": (_("Prediksi perkembangan."), ""),
        "langkah_diambil": (_("Langkah yang telah diambil."), ""),
        "saran_tindak": (_("Saran tindak."), ""),
        "klasifikasi": (
            _("biasa, terbatas atau rahasia (tidak lebih tinggi dari izin Anda). Kosong: biasa."),
            "biasa",
        ),
        "aspek": (_("Aspek IPOLEKSOSBUDHANKAM."), "ekonomi"),
        "athg": (_("Ancaman, tantangan, hambatan atau gangguan."), "gangguan"),
        "sumber_konflik": (_("Sumber konflik menurut UU 7/2012."), "sengketa-sda"),
        "snpk": (_("Kategori kekerasan SNPK."), "sumber-daya"),
        "jenis_acled": (_("Jenis kejadian ACLED."), "protests"),
        "subjenis_acled": (
            _("Sub-jenis kejadian ACLED (harus sesuai jenisnya)."),
            "peaceful-protest",
        ),
        "jenis_pemilihan": (_("Pemilu, Pilkada atau Pilkades."), ""),
        "tahapan_pemilihan": (_("Tahapan pemilihan."), ""),
        "isu_pemilihan": (_("Isu pemilihan, beberapa dipisah titik koma."), ""),
    }


def template_csv() -> bytes:
    """The CSV template: the header line only (UTF-8 with BOM, so spreadsheets read it right)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(COLUMN_KEYS)
    return ("\ufeff" + buffer.getvalue()).encode()


def template_xlsx() -> bytes:
    """The XLSX template (see the module's docstring for its sheets)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    all_columns = COLUMNS
    helps = column_help()
    terms: dict[str, list[Term]] = {}
    for term in Term.objects.filter(active=True).order_by("axis", "sort_order", "code"):
        terms.setdefault(term.axis, []).append(term)
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FDE68A")
    header_fill = PatternFill("solid", fgColor="E5E7EB")

    workbook = Workbook()
    data = workbook.active
    data.title = XLSX_SHEET
    data.append(list(COLUMN_KEYS))
    for index, column in enumerate(all_columns, start=1):
        cell = data.cell(row=1, column=index)
        cell.font = bold
        cell.fill = required_fill if column.required else header_fill
        cell.comment = Comment(helps[column.key][0], "Waspada")
        width = 40 if column.kind == LONG_TEXT else max(12, len(column.key) + 4)
        data.column_dimensions[get_column_letter(index)].width = width
    data.freeze_panes = "A2"

    # Lists for the drop-downs: one column per axis on a sheet of their own.
    lists = workbook.create_sheet("Daftar")
    list_columns = [c for c in all_columns if c.kind == TERM] + [
        c for c in all_columns if c.kind == CHOICE
    ]
    for offset, column in enumerate(list_columns, start=1):
        values = (
            [t.code for t in terms.get(column.axis, [])]
            if column.kind == TERM
            else list(Trend.values if column.field == "trend" else Classification.values)
        )
        letter = get_column_letter(offset)
        lists.cell(row=1, column=offset, value=column.key).font = bold
        for row_number, value in enumerate(values, start=2):
            lists.cell(row=row_number, column=offset, value=value)
        if not values:
            continue
        target = get_column_letter(COLUMN_KEYS.index(column.key) + 1)
        # Labels are accepted too, so a value outside the list is allowed (no error box).
        validation = DataValidation(
            type="list",
            formula1=f"=Daftar!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=False,
        )
        validation.add(f"{target}2:{target}{MAX_ROWS + 1}")
        data.add_data_validation(validation)

    guide = workbook.create_sheet("Petunjuk")
    guide.append([_("Kolom"), _("Wajib"), _("Keterangan"), _("Contoh")])
    for column in all_columns:
        help_text, example = helps[column.key]
        guide.append([column.key, _("ya") if column.required else "", help_text, example])
    guide.append([])
    notes = [
        _(
            'Satu baris pada lembar "Data" adalah satu butir laporan (kejadian baru atau '
            "perkembangan)."
        ),
        _(
            "Butir dikelompokkan menjadi laporan harian per wilayah laporan dan tanggal laporan; "
            "draf laporan harian yang sudah ada dipakai."
        ),
        _('Nilai klasifikasi boleh ditulis sebagai kode atau label (lihat lembar "Kode istilah").'),
        _("Tidak ada yang disimpan bila satu baris pun salah: semua baris atau tidak sama sekali."),
    ]
    for note in notes:
        guide.append([note])
    for cell in guide[1]:
        cell.font = bold
    for letter, width in zip("ABCD", (24, 8, 90, 40), strict=True):
        guide.column_dimensions[letter].width = width

    codes = workbook.create_sheet("Kode istilah")
    codes.append([_("Kolom"), _("Sumbu"), _("Kode"), _("Label"), _("Induk")])
    by_id = {t.pk: t for axis_terms in terms.values() for t in axis_terms}
    for column in all_columns:
        if column.kind in (TERM, TERMS):
            for term in terms.get(column.axis, []):
                parent = by_id.get(term.parent_id) if term.parent_id else None
                codes.append(
                    [
                        column.key,
                        str(Axis(column.axis).label),
                        term.code,
                        term.label,
                        parent.code if parent else "",
                    ]
                )
    for term in terms.get(Axis.ACTOR_TYPE, []):
        codes.append(["aktor", str(Axis.ACTOR_TYPE.label), term.code, term.label, ""])
    for value, label in Trend.choices:
        codes.append(["tren", _("Tren"), value, str(label), ""])
    for value, label in Classification.choices:
        codes.append(["klasifikasi", _("Klasifikasi"), value, str(label), ""])
    for cell in codes[1]:
        cell.font = bold
    for letter, width in zip("ABCDE", (20, 30, 30, 70, 16), strict=True):
        codes.column_dimensions[letter].width = width
    codes.freeze_panes = "A2"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
