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

Layout: `parallax.quantity_lexicon` holds the words and units, `parallax.quantity_patterns` the compiled patterns
and the scan for where an amount can begin, `parallax.quantity_reading` the reading of one number,
`parallax.quantity_value` the `Quantity` value; `parallax.evaluate_quantities` scores the extractor on the gold set.

Speed: the patterns are tried only where an amount can begin (a digit run, a currency sign, a number word, a scale
plural, "half"), found by fast scans of the case-folded text, instead of at every character; then short anchored
matches at each number. 0.9 ms per article on the first 1,000 clean `allsides_baly_bias` texts, against 3.3 ms for
the whole-text scan in the same run (same output; a shared 2-core machine, so figures are noisy).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from parallax.quantity_lexicon import (
    AGE_UNIT,
    CURRENCY_WORDS,
    FRACTION_UNIT,
    FURNITURE_NOUNS,
    VAGUE_OUTER,
    VAGUE_PLURALS,
    VAGUE_UPPER_FACTOR,
)
from parallax.quantity_patterns import (
    HALF,
    HALF_DOZEN,
    LOOKBEHIND,
    NAME_BEFORE,
    NUMBER,
    QUALIFIER_BEFORE,
    VAGUE,
    case_folded,
    half_starts,
    matches_at,
    number_starts,
    vague_starts,
)
from parallax.quantity_reading import (
    Reading,
    counted_after,
    extend_range,
    finish,
    is_bare_age,
    is_excluded,
    qualify,
    read_number,
    unit_after,
)
from parallax.quantity_value import Quantity, normalize, same_amount

__all__ = ["METHOD", "Quantity", "extract_quantities", "normalize", "same_amount"]

METHOD = "quantities.rules.v1"
"""Versioned name of this extractor, stored with its outputs."""


def _numbers(text: str, folded: str) -> Iterator[Quantity]:
    consumed = 0
    for match in matches_at(NUMBER, text, number_starts(text, folded)):
        if match.start() < consumed:
            continue
        reading = read_number(text, match)
        if reading is None:
            continue
        before = text[max(0, reading.start - LOOKBEHIND) : reading.start]
        if reading.unit != FRACTION_UNIT:
            extend_range(text, reading, before)
        if is_excluded(text, reading, match):
            consumed = max(consumed, reading.end)
            continue
        if reading.dimension is None and reading.counted is None:
            reading.counted = counted_after(text, reading.end)
            if reading.counted is not None and reading.counted.lower() in FURNITURE_NOUNS:
                continue
            if reading.counted is None and match["digits"] and is_bare_age(text, reading, before):
                reading.dimension, reading.unit = "age", AGE_UNIT
            elif reading.counted is None and match["digits"] and NAME_BEFORE.search(before):
                continue  # a bare number after a name is part of it: "Air Max 1", "S&P 500"
        if text.startswith("(-", reading.start - 2):
            reading.value = -reading.value
            reading.start -= 1
        qualify(text, reading)
        consumed = reading.end
        yield finish(text, reading)


def _vague(text: str, folded: str) -> Iterator[Quantity]:
    for match in matches_at(VAGUE, text, vague_starts(folded)):
        inner = VAGUE_PLURALS[match["inner"].lower()]
        outer = VAGUE_OUTER[match["outer"].lower()] if match["outer"] else 1.0
        upper = (12.0 if inner == 12.0 else VAGUE_UPPER_FACTOR) * inner * outer - 1
        reading = Reading(match.start(), match.end(), 2 * inner * outer, low=2 * inner * outer, high=upper)
        reading.qualifier = "vague"
        tail = text[match.end() : match.end() + 30].lower()
        currency = re.match(r"\s+of\s+(?:\w+\s+)?(dollars|euros)\b", tail)
        if currency:
            reading.unit, reading.dimension = CURRENCY_WORDS[currency[1]], "money"
        else:
            reading.counted = counted_after(text, match.end())
        before_qualifier = Reading(reading.start, reading.end, 0.0)
        qualify(text, before_qualifier)
        reading.start = before_qualifier.start
        yield finish(text, reading)


def _half_quantities(text: str, folded: str) -> Iterator[Quantity]:
    """ "half a ton", "a half-century" (a unit); "half of", "half the", "in half", "nearly half" (a fraction)."""
    for match in matches_at(HALF, text, half_starts(folded)):
        reading = Reading(match.start(), match.start() + 4, 0.5)
        probe = Reading(match.start(), match.end() - (1 if match.group().endswith((" ", "-")) else 0), 0.5)
        half_dozen = HALF_DOZEN.match(text, reading.end)
        if half_dozen is not None:  # "half a dozen states"
            probe = Reading(reading.start, half_dozen.end(), 6.0, counted=counted_after(text, half_dozen.end()))
            qualify(text, probe)
            yield finish(text, probe)
            continue
        unit_after(text, probe, scaled=False)
        if probe.unit is not None and probe.dimension != "money":
            yield finish(text, probe)
            continue
        before = text[max(0, reading.start - LOOKBEHIND) : reading.start].lower()
        after = text[reading.end : reading.end + 6].lower()
        ordinal_like = re.search(r"\b(?:first|second|last|other|the|a|and a)\s+\Z", before)
        if ordinal_like or not (
            re.match(r"\s+(?:of|the|an?|his|her|their|its)\b", after)
            or re.search(r"\bin\s+\Z", before)
            or QUALIFIER_BEFORE.search(before)
        ):
            continue
        reading.unit, reading.dimension = FRACTION_UNIT, "percent"
        if before.endswith("in "):
            reading.start -= 3
        qualify(text, reading)
        yield finish(text, reading)


def extract_quantities(text: str) -> list[Quantity]:
    """Return the quantities in `text`, in order, without overlaps, with exact offsets.

    >>> [(q.value, q.unit, q.counted) for q in extract_quantities("More than 100 people fled for six weeks.")]
    [(100.0, None, 'people'), (6.0, 'week', None)]
    """
    if not isinstance(text, str):
        raise TypeError(f"extract_quantities takes a str, not {type(text).__name__}")
    folded = case_folded(text)
    found = [*_numbers(text, folded), *_vague(text, folded), *_half_quantities(text, folded)]
    found.sort(key=lambda quantity: (quantity.start, -quantity.end))
    kept: list[Quantity] = []
    for quantity in found:
        if kept and quantity.start < kept[-1].end:
            continue
        kept.append(quantity)
    return kept
