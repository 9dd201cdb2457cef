"""The web as input: RSS/Atom feeds (each entry's linked page fetched and read) and lists of URLs.

Fetching goes through `parallax.fetch.Fetcher` (robots.txt, per-host limits, size and time caps, a cache).
The same article behind different tracking parameters is fetched and read once: a later entry whose link
normalises to a URL already seen is rejected as `duplicate_url`, naming the first. A link that cannot be
fetched is rejected with the fetcher's reason (`http_error`, `timeout`, `unsupported_content_type`, ...).
A feed entry's own metadata (title, date, author) is kept with the page: the page's metadata wins where both
say something, since it is the article's own (provenance `feed` otherwise).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import feedparser

from parallax.fetch import FetchResult, normalize_url
from parallax.readers.items import Item, Member, Rejected

if TYPE_CHECKING:
    from parallax.fetch import Fetcher

__all__ = ["URL", "looks_like_url_list", "read_feed", "read_urls"]

URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
_HINTS = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}


def looks_like_url_list(text: str) -> bool:
    """True when every line that is not blank or a '#' comment is an http(s) URL (and there is one)."""
    lines = [line.strip() for line in text.splitlines()]
    urls = [line for line in lines if line and not line.startswith("#")]
    return bool(urls) and all(URL.match(line) for line in urls)


def read_urls(source: str, text: str, fetcher: Fetcher | None) -> Iterator[Item]:
    """Fetch each URL of a URL list (one per line, '#' comments allowed) and yield its page."""
    urls = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    yield from _fetch_pages(((url, {}) for url in urls), fetcher, origin="url_list", listed_in=source)


def read_feed(source: str, data: bytes, fetcher: Fetcher | None, counts: dict[str, int]) -> Iterator[Item]:
    """Parse an RSS/Atom feed and yield the page behind each entry's link, with the entry's metadata."""
    feed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    entries: list[Any] = list(feed.entries)
    if feed.bozo and not any(entry.get("link") for entry in entries):
        yield Rejected(source, "invalid_feed", f"not a readable RSS/Atom feed ({feed.get('bozo_exception')})")
        return
    if feed.bozo:
        counts["feed_not_well_formed"] = counts.get("feed_not_well_formed", 0) + 1
    links: list[tuple[str, dict[str, str | date]]] = []
    for position, entry in enumerate(entries, start=1):
        link = str(entry.get("link") or "").strip()
        if not link:
            yield Rejected(f"{source}#entry{position}", "missing_link", "the feed entry has no link to fetch")
            continue
        links.append((link, _entry_fields(entry)))
    yield from _fetch_pages(links, fetcher, origin="feed", listed_in=source)


def _entry_fields(entry: Any) -> dict[str, str | date]:
    fields: dict[str, str | date] = {}
    title = " ".join(str(entry.get("title") or "").split())
    if title:
        fields["title"] = title
    author = " ".join(str(entry.get("author") or "").split())
    if author:
        fields["byline"] = author
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if isinstance(stamp, time.struct_time):
        fields["published"] = datetime(*stamp[:6], tzinfo=UTC).date()
    return fields


def _fetch_pages(
    links: Iterable[tuple[str, dict[str, str | date]]], fetcher: Fetcher | None, *, origin: str, listed_in: str
) -> Iterator[Item]:
    pending = list(links)
    if fetcher is None:
        for url, _ in pending:
            yield Rejected(url, "fetching_off", f"listed in {listed_in}; fetching is turned off (ReadOptions.fetch)")
        return
    first_seen: dict[str, str] = {}
    unique: list[tuple[str, dict[str, str | date]]] = []
    for url, fields in pending:
        key = normalize_url(url) or url
        if key in first_seen:
            detail = f"the same address as {first_seen[key]} once tracking parameters are removed"
            yield Rejected(url, "duplicate_url", detail)
            continue
        first_seen[key] = url
        unique.append((url, fields))
    results = fetcher.fetch_many(url for url, _ in unique)
    for (url, fields), result in zip(unique, results, strict=True):
        yield _page(url, fields, result, origin)


def _page(url: str, fields: dict[str, str | date], result: FetchResult, origin: str) -> Item:
    if not result.ok or result.content is None:
        return Rejected(url, result.error or "fetch_failed", result.detail)
    page_fields = {"url": result.normalized_url, **fields}
    hint = _HINTS.get(result.content_type or "")
    return Member(url, result.content, hint=hint, fields=page_fields, origin=origin)
