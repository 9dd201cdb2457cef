"""Score `parallax.quotes.extract_quotes` against the hand-annotated quote gold set (`eval/gold/quotes.jsonl`).

Matching (`quotes.match.v1`): a predicted quote matches a gold quote when their spans overlap by at least
`MATCH_OVERLAP` of the shorter one, each gold quote taking the best-overlapping free prediction; a match counts
for `f1_with_speaker` only when `speakers_agree`. The annotation guide is docs/annotation/quotes.md.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from parallax.goldsets import load_texts
from parallax.quotes import Quote, extract_quotes

__all__ = ["MATCH_OVERLAP", "METHOD", "QuoteScores", "evaluate_quotes", "speakers_agree"]

METHOD = "quotes.match.v1"
"""Versioned name of the matching rules the scores come from."""

MATCH_OVERLAP = 0.5
"""A predicted quote matches a gold quote when their spans overlap by at least this share of the shorter."""

_POSSESSIVE = re.compile(r"['’]s$")


@dataclass(slots=True, frozen=True)
class QuoteScores:
    """Quote extraction scores over a gold set; `items` is the number of gold quotes."""

    precision: float
    recall: float
    f1: float
    speaker_accuracy: float
    f1_with_speaker: float
    items: int


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _last_word(speaker: str) -> str:
    words = speaker.split()
    return _POSSESSIVE.sub("", words[-1]) if words else speaker


def speakers_agree(gold: str | None, predicted: str | None) -> bool:
    """Case-insensitive: the gold speaker's last word is in the predicted speaker, or the other way round."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    gold_l, pred_l = gold.lower(), predicted.lower()
    return _last_word(gold_l) in pred_l or _last_word(pred_l) in gold_l


def _overlaps(gold: dict[str, int], pred: Quote) -> float:
    shared = min(gold["end"], pred.end) - max(gold["start"], pred.start)
    shorter = min(gold["end"] - gold["start"], pred.end - pred.start)
    return shared / shorter if shorter > 0 and shared > 0 else 0.0


def _best_match(gold: dict[str, int], free: list[Quote]) -> Quote | None:
    best, best_overlap = None, 0.0
    for quote in free:
        overlap = _overlaps(gold, quote)
        if overlap > best_overlap:
            best, best_overlap = quote, overlap
    return best if best_overlap >= MATCH_OVERLAP else None


def evaluate_quotes(gold_path: Path, data_root: Path) -> QuoteScores:
    """Score `extract_quotes` on a gold file of `{"dataset", "id", "quotes"}` records against the data's texts."""
    records = [json.loads(line) for line in Path(gold_path).read_text(encoding="utf-8").splitlines() if line]
    wanted: dict[str, set[str]] = {}
    for record in records:
        wanted.setdefault(record["dataset"], set()).add(record["id"])
    texts = load_texts(Path(data_root), wanted)
    gold_total = predicted_total = matched = matched_speaker = 0
    for record in records:
        predicted = extract_quotes(texts[record["dataset"], record["id"]])
        free = list(predicted)
        for gold in record["quotes"]:
            best = _best_match(gold, free)
            if best is not None:
                free.remove(best)
                matched += 1
                matched_speaker += speakers_agree(gold["speaker"], best.speaker)
        gold_total += len(record["quotes"])
        predicted_total += len(predicted)
    precision = matched / predicted_total if predicted_total else 0.0
    recall = matched / gold_total if gold_total else 0.0
    precision_s = matched_speaker / predicted_total if predicted_total else 0.0
    recall_s = matched_speaker / gold_total if gold_total else 0.0
    return QuoteScores(
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        speaker_accuracy=matched_speaker / matched if matched else 0.0,
        f1_with_speaker=_f1(precision_s, recall_s),
        items=gold_total,
    )
