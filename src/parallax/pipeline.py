"""The whole path, in one direction: read → clean → extract → dedup → store, then cluster → compare → summarize.

`ingest` brings inputs into a store; `build_stories` recomputes the stories of everything stored; `analyze`
does both and returns a `Report` that the renderers write out. Stages never touch the store: this module
moves their outputs into it. Each story's own analysis (`analyze_story`: shared passages, source families,
comparison, summary) needs only the story and its articles, so `build_stories` hands it to a `StoryAnalyzer`:
forked worker processes by default (`parallax.engine`), Ray tasks in `parallax.engine_ray`.

    >>> from parallax import Store, analyze
    >>> with Store.open(":memory:") as store:
    ...     report = analyze(["examples/karabakh-2023"], store)
    >>> len(report.stories)
    2
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from pathlib import Path
from typing import BinaryIO

from parallax.annotate import AnnotateOptions
from parallax.boilerplate import TemplateLines, TemplateOptions, learn_template_lines
from parallax.clean import CleanOptions
from parallax.cluster import DEFAULT_OPTIONS as DEFAULT_CLUSTER_OPTIONS
from parallax.cluster import ClusterOptions, cluster_articles, stories_from_clustering
from parallax.compare import DEFAULT_OPTIONS as DEFAULT_COMPARE_OPTIONS
from parallax.compare import CompareOptions, compare_story
from parallax.dedup import find_exact_duplicates, text_fingerprint
from parallax.engine import CHUNK_SIZE, ArticleStages, default_workers, run_article_stages, run_in_order
from parallax.extract import ExtractOptions
from parallax.families import DEFAULT_FAMILY_OPTIONS, FamilyOptions, source_families
from parallax.model import Article, Story
from parallax.neardup import NearDuplicateIndex, NearDuplicateOptions
from parallax.online import cluster_online
from parallax.passages import DEFAULT_PASSAGE_OPTIONS, PassageOptions, shared_passages_among
from parallax.read import RawInput, Reader, ReadOptions
from parallax.stages import StageReport, dropped_by_reason
from parallax.store_protocol import ArticleStore
from parallax.storylines import StorylineOptions, link_storylines
from parallax.summarize import DEFAULT_OPTIONS as DEFAULT_SUMMARY_OPTIONS
from parallax.summarize import SummaryOptions, summarize

__all__ = [
    "IngestReport",
    "NearDuplicatePass",
    "Options",
    "ProcessedBatch",
    "Report",
    "StoryAnalyzer",
    "analyze",
    "analyze_stories",
    "analyze_story",
    "build_stories",
    "chunk_stories",
    "ingest",
    "store_batch",
    "stored_template_lines",
]

TEMPLATES_KEY = "template_lines"
"""Where the store keeps the template lines learned so far (`Store.learned`)."""
NEARDUP_KEY = "neardup_index"
"""Where the store keeps the near-duplicate index's header (its rows are `Store.neardup_entries`)."""

Progress = Callable[[str], None]
"""Called once per unit of work with a short label (an article's source, a story's title)."""


@dataclass(slots=True, frozen=True)
class Options:
    """Settings of every stage, grouped by stage."""

    read: ReadOptions = field(default_factory=ReadOptions)
    templates: TemplateOptions = field(default_factory=TemplateOptions)
    neardup: NearDuplicateOptions = field(default_factory=NearDuplicateOptions)
    clean: CleanOptions = field(default_factory=CleanOptions)
    extract: ExtractOptions = field(default_factory=ExtractOptions)
    annotate: AnnotateOptions = field(default_factory=AnnotateOptions)
    cluster: ClusterOptions = DEFAULT_CLUSTER_OPTIONS
    passages: PassageOptions = DEFAULT_PASSAGE_OPTIONS
    families: FamilyOptions = DEFAULT_FAMILY_OPTIONS
    compare: CompareOptions = DEFAULT_COMPARE_OPTIONS
    summary: SummaryOptions = DEFAULT_SUMMARY_OPTIONS
    storylines: StorylineOptions = field(default_factory=StorylineOptions)
    workers: int | None = None
    """Processes for the per-article stages and the per-story analysis (`parallax.engine`); None: one per CPU
    (small batches stay in-process)."""


@dataclass(slots=True)
class IngestReport:
    """What one ingest did: stage reports, how many articles were new, and the articles read this time."""

    stages: list[StageReport]
    added: int
    existing: int
    articles: list[Article]

    @property
    def dropped(self) -> dict[str, int]:
        """Drops of every stage, summed by reason."""
        return dropped_by_reason(self.stages)

    @property
    def nothing_read(self) -> bool:
        """True when no input became an article: the only case in which the CLI exits non-zero."""
        return not self.articles

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready view."""
        return {
            "added": self.added,
            "existing": self.existing,
            "articles": len(self.articles),
            "dropped": self.dropped,
            "stages": [stage.to_dict() for stage in self.stages],
        }


@dataclass(slots=True)
class Report:
    """Everything a renderer needs: the articles, the stories built from them, and the stage reports."""

    articles: list[Article]
    stories: list[Story]
    stages: list[StageReport] = field(default_factory=list)
    ingest: IngestReport | None = None


def _tick(items: Iterable[Article], progress: Progress | None) -> Iterator[Article]:
    for item in items:
        if progress is not None:
            progress(item.source)
        yield item


def ingest(
    paths: Sequence[str | Path],
    store: ArticleStore,
    options: Options | None = None,
    *,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Read, clean and extract `paths` ("-" for stdin) into `store`; re-ingesting the same input adds nothing."""
    options = options or Options()
    reader = Reader(paths, options.read, stdin=stdin)
    stored = store.articles()
    read = list(_tick(reader, progress))
    stored_ids = {a.id for a in stored}
    learned = learn_template_lines([a for a in read if a.id not in stored_ids], options.templates)
    templates = stored_template_lines(store, learned)
    per_article = ArticleStages(options.clean, templates, options.extract, options.annotate)
    articles, per_article_reports = run_article_stages(read, per_article, workers=options.workers)
    batch = ProcessedBatch(reader.raw_inputs, articles, [reader.report, *per_article_reports])
    return store_batch(paths, store, batch, stored, options)


@dataclass(slots=True)
class ProcessedBatch:
    """What the read and per-article stages made of one ingest's inputs, wherever they ran (`parallax.engine_ray`
    makes one on a Ray cluster): every input as received, the articles kept in input order, the stage reports."""

    raw_inputs: Sequence[RawInput]
    articles: list[Article]
    stages: list[StageReport]


NearDuplicatePass = Callable[[ArticleStore, list[Article], NearDuplicateOptions], StageReport]
"""Indexes an ingest's new articles, keeps the verified pairs in the store, and reports (`_near_duplicates`)."""


def store_batch(
    paths: Sequence[str | Path],
    store: ArticleStore,
    batch: ProcessedBatch,
    stored: Sequence[Article],
    options: Options,
    *,
    near_duplicates: NearDuplicatePass | None = None,
) -> IngestReport:
    """Mark exact duplicates of `batch` (against the `stored` articles too), keep everything in `store`, and run
    the near-duplicate pass over the new articles (this process's index unless `near_duplicates` is given)."""
    known = {text_fingerprint(a.text): a.id for a in stored if a.duplicate_of is None}
    duplicates = find_exact_duplicates(batch.articles, known)
    for raw in batch.raw_inputs:
        store.add_raw(raw.raw_hash, raw.source, raw.content, raw.size)
    stages = [*batch.stages, duplicates.report]
    for stage in stages:
        store.add_rejects(stage.dropped_items)
    added = store.add_articles(batch.articles)
    new_ids = set(added.added_ids)
    # One input read twice in a batch is one article (one id): index it once.
    unique_new = list({a.id: a for a in batch.articles if a.id in new_ids and a.duplicate_of is None}.values())
    stages.append((near_duplicates or _near_duplicates)(store, unique_new, options.neardup))
    report = IngestReport(stages, added.added, added.existing, batch.articles)
    store.add_run("ingest " + " ".join(str(p) for p in paths), report.to_dict())
    return report


def _near_duplicates(store: ArticleStore, new_articles: list[Article], options: NearDuplicateOptions) -> StageReport:
    """Add the new articles to the stored near-duplicate index and keep the verified pairs they form."""
    started = time.perf_counter()
    report = StageReport("neardup")
    header = store.learned(NEARDUP_KEY)
    index = NearDuplicateIndex.from_entries(header, store.neardup_entries()) if header else NearDuplicateIndex(options)
    pairs = index.add_many((a.id, a.text) for a in new_articles)
    store.add_neardup_entries(index.entry(a.id) for a in new_articles if a.id in index)
    store.add_near_duplicates(pairs, index.method)
    store.set_learned(NEARDUP_KEY, index.header)
    report.seen = report.kept = len(new_articles)
    report.counts["near_duplicate_pairs"] = len(pairs)
    report.seconds = time.perf_counter() - started
    return report


def stored_template_lines(store: ArticleStore, learned: TemplateLines) -> TemplateLines:
    """What the store knows of each outlet's template lines, grown by `learned` (from articles it has not seen)."""
    known = store.learned(TEMPLATES_KEY)
    templates = TemplateLines.from_dict(known).merge(learned) if known else learned
    store.set_learned(TEMPLATES_KEY, templates.to_dict())
    return templates


UNUSED_BY_CLUSTERING = ("raw_text", "removed_lines", "provenance", "quotes", "quantities", "times", "events")
"""Article fields that story clustering and storylines never read (`build_stories` leaves them out)."""

StoryAnalyzer = Callable[[Iterable[tuple[Story, list[Article]]], Options], Iterable[Story]]
"""Runs `analyze_story` over (story, members) pairs, wherever it runs, and yields the analyzed stories in input
order (`analyze_stories` on local worker processes; `parallax.engine_ray` on Ray)."""

MIN_POOLED_STORIES = 16
"""Below this many stories the per-story analysis stays in this process: starting the pool would cost more."""


def analyze_story(story: Story, members: list[Article], options: Options) -> Story:
    """`story` with what its `members` (its articles, in its order) share and say: passages, source families,
    comparison and summary. A pure function of its arguments, so it can run in any process."""
    passages = shared_passages_among(members, options=options.passages)
    families = source_families(members, passages, options.families)
    story = replace(story, passages=passages, families=list(families.families))
    comparison = compare_story(story, members, options.compare, families)
    return replace(
        story,
        facts=comparison.facts,
        divergences=comparison.divergences,
        omissions=comparison.omissions,
        framing=comparison.framing,
        summary=summarize(comparison, members, options.summary),
    )


def _analyze_chunk(options: Options, chunk: list[tuple[Story, list[Article]]]) -> list[Story]:
    return [analyze_story(story, members, options) for story, members in chunk]


def chunk_stories(
    items: Iterable[tuple[Story, list[Article]]], articles: int
) -> Iterator[list[tuple[Story, list[Article]]]]:
    """Consecutive (story, members) pairs, grouped until a group has `articles` members (a larger story is a
    group alone); read lazily, one group ahead."""
    chunk: list[tuple[Story, list[Article]]] = []
    size = 0
    for story, members in items:
        chunk.append((story, members))
        size += len(members)
        if size >= articles:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def analyze_stories(
    items: Iterable[tuple[Story, list[Article]]], options: Options, *, min_stories: int = MIN_POOLED_STORIES
) -> Iterator[Story]:
    """The default `StoryAnalyzer`: `analyze_story` on `options.workers` forked processes (None: one per CPU),
    about `engine.CHUNK_SIZE` articles to a task, in this process for one worker or fewer than
    `min_stories` stories. `items` is read only a few tasks ahead of the workers."""
    workers = default_workers() if options.workers is None else options.workers
    if workers < 1:
        raise ValueError(f"workers must be >= 1, not {workers}")
    stream = iter(items)
    head = list(islice(stream, min_stories)) if workers > 1 else []
    if workers == 1 or len(head) < min_stories:
        for story, members in chain(head, stream):
            yield analyze_story(story, members, options)
        return
    chunks = chunk_stories(chain(head, stream), CHUNK_SIZE)
    for analyzed in run_in_order(_analyze_chunk, options, chunks, workers=workers):
        yield from analyzed


def _with_members(store: ArticleStore, stories: Iterable[Story]) -> Iterator[tuple[Story, list[Article]]]:
    """Each story with its articles, whole and in its order, loaded from `store` only when asked for."""
    for story in stories:
        loaded = {a.id: a for a in store.articles(story.article_ids)}
        yield story, [loaded[article_id] for article_id in story.article_ids]


def build_stories(
    store: ArticleStore,
    options: Options | None = None,
    *,
    progress: Progress | None = None,
    analyze: StoryAnalyzer | None = None,
) -> tuple[list[Story], StageReport]:
    """Cluster every stored article (duplicates aside) into stories, compare and summarise each, and store them.

    `analyze` runs `analyze_story` over the stories (default: `analyze_stories`, local worker processes)."""
    options = options or Options()
    started = time.perf_counter()
    report = StageReport("stories")
    # Clustering and storylines read text, title, date, sentences and entities: the rest of each article is
    # loaded story by story, so the whole store's annotations are never in memory at once.
    articles = list(store.originals(without=UNUSED_BY_CLUSTERING))
    report.seen = len(articles)
    if len(articles) <= options.cluster.max_batch_articles:
        clustering = cluster_articles(articles, options.cluster)
    else:  # the batch method's time and dense matrices grow faster than the square: online is linear, bounded
        clustering = cluster_online(articles)
        report.counts["clustered_online_over_batch_limit"] = len(articles)
    clustered = stories_from_clustering(clustering, articles)
    stories: list[Story] = []
    for story in (analyze or analyze_stories)(_with_members(store, clustered), options):
        if progress is not None:
            progress(story.title)
        stories.append(story)
    if [s.id for s in stories] != [s.id for s in clustered]:
        raise RuntimeError("the story analyzer must yield every story it is given once, in the order given")
    if len(stories) <= options.storylines.max_stories:
        for line in link_storylines(stories, articles, options.storylines):
            for story in stories:
                if story.id in line.story_ids:
                    story.storyline = line
    else:  # the story-by-story similarity is quadratic: say so rather than run out of memory
        report.counts["storylines_skipped_stories_over_limit"] = len(stories)
    store.replace_stories(stories)
    report.kept = len(stories)
    report.counts["stories"] = len(stories)
    report.counts["facts"] = sum(len(s.facts) for s in stories)
    report.counts["divergences"] = sum(len(s.divergences) for s in stories)
    report.counts["storylines"] = len({s.storyline.id for s in stories if s.storyline})
    report.counts["source_families"] = sum(len(s.families) for s in stories)
    report.counts["shared_passages"] = sum(len(m.passages) for s in stories for m in s.passages)
    report.seconds = time.perf_counter() - started
    store.add_run("stories", report.to_dict())
    return stories, report


def analyze(
    paths: Sequence[str | Path],
    store: ArticleStore,
    options: Options | None = None,
    *,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
) -> Report:
    """Ingest `paths` into `store`, rebuild the stories, and return the report of the whole store."""
    ingested = ingest(paths, store, options, stdin=stdin, progress=progress)
    stories, story_report = build_stories(store, options, progress=progress)
    return Report(store.articles(), stories, [*ingested.stages, story_report], ingested)
