"""Template lines: the short lines an outlet repeats across its articles ("Abone Ol", "Related Articles", a footer).

`clean.py` knows debris by fixed patterns. Each outlet also has furniture no fixed pattern names: section labels,
newsletter prompts, footers in its own language. Such a line shows itself by repetition: it turns up in many of
one outlet's articles, while the article's own words do not. `learn_template_lines` counts, per group of
articles from one outlet (else one URL host, else one folder), in how many articles each short line occurs;
`TemplateLines.is_template` then says whether a line is furniture of the article's group, and
`Clean(templates=...)` removes such lines with the rule `template_line`, kept in `removed_lines` like any other.

Lines are compared by a key: case-folded words, digits masked, punctuation and Markdown ignored, so
"Page 2 of 3" and "page 10 of 12", or "**Abone Ol**" and "Abone Ol", are the same line. A line is counted once per
article however often it repeats there.

Only short lines are candidates. A long line repeated across one outlet's articles is more likely wire copy
(several reprints of one AFP dispatch share whole sentences), and wire copy is content. For the same reason a
line needs to be in several articles of its group *and* in a good share of them.

    >>> from parallax.model import Article
    >>> def page(body: str) -> Article:
    ...     text = f"Headline\\n{body}\\nSubscribe today"
    ...     return Article(id=body, source="site/a.txt", raw_hash="", raw_text="", text=text)
    >>> templates = learn_template_lines(page(body) for body in ("Rain fell.", "Snow fell.", "Wind blew."))
    >>> templates.is_template(page(""), "SUBSCRIBE  today"), templates.is_template(page(""), "Rain fell.")
    (True, False)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

from parallax.model import Article

__all__ = [
    "TEMPLATE_METHOD",
    "TemplateLines",
    "TemplateOptions",
    "learn_template_lines",
    "opens_with_headline",
    "template_key",
]

TEMPLATE_METHOD = "boilerplate.template_lines.v1"
"""Name and version of the counting scheme, stored with the counts so a stored value says what produced it."""

MIN_ARTICLES = 3
"""A line must be in at least this many articles of a group: two articles can share a line by chance (a
subheading such as "Background"), three from one outlet rarely do unless it is the outlet's furniture."""

MIN_SHARE = 0.2
"""...and in at least this share of the group's articles, so that in a large group a line a few articles share
(a columnist's name, a recurring subheading) is not taken for furniture. Chosen on the 37,554 AllSides articles
of ../shared/data/allsides_baly_bias grouped by host: furniture sits at shares of 0.2 to 1.0 ("Advertisement"
0.94 at two hosts, "Story continued below" 0.91, "Slideshow (N images)" 0.48, "USA TODAY" 0.43, "The Associated
Press contributed to this report" 0.20), while most shared content lines (columnists' names, a subheading such
as "What has the reaction been?") sit at 0.01 to 0.05. 0.5 missed most furniture; 0.1 took more recurring
subheadings. Even at 0.2 the fixed section headings of formatted columns go ("What are the details?" 0.21 at
theblaze.com, "From the right" 0.44 at theflipside.io): they stay visible in `removed_lines` as `template_line`.
With these defaults the corpus yields 74 template lines in 47 of its hosts."""

MAX_WORDS = 8
"""Longest template line, in words. Furniture is short: of the debris lines in the bundled example the longest
is 3 words ("Back to top button"); in the AllSides articles above, the longest furniture runs to 8 words
("Copyright 2023 The Associated Press. All rights reserved.", "Sign up for daily opinion newsletter Manage
newsletters"). Wire-copy sentences that reprints share run to 20 words and more. Headlines, as short as furniture,
are protected apart (`opens_with_headline`)."""

MAX_CHARS = 80
"""Longest template line, in characters of its key: bounds lines of a few very long words (URLs, run-together
text) that the word bound lets through."""

_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d+")


def template_key(line: str) -> str:
    """The key a line is counted under: case-folded words joined by one space, each run of digits masked as 0."""
    return _DIGIT.sub("0", " ".join(_WORD.findall(line.casefold())))


@dataclass(slots=True, frozen=True)
class TemplateOptions:
    """When a repeated line counts as an outlet's template line (see the module constants for why these values).

    `min_articles`: the fewest articles of a group the line must occur in (at least 2, so that a line of one
    article is never a template); `min_share`: the smallest share of the group's articles, in (0, 1];
    `max_words`, `max_chars`: the longest line that may be a template line.
    """

    min_articles: int = MIN_ARTICLES
    min_share: float = MIN_SHARE
    max_words: int = MAX_WORDS
    max_chars: int = MAX_CHARS

    def __post_init__(self) -> None:
        if not isinstance(self.min_articles, int) or self.min_articles < 2:
            raise ValueError(f"TemplateOptions.min_articles must be an int of at least 2, not {self.min_articles!r}")
        if not 0 < self.min_share <= 1:
            raise ValueError(f"TemplateOptions.min_share must be in (0, 1], not {self.min_share!r}")
        if self.max_words < 1 or self.max_chars < 1:
            raise ValueError("TemplateOptions.max_words and max_chars must be at least 1")

    def is_candidate(self, key: str) -> bool:
        """True when a line key is short enough to be a template line at all."""
        return bool(key) and len(key) <= self.max_chars and key.count(" ") + 1 <= self.max_words


def group_of(article: Article) -> str:
    """The group an article's furniture is learned in: its outlet, else its URL host, else its source's folder."""
    if article.outlet and article.outlet.strip():
        return f"outlet:{article.outlet.strip().casefold()}"
    if article.url:
        host = (urlsplit(article.url).hostname or "").removeprefix("www.")
        if host:
            return f"host:{host}"
    path = article.source.split("#", 1)[0]  # a JSON Lines record's source is "file.jsonl#L3"
    return f"folder:{PurePath(path).parent.as_posix()}"


def opens_with_headline(article: Article) -> bool:
    """Whether the text's first line is its headline, which is never a template line: it is, unless the reader
    found the title elsewhere (an HTML page's head) and the text opens with something else (a menu line)."""
    if article.title is None:
        return True
    first = next((line for line in article.text.splitlines() if template_key(line)), "")
    return template_key(first) == template_key(article.title)


@dataclass(slots=True)
class _GroupCounts:
    articles: int = 0
    lines: Counter[str] = field(default_factory=Counter)


class TemplateLines:
    """What has been learned about repeated lines, per group: articles seen and, per line key, articles containing it.

    A value object: `merge` returns a new one, `to_dict`/`from_dict` round-trip it (for the store), and the
    judgement is made at question time from the counts, so counts learned in several runs add up.
    """

    __slots__ = ("_groups", "options")

    def __init__(self, options: TemplateOptions | None = None) -> None:
        self.options = options or TemplateOptions()
        self._groups: dict[str, _GroupCounts] = {}

    group_of = staticmethod(group_of)

    def add(self, article: Article) -> None:
        """Count one article's short lines (each once) in its group; its headline is left out."""
        counts = self._groups.setdefault(group_of(article), _GroupCounts())
        counts.articles += 1
        keys = [key for key in (template_key(line) for line in article.text.splitlines()) if key]
        if opens_with_headline(article):
            keys = keys[1:]
        counts.lines.update({key for key in keys if self.options.is_candidate(key)})

    def is_template(self, article: Article, line: str) -> bool:
        """True when `line` is a template line of the article's group."""
        counts = self._groups.get(group_of(article))
        key = template_key(line)
        if counts is None or not self.options.is_candidate(key):
            return False
        return self._judge(counts.lines.get(key, 0), counts.articles)

    def _judge(self, occurrences: int, articles: int) -> bool:
        return occurrences >= self.options.min_articles and occurrences >= self.options.min_share * articles

    def templates(self, group: str) -> list[str]:
        """The keys judged template lines in `group`, most frequent first."""
        counts = self._groups.get(group)
        if counts is None:
            return []
        return [key for key, n in counts.lines.most_common() if self._judge(n, counts.articles)]

    def counts(self) -> dict[str, dict[str, int]]:
        """Per group: articles counted and template lines found (`{"articles": n, "templates": m}`)."""
        return {
            group: {"articles": counts.articles, "templates": len(self.templates(group))}
            for group, counts in sorted(self._groups.items())
        }

    def merge(self, other: TemplateLines) -> TemplateLines:
        """A new value holding both values' counts (this one's options); learn each article only once overall."""
        merged = TemplateLines(self.options)
        for source in (self, other):
            for group, counts in source._groups.items():
                into = merged._groups.setdefault(group, _GroupCounts())
                into.articles += counts.articles
                into.lines.update(counts.lines)
        return merged

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: method name, options and the counts of every group."""
        return {
            "method": TEMPLATE_METHOD,
            "options": asdict(self.options),
            "groups": {
                group: {"articles": counts.articles, "lines": dict(counts.lines)}
                for group, counts in sorted(self._groups.items())
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TemplateLines:
        """Rebuild a value from `to_dict` output; a dict from another counting scheme raises ValueError."""
        if data.get("method") != TEMPLATE_METHOD:
            raise ValueError(f"template lines stored by {data.get('method')!r}; this version reads {TEMPLATE_METHOD!r}")
        value = cls(TemplateOptions(**data.get("options", {})))
        for group, counts in data.get("groups", {}).items():
            value._groups[group] = _GroupCounts(int(counts["articles"]), Counter(counts["lines"]))
        return value

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TemplateLines):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]  # mutable while learning: not hashable

    def __repr__(self) -> str:
        return f"TemplateLines({len(self._groups)} groups, {self.options!r})"


def learn_template_lines(articles: Iterable[Article], options: TemplateOptions | None = None) -> TemplateLines:
    """Count the short lines of `articles` per group (see `TemplateLines`); learn from articles as Clean sees them."""
    templates = TemplateLines(options)
    for article in articles:
        templates.add(article)
    return templates
