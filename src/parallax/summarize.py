"""Write a supported, neutral summary of a story: verbatim sentences, each citing every article that states it.

Method `summarize.extractive.v1`: the summary is built from the comparison's facts, those stated by the most
independent source families first, then by the most articles (a fact several independent outlets state is the
best-established thing to say; ten reprints of one dispatch are one source), preferring facts at least `min_articles`
articles state. A fact's sentence is used verbatim, never rewritten, so every word of the summary can be found
in a cited article; direct quotations are passed over while unquoted facts remain, since a quote is one side's
words rather than the report's. The chosen sentences are put back in the order the story tells them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from parallax.model import Article, Comparison, Fact, SummarySentence

__all__ = ["DEFAULT_OPTIONS", "SummaryOptions", "summarize"]

QUOTES = ('"', "“", "”", "«", "»")


@dataclass(slots=True, frozen=True)
class SummaryOptions:
    """Settings of the summary: at most `max_sentences` sentences, from facts stated by `min_articles` or more
    articles where there are enough of those."""

    max_sentences: int = 5
    min_articles: int = 2

    def __post_init__(self) -> None:
        if self.max_sentences < 1 or self.min_articles < 1:
            raise ValueError("SummaryOptions.max_sentences and min_articles must be >= 1")


DEFAULT_OPTIONS = SummaryOptions()


def _quoted(fact: Fact) -> bool:
    return any(mark in fact.text for mark in QUOTES)


def summarize(
    comparison: Comparison, articles: Sequence[Article], options: SummaryOptions = DEFAULT_OPTIONS
) -> list[SummarySentence]:
    """Pick up to `max_sentences` facts and return their sentences, verbatim, with the articles that state them."""
    texts = {a.id: a.text for a in articles}
    facts = [f for f in comparison.facts if any(f.text in texts.get(i, "") for i in f.article_ids)]
    supported = [f for f in facts if len(f.article_ids) >= options.min_articles]
    pool = supported if supported else facts
    ranked = sorted(
        enumerate(pool),
        key=lambda item: (_quoted(item[1]), -item[1].independent_sources, -len(item[1].article_ids), item[0]),
    )
    chosen = sorted(ranked[: options.max_sentences], key=lambda item: _position(item[1]))
    return [SummarySentence(fact.text, _cited(fact)) for _, fact in chosen]


def _cited(fact: Fact) -> tuple[str, ...]:
    """The fact's articles, the one whose words the sentence is first (the others state it in their own words)."""
    source = next((e.article_id for e in fact.evidence if e.text == fact.text), fact.article_ids[0])
    return (source, *(i for i in fact.article_ids if i != source))


def _position(fact: Fact) -> float:
    return min(evidence.sentence_index for evidence in fact.evidence) if fact.evidence else 0.0
