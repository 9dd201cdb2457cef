"""Online story clustering: each arriving article joins the best-matching active story or starts a new one.

Method `cluster.online.v1`. Articles are taken in date order (undated ones last, in input order). An article is
compared with every *active* story (one that received an article within `quiet_days` of the newest date seen)
on six signals (`SIGNALS`). A story that goes quiet can no longer be joined by a dated article; it stays in a
bounded index (the `max_stories` most recently joined stories) only so that an undated article, which may
belong to any of them, can still find it. Memory is bounded by `max_stories` however long the stream. Signals:

- `text`: cosine of the article's TF-IDF vector with the story's centroid (sum of its members' unit vectors);
- `title`: the same for titles (the text cosine when either side has no title);
- `names`: the same for capitalised names (and canonical entities when the annotate stage has run);
- `numbers`: the same for numbers other than years and single digits;
- `facts`: how well the article's best sentences are matched by sentences of the story, both ways (reports of
  one event restate the same facts); the text cosine when either side has too few sentences;
- `days`: days from the story's newest article, over `quiet_days` (0 when either date is unknown).

A logistic model of "this article belongs to this story" over these signals was fitted on the AllSides/NeuS
train split and its join threshold chosen on a held-out part of train (`scripts/tune_online.py`); the
parameters ship in `data/cluster_online_v1.json`. The article joins the candidate with the highest probability
when that probability reaches `threshold`. Document frequencies are learned as articles arrive (hashed, fixed
memory, see `online_vectors`), so nothing fitted on text ships and the result depends only on the articles
and their order: adding them one by one gives the same stories as one batch.

A story's centroids are the sum of its first `SEED_MEMBERS` articles only, so that a long story keeps
matching its own event rather than drifting towards everything. Story ids are stable: a story is named after
its first article (`story_key`), so it keeps its id as it grows.

    >>> from parallax.model import Article
    >>> docs = ["Flood hits the northern valley town.", "The northern valley town is hit by a flood.",
    ...         "Parliament passes the budget bill."]
    >>> articles = [Article(id=str(i), source=str(i), raw_hash=str(i), raw_text=t, text=t) for i, t in enumerate(docs)]
    >>> cluster_online(articles).groups
    [['0', '1'], ['2']]
"""

from __future__ import annotations

import hashlib
import heapq
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]  # no stubs

from parallax.cluster import Clustering
from parallax.model import Article
from parallax.online_vectors import (
    EMPTY,
    HASH_BITS,
    ArticleVectors,
    SentenceBlock,
    SparseVector,
    Vectorizer,
    add_vectors,
    norm,
)

__all__ = [
    "METHOD",
    "SIGNALS",
    "Assignment",
    "OnlineClusterer",
    "OnlineOptions",
    "cluster_online",
    "default_online_options",
    "one_blas_thread",
    "story_key",
    "stream_order",
]

METHOD = "cluster.online.v1"
PARAMETERS = "cluster_online_v1.json"
SIGNALS = ("text", "title", "names", "numbers", "facts", "days")
MAX_STORY_SENTENCES = 120  # sentences a story keeps for fact matching: its first members say what it is about
SEED_MEMBERS = 10  # a story's centroids stop growing after this many articles: later joins must match its core,
# so a big story cannot drift into a generic centroid that matches everything (one of 821 articles did, on baly)
QUERY_TERMS = 40  # an article's heaviest terms that look up candidate stories
SHORTLIST = 30  # candidate stories scored exactly on text and title
COMPACT_AFTER = 200_000  # inverted-index entries before dropped stories are swept out


@dataclass(slots=True, frozen=True)
class OnlineOptions:
    """Settings of online clustering.

    `weights` (one per `SIGNALS` entry) and `bias` make the logistic join model; `threshold` is the least join
    probability; `quiet_days` is how long a story stays active after its newest article; `max_stories` caps
    the index of active and quiet stories (the story joined longest ago leaves first); `candidates` is how many
    stories, best by text and title, are scored on all signals; `min_sentences` is how many sentences both
    sides need for `facts`.
    """

    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5
    quiet_days: int = 7
    max_stories: int = 5000
    candidates: int = 6
    min_sentences: int = 3

    def __post_init__(self) -> None:
        if len(self.weights) != len(SIGNALS):
            raise ValueError(f"OnlineOptions.weights needs {len(SIGNALS)} values ({', '.join(SIGNALS)})")
        if not 0.0 < self.threshold < 1.0:
            raise ValueError(f"OnlineOptions.threshold must be in (0, 1), not {self.threshold}")
        if self.quiet_days < 0 or self.max_stories < 1 or self.candidates < 1 or self.min_sentences < 1:
            raise ValueError("OnlineOptions: quiet_days >= 0, max_stories, candidates and min_sentences >= 1")


def default_online_options() -> OnlineOptions:
    """The shipped, fitted settings (`data/cluster_online_v1.json`)."""
    stored = json.loads(resources.files("parallax").joinpath("data", PARAMETERS).read_text(encoding="utf-8"))
    if stored["method"] != METHOD or tuple(stored["signals"]) != SIGNALS:
        raise ValueError(f"{PARAMETERS} is for {stored['method']} {stored['signals']}, not {METHOD} {SIGNALS}")
    return OnlineOptions(
        weights=tuple(stored["weights"]),
        bias=stored["bias"],
        threshold=stored["threshold"],
        quiet_days=stored["quiet_days"],
    )


def story_key(first_article_id: str) -> str:
    """A story's stable id, from its first article: it does not change as the story grows."""
    return "s-" + hashlib.sha256(first_article_id.encode()).hexdigest()[:12]


def stream_order(articles: Iterable[Article]) -> list[Article]:
    """Articles in the order the online clusterer takes them: by date, undated last, ties in input order."""
    indexed = list(enumerate(articles))
    indexed.sort(key=lambda item: (item[1].published is None, item[1].published or 0, item[0]))
    return [a for _, a in indexed]


@dataclass(slots=True, frozen=True)
class Assignment:
    """Where one article went: its story's stable id, the join probability (1.0 for a new story), the method."""

    article_id: str
    story: str
    probability: float
    method: str = METHOD


@dataclass(slots=True)
class _Story:
    key: str
    slot: int
    members: list[str]
    text: SparseVector
    title: SparseVector
    names: SparseVector
    numbers: SparseVector
    sentence_blocks: list[SentenceBlock] = field(default_factory=list)
    stacked: SentenceBlock | None = None
    sentence_count: int = 0
    last_day: int | None = None
    quiet: bool = False


def _top_mean(values: NDArray[np.float64], top: int = 2) -> float:
    return float(-np.sort(-values)[:top].mean()) if len(values) else 0.0


class OnlineClusterer:
    """Takes articles one at a time (`add`) and keeps the assignments; `clustering()` gives the stories so far.

    Feed articles in `stream_order` for results that match `cluster_online` on the same articles. Candidate
    stories come from an inverted index over the terms of the active stories, queried with the article's
    `QUERY_TERMS` heaviest terms; the `SHORTLIST` best by shared weight are scored exactly.
    """

    def __init__(self, options: OnlineOptions | None = None) -> None:
        self.options = options or default_online_options()
        self.vectorize = Vectorizer(self.options.min_sentences)
        self.assignments: list[Assignment] = []
        self.centrality: dict[str, float] = {}
        self.members: dict[str, list[str]] = {}
        self._labels: dict[str, str] = {}
        self._key_of_label: dict[str, str] = {}
        self._active: dict[str, _Story] = {}  # active and quiet stories, least recently joined first
        self._quiet = 0
        self._by_slot: dict[int, _Story] = {}
        self._postings: dict[int, list[int]] = {}
        self._posted = 0
        self._compact_at = COMPACT_AFTER
        self._expiry: list[tuple[int, int]] = []  # (last day, slot), a heap; stale entries are skipped
        self._clock: int | None = None
        self._stories = 0
        self._scratch = np.zeros(1 << HASH_BITS)
        self._position = np.full(1 << HASH_BITS, -1, dtype=np.int64)

    @property
    def active_stories(self) -> int:
        """How many stories are active now (joinable by a dated article)."""
        return len(self._active) - self._quiet

    @property
    def indexed_stories(self) -> int:
        """How many stories the index holds now, active and quiet."""
        return len(self._active)

    def add(self, article: Article) -> Assignment:
        """Assign `article` to the best active story, or start a story with it."""
        vectors = self.vectorize(article)
        self._expire(vectors.day)
        scored = self.candidates(vectors)
        best = max(scored, key=lambda item: (item[1], -item[0].slot), default=None)
        if best is not None and best[1] >= self.options.threshold:
            story, probability = best
        else:
            story, probability = self._new_story(article.id), 1.0
        self._join(story, article.id, vectors)
        assignment = Assignment(article.id, story.key, probability)
        self.assignments.append(assignment)
        return assignment

    def add_labeled(self, article: Article, label: str) -> list[tuple[bool, tuple[float, ...]]]:
        """For fitting: the signals against each candidate story with whether it is the article's gold story
        (`label`); then put the article in the active story of that label, or a new one."""
        vectors = self.vectorize(article)
        self._expire(vectors.day)
        examples = [(self._labels.get(story.key) == label, signals) for story, signals in self.signals(vectors)]
        known = self._active.get(self._key_of_label.get(label, ""))
        story = known if known and not (known.quiet and vectors.day is not None) else self._new_story(article.id)
        self._labels[story.key], self._key_of_label[label] = label, story.key
        self._join(story, article.id, vectors)
        self.assignments.append(Assignment(article.id, story.key, 1.0))
        return examples

    def candidates(self, vectors: ArticleVectors) -> list[tuple[_Story, float]]:
        """The best active stories for `vectors`, each with its join probability."""
        return [(story, self.probability(signals)) for story, signals in self.signals(vectors)]

    def probability(self, signals: Sequence[float]) -> float:
        """The join probability of the logistic model for one signal vector."""
        score = self.options.bias + sum(w * s for w, s in zip(self.options.weights, signals, strict=True))
        return 1.0 / (1.0 + math.exp(-max(min(score, 50.0), -50.0)))

    def signals(self, vectors: ArticleVectors) -> list[tuple[_Story, tuple[float, ...]]]:
        """Every signal of `vectors` against the active stories that are best by text and title."""
        quick = []
        for story in self._shortlist(vectors.text, dated=vectors.day is not None):
            text = self._dot(vectors.text, story.text)
            # A missing headline says nothing: the text stands in for it (as for too few sentences below).
            title = text if vectors.title.empty or story.title.empty else self._dot(vectors.title, story.title)
            quick.append((text + title, story.slot, story, text, title))
        quick.sort(key=lambda item: (-item[0], item[1]))
        result: list[tuple[_Story, tuple[float, ...]]] = []
        for _, _, story, text, title in quick[: self.options.candidates]:
            facts = self._facts(vectors.sentences, story)
            signals = (
                text,
                title,
                self._dot(vectors.names, story.names),
                self._dot(vectors.numbers, story.numbers),
                text if facts is None else facts,
                self._days(vectors.day, story.last_day),
            )
            result.append((story, signals))
        return result

    def _shortlist(self, text: SparseVector, *, dated: bool) -> list[_Story]:
        if text.empty or not self._active:
            return []
        heaviest = np.argsort(-text.values, kind="stable")[:QUERY_TERMS]
        slots: list[int] = []
        weights: list[float] = []
        for term, weight in zip(text.index[heaviest].tolist(), text.values[heaviest].tolist(), strict=True):
            posted = self._postings.get(term)
            if posted:
                slots.extend(posted)
                weights.extend([weight] * len(posted))
        if not slots:
            return []
        found, inverse = np.unique(np.array(slots), return_inverse=True)
        shared = np.bincount(inverse, weights=np.array(weights))
        order = np.lexsort((found, -shared))
        stories = (self._by_slot.get(s) for s in found[order].tolist())
        chosen = [s for s in stories if s is not None and not (dated and s.quiet)]
        return chosen[:SHORTLIST]

    def _dot(self, query: SparseVector, story: SparseVector) -> float:
        if query.empty or story.empty:
            return 0.0
        length = norm(story)
        self._scratch[query.index] = query.values
        value = float(self._scratch[story.index] @ story.values) / length if length else 0.0
        self._scratch[query.index] = 0.0
        return value

    def _facts(self, sentences: SentenceBlock | None, story: _Story) -> float | None:
        if sentences is None or not story.sentence_blocks:
            return None
        if story.stacked is None:
            story.stacked = SentenceBlock.join(story.sentence_blocks)
        theirs = story.stacked
        terms = np.intersect1d(sentences.index, theirs.index)
        if not len(terms):
            return 0.0
        self._position[terms] = np.arange(len(terms))
        mine = self._project(sentences, len(terms))
        other = self._project(theirs, len(terms))
        self._position[terms] = -1
        block = mine @ other.T
        return (_top_mean(block.max(axis=1)) + _top_mean(block.max(axis=0))) / 2

    def _project(self, block: SentenceBlock, width: int) -> NDArray[np.float64]:
        """The block as a dense matrix over the terms `_position` numbers (others dropped: they add nothing)."""
        columns = self._position[block.index]
        kept = columns >= 0
        dense = np.zeros((block.count, width))
        dense[block.rows[kept], columns[kept]] = block.values[kept]
        return dense

    def _days(self, day: int | None, last_day: int | None) -> float:
        if day is None or last_day is None or not self.options.quiet_days:
            return 0.0
        return min(abs(day - last_day), self.options.quiet_days) / self.options.quiet_days

    def _new_story(self, article_id: str) -> _Story:
        self._stories += 1
        story = _Story(story_key(article_id), self._stories, [], EMPTY, EMPTY, EMPTY, EMPTY)
        self._active[story.key] = story
        self._by_slot[story.slot] = story
        self.members[story.key] = story.members
        return story

    def _join(self, story: _Story, article_id: str, vectors: ArticleVectors) -> None:
        self.centrality[article_id] = self._dot(vectors.text, story.text) if story.members else 1.0
        story.members.append(article_id)
        if len(story.members) <= SEED_MEMBERS:
            self._grow(story, vectors)
        if vectors.sentences is not None and story.sentence_count < MAX_STORY_SENTENCES:
            story.sentence_blocks.append(vectors.sentences)
            story.sentence_count += vectors.sentences.count
            story.stacked = None
        if vectors.day is not None:
            story.last_day = vectors.day if story.last_day is None else max(story.last_day, vectors.day)
            heapq.heappush(self._expiry, (story.last_day, story.slot))
        self._active[story.key] = self._active.pop(story.key)  # now the most recently joined

    def _grow(self, story: _Story, vectors: ArticleVectors) -> None:
        new_terms = np.setdiff1d(vectors.text.index, story.text.index, assume_unique=True)
        for term in new_terms.tolist():
            self._postings.setdefault(term, []).append(story.slot)
        self._posted += len(new_terms)
        story.text = add_vectors(story.text, vectors.text)
        story.title = add_vectors(story.title, vectors.title)
        story.names = add_vectors(story.names, vectors.names)
        story.numbers = add_vectors(story.numbers, vectors.numbers)

    def _expire(self, day: int | None) -> None:
        if day is not None:
            self._clock = day if self._clock is None else max(self._clock, day)
        if self._clock is not None:
            horizon = self._clock - self.options.quiet_days
            while self._expiry and self._expiry[0][0] < horizon:
                last_day, slot = heapq.heappop(self._expiry)
                story = self._by_slot.get(slot)
                if story is not None and story.last_day == last_day and not story.quiet:
                    story.quiet = True
                    self._quiet += 1
        while len(self._active) >= self.options.max_stories:
            self._drop(next(iter(self._active.values())))
        if self._posted > self._compact_at:
            self._compact()
            self._compact_at = max(COMPACT_AFTER, 2 * self._posted)

    def _drop(self, story: _Story) -> None:
        del self._active[story.key], self._by_slot[story.slot]
        self._quiet -= story.quiet
        story.sentence_blocks, story.stacked = [], None
        story.text = story.title = story.names = story.numbers = EMPTY

    def _compact(self) -> None:
        """Rebuild the inverted index from the active stories (it only ever grew; dropped stories linger)."""
        self._postings = {}
        for story in self._active.values():
            for term in story.text.index.tolist():
                self._postings.setdefault(term, []).append(story.slot)
        for posted in self._postings.values():
            posted.sort()
        self._posted = sum(len(p) for p in self._postings.values())

    def clustering(self) -> Clustering:
        """The stories so far as a `Clustering` (groups largest first; method `cluster.online.v1`)."""
        stories = sorted(self.members.items(), key=lambda item: (-len(item[1]), min(item[1])))
        return Clustering([list(m) for _, m in stories], dict(self.centrality), METHOD, [k for k, _ in stories])


def cluster_online(articles: Sequence[Article], options: OnlineOptions | None = None) -> Clustering:
    """Partition `articles` into stories by streaming them in `stream_order` through an `OnlineClusterer`."""
    clusterer = OnlineClusterer(options)
    with one_blas_thread():
        for article in stream_order(articles):
            clusterer.add(article)
    return clusterer.clustering()


def one_blas_thread() -> threadpool_limits:
    """A context that keeps NumPy's BLAS to one thread: the clusterer makes many tiny matrix products, on which
    BLAS threads spin (three times the CPU time on allsides_baly_bias). Wrap a stream of `add` calls in it."""
    return threadpool_limits(limits=1, user_api="blas")


def with_threshold(options: OnlineOptions, threshold: float) -> OnlineOptions:
    """The same settings with another join threshold."""
    return replace(options, threshold=threshold)
