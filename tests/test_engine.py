"""The local engine: per-article stages on worker processes give what they give in this process."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from parallax.annotate import AnnotateOptions
from parallax.clean import CleanOptions
from parallax.engine import ArticleStages, merge_reports, run_article_stages
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
