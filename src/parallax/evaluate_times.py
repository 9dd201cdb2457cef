"""Scoring `extract_times` against the hand-annotated gold set `eval/gold/times.jsonl` (`timexpr.rules.v1`).

Detection is span overlap (each gold item paired with the unused prediction that overlaps it most); resolution
is whether a matched prediction's first and last day equal the gold's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from parallax.goldsets import load_texts
from parallax.timexpr import TimeExpression, extract_times

__all__ = ["TimeScores", "evaluate_times"]


@dataclass(slots=True, frozen=True)
class TimeScores:
    """Detection (span overlap) and resolution quality of `extract_times` on a hand-annotated gold set.

    `resolution_accuracy` is the share of matched gold items whose start and end dates equal the gold's;
    `items` is the number of gold items.
    """

    precision: float
    recall: float
    f1: float
    resolution_accuracy: float
    items: int


def _match(gold: list[dict[str, str | int]], predicted: list[TimeExpression]) -> list[TimeExpression | None]:
    """Pair each gold item with the unused prediction that overlaps it most (None when none does)."""
    used: set[int] = set()
    pairs: list[TimeExpression | None] = []
    for item in gold:
        start, end = int(item["start"]), int(item["end"])
        best, best_overlap = None, 0
        for index, expression in enumerate(predicted):
            overlap = min(end, expression.end) - max(start, expression.start)
            if index not in used and overlap > best_overlap:
                best, best_overlap = index, overlap
        if best is not None:
            used.add(best)
        pairs.append(None if best is None else predicted[best])
    return pairs


def evaluate_times(gold_path: Path, data_root: Path) -> TimeScores:
    """Score `extract_times` against `eval/gold/times.jsonl` (offsets into the data's record texts)."""
    records = [json.loads(line) for line in Path(gold_path).read_text(encoding="utf-8").splitlines() if line]
    texts: dict[tuple[str, str], str] = {}
    for dataset in {record["dataset"] for record in records}:
        wanted = {record["id"] for record in records if record["dataset"] == dataset}
        texts.update(load_texts(Path(data_root), {dataset: wanted}))
    gold_items = predicted_items = matched = correct = 0
    for record in records:
        published = date.fromisoformat(record["published"]) if record["published"] else None
        predicted = extract_times(texts[(record["dataset"], record["id"])], published)
        pairs = _match(record["times"], predicted)
        gold_items += len(record["times"])
        predicted_items += len(predicted)
        for item, expression in zip(record["times"], pairs, strict=True):
            if expression is None:
                continue
            matched += 1
            dates = (_iso(expression.start_date), _iso(expression.end_date))
            correct += dates == (item["start_date"], item["end_date"])
    precision = matched / predicted_items if predicted_items else 0.0
    recall = matched / gold_items if gold_items else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return TimeScores(precision, recall, f1, correct / matched if matched else 0.0, gold_items)


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
