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

The rules live in `parallax.entity_gazetteer` (the gazetteer and its one trie-shaped expression),
`parallax.entity_rules` (gazetteer surfaces in context), `parallax.entity_heuristics` (unknown names),
`parallax.entity_coreference` (overlaps, surnames, acronyms and titles) and `parallax.entity_words`.
`parallax.evaluate_entities` scores them on `eval/gold/entities.jsonl` (guide in `docs/annotation/entities.md`).
Speed: 1.3 ms per article (5,700 characters on average) over the first 1,000 articles of `allsides_baly_bias`
on one core, 2.8 ms before the trie-shaped gazetteer expression and the cached shapes of capitalised runs; the
gazetteer is built once per process (0.3 s).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from parallax.entity_coreference import link_people, non_overlapping, slug, surname_candidates
from parallax.entity_gazetteer import Gazetteer, load_gazetteer
from parallax.entity_heuristics import heuristic_candidates
from parallax.entity_rules import Candidate, gazetteer_candidates
from parallax.entity_words import KINDS, Kind
from parallax.model import compact_pickle

__all__ = [
    "KINDS",
    "METHOD",
    "Entity",
    "EntityRecognizer",
    "Kind",
    "Mention",
    "canonical_entities",
    "extract_entities",
]

METHOD = "entities.rules.v1"
"""Versioned name of this extractor, stored with its outputs."""


@compact_pickle
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


def _recognizer_candidates(text: str, gazetteer: Gazetteer, recognizers: Sequence[EntityRecognizer]) -> list[Candidate]:
    candidates = []
    for recognizer in recognizers:
        for mention in recognizer(text):
            entry = gazetteer.surfaces.get(mention.text)
            kind, canonical = (entry.kind, entry.canonical) if entry else (mention.kind, mention.canonical)
            candidates.append(Candidate(mention.start, mention.end, kind, canonical or mention.text, 3))
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
    gazetteer = load_gazetteer()
    found = gazetteer_candidates(text, gazetteer)
    found += heuristic_candidates(text, [(c.start, c.end) for c in found])
    kept = non_overlapping(found)
    kept = non_overlapping(
        kept + surname_candidates(text, kept, gazetteer) + _recognizer_candidates(text, gazetteer, recognizers)
    )
    kept = link_people(kept, gazetteer)
    return [
        Mention(c.start, c.end, text[c.start : c.end], c.kind, c.canonical, f"{c.kind}:{slug(c.canonical)}")
        for c in kept
    ]


def canonical_entities(mentions: Iterable[Mention]) -> dict[str, Entity]:
    """Group mentions (of one article or a whole story) by entity id."""
    grouped: dict[str, list[Mention]] = {}
    for mention in mentions:
        grouped.setdefault(mention.entity_id, []).append(mention)
    return {entity_id: Entity(found[0].canonical, found[0].kind, tuple(found)) for entity_id, found in grouped.items()}
