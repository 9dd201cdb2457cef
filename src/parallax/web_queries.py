"""Read-only queries behind the web app's lists: stories and full-text search, filtered and paged, with totals.

`parallax.store.Store` returns whole stories and articles; the lists need less (a story's title, dates, article
count and outlets) and more (filters by date, outlet and language, totals for paging), in one SQL statement
each so that a list stays fast with tens of thousands of articles. They run on their own read-only connection
to the store's file, against the schema that `parallax.store` owns (method `web.queries.v1`).

    >>> filters = ListFilters(outlet="TRT World")
    >>> filters.is_empty
    False
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

__all__ = [
    "METHOD",
    "SNIPPET_MARK_END",
    "SNIPPET_MARK_START",
    "Facets",
    "ListFilters",
    "Page",
    "SearchRow",
    "StoryRow",
    "facets",
    "fts_match",
    "open_readonly",
    "plain_snippet",
    "search_articles",
    "snippet_segments",
    "store_version",
    "story_rows",
]

METHOD = "web.queries.v1"
SNIPPET_MARK_START = "\ue000"
SNIPPET_MARK_END = "\ue001"
"""Private-use characters around matched terms in a snippet: no article text uses them, unlike '[' and ']'."""
SNIPPET_TOKENS = 16

T = TypeVar("T")


@dataclass(slots=True, frozen=True)
class ListFilters:
    """What a list is narrowed to: a date range (inclusive), one outlet, one language; None leaves it open."""

    date_from: date | None = None
    date_to: date | None = None
    outlet: str | None = None
    language: str | None = None

    @property
    def is_empty(self) -> bool:
        """True when no filter is set."""
        return not (self.date_from or self.date_to or self.outlet or self.language)


@dataclass(slots=True, frozen=True)
class Page(Generic[T]):
    """One page of a list: its items, how many match in all, and where the page starts."""

    items: list[T]
    total: int
    limit: int
    offset: int

    @property
    def next_offset(self) -> int | None:
        """The offset of the next page, or None on the last one."""
        following = self.offset + self.limit
        return following if following < self.total else None

    @property
    def previous_offset(self) -> int | None:
        """The offset of the previous page, or None on the first one."""
        return max(0, self.offset - self.limit) if self.offset > 0 else None


@dataclass(slots=True, frozen=True)
class StoryRow:
    """A story as a list shows it."""

    id: str
    title: str
    first_published: str | None
    last_published: str | None
    articles: int
    outlets: list[str]


@dataclass(slots=True, frozen=True)
class SearchRow:
    """One article matching a search, with a snippet (matches between the SNIPPET_MARK characters)."""

    article_id: str
    title: str | None
    outlet: str | None
    published: str | None
    language: str | None
    snippet: str
    story_ids: list[str]


@dataclass(slots=True, frozen=True)
class Facets:
    """The outlets and languages the store holds, with article counts, for filter menus."""

    outlets: list[tuple[str, int]]
    languages: list[tuple[str, int]]


def open_readonly(path: str | Path) -> sqlite3.Connection:
    """Open the store's file read-only (a query here can never write)."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    return sqlite3.connect(uri, uri=True, timeout=10.0, check_same_thread=False)


def fts_match(text: str) -> str:
    """Turn user text into an FTS5 query of plain quoted terms (all must match), so no character is syntax."""
    terms = text.replace("\x00", " ").split()
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def _article_filters(filters: ListFilters, alias: str) -> tuple[list[str], dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if filters.date_from:
        clauses.append(f"{alias}.published >= :date_from")
        params["date_from"] = filters.date_from.isoformat()
    if filters.date_to:
        clauses.append(f"{alias}.published <= :date_to")
        params["date_to"] = filters.date_to.isoformat()
    if filters.outlet:
        clauses.append(f"{alias}.outlet = :outlet")
        params["outlet"] = filters.outlet
    if filters.language:
        clauses.append(f"{alias}.language = :language")
        params["language"] = filters.language
    return clauses, params


def _story_filters(filters: ListFilters) -> tuple[str, dict[str, Any]]:
    """A WHERE clause keeping stories that overlap the date range and have an article of the outlet/language."""
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if filters.date_from:
        clauses.append("s.last_published >= :date_from")
        params["date_from"] = filters.date_from.isoformat()
    if filters.date_to:
        clauses.append("s.first_published <= :date_to")
        params["date_to"] = filters.date_to.isoformat()
    member_filters, member_params = _article_filters(ListFilters(outlet=filters.outlet, language=filters.language), "a")
    if member_filters:
        clauses.append(
            "EXISTS (SELECT 1 FROM story_articles AS f JOIN articles AS a ON a.id = f.article_id"
            " WHERE f.story_id = s.id AND " + " AND ".join(member_filters) + ")"
        )
        params.update(member_params)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def story_rows(conn: sqlite3.Connection, filters: ListFilters, limit: int, offset: int) -> Page[StoryRow]:
    """Stories matching `filters`, latest first then larger first (as `Store.stories`), one page of them."""
    where, params = _story_filters(filters)
    total = int(conn.execute(f"SELECT COUNT(*) FROM stories AS s{where}", params).fetchone()[0])
    # The page is picked first, so that outlets are gathered for its rows only, not for every story.
    rows = conn.execute(
        "WITH page AS (SELECT s.id, s.title, s.first_published, s.last_published,"
        " (SELECT COUNT(*) FROM story_articles AS sa WHERE sa.story_id = s.id) AS size"
        f" FROM stories AS s{where} ORDER BY s.last_published DESC NULLS LAST, size DESC, s.id"
        " LIMIT :limit OFFSET :offset)"
        " SELECT p.id, p.title, p.first_published, p.last_published, p.size,"
        " (SELECT json_group_array(DISTINCT a.outlet) FROM story_articles AS sa JOIN articles AS a"
        "  ON a.id = sa.article_id WHERE sa.story_id = p.id AND a.outlet IS NOT NULL)"
        " FROM page AS p ORDER BY p.last_published DESC NULLS LAST, p.size DESC, p.id",
        {**params, "limit": limit, "offset": offset},
    )
    items = [
        StoryRow(story_id, title, first, last, int(size), sorted(json.loads(outlets or "[]")))
        for story_id, title, first, last, size, outlets in rows
    ]
    return Page(items, total, limit, offset)


def search_articles(
    conn: sqlite3.Connection, query: str, filters: ListFilters, limit: int, offset: int
) -> Page[SearchRow]:
    """Articles whose title or text has every word of `query`, best match first, with their stories."""
    match = fts_match(query)
    if not match:
        return Page([], 0, limit, offset)
    clauses, params = _article_filters(filters, "a")
    where = "".join(" AND " + clause for clause in clauses)
    params["match"] = match
    # CROSS JOIN keeps the full-text index as the outer loop: left to itself, SQLite may walk a filter's index
    # (every article of an outlet) and probe the full-text index once per article, 100x slower on 37.5k articles.
    join = " FROM articles_fts CROSS JOIN articles AS a ON a.seq = articles_fts.rowid WHERE articles_fts MATCH :match"
    # Unfiltered, the full-text index counts alone: joining every match to its article row costs 30x (27 ms
    # against 0.8 ms for a common word on 37.5k articles).
    count = (
        f"SELECT COUNT(*){join}{where}"
        if where
        else "SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH :match"
    )
    total = int(conn.execute(count, params).fetchone()[0])
    rows = conn.execute(
        "SELECT a.id, a.title, a.outlet, a.published, a.language,"
        " snippet(articles_fts, -1, :mark_start, :mark_end, '…', :tokens),"
        " (SELECT json_group_array(sa.story_id) FROM story_articles AS sa WHERE sa.article_id = a.id)"
        f"{join}{where} ORDER BY rank LIMIT :limit OFFSET :offset",
        {
            **params,
            "mark_start": SNIPPET_MARK_START,
            "mark_end": SNIPPET_MARK_END,
            "tokens": SNIPPET_TOKENS,
            "limit": limit,
            "offset": offset,
        },
    )
    items = [
        SearchRow(article_id, title, outlet, published, language, snippet, sorted(json.loads(stories or "[]")))
        for article_id, title, outlet, published, language, snippet, stories in rows
    ]
    return Page(items, total, limit, offset)


def store_version(conn: sqlite3.Connection) -> int:
    """A number that grows whenever articles are added (the last article's row number), to key caches on."""
    return int(conn.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0])


def facets(conn: sqlite3.Connection) -> Facets:
    """Every outlet and language with its number of articles, most articles first."""

    def counted(column: str) -> list[tuple[str, int]]:
        rows = conn.execute(
            f"SELECT {column}, COUNT(*) AS n FROM articles WHERE {column} IS NOT NULL AND {column} != ''"
            f" GROUP BY {column} ORDER BY n DESC, {column}"
        )
        return [(str(value), int(n)) for value, n in rows]

    return Facets(counted("outlet"), counted("language"))


def snippet_segments(snippet: str) -> list[tuple[str, bool]]:
    """Cut a marked snippet into (text, matched) runs for display."""
    segments: list[tuple[str, bool]] = []
    for index, part in enumerate(snippet.split(SNIPPET_MARK_START)):
        if index == 0:
            segments.append((part, False))
            continue
        matched, _, rest = part.partition(SNIPPET_MARK_END)
        segments += [(matched, True), (rest, False)]
    return [(text, matched) for text, matched in segments if text]


def plain_snippet(snippet: str) -> str:
    """The snippet with matches between '[' and ']', as `Store.search` gives it."""
    return snippet.replace(SNIPPET_MARK_START, "[").replace(SNIPPET_MARK_END, "]")
