"""The engines side by side: allsides_baly_bias through the whole pipeline, locally and on Ray with 1 and 2 CPUs.

    python benchmarks/bench_engines.py --data ../shared/data [--limit 37554] [--engines local ray-1 ray-2]
        [--workers 2] [--timeout 7200] [--out benchmarks/results/engines.json]

The input is the first `--limit` records (default: all 37,554) of allsides_baly_bias/articles.jsonl.gz, unchanged,
as one JSON Lines file in a temporary folder (the Ray engine reads a file as one shard). Each engine then runs it
in a child process of its own, into a fresh SQLite store: ingest, then build_stories.

- `local`: `parallax.pipeline.ingest` and `build_stories` with `Options(workers=--workers)` (forked workers for
  the per-article stages);
- `ray-N`: inside `ray_session(RayOptions(num_cpus=N))` (a Ray started by the child, shut down at its end),
  `ingest_on_ray` and `build_stories_on_ray`.

Figures of each run: the seconds of Ray's start, of ingest and of build_stories (wall, in the child), articles/s over
ingest + build_stories, the child's wall seconds as the parent saw them (Python and parallax's imports included), the
counts of articles, stories and near-duplicate pairs, and memory: the child's own peak resident size (VmHWM: `ru_maxrss`
would include this script's size, which Linux carries over an exec) and the peak of its whole process tree (the child
and every descendant: forked workers, Ray's GCS, raylet with its object store, workers), sampled from /proc every 0.2 s
by a thread of this process (`benchmarks/proctree.py`, which says how shared memory counts: the sum of RSS counts a
shared page once per process mapping it, the sum of Pss once in all). A run that passes `--timeout` is killed with its
tree and recorded as such; processes a run leaves behind are named in its figures and killed.

The runs should agree: the same articles, stories and near-duplicate pairs, down to their ids (a digest of each
sorted id list); the Ray engine clusters with the local code and runs each story's analysis on Ray, so they agree
at every size (`parallax.engine_ray`). Everything goes to
`benchmarks/results/engines.json` with the machine, the load average before and after (a busy machine slows every
run) and the command.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib.util import find_spec
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from proctree import TreeSampler, kill_tree  # a sibling script, not a package

from parallax.machine import describe_machine

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "engines.json"
DATA_FILE = "allsides_baly_bias/articles.jsonl.gz"
ENGINES = ("local", "ray-1", "ray-2")
SAMPLE_SECONDS = 0.2
LEFTOVER_GRACE_SECONDS = 10.0
"""How long a finished run's descendants (Ray's processes stop asynchronously) may take to exit before they are
named in the figures as left behind, and killed."""
AGREEING = ("articles", "stories", "near_duplicate_pairs", "article_ids", "story_members", "pair_ids")

CHILD = r"""
import time
started = time.perf_counter()
import contextlib, hashlib, json, re, resource, sys
from parallax.pipeline import Options, build_stories, ingest
from parallax.read import ReadOptions
from parallax.store import Store

engine, path, db, cpus = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
options = Options(read=ReadOptions(max_archive_bytes=1 << 40), workers=cpus)
imported = time.perf_counter()
if engine == "local":
    session, run_ingest, run_stories = contextlib.nullcontext(), ingest, build_stories
else:
    from parallax.engine_ray import RayOptions, build_stories_on_ray, ingest_on_ray, ray_session
    session = ray_session(RayOptions(num_cpus=cpus))
    run_ingest, run_stories = ingest_on_ray, build_stories_on_ray
with session:
    ready = time.perf_counter()
    with Store.open(db) as store:
        report = run_ingest([path], store, options)
        ingested = time.perf_counter()
        story_ids, story_report = run_stories(store, options)
        done = time.perf_counter()
        pairs = store.near_duplicates()
        members = [s.id + ":" + ",".join(sorted(s.article_ids)) for s in store.stories()]
stopped = time.perf_counter()

def digest(items):
    return hashlib.sha256("\n".join(sorted(items)).encode()).hexdigest()[:16]

pipeline = done - ready
print(json.dumps({
    "articles": len(report.article_ids),
    "added": report.added,
    "stories": len(story_ids),
    "near_duplicate_pairs": len(pairs),
    "import_seconds": round(imported - started, 2),
    "engine_start_seconds": round(ready - imported, 2),
    "ingest_seconds": round(ingested - ready, 2),
    "stories_seconds": round(done - ingested, 2),
    "pipeline_seconds": round(pipeline, 2),
    "engine_stop_seconds": round(stopped - done, 2),
    "articles_per_second": round(len(report.article_ids) / pipeline, 1) if pipeline else None,
    "stage_seconds": {s.stage: round(s.seconds, 2) for s in [*report.stages, story_report]},
    "story_counts": dict(story_report.counts),
    "digests": {
        "article_ids": digest(report.article_ids),
        "story_members": digest(members),
        "pair_ids": digest(p.article_id + ":" + p.other_id for p in pairs),
    },
    "driver_peak_rss_mib": round(int(re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read())[1]) / 1024, 1),
    "driver_children_peak_rss_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
}), flush=True)
"""


def write_subset(source: Path, limit: int | None, target: Path) -> int:
    """The first `limit` records of the corpus (all when None), unchanged, as a JSON Lines file; return the count."""
    written = 0
    with gzip.open(source, "rt", encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
        for line in lines:
            if not line.strip():
                continue
            if limit is not None and written >= limit:
                break
            out.write(line if line.endswith("\n") else line + "\n")
            written += 1
    return written


def engine_cpus(engine: str, workers: int) -> int:
    """The processes (local) or Ray CPUs (`ray-N`) of an engine name; raise on a name that is neither."""
    if engine == "local":
        return workers
    if engine.startswith("ray-") and engine[4:].isdigit() and int(engine[4:]) > 0:
        return int(engine[4:])
    raise argparse.ArgumentTypeError(f"engine {engine!r}: expected 'local' or 'ray-N' (N CPUs), as in {ENGINES}")


def run_engine(engine: str, cpus: int, source: Path, timeout: float, tmp: Path) -> dict[str, Any]:
    """One engine through the pipeline in a child process: its figures (with its tree's peak memory), or why
    there are none."""
    folder = Path(tempfile.mkdtemp(prefix=f"{engine}-", dir=tmp))
    db = folder / "parallax.db"
    log = folder / "child.log"
    figures: dict[str, Any] = {"engine": engine, "cpus": cpus}
    started = time.perf_counter()
    with log.open("w") as output:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, engine, str(source), str(db), str(cpus)],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        sampler = TreeSampler(child.pid, SAMPLE_SECONDS, session=True).start()
        try:
            child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            figures["error"] = f"timeout after {timeout:.0f} s"
            figures["killed_processes"] = len(kill_tree({child.pid: "driver", **sampler.survivors()}))
            child.wait()
        finally:
            figures["wall_seconds"] = round(time.perf_counter() - started, 2)
            figures.update(sampler.stop().to_dict())
    figures["left_behind"] = _reap(sampler)
    text = log.read_text(errors="replace")
    results = [line for line in text.splitlines() if line.startswith("{")]
    if "error" not in figures and (child.returncode != 0 or not results):
        figures["error"] = f"exit {child.returncode}: {text.strip()[-800:]}"
    if "error" not in figures:
        figures.update(json.loads(results[-1]))
        figures["store_mib"] = round(db.stat().st_size / 2**20, 1)
    return figures


def _reap(sampler: TreeSampler) -> list[str]:
    """Names of the run's processes still alive `LEFTOVER_GRACE_SECONDS` after it ended (then killed)."""
    deadline = time.monotonic() + LEFTOVER_GRACE_SECONDS
    while (survivors := sampler.survivors()) and time.monotonic() < deadline:
        time.sleep(0.5)
    kill_tree(survivors)
    return sorted(survivors.values())


def agreement(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Whether the finished runs found the same counts and ids (every engine clusters with the local code)."""
    finished = [r for r in runs if "error" not in r]
    values = {key: {r["engine"]: r[key] if key in r else r["digests"][key] for r in finished} for key in AGREEING}
    compared = len(finished) > 1
    agree = {key: len(set(by_engine.values())) == 1 if compared else None for key, by_engine in values.items()}
    online = [r["engine"] for r in finished if r["story_counts"].get("clustered_online_over_batch_limit")]
    note = "everything should agree" if compared else "fewer than two runs finished: nothing to compare"
    return {
        "runs_compared": [r["engine"] for r in finished],
        "agree": agree,
        "all_agree": all(agree.values()) if compared else None,
        "values": values,
        "clustered_online": online,
        "note": note,
    }


TABLE = (
    ("engine", "engine"),
    ("articles", "articles"),
    ("stories", "stories"),
    ("pairs", "near_duplicate_pairs"),
    ("start s", "engine_start_seconds"),
    ("ingest s", "ingest_seconds"),
    ("stories s", "stories_seconds"),
    ("art/s", "articles_per_second"),
    ("tree RSS MiB", "tree_peak_rss_mib"),
    ("tree PSS MiB", "tree_peak_pss_mib"),
    ("driver MiB", "driver_peak_rss_mib"),
)
"""The printed table's columns: heading and figure."""


def print_table(runs: list[dict[str, Any]]) -> None:
    """A short table of the runs' main figures."""
    print(" | ".join(heading for heading, _ in TABLE))
    for run in runs:
        if "error" in run:
            print(f"{run['engine']} | {run['error'][:200]}")
        else:
            print(" | ".join(str(run[key]) for _, key in TABLE))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--limit", type=int, default=None, help="the first N records (default: all)")
    parser.add_argument("--engines", nargs="+", default=list(ENGINES), help="local and/or ray-N (N CPUs)")
    parser.add_argument("--workers", type=int, default=2, help="processes of the local engine")
    parser.add_argument("--timeout", type=float, default=7200.0, help="seconds per run")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    plan = [(engine, engine_cpus(engine, args.workers)) for engine in args.engines]
    load_before = os.getloadavg()
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="parallax-engines-") as tmp:
        source = Path(tmp) / "input.jsonl"
        records = write_subset(args.data / DATA_FILE, args.limit, source)
        print(f"{records} records in {source.name}", flush=True)
        for engine, cpus in plan:
            run = run_engine(engine, cpus, source, args.timeout, Path(tmp))
            runs.append(run)
            print(json.dumps(run), flush=True)
    packages = ["scikit-learn", "numpy", "rensa", "trafilatura"] + (["ray"] if find_spec("ray") else [])
    agreed = agreement(runs)
    result: dict[str, Any] = {
        "measured": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python benchmarks/bench_engines.py " + " ".join(sys.argv[1:]),
        "machine": describe_machine(packages),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "corpus": {"file": DATA_FILE, "limit": args.limit, "records": records},
        "memory": (
            f"tree_*: the child and all its descendants, sampled from /proc every {SAMPLE_SECONDS} s "
            "(benchmarks/proctree.py): peak of the sum of VmRSS (a page shared by k processes, such as Ray's "
            "object store in /dev/shm or forked workers' copy-on-write pages, counts k times) and peak of the sum "
            "of Pss from smaps_rollup (shared pages split among the processes mapping them: counted once), read "
            "while its cost stays within 2% of the elapsed time (tree_pss_samples of tree_samples); "
            "driver_peak_rss_mib: the child's own VmHWM; driver_children_peak_rss_mib: ru_maxrss of its largest "
            "reaped child (local: a forked worker)"
        ),
        "runs": runs,
        "agreement": agreed,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print_table(runs)
    print("agree:", json.dumps(agreed["agree"]), "-", agreed["note"])
    print(f"figures written to {args.out}")


if __name__ == "__main__":
    main()
