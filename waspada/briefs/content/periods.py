"""The period of each brief kind: one day, a Monday-Sunday week, a calendar month."""

from __future__ import annotations

import calendar
import datetime as dt

from waspada.briefs.choices import BriefKind


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the month of `day`."""
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week of `day`."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def normalise(kind: str, start: dt.date) -> tuple[dt.date, dt.date]:
    """The whole period of `kind` that contains `start` (a daily brief is that day)."""
    if kind == BriefKind.WEEKLY:
        return week_bounds(start)
    if kind == BriefKind.MONTHLY:
        return month_bounds(start)
    return start, start


def previous_period(kind: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The last complete period before `today`: yesterday, last week, last month."""
    if kind == BriefKind.WEEKLY:
        return week_bounds(today - dt.timedelta(days=7))
    if kind == BriefKind.MONTHLY:
        return month_bounds(today.replace(day=1) - dt.timedelta(days=1))
    yesterday = today - dt.timedelta(days=1)
    return yesterday, yesterday


def due_period(kind: str, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The period a scheduled brief is due for on the local date `today`, or None.

    Daily: yesterday, every day. Weekly: the previous Monday-Sunday, on Mondays. Monthly: the
    previous month, on the 1st.
    """
    if kind == BriefKind.DAILY:
        return previous_period(kind, today)
    if kind == BriefKind.WEEKLY and today.weekday() == 0:
        return previous_period(kind, today)
    if kind == BriefKind.MONTHLY and today.day == 1:
        return previous_period(kind, today)
    return None


def days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every date from `start` to `end`, both included."""
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
