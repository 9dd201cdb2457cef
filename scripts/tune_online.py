"""Fit online story clustering (`cluster.online.v2`) on the AllSides/NeuS train split.

    .venv/bin/python scripts/tune_online.py --data ../shared/data [--write]

The train split is cut by gold story (a hash of the story id): `--fit-share` of its stories fit the logistic join
model (each article against its candidate stories, the stories built from the gold labels), the others choose
`quiet_days` and the join threshold by B-cubed F1 of the real online pass. (A cut by date would put every
undated lead-only article, 4,840 of 7,345, on one side.) NeuS val, ECB+, NewsWCL50 and the 2021 roundups are then
scored once at the chosen settings: held out, never tuned on. The table goes to eval/results/tune_online.json;
the articles read are cached (pickled, with their texts) under the ignored parallax-cache/ folder; `--write`
stores the chosen parameters in src/parallax/data/cluster_online_v2.json.
"""

from __future__ import annotations

import argparse
import json
import pickle
import time
import zlib
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression

from parallax.evaluate import LabeledSet, evaluate_online, load_labeled
from parallax.online import METHOD, SIGNALS, OnlineClusterer, OnlineOptions, one_blas_thread, stream_order

QUIET_DAYS = (3, 7)
THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)
REGULARISATION = 10.0  # inverse L2 strength of the logistic model (scikit-learn's C); the signals are few
HELD_OUT = {
    "neus_val": ("allsides_neus/articles.jsonl", {"neus_split": "val"}),
    "ecbplus": ("ecbplus/articles.jsonl", None),
    "newswcl50": ("newswcl50/articles.jsonl", None),
    "roundups_2021": ("allsides_roundups_2021/articles.jsonl", None),
}
PARAMETERS = Path("src/parallax/data/cluster_online_v2.json")


def cached(data: Path, name: str, file: str, where: dict[str, str] | None, cache: Path) -> LabeledSet:
    """Read a labeled set once; later runs load the pickled articles (reading is the slow part)."""
    path = cache / f"{name}.pickle"
    if path.is_file():
        labeled: LabeledSet = pickle.loads(path.read_bytes())
        return labeled
    labeled = load_labeled(data / file, where=where)
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(labeled))
    return labeled


def subset(labeled: LabeledSet, name: str, keep: Any) -> LabeledSet:
    """The articles of `labeled` for which `keep(article_id)` holds, with their gold stories."""
    articles = [a for a in labeled.articles if keep(a.id)]
    ids = {a.id for a in articles}
    return LabeledSet(name, articles, {i: s for i, s in labeled.gold.items() if i in ids}, {})


def examples(fitting: LabeledSet, quiet_days: int) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """The signals of every (article, candidate story) met while replaying the gold stories, and whether the
    candidate was the article's own story."""
    clusterer = OnlineClusterer(OnlineOptions(weights=(0.0,) * len(SIGNALS), bias=0.0, quiet_days=quiet_days))
    rows, labels = [], []
    with one_blas_thread():
        for article in stream_order(fitting.articles):
            for is_gold, signals in clusterer.add_labeled(article, fitting.gold[article.id]):
                rows.append(signals)
                labels.append(is_gold)
    return np.array(rows), np.array(labels)


def fit(fitting: LabeledSet, quiet_days: int) -> tuple[list[float], float, int]:
    """Logistic weights and bias of the join model, and how many examples fitted them."""
    rows, labels = examples(fitting, quiet_days)
    model = LogisticRegression(C=REGULARISATION, max_iter=5000)
    model.fit(rows, labels)
    return [round(float(w), 4) for w in model.coef_[0]], round(float(model.intercept_[0]), 4), len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--fit-share", type=float, default=0.6)
    parser.add_argument("--cache", type=Path, default=Path("parallax-cache/tune_online"))
    parser.add_argument("--out", type=Path, default=Path("eval/results/tune_online.json"))
    parser.add_argument("--write", action="store_true", help="store the chosen parameters in the package")
    args = parser.parse_args()
    train = cached(args.data, "neus_train", "allsides_neus/articles.jsonl", {"neus_split": "train"}, args.cache)

    def fits(article_id: str) -> bool:
        story = train.gold.get(article_id, article_id)
        return bool(zlib.crc32(story.encode()) % 100 < args.fit_share * 100)

    fitting = subset(train, "fit", fits)
    choosing = subset(train, "choose", lambda i: not fits(i))
    grid: list[dict[str, Any]] = []
    for quiet_days in QUIET_DAYS:
        weights, bias, count = fit(fitting, quiet_days)
        for threshold in THRESHOLDS:
            options = OnlineOptions(weights=tuple(weights), bias=bias, threshold=threshold, quiet_days=quiet_days)
            started = time.perf_counter()
            scores = evaluate_online(choosing, options)
            row = {"quiet_days": quiet_days, "threshold": threshold, "weights": weights, "bias": bias}
            grid.append({**row, "examples": count, "choose_bcubed_f1": round(scores.bcubed_f1, 4)})
            grid[-1]["seconds"] = round(time.perf_counter() - started, 1)
            print({k: v for k, v in grid[-1].items() if k != "weights"}, flush=True)
    best = max(grid, key=lambda row: row["choose_bcubed_f1"])
    chosen = OnlineOptions(
        weights=tuple(best["weights"]), bias=best["bias"], threshold=best["threshold"], quiet_days=best["quiet_days"]
    )
    held_out = {}
    for name, (file, where) in HELD_OUT.items():
        held_out[name] = evaluate_online(cached(args.data, name, file, where, args.cache), chosen).to_dict()
        print(name, held_out[name], flush=True)
    report = {
        "method": METHOD,
        "signals": list(SIGNALS),
        "fit_articles": len(fitting.articles),
        "choose_articles": len(choosing.articles),
        "grid": grid,
        "chosen": best,
        "held_out_at_chosen": held_out,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if args.write:
        stored = {
            "method": METHOD,
            "signals": list(SIGNALS),
            "weights": best["weights"],
            "bias": best["bias"],
            "threshold": best["threshold"],
            "quiet_days": best["quiet_days"],
            "fitted_on": "allsides_neus train: 60% of its stories fit, the rest choose (scripts/tune_online.py)",
        }
        PARAMETERS.write_text(json.dumps(stored, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: report[k] for k in ("chosen", "held_out_at_chosen")}, indent=1))


if __name__ == "__main__":
    main()
