"""Time expressions in an article's text, resolved against its publication date (`timexpr.rules.v1`).

`extract_times(text, published)` finds dates ("July 16, 2023", "16 July", "Wednesday, Dec. 18, 2019"), months
and years ("last December", "in October 2022", "in 2020"), seasons and decades ("fall of 2020", "the 1990s"),
parts of them ("early 2021", "mid-December"), relative expressions ("yesterday", "last week", "three days
ago", "the past two weeks", "on Sunday") and open intervals ("since mid-December"), each with its exact span
in the text and the calendar days it covers. The rules (docs/annotation/times.md says the same for the gold):

- a bare weekday is the most recent such day on or before publication (news reports the past; published on a
  Sunday, "on Sunday" is that day), unless a future cue precedes it in its clause ("will", "set to",
  "scheduled", "to appear" ...): then it is the first such day on or after publication. "last Sunday" is
  strictly before, "this Sunday" is in the publication's Monday-Sunday week, "next Sunday" is in the week after;
- a month, or a day and month, without a year is the occurrence nearest the publication date (ties go to
  the past); "last December" is the most recent December strictly before the publication month;
- weeks run Monday to Sunday; "last week" is the whole previous week, "the past two weeks" the 14 days
  before publication up to publication day;
- early / mid / late split a month into days 1-10, 11-20, 21-end, a year into Jan-Apr, May-Aug, Sep-Dec and a
  decade into years 0-3, 4-6, 7-9;
- seasons follow the northern hemisphere's meteorological convention: spring Mar 1 - May 31, summer Jun 1 -
  Aug 31, autumn (fall) Sep 1 - Nov 30, winter of Y Dec 1 Y - end of Feb Y+1;
- "since X" is an open interval from the first day of X to the publication date.

Without a publication date, expressions that need one are kept with kind "unresolved" and reason
"no publication date"; absolute ones still resolve. Numeric dates whose day and month could be swapped
("3/4/2020") are "unresolved" with reason "ambiguous". Clock times, holidays and unanchored durations
("for months") are not time expressions here.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

from parallax.goldsets import load_texts

__all__ = ["METHOD", "TimeExpression", "TimeScores", "evaluate_times", "extract_times"]

METHOD = "timexpr.rules.v1"

Kind = Literal["date", "interval", "open_interval", "unresolved"]
Granularity = Literal["day", "week", "month", "season", "year", "decade"]

NO_PUBLICATION_DATE = "no publication date"
AMBIGUOUS = "ambiguous"


@dataclass(slots=True, frozen=True)
class TimeExpression:
    """One time expression: its span in the text and, when resolved, the first and last day it covers."""

    start: int
    end: int
    text: str
    kind: Kind
    start_date: date | None
    end_date: date | None
    granularity: Granularity
    resolved: bool
    reason: str | None = None


@dataclass(slots=True, frozen=True)
class _Reading:
    """What a rule made of a match; no dates means it needs a publication date it did not get."""

    kind: Kind
    granularity: Granularity
    start_date: date | None
    end_date: date | None
    reason: str | None = None


_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9})
_MONTHS.update({"oct": 10, "nov": 11, "dec": 12})
_WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_NUMBERS.update({"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20})
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}

_MONTH_FULL = "|".join(name for name in calendar.month_name if name)
_MONTH = rf"(?:{_MONTH_FULL}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)"
_WEEKDAY = "|".join(calendar.day_name)
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_NUMBER = r"(?:\d{1,3}|(?i:" + "|".join(_NUMBERS) + "))"
_UNIT = r"(?:day|week|month|year|decade)"
_PART = r"(?:early|mid|late|Early|Mid|Late)"
_RELATIVE_YEAR = r"(?:this|last|next) year"

# A future cue in the words before a bare weekday: the weekday is then on or after publication.
_FUTURE_CUE = re.compile(
    r"\b(?:will|'ll|’ll|shall|set to|scheduled|slated|expected to|plans? to|planning to|going to|due to"
    r"|to (?:appear|begin|start|meet|vote|expire|visit|arrive|travel|speak|testify|hold|resume|return))\b"
)
_CLAUSE_END = re.compile(r"[.!?;\n]")
_CLAUSE_WINDOW = 60
"""Characters before a weekday searched for a future cue: about one clause of news prose."""
_APPROXIMATE_BEFORE = re.compile(r"\b(?:more than|less than|over|nearly|almost|about|around|at least|some)\s+$")
"""An approximate count ("more than six decades ago") names no calendar unit; such phrases are not resolved."""
_COUNT_NOUN_AFTER = re.compile(
    r"\s+(?:people|persons|troops|soldiers|votes|voters|residents|cases|deaths|dollars|euros|pounds|miles"
    r"|kilometers|kilometres|km|meters|metres|feet|tons|tonnes|barrels|acres|jobs|members|students|workers"
    r"|children|homes|words|pages|points|signatures|delegates|seats|units|vehicles|refugees|migrants)\b"
)
"""A four-digit number followed by one of these nouns counts things; it is not a year."""
_SINCE = re.compile(r"\b[Ss]ince\s+$")
_HOLIDAY_BEFORE = re.compile(r"\b(?:Black|Super|Good|Bloody|Ash|Cyber|Palm|Easter|Holy|Maundy)\s+$")
_NAME_AFTER_WEEKDAY = re.compile(r"\s+(?:Review|Times|Telegraph|Express|Mirror|Mail|Herald|Post|Night Football)\b")
_MAY_BEFORE = re.compile(
    r"\b(?:in|since|until|through|by|from|of|during|before|after|early|mid|late|last|next|this|a|between)[\s-]+$"
)


def _month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _week_range(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _part_range(part: str | None, first: date, last: date, granularity: Granularity) -> tuple[date, date]:
    """Early / mid / late thirds of a month (days), a year (months) or a decade (years)."""
    if not part:
        return first, last
    part = part.lower()
    if granularity == "month":
        bounds = {"early": (1, 10), "mid": (11, 20), "late": (21, last.day)}[part]
        return first.replace(day=bounds[0]), first.replace(day=bounds[1])
    if granularity == "year":
        months = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[part]
        return _month_range(first.year, months[0])[0], _month_range(first.year, months[1])[1]
    years = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}[part]
    return date(first.year + years[0], 1, 1), date(first.year + years[1], 12, 31)


def _nearest_year(published: date, month: int, day: int | None) -> int:
    """The year that puts month (and day) nearest the publication date; ties go to the past."""
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        last_day = calendar.monthrange(year, month)[1]
        anchor = date(year, month, min(day or 15, last_day))
        candidates.append((abs((anchor - published).days), anchor > published, year))
    return min(candidates)[2]


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word.lower()]


def _valid_day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


Rule = Callable[[re.Match[str], str, date | None], _Reading | None]


def _unresolved(granularity: Granularity, reason: str = NO_PUBLICATION_DATE) -> _Reading:
    return _Reading("unresolved", granularity, None, None, reason)


def _day_month(match: re.Match[str], text: str, published: date | None) -> _Reading | None:
    """ "July 16, 2023", "16 July", "Wednesday, Dec. 18, 2019", "July 11-12"."""
    month = _MONTHS[match["mon"].rstrip(".").lower()]
    day, last = int(match["day"]), int(match["day2"] or match["day"])
    if match["year"]:
        year = int(match["year"])
    elif published is None:
        return _unresolved("day")
    else:
        year = _nearest_year(published, month, day)
    first_day, last_day = _valid_day(year, month, day), _valid_day(year, month, last)
    if first_day is None or last_day is None or last_day < first_day:
        return None
    return _Reading("interval" if last != day else "date", "day", first_day, last_day)


def _numeric(match: re.Match[str], text: str, published: date | None) -> _Reading | None:
    """ "2020-03-04" (ISO) and "3/4/2020" (month first unless the first number cannot be a month)."""
    if match["iso"]:
        day = _valid_day(int(match["iso"]), int(match["m"]), int(match["d"]))
        return None if day is None else _Reading("date", "day", day, day)
    first, second, year = int(match["a"]), int(match["b"]), int(match["y"])
    year += 2000 if year < 100 else 0
    if first <= 12 and second <= 12 and first != second:
        return _unresolved("day", AMBIGUOUS)
    month, day_number = (first, second) if first <= 12 else (second, first)
    day = _valid_day(year, month, day_number)
    return None if day is None else _Reading("date", "day", day, day)


def _month_year(match: re.Match[str], text: str, published: date | None) -> _Reading | None:
    """ "October 2022", "September of 2015", "January this year", "early March 2020"."""
    month = _MONTHS[match["mon"].rstrip(".").lower()]
    year_text = match["year"]
    if year_text[0].isdigit():
        year = int(year_text)
    elif published is None:
        return _unresolved("month")
    else:
        year = published.year + {"this": 0, "last": -1, "next": 1}[year_text.split()[0]]
    first, last = _part_range(match["part"], *_month_range(year, month), "month")
    return _Reading("interval" if match["part"] else "date", "month", first, last)


def _month_alone(match: re.Match[str], text: str, published: date | None) -> _Reading | None:
    """ "December", "last December", "mid-December", with guards against "Theresa May" and "April Ryan"."""
    name = match["mon"]
    follows = text[match.end() : match.end() + 2]
    if not match["rel"] and not match["part"]:
        if name == "May" and not _MAY_BEFORE.search(text, max(0, match.start() - 12), match.start()):
            return None
        if len(follows) == 2 and follows[0] == " " and follows[1].isupper() and name in {"April", "June", "August"}:
            return None
    if published is None:
        return _unresolved("month")
    month = _MONTHS[name.lower()]
    relative = (match["rel"] or "").lower()
    if relative == "last":
        year = published.year if month < published.month else published.year - 1
    elif relative == "next":
        year = published.year if month > published.month else published.year + 1
    elif relative == "this":
        year = published.year
    else:
        year = _nearest_year(published, month, None)
    first, last = _part_range(match["part"], *_month_range(year, month), "month")
    return _Reading("interval" if match["part"] else "date", "month", first, last)


def _season(match: re.Match[str], text: str, published: date | None) -> _Reading | None:
    """ "the autumn of 2020", "fall 2020", "last summer" (northern hemisphere, meteorological seasons)."""
    start_month = _SEASONS[match["season"].lower()]
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
    last = _add_months(first, 2)
    return _Reading("interval", "season", first, last.replace(day=calendar.monthrange(last.year, last.month)[1]))


def _decade(match: re.Match[str], text: str, published: date | None) -> _Reading | None:
    """ "the 1990s", "the early '90s"."""
    short = int(match["dec2"] or 0)
    first_year = int(match["dec"]) if match["dec"] else short + (2000 if short < 30 else 1900)
    first, last = _part_range(match["part"], date(first_year, 1, 1), date(first_year + 9, 12, 31), "decade")
    return _Reading("interval" if match["part"] else "date", "decade", first, last)


def _year_range(match: re.Match[str], text: str, published: date | None) -> _Reading | None:
    """ "1950-53", "2019-2020", "between 2010 and 2015"."""
    first_year = int(match["y1"] or match["y3"])
    second = match["y2"] or match["y4"]
    last_year = int(second) if len(second) == 4 else first_year // 100 * 100 + int(second)
    if last_year <= first_year:
        return None
    return _Reading("interval", "year", date(first_year, 1, 1), date(last_year, 12, 31))


def _year(match: re.Match[str], text: str, published: date | None) -> _Reading | None:
    """ "2020", "early 2021"; not a count ("1948 troops")."""
    year = int(match["year"])
    if _COUNT_NOUN_AFTER.match(text, match.end()):
        return None
    if year > (published.year + 30 if published else 2100):
        return None
    first, last = _part_range(match["part"], date(year, 1, 1), date(year, 12, 31), "year")
    return _Reading("interval" if match["part"] else "date", "year", first, last)


def _ago(match: re.Match[str], text: str, published: date | None) -> _Reading | None:
    """ "three days ago", "20 years ago": the day, week, month, year or decade that long before publication."""
    if _APPROXIMATE_BEFORE.search(text, max(0, match.start() - 16), match.start()):
        return None
    unit: Granularity = match["unit"].lower()  # type: ignore[assignment]  # the pattern allows only these
    if published is None:
        return _unresolved(unit)
    count = _number(match["n"])
    if unit == "day":
        day = published - timedelta(days=count)
        return _Reading("date", "day", day, day)
    if unit == "week":
        return _Reading("date", "week", *_week_range(published - timedelta(weeks=count)))
    if unit == "month":
        return _Reading("date", "month", *_month_range(*_year_month(_add_months(published, -count))))
    years = count * (10 if unit == "decade" else 1)
    return _Reading("date", "year", date(published.year - years, 1, 1), date(published.year - years, 12, 31))


def _year_month(day: date) -> tuple[int, int]:
    return day.year, day.month


def _past_n(match: re.Match[str], text: str, published: date | None) -> _Reading | None:
    """ "the past two weeks", "the last 10 days": from that long before publication to publication."""
    unit: Granularity = match["unit"].lower()  # type: ignore[assignment]  # the pattern allows only these
    if published is None:
        return _unresolved(unit)
    count = _number(match["n"])
    if unit in {"day", "week"}:
        first = published - timedelta(days=count * (7 if unit == "week" else 1))
    else:
        first = _add_months(published, -count * {"month": 1, "year": 12, "decade": 120}[unit])
    return _Reading("interval", unit, first, published)


def _relative_unit(match: re.Match[str], text: str, published: date | None) -> _Reading | None:
    """ "last week", "this month", "next year", "the past year", "earlier this year", "last weekend"."""
    unit, relative, edge = match["unit"].lower(), match["rel"].lower(), (match["edge"] or "").lower()
    granularity: Granularity = "week" if unit == "weekend" else unit  # type: ignore[assignment]
    if published is None:
        return _unresolved(granularity)
    if relative == "past":
        first = published - timedelta(days=7) if unit in {"week", "weekend"} else _add_months(published, -12)
        return None if unit not in {"week", "year"} else _Reading("interval", granularity, first, published)
    shift = {"last": -1, "this": 0, "next": 1, "coming": 1}[relative]
    if unit == "weekend":
        saturday = published + timedelta(days=5 - published.weekday())
        if relative == "last" or (relative == "this" and published.weekday() < 5 and saturday > published):
            saturday -= timedelta(days=7) if relative == "last" else timedelta(0)
        saturday += timedelta(days=7 * max(shift, 0))
        return _Reading("interval", "week", saturday, saturday + timedelta(days=1))
    if unit == "week":
        first, last = _week_range(published + timedelta(weeks=shift))
    elif unit == "month":
        first, last = _month_range(*_year_month(_add_months(published, shift)))
    else:
        first, last = date(published.year + shift, 1, 1), date(published.year + shift, 12, 31)
    if edge and relative == "this":
        if edge == "earlier":
            return _Reading("interval", granularity, first, max(first, published - timedelta(days=1)))
        return _Reading("interval", granularity, min(last, published + timedelta(days=1)), last)
    return _Reading("date", granularity, first, last)


def _day_word(match: re.Match[str], text: str, published: date | None) -> _Reading | None:
    """ "yesterday", "today", "tonight", "tomorrow", "last night"; not "USA Today"."""
    word = match[0].lower()
    before = text[: match.start()].rstrip()
    if match[0][0].isupper() and before and before[-1] not in ".!?\"'“‘(—-:":
        return None
    if published is None:
        return _unresolved("day")
    offset = {"yesterday": -1, "last night": -1, "today": 0, "tonight": 0, "tomorrow": 1}[word]
    day = published + timedelta(days=offset)
    return _Reading("date", "day", day, day)


def _weekday(match: re.Match[str], text: str, published: date | None) -> _Reading | None:
    """ "on Sunday", "next Sunday", "last Friday", "this Monday"; see the module docstring for the rule."""
    if _HOLIDAY_BEFORE.search(text, max(0, match.start() - 10), match.start()):
        return None
    if not match["rel"] and _NAME_AFTER_WEEKDAY.match(text, match.end()):
        return None
    if published is None:
        return _unresolved("day")
    target = _WEEKDAYS[match["wd"].lower()]
    relative = (match["rel"] or "").lower()
    back = (published.weekday() - target) % 7
    if relative == "last":
        day = published - timedelta(days=back or 7)
    elif relative == "this":
        day = _week_range(published)[0] + timedelta(days=target)
    elif relative == "next":
        day = _week_range(published)[0] + timedelta(days=7 + target)
    else:
        clause_start = max(0, match.start() - _CLAUSE_WINDOW)
        clause = _CLAUSE_END.split(text[clause_start : match.start()])[-1]
        future = _FUTURE_CUE.search(clause) is not None
        day = published + timedelta(days=(target - published.weekday()) % 7) if future else published - timedelta(back)
    return _Reading("date", "day", day, day)


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_RULES: tuple[tuple[re.Pattern[str], Rule, tuple[str, ...]], ...] = (
    (
        _compile(
            r"\b(?:(?P<iso>" + _YEAR + r")-(?P<m>\d\d)-(?P<d>\d\d)|(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d\d))\b"
        ),
        _numeric,
        ("-", "/"),
    ),
    (
        _compile(
            rf"\b(?:(?:{_WEEKDAY}),?\s+)?(?P<mon>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b"
            rf"(?:\s*[-–]\s*(?P<day2>\d{{1,2}})\b)?(?:,?\s+(?P<year>{_YEAR})\b)?(?!\s*(?:%|percent|-))"
        ),
        _day_month,
        (),
    ),
    (
        _compile(
            rf"\b(?:(?:{_WEEKDAY}),?\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-–]\s*(?P<day2>\d{{1,2}}))?"
            rf"\s+(?:of\s+)?(?P<mon>{_MONTH_FULL}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.)"
            rf"(?:,?\s+(?P<year>{_YEAR})\b)?"
        ),
        _day_month,
        (),
    ),
    (
        _compile(
            rf"\b(?:(?P<part>{_PART})[-\s]+)?(?P<mon>{_MONTH})(?:\s+of)?,?\s+(?P<year>{_YEAR}\b|{_RELATIVE_YEAR})"
        ),
        _month_year,
        (),
    ),
    (
        _compile(
            rf"\b(?:(?P<rel>[Ll]ast|[Tt]his|[Nn]ext|[Pp]ast)\s+)?(?:(?:the\s+)?(?P<part>{_PART})[-\s]+)?(?:the\s+)?"
            rf"(?P<season>[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter)(?:\s+(?:of\s+)?(?P<year>{_YEAR})\b)?"
        ),
        _season,
        ("spring", "summer", "autumn", "fall", "winter"),
    ),
    (
        _compile(rf"\b(?:the\s+)?(?:(?P<part>{_PART})[-\s]+)?(?:(?P<dec>1\d\d0|20\d0)s|['’](?P<dec2>\d0)s)\b"),
        _decade,
        ("0s",),
    ),
    (
        _compile(
            rf"\b(?:(?:from|between)\s+(?P<y1>{_YEAR})\s+(?:to|and|through|until)\s+(?P<y2>{_YEAR})"
            rf"|(?P<y3>{_YEAR})\s*[-–]\s*(?P<y4>\d{{4}}|\d\d))\b(?![-–]\d)"
        ),
        _year_range,
        ("-", "–", "from", "between"),
    ),
    (
        _compile(rf"\b(?:(?P<part>{_PART})[-\s]+)?(?<![\d$€£.,/-])(?P<year>{_YEAR})(?![\d%]|[.,]\d|\s*percent)\b"),
        _year,
        (),
    ),
    (
        _compile(
            rf"\b(?P<n>{_NUMBER})\s+(?P<unit>{_UNIT})s?\s+ago\b",
        ),
        _ago,
        (" ago",),
    ),
    (
        _compile(rf"\b(?:the\s+)?(?:past|last|previous)\s+(?P<n>{_NUMBER})\s+(?P<unit>{_UNIT})s\b"),
        _past_n,
        ("past", "last", "previous"),
    ),
    (
        _compile(
            r"\b(?:(?P<edge>[Ee]arlier|[Ll]ater)\s+)?(?P<rel>[Ll]ast|[Tt]his|[Nn]ext|[Pp]ast|[Cc]oming)\s+"
            r"(?P<unit>week|weekend|month|year)\b"
        ),
        _relative_unit,
        ("week", "month", "year"),
    ),
    (
        _compile(r"\b(?:[Yy]esterday|[Tt]oday|[Tt]onight|[Tt]omorrow|[Ll]ast night)\b"),
        _day_word,
        ("yesterday", "today", "tonight", "tomorrow", "last night"),
    ),
    (_compile(rf"\b(?:(?P<rel>[Ll]ast|[Tt]his|[Nn]ext)\s+)?(?P<wd>{_WEEKDAY})(?:['’]s)?\b"), _weekday, ("day",)),
    (
        _compile(
            rf"\b(?:(?P<rel>[Ll]ast|[Tt]his|[Nn]ext)\s+)?(?:(?P<part>{_PART})[-\s]+)?(?P<mon>{_MONTH_FULL})\b(?!-)"
        ),
        _month_alone,
        (),
    ),
)
"""Rules in priority order (an earlier rule's span wins over any later match that overlaps it), each with the
lower-case strings one of which its matches contain: a text with none of them skips the rule's scan."""


def extract_times(text: str, published: date | None) -> list[TimeExpression]:
    """Find the time expressions of `text` and resolve them against the publication date (see module doc)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    if published is not None and not isinstance(published, date):
        raise TypeError(f"published must be a datetime.date or None, not {type(published).__name__}")
    taken: list[tuple[int, int]] = []
    found: list[TimeExpression] = []
    lowered = text.lower()
    for pattern, rule, needles in _RULES:
        if needles and not any(needle in lowered for needle in needles):
            continue
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            reading = rule(match, text, published)
            if reading is None:
                continue
            taken.append((start, end))
            found.append(_expression(text, start, end, reading, published))
    return sorted(found, key=lambda expression: expression.start)


def _expression(text: str, start: int, end: int, reading: _Reading, published: date | None) -> TimeExpression:
    """Build the value, turning "since X" into an open interval from X to publication."""
    since = _SINCE.search(text, max(0, start - 8), start)
    if since and reading.kind != "unresolved" and reading.start_date is not None:
        begins = reading.start_date
        if published is not None and begins > published and reading.granularity in {"day", "week", "month"}:
            # "since July" in a February article means last July: what something has lasted since is past.
            begins = begins.replace(year=begins.year - 1, day=min(begins.day, 28 if begins.month == 2 else 31))
        if published is not None and begins > published:
            return TimeExpression(
                since.start(), end, text[since.start() : end], "unresolved", None, None, reading.granularity, False,
                "after the publication date",
            )  # fmt: skip
        return TimeExpression(
            since.start(),
            end,
            text[since.start() : end],
            "open_interval",
            begins,
            published,
            reading.granularity,
            True,
        )
    resolved = reading.kind != "unresolved"
    return TimeExpression(
        start,
        end,
        text[start:end],
        reading.kind,
        reading.start_date,
        reading.end_date,
        reading.granularity,
        resolved,
        reading.reason,
    )


@dataclass(slots=True, frozen=True)
class TimeScores:
    """Detection (span overlap) and resolution quality of `extract_times` on a hand-annotated gold set.

    `resolution_accuracy` is the share of matched gold items whose start and end dates equal the gold's;
    `items` is the number of gold items.
    """

    precision: float
    recall: float
    f1: float
    resolution_accuracy: float
    items: int


def _match(gold: list[dict[str, str | int]], predicted: list[TimeExpression]) -> list[TimeExpression | None]:
    """Pair each gold item with the unused prediction that overlaps it most (None when none does)."""
    used: set[int] = set()
    pairs: list[TimeExpression | None] = []
    for item in gold:
        start, end = int(item["start"]), int(item["end"])
        best, best_overlap = None, 0
        for index, expression in enumerate(predicted):
            overlap = min(end, expression.end) - max(start, expression.start)
            if index not in used and overlap > best_overlap:
                best, best_overlap = index, overlap
        if best is not None:
            used.add(best)
        pairs.append(None if best is None else predicted[best])
    return pairs


def evaluate_times(gold_path: Path, data_root: Path) -> TimeScores:
    """Score `extract_times` against `eval/gold/times.jsonl` (offsets into the data's record texts)."""
    records = [json.loads(line) for line in Path(gold_path).read_text(encoding="utf-8").splitlines() if line]
    texts: dict[tuple[str, str], str] = {}
    for dataset in {record["dataset"] for record in records}:
        wanted = {record["id"] for record in records if record["dataset"] == dataset}
        texts.update(load_texts(Path(data_root), {dataset: wanted}))
    gold_items = predicted_items = matched = correct = 0
    for record in records:
        published = date.fromisoformat(record["published"]) if record["published"] else None
        predicted = extract_times(texts[(record["dataset"], record["id"])], published)
        pairs = _match(record["times"], predicted)
        gold_items += len(record["times"])
        predicted_items += len(predicted)
        for item, expression in zip(record["times"], pairs, strict=True):
            if expression is None:
                continue
            matched += 1
            dates = (_iso(expression.start_date), _iso(expression.end_date))
            correct += dates == (item["start_date"], item["end_date"])
    precision = matched / predicted_items if predicted_items else 0.0
    recall = matched / gold_items if gold_items else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return TimeScores(precision, recall, f1, correct / matched if matched else 0.0, gold_items)


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
