"""Write a supported, neutral summary of a story: verbatim sentences, each citing every article that states it.

Method `summarize.extractive.v2`: every fact of the comparison is a candidate, scored by

- corroboration: the share of the story's source families that state it (ten reprints of one dispatch are one
  source, `Fact.independent_sources`), the best-established thing to say;
- attribution: a statement attributed to someone ("the ministry said ...", found through the article's quotes
  and events, or a neutral reporting verb) is preferred, since the summary then reports a claim as a claim;
- loaded wording: the share of loaded terms (`parallax.loaded.loaded_share`) counts against a fact, half as
  much when the words are attributed to a speaker rather than said in the outlet's own voice;
- direct quotation: a quoted sentence is one side's words rather than the report's, a small penalty;
- position: how early the articles tell it (news puts what matters first).

Candidates are taken best first, MMR-style: one too similar to a sentence already chosen (content-word overlap
above `max_similarity`) is skipped, as are ones that would pass `max_words`. The chosen sentences are put back in
the order the story tells them.

Supported by construction: a fact's sentence is used verbatim, never rewritten, and only when it occurs in the
first cited article; the cited articles are exactly those whose sentences the comparison aligned into the fact.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from parallax.loaded import loaded_share
from parallax.model import Article, Comparison, Fact, SummarySentence

__all__ = ["DEFAULT_OPTIONS", "METHOD", "SummaryOptions", "summarize"]

METHOD = "summarize.extractive.v2"

QUOTES = ('"', "“", "”", "«", "»")

_REPORTING_CUE = re.compile(
    r"\b(?:said|says|say|told|tells|according to|announced|announces|stated|states|reported|reports|added|"
    r"wrote|writes|tweeted|confirmed|confirms|explained|noted)\b",
    re.IGNORECASE,
)
"""Neutral reporting verbs only: "claimed" or "admitted" attribute too, but they are loaded (`parallax.loaded`)."""

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_STOP = ENGLISH_STOP_WORDS | {"said", "says"}


@dataclass(slots=True, frozen=True)
class SummaryOptions:
    """Settings of the summary.

    `max_sentences` and `max_words` bound its length (`max_words` None: no bound in words; the first sentence is
    always kept, however long). The weights score each fact: `corroboration` (share of the story's independent
    sources stating it), `attribution` (a speaker is named), `loaded` (share of loaded terms, a penalty),
    `quotation` (a direct quote, a penalty) and `position` (told early). `max_similarity`: a candidate whose
    content words overlap a chosen sentence's more than this is redundant.
    """

    # Length, quotation, position and similarity were tuned on the AllSides/NeuS train split (2,452 stories;
    # coordinate ascent on mean ROUGE-1/2/L F1 against the roundups, scripts/tune_summary.py, table in
    # eval/results/tune_summary.json). ROUGE rewards the lead, so `corroboration` was then searched with
    # corroboration >= 3 x position (`--corroboration-first`): one more independent family outranks any position.
    # `attribution` and `loaded` are set by design, not by ROUGE: they make the summary neutral rather than like
    # the roundup (their ROUGE cost is in the table's `neutrality_tradeoff`).
    max_sentences: int = 3
    max_words: int | None = 120
    corroboration: float = 16.0
    attribution: float = 0.25
    loaded: float = 2.0
    quotation: float = 0.25
    position: float = 4.0
    max_similarity: float = 0.7

    def __post_init__(self) -> None:
        if self.max_sentences < 1:
            raise ValueError(f"SummaryOptions.max_sentences must be >= 1, not {self.max_sentences}")
        if self.max_words is not None and self.max_words < 1:
            raise ValueError(f"SummaryOptions.max_words must be None or >= 1, not {self.max_words}")
        if not 0.0 < self.max_similarity <= 1.0:
            raise ValueError(f"SummaryOptions.max_similarity must be in (0, 1], not {self.max_similarity}")
        weights = (self.corroboration, self.attribution, self.loaded, self.quotation, self.position)
        if any(weight < 0 for weight in weights):
            raise ValueError(
                "SummaryOptions weights (corroboration, attribution, loaded, quotation, position) must be >= 0"
            )


DEFAULT_OPTIONS = SummaryOptions()


@dataclass(slots=True, frozen=True)
class _Candidate:
    fact: Fact
    cited: tuple[str, ...]
    score: float
    position: tuple[float, int]
    words: frozenset[str]
    length: int


def summarize(
    comparison: Comparison, articles: Sequence[Article], options: SummaryOptions = DEFAULT_OPTIONS
) -> list[SummarySentence]:
    """Pick the best-supported, least loaded facts and return their sentences, verbatim, with the articles that
    state them, in the story's order."""
    by_id = {article.id: article for article in articles}
    families = max((fact.independent_sources for fact in comparison.facts), default=1) or 1
    candidates = [
        candidate
        for order, fact in enumerate(comparison.facts)
        if (candidate := _candidate(fact, order, by_id, families, options)) is not None
    ]
    candidates.sort(key=lambda c: (-c.score, c.position))
    chosen: list[_Candidate] = []
    words = 0
    for candidate in candidates:
        if len(chosen) >= options.max_sentences:
            break
        if options.max_words is not None and chosen and words + candidate.length > options.max_words:
            continue
        if any(_overlap(candidate.words, other.words) > options.max_similarity for other in chosen):
            continue
        chosen.append(candidate)
        words += candidate.length
    chosen.sort(key=lambda c: c.position)
    return [SummarySentence(c.fact.text, c.cited) for c in chosen]


def _candidate(
    fact: Fact, order: int, by_id: dict[str, Article], families: int, options: SummaryOptions
) -> _Candidate | None:
    cited = _cited(fact)
    source = by_id.get(cited[0])
    if source is None or fact.text not in source.text:
        return None  # never say what the first cited article does not say verbatim
    if any(article_id not in by_id for article_id in cited):
        return None
    attributed = _attributed(fact, source)
    loaded = loaded_share(fact.text) * (0.5 if attributed else 1.0)
    position = _position(fact, by_id)
    score = (
        options.corroboration * fact.independent_sources / families
        + options.attribution * attributed
        - options.loaded * loaded
        - options.quotation * _quoted(fact)
        - options.position * position
    )
    return _Candidate(fact, cited, score, (position, order), _content_words(fact.text), len(fact.text.split()))


def _cited(fact: Fact) -> tuple[str, ...]:
    """The fact's articles, the one whose words the sentence is first (the others state it in their own words)."""
    source = next((e.article_id for e in fact.evidence if e.text == fact.text), fact.article_ids[0])
    return (source, *(i for i in dict.fromkeys(fact.article_ids) if i != source))


def _quoted(fact: Fact) -> bool:
    return any(mark in fact.text for mark in QUOTES)


def _attributed(fact: Fact, source: Article) -> bool:
    """Whether the fact's sentence names who says it: a quote with a speaker, an attributed event, or a cue."""
    start = source.text.find(fact.text)
    end = start + len(fact.text)
    for quote in source.quotes:
        if quote.speaker is not None and quote.start < end and start < quote.end:
            return True
    for event in source.events:
        if event.attributed_to is not None and event.start < end and start < event.end:
            return True
    return _REPORTING_CUE.search(fact.text) is not None


def _position(fact: Fact, by_id: dict[str, Article]) -> float:
    """How early the articles tell the fact: 0 for a first sentence, towards 1 for a last one."""
    shares = [
        evidence.sentence_index / max(len(by_id[evidence.article_id].sentences), 1)
        for evidence in fact.evidence
        if evidence.article_id in by_id
    ]
    return min(shares, default=1.0)


def _content_words(text: str) -> frozenset[str]:
    return frozenset(word for word in _WORD.findall(text.lower()) if word not in _STOP)


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Cosine of two word sets: 1 for the same words, 0 for none shared."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))
