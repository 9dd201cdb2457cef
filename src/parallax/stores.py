"""Open a store by where it lives: a path or `sqlite:///PATH` is SQLite, `postgresql://...` is PostgreSQL.

    >>> with open_store(":memory:") as store:
    ...     store.article_count()
    0

PostgreSQL needs the `postgres` extra (psycopg 3), imported only when a PostgreSQL URL is opened.
"""

from __future__ import annotations

from pathlib import Path

from parallax.errors import StoreError
from parallax.store import Store
from parallax.store_protocol import ArticleStore

__all__ = ["POSTGRES_SCHEMES", "is_database_url", "open_store", "sqlite_path"]

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
SQLITE_SCHEME = "sqlite:///"
POSTGRES_HINT = "pip install 'parallax-news[postgres]'"


def is_database_url(target: str | Path) -> bool:
    """True when `target` is a PostgreSQL URL rather than a SQLite file."""
    return str(target).startswith(POSTGRES_SCHEMES)


def sqlite_path(target: str | Path) -> Path | None:
    """The SQLite file `target` names (`sqlite:///rel/path`, `sqlite:////abs/path` or a plain path); None for a URL.

    Raise StoreError for a URL of a scheme that no backend speaks.
    """
    text = str(target)
    if is_database_url(text):
        return None
    if text.startswith(SQLITE_SCHEME):
        return Path(text.removeprefix(SQLITE_SCHEME))
    scheme, separator, _ = text.partition("://")
    if separator and scheme.isidentifier():
        raise StoreError(
            f"unknown database URL scheme {scheme!r} in {text!r}: give a file path, sqlite:///PATH or "
            "postgresql://USER@HOST/DBNAME"
        )
    return Path(text)


def open_store(target: str | Path) -> ArticleStore:
    """Open (creating and migrating as needed) the store at `target`: a SQLite path or a PostgreSQL URL."""
    path = sqlite_path(target)
    if path is not None:
        return Store.open(path)
    try:
        from parallax.store_postgres import PostgresStore
    except ImportError as exc:
        raise StoreError(f"a PostgreSQL store needs psycopg 3: {POSTGRES_HINT}") from exc
    return PostgresStore.open(str(target))
