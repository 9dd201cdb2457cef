"""Scoring `extract_quantities` against the hand-annotated gold set `eval/gold/quantities.jsonl`.

A prediction matches a gold quantity when their spans overlap and their normalised values are equal; the
mistakes (missed, spurious, wrong counted noun or dimension) are kept for reading errors.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parallax.goldsets import load_texts
from parallax.quantities import extract_quantities, normalize

__all__ = ["QuantityMistake", "QuantityScores", "evaluate_quantities"]


@dataclass(slots=True, frozen=True)
class QuantityMistake:
    """A gold quantity the extractor missed or a prediction that matches no gold quantity (for reading errors)."""

    dataset: str
    id: str
    kind: str
    """"missed" (gold without a matching prediction), "spurious" (prediction without gold), "counted" or
    "dimension" (a match with another counted noun or dimension)."""
    start: int
    end: int
    detail: str


@dataclass(slots=True, frozen=True)
class QuantityScores:
    """Quantity extraction against the hand-annotated gold set.

    A prediction matches a gold quantity when their spans overlap and their normalised values are equal;
    `value_accuracy` is the share of span-overlapping pairs with equal values, `counted_accuracy` the share of
    matches with the same counted noun (case and a plural -s aside; both None counts as equal)."""

    precision: float
    recall: float
    f1: float
    value_accuracy: float
    counted_accuracy: float
    items: int
    """Gold quantities."""
    articles: int = 0
    predicted: int = 0
    dimension_accuracy: float = 0.0
    """Share of matches with the gold dimension (matching itself compares normalised values only)."""
    mistakes: tuple[QuantityMistake, ...] = field(default=(), repr=False)

    def to_dict(self) -> dict[str, float | int]:
        """Rounded, JSON-ready view (mistakes left out)."""
        names: tuple[str, ...] = ("precision", "recall", "f1", "value_accuracy", "counted_accuracy")
        names += ("dimension_accuracy", "items", "articles", "predicted")
        return {name: round(getattr(self, name), 4) for name in names}


def _same_noun(a: str | None, b: str | None) -> bool:
    def key(noun: str | None) -> str | None:
        return None if noun is None else re.sub(r"(?:'s|’s|s)$", "", noun.lower())

    return key(a) == key(b)


def _equal_values(a: float | None, b: float) -> bool:
    if a is None:
        return False
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1.0)


@dataclass(slots=True)
class _Tally:
    """Running counts over the gold set."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    overlapping: int = 0
    same_counted: int = 0
    same_dimension: int = 0
    mistakes: list[QuantityMistake] = field(default_factory=list)


def _score_article(record: dict[str, Any], text: str, tally: _Tally) -> None:
    """Match one article's predictions to its gold quantities (each prediction matches at most one)."""
    dataset, article_id = record["dataset"], record["id"]
    predictions = extract_quantities(text)
    tally.predicted += len(predictions)
    used: set[int] = set()
    for gold in record["quantities"]:
        tally.gold += 1
        gold_normalized = normalize(gold["value"], gold["unit"], gold["dimension"])
        overlaps = [i for i, p in enumerate(predictions) if p.start < gold["end"] and gold["start"] < p.end]
        tally.overlapping += bool(overlaps)
        equal = [i for i in overlaps if i not in used and _equal_values(predictions[i].normalized, gold_normalized)]
        if not equal:
            shown = [f"{predictions[i].text!r}={predictions[i].normalized}" for i in overlaps]
            detail = f"{text[gold['start'] : gold['end']]!r}={gold_normalized} got {shown}"
            tally.mistakes.append(QuantityMistake(dataset, article_id, "missed", gold["start"], gold["end"], detail))
            continue
        hit = predictions[equal[0]]
        used.add(equal[0])
        tally.matched += 1
        if hit.dimension == gold["dimension"]:
            tally.same_dimension += 1
        else:
            detail = f"{hit.text!r}: {hit.dimension!r} != {gold['dimension']!r}"
            tally.mistakes.append(QuantityMistake(dataset, article_id, "dimension", gold["start"], gold["end"], detail))
        if _same_noun(hit.counted, gold["counted"]):
            tally.same_counted += 1
        else:
            detail = f"{hit.text!r}: {hit.counted!r} != {gold['counted']!r}"
            tally.mistakes.append(QuantityMistake(dataset, article_id, "counted", gold["start"], gold["end"], detail))
    for i, prediction in enumerate(predictions):
        if i not in used:
            detail = f"{prediction.text!r}={prediction.normalized} {prediction.dimension}"
            tally.mistakes.append(
                QuantityMistake(dataset, article_id, "spurious", prediction.start, prediction.end, detail)
            )


def evaluate_quantities(gold_path: str | Path, data_root: str | Path) -> QuantityScores:
    """Score `extract_quantities` on a gold file of offsets into the articles under `data_root`.

    A prediction matches a gold quantity when the spans overlap and the normalised values are equal; precision,
    recall and F1 count matches; `value_accuracy` is the share of gold quantities with an overlapping prediction
    whose value is right; `counted_accuracy` the share of matches with the right counted noun.
    """
    lines = Path(gold_path).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    wanted: dict[str, set[str]] = {}
    for record in records:
        wanted.setdefault(record["dataset"], set()).add(record["id"])
    texts = load_texts(Path(data_root), wanted)
    tally = _Tally()
    for record in records:
        _score_article(record, texts[(record["dataset"], record["id"])], tally)
    precision = tally.matched / tally.predicted if tally.predicted else 0.0
    recall = tally.matched / tally.gold if tally.gold else 0.0
    return QuantityScores(
        precision=precision,
        recall=recall,
        f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        value_accuracy=tally.matched / tally.overlapping if tally.overlapping else 0.0,
        counted_accuracy=tally.same_counted / tally.matched if tally.matched else 0.0,
        items=tally.gold,
        articles=len(records),
        predicted=tally.predicted,
        dimension_accuracy=tally.same_dimension / tally.matched if tally.matched else 0.0,
        mistakes=tuple(tally.mistakes),
    )
