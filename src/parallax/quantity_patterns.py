"""Compiled patterns of the quantity extractor (`quantities.rules.v1`) and the scan for where an amount can begin.

`NUMBER` reads one number with its currency sign and scale words; the `..._BEFORE` and `..._AFTER` patterns are
short anchored checks around it. Scanning the whole text with `NUMBER`, `VAGUE` and `HALF` was most of the
extractor's cost, so `number_starts`, `vague_starts` and `half_starts` list the few positions where a match can
begin (a digit run, a currency sign, a number word, "a" before a scale word, a scale plural, "half"), found by
fast scans of the case-folded text, and `matches_at` tries a pattern only there. Every match the full scan
finds begins at a listed position (extra positions only cost a failed match), so the matches are the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from parallax.quantity_lexicon import (
    ABBREVIATED_SCALES,
    CURRENCY_SIGNS,
    CURRENCY_WORDS,
    DENOMINATORS,
    QUALIFIER_KIND,
    SCALES,
    SMALL_NUMBERS,
    SPELLINGS,
    TENS,
    VAGUE_OUTER,
    VAGUE_PLURALS,
)

__all__ = [
    "AGE_NAME_BEFORE",
    "AGE_PHRASE_BEFORE",
    "AND_A_HALF",
    "BETWEEN_BEFORE",
    "FRACTION",
    "FROM_BEFORE",
    "HALF",
    "HALF_DOZEN",
    "HYPHENATED_ID_BEFORE",
    "HYPHEN_NOUN",
    "LOOKBEHIND",
    "MONTH_AFTER",
    "MONTH_BEFORE",
    "NAME_BEFORE",
    "NUMBER",
    "OF_DETERMINER",
    "QUALIFIER_BEFORE",
    "RANGE",
    "TIME_AFTER",
    "TOKEN_BREAKS",
    "TOKEN_FURNITURE",
    "UNIT",
    "VAGUE",
    "WORD",
    "YEAR_OR_CODE",
    "case_folded",
    "half_starts",
    "matches_at",
    "number_starts",
    "vague_starts",
]


def _alternation(words: object) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


_WORD_NUMBER = rf"(?:{_alternation(TENS)})(?:[- ](?:{_alternation(set(SMALL_NUMBERS) - {'zero'})}))?"
_WORD_NUMBER += rf"|{_alternation(SMALL_NUMBERS)}"
NUMBER = re.compile(
    rf"(?:(?P<currency>{_alternation(CURRENCY_SIGNS)})\s?)?"
    r"(?:(?<![\w.])(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"|\b(?P<words>{_WORD_NUMBER})\b"
    rf"|\b(?P<article>a)(?=\s+(?:{_alternation(SCALES)}|third|quarter)\b))"
    rf"(?P<scales>(?:[\s-]+(?:{_alternation(SCALES)})\b)*)"
    rf"(?:\s?(?P<abbr>{_alternation(ABBREVIATED_SCALES)})\b)?",
    re.IGNORECASE,
)
VAGUE = re.compile(
    rf"\b(?:(?P<outer>{_alternation(VAGUE_OUTER)})\s+of\s+)?(?P<inner>{_alternation(VAGUE_PLURALS)})\b", re.IGNORECASE
)
HALF_DOZEN = re.compile(r"\s+a\s+dozen\b", re.IGNORECASE)
HALF = re.compile(r"\bhalf\b(?:[- ](?:an?\s+)?)?", re.IGNORECASE)
UNIT = re.compile(
    rf"(?:[\s-]?|\s?-\s?)(?P<unit>{_alternation(SPELLINGS)}|{_alternation(CURRENCY_WORDS)})(?![\w%])"
    r"(?P<old>\s?-?\s?olds?\b)?(?:-(?:wide|long|high|deep|tall)\b)?",
    re.IGNORECASE,
)
FRACTION = re.compile(rf"[- ](?P<den>{_alternation(DENOMINATORS)})\b", re.IGNORECASE)
YEAR_OR_CODE = re.compile(r"\d{4,}")
AND_A_HALF = re.compile(r"\s+and\s+a\s+half\b", re.IGNORECASE)
HYPHEN_NOUN = re.compile(r"-(?P<noun>[a-z]{2,})\b")
RANGE = re.compile(r"\s*(?:[-–]\s*to\b|to\b|[-–]|and\b)[-\s]*")
_MONTHS = r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?"
_MONTHS += r"|Nov(?:ember)?|Dec(?:ember)?"
MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s+\Z")
MONTH_AFTER = re.compile(rf"(?:st|nd|rd|th)?,?\s+(?:{_MONTHS})\b")
TIME_AFTER = re.compile(r"\s?(?:[ap]\.m\.|[ap]m\b)", re.IGNORECASE)
QUALIFIER_BEFORE = re.compile(rf"\b(?P<qualifier>{_alternation(QUALIFIER_KIND)})\s+\Z", re.IGNORECASE)
FROM_BEFORE = re.compile(r"\bfrom\s+(?:\S+\s+){0,2}\Z", re.IGNORECASE)
BETWEEN_BEFORE = re.compile(r"\bbetween\s+\Z", re.IGNORECASE)
NAME_BEFORE = re.compile(r"[A-Z][\w&'’.]*\s\Z")
AGE_NAME_BEFORE = re.compile(r"[A-Z][A-Za-z'’.-]*,{1,2}\s(?:now\s|then\s)?\Z")
AGE_PHRASE_BEFORE = re.compile(r"\b(?:aged|age of|(?:he|she|I|who) (?:was|is|turned|turns))\s\Z", re.IGNORECASE)
HYPHENATED_ID_BEFORE = re.compile(r"(?:[A-Za-z]-|\d[-–/]|[/:])\Z")
TOKEN_FURNITURE = re.compile(r"[/@#_=]|http|www\.")
TOKEN_BREAKS = frozenset(" \t\n\r()")
"""Characters that end the token a number sits in, for the URL and handle check: "(-99,000).https://..." was
joined from a tweet and a link, and the amount inside the parentheses is still an amount."""
WORD = re.compile(r"\s+(?P<word>[A-Za-z][\w'’]*(?:\.[A-Za-z]\.?)*)")
OF_DETERMINER = re.compile(r"\s+of(?:\s+(?:the|these|those|its|their|his|her|our|your|my))?(?=\s)")
LOOKBEHIND = 40
"""Characters before a number searched for a qualifier, a month or a name: longer than any such phrase."""

_CURRENCY_SIGN = re.compile(r"[$€£¥]")
_CURRENCY_PREFIX = max(len(sign) for sign in CURRENCY_SIGNS) - 1
"""Letters a currency sign can start with before its "$" ("HK$"): a match may begin that far before the "$"."""
_DIGITS = re.compile(r"\d+")


def _prefix_tree(words: Iterable[str]) -> str:
    """An alternation of `words` as a prefix tree ("t(?:en|w(?:elve|o))"): the regex engine then tries a few first
    letters at each position instead of every word."""
    distinct = sorted(set(words))
    if distinct == [""]:
        return ""
    optional = "" in distinct
    branches: dict[str, list[str]] = {}
    for word in distinct:
        if word:
            branches.setdefault(word[0], []).append(word[1:])
    alternatives = [re.escape(first) + _prefix_tree(rests) for first, rests in branches.items()]
    body = alternatives[0] if len(alternatives) == 1 and not optional else "(?:" + "|".join(alternatives) + ")"
    return body + "?" if optional else body


_NUMBER_WORD_START = re.compile(
    rf"\b(?:{_prefix_tree(set(TENS) | set(SMALL_NUMBERS))}|a(?=\s+(?:{_alternation(SCALES)}|third|quarter)\b))"
)
"""Where `NUMBER`'s words begin, in case-folded text: a number word, or "a" before a scale or fraction word."""
_VAGUE_INNER = tuple(VAGUE_PLURALS)
_VAGUE_OUTER_ONLY = tuple(set(VAGUE_OUTER) - set(VAGUE_PLURALS))


def _find_all(haystack: str, needle: str) -> list[int]:
    """Every position where `needle` occurs in `haystack`, overlapping ones included (a fast substring search)."""
    positions: list[int] = []
    position = haystack.find(needle)
    while position >= 0:
        positions.append(position)
        position = haystack.find(needle, position + 1)
    return positions


def case_folded(text: str) -> str:
    """`text` with every character as `re.IGNORECASE` compares it to ASCII letters, one for one, so offsets hold.

    `str.lower` maps "İ" to two characters (folded here to "i"), and leaves the dotless "ı" and the long "ſ" that
    IGNORECASE matches to "i" and "s" (folded here too)."""
    folded = text.lower()
    if len(folded) != len(text):
        folded = "".join(character.lower()[:1] for character in text)
    if "ı" in folded or "ſ" in folded:
        folded = folded.replace("ı", "i").replace("ſ", "s")
    return folded


def number_starts(text: str, folded: str) -> list[int]:
    """Positions where a `NUMBER` match can begin: digit runs, currency signs (and the letters of "HK$" before a
    "$"), number words and "a" before a scale or fraction word."""
    starts = {match.start() for match in _DIGITS.finditer(text)}
    for sign in _CURRENCY_SIGN.finditer(text):
        position = sign.start()
        first = position - _CURRENCY_PREFIX if sign.group() == "$" else position
        starts.update(range(max(0, first), position + 1))
    starts.update(match.start() for match in _NUMBER_WORD_START.finditer(folded))
    return sorted(starts)


def vague_starts(folded: str) -> list[int]:
    """Positions where a `VAGUE` match can begin ("tens of thousands", "dozens"); none without a scale plural."""
    starts = [position for word in _VAGUE_INNER for position in _find_all(folded, word)]
    if not starts:
        return []
    starts.extend(position for word in _VAGUE_OUTER_ONLY for position in _find_all(folded, word))
    return sorted(starts)


def half_starts(folded: str) -> list[int]:
    """Positions where a `HALF` match can begin."""
    return _find_all(folded, "half")


def matches_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> list[re.Match[str]]:
    """What `pattern.finditer(text)` finds, given every position where a match can begin (in order)."""
    matches: list[re.Match[str]] = []
    resume = 0
    for position in starts:
        if position < resume:
            continue
        match = pattern.match(text, position)
        if match is not None:
            matches.append(match)
            resume = match.end()
    return matches
