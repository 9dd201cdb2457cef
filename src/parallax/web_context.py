"""What every route of the web app shares: the store's path, the templates, the write settings, the write lock,
and the parsing of list parameters (filters and paging) common to the HTML pages and their JSON twins.

Imported only by `parallax.serve.create_app`, once the `web` extra is known to be installed.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Query
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from parallax.errors import UnknownStoryError
from parallax.model import Article, Story
from parallax.render import source_label, templates
from parallax.store import Store
from parallax.version import __version__
from parallax.web_queries import Facets, ListFilters, facets, open_readonly, snippet_segments, store_version
from parallax.web_write import WriteSettings, uploads_dir_for

__all__ = ["DEFAULT_PAGE", "MAX_PAGE", "WebContext", "list_filters"]

DEFAULT_PAGE = 25
MAX_PAGE = 200


@dataclass(slots=True)
class WebContext:
    """The app's shared state; its methods are FastAPI dependencies and helpers of the route modules."""

    database: Path
    write: WriteSettings
    environment: Environment = field(default_factory=templates)
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    _facets: tuple[int, Facets] | None = None

    def __post_init__(self) -> None:
        self.environment.filters["snippet_segments"] = snippet_segments

    def store(self) -> Iterator[Store]:
        """A read-only store for one request's reads.

        FastAPI runs a sync dependency's set-up, the route and the clean-up in worker threads that may all differ,
        so the connection must not be tied to the thread that opened it (`Store.open`'s is: a sporadic 500 under
        a real server). The schema was migrated when the app started (`create_app`)."""
        opened = Store(open_readonly(self.database))
        try:
            yield opened
        finally:
            opened.close()

    def readonly(self) -> Iterator[sqlite3.Connection]:
        """A read-only SQL connection for one request's list queries."""
        conn = open_readonly(self.database)
        try:
            yield conn
        finally:
            conn.close()

    def facets(self, conn: sqlite3.Connection) -> Facets:
        """The store's outlets and languages, recounted only when articles were added (a full scan otherwise)."""
        version = store_version(conn)
        if self._facets is None or self._facets[0] != version:
            self._facets = (version, facets(conn))
        return self._facets[1]

    @property
    def uploads(self) -> Path:
        """Where this server saves pasted and uploaded inputs."""
        return self.write.uploads_dir or uploads_dir_for(self.database)

    def source_label(self, source: str) -> str:
        """An article's source as pages and the API show it: an upload as `uploads/…`, never a server path."""
        return source_label(source, self.uploads)

    def page(self, name: str, http_status: int = 200, **context: Any) -> HTMLResponse:
        """Render a template of the served app (scripts from 'self' allowed: the vendored htmx)."""
        html = self.environment.get_template(name).render(
            version=__version__, served=True, writable=self.write.enabled, **context
        )
        return HTMLResponse(html, status_code=http_status)


def load_story(db: Store, story_id: str) -> Story:
    """The story with this id, or a 404."""
    try:
        return db.story(story_id)
    except UnknownStoryError as error:
        raise HTTPException(404, str(error)) from error


def load_article(db: Store, article_id: str) -> Article:
    """The article with this id, or a 404."""
    article = db.article(article_id)
    if article is None:
        raise HTTPException(404, f"no article with id {article_id!r}: search for it at /api/search?q=WORDS")
    return article


def _date(value: str | None, name: str) -> date | None:
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise HTTPException(422, f"{name} must be a date like 2023-07-20, got {value.strip()[:40]!r}") from None


def list_filters(
    date_from: str | None = Query(None, alias="from", description="Earliest publication date (YYYY-MM-DD)."),
    date_to: str | None = Query(None, alias="to", description="Latest publication date (YYYY-MM-DD)."),
    outlet: str | None = Query(None, description="Only this outlet, as the store names it."),
    language: str | None = Query(None, description="Only this language (ISO 639-1 code, e.g. 'en')."),
) -> ListFilters:
    """Filters from query parameters; empty form fields mean no filter."""
    return ListFilters(
        date_from=_date(date_from, "from"),
        date_to=_date(date_to, "to"),
        outlet=outlet.strip() if outlet and outlet.strip() else None,
        language=language.strip() if language and language.strip() else None,
    )


def filter_params(filters: ListFilters) -> dict[str, str]:
    """The query parameters that reproduce `filters` (for links to other pages of a list)."""
    params = {
        "from": filters.date_from.isoformat() if filters.date_from else "",
        "to": filters.date_to.isoformat() if filters.date_to else "",
        "outlet": filters.outlet or "",
        "language": filters.language or "",
    }
    return {key: value for key, value in params.items() if value}
