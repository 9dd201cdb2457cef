"""Read what each article says: its quotes, quantities and time expressions, as typed items with exact spans.

`Annotate` is the per-article stage after `Extract` (it needs the clean text and the publication date). Each
kind is one rule-based module scored against its own hand-annotated gold set (`parallax eval extract`):

- `quotes` (`parallax.quotes`): direct and indirect quotes with speaker and reporting verb;
- `quantities` (`parallax.quantities`): amounts with unit, dimension, what they count and a normalised value;
- `times` (`parallax.timexpr`): time expressions resolved against `Article.published` (unresolved ones are
  kept and marked).

Spans are character offsets into `Article.text`, so views can highlight them. Nothing is dropped here.
"""

from __future__ import annotations

from dataclasses import dataclass

from parallax.model import Article
from parallax.quantities import extract_quantities
from parallax.quotes import extract_quotes
from parallax.stages import Stage
from parallax.timexpr import extract_times

__all__ = ["KINDS", "Annotate", "AnnotateOptions"]

KINDS = ("quotes", "quantities", "times")
"""What `Annotate` can read, each filling the `Article` field of the same name."""


@dataclass(slots=True, frozen=True)
class AnnotateOptions:
    """Which kinds to read (all by default); leaving one out leaves its `Article` field empty."""

    kinds: tuple[str, ...] = KINDS

    def __post_init__(self) -> None:
        unknown = sorted(set(self.kinds) - set(KINDS))
        if unknown:
            raise ValueError(f"unknown kind(s) {', '.join(unknown)}; valid: {', '.join(KINDS)}")


class Annotate(Stage):
    """The annotate stage: quotes, quantities and resolved time expressions of each article."""

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
        for kind in kinds:
            self.report.counts[kind] += len(getattr(article, kind))
        return article
