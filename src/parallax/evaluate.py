"""Score story clustering against gold labels: B-cubed, pairwise F1 and the adjusted Rand index.

Labeled files are JSON Lines in the shape of `../shared/data` (`{"id", "outlet", "url", "published", "title",
"text", "story", ...}`). `evaluate_clustering` runs them through the real path (read → clean → extract →
cluster) and scores the predicted groups against the gold `story` field; records without a gold story are read
(they are part of what the clusterer sees) but not scored.

B-cubed (Bagga and Baldwin 1998) averages, over items, the precision and recall of the item's predicted cluster
against its gold cluster: it rewards neither one big cluster nor all singletons.
"""

from __future__ import annotations

import gzip
import io
import json
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sklearn.metrics import adjusted_rand_score

from parallax.clean import Clean
from parallax.cluster import DEFAULT_OPTIONS, Clustering, ClusterOptions, cluster_articles
from parallax.extract import Extract
from parallax.model import Article, content_hash
from parallax.online import OnlineClusterer, OnlineOptions, one_blas_thread, stream_order
from parallax.read import Reader, ReadOptions
from parallax.stages import dropped_by_reason

__all__ = [
    "ClusteringScores",
    "LabeledSet",
    "adjusted_rand",
    "bcubed",
    "evaluate_clustering",
    "evaluate_online",
    "load_labeled",
    "pairwise_f1",
    "score_clustering",
]


@dataclass(slots=True, frozen=True)
class ClusteringScores:
    """Clustering quality on one labeled set, with what it was computed on."""

    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    pairwise_f1: float
    adjusted_rand: float
    articles: int
    gold_stories: int
    predicted_stories: int
    seconds: float
    method: str = "cluster.tfidf.v1"
    articles_per_second: float = 0.0
    peak_memory_mb: float = 0.0

    def to_dict(self) -> dict[str, float | int | str]:
        """Rounded, JSON-ready view."""
        return {
            name: value if isinstance(value := getattr(self, name), str) else round(value, 4) for name in self.__slots__
        }


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def bcubed(gold: Mapping[str, str], predicted: Mapping[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of `predicted` against `gold` (both map item -> cluster label).

    Only items present in both mappings are scored.
    """
    items = [item for item in gold if item in predicted]
    if not items:
        return 0.0, 0.0, 0.0
    pairs = Counter((gold[i], predicted[i]) for i in items)
    gold_sizes = Counter(gold[i] for i in items)
    predicted_sizes = Counter(predicted[i] for i in items)
    precision = sum(n * n / predicted_sizes[p] for (_, p), n in pairs.items()) / len(items)
    recall = sum(n * n / gold_sizes[g] for (g, _), n in pairs.items()) / len(items)
    return precision, recall, _f1(precision, recall)


def pairwise_f1(gold: Mapping[str, str], predicted: Mapping[str, str]) -> float:
    """F1 over item pairs: a pair is positive when both items share a cluster."""
    items = [item for item in gold if item in predicted]
    pairs = Counter((gold[i], predicted[i]) for i in items)
    together = sum(n * (n - 1) / 2 for n in pairs.values())
    gold_pairs = sum(n * (n - 1) / 2 for n in Counter(gold[i] for i in items).values())
    predicted_pairs = sum(n * (n - 1) / 2 for n in Counter(predicted[i] for i in items).values())
    if not gold_pairs or not predicted_pairs:
        return 0.0
    return _f1(together / predicted_pairs, together / gold_pairs)


def adjusted_rand(gold: Mapping[str, str], predicted: Mapping[str, str]) -> float:
    """Adjusted Rand index (chance-corrected agreement) of the two partitions."""
    items = [item for item in gold if item in predicted]
    return float(adjusted_rand_score([gold[i] for i in items], [predicted[i] for i in items]))


@dataclass(slots=True)
class LabeledSet:
    """Articles read through the real path, and the gold story of each (by article id)."""

    name: str
    articles: list[Article]
    gold: dict[str, str]
    dropped: dict[str, int]


def _records(path: Path) -> Iterator[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def load_labeled(path: str | Path, *, where: Mapping[str, Any] | None = None, limit: int | None = None) -> LabeledSet:
    """Read a labeled JSON Lines file (optionally .gz) through read → clean → extract.

    `where` keeps records whose `labels` match every given key (`{"neus_split": "val"}`); `limit` keeps the
    first records of that selection.
    """
    path = Path(path)
    chosen: list[dict[str, Any]] = []
    for record in _records(path):
        labels = record.get("labels") or {}
        if where and any(labels.get(key) != value for key, value in where.items()):
            continue
        chosen.append(record)
        if limit is not None and len(chosen) >= limit:
            break
    lines = [json.dumps(r, ensure_ascii=False) for r in chosen]
    # The reader derives each record's raw hash from its line's bytes: the same key finds the gold story again.
    story_by_hash = {content_hash(line.encode("utf-8")): r.get("story") for line, r in zip(lines, chosen, strict=True)}
    payload = "\n".join(lines).encode("utf-8")
    options = ReadOptions(max_bytes=max(len(payload) + 1, ReadOptions().max_bytes))
    reader = Reader(["-"], options, stdin=io.BytesIO(payload))
    clean, extract = Clean(), Extract()
    articles = list(extract(clean(reader)))
    gold = {a.id: str(story_by_hash[a.raw_hash]) for a in articles if story_by_hash.get(a.raw_hash) is not None}
    dropped = dropped_by_reason([reader.report, clean.report, extract.report])
    return LabeledSet(path.parent.name, articles, gold, dropped)


def evaluate_clustering(labeled: LabeledSet, options: ClusterOptions = DEFAULT_OPTIONS) -> ClusteringScores:
    """Cluster the labeled articles and score the result against their gold stories."""
    started = time.perf_counter()
    clustering = cluster_articles(labeled.articles, options)
    return score_clustering(labeled, clustering, time.perf_counter() - started)


def evaluate_online(
    labeled: LabeledSet, options: OnlineOptions | None = None, *, trace_memory: bool = False
) -> ClusteringScores:
    """Stream the labeled articles in date order through the online clusterer and score the stories.

    Articles/s counts the clustering only (the articles were read before); `trace_memory` also measures the peak
    memory Python allocates while clustering (tracemalloc, which slows the run).
    """
    if trace_memory:
        tracemalloc.start()
    started = time.perf_counter()
    clusterer = OnlineClusterer(options)
    with one_blas_thread():
        for article in stream_order(labeled.articles):
            clusterer.add(article)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace_memory else 0.0
    if trace_memory:
        tracemalloc.stop()
    return score_clustering(labeled, clusterer.clustering(), seconds, peak_memory_mb=peak)


def score_clustering(
    labeled: LabeledSet, clustering: Clustering, seconds: float, *, peak_memory_mb: float = 0.0
) -> ClusteringScores:
    """Score a clustering of `labeled.articles` against their gold stories."""
    predicted = {article_id: str(n) for n, group in enumerate(clustering.groups) for article_id in group}
    precision, recall, f1 = bcubed(labeled.gold, predicted)
    scored = [i for i in labeled.gold if i in predicted]
    return ClusteringScores(
        bcubed_precision=precision,
        bcubed_recall=recall,
        bcubed_f1=f1,
        pairwise_f1=pairwise_f1(labeled.gold, predicted),
        adjusted_rand=adjusted_rand(labeled.gold, predicted),
        articles=len(scored),
        gold_stories=len({labeled.gold[i] for i in scored}),
        predicted_stories=len({predicted[i] for i in scored}),
        seconds=seconds,
        method=clustering.method,
        articles_per_second=len(labeled.articles) / seconds if seconds else 0.0,
        peak_memory_mb=peak_memory_mb,
    )
