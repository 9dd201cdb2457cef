"""Line-level cleaning: remove site debris from an article's text, and keep every removed line with its rule.

Pages copied out of news sites carry their furniture with them: "Read More" buttons and the headline they
link to, "Abone Ol" (subscribe) buttons, "Back to top", "Related Articles", captions pasted twice, photo
and source credits, bylines, "Published:" and copyright lines, "Original url:" footers and short site markers
such as "yl-01". `clean_text` removes those lines, turns Markdown into plain text, normalises whitespace, and
returns the lines it removed, each with the rule that removed it (`RemovedLine`), so the extract stage can still
read credits, datelines and URLs from them and nothing is lost. Lines an outlet repeats across its articles,
which no fixed rule knows, are learned by `parallax.boilerplate` and removed here as `template_line` when
`Clean` is given what was learned.

Cleaning is idempotent: `clean_text(clean_text(t).text)` removes nothing more. The rules run to a fixed point
inside one call, so a rule that only fires once another rule has removed a line (a site marker exposed at the
end of the text) cannot fire on a second call.

    >>> result = clean_text("Title\\n\\nA sentence here.\\n\\nRead More\\nA linked headline\\n\\nyl-01")
    >>> result.text
    'Title\\n\\nA sentence here.'
    >>> [(line.text, line.rule) for line in result.removed]
    [('Read More', 'read_more'), ('A linked headline', 'related_link'), ('yl-01', 'site_marker')]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

from parallax.boilerplate import TemplateLines, opens_with_headline
from parallax.model import Article, RemovedLine
from parallax.stages import Drop, Stage

__all__ = ["AGENCIES", "CONTRIBUTED", "PHOTO_AGENCIES", "Clean", "CleanOptions", "CleanResult", "clean_text"]

_AGENCY_NAMES = (
    "AFP", "AP", "Reuters", "AA", "STT", "TASS", "RIA Novosti", "Interfax", "DPA", "EFE", "ANSA", "Xinhua", "UPI",
    "PA", "Bloomberg", "Kyodo", "Yonhap", "APA", "Trend", "AZERTAC", "Armenpress", "NTB", "TT", "Ritzau", "Lusa",
    "CNA", "IANS", "PTI", "ANI", "Sputnik", "Getty Images", "Shutterstock", "EPA", "Sipa", "Belga", "ANP", "APA-OTS",
    "CTK", "PAP", "MTI", "BTA", "Tanjug", "HINA", "Ukrinform", "Unian", "IRNA", "WAFA", "KUNA", "SPA", "WAM", "MENA",
)  # fmt: skip
_AGENCY_ALIASES = {
    "Associated Press": "AP", "The Associated Press": "AP", "Agence France-Presse": "AFP",
    "Agence France Presse": "AFP", "Anadolu Agency": "AA", "Anadolu": "AA", "Anadolu Ajansı": "AA", "PA Media": "PA",
    "Press Association": "PA", "ITAR-TASS": "TASS", "Deutsche Presse-Agentur": "DPA",
}  # fmt: skip
AGENCIES = {name.casefold(): name for name in _AGENCY_NAMES} | {
    alias.casefold(): name for alias, name in _AGENCY_ALIASES.items()
}
"""News and photo agencies, by case-folded name or alias, each to the one name credits are recorded under
("Agence France-Presse" -> "AFP"), for credit lines ("Sources: AFP, STT", "Valery Sharifulin/TASS")."""

PHOTO_AGENCIES = frozenset(name.casefold() for name in ("Getty Images", "Shutterstock", "EPA", "Sipa", "AP Photo"))
"""Agencies that supply pictures only: a line naming one is a photo credit, never a credit for the text."""

TERMINAL = tuple(".!?\"”’')»:;…")
"""Characters that end a sentence (a line ending otherwise is a headline, a label or a button)."""

_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?"
    "|nov(?:ember)?|dec(?:ember)?"
)
DATE_LINE = re.compile(
    rf"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:"
    rf"(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}"  # July 16, 2023
    rf"|\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+\d{{4}}"  # 16 July 2023
    rf"|\d{{4}}-\d{{2}}-\d{{2}}"  # 2023-07-16
    rf")(?:[\s,|-]+(?:at\s+)?\d{{1,2}}[:.]\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{{2,4}})?)?$",
    re.IGNORECASE,
)
"""A line that is only a date, optionally with a time: a dateline."""

_NAME = r"(?:(?-i:[A-ZÀ-Þ\[])[\w.'’\]-]*|(?:de|da|di|van|von|der|den|al|el|bin|la|le)\b)"
"""A word of a name as a byline writes it: capitalised ("By Monday night, ..." is a sentence, not a byline)."""

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (rule, re.compile(pattern, re.IGNORECASE))
    for rule, pattern in (
        ("read_more", r"^(?:read|see|view|show)\s+(?:more|also|full story|the full article)\b[\s:.>»›…-]*$"),
        ("read_more", r"^(?:continue reading|click here to read more|more on this story)[\s:.>»›…-]*$"),
        ("subscribe_button", r"^(?:abone ol|subscribe(?: now| here| to our newsletter)?|sign up(?: for .{0,40})?"
                             r"|follow us(?: on .{0,40})?|join (?:us|our .{0,30}))[\s!.:>»]*$"),
        ("back_to_top", r"^(?:back to top(?: button)?|scroll to top|go to top|top of page)[\s^↑]*$"),
        ("related_heading", r"^(?:related(?: articles?| stories| news| content| posts| coverage| topics)?"
                            r"|more (?:from|on|stories|news)(?: .{0,40})?|you (?:may|might) also like"
                            r"|recommended(?: for you| stories)?|most (?:read|popular)|trending(?: now)?"
                            r"|also read|latest news|editor'?s picks)[\s:]*$"),
        ("related_link", r"^(?:related|also read|read also|see also|more|read more)\s*(?:article|story|link|news)?"
                         r"\s*:\s*\S.*$"),
        ("share_button", r"^(?:share(?: this(?: article| story)?)?(?: on \w+)?|tweet|email|print|copy link"
                         r"|facebook|twitter|whatsapp|linkedin|telegram|reddit)[\s:]*$"),
        ("advertisement", r"^(?:advertisement|advertising|sponsored(?: content)?|ad|reklam)[\s:]*$"),
        ("original_url", r"^(?:original|source|article|canonical)\s+(?:url|link|article)\s*:?\s*(?:<?https?://\S+>?)?$"),
        ("url_line", r"^<?https?://\S+>?$"),
        ("credit_line", r"^(?:sources?|credits?|via|contributing|with (?:reporting|input) from|compiled by|edited by)"
                        r"\s*:\s*\S.{0,80}$"),
        ("credit_line", r"^[-–—]*\s*(?:with\s+)?(?:additional\s+)?(?:reporting|input|contributions?)\s+(?:by|from)"
                        r"\s+\S.{0,80}$"),
        ("copyright_line", r"^(?:©|\(c\)\s|copyright\s+(?:©\s*)?(?=\d{4}))\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?"
                           r"\S.{0,200}$"),
        ("published_line", rf"^(?:first\s+)?(?:published|updated|posted|last\s+(?:updated|modified))"
                           rf"(?:\s+(?:on|at))?\s*[:|]?\s*(?:\w+day,?\s+)?(?:\d|(?:{_MONTHS})\.?\s+\d).{{0,60}}$"),
        ("byline", rf"^(?:by|written by)\s+{_NAME}(?:\s+{_NAME}){{0,5}}\s*(?:$|[,|/&(]|\band\b|\bfor\b).{{0,80}}$"),
        ("byline", r"^authors?\s*:\s*\S.{0,80}$"),
        ("photo_caption", r"^.{0,300}(?:/|\||\()\s*(?:file\s+)?(?:photo|image|picture|foto)"
                          r"\s*(?::|by)\s*[^.]{1,60}\)?$"),
        ("photo_caption", r"^.{0,300}\((?:[^()]{0,60}\bvia\s+)?getty images\)$"),
        ("photo_caption", r"^.{0,300}\((?:ap photo|(?:reuters|afp|epa(?:-efe)?|tass|aa)\s*/)[^()]{0,60}\)$"),
        ("photo_credit", r"^(?:photo|image|picture|foto|photograph)\s*(?::|by|credit:?)\s*\S.{0,80}$"),
        ("photo_credit", r"^[^\W\d_][\w.'’ -]{1,50}\s*/\s*[^\W\d_][\w&' -]{1,40}$"),
    )
)  # fmt: skip
"""(rule, pattern) pairs tried in order on each line's plain text; the first that matches names the rule."""

_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)")
_MD_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?")
_MD_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")
_MARKDOWN_SIGNS = (_MD_HEADING, _MD_LINK, _MD_IMAGE, re.compile(r"\*\*\S[^*]*\*\*"))
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_WORD = re.compile(r"\w+")


@dataclass(slots=True, frozen=True)
class CleanOptions:
    """Settings of the clean stage.

    `header_label_words` and `site_marker_words`: the most words a short label line above the body (a section
    name such as "Defence News") or a trailing site marker ("yl-01") may have to be removed.
    `markdown`: "auto" converts Markdown when the text shows Markdown syntax, "always" and "never" force it.
    """

    header_label_words: int = 6
    site_marker_words: int = 3
    markdown: str = "auto"

    def __post_init__(self) -> None:
        if self.markdown not in {"auto", "always", "never"}:
            raise ValueError(f"CleanOptions.markdown must be 'auto', 'always' or 'never', not {self.markdown!r}")


@dataclass(slots=True, frozen=True)
class CleanResult:
    """Clean text and the lines removed from it (line numbers are 1-based, into the input text)."""

    text: str
    removed: list[RemovedLine]


@dataclass(slots=True)
class _Line:
    number: int
    raw: str
    text: str
    removed_by: str | None = None


def _normalise(text: str) -> str:
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


def _markdown_to_text(line: str) -> str:
    if _MD_RULE.match(line):
        return ""
    heading = _MD_HEADING.match(line)
    if heading:
        line = heading.group(1)
    line = _MD_QUOTE.sub("", line)
    line = _MD_IMAGE.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_AUTOLINK.sub(r"\1", line)
    previous = None
    while previous != line:
        previous, line = line, _MD_EMPHASIS.sub(lambda m: m.group(2) or m.group(3), line)
    return _MD_ESCAPE.sub(r"\1", line)


def _looks_like_markdown(text: str) -> bool:
    return any(sign.search(line) for line in text.splitlines() for sign in _MARKDOWN_SIGNS)


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def is_sentence_line(text: str) -> bool:
    """True when a line reads as running text: it ends like a sentence (a headline or a button does not)."""
    return text.rstrip().endswith(TERMINAL)


def _is_agency(text: str) -> bool:
    return text.strip(" .,;:()").casefold() in AGENCIES


_LABEL_RULES = frozenset({"byline", "credit_line", "photo_credit", "published_line", "related_heading"})
"""Rules for label-like lines: they never remove a line that ends like a sentence ("By then, it was over."), unless
all it names are agencies ("With reporting by AFP.")."""

_CREDIT_LABEL = re.compile(
    r"^(?:[-–—]\s*)?(?:by|sources?|credits?|via|(?:with\s+)?(?:additional\s+)?(?:reporting|input)\s+(?:by|from))"
    r"\s*:?\s+",
    re.IGNORECASE,
)


def _names_only_agencies(text: str) -> bool:
    body = _CREDIT_LABEL.sub("", text.rstrip(". "))
    parts = [part for part in re.split(r",|/|&|\band\b", body) if part.strip()]
    return bool(parts) and all(_is_agency(part) for part in parts)


def _is_photo_agency(text: str) -> bool:
    return text.strip(" .,;:()").casefold() in PHOTO_AGENCIES


CONTRIBUTED = re.compile(
    r"^(?P<who>[^.!?]{2,80}?)\s+contributed(?:\s+reporting)?\s+to\s+this\s+(?:report|article|story)\.?$", re.IGNORECASE
)
"""A contributors' line ("The Associated Press contributed to this report."): a credit, though it ends like a
sentence."""


def _pattern_rule(text: str) -> str | None:
    if DATE_LINE.match(text):
        return "dateline"
    if CONTRIBUTED.match(text):
        return "credit_line"
    if _is_photo_agency(text):
        return "photo_credit"
    if _is_agency(text):
        return "credit_line"
    sentence = is_sentence_line(text) and not _names_only_agencies(text)
    for rule, pattern in _PATTERNS:
        if pattern.match(text) and not (sentence and rule in _LABEL_RULES):
            return rule
    return None


def _remove_by_pattern(lines: list[_Line]) -> None:
    previous: _Line | None = None
    for line in lines:
        rule = _pattern_rule(line.text)
        if previous is not None and previous.removed_by is not None:
            # What a removed line points at goes with it: the headline a "Read More" button links to, the URL
            # under "Original url:", the agency credited under a caption.
            if previous.removed_by == "read_more" and rule is None and not is_sentence_line(line.text):
                rule = "related_link"
            elif previous.removed_by == "original_url" and rule == "url_line":
                rule = "original_url"
            elif previous.removed_by in {"photo_caption", "photo_credit"} and rule == "credit_line":
                rule = "photo_credit"
        if rule is not None:
            line.removed_by = rule
        previous = line


def _remove_duplicates(lines: list[_Line]) -> None:
    # A line that repeats an earlier one (a caption pasted twice), or a short one that repeats the start of an
    # earlier one (the headline again without its punctuation or its " - Site" suffix).
    seen: list[str] = []
    for line in lines:
        key = _key(line.text)
        if not key:
            continue
        if key in seen or (not is_sentence_line(line.text) and any(earlier.startswith(key + " ") for earlier in seen)):
            line.removed_by = "duplicate_line"
        else:
            seen.append(key)


def _remove_header_labels(lines: list[_Line], max_words: int) -> None:
    # Between the headline and the first paragraph of running text, short label lines are site furniture
    # ("Defence News Öne Çıkan"). Text that opens with running text has no headline, so no such zone.
    if not lines or is_sentence_line(lines[0].text):
        return
    for line in lines[1:]:
        if is_sentence_line(line.text):
            return
        if _words(line.text) <= max_words:
            line.removed_by = "header_label"


def _remove_site_markers(lines: list[_Line], max_words: int) -> None:
    for line in reversed(lines):
        if is_sentence_line(line.text) or _words(line.text) > max_words or len(line.text) > 40:
            return
        line.removed_by = "site_marker"


def _remove_template_lines(lines: list[_Line], is_template: Callable[[str], bool], headline: bool) -> None:
    # The headline opens the text: one headline reprinted by several outlets is content, not furniture.
    for line in lines[1:] if headline else lines:
        if is_template(line.text):
            line.removed_by = "template_line"


def _one_pass(
    lines: list[_Line], options: CleanOptions, is_template: Callable[[str], bool] | None, headline: bool
) -> None:
    def kept() -> list[_Line]:
        return [line for line in lines if line.text and line.removed_by is None]

    _remove_by_pattern(kept())
    if is_template is not None:
        _remove_template_lines(kept(), is_template, headline)
    _remove_duplicates(kept())
    if not any(is_sentence_line(line.text) for line in kept()):
        return  # no running text (a list of headlines): nothing tells a label from content
    _remove_header_labels(kept(), options.header_label_words)
    _remove_site_markers(kept(), options.site_marker_words)


def clean_text(
    text: str,
    options: CleanOptions | None = None,
    is_template: Callable[[str], bool] | None = None,
    *,
    opens_with_headline: bool = True,
) -> CleanResult:
    """Remove debris lines from `text`, convert Markdown to plain text and normalise whitespace.

    `is_template(line)` says whether a line is a learned template line of the text's outlet (rule `template_line`);
    the first line is never one while `opens_with_headline` (the default) says it is the headline.
    """
    options = options or CleanOptions()
    markdown = options.markdown == "always" or (options.markdown == "auto" and _looks_like_markdown(text))
    lines = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        plain = _markdown_to_text(raw) if markdown else raw
        lines.append(_Line(number, raw, _normalise(plain)))
    for _ in range(8):  # rules reach a fixed point in two or three passes; eight bounds hostile input
        before = sum(line.removed_by is not None for line in lines)
        _one_pass(lines, options, is_template, opens_with_headline)
        if sum(line.removed_by is not None for line in lines) == before:
            break
    out: list[str] = []
    for line in lines:
        if line.removed_by is not None:
            continue
        if line.text or (out and out[-1]):
            out.append(line.text)
    removed = [RemovedLine(line.number, line.raw, line.removed_by) for line in lines if line.removed_by]
    return CleanResult("\n".join(out).strip("\n"), removed)


class Clean(Stage):
    """The clean stage: `clean_text` on each article; an article left with no text is dropped.

    `templates`, when given, are the template lines learned from the articles' outlets
    (`parallax.boilerplate.learn_template_lines`); each article is cleaned of its own group's template lines.
    """

    name = "clean"

    def __init__(self, options: CleanOptions | None = None, templates: TemplateLines | None = None) -> None:
        super().__init__()
        if templates is not None and not isinstance(templates, TemplateLines):
            raise TypeError(f"Clean(templates=...) takes a TemplateLines value, not {type(templates).__name__}")
        self.options = options or CleanOptions()
        self.templates = templates

    def process(self, article: Article) -> Article:
        is_template = partial(self.templates.is_template, article) if self.templates is not None else None
        headline = opens_with_headline(article)
        result = clean_text(article.text, self.options, is_template, opens_with_headline=headline)
        if not result.text.strip():
            raise Drop("empty_after_cleaning", f"{len(result.removed)} lines, all debris")
        for line in result.removed:
            self.report.counts[line.rule] += 1
        return replace(article, text=result.text, removed_lines=[*article.removed_lines, *result.removed])
