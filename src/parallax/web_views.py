"""What the web pages draw, computed server-side: a story's coverage timeline and fact × outlet matrix as SVG
geometry, and an article's text cut into runs marked as shared passage and/or loaded term (method
`web.views.v1`). Templates only place these values; nothing here needs JavaScript to be read.

    >>> [(s.text, s.shared, s.loaded is not None) for s in marked_segments("abc def", [(0, 3)], [])]
    [('abc', True, False), (' def', False, False)]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from parallax.loaded import LoadedTerm
from parallax.model import Article, Story, outlet_label

__all__ = [
    "METHOD",
    "FactMatrix",
    "MarkedSegment",
    "Timeline",
    "TimelineDot",
    "TimelineRow",
    "TimelineTick",
    "coverage_timeline",
    "fact_matrix",
    "marked_segments",
]

METHOD = "web.views.v1"
TIMELINE_WIDTH = 720
LABEL_WIDTH = 180
ROW_HEIGHT = 26
AXIS_HEIGHT = 30
MAX_TICKS = 6
MATRIX_CELL = 18
MATRIX_LABEL_HEIGHT = 120
MATRIX_MAX_FACTS = 40
"""The matrix plot shows at most this many facts (the table below it lists them all)."""


@dataclass(slots=True, frozen=True)
class TimelineDot:
    """One article on the timeline: where it is drawn and what its tooltip and link say."""

    x: float
    article_id: str
    label: str


@dataclass(slots=True, frozen=True)
class TimelineRow:
    """One outlet's row of the timeline."""

    outlet: str
    y: float
    dots: list[TimelineDot]


@dataclass(slots=True, frozen=True)
class TimelineTick:
    """A date label on the time axis."""

    x: float
    label: str


@dataclass(slots=True, frozen=True)
class Timeline:
    """A story's coverage over time, one row per outlet, as SVG geometry; undated articles are listed apart."""

    width: int
    height: int
    label_width: int
    rows: list[TimelineRow]
    ticks: list[TimelineTick]
    undated: list[Article]


def _x(day: date, first: date, last: date) -> float:
    span = (last - first).days
    plot = TIMELINE_WIDTH - LABEL_WIDTH - 20
    return LABEL_WIDTH + 10 + (plot * (day - first).days / span if span else plot / 2)


def _ticks(first: date, last: date) -> list[TimelineTick]:
    span = (last - first).days
    if span == 0:
        return [TimelineTick(_x(first, first, last), first.isoformat())]
    step = max(1, round(span / (MAX_TICKS - 1)))
    days = sorted({*range(0, span, step), span})
    return [TimelineTick(_x(first, first, last), first.isoformat())] + [
        TimelineTick(_x(date.fromordinal(first.toordinal() + d), first, last), _tick_label(first, d)) for d in days if d
    ]


def _tick_label(first: date, offset: int) -> str:
    return date.fromordinal(first.toordinal() + offset).isoformat()


def coverage_timeline(story: Story, articles: Mapping[str, Article]) -> Timeline:
    """Lay out the story's articles by publication date, one row per outlet (outlets by first article)."""
    members = [articles[i] for i in story.article_ids if i in articles]
    dated = sorted(((a.published, a) for a in members if a.published is not None), key=lambda p: (p[0], p[1].id))
    undated = [a for a in members if a.published is None]
    outlets = list(dict.fromkeys(outlet_label(a) for _, a in dated))
    if not dated:
        return Timeline(TIMELINE_WIDTH, 0, LABEL_WIDTH, [], [], undated)
    first, last = dated[0][0], dated[-1][0]
    rows = []
    for index, outlet in enumerate(outlets):
        dots = [
            TimelineDot(_x(day, first, last), a.id, f"{day} · {a.title or '(untitled)'}")
            for day, a in dated
            if outlet_label(a) == outlet
        ]
        rows.append(TimelineRow(outlet, AXIS_HEIGHT + ROW_HEIGHT * index + ROW_HEIGHT / 2, dots))
    height = AXIS_HEIGHT + ROW_HEIGHT * len(outlets) + 6
    return Timeline(TIMELINE_WIDTH, height, LABEL_WIDTH, rows, _ticks(first, last), undated)


@dataclass(slots=True, frozen=True)
class FactMatrix:
    """Facts × outlets as SVG geometry: `cells[i][j]` is True when outlet j states fact i."""

    outlets: list[str]
    facts: list[str]
    independent: list[int]
    positions: list[int]
    """Each shown fact's 1-based position in `story.facts` (the table row `#fact-N`)."""
    cells: list[list[bool]]
    cell: int
    label_height: int
    hidden: int

    @property
    def width(self) -> int:
        """Width of the drawing in pixels."""
        return 40 + self.cell * max(1, len(self.outlets)) + self.label_height

    @property
    def height(self) -> int:
        """Height of the drawing in pixels."""
        return self.label_height + self.cell * len(self.facts) + 4


def fact_matrix(story: Story, articles: Mapping[str, Article]) -> FactMatrix:
    """Which outlet states which fact, most independently reported facts first (at most MATRIX_MAX_FACTS)."""
    outlets = list(dict.fromkeys(outlet_label(articles[i]) for i in story.article_ids if i in articles))
    ranked = sorted(
        enumerate(story.facts, start=1), key=lambda p: (-p[1].independent_sources, -len(p[1].article_ids), p[0])
    )
    shown = [fact for _, fact in ranked[:MATRIX_MAX_FACTS]]
    cells = []
    for fact in shown:
        stating = {outlet_label(articles[i]) for i in fact.article_ids if i in articles}
        cells.append([outlet in stating for outlet in outlets])
    return FactMatrix(
        outlets=outlets,
        facts=[fact.text for fact in shown],
        independent=[fact.independent_sources for fact in shown],
        positions=[position for position, _ in ranked[:MATRIX_MAX_FACTS]],
        cells=cells,
        cell=MATRIX_CELL,
        label_height=MATRIX_LABEL_HEIGHT,
        hidden=len(ranked) - len(shown),
    )


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
