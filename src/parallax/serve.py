"""The web app and REST API over a store: stories with search, story and article pages, adding articles.

`create_app` assembles the FastAPI app (the `web` extra) from its route modules: `parallax.web_pages` (HTML),
`parallax.web_api` (their JSON twins under /api), `parallax.web_exports` (CSV, Parquet, zipped site and report
downloads under /api, the command line's exports) and `parallax.web_add` (writes, which need the write token).
The server binds 127.0.0.1 unless told otherwise. Every response carries a Content-Security-Policy that allows
scripts only from the server itself (the vendored htmx in `parallax/static`), and article text reaches pages
only through autoescaped templates, so a hostile article is shown as text and runs nothing. Errors have one
JSON shape under /api: `{"error": {"status": 404, "message": "..."}}`; pages answer with an HTML error page.
The API is described at /openapi.json and listed at /docs (rendered here: no CDN).
"""

from __future__ import annotations

import gc
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parallax.errors import MissingDependencyError
from parallax.store import Store
from parallax.version import __version__

if TYPE_CHECKING:
    from fastapi import FastAPI, Request, Response

    from parallax.web_write import WriteSettings

__all__ = ["CONTENT_SECURITY_POLICY", "DEFAULT_HOST", "DEFAULT_PORT", "TOKEN_ENV", "create_app", "serve"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
TOKEN_ENV = "PARALLAX_TOKEN"  # noqa: S105 - the variable's name, not a secret
"""The environment variable `parallax serve` reads the write token from when --token is not given."""
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
FORM_OVERHEAD_BYTES = 64 * 1024
"""Room for a form's other fields and multipart boundaries on top of the upload cap."""


def _error_body(status: int, message: Any) -> dict[str, Any]:
    return {"error": {"status": status, "message": str(message)}}


def _validation_message(errors: list[Any]) -> str:
    parts = []
    for error in errors:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in {"body", "query", "path", "header"})
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg", "invalid")))
    return "; ".join(parts) or "invalid request"


def create_app(db_path: str | Path, *, token: str | None = None, write: WriteSettings | None = None) -> FastAPI:
    """Return the app serving the store at `db_path`; writing is enabled only with a `token` (or `write`)."""
    try:
        from fastapi import FastAPI
        from fastapi.exceptions import RequestValidationError
        from fastapi.responses import JSONResponse
        from fastapi.staticfiles import StaticFiles
        from starlette.exceptions import HTTPException
    except ImportError as error:
        raise MissingDependencyError("parallax serve", "web", "fastapi") from error
    try:
        import python_multipart  # noqa: F401 - forms and uploads need it; fail at start-up, not on a POST
    except ImportError as error:
        raise MissingDependencyError("parallax serve", "web", "python-multipart") from error
    from parallax.web_add import add_router
    from parallax.web_api import api_router
    from parallax.web_context import WebContext
    from parallax.web_exports import export_router
    from parallax.web_pages import pages_router
    from parallax.web_write import WriteSettings

    database = Path(db_path)
    Store.open(database).close()  # fail at start-up, not on the first request, if the store is unusable
    ctx = WebContext(database, write or WriteSettings(token=token))
    app = FastAPI(
        title="parallax",
        version=__version__,
        description="One news story, seen from every side: stories, facts by outlet, framing, and their evidence.",
        docs_url=None,
        redoc_url=None,
    )
    app.mount("/static", StaticFiles(packages=[("parallax", "static")]), name="static")

    def error_response(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Any:
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse(_error_body(status, message), status_code=status, headers=headers)
        response = ctx.page("error.html", status, status=status, message=message)
        response.headers.update(headers or {})
        return response

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Any:
        return error_response(request, error.status_code, str(error.detail), dict(error.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Any:
        return error_response(request, 422, _validation_message(list(error.errors())))

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if request.method == "POST":
            limit = ctx.write.max_upload_bytes + FORM_OVERHEAD_BYTES
            length = request.headers.get("content-length")
            if length is None or not length.isdigit():
                return error_response(request, 411, "send the request with a Content-Length header")  # type: ignore[no-any-return]
            if int(length) > limit:
                return error_response(request, 413, f"the request is over the server's cap of {limit} bytes")  # type: ignore[no-any-return]
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    app.include_router(pages_router(ctx))
    app.include_router(api_router(ctx))
    app.include_router(export_router(ctx))
    app.include_router(add_router(ctx))

    @app.get("/docs", include_in_schema=False)
    def docs() -> Any:
        return ctx.page("docs.html", openapi=app.openapi())

    return app


def serve(db_path: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, token: str | None = None) -> None:
    """Serve the store at `db_path` until interrupted; with a `token`, clients holding it may add articles."""
    try:
        import uvicorn
    except ImportError as error:
        raise MissingDependencyError("parallax serve", "web", "uvicorn") from error
    app = create_app(db_path, token=token)
    # What is loaded by now lives as long as the server: out of the collector's sight, a full collection (which a
    # large story page's thousands of parsed objects set off) no longer walks it (p95 of the largest story page
    # of the AllSides store: 209 ms before, benchmarks/results/web.json after).
    gc.collect()
    gc.freeze()
    uvicorn.run(app, host=host, port=port, log_level="warning")
