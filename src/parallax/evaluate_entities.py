"""Score `parallax.entities.extract_entities` (`entities.rules.v1`) on the gold set `eval/gold/entities.jsonl`.

A prediction matches a gold mention when their spans overlap (each prediction matches at most one gold
mention); the matches are then checked for the gold kind and the gold canonical form, compared without case,
a leading "the" and middle initials. The annotation guide is `docs/annotation/entities.md`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parallax.entities import extract_entities
from parallax.entity_coreference import slug
from parallax.goldsets import load_texts

__all__ = ["EntityScores", "evaluate_entities"]


@dataclass(slots=True, frozen=True)
class EntityScores:
    """Detection by span overlap, then the share of matches with the gold kind and the gold canonical form."""

    precision: float
    recall: float
    f1: float
    kind_accuracy: float
    canonical_accuracy: float
    items: int
    """Gold mentions."""
    predicted: int = 0
    articles: int = 0
    mistakes: tuple[str, ...] = field(default=(), repr=False)


def _canonical_key(text: str) -> str:
    """Canonical forms compare without case, a leading "the" and middle initials ("John D. Podesta")."""
    return slug(re.sub(r"\s[A-Z]\.(?=\s)", "", re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)))


def _score_one(record: dict[str, Any], text: str, tally: dict[str, int], mistakes: list[str]) -> None:
    predictions = extract_entities(text)
    tally["predicted"] += len(predictions)
    used: set[int] = set()
    for gold in record["mentions"]:
        tally["gold"] += 1
        overlaps = [
            i for i, p in enumerate(predictions) if i not in used and p.start < gold["end"] and gold["start"] < p.end
        ]
        shown = text[gold["start"] : gold["end"]]
        if not overlaps:
            mistakes.append(f"{record['id']} missed {shown!r} {gold['kind']}")
            continue
        hit = predictions[overlaps[0]]
        used.add(overlaps[0])
        tally["matched"] += 1
        tally["kind"] += hit.kind == gold["kind"]
        tally["canonical"] += _canonical_key(hit.canonical) == _canonical_key(gold["canonical"])
        if hit.kind != gold["kind"] or _canonical_key(hit.canonical) != _canonical_key(gold["canonical"]):
            mistakes.append(
                f"{record['id']} {shown!r}: {hit.kind}/{hit.canonical} != {gold['kind']}/{gold['canonical']}"
            )
    mistakes.extend(f"{record['id']} spurious {p.text!r} {p.kind}" for i, p in enumerate(predictions) if i not in used)


def _texts(data_root: Path, records: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """The article texts the gold records point to, read from the evaluation data (never stored in the repo)."""
    wanted: dict[str, set[str]] = {}
    for record in records:
        wanted.setdefault(record["dataset"], set()).add(record["id"])
    return load_texts(data_root, wanted)


def evaluate_entities(gold_path: str | Path, data_root: str | Path) -> EntityScores:
    """Score `extract_entities` on a gold file of offsets into the articles under `data_root` (span overlap)."""
    lines = Path(gold_path).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    texts = _texts(Path(data_root), records)
    tally = dict.fromkeys(("gold", "predicted", "matched", "kind", "canonical"), 0)
    mistakes: list[str] = []
    for record in records:
        _score_one(record, texts[(record["dataset"], record["id"])], tally, mistakes)
    precision = tally["matched"] / tally["predicted"] if tally["predicted"] else 0.0
    recall = tally["matched"] / tally["gold"] if tally["gold"] else 0.0
    return EntityScores(
        precision=precision,
        recall=recall,
        f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        kind_accuracy=tally["kind"] / tally["matched"] if tally["matched"] else 0.0,
        canonical_accuracy=tally["canonical"] / tally["matched"] if tally["matched"] else 0.0,
        items=tally["gold"],
        predicted=tally["predicted"],
        articles=len(records),
        mistakes=tuple(mistakes),
    )
