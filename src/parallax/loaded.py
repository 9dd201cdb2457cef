"""Evaluative and loaded terms in news text, from a documented lexicon (`loaded.lexicon.v1`).

The lexicon is `parallax/data/loaded_terms.json`: about six hundred lemmas in eleven categories, each with its
sources (Recasens et al. 2013, "Linguistic Models for Analyzing and Detecting Biased Language", and the word
classes it draws on: factive and assertive verbs after Hooper 1975, implicative verbs after Karttunen 1971,
hedges after Hyland 2005; Wikipedia's "Words to watch" guideline) and hand-made additions for conflict and
political news kept apart under `curated`. Notes give known ambiguities.

Matching is on word tokens, case-insensitively: a lemma matches its generated inflections ("claim" finds
"claims", "claimed", "claiming"; "terrorist" finds "terrorists"), a possessive "'s" is ignored, a multiword term
matches across any whitespace, and a word never matches inside another word ("regime" is not found in
"regimen"). A hyphenated word that is not itself a term is searched part by part ("pro-regime" has "regime").

    >>> [(t.text, t.category) for t in find_loaded("Baku claims the separatists illegally blocked the road.")]
    [('claims', 'evaluative_verb'), ('separatists', 'loaded_label'), ('illegally', 'evaluative_adverb')]
    >>> round(loaded_share("Baku claims the separatists illegally blocked the road."), 3)
    0.375

A form is flagged whatever its sense ("claims" in "insurance claims"): `loaded_share` is an indicator for
comparing texts (a summary against its sources), not a verdict on one sentence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "CATEGORIES",
    "METHOD",
    "SHARE_CATEGORIES",
    "LexiconEntry",
    "LoadedTerm",
    "find_loaded",
    "lexicon",
    "loaded_share",
]

METHOD = "loaded.lexicon.v1"
"""Versioned name of the lexicon and its matching rules, stored with their output."""

CATEGORIES: tuple[str, ...] = (
    "loaded_label",
    "loaded_act",
    "loaded_event",
    "euphemism",
    "evaluative_verb",
    "factive_verb",
    "implicative_verb",
    "evaluative_adjective",
    "evaluative_adverb",
    "doubt_marker",
    "weasel_phrase",
    "hedge",
)
SHARE_CATEGORIES: frozenset[str] = frozenset(CATEGORIES) - {"hedge"}
"""Categories `loaded_share` counts: hedges mark uncertainty, not a side, so they are found but not counted."""

_TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(slots=True, frozen=True)
class LoadedTerm:
    """One loaded or evaluative term found in a text: its span, the lexicon lemma it is a form of, its category."""

    start: int
    end: int
    text: str
    term: str
    category: str


@dataclass(slots=True, frozen=True)
class LexiconEntry:
    """One lemma of the lexicon with its category, whether it is a hand-made addition, and its note."""

    term: str
    category: str
    curated: bool
    note: str


@dataclass(slots=True, frozen=True)
class _Lexicon:
    entries: tuple[LexiconEntry, ...]
    single: dict[str, tuple[str, str]]
    """One-token form -> (lemma, category)."""
    multi: dict[str, tuple[tuple[tuple[str, ...], str, str], ...]]
    """First token -> (token forms, lemma, category), longest first."""


def _verb_forms(word: str, irregular: dict[str, list[str]], doubling: frozenset[str]) -> list[str]:
    if word in irregular:
        return [word, *irregular[word]]
    if word in doubling:
        return [word, word + "s", word + word[-1] + "ed", word + word[-1] + "ing"]
    if word.endswith("e"):
        return [word, word + "s", word + "d", word[:-1] + "ing"]
    if len(word) > 2 and word.endswith("y") and word[-2] not in "aeiou":
        return [word, word[:-1] + "ies", word[:-1] + "ied", word + "ing"]
    if word.endswith(("s", "sh", "ch", "x", "z")):
        return [word, word + "es", word + "ed", word + "ing"]
    return [word, word + "s", word + "ed", word + "ing"]


def _noun_forms(word: str) -> list[str]:
    if word.endswith("man"):
        return [word, word[:-3] + "men"]
    if len(word) > 2 and word.endswith("y") and word[-2] not in "aeiou":
        return [word, word[:-1] + "ies"]
    if word.endswith(("s", "sh", "ch", "x", "z")):
        return [word, word + "es"]
    return [word, word + "s"]


def _tokens(text: str) -> list[str]:
    return [match.group().lower().replace("’", "'") for match in _TOKEN.finditer(text)]


def _forms(term: str, inflect: str, raw: dict[str, Any]) -> list[tuple[str, ...]]:
    words = _tokens(term)
    if inflect == "verb":  # the head of "lash out", "fail to" is the first word
        irregular, doubling = raw["_irregular"], frozenset(raw["_doubling"])
        return [(form, *words[1:]) for form in _verb_forms(words[0], irregular, doubling)]
    if inflect == "noun":  # the head of "terror attack", "war crime" is the last word
        return [(*words[:-1], form) for form in _noun_forms(words[-1])]
    return [tuple(words)]


@cache
def _lexicon() -> _Lexicon:
    raw = json.loads(resources.files("parallax").joinpath("data/loaded_terms.json").read_text(encoding="utf-8"))
    entries: list[LexiconEntry] = []
    single: dict[str, tuple[str, str]] = {}
    multi: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
    for category in CATEGORIES:
        spec = raw["categories"][category]
        for part, curated in (("terms", False), ("curated", True)):
            for term, note in spec[part].items():
                entries.append(LexiconEntry(term, category, curated, note))
                for form in _forms(term, spec["inflect"], raw):
                    if len(form) == 1:
                        single.setdefault(form[0], (term, category))  # first category listed wins
                    else:
                        multi.setdefault(form[0], []).append((form, term, category))
    ordered = {first: tuple(sorted(group, key=lambda item: -len(item[0]))) for first, group in multi.items()}
    return _Lexicon(tuple(entries), single, ordered)


def lexicon() -> tuple[LexiconEntry, ...]:
    """Every lemma of the lexicon, category by category (for documentation and tests)."""
    return _lexicon().entries


def _match_multi(lex: _Lexicon, words: list[str], index: int) -> tuple[int, str, str] | None:
    for form, term, category in lex.multi.get(words[index], ()):
        if tuple(words[index : index + len(form)]) == form:
            return len(form), term, category
    return None


def _possessive_free(word: str) -> str:
    return _POSSESSIVE.sub("", word)


def _scan(text: str) -> tuple[list[LoadedTerm], int, list[int]]:
    """The terms found, the number of word tokens, and how many tokens each term covers."""
    lex = _lexicon()
    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    words = [_possessive_free(text[s:e].lower().replace("’", "'")) for s, e in spans]
    found: list[LoadedTerm] = []
    covered: list[int] = []
    index = 0
    while index < len(words):
        hit = _match_multi(lex, words, index)
        if hit is not None:
            length, term, category = hit
            start, end = spans[index][0], spans[index + length - 1][1]
            found.append(LoadedTerm(start, end, text[start:end], term, category))
            covered.append(length)
            index += length
            continue
        start = spans[index][0]
        for part_start, part in _parts(words[index]):
            if part in lex.single:
                term, category = lex.single[part]
                begin = start + part_start
                found.append(LoadedTerm(begin, begin + len(part), text[begin : begin + len(part)], term, category))
                covered.append(1)
                break
        index += 1
    word_count = sum(1 for word in words if _LETTER.search(word))
    return found, word_count, covered


def _parts(word: str) -> Iterable[tuple[int, str]]:
    """The word itself, then (for a hyphenated word) each of its parts, with their offsets in the word."""
    yield 0, word
    if "-" in word:
        offset = 0
        for part in word.split("-"):
            yield offset, part
            offset += len(part) + 1


def find_loaded(text: str) -> list[LoadedTerm]:
    """Return the loaded and evaluative terms in `text`, in text order, with spans and categories."""
    if not isinstance(text, str):
        raise TypeError(f"find_loaded expects a str, not {type(text).__name__}")
    return _scan(text)[0]


def loaded_share(text: str, categories: Iterable[str] = SHARE_CATEGORIES) -> float:
    """Return the share of word tokens in `text` that belong to loaded terms (0.0 for a text without words).

    Only terms of `categories` count (every category but hedges by default).
    """
    if not isinstance(text, str):
        raise TypeError(f"loaded_share expects a str, not {type(text).__name__}")
    wanted = frozenset(categories)
    unknown = sorted(wanted - set(CATEGORIES))
    if unknown:
        raise ValueError(f"unknown categor(ies) {', '.join(unknown)}; valid: {', '.join(CATEGORIES)}")
    found, word_count, covered = _scan(text)
    if not word_count:
        return 0.0
    loaded = sum(length for term, length in zip(found, covered, strict=True) if term.category in wanted)
    return loaded / word_count
