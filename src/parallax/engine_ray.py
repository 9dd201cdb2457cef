"""The Ray engine (method `engine.ray.v1`): the same analysis as `parallax.pipeline`, its heavy passes run by
Ray Data on a local Ray or a cluster (the `distributed` extra: `pip install 'parallax-news[distributed]'`).

How a run flows (`analyze_on_ray`):

1. read (`parallax.ray_read`): the inputs are cut into shards, one per file (JSON Lines, WARC, text, HTML,
   Parquet...), and a worker reads each with the project's `Reader`; each shard also counts its new articles'
   short lines, and the driver sums those counts into the outlets' template lines (stored as locally);
2. per-article stages: clean → extract → annotate (`engine.ArticleStages`, the same code as a local run) and the
   near-duplicate signatures, as a `map_batches` over the read articles; the driver puts the articles back in
   input order and sums the stage reports (`engine.merge_reports`);
3. exact duplicates and the store: `pipeline.store_batch`, the local code, on the driver (it holds the store);
4. near duplicates (`parallax.ray_neardup`): band buckets → candidate pairs → verified pairs → components, as
   staged passes over Ray Data, against the rows the store already indexed;
5. stories (`build_stories_on_ray`): `pipeline.build_stories` on the driver clusters the stored articles as a
   local run does (the batch method, or the online one above `ClusterOptions.max_batch_articles`), then each
   story's own analysis (`pipeline.analyze_story`: shared passages, source families, comparison, summary) runs
   as a `map_batches` over rows of stories with their articles (`parallax.serialize` dicts as JSON), in windows
   of about `STORY_ARTICLES_PER_WINDOW` articles loaded from the store as they go; the stories come back in
   order and the driver links storylines and stores them;
6. outputs: the store (through the same `ArticleStore` methods as a local run), the report files, and
   articles.parquet, near_duplicates.parquet and stories.parquet (`parallax.ray_parquet`).

Same input, same results as `--engine local`: the same articles, exact and near duplicates, template lines,
source families and stories (ids, facts and summaries included) at every size: the stories are clustered by the
local code itself. Documented differences: Parquet files are read only here; stage reports count the passes' own
intermediates.

The driver holds the store and every article once (as a local run does); workers need parallax installed and
the input files at the same paths (a shared file system) when they run on other machines.

    with ray_session(RayOptions(address="ray://head:10001")), Store.open("parallax.db") as store:
        report = analyze_on_ray(["shards/"], store)
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from parallax.boilerplate import TemplateLines
from parallax.engine import ArticleStages, merge_reports
from parallax.errors import MissingDependencyError
from parallax.model import Article, Story
from parallax.neardup import IndexedArticle, NearDuplicateIndex, NearDuplicateOptions
from parallax.pipeline import (
    NEARDUP_KEY,
    IngestReport,
    Options,
    ProcessedBatch,
    Progress,
    Report,
    analyze_story,
    build_stories,
    chunk_stories,
    finish_ingest,
    store_batch,
    stored_stories,
    stored_template_lines,
    update_stories,
)
from parallax.ray_neardup import near_duplicate_passes
from parallax.ray_parquet import write_parquet_outputs
from parallax.ray_read import (
    ReadPlan,
    StagePlan,
    collect_articles,
    collect_read,
    dataset_from_rows,
    plan_shards,
    process_dataset,
    read_dataset,
    shard_rows,
)
from parallax.serialize import article_from_dict, article_to_dict, story_from_dict, story_to_dict
from parallax.stages import StageReport
from parallax.store_protocol import ArticleStore

__all__ = [
    "METHOD",
    "RayOptions",
    "analyze_on_ray",
    "analyze_stories_on_ray",
    "build_stories_on_ray",
    "ingest_on_ray",
    "ray_session",
    "require_ray",
    "update_stories_on_ray",
    "write_parquet",
]

METHOD = "engine.ray.v1"
STORY_ARTICLES_PER_WINDOW = 2_000
"""Member articles of the stories sent to Ray in one Ray Data pass: what the driver holds at a time (an article is
about 20 KB of JSON on the bundled example), and few passes (each has a start-up cost) on a large corpus."""
STORIES_PER_BATCH = 8
"""Stories per `map_batches` call: most stories have a few articles, so a batch is a few dozen articles (as
`engine.CHUNK_SIZE`); a window is cut into four blocks per CPU so that one large story does not hold up the rest."""


@dataclass(slots=True, frozen=True)
class RayOptions:
    """Where Ray runs. `address`: None starts a Ray inside this process's machine (or uses the one already
    started), "auto" joins the cluster this machine is part of, "ray://HOST:10001" reaches a cluster's head
    through Ray Client. `num_cpus` and `object_store_memory` (bytes) size a Ray started here."""

    address: str | None = None
    num_cpus: int | None = None
    object_store_memory: int | None = None
    shuffle_strategy: str = "sort_shuffle_pull_based"
    """Ray Data's group-by strategy. The sort-based one runs in the task workers, which have parallax imported
    already; the hash-based ones start aggregator actors for each group-by, which import it again (the test
    sample, 304 articles on 2 CPUs: 21 s with this, 41 s with Ray's default `shuffle_v2`)."""


def require_ray() -> None:
    """Raise MissingDependencyError with the install hint unless Ray Data can be imported."""
    try:
        import ray
        import ray.data
    except ImportError as error:
        raise MissingDependencyError("The Ray engine (--engine ray)", "distributed", "ray[data]") from error
    del ray


@contextmanager
def ray_session(options: RayOptions | None = None) -> Iterator[None]:
    """Start (or join) Ray for the block and shut it down after, unless it was already running."""
    require_ray()
    import ray
    import ray.data

    options = options or RayOptions()
    started = not ray.is_initialized()
    if started:
        ray.init(
            address=options.address,
            num_cpus=options.num_cpus,
            object_store_memory=options.object_store_memory,
            include_dashboard=False,
            log_to_driver=False,
            logging_level=logging.WARNING,
        )
    from ray.data.context import ShuffleStrategy

    context = ray.data.DataContext.get_current()
    before = (context.enable_progress_bars, context.shuffle_strategy)
    context.enable_progress_bars = False
    context.shuffle_strategy = ShuffleStrategy(options.shuffle_strategy)
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    try:
        yield
    finally:
        context.enable_progress_bars, context.shuffle_strategy = before
        if started:
            ray.shutdown()


def _rows(batch: dict[str, list[Any]]) -> list[dict[str, Any]]:
    return [dict(zip(batch, values, strict=True)) for values in zip(*batch.values(), strict=True)]


def _neardup_options(store: ArticleStore, options: NearDuplicateOptions) -> NearDuplicateOptions:
    """The options of the store's index when it has one (as the local pass continues it), else `options`."""
    header = store.learned(NEARDUP_KEY)
    return NearDuplicateIndex.from_entries(header, []).options if header else options


def _near_duplicate_pass(entries: dict[str, IndexedArticle]) -> Any:
    """The pipeline's near-duplicate step, run as staged passes over Ray with the signatures made in step 2."""

    def run(store: ArticleStore, new_articles: list[Article], options: NearDuplicateOptions) -> StageReport:
        header = store.learned(NEARDUP_KEY)
        index = NearDuplicateIndex.from_entries(header, []) if header else NearDuplicateIndex(options)
        new = [entries[a.id] for a in new_articles]
        # Only the stored rows sharing an LSH bucket with a new article can pair with one (as in the local pass).
        stored = list(store.neardup_entries({b for e in new for b in e.buckets})) if header else []
        result = near_duplicate_passes(stored, new, index.options)
        store.add_neardup_entries(new)
        store.add_near_duplicates(result.pairs, index.method)
        store.set_learned(NEARDUP_KEY, index.header)
        return result.report

    return run


def ingest_on_ray(
    paths: Sequence[str | Path],
    store: ArticleStore,
    options: Options | None = None,
    *,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """`pipeline.ingest` on Ray (inside `ray_session`): the same articles, duplicates and pairs in `store`."""
    import ray

    options = options or Options()
    # Ray reads the whole input at once (the local engine reads it in chunks of `Options.ingest_chunk`), and
    # each worker learns template lines only from articles the store does not hold.
    stored_ids = store.article_ids()
    shards = plan_shards(paths, options.read)
    plan = ReadPlan(options.read, options.templates, ray.put(stored_ids), str(Path.cwd()))
    read = read_dataset(shards, plan)
    on_driver = [_rows(shard_rows(s, plan, stored_ids, stdin)) for s in shards if s.kind == "driver"]
    driver_rows = [row for rows in on_driver for row in rows]
    worker_rows = read.filter(lambda row: row["kind"] != "article").take_all() if read is not None else []
    read_rows = collect_read(worker_rows, [row for row in driver_rows if row["kind"] != "article"])
    templates = stored_template_lines(store, read_rows.templates or TemplateLines(options.templates))
    stages = ArticleStages(options.clean, templates, options.extract, options.annotate)
    neardup = _neardup_options(store, options.neardup)
    articles = _article_rows(read, [row for row in driver_rows if row["kind"] == "article"])
    processed = process_dataset(articles, StagePlan(ray.put(stages), neardup)).take_all() if articles else []
    collected = collect_articles(processed, progress)
    reports = merge_reports(collected.reports) if collected.reports else [s.report for s in stages.build()]
    batch = ProcessedBatch(read_rows.raw_inputs, collected.articles, reports)
    store.add_rejects(read_rows.report.dropped_items)
    stored_batch = store_batch(store, batch, options, near_duplicates=_near_duplicate_pass(collected.entries))
    return finish_ingest(paths, store, [read_rows.report], [stored_batch])


def _article_rows(read: Any, driver_rows: list[dict[str, Any]]) -> Any:
    """The read articles, from the workers' shards and the driver's, as one dataset (None when there are none)."""

    parts = []
    if read is not None:
        parts.append(read.filter(lambda row: row["kind"] == "article"))
    if driver_rows:
        parts.append(dataset_from_rows(driver_rows))
    if not parts:
        return None
    return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]


def _analyze_batch(batch: dict[str, Any], options: Any) -> dict[str, Any]:
    import ray

    settings: Options = ray.get(options)
    analyzed = []
    for story, members in zip(batch["story"], batch["members"], strict=True):
        articles = [article_from_dict(a) for a in json.loads(members)]
        result = analyze_story(story_from_dict(json.loads(story)), articles, settings)
        analyzed.append(json.dumps(story_to_dict(result)))
    return {"seq": list(batch["seq"]), "story": analyzed}


def _analyze_window(window: list[tuple[Story, list[Article]]], options: Any) -> list[Story]:
    """One Ray Data pass of `analyze_story` over `window`; the stories in the window's order."""
    import ray
    import ray.data

    # The raw text stays behind: no per-story step reads it, and it is often most of an article's size.
    rows = [
        {
            "seq": seq,
            "story": json.dumps(story_to_dict(story)),
            "members": json.dumps([article_to_dict(a) for a in members]),
        }
        for seq, (story, members) in enumerate(window)
    ]
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))  # type: ignore[no-untyped-call]
    dataset = ray.data.from_items(rows, override_num_blocks=min(len(rows), 4 * cpus))
    done = dataset.map_batches(partial(_analyze_batch, options=options), batch_size=STORIES_PER_BATCH).take_all()
    return [story_from_dict(json.loads(row["story"])) for row in sorted(done, key=lambda row: int(row["seq"]))]


def analyze_stories_on_ray(items: Iterable[tuple[Story, list[Article]]], options: Options) -> Iterator[Story]:
    """The `pipeline.StoryAnalyzer` of the Ray engine (inside `ray_session`): `analyze_story` as Ray Data passes
    over windows of `STORY_ARTICLES_PER_WINDOW` articles, read from `items` one window at a time; the stories in
    input order."""
    import ray

    settings = ray.put(options)
    for window in chunk_stories(items, STORY_ARTICLES_PER_WINDOW):
        yield from _analyze_window(window, settings)


def build_stories_on_ray(
    store: ArticleStore, options: Options | None = None, *, progress: Progress | None = None
) -> tuple[list[str], StageReport]:
    """`pipeline.build_stories` (inside `ray_session`) with each story's analysis run on Ray: the same stories,
    clustered on the driver as locally, and the same facts and summaries."""
    return build_stories(store, options, progress=progress, analyze=analyze_stories_on_ray)


def update_stories_on_ray(
    store: ArticleStore, options: Options | None = None, *, progress: Progress | None = None
) -> tuple[list[str], StageReport]:
    """`pipeline.update_stories` (inside `ray_session`) with each story's analysis run on Ray."""
    return update_stories(store, options, progress=progress, analyze=analyze_stories_on_ray)


def analyze_on_ray(
    paths: Sequence[str | Path],
    store: ArticleStore,
    options: Options | None = None,
    *,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
) -> Report:
    """`pipeline.analyze` on Ray (inside `ray_session`): ingest, rebuild the stories, return the whole store's
    report."""
    ingested = ingest_on_ray(paths, store, options, stdin=stdin, progress=progress)
    story_ids, story_report = build_stories_on_ray(store, options, progress=progress)
    return Report(store.articles(), stored_stories(store, story_ids), [*ingested.stages, story_report], ingested)


def write_parquet(report: Report, store: ArticleStore, out_dir: str | Path) -> list[Path]:
    """Write articles.parquet, near_duplicates.parquet and stories.parquet of `report` into `out_dir`."""
    return write_parquet_outputs(report.articles, store.near_duplicates(), report.stories, out_dir)
