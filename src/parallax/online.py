"""Online story clustering: each arriving article joins the best-matching active story or starts a new one.

Method `cluster.online.v2`. Articles are taken in date order (undated ones last, in input order). A story is
*active* while its newest article is at most `quiet_days` older than the newest date seen; a dated article can
join only an active story. A quiet story stays in a bounded index (the `max_stories` most recently joined
stories) only so that an undated article, which may belong to any of them, can still find it. Memory is bounded
by `max_stories` however long the stream.

For each article the index scores every joinable story at once on a short dense sketch of the text
(`online_vectors.sketch`) and keeps the `candidates` best; those are compared with the article on the signals
of `online_features` (TF-IDF of words, word pairs, titles, leads, names and numbers against the story's seed
members; days apart; how clearly the best candidate beats the others). A logistic model of "this article
belongs to this story" over those signals was fitted on the AllSides/NeuS train split and its join threshold
and `quiet_days` chosen on a held-out part of train (`scripts/tune_online.py`); the parameters ship in
`data/cluster_online_v2.json`. The article joins the candidate with the highest probability when that reaches
`threshold`. Document frequencies are learned as articles arrive (hashed, fixed memory), so nothing fitted on
text ships and the result depends only on the articles and their order: adding them one by one gives the same
stories as one batch.

Story ids are stable: a story is named after its first article (`story_key`), so it keeps its id as it grows.

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from importlib import resources

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]  # no stubs

from parallax.cluster import Clustering
from parallax.model import Article
from parallax.online_features import SIGNALS, StoryProfile, shortlist, story_signals
from parallax.online_vectors import HASH_BITS, SKETCH_SIZE, ArticleVectors, Vectorizer

__all__ = [
    "METHOD",
    "SIGNALS",
    "Assignment",
    "OnlineClusterer",
    "OnlineOptions",
    "StoryIndex",
    "cluster_online",
    "cluster_stream",
    "default_online_options",
    "one_blas_thread",
    "story_key",
    "stream_order",
]

METHOD = "cluster.online.v2"
PARAMETERS = "cluster_online_v2.json"
SKETCHED = 32  # stories best by the text sketch whose text and title similarity is then taken exactly


@dataclass(slots=True, frozen=True)
class OnlineOptions:
    """Settings of online clustering.

    `weights` (one per `SIGNALS` entry) and `bias` make the logistic join model; `threshold` is the least join
    probability; `quiet_days` is how long a story stays active after its newest article; `max_stories` caps
    the index of active and quiet stories (the story joined longest ago leaves first); `candidates` is how many
    stories, best by text and title among the `SKETCHED` best by the text sketch, are scored on all signals.
    """

    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5
    quiet_days: int = 3
    max_stories: int = 5000
    candidates: int = 8

    def __post_init__(self) -> None:
        if len(self.weights) != len(SIGNALS):
            raise ValueError(f"OnlineOptions.weights needs {len(SIGNALS)} values ({', '.join(SIGNALS)})")
        if not 0.0 < self.threshold < 1.0:
            raise ValueError(f"OnlineOptions.threshold must be in (0, 1), not {self.threshold}")
        if self.quiet_days < 0 or self.max_stories < 1 or self.candidates < 1:
            raise ValueError("OnlineOptions: quiet_days >= 0, max_stories and candidates >= 1")


def default_online_options() -> OnlineOptions:
    """The shipped, fitted settings (`data/cluster_online_v2.json`)."""
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


class StoryIndex:
    """The indexed stories with their text sketches, one matrix row each: active stories first (the rows below
    `active`), quiet ones after them, so that a dated article scores only the active block."""

    def __init__(self, capacity: int) -> None:
        self.sketches = np.zeros((capacity, SKETCH_SIZE), dtype=np.float32)
        self.seeds = np.ones(capacity)
        self.stories: list[StoryProfile] = []
        self.active = 0

    def __len__(self) -> int:
        return len(self.stories)

    def best(self, sketch: NDArray[np.float32], *, dated: bool, count: int) -> list[StoryProfile]:
        """The `count` stories whose mean text similarity to `sketch` is highest, as the sketches estimate it."""
        rows = self.active if dated else len(self.stories)
        if not rows:
            return []
        scores = (self.sketches[:rows] @ sketch) / self.seeds[:rows]
        chosen = np.argsort(-scores, kind="stable")[:count] if rows <= count else self._top(scores, count)
        return [self.stories[r] for r in chosen.tolist()]

    @staticmethod
    def _top(scores: NDArray[np.float64], count: int) -> NDArray[np.int64]:
        top = np.argpartition(-scores, count)[:count]
        return top[np.lexsort((top, -scores[top]))]

    def add(self, story: StoryProfile) -> None:
        """Index a new (active) story."""
        row = len(self.stories)
        self.stories.append(story)
        story.slot = row
        self.sketches[row] = 0.0
        self.seeds[row] = 1.0
        self._swap(row, self.active)
        self.active += 1

    def grow(self, story: StoryProfile, sketch: NDArray[np.float32]) -> None:
        """Add a seed member's sketch to its story's row."""
        self.sketches[story.slot] += sketch
        self.seeds[story.slot] = story.seeds

    def quieten(self, story: StoryProfile) -> None:
        """Move an active story to the quiet block."""
        self.active -= 1
        self._swap(story.slot, self.active)
        story.quiet = True

    def remove(self, story: StoryProfile) -> None:
        """Take a story out of the index (moving the last rows into its place)."""
        if not story.quiet:
            self.quieten(story)
        last = len(self.stories) - 1
        self._swap(story.slot, last)
        self.stories.pop()
        story.release()

    def _swap(self, row: int, other: int) -> None:
        if row == other:
            return
        self.sketches[[row, other]] = self.sketches[[other, row]]
        self.seeds[[row, other]] = self.seeds[[other, row]]
        self.stories[row], self.stories[other] = self.stories[other], self.stories[row]
        self.stories[row].slot, self.stories[other].slot = row, other


class OnlineClusterer:
    """Takes articles one at a time (`add`) and keeps the assignments; `clustering()` gives the stories so far.

    Feed articles in `stream_order` for results that match `cluster_online` on the same articles.
    """

    def __init__(self, options: OnlineOptions | None = None) -> None:
        self.options = options or default_online_options()
        self.vectorize = Vectorizer()
        self.assignments: list[Assignment] = []
        self.centrality: dict[str, float] = {}
        self.members: dict[str, list[str]] = {}
        self.index = StoryIndex(self.options.max_stories)
        self._weights = np.array(self.options.weights)
        self._recent: dict[str, StoryProfile] = {}  # indexed stories, least recently joined first
        self._labels: dict[str, str] = {}
        self._key_of_label: dict[str, str] = {}
        self._expiry: list[tuple[int, str]] = []  # (last day, story key), a heap; stale entries are skipped
        self._clock: int | None = None
        self._scratch = np.zeros(1 << HASH_BITS)
        self.stories_started = 0  # every story it has made, indexed or not (`members` may hold only some)

    @property
    def active_stories(self) -> int:
        """How many stories are active now (joinable by a dated article)."""
        return self.index.active

    @property
    def indexed_stories(self) -> int:
        """How many stories the index holds now, active and quiet."""
        return len(self.index)

    def add(self, article: Article) -> Assignment:
        """Assign `article` to the best active story, or start a story with it."""
        vectors = self.vectorize(article)
        self._expire(vectors.day)
        stories, signals, text_dots = self.signals(vectors)
        probabilities = self.probabilities(signals)
        best = int(np.argmax(probabilities)) if stories else -1
        if best >= 0 and probabilities[best] >= self.options.threshold:
            story, probability, text_dot = stories[best], float(probabilities[best]), float(text_dots[best])
        else:
            story, probability, text_dot = self._new_story(article.id), 1.0, 0.0
        self._join(story, article.id, vectors, text_dot)
        assignment = Assignment(article.id, story.key, probability)
        self.assignments.append(assignment)
        return assignment

    def add_all(self, articles: Iterable[Article]) -> list[Assignment]:
        """`add` each of `articles` (in `stream_order`), with NumPy's BLAS on one thread; their assignments."""
        with one_blas_thread():
            return [self.add(article) for article in articles]

    def add_labeled(self, article: Article, label: str) -> list[tuple[bool, NDArray[np.float64]]]:
        """For fitting: the signals against each candidate story with whether it is the article's gold story
        (`label`); then put the article in the indexed story of that label, or a new one."""
        vectors = self.vectorize(article)
        self._expire(vectors.day)
        stories, signals, _ = self.signals(vectors)
        examples = [(self._labels.get(s.key) == label, row) for s, row in zip(stories, signals, strict=True)]
        known = self._recent.get(self._key_of_label.get(label, ""))
        joinable = known is not None and not (known.quiet and vectors.day is not None)
        story = known if known is not None and joinable else self._new_story(article.id)
        self._labels[story.key], self._key_of_label[label] = label, story.key
        self._join(story, article.id, vectors, 0.0)
        self.assignments.append(Assignment(article.id, story.key, 1.0))
        return examples

    def signals(self, vectors: ArticleVectors) -> tuple[list[StoryProfile], NDArray[np.float64], NDArray[np.float64]]:
        """The candidate stories for `vectors`, their `SIGNALS` (a row each) and raw text dot products."""
        sketched = self.index.best(vectors.sketch, dated=vectors.day is not None, count=SKETCHED)
        if not sketched or vectors.text.empty:
            return [], np.zeros((0, len(SIGNALS))), np.zeros(0)
        chosen = shortlist(vectors, sketched, self._scratch, self.options.candidates)
        return chosen.stories, story_signals(vectors, chosen, self._scratch), chosen.text_dots

    def probabilities(self, signals: NDArray[np.float64]) -> NDArray[np.float64]:
        """The join probability of the logistic model for each row of signals."""
        score = np.clip(self.options.bias + signals @ self._weights, -50.0, 50.0)
        return np.asarray(1.0 / (1.0 + np.exp(-score)), dtype=np.float64)

    def _new_story(self, article_id: str) -> StoryProfile:
        while len(self.index) >= self.options.max_stories:
            oldest = next(iter(self._recent.values()))
            del self._recent[oldest.key]
            self.index.remove(oldest)
        story = StoryProfile(story_key(article_id), slot=-1)
        self.stories_started += 1
        self.index.add(story)
        self._recent[story.key] = story
        self.members[story.key] = story.members
        return story

    def _join(self, story: StoryProfile, article_id: str, vectors: ArticleVectors, text_dot: float) -> None:
        seeds = max(story.seeds, 1)
        self.centrality[article_id] = text_dot / seeds if story.members else 1.0
        story.members.append(article_id)
        if story.grow(vectors):
            self.index.grow(story, vectors.sketch)
        if vectors.day is not None:
            story.widen_dates(vectors.day)
            assert story.last_day is not None
            heapq.heappush(self._expiry, (story.last_day, story.key))
        self._recent[story.key] = self._recent.pop(story.key)  # now the most recently joined

    def _expire(self, day: int | None) -> None:
        if day is None:
            return
        self._clock = day if self._clock is None else max(self._clock, day)
        horizon = self._clock - self.options.quiet_days
        while self._expiry and self._expiry[0][0] < horizon:
            last_day, key = heapq.heappop(self._expiry)
            story = self._recent.get(key)
            if story is not None and story.last_day == last_day and not story.quiet:
                self.index.quieten(story)

    def clustering(self) -> Clustering:
        """The stories so far as a `Clustering` (groups largest first; method `cluster.online.v2`)."""
        stories = sorted(self.members.items(), key=lambda item: (-len(item[1]), min(item[1])))
        return Clustering([list(m) for _, m in stories], dict(self.centrality), METHOD, [k for k, _ in stories])


def cluster_online(articles: Sequence[Article], options: OnlineOptions | None = None) -> Clustering:
    """Partition `articles` into stories by streaming them in `stream_order` through an `OnlineClusterer`."""
    return cluster_stream(stream_order(articles), options)


def cluster_stream(articles: Iterable[Article], options: OnlineOptions | None = None) -> Clustering:
    """`cluster_online` of articles given already in `stream_order` (as a store's `originals` come), read one
    at a time and not kept: memory holds the clusterer's bounded index and each article's assignment only."""
    clusterer = OnlineClusterer(options)
    clusterer.add_all(articles)
    return clusterer.clustering()


def one_blas_thread() -> threadpool_limits:
    """A context that keeps NumPy's BLAS to one thread: the clusterer makes many small matrix products, on which
    BLAS threads spin. Wrap a stream of `add` calls in it."""
    return threadpool_limits(limits=1, user_api="blas")


def with_threshold(options: OnlineOptions, threshold: float) -> OnlineOptions:
    """The same settings with another join threshold."""
    return replace(options, threshold=threshold)
