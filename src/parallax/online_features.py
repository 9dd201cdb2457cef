"""What online story clustering knows about a story, and the signals that compare an arriving article with it.

Part of `cluster.online.v2`. A `StoryProfile` keeps, for the first `SEED_MEMBERS` articles of a story, the sum of
their unit vectors in each channel of `online_vectors` (so a story keeps matching its own event rather than
drifting towards everything as it grows) and the story's first and last publication day. `story_signals`
compares one article with several candidate stories at once, one gather per channel (`SIGNALS`), after
`shortlist` has kept the candidates best on text and title:

- `text_mean`, `pairs`, `title`, `lead`, `names`, `numbers`: the article's vector dotted with the story's sum
  over its seed count, which is the mean cosine with the seed members (average linkage);
- `title_text`, `text_title`: the article's title against the story's texts and its text against their titles
  (a lead-only report often restates another's headline);
- `both_dated` and `days_*`: whether both sides are dated, and the days from the story's date span, in bins;
- `margin`: the text mean minus the best text mean among the other candidates: an article that matches one
  story clearly better than any other belongs to it more surely than one torn between two (two events of one
  topic).

Every signal is a mean over the seed members, never a sum or a centroid cosine, so none of them grows or shrinks
with the story's size: the train data's stories all have three articles, and a model that could see size would
learn that a story is full at three (fitted with the centroid cosine beside the mean, it did: NewsWCL50 0.954
instead of 0.984, ECB+ 0.842 instead of 0.857; `eval/results/tune_online_experiments.json`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from parallax.online_vectors import EMPTY, ArticleVectors, SparseVector, add_vectors

__all__ = ["SEED_MEMBERS", "SIGNALS", "Shortlist", "StoryProfile", "dots", "shortlist", "story_signals"]

SEED_MEMBERS = 10  # a story's sums stop growing after this many articles: later joins must match its core,
# so a big story cannot drift into a generic centroid that matches everything
SIGNALS = (
    "text_mean",
    "pairs",
    "title",
    "lead",
    "title_text",
    "text_title",
    "names",
    "numbers",
    "both_dated",
    "days_0",
    "days_1",
    "days_2_3",
    "days_4_7",
    "days_over_7",
    "margin",
)
DAY_BINS = ((0, 0), (1, 1), (2, 3), (4, 7), (8, 1 << 30))  # bounds of the days_* signals, inclusive


@dataclass(slots=True)
class StoryProfile:
    """One story of the online index: its members and the sums of its seed members' vectors."""

    key: str
    slot: int
    members: list[str] = field(default_factory=list)
    seeds: int = 0
    text: SparseVector = EMPTY
    pairs: SparseVector = EMPTY
    title: SparseVector = EMPTY
    lead: SparseVector = EMPTY
    names: SparseVector = EMPTY
    numbers: SparseVector = EMPTY
    first_day: int | None = None
    last_day: int | None = None
    quiet: bool = False

    def grow(self, vectors: ArticleVectors) -> bool:
        """Add a member's vectors to the sums while the story has fewer than `SEED_MEMBERS`; whether it was added."""
        if self.seeds >= SEED_MEMBERS:
            return False
        self.seeds += 1
        self.text = add_vectors(self.text, vectors.text)
        self.pairs = add_vectors(self.pairs, vectors.pairs)
        self.title = add_vectors(self.title, vectors.title)
        self.lead = add_vectors(self.lead, vectors.lead)
        self.names = add_vectors(self.names, vectors.names)
        self.numbers = add_vectors(self.numbers, vectors.numbers)
        return True

    def widen_dates(self, day: int | None) -> None:
        """Widen the story's date span to `day`."""
        if day is not None:
            self.first_day = day if self.first_day is None else min(self.first_day, day)
            self.last_day = day if self.last_day is None else max(self.last_day, day)

    def release(self) -> None:
        """Let go of the sums (the story left the index)."""
        self.text = self.pairs = self.title = self.lead = self.names = self.numbers = EMPTY


def dots(scratch: NDArray[np.float64], query: SparseVector, stacked: list[SparseVector]) -> NDArray[np.float64]:
    """`query` dotted with each of `stacked`, in one gather (`scratch`: zeros, as long as the hash space)."""
    count = len(stacked)
    if query.empty:
        return np.zeros(count)
    sizes = [len(v.index) for v in stacked]
    if not sum(sizes):
        return np.zeros(count)
    scratch[query.index] = query.values
    products = scratch[np.concatenate([v.index for v in stacked])] * np.concatenate([v.values for v in stacked])
    scratch[query.index] = 0.0
    owner = np.repeat(np.arange(count), sizes)
    return np.asarray(np.bincount(owner, weights=products, minlength=count), dtype=np.float64)


@dataclass(slots=True, frozen=True)
class Shortlist:
    """Candidate stories for one article, best first, with the text and title dot products already taken and
    each one's `margin` over the best of the other shortlisted stories."""

    stories: list[StoryProfile]
    text_dots: NDArray[np.float64]
    title_dots: NDArray[np.float64]
    margins: NDArray[np.float64]


def shortlist(
    vectors: ArticleVectors, stories: list[StoryProfile], scratch: NDArray[np.float64], count: int
) -> Shortlist:
    """The `count` of `stories` with the highest mean text plus title similarity to `vectors` (ties: earlier)."""
    seeds = np.array([max(s.seeds, 1) for s in stories], dtype=np.float64)
    text_dots = dots(scratch, vectors.text, [s.text for s in stories])
    title_dots = dots(scratch, vectors.title, [s.title for s in stories])
    means = text_dots / seeds
    best = np.argsort(-(means + title_dots / seeds), kind="stable")[:count]
    return Shortlist([stories[n] for n in best.tolist()], text_dots[best], title_dots[best], _margin(means)[best])


def story_signals(vectors: ArticleVectors, chosen: Shortlist, scratch: NDArray[np.float64]) -> NDArray[np.float64]:
    """The `SIGNALS` of `vectors` against each shortlisted story (a row per story)."""
    stories = chosen.stories
    seeds = np.array([max(s.seeds, 1) for s in stories], dtype=np.float64)
    columns = [
        chosen.text_dots / seeds,
        dots(scratch, vectors.pairs, [s.pairs for s in stories]) / seeds,
        chosen.title_dots / seeds,
        dots(scratch, vectors.lead, [s.lead for s in stories]) / seeds,
        dots(scratch, vectors.title, [s.text for s in stories]) / seeds,
        dots(scratch, vectors.text, [s.title for s in stories]) / seeds,
        dots(scratch, vectors.names, [s.names for s in stories]) / seeds,
        dots(scratch, vectors.numbers, [s.numbers for s in stories]) / seeds,
        *_day_signals(vectors.day, stories),
        chosen.margins,
    ]
    return np.column_stack(columns)


def _day_signals(day: int | None, stories: list[StoryProfile]) -> list[NDArray[np.float64]]:
    count = len(stories)
    if day is None:
        return [np.zeros(count) for _ in range(1 + len(DAY_BINS))]
    dated = np.array([s.last_day is not None for s in stories])
    first = np.array([s.first_day if s.first_day is not None else day for s in stories])
    last = np.array([s.last_day if s.last_day is not None else day for s in stories])
    gap = np.maximum(np.maximum(first - day, day - last), 0)
    bins = [dated & (gap >= low) & (gap <= high) for low, high in DAY_BINS]
    return [dated.astype(np.float64)] + [b.astype(np.float64) for b in bins]


def _margin(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Each value minus the best of the others (minus 0 when there are no others)."""
    if len(values) < 2:
        return values.copy()
    top_two = np.sort(values)[-2:]
    best_other = np.where(values >= top_two[1], top_two[0], top_two[1])
    return np.asarray(values - best_other, dtype=np.float64)
