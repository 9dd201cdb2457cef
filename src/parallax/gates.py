"""The evaluation gates: quality on real labeled data, held to pinned floors, on pinned data.

    python -m parallax.gates --data ../shared/data

`eval/gates.json` lists the gates by kind (`"clustering"`: story clustering on gold stories; `"extraction"`: main
text of HTML pages against gold article bodies; `"dedup"`: near-duplicate pairs against gold groups and generated
variants, see `parallax.evaluate_dedup`; `"extract"`: quotes, quantities and time expressions against the
hand-annotated gold sets in `eval/gold/`, named by `"gold"` relative to the repository, see
`parallax.evaluate_extract`; `"framing"`: the framing labels against NewsWCL50's word-choice annotations, see
`parallax.evaluate_framing`; `"compare"`: the cited summary against AllSides' neutral roundups (ROUGE), with lead-3
and the loaded-term shares beside it, see `parallax.evaluate_compare`). Each gate names the labeled file (relative
to `--data`), its SHA-256, an optional record filter (clustering) or sample size (dedup: `originals`, `limit`), the
floors each metric must reach, and the published reference figures for comparison. A gate fails when a metric falls
under its floor or when the data file's hash differs from the pinned one (the figures would no longer be
comparable: re-measure and re-pin on purpose). The measured figures are written to `eval/results/latest.json`,
under the same kinds (with `--only`, the other gates' figures already there are kept). The exit code is 0 when
every gate passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parallax.evaluate import evaluate_clustering, load_labeled
from parallax.evaluate_compare import evaluate_compare
from parallax.evaluate_dedup import DedupEvalOptions, evaluate_dedup
from parallax.evaluate_extract import evaluate_kind
from parallax.evaluate_extraction import evaluate_extraction
from parallax.evaluate_framing import evaluate_framing
from parallax.model import file_hash

__all__ = ["KINDS", "GateKind", "main", "run_gates"]

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG = ROOT / "eval" / "gates.json"
DEFAULT_OUT = ROOT / "eval" / "results" / "latest.json"


@dataclass(frozen=True, slots=True)
class GateKind:
    """How one kind of gate is scored and shown.

    `score` maps (scored file, gate entry, data folder) to (metrics, dropped inputs by reason); `shown` names
    the metrics printed, the first present in the gate's reference figures being compared with it.
    """

    score: Callable[[Path, dict[str, Any], Path], tuple[dict[str, Any], dict[str, int]]]
    shown: tuple[str, ...]


def _clustering(path: Path, gate: dict[str, Any], _data: Path) -> tuple[dict[str, Any], dict[str, int]]:
    labeled = load_labeled(path, where=gate.get("where"))
    return dict(evaluate_clustering(labeled).to_dict()), labeled.dropped


def _extraction(path: Path, gate: dict[str, Any], _data: Path) -> tuple[dict[str, Any], dict[str, int]]:
    scores = evaluate_extraction(path)
    return dict(scores.to_dict()), ({"skipped_records": scores.skipped} if scores.skipped else {})


def _extract(path: Path, gate: dict[str, Any], data: Path) -> tuple[dict[str, Any], dict[str, int]]:
    # `path` is the gold file in the repository; the article texts it points into are under the data folder.
    return evaluate_kind(gate["extract_kind"], path, data), {}


def _dedup(path: Path, gate: dict[str, Any], _data: Path) -> tuple[dict[str, Any], dict[str, int]]:
    options = DedupEvalOptions(originals=gate.get("originals", DedupEvalOptions().originals), limit=gate.get("limit"))
    scores = evaluate_dedup(path, options)
    return scores.to_dict(), scores.skipped


def _framing(path: Path, gate: dict[str, Any], _data: Path) -> tuple[dict[str, Any], dict[str, int]]:
    figures = evaluate_framing(path)
    return figures, dict(figures.get("dropped", {}))


def _compare(path: Path, gate: dict[str, Any], _data: Path) -> tuple[dict[str, Any], dict[str, int]]:
    # `path` is the stories file of an allsides_neus-shaped folder; the articles sit beside it.
    figures = evaluate_compare(path.parent, gate.get("split", "val"))
    subset = figures["subsets"]["all"]
    ours, lead3 = subset["variants"]["parallax"], subset["variants"]["lead3"]
    flat = dict(ours)
    flat |= {f"lead3_{name}": lead3[name] for name in ("rouge1_f", "rouge2_f", "rougeL_f")}
    flat["articles_loaded_share"] = subset["articles_loaded_share"]
    flat["stories"] = subset["stories"]
    return flat, {}


KINDS = {
    "clustering": GateKind(_clustering, ("bcubed_f1", "pairwise_f1", "adjusted_rand")),
    "extraction": GateKind(_extraction, ("f1", "precision", "recall")),
    "dedup": GateKind(_dedup, ("recall_at_080", "precision", "precision_strict", "articles_per_second")),
    "compare": GateKind(_compare, ("rouge1_f", "rouge2_f", "rougeL_f", "loaded_share", "articles_loaded_share")),
    "framing": GateKind(_framing, ("recall", "recall_any_referent", "label_precision")),
    "extract": GateKind(
        _extract, ("f1_with_speaker", "resolution_accuracy", "f1", "precision", "recall", "value_accuracy")
    ),
}


def _run_gate(kind: GateKind, gate: dict[str, Any], data: Path) -> dict[str, Any]:
    # Gold sets annotated for parallax live in the repository ("gold"); published data sets under --data ("file").
    path = ROOT / gate["gold"] if "gold" in gate else data / gate["file"]
    result: dict[str, Any] = {
        "name": gate["name"],
        "file": gate.get("gold", gate.get("file")),
        "passed": False,
        "failures": [],
    }
    if not path.is_file():
        result["failures"].append(f"data file not found: {path}")
        return result
    sha = file_hash(path)
    if sha != gate["sha256"]:
        result["failures"].append(f"{path} changed (sha256 {sha[:12]}…, pinned {gate['sha256'][:12]}…)")
        return result
    started = time.perf_counter()
    scores, dropped = kind.score(path, gate, data)
    result["metrics"] = scores
    result["dropped"] = dropped
    result["seconds"] = round(time.perf_counter() - started, 2)
    result["reference"] = gate.get("reference", {})
    for metric, floor in gate["floors"].items():
        if metric not in scores:
            result["failures"].append(f"no metric {metric!r}; this kind measures {', '.join(scores)}")
        elif scores[metric] < floor:
            result["failures"].append(f"{metric} {scores[metric]:.4f} is under its floor {floor:.4f}")
    result["passed"] = not result["failures"]
    return result


def run_gates(data: Path, config: Path = DEFAULT_CONFIG, only: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Run every gate of `config` (or the one named `only`) on the labeled data under `data`, by kind."""
    gates_by_kind = json.loads(config.read_text(encoding="utf-8"))
    unknown = sorted(set(gates_by_kind) - set(KINDS))
    if unknown:
        raise ValueError(f"{config}: unknown gate kind {', '.join(unknown)}; the kinds are {', '.join(KINDS)}")
    return {
        kind: [_run_gate(KINDS[kind], gate, data) for gate in gates if only is None or gate["name"] == only]
        for kind, gates in gates_by_kind.items()
    }


def _print(kind_name: str, result: dict[str, Any]) -> None:
    status = "pass" if result["passed"] else "FAIL"
    metrics = result.get("metrics", {})
    shown = KINDS[kind_name].shown
    figures = ", ".join(f"{k} {metrics[k]:.4f}" for k in shown if k in metrics)
    references = result.get("reference", {})
    key = next((k for k in shown if k in metrics and k in references), None)
    note = f" (reference {key} {references[key]})" if key else ""
    print(f"[{status}] {kind_name}/{result['name']}: {figures}{note}")
    for failure in result["failures"]:
        print(f"       {failure}")


def _merged(out: Path, results: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The figures already in `out` with the gates just run replaced (or added), so `--only` keeps the rest."""
    try:
        previous = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return results
    if not isinstance(previous, dict):
        return results
    merged = {kind: list(found) for kind, found in previous.items() if isinstance(found, list)}
    for kind, found in results.items():
        fresh = {result["name"]: result for result in found}
        kept = [old for old in merged.get(kind, []) if old.get("name") not in fresh]
        merged[kind] = kept + found
    return merged


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m parallax.gates", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder of the labeled data (../shared/data)")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="gates file (eval/gates.json)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the measured figures")
    parser.add_argument("--only", help="run only the gate with this name (of any kind)")
    args = parser.parse_args(argv)
    results = {kind: found for kind, found in run_gates(args.data, args.config, args.only).items() if found}
    if not results:
        print(f"no gate named {args.only!r} in {args.config}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    written = _merged(args.out, results) if args.only else results
    args.out.write_text(json.dumps(written, indent=2) + "\n", encoding="utf-8")
    for kind_name, kind_results in results.items():
        for result in kind_results:
            _print(kind_name, result)
    print(f"figures written to {args.out}")
    return 0 if all(r["passed"] for kind_results in results.values() for r in kind_results) else 1


if __name__ == "__main__":
    sys.exit(main())
