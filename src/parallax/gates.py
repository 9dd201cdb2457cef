"""The evaluation gates: quality on real labeled data, held to pinned floors, on pinned data.

    python -m parallax.gates --data ../shared/data

`eval/gates.json` names each gate: the labeled file (relative to `--data`), its SHA-256, an optional record
filter, the floors each metric must reach, and the published reference figures for comparison. A gate fails
when a metric falls under its floor or when the data file's hash differs from the pinned one (the figures would
no longer be comparable: re-measure and re-pin on purpose). The measured figures are written to
`eval/results/latest.json`. The exit code is 0 when every gate passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from parallax.evaluate import evaluate_clustering, load_labeled
from parallax.model import file_hash

__all__ = ["main", "run_gates"]

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG = ROOT / "eval" / "gates.json"
DEFAULT_OUT = ROOT / "eval" / "results" / "latest.json"


def _run_gate(gate: dict[str, Any], data: Path) -> dict[str, Any]:
    path = data / gate["file"]
    result: dict[str, Any] = {"name": gate["name"], "file": gate["file"], "passed": False, "failures": []}
    if not path.is_file():
        result["failures"].append(f"data file not found: {path}")
        return result
    sha = file_hash(path)
    if sha != gate["sha256"]:
        result["failures"].append(f"{path} changed (sha256 {sha[:12]}…, pinned {gate['sha256'][:12]}…)")
        return result
    started = time.perf_counter()
    labeled = load_labeled(path, where=gate.get("where"))
    scores = evaluate_clustering(labeled).to_dict()
    result["metrics"] = scores
    result["dropped"] = labeled.dropped
    result["seconds"] = round(time.perf_counter() - started, 2)
    result["reference"] = gate.get("reference", {})
    for metric, floor in gate["floors"].items():
        if scores[metric] < floor:
            result["failures"].append(f"{metric} {scores[metric]:.4f} is under its floor {floor:.4f}")
    result["passed"] = not result["failures"]
    return result


def run_gates(data: Path, config: Path = DEFAULT_CONFIG, only: str | None = None) -> list[dict[str, Any]]:
    """Run every gate of `config` (or the one named `only`) on the labeled data under `data`."""
    gates = json.loads(config.read_text(encoding="utf-8"))["clustering"]
    return [_run_gate(gate, data) for gate in gates if only is None or gate["name"] == only]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m parallax.gates", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder of the labeled data (../shared/data)")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="gates file (eval/gates.json)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the measured figures")
    parser.add_argument("--only", help="run only the gate with this name")
    args = parser.parse_args(argv)
    results = run_gates(args.data, args.config, args.only)
    if not results:
        print(f"no gate named {args.only!r} in {args.config}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"clustering": results}, indent=2) + "\n", encoding="utf-8")
    for result in results:
        status = "pass" if result["passed"] else "FAIL"
        metrics = result.get("metrics", {})
        shown = ("bcubed_f1", "pairwise_f1", "adjusted_rand")
        figures = ", ".join(f"{k} {metrics[k]:.4f}" for k in shown if k in metrics)
        reference = result.get("reference", {}).get("bcubed_f1")
        note = f" (reference bcubed_f1 {reference})" if reference else ""
        print(f"[{status}] clustering/{result['name']}: {figures}{note}")
        for failure in result["failures"]:
            print(f"       {failure}")
    print(f"figures written to {args.out}")
    return 0 if all(r["passed"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
