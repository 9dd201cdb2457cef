"""The web app's HTML pages: stories with search and filters, a story, an article, the add form, the API list.

Each page has a JSON twin in `parallax.web_api`. Article text only ever reaches a page through autoescaped
templates; every page works without JavaScript (links, forms and `<details>`), htmx only updates in place.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from parallax.loaded import METHOD as LOADED_METHOD
from parallax.loaded import find_loaded
from parallax.model import Article, Story, outlet_label
from parallax.plots import PlotLinks, coverage_svg, fact_matrix_svg
from parallax.store import Store
from parallax.web_context import (
    DEFAULT_PAGE,
    MAX_PAGE,
    WebContext,
    filter_params,
    list_filters,
    load_article,
)
from parallax.web_queries import ListFilters, search_articles, story_rows
from parallax.web_story import StoryPage, article_heads, passages_of, read_story_page, story_titles
from parallax.web_views import marked_segments

__all__ = ["LIST_SHOWN", "METADATA_FIELDS", "pages_router"]

LIST_SHOWN = 20
"""Evidence sentences per fact, framing rows and shared-passage pairs a story page lists, each with how many more
there are: in a story of hundreds of articles one fact can be stated by a hundred of them."""
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


def _shared_spans(conn: sqlite3.Connection, db: Store, article_id: str) -> tuple[list[tuple[int, int]], list[Article]]:
    """The spans of the article's text that it shares with others of its stories, and those others."""
    spans: list[tuple[int, int]] = []
    others: dict[str, None] = {}
    for match in passages_of(conn, article_id):
        mine = match if match.a_id == article_id else match.mirrored()
        others.setdefault(mine.b_id)
        spans.extend((p.a_start, p.a_end) for p in mine.passages)
    return spans, db.articles(list(others))


def _sources(db: Store, article: Article) -> list[str]:
    """Every input the article was read from, its own source first (one text may arrive more than once)."""
    return [article.source, *(s for s in db.article_sources(article.id) if s != article.source)]


def _storyline_titles(conn: sqlite3.Connection, story: Story) -> dict[str, str]:
    """The titles of the other stories of the story's storyline (stories rebuilt since may be gone: skipped)."""
    others = [story_id for story_id in story.storyline.story_ids if story_id != story.id] if story.storyline else []
    return story_titles(conn, others) if others else {}


def _fact_href(page: StoryPage) -> Callable[[int], str]:
    """Where a fact's row is: on this page of the facts table, or on the page that holds it."""

    def href(position: int) -> str:
        offset = page.fact_page_offset(position)
        here = offset == page.fact_offset
        return f"#fact-{position}" if here else f"?{urlencode({'fact_offset': offset})}#fact-{position}"

    return href


def _story_plots(page: StoryPage, articles: dict[str, Article]) -> tuple[Markup, Markup]:
    """The story's coverage chart and facts × outlets matrix, the static site's drawings with links added."""
    to_fact = _fact_href(page)
    links = PlotLinks(
        article_href=lambda article_id: f"/articles/{article_id}",
        fact_href=lambda n: to_fact(page.matrix_facts[n - 1][0]),
    )
    members = [articles[i] for i in page.story.article_ids if i in articles]
    drawn = [fact for _, fact in page.matrix_facts]
    # parallax.plots escapes every piece of text it draws (tested there), so its SVG is markup, not data.
    coverage = Markup(coverage_svg(members, links=links))  # noqa: S704
    matrix = Markup(fact_matrix_svg(drawn, articles, links=links))  # noqa: S704
    return coverage, matrix


def _fact_paging(page: StoryPage) -> dict[str, Any] | None:
    """The facts table's place in all the facts, with links to the pages before and after; None when one page."""
    if page.fact_total <= page.fact_limit and page.fact_offset == 0:
        return None
    shown = len(page.story.facts)
    before = max(0, page.fact_offset - page.fact_limit)
    after = page.fact_offset + page.fact_limit
    return {
        "first": page.fact_offset + 1 if shown else page.fact_offset,
        "last": page.fact_offset + shown,
        "total": page.fact_total,
        "previous": f"?{urlencode({'fact_offset': before})}#facts" if page.fact_offset > 0 else None,
        "next": f"?{urlencode({'fact_offset': after})}#facts" if after < page.fact_total else None,
    }


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
    def story_page(
        story_id: str,
        fact_offset: int = Query(0, ge=0, description="The first fact of the facts table's page."),
        conn: sqlite3.Connection = Depends(ctx.readonly),
    ) -> HTMLResponse:
        page = read_story_page(conn, story_id, fact_offset)
        if page is None:
            raise HTTPException(404, f"no story with id {story_id!r}: the list of stories is at /")
        story = page.story
        articles = article_heads(conn, story.article_ids)
        coverage, matrix = _story_plots(page, articles)
        return ctx.page(
            "story.html",
            story=story,
            articles=articles,
            article_href=lambda article_id: f"/articles/{article_id}",
            coverage=coverage,
            undated=[articles[i] for i in story.article_ids if i in articles and articles[i].published is None],
            story_titles=_storyline_titles(conn, story),
            story_href=lambda story_id: f"/stories/{story_id}",
            matrix=matrix,
            matrix_hidden=page.hidden_from_matrix,
            fact_total=page.fact_total,
            fact_offset=page.fact_offset,
            fact_paging=_fact_paging(page),
            omitted_totals=page.omitted_totals,
            shown=LIST_SHOWN,
        )

    @router.get("/articles/{article_id}", response_class=HTMLResponse)
    def article_page(
        article_id: str, db: Store = Depends(ctx.store), conn: sqlite3.Connection = Depends(ctx.readonly)
    ) -> HTMLResponse:
        article = load_article(db, article_id)
        story_ids = db.stories_for_article(article_id)
        spans, shared_with = _shared_spans(conn, db, article_id)
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
            read_from=[ctx.source_label(s) for s in _sources(db, article)],
            outlet=outlet_label(article),
        )

    @router.get("/add", response_class=HTMLResponse)
    def add_form() -> HTMLResponse:
        return ctx.page(
            "add.html", max_upload_mb=ctx.write.max_upload_bytes // (1024 * 1024), max_urls=ctx.write.max_urls
        )

    return router
