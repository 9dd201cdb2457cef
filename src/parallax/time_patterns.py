"""Words and compiled patterns of the time-expression rules, and the scan that finds where a rule can match.

The rules of `timexpr.rules.v1` are regular expressions tried in priority order. Scanning the whole text once
per rule was most of the cost, so `candidate_starts` lists, in one pass over the lower-cased text (plus digit runs,
"the" before a period word and "'90s"), where each kind of first word occurs (a month, a weekday, "last", a
four-digit run ...), and `rule_matches` tries a rule only where one of the first words in `RULE_TRIGGERS` begins.
Every match a rule's own scan would find begins at one of those positions (extra positions only cost a failed
match), so the result is the same as scanning everywhere.
"""

from __future__ import annotations

import calendar
import re

__all__ = [
    "AGO",
    "APPROXIMATE_BEFORE",
    "CLAUSE_END",
    "CLAUSE_WINDOW",
    "COUNT_NOUN_AFTER",
    "DAY_MONTH",
    "DAY_WORD",
    "DECADE",
    "FUTURE_CUE",
    "HOLIDAY_BEFORE",
    "MAY_BEFORE",
    "MONTHS",
    "MONTH_ALONE",
    "MONTH_DAY",
    "MONTH_YEAR",
    "NAME_AFTER_WEEKDAY",
    "NUMBERS",
    "NUMERIC",
    "PAST_N",
    "RELATIVE_UNIT",
    "RULE_TRIGGERS",
    "SEASON",
    "SEASONS",
    "SINCE",
    "WEEKDAYS",
    "WEEKDAY_ALONE",
    "YEAR_ALONE",
    "YEAR_RANGE",
    "candidate_starts",
    "case_folded",
    "rule_matches",
]

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9})
MONTHS.update({"oct": 10, "nov": 11, "dec": 12})
"""Month names and abbreviations (lower case) to month numbers."""
WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
NUMBERS.update({"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20})
"""Counts written as words in "three days ago", "the past two weeks"."""
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
"""Seasons to the month they start in (northern hemisphere, meteorological)."""

MONTH_FULL = "|".join(name for name in calendar.month_name if name)
MONTH = rf"(?:{MONTH_FULL}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)"
WEEKDAY = "|".join(calendar.day_name)
YEAR = r"(?:1[6-9]\d\d|20\d\d)"
NUMBER = r"(?:\d{1,3}|(?i:" + "|".join(NUMBERS) + "))"
UNIT = r"(?:day|week|month|year|decade)"
PART = r"(?:early|mid|late|Early|Mid|Late)"
RELATIVE_YEAR = r"(?:this|last|next) year"

FUTURE_CUE = re.compile(
    r"\b(?:will|'ll|’ll|shall|set to|scheduled|slated|expected to|plans? to|planning to|going to|due to"
    r"|to (?:appear|begin|start|meet|vote|expire|visit|arrive|travel|speak|testify|hold|resume|return))\b"
)
"""A future cue in the words before a bare weekday: the weekday is then on or after publication."""
CLAUSE_END = re.compile(r"[.!?;\n]")
CLAUSE_WINDOW = 60
"""Characters before a weekday searched for a future cue: about one clause of news prose."""
APPROXIMATE_BEFORE = re.compile(r"\b(?:more than|less than|over|nearly|almost|about|around|at least|some)\s+$")
"""An approximate count ("more than six decades ago") names no calendar unit; such phrases are not resolved."""
COUNT_NOUN_AFTER = re.compile(
    r"\s+(?:people|persons|troops|soldiers|votes|voters|residents|cases|deaths|dollars|euros|pounds|miles"
    r"|kilometers|kilometres|km|meters|metres|feet|tons|tonnes|barrels|acres|jobs|members|students|workers"
    r"|children|homes|words|pages|points|signatures|delegates|seats|units|vehicles|refugees|migrants)\b"
)
"""A four-digit number followed by one of these nouns counts things; it is not a year."""
SINCE = re.compile(r"\b[Ss]ince\s+$")
HOLIDAY_BEFORE = re.compile(r"\b(?:Black|Super|Good|Bloody|Ash|Cyber|Palm|Easter|Holy|Maundy)\s+$")
NAME_AFTER_WEEKDAY = re.compile(r"\s+(?:Review|Times|Telegraph|Express|Mirror|Mail|Herald|Post|Night Football)\b")
MAY_BEFORE = re.compile(
    r"\b(?:in|since|until|through|by|from|of|during|before|after|early|mid|late|last|next|this|a|between)[\s-]+$"
)

NUMERIC = re.compile(
    r"\b(?:(?P<iso>" + YEAR + r")-(?P<m>\d\d)-(?P<d>\d\d)|(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d\d))\b"
)
MONTH_DAY = re.compile(
    rf"\b(?:(?:{WEEKDAY}),?\s+)?(?P<mon>{MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b"
    rf"(?:\s*[-–]\s*(?P<day2>\d{{1,2}})\b)?(?:,?\s+(?P<year>{YEAR})\b)?(?!\s*(?:%|percent|-))"
)
DAY_MONTH = re.compile(
    rf"\b(?:(?:{WEEKDAY}),?\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-–]\s*(?P<day2>\d{{1,2}}))?"
    rf"\s+(?:of\s+)?(?P<mon>{MONTH_FULL}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.)"
    rf"(?:,?\s+(?P<year>{YEAR})\b)?"
)
MONTH_YEAR = re.compile(
    rf"\b(?:(?P<part>{PART})[-\s]+)?(?P<mon>{MONTH})(?:\s+of)?,?\s+(?P<year>{YEAR}\b|{RELATIVE_YEAR})"
)
SEASON = re.compile(
    rf"\b(?:(?P<rel>[Ll]ast|[Tt]his|[Nn]ext|[Pp]ast)\s+)?(?:(?:the\s+)?(?P<part>{PART})[-\s]+)?(?:the\s+)?"
    rf"(?P<season>[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter)(?:\s+(?:of\s+)?(?P<year>{YEAR})\b)?"
)
DECADE = re.compile(rf"\b(?:the\s+)?(?:(?P<part>{PART})[-\s]+)?(?:(?P<dec>1\d\d0|20\d0)s|['’](?P<dec2>\d0)s)\b")
YEAR_RANGE = re.compile(
    rf"\b(?:(?:from|between)\s+(?P<y1>{YEAR})\s+(?:to|and|through|until)\s+(?P<y2>{YEAR})"
    rf"|(?P<y3>{YEAR})\s*[-–]\s*(?P<y4>\d{{4}}|\d\d))\b(?![-–]\d)"
)
YEAR_ALONE = re.compile(rf"\b(?:(?P<part>{PART})[-\s]+)?(?<![\d$€£.,/-])(?P<year>{YEAR})(?![\d%]|[.,]\d|\s*percent)\b")
AGO = re.compile(rf"\b(?P<n>{NUMBER})\s+(?P<unit>{UNIT})s?\s+ago\b")
PAST_N = re.compile(rf"\b(?:the\s+)?(?:past|last|previous)\s+(?P<n>{NUMBER})\s+(?P<unit>{UNIT})s\b")
RELATIVE_UNIT = re.compile(
    r"\b(?:(?P<edge>[Ee]arlier|[Ll]ater)\s+)?(?P<rel>[Ll]ast|[Tt]his|[Nn]ext|[Pp]ast|[Cc]oming)\s+"
    r"(?P<unit>week|weekend|month|year)\b"
)
DAY_WORD = re.compile(r"\b(?:[Yy]esterday|[Tt]oday|[Tt]onight|[Tt]omorrow|[Ll]ast night)\b")
WEEKDAY_ALONE = re.compile(rf"\b(?:(?P<rel>[Ll]ast|[Tt]his|[Nn]ext)\s+)?(?P<wd>{WEEKDAY})(?:['’]s)?\b")
MONTH_ALONE = re.compile(
    rf"\b(?:(?P<rel>[Ll]ast|[Tt]his|[Nn]ext)\s+)?(?:(?P<part>{PART})[-\s]+)?(?P<mon>{MONTH_FULL})\b(?!-)"
)

_WORD_CLASSES = {
    "last": "last",
    "this": "this_next",
    "next": "this_next",
    "past": "past",
    "previous": "previous",
    "coming": "coming",
    "earlier": "edge",
    "later": "edge",
    "early": "part",
    "mid": "part",
    "late": "part",
    **dict.fromkeys(SEASONS, "season"),
    "from": "span",
    "between": "span",
    **dict.fromkeys(("yesterday", "today", "tonight", "tomorrow"), "day_word"),
    **dict.fromkeys(WEEKDAYS, "weekday"),
    **dict.fromkeys(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), "month"),
}
"""The first words a rule's match can begin with (lower case; months by their first three letters), by class."""
_WORD_CONDITIONS = {"from": r"(?=\s+[12])", "between": r"(?=\s+[12])"}
"""What must follow a trigger word for it to count: "from" and "between" start a match only before a year."""
_WORD_TRIGGER = re.compile(
    r"\b(?:"
    + "|".join(word + _WORD_CONDITIONS.get(word, "") for word in sorted(_WORD_CLASSES, key=len, reverse=True))
    + ")"
)
"""Longest first, so "later" is not read as "late" (the part word "late" is never followed by "r")."""
_DIGITS = re.compile(r"\d+")
_THE_TRIGGER = re.compile(
    r"the(?=\s+(?:past|last|previous|early|mid|late|Early|Mid|Late|[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter"
    r"|the|\d|['’]))"
)
_QUOTE_TRIGGER = re.compile(r"['’](?=\d0s)")

RULE_TRIGGERS: dict[re.Pattern[str], frozenset[str]] = {
    NUMERIC: frozenset({"day_digits", "year_digits"}),
    MONTH_DAY: frozenset({"weekday", "month"}),
    DAY_MONTH: frozenset({"weekday", "day_digits"}),
    MONTH_YEAR: frozenset({"part", "month"}),
    SEASON: frozenset({"last", "this_next", "past", "the", "part", "season"}),
    DECADE: frozenset({"the", "part", "year_digits", "quote"}),
    YEAR_RANGE: frozenset({"span", "year_digits"}),
    YEAR_ALONE: frozenset({"part", "year_digits"}),
    PAST_N: frozenset({"the", "past", "last", "previous"}),
    RELATIVE_UNIT: frozenset({"edge", "last", "this_next", "past", "coming"}),
    DAY_WORD: frozenset({"day_word", "last"}),
    WEEKDAY_ALONE: frozenset({"last", "this_next", "weekday"}),
    MONTH_ALONE: frozenset({"last", "this_next", "part", "month"}),
}
"""For each rule pattern, the trigger classes of the words its matches can begin with ("day_digits": a run of one
or two digits, "year_digits": a run of four; a rule's digits never sit inside a longer run). `AGO` is not listed:
its count may be "a" or "an", so it is scanned in full, and only in texts that say "ago"."""


def case_folded(text: str) -> str:
    """`text` in lower case, one character for one, so offsets stay valid ("İ" folds to "i", not two characters)."""
    folded = text.lower()
    if len(folded) != len(text):
        folded = "".join(character.lower()[:1] for character in text)
    return folded


def candidate_starts(text: str) -> dict[str, list[int]]:
    """Positions in `text` where a trigger word begins, in order, by class (classes absent from the text left out).

    Words are found in the lower-cased text, which finds every spelling the case-sensitive rules accept (and some
    they reject, which costs one failed match each)."""
    starts: dict[str, list[int]] = {}
    for match in _WORD_TRIGGER.finditer(case_folded(text)):
        starts.setdefault(_WORD_CLASSES[match.group()], []).append(match.start())
    for digits in _DIGITS.finditer(text):
        if len(digits.group()) <= 2:
            starts.setdefault("day_digits", []).append(digits.start())
        elif len(digits.group()) == 4:
            starts.setdefault("year_digits", []).append(digits.start())
    for kind, pattern in (("the", _THE_TRIGGER), ("quote", _QUOTE_TRIGGER)):
        positions = [match.start() for match in pattern.finditer(text)]
        if positions:
            starts[kind] = positions
    return starts


def rule_matches(pattern: re.Pattern[str], text: str, starts: dict[str, list[int]]) -> list[re.Match[str]]:
    """What `pattern.finditer(text)` finds, trying the pattern only where a trigger word of its classes begins."""
    triggers = RULE_TRIGGERS.get(pattern)
    if triggers is None:
        return list(pattern.finditer(text)) if pattern is not AGO or "ago" in text else []
    positions = sorted({position for kind in triggers for position in starts.get(kind, ())})
    matches: list[re.Match[str]] = []
    resume = 0
    for position in positions:
        if position < resume:
            continue
        match = pattern.match(text, position)
        if match is not None:
            matches.append(match)
            resume = match.end()
    return matches
