"""The web app's HTML pages: stories with search and filters, a story, an article, the add form, the API list.

Each page has a JSON twin in `parallax.web_api`. Article text only ever reaches a page through autoescaped
templates; every page works without JavaScript (links, forms and `<details>`), htmx only updates in place.
"""

from __future__ import annotations

import sqlite3

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse

from parallax.errors import UnknownStoryError
from parallax.loaded import METHOD as LOADED_METHOD
from parallax.loaded import find_loaded
from parallax.model import Article, Story, outlet_label
from parallax.store import Store
from parallax.web_context import (
    DEFAULT_PAGE,
    MAX_PAGE,
    WebContext,
    filter_params,
    list_filters,
    load_article,
    load_story,
)
from parallax.web_queries import ListFilters, search_articles, story_rows
from parallax.web_views import coverage_timeline, fact_matrix, marked_segments

__all__ = ["METADATA_FIELDS", "pages_router"]

METADATA_FIELDS = ("title", "outlet", "url", "published", "language", "byline", "agencies", "photo_credits")
"""Article fields shown in the metadata table, each beside where it came from."""


def _metadata(article: Article) -> list[tuple[str, str]]:
    rows = []
    for name in METADATA_FIELDS:
        value = getattr(article, name)
        if isinstance(value, list):
            value = ", ".join(value)
        if value:
            rows.append((name, str(value)))
    return rows


def _shared_spans(db: Store, article_id: str, story_ids: list[str]) -> tuple[list[tuple[int, int]], list[Article]]:
    """The spans of the article's text that it shares with others of its stories, and those others."""
    spans: list[tuple[int, int]] = []
    others: dict[str, None] = {}
    for story_id in story_ids:
        for match in db.story(story_id).passages:
            if article_id in (match.a_id, match.b_id):
                mine = match if match.a_id == article_id else match.mirrored()
                others.setdefault(mine.b_id)
                spans.extend((p.a_start, p.a_end) for p in mine.passages)
    return spans, db.articles(list(others))


def _storyline_titles(db: Store, story: Story) -> dict[str, str]:
    """The titles of the other stories of the story's storyline (stories rebuilt since may be gone: skipped)."""
    titles = {}
    for story_id in story.storyline.story_ids if story.storyline else []:
        if story_id != story.id:
            try:
                titles[story_id] = db.story(story_id).title
            except UnknownStoryError:
                continue
    return titles


def pages_router(ctx: WebContext) -> APIRouter:
    """The HTML routes."""
    router = APIRouter(include_in_schema=False)

    @router.get("/", response_class=HTMLResponse)
    def home(
        q: str = "",
        filters: ListFilters = Depends(list_filters),
        limit: int = Query(DEFAULT_PAGE, ge=1, le=MAX_PAGE),
        offset: int = Query(0, ge=0),
        conn: sqlite3.Connection = Depends(ctx.readonly),
    ) -> HTMLResponse:
        query = q.strip()
        params = {**({"q": query} if query else {}), **filter_params(filters)}
        hits = search_articles(conn, query, filters, limit, offset) if query else None
        stories = None if query else story_rows(conn, filters, limit, offset)
        return ctx.page(
            "stories.html",
            query=query,
            filters=filters,
            params=params,
            hits=hits,
            stories=stories,
            facets=ctx.facets(conn),
        )

    @router.get("/stories/{story_id}", response_class=HTMLResponse)
    def story_page(story_id: str, db: Store = Depends(ctx.store)) -> HTMLResponse:
        story = load_story(db, story_id)
        articles = {a.id: a for a in db.articles(story.article_ids)}
        return ctx.page(
            "story.html",
            story=story,
            articles=articles,
            article_href=lambda article_id: f"/articles/{article_id}",
            timeline=coverage_timeline(story, articles),
            story_titles=_storyline_titles(db, story),
            story_href=lambda story_id: f"/stories/{story_id}",
            matrix=fact_matrix(story, articles),
        )

    @router.get("/articles/{article_id}", response_class=HTMLResponse)
    def article_page(article_id: str, db: Store = Depends(ctx.store)) -> HTMLResponse:
        article = load_article(db, article_id)
        story_ids = db.stories_for_article(article_id)
        spans, shared_with = _shared_spans(db, article_id, story_ids)
        loaded = find_loaded(article.text)
        shown = set(METADATA_FIELDS)
        return ctx.page(
            "article.html",
            article=article,
            story_ids=story_ids,
            segments=marked_segments(article.text, spans, loaded),
            shared_with=shared_with,
            loaded_count=len(loaded),
            loaded_method=LOADED_METHOD,
            metadata=_metadata(article),
            other_provenance=sorted((k, v) for k, v in article.provenance.items() if k not in shown),
            other_sources=[s for s in db.article_sources(article_id) if s != article.source],
            outlet=outlet_label(article),
        )

    @router.get("/add", response_class=HTMLResponse)
    def add_form() -> HTMLResponse:
        return ctx.page(
            "add.html", max_upload_mb=ctx.write.max_upload_bytes // (1024 * 1024), max_urls=ctx.write.max_urls
        )

    return router
