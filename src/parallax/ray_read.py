"""The read and per-article stages on Ray Data (method `engine.ray.read.v1`): one read task per input file, then
clean → extract → annotate → near-duplicate signatures over batches of articles, the same stage code as locally.

An input is cut into shards the way the local reader walks it (paths in order, folders sorted, the same hidden,
include and exclude rules), one shard per file. A worker reads a shard with the project's `Reader`, so the
articles, raw inputs and drops are those of a local read of that file; Parquet shards (which the local reader
does not take) become one record per row, each row's raw bytes its JSON encoding with sorted keys, as for CSV.
URLs and standard input are read on the driver, in their place in the order.

Every row carries its (shard, seq) position, so the driver puts articles and reports back in input order before
anything order-dependent (exact duplicates, the store) sees them. Each shard also counts its new articles' short
lines (`TemplateLines`), and the driver sums those counts: the same template lines as learning them in one pass.

    plan = ReadPlan(read_options, templates_options, stored_ids_ref, cwd)
    rows = read_dataset(shards, plan)              # Ray Data rows: shard, seq, kind, payload
"""

from __future__ import annotations

import json
import os
import pickle
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from parallax.boilerplate import TemplateLines, TemplateOptions
from parallax.engine import ArticleStages, run_article_stages
from parallax.model import Article, content_hash
from parallax.neardup import IndexedArticle, NearDuplicateIndex, NearDuplicateOptions
from parallax.read import SUFFIXES, RawInput, Reader, ReadOptions
from parallax.readers.records import read_jsonl
from parallax.stages import DroppedItem, StageReport

if TYPE_CHECKING:
    import ray.data

__all__ = [
    "METHOD",
    "PARQUET_SUFFIX",
    "ArticleRows",
    "ReadPlan",
    "ReadRows",
    "Shard",
    "dataset_from_rows",
    "plan_shards",
    "process_dataset",
    "read_dataset",
    "read_shard",
    "shuffle_partitions",
    "unpickle",
]

METHOD = "engine.ray.read.v1"
PARQUET_SUFFIX = ".parquet"
ARTICLES_PER_BATCH = 64
"""Articles per per-article task (as `engine.CHUNK_SIZE`): pickling stays a small share, batches balance."""

ROWS_PER_PARTITION = 50_000
"""Rows per partition of a group-by: Ray's default of 200 partitions costs seconds of task start-up on a small
input, so small inputs get one partition per CPU and large ones one per this many rows (at most 200)."""
MAX_PARTITIONS = 200
ROWS_PER_BLOCK = 2_000
"""Rows per block of a dataset made on the driver (an annotated article pickles to about 13 KB)."""

Batch = dict[str, Any]
"""A Ray Data batch: column name -> values (numpy arrays coming in, lists going out)."""


@dataclass(slots=True, frozen=True)
class Shard:
    """One unit of reading: a file for a worker (`kind` "file" or "parquet"), a URL or "-" read on the driver
    ("driver"), or a file the folder walk refused ("refused", with its drop)."""

    position: int
    path: str
    kind: str
    refused: DroppedItem | None = None


@dataclass(slots=True, frozen=True)
class ReadPlan:
    """What every read task needs: reading and template options, the ids already stored (an ObjectRef, so that a
    large set travels once), and the driver's working folder (relative paths are resolved from it)."""

    read: ReadOptions
    templates: TemplateOptions
    stored_ids: Any
    cwd: str


@dataclass(slots=True)
class ReadRows:
    """What the read stage gives the driver besides articles: raw inputs and one read report, in input order, and
    the template-line counts of the new articles."""

    raw_inputs: list[RawInput] = field(default_factory=list)
    report: StageReport = field(default_factory=lambda: StageReport("read"))
    templates: TemplateLines | None = None


@dataclass(slots=True)
class ArticleRows:
    """What the per-article stages give the driver: articles in input order, each with its near-duplicate index
    row (signature and shingle hashes), and the stage reports summed in input order."""

    articles: list[Article] = field(default_factory=list)
    entries: dict[str, IndexedArticle] = field(default_factory=dict)
    reports: list[list[StageReport]] = field(default_factory=list)


def _matches(relative: Path, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch(relative.as_posix(), pattern) or fnmatch(relative.name, pattern) for pattern in patterns)


def _walk(folder: Path, options: ReadOptions) -> Iterator[tuple[str, str, str | None]]:
    """(path, kind, refusal detail) for each file of `folder`, as `Reader` walks it, Parquet files accepted."""
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = file.relative_to(folder)
        if not options.include_hidden and any(part.startswith(".") for part in relative.parts):
            continue
        if _matches(relative, options.exclude):
            continue
        kind = "parquet" if file.suffix.lower() == PARQUET_SUFFIX else "file"
        if options.include:
            if _matches(relative, options.include):
                yield str(file), kind, None
        elif file.suffix.lower() in SUFFIXES or kind == "parquet":
            yield str(file), kind, None
        else:
            yield str(file), kind, f"'{file.suffix or 'no suffix'}' is not one of {', '.join(sorted(SUFFIXES))}"


def plan_shards(paths: Sequence[str | Path], options: ReadOptions) -> list[Shard]:
    """Cut the inputs into shards in the order the local reader reads them."""
    shards: list[Shard] = []
    for given in (str(p) for p in paths):
        target = Path(given)
        if given == "-" or not (target.is_dir() or target.is_file()):  # stdin, a URL, or a missing path
            shards.append(Shard(len(shards), given, "driver"))
        elif target.is_file():
            kind = "parquet" if target.suffix.lower() == PARQUET_SUFFIX else "file"
            shards.append(Shard(len(shards), given, kind))
        else:
            for path, kind, refusal in _walk(target, options):
                refused = DroppedItem(path, "unsupported_type", refusal, None) if refusal else None
                shards.append(Shard(len(shards), path, "refused" if refused else kind, refused))
    return shards


def _parquet_records(path: str, options: ReadOptions, reader: Reader) -> Iterator[Article]:
    """A Parquet file's rows as JSON Lines records (raw bytes: the row as JSON, sorted keys), read by `reader`."""
    import pyarrow.parquet as pq

    with Path(path).open("rb") as stream:
        data = stream.read(options.max_archive_bytes + 1)
    reader.raw_inputs.append(
        RawInput(path, content_hash(data), len(data), data if len(data) <= options.max_bytes else None)
    )
    parquet = pq.ParquetFile(path)
    lines = (
        json.dumps(row, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
        for batch in parquet.iter_batches()
        for row in batch.to_pylist()
    )
    # The reader's own record path: ids, raw inputs, field filling and drops are those of a JSON Lines record.
    yield from reader._read_items(read_jsonl(path, lines, options.columns, options.max_bytes), depth=1)


def read_shard(shard: Shard, options: ReadOptions, stdin: BinaryIO | None = None) -> tuple[list[Article], Reader]:
    """Read one shard with the project's `Reader`; return its articles and the reader (raw inputs, report)."""
    if shard.kind == "refused" and shard.refused is not None:
        reader = Reader([], options)
        reader.report.seen += 1
        reader.report.drop(shard.refused)
        return [], reader
    if shard.kind == "parquet":
        reader = Reader([], options)
        started = time.perf_counter()
        articles = list(_parquet_records(shard.path, options, reader))
        reader.report.seconds += time.perf_counter() - started
        return articles, reader
    reader = Reader([shard.path], options, stdin=stdin)
    return list(reader), reader


def unpickle(payload: bytes) -> Any:
    """A value a task of this run pickled into a row (never bytes from outside: rows are made by this engine)."""
    return pickle.loads(payload)  # noqa: S301 - written by this run's own tasks, not read from any input


def _cpus() -> int:
    import ray

    resources: dict[str, float] = ray.cluster_resources()  # type: ignore[no-untyped-call]
    return max(1, int(resources.get("CPU", 1)))


def shuffle_partitions(rows: int) -> int:
    """How many partitions a group-by over about `rows` rows gets (see `ROWS_PER_PARTITION`)."""
    return max(1, min(MAX_PARTITIONS, max(_cpus(), rows // ROWS_PER_PARTITION)))


def dataset_from_rows(rows: list[dict[str, Any]]) -> ray.data.Dataset:
    """Rows made on the driver as a dataset of one block per CPU, or per `ROWS_PER_BLOCK` rows when more (Ray's
    default of 200 blocks would start 200 tasks per pass over a few hundred articles)."""
    import ray.data

    blocks = max(1, min(len(rows), max(_cpus(), len(rows) // ROWS_PER_BLOCK)))
    dataset: ray.data.Dataset = ray.data.from_items(rows, override_num_blocks=blocks)
    return dataset


def _row(shard: int, seq: int, kind: str, value: object) -> tuple[int, int, str, bytes]:
    return shard, seq, kind, pickle.dumps(value, protocol=5)


def _columns(rows: Sequence[tuple[int, int, str, bytes]]) -> Batch:
    return {
        "shard": [r[0] for r in rows],
        "seq": [r[1] for r in rows],
        "kind": [r[2] for r in rows],
        "payload": [r[3] for r in rows],
    }


def shard_rows(shard: Shard, plan: ReadPlan, stored_ids: set[str], stdin: BinaryIO | None = None) -> Batch:
    """Read one shard into rows: its articles, raw inputs, read report and new articles' template counts."""
    articles, reader = read_shard(shard, plan.read, stdin)
    templates = TemplateLines(plan.templates)
    for article in articles:
        if article.id not in stored_ids:
            templates.add(article)
    rows = [_row(shard.position, seq, "article", article) for seq, article in enumerate(articles)]
    rows += [_row(shard.position, seq, "raw", raw) for seq, raw in enumerate(reader.raw_inputs)]
    rows += [_row(shard.position, 0, "report", reader.report), _row(shard.position, 0, "templates", templates)]
    return _columns(rows)


def _read_batch(batch: Batch, plan: ReadPlan) -> Batch:
    import ray

    if Path(plan.cwd).is_dir():  # a worker on the driver's machine resolves relative paths as the driver does
        os.chdir(plan.cwd)
    stored_ids: set[str] = ray.get(plan.stored_ids)
    parts = [shard_rows(unpickle(payload), plan, stored_ids) for payload in batch["payload"]]
    return {name: [value for part in parts for value in part[name]] for name in ("shard", "seq", "kind", "payload")}


def read_dataset(shards: Sequence[Shard], plan: ReadPlan) -> ray.data.Dataset | None:
    """The read stage over the worker shards, one task per shard, materialised (later stages read it twice);
    None when every shard is read on the driver."""
    import ray.data

    items = [{"payload": pickle.dumps(s, protocol=5)} for s in shards if s.kind != "driver"]
    if not items:
        return None
    dataset = ray.data.from_items(items, override_num_blocks=len(items))
    read: ray.data.Dataset = dataset.map_batches(partial(_read_batch, plan=plan), batch_size=1).materialize()
    return read


def collect_read(rows: Iterable[dict[str, Any]], extra: Iterable[dict[str, Any]] = ()) -> ReadRows:
    """Put the non-article rows of the read stage back in input order: raw inputs, summed report, templates."""
    from parallax.engine import merge_reports

    result = ReadRows()
    ordered = sorted([*rows, *extra], key=lambda row: (int(row["shard"]), int(row["seq"])))
    reports: list[list[StageReport]] = []
    for row in ordered:
        value = unpickle(row["payload"])
        if row["kind"] == "raw":
            result.raw_inputs.append(value)
        elif row["kind"] == "report":
            reports.append([value])
        elif row["kind"] == "templates":
            result.templates = value if result.templates is None else result.templates.merge(value)
    if reports:
        result.report = merge_reports(reports)[0]
    return result


@dataclass(slots=True, frozen=True)
class StagePlan:
    """What every per-article task needs: the stage settings (templates included, as an ObjectRef) and the
    near-duplicate options its signatures are made with."""

    stages: Any
    neardup: NearDuplicateOptions


def _runs(keys: list[tuple[int, int]]) -> Iterator[list[int]]:
    """Indexes of `keys` (sorted) cut where the next key does not follow on: each run is contiguous input."""
    run: list[int] = []
    for n, key in enumerate(keys):
        if run and (key[0] != keys[run[-1]][0] or key[1] != keys[run[-1]][1] + 1):
            yield run
            run = []
        run.append(n)
    if run:
        yield run


def _signature_rows(articles: list[Article], options: NearDuplicateOptions) -> list[IndexedArticle | None]:
    """Each article's near-duplicate index row, made by the local index itself (same shingles, same signature)."""
    index = NearDuplicateIndex(options)
    index.add_many((a.id, a.text) for a in {a.id: a for a in articles}.values())
    return [index.entry(a.id) if a.id in index else None for a in articles]


def _process_batch(batch: Batch, plan: StagePlan) -> Batch:
    import ray

    stages: ArticleStages = ray.get(plan.stages)
    order = sorted(range(len(batch["payload"])), key=lambda n: (int(batch["shard"][n]), int(batch["seq"][n])))
    keys = [(int(batch["shard"][n]), int(batch["seq"][n])) for n in order]
    rows: list[tuple[int, int, str, bytes]] = []
    for run in _runs(keys):
        articles: list[Article] = [unpickle(batch["payload"][order[n]]) for n in run]
        key_of: dict[str, list[tuple[int, int]]] = {}
        for n, article in zip(run, articles, strict=True):
            key_of.setdefault(article.id, []).append(keys[n])
        kept, reports = run_article_stages(articles, stages, workers=1)
        for article, entry in zip(kept, _signature_rows(kept, plan.neardup), strict=True):
            shard, seq = key_of[article.id].pop(0)
            rows.append(_row(shard, seq, "article", (article, entry)))
        first = keys[run[0]]
        rows.append(_row(first[0], first[1], "report", reports))
    return _columns(rows)


def process_dataset(articles: ray.data.Dataset, plan: StagePlan) -> ray.data.Dataset:
    """The per-article stages and signatures over the read articles, `ARTICLES_PER_BATCH` to a task."""
    return articles.map_batches(partial(_process_batch, plan=plan), batch_size=ARTICLES_PER_BATCH)


def collect_articles(rows: Iterable[dict[str, Any]], progress: Callable[[str], None] | None = None) -> ArticleRows:
    """Put the per-article stages' rows back in input order."""
    result = ArticleRows()
    for row in sorted(rows, key=lambda row: (int(row["shard"]), int(row["seq"]), row["kind"] != "report")):
        value = unpickle(row["payload"])
        if row["kind"] == "report":
            result.reports.append(value)
            continue
        article, entry = value
        result.articles.append(article)
        if entry is not None:
            result.entries[article.id] = entry
        if progress is not None:
            progress(article.source)
    return result
