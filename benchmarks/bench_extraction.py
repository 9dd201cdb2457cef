"""Time parallax's HTML path against bare trafilatura on the extraction benchmark's 181 pages, and score both.

    python benchmarks/bench_extraction.py --data ../shared/data [--repeats 5] [--variants]

(a) parallax: `parallax.read.decode` on the page's UTF-8 bytes, then `extract_html(text, url)`, exactly as the
HTML reader calls it (main text and metadata in one parse); (b) anchor: `trafilatura.extract(html)` with
trafilatura's defaults. Each page is run by every extractor in turn (the order alternates from page to page),
the whole set `--repeats` times; the median total time of each is reported. `--variants` adds other
`HtmlOptions` settings (the ones the defaults were chosen against). Figures go to
`benchmarks/results/extraction.json`; speed is only measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import trafilatura

from parallax.evaluate_extraction import ExtractionPage, load_extraction_set, shingle_scores
from parallax.htmlpage import HtmlOptions, extract_html
from parallax.machine import describe_machine
from parallax.read import decode

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "extraction.json"
DATA_FILE = "scrapinghub_aeb/articles.jsonl.gz"
TARGET_RATIO = 1.15
"""The extraction issue's budget: parallax's path may cost at most 1.15x bare trafilatura's time."""
TARGET_F1 = 0.960

Timed = Callable[[bytes, str, str | None], str]
VARIANTS = {
    "parallax fast+balanced": HtmlOptions(focus="balanced"),
    "parallax fast+precision": HtmlOptions(focus="precision"),
    "parallax full+recall": HtmlOptions(fast=False),
    "parallax full+balanced": HtmlOptions(focus="balanced", fast=False),
    "parallax no tables": HtmlOptions(include_tables=False),
}


def parallax_path(options: HtmlOptions | None = None) -> Timed:
    """The reader's path: decode the bytes, then extract text and metadata."""
    chosen = options or HtmlOptions()

    def run(data: bytes, _html: str, url: str | None) -> str:
        text, _encoding = decode(data)
        return extract_html(text, url, chosen).text

    return run


def bare_trafilatura(_data: bytes, html: str, _url: str | None) -> str:
    """The anchor: trafilatura.extract with every default."""
    return trafilatura.extract(html) or ""


def run_benchmark(pages: list[ExtractionPage], extractors: dict[str, Timed], repeats: int) -> dict[str, Any]:
    """Time every extractor on every page, interleaved, `repeats` times; score the first repeat's output."""
    inputs = [(page.html.encode("utf-8"), page.html, page.url) for page in pages]
    for extract in extractors.values():  # imports and first-use set-up are not the per-page cost
        extract(*inputs[0])
    names = list(extractors)
    totals: dict[str, list[float]] = {name: [] for name in names}
    outputs: dict[str, list[str]] = {name: [] for name in names}
    for repeat in range(repeats):
        elapsed = dict.fromkeys(names, 0.0)
        for index, page_input in enumerate(inputs):
            for name in names if (index + repeat) % 2 == 0 else reversed(names):
                started = time.perf_counter()
                text = extractors[name](*page_input)
                elapsed[name] += time.perf_counter() - started
                if repeat == 0:
                    outputs[name].append(text)
        for name in names:
            totals[name].append(elapsed[name])
    anchor = statistics.median(totals["trafilatura.extract"])
    results: dict[str, Any] = {}
    for name in names:
        median = statistics.median(totals[name])
        precision, recall, f1, accuracy = shingle_scores(
            zip((page.gold_text for page in pages), outputs[name], strict=True)
        )
        results[name] = {
            "seconds_median": round(median, 3),
            "seconds_all": [round(t, 3) for t in totals[name]],
            "pages_per_second": round(len(pages) / median, 1),
            "time_ratio_to_bare": round(median / anchor, 3),
            "f1": round(f1, 4),
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "accuracy": round(accuracy, 4),
        }
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, write the figures, print a table; exit 1 when parallax misses a target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder of the evaluation data (../shared/data)")
    parser.add_argument("--repeats", type=int, default=5, help="passes over the pages; the median is kept")
    parser.add_argument("--variants", action="store_true", help="also time other HtmlOptions settings")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the figures")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # trafilatura logs every page it discards; the figures say what matters
    evaluation = load_extraction_set(args.data / DATA_FILE)
    measured_on = describe_machine(("trafilatura", "htmldate", "lxml"))
    extractors: dict[str, Timed] = {"parallax": parallax_path(), "trafilatura.extract": bare_trafilatura}
    if args.variants:
        extractors.update({name: parallax_path(options) for name, options in VARIANTS.items()})
    results = run_benchmark(evaluation.pages, extractors, max(1, args.repeats))
    ours = results["parallax"]
    meets = ours["time_ratio_to_bare"] <= TARGET_RATIO and ours["f1"] >= TARGET_F1
    figures = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data": DATA_FILE,
        "pages": len(evaluation.pages),
        "repeats": max(1, args.repeats),
        "targets": {"time_ratio_to_bare": TARGET_RATIO, "f1": TARGET_F1},
        "meets_targets": meets,
        "parallax_options": repr(HtmlOptions()),
        "machine": measured_on,
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"{'extractor':<26} {'pages/s':>8} {'x bare':>7} {'F1':>7} {'prec':>7} {'recall':>7}")
    for name, row in results.items():
        print(
            f"{name:<26} {row['pages_per_second']:>8.1f} {row['time_ratio_to_bare']:>7.3f} "
            f"{row['f1']:>7.4f} {row['precision']:>7.4f} {row['recall']:>7.4f}"
        )
    verdict = "meets" if meets else "MISSES"
    print(f"parallax {verdict} the targets (time <= {TARGET_RATIO}x bare, F1 >= {TARGET_F1}); figures in {args.out}")
    return 0 if meets else 1


if __name__ == "__main__":
    sys.exit(main())
