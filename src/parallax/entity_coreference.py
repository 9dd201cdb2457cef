"""Coreference in `entities.rules.v1`: one canonical form for all the mentions of an entity in a text.

Overlapping candidates are settled (longest first, gazetteer before heuristics); a later bare surname or a
bracketed acronym becomes the full name or the organisation it stands for ("Aliyev" -> "Ilham Aliyev", "NWA"
-> "National Water Agency"); a title phrase ("Azerbaijani President") and a bare capitalised title ("the
President") become the last person named with that title.
"""

from __future__ import annotations

import re
from functools import lru_cache

from parallax.entity_gazetteer import Gazetteer, surname
from parallax.entity_rules import Candidate

__all__ = ["link_people", "non_overlapping", "slug", "surname_candidates"]

_INITIALISM = re.compile(r"(?:[A-Z]\.)+$")
_ACRONYM = re.compile(r" \(([A-Z]{2,6})\)")
_CAPITALISED_WORD = re.compile(r"[A-Z][\w-]*")


def non_overlapping(candidates: list[Candidate]) -> list[Candidate]:
    """Longest first, gazetteer before heuristics on ties; keep those that overlap nothing kept."""
    kept: list[Candidate] = []
    taken = bytearray(max((c.end for c in candidates), default=0))
    for candidate in sorted(candidates, key=lambda c: (c.priority, c.start - c.end, c.start)):
        if not any(taken[candidate.start : candidate.end]):
            kept.append(candidate)
            taken[candidate.start : candidate.end] = b"\x01" * (candidate.end - candidate.start)
    return sorted(kept, key=lambda c: c.start)


@lru_cache(maxsize=8192)
def _name_keys(name: str) -> tuple[str, ...]:
    """The words that alone refer back to a full name: the surname, and the first word of a surname-first name."""
    words = name.split()
    keys = [surname(name)]
    if "-" in words[-1] and len(words) >= 2:  # "Chung Eui-yong", "Moon Jae-in": the family name comes first
        keys.append(words[0])
    return tuple(key for key in keys if len(key) > 2 and key[0].isupper() and not _INITIALISM.fullmatch(key))


def surname_candidates(text: str, kept: list[Candidate], gazetteer: Gazetteer) -> list[Candidate]:
    """Bare surnames of people named in full anywhere in the text ("Abedzadeh said") or in the gazetteer, and
    acronyms defined in brackets, wherever they stand alone (no letter, digit, "_" or "-" on either side)."""
    keys = {key for c in kept if c.kind == "person" and " " in c.canonical for key in _name_keys(c.canonical)}
    # Each gazetteer surname is one capitalised word, so where one stands alone it is one of these words.
    keys |= gazetteer.surnames.keys() & set(_CAPITALISED_WORD.findall(text))
    acronyms = _acronyms(text, kept)
    keys |= set(acronyms)
    return [
        Candidate(start, end, acronyms[key].kind, acronyms[key].canonical, 2)
        if (key := text[start:end]) in acronyms
        else Candidate(start, end, "person", key, 2)
        for start, end in _standing_alone(text, keys)
    ]


def _standing_alone(text: str, keys: set[str]) -> list[tuple[int, int]]:
    """Where the keys stand alone in the text, leftmost first and the longest key at one place, not overlapping:
    the matches of one alternation of the keys, found with `str.find` rather than compiling it for each text."""
    found = []
    for key in keys:
        start = text.find(key)
        while start >= 0:
            end = start + len(key)
            if (start == 0 or not _joins(text[start - 1])) and (end == len(text) or not _joins(text[end])):
                found.append((start, end))
            start = text.find(key, start + 1)
    found.sort(key=lambda span: (span[0], span[0] - span[1]))
    kept, position = [], 0
    for start, end in found:
        if start >= position:
            kept.append((start, end))
            position = end
    return kept


def _joins(character: str) -> bool:
    """Whether a character continues a word for the purpose of a key standing alone (letter, digit, "_", "-")."""
    return character.isalnum() or character in "_-"


def _acronyms(text: str, kept: list[Candidate]) -> dict[str, Candidate]:
    """Acronyms defined in brackets after a name ("Syrian Democratic Forces (SDF)"), as that entity."""
    defined: dict[str, Candidate] = {}
    if " (" not in text:
        return defined
    for candidate in kept:
        bracket = _ACRONYM.match(text, candidate.end)
        if bracket and candidate.kind != "person":
            defined[bracket.group(1)] = candidate
    return defined


def link_people(candidates: list[Candidate], gazetteer: Gazetteer) -> list[Candidate]:
    """Give each person the fullest name seen for it; resolve title phrases to the holder named in the text."""
    full_names: dict[str, str] = {}
    for candidate in candidates:
        if candidate.kind == "person" and " " in candidate.canonical and "|" not in candidate.title:
            for key in _name_keys(candidate.canonical):
                full_names.setdefault(key, candidate.canonical)
    holders: dict[str, str] = {}
    linked = []
    for index, candidate in enumerate(candidates):
        if candidate.kind == "person" and "|" in candidate.title:
            candidate.canonical = holders.get(candidate.title, candidate.canonical)
        elif candidate.kind == "person" and candidate.canonical:
            if " " not in candidate.canonical:
                candidate.canonical = full_names.get(
                    candidate.canonical, gazetteer.surnames.get(candidate.canonical, candidate.canonical)
                )
            if candidate.title:
                previous = candidates[index - 1] if index else None
                if previous is not None and previous.kind == "country":
                    holders[f"{previous.canonical}|{candidate.title}"] = candidate.canonical
                holders[candidate.title] = candidate.canonical
        elif candidate.kind == "person":  # a bare title ("the President"): the last holder of that title
            titled = [
                name
                for title, name in holders.items()
                if title == candidate.title or title.startswith(candidate.title + " ")
            ]
            if not titled:
                continue
            candidate.canonical = titled[-1]
        linked.append(candidate)
    return linked


@lru_cache(maxsize=8192)
def slug(text: str) -> str:
    """The lower-case ASCII form of a canonical name used in entity ids ("Government of Azerbaijan" ->
    "government-of-azerbaijan")."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
