"""Tune the neutral summary's settings on the AllSides/NeuS train split; report the chosen settings on val once.

    .venv/bin/python scripts/tune_summary.py --data ../shared/data/allsides_neus [--train-limit 800]
    .venv/bin/python scripts/tune_summary.py --data ../shared/data/allsides_neus --corroboration-first


Settings are chosen on train only, by coordinate ascent (two rounds over each setting's values, the others held)
on the mean of ROUGE-1/2/L F1 against the roundups. `loaded` and `attribution` are not tuned: they are what makes
the summary neutral rather than what makes it resemble the roundup, so their train cost in ROUGE and their effect
on the loaded-term share are reported instead (`neutrality_tradeoff`). Validation is scored once, with the chosen
settings, and never read while choosing.

ROUGE against a roundup rewards the lead: tuned freely, `position` outweighs `corroboration` and the summary
becomes each outlet's first sentences, whatever the others confirm. `--corroboration-first` keeps the first run's
other settings (read from `--out`) and searches (position, corroboration) pairs on train with corroboration at
least `FIRST_FACTOR` times position, so that a fact one more independent family states (a third of a NeuS story's
families) outranks any difference in position; it adds its trials, choice and val figures under
`corroboration_first`. The table goes to eval/results/tune_summary.json; move the defaults in
`parallax.summarize.SummaryOptions` by hand, after reading it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from rouge_score import rouge_scorer

from parallax.evaluate_compare import NeusStory, load_neus_stories, score_stories
from parallax.loaded import loaded_share
from parallax.summarize import DEFAULT_OPTIONS, SummaryOptions, summarize

GRID: dict[str, tuple[Any, ...]] = {
    "max_words": (None, 40, 50, 60, 75, 90, 120),
    "max_sentences": (1, 2, 3, 4, 5, 6),
    "position": (0.0, 0.25, 0.5, 1.0, 2.0, 4.0),
    "corroboration": (0.0, 0.5, 1.0, 2.0),
    "quotation": (0.0, 0.25, 0.5, 1.0),
    "max_similarity": (0.3, 0.4, 0.5, 0.7, 1.0),
}
NEUTRALITY: dict[str, tuple[float, ...]] = {"loaded": (0.0, 1.0, 2.0, 4.0, 8.0), "attribution": (0.0, 0.25, 0.5, 1.0)}
ROUNDS = 2
FIRST_FACTOR = 3.0
"""corroboration >= 3 x position: one more family of three (a share of 1/3) outweighs any position gap (at most 1)."""
FIRST_PAIRS = tuple(
    (p, c) for p in (0.25, 0.5, 1.0, 2.0, 4.0) for c in (1.0, 2.0, 4.0, 8.0, 16.0) if c >= FIRST_FACTOR * p
)
SCORER = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)


def objective(stories: list[NeusStory], options: SummaryOptions) -> dict[str, float]:
    """Mean ROUGE-1/2/L F1 of parallax's summaries on `stories`, their mean, words and loaded-term share."""
    rouge: dict[str, list[float]] = {"rouge1": [], "rouge2": [], "rougeL": []}
    texts = []
    for story in stories:
        text = " ".join(s.text for s in summarize(story.comparison, story.articles, options))
        texts.append(text)
        scores = SCORER.score(story.roundup, text)
        for kind, values in rouge.items():
            values.append(scores[kind].fmeasure)
    means = {kind: statistics.fmean(values) for kind, values in rouge.items()}
    return {
        **{k: round(v, 4) for k, v in means.items()},
        "mean_f": round(statistics.fmean(means.values()), 4),
        "words": round(statistics.fmean(len(t.split()) for t in texts), 1),
        "loaded_share": round(loaded_share("\n".join(texts)), 4),
    }


def coordinate_ascent(stories: list[NeusStory], start: SummaryOptions) -> tuple[SummaryOptions, list[dict[str, Any]]]:
    """Two rounds over the grid, each setting moved to its best value with the others held; every trial kept."""
    best, best_score = start, objective(stories, start)["mean_f"]
    trials: list[dict[str, Any]] = []
    for round_no in range(ROUNDS):
        for name, values in GRID.items():
            for value in values:
                candidate = replace(best, **{name: value})
                figures = objective(stories, candidate)
                trials.append({"round": round_no, "setting": name, "value": value, **figures})
                print(f"round {round_no} {name}={value}: {figures}", flush=True)
                if figures["mean_f"] > best_score:
                    best, best_score = candidate, figures["mean_f"]
    return best, trials


def corroboration_first(data: Path, out: Path, train_limit: int | None) -> None:
    """Search corroboration-first (position, corroboration) pairs on train from the first choice; score val once."""
    result = json.loads(out.read_text(encoding="utf-8"))
    start = SummaryOptions(**result["chosen"])
    train = load_neus_stories(data, "train", limit=train_limit)
    trials = []
    for position, corroboration in FIRST_PAIRS:
        figures = objective(train, replace(start, position=position, corroboration=corroboration))
        trials.append({"position": position, "corroboration": corroboration, **figures})
        print(f"position={position} corroboration={corroboration}: {figures}", flush=True)
    best = max(trials, key=lambda trial: trial["mean_f"])
    chosen = replace(start, position=best["position"], corroboration=best["corroboration"])
    result["corroboration_first"] = {
        "factor": FIRST_FACTOR,
        "trials": trials,
        "chosen": asdict(chosen),
        "chosen_train": best,
        "val_with_chosen": score_stories(load_neus_stories(data, "val"), chosen),
    }
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result["corroboration_first"]["chosen"], indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/allsides_neus"))
    parser.add_argument("--train-limit", type=int, default=None, help="first N train stories")
    parser.add_argument("--out", type=Path, default=Path("eval/results/tune_summary.json"))
    parser.add_argument("--corroboration-first", action="store_true", help="constrained search after a first run")
    args = parser.parse_args()
    if args.corroboration_first:
        corroboration_first(args.data, args.out, args.train_limit)
        return
    started = time.perf_counter()
    train = load_neus_stories(args.data, "train", limit=args.train_limit)
    read_seconds = time.perf_counter() - started
    best, trials = coordinate_ascent(train, DEFAULT_OPTIONS)
    tradeoff = [
        {"setting": name, "value": value, **objective(train, replace(best, **{name: value}))}
        for name, values in NEUTRALITY.items()
        for value in values
    ]
    val = score_stories(load_neus_stories(args.data, "val"), best)  # once, with the settings chosen on train
    result = {
        "train_stories": len(train),
        "start": asdict(DEFAULT_OPTIONS),
        "start_train": objective(train, DEFAULT_OPTIONS),
        "chosen": asdict(best),
        "chosen_train": objective(train, best),
        "trials": trials,
        "neutrality_tradeoff": tradeoff,
        "val_with_chosen": val,
        "seconds": {"read_train": round(read_seconds, 1), "total": round(time.perf_counter() - started, 1)},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: result[k] for k in ("chosen", "chosen_train", "seconds")}, indent=2))


if __name__ == "__main__":
    main()
