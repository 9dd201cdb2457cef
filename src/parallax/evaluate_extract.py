"""Score what parallax reads in each article against the hand-annotated gold sets in `eval/gold/`.

    parallax eval extract --data ../shared/data

Each kind has its own gold file and scorer (the annotation guides are in `docs/annotation/`): sentence
boundaries (`parallax.sentences`, the default splitter beside pysbd, which it replaced), quotes with
their speakers (`parallax.quotes`), quantities with their normalised amounts (`parallax.quantities`) and time
expressions resolved against the publication date (`parallax.timexpr`). The gold files hold character offsets
and short labels only; the article texts are read from the evaluation data (`../shared/data`), never copied.
Every kind reports precision, recall and F1 of detection plus the figure that matters most for it:
`f1_with_speaker` (a quote counts only with the right speaker), `value_accuracy` (the amount is right) and
`resolution_accuracy` (the resolved dates are right).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

from parallax.evaluate_quantities import evaluate_quantities
from parallax.evaluate_quotes import evaluate_quotes
from parallax.evaluate_times import evaluate_times
from parallax.sentences import SentenceOptions, boundary_scores, load_boundary_gold, split

__all__ = ["GOLD_DIR", "KINDS", "ExtractKind", "evaluate_extract", "evaluate_kind"]

GOLD_DIR = Path(__file__).resolve().parents[2] / "eval" / "gold"
"""Where the gold sets live in a source checkout."""


@dataclass(slots=True, frozen=True)
class ExtractKind:
    """One kind of extracted item: its gold file name and its scorer (gold path, data root) -> metrics."""

    gold_file: str
    score: Callable[[Path, Path], dict[str, Any]]
    headline: str


def _quotes(gold: Path, data: Path) -> dict[str, Any]:
    return asdict(evaluate_quotes(gold, data))


def _quantities(gold: Path, data: Path) -> dict[str, Any]:
    return dict(evaluate_quantities(gold, data).to_dict())


def _times(gold: Path, data: Path) -> dict[str, Any]:
    return asdict(evaluate_times(gold, data))


def _events(gold: Path, data: Path) -> dict[str, Any]:
    from parallax.evaluate_events import evaluate_events

    return asdict(evaluate_events(gold, data))


def _entities(gold: Path, data: Path) -> dict[str, Any]:
    from parallax.evaluate_entities import evaluate_entities

    return {k: v for k, v in asdict(evaluate_entities(gold, data)).items() if k != "mistakes"}


def _sentences(gold: Path, data: Path) -> dict[str, Any]:
    # The default splitter beside pysbd (the one it replaced), on all boundaries and inside paragraphs only.
    documents = load_boundary_gold(gold, data)
    figures: dict[str, Any] = {}
    for method in ("fast", "pysbd"):
        splitter = partial(split, language="en", options=SentenceOptions(method=method))
        prefix = "" if method == "fast" else "pysbd_"
        for inside in (False, True):
            scores = boundary_scores(documents, splitter, inside_paragraphs=inside)
            label = "inside_" if inside else ""
            figures.update({f"{prefix}{label}{k}": v for k, v in scores.to_dict().items() if isinstance(v, float)})
    return figures


KINDS = {
    "sentences": ExtractKind("sentences.jsonl", _sentences, "f1"),
    "entities": ExtractKind("entities.jsonl", _entities, "f1"),
    "quotes": ExtractKind("quotes.jsonl", _quotes, "f1_with_speaker"),
    "quantities": ExtractKind("quantities.jsonl", _quantities, "f1"),
    "times": ExtractKind("times.jsonl", _times, "resolution_accuracy"),
    "events": ExtractKind("events.jsonl", _events, "f1"),
}


def evaluate_kind(kind: str, gold: Path, data: Path) -> dict[str, Any]:
    """Score one kind against a gold file; the result carries the metrics and the seconds taken."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; the kinds are {', '.join(KINDS)}")
    started = time.perf_counter()
    metrics = {k: v for k, v in KINDS[kind].score(gold, data).items() if isinstance(v, (int, float))}
    metrics["seconds"] = round(time.perf_counter() - started, 3)
    return metrics


def evaluate_extract(data: Path, gold_dir: Path = GOLD_DIR) -> dict[str, dict[str, Any]]:
    """Score every kind against its gold file in `gold_dir`, reading article texts under `data`."""
    return {kind: evaluate_kind(kind, gold_dir / spec.gold_file, data) for kind, spec in KINDS.items()}
