"""The write routes: add pasted text, an uploaded file, or URLs and feeds, as HTML forms and as JSON API calls.

Every one needs the server's write token (`parallax.web_write.check_token`): a form sends it in its `token`
field, an API client as `Authorization: Bearer TOKEN` or `X-Parallax-Token: TOKEN`. With no token configured
they all answer 403 saying how to turn writing on. The work itself is `parallax.web_write.add_inputs`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, File, Form, Header, HTTPException, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field

from parallax.web_context import WebContext
from parallax.web_write import (
    AddOutcome,
    WriteRefusedError,
    add_inputs,
    check_token,
    check_urls,
    save_submission,
    uploads_dir_for,
)

__all__ = ["TextIn", "UrlsIn", "add_router"]

BEARER = "bearer "


class TextIn(BaseModel):
    """An article given as text, with what the caller knows about it (all optional but the text)."""

    text: str = Field(min_length=1, description="The article: plain text, Markdown or HTML.")
    name: str | None = Field(None, description="A file name for it (its suffix picks the reader: .html, .md).")
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = Field(None, description="Publication date, YYYY-MM-DD.")
    language: str | None = None
    byline: str | None = None


class UrlsIn(BaseModel):
    """Article or RSS/Atom feed URLs to fetch (public addresses only)."""

    urls: list[str] = Field(min_length=1)


def _presented(authorization: str | None, x_token: str | None, form_token: str | None = None) -> str | None:
    if x_token:
        return x_token.strip()
    if authorization and authorization.lower().startswith(BEARER):
        return authorization[len(BEARER) :].strip()
    return form_token.strip() if form_token else None


def _stated(**fields: str | None) -> dict[str, str]:
    return {name: value for name, value in fields.items() if value and value.strip()}


def add_router(ctx: WebContext) -> APIRouter:
    """The HTML form and JSON routes that add articles."""
    router = APIRouter()

    def refused(error: WriteRefusedError) -> HTTPException:
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
        return HTTPException(error.status, error.message, headers=headers)

    def run(token: str | None, prepare: Any) -> AddOutcome:
        try:
            check_token(ctx.write, token)
            inputs = prepare()
            return add_inputs(ctx.database, inputs, ctx.write, ctx.write_lock)
        except WriteRefusedError as error:
            raise refused(error) from error

    def save(name: str | None, data: bytes, stated: dict[str, str]) -> list[str]:
        folder = ctx.write.uploads_dir or uploads_dir_for(ctx.database)
        return [str(save_submission(folder, name, data, stated))]

    async def read_upload(upload: UploadFile) -> bytes:
        data = await upload.read(ctx.write.max_upload_bytes + 1)
        if len(data) > ctx.write.max_upload_bytes:
            raise HTTPException(413, f"the file is over the server's cap of {ctx.write.max_upload_bytes} bytes")
        return data

    def answered(outcome: AddOutcome) -> JSONResponse:
        return JSONResponse(outcome.to_dict(), status_code=201 if outcome.added else 200)

    @router.post("/add/text", response_class=HTMLResponse, include_in_schema=False)
    def add_text_form(
        *,
        text: str = Form(""),
        title: str | None = Form(None),
        outlet: str | None = Form(None),
        url: str | None = Form(None),
        published: str | None = Form(None),
        language: str | None = Form(None),
        token: str | None = Form(None),
    ) -> HTMLResponse:
        stated = _stated(title=title, outlet=outlet, url=url, published=published, language=language)
        outcome = run(token, lambda: save(None, text.encode("utf-8"), stated))
        return ctx.page("added.html", outcome=outcome)

    @router.post("/add/file", response_class=HTMLResponse, include_in_schema=False)
    async def add_file_form(
        *,
        file: UploadFile = File(...),
        title: str | None = Form(None),
        outlet: str | None = Form(None),
        url: str | None = Form(None),
        published: str | None = Form(None),
        language: str | None = Form(None),
        token: str | None = Form(None),
    ) -> HTMLResponse:
        try:
            check_token(ctx.write, token.strip() if token else None)
        except WriteRefusedError as error:
            raise refused(error) from error
        data = await read_upload(file)
        stated = _stated(title=title, outlet=outlet, url=url, published=published, language=language)
        outcome = await _in_thread(run, token.strip() if token else None, lambda: save(file.filename, data, stated))
        return ctx.page("added.html", outcome=outcome)

    @router.post("/add/url", response_class=HTMLResponse, include_in_schema=False)
    def add_url_form(urls: str = Form(""), token: str | None = Form(None)) -> HTMLResponse:
        outcome = run(token, lambda: check_urls(urls, ctx.write))
        return ctx.page("added.html", outcome=outcome)

    @router.post("/api/articles", tags=["write"], summary="Add an article given as text (needs the token)")
    def api_add_text(
        *,
        body: TextIn,
        authorization: str | None = Header(None),
        x_parallax_token: str | None = Header(None),
    ) -> JSONResponse:
        """Save the text as received, ingest it and add it to the stories; 201 when an article was added."""
        stated = _stated(
            title=body.title, outlet=body.outlet, url=body.url, published=body.published,
            language=body.language, byline=body.byline,
        )  # fmt: skip
        token = _presented(authorization, x_parallax_token)
        return answered(run(token, lambda: save(body.name, body.text.encode("utf-8"), stated)))

    @router.post("/api/articles/file", tags=["write"], summary="Add an uploaded file (needs the token)")
    async def api_add_file(
        *,
        file: UploadFile = File(...),
        outlet: str | None = Form(None),
        published: str | None = Form(None),
        title: str | None = Form(None),
        authorization: str | None = Header(None),
        x_parallax_token: str | None = Header(None),
    ) -> JSONResponse:
        """Read the file by its content (text, HTML, JSON Lines, CSV, feeds, archives) into the store."""
        token = _presented(authorization, x_parallax_token)
        try:
            check_token(ctx.write, token)
        except WriteRefusedError as error:
            raise refused(error) from error
        data = await read_upload(file)
        stated = _stated(title=title, outlet=outlet, published=published)
        return answered(await _in_thread(run, token, lambda: save(file.filename, data, stated)))

    @router.post("/api/articles/urls", tags=["write"], summary="Fetch and add article or feed URLs (needs the token)")
    def api_add_urls(
        *,
        body: UrlsIn,
        authorization: str | None = Header(None),
        x_parallax_token: str | None = Header(None),
    ) -> JSONResponse:
        """Fetch each URL (a feed's entries too) from public addresses only, then ingest and add them to the stories."""
        token = _presented(authorization, x_parallax_token)
        return answered(run(token, lambda: check_urls(" ".join(body.urls), ctx.write)))

    return router


async def _in_thread(function: Any, *args: Any) -> AddOutcome:
    """Run the blocking pipeline off the event loop (an async route had to read the upload first)."""
    from starlette.concurrency import run_in_threadpool

    result: AddOutcome = await run_in_threadpool(function, *args)
    return result
