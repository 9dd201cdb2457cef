"""Quantities in news text: numbers in digits and in words, with their unit, what they count and a normalised value.

`extract_quantities("around 6,500 dead and $1.2bn in aid over six weeks")` finds three quantities: a count of
6,500 (approximate, counting "dead"), 1.2e9 USD and a duration of 6 weeks (normalised to 42 days). Values are
normalised to one base unit per dimension so that equal amounts in different words compare equal
(`same_amount`): "six weeks" and "42 days", "5 km" and "five-kilometer", "$1.2bn" and "1.2 billion dollars".

What is not a quantity is left out: years ("in 2020", "the 1990s"), dates ("July 16", "28-29 June", "7/4"),
clock times ("8:20 a.m."), ordinals ("15th", "the Second World War": ordinal words are never read), numbers in
identifiers and names ("COVID-19", "G20", "S&P 500", "Air Max 1"), URLs, handles and hashtags, page furniture
("(14 Images)"), and a bare "one" used as an article ("one of them", "one count"). The annotation guide
(`docs/annotation/quantities.md`) states the same rules; `evaluate_quantities` scores the extractor on the hand
annotated gold set `eval/gold/quantities.jsonl` (`quantities.rules.v1`).

Conventions: `value` is the whole amount in the stated unit ("$1.2 billion" -> 1.2e9, "six weeks" -> 6); for a
range ("$76 billion to $87 billion", "27-29%") and for a vague plural ("dozens", "tens of thousands") `value` is the
low end and `low`/`high` hold the bounds; a fraction ("two-thirds", "half of") has unit "fraction" and is
normalised to percent. `counted` is set only for counts.

Speed: 0.39 ms per 1,000 characters (7.1 million characters of `allsides_neus` in 2.8 s on one core), from a
handful of compiled patterns scanned once per text plus short anchored matches at each number.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parallax.goldsets import load_texts

__all__ = [
    "METHOD",
    "Quantity",
    "QuantityMistake",
    "QuantityScores",
    "evaluate_quantities",
    "extract_quantities",
    "normalize",
    "same_amount",
]

METHOD = "quantities.rules.v1"
"""Versioned name of this extractor, stored with its outputs."""

DEFAULT_TOLERANCE = 0.01
"""Relative difference under which two normalised amounts are the same: covers rounding in conversions
("115,000 acres (46,500 hectares)" differ by 0.08%) but not real differences of a few percent."""

# --- words -----------------------------------------------------------------------------------------------------


def _words(spaced: str) -> tuple[str, ...]:
    """A word list written as one string, so long lists stay readable."""
    return tuple(spaced.split())


SMALL_NUMBERS = {
    word: value
    for value, word in enumerate(
        _words(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
            "seventeen eighteen nineteen"
        )
    )
}
"""Number words below twenty, read as cardinals."""

TENS = {word: 10 * (i + 2) for i, word in enumerate(_words("twenty thirty forty fifty sixty seventy eighty ninety"))}
"""Multiples of ten written as words; a hyphen or space joins a unit word ("fifty-seven")."""

SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "dozen": 12.0}
"""Multiplier words after a number ("1.2 billion", "two dozen", "two hundred thousand")."""

ABBREVIATED_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "tn": 1e12, "trn": 1e12}
"""Multiplier abbreviations glued to an amount of money ("$1.2bn", "£5m"); read only after a currency sign, where
"m" cannot be metres."""

DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5}
"""Fraction words after a numerator ("two-thirds", "one-quarter", "a third of"). Without a numerator these words
are ordinals ("the third round") and are not read; "half" has its own rules (`_half_quantity`)."""

VAGUE_PLURALS = {"dozens": 12.0, "hundreds": 1e2, "thousands": 1e3, "millions": 1e6, "billions": 1e9, "trillions": 1e12}
"""Plural scale words that state an order of magnitude ("dozens", "tens of thousands"): the bounds are from two of
the scale ("dozens" >= 24) to just under the next order (`VAGUE_UPPER_FACTOR`)."""

VAGUE_OUTER = {"tens": 10.0, "dozens": 12.0, "hundreds": 1e2}
"""Plural words that multiply a vague plural ("tens of thousands", "hundreds of millions")."""

VAGUE_UPPER_FACTOR = 10.0
"""A vague plural of scale S lies below S x 10 ("thousands" < 10,000); "dozens" below 12 x 12."""

CURRENCY_SIGNS = {"US$": "USD", "$": "USD", "NZ$": "NZD", "A$": "AUD", "C$": "CAD", "HK$": "HKD", "€": "EUR"}
CURRENCY_SIGNS |= {"£": "GBP", "¥": "JPY"}
"""Currency signs before an amount, with their ISO codes. A bare "$" is read as US dollars, whatever the outlet."""

CURRENCY_WORDS = {"dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "yuan": "CNY", "yen": "JPY"}
CURRENCY_WORDS |= {"rupees": "INR", "sterling": "GBP", "pounds sterling": "GBP"}
"""Currency names after an amount ("1.2 billion dollars"). "pounds" is money only after a scale word
("5 million pounds"), otherwise mass (`_unit_after`)."""

# Each unit: canonical name -> (dimension, factor to the dimension's base unit, spellings). Bases: day (duration),
# year (age), metre (length), square metre (area), kilogram (mass), percent (percent and fractions).
UNITS: dict[str, tuple[str, float, tuple[str, ...]]] = {
    "percent": ("percent", 1.0, ("%", "percent", "per cent", "pct")),
    "percentage_point": ("percentage_points", 1.0, ("percentage points", "percentage point", "point", "points")),
    "minute": ("duration", 1 / 1440, ("minutes", "minute", "mins")),
    "hour": ("duration", 1 / 24, ("hours", "hour", "hrs")),
    "day": ("duration", 1.0, ("days", "day")),
    "week": ("duration", 7.0, ("weeks", "week")),
    "month": ("duration", 365.2425 / 12, ("months", "month")),
    "year": ("duration", 365.2425, ("years", "year")),
    "decade": ("duration", 3652.425, ("decades", "decade")),
    "century": ("duration", 36524.25, ("centuries", "century")),
    "km": ("length", 1000.0, ("kilometers", "kilometres", "kilometer", "kilometre", "km")),
    "m": ("length", 1.0, ("meters", "metres", "meter", "metre")),
    "mile": ("length", 1609.344, ("miles", "mile")),
    "foot": ("length", 0.3048, ("feet", "foot", "ft")),
    "km2": ("area", 1e6, ("square kilometers", "square kilometres", "square kilometer", "square kilometre", "sq km")),
    "sq_mile": ("area", 2_589_988.110336, ("square miles", "square mile", "sq miles")),
    "acre": ("area", 4046.8564224, ("acres", "acre")),
    "hectare": ("area", 1e4, ("hectares", "hectare")),
    "tonne": ("mass", 1000.0, ("metric tons", "metric tonnes", "tonnes", "tonne", "tons", "ton")),
    "kg": ("mass", 1.0, ("kilograms", "kilogram", "kg")),
    "lb": ("mass", 0.45359237, ("pounds", "pound", "lbs", "lb")),
}
"""Measurement units by canonical name. A US "ton" is read as a metric tonne (news rarely says which)."""

_SPELLINGS = {spelling: unit for unit, (_, _, spellings) in UNITS.items() for spelling in spellings}
_AGE_UNIT = "year"
FRACTION_UNIT = "fraction"

QUALIFIERS = {
    "about": ("about", "around", "approximately", "roughly", "some", "an estimated", "estimated", "circa"),
    "nearly": ("nearly", "almost", "close to", "just under", "just shy of"),
    "more_than": ("more than", "over", "upwards of", "just over", "in excess of"),
    "at_least": ("at least", "no fewer than", "no less than"),
    "less_than": ("less than", "fewer than", "under"),
    "up_to": ("up to", "at most", "as many as", "as much as", "no more than"),
}
"""Words before an amount that make it approximate, by bound kind ("more than 100 people" -> "more_than")."""

_QUALIFIER_KIND = {phrase: kind for kind, phrases in QUALIFIERS.items() for phrase in phrases}

IRREGULAR_PLURALS = frozenset(
    _words(
        "people men women children police personnel staff dead injured wounded missing troops cattle sheep fish "
        "aircraft militia youth clergy"
    )
)
"""Nouns a count can count that do not end in -s ("50 people", "around 6,500 dead", "about 150 missing")."""

NOUN_MODIFIERS = frozenset(_words("police staff militia aircraft fish youth clergy"))
"""Irregular plurals that also modify a following noun: "two police officers" counts officers."""

COUNT_STOPWORDS = frozenset(
    _words(
        "of in on at to for from by with and or but as than that which who whom whose is was were are be been has have "
        "had this these those its his her their our your them they it a an the over under after before since during "
        "ago earlier later more less each every per while when where whereas yes also"
    )
)
"""Words that end the search for a counted noun: the noun must come before any of these ("205,000 over...")."""

FURNITURE_NOUNS = frozenset(_words("images photos pictures videos comments shares views slides"))
"""Counted nouns that mark page furniture ("Slideshow (14 Images)", "(312 comments)")."""

MAX_AGE = 120
"""Largest bare number read as a person's age ("Name, 52,", "when she was 16")."""

# --- patterns ----------------------------------------------------------------------------------------------------


def _alternation(words: object) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


_WORD_NUMBER = rf"(?:{_alternation(TENS)})(?:[- ](?:{_alternation(set(SMALL_NUMBERS) - {'zero'})}))?"
_WORD_NUMBER += rf"|{_alternation(SMALL_NUMBERS)}"
_NUMBER = re.compile(
    rf"(?:(?P<currency>{_alternation(CURRENCY_SIGNS)})\s?)?"
    r"(?:(?<![\w.])(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"|\b(?P<words>{_WORD_NUMBER})\b"
    rf"|\b(?P<article>a)(?=\s+(?:{_alternation(SCALES)}|third|quarter)\b))"
    rf"(?P<scales>(?:[\s-]+(?:{_alternation(SCALES)})\b)*)"
    rf"(?:\s?(?P<abbr>{_alternation(ABBREVIATED_SCALES)})\b)?",
    re.IGNORECASE,
)
_VAGUE = re.compile(
    rf"\b(?:(?P<outer>{_alternation(VAGUE_OUTER)})\s+of\s+)?(?P<inner>{_alternation(VAGUE_PLURALS)})\b", re.IGNORECASE
)
_HALF_DOZEN = re.compile(r"\s+a\s+dozen\b", re.IGNORECASE)
_HALF = re.compile(r"\bhalf\b(?:[- ](?:an?\s+)?)?", re.IGNORECASE)
_UNIT = re.compile(
    rf"(?:[\s-]?|\s?-\s?)(?P<unit>{_alternation(_SPELLINGS)}|{_alternation(CURRENCY_WORDS)})(?![\w%])"
    r"(?P<old>\s?-?\s?olds?\b)?(?:-(?:wide|long|high|deep|tall)\b)?",
    re.IGNORECASE,
)
_FRACTION = re.compile(rf"[- ](?P<den>{_alternation(DENOMINATORS)})\b", re.IGNORECASE)
_YEAR_OR_CODE = re.compile(r"\d{4,}")
_AND_A_HALF = re.compile(r"\s+and\s+a\s+half\b", re.IGNORECASE)
_HYPHEN_NOUN = re.compile(r"-(?P<noun>[a-z]{2,})\b")
_RANGE = re.compile(r"\s*(?:[-–]\s*to\b|to\b|[-–]|and\b)[-\s]*")
_MONTHS = r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?"
_MONTHS += r"|Nov(?:ember)?|Dec(?:ember)?"
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s+\Z")
_MONTH_AFTER = re.compile(rf"(?:st|nd|rd|th)?,?\s+(?:{_MONTHS})\b")
_TIME_AFTER = re.compile(r"\s?(?:[ap]\.m\.|[ap]m\b)", re.IGNORECASE)
_QUALIFIER_BEFORE = re.compile(rf"\b(?P<qualifier>{_alternation(_QUALIFIER_KIND)})\s+\Z", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:\S+\s+){0,2}\Z", re.IGNORECASE)
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+\Z", re.IGNORECASE)
_NAME_BEFORE = re.compile(r"[A-Z][\w&'’.]*\s\Z")
_AGE_NAME_BEFORE = re.compile(r"[A-Z][A-Za-z'’.-]*,{1,2}\s(?:now\s|then\s)?\Z")
_AGE_PHRASE_BEFORE = re.compile(r"\b(?:aged|age of|(?:he|she|I|who) (?:was|is|turned|turns))\s\Z", re.IGNORECASE)
_HYPHENATED_ID_BEFORE = re.compile(r"(?:[A-Za-z]-|\d[-–/]|[/:])\Z")
_TOKEN_FURNITURE = re.compile(r"[/@#_=]|http|www\.")
_TOKEN_BREAKS = frozenset(" \t\n\r()")
"""Characters that end the token a number sits in, for the URL and handle check: "(-99,000).https://..." was
joined from a tweet and a link, and the amount inside the parentheses is still an amount."""
_WORD = re.compile(r"\s+(?P<word>[A-Za-z][\w'’]*(?:\.[A-Za-z]\.?)*)")
_OF_DETERMINER = re.compile(r"\s+of(?:\s+(?:the|these|those|its|their|his|her|our|your|my))?(?=\s)")
_LOOKBEHIND = 40
"""Characters before a number searched for a qualifier, a month or a name: longer than any such phrase."""


@dataclass(slots=True, frozen=True)
class Quantity:
    """One amount in a text, with exact character offsets (`text[start:end]`) and its normalised value."""

    start: int
    end: int
    text: str
    value: float
    low: float | None
    high: float | None
    approximate: bool
    unit: str | None
    dimension: str | None
    counted: str | None
    normalized: float | None
    qualifier: str | None = None
    """The bound kind of an approximate amount: about, nearly, more_than, at_least, less_than, up_to, vague."""


def normalize(value: float, unit: str | None, dimension: str | None) -> float:
    """Return `value` in its dimension's base unit (days, metres, square metres, kg, percent; money as is)."""
    if unit == FRACTION_UNIT:
        return value * 100.0
    if dimension == "age" or unit is None or unit not in UNITS:
        return value
    return value * UNITS[unit][1]


def same_amount(a: Quantity, b: Quantity, tolerance: float = DEFAULT_TOLERANCE) -> bool:
    """Whether two quantities state the same amount: same dimension (and currency), values within `tolerance`."""
    if a.dimension != b.dimension or a.normalized is None or b.normalized is None:
        return False
    if a.dimension == "money" and a.unit != b.unit:
        return False
    scale = max(abs(a.normalized), abs(b.normalized))
    return abs(a.normalized - b.normalized) <= tolerance * scale


# --- reading one number ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Reading:
    """A number being read: its span and value so far, then its unit, range and counted noun."""

    start: int
    end: int
    value: float
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    dimension: str | None = None
    counted: str | None = None
    qualifier: str | None = None
    is_plain_one: bool = False


def _number_value(match: re.Match[str]) -> float | None:
    if match["digits"]:
        value = float(match["digits"].replace(",", ""))
    elif match["words"]:
        parts = re.split(r"[- ]", match["words"].lower())
        value = float(sum(TENS.get(part, SMALL_NUMBERS.get(part, 0)) for part in parts))
    else:
        value = 1.0
    for scale in re.findall(r"[a-z]+", match["scales"].lower()):
        value *= SCALES[scale]
    if match["abbr"]:
        if not match["currency"]:
            return None
        value *= ABBREVIATED_SCALES[match["abbr"].lower()]
    return value


def _unit_after(text: str, reading: _Reading, scaled: bool) -> None:
    unit_match = _UNIT.match(text, reading.end)
    if unit_match is None:
        return
    spelling = unit_match["unit"].lower()
    if spelling in ("point", "points") and not unit_match.group().startswith("-"):
        return  # only "7-point drop" is a percentage-point change; "500 points" may be an index or a score
    if spelling in ("pounds", "pound") and scaled:
        reading.unit, reading.dimension = "GBP", "money"
    elif spelling in CURRENCY_WORDS:
        reading.unit, reading.dimension = CURRENCY_WORDS[spelling], "money"
    else:
        reading.unit = _SPELLINGS[spelling]
        reading.dimension = UNITS[reading.unit][0]
        if unit_match["old"] and reading.unit == _AGE_UNIT:
            reading.dimension = "age"
    reading.end = unit_match.end()


def _read_number(text: str, match: re.Match[str]) -> _Reading | None:
    value = _number_value(match)
    if value is None:
        return None
    reading = _Reading(match.start(), match.end(), value)
    if match["digits"] and text.startswith("+", reading.end) and not match["scales"]:
        reading.end += 1  # "20+ organizations"
        reading.qualifier = "more_than"
    if match["currency"]:
        reading.unit, reading.dimension = CURRENCY_SIGNS[match["currency"]], "money"
        return reading
    fraction = _FRACTION.match(text, reading.end) if not match["scales"] else None
    if fraction is not None:
        if match["article"] and not text.startswith(" of", fraction.end()):
            return None  # "a third round" is an ordinal, "a third of voters" a fraction
        reading.value /= DENOMINATORS[fraction["den"].lower()]
        reading.unit, reading.dimension, reading.end = FRACTION_UNIT, "percent", fraction.end()
        return reading
    if match["article"] and not match["scales"]:
        return None
    and_a_half = _AND_A_HALF.match(text, reading.end)
    if and_a_half is not None and not match["scales"]:
        reading.value += 0.5
        reading.end = and_a_half.end()
    _unit_after(text, reading, scaled=bool(match["scales"]))
    if reading.unit is None:
        hyphen_noun = _HYPHEN_NOUN.match(text, reading.end)
        if hyphen_noun is not None:  # "13-star flag", "30-round magazines"
            reading.counted, reading.end = hyphen_noun["noun"], hyphen_noun.end()
    reading.is_plain_one = (
        match["words"] is not None and match["words"].lower() == "one" and not match["scales"] and reading.unit is None
    )
    return reading


def _is_excluded(text: str, reading: _Reading, match: re.Match[str]) -> bool:
    """Years, dates, times, identifiers, URLs, a bare "one": numbers that are not amounts."""
    after = text[reading.end : reading.end + 2]
    return (
        reading.is_plain_one
        or (match["digits"] is not None and _is_excluded_digits(text, reading, match))
        or _MONTH_AFTER.match(text, reading.end) is not None
        or after[:1].isalnum()  # "5G", "1990s", "15th"
        or (after[:1] == "-" and after[1:].isupper())  # "1-Y"
    )


def _is_excluded_digits(text: str, reading: _Reading, match: re.Match[str]) -> bool:
    digits, start, end = match["digits"], match.start("digits"), match.end("digits")
    before = text[max(0, start - _LOOKBEHIND) : start]
    is_year_like = len(digits) == 4 and digits.isdigit() and 1000 <= int(digits) <= 2100
    is_title = before.endswith(("'", "’", '"', "“")) and reading.unit is not None and text[end + 1 : end + 2].isupper()
    return (
        (is_year_like and reading.unit is None)
        or is_title  # CBS' "60 Minutes"
        or _HYPHENATED_ID_BEFORE.search(before) is not None
        or _MONTH_BEFORE.search(before) is not None
        or text.startswith(":", end)
        or _TIME_AFTER.match(text, end) is not None
        or _is_in_token_furniture(text, start, reading.end)
    )


def _is_in_token_furniture(text: str, start: int, end: int) -> bool:
    token_start = start
    while token_start > 0 and text[token_start - 1] not in _TOKEN_BREAKS and start - token_start < _LOOKBEHIND:
        token_start -= 1
    token_end = end
    while token_end < len(text) and text[token_end] not in _TOKEN_BREAKS and token_end - end < _LOOKBEHIND:
        token_end += 1
    return _TOKEN_FURNITURE.search(text, token_start, token_end) is not None


def _extend_range(text: str, reading: _Reading, before: str) -> None:
    """Join "27-29%", "$76 billion to $87 billion", "between 20 and 30" into one ranged quantity."""
    connector = _RANGE.match(text, reading.end)
    if connector is None or _FROM_BEFORE.search(before):
        return
    if connector.group().strip().startswith("and") and not _BETWEEN_BEFORE.search(before):
        return
    second_match = _NUMBER.match(text, connector.end())
    if second_match is None or not (second_match["digits"] or second_match["words"]):
        return
    second = _read_number(text, second_match)
    if second is None or second.value <= reading.value or second.is_plain_one:
        return
    if reading.unit and second.unit and reading.unit != second.unit:
        return
    second_digits = second_match["digits"] or ""
    if (
        reading.unit is None
        and second.unit is None
        and reading.counted is None
        and _YEAR_OR_CODE.fullmatch(second_digits)
    ):
        return  # "1967 to 2011", phone numbers
    reading.low, reading.high, reading.end = reading.value, second.value, second.end
    reading.unit, reading.dimension = reading.unit or second.unit, reading.dimension or second.dimension
    reading.counted = reading.counted or second.counted


def _looks_plural(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ous"))


def _counted_after(text: str, position: int) -> str | None:
    """The noun a count counts: the first plural-looking word among the next three, before any stop word."""
    of_phrase = _OF_DETERMINER.match(text, position)
    if of_phrase is not None:
        position = of_phrase.end()
    for _ in range(3):
        word_match = _WORD.match(text, position)
        if word_match is None:
            return None
        word = word_match["word"]
        lower = word.lower()
        if lower in COUNT_STOPWORDS:
            return None
        if lower in IRREGULAR_PLURALS or _looks_plural(lower):
            following = _WORD.match(text, word_match.end())
            if lower in NOUN_MODIFIERS and following is not None and _looks_plural(following["word"].lower()):
                return following["word"]
            return word
        position = word_match.end()
    return None


def _qualify(text: str, reading: _Reading) -> None:
    if reading.qualifier is not None:
        return
    before = text[max(0, reading.start - _LOOKBEHIND) : reading.start]
    qualifier = _QUALIFIER_BEFORE.search(before)
    if qualifier is not None:
        reading.qualifier = _QUALIFIER_KIND[qualifier["qualifier"].lower()]
        reading.start -= len(before) - qualifier.start()


def _finish(text: str, reading: _Reading) -> Quantity:
    if reading.dimension is None:
        reading.dimension = "count"
    if reading.dimension == "age":
        reading.unit = _AGE_UNIT
    return Quantity(
        start=reading.start,
        end=reading.end,
        text=text[reading.start : reading.end],
        value=reading.value,
        low=reading.low,
        high=reading.high,
        approximate=reading.qualifier is not None,
        unit=reading.unit,
        dimension=reading.dimension,
        counted=reading.counted if reading.dimension == "count" else None,
        normalized=normalize(reading.value, reading.unit, reading.dimension),
        qualifier=reading.qualifier,
    )


def _is_bare_age(text: str, reading: _Reading, before: str) -> bool:
    """ "Gillibrand, 52, joins", "Brown, now 30,", "when she was 16", "at the age of 16"."""
    if reading.value > MAX_AGE or reading.value != int(reading.value):
        return False
    if _AGE_PHRASE_BEFORE.search(before):
        return True
    return _AGE_NAME_BEFORE.search(before) is not None and text.startswith((",", ")"), reading.end)


def _numbers(text: str) -> Iterator[Quantity]:
    consumed = 0
    for match in _NUMBER.finditer(text):
        if match.start() < consumed:
            continue
        reading = _read_number(text, match)
        if reading is None:
            continue
        before = text[max(0, reading.start - _LOOKBEHIND) : reading.start]
        if reading.unit != FRACTION_UNIT:
            _extend_range(text, reading, before)
        if _is_excluded(text, reading, match):
            consumed = max(consumed, reading.end)
            continue
        if reading.dimension is None and reading.counted is None:
            reading.counted = _counted_after(text, reading.end)
            if reading.counted is not None and reading.counted.lower() in FURNITURE_NOUNS:
                continue
            if reading.counted is None and match["digits"] and _is_bare_age(text, reading, before):
                reading.dimension, reading.unit = "age", _AGE_UNIT
            elif reading.counted is None and match["digits"] and _NAME_BEFORE.search(before):
                continue  # a bare number after a name is part of it: "Air Max 1", "S&P 500"
        if text.startswith("(-", reading.start - 2):
            reading.value = -reading.value
            reading.start -= 1
        _qualify(text, reading)
        consumed = reading.end
        yield _finish(text, reading)


def _vague(text: str) -> Iterator[Quantity]:
    for match in _VAGUE.finditer(text):
        inner = VAGUE_PLURALS[match["inner"].lower()]
        outer = VAGUE_OUTER[match["outer"].lower()] if match["outer"] else 1.0
        upper = (12.0 if inner == 12.0 else VAGUE_UPPER_FACTOR) * inner * outer - 1
        reading = _Reading(match.start(), match.end(), 2 * inner * outer, low=2 * inner * outer, high=upper)
        reading.qualifier = "vague"
        tail = text[match.end() : match.end() + 30].lower()
        currency = re.match(r"\s+of\s+(?:\w+\s+)?(dollars|euros)\b", tail)
        if currency:
            reading.unit, reading.dimension = CURRENCY_WORDS[currency[1]], "money"
        else:
            reading.counted = _counted_after(text, match.end())
        before_qualifier = _Reading(reading.start, reading.end, 0.0)
        _qualify(text, before_qualifier)
        reading.start = before_qualifier.start
        yield _finish(text, reading)


def _half_quantities(text: str) -> Iterator[Quantity]:
    """ "half a ton", "a half-century" (a unit); "half of", "half the", "in half", "nearly half" (a fraction)."""
    for match in _HALF.finditer(text):
        reading = _Reading(match.start(), match.start() + 4, 0.5)
        probe = _Reading(match.start(), match.end() - (1 if match.group().endswith((" ", "-")) else 0), 0.5)
        half_dozen = _HALF_DOZEN.match(text, reading.end)
        if half_dozen is not None:  # "half a dozen states"
            probe = _Reading(reading.start, half_dozen.end(), 6.0, counted=_counted_after(text, half_dozen.end()))
            _qualify(text, probe)
            yield _finish(text, probe)
            continue
        _unit_after(text, probe, scaled=False)
        if probe.unit is not None and probe.dimension != "money":
            yield _finish(text, probe)
            continue
        before = text[max(0, reading.start - _LOOKBEHIND) : reading.start].lower()
        after = text[reading.end : reading.end + 6].lower()
        ordinal_like = re.search(r"\b(?:first|second|last|other|the|a|and a)\s+\Z", before)
        if ordinal_like or not (
            re.match(r"\s+(?:of|the|an?|his|her|their|its)\b", after)
            or re.search(r"\bin\s+\Z", before)
            or _QUALIFIER_BEFORE.search(before)
        ):
            continue
        reading.unit, reading.dimension = FRACTION_UNIT, "percent"
        if before.endswith("in "):
            reading.start -= 3
        _qualify(text, reading)
        yield _finish(text, reading)


def extract_quantities(text: str) -> list[Quantity]:
    """Return the quantities in `text`, in order, without overlaps, with exact offsets.

    >>> [(q.value, q.unit, q.counted) for q in extract_quantities("More than 100 people fled for six weeks.")]
    [(100.0, None, 'people'), (6.0, 'week', None)]
    """
    if not isinstance(text, str):
        raise TypeError(f"extract_quantities takes a str, not {type(text).__name__}")
    found = sorted([*_numbers(text), *_vague(text), *_half_quantities(text)], key=lambda q: (q.start, -q.end))
    kept: list[Quantity] = []
    for quantity in found:
        if kept and quantity.start < kept[-1].end:
            continue
        kept.append(quantity)
    return kept


# --- evaluation --------------------------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class QuantityMistake:
    """A gold quantity the extractor missed or a prediction that matches no gold quantity (for reading errors)."""

    dataset: str
    id: str
    kind: str
    """"missed" (gold without a matching prediction), "spurious" (prediction without gold), "counted" or
    "dimension" (a match with another counted noun or dimension)."""
    start: int
    end: int
    detail: str


@dataclass(slots=True, frozen=True)
class QuantityScores:
    """Quantity extraction against the hand-annotated gold set.

    A prediction matches a gold quantity when their spans overlap and their normalised values are equal;
    `value_accuracy` is the share of span-overlapping pairs with equal values, `counted_accuracy` the share of
    matches with the same counted noun (case and a plural -s aside; both None counts as equal)."""

    precision: float
    recall: float
    f1: float
    value_accuracy: float
    counted_accuracy: float
    items: int
    """Gold quantities."""
    articles: int = 0
    predicted: int = 0
    dimension_accuracy: float = 0.0
    """Share of matches with the gold dimension (matching itself compares normalised values only)."""
    mistakes: tuple[QuantityMistake, ...] = field(default=(), repr=False)

    def to_dict(self) -> dict[str, float | int]:
        """Rounded, JSON-ready view (mistakes left out)."""
        names: tuple[str, ...] = ("precision", "recall", "f1", "value_accuracy", "counted_accuracy")
        names += ("dimension_accuracy", "items", "articles", "predicted")
        return {name: round(getattr(self, name), 4) for name in names}


def _same_noun(a: str | None, b: str | None) -> bool:
    def key(noun: str | None) -> str | None:
        return None if noun is None else re.sub(r"(?:'s|’s|s)$", "", noun.lower())

    return key(a) == key(b)


def _equal_values(a: float | None, b: float) -> bool:
    if a is None:
        return False
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1.0)


@dataclass(slots=True)
class _Tally:
    """Running counts over the gold set."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    overlapping: int = 0
    same_counted: int = 0
    same_dimension: int = 0
    mistakes: list[QuantityMistake] = field(default_factory=list)


def _score_article(record: dict[str, Any], text: str, tally: _Tally) -> None:
    """Match one article's predictions to its gold quantities (each prediction matches at most one)."""
    dataset, article_id = record["dataset"], record["id"]
    predictions = extract_quantities(text)
    tally.predicted += len(predictions)
    used: set[int] = set()
    for gold in record["quantities"]:
        tally.gold += 1
        gold_normalized = normalize(gold["value"], gold["unit"], gold["dimension"])
        overlaps = [i for i, p in enumerate(predictions) if p.start < gold["end"] and gold["start"] < p.end]
        tally.overlapping += bool(overlaps)
        equal = [i for i in overlaps if i not in used and _equal_values(predictions[i].normalized, gold_normalized)]
        if not equal:
            shown = [f"{predictions[i].text!r}={predictions[i].normalized}" for i in overlaps]
            detail = f"{text[gold['start'] : gold['end']]!r}={gold_normalized} got {shown}"
            tally.mistakes.append(QuantityMistake(dataset, article_id, "missed", gold["start"], gold["end"], detail))
            continue
        hit = predictions[equal[0]]
        used.add(equal[0])
        tally.matched += 1
        if hit.dimension == gold["dimension"]:
            tally.same_dimension += 1
        else:
            detail = f"{hit.text!r}: {hit.dimension!r} != {gold['dimension']!r}"
            tally.mistakes.append(QuantityMistake(dataset, article_id, "dimension", gold["start"], gold["end"], detail))
        if _same_noun(hit.counted, gold["counted"]):
            tally.same_counted += 1
        else:
            detail = f"{hit.text!r}: {hit.counted!r} != {gold['counted']!r}"
            tally.mistakes.append(QuantityMistake(dataset, article_id, "counted", gold["start"], gold["end"], detail))
    for i, prediction in enumerate(predictions):
        if i not in used:
            detail = f"{prediction.text!r}={prediction.normalized} {prediction.dimension}"
            tally.mistakes.append(
                QuantityMistake(dataset, article_id, "spurious", prediction.start, prediction.end, detail)
            )


def evaluate_quantities(gold_path: str | Path, data_root: str | Path) -> QuantityScores:
    """Score `extract_quantities` on a gold file of offsets into the articles under `data_root`.

    A prediction matches a gold quantity when the spans overlap and the normalised values are equal; precision,
    recall and F1 count matches; `value_accuracy` is the share of gold quantities with an overlapping prediction
    whose value is right; `counted_accuracy` the share of matches with the right counted noun.
    """
    lines = Path(gold_path).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    wanted: dict[str, set[str]] = {}
    for record in records:
        wanted.setdefault(record["dataset"], set()).add(record["id"])
    texts = load_texts(Path(data_root), wanted)
    tally = _Tally()
    for record in records:
        _score_article(record, texts[(record["dataset"], record["id"])], tally)
    precision = tally.matched / tally.predicted if tally.predicted else 0.0
    recall = tally.matched / tally.gold if tally.gold else 0.0
    return QuantityScores(
        precision=precision,
        recall=recall,
        f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        value_accuracy=tally.matched / tally.overlapping if tally.overlapping else 0.0,
        counted_accuracy=tally.same_counted / tally.matched if tally.matched else 0.0,
        items=tally.gold,
        articles=len(records),
        predicted=tally.predicted,
        dimension_accuracy=tally.same_dimension / tally.matched if tally.matched else 0.0,
        mistakes=tuple(tally.mistakes),
    )
