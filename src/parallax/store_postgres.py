"""The PostgreSQL store: the SQLite store's tables, behaviour and interface, for a shared deployment.

Method `store.postgres.v1` (schema and migrations: `parallax.store_postgres_schema`). Open one with
`parallax.stores.open_store("postgresql://user@host/dbname")`; it implements `parallax.store_protocol.ArticleStore`
as `parallax.store.Store` does, with these PostgreSQL particulars:
- values go to the server as parameters (psycopg 3, server-side binding), never into the SQL text;
- adds are idempotent (`ON CONFLICT DO NOTHING`) and safe while other processes write: rows are taken in key
  order (so two overlapping ingests cannot deadlock), and a write whose order is kept (rejects) or that replaces
  a whole table (stories) locks that table against other writers, never against readers;
- PostgreSQL text cannot hold U+0000: text columns keep U+FFFD in its place, while the JSON `data` column, from
  which articles and stories are read back, keeps every character;
- search ranks by `ts_rank` over the log of the length (SQLite ranks by bm25), so hits may come in another order.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any

import psycopg
from psycopg import errors as pg_errors

from parallax.errors import StoreError
from parallax.model import Article, Story
from parallax.neardup import IndexedArticle, NearDuplicate
from parallax.serialize import article_from_dict, story_from_dict, story_to_dict
from parallax.stages import DroppedItem
from parallax.store_postgres_schema import (
    SEARCH_CONFIG,
    Connection,
    connect,
    insert_story_view,
    migrate,
    redacted,
    schema_version,
)
from parallax.store_values import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    SNIPPET_ELLIPSIS,
    SNIPPET_TOKENS,
    STORY_ROWS_DELETE,
    AddResult,
    Checkpoint,
    SearchHit,
    StoredInput,
    article_params,
    check_paging,
    checked_ids,
    duplicate_story,
    first_owners,
    learned_from_json,
    learned_method,
    neardup_bucket_rows,
    new_version,
    now,
    page_originals,
    run_dict,
    stale_checkpoint,
    story_cites_missing,
    story_outline,
    story_params,
    to_json,
    unknown_story,
)

__all__ = ["PostgresStore"]

NEARDUP_PAGE = 1000
"""Near-duplicate index rows fetched per query: the index streams in pages instead of loading whole."""
_HEADLINE_OPTIONS = (
    f'StartSel="{HIGHLIGHT_START}", StopSel="{HIGHLIGHT_END}", MaxWords={SNIPPET_TOKENS}, MinWords=5,'
    ' ShortWord=0, MaxFragments=1, FragmentDelimiter=" "'
)

_INSERT_ARTICLE = (
    "INSERT INTO articles (id, raw_hash, source, outlet, title, url, published, language, text, fingerprint,"
    " data, duplicate_of, added_at) VALUES (%(id)s, %(raw_hash)s, %(source)s, %(outlet)s, %(title)s, %(url)s,"
    " %(published)s, %(language)s, %(text)s, %(fingerprint)s, %(data)s, %(duplicate_of)s, %(added_at)s)"
    " ON CONFLICT (id) DO NOTHING RETURNING id"
)
_UPDATE_ARTICLE = (
    "UPDATE articles SET raw_hash = %(raw_hash)s, source = %(source)s, outlet = %(outlet)s, title = %(title)s,"
    " url = %(url)s, published = %(published)s, language = %(language)s, text = %(text)s,"
    " fingerprint = %(fingerprint)s, data = %(data)s, duplicate_of = %(duplicate_of)s WHERE id = %(id)s RETURNING id"
)
_LINK_SOURCE = "INSERT INTO article_sources (article_id, source) VALUES (%s, %s) ON CONFLICT DO NOTHING"
_ARTICLE_ORDER = "ORDER BY published NULLS LAST, id"
_LOCK_STORIES = "LOCK TABLE stories, story_articles, story_views, story_facts, checkpoints IN EXCLUSIVE MODE"
_SEARCH = (
    # Ranked first, on the matching rows' ids only; the snippets are made for the page of hits alone. A snippet
    # comes from the text when the text alone matches (its lexemes carry weight D, the title's A), else from
    # the title, as FTS5's snippet picks the column that matches.
    "SELECT a.id, a.title, snippet.source, ts_headline(%(config)s::regconfig, snippet.source, hits.query, %(options)s)"
    " FROM (SELECT a.seq, ts_rank(a.search, query, 1) AS rank, query"
    " FROM articles AS a, plainto_tsquery(%(config)s::regconfig, %(query)s) AS query WHERE a.search @@ query"
    " ORDER BY rank DESC, a.seq LIMIT %(limit)s) AS hits JOIN articles AS a ON a.seq = hits.seq"
    " CROSS JOIN LATERAL (SELECT CASE WHEN ts_filter(a.search, '{d}') @@ hits.query THEN a.text"
    " ELSE coalesce(a.title, '') END AS source) AS snippet ORDER BY hits.rank DESC, hits.seq"
)


def _clean(value: Any) -> Any:
    """A parameter PostgreSQL can store: text cannot hold U+0000, so it becomes U+FFFD."""
    return value.replace("\x00", "\ufffd") if isinstance(value, str) else value


def _row(*values: Any) -> tuple[Any, ...]:
    return tuple(_clean(value) for value in values)


def _params(values: dict[str, Any]) -> dict[str, Any]:
    return {key: _clean(value) for key, value in values.items()}


def _snippet(headline: str, source: str) -> str:
    """The headline with SQLite's ellipses where it cuts the source short (ts_headline adds none)."""
    plain = headline.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "").strip()
    whole = source.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "").strip()
    at = whole.find(plain)
    if at < 0:  # pragma: no cover - ts_headline returns a piece of the source as it is
        return f"{SNIPPET_ELLIPSIS}{headline.strip()}{SNIPPET_ELLIPSIS}"
    before, after = whole[:at], whole[at + len(plain) :]
    # Where only punctuation is left out (the final full stop), show it, as FTS5's snippet does.
    lead = SNIPPET_ELLIPSIS if any(c.isalnum() for c in before) else before
    tail = SNIPPET_ELLIPSIS if any(c.isalnum() for c in after) else after
    return f"{lead}{headline.strip()}{tail}"


class PostgresStore:
    """Articles, raw inputs, rejections, stories and run reports in a PostgreSQL database."""

    def __init__(self, conn: Connection, name: str) -> None:
        self._conn = conn
        self.name = name
        """The database URL, password hidden."""

    @classmethod
    def open(cls, url: str) -> PostgresStore:
        """Connect to the database at `url` (postgresql://...), creating and migrating the tables as needed."""
        name = redacted(url)
        conn = connect(url)
        try:
            migrate(conn, name, schema_version(conn, name))
        except BaseException:
            conn.close()
            raise
        return cls(conn, name)

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""
        self._conn.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def add_raw(self, raw_hash: str, source: str, content: bytes | None, size: int) -> None:
        """Keep a raw input as received; adding the same hash again keeps the first (filling missing content)."""
        self._conn.execute(
            "INSERT INTO raw_inputs (raw_hash, source, size, content, first_seen) VALUES (%s, %s, %s, %s, %s)"
            " ON CONFLICT (raw_hash) DO UPDATE SET content = COALESCE(raw_inputs.content, excluded.content)",
            _row(raw_hash, source, size, content, now()),
        )

    def raw_input(self, raw_hash: str) -> StoredInput | None:
        """Return the stored raw input with this hash, or None."""
        row = self._conn.execute(
            "SELECT raw_hash, source, size, content, first_seen FROM raw_inputs WHERE raw_hash = %s",
            _row(raw_hash),
        ).fetchone()
        return StoredInput(*row) if row else None

    def add_articles(self, articles: Iterable[Article]) -> AddResult:
        """Insert new articles in one transaction; known ids are not re-inserted but their source is linked."""
        batch = list(articles)
        if not batch:
            return AddResult(0, 0, [])
        added_at = now()
        # Sorted by id (a stable sort: the first of two same ids still wins) so that concurrent writers take
        # the unique-index entries in one order and cannot deadlock.
        ordered = sorted(batch, key=lambda article: article.id)
        params = [_params({**article_params(article), "added_at": added_at}) for article in ordered]
        links = sorted({_row(article.id, article.source) for article in batch})
        with self._conn.transaction(), self._conn.cursor() as cursor:
            inserted = _returned(cursor, _INSERT_ARTICLE, params)
            cursor.executemany(_LINK_SOURCE, links)
        added_ids = list(dict.fromkeys(a.id for a in batch if _clean(a.id) in inserted))
        return AddResult(len(added_ids), len(batch) - len(added_ids), added_ids)

    def update_articles(self, articles: Iterable[Article]) -> int:
        """Replace the stored data of articles already stored (for example a new `duplicate_of`); return how many."""
        batch = sorted(articles, key=lambda article: article.id)
        if not batch:
            return 0
        with self._conn.transaction(), self._conn.cursor() as cursor:
            updated = _returned(cursor, _UPDATE_ARTICLE, [_params(article_params(a)) for a in batch])
            cursor.executemany(_LINK_SOURCE, sorted({_row(a.id, a.source) for a in batch if _clean(a.id) in updated}))
        return sum(1 for article in batch if _clean(article.id) in updated)

    def add_rejects(self, items: Iterable[DroppedItem]) -> int:
        """Keep rejected inputs, once per (source, reason, raw hash); return how many were new."""
        at = now()
        rows = [_row(item.source, item.reason, item.detail, item.raw_hash or "", at) for item in items]
        if not rows:
            return 0
        with self._conn.transaction(), self._conn.cursor() as cursor:
            # Kept in the order given ("oldest first"), so writers take turns on the table instead of sorting.
            cursor.execute("LOCK TABLE rejects IN SHARE ROW EXCLUSIVE MODE")
            added = _returned(
                cursor,
                "INSERT INTO rejects (source, reason, detail, raw_hash, at) VALUES (%s, %s, %s, %s, %s)"
                " ON CONFLICT DO NOTHING RETURNING id",
                rows,
            )
        return len(added)

    def rejects(self) -> list[DroppedItem]:
        """Return every kept rejection, oldest first."""
        rows = self._conn.execute("SELECT source, reason, detail, raw_hash FROM rejects ORDER BY id")
        return [DroppedItem(source, reason, detail, raw_hash or None) for source, reason, detail, raw_hash in rows]

    def article(self, article_id: str) -> Article | None:
        """Return the stored article with this id, or None."""
        row = self._conn.execute("SELECT data FROM articles WHERE id = %s", _row(article_id)).fetchone()
        return article_from_dict(json.loads(row[0])) if row else None

    def articles(self, ids: Sequence[str] | None = None) -> list[Article]:
        """Return the articles with these ids (all when None), by publication date (undated last), then id."""
        if ids is None:
            rows = self._conn.execute(f"SELECT data FROM articles {_ARTICLE_ORDER}")
        else:
            wanted = [_clean(article_id) for article_id in checked_ids(ids)]
            rows = self._conn.execute(f"SELECT data FROM articles WHERE id = ANY(%s) {_ARTICLE_ORDER}", (wanted,))
        return [article_from_dict(json.loads(data)) for (data,) in rows]

    def originals(self, without: Collection[str] = (), *, outside_stories: bool = False) -> Iterator[Article]:
        """Yield the articles that are not exact duplicates, by publication date (undated last) then id, read a
        page at a time; the fields named in `without` ("raw_text", "quotes", ...) are left empty to save memory.
        With `outside_stories`, only those in no stored story (the articles added since the stories were made)."""
        return page_originals(
            lambda sql, params: self._conn.execute(sql, params).fetchall(), "%s", without, outside_stories
        )

    def article_count(self) -> int:
        """Return how many articles the store holds."""
        row = self._conn.execute("SELECT COUNT(*) FROM articles").fetchone()
        return int(row[0]) if row else 0

    def article_ids(self) -> set[str]:
        """Return the id of every stored article."""
        return {article_id for (article_id,) in self._conn.execute("SELECT id FROM articles")}

    def known_ids(self, ids: Collection[str]) -> set[str]:
        """Return those of `ids` that are stored."""
        wanted = [_clean(article_id) for article_id in checked_ids(list(ids))]
        rows = self._conn.execute("SELECT id FROM articles WHERE id = ANY(%s)", (wanted,))
        return {article_id for (article_id,) in rows}

    def fingerprint_owners(self, fingerprints: Collection[str]) -> dict[str, str]:
        """For each of `fingerprints` (`parallax.dedup.text_fingerprint`) that a stored original (an article not
        marked a duplicate) has, that article's id: the first by publication date, then id, where several have."""
        rows = self._conn.execute(
            "SELECT fingerprint, id FROM articles WHERE duplicate_of IS NULL AND fingerprint = ANY(%s)"
            f" {_ARTICLE_ORDER}",
            (checked_ids(list(fingerprints)),),
        )
        return first_owners(rows)

    def article_sources(self, article_id: str) -> list[str]:
        """Return every source (path or URL) the article was read from, sorted."""
        rows = self._conn.execute(
            "SELECT source FROM article_sources WHERE article_id = %s ORDER BY source", _row(article_id)
        )
        return [source for (source,) in rows]

    def replace_stories(self, stories: Iterable[Story], checkpoint: Checkpoint | None = None) -> None:
        """Replace every stored story with these, and the saved checkpoints with `checkpoint` (none: the old ones
        are dropped, as they describe the old stories), in one transaction."""
        with self._conn.transaction(), self._conn.cursor() as cursor:
            # Without the lock, a second writer's DELETE would not see the first one's new stories and both
            # sets would remain; readers are not blocked.
            cursor.execute(_LOCK_STORIES)
            for statement in (
                "DELETE FROM story_facts",
                "DELETE FROM story_views",
                "DELETE FROM story_articles",
                "DELETE FROM stories",
                "DELETE FROM checkpoints",
            ):
                cursor.execute(statement)
            for story in stories:
                _insert_story(cursor, story)
            if checkpoint is not None:
                cursor.execute(
                    "INSERT INTO checkpoints (name, method, version, data, saved_at) VALUES (%s, %s, %s, %s, %s)",
                    (*_row(checkpoint.name, checkpoint.method, new_version()), checkpoint.data, now()),
                )

    def put_stories(self, stories: Iterable[Story], checkpoint: Checkpoint) -> None:
        """Write these stories in place of the stored ones with the same ids (the others stay) and save
        `checkpoint` over the one of its name, in one transaction; raise StaleCheckpointError, writing nothing,
        when the stored checkpoint is no longer at `checkpoint.version` (another writer saved since)."""
        with self._conn.transaction(), self._conn.cursor() as cursor:
            cursor.execute(_LOCK_STORIES)
            cursor.execute(
                "UPDATE checkpoints SET method = %s, version = %s, data = %s, saved_at = %s"
                " WHERE name = %s AND version = %s",
                (checkpoint.method, new_version(), checkpoint.data, now(), *_row(checkpoint.name, checkpoint.version)),
            )
            if cursor.rowcount != 1:
                raise stale_checkpoint(checkpoint.name)
            for story in stories:
                for statement in STORY_ROWS_DELETE:
                    cursor.execute(statement.format("%s"), _row(story.id))
                _insert_story(cursor, story)

    def story_outlines(self) -> list[Story]:
        """Every stored story by id, with its title, members, method, dates and storyline only (what linking
        storylines reads), read without the rest of each story's document."""
        rows = self._conn.execute(
            "SELECT id, title, method, first_published, last_published, (data::json -> 'article_ids')::text,"
            " (data::json -> 'storyline')::text FROM stories ORDER BY id"
        )
        return [story_outline(row) for row in rows]

    def checkpoint(self, name: str) -> Checkpoint | None:
        """The checkpoint saved under `name`, or None."""
        row = self._conn.execute("SELECT method, version, data FROM checkpoints WHERE name = %s", _row(name)).fetchone()
        return None if row is None else Checkpoint(name, row[0], bytes(row[2]), row[1])

    def stories(self, limit: int | None = None, offset: int = 0) -> list[Story]:
        """Return stories, latest first, then larger first, then by id; `limit` and `offset` page through them."""
        check_paging(limit, offset)
        rows = self._conn.execute(
            "SELECT data FROM stories AS s ORDER BY s.last_published DESC NULLS LAST,"
            " (SELECT COUNT(*) FROM story_articles AS sa WHERE sa.story_id = s.id) DESC, s.id"
            " LIMIT %s OFFSET %s",
            (limit, offset),
        )
        return [story_from_dict(json.loads(data)) for (data,) in rows]

    def story(self, story_id: str) -> Story:
        """Return the story with this id, or raise UnknownStoryError."""
        row = self._conn.execute("SELECT data FROM stories WHERE id = %s", _row(story_id)).fetchone()
        if row is None:
            raise unknown_story(story_id)
        return story_from_dict(json.loads(row[0]))

    def stories_for_article(self, article_id: str) -> list[str]:
        """Return the ids of the stories that include this article, sorted."""
        rows = self._conn.execute(
            "SELECT story_id FROM story_articles WHERE article_id = %s ORDER BY story_id", _row(article_id)
        )
        return [story_id for (story_id,) in rows]

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search of titles and texts; the query is plain words (all must match), never syntax."""
        # plainto_tsquery, not websearch_to_tsquery: on SQLite '-rain' or 'or' are words to find, not operators.
        words = query.replace("\x00", " ")
        if not words.split():
            return []
        rows = self._conn.execute(
            _SEARCH,
            {"config": SEARCH_CONFIG, "options": _HEADLINE_OPTIONS, "query": words, "limit": limit},
        )
        return [
            SearchHit(article_id, title, _snippet(headline, source)) for article_id, title, source, headline in rows
        ]

    def learned(self, name: str) -> dict[str, Any] | None:
        """Return what was learned under `name` (a JSON object, with its "method"), or None."""
        row = self._conn.execute("SELECT data FROM learned WHERE name = %s", _row(name)).fetchone()
        return learned_from_json(row[0]) if row else None

    def set_learned(self, name: str, data: dict[str, Any]) -> None:
        """Keep what was learned under `name`, replacing the previous value; `data["method"]` names its maker."""
        method = learned_method(name, data)
        self._conn.execute(
            "INSERT INTO learned (name, method, data, updated_at) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (name) DO UPDATE SET method = excluded.method, data = excluded.data,"
            " updated_at = excluded.updated_at",
            _row(name, method, to_json(data), now()),
        )

    def add_neardup_entries(self, entries: Iterable[IndexedArticle]) -> None:
        """Append near-duplicate index rows, each filed under its buckets (ids already stored are kept as they
        are)."""
        batch = list(entries)
        rows = [_row(e.article_id, e.signature, e.shingles) for e in batch]
        with self._conn.transaction(), self._conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO neardup_entries (article_id, signature, shingles) VALUES (%s, %s, %s)"
                " ON CONFLICT (article_id) DO NOTHING",
                rows,
            )
            cursor.executemany(
                "INSERT INTO neardup_buckets (bucket, entry_seq) SELECT %s, seq FROM neardup_entries"
                " WHERE article_id = %s ON CONFLICT DO NOTHING",
                [_row(bucket, article_id) for bucket, article_id in neardup_bucket_rows(batch)],
            )

    def neardup_entries(self, buckets: Collection[int] | None = None) -> Iterator[IndexedArticle]:
        """The near-duplicate index rows, in the order they were added: all of them, or those filed under any of
        `buckets` (`IndexedArticle.buckets`)."""
        where = "" if buckets is None else " AND seq IN (SELECT entry_seq FROM neardup_buckets WHERE bucket = ANY(%s))"
        wanted = () if buckets is None else (sorted(buckets),)
        after = 0
        while True:
            rows = self._conn.execute(
                f"SELECT seq, article_id, signature, shingles FROM neardup_entries WHERE seq > %s{where}"
                " ORDER BY seq LIMIT %s",
                (after, *wanted, NEARDUP_PAGE),
            ).fetchall()
            for seq, article_id, signature, shingles in rows:
                after = seq
                yield IndexedArticle(article_id, bytes(signature), bytes(shingles))
            if len(rows) < NEARDUP_PAGE:
                return

    def add_near_duplicates(self, pairs: Iterable[NearDuplicate], method: str) -> None:
        """Keep verified near-duplicate pairs (a pair already stored is kept as it is)."""
        rows = sorted(
            _row(p.article_id, p.other_id, p.jaccard, p.containment, p.other_containment, method) for p in pairs
        )
        with self._conn.transaction(), self._conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO near_duplicates (article_id, other_id, jaccard, containment, other_containment, method)"
                " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                rows,
            )

    def near_duplicates(self, article_id: str | None = None) -> list[NearDuplicate]:
        """Stored near-duplicate pairs, all or those involving `article_id`."""
        query = "SELECT article_id, other_id, jaccard, containment, other_containment FROM near_duplicates"
        rows = (
            self._conn.execute(f"{query} WHERE article_id = %s OR other_id = %s", _row(article_id, article_id))
            if article_id is not None
            else self._conn.execute(query)
        )
        return [NearDuplicate(*row) for row in rows]

    def add_run(self, command: str, report: dict[str, object]) -> int:
        """Keep a run's report (JSON-ready, as `StageReport.to_dict` gives) and return the run's id."""
        row = self._conn.execute(
            "INSERT INTO runs (started_at, command, report) VALUES (%s, %s, %s) RETURNING id",
            _row(now(), command, to_json(report)),
        ).fetchone()
        if row is None:  # pragma: no cover - INSERT ... RETURNING always returns the row
            raise StoreError("the run was stored without an id")
        return int(row[0])

    def runs(self) -> list[dict[str, object]]:
        """Return every kept run, oldest first, as dicts with id, started_at, command and report."""
        rows = self._conn.execute("SELECT id, started_at, command, report FROM runs ORDER BY id")
        return [run_dict(*row) for row in rows]


def _returned(cursor: psycopg.Cursor[Any], statement: str, params: Sequence[Any]) -> set[str]:
    """Run `statement` (ending in RETURNING id) once per parameter set; return the ids it returned."""
    if not params:
        return set()
    cursor.executemany(statement, params, returning=True)
    returned: set[str] = set()
    while True:
        returned.update(str(row[0]) for row in cursor.fetchall())
        if not cursor.nextset():
            return returned


def _insert_story(cursor: psycopg.Cursor[Any], story: Story) -> None:
    document = story_to_dict(story)
    try:
        cursor.execute(
            "INSERT INTO stories (id, title, method, first_published, last_published, data)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            _row(*story_params(story, document)),
        )
    except pg_errors.UniqueViolation as exc:
        raise duplicate_story(story.id) from exc
    insert_story_view(cursor, story.id, document)
    try:
        cursor.executemany(
            "INSERT INTO story_articles (story_id, article_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            sorted({_row(story.id, article_id) for article_id in story.article_ids}),
        )
    except pg_errors.ForeignKeyViolation as exc:
        raise story_cites_missing(story.id) from exc
