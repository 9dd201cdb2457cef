"""Names the gazetteer does not know, from runs of capitalised words (`entities.rules.v1`).

A run is an organisation when it ends in an organisation word ("Labour Party", "Ministry of Digital Affairs"),
a place when it ends in a place word or starts with a compass word ("Peace Avenue", "East Jerusalem"), and a
person when titled ("Defense Secretary Robert M. Gates", "Mr. Podolsky") or two or three name-like words; a
bare capitalised title after "the" ("the President") is kept to be linked to its last holder. Runs inside Title
Case headlines, names of events ("Korean War") and runs followed by a number are no names.

What a run is, apart from what surrounds it, is a pure function of its words and is cached (`_shape`), since
the same runs ("The", "Trump", "White House") come back in every article.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from parallax.entity_rules import NAME_NEXT, Candidate
from parallax.entity_words import (
    BARE_TITLES,
    COMPASS,
    EVENT_SUFFIXES,
    HONORIFICS,
    ORG_SUFFIXES,
    PLACE_SUFFIXES,
    STOP_WORDS,
    TITLES,
)

__all__ = ["HEADLINE_SHARE", "heuristic_candidates"]

_WORD = r"(?:(?:al|el)-)?[A-Z](?:[\w.-]|['’](?![sS]\b))*"
_JOIN = r"(?:[ ](?:of the|of|for|de|da|du|la|le|van|von der|von|der|bin|ibn)(?=[ ][A-Z]))?[ ]"
_NAME_RUN = re.compile(
    r"[A-Zae](?<![\w'’@#-].)(?:(?<=[ae])l-[A-Z]|(?<=[A-Z]))(?:[\w.-]|['’](?![sS]\b))*" + rf"(?:{_JOIN}{_WORD})*"
)
"""A run: a `_WORD` after no letter, digit, apostrophe, "@", "#" or "-", then more words, each after a space or a
joining word. The first word is written to open with one character class, which lets Python's engine skip the
other characters in C (35% faster than opening with the look-behind)."""
_INITIALISM = re.compile(r"(?:[A-Z]\.)+$")
_PERSON_WORD = re.compile(r"(?:(?:al|el)-)?[A-Z][^\W\d_]*(?:['’.-][^\W\d_]*)*|of|de|da|du|la|le|van|von|der|bin|ibn")
_SENTENCE_END = re.compile(r"(?<=[a-z\d]{2}\.) ")
_NUMBER_NEXT = re.compile(r"\s+\d")
_ASCII_CAPITAL = re.compile(r"[A-Z]")

HEADLINE_SHARE = 0.7
"""Share of capitalised words above which a line of 4+ words is a Title Case headline, where every word is
capitalised and capitalisation says nothing about names (set by eye on headlines of allsides_neus and newswcl50)."""


@dataclass(slots=True, frozen=True)
class _Shape:
    """What a run of capitalised words is, whatever surrounds it."""

    kind: Literal["organisation", "place", "person", "bare title", "none"]
    offset: int = 0
    """Where the name starts in the run (after leading stop words and titles)."""
    name: str = ""
    titles: tuple[str, ...] = ()
    words: int = 0


def _trim(words: list[str], start: int) -> tuple[list[str], int, list[str]]:
    """Drop stop words and titles from the front of a run and stop words from its end; return the titles."""
    titles: list[str] = []
    while words and (words[0] in STOP_WORDS or words[0] in HONORIFICS or words[0] in TITLES or words[0] == "of"):
        if words[0] not in STOP_WORDS:
            titles.append(words[0])
        start += len(words[0]) + 1
        words = words[1:]
    if words and words[-1].endswith(".") and not _INITIALISM.fullmatch(words[-1]) and words[-1] not in ORG_SUFFIXES:
        words[-1] = words[-1][:-1]
    while words and (words[-1] in STOP_WORDS or words[-1] in ("of", "the", "for")):
        words = words[:-1]
    return words, start, titles


def _organisation_or_place(fragment: str) -> _Shape | None:
    """A run ending in an organisation or place word ("Commerce Ministry", "Peace House", "East Jerusalem")."""
    words = fragment.split(" ")
    start = 0
    while words and words[0] in STOP_WORDS:
        start += len(words[0]) + 1
        words = words[1:]
    if len(words) < 2 or words[-1] in EVENT_SUFFIXES:
        return None
    name = " ".join(words)
    joined = any(w in ("of", "for") for w in words)
    if words[-1] in ORG_SUFFIXES or (joined and any(w in ORG_SUFFIXES for w in words)):
        return _Shape("organisation", start, name)
    if words[-1] in PLACE_SUFFIXES or (words[0] in COMPASS and len(words) == 2 and words[1] not in TITLES):
        return _Shape("place", start, name)
    return None


@lru_cache(maxsize=16384)
def _shape(fragment: str) -> _Shape:
    """An organisation, a place, a person-like name, a bare title or nothing, from the run's words alone."""
    if (found := _organisation_or_place(fragment)) is not None:
        return found
    words, offset, titles = _trim(fragment.split(" "), 0)
    if not words:
        bare = bool(titles) and titles[0] in BARE_TITLES
        return _Shape("bare title", titles=tuple(titles)) if bare else _Shape("none")
    plausible = all(_PERSON_WORD.fullmatch(w) and w not in ("of", "for") for w in words)
    if words[-1] in EVENT_SUFFIXES or not plausible:
        return _Shape("none")
    return _Shape("person", offset, " ".join(words), tuple(titles), len(words))


def _bare_title(text: str, start: int, fragment: str, titles: tuple[str, ...]) -> Candidate | None:
    """A capitalised title with no name ("The President", "the Secretary"), to link to its last holder."""
    leading = (text[max(0, start - 5) : start] + fragment).split()
    if NAME_NEXT.match(text, start + len(fragment)) or len(leading) < 2 or leading[-2] not in ("The", "the", "and"):
        return None
    title = " ".join(titles)
    offset = fragment.find(title)
    if offset < 0:  # titles with other words between them ("President The Mr."): no title phrase
        return None
    return Candidate(start + offset, start + offset + len(title), "person", "", 1, title)


def _classify(text: str, start: int, fragment: str) -> Candidate | None:
    """One run of capitalised words as an organisation, a place or a person, or None when it is not a name."""
    shape = _shape(fragment)
    return None if shape.kind == "none" else _in_context(text, start, fragment, shape)


def _in_context(text: str, start: int, fragment: str, shape: _Shape) -> Candidate | None:
    """The candidate of a run of the given shape at `start`, given the words around it."""
    if shape.kind == "bare title":
        return _bare_title(text, start, fragment, shape.titles)
    begin = start + shape.offset
    end = begin + len(shape.name)
    if shape.kind == "organisation":
        return Candidate(begin, end, "organisation", shape.name, 0)
    if shape.kind == "place":
        return Candidate(begin, end, "place", shape.name, 0)
    if shape.kind == "none" or _NUMBER_NEXT.match(text, end):
        return None
    before = text[max(0, begin - 6) : begin].split()
    titled = bool(shape.titles) or (bool(before) and before[-1] in HONORIFICS)
    if titled or 2 <= shape.words <= 3:
        return Candidate(begin, end, "person", shape.name, 1, " ".join(t for t in shape.titles if t not in HONORIFICS))
    return None


def _headlines(text: str) -> list[tuple[int, int]]:
    """Spans of the lines written in Title Case (see `HEADLINE_SHARE`)."""
    spans, position = [], 0
    for line in text.split("\n"):
        words = len(line.split())
        if (
            words >= 4
            and _capitals_at_most(line) >= HEADLINE_SHARE * words
            and _capitalised(line) >= HEADLINE_SHARE * words
        ):
            spans.append((position, position + len(line)))
        position += len(line) + 1
    return spans


def _capitals_at_most(line: str) -> int:
    """At least the number of upper-case characters in the line, counted in C: the ASCII capitals plus the UTF-8
    bytes beyond the first of each other character. Most lines have far fewer than `HEADLINE_SHARE` of their words."""
    return len(_ASCII_CAPITAL.findall(line)) + (0 if line.isascii() else len(line.encode()) - len(line))


def _capitalised(line: str) -> int:
    """The number of words of the line that start with an upper-case character."""
    return sum(word[:1].isupper() for word in line.split())


def _runs(text: str) -> list[tuple[int, str]]:
    """Runs of capitalised words outside Title Case headlines, cut at sentence ends ("Kerry. The President" is
    two runs), as (start, words)."""
    headlines = _headlines(text)
    headline_starts = [start for start, _ in headlines]
    runs = []
    for match in _NAME_RUN.finditer(text):
        position, found = match.start(), match.group()
        if headlines:
            index = bisect_right(headline_starts, position) - 1
            if index >= 0 and position < headlines[index][1]:
                continue
        pieces = _SENTENCE_END.split(found) if ". " in found else (found,)
        for piece in pieces:
            cut = piece.rstrip(".") if piece.endswith(".") and not _INITIALISM.search(piece) else piece
            runs.append((position, cut))
            position += len(piece) + 1
    return runs


def heuristic_candidates(text: str, gazetteer_spans: list[tuple[int, int]]) -> list[Candidate]:
    """Capitalised runs: whole when they name an organisation or place, else split around gazetteer matches."""
    candidates = []
    spans_after = len(gazetteer_spans)
    for run_start, run in _runs(text):
        run_end = run_start + len(run)
        shape = _shape(run)
        whole = None if shape.kind == "none" else _in_context(text, run_start, run, shape)
        if whole is not None and whole.kind != "person":
            candidates.append(whole)
            continue
        first = bisect_left(gazetteer_spans, (run_start, 0))
        if (first == spans_after or gazetteer_spans[first][0] >= run_end) and (
            run[-1] not in " ’'s" or run.rstrip(" ’'").removesuffix("’s").removesuffix("'s") == run
        ):
            if whole is not None:  # no gazetteer surface inside: the run is its own only fragment, classified
                candidates.append(whole)
            continue
        position = run_start
        inside = []
        while first < spans_after and gazetteer_spans[first][0] < run_end:
            inside.append(gazetteer_spans[first])
            first += 1
        for span_start, span_end in [*inside, (run_end, run_end)]:
            fragment = text[position:span_start].rstrip(" ’'")
            if fragment.strip():
                found = _classify(text, position, fragment.removesuffix("’s").removesuffix("'s"))
                if found is not None:
                    candidates.append(found)
            position = max(position, span_end + 1)
    return candidates
