"""Articles per second of the per-article reading (clean, extract, annotate) on allsides_baly_bias.

    python benchmarks/bench_extract.py --data ../shared/data [--limit 3000] [--pysbd-limit 500] [--repeats 3]

The first `--limit` records are read through `parallax.read.Reader` as the pipeline reads a JSON Lines file
(not timed); then `Clean()` and the extract stage run over fresh copies of them in each variant (`VARIANTS`:
pysbd, the default splitter, and the default followed by the annotate stage: quotes, quantities, times),
`--repeats` times, the variants alternating; the median is kept. pysbd is about 90x slower than the default
splitter, so it is timed on the first `--pysbd-limit` articles only (articles/s is comparable). A breakdown
times the parts on their own over the same articles: `Clean`, py3langid (whole text and the sample the stage
reads), each splitter, and each annotator on the clean texts; what is left of extract is the metadata rules.
Figures go to `benchmarks/results/extract.json`; speed is only measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import io
import json
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import py3langid

from parallax.annotate import Annotate, AnnotateOptions
from parallax.clean import Clean, CleanOptions
from parallax.engine import ArticleStages, default_workers, run_article_stages
from parallax.entities import extract_entities
from parallax.events import extract_events
from parallax.extract import LANGUAGE_SAMPLE_CHARS, Extract, ExtractOptions
from parallax.machine import describe_machine
from parallax.model import Article
from parallax.quantities import extract_quantities
from parallax.quotes import extract_quotes
from parallax.read import Reader, ReadOptions
from parallax.sentences import METHODS, SentenceOptions, split
from parallax.timexpr import extract_times

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "extract.json"
DATA_FILE = "allsides_baly_bias/articles.jsonl.gz"
TARGET_ARTICLES_PER_SECOND = 200.0
"""The issue's bar for clean + extract together on this data."""
WHOLE = "fast + annotate"
POOLED = "fast + annotate, all cores"
VARIANTS = ("pysbd", "fast", WHOLE, POOLED)
"""pysbd (before), the default splitter (after), the whole per-article reading in one process (clean, extract,
then the annotate stage: quotes, quantities, times, entities, events), and the same on one worker process per CPU
(`parallax.engine`, as `ingest` runs it)."""


def read_articles(path: Path, limit: int) -> list[Article]:
    """The first `limit` records of a JSON Lines file as the reader makes them (the time is not counted)."""
    lines: list[bytes] = []
    with gzip.open(path, "rb") as records:
        for line in records:
            if line.strip():
                lines.append(line.rstrip(b"\n"))
            if len(lines) >= limit:
                break
    payload = b"\n".join(lines)
    options = ReadOptions(max_bytes=max(len(payload) + 1, ReadOptions().max_bytes))
    return list(Reader(["-"], options, stdin=io.BytesIO(payload)))


def make_extract(variant: str) -> Extract:
    """The extract stage of one benchmark variant (`VARIANTS`)."""
    return Extract(ExtractOptions(sentences=SentenceOptions(method="pysbd" if variant == "pysbd" else "fast")))


def time_stage(articles: list[Article], variant: str) -> tuple[float, int]:
    """Seconds for clean + extract over copies of `articles` in one variant, and the articles kept."""
    fresh = copy.deepcopy(articles)  # extract fills fields in place: every pass starts from the reader's output
    if variant == POOLED:
        per_article = ArticleStages(CleanOptions(), None, ExtractOptions(), AnnotateOptions())
        started = time.perf_counter()
        pooled, _ = run_article_stages(fresh, per_article, workers=default_workers())
        return time.perf_counter() - started, len(pooled)
    clean, extract = Clean(), make_extract(variant)
    started = time.perf_counter()
    stages = extract(clean(iter(fresh)))
    kept = sum(1 for _ in (Annotate()(stages) if variant == WHOLE else stages))
    return time.perf_counter() - started, kept


def _split_seconds(pairs: list[tuple[str, str]], options: SentenceOptions) -> float:
    started = time.perf_counter()
    for text, language in pairs:
        split(text, language, options)
    return time.perf_counter() - started


def breakdown(articles: list[Article], pysbd_limit: int) -> dict[str, float]:
    """Milliseconds per article of each part of the stage, timed on its own (py3langid on the whole text and on
    the sample the extract stage reads, with how often the two disagree)."""
    fresh = copy.deepcopy(articles)
    started = time.perf_counter()
    cleaned = list(Clean()(iter(fresh)))
    seconds = {"clean": time.perf_counter() - started}
    texts = [article.text for article in cleaned]
    started = time.perf_counter()
    languages = [str(py3langid.classify(text)[0]) for text in texts]
    seconds["py3langid"] = time.perf_counter() - started
    started = time.perf_counter()
    prefix_languages = [str(py3langid.classify(text[:LANGUAGE_SAMPLE_CHARS])[0]) for text in texts]
    seconds["py3langid_prefix"] = time.perf_counter() - started
    annotators = (
        ("quotes", extract_quotes),
        ("quantities", extract_quantities),
        ("entities", extract_entities),
        ("events", extract_events),
    )
    for name, extract_one in annotators:
        started = time.perf_counter()
        for text in texts:
            extract_one(text)
        seconds[name] = time.perf_counter() - started
    started = time.perf_counter()
    for article in cleaned:
        extract_times(article.text, article.published)
    seconds["times"] = time.perf_counter() - started
    per_article = {f"{part}_ms": round(value / len(texts) * 1000, 3) for part, value in seconds.items()}
    for method in METHODS:
        pairs = list(zip(texts, languages, strict=True))[: pysbd_limit if method == "pysbd" else len(texts)]
        per_article[f"split_{method}_ms"] = round(
            _split_seconds(pairs, SentenceOptions(method=method)) / len(pairs) * 1000, 3
        )
    per_article["py3langid_prefix_other_language"] = sum(
        a != b for a, b in zip(languages, prefix_languages, strict=True)
    )
    return per_article


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, write the figures, print a table; exit 1 when the default splitter misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder of the evaluation data (../shared/data)")
    parser.add_argument("--limit", type=int, default=3000, help="records read from the start of the file")
    parser.add_argument("--pysbd-limit", type=int, default=500, help="of those, how many pysbd is timed on")
    parser.add_argument("--repeats", type=int, default=3, help="passes per splitter; the median is kept")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the figures")
    args = parser.parse_args(argv)
    articles = read_articles(args.data / DATA_FILE, args.limit)
    for variant in VARIANTS:  # imports and first-use set-up (pysbd's rules, py3langid's model)
        time_stage(articles[:20], variant)
    seconds: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
    kept: dict[str, int] = {}
    for repeat in range(max(1, args.repeats)):
        for variant in VARIANTS if repeat % 2 == 0 else tuple(reversed(VARIANTS)):
            chosen = articles[: args.pysbd_limit] if variant == "pysbd" else articles
            elapsed, kept[variant] = time_stage(chosen, variant)
            seconds[variant].append(elapsed)
    results: dict[str, dict[str, Any]] = {}
    for variant in VARIANTS:
        count = min(args.pysbd_limit, len(articles)) if variant == "pysbd" else len(articles)
        median = statistics.median(seconds[variant])
        results[variant] = {
            "articles": count,
            "kept": kept[variant],
            "seconds_median": round(median, 3),
            "seconds_all": [round(value, 3) for value in seconds[variant]],
            "articles_per_second": round(count / median, 1),
            "ms_per_article": round(median / count * 1000, 3),
        }
    parts = breakdown(articles, args.pysbd_limit)
    meets = results["fast"]["articles_per_second"] >= TARGET_ARTICLES_PER_SECOND
    whole_meets = results[POOLED]["articles_per_second"] >= TARGET_ARTICLES_PER_SECOND
    figures = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data": DATA_FILE,
        "articles": len(articles),
        "repeats": max(1, args.repeats),
        "target_articles_per_second": TARGET_ARTICLES_PER_SECOND,
        "meets_target": meets,
        "whole_meets_target": whole_meets,
        "workers": default_workers(),
        "machine": describe_machine(("pysbd", "py3langid")),
        "results": results,
        "breakdown_ms_per_article": parts,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"{'variant':<32} {'articles':>8} {'articles/s':>11} {'ms/article':>11}")
    for name, row in results.items():
        print(f"{name:<32} {row['articles']:>8} {row['articles_per_second']:>11.1f} {row['ms_per_article']:>11.3f}")
    print("parts, ms per article: " + ", ".join(f"{part.removesuffix('_ms')} {ms}" for part, ms in parts.items()))
    verdict = "meets" if meets else "MISSES"
    print(f"fast {verdict} the target ({TARGET_ARTICLES_PER_SECOND:.0f} articles/s); figures in {args.out}")
    print(f"{POOLED} ({default_workers()} workers) {'meets' if whole_meets else 'MISSES'} the target")
    return 0 if meets else 1


if __name__ == "__main__":
    sys.exit(main())
