"""The packaged gazetteer of `entities.rules.v1` (`parallax/data/gazetteer.json` and the outlet registry), built
once into a surface -> entry table and one regular expression that finds the longest surface at each
capitalised word.

The expression is the surfaces (8,500: names, aliases, demonyms, "<demonym> Foreign Ministry", …) factored by
shared prefixes into a trie, so Python's engine follows one path per word: 0.17 ms per 5,000 characters, where
probing a dictionary from Python at each capital letter took 0.48 ms. Building it costs about 0.3 s once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from parallax.entity_words import ORGAN_WORDS, ROLE_TITLES, STOP_WORDS, Kind
from parallax.outlets import OutletRegistry

__all__ = ["Entry", "Gazetteer", "government", "load_gazetteer", "surname"]


@dataclass(slots=True, frozen=True)
class Entry:
    """What one surface names."""

    kind: Kind
    canonical: str
    country: str | None = None
    """For a capital or seat: the country it can stand for; for a title phrase: the country of the office."""
    role: str | None = None
    """For a title phrase ("Azerbaijani President"): the office, whose holder in the text is preferred."""


@dataclass(slots=True)
class Gazetteer:
    """Surfaces and the surnames of the people listed; read-only once built by `load_gazetteer`."""

    surfaces: dict[str, Entry] = field(default_factory=dict)
    surnames: dict[str, str] = field(default_factory=dict)
    pattern: re.Pattern[str] = field(default_factory=lambda: re.compile(r"(?!)"))
    """The surfaces as one trie-shaped expression, matched at capitalised words (see `matches`)."""

    def matches(self, text: str) -> Iterator[tuple[int, int]]:
        """Longest surface starting at each capitalised word and ending at a word boundary; no overlaps."""
        for found in self.pattern.finditer(text):
            yield found.span()


def government(country: str) -> str:
    """The canonical name of a country's government ("Government of the United States")."""
    the = "the " if country.startswith(("United ", "Republic ", "Democratic ")) or country.endswith("s") else ""
    return f"Government of {the}{country}"


@lru_cache(maxsize=8192)
def surname(name: str) -> str:
    """The last word of a name, without an Arabic article ("al-Assad" -> "Assad")."""
    return re.sub(r"^(?:al|el)-", "", name.rsplit(maxsplit=1)[-1])


def _add_country(surfaces: dict[str, Entry], entry: dict[str, Any]) -> None:
    name: str = entry["name"]
    aliases = (name, *entry.get("aliases", ()))
    for alias in aliases:
        surfaces.setdefault(alias, Entry("country", name))
        for organ in ORGAN_WORDS:
            surfaces.setdefault(f"{alias} {organ}", Entry("organisation", f"{organ} of {name}"))
        surfaces.setdefault(f"Government of {alias}", Entry("government", government(name)))
        surfaces.setdefault(f"{alias} government", Entry("government", government(name)))
        surfaces.setdefault(f"{alias} administration", Entry("government", government(name)))
    for seat in (entry.get("capital"), *entry.get("seats", ())):
        if seat and seat not in surfaces:
            surfaces[seat] = Entry("place", seat, country=name)
    for plural in entry.get("plurals", ()):
        surfaces.setdefault(plural, Entry("group", name))
    for demonym in entry.get("demonyms", ()):
        surfaces.setdefault(demonym, Entry("country", name))
        surfaces.setdefault(demonym + "s", Entry("group", name))
        surfaces.setdefault(f"{demonym} government", Entry("government", government(name)))
        for organ in ORGAN_WORDS:
            surfaces.setdefault(f"{demonym} {organ}", Entry("organisation", f"{organ} of {name}"))
        for title, role in ROLE_TITLES.items():
            surfaces.setdefault(f"{demonym} {title}", Entry("person", f"{demonym} {title}", country=name, role=role))


def _add_person(gazetteer: Gazetteer, person: dict[str, Any], offices: dict[tuple[str, str], list[str]]) -> None:
    """Add a person's names and surname, and make them the holder of their offices not yet given to another."""
    name: str = person["name"]
    family_name: str = person.get("surname") or surname(name)
    for alias in (name, *person.get("aliases", ())):
        gazetteer.surfaces.setdefault(alias, Entry("person", name))
    if (len(family_name) > 2 or "surname" in person) and family_name not in STOP_WORDS:
        gazetteer.surnames.setdefault(family_name, name)
        gazetteer.surfaces.setdefault(f"{family_name} administration", Entry("government", government(person["of"])))
    for role in person["roles"]:
        for key in offices.get((role, person["of"]), ()):
            entry = gazetteer.surfaces[key]
            if entry.canonical == key:  # the first person listed for an office holds it
                gazetteer.surfaces[key] = Entry("person", name, country=entry.country, role=role)


_Trie = dict[str, "_Trie"]
"""A trie of characters: each node maps a character to the next node; "" marks the end of a word."""


def _trie(surfaces: Iterable[str]) -> str:
    """An alternation of `surfaces` factored by shared prefixes; at each branching point the longer continuations
    are tried first, so the longest surface that ends at a word boundary wins."""
    root: _Trie = {}
    for surface in surfaces:
        node = root
        for char in surface:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: _Trie) -> str:
        branches = [re.escape(char) + emit(child) for char, child in node.items() if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def _add_named(surfaces: dict[str, Entry], data: dict[str, Any]) -> None:
    """Organisations, places, groups, companies and news outlets, under their names and aliases."""
    for organisation in data["organisations"]:
        for alias in (organisation["name"], *organisation.get("aliases", ())):
            surfaces.setdefault(alias, Entry(organisation["kind"], organisation["name"]))
    for place in data["places"]:
        for alias in (place["name"], *place.get("aliases", ()), *place.get("demonyms", ())):
            surfaces.setdefault(alias, Entry("place", place["name"]))
    sections: tuple[tuple[Kind, str], ...] = (("group", "groups"), ("organisation", "companies"))
    for kind, section in sections:
        for entry in data[section]:
            for alias in (entry["name"], *entry.get("aliases", ())):
                surfaces.setdefault(alias, Entry(kind, entry["name"]))
    for outlet in OutletRegistry.load().outlets:
        for alias in (outlet.name, *(a for a in outlet.aliases if len(a) > 3 or a.isupper())):
            surfaces.setdefault(alias, Entry("organisation", outlet.name))


@cache
def load_gazetteer() -> Gazetteer:
    """The packaged gazetteer, built once (read-only after building)."""
    data = json.loads(resources.files("parallax").joinpath("data/gazetteer.json").read_text(encoding="utf-8"))
    gazetteer = Gazetteer()
    surfaces = gazetteer.surfaces
    for country in data["countries"]:
        _add_country(surfaces, country)
    _add_named(surfaces, data)
    offices: dict[tuple[str, str], list[str]] = {}
    for key, entry in surfaces.items():
        if entry.role is not None and entry.country is not None:
            offices.setdefault((entry.role, entry.country), []).append(key)
    for person in data["people"]:
        _add_person(gazetteer, person, offices)
    # A surface starts at a capital letter after no letter, digit, ".", "#" or "@", and ends at a word boundary.
    gazetteer.pattern = re.compile(r"(?<![\w.#@])(?=[A-Z])" + _trie(sorted(surfaces)) + r"(?!\w)")
    if not all(re.fullmatch(r"[A-Z][\w-]*", family_name) for family_name in gazetteer.surnames):
        raise ValueError("a gazetteer surname is not one capitalised word")  # `surname_candidates` relies on it
    return gazetteer
