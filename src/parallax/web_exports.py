"""Downloads under /api: the store's exports and one story's report, from the same functions as the command line.

- `/api/export/facts.csv`, `/api/export/articles.csv`: `parallax export --format csv` (formula-looking cells
  neutralised unless `?raw=true`, as `--csv-raw`); `/api/stories/{id}/facts.csv` for one story.
- `/api/export/facts.parquet`, `/api/export/articles.parquet`: `--format parquet`; without pyarrow on the server
  they answer 501 in the API's one error shape, with the `pip install` that adds it.
- `/api/export/site.zip`: `--format site`, zipped (built in a temporary file, removed once sent).
- `/api/stories/{id}/report.json` and `/api/stories/{id}/report.md`: `parallax analyze`'s report writers
  (`parallax.render`) for one story and its articles.

Every download names its file (Content-Disposition). An article's source is shown as the pages show it: never a
path of the server (`WebContext.source_label`).
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.background import BackgroundTask

from parallax.errors import MissingDependencyError
from parallax.export import (
    articles_csv,
    articles_parquet,
    facts_csv,
    facts_parquet,
    page_name,
    write_site_zip,
)
from parallax.model import Story
from parallax.pipeline import Report
from parallax.render import report_to_dict, to_markdown
from parallax.store import Store
from parallax.web_context import WebContext, load_story

__all__ = ["CSV_TYPE", "MARKDOWN_TYPE", "PARQUET_TYPE", "ZIP_TYPE", "export_router"]

CSV_TYPE = "text/csv; charset=utf-8"
PARQUET_TYPE = "application/vnd.apache.parquet"
MARKDOWN_TYPE = "text/markdown; charset=utf-8"
ZIP_TYPE = "application/zip"
RAW_HELP = "Cells exactly as stored: no apostrophe before a cell that a spreadsheet would run as a formula."


def _download(content: str | bytes, media_type: str, filename: str) -> Response:
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


def _download_json(document: dict[str, Any], filename: str) -> JSONResponse:
    return JSONResponse(document, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _story_file(story: Story, stem: str, suffix: str) -> str:
    """A download's file name for one story: `page_name` keeps any id a plain token."""
    return f"{stem}-{page_name(story.id).removesuffix('.html')}.{suffix}"


def _parquet(make: Callable[[], bytes], filename: str) -> Response:
    try:
        return _download(make(), PARQUET_TYPE, filename)
    except MissingDependencyError as error:
        raise HTTPException(501, f"{error} (on the server)") from error


def _documented(media_type: str, what: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": what, "content": {media_type.split(";", maxsplit=1)[0]: {}}}}


def _story_report(ctx: WebContext, db: Store, story: Story) -> Report:
    articles = [dataclasses.replace(a, source=ctx.source_label(a.source)) for a in db.articles(story.article_ids)]
    return Report(articles=articles, stories=[story])


def export_router(ctx: WebContext) -> APIRouter:
    """The download routes (read-only)."""
    router = APIRouter(prefix="/api", tags=["export"])
    parquet_errors: dict[int | str, dict[str, Any]] = {501: {"description": "pyarrow is not installed on the server"}}

    @router.get("/export/facts.csv", response_class=Response, responses=_documented(CSV_TYPE, "facts.csv"))
    def export_facts_csv(raw: bool = Query(False, description=RAW_HELP), db: Store = Depends(ctx.store)) -> Response:
        """Every fact of every story, one row each, as `parallax export --format csv` writes facts.csv."""
        return _download(facts_csv(db.stories(), raw=raw), CSV_TYPE, "facts.csv")

    @router.get("/export/articles.csv", response_class=Response, responses=_documented(CSV_TYPE, "articles.csv"))
    def export_articles_csv(raw: bool = Query(False, description=RAW_HELP), db: Store = Depends(ctx.store)) -> Response:
        """Every article's metadata and story ids, one row each, as `parallax export --format csv` writes it."""
        return _download(articles_csv(db.articles(), db.stories(), raw=raw), CSV_TYPE, "articles.csv")

    @router.get(
        "/export/facts.parquet",
        response_class=Response,
        responses={**_documented(PARQUET_TYPE, "facts.parquet"), **parquet_errors},
    )
    def export_facts_parquet(db: Store = Depends(ctx.store)) -> Response:
        """The facts table as Parquet (raw values, lists as lists); 501 when the server lacks pyarrow."""
        return _parquet(lambda: facts_parquet(db.stories()), "facts.parquet")

    @router.get(
        "/export/articles.parquet",
        response_class=Response,
        responses={**_documented(PARQUET_TYPE, "articles.parquet"), **parquet_errors},
    )
    def export_articles_parquet(db: Store = Depends(ctx.store)) -> Response:
        """The articles table as Parquet (raw values, dates as dates); 501 when the server lacks pyarrow."""
        return _parquet(lambda: articles_parquet(db.articles(), db.stories()), "articles.parquet")

    @router.get("/export/site.zip", response_class=FileResponse, responses=_documented(ZIP_TYPE, "site.zip"))
    def export_site_zip(db: Store = Depends(ctx.store)) -> FileResponse:
        """The whole store as the static HTML site of `parallax export --format site`, in one zip archive."""
        handle, name = tempfile.mkstemp(prefix="parallax-site-", suffix=".zip")
        archive = Path(name)
        try:
            with os.fdopen(handle, "wb") as target:
                write_site_zip(db.stories(), db.articles(), target)
        except BaseException:
            archive.unlink(missing_ok=True)
            raise
        removed = BackgroundTask(archive.unlink, missing_ok=True)
        return FileResponse(archive, media_type=ZIP_TYPE, filename="parallax-site.zip", background=removed)

    @router.get("/stories/{story_id}/report.json", summary="One story's report.json (the report contract)")
    def story_report_json(story_id: str, db: Store = Depends(ctx.store)) -> JSONResponse:
        """The story and its articles as `parallax analyze` writes report.json (docs/report.schema.json)."""
        story = load_story(db, story_id)
        report = report_to_dict(_story_report(ctx, db, story))
        return _download_json(report, _story_file(story, "report", "json"))

    @router.get(
        "/stories/{story_id}/report.md",
        response_class=Response,
        responses=_documented(MARKDOWN_TYPE, "report.md"),
        summary="One story's report as Markdown",
    )
    def story_report_markdown(story_id: str, db: Store = Depends(ctx.store)) -> Response:
        """The story as `parallax analyze` writes report.md: summary, facts, divergences, framing, articles."""
        story = load_story(db, story_id)
        markdown = to_markdown(_story_report(ctx, db, story))
        return _download(markdown, MARKDOWN_TYPE, _story_file(story, "report", "md"))

    @router.get(
        "/stories/{story_id}/facts.csv",
        response_class=Response,
        responses=_documented(CSV_TYPE, "facts.csv of one story"),
        summary="One story's facts as CSV",
    )
    def story_facts_csv(
        story_id: str, raw: bool = Query(False, description=RAW_HELP), db: Store = Depends(ctx.store)
    ) -> Response:
        """The story's facts, one row each, as the store-wide facts.csv has them."""
        story = load_story(db, story_id)
        return _download(facts_csv([story], raw=raw), CSV_TYPE, _story_file(story, "facts", "csv"))

    return router
