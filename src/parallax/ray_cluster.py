"""Story clustering over Ray Data in time blocks (method `engine.ray.cluster.v1`), giving the groups of the batch
method `cluster.tfidf.v1` on the whole corpus, without its article x article matrices.

Three facts make the batch method separable. (1) Its TF-IDF space and its "sentence found in more than two
articles" rule are corpus statistics: document frequencies and sentence counts, a map and a group-by over the
articles, computed once and shared. (2) Articles dated more than `window_days` apart have similarity zero, so
with blocks of `window_days + 1` days a pair can only be similar within a block or between neighbouring blocks;
undated articles are compared with every block. (3) Average linkage merges two groups only when their mean
similarity reaches the threshold, so some pair across them does: every story lies inside one connected
component of the graph of pairs at or above the threshold, and clustering each component on its own merges
exactly what clustering everything at once merges (merges inside a component never depend on articles outside).

So: statistics → candidate pairs per block (similarity >= threshold) → connected components (driver, sparse)
→ average-linkage clustering of each component, with the component's similarities computed against the shared
statistics. Story ids derive from members (`cluster.story_id`), so they match a local batch run's.

What differs from a local run: similarities are the same sums taken in another order (a vectorizer given its
vocabulary and idf keeps each row's terms sorted; one fitted on the texts does not), so they agree to about
1e-16, which changes a story only at an exact tie with the threshold. Above `ClusterOptions.max_batch_articles`
a local run switches to the online method (`parallax.online`), while this keeps the batch method's result. A
component larger than a block (one very long chain of similar articles) is still clustered in one piece, so its
memory is quadratic in its size; a corpus without dates is one block.
"""

from __future__ import annotations

import pickle
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from parallax.cluster import (
    DEFAULT_OPTIONS,
    MIN_SENTENCE_WORDS,
    Clustering,
    ClusterOptions,
    _document,
    _fact_similarity,
)
from parallax.cluster import METHOD as BATCH_METHOD
from parallax.model import Article
from parallax.ray_read import dataset_from_rows, shuffle_partitions, unpickle

if TYPE_CHECKING:
    import ray.data

__all__ = ["METHOD", "CorpusStatistics", "block_similarity", "cluster_on_ray", "corpus_vectorizer"]

METHOD = "engine.ray.cluster.v1"
UNDATED = -(1 << 40)
"""The block of articles without a date (a dated block is its first day's ordinal / block width, >= 0)."""
EDGE_MARGIN = 1e-9
"""Pairs a hair under the threshold are kept as candidates too: a bigger component never changes the result."""
SEEN_IN_LIMIT = 2
"""A sentence in more than this many articles is boilerplate to the fact similarity (as in `parallax.cluster`)."""

Batch = dict[str, Any]


def _vectorizer_settings() -> TfidfVectorizer:
    """The TF-IDF settings of `cluster.similarity_matrix`."""
    return TfidfVectorizer(sublinear_tf=True, stop_words="english", dtype=np.float64)


def corpus_vectorizer(document_frequencies: dict[str, int], documents: int) -> TfidfVectorizer | None:
    """The TF-IDF vectorizer `cluster.similarity_matrix` would fit on `documents` texts with these document
    frequencies (same sorted vocabulary, same smoothed idf); None when no term survives (nothing is similar)."""
    if not document_frequencies:
        return None
    terms = sorted(document_frequencies)
    vectorizer = _vectorizer_settings().set_params(vocabulary={term: n for n, term in enumerate(terms)})
    df = np.array([document_frequencies[t] for t in terms], dtype=np.float64) + 1.0
    idf = np.full_like(df, fill_value=documents + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)  # the same operations, in the same order, as TfidfTransformer.fit
    vectorizer.idf_ = idf + 1.0
    return vectorizer


@dataclass(slots=True, frozen=True)
class CorpusStatistics:
    """What the batch method learns from the whole corpus: its TF-IDF vectorizer and the sentences found in more
    than `SEEN_IN_LIMIT` articles."""

    vectorizer: TfidfVectorizer | None
    common_sentences: frozenset[str]


def _masked(articles: Sequence[Article], common: frozenset[str]) -> list[Article]:
    """Articles whose corpus-wide common sentences are blanked: `_fact_similarity` then drops exactly those
    (too few words), whatever other articles it is given; sentence counts and offsets stay."""
    return [
        replace(a, sentences=[replace(s, text="") if s.text in common else s for s in a.sentences])
        if any(s.text in common for s in a.sentences)
        else a
        for a in articles
    ]


def block_similarity(
    articles: Sequence[Article], statistics: CorpusStatistics, options: ClusterOptions = DEFAULT_OPTIONS
) -> NDArray[np.float64]:
    """`cluster.similarity_matrix` of some of the corpus's articles, against the whole corpus's statistics."""
    count = len(articles)
    if statistics.vectorizer is None:
        return np.eye(count)
    vectors = statistics.vectorizer.transform([_document(a) for a in articles])
    similarity: NDArray[np.float64] = np.asarray((vectors @ vectors.T).todense(), dtype=np.float64)
    if options.sentence_weight > 0:
        masked = _masked(articles, statistics.common_sentences)
        facts = _fact_similarity(masked, statistics.vectorizer, options.top_sentences)
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


def _agglomerate(
    articles: Sequence[Article], similarity: NDArray[np.float64], options: ClusterOptions
) -> tuple[list[list[str]], dict[str, float]]:
    """Groups and centralities exactly as `cluster.cluster_articles` makes them from a similarity matrix."""
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=1.0 - options.threshold + 1e-9
    )
    labels = model.fit_predict(np.clip(1.0 - similarity, 0.0, None))
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(int(label), []).append(index)
    groups, centrality = [], {}
    for indexes in members.values():
        block = similarity[np.ix_(indexes, indexes)]
        for row, index in enumerate(indexes):
            others = len(indexes) - 1
            centrality[articles[index].id] = float((block[row].sum() - 1.0) / others) if others else 1.0
        groups.append([articles[i].id for i in indexes])
    return groups, centrality


def _unpickled(payloads: Any) -> list[Article]:
    return [unpickle(p) for p in payloads]


def _statistic_rows(batch: Batch) -> Batch:
    """Per batch: how many articles hold each term, and each sentence (each counted once per article)."""
    analyzer = _vectorizer_settings().build_analyzer()
    terms: Counter[str] = Counter()
    sentences: Counter[str] = Counter()
    for article in _unpickled(batch["payload"]):
        terms.update(set(analyzer(_document(article))))
        sentences.update({s.text for s in article.sentences})
    return {
        "kind": ["term"] * len(terms) + ["sentence"] * len(sentences),
        "text": [*terms, *sentences],
        "count": [*terms.values(), *sentences.values()],
    }


def _statistics(articles: ray.data.Dataset, count: int) -> CorpusStatistics:
    by_text = articles.map_batches(_statistic_rows).groupby(
        ["kind", "text"], num_partitions=shuffle_partitions(count * 50)
    )
    totals = by_text.sum("count")
    rows = totals.filter(lambda r: r["kind"] == "term" or r["sum(count)"] > SEEN_IN_LIMIT).take_all()
    frequencies = {r["text"]: int(r["sum(count)"]) for r in rows if r["kind"] == "term"}
    # Shorter sentences never count in the fact similarity: only the longer common ones need masking.
    common = frozenset(
        r["text"] for r in rows if r["kind"] == "sentence" and len(r["text"].split()) >= MIN_SENTENCE_WORDS
    )
    return CorpusStatistics(corpus_vectorizer(frequencies, count), common)


def _block_rows(batch: Batch) -> Batch:
    """Each article in its own block, a dated one also as a neighbour of the block before, an undated one as a
    neighbour of every dated block (`blocks` lists them)."""
    rows: list[tuple[int, int, int, bytes]] = []
    for index, block, payload in zip(batch["index"], batch["block"], batch["payload"], strict=True):
        rows.append((int(block), int(index), 1, payload))
        if block != UNDATED:
            rows.append((int(block) - 1, int(index), 0, payload))
    return {
        "block": [r[0] for r in rows],
        "index": [r[1] for r in rows],
        "own": [r[2] for r in rows],
        "payload": [r[3] for r in rows],
    }


def _undated_neighbours(batch: Batch, blocks: Sequence[int]) -> Batch:
    rows = list(zip(batch["index"], batch["payload"], strict=True))
    return {
        "block": [block for block in blocks for _ in rows],
        "index": [int(index) for _ in blocks for index, _ in rows],
        "own": [0] * (len(blocks) * len(rows)),
        "payload": [payload for _ in blocks for _, payload in rows],
    }


def _block_edges(group: Batch, statistics_ref: Any, options: ClusterOptions) -> Batch:
    """Pairs at or above the threshold between a block's own articles and its own or neighbouring ones."""
    import ray

    order = sorted(range(len(group["index"])), key=lambda n: int(group["index"][n]))
    indexes = [int(group["index"][n]) for n in order]
    own = np.array([bool(group["own"][n]) for n in order])
    if not own.any():  # only the next block's articles: that block's own task pairs them
        return {"first": np.empty(0, np.int64), "second": np.empty(0, np.int64)}
    statistics: CorpusStatistics = ray.get(statistics_ref)
    similarity = block_similarity(_unpickled(group["payload"][n] for n in order), statistics, options)
    close = similarity >= options.threshold - EDGE_MARGIN
    np.fill_diagonal(close, False)
    wanted = close & own[:, None] & (~own[None, :] | np.triu(np.ones_like(close), k=1))
    first, second = np.nonzero(wanted)
    return {
        "first": np.array([indexes[i] for i in first], dtype=np.int64),
        "second": np.array([indexes[j] for j in second], dtype=np.int64),
    }


def _component_groups(group: Batch, statistics_ref: Any, options: ClusterOptions) -> Batch:
    import ray

    statistics: CorpusStatistics = ray.get(statistics_ref)
    order = sorted(range(len(group["index"])), key=lambda n: int(group["index"][n]))
    articles = _unpickled(group["payload"][n] for n in order)
    groups, centrality = _agglomerate(articles, block_similarity(articles, statistics, options), options)
    return {"result": [pickle.dumps((groups, centrality), protocol=5)]}


def _components(edges: list[dict[str, Any]], count: int) -> NDArray[np.int32]:
    first = np.array([int(e["first"]) for e in edges], dtype=np.int64)
    second = np.array([int(e["second"]) for e in edges], dtype=np.int64)
    graph = coo_array((np.ones(len(edges), dtype=np.int8), (first, second)), shape=(count, count))
    _, labels = connected_components(graph, directed=False)
    return np.asarray(labels, dtype=np.int32)


def cluster_on_ray(articles: Sequence[Article], options: ClusterOptions = DEFAULT_OPTIONS) -> Clustering:
    """`cluster.cluster_articles` of `articles`, computed on Ray in time blocks (see the module's docstring)."""
    import ray
    import ray.data

    if len(articles) < 2:
        return Clustering([[a.id for a in articles]] if articles else [], {a.id: 1.0 for a in articles})
    width = options.window_days + 1
    blocks = [a.published.toordinal() // width if a.published else UNDATED for a in articles]
    rows = [
        {"index": n, "block": block, "payload": pickle.dumps(a, protocol=5)}
        for n, (a, block) in enumerate(zip(articles, blocks, strict=True))
    ]
    dataset = dataset_from_rows(rows).materialize()
    statistics_ref = ray.put(_statistics(dataset, len(articles)))
    placed = dataset.map_batches(_block_rows)
    dated_blocks = sorted({b for b in blocks if b != UNDATED})
    if UNDATED in blocks and dated_blocks:
        undated = dataset.filter(lambda r: r["block"] == UNDATED).drop_columns(["block"])
        placed = placed.union(undated.map_batches(partial(_undated_neighbours, blocks=dated_blocks)))
    edges = placed.groupby("block", num_partitions=shuffle_partitions(len(set(blocks)))).map_groups(
        partial(_block_edges, statistics_ref=statistics_ref, options=options)
    )
    labels = _components(edges.take_all(), len(articles))
    sizes = Counter(labels.tolist())
    groups: list[list[str]] = []
    centrality: dict[str, float] = {}
    for n, article in enumerate(articles):
        if sizes[labels[n]] == 1:
            groups.append([article.id])
            centrality[article.id] = 1.0
    shared = [{**row, "component": int(labels[n])} for n, row in enumerate(rows) if sizes[labels[n]] > 1]
    if shared:
        by_component = dataset_from_rows(shared).groupby("component", num_partitions=shuffle_partitions(0))
        clustered = by_component.map_groups(partial(_component_groups, statistics_ref=statistics_ref, options=options))
        for row in clustered.take_all():
            component_groups, component_centrality = unpickle(row["result"])
            groups.extend(component_groups)
            centrality.update(component_centrality)
    groups.sort(key=lambda group: (-len(group), min(group)))
    return Clustering(groups, centrality, BATCH_METHOD)
