"""Score main-text extraction from HTML with the metric of the Scrapinghub article extraction benchmark.

The metric is the one of that benchmark's `evaluate.py` (github.com/scrapinghub/article-extraction-benchmark),
reproduced exactly so figures compare with its README:

- tokens are `\\w+` runs; a text's shingles are its word 4-grams, counted with repeats (a text of 1 to 3
  tokens has one shorter shingle, a text without tokens has none);
- per page, TP/FP/FN are the shingle counts in both / only in the prediction / only in the gold text,
  normalised so they sum to 1 (long pages weigh no more than short ones; a page where both texts are empty
  stays 0, 0, 0);
- precision is the mean of the per-page precisions over pages with TP+FP > 0 (pages with an empty prediction
  do not count), recall the mean of per-page recalls over pages with TP+FN > 0 (pages with an empty gold text
  do not count), and a page whose FP and FN are both 0 scores 1 on both; F1 is the harmonic mean of those two
  means;
- accuracy is the share of pages whose token sequences are exactly equal.

Evaluation files are JSON Lines (optionally gzip-compressed) of `{"id", "url", "html", "gold_text"}` records,
as `../shared/data/scrapinghub_aeb/articles.jsonl.gz`.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from parallax.goldsets import text_lines
from parallax.htmlpage import extract_html

__all__ = [
    "ExtractionPage",
    "ExtractionScores",
    "ExtractionSet",
    "Extractor",
    "evaluate_extraction",
    "load_extraction_set",
    "shingle_match",
    "shingle_scores",
]

SHINGLE_SIZE = 4
"""Words per shingle, as in the benchmark."""

_TOKEN = re.compile(r"\w+")

Extractor = Callable[[str, str | None], str | None]
"""An extractor takes a page's HTML and URL and returns its main text (None counts as no text)."""


@dataclass(slots=True, frozen=True)
class ExtractionPage:
    """One benchmark page: its HTML, URL and the gold article body."""

    id: str
    url: str | None
    html: str
    gold_text: str


@dataclass(slots=True)
class ExtractionSet:
    """The usable pages of an evaluation file and, by reason, the records skipped."""

    name: str
    pages: list[ExtractionPage]
    skipped: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True, frozen=True)
class ExtractionScores:
    """Extraction quality on one evaluation file (benchmark metric), with the extractor's own time."""

    precision: float
    recall: float
    f1: float
    accuracy: float
    pages: int
    skipped: int
    seconds: float
    pages_per_second: float

    def to_dict(self) -> dict[str, float | int]:
        """Rounded, JSON-ready view."""
        return {name: round(getattr(self, name), 4) for name in self.__slots__}


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _tokens(text)
    count = max(1, len(tokens) - SHINGLE_SIZE + 1)
    return Counter(shingle for i in range(count) if (shingle := tuple(tokens[i : i + SHINGLE_SIZE])))


def shingle_match(gold: str, predicted: str) -> tuple[float, float, float]:
    """Per-page TP, FP, FN over word 4-gram shingles, normalised to sum to 1 (all 0 when both have no words)."""
    gold_shingles, predicted_shingles = _shingles(gold), _shingles(predicted)
    tp = sum((gold_shingles & predicted_shingles).values())
    fp = sum((predicted_shingles - gold_shingles).values())
    fn = sum((gold_shingles - predicted_shingles).values())
    total = tp + fp + fn
    if not total:
        return 0.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn)


def _mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def shingle_scores(pairs: Iterable[tuple[str, str]]) -> tuple[float, float, float, float]:
    """Precision, recall, F1 and accuracy of (gold, predicted) text pairs, as the benchmark computes them."""
    matches: list[tuple[float, float, float]] = []
    exact: list[float] = []
    for gold, predicted in pairs:
        matches.append(shingle_match(gold, predicted))
        exact.append(float(_tokens(gold) == _tokens(predicted)))
    precision = _mean([_precision(*m) for m in matches if m[0] + m[1] > 0])
    recall = _mean([_recall(*m) for m in matches if m[0] + m[2] > 0])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, _mean(exact)


def load_extraction_set(path: str | Path) -> ExtractionSet:
    """Read an evaluation file; records that are not JSON objects with string `html` and `gold_text` are skipped."""
    path = Path(path)
    pages: list[ExtractionPage] = []
    skipped: Counter[str] = Counter()
    for number, line in enumerate(text_lines(path), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            skipped["invalid_json"] += 1
            continue
        if not isinstance(record, dict):
            skipped["invalid_json"] += 1
        elif not isinstance(record.get("html"), str):
            skipped["missing_html"] += 1
        elif not isinstance(record.get("gold_text"), str):
            skipped["missing_gold_text"] += 1
        else:
            url = record.get("url")
            page_id = record.get("id")
            pages.append(
                ExtractionPage(
                    id=str(page_id) if page_id is not None else f"line{number}",
                    url=url if isinstance(url, str) and url else None,
                    html=record["html"],
                    gold_text=record["gold_text"],
                )
            )
    return ExtractionSet(path.parent.name, pages, dict(skipped))


def _parallax_text(html: str, url: str | None) -> str:
    return extract_html(html, url).text


def evaluate_extraction(path: str | Path, extractor: Extractor | None = None) -> ExtractionScores:
    """Run `extractor` (parallax's HTML path by default) on every page of `path` and score it against the gold.

    `seconds` and `pages_per_second` time the extractor alone, not the reading of the file.
    """
    extract = extractor or _parallax_text
    evaluation = load_extraction_set(path)
    predictions: list[str] = []
    started = time.perf_counter()
    for page in evaluation.pages:
        predictions.append(extract(page.html, page.url) or "")
    seconds = time.perf_counter() - started
    golds = (page.gold_text for page in evaluation.pages)
    precision, recall, f1, accuracy = shingle_scores(zip(golds, predictions, strict=True))
    pages = len(evaluation.pages)
    return ExtractionScores(
        precision=precision,
        recall=recall,
        f1=f1,
        accuracy=accuracy,
        pages=pages,
        skipped=sum(evaluation.skipped.values()),
        seconds=seconds,
        pages_per_second=pages / seconds if seconds > 0 else 0.0,
    )
