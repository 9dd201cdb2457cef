"""Where the per-article stages run: in this process, or on a pool of local worker processes.

The per-article stages (clean, extract, annotate) keep no state across articles beyond their counts, so a batch
can be cut into chunks and each chunk run by a fresh copy of the stages in another process; the chunks come back
in order and their stage reports are summed. What a stage does does not change with where it runs: a test checks
that one worker and several give the same articles and the same counts.

    stages = ArticleStages(CleanOptions(), templates, ExtractOptions(), AnnotateOptions())
    articles, reports = run_article_stages(read, stages, workers=2)

Workers are forked processes (`concurrent.futures.ProcessPoolExecutor`); starting them costs tens of milliseconds,
so batches smaller than `min_batch` run in this process whatever `workers` says.

The per-story work of `pipeline.build_stories` (passages, families, comparison, summary) runs on the same kind of
pool through `run_in_order`: a task over a stream of items, results in input order, with a bounded number of
items pending, so that the caller can load each item's data only when a worker is about to need it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from parallax.annotate import Annotate, AnnotateOptions
from parallax.boilerplate import TemplateLines
from parallax.clean import Clean, CleanOptions
from parallax.extract import Extract, ExtractOptions
from parallax.model import Article
from parallax.stages import Stage, StageReport

__all__ = ["ArticleStages", "default_workers", "merge_reports", "run_article_stages", "run_in_order"]

Context = TypeVar("Context")
Item = TypeVar("Item")
Result = TypeVar("Result")

CHUNK_SIZE = 64
"""Articles sent to a worker at a time: large enough that pickling is a small share, small enough to balance."""
MIN_BATCH = 256
"""Below this many articles the pool costs more than it saves."""


def default_workers() -> int:
    """The worker processes used when none are asked for: one per CPU this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(slots=True, frozen=True)
class ArticleStages:
    """The settings that make the per-article stages, so that every worker can build its own copy."""

    clean: CleanOptions
    templates: TemplateLines | None
    extract: ExtractOptions
    annotate: AnnotateOptions

    def build(self) -> list[Stage]:
        """Fresh stages in pipeline order: clean, extract, annotate."""
        return [Clean(self.clean, templates=self.templates), Extract(self.extract), Annotate(self.annotate)]


def _run_chunk(stages: ArticleStages, articles: list[Article]) -> tuple[list[Article], list[StageReport]]:
    built = stages.build()
    flow: Iterable[Article] = articles
    for stage in built:
        flow = stage(flow)
    return list(flow), [stage.report for stage in built]


_WORKER_STAGES: ArticleStages | None = None
"""The stage settings of this worker process (set once by `_start_worker`, not sent with every chunk)."""


def _start_worker(stages: ArticleStages) -> None:
    global _WORKER_STAGES  # noqa: PLW0603 - one per worker process, set by the pool's initializer
    _WORKER_STAGES = stages


def _worker_pool(workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> ProcessPoolExecutor:
    """`workers` forked processes (where the platform forks), each set up once by `initializer(*initargs)`."""
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=initializer, initargs=initargs)


def _run_worker_chunk(articles: list[Article]) -> tuple[list[Article], list[StageReport]]:
    assert _WORKER_STAGES is not None, "worker started without its stages"
    return _run_chunk(_WORKER_STAGES, articles)


def merge_reports(parts: Sequence[Sequence[StageReport]]) -> list[StageReport]:
    """Sum the reports of the same stages run over several chunks (stage by stage, in order)."""
    merged: list[StageReport] = []
    for reports in parts:
        if not merged:
            merged = [StageReport(report.stage) for report in reports]
        for total, report in zip(merged, reports, strict=True):
            total.seen += report.seen
            total.kept += report.kept
            total.dropped.update(report.dropped)
            total.dropped_items.extend(report.dropped_items)
            total.seconds += report.seconds
            total.counts.update(report.counts)
    return merged


def run_article_stages(
    articles: Sequence[Article],
    stages: ArticleStages,
    *,
    workers: int | None = None,
    chunk_size: int = CHUNK_SIZE,
    min_batch: int = MIN_BATCH,
) -> tuple[list[Article], list[StageReport]]:
    """Run the per-article stages over `articles` on `workers` processes (None: one per CPU); return the articles
    kept, in input order, and one summed report per stage."""
    workers = default_workers() if workers is None else workers
    if workers < 1:
        raise ValueError(f"workers must be >= 1, not {workers}")
    if workers == 1 or len(articles) < max(min_batch, 2):
        kept, reports = _run_chunk(stages, list(articles))
        return kept, reports
    chunks = [list(articles[i : i + chunk_size]) for i in range(0, len(articles), chunk_size)]
    with _worker_pool(min(workers, len(chunks)), _start_worker, (stages,)) as pool:
        results = list(pool.map(_run_worker_chunk, chunks))
    return [article for kept, _ in results for article in kept], merge_reports([r for _, r in results])


_WORKER_TASK: tuple[Callable[[Any, Any], Any], Any] | None = None
"""The task of this `run_in_order` worker process and its context (set once by `_start_task_worker`)."""


def _start_task_worker(task: Callable[[Any, Any], Any], context: Any) -> None:
    global _WORKER_TASK  # noqa: PLW0603 - one per worker process, set by the pool's initializer
    _WORKER_TASK = (task, context)
    # The fork shares the parent's objects page by page; a collection would write to every one of them (the
    # collector's bookkeeping lives in each object) and so copy the parent's whole heap into this worker.
    gc.freeze()


def _run_task(item: Any) -> Any:
    assert _WORKER_TASK is not None, "worker started without its task"
    task, context = _WORKER_TASK
    return task(context, item)


def run_in_order(
    task: Callable[[Context, Item], Result],
    context: Context,
    items: Iterable[Item],
    *,
    workers: int,
    pending: int | None = None,
) -> Iterator[Result]:
    """Yield `task(context, item)` for each of `items`, in input order, computed on `workers` forked processes.

    `task` must be a top-level function; `context` reaches each worker once, at its start. At most `pending` items
    (default: four per worker) are submitted and not yet yielded, so `items` is read only as fast as the workers
    go: a lazy iterable is never all in memory."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1, not {workers}")
    limit = max(1, pending if pending is not None else 4 * workers)
    with _worker_pool(workers, _start_task_worker, (task, context)) as pool:
        queued: deque[Future[Result]] = deque()
        for item in items:
            queued.append(pool.submit(_run_task, item))
            if len(queued) >= limit:
                yield queued.popleft().result()
        while queued:
            yield queued.popleft().result()
