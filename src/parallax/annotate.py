"""Read what each article says: quotes, quantities, times, entities and events, as typed items with exact spans.

`Annotate` is the per-article stage after `Extract` (it needs the clean text and the publication date). Each
kind is one rule-based module scored against its own hand-annotated gold set (`parallax eval extract`):

- `quotes` (`parallax.quotes`): direct and indirect quotes with speaker and reporting verb;
- `quantities` (`parallax.quantities`): amounts with unit, dimension, what they count and a normalised value;
- `times` (`parallax.timexpr`): time expressions resolved against `Article.published` (unresolved ones are
  kept and marked);
- `entities` (`parallax.entities`): people, organisations, countries, places, groups and governments, each
  mention with the canonical form it shares with its coreferents ("Aliyev" = "Ilham Aliyev");
- `events` (`parallax.events`): actor-action-target statements mapped to PLOVER and CAMEO, with negation and
  attribution ("Azerbaijan says Russia ..." is Azerbaijan's claim).

When entities are read, quote speakers and event actors and targets are linked to them (`parallax.links`):
each gets the canonical entity its words stand for, or None. Spans are character offsets into `Article.text`,
so views can highlight them. Nothing is dropped here.
"""

from __future__ import annotations

from dataclasses import dataclass

from parallax.entities import EntityRecognizer, extract_entities
from parallax.events import extract_events
from parallax.links import link_arguments
from parallax.model import Article
from parallax.quantities import extract_quantities
from parallax.quotes import extract_quotes
from parallax.stages import Stage
from parallax.timexpr import extract_times

__all__ = ["KINDS", "Annotate", "AnnotateOptions"]

KINDS = ("quotes", "quantities", "times", "entities", "events")
"""What `Annotate` can read, each filling the `Article` field of the same name."""


@dataclass(slots=True, frozen=True)
class AnnotateOptions:
    """Which kinds to read (all by default; leaving one out leaves its `Article` field empty), and plug-in entity
    recognisers such as a statistical NER model the user installed (`entities.EntityRecognizer`)."""

    kinds: tuple[str, ...] = KINDS
    entity_recognizers: tuple[EntityRecognizer, ...] = ()

    def __post_init__(self) -> None:
        unknown = sorted(set(self.kinds) - set(KINDS))
        if unknown:
            raise ValueError(f"unknown kind(s) {', '.join(unknown)}; valid: {', '.join(KINDS)}")


class Annotate(Stage):
    """The annotate stage: quotes, quantities, resolved times, entities and events of each article."""

    name = "annotate"

    def __init__(self, options: AnnotateOptions | None = None) -> None:
        super().__init__()
        self.options = options or AnnotateOptions()

    def process(self, article: Article) -> Article:
        kinds = self.options.kinds
        if "quotes" in kinds:
            article.quotes = extract_quotes(article.text)
        if "quantities" in kinds:
            article.quantities = extract_quantities(article.text)
        if "times" in kinds:
            article.times = extract_times(article.text, article.published)
        if "entities" in kinds:
            article.entities = extract_entities(article.text, self.options.entity_recognizers)
        if "events" in kinds:
            article.events = extract_events(article.text)
        if "entities" in kinds:
            link_arguments(article)
        for kind in kinds:
            self.report.counts[kind] += len(getattr(article, kind))
        return article
