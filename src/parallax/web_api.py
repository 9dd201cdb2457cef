"""The JSON twins of the web app's pages, under /api: lists with filters, `limit`/`offset` and `total`, and
one story or article as `report.json` writes it (`parallax.serialize`)."""

from __future__ import annotations

import sqlite3
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Response

from parallax.serialize import article_to_dict
from parallax.store import Store
from parallax.web_context import DEFAULT_PAGE, MAX_PAGE, WebContext, list_filters, load_article
from parallax.web_queries import ListFilters, Page, plain_snippet, search_articles, story_rows
from parallax.web_story import story_document

__all__ = ["api_router", "page_to_dict"]


def page_to_dict(page: Page[Any], items: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON shape of every list: its items, the total that match, and the page's limit and offset."""
    return {"items": items, "total": page.total, "limit": page.limit, "offset": page.offset}


def api_router(ctx: WebContext) -> APIRouter:
    """The read-only JSON routes."""
    router = APIRouter(prefix="/api", tags=["read"])

    @router.get("/stories", summary="List stories (JSON twin of /)")
    def api_stories(
        filters: ListFilters = Depends(list_filters),
        limit: int = Query(DEFAULT_PAGE, ge=1, le=MAX_PAGE),
        offset: int = Query(0, ge=0),
        conn: sqlite3.Connection = Depends(ctx.readonly),
    ) -> dict[str, Any]:
        """Stories, latest first, with article counts and outlets; filtered by date range, outlet and language."""
        page = story_rows(conn, filters, limit, offset)
        items = [
            {
                "id": row.id,
                "title": row.title,
                "first_published": row.first_published,
                "last_published": row.last_published,
                "articles": row.articles,
                "outlets": row.outlets,
                "href": f"/api/stories/{row.id}",
            }
            for row in page.items
        ]
        return page_to_dict(page, items)

    @router.get(
        "/stories/{story_id}",
        summary="One story (JSON twin of /stories/{story_id})",
        response_class=Response,
        responses={200: {"description": "report.json's story object", "content": {"application/json": {}}}},
    )
    def api_story(story_id: str, conn: sqlite3.Connection = Depends(ctx.readonly)) -> Response:
        """The story as report.json holds it: facts, summary, divergences, omissions, framing, families.

        Sent as stored (the store keeps `story_to_dict`'s document), without parsing: a large story is megabytes."""
        document = story_document(conn, story_id)
        if document is None:
            raise HTTPException(404, f"no story with id {story_id!r}: list the stories at /api/stories")
        return Response(document, media_type="application/json")

    @router.get("/articles/{article_id}", summary="One article (JSON twin of /articles/{article_id})")
    def api_article(article_id: str, db: Store = Depends(ctx.store)) -> dict[str, Any]:
        """The article with its metadata, provenance, removed lines and annotations, and its story ids; its source
        as the article page shows it (an upload relative to the uploads folder, never a server path)."""
        article = load_article(db, article_id)
        shown = {**article_to_dict(article), "source": ctx.source_label(article.source)}
        return {**shown, "story_ids": db.stories_for_article(article_id)}

    @router.get("/search", summary="Full-text search of articles (JSON twin of /?q=...)")
    def api_search(
        q: str = Query(..., min_length=1, description="Plain words; every one must match."),
        filters: ListFilters = Depends(list_filters),
        limit: int = Query(DEFAULT_PAGE, ge=1, le=MAX_PAGE),
        offset: int = Query(0, ge=0),
        conn: sqlite3.Connection = Depends(ctx.readonly),
    ) -> dict[str, Any]:
        """Articles whose title or text has every word, best first; snippets mark matches with '[' and ']'."""
        page = search_articles(conn, q, filters, limit, offset)
        items = [
            {
                "article_id": hit.article_id,
                "title": hit.title,
                "outlet": hit.outlet,
                "published": hit.published,
                "language": hit.language,
                "snippet": plain_snippet(hit.snippet),
                "story_ids": hit.story_ids,
            }
            for hit in page.items
        ]
        return {"query": q, **page_to_dict(page, items)}

    @router.get("/facets", summary="Outlets and languages with article counts (the home page's filter menus)")
    def api_facets(conn: sqlite3.Connection = Depends(ctx.readonly)) -> dict[str, Any]:
        """Every outlet and language in the store with its number of articles."""
        found = ctx.facets(conn)
        return {
            "outlets": [{"outlet": name, "articles": n} for name, n in found.outlets],
            "languages": [{"language": name, "articles": n} for name, n in found.languages],
        }

    return router
