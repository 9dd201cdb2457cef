"""Exact duplicates: articles whose clean text is the same, whatever their source.

The first article seen with a given normalised text is canonical; each later one is marked
`duplicate_of = <canonical id>`. Duplicates stay stored and linked (nothing is lost) but are left out of
clustering and comparison, so one text read twice is never counted as two reports. Near duplicates and
shared passages are a later pass over the same corpus.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from parallax.model import Article
from parallax.stages import StageReport

__all__ = ["METHOD", "ExactDuplicates", "find_exact_duplicates", "text_fingerprint"]

METHOD = "dedup.exact.v1"


def text_fingerprint(text: str) -> str:
    """Return a hash of text with case and whitespace normalised, so trivial re-flows compare equal."""
    normalised = " ".join(text.casefold().split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class ExactDuplicates:
    """The outcome of the exact-duplicate pass: which article each duplicate repeats, and the stage report."""

    duplicate_of: dict[str, str] = field(default_factory=dict)
    report: StageReport = field(default_factory=lambda: StageReport("dedup"))
    method: str = METHOD


def find_exact_duplicates(articles: Iterable[Article], known: Mapping[str, str] | None = None) -> ExactDuplicates:
    """Mark each article whose clean text repeats an earlier one (or one in `known`: fingerprint -> id)."""
    started = time.perf_counter()
    result = ExactDuplicates()
    canonical_by_fingerprint = dict(known or {})
    for article in articles:
        result.report.seen += 1
        fingerprint = text_fingerprint(article.text)
        canonical = canonical_by_fingerprint.setdefault(fingerprint, article.id)
        if canonical != article.id:
            article.duplicate_of = canonical
            result.duplicate_of[article.id] = canonical
            result.report.counts["duplicates"] += 1
        result.report.kept += 1
    result.report.seconds = time.perf_counter() - started
    return result
