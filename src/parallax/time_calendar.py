"""Calendar arithmetic for time expressions: month, week and season spans and the thirds of a period.

Pure functions of dates (`timexpr.rules.v1`): weeks run Monday to Sunday; early / mid / late split a month into
days 1-10, 11-20, 21-end, a year into Jan-Apr, May-Aug, Sep-Dec and a decade into years 0-3, 4-6, 7-9.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Literal

__all__ = [
    "Granularity",
    "add_months",
    "month_range",
    "nearest_year",
    "part_range",
    "valid_day",
    "week_range",
    "year_month",
]

Granularity = Literal["day", "week", "month", "season", "year", "decade"]


def month_range(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """The same day `months` later (earlier when negative), clipped to the target month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def week_range(day: date) -> tuple[date, date]:
    """The Monday and Sunday of the week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def year_month(day: date) -> tuple[int, int]:
    """The year and month of a day."""
    return day.year, day.month


def part_range(part: str | None, first: date, last: date, granularity: Granularity) -> tuple[date, date]:
    """Early / mid / late thirds of a month (days), a year (months) or a decade (years)."""
    if not part:
        return first, last
    part = part.lower()
    if granularity == "month":
        bounds = {"early": (1, 10), "mid": (11, 20), "late": (21, last.day)}[part]
        return first.replace(day=bounds[0]), first.replace(day=bounds[1])
    if granularity == "year":
        months = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[part]
        return month_range(first.year, months[0])[0], month_range(first.year, months[1])[1]
    years = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}[part]
    return date(first.year + years[0], 1, 1), date(first.year + years[1], 12, 31)


def nearest_year(published: date, month: int, day: int | None) -> int:
    """The year that puts month (and day) nearest the publication date; ties go to the past."""
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        last_day = calendar.monthrange(year, month)[1]
        anchor = date(year, month, min(day or 15, last_day))
        candidates.append((abs((anchor - published).days), anchor > published, year))
    return min(candidates)[2]


def valid_day(year: int, month: int, day: int) -> date | None:
    """The date, or None when the day does not exist ("February 30")."""
    try:
        return date(year, month, day)
    except ValueError:
        return None
