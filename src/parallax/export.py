"""Export a store's facts and articles as CSV or Parquet, or the whole store as a static HTML site.

- CSV (stdlib `csv`, UTF-8, a header row): `facts.csv` with one row per fact of every story, `articles.csv` with
  one row per article. Lists (outlets, article ids, agencies, story ids) are joined with `LIST_SEPARATOR`.
  Article text is untrusted and a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula
  (CSV injection, OWASP): such a text cell, or one starting with a tab or carriage return, gets a leading
  apostrophe, which spreadsheets show as text. `raw=True` (`parallax export --csv-raw`) writes cells exactly as
  stored, for programs that read CSV as data.
- Parquet (`pyarrow`, the `parquet` extra): the same two tables, raw values, lists as list columns, dates as dates.
- Site: `index.html`, `stories/<id>.html` and `articles/<id>.html`, linked with relative addresses so the folder
  can be opened from disk or served anywhere. Pages come from the package's autoescaping Jinja2 templates, under
  the same Content-Security-Policy as the web app, with the story plots of `parallax.plots` inline.

The web app serves the same exports under /api/export (`parallax.web_exports`): each format's text or bytes come
from the functions here (`facts_csv`, `articles_csv`, `facts_parquet`, `articles_parquet`, `write_site_zip`), and
the files the command line writes hold exactly those bytes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import astuple, dataclass, fields
from datetime import date
from pathlib import Path
from typing import IO, Any

from markupsafe import Markup

from parallax.errors import MissingDependencyError
from parallax.model import Article, Story, outlet_label
from parallax.plots import PlotLinks, coverage_svg, fact_matrix_svg
from parallax.render import highlight_segments, templates
from parallax.store_protocol import ArticleStore
from parallax.version import __version__

__all__ = [
    "FORMATS",
    "FORMULA_PREFIXES",
    "LIST_SEPARATOR",
    "ArticleRow",
    "FactRow",
    "article_rows",
    "articles_csv",
    "articles_parquet",
    "export_store",
    "fact_rows",
    "facts_csv",
    "facts_parquet",
    "neutralise_formula",
    "page_name",
    "site_pages",
    "write_csv",
    "write_parquet",
    "write_site",
    "write_site_zip",
]

LIST_SEPARATOR = "; "
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)."""
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


def neutralise_formula(text: str) -> str:
    """`text` with a leading apostrophe when a spreadsheet would read it as a formula (`FORMULA_PREFIXES`)."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _csv_cell(value: object, raw: bool) -> str | int:
    if value is None:
        return ""
    if isinstance(value, int):
        return value
    if isinstance(value, date):
        return value.isoformat()
    text = LIST_SEPARATOR.join(str(item) for item in value) if isinstance(value, tuple) else str(value)
    return text if raw else neutralise_formula(text)


def _csv_text(rows: Sequence[FactRow] | Sequence[ArticleRow], header: list[str], raw: bool) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([_csv_cell(value, raw) for value in astuple(row)] for row in rows)
    return buffer.getvalue()


def facts_csv(stories: Iterable[Story], *, raw: bool = False) -> str:
    """The facts table as CSV text (`raw`: no formula neutralising, see the module docstring)."""
    return _csv_text(fact_rows(stories), [f.name for f in fields(FactRow)], raw)


def articles_csv(articles: Iterable[Article], stories: Iterable[Story], *, raw: bool = False) -> str:
    """The articles table as CSV text (`raw`: no formula neutralising, see the module docstring)."""
    return _csv_text(article_rows(articles, stories), [f.name for f in fields(ArticleRow)], raw)


def write_csv(
    stories: Sequence[Story], articles: Sequence[Article], out_dir: str | Path, *, raw: bool = False
) -> list[Path]:
    """Write facts.csv and articles.csv into `out_dir` (created if missing); return their paths."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    outputs = {"facts.csv": facts_csv(stories, raw=raw), "articles.csv": articles_csv(articles, stories, raw=raw)}
    written = []
    for name, text in outputs.items():
        path = folder / name
        path.write_bytes(text.encode("utf-8"))  # bytes: the CSV's own \r\n line ends, on every platform
        written.append(path)
    return written


def _parquet_bytes(rows: Sequence[FactRow] | Sequence[ArticleRow], columns: Sequence[tuple[str, str]]) -> bytes:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as error:
        raise MissingDependencyError("Parquet export", "parquet", "pyarrow") from error
    kinds = {"text": pa.string(), "texts": pa.list_(pa.string()), "count": pa.int32(), "date": pa.date32()}
    values = [astuple(row) for row in rows]
    arrays = [pa.array([row[i] for row in values], type=kinds[kind]) for i, (_, kind) in enumerate(columns)]
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_arrays(arrays, names=[column for column, _ in columns]), sink)
    return bytes(sink.getvalue().to_pybytes())


def facts_parquet(stories: Iterable[Story]) -> bytes:
    """The facts table as a Parquet file's bytes (raw values); needs the `parquet` extra (pyarrow)."""
    return _parquet_bytes(fact_rows(stories), FACT_COLUMNS)


def articles_parquet(articles: Iterable[Article], stories: Iterable[Story]) -> bytes:
    """The articles table as a Parquet file's bytes (raw values); needs the `parquet` extra (pyarrow)."""
    return _parquet_bytes(article_rows(articles, stories), ARTICLE_COLUMNS)


def write_parquet(stories: Sequence[Story], articles: Sequence[Article], out_dir: str | Path) -> list[Path]:
    """Write facts.parquet and articles.parquet into `out_dir`; needs the `parquet` extra (pyarrow)."""
    outputs = {"facts.parquet": facts_parquet(stories), "articles.parquet": articles_parquet(articles, stories)}
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in outputs.items():
        path = folder / name
        path.write_bytes(data)
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


def site_pages(stories: Sequence[Story], articles: Sequence[Article]) -> Iterator[tuple[str, str]]:
    """The static site's pages, one at a time: (path inside the site, with '/' separators; its HTML)."""
    environment = templates()
    by_id = {article.id: article for article in articles}
    stories_of: dict[str, list[Story]] = {}
    for story in stories:
        for article_id in story.article_ids:
            stories_of.setdefault(article_id, []).append(story)

    def render(template: str, **context: Any) -> str:
        return environment.get_template(template).render(version=__version__, page_name=page_name, **context)

    in_story = set(stories_of)
    yield (
        "index.html",
        render(
            "site_index.html",
            stories=stories,
            outlets={story.id: _outlets(story, by_id) for story in stories},
            loose=[a for a in articles if a.id not in in_story],
            article_count=len(articles),
        ),
    )
    article_href: Callable[[str], str] = lambda article_id: f"../articles/{page_name(article_id)}"  # noqa: E731
    story_titles = {story.id: story.title for story in stories}
    links = PlotLinks(article_href=article_href, fact_href=lambda n: f"#fact-{n}")
    for story in stories:
        members = {i: by_id[i] for i in story.article_ids if i in by_id}
        yield (
            f"stories/{page_name(story.id)}",
            render(
                "site_story.html",
                story=story,
                articles=members,
                article_href=article_href,
                story_titles=story_titles,
                # parallax.plots escapes every piece of text it draws, so its SVG is markup, not data
                coverage=Markup(coverage_svg(list(members.values()), links=links)),  # noqa: S704
                matrix=Markup(fact_matrix_svg(story.facts, members, links=links)),  # noqa: S704
            ),
        )
    for article in articles:
        spans = _shared_spans(article.id, stories_of.get(article.id, []))
        yield (
            f"articles/{page_name(article.id)}",
            render(
                "site_article.html",
                article=article,
                stories=stories_of.get(article.id, []),
                segments=highlight_segments(article.text, spans) if spans else None,
            ),
        )


def write_site(stories: Sequence[Story], articles: Sequence[Article], out_dir: str | Path) -> list[Path]:
    """Write a static HTML site of the stories and articles into `out_dir`; return the paths written."""
    folder = Path(out_dir)
    (folder / "stories").mkdir(parents=True, exist_ok=True)
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    written = []
    for name, html in site_pages(stories, articles):
        path = folder / name
        path.write_text(html, encoding="utf-8")
        written.append(path)
    return written


def write_site_zip(stories: Sequence[Story], articles: Sequence[Article], target: IO[bytes]) -> int:
    """Write the static site as a zip archive (under a `parallax-site/` folder) to `target`; return its pages."""
    pages = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, html in site_pages(stories, articles):
            archive.writestr(f"parallax-site/{name}", html)
            pages += 1
    return pages


FORMATS: dict[str, Callable[[Sequence[Story], Sequence[Article], str | Path], list[Path]]] = {
    "csv": write_csv,
    "parquet": write_parquet,
    "site": write_site,
}


def export_store(store: ArticleStore, export_format: str, out_dir: str | Path, *, csv_raw: bool = False) -> list[Path]:
    """Export every story and article of `store` in `export_format` (one of `FORMATS`) into `out_dir`;
    `csv_raw` writes CSV cells exactly as stored (no formula neutralising; other formats are raw anyway)."""
    if export_format not in FORMATS:
        raise ValueError(f"unknown export format {export_format!r}; use one of: {', '.join(FORMATS)}")
    if export_format == "csv":
        return write_csv(store.stories(), store.articles(), out_dir, raw=csv_raw)
    return FORMATS[export_format](store.stories(), store.articles(), out_dir)
