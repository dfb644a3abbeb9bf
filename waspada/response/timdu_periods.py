"""The calendar of a RAD: its four-monthly periods B.04, B.08 and B.12 and when their reports
are due.

A period's report may be written once the period has started (by the area's local date) and is
due by day WASPADA_RAD_REPORT_DUE_DAY of the month after the period's last month: B.04 by 10 May,
B.08 by 10 September, B.12 by 10 January of the next year (with the default day 10). From the
day after that, a report not yet submitted is *missing* and flagged. Dates are local dates of
the Timdu's area (WIB, WITA or WIT), never the server's.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.utils import timezone

from waspada.geo.zones import zone_for
from waspada.response.choices import RAD_PERIOD_LAST_MONTH, RadPeriod

PERIODS: tuple[str, ...] = tuple(RadPeriod.values)  # B04, B08, B12 in calendar order


def due_day() -> int:
    """The day of the following month by which a period's report is due (1-28)."""
    return max(1, min(28, int(getattr(settings, "WASPADA_RAD_REPORT_DUE_DAY", 10))))


def period_months(period: str) -> tuple[int, int]:
    """The first and last month of a period: B04 -> (1, 4). Raises KeyError for others."""
    last = RAD_PERIOD_LAST_MONTH[period]
    return last - 3, last


def period_start(year: int, period: str) -> dt.date:
    """The first day of the period in the plan's year."""
    first, _last = period_months(period)
    return dt.date(year, first, 1)


def period_end(year: int, period: str) -> dt.date:
    """The last day of the period in the plan's year."""
    _first, last = period_months(period)
    return dt.date(year, last, calendar.monthrange(year, last)[1])


def due_date(year: int, period: str) -> dt.date:
    """The last local date on which the period's report is still on time."""
    _first, last = period_months(period)
    if last == 12:
        return dt.date(year + 1, 1, due_day())
    return dt.date(year, last + 1, due_day())


def has_started(year: int, period: str, today: dt.date) -> bool:
    """True once the period's first day has come (its report may be written)."""
    return today >= period_start(year, period)


def is_overdue(year: int, period: str, today: dt.date) -> bool:
    """True when the due day has passed: an unsubmitted report is missing."""
    return today > due_date(year, period)


def local_today(area_code: str, now: dt.datetime | None = None) -> dt.date:
    """Today's date in the area's own zone."""
    return (now or timezone.now()).astimezone(zone_for(area_code)).date()


def period_label(period: str) -> str:
    """ "B.04" for "B04" (the form officials write)."""
    return f"{period[0]}.{period[1:]}"


def month_has_passed(year: int, month: int, today: dt.date) -> bool:
    """True when the whole month (of `year`) lies before `today`."""
    return (today.year, today.month) > (year, month)


def month_has_come(year: int, month: int, today: dt.date) -> bool:
    """True when `today` is in that month or later."""
    return (today.year, today.month) >= (year, month)
