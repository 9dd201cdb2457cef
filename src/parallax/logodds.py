"""Weighted log-odds ratios with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008, "Fightin' Words").

For one group of texts against the rest, a word's log-odds difference is

    delta_w = log((y_iw + a_w) / (n_i + a_0 - y_iw - a_w)) - log((y_jw + a_w) / (n_j + a_0 - y_jw - a_w))

with y the word's counts in the group (i) and the rest (j), n their totals, and a_w = a_0 * pi_w the prior,
pi being a background distribution. Its variance is about 1 / (y_iw + a_w) + 1 / (y_jw + a_w); the z-score
delta_w / sqrt(variance) ranks words that are distinctive *and* well attested above rare words that happen to
be lopsided. Here the background is the pooled counts of all groups (the story's own vocabulary) unless one
is given, and a_0 is `prior_scale` times the pooled total: at 1.0 the prior weighs as much as the data.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["WordScore", "log_odds_z"]

_FLOOR = 1e-9


@dataclass(slots=True, frozen=True)
class WordScore:
    """A word's z-score for one group against the rest, and its count in that group."""

    word: str
    z: float
    count: int


def log_odds_z(
    groups: Sequence[Mapping[str, int]],
    background: Mapping[str, int] | None = None,
    prior_scale: float = 1.0,
) -> list[dict[str, WordScore]]:
    """For each group of word counts, the z-scored log-odds of each of its words against the other groups.

    `background` (word -> count) sets the prior's shape; by default the pooled counts of all groups.
    """
    if prior_scale <= 0:
        raise ValueError(f"prior_scale must be positive, not {prior_scale}")
    pooled: Counter[str] = Counter()
    for counts in groups:
        pooled.update(counts)
    shape = Counter(background) if background is not None else pooled
    shape_total = sum(shape.values())
    total = sum(pooled.values())
    if not total or not shape_total:
        return [{} for _ in groups]
    alpha_0 = prior_scale * total
    scores: list[dict[str, WordScore]] = []
    for counts in groups:
        n_i = sum(counts.values())
        n_j = total - n_i
        scored: dict[str, WordScore] = {}
        for word, y_i in counts.items():
            # a word absent from a given background still gets a small prior, so no log of zero occurs
            alpha = alpha_0 * max(shape.get(word, 0), 0.5) / shape_total
            y_j = pooled[word] - y_i
            # the floor keeps a one-word vocabulary (every count on one word) from dividing by zero
            rest_i = max(n_i + alpha_0 - y_i - alpha, _FLOOR)
            rest_j = max(n_j + alpha_0 - y_j - alpha, _FLOOR)
            delta = math.log((y_i + alpha) / rest_i) - math.log((y_j + alpha) / rest_j)
            variance = 1.0 / (y_i + alpha) + 1.0 / (y_j + alpha)
            scored[word] = WordScore(word, delta / math.sqrt(variance), y_i)
        scores.append(scored)
    return scores
