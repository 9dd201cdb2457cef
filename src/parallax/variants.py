"""Realistic variants of real articles, each labelled with its true word-shingle Jaccard to the original.

Recall of a near-duplicate finder is measured on copies whose distance from the original is known. A variant
applies one to three of the edits a republisher makes: paragraphs deleted, inserted (taken from *other*
articles of the same corpus), reordered; boilerplate lines added (short lines of other articles: bylines,
"Read more", captions); the headline replaced (another article's title); the lead paragraph rewritten (replaced
by another article's paragraph). How much each edit touches is drawn per variant, so the labels spread over
the whole range, from light edits (Jaccard >= 0.9) to heavy ones (< 0.6). The label is the exact Jaccard of
the two texts' word shingles (`parallax.neardup.word_shingles`), computed on the strings, not estimated.

Everything is drawn from one `random.Random(seed)`, so the same corpus, originals and options always give the
same variants.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from parallax.neardup import exact_jaccard, word_shingles

__all__ = ["EDITS", "Variant", "VariantOptions", "make_variants", "sample_originals", "split_paragraphs"]

EDITS = (
    "delete_paragraphs",
    "insert_paragraphs",
    "reorder_paragraphs",
    "add_boilerplate",
    "rewrite_headline",
    "rewrite_lead",
)

BOILERPLATE_WORDS = 12
"""A paragraph of at most this many words counts as a boilerplate-like line (a donor for `add_boilerplate`)."""

_BLANK_LINE = re.compile(r"(?:\r?\n|\\n)[ \t]*(?:\r?\n|\\n)")  # real or escaped ("\\n" as two characters)
_LINE = re.compile(r"\r?\n|\\n")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘'])")
_MIN_PARAGRAPHS = 3


@dataclass(slots=True, frozen=True)
class VariantOptions:
    """How many variants per original, how hard they may be edited, the shingle size of the label, the seed."""

    per_original: int = 3
    max_share: float = 0.6
    shingle_size: int = 5
    seed: int = 13

    def __post_init__(self) -> None:
        if self.per_original < 1:
            raise ValueError(f"per_original must be >= 1, got {self.per_original!r}")
        if not 0.0 < self.max_share <= 1.0:
            raise ValueError(f"max_share must be in (0, 1], got {self.max_share!r}")


@dataclass(slots=True, frozen=True)
class Variant:
    """An edited copy of an original article, with the edits made and its exact shingle Jaccard to the original."""

    id: str
    original_id: str
    text: str
    edits: tuple[str, ...]
    jaccard: float


def split_paragraphs(text: str) -> tuple[list[str], str]:
    """Split text into paragraphs and return them with the separator to join them back.

    Blank lines (real, or escaped as in some exports) first; then single line breaks; then sentences, so an
    article stored as one long line still has units to edit.
    """
    for pattern in (_BLANK_LINE, _LINE):
        found = pattern.search(text)
        if found:
            parts = [part for part in pattern.split(text) if part.strip()]
            if len(parts) >= _MIN_PARAGRAPHS:
                return parts, found.group(0)
    sentences = [part for part in _SENTENCE_END.split(text) if part.strip()]
    return sentences, " "


def sample_originals(count: int, population: int, seed: int = 13) -> list[int]:
    """Return `count` distinct positions out of `population`, sorted, the same for the same seed."""
    if count >= population:
        return list(range(population))
    return sorted(random.Random(seed).sample(range(population), count))  # noqa: S311 - reproducible, not secret


class _Donors:
    """Paragraphs, short lines and titles of other corpus articles, drawn at random, never from the original."""

    def __init__(self, texts: Sequence[str], titles: Sequence[str | None], rng: random.Random) -> None:
        self.texts = texts
        self.titles = titles
        self.rng = rng

    def _other(self, original: int) -> int:
        while True:
            chosen = self.rng.randrange(len(self.texts))
            if chosen != original or len(self.texts) == 1:
                return chosen

    def paragraph(self, original: int) -> str:
        paragraphs, _ = split_paragraphs(self.texts[self._other(original)])
        return self.rng.choice(paragraphs) if paragraphs else ""

    def short_line(self, original: int) -> str:
        for _ in range(20):
            paragraphs, _ = split_paragraphs(self.texts[self._other(original)])
            short = [p for p in paragraphs if 0 < len(p.split()) <= BOILERPLATE_WORDS]
            if short:
                return self.rng.choice(short)
        return self.paragraph(original)

    def title(self, original: int) -> str:
        for _ in range(20):
            title = self.titles[self._other(original)] if self.titles else None
            if title:
                return title
        return self.short_line(original)


def _count(share: float, paragraphs: int, rng: random.Random) -> int:
    return max(1, round(share * paragraphs * rng.uniform(0.5, 1.0)))


def _delete(paragraphs: list[str], share: float, rng: random.Random, donors: _Donors, original: int) -> list[str]:
    removed = min(_count(share, len(paragraphs), rng), len(paragraphs) - 1)
    dropped = set(rng.sample(range(len(paragraphs)), removed))
    return [p for n, p in enumerate(paragraphs) if n not in dropped]


def _insert(paragraphs: list[str], share: float, rng: random.Random, donors: _Donors, original: int) -> list[str]:
    result = list(paragraphs)
    for _ in range(_count(share, len(paragraphs), rng)):
        result.insert(rng.randrange(len(result) + 1), donors.paragraph(original))
    return result


def _reorder(paragraphs: list[str], share: float, rng: random.Random, donors: _Donors, original: int) -> list[str]:
    result = list(paragraphs)
    for _ in range(_count(share, len(paragraphs), rng)):
        moved = result.pop(rng.randrange(len(result)))
        result.insert(rng.randrange(len(result) + 1), moved)
    return result


def _boilerplate(paragraphs: list[str], share: float, rng: random.Random, donors: _Donors, original: int) -> list[str]:
    result = list(paragraphs)
    for _ in range(_count(share, len(paragraphs), rng)):
        where = rng.choice((0, len(result), rng.randrange(len(result) + 1)))
        result.insert(where, donors.short_line(original))
    return result


def _headline(paragraphs: list[str], share: float, rng: random.Random, donors: _Donors, original: int) -> list[str]:
    title = donors.title(original)
    if paragraphs and len(paragraphs[0].split()) <= BOILERPLATE_WORDS:  # the text starts with its headline
        return [title, *paragraphs[1:]]
    return [title, *paragraphs]


def _lead(paragraphs: list[str], share: float, rng: random.Random, donors: _Donors, original: int) -> list[str]:
    return [donors.paragraph(original), *paragraphs[1:]]


_Edit = Callable[[list[str], float, random.Random, _Donors, int], list[str]]
_APPLY: dict[str, _Edit] = {
    "delete_paragraphs": _delete,
    "insert_paragraphs": _insert,
    "reorder_paragraphs": _reorder,
    "add_boilerplate": _boilerplate,
    "rewrite_headline": _headline,
    "rewrite_lead": _lead,
}


def make_variants(
    ids: Sequence[str],
    texts: Sequence[str],
    originals: Sequence[int],
    titles: Sequence[str | None] = (),
    options: VariantOptions | None = None,
) -> list[Variant]:
    """Make `options.per_original` variants of each corpus article at the positions `originals`.

    `ids`, `texts` (and `titles`, optional) describe the whole corpus: insertions, boilerplate and rewritten
    headlines or leads are drawn from its other articles. Originals without words get no variants.
    """
    chosen = options or VariantOptions()
    if len(ids) != len(texts) or (titles and len(titles) != len(texts)):
        raise ValueError("ids, texts and titles must describe the same articles (equal lengths)")
    rng = random.Random(chosen.seed)  # noqa: S311 - reproducible variants, nothing secret
    donors = _Donors(texts, titles, rng)
    variants: list[Variant] = []
    for original in originals:
        paragraphs, separator = split_paragraphs(texts[original])
        original_shingles = word_shingles(texts[original], chosen.shingle_size)
        if not paragraphs or not original_shingles:
            continue
        for number in range(chosen.per_original):
            share = rng.uniform(0.02, chosen.max_share)
            edits = tuple(sorted(rng.sample(EDITS, rng.choice((1, 1, 2, 3))), key=EDITS.index))
            edited = paragraphs
            for edit in edits:
                edited = _APPLY[edit](edited, share, rng, donors, original)
            text = separator.join(edited)
            jaccard = exact_jaccard(original_shingles, word_shingles(text, chosen.shingle_size))
            variants.append(Variant(f"{ids[original]}~v{number}", ids[original], text, edits, jaccard))
    return variants
