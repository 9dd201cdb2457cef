"""Adding articles to a large store: `update_stories` (only the touched stories) against `build_stories` (all).

    python benchmarks/bench_update.py --data ../shared/data [--base 10000] [--new 50 500] [--workers 2]
        [--out benchmarks/results/update.json]

The input is allsides_baly_bias's dated records in date order (records without a date left out, so that every
added batch comes after the stored articles in stream order, as a live feed's new reports do). The first `--base`
records (moved forward to the end of their day) are ingested into a fresh SQLite store and clustered with
`build_stories`; at that size (over `max_batch_articles`) the online method clusters them and its state is saved
with the stories. Then each `--new` batch, the next records in date order (each also ending at a day's end), is
ingested and added with `update_stories`, timed. Last, `build_stories` re-clusters the whole store, timed, and the
stories it makes are compared with those the updates left (a digest of every story's document): the two should
be the same, which is what `update_stories` promises for articles that arrive in date order.

Figures go to `benchmarks/results/update.json` with the machine and the command.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from parallax.machine import describe_machine
from parallax.pipeline import STORIES_CHECKPOINT, Options, build_stories, ingest, update_stories
from parallax.read import ReadOptions
from parallax.serialize import story_to_dict
from parallax.store import Store

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "update.json"
DATA_FILE = "allsides_baly_bias/articles.jsonl.gz"


def dated_records(data: Path) -> list[dict[str, Any]]:
    """The records that carry a date, in date order (ties in file order)."""
    with gzip.open(data / DATA_FILE, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    dated = [r for r in records if r.get("published")]
    dated.sort(key=lambda r: str(r["published"])[:10])
    return dated


def day_end(records: list[dict[str, Any]], position: int) -> int:
    """`position` moved forward past the records of the same day as the one before it."""
    while (
        0 < position < len(records) and records[position]["published"][:10] == records[position - 1]["published"][:10]
    ):
        position += 1
    return position


def write(records: list[dict[str, Any]], path: Path) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def stories_digest(store: Store) -> str:
    documents = sorted(json.dumps(story_to_dict(s), sort_keys=True) for s in store.stories())
    return hashlib.sha256("\n".join(documents).encode()).hexdigest()


def checkpoint_bytes(store: Store) -> int:
    saved = store.checkpoint(STORIES_CHECKPOINT)
    return 0 if saved is None else len(saved.data)


def timed(function: Any, *args: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = function(*args)
    return result, round(time.perf_counter() - started, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--base", type=int, default=10_000)
    parser.add_argument("--new", type=int, nargs="+", default=[50, 500])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    records = dated_records(args.data)
    if args.base + sum(args.new) >= len(records):
        parser.error(f"--base plus --new must stay under the {len(records):,} dated records")
    options = Options(read=ReadOptions(max_archive_bytes=1 << 40), workers=args.workers)
    figures: dict[str, Any] = {
        "command": " ".join(["python", *sys.argv]),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": describe_machine(("numpy", "scikit-learn")),
        "dated_records": len(records),
    }
    with tempfile.TemporaryDirectory(prefix="parallax-bench-update-") as tmp:
        folder = Path(tmp)
        base_end = day_end(records, args.base)
        with Store.open(folder / "store.db") as store:
            ingested, ingest_seconds = timed(ingest, [write(records[:base_end], folder / "base.jsonl")], store, options)
            (story_ids, report), build_seconds = timed(build_stories, store, options)
            figures["base"] = {
                "articles": len(ingested.article_ids),
                "ingest_seconds": ingest_seconds,
                "build_stories_seconds": build_seconds,
                "stories": len(story_ids),
                "clustered_online": report.counts.get("clustered_online_over_batch_limit", 0),
                "checkpoint_bytes": checkpoint_bytes(store),
            }
            print(f"base: {figures['base']}", flush=True)
            updates = []
            start = base_end
            for count in args.new:
                end = day_end(records, start + count)
                batch = write(records[start:end], folder / f"new-{start}.jsonl")
                added, ingest_seconds = timed(ingest, [batch], store, options)
                (written, report), update_seconds = timed(update_stories, store, options)
                updates.append(
                    {
                        "records": end - start,
                        "articles_added": added.added,
                        "ingest_seconds": ingest_seconds,
                        "update_stories_seconds": update_seconds,
                        "clustered": report.counts.get("updated_online", 0),
                        "stories_written": len(written),
                    }
                )
                print(f"update: {updates[-1]}", flush=True)
                start = end
            figures["updates"] = updates
            updated = stories_digest(store)
            (story_ids, _), rebuild_seconds = timed(build_stories, store, options)
            figures["rebuild"] = {
                "articles": store.article_count(),
                "build_stories_seconds": rebuild_seconds,
                "stories": len(story_ids),
                "same_stories_as_the_updates": stories_digest(store) == updated,
            }
            print(f"rebuild: {figures['rebuild']}", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
