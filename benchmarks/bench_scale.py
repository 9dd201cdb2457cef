"""The cost curve: the whole local pipeline (ingest, then stories) on growing synthetic streams of real articles.

    python benchmarks/bench_scale.py --data ../shared/data [--sizes 1000 2000 4000 8000] [--timeout 1800] [--add]

Each size is the first N records of `benchmarks/synthetic.py`'s deterministic stream (the real allsides_baly_bias corpus
first, then recombined passes of it), written as one JSON Lines file and run through `parallax.pipeline.ingest` and
`build_stories` into a fresh SQLite store, in a child process of its own so that each size's peak memory is its own:
peak resident size of the main process (`peak_rss_mib`: VmHWM, not `ru_maxrss`, which Linux carries over an exec from
the process that started it, here this script with the whole base corpus loaded), the largest of the engine's forked
workers apart (`ru_maxrss` of its reaped children), and the peak of the whole process tree (the child and all its
workers) sampled from /proc every 0.2 s by `benchmarks/proctree.py` (`tree_peak_rss_mib`, the sum of RSS, counts the
workers' copy-on-write pages shared with the parent once per process; `tree_peak_pss_mib`, the sum of Pss, once in all).
A size that passes `--timeout` is recorded as such (its tree killed) and the larger ones are skipped.

Between consecutive sizes the growth exponent is log(cost ratio) / log(size ratio): 1.0 is linear. Figures go to
`benchmarks/results/scale.json` and a log-log plot to `benchmarks/results/scale.svg`.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from proctree import TreeSampler, kill_tree  # sibling scripts, not a package
from synthetic import load_base, write_stream

from parallax.machine import describe_machine

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "scale.json"
SAMPLE_SECONDS = 0.2

CHILD = r"""
import json, re, resource, sys, time
from parallax.pipeline import Options, build_stories, ingest
from parallax.read import ReadOptions
from parallax.store import Store

path, db, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
options = Options(read=ReadOptions(max_archive_bytes=1 << 40), workers=workers)
started = time.perf_counter()
with Store.open(db) as store:
    report = ingest([path], store, options)
    ingested = time.perf_counter()
    story_ids, story_report = build_stories(store, options)
done = time.perf_counter()
print(json.dumps({
    "articles": len(report.article_ids),
    "added": report.added,
    "stories": len(story_ids),
    "ingest_seconds": round(ingested - started, 2),
    "stories_seconds": round(done - ingested, 2),
    "seconds": round(done - started, 2),
    "stage_seconds": {s.stage: round(s.seconds, 2) for s in [*report.stages, story_report]},
    "peak_rss_mib": round(int(re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read())[1]) / 1024, 1),
    "worker_peak_rss_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
}))
"""


def run_size(base: list[dict[str, Any]], size: int, workers: int, timeout: float, tmp: Path) -> dict[str, Any]:
    """One size through the pipeline in a child process: its figures, or why there are none."""
    stream = write_stream(base, size, tmp / f"stream-{size}.jsonl")
    db = tmp / f"store-{size}.db"
    log = tmp / f"child-{size}.log"
    started = time.perf_counter()
    try:
        with log.open("w") as output:
            child = subprocess.Popen(
                [sys.executable, "-c", CHILD, str(stream), str(db), str(workers)],
                stdout=output,
                stderr=subprocess.PIPE,
                text=True,
                start_new_session=True,
            )
            sampler = TreeSampler(child.pid, SAMPLE_SECONDS, session=True).start()
            try:
                _, stderr = child.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                kill_tree({child.pid: "child", **sampler.survivors()})
                child.communicate()
                return {"size": size, "error": f"timeout after {timeout:.0f} s", **sampler.stop().to_dict()}
            tree = sampler.stop().to_dict()
    finally:
        stream.unlink(missing_ok=True)
    kill_tree(sampler.survivors())
    if child.returncode != 0:
        return {"size": size, "error": f"exit {child.returncode}: {stderr.strip()[-500:]}"}
    figures: dict[str, Any] = json.loads(log.read_text().strip().splitlines()[-1])
    log.unlink(missing_ok=True)
    figures["size"] = size
    figures["wall_seconds"] = round(time.perf_counter() - started, 2)
    figures["store_mib"] = round(db.stat().st_size / 2**20, 1)
    figures["articles_per_second"] = round(figures["articles"] / figures["seconds"], 1) if figures["seconds"] else None
    figures.update(tree)
    db.unlink(missing_ok=True)
    return figures


def exponents(points: list[dict[str, Any]], key: str) -> list[float]:
    """Growth exponent of `key` between consecutive measured sizes (1.0 = linear)."""
    measured = [p for p in points if p.get(key)]
    return [
        round(math.log(b[key] / a[key]) / math.log(b["size"] / a["size"]), 2) for a, b in itertools.pairwise(measured)
    ]


def _panel(points: list[dict[str, Any]], key: str, label: str, left: int) -> list[str]:
    """One log-log panel: measured points joined, and the linear line through the smallest size (dashed)."""
    measured = [(p["size"], p[key]) for p in points if p.get(key)]
    if len(measured) < 2:
        return []
    width, height, pad = 300, 220, 40
    xs = [math.log10(s) for s, _ in measured]
    ys = [math.log10(v) for _, v in measured]
    lin = [ys[0] + (x - xs[0]) for x in xs]
    lo, hi = min(ys + lin), max(ys + lin)
    span_y = (hi - lo) or 1.0
    span_x = (xs[-1] - xs[0]) or 1.0

    def at(x: float, y: float) -> str:
        return f"{left + pad + (x - xs[0]) / span_x * (width - pad):.1f},{pad + (hi - y) / span_y * (height - pad):.1f}"

    line = " ".join(at(x, y) for x, y in zip(xs, ys, strict=True))
    ref = " ".join(at(x, y) for x, y in zip(xs, lin, strict=True))
    out = [
        f'<text x="{left + pad}" y="20" font-size="13">{label} (log-log)</text>',
        f'<polyline points="{ref}" fill="none" stroke="#999" stroke-dasharray="4 3"/>',
        f'<polyline points="{line}" fill="none" stroke="#1f4e79" stroke-width="2"/>',
    ]
    for (size, value), x, y in zip(measured, xs, ys, strict=True):
        cx, cy = at(x, y).split(",")
        out.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="#1f4e79"><title>{size}: {value}</title></circle>')
        out.append(f'<text x="{cx}" y="{height + 15}" font-size="10" text-anchor="middle">{size}</text>')
        out.append(f'<text x="{float(cx) + 5:.1f}" y="{float(cy) - 5:.1f}" font-size="10">{value:g}</text>')
    return out


def write_plot(points: list[dict[str, Any]], path: Path) -> None:
    """Seconds and the process tree's peak memory (Pss) against articles, with the linear reference (dashed)."""
    body = _panel(points, "seconds", "seconds", 0) + _panel(points, "tree_peak_pss_mib", "peak MiB, all processes", 360)
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="720" height="250" font-family="sans-serif">'
        "<title>parallax cost curve: measured (solid) against linear growth (dashed)</title>"
        + "".join(body)
        + "</svg>\n",
        encoding="utf-8",
    )


def _commit() -> str:
    """The commit measured (with "+changes" when the tree differs from it)."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], check=False, capture_output=True, text=True, cwd=ROOT
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "src"], check=False, capture_output=True, text=True, cwd=ROOT
    )
    return head.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000, 8000])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--add",
        action="store_true",
        help="keep the points of --out at other sizes (each point records its commit and time): grow a curve "
        "over several sessions",
    )
    args = parser.parse_args()
    base = load_base(args.data)
    kept: list[dict[str, Any]] = []
    if args.add and args.out.exists():
        before = json.loads(args.out.read_text())
        kept = [p for p in before["points"] if p["size"] not in args.sizes]
        for point in kept:  # a point from before --add existed carries its file's time only
            point.setdefault("measured", before["measured"])
    commit = _commit()
    points: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="parallax-scale-") as tmp:
        for size in sorted(args.sizes):
            point = run_size(base, size, args.workers, args.timeout, Path(tmp))
            point["commit"], point["measured"] = commit, datetime.now(UTC).isoformat(timespec="seconds")
            points.append(point)
            print(json.dumps(point), flush=True)
            if "error" in point:
                break
    points = sorted([*kept, *points], key=lambda point: point["size"])
    result = {
        "measured": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": describe_machine(["scikit-learn", "numpy", "rensa", "trafilatura"]),
        "engine": "local",
        "workers": args.workers,
        "stream": "benchmarks/synthetic.py over allsides_baly_bias",
        "points": points,
        "time_exponents": exponents(points, "seconds"),
        "memory_exponents": exponents(points, "peak_rss_mib"),
        "tree_memory_exponents": exponents(points, "tree_peak_rss_mib"),
        "tree_pss_exponents": exponents(points, "tree_peak_pss_mib"),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    write_plot(points, args.out.with_suffix(".svg"))
    print(f"figures written to {args.out}")


if __name__ == "__main__":
    main()
