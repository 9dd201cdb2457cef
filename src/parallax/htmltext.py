"""Basic HTML to text with the standard library's parser: readable text plus the page's own metadata.

This is the simple path for saved pages; main-text extraction that drops navigation and comments by layout
(trafilatura) replaces it in the HTML reader. Script, style and other non-content elements are skipped, so
nothing from a page's code ends up in article text; block elements become line breaks for line cleaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser

__all__ = ["PageText", "html_to_text"]

SKIPPED_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "button",
        "iframe",
        "head",
    }
)
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "blockquote",
        "figure",
        "figcaption",
        "tr",
        "table",
        "main",
        "hr",
        "pre",
    }
)
VOID_TAGS = frozenset(
    {
        "br",
        "hr",
        "img",
        "meta",
        "link",
        "input",
        "source",
        "area",
        "base",
        "col",
        "embed",
        "param",
        "track",
        "wbr",
    }
)
META_FIELDS = {
    "og:title": "title",
    "twitter:title": "title",
    "og:site_name": "outlet",
    "og:url": "url",
    "article:published_time": "published",
    "date": "published",
    "pubdate": "published",
}


@dataclass(slots=True)
class PageText:
    """The text of a page, one block per line, and metadata from its head (title, outlet, url, published)."""

    text: str
    metadata: dict[str, object] = field(default_factory=dict)


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.in_title = False
        self.title_parts: list[str] = []
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or "").lower()
            if key and "content" in values:
                self.meta.setdefault(key, values["content"])
        elif tag == "link" and values.get("rel", "").lower() == "canonical":
            self.canonical = values.get("href")
        elif tag == "title":
            self.in_title = True
        if tag in SKIPPED_TAGS and tag not in VOID_TAGS:
            self.skip_depth += 1
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in SKIPPED_TAGS and self.skip_depth:
            self.skip_depth -= 1
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
        elif not self.skip_depth:
            self.parts.append(data)


def _published(value: str) -> date | None:
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None


def html_to_text(html: str) -> PageText:
    """Return the readable text of an HTML document and the metadata its head declares."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in "".join(collector.parts).split("\n"))
    text = "\n\n".join(line for line in lines if line)
    metadata: dict[str, object] = {}
    for key, name in META_FIELDS.items():
        value = collector.meta.get(key, "").strip()
        if value and name not in metadata:
            parsed: object = _published(value) if name == "published" else value
            if parsed is not None:
                metadata[name] = parsed
    title = " ".join("".join(collector.title_parts).split())
    if title and "title" not in metadata:
        metadata["title"] = title
    if collector.canonical and "url" not in metadata:
        metadata["url"] = collector.canonical
    return PageText(text, metadata)
