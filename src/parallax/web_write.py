"""Adding articles from the web app and the API: pasted text, uploaded files, URLs and feeds, behind a token.

Writing is off unless the server was given a write token (`parallax serve --token`, or PARALLAX_TOKEN); a
request must then present it (`Authorization: Bearer TOKEN`, `X-Parallax-Token: TOKEN`, or a form's `token`
field). Pasted and uploaded inputs are saved as received under the uploads folder (next to the store: its
path plus `.uploads`), with the fields the user stated in the folder's metadata file, and then read like any
other file: `parallax.pipeline.ingest` and `update_stories` on the store, so the new articles show in their
stories at once (on a store clustered online, only the stories they join are analysed again). URLs and feeds
are fetched on the user's behalf with `refuse_private=True` (no loopback or private-network address, even
through a redirect) and tighter caps than the command line's.

    >>> settings = WriteSettings(token="s3cret")
    >>> settings.enabled, settings.fetch.refuse_private
    (True, True)
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
import threading
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from parallax.fetch import FetchOptions
from parallax.pipeline import Options, ingest, update_stories
from parallax.read import ReadOptions
from parallax.readers.sidecar import SIDECAR_NAME
from parallax.readers.web import URL
from parallax.render import source_label
from parallax.store import Store

__all__ = [
    "DEFAULT_FETCH",
    "STATED_FIELDS",
    "AddOutcome",
    "WriteRefusedError",
    "WriteSettings",
    "add_inputs",
    "check_token",
    "check_urls",
    "save_submission",
    "uploads_dir_for",
]

DEFAULT_FETCH = FetchOptions(
    timeout=10.0, max_seconds=30.0, max_bytes=5 * 1024 * 1024, retries=1, refuse_private=True, max_redirects=5
)
"""How the server fetches on a user's behalf: never a private address, smaller and shorter than the CLI's."""
STATED_FIELDS = ("title", "outlet", "url", "published", "language", "byline")
"""Fields a user may state for pasted text or an uploaded file; they fill only what the input leaves empty."""
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME = 80
DISABLED = (
    "writing is disabled on this server: start it with a write token (parallax serve --token TOKEN, "
    "or set PARALLAX_TOKEN) to add articles"
)
UNAUTHORIZED_MESSAGE = (
    "adding articles needs the server's write token: send 'Authorization: Bearer TOKEN' or "
    "'X-Parallax-Token: TOKEN' (or fill the form's token field)"
)


class WriteRefusedError(Exception):
    """A write request that cannot be done as asked: `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(slots=True, frozen=True)
class WriteSettings:
    """Whether and how the server takes new articles: the token, where inputs are kept, and caps."""

    token: str | None = None
    uploads_dir: Path | None = None
    """Where pasted and uploaded inputs are saved; None: beside the store (`uploads_dir_for`)."""
    max_upload_bytes: int = 10 * 1024 * 1024
    max_urls: int = 20
    fetch: FetchOptions = DEFAULT_FETCH
    options: Options = field(default_factory=Options)
    """Pipeline settings; its read and fetch caps are replaced by the ones above."""

    def __post_init__(self) -> None:
        if self.token is not None and not self.token.strip():
            raise ValueError("token must be a non-empty string, or None to disable writing")
        for name in ("max_upload_bytes", "max_urls"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"{name} must be a positive int, got {value!r}")

    @property
    def enabled(self) -> bool:
        """True when a token is set, so writes are possible."""
        return self.token is not None

    def pipeline_options(self) -> Options:
        """The pipeline settings with this server's read and fetch caps."""
        read = ReadOptions(
            max_bytes=self.max_upload_bytes, max_archive_bytes=self.max_upload_bytes * 10, fetch=self.fetch
        )
        return replace(self.options, read=read)


def check_token(settings: WriteSettings, presented: str | None) -> None:
    """Raise WriteRefusedError (403 when writing is off, 401 for a missing or wrong token) unless allowed."""
    if settings.token is None:
        raise WriteRefusedError(403, DISABLED)
    if not presented or not hmac.compare_digest(presented.encode(), settings.token.encode()):
        raise WriteRefusedError(401, UNAUTHORIZED_MESSAGE)


def uploads_dir_for(db_path: str | Path) -> Path:
    """The default folder for pasted and uploaded inputs: the store's path with `.uploads` added."""
    path = Path(db_path)
    return path.with_name(path.name + ".uploads")


def _safe_name(name: str | None, fallback: str) -> str:
    cleaned = SAFE_NAME.sub("_", Path(name or "").name).lstrip("._")[-MAX_NAME:]
    return cleaned or fallback


def save_submission(folder: Path, name: str | None, data: bytes, stated: dict[str, str]) -> Path:
    """Save one input as received in a new subfolder of `folder`, with the stated fields beside it."""
    if len(data) == 0 or not data.strip():
        raise WriteRefusedError(422, "the input is empty: paste some text or choose a non-empty file")
    unknown = sorted(set(stated) - set(STATED_FIELDS))
    if unknown:
        raise WriteRefusedError(422, f"unknown field(s) {', '.join(unknown)}; valid: {', '.join(STATED_FIELDS)}")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = folder / f"{stamp}-{secrets.token_hex(4)}"
    target.mkdir(parents=True)
    path = target / _safe_name(name, "pasted.txt")
    path.write_bytes(data)
    fields = {key: value.strip() for key, value in stated.items() if value and value.strip()}
    if fields:
        (target / SIDECAR_NAME).write_text(json.dumps({path.name: fields}, ensure_ascii=False), encoding="utf-8")
    return path


def check_urls(text: str, settings: WriteSettings) -> list[str]:
    """The http(s) URLs of `text` (one per line or space-separated), refusing anything else or too many."""
    urls = text.split()
    if not urls:
        raise WriteRefusedError(422, "give at least one http(s) URL of an article or a feed")
    bad = [url for url in urls if not URL.match(url)]
    if bad:
        raise WriteRefusedError(422, f"not an http(s) URL: {bad[0][:200]!r}")
    if len(urls) > settings.max_urls:
        raise WriteRefusedError(422, f"at most {settings.max_urls} URLs at a time, got {len(urls)}")
    return urls


@dataclass(slots=True, frozen=True)
class AddOutcome:
    """What adding inputs did: articles new and known, drops by reason with details, and their stories now."""

    added: int
    existing: int
    article_ids: list[str]
    dropped: dict[str, int]
    rejects: list[dict[str, str]]
    stories: list[dict[str, str]]
    duplicates: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready view."""
        return {
            "added": self.added,
            "existing": self.existing,
            "article_ids": self.article_ids,
            "dropped": self.dropped,
            "rejects": self.rejects,
            "stories": self.stories,
            "duplicates": self.duplicates,
        }


def add_inputs(db_path: str | Path, inputs: list[str], settings: WriteSettings, lock: threading.Lock) -> AddOutcome:
    """Ingest `inputs` (saved files or URLs) into the store, add them to its stories, and say what happened."""
    # One process: forking worker processes from a threaded server risks a lock held by another thread.
    options = replace(settings.pipeline_options(), workers=1)
    uploads = settings.uploads_dir or uploads_dir_for(db_path)
    with lock, Store.open(db_path) as store:
        report = ingest(inputs, store, options)
        if report.added:
            update_stories(store, options)
        ids = list(dict.fromkeys(report.article_ids))
        stories: dict[str, str] = {}
        duplicates: dict[str, str] = {}
        for article_id in ids:
            stored = store.article(article_id)
            if stored is not None and stored.duplicate_of:
                duplicates[article_id] = stored.duplicate_of
            for story_id in store.stories_for_article(article_id):
                stories.setdefault(story_id, store.story(story_id).title)
    rejects = [
        {"source": source_label(item.source, uploads), "reason": item.reason, "detail": item.detail}
        for stage in report.stages
        for item in stage.dropped_items
    ]
    dropped = dict(Counter(item["reason"] for item in rejects)) if rejects else dict(report.dropped)
    return AddOutcome(
        added=report.added,
        existing=report.existing,
        article_ids=ids,
        dropped=dropped,
        rejects=rejects,
        stories=[{"id": story_id, "title": title} for story_id, title in stories.items()],
        duplicates=duplicates,
    )
