"""The store: every raw input, article, rejection, story and run report, kept in one SQLite file.

SQLite is the embedded default; `parallax.store_postgres.PostgresStore` keeps the same tables in PostgreSQL, and
both implement `parallax.store_protocol.ArticleStore` (`parallax.stores.open_store` picks one). The public methods
speak only model types (`Article`, `Story`, `DroppedItem`) and the small values of `parallax.store_values`.
Schema changes are migrations: small functions in `MIGRATIONS`, each run in its own transaction, with the
schema version kept in `PRAGMA user_version`; every migration is mirrored in `parallax.store_postgres_schema`.

    >>> with Store.open(":memory:") as store:
    ...     store.article_count()
    0
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from parallax.dedup import text_fingerprint as fingerprint
from parallax.errors import StoreError
from parallax.model import Article, Story
from parallax.neardup import LEARNED_KEY as NEARDUP_KEY
from parallax.neardup import IndexedArticle, NearDuplicate
from parallax.serialize import article_from_dict, story_from_dict, story_to_dict
from parallax.stages import DroppedItem
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
    saved_entry_buckets,
    stale_checkpoint,
    story_cites_missing,
    story_outline,
    story_params,
    story_view_rows,
    to_json,
    unknown_story,
)

# The value types live in parallax.store_values (both backends share them); they are re-exported here so that
# `from parallax.store import AddResult` keeps working.
__all__ = [
    "HIGHLIGHT_END",
    "HIGHLIGHT_START",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "AddResult",
    "SearchHit",
    "Store",
    "StoredInput",
]

MEMORY = ":memory:"
BUSY_TIMEOUT_SECONDS = 10.0
"""How long a writer waits for another connection's write lock; a batch commit takes well under a second."""

Migration = tuple[int, Callable[[sqlite3.Connection], None]]


def _run(conn: sqlite3.Connection, *statements: str) -> None:
    for statement in statements:
        conn.execute(statement)


def _create_tables(conn: sqlite3.Connection) -> None:
    # `seq` gives articles a stable integer rowid: the search index refers to it, and VACUUM may renumber
    # the implicit rowid of a table whose primary key is not an INTEGER.
    _run(
        conn,
        "CREATE TABLE raw_inputs (raw_hash TEXT PRIMARY KEY, source TEXT NOT NULL, size INTEGER NOT NULL,"
        " content BLOB, first_seen TEXT NOT NULL)",
        "CREATE TABLE articles (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, raw_hash TEXT NOT NULL,"
        " source TEXT NOT NULL, outlet TEXT, title TEXT, url TEXT, published TEXT, language TEXT,"
        " text TEXT NOT NULL, data TEXT NOT NULL, duplicate_of TEXT, added_at TEXT NOT NULL)",
        "CREATE INDEX articles_raw_hash ON articles (raw_hash)",
        "CREATE INDEX articles_published ON articles (published, id)",
        "CREATE TABLE article_sources (article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,"
        " source TEXT NOT NULL, PRIMARY KEY (article_id, source))",
        # raw_hash is '' rather than NULL when there is none: NULLs never collide in a UNIQUE constraint.
        "CREATE TABLE rejects (id INTEGER PRIMARY KEY, source TEXT NOT NULL, reason TEXT NOT NULL,"
        " detail TEXT NOT NULL, raw_hash TEXT NOT NULL, at TEXT NOT NULL, UNIQUE (source, reason, raw_hash))",
        "CREATE TABLE stories (id TEXT PRIMARY KEY, title TEXT NOT NULL, method TEXT NOT NULL,"
        " first_published TEXT, last_published TEXT, data TEXT NOT NULL)",
        "CREATE TABLE story_articles (story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,"
        " article_id TEXT NOT NULL REFERENCES articles (id), PRIMARY KEY (story_id, article_id))",
        "CREATE INDEX story_articles_article ON story_articles (article_id)",
        "CREATE TABLE runs (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, command TEXT NOT NULL,"
        " report TEXT NOT NULL)",
    )


def _add_search_index(conn: sqlite3.Connection) -> None:
    # External-content FTS5 over articles, kept in sync by triggers (so edits by any client are indexed);
    # remove_diacritics 2 lets "Sao Paulo" find "São Paulo". 'rebuild' indexes articles stored before v2.
    _run(
        conn,
        "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='seq',"
        " tokenize='unicode61 remove_diacritics 2')",
        "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN"
        " INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, new.title, new.text); END",
        "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN"
        " INSERT INTO articles_fts (articles_fts, rowid, title, text)"
        " VALUES ('delete', old.seq, old.title, old.text); END",
        "CREATE TRIGGER articles_fts_update AFTER UPDATE ON articles BEGIN"
        " INSERT INTO articles_fts (articles_fts, rowid, title, text)"
        " VALUES ('delete', old.seq, old.title, old.text);"
        " INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, new.title, new.text); END",
        "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')",
    )


def _add_learned(conn: sqlite3.Connection) -> None:
    # What stages learn across ingests (an outlet's template lines, say), by name, with the method that made it.
    _run(
        conn,
        "CREATE TABLE learned (name TEXT PRIMARY KEY, method TEXT NOT NULL, data TEXT NOT NULL,"
        " updated_at TEXT NOT NULL)",
    )


def _add_near_duplicates(conn: sqlite3.Connection) -> None:
    # The near-duplicate index, one row per article in the order added (so a later ingest resumes it), and the
    # verified pairs it found.
    _run(
        conn,
        "CREATE TABLE neardup_entries (seq INTEGER PRIMARY KEY, article_id TEXT NOT NULL UNIQUE,"
        " signature BLOB NOT NULL, shingles BLOB NOT NULL)",
        "CREATE TABLE near_duplicates (article_id TEXT NOT NULL, other_id TEXT NOT NULL, jaccard REAL NOT NULL,"
        " containment REAL NOT NULL, other_containment REAL NOT NULL, method TEXT NOT NULL,"
        " PRIMARY KEY (article_id, other_id))",
        "CREATE INDEX near_duplicates_other ON near_duplicates (other_id)",
    )


def _add_filter_indexes(conn: sqlite3.Connection) -> None:
    # The web app lists and filters articles by outlet and language (newest first): without these, every
    # filtered page scans the whole table.
    _run(
        conn,
        "CREATE INDEX articles_outlet ON articles (outlet, published)",
        "CREATE INDEX articles_language ON articles (language, published)",
    )


def _add_story_views(conn: sqlite3.Connection) -> None:
    # The story page's read model (`parallax.story_view`), written with each story; filled here for the stories
    # stored before.
    _run(
        conn,
        "CREATE TABLE story_views (story_id TEXT PRIMARY KEY REFERENCES stories (id) ON DELETE CASCADE,"
        " head TEXT NOT NULL, fact_total INTEGER NOT NULL, matrix TEXT NOT NULL, omissions TEXT NOT NULL)",
        "CREATE TABLE story_facts (story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,"
        " position INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (story_id, position))",
    )
    for story_id, data in conn.execute("SELECT id, data FROM stories ORDER BY id").fetchall():
        _insert_story_view(conn, story_id, json.loads(data))


def _add_lookup_keys(conn: sqlite3.Connection) -> None:
    # An ingest asks the store, not its memory, what it holds, so that its memory does not grow with the store:
    # each article's text fingerprint (exact duplicates) and each near-duplicate entry's LSH buckets. The search
    # index's update trigger now fires only when the title or text changes, not on every column (this migration
    # updates every article).
    _run(
        conn,
        "DROP TRIGGER articles_fts_update",
        "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN"
        " INSERT INTO articles_fts (articles_fts, rowid, title, text)"
        " VALUES ('delete', old.seq, old.title, old.text);"
        " INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, new.title, new.text); END",
        "ALTER TABLE articles ADD COLUMN fingerprint TEXT",
        "CREATE TABLE neardup_buckets (bucket INTEGER NOT NULL, entry_seq INTEGER NOT NULL"
        " REFERENCES neardup_entries (seq), PRIMARY KEY (bucket, entry_seq)) WITHOUT ROWID",
    )
    after = 0
    while rows := conn.execute(
        "SELECT seq, text FROM articles WHERE seq > ? ORDER BY seq LIMIT 1000", (after,)
    ).fetchall():
        conn.executemany("UPDATE articles SET fingerprint = ? WHERE seq = ?", ((fingerprint(t), q) for q, t in rows))
        after = rows[-1][0]
    conn.execute("CREATE INDEX articles_fingerprint ON articles (fingerprint)")
    header = conn.execute("SELECT data FROM learned WHERE name = ?", (NEARDUP_KEY,)).fetchone()
    buckets = saved_entry_buckets(learned_from_json(header[0]) if header else None)
    after = 0
    while rows := conn.execute(
        "SELECT seq, signature FROM neardup_entries WHERE seq > ? ORDER BY seq LIMIT 1000", (after,)
    ).fetchall():
        conn.executemany(
            "INSERT INTO neardup_buckets (bucket, entry_seq) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [(bucket, seq) for seq, signature in rows for bucket in buckets(bytes(signature))],
        )
        after = rows[-1][0]


def _add_checkpoints(conn: sqlite3.Connection) -> None:
    # The saved state behind the stored stories (the online clusterer's), so that new articles join the stories
    # without re-clustering the old ones (`pipeline.update_stories`).
    _run(
        conn,
        "CREATE TABLE checkpoints (name TEXT PRIMARY KEY, method TEXT NOT NULL, version TEXT NOT NULL,"
        " data BLOB NOT NULL, saved_at TEXT NOT NULL)",
    )


MIGRATIONS: list[Migration] = [
    (1, _create_tables),
    (2, _add_search_index),
    (3, _add_learned),
    (4, _add_near_duplicates),
    (5, _add_filter_indexes),
    (6, _add_story_views),
    (7, _add_lookup_keys),
    (8, _add_checkpoints),
]
"""Schema migrations in order: append a new `(version, function)`; never edit one that has shipped."""
SCHEMA_VERSION = MIGRATIONS[-1][0]


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    # IMMEDIATE takes the write lock at once, so a writer waits (busy timeout) instead of failing mid-batch.
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _set_wal(conn: sqlite3.Connection) -> None:
    # Switching a new file to WAL needs a moment alone with it, and SQLite answers "locked" at once, without
    # waiting on the busy timeout, when another connection is doing the same: wait and retry here instead.
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _configure(conn: sqlite3.Connection, name: str) -> int:
    """Set the connection's pragmas and return the schema version found, raising StoreError on a bad file."""
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        if name != MEMORY:
            _set_wal(conn)
            # NORMAL is safe in WAL mode: a power cut may lose the last commits but never corrupts the file.
            conn.execute("PRAGMA synchronous = NORMAL")
        version = _user_version(conn)
    except sqlite3.DatabaseError as exc:
        if exc.sqlite_errorcode == sqlite3.SQLITE_NOTADB:
            raise StoreError(
                f"{name} is not a SQLite database: give a new path for the store, or move that file away"
            ) from exc
        raise StoreError(f"cannot open the store {name}: {exc}") from exc
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{name} has schema version {version}, newer than the {SCHEMA_VERSION} this parallax knows: "
            "upgrade parallax (pip install -U parallax-news) or give a new path for the store"
        )
    return version


def _migrate(conn: sqlite3.Connection, name: str, found: int) -> None:
    """Run each migration newer than the store's version, each in its own transaction."""
    for version, migration in MIGRATIONS:
        if version <= found:
            continue
        try:
            with _transaction(conn):
                # Another process may have migrated since `found` was read: check again under the lock.
                if _user_version(conn) >= version:
                    continue
                migration(conn)
                # PRAGMA takes no placeholders; the version is an int from MIGRATIONS, never user input.
                conn.execute(f"PRAGMA user_version = {int(version)}")
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot migrate the store {name} to schema version {version}: {exc}; "
                "is it a parallax store? Give a new path for the store"
            ) from exc


_INSERT_ARTICLE = (
    "INSERT INTO articles (id, raw_hash, source, outlet, title, url, published, language, text, fingerprint,"
    " data, duplicate_of, added_at) VALUES (:id, :raw_hash, :source, :outlet, :title, :url, :published,"
    " :language, :text, :fingerprint, :data, :duplicate_of, :added_at) ON CONFLICT (id) DO NOTHING"
)
_UPDATE_ARTICLE = (
    "UPDATE articles SET raw_hash = :raw_hash, source = :source, outlet = :outlet, title = :title, url = :url,"
    " published = :published, language = :language, text = :text, fingerprint = :fingerprint, data = :data,"
    " duplicate_of = :duplicate_of"
    " WHERE id = :id"
)
_LINK_SOURCE = "INSERT INTO article_sources (article_id, source) VALUES (?, ?) ON CONFLICT DO NOTHING"
_ARTICLE_ORDER = "ORDER BY published NULLS LAST, id"
_INSERT_STORY = (
    "INSERT INTO stories (id, title, method, first_published, last_published, data) VALUES (?, ?, ?, ?, ?, ?)"
)


def _fts_query(text: str) -> str:
    """Turn user text into an FTS5 query of plain terms, each quoted, so no character is syntax."""
    # NUL ends an FTS5 string early ("unterminated string"), so it is treated as a space.
    terms = text.replace("\x00", " ").split()
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


class Store:
    """Articles, raw inputs, rejections, stories and run reports in a SQLite database."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    @classmethod
    def open(cls, path: str | Path) -> Store:
        """Open (creating and migrating as needed) the store at `path`; ":memory:" gives a throwaway one."""
        name = str(path)
        try:
            conn = sqlite3.connect(name, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store {name}: {exc}; check that its folder exists") from exc
        try:
            _migrate(conn, name, _configure(conn, name))
        except BaseException:
            conn.close()
            raise
        return cls(conn)

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def add_raw(self, raw_hash: str, source: str, content: bytes | None, size: int) -> None:
        """Keep a raw input as received; adding the same hash again keeps the first (filling missing content)."""
        with _transaction(self._conn) as conn:
            conn.execute(
                "INSERT INTO raw_inputs (raw_hash, source, size, content, first_seen) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (raw_hash) DO UPDATE SET content = COALESCE(raw_inputs.content, excluded.content)",
                (raw_hash, source, size, content, now()),
            )

    def raw_input(self, raw_hash: str) -> StoredInput | None:
        """Return the stored raw input with this hash, or None."""
        row = self._conn.execute(
            "SELECT raw_hash, source, size, content, first_seen FROM raw_inputs WHERE raw_hash = ?", (raw_hash,)
        ).fetchone()
        return StoredInput(*row) if row else None

    def add_articles(self, articles: Iterable[Article]) -> AddResult:
        """Insert new articles in one transaction; known ids are not re-inserted but their source is linked."""
        batch = list(articles)  # read the input before taking the write lock
        added_ids: list[str] = []
        added_at = now()
        with _transaction(self._conn) as conn:
            for article in batch:
                if conn.execute(_INSERT_ARTICLE, {**article_params(article), "added_at": added_at}).rowcount:
                    added_ids.append(article.id)
                conn.execute(_LINK_SOURCE, (article.id, article.source))
        return AddResult(len(added_ids), len(batch) - len(added_ids), added_ids)

    def update_articles(self, articles: Iterable[Article]) -> int:
        """Replace the stored data of articles already stored (for example a new `duplicate_of`); return how many."""
        batch = list(articles)
        updated = 0
        with _transaction(self._conn) as conn:
            for article in batch:
                if conn.execute(_UPDATE_ARTICLE, article_params(article)).rowcount:
                    updated += 1
                    conn.execute(_LINK_SOURCE, (article.id, article.source))
        return updated

    def add_rejects(self, items: Iterable[DroppedItem]) -> int:
        """Keep rejected inputs, once per (source, reason, raw hash); return how many were new."""
        added_at = now()
        rows = [(item.source, item.reason, item.detail, item.raw_hash or "", added_at) for item in items]
        with _transaction(self._conn) as conn:
            return sum(
                conn.execute(
                    "INSERT INTO rejects (source, reason, detail, raw_hash, at) VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT DO NOTHING",
                    row,
                ).rowcount
                for row in rows
            )

    def rejects(self) -> list[DroppedItem]:
        """Return every kept rejection, oldest first."""
        rows = self._conn.execute("SELECT source, reason, detail, raw_hash FROM rejects ORDER BY id")
        return [DroppedItem(source, reason, detail, raw_hash or None) for source, reason, detail, raw_hash in rows]

    def article(self, article_id: str) -> Article | None:
        """Return the stored article with this id, or None."""
        row = self._conn.execute("SELECT data FROM articles WHERE id = ?", (article_id,)).fetchone()
        return article_from_dict(json.loads(row[0])) if row else None

    def articles(self, ids: Sequence[str] | None = None) -> list[Article]:
        """Return the articles with these ids (all when None), by publication date (undated last), then id."""
        if ids is None:
            rows = self._conn.execute(f"SELECT data FROM articles {_ARTICLE_ORDER}")
        else:
            rows = self._conn.execute(
                f"SELECT data FROM articles WHERE id IN (SELECT value FROM json_each(?)) {_ARTICLE_ORDER}",
                (json.dumps(checked_ids(ids)),),
            )
        return [article_from_dict(json.loads(data)) for (data,) in rows]

    def originals(self, without: Collection[str] = (), *, outside_stories: bool = False) -> Iterator[Article]:
        """Yield the articles that are not exact duplicates, by publication date (undated last) then id, read a
        page at a time; the fields named in `without` ("raw_text", "quotes", ...) are left empty to save memory.
        With `outside_stories`, only those in no stored story (the articles added since the stories were made)."""
        return page_originals(
            lambda sql, params: self._conn.execute(sql, params).fetchall(), "?", without, outside_stories
        )

    def article_count(self) -> int:
        """Return how many articles the store holds."""
        return int(self._conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def article_ids(self) -> set[str]:
        """Return the id of every stored article."""
        return {article_id for (article_id,) in self._conn.execute("SELECT id FROM articles")}

    def known_ids(self, ids: Collection[str]) -> set[str]:
        """Return those of `ids` that are stored."""
        rows = self._conn.execute(
            "SELECT id FROM articles WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(checked_ids(ids)),)
        )
        return {article_id for (article_id,) in rows}

    def fingerprint_owners(self, fingerprints: Collection[str]) -> dict[str, str]:
        """For each of `fingerprints` (`parallax.dedup.text_fingerprint`) that a stored original (an article not
        marked a duplicate) has, that article's id: the first by publication date, then id, where several have."""
        rows = self._conn.execute(
            "SELECT fingerprint, id FROM articles WHERE duplicate_of IS NULL"
            f" AND fingerprint IN (SELECT value FROM json_each(?)) {_ARTICLE_ORDER}",
            (json.dumps(checked_ids(list(fingerprints))),),
        )
        return first_owners(rows)

    def article_sources(self, article_id: str) -> list[str]:
        """Return every source (path or URL) the article was read from, sorted."""
        rows = self._conn.execute(
            "SELECT source FROM article_sources WHERE article_id = ? ORDER BY source", (article_id,)
        )
        return [source for (source,) in rows]

    def replace_stories(self, stories: Iterable[Story], checkpoint: Checkpoint | None = None) -> None:
        """Replace every stored story with these, and the saved checkpoints with `checkpoint` (none: the old ones
        are dropped, as they describe the old stories), in one transaction."""
        with _transaction(self._conn) as conn:
            _run(
                conn,
                "DELETE FROM story_facts",
                "DELETE FROM story_views",
                "DELETE FROM story_articles",
                "DELETE FROM stories",
                "DELETE FROM checkpoints",
            )
            for story in stories:
                _insert_story(conn, story)
            if checkpoint is not None:
                conn.execute(
                    "INSERT INTO checkpoints (name, method, version, data, saved_at) VALUES (?, ?, ?, ?, ?)",
                    (checkpoint.name, checkpoint.method, new_version(), checkpoint.data, now()),
                )

    def put_stories(self, stories: Iterable[Story], checkpoint: Checkpoint) -> None:
        """Write these stories in place of the stored ones with the same ids (the others stay) and save
        `checkpoint` over the one of its name, in one transaction; raise StaleCheckpointError, writing nothing,
        when the stored checkpoint is no longer at `checkpoint.version` (another writer saved since)."""
        with _transaction(self._conn) as conn:
            saved = conn.execute(
                "UPDATE checkpoints SET method = ?, version = ?, data = ?, saved_at = ? WHERE name = ? AND version = ?",
                (checkpoint.method, new_version(), checkpoint.data, now(), checkpoint.name, checkpoint.version),
            )
            if saved.rowcount != 1:
                raise stale_checkpoint(checkpoint.name)
            for story in stories:
                for statement in STORY_ROWS_DELETE:
                    conn.execute(statement.format("?"), (story.id,))
                _insert_story(conn, story)

    def story_outlines(self) -> list[Story]:
        """Every stored story by id, with its title, members, method, dates and storyline only (what linking
        storylines reads), read without the rest of each story's document."""
        rows = self._conn.execute(
            "SELECT id, title, method, first_published, last_published, json_extract(data, '$.article_ids'),"
            " json_extract(data, '$.storyline') FROM stories ORDER BY id"
        )
        return [story_outline(row) for row in rows]

    def checkpoint(self, name: str) -> Checkpoint | None:
        """The checkpoint saved under `name`, or None."""
        row = self._conn.execute("SELECT method, version, data FROM checkpoints WHERE name = ?", (name,)).fetchone()
        return None if row is None else Checkpoint(name, row[0], bytes(row[2]), row[1])

    def stories(self, limit: int | None = None, offset: int = 0) -> list[Story]:
        """Return stories, latest first, then larger first, then by id; `limit` and `offset` page through them."""
        check_paging(limit, offset)
        rows = self._conn.execute(
            "SELECT data FROM stories AS s ORDER BY s.last_published DESC NULLS LAST,"
            " (SELECT COUNT(*) FROM story_articles AS sa WHERE sa.story_id = s.id) DESC, s.id"
            " LIMIT ? OFFSET ?",
            (-1 if limit is None else limit, offset),
        )
        return [story_from_dict(json.loads(data)) for (data,) in rows]

    def story(self, story_id: str) -> Story:
        """Return the story with this id, or raise UnknownStoryError."""
        row = self._conn.execute("SELECT data FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            raise unknown_story(story_id)
        return story_from_dict(json.loads(row[0]))

    def stories_for_article(self, article_id: str) -> list[str]:
        """Return the ids of the stories that include this article, sorted."""
        rows = self._conn.execute(
            "SELECT story_id FROM story_articles WHERE article_id = ? ORDER BY story_id", (article_id,)
        )
        return [story_id for (story_id,) in rows]

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search of titles and texts; the query is plain words (all must match), never syntax."""
        match = _fts_query(query)
        if not match:
            return []
        rows = self._conn.execute(
            "SELECT a.id, a.title, snippet(articles_fts, -1, ?, ?, ?, ?) FROM articles_fts"
            " JOIN articles AS a ON a.seq = articles_fts.rowid WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (HIGHLIGHT_START, HIGHLIGHT_END, SNIPPET_ELLIPSIS, SNIPPET_TOKENS, match, limit),
        )
        return [SearchHit(article_id, title, snippet) for article_id, title, snippet in rows]

    def learned(self, name: str) -> dict[str, Any] | None:
        """Return what was learned under `name` (a JSON object, with its "method"), or None."""
        row = self._conn.execute("SELECT data FROM learned WHERE name = ?", (name,)).fetchone()
        return learned_from_json(row[0]) if row else None

    def set_learned(self, name: str, data: dict[str, Any]) -> None:
        """Keep what was learned under `name`, replacing the previous value; `data["method"]` names its maker."""
        method = learned_method(name, data)
        with _transaction(self._conn) as conn:
            conn.execute(
                "INSERT INTO learned (name, method, data, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (name) DO UPDATE SET method = excluded.method, data = excluded.data,"
                " updated_at = excluded.updated_at",
                (name, method, to_json(data), now()),
            )

    def add_neardup_entries(self, entries: Iterable[IndexedArticle]) -> None:
        """Append near-duplicate index rows, each filed under its buckets (ids already stored are kept as they
        are)."""
        batch = list(entries)
        with _transaction(self._conn) as conn:
            conn.executemany(
                "INSERT INTO neardup_entries (article_id, signature, shingles) VALUES (?, ?, ?)"
                " ON CONFLICT (article_id) DO NOTHING",
                ((e.article_id, e.signature, e.shingles) for e in batch),
            )
            conn.executemany(
                "INSERT INTO neardup_buckets (bucket, entry_seq) SELECT ?, seq FROM neardup_entries"
                " WHERE article_id = ? ON CONFLICT DO NOTHING",
                neardup_bucket_rows(batch),
            )

    def neardup_entries(self, buckets: Collection[int] | None = None) -> Iterator[IndexedArticle]:
        """The near-duplicate index rows, in the order they were added: all of them, or those filed under any of
        `buckets` (`IndexedArticle.buckets`)."""
        if buckets is None:
            rows = self._conn.execute("SELECT article_id, signature, shingles FROM neardup_entries ORDER BY seq")
        else:
            rows = self._conn.execute(
                "SELECT article_id, signature, shingles FROM neardup_entries WHERE seq IN (SELECT entry_seq"
                " FROM neardup_buckets WHERE bucket IN (SELECT value FROM json_each(?))) ORDER BY seq",
                (json.dumps(sorted(buckets)),),
            )
        for row in rows:
            yield IndexedArticle(row[0], bytes(row[1]), bytes(row[2]))

    def add_near_duplicates(self, pairs: Iterable[NearDuplicate], method: str) -> None:
        """Keep verified near-duplicate pairs (a pair already stored is kept as it is)."""
        with _transaction(self._conn) as conn:
            conn.executemany(
                "INSERT INTO near_duplicates (article_id, other_id, jaccard, containment, other_containment, method)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                ((p.article_id, p.other_id, p.jaccard, p.containment, p.other_containment, method) for p in pairs),
            )

    def near_duplicates(self, article_id: str | None = None) -> list[NearDuplicate]:
        """Stored near-duplicate pairs, all or those involving `article_id`."""
        query = "SELECT article_id, other_id, jaccard, containment, other_containment FROM near_duplicates"
        rows = (
            self._conn.execute(f"{query} WHERE article_id = ? OR other_id = ?", (article_id, article_id))
            if article_id is not None
            else self._conn.execute(query)
        )
        return [NearDuplicate(*row) for row in rows]

    def add_run(self, command: str, report: dict[str, object]) -> int:
        """Keep a run's report (JSON-ready, as `StageReport.to_dict` gives) and return the run's id."""
        with _transaction(self._conn) as conn:
            cursor = conn.execute(
                "INSERT INTO runs (started_at, command, report) VALUES (?, ?, ?)",
                (now(), command, to_json(report)),
            )
        if cursor.lastrowid is None:  # pragma: no cover - SQLite always sets it after an INSERT
            raise StoreError("the run was stored without an id")
        return cursor.lastrowid

    def runs(self) -> list[dict[str, object]]:
        """Return every kept run, oldest first, as dicts with id, started_at, command and report."""
        rows = self._conn.execute("SELECT id, started_at, command, report FROM runs ORDER BY id")
        return [run_dict(*row) for row in rows]


def _insert_story_view(conn: sqlite3.Connection, story_id: str, document: dict[str, Any]) -> None:
    view, facts = story_view_rows(story_id, document)
    conn.execute("INSERT INTO story_views (story_id, head, fact_total, matrix, omissions) VALUES (?, ?, ?, ?, ?)", view)
    conn.executemany("INSERT INTO story_facts (story_id, position, data) VALUES (?, ?, ?)", facts)


def _insert_story(conn: sqlite3.Connection, story: Story) -> None:
    document = story_to_dict(story)
    try:
        conn.execute(_INSERT_STORY, story_params(story, document))
    except sqlite3.IntegrityError as exc:
        raise duplicate_story(story.id) from exc
    _insert_story_view(conn, story.id, document)
    try:
        conn.executemany(
            "INSERT INTO story_articles (story_id, article_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [(story.id, article_id) for article_id in story.article_ids],
        )
    except sqlite3.IntegrityError as exc:
        raise story_cites_missing(story.id) from exc
