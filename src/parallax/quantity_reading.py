"""Reading one number found by `NUMBER`: its value, unit, range, counted noun and qualifier, and the checks that
leave out numbers that are not amounts (years, dates, clock times, identifiers, URLs) (`quantities.rules.v1`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parallax.quantity_lexicon import (
    ABBREVIATED_SCALES,
    AGE_UNIT,
    COUNT_STOPWORDS,
    CURRENCY_SIGNS,
    CURRENCY_WORDS,
    DENOMINATORS,
    FRACTION_UNIT,
    IRREGULAR_PLURALS,
    MAX_AGE,
    NOUN_MODIFIERS,
    QUALIFIER_KIND,
    SCALES,
    SMALL_NUMBERS,
    SPELLINGS,
    TENS,
    UNITS,
)
from parallax.quantity_patterns import (
    AGE_NAME_BEFORE,
    AGE_PHRASE_BEFORE,
    AND_A_HALF,
    BETWEEN_BEFORE,
    FRACTION,
    FROM_BEFORE,
    HYPHEN_NOUN,
    HYPHENATED_ID_BEFORE,
    LOOKBEHIND,
    MONTH_AFTER,
    MONTH_BEFORE,
    NUMBER,
    OF_DETERMINER,
    QUALIFIER_BEFORE,
    RANGE,
    TIME_AFTER,
    TOKEN_BREAKS,
    TOKEN_FURNITURE,
    UNIT,
    WORD,
    YEAR_OR_CODE,
)
from parallax.quantity_value import Quantity, normalize

__all__ = [
    "Reading",
    "counted_after",
    "extend_range",
    "finish",
    "is_bare_age",
    "is_excluded",
    "qualify",
    "read_number",
    "unit_after",
]


@dataclass(slots=True)
class Reading:
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


_WORD_SEPARATOR = re.compile(r"[- ]")
_SCALE_WORD = re.compile(r"[a-z]+")


def _number_value(match: re.Match[str]) -> float | None:
    if match["digits"]:
        value = float(match["digits"].replace(",", ""))
    elif match["words"]:
        parts = _WORD_SEPARATOR.split(match["words"].lower())
        value = float(sum(TENS.get(part, SMALL_NUMBERS.get(part, 0)) for part in parts))
    else:
        value = 1.0
    if match["scales"]:
        for scale in _SCALE_WORD.findall(match["scales"].lower()):
            value *= SCALES[scale]
    if match["abbr"]:
        if not match["currency"]:
            return None
        value *= ABBREVIATED_SCALES[match["abbr"].lower()]
    return value


def unit_after(text: str, reading: Reading, scaled: bool) -> None:
    unit_match = UNIT.match(text, reading.end)
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
        reading.unit = SPELLINGS[spelling]
        reading.dimension = UNITS[reading.unit][0]
        if unit_match["old"] and reading.unit == AGE_UNIT:
            reading.dimension = "age"
    reading.end = unit_match.end()


def read_number(text: str, match: re.Match[str]) -> Reading | None:
    value = _number_value(match)
    if value is None:
        return None
    reading = Reading(match.start(), match.end(), value)
    if match["digits"] and text.startswith("+", reading.end) and not match["scales"]:
        reading.end += 1  # "20+ organizations"
        reading.qualifier = "more_than"
    if match["currency"]:
        reading.unit, reading.dimension = CURRENCY_SIGNS[match["currency"].upper()], "money"
        return reading
    fraction = FRACTION.match(text, reading.end) if not match["scales"] else None
    if fraction is not None:
        if match["article"] and not text.startswith(" of", fraction.end()):
            return None  # "a third round" is an ordinal, "a third of voters" a fraction
        reading.value /= DENOMINATORS[fraction["den"].lower()]
        reading.unit, reading.dimension, reading.end = FRACTION_UNIT, "percent", fraction.end()
        return reading
    if match["article"] and not match["scales"]:
        return None
    and_a_half = AND_A_HALF.match(text, reading.end)
    if and_a_half is not None and not match["scales"]:
        reading.value += 0.5
        reading.end = and_a_half.end()
    unit_after(text, reading, scaled=bool(match["scales"]))
    if reading.unit is None:
        hyphen_noun = HYPHEN_NOUN.match(text, reading.end)
        if hyphen_noun is not None:  # "13-star flag", "30-round magazines"
            reading.counted, reading.end = hyphen_noun["noun"], hyphen_noun.end()
    reading.is_plain_one = (
        match["words"] is not None and match["words"].lower() == "one" and not match["scales"] and reading.unit is None
    )
    return reading


def is_excluded(text: str, reading: Reading, match: re.Match[str]) -> bool:
    """Years, dates, times, identifiers, URLs, a bare "one": numbers that are not amounts."""
    after = text[reading.end : reading.end + 2]
    return (
        reading.is_plain_one
        or (match["digits"] is not None and _is_excluded_digits(text, reading, match))
        or MONTH_AFTER.match(text, reading.end) is not None
        or after[:1].isalnum()  # "5G", "1990s", "15th"
        or (after[:1] == "-" and after[1:].isupper())  # "1-Y"
    )


def _is_excluded_digits(text: str, reading: Reading, match: re.Match[str]) -> bool:
    digits, start, end = match["digits"], match.start("digits"), match.end("digits")
    before = text[max(0, start - LOOKBEHIND) : start]
    is_year_like = len(digits) == 4 and digits.isdigit() and 1000 <= int(digits) <= 2100
    is_title = before.endswith(("'", "’", '"', "“")) and reading.unit is not None and text[end + 1 : end + 2].isupper()
    return (
        (is_year_like and reading.unit is None)
        or is_title  # CBS' "60 Minutes"
        or HYPHENATED_ID_BEFORE.search(before) is not None
        or MONTH_BEFORE.search(before) is not None
        or text.startswith(":", end)
        or TIME_AFTER.match(text, end) is not None
        or _is_in_token_furniture(text, start, reading.end)
    )


def _is_in_token_furniture(text: str, start: int, end: int) -> bool:
    token_start = start
    while token_start > 0 and text[token_start - 1] not in TOKEN_BREAKS and start - token_start < LOOKBEHIND:
        token_start -= 1
    token_end = end
    while token_end < len(text) and text[token_end] not in TOKEN_BREAKS and token_end - end < LOOKBEHIND:
        token_end += 1
    return TOKEN_FURNITURE.search(text, token_start, token_end) is not None


def extend_range(text: str, reading: Reading, before: str) -> None:
    """Join "27-29%", "$76 billion to $87 billion", "between 20 and 30" into one ranged quantity."""
    connector = RANGE.match(text, reading.end)
    if connector is None or FROM_BEFORE.search(before):
        return
    if connector.group().strip().startswith("and") and not BETWEEN_BEFORE.search(before):
        return
    second_match = NUMBER.match(text, connector.end())
    if second_match is None or not (second_match["digits"] or second_match["words"]):
        return
    second = read_number(text, second_match)
    if second is None or second.value <= reading.value or second.is_plain_one:
        return
    if reading.unit and second.unit and reading.unit != second.unit:
        return
    second_digits = second_match["digits"] or ""
    if (
        reading.unit is None
        and second.unit is None
        and reading.counted is None
        and YEAR_OR_CODE.fullmatch(second_digits)
    ):
        return  # "1967 to 2011", phone numbers
    reading.low, reading.high, reading.end = reading.value, second.value, second.end
    reading.unit, reading.dimension = reading.unit or second.unit, reading.dimension or second.dimension
    reading.counted = reading.counted or second.counted


def _looks_plural(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ous"))


def counted_after(text: str, position: int) -> str | None:
    """The noun a count counts: the first plural-looking word among the next three, before any stop word."""
    of_phrase = OF_DETERMINER.match(text, position)
    if of_phrase is not None:
        position = of_phrase.end()
    for _ in range(3):
        word_match = WORD.match(text, position)
        if word_match is None:
            return None
        word = word_match["word"]
        lower = word.lower()
        if lower in COUNT_STOPWORDS:
            return None
        if lower in IRREGULAR_PLURALS or _looks_plural(lower):
            following = WORD.match(text, word_match.end())
            if lower in NOUN_MODIFIERS and following is not None and _looks_plural(following["word"].lower()):
                return following["word"]
            return word
        position = word_match.end()
    return None


def qualify(text: str, reading: Reading) -> None:
    if reading.qualifier is not None:
        return
    before = text[max(0, reading.start - LOOKBEHIND) : reading.start]
    qualifier = QUALIFIER_BEFORE.search(before)
    if qualifier is not None:
        reading.qualifier = QUALIFIER_KIND[qualifier["qualifier"].lower()]
        reading.start -= len(before) - qualifier.start()


def finish(text: str, reading: Reading) -> Quantity:
    if reading.dimension is None:
        reading.dimension = "count"
    if reading.dimension == "age":
        reading.unit = AGE_UNIT
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


def is_bare_age(text: str, reading: Reading, before: str) -> bool:
    """ "Gillibrand, 52, joins", "Brown, now 30,", "when she was 16", "at the age of 16"."""
    if reading.value > MAX_AGE or reading.value != int(reading.value):
        return False
    if AGE_PHRASE_BEFORE.search(before):
        return True
    return AGE_NAME_BEFORE.search(before) is not None and text.startswith((",", ")"), reading.end)
