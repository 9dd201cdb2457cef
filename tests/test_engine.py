"""The local engine: per-article stages on worker processes give what they give in this process."""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from parallax.annotate import AnnotateOptions
from parallax.clean import CleanOptions
from parallax.engine import ArticleStages, merge_reports, run_article_stages, run_in_order
from parallax.extract import ExtractOptions
from parallax.model import Article
from parallax.read import Reader
from parallax.serialize import article_to_dict

STAGES = ArticleStages(CleanOptions(), None, ExtractOptions(), AnnotateOptions())


def batch(example_dir: Path, copies: int) -> list[Article]:
    """The example's articles many times over, each copy its own article, and one that cleans to nothing."""
    originals = list(Reader([example_dir]))
    articles = []
    for n in range(copies):
        for original in originals:
            text = original.text.replace("Azerbaijan", f"Azerbaijan ({n})", 1)
            articles.append(replace(original, id=f"{original.id}-{n}", raw_text=text, text=text))
    articles.insert(7, Article("empty", "empty.txt", "0" * 64, "   \n  ", text="   \n  "))
    return articles


def test_workers_give_the_same_articles_and_counts_as_one_process(example_dir: Path) -> None:
    articles = batch(example_dir, copies=6)
    alone, alone_reports = run_article_stages(articles, STAGES, workers=1)
    pooled, pooled_reports = run_article_stages(articles, STAGES, workers=2, chunk_size=4, min_batch=2)
    assert [article_to_dict(a) for a in pooled] == [article_to_dict(a) for a in alone]
    assert len(alone) == len(articles) - 1  # the empty one is dropped, with its reason, in both
    for one, many in zip(alone_reports, pooled_reports, strict=True):
        assert (one.stage, one.seen, one.kept, one.dropped, one.counts) == (
            many.stage,
            many.seen,
            many.kept,
            many.dropped,
            many.counts,
        )
        assert [d.source for d in one.dropped_items] == [d.source for d in many.dropped_items]
    assert sum(r.dropped.total() for r in pooled_reports) == 1
    assert pooled_reports[-1].counts["quotes"] > 0


def test_small_batches_stay_in_process_and_workers_must_be_positive(example_dir: Path) -> None:
    articles = batch(example_dir, copies=1)
    kept, reports = run_article_stages(articles, STAGES, workers=8)  # below min_batch: no pool is started
    assert len(kept) == len(articles) - 1 and [r.stage for r in reports] == ["clean", "extract", "annotate"]
    with pytest.raises(ValueError, match="workers must be >= 1"):
        run_article_stages(articles, STAGES, workers=0)


def test_merged_reports_sum_stage_by_stage(example_dir: Path) -> None:
    articles = batch(example_dir, copies=2)
    _, first = run_article_stages(articles[:5], STAGES, workers=1)
    _, second = run_article_stages(articles[5:], STAGES, workers=1)
    _, whole = run_article_stages(articles, STAGES, workers=1)
    merged = merge_reports([first, second])
    assert [(r.seen, r.kept, dict(r.counts)) for r in merged] == [(r.seen, r.kept, dict(r.counts)) for r in whole]


def test_annotated_articles_cross_processes_unchanged(example_dir: Path) -> None:
    [kept, _] = run_article_stages(batch(example_dir, copies=1), STAGES, workers=1)
    assert all(a.entities and a.sentences for a in kept)
    assert pickle.loads(pickle.dumps(kept, protocol=5)) == kept  # compact_pickle keeps every field


def _scaled_in_worker(factor: int, item: int) -> tuple[int, int]:
    return item * factor, os.getpid()


def test_run_in_order_runs_on_workers_and_keeps_input_order() -> None:
    results = list(run_in_order(_scaled_in_worker, 3, range(40), workers=2))
    assert [value for value, _ in results] == [3 * n for n in range(40)]
    assert os.getpid() not in {pid for _, pid in results}


def test_run_in_order_reads_its_input_only_a_few_items_ahead() -> None:
    pulled: list[int] = []

    def items() -> Iterator[int]:
        for n in range(30):
            pulled.append(n)
            yield n

    results = run_in_order(_scaled_in_worker, 1, items(), workers=2, pending=4)
    assert next(results)[0] == 0
    assert len(pulled) == 4  # the first result is taken once four items are pending, not after all thirty
    assert [value for value, _ in results] == list(range(1, 30))
    with pytest.raises(ValueError, match="workers must be >= 1"):
        next(run_in_order(_scaled_in_worker, 1, [1], workers=0))
