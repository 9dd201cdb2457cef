"""The `parallax` command: a thin layer over the library that prints what the library returns.

Library errors become one line on stderr that says what to do next, with exit code 2; an ingest that could
read nothing exits 1; everything else exits 0, even when some inputs were dropped (they are listed).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from parallax.cluster import DEFAULT_OPTIONS as DEFAULT_CLUSTER_OPTIONS
from parallax.errors import ParallaxError
from parallax.evaluate import evaluate_clustering, evaluate_online, load_labeled
from parallax.extract import ExtractOptions
from parallax.fetch import FetchOptions
from parallax.model import Article, Story
from parallax.online import default_online_options
from parallax.pipeline import IngestReport, Options, Report, analyze, build_stories, ingest, update_stories
from parallax.read import ReadOptions
from parallax.render import to_markdown, write_report
from parallax.serialize import story_to_dict
from parallax.store_protocol import ArticleStore
from parallax.stores import open_store, sqlite_path
from parallax.version import __version__

__all__ = ["app", "main"]

app = typer.Typer(
    name="parallax",
    help="Read many outlets' reports of the same news: stories, corroborated facts, cited summaries.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
T = TypeVar("T")

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="PARALLAX_DB",
        help="SQLite database file (created if missing), or a PostgreSQL URL: postgresql://USER@HOST/DBNAME.",
    ),
]
PathsArgument = Annotated[
    list[str],
    typer.Argument(
        help="Files, folders, URLs or feeds to read: text, Markdown, HTML, JSON Lines, CSV, RSS/Atom, URL lists, "
        ".gz/.zip, WARC; '-' reads stdin."
    ),
]
MaxBytesOption = Annotated[
    int, typer.Option("--max-bytes", min=1, help="Largest input accepted, in bytes; larger ones are dropped.")
]
IncludeOption = Annotated[
    list[str] | None,
    typer.Option("--include", help="Glob of files to read inside folders (repeatable): '*.html', 'world/*'."),
]
ExcludeOption = Annotated[
    list[str] | None, typer.Option("--exclude", help="Glob of files to skip inside folders (repeatable).")
]
ColumnOption = Annotated[
    list[str] | None,
    typer.Option("--column", help="FIELD=COLUMN for CSV/JSON Lines (repeatable), e.g. text=body, published=date."),
]
CacheOption = Annotated[
    Path | None,
    typer.Option("--cache-dir", file_okay=False, help="Cache of fetched pages (default: DB folder/parallax-cache)."),
]
NoFetchOption = Annotated[
    bool, typer.Option("--no-fetch", help="Never fetch: URLs, URL lists and feed links are listed as skipped.")
]
RefusePrivateOption = Annotated[
    bool,
    typer.Option("--refuse-private", help="Refuse URLs on loopback/private addresses (when fetching for others)."),
]
ReferenceDateOption = Annotated[
    datetime | None,
    typer.Option("--reference-date", formats=["%Y-%m-%d"], help="Date for texts that give none (YYYY-MM-DD)."),
]
OutletsOption = Annotated[
    Path | None,
    typer.Option("--outlets", exists=True, dir_okay=False, help="JSON file of outlets adding to the built-in list."),
]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers", min=1, help="Processes for clean/extract/annotate and per-story analysis (default: one per CPU)."
    ),
]
EngineOption = Annotated[
    str,
    typer.Option(
        "--engine", help="Where the passes run: local (this machine's processes) or ray (Ray Data; distributed extra)."
    ),
]
AddressOption = Annotated[
    str | None,
    typer.Option("--address", help="Ray cluster for --engine ray: ray://HOST:10001 or auto (default: start one here)."),
]
ENGINES = ("local", "ray")
DEFAULT_DB = "parallax.db"
DEFAULT_MAX_BYTES = ReadOptions().max_bytes
CACHE_FOLDER = "parallax-cache"


@dataclass(slots=True, frozen=True)
class _IngestFlags:
    """The reading flags `ingest` and `analyze` share, turned into stage options in one place."""

    max_bytes: int
    include: list[str] | None
    exclude: list[str] | None
    columns: list[str] | None
    cache_dir: Path | None
    no_fetch: bool
    refuse_private: bool
    reference_date: datetime | None = None
    outlets: Path | None = None
    workers: int | None = None

    def options(self, db: str) -> Options:
        columns: dict[str, str] = {}
        for pair in self.columns or []:
            field_name, sep, column = pair.partition("=")
            if not sep or not field_name.strip() or not column.strip():
                raise _fail(f"--column takes FIELD=COLUMN (e.g. text=body), got {pair!r}")
            columns[field_name.strip()] = column.strip()
        fetch = FetchOptions(
            cache_dir=self.cache_dir or _db_folder(db) / CACHE_FOLDER, refuse_private=self.refuse_private
        )
        try:
            read = ReadOptions(
                max_bytes=self.max_bytes,
                include=tuple(self.include or ()),
                exclude=tuple(self.exclude or ()),
                columns=columns,
                fetch=None if self.no_fetch else fetch,
            )
        except ValueError as error:
            raise _fail(str(error)) from None
        reference = self.reference_date.date() if self.reference_date else None
        extract = ExtractOptions(reference_date=reference, outlets_file=self.outlets)
        return Options(read=read, extract=extract, workers=self.workers)


def _fail(message: str, code: int = 2) -> typer.Exit:
    # Escaped: a message's own brackets ("pip install 'parallax-news[distributed]'") are not Rich markup.
    err.print(f"[red]error:[/red] {escape(message)}", markup=True, highlight=False)
    return typer.Exit(code)


@contextmanager
def _library_errors() -> Iterator[None]:
    try:
        yield
    except ParallaxError as error:
        raise _fail(str(error)) from None


@contextmanager
def _progress(label: str) -> Iterator[Callable[[str], None]]:
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed} done"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task(label)
        yield lambda _item: bar.advance(task)


def _print_ingest(report: IngestReport) -> None:
    for stage in report.stages:
        for item in stage.dropped_items:
            detail = f" ({item.detail})" if item.detail else ""
            err.print(f"skipped {item.source}: {item.reason}{detail}", markup=False, highlight=False)
    counts = [item for stage in report.stages for item in stage.counts.items()]
    fetched = {key.removeprefix("fetch_"): n for key, n in counts if key.startswith("fetch_")}
    if fetched:
        network, cached = fetched.get("network", 0), fetched.get("cache_hit", 0) + fetched.get("revalidated", 0)
        out.print(f"fetched {network} from the network, {cached} from the cache", markup=False, highlight=False)
    dropped = ", ".join(f"{reason} {count}" for reason, count in sorted(report.dropped.items())) or "none"
    out.print(
        f"read {len(report.article_ids)} articles: {report.added} new, {report.existing} already stored; "
        f"dropped: {dropped}",
        markup=False,
        highlight=False,
    )


def _db_folder(db: str) -> Path:
    """The folder of a SQLite store (the working folder for a PostgreSQL URL): the fetch cache goes there."""
    with _library_errors():
        path = sqlite_path(db)
    return path.resolve().parent if path is not None else Path.cwd()


def _require_existing(db: str, first: str) -> Path | None:
    """The SQLite file `db` names, failing when it does not exist (`first` says what creates it); None for a URL."""
    with _library_errors():
        path = sqlite_path(db)
    if path is not None and not path.exists():
        raise _fail(f"no database at {db}; run `{first} --db {db}` first")
    return path


def _with_store(db: str, action: Callable[[ArticleStore], T]) -> T:
    with _library_errors(), open_store(db) as store:
        return action(store)


@contextmanager
def _engine(engine: str, address: str | None) -> Iterator[None]:
    """Check --engine and --address; for --engine ray, start (or join) Ray around the block."""
    if engine not in ENGINES:
        raise _fail(f"unknown engine {engine!r}; use one of: {', '.join(ENGINES)}")
    if engine == "local":
        if address is not None:
            raise _fail("--address is for --engine ray")
        yield
        return
    from parallax.engine_ray import RayOptions, ray_session

    with _library_errors(), ray_session(RayOptions(address=address)):
        yield


@app.command("ingest")
def ingest_command(
    paths: PathsArgument,
    *,
    db: DbOption = DEFAULT_DB,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    column: ColumnOption = None,
    cache_dir: CacheOption = None,
    no_fetch: NoFetchOption = False,
    refuse_private: RefusePrivateOption = False,
    reference_date: ReferenceDateOption = None,
    outlets: OutletsOption = None,
    workers: WorkersOption = None,
    engine: EngineOption = "local",
    address: AddressOption = None,
    rebuild: Annotated[
        bool,
        typer.Option(
            "--rebuild",
            help="Re-cluster every stored article (in date order) instead of adding the new ones to the stories.",
        ),
    ] = False,
) -> None:
    """Read PATHS (files, folders, URLs, feeds; '-' = stdin) into the store and add them to its stories.

    The same input twice adds nothing. On a store clustered online (over 2,000 articles) new articles join the
    stories in the order they arrive and only the stories they touch are analysed again; --rebuild re-clusters
    everything in date order.
    """
    flags = _IngestFlags(
        max_bytes, include, exclude, column, cache_dir, no_fetch, refuse_private, reference_date, outlets, workers
    )
    options = flags.options(db)

    def run(store: ArticleStore) -> IngestReport:
        with _progress("reading") as tick:
            if engine == "ray":
                from parallax.engine_ray import build_stories_on_ray, ingest_on_ray, update_stories_on_ray

                report = ingest_on_ray(paths, store, options, progress=tick)
                if not report.nothing_read:
                    (build_stories_on_ray if rebuild else update_stories_on_ray)(store, options, progress=tick)
                return report
            report = ingest(paths, store, options, progress=tick)
            if not report.nothing_read:
                (build_stories if rebuild else update_stories)(store, options, progress=tick)
        return report

    with _engine(engine, address):
        report = _with_store(db, run)
    _print_ingest(report)
    if report.nothing_read:
        raise _fail("nothing could be read from the given paths (see the reasons above)", code=1)


@app.command("stories")
def stories_command(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(min=1, help="How many stories to list.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the stories in the store, most recent first."""
    stories = _with_store(db, lambda store: store.stories(limit=limit))
    if as_json:
        out.print_json(json.dumps([story_to_dict(s) for s in stories]))
        return
    table = Table("id", "articles", "facts", "first", "title")
    for story in stories:
        table.add_row(
            story.id,
            str(len(story.article_ids)),
            str(len(story.facts)),
            str(story.first_published or ""),
            story.title,
        )
    out.print(table)


@app.command("show")
def show_command(
    story_id: Annotated[str, typer.Argument(help="A story id from `parallax stories`.")],
    db: DbOption = DEFAULT_DB,
    output_format: Annotated[str, typer.Option("--format", help="md or json.")] = "md",
) -> None:
    """Show one story: its cited summary and its facts with the outlets that report each."""
    if output_format not in {"json", "md"}:
        raise _fail(f"unknown format {output_format!r}; use one of: md, json")

    def load(store: ArticleStore) -> tuple[Story, list[Article]]:
        story = store.story(story_id)
        return story, store.articles(story.article_ids)

    story, members = _with_store(db, load)
    if output_format == "json":
        out.print_json(json.dumps(story_to_dict(story)))
    else:
        sys.stdout.write(to_markdown(Report(members, [story])) + "\n")


@app.command("analyze")
def analyze_command(
    paths: PathsArgument,
    *,
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for report.json, report.md, index.html.", file_okay=False)
    ],
    db: Annotated[
        str | None,
        typer.Option("--db", envvar="PARALLAX_DB", help="SQLite file or postgresql:// URL (default: OUT/parallax.db)."),
    ] = None,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    column: ColumnOption = None,
    cache_dir: CacheOption = None,
    no_fetch: NoFetchOption = False,
    refuse_private: RefusePrivateOption = False,
    reference_date: ReferenceDateOption = None,
    outlets: OutletsOption = None,
    workers: WorkersOption = None,
    engine: EngineOption = "local",
    address: AddressOption = None,
) -> None:
    """Read PATHS, find the stories, compare the coverage, and write the report files into --out.

    With --engine ray, also articles.parquet, near_duplicates.parquet and stories.parquet.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    flags = _IngestFlags(
        max_bytes, include, exclude, column, cache_dir, no_fetch, refuse_private, reference_date, outlets, workers
    )
    db = db or str(out_dir / "parallax.db")
    options = flags.options(db)

    parquet: list[Path] = []

    def run(store: ArticleStore) -> Report:
        with _progress("analysing") as tick:
            if engine == "ray":
                from parallax.engine_ray import analyze_on_ray, write_parquet

                report = analyze_on_ray(paths, store, options, progress=tick)
                if not report.ingest or not report.ingest.nothing_read:
                    parquet.extend(write_parquet(report, store, out_dir))
                return report
            return analyze(paths, store, options, progress=tick)

    with _engine(engine, address):
        report = _with_store(db, run)
    if report.ingest is None:  # analyze always ingests; this narrows the type
        raise _fail("internal error: analyze returned no ingest report")
    _print_ingest(report.ingest)
    if report.ingest.nothing_read:
        raise _fail("nothing could be read from the given paths (see the reasons above)", code=1)
    for path in [*write_report(report, out_dir), *parquet]:
        out.print(f"wrote {path}", markup=False, highlight=False)
    out.print(f"{len(report.stories)} stories from {len(report.articles)} articles", markup=False)


@app.command("serve")
def serve_command(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="PARALLAX_TOKEN",
            show_envvar=True,
            help="Write token: clients that send it may add articles. Without one the server is read-only.",
        ),
    ] = None,
) -> None:
    """Serve the store at http://HOST:PORT (127.0.0.1 by default); read-only unless given a write token."""
    from parallax.serve import serve

    path = _require_existing(db, "parallax ingest PATH")
    if path is None:
        raise _fail(
            "parallax serve reads a SQLite store only for now; export the PostgreSQL store "
            "(parallax export --db URL --format site) or serve a SQLite file (--db FILE)"
        )
    mode = "adding articles needs the write token" if token else "read-only: no write token"
    out.print(f"serving {db} at http://{host}:{port} ({mode}; Ctrl+C to stop)", markup=False, highlight=False)
    with _library_errors():
        serve(path, host=host, port=port, token=token or None)


@app.command("export")
def export_command(
    *,
    db: DbOption = DEFAULT_DB,
    export_format: Annotated[str, typer.Option("--format", help="csv, parquet or site (static HTML).")] = "csv",
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the export into.", file_okay=False)],
    csv_raw: Annotated[bool, typer.Option("--csv-raw", help="CSV cells as stored: no ' before =, +, -, @.")] = False,
) -> None:
    """Export the store's facts and articles as CSV or Parquet, or the whole store as a static HTML site."""
    from parallax.export import FORMATS, export_store

    if export_format not in FORMATS:
        raise _fail(f"unknown format {export_format!r}; use one of: {', '.join(FORMATS)}")
    _require_existing(db, "parallax analyze PATH --out DIR")
    written = _with_store(db, lambda store: export_store(store, export_format, out_dir, csv_raw=csv_raw))
    shown = written if export_format != "site" else written[:1]
    for path in shown:
        out.print(f"wrote {path}", markup=False, highlight=False)
    if export_format == "site":
        out.print(f"wrote {len(written)} pages into {out_dir}", markup=False, highlight=False)


CLUSTERING_METHODS = ("tfidf", "online")
eval_app = typer.Typer(help="Score parallax on labeled data (the gates themselves: python -m parallax.gates).")
app.add_typer(eval_app, name="eval")


@eval_app.command("clustering")
def eval_clustering_command(
    path: Annotated[Path, typer.Argument(help="JSON Lines (.jsonl or .jsonl.gz) with a gold 'story' per record.")],
    where: Annotated[
        list[str] | None, typer.Option("--where", help="Keep records whose labels match KEY=VALUE (repeatable).")
    ] = None,
    threshold: Annotated[float | None, typer.Option(help="Override the clustering threshold.")] = None,
    method: Annotated[
        str, typer.Option(help="tfidf (the batch cluster.tfidf.v1) or online (cluster.online.v2, streamed by date).")
    ] = "tfidf",
) -> None:
    """Cluster a labeled file's articles and print B-cubed, pairwise F1 and ARI against its gold stories."""
    if method not in CLUSTERING_METHODS:
        raise _fail(f"unknown method {method!r}; use one of: {', '.join(CLUSTERING_METHODS)}")
    filters = {}
    for item in where or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise _fail(f"--where takes KEY=VALUE, got {item!r}")
        filters[key] = value
    if not path.is_file():
        raise _fail(f"{path}: no such file")
    options = DEFAULT_CLUSTER_OPTIONS if threshold is None else replace(DEFAULT_CLUSTER_OPTIONS, threshold=threshold)
    with _library_errors():
        labeled = load_labeled(path, where=filters or None)
        if method == "online":
            online = default_online_options()
            scores = evaluate_online(labeled, online if threshold is None else replace(online, threshold=threshold))
        else:
            scores = evaluate_clustering(labeled, options)
    out.print_json(json.dumps({"file": str(path), "dropped": labeled.dropped, **scores.to_dict()}))


@eval_app.command("compare")
def eval_compare_command(
    folder: Annotated[
        Path, typer.Argument(file_okay=False, help="An allsides_neus-shaped folder (stories.jsonl, articles.jsonl).")
    ],
    split: Annotated[str, typer.Option(help="Which split's stories to score (train or val).")] = "val",
    limit: Annotated[int | None, typer.Option(min=1, help="Score only the first N stories.")] = None,
) -> None:
    """Score the cited summaries against the neutral roundups (ROUGE-1/2/L), beside lead-1/lead-3 and random facts,
    with the loaded-term share of the summaries and of the articles."""
    from parallax.evaluate_compare import CompareEvalOptions, evaluate_compare

    if not (folder / "stories.jsonl").is_file():
        raise _fail(f"{folder}: no stories.jsonl (give the allsides_neus folder)")
    with _library_errors():
        figures = evaluate_compare(folder, split, CompareEvalOptions(limit=limit))
    out.print_json(json.dumps(figures))


@eval_app.command("framing")
def eval_framing_command(
    path: Annotated[Path, typer.Argument(help="NewsWCL50-shaped JSON Lines (labels.wcl_annotations per record).")],
) -> None:
    """Score the framing labels against word-choice annotations: label recall overall and per code type."""
    from parallax.evaluate_framing import evaluate_framing

    if not path.is_file():
        raise _fail(f"{path}: no such file")
    with _library_errors():
        figures = evaluate_framing(path)
    out.print_json(json.dumps({"file": str(path), **figures}))


@eval_app.command("extraction")
def eval_extraction_command(
    path: Annotated[Path, typer.Argument(help="JSON Lines (.jsonl or .jsonl.gz) of {id, url, html, gold_text}.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as one JSON object.")] = False,
) -> None:
    """Extract each page's main text and print the benchmark's word 4-gram shingle precision, recall and F1."""
    from parallax.evaluate_extraction import evaluate_extraction

    if not path.is_file():
        raise _fail(f"{path}: no such file")
    try:
        scores = evaluate_extraction(path)
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise _fail(f"{path}: cannot be read as UTF-8 JSON Lines, plain or gzip ({error})") from None
    figures = {"file": str(path), **scores.to_dict()}
    if as_json:
        out.print_json(json.dumps(figures))
        return
    for name, value in figures.items():
        out.print(f"{name:<17} {value}", markup=False, highlight=False)


@eval_app.command("dedup")
def eval_dedup_command(
    path: Annotated[Path, typer.Argument(help="JSON Lines (.jsonl or .jsonl.gz) of {id, url, text} records.")],
    originals: Annotated[int, typer.Option(min=0, help="Records to make variants of (a fixed-seed sample).")] = 2000,
    limit: Annotated[int | None, typer.Option(min=1, help="Read only the first N records.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as one JSON object.")] = False,
) -> None:
    """Find near duplicates in a records file plus generated variants; print pair precision and recall by band."""
    from parallax.evaluate_dedup import DedupEvalOptions, evaluate_dedup

    if not path.is_file():
        raise _fail(f"{path}: no such file")
    try:
        scores = evaluate_dedup(path, DedupEvalOptions(originals=originals, limit=limit))
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise _fail(f"{path}: cannot be read as UTF-8 JSON Lines, plain or gzip ({error})") from None
    figures = {"file": str(path), **scores.to_dict()}
    if as_json:
        out.print_json(json.dumps(figures))
        return
    for name, value in figures.items():
        if name != "unlabeled_examples":
            out.print(f"{name:<20} {value}", markup=False, highlight=False)


@app.command("version")
def version_command() -> None:
    """Print the version."""
    out.print(__version__)


def main() -> None:
    """Entry point of the `parallax` console script."""
    app()


if __name__ == "__main__":
    main()


@eval_app.command("extract")
def eval_extract_command(
    data: Annotated[
        Path, typer.Option("--data", file_okay=False, help="Folder of the evaluation data the gold sets point into.")
    ] = Path("../shared/data"),
    gold_dir: Annotated[
        Path | None, typer.Option("--gold-dir", file_okay=False, help="Folder of the gold sets (default: eval/gold).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as one JSON object.")] = False,
) -> None:
    """Score quotes, quantities and time expressions against the hand-annotated gold sets, per kind."""
    from parallax.evaluate_extract import GOLD_DIR, KINDS, evaluate_extract

    folder = gold_dir or GOLD_DIR
    missing = [spec.gold_file for spec in KINDS.values() if not (folder / spec.gold_file).is_file()]
    if missing:
        raise _fail(f"{folder}: no gold file {', '.join(missing)}; give --gold-dir")
    if not data.is_dir():
        raise _fail(f"{data}: no such folder; give --data (the evaluation data, e.g. ../shared/data)")
    try:
        figures = evaluate_extract(data, folder)
    except (OSError, KeyError, ValueError) as error:
        raise _fail(f"cannot score the gold sets against {data}: {error}") from None
    if as_json:
        out.print_json(json.dumps(figures))
        return
    table = Table("kind", "precision", "recall", "f1", "key figure")
    for kind, metrics in figures.items():
        headline = KINDS[kind].headline
        table.add_row(
            kind,
            f"{metrics['precision']:.3f}",
            f"{metrics['recall']:.3f}",
            f"{metrics['f1']:.3f}",
            f"{headline} {metrics[headline]:.3f}",
        )
    out.print(table)
