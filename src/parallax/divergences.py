"""Divergences: the same question answered differently by the articles of one story, each side with its evidence.

Method `divergences.v1`, over the annotated articles (quantities, times, events, entities) and the story's facts
(`compare.align.v1`). Two sentences of different articles are *aligned* when one fact holds both, and *related*
when aligned or their TF-IDF cosine is at least `related_similarity` (0.25, `divergence_model.RELATED_SIMILARITY`).
Relatedness alone never makes a divergence: a key must match too (the thing measured, or the act). Each side lists
its value, articles, outlets, independent sources (`families`: reprints of one dispatch count once) and evidence:
article id, sentence index and text, and the span of the value in the article's clean text.

- **quantity** (`divergence_quantities`): amounts of one dimension (and currency) that count or measure the same
  thing: the lemmatised head of `counted`, else the noun right after the amount ("six weeks of *fighting*", "a
  six-week *conflict*"), folded by a small synonym table (`SAME_THING`: dead/killed/lives -> deaths;
  war/conflict/clashes -> fighting); words that name no thing ("a three-year *low*", "$60 billion *worth*", "five
  *times*") are not keys. Counts and other amounts must be in one fact *and* have something said alike of them
  (lower-case words next to the amount in its clause: "*injured* 40 people" is not "*sent* 29 people to
  *hospital*"); durations may be in related sentences or in sentences set in one
  period ("in autumn 2020" / "in the fall of 2020"). Different amounts form sides; each is read as an interval: a
  range as its bounds, "around"/"about" as +-10% (`about_margin`), "nearly" as up to 10% below, "more than" and a
  vague plural ("dozens", "billions") as open above, "up to" as open below, a whole number of weeks, months, years
  or decades as +-half a unit (a round figure), anything else exact (`quantities.same_amount`, 1%). When all
  sides' intervals overlap the divergence is `compatible` and its note gives the readings ("six weeks" as
  38.5-45.5 days vs "44 days"); otherwise the note says "conflicting". A group in which one article gives two
  amounts is ambiguous and left out.
- **date** (`divergence_events`): one act (same action and actor, not negated) in sentences of different articles
  that one fact holds, or that are related and name the same target; each sentence must carry exactly one time
  expression, so that the date is the act's ("accused Russia on Sunday ... a 2020 agreement" is not compared). A
  day compares by weekday (a weekday holds whatever the publication dates; "today" and "tomorrow" resolved against
  two publication days are not compared); anything longer only when written out ("in 2020", "July 16") and
  resolved, by whether the periods overlap.
- **denial**: a `deny` event whose target points back ("denied the allegations", "those claims"; not "it", nor
  "the allegations that ...") answers the sentence before, if that sentence frames a claim ("accused", "alleged",
  "insisted", "the justification ... was", "according to") and is not itself a denial. The claim side is every
  article stating that sentence's fact (one outlet reporting both is still a disputed claim worth showing), the
  denial side the sentences of the denial's fact that also deny. And one act stated in one article and negated in
  another ("did not attack"), in related sentences.
- **actor**: in one fact, events of one action and target whose actors are different countries (a capital acting,
  "Baku said", is its country's government; a ministry "of Russia" or "Russia's Foreign Ministry" is Russia's).
  People and groups are not compared: without knowing whom they act for, "Aliyev" vs "Azerbaijan" would be a false
  divergence. An article naming two actors of the act is left out.
- **cause**: in one fact, two sentences of different articles that explain the same thing (the words before the
  reason marker share a content word) by reasons ("because (of)", "due to", "owing to", "citing", "on the grounds
  that", "in protest at/against", "in retaliation for") of at least two content words that share none. "after" and
  "over" are not read as reasons: "six weeks of fighting over the region" and "tensions after Azerbaijan closed
  the corridor" (both in the bundled example) are not causes.

Actors and targets compare by their content words with each entity named canonically ("Baku" acting = Azerbaijan;
"the Lachin Corridor" = "the Lachin corridor", but not "the corridor"): a miss, never a false match, when outlets
name a thing differently.

Checked by hand, not tuned to a score: on the first 162 AllSides NeuS val stories with two or more full texts
(`allsides_neus`, texts over 1,500 characters), an earlier draft (counts linked by merely similar sentences, dates
compared granularity by granularity, any "it" denied) gave 39 divergences, most of its conflicting ones wrong (a
country's total against another's new cases, "four boys remain" against "eight freed", a forum's opening date
against the day a visit was cancelled). These rules give 7, each right on reading: five claims with their denials
(all within one outlet), "more than 20,000" against "18,860" coronavirus deaths (CNN / Fox, one tally read on two
days) and "two" against "at least 29" arrests (The Guardian / Fox). NewsWCL50 (10 events, 50 texts) gives none.
Recall is low by design: compatible figures in sentences the alignment keeps apart ("more than 15,000" / "15,300"
new cases) are no longer shown.

Not caught: a reason stated in a sentence the others do not align with ("The justification for closing the Lachin
Corridor was that ..."); counts in sentences the alignment keeps apart; actors that are people or groups; a denial
that is not of the lexicon's `deny` class or names the claim in its own words; dates the extractor did not resolve
and that name no weekday. What the event and quantity extractors misread (a missed negation, a wrong target, a
wrong counted noun) passes straight through. Divergences come out by independent sources involved (most first),
conflicting before compatible, then by kind (quantity, date, denial, actor, cause), then by question.
"""

from __future__ import annotations

from collections.abc import Sequence

from parallax.divergence_events import actor_divergences, cause_divergences, date_divergences, denial_divergences
from parallax.divergence_model import (
    DEFAULT_DIVERGENCE_OPTIONS,
    KIND_ORDER,
    METHOD,
    Divergence,
    DivergenceEvidence,
    DivergenceOptions,
    DivergenceSide,
    StoryContext,
)
from parallax.divergence_quantities import quantity_divergences
from parallax.families import SourceFamilies
from parallax.model import Article, Fact
from parallax.story_sentences import StorySentences

__all__ = [
    "DEFAULT_DIVERGENCE_OPTIONS",
    "METHOD",
    "Divergence",
    "DivergenceEvidence",
    "DivergenceOptions",
    "DivergenceSide",
    "find_divergences",
]


def find_divergences(
    articles: Sequence[Article],
    facts: Sequence[Fact],
    families: SourceFamilies | None = None,
    options: DivergenceOptions = DEFAULT_DIVERGENCE_OPTIONS,
) -> list[Divergence]:
    """Find where a story's `articles` answer the same question differently, given their aligned `facts`.

    Without `families`, every article counts as its own source.

        >>> comparison = compare_story(story, articles, families=families)  # doctest: +SKIP
        >>> for divergence in find_divergences(articles, comparison.facts, families):  # doctest: +SKIP
        ...     print(divergence.kind, divergence.question, [side.value for side in divergence.sides])
    """
    context = StoryContext(
        {article.id: article for article in articles},
        {(e.article_id, e.sentence_index): n for n, fact in enumerate(facts) for e in fact.evidence},
        StorySentences.of(articles),
        families,
        options,
    )
    found = [
        *quantity_divergences(context),
        *date_divergences(context),
        *denial_divergences(context),
        *actor_divergences(context, facts),
        *cause_divergences(context, facts),
    ]
    if not options.include_compatible:
        found = [divergence for divergence in found if not divergence.compatible]
    unique = list({(d.kind, d.question, d.sides): d for d in found}.values())
    return sorted(
        unique,
        key=lambda d: (-d.independent_sources, d.compatible, KIND_ORDER.index(d.kind), d.question, d.sides[0].value),
    )
