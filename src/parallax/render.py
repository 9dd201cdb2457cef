"""Write a report out: `report.json` (the contract in docs/report.schema.json), Markdown and a static HTML page.

All article text is untrusted: the HTML goes through Jinja2 with autoescaping on, and Markdown output escapes
the characters that Markdown or an HTML-capable viewer would interpret.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape

from parallax.model import Article, Story
from parallax.pipeline import Report
from parallax.serialize import article_to_dict, story_to_dict
from parallax.version import __version__

__all__ = [
    "SCHEMA_VERSION",
    "by_outlet",
    "first_n",
    "highlight_segments",
    "outlet_columns",
    "outlets_stating",
    "report_to_dict",
    "safe_url",
    "source_label",
    "templates",
    "to_html",
    "to_markdown",
    "write_report",
]

SCHEMA_VERSION = 1
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
URL_SOURCE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
MEMBER_MARK = re.compile(r"[!#]")
"""Where a container's path ends in a source: `!` before an archive member, `#` before a record (`#L3`, `#R2`)."""
UPLOADS_LABEL = "uploads"


def templates() -> Environment:
    """Return the Jinja2 environment over the package's templates, autoescaping everything."""
    environment = Environment(
        loader=PackageLoader("parallax", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["outlet_of"] = _outlet_of
    environment.filters["safe_url"] = safe_url
    environment.filters["source_label"] = source_label
    environment.filters["by_outlet"] = by_outlet
    environment.filters["outlet_columns"] = outlet_columns
    environment.filters["outlets_stating"] = outlets_stating
    environment.filters["first_n"] = first_n
    return environment


def safe_url(url: str | None) -> str | None:
    """Return `url` if it is an http(s) address, else None: a link from article data never runs code."""
    if url and urlsplit(url.strip()).scheme.lower() in {"http", "https"}:
        return url.strip()
    return None


def by_outlet(items: Iterable[Any]) -> dict[str, list[Any]]:
    """Items that each have an `outlet`, grouped by it in their order: a table's cells looked up, not searched."""
    grouped: dict[str, list[Any]] = {}
    for item in items:
        grouped.setdefault(item.outlet, []).append(item)
    return grouped


def first_n(items: Sequence[Any], n: int | None) -> Sequence[Any]:
    """The first `n` items, or all of them when `n` is None (a page's cap on a long list)."""
    return items if n is None else items[:n]


def outlet_columns(article_ids: Iterable[str], articles: Mapping[str, Article]) -> list[tuple[str, int]]:
    """The outlets of these articles in first-appearance order, each with how many of the articles it has: the
    columns of a fact-by-outlet table (a story of hundreds of articles has tens of outlets)."""
    return list(Counter(_outlet_of(articles.get(article_id)) for article_id in dict.fromkeys(article_ids)).items())


def outlets_stating(article_ids: Iterable[str], articles: Mapping[str, Article]) -> dict[str, int]:
    """How many of these (distinct) articles each outlet has: a fact's cells in the fact-by-outlet table."""
    return dict(Counter(_outlet_of(articles.get(article_id)) for article_id in set(article_ids)))


def source_label(source: str, uploads: Path | None = None) -> str:
    """Where an article was read from, fit to show to anyone: a URL as it is, a file under `uploads` (the web app's
    uploads folder) as `uploads/…`, any other absolute path by its file name (with its archive member or record),
    a relative path as given. A page or an export never shows an absolute path of the machine that read it."""
    if URL_SOURCE.match(source):
        return source
    if uploads is not None:
        for root in dict.fromkeys((str(uploads), str(uploads.absolute()), str(uploads.resolve()))):
            prefix = root.rstrip("/\\") + "/"
            if source.startswith(prefix):
                return f"{UPLOADS_LABEL}/{source[len(prefix) :]}"
    found = MEMBER_MARK.search(source)
    path, rest = (source[: found.start()], source[found.start() :]) if found else (source, "")
    if PurePosixPath(path).is_absolute():
        return PurePosixPath(path).name + rest
    if PureWindowsPath(path).is_absolute():
        return PureWindowsPath(path).name + rest
    return source


def highlight_segments(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[str, bool]]:
    """Cut `text` into (piece, highlighted) runs covering it exactly; overlapping spans merge."""
    merged: list[list[int]] = []
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    segments: list[tuple[str, bool]] = []
    cursor = 0
    for start, end in merged:
        if start > cursor:
            segments.append((text[cursor:start], False))
        segments.append((text[start:end], True))
        cursor = end
    if cursor < len(text):
        segments.append((text[cursor:], False))
    return segments


def _outlet_of(article: Article | None) -> str:
    if article is None:
        return "unknown"
    return article.outlet or f"unknown ({Path(article.source).name})"


def report_to_dict(report: Report) -> dict[str, Any]:
    """Return the `report.json` document for a report."""
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "parallax", "version": __version__},
        "articles": [article_to_dict(a) for a in report.articles],
        "stories": [story_to_dict(s) for s in report.stories],
        "stages": [stage.to_dict() for stage in report.stages],
    }


def md_escape(text: str) -> str:
    """Escape text so Markdown (and HTML inside Markdown) shows it literally."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _story_markdown(story: Story, articles: dict[str, Article]) -> list[str]:
    lines = [f"## {md_escape(story.title)}", "", f"`{story.id}` · {len(story.article_ids)} articles", ""]
    if story.summary:
        lines += ["### Summary", ""]
        for sentence in story.summary:
            lines.append(f"- {md_escape(sentence.text)} [{', '.join(sentence.article_ids)}]")
        lines.append("")
    lines += ["### Facts", "", "| fact | independent sources | articles | outlets |", "|---|---|---|---|"]
    for fact in story.facts:
        outlets = "; ".join(md_escape(o) for o in fact.outlets)
        lines.append(f"| {md_escape(fact.text)} | {fact.independent_sources} | {len(fact.article_ids)} | {outlets} |")
    lines += _divergences_markdown(story) + _omissions_markdown(story) + _framing_markdown(story)
    if story.families:
        lines += ["", "### Source families", ""]
        for family in story.families:
            members = ", ".join(md_escape(_outlet_of(articles.get(i))) for i in family.article_ids)
            credits = f" (credits {', '.join(family.agencies)})" if family.agencies else ""
            lines.append(f"- {members}{credits}")
    lines += ["", "### Articles", ""]
    for article_id in story.article_ids:
        article = articles.get(article_id)
        title = md_escape(article.title or "(untitled)") if article else "(missing)"
        lines.append(f"- `{article_id}` {md_escape(_outlet_of(article))}: {title}")
    lines.append("")
    return lines


def _divergences_markdown(story: Story) -> list[str]:
    if not story.divergences:
        return []
    lines = ["", "### Divergences", ""]
    for divergence in story.divergences:
        sides = " / ".join(
            f"{md_escape(side.value)} ({'; '.join(md_escape(o) for o in side.outlets)})" for side in divergence.sides
        )
        compatible = " (compatible)" if divergence.compatible else ""
        lines.append(f"- {divergence.kind}: {md_escape(divergence.question)}{compatible}: {sides}")
    return lines


def _omissions_markdown(story: Story) -> list[str]:
    lines = []
    for outlet in story.omissions:
        for fact in outlet.omitted:
            reported = "; ".join(md_escape(o) for o in fact.outlets)
            lines.append(f"- {md_escape(outlet.outlet)} leaves out: {md_escape(fact.text)} (reported by {reported})")
    return ["", "### Omissions", "", *lines] if lines else []


def _framing_markdown(story: Story) -> list[str]:
    framing = story.framing
    if framing is None or not framing.labels:
        return []
    outlets = list(framing.outlets)
    lines = ["", "### Framing: how each outlet names the parties", ""]
    lines += ["| referent | " + " | ".join(md_escape(o) for o in outlets) + " |", "|---" * (len(outlets) + 1) + "|"]
    for referent in framing.labels:
        cells = {forms.outlet: "; ".join(md_escape(f.text) for f in forms.forms) for forms in referent.outlets}
        lines.append(f"| {md_escape(referent.canonical)} | " + " | ".join(cells.get(o, "") for o in outlets) + " |")
    return lines


def to_markdown(report: Report) -> str:
    """Render a report as Markdown: one section per story with its cited summary, facts and articles."""
    articles = {a.id: a for a in report.articles}
    lines = ["# parallax report", "", f"{len(report.articles)} articles, {len(report.stories)} stories", ""]
    for story in report.stories:
        lines += _story_markdown(story, articles)
    return "\n".join(lines)


def to_html(report: Report) -> str:
    """Render a report as one static, self-contained HTML page."""
    articles = {a.id: a for a in report.articles}
    return (
        templates()
        .get_template("report.html")
        .render(
            report=report,
            stories=report.stories,
            articles=articles,
            version=__version__,
            article_anchor=lambda article_id: f"#a-{article_id}",
            story_titles={story.id: story.title for story in report.stories},
            story_anchor=lambda story_id: f"#{story_id}",
        )
    )


def write_report(report: Report, out_dir: str | Path) -> list[Path]:
    """Write report.json, report.md and index.html into `out_dir` (created if missing); return their paths."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    outputs = {
        "report.json": json.dumps(report_to_dict(report), ensure_ascii=False, indent=2),
        "report.md": to_markdown(report),
        "index.html": to_html(report),
    }
    written = []
    for name, content in outputs.items():
        path = folder / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written
