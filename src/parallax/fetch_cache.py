"""The fetcher's disk cache: how a response is laid out on disk, how long it stays fresh, what is never kept.

Kept apart from `parallax.fetch` so the HTTP side reads as requests and checks, and the storage side (file
format, atomic writes, damage detection, freshness) can be read and changed in one place. Only
`parallax.fetch.Fetcher` uses it; its settings are `FetchOptions.cache_dir` and `FetchOptions.cache_ttl`.

An entry is fresh for `cache_ttl` seconds, or for less when the site asked so with `Cache-Control: max-age`
(a longer max-age does not extend `cache_ttl`: the owner of the cache decides how stale a copy may get). A
response marked `Cache-Control: no-store` is never written, and it removes an older entry of its URL.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import tempfile
import time
from dataclasses import dataclass, fields, replace
from pathlib import Path

import httpx

__all__ = ["NEGATIVE_CACHE_STATUSES", "CacheControl", "CacheEntry", "DiskCache"]

NEGATIVE_CACHE_STATUSES = frozenset({404, 410})
"""Answers that say the page is gone; cached so a rerun does not ask again within the TTL."""
MAX_AGE_CEILING = float(2**31)
"""RFC 9111 1.2.2: a larger max-age is read as 2^31 seconds (a float of 400 digits would be infinite)."""


@dataclass(slots=True, frozen=True)
class CacheControl:
    """What a response's Cache-Control header asks of this cache (RFC 9111 section 5.2.2)."""

    no_store: bool = False
    max_age: float | None = None

    @classmethod
    def of(cls, headers: httpx.Headers) -> CacheControl | None:
        """The directives of `headers`, or None when they have no Cache-Control field at all."""
        if "cache-control" not in headers:
            return None
        no_store, max_age = False, None
        for directive in ",".join(headers.get_list("cache-control")).split(","):
            name, _, value = directive.partition("=")
            name = name.strip().lower()
            if name == "no-store":
                no_store = True
            elif name == "max-age" and max_age is None:  # the first of several counts (RFC 9111 4.2.1)
                seconds = value.strip().strip('"')
                # A max-age that is not a number of seconds makes the response stale (RFC 9111 4.2.1).
                max_age = min(float(seconds), MAX_AGE_CEILING) if seconds.isascii() and seconds.isdigit() else 0.0
        return cls(no_store, max_age)


@dataclass(slots=True, frozen=True)
class CacheEntry:
    """One cached answer: a 2xx body, or a negative answer (404/410) without one; `max_age` from Cache-Control."""

    url: str
    final_url: str
    status: int
    content_type: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: float
    body: bytes | None
    max_age: float | None = None

    def is_fresh(self, ttl: float) -> bool:
        """True while the entry may be served without asking the site again."""
        lifetime = ttl if self.max_age is None else min(ttl, self.max_age)
        return time.time() - self.fetched_at < lifetime

    @classmethod
    def of_response(
        cls,
        url: str,
        final_url: str,
        status: int,
        content_type: str | None,
        body: bytes | None,
        *,
        headers: httpx.Headers,
    ) -> CacheEntry:
        """The entry for an answer just received, with its validators and the max-age it asked for."""
        control = CacheControl.of(headers)
        max_age = None if control is None else control.max_age
        etag, last_modified = headers.get("etag"), headers.get("last-modified")
        return cls(url, final_url, status, content_type, etag, last_modified, time.time(), body, max_age)

    def validators(self) -> dict[str, str]:
        """The headers that ask the site whether this entry is still current (a 304 says it is)."""
        headers = {"If-None-Match": self.etag, "If-Modified-Since": self.last_modified}
        return {name: value for name, value in headers.items() if value}

    def revalidated(self, headers: httpx.Headers) -> CacheEntry:
        """The entry after a 304: fresh again, with the validators and max-age the 304 sent (RFC 9111 4.3.4)."""
        control = CacheControl.of(headers)
        return replace(
            self,
            fetched_at=time.time(),
            etag=headers.get("etag", self.etag),
            last_modified=headers.get("last-modified", self.last_modified),
            max_age=self.max_age if control is None else control.max_age,
        )


class DiskCache:
    """Responses on disk, one JSON file (and one body file) per normalized URL; every write is atomic."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def _paths(self, normalized: str) -> tuple[Path, Path]:
        key = hashlib.sha256(normalized.encode("utf-8")).hexdigest()
        return self.folder / f"{key}.json", self.folder / f"{key}.body"

    def load(self, normalized: str) -> CacheEntry | None:
        """The entry for `normalized`, or None when there is none or it is damaged in any way."""
        meta_path, body_path = self._paths(normalized)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if not isinstance(meta["status"], int) or not isinstance(meta["final_url"], str):
                return None
            max_age = meta.get("max_age")  # absent in entries written before Cache-Control was read
            if max_age is not None and not (isinstance(max_age, int | float) and math.isfinite(max_age)):
                return None
            body = None
            if meta["body_sha256"] is not None:
                body = body_path.read_bytes()
                if hashlib.sha256(body).hexdigest() != meta["body_sha256"]:
                    return None  # the body of another write, or a damaged file
            entry = CacheEntry(
                meta["url"],
                meta["final_url"],
                meta["status"],
                meta["content_type"],
                meta["etag"],
                meta["last_modified"],
                float(meta["fetched_at"]),
                body,
                max_age,
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return entry

    def keep(self, normalized: str, entry: CacheEntry, headers: httpx.Headers, *, new_body: bool = True) -> None:
        """Save a 2xx or gone (404/410) `entry`; with no-store in `headers`, drop the URL's entry instead."""
        if not (200 <= entry.status < 300 or entry.status in NEGATIVE_CACHE_STATUSES):
            return
        control = CacheControl.of(headers)
        if control is not None and control.no_store:  # RFC 9111 5.2.2.5: not a byte of it may be stored
            self.forget(normalized)
        else:
            self.save(normalized, entry, write_body=new_body)

    def save(self, normalized: str, entry: CacheEntry, *, write_body: bool = True) -> None:
        """Store `entry`, body first, so a reader never sees metadata pointing at a missing body."""
        meta_path, body_path = self._paths(normalized)
        digest = None if entry.body is None else hashlib.sha256(entry.body).hexdigest()
        meta = {f.name: getattr(entry, f.name) for f in fields(entry) if f.name != "body"}
        meta["body_sha256"] = digest
        try:
            if entry.body is not None and write_body:
                _write_atomic(body_path, entry.body)
            _write_atomic(meta_path, json.dumps(meta, sort_keys=True).encode("utf-8"))
        except OSError:
            pass  # a cache that cannot be written only costs a refetch next time

    def forget(self, normalized: str) -> None:
        """Remove the entry of `normalized`, metadata first, so a reader never sees half an entry."""
        for path in self._paths(normalized):
            with contextlib.suppress(OSError):  # a stale entry left behind is only revalidated, like any other
                path.unlink(missing_ok=True)


def _write_atomic(path: Path, data: bytes) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
