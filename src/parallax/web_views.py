"""What the article page draws, computed server-side: an article's text cut into runs marked as shared passage
and/or loaded term (method `web.views.v2`). Templates only place these values; nothing here needs JavaScript to be
read. The story page's plots are `parallax.plots`' SVG, the same drawings as the static site's.

    >>> [(s.text, s.shared, s.loaded is not None) for s in marked_segments("abc def", [(0, 3)], [])]
    [('abc', True, False), (' def', False, False)]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from parallax.loaded import LoadedTerm

__all__ = ["METHOD", "MarkedSegment", "marked_segments"]

METHOD = "web.views.v2"
"""v2: the story plots moved to `parallax.plots` (one set of drawings for the site and the web app)."""


@dataclass(slots=True, frozen=True)
class MarkedSegment:
    """A run of article text: whether it lies in a shared passage, and the loaded term it is, if any."""

    text: str
    shared: bool
    loaded: LoadedTerm | None


def marked_segments(text: str, shared: Iterable[tuple[int, int]], loaded: Sequence[LoadedTerm]) -> list[MarkedSegment]:
    """Cut `text` into runs covering it exactly, each marked shared and/or as a loaded term (terms never overlap)."""
    clamped = ((max(0, s), min(len(text), e)) for s, e in shared)
    spans = [(s, e) for s, e in clamped if s < e]
    terms = sorted((t for t in loaded if 0 <= t.start < t.end <= len(text)), key=lambda t: t.start)
    cuts = {0, len(text)}
    for start, end in spans:
        cuts.update((start, end))
    for found in terms:
        cuts.update((found.start, found.end))
    bounds = sorted(cuts)
    segments: list[MarkedSegment] = []
    term_index = 0
    for start, end in pairwise(bounds):
        while term_index < len(terms) and terms[term_index].end <= start:
            term_index += 1
        term = terms[term_index] if term_index < len(terms) and terms[term_index].start <= start else None
        is_shared = any(s <= start and end <= e for s, e in spans)
        segments.append(MarkedSegment(text[start:end], is_shared, term))
    return segments
