"""Compare the coverage of one story: facts with who reports them, divergences, omissions and framing.

`compare_story` builds the story's `Comparison` in one pass: the facts (below), then what the other modules
read from them and from the annotated articles: `divergences` (the same question answered differently),
`omissions` (what each outlet leaves out that independent others report) and `framing` (each outlet's words
for the same referents and acts, its distinctive vocabulary, loaded terms and quoted voices).

Method `compare.align.v1`: every sentence of every member article becomes a TF-IDF vector (idf fitted on the
story's sentences, English stop words removed); cross-article sentence pairs are taken from the most similar
down to `threshold`, and a pair joins two groups only if no article would then state the same fact twice. Each
resulting group is a `Fact`: its text is the sentence closest to the rest of the group, and it lists the articles
and outlets that state it. Sentences no other article matches are facts of one article: what only that outlet
reports, which the coverage view needs as much as what all of them share.

Each fact counts its `independent_sources`: the source families (`parallax.families`) among its articles, so a
dispatch and its reprints count once. Facts come out by independent sources, then by articles, then in the
order the story tells them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer

from parallax.divergence_model import DEFAULT_DIVERGENCE_OPTIONS, DivergenceOptions
from parallax.divergences import find_divergences
from parallax.families import SourceFamilies, independent_sources
from parallax.framing import DEFAULT_OPTIONS as DEFAULT_FRAMING_OPTIONS
from parallax.framing import FramingOptions, frame_story
from parallax.model import Article, Comparison, Fact, FactEvidence, Story, outlet_label
from parallax.omissions import MIN_FAMILIES, find_omissions

__all__ = ["DEFAULT_OPTIONS", "CompareOptions", "align_facts", "compare_story"]

METHOD = "compare.align.v1"


@dataclass(slots=True, frozen=True)
class CompareOptions:
    """Settings of the comparison.

    `threshold`: the least cosine similarity for two sentences of different articles to state one fact.
    `min_words`: sentences shorter than this (subheadings, bylines that survived cleaning) are not facts.
    The other settings are those of `parallax.divergences`, `parallax.omissions` and `parallax.framing`.
    """

    threshold: float = 0.35
    min_words: int = 5
    divergences: DivergenceOptions = DEFAULT_DIVERGENCE_OPTIONS
    omission_min_families: int = MIN_FAMILIES
    """How many independent source families must report a fact for an outlet leaving it out to be listed."""
    framing: FramingOptions = DEFAULT_FRAMING_OPTIONS

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"CompareOptions.threshold must be in (0, 1], not {self.threshold}")


DEFAULT_OPTIONS = CompareOptions()


@dataclass(slots=True, frozen=True)
class _Item:
    article: int
    index: int
    text: str
    position: float


def _is_headline(article: Article, index: int) -> bool:
    # The headline line stays in the clean text (it is what the outlet says first) but is not a fact.
    return index == 0 and article.provenance.get("title") == "first_line"


def compare_story(
    story: Story,
    articles: Sequence[Article],
    options: CompareOptions = DEFAULT_OPTIONS,
    families: SourceFamilies | None = None,
) -> Comparison:
    """Compare the coverage of a story's `articles`: facts, divergences, omissions and framing.

    Without `families`, every article counts as its own source.
    """
    facts = align_facts(articles, options, families)
    return Comparison(
        story.id,
        facts,
        METHOD,
        divergences=find_divergences(articles, facts, families, options.divergences),
        omissions=find_omissions(articles, facts, families, options.omission_min_families),
        framing=frame_story(articles, options=options.framing) if articles else None,
    )


def align_facts(
    articles: Sequence[Article], options: CompareOptions = DEFAULT_OPTIONS, families: SourceFamilies | None = None
) -> list[Fact]:
    """Align the sentences of `articles` into facts, each counting the source families that state it."""
    items = [
        _Item(n, index, sentence.text, index / max(len(article.sentences), 1))
        for n, article in enumerate(articles)
        for index, sentence in enumerate(article.sentences)
        if len(sentence.text.split()) >= options.min_words and not _is_headline(article, index)
    ]
    if not items:
        return []
    similarity = _similarity([item.text for item in items])
    groups = _align(items, similarity, options.threshold)
    facts = []
    for members in groups:
        block = similarity[np.ix_(members, members)]
        central = members[int(np.argmax(block.sum(axis=1)))]
        ordered = sorted(members, key=lambda m: (items[m].article, items[m].index))
        chosen = [articles[items[m].article] for m in ordered]
        ids = [a.id for a in chosen]
        independent = independent_sources(ids, families) if families is not None else len(set(ids))
        facts.append(
            (
                (-independent, -len(members)),
                min(items[m].position for m in members),
                Fact(
                    text=items[central].text,
                    article_ids=ids,
                    outlets=list(dict.fromkeys(outlet_label(a) for a in chosen)),
                    evidence=[
                        FactEvidence(articles[items[m].article].id, items[m].index, items[m].text) for m in ordered
                    ],
                    independent_sources=independent,
                ),
            )
        )
    facts.sort(key=lambda entry: (entry[0], entry[1]))
    return [fact for _, _, fact in facts]


def _similarity(texts: list[str]) -> NDArray[np.float64]:
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english")
    try:
        vectors = vectorizer.fit_transform(texts)
    except ValueError:  # nothing but stop words: no two sentences can be shown to say the same
        return np.eye(len(texts))
    return np.asarray((vectors @ vectors.T).todense(), dtype=np.float64)


def _align(items: list[_Item], similarity: NDArray[np.float64], threshold: float) -> list[list[int]]:
    group_of = list(range(len(items)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(items))}
    articles_in: dict[int, set[int]] = {i: {item.article} for i, item in enumerate(items)}
    article_of = np.array([item.article for item in items])
    rows, cols = np.nonzero(np.triu(similarity, k=1) >= threshold)
    cross = article_of[rows] != article_of[cols]
    rows, cols = rows[cross], cols[cross]
    for r, c in sorted(zip(rows.tolist(), cols.tolist(), strict=True), key=lambda p: -similarity[p]):
        a, b = group_of[r], group_of[c]
        if a == b or articles_in[a] & articles_in[b]:
            continue
        for member in members[b]:
            group_of[member] = a
        members[a].extend(members.pop(b))
        articles_in[a] |= articles_in.pop(b)
    return [sorted(group) for group in members.values()]
