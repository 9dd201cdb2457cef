"""Mention candidates of `entities.rules.v1`: gazetteer surfaces in context, and the candidate record itself.

A capital or seat of government is the government when it acts ("Baku said", "Moscow has rejected",
"Yerevan's decision"); a title phrase ("Azerbaijani President") is the office holder unless a name follows it,
when the demonym is the country; a gazetteer person keeps the capitalised title written before the name
("Secretary of State John Kerry"), which later links a bare "the Secretary" to them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parallax.entity_gazetteer import Gazetteer, government
from parallax.entity_words import ACTING_AUXILIARIES, POSSESSED, PREPOSITIONS, ROLE_TITLES, SAYING_VERBS, TITLES, Kind

__all__ = ["NAME_NEXT", "Candidate", "gazetteer_candidates"]


@dataclass(slots=True)
class Candidate:
    """A mention being built: span, kind, canonical form (filled in by coreference), priority and title.

    `priority` orders overlapping candidates of one length: 0 gazetteer and form rules, 1 person heuristics,
    2 bare surnames and acronyms, 3 plug-in recognisers. `title` is the office ("President"), or
    "<country>|<office>" for a title phrase, used to link later titles and title phrases to a person.
    """

    start: int
    end: int
    kind: Kind
    canonical: str
    priority: int
    title: str = ""


AUXILIARIES = r"(?:also|has|have|had|will|would|could|may|might|must|is|was|been|be|not|did|does|do|\w+ly|on \w+day)"
_POSSESSIVE = re.compile(r"['’]s\s+([\w-]+)(?:\s+(\w+))?")
_AND_NAME = re.compile(r"\s+and\s+[A-Z][\w ]*?(?=\s+[a-z])")
_VERB = re.compile(rf"\s+((?:{AUXILIARIES}\s+){{0,3}})(\w+)")
NAME_NEXT = re.compile(r"\s+(?:[A-Z]|(?:al|el)-)")
"""A capitalised word (or "al-"/"el-") comes next: a name follows a title or title phrase."""


def _is_acting_subject(text: str, start: int, end: int) -> bool:
    """Whether a capital is the subject of a saying or acting verb, or the owner of a decision (metonymy)."""
    before = text[max(0, start - 12) : start].split()
    if before and before[-1].lower() in PREPOSITIONS:
        return False
    after = text[end : end + 80]
    possessive = _POSSESSIVE.match(after)
    if possessive:  # "Baku's decision", "Pyongyang's nuclear program"
        return bool({word.lower() for word in possessive.groups() if word} & POSSESSED)
    joined = _AND_NAME.match(after)
    if joined:
        after = after[joined.end() :]
    verb = _VERB.match(after)
    if verb is None:
        return False
    acting_auxiliary = bool(set(verb.group(1).split()) & ACTING_AUXILIARIES)
    return acting_auxiliary or verb.group(2) in SAYING_VERBS or verb.group(2).endswith("ed")


def _title_before(text: str, start: int) -> str:
    """The capitalised title words right before a name ("Secretary of State" in "Secretary of State John Kerry")."""
    words = text[max(0, start - 40) : start].split()
    titles: list[str] = []
    while words and (words[-1] in TITLES or (words[-1] == "of" and titles)):
        titles.insert(0, words.pop())
    return " ".join(titles).removeprefix("of ")


def gazetteer_candidates(text: str, gazetteer: Gazetteer) -> list[Candidate]:
    """Each gazetteer surface in the text as a candidate of its kind, read in context (see the module)."""
    candidates = []
    for start, matched_end in gazetteer.matches(text):
        surface = text[start:matched_end]
        entry, end = gazetteer.surfaces[surface], matched_end
        if entry.role is not None and NAME_NEXT.match(text, end):
            # "Azerbaijani President Ilham Aliyev": the demonym is the country; the name comes next.
            # The longest title that ends the surface: "Chinese Vice President" is "Chinese" + "Vice President".
            title_words = max((t for t in ROLE_TITLES if surface.endswith(" " + t)), key=len)
            demonym = surface[: -len(title_words) - 1]
            end, entry = start + len(demonym), gazetteer.surfaces[demonym]
        kind, canonical = entry.kind, entry.canonical
        if entry.country is not None and entry.role is None and _is_acting_subject(text, start, end):
            kind, canonical = "government", government(entry.country)
        title = f"{entry.country}|{surface.split(' ', 1)[1]}" if entry.role and end == matched_end else ""
        if kind == "person" and not title:
            title = _title_before(text, start)
        candidates.append(Candidate(start, end, kind, canonical, 0, title))
    return candidates
