"""The rules of `timexpr.rules.v1`: what each pattern's match means, resolved against the publication date.

Each rule takes a match, the text and the publication date and returns a `TimeReading` (the kind, granularity
and first and last day), a reading with no dates when it needs a publication date it did not get, or None when
the match is not a time expression after all ("Theresa May", "1948 troops", "USA Today"). `RULES` lists them in
priority order; the conventions are in `parallax.timexpr`'s docstring.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from parallax import time_patterns as patterns
from parallax.time_calendar import (
    Granularity,
    add_months,
    month_range,
    nearest_year,
    part_range,
    valid_day,
    week_range,
    year_month,
)

__all__ = ["AMBIGUOUS", "NO_PUBLICATION_DATE", "RULES", "Kind", "Rule", "TimeReading"]

Kind = Literal["date", "interval", "open_interval", "unresolved"]

NO_PUBLICATION_DATE = "no publication date"
AMBIGUOUS = "ambiguous"


@dataclass(slots=True, frozen=True)
class TimeReading:
    """What a rule made of a match; no dates means it needs a publication date it did not get."""

    kind: Kind
    granularity: Granularity
    start_date: date | None
    end_date: date | None
    reason: str | None = None


Rule = Callable[[re.Match[str], str, date | None], TimeReading | None]


def _unresolved(granularity: Granularity, reason: str = NO_PUBLICATION_DATE) -> TimeReading:
    return TimeReading("unresolved", granularity, None, None, reason)


def _number(word: str) -> int:
    return int(word) if word.isdigit() else patterns.NUMBERS[word.lower()]


def _day_month(match: re.Match[str], text: str, published: date | None) -> TimeReading | None:
    """ "July 16, 2023", "16 July", "Wednesday, Dec. 18, 2019", "July 11-12"."""
    month = patterns.MONTHS[match["mon"].rstrip(".").lower()]
    day, last = int(match["day"]), int(match["day2"] or match["day"])
    if match["year"]:
        year = int(match["year"])
    elif published is None:
        return _unresolved("day")
    else:
        year = nearest_year(published, month, day)
    first_day, last_day = valid_day(year, month, day), valid_day(year, month, last)
    if first_day is None or last_day is None or last_day < first_day:
        return None
    return TimeReading("interval" if last != day else "date", "day", first_day, last_day)


def _numeric(match: re.Match[str], text: str, published: date | None) -> TimeReading | None:
    """ "2020-03-04" (ISO) and "3/4/2020" (month first unless the first number cannot be a month)."""
    if match["iso"]:
        day = valid_day(int(match["iso"]), int(match["m"]), int(match["d"]))
        return None if day is None else TimeReading("date", "day", day, day)
    first, second, year = int(match["a"]), int(match["b"]), int(match["y"])
    year += 2000 if year < 100 else 0
    if first <= 12 and second <= 12 and first != second:
        return _unresolved("day", AMBIGUOUS)
    month, day_number = (first, second) if first <= 12 else (second, first)
    day = valid_day(year, month, day_number)
    return None if day is None else TimeReading("date", "day", day, day)


def _month_year(match: re.Match[str], text: str, published: date | None) -> TimeReading | None:
    """ "October 2022", "September of 2015", "January this year", "early March 2020"."""
    month = patterns.MONTHS[match["mon"].rstrip(".").lower()]
    year_text = match["year"]
    if year_text[0].isdigit():
        year = int(year_text)
    elif published is None:
        return _unresolved("month")
    else:
        year = published.year + {"this": 0, "last": -1, "next": 1}[year_text.split()[0]]
    first, last = part_range(match["part"], *month_range(year, month), "month")
    return TimeReading("interval" if match["part"] else "date", "month", first, last)


def _month_alone(match: re.Match[str], text: str, published: date | None) -> TimeReading | None:
    """ "December", "last December", "mid-December", with guards against "Theresa May" and "April Ryan"."""
    name = match["mon"]
    follows = text[match.end() : match.end() + 2]
    if not match["rel"] and not match["part"]:
        if name == "May" and not patterns.MAY_BEFORE.search(text, max(0, match.start() - 12), match.start()):
            return None
        if len(follows) == 2 and follows[0] == " " and follows[1].isupper() and name in {"April", "June", "August"}:
            return None
    if published is None:
        return _unresolved("month")
    month = patterns.MONTHS[name.lower()]
    relative = (match["rel"] or "").lower()
    if relative == "last":
        year = published.year if month < published.month else published.year - 1
    elif relative == "next":
        year = published.year if month > published.month else published.year + 1
    elif relative == "this":
        year = published.year
    else:
        year = nearest_year(published, month, None)
    first, last = part_range(match["part"], *month_range(year, month), "month")
    return TimeReading("interval" if match["part"] else "date", "month", first, last)


def _season(match: re.Match[str], text: str, published: date | None) -> TimeReading | None:
    """ "the autumn of 2020", "fall 2020", "last summer" (northern hemisphere, meteorological seasons)."""
    start_month = patterns.SEASONS[match["season"].lower()]
    relative = (match["rel"] or "").lower()
    if match["year"]:
        year = int(match["year"])
    elif not relative:
        return None
    elif published is None:
        return _unresolved("season")
    else:
        current = published.year if published.month >= start_month or start_month != 12 else published.year - 1
        this_start = date(current, start_month, 1)
        shift = {"last": -1, "past": -1, "this": 0, "next": 1}[relative]
        if relative in {"last", "past"} and this_start > published:
            shift -= 1
        year = current + shift
    first = date(year, start_month, 1)
    last = add_months(first, 2)
    return TimeReading("interval", "season", first, last.replace(day=calendar.monthrange(last.year, last.month)[1]))


def _decade(match: re.Match[str], text: str, published: date | None) -> TimeReading | None:
    """ "the 1990s", "the early '90s"."""
    short = int(match["dec2"] or 0)
    first_year = int(match["dec"]) if match["dec"] else short + (2000 if short < 30 else 1900)
    first, last = part_range(match["part"], date(first_year, 1, 1), date(first_year + 9, 12, 31), "decade")
    return TimeReading("interval" if match["part"] else "date", "decade", first, last)


def _year_range(match: re.Match[str], text: str, published: date | None) -> TimeReading | None:
    """ "1950-53", "2019-2020", "between 2010 and 2015"."""
    first_year = int(match["y1"] or match["y3"])
    second = match["y2"] or match["y4"]
    last_year = int(second) if len(second) == 4 else first_year // 100 * 100 + int(second)
    if last_year <= first_year:
        return None
    return TimeReading("interval", "year", date(first_year, 1, 1), date(last_year, 12, 31))


def _year(match: re.Match[str], text: str, published: date | None) -> TimeReading | None:
    """ "2020", "early 2021"; not a count ("1948 troops")."""
    year = int(match["year"])
    if patterns.COUNT_NOUN_AFTER.match(text, match.end()):
        return None
    if year > (published.year + 30 if published else 2100):
        return None
    first, last = part_range(match["part"], date(year, 1, 1), date(year, 12, 31), "year")
    return TimeReading("interval" if match["part"] else "date", "year", first, last)


def _ago(match: re.Match[str], text: str, published: date | None) -> TimeReading | None:
    """ "three days ago", "20 years ago": the day, week, month, year or decade that long before publication."""
    if patterns.APPROXIMATE_BEFORE.search(text, max(0, match.start() - 16), match.start()):
        return None
    unit: Granularity = match["unit"].lower()  # type: ignore[assignment]  # the pattern allows only these
    if published is None:
        return _unresolved(unit)
    count = _number(match["n"])
    if unit == "day":
        day = published - timedelta(days=count)
        return TimeReading("date", "day", day, day)
    if unit == "week":
        return TimeReading("date", "week", *week_range(published - timedelta(weeks=count)))
    if unit == "month":
        return TimeReading("date", "month", *month_range(*year_month(add_months(published, -count))))
    years = count * (10 if unit == "decade" else 1)
    return TimeReading("date", "year", date(published.year - years, 1, 1), date(published.year - years, 12, 31))


def _past_n(match: re.Match[str], text: str, published: date | None) -> TimeReading | None:
    """ "the past two weeks", "the last 10 days": from that long before publication to publication."""
    unit: Granularity = match["unit"].lower()  # type: ignore[assignment]  # the pattern allows only these
    if published is None:
        return _unresolved(unit)
    count = _number(match["n"])
    if unit in {"day", "week"}:
        first = published - timedelta(days=count * (7 if unit == "week" else 1))
    else:
        first = add_months(published, -count * {"month": 1, "year": 12, "decade": 120}[unit])
    return TimeReading("interval", unit, first, published)


def _relative_unit(match: re.Match[str], text: str, published: date | None) -> TimeReading | None:
    """ "last week", "this month", "next year", "the past year", "earlier this year", "last weekend"."""
    unit, relative, edge = match["unit"].lower(), match["rel"].lower(), (match["edge"] or "").lower()
    granularity: Granularity = "week" if unit == "weekend" else unit  # type: ignore[assignment]
    if published is None:
        return _unresolved(granularity)
    if relative == "past":
        first = published - timedelta(days=7) if unit in {"week", "weekend"} else add_months(published, -12)
        return None if unit not in {"week", "year"} else TimeReading("interval", granularity, first, published)
    shift = {"last": -1, "this": 0, "next": 1, "coming": 1}[relative]
    if unit == "weekend":
        saturday = published + timedelta(days=5 - published.weekday())
        if relative == "last" or (relative == "this" and published.weekday() < 5 and saturday > published):
            saturday -= timedelta(days=7) if relative == "last" else timedelta(0)
        saturday += timedelta(days=7 * max(shift, 0))
        return TimeReading("interval", "week", saturday, saturday + timedelta(days=1))
    if unit == "week":
        first, last = week_range(published + timedelta(weeks=shift))
    elif unit == "month":
        first, last = month_range(*year_month(add_months(published, shift)))
    else:
        first, last = date(published.year + shift, 1, 1), date(published.year + shift, 12, 31)
    if edge and relative == "this":
        if edge == "earlier":
            return TimeReading("interval", granularity, first, max(first, published - timedelta(days=1)))
        return TimeReading("interval", granularity, min(last, published + timedelta(days=1)), last)
    return TimeReading("date", granularity, first, last)


def _day_word(match: re.Match[str], text: str, published: date | None) -> TimeReading | None:
    """ "yesterday", "today", "tonight", "tomorrow", "last night"; not "USA Today"."""
    word = match[0].lower()
    if match[0][0].isupper():
        before = text[max(0, match.start() - 200) : match.start()].rstrip() or text[: match.start()].rstrip()
        if before and before[-1] not in ".!?\"'“‘(—-:":
            return None
    if published is None:
        return _unresolved("day")
    offset = {"yesterday": -1, "last night": -1, "today": 0, "tonight": 0, "tomorrow": 1}[word]
    day = published + timedelta(days=offset)
    return TimeReading("date", "day", day, day)


def _weekday(match: re.Match[str], text: str, published: date | None) -> TimeReading | None:
    """ "on Sunday", "next Sunday", "last Friday", "this Monday"; see `parallax.timexpr` for the rule."""
    if patterns.HOLIDAY_BEFORE.search(text, max(0, match.start() - 10), match.start()):
        return None
    if not match["rel"] and patterns.NAME_AFTER_WEEKDAY.match(text, match.end()):
        return None
    if published is None:
        return _unresolved("day")
    target = patterns.WEEKDAYS[match["wd"].lower()]
    relative = (match["rel"] or "").lower()
    back = (published.weekday() - target) % 7
    if relative == "last":
        day = published - timedelta(days=back or 7)
    elif relative == "this":
        day = week_range(published)[0] + timedelta(days=target)
    elif relative == "next":
        day = week_range(published)[0] + timedelta(days=7 + target)
    else:
        clause_start = max(0, match.start() - patterns.CLAUSE_WINDOW)
        clause = patterns.CLAUSE_END.split(text[clause_start : match.start()])[-1]
        future = patterns.FUTURE_CUE.search(clause) is not None
        day = published + timedelta(days=(target - published.weekday()) % 7) if future else published - timedelta(back)
    return TimeReading("date", "day", day, day)


RULES: tuple[tuple[re.Pattern[str], Rule], ...] = (
    (patterns.NUMERIC, _numeric),
    (patterns.MONTH_DAY, _day_month),
    (patterns.DAY_MONTH, _day_month),
    (patterns.MONTH_YEAR, _month_year),
    (patterns.SEASON, _season),
    (patterns.DECADE, _decade),
    (patterns.YEAR_RANGE, _year_range),
    (patterns.YEAR_ALONE, _year),
    (patterns.AGO, _ago),
    (patterns.PAST_N, _past_n),
    (patterns.RELATIVE_UNIT, _relative_unit),
    (patterns.DAY_WORD, _day_word),
    (patterns.WEEKDAY_ALONE, _weekday),
    (patterns.MONTH_ALONE, _month_alone),
)
"""Rules in priority order: an earlier rule's span wins over any later match that overlaps it."""
