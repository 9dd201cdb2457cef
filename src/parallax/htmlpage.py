"""Main text and metadata of a news page with trafilatura, in one parse.

`extract_html` keeps the article body (navigation, comments and related links dropped by layout) and reads the
page's title, site name, canonical URL, publication date (htmldate), author, language and description from the
same parsed tree. When trafilatura finds nothing (a tiny page, a page that is not an article, markup it cannot
load), the basic parser of `htmltext` gives the page's readable text instead, so a short page still has text.

    >>> page = extract_html(html, url="https://example.org/story")
    >>> page.text        # paragraphs separated by blank lines
    >>> page.metadata    # {"title": ..., "outlet": ..., "url": ..., "published": date(...), ...}

Settings (`DEFAULT_HTML_OPTIONS`) were picked on the Scrapinghub article extraction benchmark (181 pages,
`benchmarks/bench_extraction.py`): word 4-gram shingle F1 and time against bare `trafilatura.extract`.
"""

from __future__ import annotations

import logging
import re
from configparser import ConfigParser
from copy import deepcopy
from dataclasses import dataclass
from datetime import date
from typing import Any

import trafilatura
from trafilatura.settings import DEFAULT_CONFIG

from parallax.htmltext import PageText, html_to_text

__all__ = ["DEFAULT_HTML_OPTIONS", "FOCUS_CHOICES", "MAX_MARKUP_TAGS", "HtmlOptions", "PageText", "extract_html"]

FOCUS_CHOICES = ("precision", "balanced", "recall")
"""trafilatura's trade-off between leaving text out and letting boilerplate in."""

# Tuned on the 181 pages of the Scrapinghub extraction benchmark (trafilatura 2.3.1, 2 CPU cores; word 4-gram
# shingle F1, and median time against bare `trafilatura.extract` with its defaults, which scores 0.9525), all with
# metadata, menus pruned and comments left out: fast+recall 0.9632 at 0.89x; fast+balanced 0.9624 at 0.95x
# (balanced re-runs short extractions with recall settings); fast+precision 0.9465 at 0.92x; full+recall 0.9593
# at 0.93x; full+balanced 0.9598 at 1.15x; fast+recall without tables 0.9590 at 0.88x
# (benchmarks/results/extraction_variants.json). Keeping reader comments costs 0.0016 F1: they are not the article.
DEFAULT_FOCUS = "recall"

MAX_MARKUP_TAGS = 20_000
"""Pages with more tags than this skip trafilatura for the standard-library parser (linear time). trafilatura's
time grows faster than the page: 0.17 s at 3,000 paragraphs, 0.63 s at 10,000, 2.8 s at 30,000 and 36 s at
100,000 on this 2-core machine, so a hostile page of a few megabytes could hold a batch for minutes. The largest
page of the extraction benchmark has 3,229 tags; 20,000 bounds trafilatura near 1.5 s."""

PRUNED_ELEMENTS = ("//nav", "//footer", "//aside")
"""Removed before extraction. On a short page trafilatura falls back to the whole body, menus included; on the
181 benchmark pages pruning these changes no output (it already drops them there), while pruning `//header` as
well lowered F1 to 0.9579 (27 pages changed: headers often hold the standfirst)."""

_HTML_LANG = re.compile(r"<html\b[^>]*?(?<![\w-])lang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.IGNORECASE)
_LANG_SCAN_CHARS = 4096
"""The `<html>` start tag comes first on real pages; a doctype and comments fit well within this prefix."""

_FIELDS = {"title": "title", "sitename": "outlet", "url": "url", "author": "byline", "description": "description"}

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HtmlOptions:
    """How trafilatura reads a page: the few settings worth changing, with benchmarked defaults.

    `focus` is one of FOCUS_CHOICES; `fast` skips trafilatura's second-opinion extractors (readability, jusText),
    which measured both faster and better on news pages; `max_tree_size` discards (and so sends to the basic
    parser) an extraction with more top-level elements than this; None means no limit, trafilatura's default.
    """

    focus: str = DEFAULT_FOCUS
    fast: bool = True
    include_tables: bool = True
    max_tree_size: int | None = None

    def __post_init__(self) -> None:
        if self.focus not in FOCUS_CHOICES:
            raise ValueError(f"focus must be one of {', '.join(FOCUS_CHOICES)}; got {self.focus!r}")
        if self.max_tree_size is not None and self.max_tree_size < 1:
            raise ValueError(f"max_tree_size must be a positive number of elements or None; got {self.max_tree_size}")


DEFAULT_HTML_OPTIONS = HtmlOptions()


def extract_html(html: str, url: str | None = None, options: HtmlOptions = DEFAULT_HTML_OPTIONS) -> PageText:
    """Return a page's main text (paragraphs separated by blank lines) and its metadata.

    Metadata keys, each present only when found: `title`, `outlet` (site name), `url` (canonical, else the
    given one), `published` (a `datetime.date`), `byline`, `language` (declared on `<html lang>`, primary subtag)
    and `description`. Bad markup never raises: it ends as the basic parser's text, or as empty text.
    """
    if not isinstance(html, str):
        raise TypeError(f"extract_html takes the decoded page as str (see parallax.read.decode); got {type(html)}")
    if not html.strip():
        return PageText("", {})
    if html.count("<") > MAX_MARKUP_TAGS:
        return _fallback(html, url)  # trafilatura's time grows faster than the page: bound it
    document = _trafilatura_document(html, url, options)
    text = _paragraphs(document.text if document is not None else None)
    if not text:
        return _fallback(html, url)
    metadata = _metadata(document)
    if "url" not in metadata and url:
        metadata["url"] = url
    language = _declared_language(html)
    if language:
        metadata["language"] = language
    return PageText(text, metadata)


def _trafilatura_document(html: str, url: str | None, options: HtmlOptions) -> Any:
    try:
        return trafilatura.bare_extraction(
            html,
            url=url,
            fast=options.fast,
            favor_precision=options.focus == "precision",
            favor_recall=options.focus == "recall",
            include_comments=False,
            include_tables=options.include_tables,
            with_metadata=True,
            prune_xpath=list(PRUNED_ELEMENTS),
            config=_config(options),
        )
    # A hostile or broken page must never stop a batch: whatever trafilatura or lxml raise inside (deep
    # recursion, parser errors, bugs in its metadata code) ends as the basic parser's text instead.
    except Exception as error:
        logger.debug("trafilatura failed on %s: %r", url, error)
        return None


def _config(options: HtmlOptions) -> ConfigParser:
    if options.max_tree_size is None:
        return DEFAULT_CONFIG
    config = deepcopy(DEFAULT_CONFIG)
    config["DEFAULT"]["MAX_TREE_SIZE"] = str(options.max_tree_size)
    return config


def _paragraphs(text: str | None) -> str:
    """One block per line, blocks separated by a blank line (what line cleaning and sentence splitting expect)."""
    if not text:
        return ""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def _metadata(document: Any) -> dict[str, object]:
    metadata: dict[str, object] = {}
    for attribute, name in _FIELDS.items():
        value = getattr(document, attribute, None)
        if isinstance(value, str) and value.strip():
            metadata[name] = value.strip()
    published = _iso_date(getattr(document, "date", None))
    if published is not None:
        metadata["published"] = published
    return metadata


def _iso_date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _declared_language(html: str) -> str | None:
    match = _HTML_LANG.search(html, 0, _LANG_SCAN_CHARS)
    return match.group(1).lower() if match else None


def _fallback(html: str, url: str | None) -> PageText:
    try:
        page = html_to_text(html)
    # The standard library's parser raises on some malformed declarations (`<![foo[`); the page then has no text.
    except Exception as error:
        logger.debug("basic HTML parser failed on %s: %r", url, error)
        page = PageText("", {})
    if "url" not in page.metadata and url:
        page.metadata["url"] = url
    language = _declared_language(html)
    if language:
        page.metadata["language"] = language
    return page
