"""Near duplicates: MinHash LSH over word shingles, every candidate pair verified by its exact Jaccard.

This pass runs after the exact-duplicate pass (`parallax.dedup`): articles already marked `duplicate_of` are
skipped, the rest are indexed one by one. Each article's text becomes a set of word shingles (case-folded
`\\w+` words, `shingle_size` in a row, so whitespace and punctuation do not matter), hashed to 64-bit ints.
A MinHash signature of that set is cut into LSH bands; articles sharing a band are candidates, and a candidate
is accepted only when the exact Jaccard of the two shingle-hash sets reaches `threshold`. The bands are chosen
so that a pair exactly at the threshold becomes a candidate with probability >= 0.999; the exact check then
throws out every candidate below it, so the LSH only decides speed, never what is reported.

    index = NearDuplicateIndex()
    index.add("a1", text)          # -> [] (nothing before it)
    index.add("a2", edited_text)   # -> [NearDuplicate("a2", "a1", jaccard=0.91, ...)]
    row = index.entry("a2")        # store it; NearDuplicateIndex.from_entries(index.header, rows) resumes

Library: rensa 0.5.0 makes the MinHash signatures (`RMinHash.digest_matrix_from_flat_token_hashes`, one call
per batch); parallax hashes the shingles itself, vectorised in NumPy, and keeps the LSH buckets in dicts. Chosen
by `benchmarks/bench_dedup.py` (`make bench-dedup`): all 37,554 allsides_baly_bias articles + 6,000 generated
variants, 5-word shingles, 128 permutations, threshold 0.8, the same 25 x 5 bands, one core of a 2-core machine
(`benchmarks/results/dedup.json`):

| path | articles/s | recall, variants >= 0.8 | peak memory growth |
|---|---|---|---|
| parallax (rensa signatures) | 8,293 | 1.000 | 479 MiB |
| the same with datasketch 2.0.0 `MinHash` signatures | 1,986 | 1.000 | 470 MiB |
| datasketch `MinHashLSH`, its usual pipeline (regex words, SHA-1) | 416 | 1.000 | 6,106 MiB |
| the same with the bands datasketch picks for 0.8 (9 x 13) | 452 | 0.894 | 5,911 MiB |

So rensa is what makes the signatures cheap (the rest of the path is the same), and the whole path runs at
19.9x datasketch's at equal recall.

Shingle hashes come from `parallax.shingles` (a fixed function of the text, independent of the MinHash
library). Signatures depend on rensa's `ALGORITHM_VERSION`, which the saved header records and restoring checks.

Per-article state, and the trade-off: the index keeps each article's signature (`num_perm` x 4 bytes) and its
sorted, distinct shingle hashes (8 bytes per distinct shingle: about 8 KB for the mean 5,800-character article
here, 347 MiB for the 43,554 above). Keeping the hashes lets any later article be verified exactly without the
caller handing old texts back; re-deriving shingles from stored texts instead would save that memory at the
price of a text fetch and a re-shingling per candidate. The state is a plain value, saved either whole
(`to_bytes()` / `from_bytes()`, an .npz archive without pickles) or as one row per article (`entry(id)` ->
`IndexedArticle(article_id, signature, shingles)` as bytes, plus the index's `header` dict, rebuilt with
`from_entries(header, rows)`), so each ingest appends rows and never recomputes the corpus.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from rensa import RMinHash

from parallax.model import Article
from parallax.shingles import (
    Hashes,
    exact_jaccard,
    hashed_jaccard,
    shingle_hash_sets,
    shingle_hashes,
    word_shingles,
)
from parallax.stages import StageReport

__all__ = [
    "LEARNED_KEY",
    "METHOD",
    "IndexedArticle",
    "NearDuplicate",
    "NearDuplicateIndex",
    "NearDuplicateOptions",
    "NearDuplicates",
    "PreparedArticle",
    "StateMismatchError",
    "exact_jaccard",
    "find_near_duplicates",
    "lsh_bands",
    "shingle_hash_sets",
    "shingle_hashes",
    "word_shingles",
]

METHOD = "dedup.minhash.v1"
LEARNED_KEY = "neardup_index"
"""Where a store keeps the index's `header` (`learned`); its rows are the store's near-duplicate entries."""

CANDIDATE_RECALL_AT_THRESHOLD = 0.999
"""LSH bands are the narrowest (fewest false candidates) that still make a pair exactly at the threshold a
candidate with this probability. At 0.995 (21 x 6 bands for 0.8) one of the 3,800 variants >= 0.8 of
allsides_baly_bias was missed; at 0.999 (25 x 5) none is, and the extra candidates cost little to verify."""

_BAND_MULTIPLIER = 0x9E3779B97F4A7C15  # golden-ratio constant, odd: folds a band's rows into one key
_MASK64 = (1 << 64) - 1

BATCH = 512
"""Articles per signature batch in `add_many` (one call into rensa per batch)."""


def _signed64(value: int) -> int:
    value &= _MASK64
    return value - (1 << 64) if value >> 63 else value


class StateMismatchError(ValueError):
    """Saved index state that this version of parallax (or of rensa) cannot continue."""


@dataclass(slots=True, frozen=True)
class NearDuplicateOptions:
    """How near duplicates are found: shingle size (words), MinHash permutations, Jaccard threshold, seed."""

    shingle_size: int = 5
    num_perm: int = 128
    threshold: float = 0.8
    seed: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.shingle_size <= 32:
            raise ValueError(f"shingle_size must be an int from 1 to 32, got {self.shingle_size!r}")
        if not 8 <= self.num_perm <= 1024:
            raise ValueError(f"num_perm must be an int from 8 to 1024, got {self.num_perm!r}")
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {self.threshold!r}")
        if not 0 <= self.seed < 1 << 63:
            raise ValueError(f"seed must be a non-negative int below 2**63, got {self.seed!r}")


@dataclass(slots=True, frozen=True)
class NearDuplicate:
    """A verified near duplicate: `article_id` (added later) and `other_id`, with exact shingle overlaps.

    `containment` is the share of `article_id`'s shingles found in `other_id`, `other_containment` the reverse.
    """

    article_id: str
    other_id: str
    jaccard: float
    containment: float
    other_containment: float


@dataclass(slots=True, frozen=True)
class IndexedArticle:
    """One article's saved index state: its MinHash signature (little-endian uint32) and its sorted, distinct
    shingle hashes (little-endian uint64), as bytes for a store row."""

    article_id: str
    signature: bytes
    shingles: bytes
    buckets: tuple[int, ...] = ()
    """The article's LSH buckets as signed 64-bit store keys (`NearDuplicateIndex.buckets`): a store files the
    row under each, so that a later ingest loads only the rows that share a bucket with its new articles."""


@dataclass(slots=True, frozen=True)
class PreparedArticle:
    """An article made ready for the index (`NearDuplicateIndex.prepare`): its shingle hashes, signature, band
    keys and store buckets, so the buckets can be looked up in a store before the article is added."""

    article_id: str
    shingles: Hashes
    signature: npt.NDArray[np.uint32]
    band_keys: list[int]
    buckets: tuple[int, ...]


@dataclass(slots=True)
class NearDuplicates:
    """The outcome of the near-duplicate pass: verified pairs, their connected groups, and the stage report."""

    pairs: list[NearDuplicate] = field(default_factory=list)
    groups: list[list[str]] = field(default_factory=list)
    report: StageReport = field(default_factory=lambda: StageReport("neardup"))
    method: str = METHOD


def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """Return (bands, rows) for `num_perm` permutations: most rows whose candidate probability at `threshold`
    is still >= CANDIDATE_RECALL_AT_THRESHOLD."""
    for rows in range(num_perm, 0, -1):
        bands = num_perm // rows
        if 1 - (1 - threshold**rows) ** bands >= CANDIDATE_RECALL_AT_THRESHOLD:
            return bands, rows
    return num_perm, 1


def _signatures(shingle_sets: list[Hashes], options: NearDuplicateOptions) -> npt.NDArray[np.uint32]:
    """MinHash signatures (one row per set) from rensa, in one call."""
    offsets = np.zeros(len(shingle_sets) + 1, dtype=np.uint64)
    offsets[1:] = np.cumsum([s.size for s in shingle_sets])
    flat = np.concatenate(shingle_sets) if shingle_sets else np.empty(0, dtype=np.uint64)
    matrix = RMinHash.digest_matrix_from_flat_token_hashes(flat, offsets, options.num_perm, options.seed)
    return np.array(matrix.to_rows(), dtype=np.uint32).reshape(len(shingle_sets), options.num_perm)


def _rensa_version() -> int:
    return int(RMinHash.ALGORITHM_VERSION)


class NearDuplicateIndex:
    """An incremental near-duplicate index: add articles one by one or in batches, never recomputing the rest.

    Each `add` returns the verified near duplicates of the new article among those already added. The whole
    state is a plain value: `to_bytes()` gives bytes (an .npz archive, no pickle) that `from_bytes` restores.
    """

    def __init__(self, options: NearDuplicateOptions | None = None) -> None:
        self.options = options or NearDuplicateOptions()
        self.method = METHOD
        self.bands, self.rows = lsh_bands(self.options.threshold, self.options.num_perm)
        self.ids: list[str] = []
        self._position: dict[str, int] = {}
        self._shingles: list[Hashes] = []
        self._signatures: list[npt.NDArray[np.uint32]] = []
        self._buckets: list[dict[int, int | list[int]]] = [{} for _ in range(self.bands)]
        self.counts = {"candidates": 0, "rejected_by_jaccard": 0, "verified": 0, "no_words": 0}

    @property
    def nbytes(self) -> int:
        """Bytes held in the per-article arrays (shingle hashes and signatures); the LSH buckets come on top."""
        return sum(s.nbytes for s in self._shingles) + sum(s.nbytes for s in self._signatures)

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._position

    def add(self, article_id: str, text: str) -> list[NearDuplicate]:
        """Index one article and return its verified near duplicates among the articles added before it."""
        return self.add_many([(article_id, text)])

    def add_many(self, items: Iterable[tuple[str, str]]) -> list[NearDuplicate]:
        """Index (id, text) pairs in order; same result as `add` on each in turn, signatures made in batches."""
        found: list[NearDuplicate] = []
        batch: list[tuple[str, str]] = []
        for article_id, text in items:
            batch.append((article_id, text))
            if len(batch) >= BATCH:
                found.extend(self.add_prepared(self.prepare(batch)))
                batch = []
        found.extend(self.add_prepared(self.prepare(batch)))
        return found

    def prepare(self, items: Iterable[tuple[str, str]]) -> list[PreparedArticle]:
        """Shingle, sign and band (id, text) pairs without adding them (`add_prepared` does), so that a caller
        can first load the stored entries that share their `buckets` (`restore`)."""
        prepared: list[PreparedArticle] = []
        batch: list[tuple[str, str]] = []
        for article_id, text in items:
            if not isinstance(article_id, str) or not isinstance(text, str):
                raise TypeError(f"prepare takes (article_id: str, text: str) pairs, got {article_id!r}")
            batch.append((article_id, text))
            if len(batch) >= BATCH:
                prepared.extend(self._prepare_batch(batch))
                batch = []
        prepared.extend(self._prepare_batch(batch))
        return prepared

    def _prepare_batch(self, batch: list[tuple[str, str]]) -> list[PreparedArticle]:
        if not batch:
            return []
        shingle_sets = shingle_hash_sets([text for _, text in batch], self.options.shingle_size)
        signatures = self._signatures_of(shingle_sets)
        band_keys = self._band_keys(signatures)
        return [
            PreparedArticle(article_id, shingles, signature, keys, self._buckets_of(keys))
            for (article_id, _), shingles, signature, keys in zip(
                batch, shingle_sets, signatures, band_keys, strict=True
            )
        ]

    def add_prepared(self, prepared: Iterable[PreparedArticle]) -> list[NearDuplicate]:
        """Index prepared articles in order and return their verified near duplicates among those added before."""
        found: list[NearDuplicate] = []
        for item in prepared:
            found.extend(self._insert(item.article_id, item.shingles, item.signature, item.band_keys))
        return found

    def _signatures_of(self, shingle_sets: list[Hashes]) -> npt.NDArray[np.uint32]:
        """MinHash signatures of shingle sets, one row each (a seam: the benchmark swaps the library here)."""
        return _signatures(shingle_sets, self.options)

    def _band_keys(self, signatures: npt.NDArray[np.uint32]) -> list[list[int]]:
        """One hash per LSH band of each signature row (rows of `self.rows` values, folded into 64 bits)."""
        used = signatures[:, : self.bands * self.rows].astype(np.uint64)
        bands = used.reshape(signatures.shape[0], self.bands, self.rows)
        keys = np.zeros(bands.shape[:2], dtype=np.uint64)
        for column in range(self.rows):
            keys = keys * np.uint64(_BAND_MULTIPLIER) + bands[:, :, column]
        rows: list[list[int]] = keys.tolist()
        return rows

    def _buckets_of(self, band_keys: list[int]) -> tuple[int, ...]:
        """Band keys as store keys: each folded with its band's number (so equal keys in two bands stay apart,
        short of a 64-bit collision, which costs one extra candidate and never a wrong pair: every candidate is
        verified) and read as a signed 64-bit int, the integer SQLite and PostgreSQL keep."""
        return tuple(_signed64(key * _BAND_MULTIPLIER + band) for band, key in enumerate(band_keys))

    def buckets(self, signature: bytes) -> tuple[int, ...]:
        """The store keys of a saved signature (`IndexedArticle.signature`), for rows saved without them."""
        return self._signature_buckets(np.frombuffer(signature, dtype="<u4"))

    def _signature_buckets(self, signature: npt.NDArray[np.uint32]) -> tuple[int, ...]:
        return self._buckets_of(self._band_keys(signature[np.newaxis, :])[0])

    def _insert(
        self, article_id: str, shingles: Hashes, signature: npt.NDArray[np.uint32], band_keys: list[int]
    ) -> list[NearDuplicate]:
        if article_id in self._position:
            raise ValueError(f"article {article_id!r} is already indexed; check `article_id in index` first")
        position = len(self.ids)
        self.ids.append(article_id)
        self._position[article_id] = position
        self._shingles.append(shingles)
        self._signatures.append(signature)
        if shingles.size == 0:
            self.counts["no_words"] += 1
            return []
        candidates = self._insert_keys(position, band_keys)
        return self._verify(position, sorted(candidates)) if candidates else []

    def _insert_keys(self, position: int, band_keys: list[int]) -> set[int]:
        """File the article under its band keys; return the articles already filed under any of them."""
        candidates: set[int] = set()
        for bucket, key in zip(self._buckets, band_keys, strict=True):
            members = bucket.get(key)
            if members is None:  # most band keys are unique: a bare int, not a list the garbage collector tracks
                bucket[key] = position
            elif isinstance(members, int):
                candidates.add(members)
                bucket[key] = [members, position]
            else:
                candidates.update(members)
                members.append(position)
        return candidates

    def _verify(self, position: int, candidates: list[int]) -> list[NearDuplicate]:
        shingles = self._shingles[position]
        threshold = self.options.threshold
        found: list[NearDuplicate] = []
        for other in candidates:
            self.counts["candidates"] += 1
            other_shingles = self._shingles[other]
            small, large = sorted((shingles.size, other_shingles.size))
            if small < threshold * large:  # Jaccard <= small / large: cannot reach the threshold
                self.counts["rejected_by_jaccard"] += 1
                continue
            jaccard, shared = hashed_jaccard(shingles, other_shingles)
            if jaccard < threshold:
                self.counts["rejected_by_jaccard"] += 1
                continue
            self.counts["verified"] += 1
            found.append(
                NearDuplicate(
                    self.ids[position], self.ids[other], jaccard, shared / shingles.size, shared / other_shingles.size
                )
            )
        return found

    @property
    def header(self) -> dict[str, Any]:
        """What made this index (method, options, rensa's algorithm version): store it with the entries."""
        return {"method": self.method, "options": asdict(self.options), "rensa_algorithm_version": _rensa_version()}

    def entry(self, article_id: str) -> IndexedArticle:
        """One indexed article's state (a store row), for `from_entries`."""
        position = self._position[article_id]
        signature, shingles = self._signatures[position], self._shingles[position]
        buckets = self._signature_buckets(signature)
        return IndexedArticle(article_id, signature.astype("<u4").tobytes(), shingles.astype("<u8").tobytes(), buckets)

    @classmethod
    def from_entries(cls, header: dict[str, Any], entries: Iterable[IndexedArticle]) -> NearDuplicateIndex:
        """Rebuild an index from its `header` and its entries in the order they were added."""
        index = cls._from_header(header)
        index.restore(entries)
        return index

    def restore(self, entries: Iterable[IndexedArticle]) -> None:
        """Add saved entries, in the order they were first added, without verifying them again. Restoring only
        the stored entries that share a bucket with the articles about to be added (`prepare`) gives those
        articles the same candidates, so the same pairs, as restoring every entry."""
        for entry in entries:
            if entry.article_id in self._position:  # already here (restored before, or added this run)
                continue
            signature = np.frombuffer(entry.signature, dtype="<u4")
            if signature.size != self.options.num_perm:
                raise StateMismatchError(
                    f"entry {entry.article_id!r} has {signature.size} permutations, not the header's"
                )
            self._restore(entry.article_id, signature, np.frombuffer(entry.shingles, dtype="<u8"))

    def to_bytes(self) -> bytes:
        """Return the whole index state as bytes (an .npz archive without pickles), for `from_bytes`."""
        buffer = io.BytesIO()
        np.savez(
            buffer,
            header=np.frombuffer(json.dumps({**self.header, "ids": self.ids}).encode("utf-8"), dtype=np.uint8),
            signatures=np.array(self._signatures, dtype=np.uint32).reshape(len(self.ids), self.options.num_perm),
            shingle_sizes=np.array([s.size for s in self._shingles], dtype=np.int64),
            shingles=np.concatenate(self._shingles) if self._shingles else np.empty(0, dtype=np.uint64),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> NearDuplicateIndex:
        """Restore an index saved with `to_bytes`; raises StateMismatchError when it was made differently."""
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as archive:
                header = json.loads(archive["header"].tobytes().decode("utf-8"))
                signatures = archive["signatures"]
                sizes = archive["shingle_sizes"]
                flat = archive["shingles"]
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
            raise StateMismatchError(f"not a saved near-duplicate index ({error})") from None
        index = cls._from_header(header)
        bounds = np.concatenate(([0], np.cumsum(sizes)))
        for position, article_id in enumerate(header["ids"]):
            index._restore(article_id, signatures[position], flat[bounds[position] : bounds[position + 1]])
        return index

    @classmethod
    def _from_header(cls, header: dict[str, Any]) -> NearDuplicateIndex:
        if header.get("method") != METHOD:
            raise StateMismatchError(f"saved state is {header.get('method')!r}; this version reads {METHOD!r}")
        if header.get("rensa_algorithm_version") != _rensa_version():
            raise StateMismatchError("saved signatures come from another rensa algorithm version: rebuild the index")
        return cls(NearDuplicateOptions(**header["options"]))

    def _restore(self, article_id: str, signature: npt.NDArray[np.uint32], shingles: Hashes) -> None:
        position = len(self.ids)
        self.ids.append(article_id)
        self._position[article_id] = position
        self._shingles.append(shingles)
        self._signatures.append(signature)
        if shingles.size:
            self._insert_keys(position, self._band_keys(signature[np.newaxis, :])[0])


def _groups(ids: Iterable[str], pairs: Iterable[NearDuplicate]) -> list[list[str]]:
    """Connected components of the pairs (union-find), each in first-seen order, singletons left out."""
    order = {article_id: n for n, article_id in enumerate(ids)}
    parent = {article_id: article_id for article_id in order}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for pair in pairs:
        first, second = root(pair.article_id), root(pair.other_id)
        if first != second:
            parent[max(first, second, key=order.__getitem__)] = min(first, second, key=order.__getitem__)
    members: dict[str, list[str]] = {}
    for article_id in order:
        members.setdefault(root(article_id), []).append(article_id)
    return [group for group in members.values() if len(group) > 1]


def _to_index(articles: Iterable[Article], report: StageReport) -> Iterator[tuple[str, str]]:
    for article in articles:
        report.seen += 1
        if article.duplicate_of is not None:
            report.counts["exact_duplicates_skipped"] += 1
            continue
        report.kept += 1
        yield article.id, article.text


def find_near_duplicates(articles: Iterable[Article], options: NearDuplicateOptions | None = None) -> NearDuplicates:
    """Find verified near-duplicate pairs and their groups in a corpus (after `find_exact_duplicates`).

    Articles already marked `duplicate_of` are skipped (counted as `exact_duplicates_skipped`).

        >>> result = find_near_duplicates(articles)
        >>> result.groups            # [["a1", "a7", "a9"], ...]
        >>> result.report.counts     # candidates, verified, pairs, groups, ...
    """
    started = time.perf_counter()
    result = NearDuplicates()
    index = NearDuplicateIndex(options)
    result.pairs = index.add_many(_to_index(articles, result.report))
    result.groups = _groups(index.ids, result.pairs)
    result.report.counts.update(index.counts)
    result.report.counts["pairs"] = len(result.pairs)
    result.report.counts["groups"] = len(result.groups)
    result.report.counts["articles_in_groups"] = sum(len(group) for group in result.groups)
    result.report.seconds = time.perf_counter() - started
    return result
