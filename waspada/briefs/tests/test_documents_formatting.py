"""Indonesian dates and numbers in documents, and the period of each kind of brief."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from waspada.briefs.content import formatting as fmt
from waspada.briefs.content.periods import due_period, normalise, previous_period

MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def test_it_writes_days_and_months_in_indonesian():
    assert fmt.hari_tanggal(dt.date(2026, 12, 6)) == "Minggu, 6 Desember 2026"
    assert fmt.tanggal(dt.date(2026, 3, 1)) == "1 Maret 2026"
    assert [fmt.bulan(dt.date(2026, m, 1)) for m in range(1, 13)] == [
        f"{name} 2026" for name in MONTHS
    ]


def test_it_stays_indonesian_whatever_language_is_active():
    with translation.override("en"):
        assert fmt.hari_tanggal(dt.date(2026, 12, 7)) == "Senin, 7 Desember 2026"
        assert fmt.angka(1234.5, 1) == "1.234,5"


def test_it_writes_numbers_with_indonesian_separators():
    assert fmt.angka(1234) == "1.234"
    assert fmt.angka(1234567) == "1.234.567"
    assert fmt.angka(0) == "0"
    assert fmt.rupiah(1250000) == "Rp 1.250.000"
    assert fmt.persen(12.5) == "12,5 %"
    assert fmt.persen(100, 0) == "100 %"


def test_it_writes_a_moment_on_the_areas_own_clock():
    moment = dt.datetime(2026, 3, 3, 6, 30, tzinfo=dt.UTC)
    assert fmt.waktu(moment, "62.71") == "3 Maret 2026 pukul 13.30 WIB"
    assert fmt.waktu(moment, "63.71") == "3 Maret 2026 pukul 14.30 WITA"
    assert fmt.waktu(moment, "94.71") == "3 Maret 2026 pukul 15.30 WIT"


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (dt.date(2026, 3, 3), dt.date(2026, 3, 3), "3 Maret 2026"),
        (dt.date(2026, 3, 2), dt.date(2026, 3, 8), "2 - 8 Maret 2026"),
        (dt.date(2026, 3, 30), dt.date(2026, 4, 5), "30 Maret - 5 April 2026"),
        (dt.date(2026, 12, 28), dt.date(2027, 1, 3), "28 Desember 2026 - 3 Januari 2027"),
        (dt.date(2026, 2, 1), dt.date(2026, 2, 28), "Februari 2026"),
    ],
)
def test_it_names_a_period(start, end, text):
    assert fmt.periode(start, end) == text


def test_each_kind_has_its_period():
    wednesday = dt.date(2026, 3, 4)
    assert normalise("daily", wednesday) == (wednesday, wednesday)
    assert normalise("weekly", wednesday) == (dt.date(2026, 3, 2), dt.date(2026, 3, 8))
    assert normalise("monthly", wednesday) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert previous_period("weekly", wednesday) == (dt.date(2026, 2, 23), dt.date(2026, 3, 1))
    assert previous_period("monthly", wednesday) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))


def test_scheduled_briefs_are_due_daily_on_mondays_and_on_the_first():
    monday, tuesday, first = dt.date(2026, 3, 9), dt.date(2026, 3, 10), dt.date(2026, 4, 1)
    assert due_period("daily", tuesday) == (monday, monday)
    assert due_period("weekly", monday) == (dt.date(2026, 3, 2), dt.date(2026, 3, 8))
    assert due_period("weekly", tuesday) is None
    assert due_period("monthly", first) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert due_period("monthly", tuesday) is None
