"""Score near-duplicate detection: precision and recall of duplicate pairs against gold groups.

Input: JSON Lines (plain or gzip, recognised by content) of `{"id", "url", "text", ...}` records, as
`../shared/data/allsides_baly_bias/articles.jsonl.gz`. The gold has three parts:

- **variants**: `VariantOptions.per_original` generated variants (`parallax.variants`) of each of
  `originals` records drawn with a fixed seed, each labelled with its exact word-shingle Jaccard to its
  original. Recall is reported per band of that label (>= 0.9, 0.8-0.9, 0.6-0.8, < 0.6) and, as the gated
  figure, over all variants with Jaccard >= 0.8 (`recall_at_080`);
- **data groups**: records of the file with the same body (`dedup.text_fingerprint`) or the same URL; their
  pairs are gold too, with their own recall (`data_recall`; same-URL pages may differ, so it is not gated);
- an original and its variants form one group, so two variants of one original are a gold pair as well.

Every record is indexed, in file order, then every variant (`NearDuplicateIndex.add_many`); the index's
reported pairs are what is scored. A reported pair counts as correct when it is gold, *or* when the exact
Jaccard of its two texts' word shingles, recomputed on the strings (not the index's hashes), reaches
`REFERENCE_JACCARD`: the data holds real near duplicates nobody labelled (AP/Reuters copy run by several
outlets), and those are what the index is for. They are counted apart (`unlabeled_pairs`, with a few
examples to inspect), and `precision_strict` counts them as errors, a lower bound. So `precision` checks that
nothing unverified or mis-hashed reaches the output; whether a Jaccard >= 0.8 pair is a "copy" in the
editorial sense is for the examples to show.

Speed is the index's own time (shingling, signatures, LSH, verification) over records and variants;
memory is the process's peak resident size after indexing (`ru_maxrss`, so it includes the loaded texts) and
the index's array payload (`NearDuplicateIndex.nbytes`: shingle hashes and signatures, about its saved size).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from parallax.dedup import text_fingerprint
from parallax.goldsets import text_lines
from parallax.neardup import NearDuplicate, NearDuplicateIndex, NearDuplicateOptions, exact_jaccard, word_shingles
from parallax.variants import Variant, VariantOptions, make_variants, sample_originals

__all__ = [
    "BANDS",
    "REFERENCE_JACCARD",
    "DedupEvalOptions",
    "DedupRecord",
    "DedupScores",
    "band_of",
    "data_groups",
    "evaluate_dedup",
    "load_records",
    "score_pairs",
]

REFERENCE_JACCARD = 0.8
"""An unlabeled reported pair is correct when its exact word-shingle Jaccard reaches this (the issue's bar)."""

BANDS = ((">=0.9", 0.9, 1.01), ("0.8-0.9", 0.8, 0.9), ("0.6-0.8", 0.6, 0.8), ("<0.6", 0.0, 0.6))
"""Recall bands of the variants' labelled Jaccard: (name, lowest included, highest excluded)."""

EXAMPLES = 20
"""Unlabeled pairs kept in the result for inspection."""

Pair = tuple[str, str]


@dataclass(slots=True, frozen=True)
class DedupEvalOptions:
    """What the evaluation generates and indexes: originals sampled, their variants, an optional record limit."""

    originals: int = 2000
    variants: VariantOptions = field(default_factory=VariantOptions)
    index: NearDuplicateOptions = field(default_factory=NearDuplicateOptions)
    limit: int | None = None


@dataclass(slots=True, frozen=True)
class DedupRecord:
    """One record of the evaluation file: id, URL, title (may be None) and text."""

    id: str
    url: str | None
    title: str | None
    text: str


@dataclass(slots=True)
class DedupScores:
    """Near-duplicate quality and cost on one evaluation file."""

    precision: float
    precision_strict: float
    recall_at_080: float
    recall_by_band: dict[str, float]
    variants_by_band: dict[str, int]
    data_recall: float
    reported_pairs: int
    gold_pairs_reported: int
    unlabeled_pairs: int
    false_pairs: int
    records: int
    variants: int
    data_pairs: int
    skipped: dict[str, int]
    seconds: float
    articles_per_second: float
    max_rss_mib: float
    index_mib: float
    method: str
    options: dict[str, Any]
    unlabeled_examples: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view, floats rounded."""
        view: dict[str, Any] = {}
        for name in self.__slots__:
            value = getattr(self, name)
            if isinstance(value, float):
                value = round(value, 4)
            elif isinstance(value, dict) and all(isinstance(v, float) for v in value.values()):
                value = {k: round(v, 4) for k, v in value.items()}
            view[name] = value
        return view


def load_records(path: str | Path, limit: int | None = None) -> tuple[list[DedupRecord], dict[str, int]]:
    """Read `{"id", "url", "text"}` records (the first `limit` usable ones); return them and skips by reason."""
    records: list[DedupRecord] = []
    seen: set[str] = set()
    skipped: Counter[str] = Counter()
    for number, line in enumerate(text_lines(Path(path)), start=1):
        if limit is not None and len(records) >= limit:
            break
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            skipped["invalid_json"] += 1
            continue
        if not isinstance(record, dict):
            skipped["invalid_json"] += 1
        elif not isinstance(record.get("text"), str):
            skipped["missing_text"] += 1
        elif (record_id := str(record.get("id", f"line{number}"))) in seen:
            skipped["duplicate_id"] += 1
        else:
            seen.add(record_id)
            url, title = record.get("url"), record.get("title")
            records.append(
                DedupRecord(
                    id=record_id,
                    url=url if isinstance(url, str) and url else None,
                    title=title if isinstance(title, str) and title else None,
                    text=record["text"],
                )
            )
    return records, dict(skipped)


def data_groups(records: Iterable[DedupRecord]) -> list[list[str]]:
    """Groups of records with the same body or the same URL (ids in file order, two or more per group)."""
    by_body: defaultdict[str, list[str]] = defaultdict(list)
    by_url: defaultdict[str, list[str]] = defaultdict(list)
    for record in records:
        if record.text.strip():
            by_body[text_fingerprint(record.text)].append(record.id)
        if record.url:
            by_url[record.url].append(record.id)
    return [group for groups in (by_body, by_url) for group in groups.values() if len(group) > 1]


def band_of(jaccard: float) -> str:
    """Name of the recall band a labelled Jaccard falls in."""
    return next(name for name, low, high in BANDS if low <= jaccard < high)


def _pair(first: str, second: str) -> Pair:
    return (first, second) if first <= second else (second, first)


def _group_pairs(groups: Iterable[Iterable[str]]) -> set[Pair]:
    return {_pair(a, b) for group in groups for a, b in combinations(group, 2)}


def _variant_groups(variants: Iterable[Variant]) -> list[list[str]]:
    members: dict[str, list[str]] = {}
    for variant in variants:
        members.setdefault(variant.original_id, [variant.original_id]).append(variant.id)
    return list(members.values())


def score_pairs(
    reported: Iterable[NearDuplicate],
    variants: list[Variant],
    data_pairs: set[Pair],
    texts: dict[str, str],
    shingle_size: int = 5,
) -> dict[str, Any]:
    """Precision and recall of reported pairs against the gold (module docstring); `texts` resolves every id."""
    gold = data_pairs | _group_pairs(_variant_groups(variants))
    found = {_pair(pair.article_id, pair.other_id) for pair in reported}
    unlabeled: list[dict[str, Any]] = []
    false_pairs = 0
    for pair in sorted(found - gold):
        jaccard = exact_jaccard(
            word_shingles(texts[pair[0]], shingle_size), word_shingles(texts[pair[1]], shingle_size)
        )
        if jaccard >= REFERENCE_JACCARD:
            unlabeled.append({"ids": list(pair), "jaccard": round(jaccard, 4)})
        else:
            false_pairs += 1
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for variant in variants:
        band = band_of(variant.jaccard)
        totals[band] += 1
        hits[band] += _pair(variant.id, variant.original_id) in found
    at_bar = [v for v in variants if v.jaccard >= REFERENCE_JACCARD]
    at_bar_found = sum(_pair(v.id, v.original_id) in found for v in at_bar)
    gold_reported = len(found & gold)
    return {
        "precision": (gold_reported + len(unlabeled)) / len(found) if found else 1.0,
        "precision_strict": gold_reported / len(found) if found else 1.0,
        "recall_at_080": at_bar_found / len(at_bar) if at_bar else 0.0,
        "recall_by_band": {name: hits[name] / totals[name] for name, _, _ in BANDS if totals[name]},
        "variants_by_band": {name: totals[name] for name, _, _ in BANDS},
        "data_recall": len(found & data_pairs) / len(data_pairs) if data_pairs else 1.0,
        "reported_pairs": len(found),
        "gold_pairs_reported": gold_reported,
        "unlabeled_pairs": len(unlabeled),
        "false_pairs": false_pairs,
        "unlabeled_examples": unlabeled[:EXAMPLES],
    }


def _max_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def evaluate_dedup(path: str | Path, options: DedupEvalOptions | None = None) -> DedupScores:
    """Index a records file plus generated variants of a sample of it, and score the reported pairs."""
    chosen = options or DedupEvalOptions()
    records, skipped = load_records(path, chosen.limit)
    ids = [record.id for record in records]
    texts = [record.text for record in records]
    originals = sample_originals(chosen.originals, len(records), chosen.variants.seed)
    variants = make_variants(ids, texts, originals, [record.title for record in records], chosen.variants)
    index = NearDuplicateIndex(chosen.index)
    started = time.perf_counter()
    reported = index.add_many(zip(ids, texts, strict=True))
    reported += index.add_many((variant.id, variant.text) for variant in variants)
    seconds = time.perf_counter() - started
    max_rss_mib = _max_rss_mib()
    data_pairs = _group_pairs(data_groups(records))
    text_of = dict(zip(ids, texts, strict=True)) | {variant.id: variant.text for variant in variants}
    scores = score_pairs(reported, variants, data_pairs, text_of, chosen.index.shingle_size)
    indexed = len(records) + len(variants)
    return DedupScores(
        **scores,
        records=len(records),
        variants=len(variants),
        data_pairs=len(data_pairs),
        skipped=skipped,
        seconds=seconds,
        articles_per_second=indexed / seconds if seconds > 0 else 0.0,
        max_rss_mib=max_rss_mib,
        index_mib=index.nbytes / (1 << 20),
        method=index.method,
        options={"index": asdict(chosen.index), "variants": asdict(chosen.variants), "originals": chosen.originals},
    )
