"""What only the PostgreSQL store does: its schema version table, migrations under a lock, its search column,
its connection errors. The behaviour both backends share is tested in tests/test_store.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

import parallax.store_postgres_schema as schema_module
from parallax import store as sqlite_store
from parallax.dedup import text_fingerprint
from parallax.errors import StoreError
from parallax.model import Article, content_hash
from parallax.neardup import NearDuplicateIndex
from parallax.serialize import article_to_dict
from parallax.store_postgres import PostgresStore
from parallax.store_postgres_schema import MIGRATIONS, SCHEMA_VERSION, redacted
from parallax.stores import open_store
from pgserver import PostgresServer


@pytest.fixture
def database(postgres_server: PostgresServer) -> Iterator[str]:
    url = postgres_server.new_database()
    yield url
    postgres_server.drop_database(url)


def make_article(article_id: str, title: str = "Floods in Porto", text: str = "Rain flooded the town.") -> Article:
    return Article(
        id=article_id,
        source=f"{article_id}.txt",
        raw_hash=content_hash(article_id.encode()),
        raw_text=f"{title}\n\n{text}",
        text=text,
        title=title,
    )


def stored_version(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT version FROM parallax_schema").fetchone()
        assert row is not None
        return int(row[0])


def test_migrations_mirror_sqlite_one_for_one() -> None:
    assert [version for version, _ in MIGRATIONS] == [version for version, _ in sqlite_store.MIGRATIONS]
    assert SCHEMA_VERSION == sqlite_store.SCHEMA_VERSION


def test_new_database_is_migrated_to_the_current_version(database: str) -> None:
    with open_store(database) as store:
        assert isinstance(store, PostgresStore)
    assert stored_version(database) == SCHEMA_VERSION


def test_store_from_newer_schema_raises(database: str) -> None:
    with psycopg.connect(database) as conn:
        conn.execute("CREATE TABLE parallax_schema (singleton BOOLEAN PRIMARY KEY DEFAULT TRUE, version INTEGER)")
        conn.execute("INSERT INTO parallax_schema (version) VALUES (%s)", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreError, match="upgrade parallax") as raised:
        open_store(database)
    assert database in str(raised.value)
    assert stored_version(database) == SCHEMA_VERSION + 1


def test_version_1_store_is_migrated_and_its_articles_indexed(database: str) -> None:
    article = make_article("a1", title="Floods in Porto")
    version, create_tables = MIGRATIONS[0]
    with psycopg.connect(database, autocommit=True) as conn:
        create_tables(conn)
        conn.execute(
            "CREATE TABLE parallax_schema (singleton BOOLEAN PRIMARY KEY DEFAULT TRUE, version INTEGER NOT NULL)"
        )
        conn.execute("INSERT INTO parallax_schema (version) VALUES (%s)", (version,))
        conn.execute(
            "INSERT INTO articles (id, raw_hash, source, title, text, data, added_at) VALUES (%s, %s, %s, %s, %s, %s,"
            " %s)",
            (article.id, article.raw_hash, article.source, article.title, article.text,
             json.dumps(article_to_dict(article, include_raw=True)), "2024-01-01T00:00:00+00:00"),
        )  # fmt: skip
    assert version == 1 < SCHEMA_VERSION

    with open_store(database) as store:
        assert store.article("a1") == article
        assert [hit.article_id for hit in store.search("porto")] == ["a1"]
        assert store.fingerprint_owners([text_fingerprint(article.text)]) == {text_fingerprint(article.text): "a1"}
    assert stored_version(database) == SCHEMA_VERSION


def test_version_6_near_duplicate_rows_are_filed_under_their_buckets(database: str) -> None:
    index = NearDuplicateIndex()
    index.add_many([("a1", "the council of porto passed the budget " * 5), ("a2", "a flood hit the valley " * 5)])
    with psycopg.connect(database, autocommit=True) as conn:
        for _, migration in MIGRATIONS[:6]:
            migration(conn)
        conn.execute(
            "CREATE TABLE parallax_schema (singleton BOOLEAN PRIMARY KEY DEFAULT TRUE, version INTEGER NOT NULL)"
        )
        conn.execute("INSERT INTO parallax_schema (version) VALUES (6)")
        for entry in map(index.entry, ["a1", "a2"]):
            conn.execute(
                "INSERT INTO neardup_entries (article_id, signature, shingles) VALUES (%s, %s, %s)",
                (entry.article_id, entry.signature, entry.shingles),
            )
        conn.execute(
            "INSERT INTO learned (name, method, data, updated_at) VALUES ('neardup_index', %s, %s, '2024-01-01')",
            (index.method, json.dumps(index.header)),
        )
    with open_store(database) as store:
        found = list(store.neardup_entries(index.entry("a2").buckets[:1]))
    assert [(e.article_id, e.signature) for e in found] == [("a2", index.entry("a2").signature)]


def test_reopening_a_current_store_runs_no_migration(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(database) as store:
        store.add_articles([make_article("a1")])

    def must_not_run(conn: object) -> None:
        raise AssertionError("a migration ran on a current store")

    monkeypatch.setattr(schema_module, "MIGRATIONS", [(version, must_not_run) for version, _ in MIGRATIONS])
    with open_store(database) as store:
        assert store.article_count() == 1


def test_concurrent_openers_of_a_new_database_migrate_it_once(database: str) -> None:
    def open_and_count(_: int) -> int:
        with open_store(database) as store:
            return store.article_count()

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(open_and_count, range(8))) == [0] * 8
    assert stored_version(database) == SCHEMA_VERSION


def test_database_holding_other_tables_is_refused(database: str) -> None:
    with psycopg.connect(database) as conn:
        conn.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, body TEXT)")
    with pytest.raises(StoreError, match="is it a parallax store"):
        open_store(database)


def test_search_index_follows_edits_by_any_client(database: str) -> None:
    with open_store(database) as store:
        store.add_articles([make_article("a1", title="Floods in Porto"), make_article("a2", title="Vote in Faro")])
    with psycopg.connect(database) as conn:
        conn.execute("DELETE FROM articles WHERE id = 'a1'")
        conn.execute("UPDATE articles SET title = 'Vote in Braga' WHERE id = 'a2'")
    with open_store(database) as store:
        assert store.search("porto") == []
        assert store.search("faro") == []
        assert [hit.article_id for hit in store.search("braga")] == ["a2"]


def test_nul_characters_round_trip_and_stay_searchable(database: str) -> None:
    article = make_article("a1", title="Floods\x00in Porto", text="Rain\x00flooded the town.")
    with open_store(database) as store:
        store.add_articles([article])
        assert store.article("a1") == article
        assert [hit.article_id for hit in store.search("porto")] == ["a1"]


def test_ordering_is_by_code_point_whatever_the_database_locale(postgres_server: PostgresServer) -> None:
    # An English collation puts "a" before "B"; code-point order (SQLite's BINARY) puts upper case first.
    url = postgres_server.new_database(icu_locale="en-US")
    try:
        with psycopg.connect(url) as conn:
            collated = [row[0] for row in conn.execute("SELECT x FROM (VALUES ('a'), ('B')) AS t (x) ORDER BY x")]
        if collated == ["B", "a"]:
            pytest.skip("this database's locale already sorts by code point, so the test could not fail")
        with open_store(url) as store:
            store.add_articles([make_article("a"), make_article("c"), make_article("B")])
            assert [a.id for a in store.articles()] == ["B", "a", "c"]
            assert [a.id for a in store.articles(["c", "a", "B"])] == ["B", "a", "c"]
    finally:
        postgres_server.drop_database(url)


def test_unreachable_server_error_names_the_url_without_its_password(postgres_server: PostgresServer) -> None:
    url = f"postgresql://someone:hunter2@127.0.0.1:{postgres_server.port}/no_such_database"
    with pytest.raises(StoreError, match="check that the server runs") as raised:
        open_store(url)
    assert "hunter2" not in str(raised.value)
    assert "postgresql://someone:***@127.0.0.1" in str(raised.value)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://me:secret@db.example/news", "postgresql://me:***@db.example/news"),
        ("postgresql://me@db.example/news", "postgresql://me@db.example/news"),
        ("postgres://db.example:5433/news", "postgres://db.example:5433/news"),
    ],
)
def test_redacted_hides_only_the_password(url: str, shown: str) -> None:
    assert redacted(url) == shown
