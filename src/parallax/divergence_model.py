"""The values of `divergences.v1` and what its finders share: the story context, value items and side building.

`parallax.divergences` documents the method; this module holds its result types (`Divergence`, `DivergenceSide`,
`DivergenceEvidence`), its options, and the helpers each kind's finder uses to turn values found in sentences into
sides with articles, outlets, independent sources and evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from parallax.families import SourceFamilies, independent_sources
from parallax.model import Article, outlet_label
from parallax.story_sentences import SentenceKey, StorySentences

__all__ = [
    "ABOUT_MARGIN",
    "DEFAULT_DIVERGENCE_OPTIONS",
    "DETERMINERS",
    "KIND_ORDER",
    "METHOD",
    "RELATED_SIMILARITY",
    "SAME_THING",
    "STOP_WORDS",
    "WORD",
    "Divergence",
    "DivergenceEvidence",
    "DivergenceKind",
    "DivergenceOptions",
    "DivergenceSide",
    "Item",
    "StoryContext",
    "build_divergence",
    "by_value",
    "components",
    "lemma",
    "sentence_key",
]

METHOD = "divergences.v1"

DivergenceKind = Literal["quantity", "date", "denial", "actor", "cause"]
KIND_ORDER: tuple[DivergenceKind, ...] = ("quantity", "date", "denial", "actor", "cause")

RELATED_SIMILARITY = 0.25
"""Least TF-IDF cosine for two sentences outside one fact to be compared. Below `compare`'s 0.35 (a fact) because a
divergent pair words the disputed part differently. On the bundled example, cross-article pairs no fact joins reach
0.33; those above 0.25 mostly speak of one act (Russia's Saturday statement, the Lachin closure) but not all ("Russia
sent peacekeepers to the Lachin Corridor" / "talks ... after Azerbaijan temporarily closed the Lachin corridor",
0.27), so relatedness is only ever used together with a matching key (the thing measured, or actor-action-target)."""

ABOUT_MARGIN = 0.1
"""Relative margin read into "around"/"about"/"nearly" amounts: "around 6,500" is 5,850-7,150."""

SAME_THING = {
    "dead": "deaths", "death": "deaths", "killed": "deaths", "life": "deaths", "fatality": "deaths",
    "died": "deaths", "person": "people", "fighting": "fighting", "conflict": "fighting", "war": "fighting",
    "clash": "fighting", "hostility": "fighting", "combat": "fighting",
}  # fmt: skip
"""What different words count or measure the same thing (after lemmatising): kept small and unambiguous."""

WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
DETERMINERS = frozenset(("a", "an", "the", "its", "their", "his", "her", "this", "that", "these", "those"))
STOP_WORDS = DETERMINERS | frozenset(
    ("of", "to", "in", "on", "at", "for", "by", "with", "from", "and", "or", "but", "it", "they", "he", "she",
     "was", "were", "is", "are", "be", "been", "has", "have", "had", "not", "no", "as", "which", "who", "what",
     "after", "over", "about", "into", "than")
)  # fmt: skip


@dataclass(slots=True, frozen=True)
class DivergenceOptions:
    """Settings: `related_similarity` (see `RELATED_SIMILARITY`), `about_margin` (see `ABOUT_MARGIN`) and
    whether to keep quantity divergences whose sides are compatible (`include_compatible`)."""

    related_similarity: float = RELATED_SIMILARITY
    about_margin: float = ABOUT_MARGIN
    include_compatible: bool = True

    def __post_init__(self) -> None:
        if not 0.0 < self.related_similarity <= 1.0:
            raise ValueError(f"DivergenceOptions.related_similarity must be in (0, 1], not {self.related_similarity}")
        if not 0.0 <= self.about_margin < 1.0:
            raise ValueError(f"DivergenceOptions.about_margin must be in [0, 1), not {self.about_margin}")


DEFAULT_DIVERGENCE_OPTIONS = DivergenceOptions()


@dataclass(slots=True, frozen=True)
class DivergenceEvidence:
    """One sentence stating a side's value: `start`/`end` are the value's span in the article's clean text."""

    article_id: str
    sentence_index: int
    text: str
    start: int
    end: int
    value_text: str


@dataclass(slots=True, frozen=True)
class DivergenceSide:
    """One answer to a divergence's question, with the articles, outlets and evidence that give it."""

    value: str
    article_ids: tuple[str, ...]
    outlets: tuple[str, ...]
    independent_sources: int
    evidence: tuple[DivergenceEvidence, ...]


@dataclass(slots=True, frozen=True)
class Divergence:
    """The same question answered differently: at least two sides, and whether their answers can both hold."""

    kind: DivergenceKind
    question: str
    sides: tuple[DivergenceSide, ...]
    compatible: bool
    note: str
    independent_sources: int
    method: str = METHOD


@dataclass(slots=True, frozen=True)
class Item:
    """A value found in one sentence: what it answers (`key`), how it reads (`value`) and where it is."""

    key: tuple[str, ...]
    value: str
    evidence: DivergenceEvidence


@dataclass(slots=True, frozen=True)
class StoryContext:
    """What every finder needs: the articles by id, the fact of each aligned sentence, sentence similarities,
    source families and options."""

    articles: dict[str, Article]
    fact_of: dict[SentenceKey, int]
    sentences: StorySentences
    families: SourceFamilies | None
    options: DivergenceOptions

    def aligned(self, a: SentenceKey, b: SentenceKey) -> bool:
        """Whether one fact holds both sentences."""
        return a in self.fact_of and self.fact_of.get(a) == self.fact_of.get(b)

    def related(self, a: SentenceKey, b: SentenceKey) -> bool:
        """Whether two sentences are aligned or at least `related_similarity` alike."""
        return self.aligned(a, b) or self.sentences.similarity(a, b) >= self.options.related_similarity

    def independent(self, ids: Iterable[str]) -> int:
        """Source families among the articles (each article its own without families)."""
        unique = list(dict.fromkeys(ids))
        return independent_sources(unique, self.families) if self.families is not None else len(unique)

    def evidence(self, article_id: str, index: int, start: int, end: int) -> DivergenceEvidence:
        """Evidence for the span `start:end` of an article's text, in its sentence `index`."""
        article = self.articles[article_id]
        return DivergenceEvidence(article_id, index, article.sentences[index].text, start, end, article.text[start:end])


def build_divergence(
    context: StoryContext,
    kind: DivergenceKind,
    question: str,
    sides: Sequence[Sequence[Item]],
    *,
    compatible: bool = False,
    note: str = "",
) -> Divergence:
    """Sides from groups of items (one value each), most independent sources first."""
    built = []
    for items in sides:
        ids = tuple(dict.fromkeys(item.evidence.article_id for item in items))
        outlets = tuple(dict.fromkeys(outlet_label(context.articles[id_]) for id_ in ids))
        evidence = tuple(dict.fromkeys(item.evidence for item in items))
        built.append(DivergenceSide(items[0].value, ids, outlets, context.independent(ids), evidence))
    built.sort(key=lambda side: (-side.independent_sources, -len(side.article_ids)))  # ties: as given
    everyone = [id_ for side in built for id_ in side.article_ids]
    return Divergence(kind, question, tuple(built), compatible, note, context.independent(everyone))


def components(items: Sequence[Item], linked: Iterable[tuple[int, int]]) -> list[list[Item]]:
    """The groups of two or more items that the `linked` index pairs connect (union-find), in item order."""
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in linked:
        parent[root(a)] = root(b)
    groups: dict[int, list[Item]] = {}
    for i, item in enumerate(items):
        groups.setdefault(root(i), []).append(item)
    return [group for group in groups.values() if len(group) > 1]


def by_value(items: Iterable[Item]) -> list[list[Item]]:
    """Items grouped by their value, first seen first."""
    sides: dict[str, list[Item]] = {}
    for item in items:
        sides.setdefault(item.value, []).append(item)
    return list(sides.values())


def sentence_key(context: StoryContext, article_id: str, offset: int) -> SentenceKey | None:
    """The sentence holding character `offset` of an article."""
    index = context.sentences.sentence_at(article_id, offset)
    return None if index is None else (article_id, index)


def lemma(word: str) -> str:
    """A crude lemma (plural -s/-es/-ies removed), folded by `SAME_THING`: enough to match nouns that count."""
    word = word.lower().strip("-'")
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("ches", "shes", "sses", "xes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        word = word[:-1]
    return SAME_THING.get(word, word)
