"""Vectors for online story clustering: hashed TF-IDF whose document frequencies are learned as articles arrive.

Nothing fitted on data ships with the package: each term is hashed (CRC-32, `HASH_BITS` bits) and a running
document-frequency count per bucket gives the idf at the moment an article arrives. Memory is fixed (one count
array) however long the stream. Tokens are lower-cased words without English stop words, with plural endings
folded ("talks" = "talk"); names are capitalised words (plus the canonical entity forms the annotate stage left
on the article); numbers are digit runs. Each signal has its own prefix in the hash space, so their document
frequencies do not mix.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from parallax.model import Article

__all__ = [
    "EMPTY",
    "HASH_BITS",
    "ArticleVectors",
    "RunningIdf",
    "SentenceBlock",
    "SparseVector",
    "Vectorizer",
    "add_vectors",
    "norm",
]

HASH_BITS = 20
BOILERPLATE_BITS = 22
MIN_SENTENCE_WORDS = 6
WORD_MEMO = 1_000_000  # distinct words remembered with their bucket (memory stays bounded)
BOILERPLATE_SEEN = 3  # a sentence already seen in this many earlier articles is site furniture, not a fact

_WORD = re.compile(r"[a-z][a-z'’-]*[a-z]|[a-z]")
_NAME = re.compile(r"\b[A-Z][A-Za-z'’-]+")
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_YEAR = re.compile(r"(?:19|20)\d\d")
_STOP = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "say", "told", "according", "just", "like", "year"}

Index = NDArray[np.int64]
Values = NDArray[np.float64]


def fold(word: str) -> str:
    """A lemma-ish form: possessive and plural endings removed ("talks" -> "talk", "parties" -> "party")."""
    word = word.removesuffix("'s").removesuffix("’s")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def names(article: Article) -> list[str]:
    """Capitalised words of the text and the canonical forms of recognised entities, lower-cased."""
    found = [n.lower() for n in _NAME.findall(article.text) if n.lower() not in _STOP]
    found.extend(m.canonical.lower() for m in article.entities)
    return found


def numbers(text: str) -> list[str]:
    """Numbers of `text` that can identify an event, without separators ("1,200" -> "1200"): years and single
    digits are left out (every report has them)."""
    found = (n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text))
    return [n for n in found if len(n) > 1 and not _YEAR.fullmatch(n)]


def _buckets(prefix: str, tokens: Iterable[str], bits: int = HASH_BITS) -> Index:
    mask = (1 << bits) - 1
    return np.fromiter((zlib.crc32((prefix + t).encode()) & mask for t in tokens), dtype=np.int64)


@dataclass(slots=True, frozen=True)
class SparseVector:
    """Sorted bucket indexes and their weights."""

    index: Index
    values: Values

    @property
    def empty(self) -> bool:
        """Whether no term survived."""
        return len(self.index) == 0


EMPTY = SparseVector(np.zeros(0, dtype=np.int64), np.zeros(0))


def unique_counts(values: Index) -> tuple[Index, NDArray[np.int64]]:
    """The distinct values, sorted, and how often each occurs (`np.unique` without its overhead on short arrays)."""
    if len(values) == 0:
        return values, np.zeros(0, dtype=np.int64)
    ordered = np.sort(values)
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    return ordered[starts], np.diff(np.append(starts, len(ordered)))


def add_vectors(left: SparseVector, right: SparseVector) -> SparseVector:
    """The sum of two sparse vectors."""
    if left.empty:
        return right
    both = np.concatenate([left.index, right.index])
    order = np.argsort(both, kind="stable")
    ordered = both[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    values = np.add.reduceat(np.concatenate([left.values, right.values])[order], starts)
    return SparseVector(ordered[starts], values)


def norm(vector: SparseVector) -> float:
    """Euclidean length."""
    return float(np.sqrt(vector.values @ vector.values))


class RunningIdf:
    """Document frequencies per hash bucket, updated as documents arrive; idf as scikit-learn's smooth idf."""

    __slots__ = ("counts", "documents")

    def __init__(self) -> None:
        self.counts = np.zeros(1 << HASH_BITS, dtype=np.int32)
        self.documents = 0

    def observe(self, buckets: Index) -> None:
        """Count one document holding `buckets` (repeats allowed)."""
        self.counts[unique_counts(buckets)[0]] += 1
        self.documents += 1

    def idf(self, index: Index) -> Values:
        """Inverse document frequency of each bucket now."""
        return np.asarray(np.log((1 + self.documents) / (1 + self.counts[index])) + 1.0, dtype=np.float64)

    def vector(self, buckets: Index) -> SparseVector:
        """Unit-length sublinear TF-IDF vector of the bucket occurrences `buckets`."""
        if len(buckets) == 0:
            return EMPTY
        index, counts = unique_counts(buckets)
        values = (1.0 + np.log(counts)) * self.idf(index)
        return SparseVector(index, values / np.sqrt(values @ values))


@dataclass(slots=True, frozen=True)
class ArticleVectors:
    """Every signal of one article, ready to compare with a story."""

    text: SparseVector
    title: SparseVector
    names: SparseVector
    numbers: SparseVector
    sentences: SentenceBlock | None  # the article's non-furniture sentences; None if too few
    day: int | None


@dataclass(slots=True, frozen=True)
class SentenceBlock:
    """Unit TF-IDF vectors of sentences, as parallel arrays of (row, bucket, weight)."""

    rows: Index
    index: Index
    values: Values
    count: int

    @staticmethod
    def join(blocks: list[SentenceBlock]) -> SentenceBlock:
        """The blocks stacked one under the other."""
        offsets = np.cumsum([0] + [b.count for b in blocks])
        return SentenceBlock(
            np.concatenate([b.rows + offset for b, offset in zip(blocks, offsets, strict=False)]),
            np.concatenate([b.index for b in blocks]),
            np.concatenate([b.values for b in blocks]),
            int(offsets[-1]),
        )


class Vectorizer:
    """Turns arriving articles into `ArticleVectors`, learning document frequencies and site furniture as it goes."""

    __slots__ = ("furniture", "idf", "min_sentences", "word_buckets")

    def __init__(self, min_sentences: int) -> None:
        self.idf = RunningIdf()
        self.furniture = np.zeros(1 << BOILERPLATE_BITS, dtype=np.uint8)
        self.min_sentences = min_sentences
        self.word_buckets: dict[str, int] = {}  # a memo of `_word_bucket`, emptied when it grows past WORD_MEMO

    def __call__(self, article: Article) -> ArticleVectors:
        """Observe `article` (document frequencies, sentences seen) and return its vectors."""
        texts = [s.text for s in article.sentences] if article.sentences else [article.text]
        per_sentence = [self._words(text) for text in texts]
        title = self._words(article.title) if article.title else np.zeros(0, dtype=np.int64)
        text = np.concatenate([*per_sentence, title])
        name = _buckets("n:", names(article))
        number = _buckets("d:", numbers(article.text))
        self.idf.observe(np.concatenate([text, name, number]))
        return ArticleVectors(
            text=self.idf.vector(text),
            title=self.idf.vector(title),
            names=self.idf.vector(name),
            numbers=self.idf.vector(number),
            sentences=self._sentences(article, per_sentence) if article.sentences else None,
            day=article.published.toordinal() if article.published else None,
        )

    def _words(self, text: str) -> Index:
        memo = self.word_buckets
        if len(memo) > WORD_MEMO:
            memo.clear()
        found = _WORD.findall(text.lower())
        buckets = [memo.get(word, -2) for word in found]
        if -2 in buckets:
            for n, word in enumerate(found):
                if buckets[n] == -2:
                    buckets[n] = memo[word] = _word_bucket(word)
        array = np.array(buckets, dtype=np.int64)
        return array[array >= 0]

    def _sentences(self, article: Article, per_sentence: list[Index]) -> SentenceBlock | None:
        keys = _buckets("", (s.text for s in article.sentences), BOILERPLATE_BITS)
        seen = self.furniture[keys]
        self.furniture[keys] = np.minimum(seen.astype(np.int32) + 1, 255).astype(np.uint8)
        kept = [
            buckets
            for buckets, count, sentence in zip(per_sentence, seen, article.sentences, strict=True)
            if count < BOILERPLATE_SEEN and len(sentence.text.split()) >= MIN_SENTENCE_WORDS and len(buckets)
        ]
        if len(kept) < self.min_sentences:
            return None
        rows = np.repeat(np.arange(len(kept)), [len(b) for b in kept])
        keyed, counts = unique_counts((rows << HASH_BITS) | np.concatenate(kept))
        rows, index = keyed >> HASH_BITS, keyed & ((1 << HASH_BITS) - 1)
        values = (1.0 + np.log(counts)) * self.idf.idf(index)
        values /= np.sqrt(np.bincount(rows, weights=values * values))[rows]
        return SentenceBlock(rows, index, values, len(kept))


def _word_bucket(word: str) -> int:
    """The hash bucket of a lower-case word's folded form, or -1 for a stop word."""
    if word in _STOP or len(word) < 2:
        return -1
    return zlib.crc32(("w:" + fold(word)).encode()) & ((1 << HASH_BITS) - 1)
