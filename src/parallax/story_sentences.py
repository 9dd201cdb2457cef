"""The sentences of one story's articles, addressable by (article id, sentence index), with their similarity.

Divergences and omissions both ask "do these two sentences of different articles speak of the same thing?" and
"which sentence holds this span?". `StorySentences` answers both: every sentence of every article becomes a TF-IDF
vector (sublinear tf, English stop words, idf fitted on the story's own sentences: the same weighting as
`compare.align.v1`, so a similarity here reads like one there), and each article's sentence starts are indexed
for span look-ups.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer

from parallax.model import Article

__all__ = ["SentenceKey", "StorySentences"]

SentenceKey = tuple[str, int]
"""A sentence as (article id, index into `Article.sentences`), as `FactEvidence` names it."""


@dataclass(slots=True, frozen=True)
class StorySentences:
    """Sentence vectors of a story's articles, their pairwise similarity and each article's sentence starts."""

    keys: tuple[SentenceKey, ...]
    row_of: dict[SentenceKey, int]
    similarity_matrix: NDArray[np.float64]
    starts: dict[str, tuple[int, ...]]

    @classmethod
    def of(cls, articles: Sequence[Article]) -> StorySentences:
        """Vectorise every sentence of `articles` (idf fitted on them)."""
        keys = tuple((article.id, index) for article in articles for index in range(len(article.sentences)))
        texts = [sentence.text for article in articles for sentence in article.sentences]
        starts = {article.id: tuple(sentence.start for sentence in article.sentences) for article in articles}
        return cls(keys, {key: row for row, key in enumerate(keys)}, _similarity(texts), starts)

    def similarity(self, a: SentenceKey, b: SentenceKey) -> float:
        """Cosine similarity of two sentences (0.0 when either is unknown)."""
        row_a, row_b = self.row_of.get(a), self.row_of.get(b)
        if row_a is None or row_b is None:
            return 0.0
        return float(self.similarity_matrix[row_a, row_b])

    def sentence_at(self, article_id: str, offset: int) -> int | None:
        """Index of the sentence of `article_id` that holds character `offset` of its text, if any."""
        starts = self.starts.get(article_id, ())
        index = bisect_right(starts, offset) - 1
        return index if index >= 0 else None


def _similarity(texts: list[str]) -> NDArray[np.float64]:
    if not texts:
        return np.zeros((0, 0))
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english")
    try:
        vectors = vectorizer.fit_transform(texts)
    except ValueError:  # nothing but stop words: no two sentences can be shown to speak of the same
        return np.eye(len(texts))
    return np.asarray((vectors @ vectors.T).todense(), dtype=np.float64)
