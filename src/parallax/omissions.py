"""Omissions: for each outlet, the widely reported facts of a story that none of its articles state.

Method `omissions.v1`, over the story's facts (`compare.align.v1`) and source families (`parallax.families`):

- A fact is *widely reported* when at least `min_families` independent source families state it (its
  `independent_sources`, recomputed from `families` when they are given). Only such facts can be omitted: a fact
  of one family is that family's own reporting, not something the others left out.
- An outlet (`compare.outlet_label`) *states* a fact when one of its articles is among the fact's articles.
- An outlet that does not state it may still say it in other words that the alignment did not join (it takes
  one sentence per article and fact, above a similarity of 0.35). Telling an outlet it omits what it says is the
  error a reader would never forgive, so a fact is *reworded*, not omitted, when one of the outlet's sentences
  reaches `REWORDED_SIMILARITY` (TF-IDF cosine, as `compare`) with one of the fact's sentences; and, for an outlet
  whose article is in the same source family as one of the fact's articles (a re-edited copy of the same
  dispatch), already at `SAME_FAMILY_SIMILARITY`: a copy that rephrases its own dispatch's sentence has not left
  it out. Reworded facts count as covered and are listed apart, so the reader can check them.
- Omissions are ranked by independent sources, then articles, then the fact's order in the comparison.
  `covered_share` is (stated + reworded) / widely reported facts; None when the story has no such fact.

Not caught: a fact an outlet states only across two sentences, or in words too different for TF-IDF (an omission
is then claimed wrongly: the evidence is shown so that it can be checked), and facts the alignment split in two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from parallax.families import SourceFamilies, independent_sources
from parallax.model import Article, Fact, outlet_label
from parallax.story_sentences import StorySentences

__all__ = [
    "METHOD",
    "MIN_FAMILIES",
    "REWORDED_SIMILARITY",
    "SAME_FAMILY_SIMILARITY",
    "OmittedFact",
    "OutletOmissions",
    "find_omissions",
]

METHOD = "omissions.v1"

MIN_FAMILIES = 2
"""Independent source families that must state a fact before leaving it out counts as an omission (issue 7)."""

REWORDED_SIMILARITY = 0.3
"""Least cosine for an outlet's sentence to state a fact in other words. A sentence above `compare`'s 0.35 that the
alignment left out was kept out only because its article already had a sentence in the fact; 0.30-0.35 allows for
light re-wording. On the bundled example, pairs of different families that no fact joins stay at or under 0.33."""

SAME_FAMILY_SIMILARITY = 0.2
"""The same for an outlet whose article shares a source family with the fact's: a re-edited copy of one dispatch.
On the bundled example the AFP family's re-edited sentences about one act reach 0.19-0.28 ("Baku recently closed
the corridor" / "On Tuesday, Azerbaijan closed the Lachin Corridor": 0.19). Erring low here costs a missed omission;
erring high tells an outlet it leaves out what it says, which is worse."""


@dataclass(slots=True, frozen=True)
class OmittedFact:
    """A widely reported fact: its index in the comparison's facts, its text and who reports it."""

    fact_index: int
    text: str
    independent_sources: int
    article_ids: tuple[str, ...]
    outlets: tuple[str, ...]


@dataclass(slots=True, frozen=True)
class OutletOmissions:
    """What one outlet leaves out of the widely reported facts, and how much of them it covers."""

    outlet: str
    article_ids: tuple[str, ...]
    omitted: tuple[OmittedFact, ...]
    reworded: tuple[OmittedFact, ...]
    covered: int
    widely_reported: int
    covered_share: float | None
    method: str = METHOD


def find_omissions(
    articles: Sequence[Article],
    facts: Sequence[Fact],
    families: SourceFamilies | None = None,
    min_families: int = MIN_FAMILIES,
) -> list[OutletOmissions]:
    """For each outlet of `articles`, the facts stated by at least `min_families` source families that it omits.

    Without `families`, every article counts as its own source. Outlets come in the order of their first article.

        >>> comparison = compare_story(story, articles, families=families)  # doctest: +SKIP
        >>> for outlet in find_omissions(articles, comparison.facts, families):  # doctest: +SKIP
        ...     print(outlet.outlet, outlet.covered_share, [fact.text for fact in outlet.omitted])
    """
    if min_families < 1:
        raise ValueError(f"min_families must be at least 1, not {min_families}")
    wide = [
        OmittedFact(n, fact.text, _independent(fact, families), tuple(fact.article_ids), tuple(fact.outlets))
        for n, fact in enumerate(facts)
    ]
    wide = sorted(
        (fact for fact in wide if fact.independent_sources >= min_families),
        key=lambda fact: (-fact.independent_sources, -len(fact.article_ids), fact.fact_index),
    )
    sentences = StorySentences.of(articles)
    by_outlet: dict[str, list[Article]] = {}
    for article in articles:
        by_outlet.setdefault(outlet_label(article), []).append(article)
    results = []
    for outlet, own in by_outlet.items():
        own_ids = {article.id for article in own}
        missing = [fact for fact in wide if not own_ids & set(fact.article_ids)]
        reworded = [fact for fact in missing if _says_otherwise(own, facts[fact.fact_index], sentences, families)]
        omitted = [fact for fact in missing if fact not in reworded]
        covered = len(wide) - len(omitted)
        share = covered / len(wide) if wide else None
        ids = tuple(dict.fromkeys(article.id for article in own))
        results.append(OutletOmissions(outlet, ids, tuple(omitted), tuple(reworded), covered, len(wide), share))
    return results


def _independent(fact: Fact, families: SourceFamilies | None) -> int:
    if families is None:
        return len(set(fact.article_ids))
    return independent_sources(fact.article_ids, families)


def _says_otherwise(
    own: Sequence[Article], fact: Fact, sentences: StorySentences, families: SourceFamilies | None
) -> bool:
    """Whether one of the outlet's sentences states `fact` in other words (see the module doc)."""
    fact_families = {_family(id_, families) for id_ in fact.article_ids}
    for article in own:
        threshold = SAME_FAMILY_SIMILARITY if _family(article.id, families) in fact_families else REWORDED_SIMILARITY
        for index in range(len(article.sentences)):
            if any(
                sentences.similarity((article.id, index), (e.article_id, e.sentence_index)) >= threshold
                for e in fact.evidence
            ):
                return True
    return False


def _family(article_id: str, families: SourceFamilies | None) -> str:
    if families is None:
        return article_id
    return families.family_of.get(article_id, article_id)
