"""Near duplicates side by side: parallax's path against datasketch MinHashLSH, on allsides_baly_bias.

    python benchmarks/bench_dedup.py --data ../shared/data [--limit N] [--originals 2000] [--datasketch-defaults]

Every path indexes the same articles in the same order (the file's records, then `--originals` x 3 generated
variants from `parallax.variants`) and, for each article, finds its candidates among those before it,
verifies each by exact Jaccard and keeps the pairs >= 0.8; the time covers exactly that (tokenising,
shingling, signatures, LSH insert and query, verification), not the reading of the file. All paths use 5-word
shingles of case-folded `\\w+` words, 128 permutations, threshold 0.8 and the same LSH bands (25 x 5, from
`parallax.neardup.lsh_bands`):

- `parallax`: `NearDuplicateIndex.add_many` (shingles hashed in NumPy, signatures from rensa);
- `datasketch`: the library's own way: `re.findall` words, shingle strings, `MinHash.update_batch` (SHA-1),
  `MinHashLSH(params=(25, 5))` query then insert, Jaccard of the Python shingle sets;
- `parallax+datasketch-signatures`: parallax's path with datasketch's `MinHash` making the signatures from
  the same shingle hashes: the only difference from `parallax` is the MinHash library (how it was chosen);
- with `--datasketch-defaults`, also `datasketch` with the bands `MinHashLSH` picks itself for 0.8 (9 x 13).

Recall is scored on the same variants by `parallax.evaluate_dedup.score_pairs`. Each path runs in a fresh
process of its own (which reads the file and makes the variants itself first), so none inherits another's
garbage; its memory figure is the growth of the peak resident size (VmHWM, reset when indexing starts) over
the resident size then: everything the path allocated, rensa's and NumPy's buffers included (Linux). Figures
go to `benchmarks/results/dedup.json` (or `dedup_limit<N>.json` with `--limit`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

from parallax.evaluate_dedup import load_records, score_pairs
from parallax.machine import describe_machine
from parallax.neardup import NearDuplicate, NearDuplicateIndex, NearDuplicateOptions, lsh_bands
from parallax.variants import Variant, VariantOptions, make_variants, sample_originals

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
DATA_FILE = "allsides_baly_bias/articles.jsonl.gz"
TARGET_SPEEDUP = 10.0
"""The issue's bar: parallax's articles/s at least 10x datasketch's, at equal or better recall."""

Article = tuple[str, str]
Finder = Callable[[list[Article], NearDuplicateOptions], list[NearDuplicate]]
_WORD = re.compile(r"\w+")


def run_parallax(articles: list[Article], options: NearDuplicateOptions) -> list[NearDuplicate]:
    """parallax's path: the incremental index, fed in order."""
    return NearDuplicateIndex(options).add_many(articles)


class _DatasketchSignatures(NearDuplicateIndex):
    """parallax's index with datasketch making the signatures from the same shingle hashes."""

    def _signatures_of(self, shingle_sets: list[np.ndarray]) -> np.ndarray:
        rows = np.empty((len(shingle_sets), self.options.num_perm), dtype=np.uint32)
        for row, shingles in enumerate(shingle_sets):
            minhash = MinHash(num_perm=self.options.num_perm, seed=self.options.seed, hashfunc=_identity)
            minhash.update_batch((shingles & np.uint64(0xFFFFFFFF)).tolist())
            rows[row] = minhash.hashvalues
        return rows


def _identity(value: int) -> int:
    return value


def run_parallax_datasketch_signatures(articles: list[Article], options: NearDuplicateOptions) -> list[NearDuplicate]:
    """parallax's path, signatures by datasketch."""
    return _DatasketchSignatures(options).add_many(articles)


def _datasketch(articles: list[Article], options: NearDuplicateOptions, bands: tuple[int, int] | None) -> Any:
    lsh = MinHashLSH(threshold=options.threshold, num_perm=options.num_perm, params=bands)
    shingles_of: dict[str, set[str]] = {}
    found: list[NearDuplicate] = []
    size = options.shingle_size
    for article_id, text in articles:
        words = _WORD.findall(text.casefold())
        shingles = {" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1))} if words else set()
        minhash = MinHash(num_perm=options.num_perm, seed=options.seed)
        minhash.update_batch([shingle.encode("utf-8") for shingle in shingles])
        if shingles:
            for other in lsh.query(minhash):
                other_shingles = shingles_of[other]
                shared = len(shingles & other_shingles)
                jaccard = shared / (len(shingles) + len(other_shingles) - shared)
                if jaccard >= options.threshold:
                    found.append(
                        NearDuplicate(article_id, other, jaccard, shared / len(shingles), shared / len(other_shingles))
                    )
            lsh.insert(article_id, minhash)
        shingles_of[article_id] = shingles
    return found


def run_datasketch(articles: list[Article], options: NearDuplicateOptions) -> list[NearDuplicate]:
    """datasketch's own way, with parallax's LSH bands."""
    return list(_datasketch(articles, options, lsh_bands(options.threshold, options.num_perm)))


def run_datasketch_defaults(articles: list[Article], options: NearDuplicateOptions) -> list[NearDuplicate]:
    """datasketch's own way, with the bands MinHashLSH picks for the threshold."""
    return list(_datasketch(articles, options, None))


def _status_mib(field: str) -> float | None:
    """A memory figure of this process from /proc/self/status (Linux), in MiB; None elsewhere."""
    status = Path("/proc/self/status")
    if not status.is_file():
        return None
    for line in status.read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return None


def _reset_peak() -> None:
    """Start the peak resident size (VmHWM) afresh from now (Linux >= 4.0); a no-op where that cannot be done."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def run_child(name: str, articles: list[Article], options: NearDuplicateOptions, out: Path) -> None:
    """Run one path in this (fresh) process; write its time, peak memory growth and pairs to `out`."""
    _reset_peak()
    baseline = _status_mib("VmRSS")
    started = time.perf_counter()
    pairs = PATHS[name](articles, options)
    seconds = time.perf_counter() - started
    peak = _status_mib("VmHWM")
    growth = peak - baseline if peak is not None and baseline is not None else None
    rows = [[p.article_id, p.other_id, p.jaccard, p.containment, p.other_containment] for p in pairs]
    out.write_text(json.dumps({"seconds": seconds, "peak_growth_mib": growth, "pairs": rows}), encoding="utf-8")


def measure(
    names: list[str], data: Path, limit: int | None, originals: int, variants: list[Variant], texts: dict[str, str]
) -> dict[str, Any]:
    """Run every path in its own fresh process (same articles), then score its pairs on the variants."""
    options = NearDuplicateOptions()
    results: dict[str, Any] = {}
    for name in names:
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "child.json"
            command = [
                sys.executable,
                str(Path(__file__).resolve()),
                "--data",
                str(data),
                "--originals",
                str(originals),
            ]
            command += [*(["--limit", str(limit)] if limit else []), "--child", name, "--child-out", str(out)]
            subprocess.run(command, check=True)
            child = json.loads(out.read_text(encoding="utf-8"))
        pairs = [NearDuplicate(*row) for row in child["pairs"]]
        scores = score_pairs(pairs, variants, set(), texts, options.shingle_size)
        growth = child["peak_growth_mib"]
        results[name] = {
            "seconds": round(child["seconds"], 2),
            "articles_per_second": round(len(texts) / child["seconds"], 1),
            "recall_at_080": round(scores["recall_at_080"], 4),
            "recall_by_band": {band: round(value, 4) for band, value in scores["recall_by_band"].items()},
            "precision": round(scores["precision"], 4),
            "reported_pairs": scores["reported_pairs"],
            "false_pairs": scores["false_pairs"],
            "peak_growth_mib": round(growth, 1) if growth is not None else None,
        }
        print(f"  {name}: {results[name]}", flush=True)
    return results


def _articles(records: Iterable[tuple[str, str]], variants: list[Variant]) -> list[Article]:
    return [*records, *((variant.id, variant.text) for variant in variants)]


PATHS: dict[str, Finder] = {
    "parallax": run_parallax,
    "datasketch": run_datasketch,
    "parallax+datasketch-signatures": run_parallax_datasketch_signatures,
    "datasketch (its own bands)": run_datasketch_defaults,
}


def main(argv: list[str] | None = None) -> int:
    """Run the comparison, write the figures, print a table; exit 1 when parallax misses the issue's bar."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder of the evaluation data (../shared/data)")
    parser.add_argument("--limit", type=int, help="index only the first N records (and variants of them)")
    parser.add_argument("--originals", type=int, default=2000, help="records to make 3 variants of each")
    parser.add_argument("--datasketch-defaults", action="store_true", help="also datasketch with its own bands")
    parser.add_argument("--out", type=Path, help="where to write the figures (benchmarks/results/dedup*.json)")
    parser.add_argument("--child", choices=list(PATHS), help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    options = NearDuplicateOptions()
    records, _ = load_records(args.data / DATA_FILE, args.limit)
    ids, texts = [r.id for r in records], [r.text for r in records]
    variant_options = VariantOptions(shingle_size=options.shingle_size)
    originals = sample_originals(args.originals, len(records), variant_options.seed)
    variants = make_variants(ids, texts, originals, [r.title for r in records], variant_options)
    articles = _articles(zip(ids, texts, strict=True), variants)
    del records, texts
    if args.child:
        run_child(args.child, articles, options, args.child_out)
        return 0
    print(f"{len(ids)} records + {len(variants)} variants = {len(articles)} articles", flush=True)
    names = [name for name in PATHS if args.datasketch_defaults or name != "datasketch (its own bands)"]
    results = measure(names, args.data, args.limit, args.originals, variants, dict(articles))
    ours, theirs = results["parallax"], results["datasketch"]
    speedup = ours["articles_per_second"] / theirs["articles_per_second"]
    meets = speedup >= TARGET_SPEEDUP and ours["recall_at_080"] >= theirs["recall_at_080"]
    bands, rows = lsh_bands(options.threshold, options.num_perm)
    figures = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data": DATA_FILE,
        "records": len(ids),
        "variants": len(variants),
        "articles": len(articles),
        "options": {**{k: getattr(options, k) for k in options.__slots__}, "bands": bands, "rows": rows},
        "targets": {"speedup_over_datasketch": TARGET_SPEEDUP, "recall_at_080": "equal or better"},
        "speedup_over_datasketch": round(speedup, 2),
        "meets_targets": meets,
        "machine": describe_machine(("rensa", "datasketch", "numpy")),
        "results": results,
    }
    out = args.out or RESULTS / (f"dedup_limit{args.limit}.json" if args.limit else "dedup.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"{'path':<32} {'articles/s':>10} {'recall>=0.8':>11} {'precision':>9} {'+MiB peak':>9}")
    for name, row in results.items():
        peak = row["peak_growth_mib"] if row["peak_growth_mib"] is not None else float("nan")
        print(
            f"{name:<32} {row['articles_per_second']:>10.1f} {row['recall_at_080']:>11.4f} "
            f"{row['precision']:>9.4f} {peak:>9.1f}"
        )
    verdict = "meets" if meets else "MISSES"
    print(f"parallax is {speedup:.1f}x datasketch: {verdict} the bar (>= {TARGET_SPEEDUP}x at equal or better recall)")
    print(f"figures in {out}")
    return 0 if meets else 1


if __name__ == "__main__":
    sys.exit(main())
