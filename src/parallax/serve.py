"""A read-only web view of a store: story list with search, story pages, article pages, each with a JSON twin.

Served by FastAPI (the `web` extra). The app binds 127.0.0.1 unless told otherwise, never writes, and every
piece of article text reaches the page through autoescaped templates under a Content-Security-Policy that
forbids scripts. Errors have one JSON shape: `{"error": {"status": 404, "message": "..."}}`.

Annotations in this module are evaluated eagerly (no `from __future__ import annotations`): FastAPI reads the
route functions' parameter types, and those name classes imported inside `create_app`, where the optional
`web` extra is known to be installed.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parallax.errors import MissingDependencyError, UnknownStoryError
from parallax.model import Article
from parallax.render import highlight_segments, templates
from parallax.serialize import article_to_dict, story_to_dict
from parallax.store import Store
from parallax.version import __version__

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "create_app", "serve"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
MAX_PAGE = 200


def _outlets(story_article_ids: list[str], articles: dict[str, Article]) -> list[str]:
    names = {articles[i].outlet for i in story_article_ids if i in articles and articles[i].outlet}
    return sorted(n for n in names if n)


def create_app(db_path: str | Path) -> "FastAPI":
    """Return the FastAPI app serving the store at `db_path` read-only."""
    try:
        from fastapi import Depends, FastAPI, HTTPException, Query, Request
        from fastapi.responses import HTMLResponse, JSONResponse
    except ImportError as error:
        raise MissingDependencyError("parallax serve", "web", "fastapi") from error

    database = str(db_path)
    Store.open(database).close()  # fail at start-up, not on the first request, if the store is unusable
    app = FastAPI(title="parallax", version=__version__, description="Read-only view of a parallax store.")
    environment = templates()

    def store() -> Iterator[Store]:
        with Store.open(database) as opened:
            yield opened

    def page(request: Request, name: str, http_status: int = 200, **context: Any) -> HTMLResponse:
        html = environment.get_template(name).render(version=__version__, **context)
        return HTMLResponse(html, status_code=http_status)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Any:
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"error": {"status": error.status_code, "message": error.detail}},
                status_code=error.status_code,
            )
        return page(request, "error.html", error.status_code, status=error.status_code, message=error.detail)

    def load_story(db: Store, story_id: str) -> Any:
        try:
            return db.story(story_id)
        except UnknownStoryError as error:
            raise HTTPException(404, str(error)) from error

    def load_article(db: Store, article_id: str) -> Article:
        article = db.article(article_id)
        if article is None:
            raise HTTPException(404, f"no article with id {article_id!r}")
        return article

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request, q: str = "", db: Store = Depends(store)) -> HTMLResponse:
        stories = db.stories()
        articles = {a.id: a for a in db.articles()}
        outlets = {s.id: _outlets(s.article_ids, articles) for s in stories}
        hits = db.search(q) if q.strip() else []
        return page(request, "stories.html", stories=stories, outlets=outlets, query=q, hits=hits)

    @app.get("/stories/{story_id}", response_class=HTMLResponse)
    def story_page(request: Request, story_id: str, db: Store = Depends(store)) -> HTMLResponse:
        story = load_story(db, story_id)
        articles = {a.id: a for a in db.articles(story.article_ids)}
        return page(
            request,
            "story.html",
            story=story,
            articles=articles,
            article_href=lambda article_id: f"/articles/{article_id}",
        )

    @app.get("/articles/{article_id}", response_class=HTMLResponse)
    def article_page(request: Request, article_id: str, db: Store = Depends(store)) -> HTMLResponse:
        article = load_article(db, article_id)
        story_ids = db.stories_for_article(article_id)
        spans: list[tuple[int, int]] = []
        others: dict[str, None] = {}
        for story_id in story_ids:
            for match in db.story(story_id).passages:
                if article_id in (match.a_id, match.b_id):
                    mine = match if match.a_id == article_id else match.mirrored()
                    others.setdefault(mine.b_id)
                    spans.extend((p.a_start, p.a_end) for p in mine.passages)
        return page(
            request,
            "article.html",
            article=article,
            story_ids=story_ids,
            segments=highlight_segments(article.text, spans) if spans else None,
            shared_with=db.articles(list(others)),
        )

    @app.get("/api/stories")
    def api_stories(
        limit: int = Query(50, ge=1, le=MAX_PAGE),
        offset: int = Query(0, ge=0),
        db: Store = Depends(store),
    ) -> dict[str, Any]:
        stories = db.stories(limit=limit, offset=offset)
        return {"items": [story_to_dict(s) for s in stories], "limit": limit, "offset": offset}

    @app.get("/api/stories/{story_id}")
    def api_story(story_id: str, db: Store = Depends(store)) -> dict[str, Any]:
        return story_to_dict(load_story(db, story_id))

    @app.get("/api/articles/{article_id}")
    def api_article(article_id: str, db: Store = Depends(store)) -> dict[str, Any]:
        return article_to_dict(load_article(db, article_id))

    @app.get("/api/search")
    def api_search(
        q: str = Query(..., min_length=1),
        limit: int = Query(20, ge=1, le=MAX_PAGE),
        db: Store = Depends(store),
    ) -> dict[str, Any]:
        hits = db.search(q, limit=limit)
        return {
            "query": q,
            "items": [{"article_id": h.article_id, "title": h.title, "snippet": h.snippet} for h in hits],
        }

    return app


def serve(db_path: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Serve the store at `db_path` until interrupted."""
    try:
        import uvicorn
    except ImportError as error:
        raise MissingDependencyError("parallax serve", "web", "uvicorn") from error
    uvicorn.run(create_app(db_path), host=host, port=port, log_level="warning")
