"""Storylines: link stories about one continuing situation across weeks or months, kept apart from the stories.

Method `storyline.link.v1`. A story is one event ("Azerbaijan says Russia is not fulfilling the truce deal",
July 2023); a storyline is the situation its events belong to ("Nagorno-Karabakh"), so the January report that
Russia blames Armenia for stalled talks is another story of the same storyline. Two stories are linked when
their dates (when both are known) lie within `window_days` of each other and their similarity reaches
`threshold`: the mean of the cosine of their TF-IDF centroids (fitted on the stories' own articles) and of
the cosine of their names (capitalised words and canonical entities). Storylines are formed by average-linkage
agglomeration at that threshold (single linkage chained 87 NeuS val stories of US politics into one). A
storyline is named after its earliest story; stories linked to nothing form no storyline.

    >>> from parallax.model import Article, Story
    >>> texts = {"a": "Azerbaijan and Armenia talks on Karabakh stall in Moscow.",
    ...          "b": "Azerbaijan accuses Armenia over Karabakh as Moscow talks resume.",
    ...          "c": "Parliament passes the budget bill."}
    >>> articles = [Article(id=k, source=k, raw_hash=k, raw_text=t, text=t) for k, t in texts.items()]
    >>> stories = [Story(id=f"s-{k}", title=k, article_ids=[k], method="m") for k in texts]
    >>> [line.story_ids for line in link_storylines(stories, articles)]
    [['s-a', 's-b']]
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from parallax.model import Article, Story
from parallax.online_vectors import names

__all__ = ["METHOD", "Storyline", "StorylineOptions", "link_storylines", "story_similarity"]

METHOD = "storyline.link.v1"


@dataclass(slots=True, frozen=True)
class StorylineOptions:
    """`threshold`: the least story similarity for a link; `window_days`: how far apart linked stories may lie.

    The threshold was set by hand, not fitted (no labeled storylines exist here): the January and July Karabakh
    stories score 0.415; pairs of NeuS val gold stories score 0.044 at the median and 0.225 at the 99th
    percentile; at 0.3 NeuS val's 307 stories form 42 storylines of 2-5 stories (impeachment trial, relief bill).
    """

    threshold: float = 0.3
    window_days: int = 240
    max_stories: int = 5000
    """Above this many stories the pipeline skips storylines and says so: the similarity is stories x stories."""

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"StorylineOptions.threshold must be in (0, 1], not {self.threshold}")
        if self.window_days < 0:
            raise ValueError(f"StorylineOptions.window_days must be >= 0, not {self.window_days}")


@dataclass(slots=True, frozen=True)
class Storyline:
    """Stories of one continuing situation, earliest first."""

    id: str
    story_ids: list[str]
    method: str = METHOD


def _centroids(documents: list[str], owner: list[int], count: int, **settings: object) -> NDArray[np.float64]:
    """The cosine of every pair of stories' TF-IDF centroids (sparse sums: a dense stories x vocabulary matrix
    would be gigabytes at a few thousand stories)."""
    vectorizer = TfidfVectorizer(sublinear_tf=True, **settings)
    try:
        vectors = normalize(vectorizer.fit_transform(documents))
    except ValueError:  # nothing survived: no two stories are alike
        return np.zeros((count, count))
    membership = sparse.csr_matrix((np.ones(len(owner)), (owner, range(len(owner)))), shape=(count, len(owner)))
    unit = normalize(membership @ vectors)  # a story without terms stays all zeros
    return np.asarray((unit @ unit.T).toarray(), dtype=np.float64)


def story_similarity(stories: Sequence[Story], articles: Sequence[Article]) -> NDArray[np.float64]:
    """Mean of the vocabulary and the name similarity of every pair of stories (symmetric, in [0, 1])."""
    by_id = {a.id: a for a in articles}
    owner = [n for n, story in enumerate(stories) for i in story.article_ids if i in by_id]
    members = [by_id[i] for story in stories for i in story.article_ids if i in by_id]
    texts = [f"{a.title}\n{a.text}" if a.title else a.text for a in members]
    name_bags = ["\n".join(names(a)) for a in members]
    vocabulary = _centroids(texts, owner, len(stories), stop_words="english")
    people_and_places = _centroids(name_bags, owner, len(stories), analyzer=str.splitlines)
    return np.clip((vocabulary + people_and_places) / 2, 0.0, 1.0)


def _within(stories: Sequence[Story], days: int) -> NDArray[np.bool_]:
    """Whether each pair of stories lies within `days` of each other (always, where either is undated)."""
    spans = [(s.first_published, s.last_published) for s in stories]
    dated = np.array([first is not None and last is not None for first, last in spans])
    first = np.array([first.toordinal() if first and last else 0 for first, last in spans])
    last = np.array([last.toordinal() if first and last else 0 for first, last in spans])
    gap = np.maximum.outer(first, first) - np.minimum.outer(last, last)
    return np.asarray((gap <= days) | ~np.logical_and.outer(dated, dated))


def link_storylines(
    stories: Sequence[Story], articles: Sequence[Article], options: StorylineOptions | None = None
) -> list[Storyline]:
    """Group `stories` into storylines; only stories linked to at least one other appear."""
    options = options or StorylineOptions()
    if len(stories) < 2:
        return []
    similarity = story_similarity(stories, articles)
    similarity[~_within(stories, options.window_days)] = 0.0
    np.fill_diagonal(similarity, 1.0)
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=1.0 - options.threshold + 1e-9
    )
    labels = model.fit_predict(np.clip(1.0 - similarity, 0.0, None))
    components: dict[int, list[Story]] = {}
    for label, story in zip(labels.tolist(), stories, strict=True):
        components.setdefault(label, []).append(story)
    lines = []
    for members in components.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda s: (s.first_published is None, s.first_published or 0, s.id))
        first = members[0].id
        line_id = "l-" + hashlib.sha256(first.encode()).hexdigest()[:12]
        lines.append(Storyline(line_id, [s.id for s in members]))
    lines.sort(key=lambda line: line.story_ids[0])
    return lines
