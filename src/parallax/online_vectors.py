"""Vectors for online story clustering: hashed TF-IDF whose document frequencies are learned as articles arrive.

Used by `cluster.online.v2`. Nothing fitted on text ships with the package: each term is hashed into `HASH_BITS`
bits and a running document-frequency count per bucket gives the idf at the moment an article arrives. Memory is
fixed (one count array per channel) however long the stream. Each article gives one vector per channel:

- `text`: words of the title and the text (lower-cased, English stop words dropped, plural endings folded:
  "talks" = "talk");
- `pairs`: pairs of neighbouring words of the same sequence (stop words dropped first, as scikit-learn's bigrams):
  "net neutrality", "public charge" name an event more sharply than either word;
- `title`: the title's words; `lead`: the words of the title and the first `LEAD_SENTENCES` sentences (where
  reports of one event state what happened);
- `names`: capitalised words of the text (and the canonical entities the annotate stage left on the article);
- `numbers`: numbers other than years and single digits.

The vectors are sublinear TF-IDF, unit length. `sketch` is a short dense signed projection of `text`
(`SKETCH_SIZE` floats) that lets the clusterer score every indexed story at once to find candidates.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from parallax.model import Article

__all__ = [
    "EMPTY",
    "HASH_BITS",
    "LEAD_SENTENCES",
    "SKETCH_SIZE",
    "ArticleVectors",
    "RunningIdf",
    "SparseVector",
    "Vectorizer",
    "add_vectors",
    "names",
    "numbers",
]

HASH_BITS = 20
LEAD_SENTENCES = 3
SKETCH_SIZE = 512  # floats per sketch: the candidate scores' hashing noise is about 1/sqrt(512) of a cosine
WORD_MEMO = 1_000_000  # distinct words remembered with their bucket (memory stays bounded)
_MASK = (1 << HASH_BITS) - 1
_FIELD_BITS = HASH_BITS + 1  # a packed token holds three buckets of this many bits (see `Vectorizer`)
_NONE = (1 << _FIELD_BITS) - 1  # the field value of "not this kind of token"; above every bucket
_PAIR_MIX = 0x9E3779B1  # an odd 32-bit constant (golden ratio): mixes the first word's bucket before the second

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]|\d[\d,.]*\d|\d")
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
    if right.empty:
        return left
    both = np.concatenate([left.index, right.index])
    order = np.argsort(both, kind="stable")
    ordered = both[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    values = np.add.reduceat(np.concatenate([left.values, right.values])[order], starts)
    return SparseVector(ordered[starts], values)


class RunningIdf:
    """Document frequencies per hash bucket, updated as documents arrive; idf as scikit-learn's smooth idf."""

    __slots__ = ("counts", "documents")

    def __init__(self) -> None:
        self.counts = np.zeros(1 << HASH_BITS, dtype=np.int32)
        self.documents = 0

    def vector(self, buckets: Index, *, observe: bool = True) -> SparseVector:
        """Unit-length sublinear TF-IDF vector of the bucket occurrences `buckets`, counting them as one more
        document first unless `observe` is false."""
        index, counts = unique_counts(buckets)
        if observe:
            self.counts[index] += 1
            self.documents += 1
        if len(index) == 0:
            return EMPTY
        idf = np.log((1 + self.documents) / (1 + self.counts[index])) + 1.0
        values = (1.0 + np.log(counts)) * idf
        return SparseVector(index, values / np.sqrt(values @ values))


@dataclass(slots=True, frozen=True)
class ArticleVectors:
    """Every channel of one article, ready to compare with a story (see the module docstring)."""

    text: SparseVector
    pairs: SparseVector
    title: SparseVector
    lead: SparseVector
    names: SparseVector
    numbers: SparseVector
    sketch: NDArray[np.float32]
    day: int | None


def sketch(vector: SparseVector) -> NDArray[np.float32]:
    """A dense signed projection of `vector` (feature hashing again, into `SKETCH_SIZE` slots): the dot product of
    two sketches estimates the dot product of the vectors."""
    slots = vector.index & (SKETCH_SIZE - 1)
    signs = ((vector.index >> 10) & 1) * 2 - 1  # another bit of the hash: collisions cancel on average
    return np.bincount(slots, weights=vector.values * signs, minlength=SKETCH_SIZE).astype(np.float32)


class Vectorizer:
    """Turns arriving articles into `ArticleVectors`, learning document frequencies as it goes.

    The text is read once: every token (word or number) is looked up in a memo that gives its word, name and
    number buckets packed in one integer (`_FIELD_BITS` each; `_NONE` where the token is not of that kind), so
    that the three channels come out of one pass with array operations.
    """

    __slots__ = ("memo", "name_idf", "number_idf", "word_pairs", "words")

    def __init__(self) -> None:
        self.words = RunningIdf()  # text, title and lead share one vocabulary
        self.word_pairs = RunningIdf()
        self.name_idf = RunningIdf()
        self.number_idf = RunningIdf()
        self.memo = _PackedMemo()  # emptied past WORD_MEMO tokens

    def __call__(self, article: Article) -> ArticleVectors:
        """Observe `article` (document frequencies) and return its vectors."""
        title = self._tokens(article.title or "")
        lead_end = _lead_end(article)
        lead = self._tokens(article.text, 0, lead_end)
        body = np.concatenate([lead, self._tokens(article.text, lead_end)])
        words = np.concatenate([title, body]) & _NONE
        text = words[words != _NONE]
        lead = np.concatenate([title, lead]) & _NONE
        title_words = title & _NONE
        name = (body >> _FIELD_BITS) & _NONE
        name = np.concatenate([name[name != _NONE], _entity_buckets(article)])
        number = body >> (2 * _FIELD_BITS)
        text_vector = self.words.vector(text)
        return ArticleVectors(
            text=text_vector,
            pairs=self.word_pairs.vector(((text[:-1] * _PAIR_MIX) ^ text[1:]) & _MASK),
            title=self.words.vector(title_words[title_words != _NONE], observe=False),
            lead=self.words.vector(lead[lead != _NONE], observe=False),
            names=self.name_idf.vector(name),
            numbers=self.number_idf.vector(number[number != _NONE]),
            sketch=sketch(text_vector),
            day=article.published.toordinal() if article.published else None,
        )

    def _tokens(self, text: str, start: int = 0, end: int | None = None) -> Index:
        """The packed buckets of every token of `text[start:end]`, in order."""
        if len(self.memo) > WORD_MEMO:
            self.memo.clear()
        found = _TOKEN.findall(text, start, len(text) if end is None else end)
        return np.fromiter(map(self.memo.__getitem__, found), dtype=np.int64, count=len(found))


class _PackedMemo(dict[str, int]):
    """Token -> packed buckets, computed on first sight (`dict.__missing__`: lookups stay at dict speed)."""

    def __missing__(self, token: str) -> int:
        self[token] = packed = _pack(token)
        return packed


def _entity_buckets(article: Article) -> Index:
    """The name buckets of the canonical entities the annotate stage left on the article (none if it has not run)."""
    canonical = (m.canonical.lower() for m in article.entities)
    return np.fromiter((zlib.crc32(("n:" + c).encode()) & _MASK for c in canonical), dtype=np.int64)


def _pack(token: str) -> int:
    """A token's word, name and number buckets in one integer (see `Vectorizer`)."""
    if token[0].isdigit():
        number = token.replace(",", "").rstrip(".")
        keep = len(number) > 1 and not _YEAR.fullmatch(number)
        bucket = zlib.crc32(("d:" + number).encode()) & _MASK if keep else _NONE
        return _NONE | _NONE << _FIELD_BITS | bucket << (2 * _FIELD_BITS)
    lower = token.lower()
    word = _word_bucket(lower)
    is_name = token[0].isupper() and len(token) > 1 and lower not in _STOP
    name = zlib.crc32(("n:" + lower.removesuffix("'s").removesuffix("’s")).encode()) & _MASK if is_name else _NONE
    return (_NONE if word < 0 else word) | name << _FIELD_BITS | _NONE << (2 * _FIELD_BITS)


def _lead_end(article: Article) -> int:
    """Where the lead ends in the text: after `LEAD_SENTENCES` sentences (the whole text when it has fewer)."""
    if len(article.sentences) > LEAD_SENTENCES:
        return article.sentences[LEAD_SENTENCES - 1].end
    return len(article.text)


def _word_bucket(word: str) -> int:
    """The hash bucket of a lower-case word's folded form, or -1 for a stop word."""
    if word in _STOP or len(word) < 2:
        return -1
    return zlib.crc32(("w:" + fold(word)).encode()) & _MASK
