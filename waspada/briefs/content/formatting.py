"""Indonesian dates and numbers for documents: "Minggu, 6 Desember 2026", 1.234, Rp 1.250.000,
12,5 %.

Django's own localisation with the 'id' language does the work (month and day names from Django's
catalogue, "." as thousands and "," as decimal separator), so the documents read the same as the
pages. Every helper activates 'id' itself: a worker process has no request language.
"""

from __future__ import annotations

import datetime as dt

from django.utils import formats, translation

from waspada.geo.zones import zone_for, zone_label

LANGUAGE = "id"


def hari_tanggal(day: dt.date) -> str:
    """ "Minggu, 6 Desember 2026"."""
    with translation.override(LANGUAGE):
        return str(formats.date_format(day, "l, j F Y"))


def tanggal(day: dt.date) -> str:
    """ "6 Desember 2026"."""
    with translation.override(LANGUAGE):
        return str(formats.date_format(day, "j F Y"))


def bulan(day: dt.date) -> str:
    """ "Desember 2026"."""
    with translation.override(LANGUAGE):
        return str(formats.date_format(day, "F Y"))


def waktu(moment: dt.datetime, area_code: str) -> str:
    """ "6 Desember 2026 pukul 14.30 WIB": a moment on the area's own clock."""
    local = moment.astimezone(zone_for(area_code))
    return f"{tanggal(local.date())} pukul {local:%H.%M} {zone_label(area_code)}"


def angka(value: float | int, decimals: int = 0) -> str:
    """A number with Indonesian separators: 1.234 and 12,5."""
    with translation.override(LANGUAGE):
        return str(formats.number_format(value, decimals, use_l10n=True, force_grouping=True))


def rupiah(value: float | int) -> str:
    """ "Rp 1.250.000"."""
    return f"Rp {angka(round(value))}"


def persen(value: float, decimals: int = 1) -> str:
    """ "12,5 %"."""
    return f"{angka(value, decimals)} %"


def periode(start: dt.date, end: dt.date) -> str:
    """ "6 Desember 2026", "1 - 7 Desember 2026", "28 November - 4 Desember 2026" or a month."""
    if start == end:
        return tanggal(start)
    month_end = (end.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    if start.day == 1 and start.month == end.month and start.year == end.year and end == month_end:
        return bulan(start)
    if start.year == end.year and start.month == end.month:
        return f"{start.day} - {tanggal(end)}"
    if start.year == end.year:
        with translation.override(LANGUAGE):
            head = str(formats.date_format(start, "j F"))
        return f"{head} - {tanggal(end)}"
    return f"{tanggal(start)} - {tanggal(end)}"
