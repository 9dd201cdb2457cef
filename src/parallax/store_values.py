"""What both store backends (SQLite `Store`, PostgreSQL `PostgresStore`) share: value types and row shapes.

The value types are what the store interface (`parallax.store_protocol.ArticleStore`) returns besides model types;
the row helpers turn model objects into the column values both schemas store, so the backends cannot drift apart
in what they keep.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from parallax.dedup import text_fingerprint
from parallax.errors import StaleCheckpointError, StoreError, UnknownStoryError
from parallax.model import Article, Story
from parallax.neardup import IndexedArticle, NearDuplicateIndex
from parallax.serialize import article_from_dict, article_to_dict, story_from_dict, story_to_dict
from parallax.story_view import story_view

__all__ = [
    "HIGHLIGHT_END",
    "HIGHLIGHT_START",
    "SNIPPET_ELLIPSIS",
    "SNIPPET_TOKENS",
    "AddResult",
    "Checkpoint",
    "SearchHit",
    "StoredInput",
]

HIGHLIGHT_START = "["
HIGHLIGHT_END = "]"
"""Markers around matched terms in `SearchHit.snippet`; plain text, so HTML views must escape the snippet."""
SNIPPET_ELLIPSIS = "…"
SNIPPET_TOKENS = 16
"""About how many words a search snippet shows around the matches."""


@dataclass(slots=True, frozen=True)
class AddResult:
    """What `add_articles` did: how many articles were new, how many already stored, and the new ids."""

    added: int
    existing: int
    added_ids: list[str]


@dataclass(slots=True, frozen=True)
class SearchHit:
    """One full-text search result: the article, its title and a snippet with the matches marked."""

    article_id: str
    title: str | None
    snippet: str


@dataclass(slots=True, frozen=True)
class StoredInput:
    """A raw input as stored: `content` is None when the input was over the reader's size cap."""

    raw_hash: str
    source: str
    size: int
    content: bytes | None
    first_seen: str


@dataclass(slots=True, frozen=True)
class Checkpoint:
    """A saved state behind the stored stories (the online clusterer's: `parallax.online_state`), as bytes.

    `version` is new at every save: a writer passes back the version it read, and the store refuses the write
    (`StaleCheckpointError`) when another writer saved since."""

    name: str
    method: str
    data: bytes
    version: str = ""


STORY_ROWS_DELETE = (
    "DELETE FROM story_facts WHERE story_id = {0}",
    "DELETE FROM story_views WHERE story_id = {0}",
    "DELETE FROM story_articles WHERE story_id = {0}",
    "DELETE FROM stories WHERE id = {0}",
)
"""The statements that remove one stored story's rows (`put_stories`), with the backend's placeholder."""


def new_version() -> str:
    """A fresh `Checkpoint.version`."""
    return uuid.uuid4().hex


def now() -> str:
    """The current UTC time as stored in the `*_at` and `first_seen` columns (ISO 8601, seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def to_json(data: object) -> str:
    """JSON text as stored in the `data` and `report` columns (control characters such as NUL are escaped)."""
    return json.dumps(data, ensure_ascii=False)


def article_params(article: Article) -> dict[str, Any]:
    """The column values of an article row; `data` holds the whole article, raw text included."""
    return {
        "id": article.id,
        "raw_hash": article.raw_hash,
        "source": article.source,
        "outlet": article.outlet,
        "title": article.title,
        "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "language": article.language,
        "text": article.text,
        "fingerprint": text_fingerprint(article.text),
        "data": to_json(article_to_dict(article, include_raw=True)),
        "duplicate_of": article.duplicate_of,
    }


def first_owners(rows: Iterable[tuple[str, str]]) -> dict[str, str]:
    """(fingerprint, article id) rows, in article order, as each fingerprint's first article."""
    owners: dict[str, str] = {}
    for fingerprint, article_id in rows:
        owners.setdefault(fingerprint, article_id)
    return owners


def neardup_bucket_rows(entries: Iterable[IndexedArticle]) -> Iterator[tuple[int, str]]:
    """(bucket, article id) rows of near-duplicate index entries: one per LSH bucket the entry is filed under."""
    for entry in entries:
        for bucket in entry.buckets:
            yield bucket, entry.article_id


def saved_entry_buckets(learned: dict[str, Any] | None) -> Callable[[bytes], tuple[int, ...]]:
    """For a migration: the buckets of a signature saved before buckets were stored, from the index header kept
    under `NEARDUP_KEY` (`learned`, None when no index was ever saved: then there are no entries either)."""
    if learned is None:
        return lambda signature: ()
    return NearDuplicateIndex.from_entries(learned, ()).buckets


StoryRow = tuple[str, str, str, str | None, str | None, str]


def story_params(story: Story, document: dict[str, Any] | None = None) -> StoryRow:
    """The column values of a story row: id, title, method, first and last published, data (`document`, the
    story's `story_to_dict`, when the caller has it already)."""
    first = story.first_published.isoformat() if story.first_published else None
    last = story.last_published.isoformat() if story.last_published else None
    data = story_to_dict(story) if document is None else document
    return (story.id, story.title, story.method, first, last, to_json(data))


def story_outline(row: tuple[Any, ...]) -> Story:
    """A `story_outlines` row (id, title, method, first and last published, the document's article ids and
    storyline as JSON text) as a `Story` without what its analysis found."""
    story_id, title, method, first, last, members, storyline = row
    outline = {"id": story_id, "title": title, "method": method, "first_published": first, "last_published": last}
    return story_from_dict(
        {**outline, "article_ids": json.loads(members), "storyline": json.loads(storyline or "null")}
    )


StoryViewRow = tuple[str, str, int, str, str]
StoryFactRow = tuple[str, int, str]


def story_view_rows(story_id: str, document: dict[str, Any]) -> tuple[StoryViewRow, list[StoryFactRow]]:
    """The story page's rows of a story document (`parallax.story_view`): its `story_views` row (story_id, head,
    fact_total, matrix, omissions) and its `story_facts` rows (story_id, 0-based position, fact)."""
    view = story_view(document)
    facts = [(story_id, position, fact) for position, fact in enumerate(view.facts)]
    return (story_id, view.head, view.fact_total, view.matrix, view.omissions), facts


ORIGINALS_PAGE = 500
"""Articles read per query by `originals` (keyset paging, so a long read holds no cursor open)."""
ORIGINALS_DATED = (
    "SELECT published, id, data FROM articles WHERE duplicate_of IS NULL AND published IS NOT NULL"
    " AND (published, id) > ({0}, {0}){1} ORDER BY published, id LIMIT {0}"
)
ORIGINALS_UNDATED = (
    "SELECT published, id, data FROM articles WHERE duplicate_of IS NULL AND published IS NULL"
    " AND id > {0}{1} ORDER BY id LIMIT {0}"
)
OUTSIDE_STORIES = " AND NOT EXISTS (SELECT 1 FROM story_articles AS sa WHERE sa.article_id = articles.id)"


def page_originals(
    fetch: Callable[[str, tuple[Any, ...]], list[tuple[Any, ...]]],
    placeholder: str,
    without: Collection[str],
    outside_stories: bool = False,
) -> Iterator[Article]:
    """`originals` for either backend: `fetch(sql, params)` runs one query and returns its rows."""
    only = OUTSIDE_STORIES if outside_stories else ""
    dated, undated = ORIGINALS_DATED.format(placeholder, only), ORIGINALS_UNDATED.format(placeholder, only)
    after: tuple[Any, ...] = ("", "")
    while True:
        rows = fetch(dated, (*after, ORIGINALS_PAGE))
        yield from (_article_without(data, without) for _, _, data in rows)
        if len(rows) < ORIGINALS_PAGE:
            break
        after = rows[-1][:2]
    after = ("",)
    while True:
        rows = fetch(undated, (*after, ORIGINALS_PAGE))
        yield from (_article_without(data, without) for _, _, data in rows)
        if len(rows) < ORIGINALS_PAGE:
            return
        after = rows[-1][1:2]


def _article_without(data: str, without: Collection[str]) -> Article:
    fields = json.loads(data)
    for name in without:
        fields.pop(name, None)
    return article_from_dict(fields)


def checked_ids(ids: Collection[str]) -> list[str]:
    """The ids as a list, refusing one bare str (a common slip: it would be read as a sequence of letters)."""
    if isinstance(ids, str):
        raise TypeError("ids must be a sequence of article ids, not one str: use article(id) for one")
    return list(ids)


def check_paging(limit: int | None, offset: int) -> None:
    """Refuse a negative limit or offset, naming what works."""
    if (limit is not None and limit < 0) or offset < 0:
        raise ValueError(f"limit and offset must be 0 or more (or limit None for all), not {limit}, {offset}")


def unknown_story(story_id: str) -> UnknownStoryError:
    """The error for a story id the store does not hold."""
    return UnknownStoryError(f"no story with id {story_id!r}: run `parallax stories` to list the ids")


def stale_checkpoint(name: str) -> StaleCheckpointError:
    """The error of a checkpoint write that lost a race with another writer."""
    return StaleCheckpointError(f"checkpoint {name!r} was saved by another writer since it was read: update again")


def duplicate_story(story_id: str) -> StoreError:
    """The error for a story id given twice to `replace_stories`."""
    return StoreError(f"story id {story_id!r} appears twice: story ids must be unique")


def story_cites_missing(story_id: str) -> StoreError:
    """The error for a story citing articles the store does not hold."""
    return StoreError(f"story {story_id!r} cites articles the store does not hold: add them with add_articles first")


def learned_method(name: str, data: dict[str, Any]) -> str:
    """The method name that learned data must carry under "method"; raise StoreError without one."""
    method = data.get("method")
    if not isinstance(method, str) or not method:
        raise StoreError(f"learned data for {name!r} must carry its method name under 'method'")
    return method


def learned_from_json(text: str) -> dict[str, Any] | None:
    """Stored learned data back as a dict (None when the stored JSON is not an object)."""
    data = json.loads(text)
    return data if isinstance(data, dict) else None


def run_dict(run_id: int, started_at: str, command: str, report: str) -> dict[str, object]:
    """One stored run as `runs()` returns it."""
    return {"id": run_id, "started_at": started_at, "command": command, "report": json.loads(report)}
