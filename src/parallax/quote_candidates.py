"""The values the quote rules pass between their steps: a mention in the text and a candidate quote.

An implementation module of `parallax.quotes` (`quotes.rules.v1`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Candidate", "Mention", "QuoteKind"]

QuoteKind = Literal["direct", "indirect"]


@dataclass(slots=True, frozen=True)
class Mention:
    """Words of the text (a speaker or a reporting verb) with their span."""

    text: str
    start: int
    end: int


@dataclass(slots=True, frozen=True)
class Candidate:
    """A quote the rules propose, before overlaps are settled and pronoun speakers resolved."""

    start: int
    end: int
    kind: QuoteKind
    speaker: Mention | None
    verb: Mention | None
    attributed: bool
    fallback: bool = False
    """A sentence-level attribution ("according to", a trailing "X said"), yielding to a reporting verb's clause."""
