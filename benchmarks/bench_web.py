"""Web latency: the real server (`parallax serve`) over a store of the 37,554 allsides_baly_bias articles.

    python benchmarks/bench_web.py --data ../shared/data [--limit 5000] [--requests 200] [--build-only]

The store is built once through the real pipeline (`parallax.pipeline.ingest`, then `build_stories`, with one
worker per CPU) and cached under `benchmarks/.cache/web-<size>/` (git-ignored) with its build times; `--rebuild`
builds it again. `--limit N` uses the first N records of the file; `--exclude` leaves out records by number (for
records the pipeline cannot ingest yet; the figures say which). Then `parallax serve` runs in a subprocess on
127.0.0.1 (a free port) and httpx measures, one request at a time, each kind of request: the home page, story
pages (a seeded sample spread over the distinct story sizes, the largest story among them), article pages,
full-text search with real words drawn from the corpus's titles (seeded), search with an outlet or date filter,
and each one's JSON twin. Every kind gets a warm-up, then `--requests` timed requests cycling through its sample;
the figures are the wall time of the whole request as the client sees it (p50, p95, p99, max in ms). They go to
`benchmarks/results/web.json` with the machine, the corpus and store sizes, the build times and the load average
before and after (the machine may be shared: a loaded machine slows every figure).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from parallax.machine import describe_machine
from parallax.pipeline import Options, build_stories, ingest
from parallax.read import ReadOptions
from parallax.store import Store

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "web.json"
DATA_FILE = "allsides_baly_bias/articles.jsonl.gz"
TARGETS_P95_MS = {"story": 150.0, "search": 50.0}
"""The issue's targets: story pages and search (HTML and JSON alike) at p95 under these."""
SERVER_START_SECONDS = 120.0
STORY_SAMPLE = 24
ARTICLE_SAMPLE = 60
QUERY_SAMPLE = 60
WORD = re.compile(r"[A-Za-z]{5,14}")
# A few very common words are left out of the drawn queries so that each query is a content word a user might
# type; frequent words still occur (they are drawn in proportion to their use in titles).
COMMON = frozenset(
    {"about", "after", "again", "against", "before", "being", "could", "their", "there", "these", "those", "which"}
    | {"while", "would", "other", "first", "where", "says", "said", "people", "years", "today", "still", "since"}
    | {"through", "under", "because", "between", "during", "should"}
)


@dataclass(slots=True, frozen=True)
class Build:
    """A cached store and what building it took."""

    db: Path
    facts: dict[str, Any]


def _write_subset(source: Path, limit: int | None, excluded: frozenset[int], target: Path) -> int:
    """The first `limit` records of the corpus (all when None) but the `excluded` record numbers (0-based),
    unchanged, as a JSON Lines file of their own."""
    written = 0
    with gzip.open(source, "rt", encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
        for number, line in enumerate(line for line in lines if line.strip()):
            if limit is not None and number >= limit:
                break
            if number not in excluded:
                out.write(line if line.endswith("\n") else line + "\n")
                written += 1
    return written


class StoryClock:
    """`build_stories`' progress callback: when clustering ended, how far the per-story work is, the slowest stories."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.first: float | None = None
        self.last = self.started
        self.count = 0
        self.slowest: list[tuple[float, str]] = []

    def __call__(self, title: str) -> None:
        now = time.perf_counter()
        if self.first is None:
            self.first = now
            print(f"clustered in {now - self.started:.0f} s", flush=True)
        else:
            self.slowest = sorted([*self.slowest, (now - self.last, title[:80])], reverse=True)[:10]
        self.last, self.count = now, self.count + 1
        if self.count % 2000 == 0:
            print(f"{self.count} stories compared, {now - self.first:.0f} s", flush=True)

    def facts(self) -> dict[str, Any]:
        """Cluster and per-story seconds, and the ten slowest stories (each timed until the next one starts)."""
        first = self.first or self.last
        return {
            "cluster_seconds": round(first - self.started, 1),
            "per_story_seconds": round(time.perf_counter() - first, 1),
            "slowest_stories": [{"seconds": round(t, 1), "title": title} for t, title in self.slowest],
        }


def _ingest_once(folder: Path, db: Path, source: Path, options: Options) -> dict[str, Any]:
    """Ingest into a new store, or find the figures of an ingest that finished (a failed build resumes here)."""
    checkpoint = folder / "ingest.json"
    if checkpoint.is_file() and db.is_file():
        return dict(json.loads(checkpoint.read_text()))
    started = time.perf_counter()
    with Store.open(db) as store:
        report = ingest([source], store, options)
    facts = {
        "articles_read": len(report.article_ids),
        "articles_added": report.added,
        "ingest_seconds": round(time.perf_counter() - started, 1),
        "ingest_stage_seconds": {s.stage: round(s.seconds, 1) for s in report.stages},
    }
    print(f"ingested {report.added} articles in {facts['ingest_seconds']:.0f} s", flush=True)
    checkpoint.write_text(json.dumps(facts, indent=2) + "\n")
    return facts


def build_store(data: Path, limit: int | None, workers: int, args: argparse.Namespace) -> Build:
    """Return the cached store for this size, building it through the real pipeline when it is missing."""
    excluded = frozenset(args.exclude)
    folder = CACHE / (f"web-{limit or 'all'}" + (f"-minus{len(excluded)}" if excluded else ""))
    db, facts_path = folder / "parallax.db", folder / "build.json"
    if facts_path.is_file() and db.is_file() and not args.rebuild:
        return Build(db, json.loads(facts_path.read_text()))
    if args.rebuild or not (folder / "ingest.json").is_file():
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    source = data / DATA_FILE
    if limit is not None or excluded:
        source = folder / "input.jsonl"
        if not source.is_file():
            _write_subset(data / DATA_FILE, limit, excluded, source)
    options = Options(read=ReadOptions(max_bytes=1 << 40, max_archive_bytes=1 << 40), workers=workers)
    ingested = _ingest_once(folder, db, source, options)
    clock = StoryClock()
    with Store.open(db) as store:
        story_ids, story_report = build_stories(store, options, progress=clock)
    print(f"built {len(story_ids)} stories in {story_report.seconds:.0f} s", flush=True)
    facts = {
        "input": str(source.relative_to(data) if source.is_relative_to(data) else source.name),
        "limit": limit,
        "excluded_records": sorted(excluded),
        "workers": workers,
        **ingested,
        "stories": len(story_ids),
        "build_stories_seconds": round(story_report.seconds, 1),
        **clock.facts(),
        "story_counts": story_report.counts,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    facts_path.write_text(json.dumps(facts, indent=2) + "\n")
    return Build(db, facts)


@dataclass(slots=True, frozen=True)
class Sample:
    """What the requests ask for, drawn from the store with a fixed seed."""

    story_ids: list[str]
    largest_story: str
    story_sizes: dict[str, int]
    article_ids: list[str]
    queries: list[str]
    outlets: list[str]
    date_range: tuple[str, str]


def _spread(items: Sequence[str], count: int, rng: random.Random) -> list[str]:
    """`count` items drawn one from each of `count` equal slices of `items` (all of them when there are fewer)."""
    if len(items) <= count:
        return list(items)
    bounds = [round(i * len(items) / count) for i in range(count + 1)]
    return [items[rng.randrange(bounds[i], bounds[i + 1])] for i in range(count)]


def draw_sample(db: Path, seed: int) -> Sample:
    """Stories of every size (the largest included), articles, queries of real title words, outlets, dates."""
    rng = random.Random(seed)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        sized = conn.execute(
            "SELECT story_id, COUNT(*) AS n FROM story_articles GROUP BY story_id ORDER BY n, story_id"
        ).fetchall()
        sizes = dict(sized)
        largest = sized[-1][0]
        # Most stories are one article: a spread over the distinct sizes, so that big stories are well sampled.
        by_size: dict[int, list[str]] = {}
        for story_id, size in sized:
            by_size.setdefault(size, []).append(story_id)
        picked = _spread([str(size) for size in sorted(by_size)], STORY_SAMPLE - 1, rng)
        stories = [largest, *[s for s in (rng.choice(by_size[int(size)]) for size in picked) if s != largest]]
        ids = [row[0] for row in conn.execute("SELECT id FROM articles WHERE duplicate_of IS NULL ORDER BY seq")]
        articles = rng.sample(ids, min(ARTICLE_SAMPLE, len(ids)))
        titles = [row[0] or "" for row in conn.execute("SELECT title FROM articles ORDER BY seq")]
        words = [w.lower() for t in titles for w in WORD.findall(t) if w.lower() not in COMMON]
        queries = [rng.choice(words) for _ in range(QUERY_SAMPLE // 2)]
        queries += [f"{rng.choice(words)} {rng.choice(words)}" for _ in range(QUERY_SAMPLE - len(queries))]
        outlets = [
            row[0]
            for row in conn.execute(
                "SELECT outlet FROM articles WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY COUNT(*) DESC LIMIT 10"
            )
        ]
        first, last = conn.execute(
            "SELECT MIN(published), MAX(published) FROM articles WHERE published IS NOT NULL"
        ).fetchone()
    finally:
        conn.close()
    return Sample(stories, largest, sizes, articles, queries, outlets, (str(first)[:10], str(last)[:10]))


def _middle_year(first: str, last: str) -> tuple[str, str]:
    """A one-year window in the middle of the corpus's dates."""
    start, end = int(first[:4]), int(last[:4])
    year = (start + end) // 2
    return f"{year}-01-01", f"{year}-12-31"


def request_kinds(sample: Sample, rng: random.Random) -> dict[str, list[str]]:
    """Each kind of request and the paths it cycles through."""
    date_from, date_to = _middle_year(*sample.date_range)

    def filtered(query: str) -> str:
        if rng.random() < 0.5:
            return urlencode({"q": query, "outlet": rng.choice(sample.outlets)})
        return urlencode({"q": query, "from": date_from, "to": date_to})

    filtered_queries = [filtered(q) for q in sample.queries]
    return {
        "home": ["/"],
        "home_json": ["/api/stories"],
        "story": [f"/stories/{s}" for s in sample.story_ids],
        "story_json": [f"/api/stories/{s}" for s in sample.story_ids],
        "story_largest": [f"/stories/{sample.largest_story}"],
        "story_largest_json": [f"/api/stories/{sample.largest_story}"],
        "article": [f"/articles/{a}" for a in sample.article_ids],
        "article_json": [f"/api/articles/{a}" for a in sample.article_ids],
        "search": ["/?" + urlencode({"q": q}) for q in sample.queries],
        "search_json": ["/api/search?" + urlencode({"q": q}) for q in sample.queries],
        "search_filtered": ["/?" + q for q in filtered_queries],
        "search_filtered_json": ["/api/search?" + q for q in filtered_queries],
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(db: Path, log: Path) -> Iterator[str]:
    """`parallax serve` on 127.0.0.1 at a free port, in a subprocess, its output in `log`; yields its base URL."""
    port = _free_port()
    command = [sys.executable, "-m", "parallax.cli", "serve", "--db", str(db), "--port", str(port)]
    with log.open("wb") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"the server exited:\n{log.read_text()[-3000:]}")
            try:
                if httpx.get(base + "/api/facets", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer within {SERVER_START_SECONDS} s")
            time.sleep(0.25)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def _percentile(sorted_ms: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    rank = max(1, min(len(sorted_ms), round(share * len(sorted_ms) + 0.5)))
    return sorted_ms[rank - 1]


def measure(client: httpx.Client, paths: list[str], warmup: int, requests: int) -> dict[str, Any]:
    """Warm up, then time `requests` requests cycling through `paths`; every answer must be 200."""
    for i in range(warmup):
        client.get(paths[i % len(paths)])
    times: list[float] = []
    sizes: list[int] = []
    by_path: dict[str, list[float]] = {}
    for i in range(requests):
        path = paths[i % len(paths)]
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        by_path.setdefault(path, []).append(times[-1])
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}: {response.text[:300]}")
        sizes.append(len(response.content))
    ordered = sorted(times)
    return {
        "requests": requests,
        "distinct_paths": len(paths),
        "p50_ms": round(_percentile(ordered, 0.50), 1),
        "p95_ms": round(_percentile(ordered, 0.95), 1),
        "p99_ms": round(_percentile(ordered, 0.99), 1),
        "max_ms": round(ordered[-1], 1),
        "mean_ms": round(statistics.fmean(ordered), 1),
        "mean_bytes": round(statistics.fmean(sizes)),
        "slowest_paths_by_median_ms": dict(
            sorted(((p, round(statistics.median(t), 1)) for p, t in by_path.items()), key=lambda pt: -pt[1])[:3]
        ),
    }


def targets_met(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Each target against the worst p95 of the kinds it covers."""
    verdicts = {}
    for family, limit in TARGETS_P95_MS.items():
        covered = {k: v["p95_ms"] for k, v in results.items() if k.startswith(family) and "largest" not in k}
        worst = max(covered.values())
        verdicts[family] = {"p95_limit_ms": limit, "worst_p95_ms": worst, "kinds": covered, "met": worst < limit}
    return verdicts


def _store_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--limit", type=int, default=None, help="Only the first N records (default: all).")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--requests", type=int, default=200, help="Timed requests per kind.")
    parser.add_argument("--warmup", type=int, default=20, help="Untimed requests per kind first.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true", help="Build the cached store again.")
    parser.add_argument(
        "--exclude",
        type=int,
        nargs="*",
        default=[],
        help="Record numbers (0-based) to leave out of the input, e.g. records the pipeline cannot ingest yet.",
    )
    parser.add_argument("--build-only", action="store_true", help="Build (or find) the store and stop.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    build = build_store(args.data, args.limit, args.workers, args)
    print(json.dumps(build.facts, indent=2), flush=True)
    if args.build_only:
        return
    sample = draw_sample(build.db, args.seed)
    kinds = request_kinds(sample, random.Random(args.seed))
    load_before = os.getloadavg()
    results: dict[str, dict[str, Any]] = {}
    log = build.db.parent / "server.log"
    with running_server(build.db, log) as base, httpx.Client(base_url=base, timeout=120) as client:
        for kind, paths in kinds.items():
            try:
                results[kind] = measure(client, paths, args.warmup, args.requests)
            except RuntimeError:
                print(log.read_text()[-5000:], file=sys.stderr)
                raise
            print(f"{kind:22} {json.dumps(results[kind])}", flush=True)
    sizes = sorted(sample.story_sizes.values())
    figures = {
        "benchmark": "web latency through `parallax serve` (one client, sequential requests)",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python benchmarks/bench_web.py " + " ".join(sys.argv[1:]),
        "machine": describe_machine(["fastapi", "uvicorn", "jinja2", "httpx"]),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "corpus": {
            "file": DATA_FILE,
            "limit": args.limit,
            "excluded_records": args.exclude,
            "articles": build.facts["articles_added"],
            "stories": len(sizes),
            "largest_story_articles": sizes[-1],
            "sampled_story_sizes": [sample.story_sizes[s] for s in sample.story_ids],
        },
        "store_bytes": _store_bytes(build.db),
        "build": build.facts,
        "warmup_per_kind": args.warmup,
        "seed": args.seed,
        "results": results,
        "targets": targets_met(results),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
