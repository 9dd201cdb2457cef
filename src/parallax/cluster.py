"""Find the stories: group articles that report the same real-world event.

Method `cluster.tfidf.v1` blends two similarities of the same TF-IDF space (title and clean text, sublinear
term frequency, English stop words removed, idf fitted on the articles being clustered):

- document similarity: the cosine of the two articles' vectors;
- fact similarity: how well each article's best `top_sentences` sentences are matched by a sentence of the
  other (mean best-match cosine, both ways). Reports of one event restate the same facts in different words
  around them; reports of two events on one topic share background vocabulary but not statements. Sentences
  found in more than two articles (site boilerplate, "Sign up for our newsletter") and sentences under six
  words are ignored, and the fact similarity only counts when both articles have `min_sentences` sentences.

Pairs whose dates are both known and lie more than `window_days` apart have similarity zero. Average-linkage
agglomerative clustering merges groups while their mean similarity stays at or above `threshold`.

The settings are tuned on the AllSides/NeuS train split and checked on held-out labeled data by the evaluation
gates (`scripts/tune_cluster.py`, `eval/gates.json`, docs/ARCHITECTURE.md for the figures). Memory and time are
quadratic in the number of articles: fine to tens of thousands; beyond that, block by time window first.

    >>> from parallax.model import Article
    >>> docs = ["Flood hits the northern valley town.", "The northern valley town is hit by a flood.",
    ...         "Parliament passes the budget bill."]
    >>> articles = [Article(id=str(i), source=str(i), raw_hash=str(i), raw_text=t, text=t) for i, t in enumerate(docs)]
    >>> cluster_articles(articles).groups
    [['0', '1'], ['2']]
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from parallax.model import Article, Story

__all__ = [
    "DEFAULT_OPTIONS",
    "ClusterOptions",
    "Clustering",
    "cluster_articles",
    "similarity_matrix",
    "stories_from_clustering",
]

METHOD = "cluster.tfidf.v1"
TITLE_FALLBACK_CHARS = 120
MIN_SENTENCE_WORDS = 6


@dataclass(slots=True, frozen=True)
class ClusterOptions:
    """Settings of story clustering.

    `threshold`: the least mean cosine similarity between two groups for them to merge (average linkage).
    `window_days`: articles whose dates are further apart than this never share a story; articles without a
    date are compared on text alone.
    `sentence_weight`: the share of fact (sentence-match) similarity in the blend; 0 uses documents only.
    `top_sentences`, `min_sentences`: how many best-matched sentences count, and how many sentences both
    articles need for the fact similarity to count at all.
    `max_batch_articles`: the most articles this batch method takes: it holds several dense article x article
    matrices (8 bytes a cell: 5,000 articles are 200 MB each, 37,500 would be 11 GB) and its time grows faster
    than the square of the count (first AllSides articles by date, `benchmarks/bench_cluster.py --against-batch`:
    20 s for 1,000, 95 s for 2,000, 220 s for 3,000, against 1.4, 3.5 and 3.9 s online), so above this the
    pipeline clusters with the online method
    (`parallax.online`, bounded memory, linear time) and says so in its report.
    """

    threshold: float = 0.25
    window_days: int = 7
    sentence_weight: float = 0.5
    top_sentences: int = 2
    min_sentences: int = 4
    max_batch_articles: int = 2000

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"ClusterOptions.threshold must be in (0, 1], not {self.threshold}")
        if self.window_days < 0:
            raise ValueError(f"ClusterOptions.window_days must be >= 0, not {self.window_days}")
        if not 0.0 <= self.sentence_weight <= 1.0:
            raise ValueError(f"ClusterOptions.sentence_weight must be in [0, 1], not {self.sentence_weight}")
        if self.top_sentences < 1 or self.min_sentences < 1:
            raise ValueError("ClusterOptions.top_sentences and min_sentences must be >= 1")


DEFAULT_OPTIONS = ClusterOptions()


@dataclass(slots=True)
class Clustering:
    """Groups of article ids, largest first, with each article's mean similarity to the rest of its group.

    `keys`, when given, is each group's stable story id (parallel to `groups`; the online method names a story
    after its first article so that it keeps its id as it grows); without it, ids derive from the members."""

    groups: list[list[str]]
    centrality: dict[str, float] = field(default_factory=dict)
    method: str = METHOD
    keys: list[str] | None = None


def _document(article: Article) -> str:
    return f"{article.title}\n{article.text}" if article.title else article.text


def _fact_similarity(articles: Sequence[Article], vectorizer: TfidfVectorizer, top: int) -> NDArray[np.float64]:
    """Mean cosine of each article's `top` best-matched sentences in the other article, averaged both ways."""
    seen_in = Counter(text for a in articles for text in {s.text for s in a.sentences})
    texts = [
        [s.text for s in a.sentences if seen_in[s.text] <= 2 and len(s.text.split()) >= MIN_SENTENCE_WORDS] or [""]
        for a in articles
    ]
    count = len(articles)
    starts = np.cumsum([0] + [len(t) for t in texts])
    owner = np.repeat(np.arange(count), np.diff(starts))
    vectors = vectorizer.transform([t for group in texts for t in group]).tocsr()
    transposed = vectors.T.tocsc()
    similarity = np.zeros((count, count))
    for i in range(count):
        block = (vectors[starts[i] : starts[i + 1]] @ transposed).toarray()  # sentences of i x all sentences
        # For each other article: its sentences' best matches in i, and i's sentences' best matches in it.
        theirs = _top_per_group(block.max(axis=0), owner, starts, top)
        per_article = np.maximum.reduceat(block, starts[:-1], axis=1)  # sentences of i x articles
        mine = -np.sort(-per_article, axis=0)[:top].mean(axis=0)
        similarity[i] = (theirs + mine) / 2
    return (similarity + similarity.T) / 2


def _top_per_group(
    values: NDArray[np.float64], owner: NDArray[np.int64], starts: NDArray[np.int64], top: int
) -> NDArray[np.float64]:
    order = np.lexsort((-values, owner))
    ranked = values[order]
    sizes = np.diff(starts)
    total = np.zeros(len(sizes))
    for rank in range(top):
        present = sizes > rank
        total[present] += ranked[starts[:-1][present] + rank]
    return total / np.minimum(sizes, top)


def similarity_matrix(articles: Sequence[Article], options: ClusterOptions = DEFAULT_OPTIONS) -> NDArray[np.float64]:
    """Blended document and fact similarity of every pair of articles, zeroed for dated pairs far apart."""
    count = len(articles)
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", dtype=np.float64)
    try:
        vectors = vectorizer.fit_transform([_document(a) for a in articles])
    except ValueError:  # no word survives (texts of digits or stop words only): nothing is similar
        return np.eye(count)
    similarity: NDArray[np.float64] = np.asarray((vectors @ vectors.T).todense(), dtype=np.float64)
    if options.sentence_weight > 0:
        facts = _fact_similarity(articles, vectorizer, options.top_sentences)
        lengths = np.array([len(a.sentences) for a in articles])
        long_enough = np.minimum(lengths[:, None], lengths[None, :]) >= options.min_sentences
        blended = (1 - options.sentence_weight) * similarity + options.sentence_weight * facts
        similarity = np.where(long_enough, blended, similarity)
    ordinals = np.array([a.published.toordinal() if a.published else -1 for a in articles])
    dated = ordinals >= 0
    apart = np.abs(ordinals[:, None] - ordinals[None, :]) > options.window_days
    similarity[apart & dated[:, None] & dated[None, :]] = 0.0
    np.fill_diagonal(similarity, 1.0)
    return similarity


def cluster_articles(articles: Sequence[Article], options: ClusterOptions = DEFAULT_OPTIONS) -> Clustering:
    """Partition `articles` into groups that report the same event; every article is in exactly one group."""
    if not articles:
        return Clustering([])
    if len(articles) == 1:
        return Clustering([[articles[0].id]], {articles[0].id: 1.0})
    similarity = similarity_matrix(articles, options)
    model = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=1.0 - options.threshold + 1e-9,
    )
    labels = model.fit_predict(np.clip(1.0 - similarity, 0.0, None))
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(int(label), []).append(index)
    centrality: dict[str, float] = {}
    groups: list[list[str]] = []
    for indexes in members.values():
        block = similarity[np.ix_(indexes, indexes)]
        for row, index in enumerate(indexes):
            others = len(indexes) - 1
            centrality[articles[index].id] = float((block[row].sum() - 1.0) / others) if others else 1.0
        groups.append([articles[i].id for i in indexes])
    groups.sort(key=lambda group: (-len(group), min(group)))
    return Clustering(groups, centrality)


def story_id(article_ids: Sequence[str]) -> str:
    """A story's id, derived from its members: the same articles always make the same id."""
    return "s-" + hashlib.sha256(",".join(sorted(article_ids)).encode()).hexdigest()[:12]


def _title(members: Sequence[Article], centrality: dict[str, float]) -> str:
    ranked = sorted(members, key=lambda a: (-centrality.get(a.id, 0.0), a.id))
    for article in ranked:
        if article.title:
            return article.title
    text = ranked[0].sentences[0].text if ranked[0].sentences else ranked[0].text.strip()
    return text if len(text) <= TITLE_FALLBACK_CHARS else text[: TITLE_FALLBACK_CHARS - 1].rstrip() + "…"


def stories_from_clustering(clustering: Clustering, articles: Sequence[Article]) -> list[Story]:
    """Turn groups into `Story` values: id, title of the most central titled article, members by date, date span."""
    by_id = {a.id: a for a in articles}
    stories = []
    for n, group in enumerate(clustering.groups):
        members = sorted((by_id[i] for i in group), key=lambda a: (a.published is None, a.published, a.source))
        dates = [a.published for a in members if a.published is not None]
        stories.append(
            Story(
                id=clustering.keys[n] if clustering.keys else story_id(group),
                title=_title(members, clustering.centrality),
                article_ids=[a.id for a in members],
                method=clustering.method,
                first_published=min(dates, default=None),
                last_published=max(dates, default=None),
            )
        )
    return stories
