"""Where the quotations, paragraphs and sentences of a text lie, for the quote rules (`quotes.rules.v1`).

Quote marks are paired per paragraph (straight, curly, low-high and guillemets; curly marks nest; mixed
`“…"` pairs too), and a quotation left open at a paragraph's end continues when the next paragraph opens with a
quote mark. Sentences end at end punctuation followed by a capital (abbreviations kept) and at line breaks.
Every span is computed once per text and looked up by bisection. An implementation module of `parallax.quotes`.
"""

from __future__ import annotations

import bisect
import operator
import re

from parallax.quote_patterns import ABBREVIATIONS

__all__ = ["containing", "inside", "paragraph_gap", "quoted_spans", "sentences"]

Span = tuple[int, int]
_START = operator.itemgetter(0)

_LINE_BREAK = re.compile(r"\n\s*\n|\n")
_NON_SPACE = re.compile(r"\S")
_QUOTE_MARK = re.compile('["“”„«»]')
_LOOSE_CLOSERS = frozenset('"”“')
_OPENERS = {'"': '"', "“": "”", "„": "“", "«": "»"}
_SENTENCE_END = re.compile(r"[.!?…\n](?:(?<=[.!?…])[.!?…]*[\"”’»)]*(?=\s+[\"“‘«„(]?[A-Z\d]|\s*$)|(?<=\n)\s*)")
"""End punctuation before a capital, or a line break with the blank space after it. Opening with one character
class lets the regex engine skip to the next candidate character in its fast scan loop."""
_WORD_BEFORE_PERIOD = re.compile(r"([\w.]+)\.$")
_LONGEST_ABBREVIATION = max(len(word) for word in ABBREVIATIONS) + 1
_ABBREVIATION_REACH = 12
"""How far back from a period the abbreviation check looks (longer words are not abbreviations)."""


def _paragraphs(text: str) -> list[Span]:
    spans, pos = [], 0
    for match in _LINE_BREAK.finditer(text):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if _NON_SPACE.search(text, s, e)]


def quoted_spans(text: str) -> list[Span]:
    """Return (start, end) of the content of each top-level quotation, continued across paragraphs."""
    spans: list[Span] = []
    open_at: int | None = None
    opener = closer = ""
    nested = 0
    previous_end = 0
    for para_start, para_end in _paragraphs(text):
        pos = para_start
        if open_at is not None:
            first = _NON_SPACE.search(text, para_start, para_end)
            lead = first.start() if first else para_start
            if text[lead] in _OPENERS:  # a quotation continued: the reopening mark lies inside the span
                pos, opener, closer, nested = lead + 1, text[lead], _OPENERS[text[lead]], 0
            else:
                spans.append((open_at, _trim_end(text, open_at, previous_end)))
                open_at = None
        for mark in _QUOTE_MARK.finditer(text, pos, para_end):
            pos, char = mark.start(), mark.group()
            if open_at is None:
                if char in _OPENERS and (char != '"' or _opens(text, pos)):
                    open_at, opener, closer, nested = pos + 1, char, _OPENERS[char], 0
            elif (char == closer or (char in _LOOSE_CLOSERS and closer in _LOOSE_CLOSERS)) and (
                char != '"' or _closes(text, pos)
            ):  # mixed marks (“…" or "…”) are common in scraped text
                if nested:
                    nested -= 1
                else:
                    spans.append((open_at, pos))
                    open_at = None
            elif char == opener and opener != '"':
                nested += 1
        previous_end = para_end
    if open_at is not None:
        spans.append((open_at, _trim_end(text, open_at, len(text))))
    return [(s, e) for s, e in spans if e > s]


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t\n":
        end -= 1
    return end


def _opens(text: str, pos: int) -> bool:
    return pos + 1 < len(text) and not text[pos + 1].isspace() and (pos == 0 or not text[pos - 1].isalnum())


def _closes(text: str, pos: int) -> bool:
    return pos > 0 and not text[pos - 1].isspace()


def sentences(text: str) -> list[Span]:
    """Split into sentences at end punctuation followed by a capital (abbreviations kept) and at line breaks."""
    bounds, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        stop, after = match.span()
        mark = text[stop]
        if mark != "\n":
            if mark == "." and _after_abbreviation(text, stop):
                continue
            stop = after
        sentence = text[start:stop]
        stripped = sentence.lstrip()
        if stripped.rstrip():
            bounds.append((stop - len(stripped), stop))
        start = after
    rest = text[start:].lstrip()
    if rest.rstrip():
        bounds.append((len(text) - len(rest), len(text.rstrip())))
    return bounds


def _after_abbreviation(text: str, period: int) -> bool:
    if period >= _LONGEST_ABBREVIATION and text[period - _LONGEST_ABBREVIATION : period].isalnum():
        return False  # the word before is longer than any abbreviation: the common case, told without a search
    word = _WORD_BEFORE_PERIOD.search(text, max(0, period - _ABBREVIATION_REACH), period + 1)
    if word is None:
        return False
    found = word.group(1)
    return found.lower().rstrip(".") in ABBREVIATIONS or (len(found) == 1 and "A" <= found <= "Z")


def containing(bounds: list[Span], pos: int) -> Span:
    """The span of sorted, disjoint `bounds` that holds a position, else the empty span (pos, pos)."""
    index = bisect.bisect_right(bounds, pos, key=_START) - 1
    if index >= 0 and pos < bounds[index][1]:
        return bounds[index]
    return pos, pos


def inside(spans: list[Span], pos: int) -> bool:
    """Whether a position lies in one of the sorted, disjoint spans."""
    index = bisect.bisect_right(spans, pos, key=_START) - 1
    return index >= 0 and pos < spans[index][1]


def paragraph_gap(text: str, end: int, start: int) -> int:
    """How many line breaks (a blank line counting as one) lie between two positions."""
    return len(_LINE_BREAK.findall(text, end, start))
