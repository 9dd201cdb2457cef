"""open_store: which backend a path or URL opens, and what it says when it cannot; the CLI's --db on both."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import parallax.stores as stores_module
from parallax.cli import app
from parallax.errors import StoreError
from parallax.store import Store
from parallax.stores import is_database_url, open_store, sqlite_path
from pgserver import PostgresServer

runner = CliRunner()


def test_public_names_exist() -> None:
    assert all(hasattr(stores_module, name) for name in stores_module.__all__)


@pytest.mark.parametrize(
    ("target", "path"),
    [
        ("parallax.db", Path("parallax.db")),
        ("data/news.db", Path("data/news.db")),
        ("sqlite:///data/news.db", Path("data/news.db")),
        ("sqlite:////srv/news.db", Path("/srv/news.db")),
        (Path("/srv/news.db"), Path("/srv/news.db")),
        ("postgresql://me@db.example/news", None),
        ("postgres://db.example/news", None),
    ],
)
def test_sqlite_path_reads_paths_and_urls(target: str | Path, path: Path | None) -> None:
    assert sqlite_path(target) == path
    assert is_database_url(target) == (path is None)


def test_unknown_scheme_names_what_works() -> None:
    with pytest.raises(StoreError, match=r"unknown database URL scheme 'mysql'.*postgresql://"):
        open_store("mysql://me@db.example/news")


def test_path_and_sqlite_url_open_the_same_sqlite_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store("news.db") as store:
        assert isinstance(store, Store)
        store.add_run("ingest", {"stage": "read"})
    with open_store("sqlite:///news.db") as store:
        assert [run["command"] for run in store.runs()] == ["ingest"]


def test_postgresql_url_opens_a_postgres_store(postgres_server: PostgresServer) -> None:
    from parallax.store_postgres import PostgresStore

    url = postgres_server.new_database()
    try:
        for target in (url, url.replace("postgresql://", "postgres://", 1)):
            with open_store(target) as store:
                assert isinstance(store, PostgresStore)
    finally:
        postgres_server.drop_database(url)


def test_missing_psycopg_gives_the_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "parallax.store_postgres", raising=False)
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now raises ImportError
    with pytest.raises(StoreError, match=r"pip install 'parallax-news\[postgres\]'"):
        open_store("postgresql://me@127.0.0.1/news")


def test_cli_ingests_into_postgresql_and_lists_its_stories(postgres_server: PostgresServer, example_dir: Path) -> None:
    url = postgres_server.new_database()
    try:
        ingested = runner.invoke(app, ["ingest", str(example_dir), "--db", url, "--no-fetch", "--workers", "1"])
        assert ingested.exit_code == 0, ingested.output
        assert "read 5 articles: 5 new" in ingested.output
        listed = runner.invoke(app, ["stories", "--db", url, "--json"])
        assert listed.exit_code == 0, listed.output
        assert sorted(len(story["article_ids"]) for story in json.loads(listed.output)) == [1, 4]
    finally:
        postgres_server.drop_database(url)


def test_cli_serve_refuses_a_postgresql_url_saying_what_works() -> None:
    result = runner.invoke(app, ["serve", "--db", "postgresql://me@127.0.0.1/news"])
    assert result.exit_code == 2
    assert "reads a SQLite store only for now" in result.output


def test_cli_reports_an_unknown_scheme_in_one_line() -> None:
    result = runner.invoke(app, ["stories", "--db", "mysql://me@db.example/news"])
    assert result.exit_code == 2
    assert "unknown database URL scheme 'mysql'" in result.output
