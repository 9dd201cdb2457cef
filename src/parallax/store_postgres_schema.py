"""The PostgreSQL store's schema: connecting, and the migrations that mirror SQLite's one for one.

Method `store.postgres.v1`. The tables, columns and indexes are those of `parallax.store.MIGRATIONS`, numbered the
same; the schema version lives in the one-row table `parallax_schema`. Each migration runs in its own transaction
under `pg_advisory_xact_lock`, so two processes opening a new database at once migrate it once, in order.

Differences that PostgreSQL asks for, none visible through the store interface:
- JSON (`data`, `report`) is TEXT, not JSONB: JSONB cannot hold U+0000 and reorders keys;
- ordered text columns use `COLLATE "C"` (code-point order, as SQLite's BINARY), whatever the database's locale;
- full-text search is a generated `tsvector` column with a GIN index over the text search configuration
  `parallax_search`: the `simple` one (no stemming, no stop words, as FTS5's unicode61) with `unaccent` first,
  so "Sao Paulo" finds "São Paulo" as on SQLite.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg.rows import TupleRow

from parallax.dedup import text_fingerprint
from parallax.errors import StoreError
from parallax.neardup import LEARNED_KEY as NEARDUP_KEY
from parallax.store_values import learned_from_json, saved_entry_buckets, story_view_rows

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "connect", "insert_story_view", "migrate", "redacted", "schema_version"]

Connection = psycopg.Connection[TupleRow]
Cursor = psycopg.Cursor[TupleRow]
Migration = tuple[int, Callable[[Connection], None]]

SEARCH_CONFIG = "parallax_search"
MIGRATION_LOCK = 0x70617261_6C6C6178  # "parallax": the advisory lock key that serialises migrations
CONNECT_TIMEOUT_SECONDS = 10


def _run(conn: Connection, *statements: str) -> None:
    for statement in statements:
        conn.execute(statement)


def _create_tables(conn: Connection) -> None:
    _run(
        conn,
        "CREATE TABLE raw_inputs (raw_hash TEXT PRIMARY KEY, source TEXT NOT NULL, size BIGINT NOT NULL,"
        " content BYTEA, first_seen TEXT NOT NULL)",
        'CREATE TABLE articles (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id TEXT COLLATE "C" NOT NULL'
        " UNIQUE, raw_hash TEXT NOT NULL, source TEXT NOT NULL, outlet TEXT, title TEXT, url TEXT,"
        ' published TEXT COLLATE "C", language TEXT, text TEXT NOT NULL, data TEXT NOT NULL, duplicate_of TEXT,'
        " added_at TEXT NOT NULL)",
        "CREATE INDEX articles_raw_hash ON articles (raw_hash)",
        "CREATE INDEX articles_published ON articles (published, id)",
        'CREATE TABLE article_sources (article_id TEXT COLLATE "C" NOT NULL REFERENCES articles (id)'
        ' ON DELETE CASCADE, source TEXT COLLATE "C" NOT NULL, PRIMARY KEY (article_id, source))',
        "CREATE TABLE rejects (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, source TEXT NOT NULL,"
        " reason TEXT NOT NULL, detail TEXT NOT NULL, raw_hash TEXT NOT NULL, at TEXT NOT NULL,"
        " UNIQUE (source, reason, raw_hash))",
        'CREATE TABLE stories (id TEXT COLLATE "C" PRIMARY KEY, title TEXT NOT NULL, method TEXT NOT NULL,'
        ' first_published TEXT COLLATE "C", last_published TEXT COLLATE "C", data TEXT NOT NULL)',
        'CREATE TABLE story_articles (story_id TEXT COLLATE "C" NOT NULL REFERENCES stories (id) ON DELETE CASCADE,'
        ' article_id TEXT COLLATE "C" NOT NULL REFERENCES articles (id), PRIMARY KEY (story_id, article_id))',
        "CREATE INDEX story_articles_article ON story_articles (article_id)",
        "CREATE TABLE runs (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, started_at TEXT NOT NULL,"
        " command TEXT NOT NULL, report TEXT NOT NULL)",
    )


def _add_search_index(conn: Connection) -> None:
    # A generated column follows edits by any client, as SQLite's triggers do; adding it indexes the rows
    # stored before this version (SQLite's 'rebuild'). Titles weigh more in the ranking, as a match there
    # says more about what the article is about.
    _run(
        conn,
        "CREATE EXTENSION IF NOT EXISTS unaccent",
        f"CREATE TEXT SEARCH CONFIGURATION {SEARCH_CONFIG} (COPY = pg_catalog.simple)",
        f"ALTER TEXT SEARCH CONFIGURATION {SEARCH_CONFIG} ALTER MAPPING FOR word, numword, hword, numhword,"
        " hword_part, hword_numpart WITH unaccent, simple",
        f"ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (setweight(to_tsvector("
        f"'{SEARCH_CONFIG}', coalesce(title, '')), 'A') || to_tsvector('{SEARCH_CONFIG}', text)) STORED",
        "CREATE INDEX articles_search ON articles USING GIN (search)",
    )


def _add_learned(conn: Connection) -> None:
    _run(
        conn,
        "CREATE TABLE learned (name TEXT PRIMARY KEY, method TEXT NOT NULL, data TEXT NOT NULL,"
        " updated_at TEXT NOT NULL)",
    )


def _add_near_duplicates(conn: Connection) -> None:
    _run(
        conn,
        "CREATE TABLE neardup_entries (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        ' article_id TEXT COLLATE "C" NOT NULL UNIQUE, signature BYTEA NOT NULL, shingles BYTEA NOT NULL)',
        'CREATE TABLE near_duplicates (article_id TEXT COLLATE "C" NOT NULL, other_id TEXT COLLATE "C" NOT NULL,'
        " jaccard DOUBLE PRECISION NOT NULL, containment DOUBLE PRECISION NOT NULL,"
        " other_containment DOUBLE PRECISION NOT NULL, method TEXT NOT NULL, PRIMARY KEY (article_id, other_id))",
        "CREATE INDEX near_duplicates_other ON near_duplicates (other_id)",
    )


def _add_filter_indexes(conn: Connection) -> None:
    _run(
        conn,
        "CREATE INDEX articles_outlet ON articles (outlet, published)",
        "CREATE INDEX articles_language ON articles (language, published)",
    )


def _add_story_views(conn: Connection) -> None:
    _run(
        conn,
        'CREATE TABLE story_views (story_id TEXT COLLATE "C" PRIMARY KEY REFERENCES stories (id) ON DELETE CASCADE,'
        " head TEXT NOT NULL, fact_total INTEGER NOT NULL, matrix TEXT NOT NULL, omissions TEXT NOT NULL)",
        'CREATE TABLE story_facts (story_id TEXT COLLATE "C" NOT NULL REFERENCES stories (id) ON DELETE CASCADE,'
        " position INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (story_id, position))",
    )
    with conn.cursor() as cursor:
        for story_id, data in conn.execute("SELECT id, data FROM stories ORDER BY id").fetchall():
            insert_story_view(cursor, story_id, json.loads(data))


def insert_story_view(cursor: Cursor, story_id: str, document: dict[str, Any]) -> None:
    """Write the story page's rows of a stored story (`parallax.story_view`). JSON text holds no U+0000 (json
    escapes it), so the rows need no cleaning."""
    view, facts = story_view_rows(story_id, document)
    cursor.execute(
        "INSERT INTO story_views (story_id, head, fact_total, matrix, omissions) VALUES (%s, %s, %s, %s, %s)", view
    )
    cursor.executemany("INSERT INTO story_facts (story_id, position, data) VALUES (%s, %s, %s)", facts)


def _add_lookup_keys(conn: Connection) -> None:
    _run(
        conn,
        "ALTER TABLE articles ADD COLUMN fingerprint TEXT",
        "CREATE TABLE neardup_buckets (bucket BIGINT NOT NULL, entry_seq BIGINT NOT NULL"
        " REFERENCES neardup_entries (seq), PRIMARY KEY (bucket, entry_seq))",
    )
    # Both fills go a page at a time, so a large store's texts and signatures are never all in memory.
    with conn.cursor() as cursor:
        after = 0
        while rows := conn.execute(
            "SELECT seq, data FROM articles WHERE seq > %s ORDER BY seq LIMIT 1000", (after,)
        ).fetchall():
            # `data` keeps the text as ingested (the text column has U+0000 replaced), so the fingerprint is the
            # one an ingest computes.
            cursor.executemany(
                "UPDATE articles SET fingerprint = %s WHERE seq = %s",
                [(text_fingerprint(json.loads(data)["text"]), seq) for seq, data in rows],
            )
            after = rows[-1][0]
        conn.execute("CREATE INDEX articles_fingerprint ON articles (fingerprint)")
        header = conn.execute("SELECT data FROM learned WHERE name = %s", (NEARDUP_KEY,)).fetchone()
        buckets = saved_entry_buckets(learned_from_json(header[0]) if header else None)
        after = 0
        while rows := conn.execute(
            "SELECT seq, signature FROM neardup_entries WHERE seq > %s ORDER BY seq LIMIT 1000", (after,)
        ).fetchall():
            cursor.executemany(
                "INSERT INTO neardup_buckets (bucket, entry_seq) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                [(bucket, seq) for seq, signature in rows for bucket in buckets(bytes(signature))],
            )
            after = rows[-1][0]


def _add_checkpoints(conn: Connection) -> None:
    _run(
        conn,
        'CREATE TABLE checkpoints (name TEXT COLLATE "C" PRIMARY KEY, method TEXT NOT NULL, version TEXT NOT NULL,'
        " data BYTEA NOT NULL, saved_at TEXT NOT NULL)",
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
"""The migrations of `parallax.store.MIGRATIONS`, same numbers, same order: append the mirror of each new one."""
SCHEMA_VERSION = MIGRATIONS[-1][0]

_VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS parallax_schema (singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),"
    " version INTEGER NOT NULL)"
)


def redacted(url: str) -> str:
    """The URL with its password hidden, for messages and logs."""
    return re.sub(r"(://[^/@:]*:)[^/@]*@", r"\1***@", url)


def connect(url: str) -> Connection:
    """Connect in autocommit mode (each write method opens its own transaction); StoreError says what failed."""
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS)
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(
            f"cannot connect to the PostgreSQL store {redacted(url)}: {reason}; check that the server runs and "
            "that the URL names an existing database (postgresql://USER@HOST:PORT/DBNAME)"
        ) from exc


def _stored_version(conn: Connection) -> int:
    if conn.execute("SELECT to_regclass('parallax_schema')").fetchone() in (None, (None,)):
        return 0
    row = conn.execute("SELECT version FROM parallax_schema").fetchone()
    return int(row[0]) if row else 0


def schema_version(conn: Connection, name: str) -> int:
    """The store's schema version (0 for an empty database); StoreError when newer than this parallax knows."""
    try:
        version = _stored_version(conn)
    except psycopg.Error as exc:
        raise StoreError(f"cannot read the schema version of the store {name}: {exc}") from exc
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{name} has schema version {version}, newer than the {SCHEMA_VERSION} this parallax knows: "
            "upgrade parallax (pip install -U parallax-news) or give another database"
        )
    return version


def migrate(conn: Connection, name: str, found: int) -> None:
    """Run each migration newer than `found`, each in its own transaction, serialised across processes."""
    for version, migration in MIGRATIONS:
        if version <= found:
            continue
        try:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                conn.execute(_VERSION_TABLE)
                # Another process may have migrated since `found` was read: check again under the lock.
                if _stored_version(conn) >= version:
                    continue
                migration(conn)
                conn.execute(
                    "INSERT INTO parallax_schema (version) VALUES (%s)"
                    " ON CONFLICT (singleton) DO UPDATE SET version = excluded.version",
                    (version,),
                )
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot migrate the store {name} to schema version {version}: {exc}; "
                "is it a parallax store? Give another database"
            ) from exc
