"""Tune story clustering on the AllSides/NeuS train split; report the chosen settings on held-out data.

    .venv/bin/python scripts/tune_cluster.py --data ../shared/data [--train-limit 3000]

Settings are chosen on train only (B-cubed F1); validation, ECB+ and NewsWCL50 are reported, never tuned on.
The table goes to eval/results/tune_cluster.json; move the defaults in `parallax.cluster.ClusterOptions` and the
floors in eval/gates.json by hand, after reading it.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict
from pathlib import Path

from parallax.cluster import DEFAULT_OPTIONS, ClusterOptions
from parallax.evaluate import LabeledSet, evaluate_clustering, load_labeled

THRESHOLDS = (0.15, 0.175, 0.2, 0.225, 0.25, 0.275, 0.3)
SENTENCE_WEIGHTS = (0.0, 0.3, 0.5)


def score(labeled: LabeledSet, options: ClusterOptions) -> float:
    return evaluate_clustering(labeled, options).bcubed_f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--train-limit", type=int, default=3000, help="first N train articles (time is quadratic)")
    parser.add_argument("--out", type=Path, default=Path("eval/results/tune_cluster.json"))
    args = parser.parse_args()
    neus = args.data / "allsides_neus" / "articles.jsonl"
    train = load_labeled(neus, where={"neus_split": "train"}, limit=args.train_limit)
    held_out = {
        "neus_val": load_labeled(neus, where={"neus_split": "val"}),
        "ecbplus": load_labeled(args.data / "ecbplus" / "articles.jsonl"),
        "newswcl50": load_labeled(args.data / "newswcl50" / "articles.jsonl"),
    }
    grid = []
    for weight in SENTENCE_WEIGHTS:
        for threshold in THRESHOLDS:
            options = ClusterOptions(
                threshold=threshold, window_days=DEFAULT_OPTIONS.window_days, sentence_weight=weight
            )
            started = time.perf_counter()
            grid.append(
                {
                    **asdict(options),
                    "train_bcubed_f1": round(score(train, options), 4),
                    "seconds": round(time.perf_counter() - started, 1),
                }
            )
            print(grid[-1], flush=True)
    best = max(grid, key=lambda row: row["train_bcubed_f1"])
    chosen = {name: best[name] for name in asdict(DEFAULT_OPTIONS)}
    report = {
        "train_articles": len(train.articles),
        "grid": grid,
        "best_on_train": best,
        "held_out_at_best": {n: round(score(s, ClusterOptions(**chosen)), 4) for n, s in held_out.items()},
        "defaults": asdict(DEFAULT_OPTIONS),
        "held_out_at_defaults": {n: round(score(s, DEFAULT_OPTIONS), 4) for n, s in held_out.items()},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: report[k] for k in ("best_on_train", "held_out_at_best", "held_out_at_defaults")}, indent=2))


if __name__ == "__main__":
    main()
