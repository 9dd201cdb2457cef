"""Named entities in news text: people, organisations, countries, places, groups and governments, each canonical.

`extract_entities(text)` finds mentions with exact character spans and gives each a canonical form that is the
same across the text: "Ilham Aliyev", a later "Aliyev" and a title phrase such as "Azerbaijani President" are one
person; "Baku said" (a capital or seat of government as the subject of a saying or acting verb, or "Baku's
decision") is the "Government of Azerbaijan"; the demonym "Azerbaijani" is the country; "Russian Foreign
Ministry" is an organisation of Russia.

    >>> [(m.text, m.kind, m.canonical) for m in extract_entities("Ilham Aliyev spoke. Aliyev said Baku had won.")]
    [('Ilham Aliyev', 'person', 'Ilham Aliyev'), ('Aliyev', 'person', 'Ilham Aliyev'), \
('Baku', 'government', 'Government of Azerbaijan')]
    >>> canonical_entities(extract_entities("Flights from Baku resumed."))["place:baku"].kind
    'place'

Sources, in order of trust: the packaged gazetteer (`parallax/data/gazetteer.json`: 197 countries with capitals,
seats of government and demonyms; international organisations, regions, US states and large cities, religious
and ethnic groups, large companies; heads of state and government and foreign ministers *as of 2023* plus a few
earlier heads of government, which go stale) and the outlet registry (`parallax.outlets`); then capitalised-name
heuristics for unknown people, organisations and places (honorifics and titles, "Ministry of ...", "... Party",
"... Agency", "... Avenue", "East ..."), a later bare surname or bracketed acronym linked to the full name, and a
bare capitalised title ("the President") linked to the last person named with it. A statistical NER model can
add mentions through `extract_entities(text, recognizers=...)`; none is bundled or downloaded.

`evaluate_entities` scores the rules on `eval/gold/entities.jsonl` (`entities.rules.v1`; guide in
`docs/annotation/entities.md`). Speed: 2.6 ms per 5,000 characters (19.8 million characters of `allsides_neus` in
10.5 s on one core, after a one-off 0.2 s gazetteer build): one dictionary probe per capitalised word and one
regular-expression pass for runs of capitalised words.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Protocol

from parallax.goldsets import load_texts
from parallax.outlets import OutletRegistry

__all__ = [
    "KINDS",
    "METHOD",
    "Entity",
    "EntityRecognizer",
    "EntityScores",
    "Mention",
    "canonical_entities",
    "evaluate_entities",
    "extract_entities",
]

METHOD = "entities.rules.v1"
"""Versioned name of this extractor, stored with its outputs."""

Kind = Literal["person", "organisation", "country", "place", "group", "government"]
KINDS: tuple[str, ...] = ("person", "organisation", "country", "place", "group", "government")


@dataclass(slots=True, frozen=True)
class Mention:
    """One mention: its span in the text, the kind of entity and the canonical form shared by its coreferents."""

    start: int
    end: int
    text: str
    kind: Kind
    canonical: str
    entity_id: str


@dataclass(slots=True, frozen=True)
class Entity:
    """All mentions of one entity in a text or story."""

    canonical: str
    kind: Kind
    mentions: tuple[Mention, ...]


class EntityRecognizer(Protocol):
    """A plug-in recogniser (a statistical NER model, say): text -> mentions, which the rules then fill in.

    Its mentions are added where they overlap no rule mention; `canonical` and `entity_id` may be left as the
    surface text and "" (they are filled in from the gazetteer and the text's earlier full names). Pass it to
    `extract_entities(text, recognizers=...)` or `AnnotateOptions(entity_recognizers=...)`. A spaCy pipeline,
    for example (installed by the user: `pip install spacy` and a model; parallax never downloads one)::

        nlp = spacy.load("en_core_web_sm")
        labels = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "NORP": "group"}
        spacy_mentions = lambda text: [Mention(e.start_char, e.end_char, e.text, labels[e.label_], e.text, "")
                                       for e in nlp(text).ents if e.label_ in labels]
    """

    def __call__(self, text: str) -> Iterable[Mention]: ...


def _words(spaced: str) -> tuple[str, ...]:
    """A word list written as one string, so long lists stay readable."""
    return tuple(spaced.split())


# --- gazetteer ---------------------------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class _Entry:
    kind: Kind
    canonical: str
    country: str | None = None
    """For a capital or seat: the country it can stand for; for a title phrase: the country of the office."""
    role: str | None = None
    """For a title phrase ("Azerbaijani President"): the office, whose holder in the text is preferred."""


@dataclass(slots=True)
class _Gazetteer:
    surfaces: dict[str, _Entry] = field(default_factory=dict)
    surnames: dict[str, str] = field(default_factory=dict)
    by_prefix: dict[str, list[str]] = field(default_factory=dict)
    """Surfaces by their first `PREFIX` characters, longest first: a dictionary probe at each capital letter is
    about 20 times faster than one regular expression alternating over thousands of surfaces."""

    def matches(self, text: str) -> Iterator[tuple[int, int]]:
        """Longest surface starting at each capitalised word; matches do not overlap."""
        position = 0
        for start_match in _WORD_START.finditer(text):
            start = start_match.start()
            if start < position:
                continue
            end = self._longest(text, start)
            if end:
                yield start, end
                position = end

    def _longest(self, text: str, start: int) -> int:
        """End of the longest surface at `start` (surfaces shorter than `PREFIX` are filed whole), or 0."""
        for size in range(PREFIX, 0, -1):
            for surface in self.by_prefix.get(text[start : start + size], ()):
                end = start + len(surface)
                if text.startswith(surface, start) and not (
                    end < len(text) and (text[end].isalnum() or text[end] == "_")
                ):
                    return end
        return 0


ORGAN_WORDS: tuple[str, ...] = (
    "Foreign Ministry",
    "Defense Ministry",
    "Defence Ministry",
    "Ministry of Foreign Affairs",
    "Embassy",
)
ORGAN_WORDS += ("Interior Ministry", "Finance Ministry", "Foreign Office", "Army", "Navy", "Air Force")
"""Organs of a state written after a demonym ("Russian Foreign Ministry" -> an organisation of Russia)."""

ROLE_TITLES = {"President": "president", "Prime Minister": "prime minister", "Foreign Minister": "foreign minister"}
ROLE_TITLES |= {"Premier": "premier", "Chancellor": "chancellor", "Secretary of State": "secretary of state"}
ROLE_TITLES |= {"Supreme Leader": "supreme leader", "Crown Prince": "crown prince", "Vice President": "vice president"}
"""Capitalised titles after a demonym that name an office holder ("Azerbaijani President")."""


def _government(country: str) -> str:
    the = "the " if country.startswith(("United ", "Republic ", "Democratic ")) or country.endswith("s") else ""
    return f"Government of {the}{country}"


def _add_country(surfaces: dict[str, _Entry], entry: dict[str, Any]) -> None:
    name: str = entry["name"]
    aliases = (name, *entry.get("aliases", ()))
    for alias in aliases:
        surfaces.setdefault(alias, _Entry("country", name))
        for organ in ORGAN_WORDS:
            surfaces.setdefault(f"{alias} {organ}", _Entry("organisation", f"{organ} of {name}"))
        surfaces.setdefault(f"Government of {alias}", _Entry("government", _government(name)))
        surfaces.setdefault(f"{alias} government", _Entry("government", _government(name)))
        surfaces.setdefault(f"{alias} administration", _Entry("government", _government(name)))
    for seat in (entry.get("capital"), *entry.get("seats", ())):
        if seat and seat not in surfaces:
            surfaces[seat] = _Entry("place", seat, country=name)
    for plural in entry.get("plurals", ()):
        surfaces.setdefault(plural, _Entry("group", name))
    for demonym in entry.get("demonyms", ()):
        surfaces.setdefault(demonym, _Entry("country", name))
        surfaces.setdefault(demonym + "s", _Entry("group", name))
        surfaces.setdefault(f"{demonym} government", _Entry("government", _government(name)))
        for organ in ORGAN_WORDS:
            surfaces.setdefault(f"{demonym} {organ}", _Entry("organisation", f"{organ} of {name}"))
        for title, role in ROLE_TITLES.items():
            surfaces.setdefault(f"{demonym} {title}", _Entry("person", f"{demonym} {title}", country=name, role=role))


def _add_person(gazetteer: _Gazetteer, person: dict[str, Any]) -> None:
    name: str = person["name"]
    surname: str = person.get("surname") or _surname(name)
    for alias in (name, *person.get("aliases", ())):
        gazetteer.surfaces.setdefault(alias, _Entry("person", name))
    if (len(surname) > 2 or "surname" in person) and surname not in STOP_WORDS:
        gazetteer.surnames.setdefault(surname, name)
        gazetteer.surfaces.setdefault(f"{surname} administration", _Entry("government", _government(person["of"])))
    for role in person["roles"]:
        for key, entry in list(gazetteer.surfaces.items()):
            if entry.role == role and entry.country == person["of"] and entry.canonical == key:
                gazetteer.surfaces[key] = _Entry("person", name, country=entry.country, role=role)


PREFIX = 4
_WORD_START = re.compile(r"(?<![\w.#@])[A-Z]")


@cache
def _gazetteer() -> _Gazetteer:
    """The packaged gazetteer, compiled once (read-only after building)."""
    data = json.loads(resources.files("parallax").joinpath("data/gazetteer.json").read_text(encoding="utf-8"))
    gazetteer = _Gazetteer()
    surfaces = gazetteer.surfaces
    for country in data["countries"]:
        _add_country(surfaces, country)
    for organisation in data["organisations"]:
        for alias in (organisation["name"], *organisation.get("aliases", ())):
            surfaces.setdefault(alias, _Entry(organisation["kind"], organisation["name"]))
    for place in data["places"]:
        for alias in (place["name"], *place.get("aliases", ()), *place.get("demonyms", ())):
            surfaces.setdefault(alias, _Entry("place", place["name"]))
    sections: tuple[tuple[Kind, str], ...] = (("group", "groups"), ("organisation", "companies"))
    for kind, section in sections:
        for entry in data[section]:
            for alias in (entry["name"], *entry.get("aliases", ())):
                surfaces.setdefault(alias, _Entry(kind, entry["name"]))
    for outlet in OutletRegistry.load().outlets:
        for alias in (outlet.name, *(a for a in outlet.aliases if len(a) > 3 or a.isupper())):
            surfaces.setdefault(alias, _Entry("organisation", outlet.name))
    for person in data["people"]:
        _add_person(gazetteer, person)
    for surface in sorted(surfaces, key=len, reverse=True):
        gazetteer.by_prefix.setdefault(surface[:PREFIX], []).append(surface)
    return gazetteer


def _surname(name: str) -> str:
    return re.sub(r"^(?:al|el)-", "", name.rsplit(maxsplit=1)[-1])


# --- heuristics --------------------------------------------------------------------------------------------------

_WORD = r"(?:(?:al|el)-)?[A-Z](?:[\w.-]|['’](?![sS]\b))*"
_JOIN = r"(?:[ ](?:of the|of|for|de|da|du|la|le|van|von der|von|der|bin|ibn)(?=[ ][A-Z]))?[ ]"
_NAME_RUN = re.compile(rf"(?<![\w'’@#-]){_WORD}(?:{_JOIN}{_WORD})*")
_INITIALISM = re.compile(r"(?:[A-Z]\.)+$")
_PERSON_WORD = re.compile(r"(?:(?:al|el)-)?[A-Z][^\W\d_]*(?:['’.-][^\W\d_]*)*|of|de|da|du|la|le|van|von|der|bin|ibn")
_SENTENCE_END = re.compile(r"(?<=[a-z\d]{2}\.) ")

HONORIFICS = frozenset(_words("Mr. Mrs. Ms. Dr. Sen. Rep. Gov. Gen. Lt. Col. Sgt. Prof. Rev. Mr Mrs Ms Dr"))
TITLES = frozenset(
    _words(
        "President Vice Senator Secretary Minister Prime Foreign Defense Defence Commerce Treasury Interior "
        "Chancellor King Queen Prince Crown Pope General Judge Justice Governor Mayor Ambassador Premier "
        "Speaker Chairman Director Commissioner State Interviewer Spokesman Spokeswoman Leader Supreme Chief "
        "Attorney Envoy Representative Dictator CIA FBI"
    )
)
"""Words of a title before a name ("Defense Secretary Robert M. Gates"); stripped, and they make the rest a person."""
ORG_SUFFIXES = frozenset(
    _words(
        "Party Agency Ministry Department Committee Council Commission Court Bank Association Union Institute "
        "University Service Services Corporation Corp. Corp Inc. Inc Ltd. Ltd Company Group Foundation "
        "Organization Organisation Times Post News Network Airlines Airways Police Army Navy Assembly "
        "Congress Parliament Fund Office Bureau League Board Authority Administration Coalition Front Forces "
        "Movement Federation Trust Center Centre College School"
    )
)
"""Words that make a capitalised run an organisation when last ("Labour Party") or joined by "of"/"for"."""
BARE_TITLES = frozenset(_words("President Secretary Chancellor Premier Minister"))
"""Titles that, capitalised after "the" and without a name, refer to the last person named with that title."""
PLACE_SUFFIXES = frozenset(
    _words(
        "Street Avenue Square Park Bridge River Island Islands Mountains City Valley Road Airport Station "
        "Palace Tower House Base Province Region County Strait Sea Lake Desert"
    )
)
COMPASS = frozenset(_words("North South East West Northern Southern Eastern Western Central"))
EVENT_SUFFIXES = frozenset(
    _words(
        "War Olympics Games Summit Cup Spring Revolution Act Agreement Treaty Accord Accords Conference Forum "
        "Festival Awards Prize Day Week Policy Program Programme Plan Deal Doctrine Crisis Newsletters"
    )
)
"""Last words of names of events, laws and works, which are not entities here ("Korean War", "Paris Agreement")."""
STOP_WORDS = frozenset(
    _words(
        "The A An In On At To For From By With And Or But As If When While After Before Since During This "
        "That These Those It Its He She They We I You His Her Their Our My Your What Who Why How Where There "
        "Here Not No Yes So Then Now Also More Most Some Many Both All Each Every Other Such Than Asked "
        "Meanwhile However Still Even Just Monday Tuesday Wednesday Thursday Friday Saturday Sunday January "
        "February March April May June July August September October November December Copyright Sign Click "
        "Read Watch Photo Image Video Getty Images Story Continued Below Email Driving Go Let Let’s Let's "
        "Later Under Any Thrown"
    )
)
"""Capitalised words that begin sentences or name dates; dropped from the edges of a run."""

SAYING_VERBS = frozenset(
    _words(
        "said says say told tells announced announces warned warns denied denies agreed agrees rejected "
        "rejects accused accuses demanded demands insisted insists claimed claims responded responds urged "
        "urges called calls wants wanted sent sends refused refuses decided decides condemned condemns "
        "recognized recognised launched launches signed signs threatened threatens vowed vows signaled "
        "signalled considering considered confirmed confirms insisted hopes hoped plans planned sought seeks "
        "blamed blames"
    )
)
"""Verbs after a capital or seat that make it the government acting ("Moscow said", "Baku has decided")."""
AUXILIARIES = r"(?:also|has|have|had|will|would|could|may|might|must|is|was|been|be|not|did|does|do|\w+ly|on \w+day)"
_POSSESSIVE = re.compile(r"['’]s\s+([\w-]+)(?:\s+(\w+))?")
_AND_NAME = re.compile(r"\s+and\s+[A-Z][\w ]*?(?=\s+[a-z])")
_VERB = re.compile(rf"\s+((?:{AUXILIARIES}\s+){{0,3}})(\w+)")
_NAME_NEXT = re.compile(r"\s+(?:[A-Z]|(?:al|el)-)")
_NUMBER_NEXT = re.compile(r"\s+\d")
_ACRONYM = re.compile(r" \(([A-Z]{2,6})\)")
ACTING_AUXILIARIES = frozenset(_words("has have had will would could may might must did does do also"))
"""Auxiliaries after which any verb makes a capital act ("the White House will take"); "was" does not ("Kyiv was")."""
POSSESSED = frozenset(
    _words(
        "decision decisions position move response statement policy plan offer demands government program "
        "programme ambitions claims proposal"
    )
)
"""Nouns after "X's" that make a capital or seat the government ("Baku's decision", "Pyongyang's nuclear program")."""
PREPOSITIONS = frozenset(_words("to from in at into toward towards of near via through across outside inside"))


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    kind: Kind
    canonical: str
    priority: int
    title: str = ""


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


def _gazetteer_candidates(text: str, gazetteer: _Gazetteer) -> list[_Candidate]:
    candidates = []
    for start, matched_end in gazetteer.matches(text):
        surface = text[start:matched_end]
        entry, end = gazetteer.surfaces[surface], matched_end
        if entry.role is not None and _NAME_NEXT.match(text, end):
            # "Azerbaijani President Ilham Aliyev": the demonym is the country; the name comes next.
            demonym = next(surface[: -len(t) - 1] for t in ROLE_TITLES if surface.endswith(" " + t))
            end, entry = start + len(demonym), gazetteer.surfaces[demonym]
        kind, canonical = entry.kind, entry.canonical
        if entry.country is not None and entry.role is None and _is_acting_subject(text, start, end):
            kind, canonical = "government", _government(entry.country)
        title = f"{entry.country}|{surface.split(' ', 1)[1]}" if entry.role and end == matched_end else ""
        if kind == "person" and not title:
            title = _title_before(text, start)
        candidates.append(_Candidate(start, end, kind, canonical, 0, title))
    return candidates


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


def _organisation_or_place(start: int, fragment: str) -> _Candidate | None:
    """A run ending in an organisation or place word ("Commerce Ministry", "Peace House", "East Jerusalem")."""
    words = fragment.split(" ")
    while words and words[0] in STOP_WORDS:
        start += len(words[0]) + 1
        words = words[1:]
    if len(words) < 2 or words[-1] in EVENT_SUFFIXES:
        return None
    name = " ".join(words)
    joined = any(w in ("of", "for") for w in words)
    if words[-1] in ORG_SUFFIXES or (joined and any(w in ORG_SUFFIXES for w in words)):
        return _Candidate(start, start + len(name), "organisation", name, 0)
    if words[-1] in PLACE_SUFFIXES or (words[0] in COMPASS and len(words) == 2 and words[1] not in TITLES):
        return _Candidate(start, start + len(name), "place", name, 0)
    return None


def _bare_title(text: str, start: int, fragment: str, titles: list[str]) -> _Candidate | None:
    """A capitalised title with no name ("The President", "the Secretary"), to link to its last holder."""
    leading = (text[max(0, start - 5) : start] + fragment).split()
    named_next = _NAME_NEXT.match(text, start + len(fragment))
    if not titles or titles[0] not in BARE_TITLES or named_next or len(leading) < 2:
        return None
    if leading[-2] not in ("The", "the", "and"):
        return None
    title = " ".join(titles)
    begin = start + fragment.index(title)
    return _Candidate(begin, begin + len(title), "person", "", 1, title)


def _classify(text: str, start: int, fragment: str) -> _Candidate | None:
    """One run of capitalised words as an organisation, a place or a person, or None when it is not a name."""
    if (found := _organisation_or_place(start, fragment)) is not None:
        return found
    words, trimmed_start, titles = _trim(fragment.split(" "), start)
    if not words:
        return _bare_title(text, start, fragment, titles)
    start = trimmed_start
    name = " ".join(words)
    end = start + len(name)
    plausible = all(_PERSON_WORD.fullmatch(w) and w not in ("of", "for") for w in words)
    if words[-1] in EVENT_SUFFIXES or not plausible or _NUMBER_NEXT.match(text, end):
        return None
    before = text[max(0, start - 6) : start].split()
    titled = bool(titles) or (bool(before) and before[-1] in HONORIFICS)
    if titled or 2 <= len(words) <= 3:
        return _Candidate(start, end, "person", name, 1, " ".join(t for t in titles if t not in HONORIFICS))
    return None


@dataclass(slots=True, frozen=True)
class _Run:
    """A run of capitalised words, cut at sentence ends ("Kerry. The President" is two runs)."""

    begin: int
    words: str

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.begin + len(self.words)

    def group(self) -> str:
        return self.words


HEADLINE_SHARE = 0.7
"""Share of capitalised words above which a line of 4+ words is a Title Case headline, where every word is
capitalised and capitalisation says nothing about names (set by eye on headlines of allsides_neus and newswcl50)."""


def _headlines(text: str) -> list[tuple[int, int]]:
    spans, position = [], 0
    for line in text.split("\n"):
        words = line.split()
        if len(words) >= 4 and sum(w[:1].isupper() for w in words) >= HEADLINE_SHARE * len(words):
            spans.append((position, position + len(line)))
        position += len(line) + 1
    return spans


def _runs(text: str) -> Iterator[_Run]:
    """Runs of capitalised words outside Title Case headlines, cut at sentence ends."""
    headlines = _headlines(text)
    for match in _NAME_RUN.finditer(text):
        if any(start <= match.start() < end for start, end in headlines):
            continue
        position = match.start()
        for piece in _SENTENCE_END.split(match.group()):
            yield _Run(position, piece.rstrip(".") if not _INITIALISM.search(piece) else piece)
            position += len(piece) + 1


def _heuristic_candidates(text: str, gazetteer_spans: list[tuple[int, int]]) -> list[_Candidate]:
    """Capitalised runs: whole when they name an organisation or place, else split around gazetteer matches."""
    candidates = []
    for match in _runs(text):
        whole = _classify(text, match.start(), match.group())
        if whole is not None and whole.kind != "person":
            candidates.append(whole)
            continue
        position = match.start()
        first = bisect_left(gazetteer_spans, (match.start(), 0))
        inside = []
        while first < len(gazetteer_spans) and gazetteer_spans[first][0] < match.end():
            inside.append(gazetteer_spans[first])
            first += 1
        for span_start, span_end in [*inside, (match.end(), match.end())]:
            fragment = text[position:span_start].rstrip(" ’'")
            if fragment.strip():
                found = _classify(text, position, fragment.removesuffix("’s").removesuffix("'s"))
                if found is not None:
                    candidates.append(found)
            position = max(position, span_end + 1)
    return candidates


def _non_overlapping(candidates: list[_Candidate]) -> list[_Candidate]:
    """Longest first, gazetteer before heuristics on ties; keep those that overlap nothing kept."""
    kept: list[_Candidate] = []
    taken = bytearray(max((c.end for c in candidates), default=0))
    for candidate in sorted(candidates, key=lambda c: (c.priority, c.start - c.end, c.start)):
        if not any(taken[candidate.start : candidate.end]):
            kept.append(candidate)
            taken[candidate.start : candidate.end] = b"\x01" * (candidate.end - candidate.start)
    return sorted(kept, key=lambda c: c.start)


def _name_keys(name: str) -> list[str]:
    """The words that alone refer back to a full name: the surname, and the first word of a surname-first name."""
    words = name.split()
    keys = [_surname(name)]
    if "-" in words[-1] and len(words) >= 2:  # "Chung Eui-yong", "Moon Jae-in": the family name comes first
        keys.append(words[0])
    return [key for key in keys if len(key) > 2 and key[0].isupper() and not _INITIALISM.fullmatch(key)]


def _surname_candidates(text: str, kept: list[_Candidate], gazetteer: _Gazetteer) -> list[_Candidate]:
    """Bare surnames of people named in full anywhere in the text ("Abedzadeh said") or in the gazetteer."""
    keys = {key for c in kept if c.kind == "person" and " " in c.canonical for key in _name_keys(c.canonical)}
    keys |= {surname for surname in gazetteer.surnames if surname in text}
    acronyms = _acronyms(text, kept)
    keys |= set(acronyms)
    if not keys:
        return []
    pattern = re.compile(
        rf"(?<![\w-])(?:{'|'.join(re.escape(k) for k in sorted(keys, key=len, reverse=True))})(?![\w-])"
    )
    return [
        _Candidate(m.start(), m.end(), acronyms[m.group()].kind, acronyms[m.group()].canonical, 2)
        if m.group() in acronyms
        else _Candidate(m.start(), m.end(), "person", m.group(), 2)
        for m in pattern.finditer(text)
    ]


def _acronyms(text: str, kept: list[_Candidate]) -> dict[str, _Candidate]:
    """Acronyms defined in brackets after a name ("Syrian Democratic Forces (SDF)"), as that entity."""
    defined = {}
    for candidate in kept:
        bracket = _ACRONYM.match(text, candidate.end)
        if bracket and candidate.kind != "person":
            defined[bracket.group(1)] = candidate
    return defined


def _link_people(text: str, candidates: list[_Candidate], gazetteer: _Gazetteer) -> list[_Candidate]:
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


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def _recognizer_candidates(
    text: str, gazetteer: _Gazetteer, recognizers: Sequence[EntityRecognizer]
) -> list[_Candidate]:
    candidates = []
    for recognizer in recognizers:
        for mention in recognizer(text):
            entry = gazetteer.surfaces.get(mention.text)
            kind, canonical = (entry.kind, entry.canonical) if entry else (mention.kind, mention.canonical)
            candidates.append(_Candidate(mention.start, mention.end, kind, canonical or mention.text, 3))
    return candidates


def extract_entities(text: str, recognizers: Sequence[EntityRecognizer] = ()) -> list[Mention]:
    """Mentions of people, organisations, countries, places, groups and governments, in text order.

    `recognizers` (see `EntityRecognizer`) add mentions the rules miss, such as a user's statistical NER model.
    """
    if not isinstance(text, str):
        raise TypeError(f"extract_entities takes a str, not {type(text).__name__}")
    for recognizer in recognizers:
        if not callable(recognizer):
            raise TypeError(f"a recogniser is a callable text -> Iterable[Mention], not {type(recognizer).__name__}")
    gazetteer = _gazetteer()
    found = _gazetteer_candidates(text, gazetteer)
    found += _heuristic_candidates(text, [(c.start, c.end) for c in found])
    kept = _non_overlapping(found)
    kept = _non_overlapping(
        kept + _surname_candidates(text, kept, gazetteer) + _recognizer_candidates(text, gazetteer, recognizers)
    )
    kept = _link_people(text, kept, gazetteer)
    return [
        Mention(c.start, c.end, text[c.start : c.end], c.kind, c.canonical, f"{c.kind}:{_slug(c.canonical)}")
        for c in kept
    ]


def canonical_entities(mentions: Iterable[Mention]) -> dict[str, Entity]:
    """Group mentions (of one article or a whole story) by entity id."""
    grouped: dict[str, list[Mention]] = {}
    for mention in mentions:
        grouped.setdefault(mention.entity_id, []).append(mention)
    return {entity_id: Entity(found[0].canonical, found[0].kind, tuple(found)) for entity_id, found in grouped.items()}


# --- evaluation ----------------------------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class EntityScores:
    """Detection by span overlap, then the share of matches with the gold kind and the gold canonical form."""

    precision: float
    recall: float
    f1: float
    kind_accuracy: float
    canonical_accuracy: float
    items: int
    """Gold mentions."""
    predicted: int = 0
    articles: int = 0
    mistakes: tuple[str, ...] = field(default=(), repr=False)


def _canonical_key(text: str) -> str:
    """Canonical forms compare without case, a leading "the" and middle initials ("John D. Podesta")."""
    return _slug(re.sub(r"\s[A-Z]\.(?=\s)", "", re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)))


def _score_one(record: dict[str, Any], text: str, tally: dict[str, int], mistakes: list[str]) -> None:
    predictions = extract_entities(text)
    tally["predicted"] += len(predictions)
    used: set[int] = set()
    for gold in record["mentions"]:
        tally["gold"] += 1
        overlaps = [
            i for i, p in enumerate(predictions) if i not in used and p.start < gold["end"] and gold["start"] < p.end
        ]
        shown = text[gold["start"] : gold["end"]]
        if not overlaps:
            mistakes.append(f"{record['id']} missed {shown!r} {gold['kind']}")
            continue
        hit = predictions[overlaps[0]]
        used.add(overlaps[0])
        tally["matched"] += 1
        tally["kind"] += hit.kind == gold["kind"]
        tally["canonical"] += _canonical_key(hit.canonical) == _canonical_key(gold["canonical"])
        if hit.kind != gold["kind"] or _canonical_key(hit.canonical) != _canonical_key(gold["canonical"]):
            mistakes.append(
                f"{record['id']} {shown!r}: {hit.kind}/{hit.canonical} != {gold['kind']}/{gold['canonical']}"
            )
    mistakes.extend(f"{record['id']} spurious {p.text!r} {p.kind}" for i, p in enumerate(predictions) if i not in used)


def _texts(data_root: Path, records: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """The article texts the gold records point to, read from the evaluation data (never stored in the repo)."""
    wanted: dict[str, set[str]] = {}
    for record in records:
        wanted.setdefault(record["dataset"], set()).add(record["id"])
    return load_texts(data_root, wanted)


def evaluate_entities(gold_path: str | Path, data_root: str | Path) -> EntityScores:
    """Score `extract_entities` on a gold file of offsets into the articles under `data_root` (span overlap)."""
    lines = Path(gold_path).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    texts = _texts(Path(data_root), records)
    tally = dict.fromkeys(("gold", "predicted", "matched", "kind", "canonical"), 0)
    mistakes: list[str] = []
    for record in records:
        _score_one(record, texts[(record["dataset"], record["id"])], tally, mistakes)
    precision = tally["matched"] / tally["predicted"] if tally["predicted"] else 0.0
    recall = tally["matched"] / tally["gold"] if tally["gold"] else 0.0
    return EntityScores(
        precision=precision,
        recall=recall,
        f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        kind_accuracy=tally["kind"] / tally["matched"] if tally["matched"] else 0.0,
        canonical_accuracy=tally["canonical"] / tally["matched"] if tally["matched"] else 0.0,
        items=tally["gold"],
        predicted=tally["predicted"],
        articles=len(records),
        mistakes=tuple(mistakes),
    )
