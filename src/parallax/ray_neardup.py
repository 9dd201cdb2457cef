"""Near duplicates as staged passes over Ray Data (method `engine.ray.neardup.v1`, finding the pairs of
`dedup.minhash.v1`): signatures → band buckets → candidate pairs → verified pairs → connected components.

The signatures and shingle hashes are the local index's own (`NearDuplicateIndex.entry`, made next to the
per-article stages), the band keys are its `_band_keys`, and a candidate is verified by the same exact Jaccard of
shingle-hash sets against the same threshold, so the verified pairs are those the local index finds when the
same articles are added in the same order: the later article is `article_id`, the earlier `other_id`. Articles
the store indexed before take part as earlier articles; pairs among them are not looked for again.

1. band rows: one (band, key, position) row per band of every article with words;
2. candidates: grouped by (band, key), every later-new/earlier pair in a bucket; then distinct pairs;
3. verification: each pair's two shingle sets are brought together by grouping on article position (a join
   written as a group-by, so no join library is needed) and their exact Jaccard is computed;
4. components: verified pairs are few, so the driver joins them into groups (union-find, `neardup._groups`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from parallax.neardup import IndexedArticle, NearDuplicate, NearDuplicateIndex, NearDuplicateOptions, _groups
from parallax.ray_read import dataset_from_rows, shuffle_partitions
from parallax.shingles import hashed_jaccard
from parallax.stages import StageReport

if TYPE_CHECKING:
    import ray.data

__all__ = ["METHOD", "NearDuplicatePasses", "near_duplicate_passes"]

METHOD = "engine.ray.neardup.v1"

Batch = dict[str, Any]


@dataclass(slots=True)
class NearDuplicatePasses:
    """The outcome of the passes: verified pairs (later article first, in insertion order), their connected
    groups of article ids, the intermediate row counts of each pass, and the stage report."""

    pairs: list[NearDuplicate] = field(default_factory=list)
    groups: list[list[str]] = field(default_factory=list)
    report: StageReport = field(default_factory=lambda: StageReport("neardup"))


def _band_rows(batch: Batch, options: NearDuplicateOptions) -> Batch:
    """One (band, key, position) row per LSH band of each article with words (those without are never paired)."""
    index = NearDuplicateIndex(options)
    words = [n for n, size in enumerate(batch["size"]) if size]
    if not words:
        return {"band": np.empty(0, np.int64), "key": np.empty(0, np.int64), "position": np.empty(0, np.int64)}
    signatures = np.stack([np.frombuffer(batch["signature"][n], dtype="<u4") for n in words])
    keys = np.array(index._band_keys(signatures), dtype=np.uint64)  # the local index's keys: the buckets agree
    positions = np.array([int(batch["position"][n]) for n in words], dtype=np.int64)
    return {
        "band": np.tile(np.arange(index.bands, dtype=np.int64), len(words)),
        "key": keys.reshape(-1).view(np.int64),  # Arrow keeps uint64 from here as pickled objects; int64 groups alike
        "position": np.repeat(positions, index.bands),
    }


def _bucket_pairs(group: Batch, first_new: int) -> Batch:
    """Every pair of a bucket whose later article is new (position >= first_new)."""
    members = sorted(int(p) for p in group["position"])
    pairs = [(later, earlier) for n, later in enumerate(members) if later >= first_new for earlier in members[:n]]
    return {"later": [p[0] for p in pairs], "earlier": [p[1] for p in pairs]}


def _requests(batch: Batch) -> Batch:
    """For each candidate pair, a request for each side's shingles, keyed by that side's position."""
    count = len(batch["later"])
    later, earlier = [int(p) for p in batch["later"]], [int(p) for p in batch["earlier"]]
    return {
        "key": later + earlier,
        "later": later * 2,
        "earlier": earlier * 2,
        "side": [0] * count + [1] * count,
        "shingles": [b""] * (2 * count),
    }


def _answer(group: Batch) -> Batch:
    """The requests of one article position, each answered with the article's shingle hashes."""
    sides = [int(s) for s in group["side"]]
    shingles = next(s for s, side in zip(group["shingles"], sides, strict=True) if side < 0)
    answered = [n for n, side in enumerate(sides) if side >= 0]
    return {
        "later": [int(group["later"][n]) for n in answered],
        "earlier": [int(group["earlier"][n]) for n in answered],
        "side": [sides[n] for n in answered],
        "shingles": [shingles] * len(answered),
    }


def _verify(group: Batch, threshold: float) -> Batch:
    """One candidate pair, both sides' shingles at hand: its exact Jaccard and containments, as the index does."""
    by_side = {
        int(side): np.frombuffer(s, dtype="<u8") for side, s in zip(group["side"], group["shingles"], strict=True)
    }
    mine, theirs = by_side[0], by_side[1]
    small, large = sorted((mine.size, theirs.size))
    jaccard, shared = (0.0, 0) if small < threshold * large else hashed_jaccard(mine, theirs)
    return {
        "later": [int(group["later"][0])],
        "earlier": [int(group["earlier"][0])],
        "jaccard": [jaccard],
        "containment": [shared / mine.size],
        "other_containment": [shared / theirs.size],
        "verified": [jaccard >= threshold],
    }


def _entry_rows(entries: Sequence[IndexedArticle]) -> list[dict[str, Any]]:
    return [
        {"position": n, "signature": e.signature, "shingles": e.shingles, "size": len(e.shingles) // 8}
        for n, e in enumerate(entries)
    ]


def _candidates(articles: ray.data.Dataset, options: NearDuplicateOptions, first_new: int) -> ray.data.Dataset:
    bands = articles.map_batches(partial(_band_rows, options=options))
    partitions = shuffle_partitions(articles.count() * options.num_perm)
    pairs = bands.groupby(["band", "key"], num_partitions=partitions).map_groups(
        partial(_bucket_pairs, first_new=first_new)
    )
    return pairs.groupby(["later", "earlier"], num_partitions=shuffle_partitions(0)).count()


def _verified(
    articles: ray.data.Dataset, candidates: ray.data.Dataset, options: NearDuplicateOptions
) -> list[dict[str, Any]]:
    shingles = articles.map_batches(
        lambda b: {
            "key": b["position"],
            "later": [-1] * len(b["position"]),
            "earlier": [-1] * len(b["position"]),
            "side": [-1] * len(b["position"]),
            "shingles": b["shingles"],
        }
    )
    partitions = shuffle_partitions(articles.count() + 2 * candidates.count())
    requests = candidates.map_batches(_requests).union(shingles)
    answered = requests.groupby("key", num_partitions=partitions).map_groups(_answer)
    checked = answered.groupby(["later", "earlier"], num_partitions=partitions).map_groups(
        partial(_verify, threshold=options.threshold)
    )
    return checked.take_all()


def near_duplicate_passes(
    stored: Sequence[IndexedArticle], new: Sequence[IndexedArticle], options: NearDuplicateOptions
) -> NearDuplicatePasses:
    """Verified near-duplicate pairs of the `new` articles (in order) among themselves and with the `stored` ones
    (the index rows the store already holds, in the order they were added)."""

    started = time.perf_counter()
    result = NearDuplicatePasses()
    entries = [*stored, *new]
    ids = [e.article_id for e in entries]
    rows = _entry_rows(entries)
    first_new = len(stored)
    result.report.seen = result.report.kept = len(new)
    result.report.counts["no_words"] = sum(1 for row in rows[first_new:] if not row["size"])
    if len(entries) > 1 and new:
        articles = dataset_from_rows(rows).materialize()
        candidates = _candidates(articles, options, first_new).materialize()
        result.report.counts["candidates"] = candidates.count()
        checks = _verified(articles, candidates, options) if result.report.counts["candidates"] else []
        verified = sorted((c for c in checks if c["verified"]), key=lambda c: (int(c["later"]), int(c["earlier"])))
        result.report.counts["rejected_by_jaccard"] = len(checks) - len(verified)
        result.pairs = [
            NearDuplicate(
                ids[int(c["later"])],
                ids[int(c["earlier"])],
                float(c["jaccard"]),
                float(c["containment"]),
                float(c["other_containment"]),
            )
            for c in verified
        ]
    result.groups = _groups(ids, result.pairs)
    result.report.counts["verified"] = len(result.pairs)
    result.report.counts["near_duplicate_pairs"] = len(result.pairs)
    result.report.counts["groups"] = len(result.groups)
    result.report.seconds = time.perf_counter() - started
    return result
