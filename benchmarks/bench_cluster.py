"""Stream allsides_baly_bias (37.5k articles) in date order through online story clustering: speed and memory.

    python benchmarks/bench_cluster.py --data ../shared/data [--limit N] [--read-sample 1000]
    python benchmarks/bench_cluster.py --data ../shared/data --against-batch 1000 2000 3000

The file's records are read once and sorted by date (undated last, in file order). Each is then made an
`Article` as the extract stage would leave it (title, text, date, sentences from `parallax.extract.split_sentences`)
and handed to `OnlineClusterer.add` one at a time, then let go: the clustering time covers vectorising,
candidate lookup, scoring and joining, and the sentence splitting is timed apart. Reading the real path
(reader -> clean -> extract) is much slower per article than clustering, so it is timed on the first
`--read-sample` records only and reported as its own rate.

Memory is the growth of the peak resident size (VmHWM, reset just before streaming) over the resident size
then: everything the clusterer allocated (the hashed document-frequency array, the active index, the
assignments), not the records already in memory (Linux). Times are wall-clock (`perf_counter`); the CPU time
of the whole loop is given too, since on a shared machine wall time overstates the cost. Figures go to
benchmarks/results/cluster.json (or cluster_limit<N>.json with `--limit`).

`--against-batch N ...` instead times the batch method (`parallax.cluster.cluster_articles`, default options) and
the online one (`cluster_online`) on the first N articles in date order, the same articles for both, each size
once: the figures behind `ClusterOptions.max_batch_articles`, the size above which `build_stories` clusters
online. They go to benchmarks/results/cluster_batch.json.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import os
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from parallax.clean import Clean
from parallax.cluster import DEFAULT_OPTIONS as DEFAULT_CLUSTER_OPTIONS
from parallax.cluster import cluster_articles
from parallax.extract import Extract, split_sentences
from parallax.model import Article
from parallax.online import METHOD, OnlineClusterer, cluster_online, one_blas_thread
from parallax.read import Reader, ReadOptions


def _status_mib(field: str) -> float | None:
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return None


def _reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def load_records(path: Path, limit: int | None) -> list[dict[str, Any]]:
    """The file's records in stream order: by date, undated last, ties in file order."""
    records = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                records.append(json.loads(line))
            if limit is not None and len(records) >= limit:
                break
    records.sort(key=lambda r: (not r.get("published"), r.get("published") or ""))
    return records


def to_article(record: dict[str, Any]) -> Article:
    """The record as the extract stage would leave it (no cleaning)."""
    text = record.get("text") or ""
    published = record.get("published")
    return Article(
        id=str(record["id"]),
        source=str(record.get("url") or record["id"]),
        raw_hash=str(record["id"]),
        raw_text=text,
        text=text,
        title=record.get("title"),
        published=date.fromisoformat(published[:10]) if published else None,
        sentences=split_sentences(text),
    )


def reading_rate(records: list[dict[str, Any]]) -> dict[str, float]:
    """Articles/s of the real reading path (reader -> clean -> extract) on `records`."""
    payload = "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()
    started = time.perf_counter()
    reader = Reader(["-"], ReadOptions(max_bytes=len(payload) + 1), stdin=io.BytesIO(payload))
    count = sum(1 for _ in Extract()(Clean()(reader)))
    seconds = time.perf_counter() - started
    return {"articles": count, "seconds": round(seconds, 2), "articles_per_second": round(count / seconds, 1)}


def stream(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Cluster the records one at a time; time the sentence splitting and the clustering apart."""
    _reset_peak()
    baseline = _status_mib("VmRSS")
    clusterer = OnlineClusterer()
    splitting = clustering = 0.0
    most_active = 0
    cpu_started = time.process_time()
    with one_blas_thread():
        for record in records:
            started = time.perf_counter()
            article = to_article(record)
            split_done = time.perf_counter()
            clusterer.add(article)
            clustering += time.perf_counter() - split_done
            splitting += split_done - started
            most_active = max(most_active, clusterer.active_stories)
    cpu = time.process_time() - cpu_started
    peak = _status_mib("VmHWM")
    groups = clusterer.clustering().groups
    count = len(records)
    return {
        "articles": count,
        "stories": len(groups),
        "largest_story": max((len(g) for g in groups), default=0),
        "most_active_stories": most_active,
        "clustering_seconds": round(clustering, 2),
        "clustering_articles_per_second": round(count / clustering, 1) if clustering else None,
        "sentence_split_seconds": round(splitting, 2),
        "articles_per_second_with_split": round(count / (clustering + splitting), 1),
        "cpu_seconds_with_split": round(cpu, 2),
        "cpu_articles_per_second_with_split": round(count / cpu, 1) if cpu else None,
        "peak_memory_growth_mib": round(peak - baseline, 1) if peak is not None and baseline is not None else None,
        "baseline_rss_mib": round(baseline, 1) if baseline is not None else None,
    }


def against_batch(records: list[dict[str, Any]], sizes: list[int]) -> list[dict[str, Any]]:
    """Seconds of the batch and the online method on the first N articles, for each N of `sizes`."""
    articles = [to_article(record) for record in records[: max(sizes)]]
    rows = []
    with one_blas_thread():
        for size in sorted(sizes):
            started = time.perf_counter()
            batch = cluster_articles(articles[:size], DEFAULT_CLUSTER_OPTIONS)
            batch_done = time.perf_counter()
            online = cluster_online(articles[:size])
            online_done = time.perf_counter()
            rows.append(
                {
                    "articles": size,
                    "batch_seconds": round(batch_done - started, 2),
                    "online_seconds": round(online_done - batch_done, 2),
                    "batch_stories": len(batch.groups),
                    "online_stories": len(online.groups),
                }
            )
            print(json.dumps(rows[-1]), flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--limit", type=int, default=None, help="first N records of the file only")
    parser.add_argument("--read-sample", type=int, default=1000, help="records timed through the reading path")
    parser.add_argument("--against-batch", type=int, nargs="+", default=None, metavar="N", help="see the docstring")
    args = parser.parse_args()
    path = args.data / "allsides_baly_bias" / "articles.jsonl.gz"
    records = load_records(path, args.limit)
    if args.against_batch:
        result = {
            "file": "allsides_baly_bias/articles.jsonl.gz",
            "measured": datetime.now(UTC).isoformat(timespec="seconds"),
            "load_average_before": list(os.getloadavg()),
            "sizes": against_batch(records, args.against_batch),
            "load_average_after": list(os.getloadavg()),
        }
        out = Path(__file__).resolve().parent / "results" / "cluster_batch.json"
        out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        return
    figures = {
        "method": METHOD,
        "file": "allsides_baly_bias/articles.jsonl.gz",
        "measured": datetime.now(UTC).isoformat(timespec="seconds"),
        "stream": stream(records),
        "reading_path_sample": reading_rate(records[: args.read_sample]) if args.read_sample else None,
    }
    name = f"cluster_limit{args.limit}.json" if args.limit else "cluster.json"
    out = Path(__file__).resolve().parent / "results" / name
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
