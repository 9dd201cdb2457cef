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

import pickle
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from pathlib import Path
from typing import BinaryIO

from parallax.annotate import AnnotateOptions
from parallax.boilerplate import TemplateLines, TemplateOptions, learn_template_lines
from parallax.clean import CleanOptions
from parallax.cluster import DEFAULT_OPTIONS as DEFAULT_CLUSTER_OPTIONS
from parallax.cluster import Clustering, ClusterOptions, cluster_articles, stories_from_clustering
from parallax.compare import DEFAULT_OPTIONS as DEFAULT_COMPARE_OPTIONS
from parallax.compare import CompareOptions, compare_story
from parallax.dedup import find_exact_duplicates, text_fingerprint
from parallax.engine import (
    CHUNK_SIZE,
    ArticleStages,
    default_workers,
    merge_reports,
    run_article_stages,
    run_in_order,
)
from parallax.errors import StaleCheckpointError
from parallax.extract import ExtractOptions
from parallax.families import DEFAULT_FAMILY_OPTIONS, FamilyOptions, source_families
from parallax.model import Article, Story
from parallax.neardup import LEARNED_KEY as NEARDUP_LEARNED_KEY
from parallax.neardup import NearDuplicateIndex, NearDuplicateOptions
from parallax.online import METHOD, OnlineClusterer, default_online_options
from parallax.online_state import dump_state, load_state, state_method
from parallax.passages import DEFAULT_PASSAGE_OPTIONS, PassageOptions, shared_passages_among
from parallax.read import RawInput, Reader, ReadOptions
from parallax.stages import StageReport, dropped_by_reason
from parallax.store_protocol import ArticleStore
from parallax.store_values import Checkpoint
from parallax.storylines import Storyline, StorylineOptions, link_storylines
from parallax.summarize import DEFAULT_OPTIONS as DEFAULT_SUMMARY_OPTIONS
from parallax.summarize import SummaryOptions, summarize

__all__ = [
    "IngestReport",
    "NearDuplicatePass",
    "Options",
    "ProcessedBatch",
    "Report",
    "StoredBatch",
    "StoryAnalyzer",
    "analyze",
    "analyze_stories",
    "analyze_story",
    "build_stories",
    "chunk_stories",
    "finish_ingest",
    "ingest",
    "store_batch",
    "stored_stories",
    "stored_template_lines",
    "update_stories",
]

TEMPLATES_KEY = "template_lines"
"""Where the store keeps the template lines learned so far (`Store.learned`)."""
NEARDUP_KEY = NEARDUP_LEARNED_KEY
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
    ingest_chunk: int = 5000
    """Articles read, processed and stored at a time by `ingest`: what bounds its memory (see `ingest`)."""
    workers: int | None = None
    """Processes for the per-article stages and the per-story analysis (`parallax.engine`); None: one per CPU
    (small batches stay in-process)."""


@dataclass(slots=True)
class IngestReport:
    """What one ingest did: stage reports, how many articles were new, and the ids of the articles read (in input
    order; an input read twice appears twice)."""

    stages: list[StageReport]
    added: int
    existing: int
    article_ids: list[str]

    @property
    def dropped(self) -> dict[str, int]:
        """Drops of every stage, summed by reason."""
        return dropped_by_reason(self.stages)

    @property
    def nothing_read(self) -> bool:
        """True when no input became an article: the only case in which the CLI exits non-zero."""
        return not self.article_ids

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready view."""
        return {
            "added": self.added,
            "existing": self.existing,
            "articles": len(self.article_ids),
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
    """Read, clean and extract `paths` ("-" for stdin) into `store`; re-ingesting the same input adds nothing.

    The input is read as a stream and taken `options.ingest_chunk` articles at a time: each chunk is cleaned,
    extracted, checked for duplicates against the store and stored before the next is read, so memory does not
    grow with the input, and a failure keeps every chunk stored before it. A chunk is what one ingest of those
    articles alone would do: template lines are learned from the articles of the chunks so far (the store keeps
    them), so an input larger than one chunk may be cleaned a little differently from the same input in one.
    """
    options = options or Options()
    if options.ingest_chunk < 1:
        raise ValueError(f"ingest_chunk must be >= 1, not {options.ingest_chunk}")
    reader = Reader(paths, options.read, stdin=stdin)
    parts: list[StoredBatch] = []
    rejects_kept = 0
    stream = _tick(reader, progress)
    while chunk := list(islice(stream, options.ingest_chunk)):
        raw_inputs, reader.raw_inputs = reader.raw_inputs, []
        parts.append(store_batch(store, _process(store, chunk, raw_inputs, options), options))
        store.add_rejects(reader.report.dropped_items[rejects_kept:])
        rejects_kept = len(reader.report.dropped_items)
    # Inputs read after the last article (rejected ones, inputs that held none), or an ingest that read none.
    if reader.raw_inputs or not parts:
        parts.append(store_batch(store, _process(store, [], reader.raw_inputs, options), options))
    store.add_rejects(reader.report.dropped_items[rejects_kept:])
    return finish_ingest(paths, store, [reader.report], parts)


def _process(
    store: ArticleStore, read: list[Article], raw_inputs: Sequence[RawInput], options: Options
) -> ProcessedBatch:
    """One chunk through the per-article stages, cleaned with the template lines learned so far and from it."""
    stored_ids = store.known_ids([a.id for a in read])
    learned = learn_template_lines([a for a in read if a.id not in stored_ids], options.templates)
    templates = stored_template_lines(store, learned)
    per_article = ArticleStages(options.clean, templates, options.extract, options.annotate)
    articles, reports = run_article_stages(read, per_article, workers=options.workers)
    return ProcessedBatch(raw_inputs, articles, reports)


@dataclass(slots=True)
class ProcessedBatch:
    """What the per-article stages made of some inputs, wherever they ran (`parallax.engine_ray` makes one on a
    Ray cluster): every input as received, the articles kept in input order, the reports of the stages run."""

    raw_inputs: Sequence[RawInput]
    articles: list[Article]
    stages: list[StageReport]


@dataclass(slots=True)
class StoredBatch:
    """What `store_batch` did with one `ProcessedBatch`: its stage reports (exact and near duplicates added),
    how many articles were new and already stored, and the ids read."""

    stages: list[StageReport]
    added: int
    existing: int
    article_ids: list[str]


NearDuplicatePass = Callable[[ArticleStore, list[Article], NearDuplicateOptions], StageReport]
"""Indexes an ingest's new articles, keeps the verified pairs in the store, and reports (`_near_duplicates`)."""


def store_batch(
    store: ArticleStore,
    batch: ProcessedBatch,
    options: Options,
    *,
    near_duplicates: NearDuplicatePass | None = None,
) -> StoredBatch:
    """Mark exact duplicates of `batch` (against the stored articles too), keep everything in `store`, and run
    the near-duplicate pass over the new articles (this process's index unless `near_duplicates` is given)."""
    known = store.fingerprint_owners({text_fingerprint(a.text) for a in batch.articles})
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
    return StoredBatch(stages, added.added, added.existing, [a.id for a in batch.articles])


def finish_ingest(
    paths: Sequence[str | Path], store: ArticleStore, read: list[StageReport], parts: Sequence[StoredBatch]
) -> IngestReport:
    """The report of an ingest made of `parts` (stage reports summed stage by stage after the `read` ones),
    kept in the store's runs."""
    stages = [*read, *merge_reports([part.stages for part in parts])]
    report = IngestReport(
        stages,
        sum(part.added for part in parts),
        sum(part.existing for part in parts),
        [article_id for part in parts for article_id in part.article_ids],
    )
    store.add_run("ingest " + " ".join(str(p) for p in paths), report.to_dict())
    return report


def _near_duplicates(store: ArticleStore, new_articles: list[Article], options: NearDuplicateOptions) -> StageReport:
    """Find the new articles' verified pairs among themselves and the stored ones, and store their index rows.

    Only the stored rows that share an LSH bucket with a new article are loaded: these are every candidate
    the whole index would give, so the pairs are the same, and memory follows the batch, not the store."""
    started = time.perf_counter()
    report = StageReport("neardup")
    header = store.learned(NEARDUP_KEY)
    index = NearDuplicateIndex.from_entries(header, ()) if header else NearDuplicateIndex(options)
    prepared = index.prepare((a.id, a.text) for a in new_articles)
    index.restore(store.neardup_entries({bucket for item in prepared for bucket in item.buckets}))
    fresh = [item for item in prepared if item.article_id not in index]  # a row left by an interrupted ingest
    pairs = index.add_prepared(fresh)
    store.add_neardup_entries(index.entry(item.article_id) for item in fresh)
    store.add_near_duplicates(pairs, index.method)
    store.set_learned(NEARDUP_KEY, index.header)
    report.seen = report.kept = len(new_articles)
    report.counts["near_duplicate_pairs"] = len(pairs)
    report.counts["stored_candidates_loaded"] = len(index) - len(fresh)
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


def _cluster(
    store: ArticleStore, options: Options, report: StageReport
) -> tuple[Clustering, list[Article] | None, OnlineClusterer | None]:
    """Cluster the stored originals; also return them (lean) when they were all loaded (the batch method), or the
    online clusterer that took them (over `max_batch_articles`)."""
    # Clustering and storylines read text, title, date, sentences and entities: the rest of each article is
    # loaded story by story, so the whole store's annotations are never in memory at once.
    stream = store.originals(without=UNUSED_BY_CLUSTERING)
    head = list(islice(stream, options.cluster.max_batch_articles + 1))
    if len(head) <= options.cluster.max_batch_articles:
        report.seen = len(head)
        return cluster_articles(head, options.cluster), head, None
    # The batch method's time and dense matrices grow faster than the square: online is linear and bounded, and
    # reads the store's articles (already in its stream order) one at a time.
    counted = _count(chain(head, stream), report)
    del head
    clusterer = OnlineClusterer()
    clusterer.add_all(counted)
    report.counts["clustered_online_over_batch_limit"] = report.seen
    return clusterer.clustering(), None, clusterer


def _count(articles: Iterable[Article], report: StageReport) -> Iterator[Article]:
    for article in articles:
        report.seen += 1
        yield article


def _storylines(
    store: ArticleStore,
    clustering: Clustering,
    articles: list[Article] | None,
    options: Options,
    report: StageReport,
) -> dict[str, Storyline]:
    """Each linked story's storyline, by story id; none over `StorylineOptions.max_stories` stories."""
    if len(clustering.groups) > options.storylines.max_stories:  # the story-by-story similarity is quadratic
        report.counts["storylines_skipped_stories_over_limit"] = len(clustering.groups)
        return {}
    if articles is None:
        articles = list(store.originals(without=UNUSED_BY_CLUSTERING))
    clustered = stories_from_clustering(clustering, articles)
    lines = link_storylines(clustered, articles, options.storylines)
    return {story_id: line for line in lines for story_id in line.story_ids}


def _with_members(
    store: ArticleStore, clustering: Clustering, storylines: dict[str, Storyline], handed: deque[str]
) -> Iterator[tuple[Story, list[Article]]]:
    """Each story of `clustering`, in its order, with its articles whole and in its order: loaded from `store`
    only when asked for. Each story's id is appended to `handed` as it goes out."""
    for n, group in enumerate(clustering.groups):
        loaded = store.articles(group)
        key = clustering.keys[n : n + 1] if clustering.keys else None
        story = stories_from_clustering(Clustering([group], clustering.centrality, clustering.method, key), loaded)[0]
        story.storyline = storylines.get(story.id)
        by_id = {a.id: a for a in loaded}
        handed.append(story.id)
        yield story, [by_id[article_id] for article_id in story.article_ids]


OUT_OF_ORDER = "the story analyzer must yield every story it is given once, in the order given"
UPDATE_ATTEMPTS = 3
"""How often `update_stories` starts again when another writer updated the stories under it."""
STORIES_CHECKPOINT = "stories.online"
"""The checkpoint name of the online clusterer's state behind the stored stories (`update_stories`)."""


def build_stories(
    store: ArticleStore,
    options: Options | None = None,
    *,
    progress: Progress | None = None,
    analyze: StoryAnalyzer | None = None,
) -> tuple[list[str], StageReport]:
    """Cluster every stored article (duplicates aside) into stories, compare and summarise each, and store them
    in place of the stories stored before; return the story ids, in clustering order, and the report.

    `analyze` runs `analyze_story` over the stories (default: `analyze_stories`, local worker processes). Each
    analysed story goes to a temporary file as it comes back, so memory holds a few stories at a time, not all
    of them; then the store replaces its stories with the file's in one transaction, so readers see the old
    stories until the new ones are all in, and writers wait only while they are written, not analysed. When
    the online method clustered, its state is saved with the stories, so that `update_stories` can add later
    articles to them."""
    options = options or Options()
    started = time.perf_counter()
    report = StageReport("stories")
    clustering, articles, clusterer = _cluster(store, options, report)
    storylines = _storylines(store, clustering, articles, options, report)
    del articles
    checkpoint = None
    if clusterer is not None:
        checkpoint = Checkpoint(STORIES_CHECKPOINT, state_method(clusterer.options), dump_state(clusterer))
        del clusterer
    with tempfile.TemporaryFile(prefix="parallax-stories-") as spool:
        written = _analyse_to(
            spool, store, clustering, storylines, options=options, report=report, analyze=analyze, progress=progress
        )
        spool.seek(0)
        store.replace_stories(_unspooled(spool, len(written)), checkpoint)
    return written, _finish(store, report, written, storylines, started)


def update_stories(
    store: ArticleStore,
    options: Options | None = None,
    *,
    progress: Progress | None = None,
    analyze: StoryAnalyzer | None = None,
) -> tuple[list[str], StageReport]:
    """Add the articles stored since the stories were made to them; return the ids of the stories written (new,
    grown, or with a new storyline), in clustering order, and the report.

    Where the stories were made online (over `ClusterOptions.max_batch_articles`), the clusterer's saved state
    takes the new articles in their stream order, as if they had followed the old ones in one stream: only the
    stories they join or start are analysed again, and the other stories stay as stored. The result is the one
    `build_stories` gives when the new articles come after the old ones in stream order (a live feed's new
    reports); an article dated before ones already clustered is taken where it arrives, not where its date
    would put it (`build_stories`, or `parallax ingest --rebuild`, re-orders everything). Without a saved state
    (a store of few articles, clustered in a batch, or a state saved under other settings) this is
    `build_stories`; so it is over a damaged state (the report counts `rebuilt_over_unreadable_state`)."""
    options = options or Options()
    for _ in range(UPDATE_ATTEMPTS):
        saved = store.checkpoint(STORIES_CHECKPOINT)
        online = default_online_options()
        if saved is None or saved.method != state_method(online):
            return build_stories(store, options, progress=progress, analyze=analyze)
        try:
            clusterer = load_state(saved.data, online)
        except ValueError:  # damaged: the stories are made again, with a sound state
            story_ids, report = build_stories(store, options, progress=progress, analyze=analyze)
            report.counts["rebuilt_over_unreadable_state"] = 1
            return story_ids, report
        try:
            return _update(store, saved, clusterer, options=options, progress=progress, analyze=analyze)
        except StaleCheckpointError:
            continue  # another writer added stories since: start again from its state
    raise StaleCheckpointError(f"the stories kept changing under {UPDATE_ATTEMPTS} updates: try again")


def _update(
    store: ArticleStore,
    saved: Checkpoint,
    clusterer: OnlineClusterer,
    *,
    options: Options,
    progress: Progress | None,
    analyze: StoryAnalyzer | None,
) -> tuple[list[str], StageReport]:
    started = time.perf_counter()
    report = StageReport("stories")
    stories_before = clusterer.stories_started
    new = store.originals(without=UNUSED_BY_CLUSTERING, outside_stories=True)
    touched = list(dict.fromkeys(a.story for a in clusterer.add_all(_count(new, report))))
    report.counts["updated_online"] = report.seen
    if not touched:
        return [], _finish(store, report, [], {}, started, stored=False)
    members = clusterer.members
    touched.sort(key=lambda key: (-len(members[key]), min(members[key])))  # `OnlineClusterer.clustering`'s order
    groups = [list(members[key]) for key in touched]
    clustering = Clustering(groups, {a: clusterer.centrality[a] for g in groups for a in g}, METHOD, touched)
    counts = (stories_before, clusterer.stories_started)
    storylines, relined = _updated_storylines(store, clustering, counts, options, report)
    checkpoint = replace(saved, method=state_method(clusterer.options), data=dump_state(clusterer))
    del clusterer
    with tempfile.TemporaryFile(prefix="parallax-stories-") as spool:
        written = _analyse_to(
            spool, store, clustering, storylines, options=options, report=report, analyze=analyze, progress=progress
        )
        for story in relined:
            pickle.dump(story, spool, protocol=pickle.HIGHEST_PROTOCOL)
        spool.seek(0)
        store.put_stories(_unspooled(spool, len(written) + len(relined)), checkpoint)
    report.counts["storylines_changed"] = len(relined)
    return written + [story.id for story in relined], _finish(store, report, written, storylines, started)


def _updated_storylines(
    store: ArticleStore, touched: Clustering, stories: tuple[int, int], options: Options, report: StageReport
) -> tuple[dict[str, Storyline], list[Story]]:
    """The storylines of every story after an update (as `build_stories` would link them: none over
    `StorylineOptions.max_stories` stories), by story id, and the untouched stored stories whose storyline
    changed, whole, with their new one (the others are read in outline only). `stories`: how many stories there
    were before and after the update."""
    before, after = stories
    limit = options.storylines.max_stories
    if after > limit:
        report.counts["storylines_skipped_stories_over_limit"] = after
        if before > limit:
            return {}, []  # no stored story has a storyline
    assert touched.keys is not None
    analysed = set(touched.keys)
    stored = [s for s in store.story_outlines() if s.id not in analysed]
    storylines: dict[str, Storyline] = {}
    if after <= limit:
        articles = list(store.originals(without=UNUSED_BY_CLUSTERING))
        fresh = stories_from_clustering(touched, articles)
        everything = sorted([*stored, *fresh], key=lambda s: (-len(s.article_ids), min(s.article_ids)))
        lines = link_storylines(everything, articles, options.storylines)
        storylines = {story_id: line for line in lines for story_id in line.story_ids}
    changed = [s.id for s in stored if s.storyline != storylines.get(s.id)]
    return storylines, [replace(store.story(i), storyline=storylines.get(i)) for i in changed]


def _analyse_to(
    spool: BinaryIO,
    store: ArticleStore,
    clustering: Clustering,
    storylines: dict[str, Storyline],
    *,
    options: Options,
    report: StageReport,
    analyze: StoryAnalyzer | None,
    progress: Progress | None,
) -> list[str]:
    """Analyse each story of `clustering` and pickle it to `spool`, in clustering order; their ids."""
    handed: deque[str] = deque()  # ids given to the analyzer and not yet back from it
    written: list[str] = []
    for story in (analyze or analyze_stories)(_with_members(store, clustering, storylines, handed), options):
        if not handed or handed.popleft() != story.id:
            raise RuntimeError(OUT_OF_ORDER)
        written.append(story.id)
        _count_story(story, report)
        pickle.dump(story, spool, protocol=pickle.HIGHEST_PROTOCOL)
        if progress is not None:
            progress(story.title)
    if handed or len(written) != len(clustering.groups):
        raise RuntimeError(OUT_OF_ORDER)
    return written


def _finish(
    store: ArticleStore,
    report: StageReport,
    written: list[str],
    storylines: dict[str, Storyline],
    started: float,
    *,
    stored: bool = True,
) -> StageReport:
    report.kept = len(written)
    report.counts["stories"] = len(written)
    report.counts["storylines"] = len({line.id for line in storylines.values()})
    report.seconds = time.perf_counter() - started
    if stored:
        store.add_run("stories", report.to_dict())
    return report


def _count_story(story: Story, report: StageReport) -> None:
    report.counts["facts"] += len(story.facts)
    report.counts["divergences"] += len(story.divergences)
    report.counts["source_families"] += len(story.families)
    report.counts["shared_passages"] += sum(len(m.passages) for m in story.passages)


def _unspooled(spool: BinaryIO, count: int) -> Iterator[Story]:
    # The file is this process's own, written just above: unpickling it trusts nothing from outside.
    for _ in range(count):
        yield pickle.load(spool)  # noqa: S301


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
    story_ids, story_report = build_stories(store, options, progress=progress)
    return Report(store.articles(), stored_stories(store, story_ids), [*ingested.stages, story_report], ingested)


def stored_stories(store: ArticleStore, story_ids: Sequence[str]) -> list[Story]:
    """The stored stories with these ids, in this order (`build_stories` gives them in clustering order)."""
    by_id = {story.id: story for story in store.stories()}
    return [by_id[story_id] for story_id in story_ids]
