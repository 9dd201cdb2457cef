"""Time shared passages and source families on groups of real articles of one topic.

    python benchmarks/bench_passages.py --data ../shared/data [--sizes 50 100 200] [--repeats 3] [--out FILE]

Groups come from `allsides_baly_bias` (full texts): the articles of one AllSides topic (`--topic`, default
"elections"), in date order, the first N of them for each size. A topic group is harder than one story's coverage
(many pairs share stock phrases and seeds, few share whole passages) and includes wire re-publications (AP,
Reuters). For each size: `shared_passages_among` over all pairs (tokenising and indexing each article once, then
comparing the pairs that share a seed), then `source_families` on its matches; the median of `--repeats` runs.
The "reprints" rows are the worst case for passages: one of the group's longest articles re-run N times, each
copy dropping about a fifth of its sentences and changing about one word in thirty (seeded), so that every pair
shares most of its text. Figures go to `--out` (default `benchmarks/results/passages.json`); speed is only
measured here, never asserted.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import random
import re
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from parallax.families import source_families
from parallax.model import Article
from parallax.passages import METHOD, shared_passages_among

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "passages.json"
DATA_FILE = "allsides_baly_bias/articles.jsonl.gz"


def load_group(data: Path, topic: str, size: int) -> list[Article]:
    """The first `size` articles of `topic` with a date, in date order."""
    records = []
    with gzip.open(data / DATA_FILE, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record["labels"].get("topic") == topic and record["published"] and record["text"]:
                records.append(record)
    records.sort(key=lambda r: (r["published"], r["id"]))
    return [_article(record) for record in records[:size]]


def _article(record: dict[str, Any]) -> Article:
    text = record["text"]
    return Article(
        id=record["id"], source=record["url"] or record["id"], raw_hash=record["id"], raw_text=text, text=text,
        outlet=record["outlet"],
    )  # fmt: skip


def reprints(articles: list[Article], size: int, seed: int = 7) -> list[Article]:
    """`size` edited copies of the longest of `articles` (see the module doc)."""
    rng = random.Random(seed)
    source = max(articles, key=lambda a: len(a.text))
    sentences = re.split(r"(?<=[.!?])\s+", source.text)
    copies = []
    for n in range(size):
        kept = [sentence for sentence in sentences if rng.random() > 0.2]
        words = " ".join(kept).split(" ")
        edited = [f"edit{rng.randrange(1000)}" if rng.random() < 1 / 30 else word for word in words]
        text = " ".join(edited)
        copies.append(Article(id=f"reprint-{n}", source=f"reprint-{n}", raw_hash=str(n), raw_text=text, text=text,
                              outlet=f"outlet {n}"))  # fmt: skip
    return copies


def measure(articles: list[Article], repeats: int) -> dict[str, Any]:
    passage_times, family_times = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        matches = shared_passages_among(articles)
        passage_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        families = source_families(articles, matches)
        family_times.append(time.perf_counter() - started)
    n = len(articles)
    return {
        "articles": n,
        "words": sum(len(a.text.split()) for a in articles),
        "pairs": n * (n - 1) // 2,
        "pairs_with_passages": len(matches),
        "passages": sum(len(m.passages) for m in matches),
        "families": len(families.families),
        "largest_family": max((len(f.article_ids) for f in families.families), default=0),
        "passages_seconds": round(statistics.median(passage_times), 4),
        "families_seconds": round(statistics.median(family_times), 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--topic", default="elections")
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not (args.data / DATA_FILE).is_file():
        print(f"not found: {args.data / DATA_FILE} (pass --data)", file=sys.stderr)
        return 2
    group = load_group(args.data, args.topic, max(args.sizes))
    rows = [{"group": "topic", **measure(group[:size], args.repeats)} for size in sorted(args.sizes)]
    rows += [{"group": "reprints", **measure(reprints(group, size), args.repeats)} for size in sorted(args.sizes)]
    result = {
        "method": METHOD,
        "topic": args.topic,
        "repeats": args.repeats,
        "rows": rows,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for row in rows:
        print(
            f"{row['group']:>8} {row['articles']:>5} articles  {row['pairs']:>6} pairs  "
            f"{row['pairs_with_passages']:>5} sharing  "
            f"{row['passages_seconds']:.3f} s passages  {row['families_seconds']:.4f} s families  "
            f"{row['families']} families (largest {row['largest_family']})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
