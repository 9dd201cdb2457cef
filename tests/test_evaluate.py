"""Clustering metrics against hand-computed values, and labeled files read through the real path."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from parallax.cluster import Clustering
from parallax.evaluate import (
    adjusted_rand,
    bcubed,
    evaluate_clustering,
    evaluate_online,
    load_labeled,
    pairwise_f1,
    score_clustering,
)

GOLD = {"a": "1", "b": "1", "c": "2", "d": "2"}


def test_perfect_clustering_scores_one() -> None:
    predicted = {"a": "x", "b": "x", "c": "y", "d": "y"}
    assert bcubed(GOLD, predicted) == (1.0, 1.0, 1.0)
    assert pairwise_f1(GOLD, predicted) == 1.0
    assert adjusted_rand(GOLD, predicted) == pytest.approx(1.0)


def test_one_big_cluster_and_all_singletons() -> None:
    together = dict.fromkeys(GOLD, "x")
    precision, recall, f1 = bcubed(GOLD, together)
    assert (precision, recall) == (0.5, 1.0)
    assert f1 == pytest.approx(2 / 3)
    assert pairwise_f1(GOLD, together) == pytest.approx(2 * (2 / 6) / (1 + 2 / 6))
    apart = {k: k for k in GOLD}
    assert bcubed(GOLD, apart)[:2] == (1.0, 0.5)
    assert pairwise_f1(GOLD, apart) == 0.0


def test_only_items_in_both_are_scored() -> None:
    assert bcubed(GOLD, {"a": "x", "b": "x"}) == (1.0, 1.0, 1.0)
    assert bcubed(GOLD, {}) == (0.0, 0.0, 0.0)


def records() -> list[dict[str, object]]:
    flood = "Heavy rain flooded the river town of Brenford on Monday. Rescue teams evacuated four hundred residents."
    budget = "Parliament approved the annual budget bill on Thursday. The finance minister praised the vote."
    return [
        {"id": "1", "title": "Floods", "text": flood, "story": "s1", "labels": {"split": "val"}},
        {"id": "2", "title": "Brenford floods", "text": flood.replace("Monday", "Monday night"), "story": "s1",
         "labels": {"split": "val"}},
        {"id": "3", "title": "Budget passes", "text": budget, "story": "s2", "labels": {"split": "val"}},
        {"id": "4", "title": "Budget", "text": budget, "story": "s2", "labels": {"split": "train"}},
        {"id": "5", "title": "No text", "text": "", "story": "s3", "labels": {"split": "val"}},
        {"id": "6", "title": "Unlabeled", "text": budget + " More.", "story": None, "labels": {"split": "val"}},
    ]  # fmt: skip


def test_load_labeled_filters_reads_and_counts_drops(tmp_path: Path) -> None:
    path = tmp_path / "set" / "articles.jsonl.gz"
    path.parent.mkdir()
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write("\n".join(json.dumps(r) for r in records()))
    labeled = load_labeled(path, where={"split": "val"})
    assert labeled.name == "set"
    assert len(labeled.articles) == 4  # record 5 has no text, record 4 is train
    assert labeled.dropped == {"missing_text": 1}
    assert sorted(labeled.gold.values()) == ["s1", "s1", "s2"]  # the unlabeled record is read, not scored
    assert len(load_labeled(path, limit=2).articles) == 2


def test_evaluate_clustering_on_a_small_labeled_file(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records()[:4]), encoding="utf-8")
    scores = evaluate_clustering(load_labeled(path))
    assert scores.bcubed_f1 == 1.0
    assert (scores.articles, scores.gold_stories, scores.predicted_stories) == (4, 2, 2)
    assert set(scores.to_dict()) >= {"bcubed_f1", "pairwise_f1", "adjusted_rand", "seconds"}


def test_evaluate_online_streams_scores_and_measures(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records()[:4]), encoding="utf-8")
    scores = evaluate_online(load_labeled(path), trace_memory=True)
    assert scores.bcubed_f1 == 1.0
    assert (scores.articles, scores.gold_stories, scores.predicted_stories) == (4, 2, 2)
    assert scores.method == "cluster.online.v2"
    assert scores.articles_per_second > 0 and scores.peak_memory_mb > 0
    assert scores.to_dict()["method"] == "cluster.online.v2"


def test_score_clustering_counts_what_it_was_given(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records()[:4]), encoding="utf-8")
    labeled = load_labeled(path)
    together = Clustering([[a.id for a in labeled.articles]], method="m")
    scores = score_clustering(labeled, together, seconds=2.0)
    assert (scores.bcubed_precision, scores.bcubed_recall) == (0.5, 1.0)
    assert scores.predicted_stories == 1 and scores.method == "m"
    assert scores.articles_per_second == 2.0  # four articles in two seconds
