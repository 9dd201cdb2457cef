"""Score `parallax.events.extract_events` (`events.rules.v1`) on the hand-annotated gold set `eval/gold/events.jsonl`.

A predicted event matches a gold event when their triggers overlap (each prediction matches at most one gold
event); the matches are then checked for the action class, the actor and target (the last word of one appears
in the other), negation and attribution. The annotation guide is docs/annotation/events.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from parallax.events import extract_events
from parallax.goldsets import load_texts

__all__ = ["EventScores", "evaluate_events"]


@dataclass(slots=True, frozen=True)
class EventScores:
    """Event extraction scores over a gold set; `items` is the number of gold events."""

    precision: float
    recall: float
    f1: float
    action_accuracy: float
    actor_accuracy: float
    target_accuracy: float
    negation_accuracy: float
    attribution_accuracy: float
    items: int


def _agree(gold: str | None, predicted: str | None) -> bool:
    if gold is None or predicted is None:
        return gold is None and predicted is None
    gold_last, pred_last = gold.lower().split()[-1], predicted.lower().split()[-1]
    return gold_last in predicted.lower() or pred_last in gold.lower()


def evaluate_events(gold_path: Path, data_root: Path) -> EventScores:
    """Score `extract_events` on a gold file of `{"dataset", "id", "events"}` records (match: trigger overlap)."""
    records = [json.loads(line) for line in Path(gold_path).read_text(encoding="utf-8").splitlines() if line]
    wanted: dict[str, set[str]] = {}
    for record in records:
        wanted.setdefault(record["dataset"], set()).add(record["id"])
    texts = load_texts(Path(data_root), wanted)
    gold_total = predicted_total = matched = right_action = right_actor = right_target = 0
    right_negation = right_attribution = 0
    for record in records:
        free = extract_events(texts[record["dataset"], record["id"]])
        predicted_total += len(free)
        gold_total += len(record["events"])
        for gold in record["events"]:
            found = next(
                (e for e in free if e.trigger_start < gold["trigger_end"] and gold["trigger_start"] < e.trigger_end),
                None,
            )
            if found is None:
                continue
            free.remove(found)
            matched += 1
            right_action += found.action == gold["action"]
            right_actor += _agree(gold["actor"], found.actor)
            right_target += _agree(gold["target"], found.target)
            right_negation += found.negated == gold["negated"]
            right_attribution += _agree(gold["attributed_to"], found.attributed_to)
    precision = matched / predicted_total if predicted_total else 0.0
    recall = matched / gold_total if gold_total else 0.0
    return EventScores(
        precision=precision,
        recall=recall,
        f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        action_accuracy=right_action / matched if matched else 0.0,
        actor_accuracy=right_actor / matched if matched else 0.0,
        target_accuracy=right_target / matched if matched else 0.0,
        negation_accuracy=right_negation / matched if matched else 0.0,
        attribution_accuracy=right_attribution / matched if matched else 0.0,
        items=gold_total,
    )
