"""Export a store's facts and articles as CSV or Parquet, or the whole store as a static HTML site.

- CSV (stdlib `csv`, UTF-8, a header row): `facts.csv` with one row per fact of every story, `articles.csv` with
  one row per article. Lists (outlets, article ids, agencies, story ids) are joined with `LIST_SEPARATOR`.
  Cells are written as they are stored: a spreadsheet may interpret a cell starting with `=`, so open untrusted
  exports as text.
- Parquet (`pyarrow`, the `parquet` extra): the same two tables, lists as list columns, dates as dates.
- Site: `index.html`, `stories/<id>.html` and `articles/<id>.html`, linked with relative addresses so the folder
  can be opened from disk or served anywhere. Pages come from the package's autoescaping Jinja2 templates, under
  the same Content-Security-Policy as the web app, with the story plots of `parallax.plots` inline.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import astuple, dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any

from markupsafe import Markup

from parallax.errors import MissingDependencyError
from parallax.model import Article, Story, outlet_label
from parallax.plots import coverage_svg, fact_matrix_svg
from parallax.render import highlight_segments, templates
from parallax.store import Store
from parallax.version import __version__

__all__ = [
    "FORMATS",
    "LIST_SEPARATOR",
    "ArticleRow",
    "FactRow",
    "article_rows",
    "export_store",
    "fact_rows",
    "page_name",
    "write_csv",
    "write_parquet",
    "write_site",
]

LIST_SEPARATOR = "; "
# Parquet column types by FactRow/ArticleRow field, in field order: lists stay lists, dates stay dates.
FACT_COLUMNS = (
    ("story_id", "text"),
    ("fact", "text"),
    ("independent_sources", "count"),
    ("article_count", "count"),
    ("outlets", "texts"),
    ("article_ids", "texts"),
)
ARTICLE_COLUMNS = (
    ("id", "text"),
    ("outlet", "text"),
    ("title", "text"),
    ("url", "text"),
    ("published", "date"),
    ("language", "text"),
    ("agencies", "texts"),
    ("story_ids", "texts"),
    ("duplicate_of", "text"),
)
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}")


@dataclass(slots=True, frozen=True)
class FactRow:
    """One fact of one story, with who states it."""

    story_id: str
    fact: str
    independent_sources: int
    article_count: int
    outlets: tuple[str, ...]
    article_ids: tuple[str, ...]


@dataclass(slots=True, frozen=True)
class ArticleRow:
    """One article's metadata and the stories it belongs to."""

    id: str
    outlet: str | None
    title: str | None
    url: str | None
    published: date | None
    language: str | None
    agencies: tuple[str, ...]
    story_ids: tuple[str, ...]
    duplicate_of: str | None


def fact_rows(stories: Iterable[Story]) -> list[FactRow]:
    """One row per fact, in story order then fact order."""
    return [
        FactRow(
            story.id,
            fact.text,
            fact.independent_sources,
            len(fact.article_ids),
            tuple(fact.outlets),
            tuple(fact.article_ids),
        )
        for story in stories
        for fact in story.facts
    ]


def article_rows(articles: Iterable[Article], stories: Iterable[Story]) -> list[ArticleRow]:
    """One row per article, in the given order, with the ids of the stories that hold it."""
    story_ids: dict[str, list[str]] = {}
    for story in stories:
        for article_id in story.article_ids:
            story_ids.setdefault(article_id, []).append(story.id)
    return [
        ArticleRow(
            article.id,
            article.outlet,
            article.title,
            article.url,
            article.published,
            article.language,
            tuple(article.agencies),
            tuple(story_ids.get(article.id, ())),
            article.duplicate_of,
        )
        for article in articles
    ]


def _csv_cell(value: object) -> str | int:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return value
    return str(value)


def _write_csv_rows(path: Path, rows: Sequence[FactRow] | Sequence[ArticleRow], header: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([_csv_cell(value) for value in astuple(row)] for row in rows)
    return path


def write_csv(stories: Sequence[Story], articles: Sequence[Article], out_dir: str | Path) -> list[Path]:
    """Write facts.csv and articles.csv into `out_dir` (created if missing); return their paths."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return [
        _write_csv_rows(folder / "facts.csv", fact_rows(stories), [f.name for f in fields(FactRow)]),
        _write_csv_rows(folder / "articles.csv", article_rows(articles, stories), [f.name for f in fields(ArticleRow)]),
    ]


def write_parquet(stories: Sequence[Story], articles: Sequence[Article], out_dir: str | Path) -> list[Path]:
    """Write facts.parquet and articles.parquet into `out_dir`; needs the `parquet` extra (pyarrow)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as error:
        raise MissingDependencyError("Parquet export", "parquet", "pyarrow") from error
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    kinds = {"text": pa.string(), "texts": pa.list_(pa.string()), "count": pa.int32(), "date": pa.date32()}
    tables = {
        "facts.parquet": ([astuple(row) for row in fact_rows(stories)], FACT_COLUMNS),
        "articles.parquet": ([astuple(row) for row in article_rows(articles, stories)], ARTICLE_COLUMNS),
    }
    written = []
    for name, (rows, columns) in tables.items():
        arrays = [pa.array([row[i] for row in rows], type=kinds[kind]) for i, (_, kind) in enumerate(columns)]
        path = folder / name
        pq.write_table(pa.Table.from_arrays(arrays, names=[column for column, _ in columns]), path)
        written.append(path)
    return written


def page_name(item_id: str) -> str:
    """The file name of an id's page: the id itself when it is a plain token, else a hash of it (never a path)."""
    if SAFE_NAME.fullmatch(item_id):
        return f"{item_id}.html"
    return "x-" + hashlib.sha256(item_id.encode()).hexdigest()[:20] + ".html"


def _shared_spans(article_id: str, stories: Iterable[Story]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for story in stories:
        for match in story.passages:
            if article_id in (match.a_id, match.b_id):
                mine = match if match.a_id == article_id else match.mirrored()
                spans.extend((p.a_start, p.a_end) for p in mine.passages)
    return spans


def _outlets(story: Story, articles: Mapping[str, Article]) -> list[str]:
    return sorted({outlet_label(articles[i]) for i in story.article_ids if i in articles})


def write_site(stories: Sequence[Story], articles: Sequence[Article], out_dir: str | Path) -> list[Path]:
    """Write a static HTML site of the stories and articles into `out_dir`; return the paths written."""
    folder = Path(out_dir)
    (folder / "stories").mkdir(parents=True, exist_ok=True)
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    environment = templates()
    by_id = {article.id: article for article in articles}
    stories_of: dict[str, list[Story]] = {}
    for story in stories:
        for article_id in story.article_ids:
            stories_of.setdefault(article_id, []).append(story)

    def render(path: Path, template: str, **context: Any) -> Path:
        page = environment.get_template(template).render(version=__version__, page_name=page_name, **context)
        path.write_text(page, encoding="utf-8")
        return path

    in_story = set(stories_of)
    written = [
        render(
            folder / "index.html",
            "site_index.html",
            stories=stories,
            outlets={story.id: _outlets(story, by_id) for story in stories},
            loose=[a for a in articles if a.id not in in_story],
            article_count=len(articles),
        )
    ]
    article_href: Callable[[str], str] = lambda article_id: f"../articles/{page_name(article_id)}"  # noqa: E731
    story_titles = {story.id: story.title for story in stories}
    for story in stories:
        members = {i: by_id[i] for i in story.article_ids if i in by_id}
        written.append(
            render(
                folder / "stories" / page_name(story.id),
                "site_story.html",
                story=story,
                articles=members,
                article_href=article_href,
                story_titles=story_titles,
                # parallax.plots escapes every piece of text it draws, so its SVG is markup, not data
                coverage=Markup(coverage_svg(list(members.values()))),  # noqa: S704
                matrix=Markup(fact_matrix_svg(story.facts, members)),  # noqa: S704
            )
        )
    for article in articles:
        spans = _shared_spans(article.id, stories_of.get(article.id, []))
        written.append(
            render(
                folder / "articles" / page_name(article.id),
                "site_article.html",
                article=article,
                stories=stories_of.get(article.id, []),
                segments=highlight_segments(article.text, spans) if spans else None,
            )
        )
    return written


FORMATS: dict[str, Callable[[Sequence[Story], Sequence[Article], str | Path], list[Path]]] = {
    "csv": write_csv,
    "parquet": write_parquet,
    "site": write_site,
}


def export_store(store: Store, export_format: str, out_dir: str | Path) -> list[Path]:
    """Export every story and article of `store` in `export_format` (one of `FORMATS`) into `out_dir`."""
    if export_format not in FORMATS:
        raise ValueError(f"unknown export format {export_format!r}; use one of: {', '.join(FORMATS)}")
    return FORMATS[export_format](store.stories(), store.articles(), out_dir)
