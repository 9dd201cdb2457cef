"""Know each article: its sentences, and the metadata its text and its removed lines carry.

`Extract` fills only what earlier stages left empty (a reader that found a title in an HTML page or a JSON
record wins over the heuristics here) and records in `Article.provenance` where each value came from:

- `title`: a first line that reads as a headline (`first_line`);
- `outlet`: what the reader found (`record`, `html_meta`), put in the registry's words ("aa.com.tr" ->
  "Anadolu Agency"); else the URL's domain in the outlet registry (`url_registry`); else a trailing
  " - Site Name" on the title that names a registry outlet or the URL's host (`title_suffix`, cut from the
  title); else a removed line naming a registry outlet that is not an agency: its site marker, its name as a
  site marker, a "© 2023 Name" footer (`removed_line`); else the URL's bare host (`url_host`). A credit
  ("Source: AA") says who supplied the copy, not who published it, so it never names the outlet; where nothing
  says who published a text, `outlet` stays None;
- `published`: a "Published: <date>" line (`published_line`), a dateline (`dateline`), an "Updated: <date>"
  line (`updated_line`), else `ExtractOptions.reference_date` (`reference_date`);
- `url`: the link under an "Original url:" footer (`original_url`);
- `byline`: the people of a "By Jane Doe and John Roe" or "Author: Jane Doe" line (`byline_line`);
- `agencies`: agencies credited for the text: by a byline ("By AFP", "By Jane Doe, Reuters"), a source line
  ("Sources: AFP, STT", "With reporting by AFP", "The Associated Press contributed to this report"), a copyright
  line naming an agency (`credit_line`), or a wire dateline opening the text ("WASHINGTON (Reuters) -",
  `wire_dateline`); an agency named in running text ("according to AFP") is a quote, not a credit;
- `photo_credits`: who is credited for the pictures ("/ File Photo: AFP", "Valery Sharifulin/TASS",
  "(Getty Images)"), kept apart since a photo credit does not make an article agency copy (`photo_credit`);
- `language`: py3langid on the start of the clean text (`LANGUAGE_SAMPLE_CHARS`);
- `sentences`: `parallax.sentences` on each paragraph (rules over candidate boundaries and an abbreviation
  table; pysbd with `ExtractOptions(sentences=SentenceOptions(method="pysbd"))`), with character offsets into
  the clean text. An article with no sentence is dropped (`no_sentences`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import py3langid

from parallax.clean import AGENCIES, CONTRIBUTED, DATE_LINE, PHOTO_AGENCIES, is_sentence_line
from parallax.model import Article, RemovedLine, Sentence
from parallax.outlets import Outlet, OutletRegistry
from parallax.sentences import DEFAULT_OPTIONS as DEFAULT_SENTENCE_OPTIONS
from parallax.sentences import SentenceOptions
from parallax.sentences import split as _split_sentences
from parallax.stages import Drop, Stage

__all__ = ["DATE_LANGUAGES", "Extract", "ExtractOptions", "parse_byline", "parse_date", "split_sentences"]

TITLE_MAX_WORDS = 30
LANGUAGE_SAMPLE_CHARS = 2000
"""py3langid reads this many characters from the start of the clean text. Its pure-Python n-gram loop is the
largest cost of the extract stage on whole articles (1.7 ms of ~5 ms per allsides_baly_bias article); the first
1,000 characters gave the same language as the whole text on all 3,000 articles of `make bench-extract`, and
2,000 leaves room for texts that open with a short headline or a quote in another language."""
DATE_LANGUAGES = ("en", "tr", "ru", "fi", "fr", "de", "es")
"""Languages dateparser may read a "Published:" date in: restricting them keeps it fast and unambiguous."""

_SUFFIX = re.compile(r"^(?P<title>.{12,}?)\s+[-|–—]\s+(?P<site>[^-|–—]{2,40})$")
_URL = re.compile(r"https?://[^\s<>]+")
_DATE_FORMATS = ("%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d")
_WEEKDAY = re.compile(r"^(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+", re.IGNORECASE)
_TIME = re.compile(r"\s+(?:at\s+)?\d{1,2}[:.]\d{2}.*$", re.IGNORECASE)
_MARKDOWN_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_CREDIT_LABEL = re.compile(
    r"^[-–—\s]*(?:(?:with\s+)?(?:additional\s+)?(?:reporting|input|contributions?)\s+(?:by|from)|sources?|credits?"
    r"|via|contributing|compiled\s+by|edited\s+by|written\s+by|by|authors?)\s*:?\s*",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*,?\s*", re.IGNORECASE)
_DATE_LABEL = re.compile(
    r"^(?P<label>(?:first\s+)?(?:published|posted|updated|last\s+(?:updated|modified)))(?:\s+(?:on|at))?\s*[:|]?\s*",
    re.IGNORECASE,
)
_WIRE_DATELINE = re.compile(
    r"^(?:[A-ZÀ-Þ][A-ZÀ-Þ.'’ -]{1,40}(?:,[^()\n]{2,30})?\s*)?\((?P<agency>[^()]{2,30})\)\s*[-–—]{1,2}\s",
)
_NAME_WORD = re.compile(r"^(?:[A-ZÀ-Þ][\w.'’-]*|(?:de|da|di|van|von|der|den|al|el|bin|ibn|la|le)[\w'’-]*)$")
_STAFF = re.compile(r"\s+(?:staff(?:\s+writers?)?|reporters?|correspondents?)$", re.IGNORECASE)
_NOT_A_PERSON = frozenset({"staff", "reporter", "reporters", "correspondent", "editor", "editors", "desk", "team"})
WIRE_DATELINE_LINES = 3
"""How many opening lines may carry a wire dateline ("WASHINGTON (Reuters) -"): the first paragraph, after a
headline and a standfirst; deeper in the text "(Reuters)" is part of a quote or a list."""


@dataclass(slots=True, frozen=True)
class ExtractOptions:
    """Settings of the extract stage.

    `reference_date`: the publication date given to an article whose text and reader say none (for example the
    date a folder was collected); `outlets_file`: a user's JSON file that adds or replaces registry outlets
    (see `parallax.outlets`); `date_languages`: the languages dateparser may read a "Published:" date in;
    `sentences`: how sentences are split (`parallax.sentences.SentenceOptions`).
    """

    reference_date: date | None = None
    outlets_file: Path | None = None
    date_languages: tuple[str, ...] = DATE_LANGUAGES
    sentences: SentenceOptions = DEFAULT_SENTENCE_OPTIONS

    def __post_init__(self) -> None:
        if self.reference_date is not None and not isinstance(self.reference_date, date):
            raise TypeError(
                f"ExtractOptions.reference_date must be a datetime.date or None, not {self.reference_date!r}"
            )


def parse_date(text: str) -> date | None:
    """Parse a dateline ("July 16, 2023", "16 Jul 2023", "2023-07-16 10:00 GMT") into a date, or None."""
    text = " ".join(text.replace(",", " ").split())
    if not DATE_LINE.match(text):
        return None
    text = _TIME.sub("", _WEEKDAY.sub("", text)).replace(".", "")
    text = re.sub(r"\bsept\b", "sep", text, flags=re.IGNORECASE)
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _parse_any_date(text: str, languages: tuple[str, ...]) -> date | None:
    """A date in any common format; the fast dateline parser first, dateparser (slow) only when it fails."""
    found = parse_date(text)
    if found is not None:
        return found
    import dateparser  # slow to load its language data: only for the few lines that need it

    settings: dict[str, Any] = {
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PARSERS": ["custom-formats", "absolute-time"],  # no "3 hours ago": relative to what?
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(text[:80], languages=list(languages), settings=settings)
    return parsed.date() if parsed is not None else None


def split_sentences(
    text: str, language: str | None = None, options: SentenceOptions = DEFAULT_SENTENCE_OPTIONS
) -> list[Sentence]:
    """Split `text` into sentences paragraph by paragraph, with offsets such that `text[s.start:s.end] == s.text`.

    Each line is a paragraph: a headline or a subheading is its own sentence and never runs into the next one.
    The rules are `parallax.sentences`' (`options.method="pysbd"` for pysbd's segmenter instead).
    """
    return _split_sentences(text, language, options)


def _plain(line: str) -> str:
    """A removed line without its Markdown: "By [AFP](#)" -> "By AFP"."""
    return " ".join(re.sub(r"[\[\]*_#<>]", " ", _MARKDOWN_LINK_TARGET.sub("]", line)).split())


def _credit_parts(line: str) -> list[str]:
    contributed = CONTRIBUTED.match(_plain(line))
    body = contributed.group("who") if contributed else _CREDIT_LABEL.sub("", _plain(line))
    return [part.strip(" .;:()") for part in re.split(r",|;|/|\||&|\band\b|\bwith\b", body) if part.strip(" .;:()")]


def _agency(name: str) -> str | None:
    key = name.casefold()
    return AGENCIES.get(key) or AGENCIES.get(key.removeprefix("the "))


def _is_person(name: str) -> bool:
    words = name.split()
    return (
        2 <= len(words) <= 5
        and all(_NAME_WORD.match(word) for word in words)
        and not any(word.casefold() in _NOT_A_PERSON for word in words)
        and _agency(name) is None
    )


def parse_byline(line: str) -> tuple[list[str], list[str]]:
    """The people and the agencies of a byline: "By Jane Doe, Reuters" -> (["Jane Doe"], ["Reuters"]).

    After a comma come a title, a desk or a place ("By Jane Doe, BBC News, Paris"), unless the commas list
    people ("By Jane Doe, John Roe and Ann Poe"); only agencies are read from such a tail.
    """
    body = _CREDIT_LABEL.sub("", _plain(line))
    segments = [segment.strip() for segment in body.split(",")]
    listed = len(segments) > 1 and re.search(r"\band\b|&", segments[-1]) is not None
    names = segments if listed else segments[:1]
    people: list[str] = []
    agencies: list[str] = []
    for segment in segments:
        for part in (p.strip(" .;:()") for p in re.split(r"\band\b|&|/|\|", segment)):
            agency = _agency(part) or _agency(_STAFF.sub("", part))
            if agency is not None:
                agencies.append(agency)
            elif segment in names and _is_person(part):
                people.append(part)
    return people, agencies


def _join_people(people: list[str]) -> str:
    return people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]


def _photo_credit(line: str) -> list[str]:
    """Who a photo credit names: the agencies in it ("AP Photo/Jane Doe" -> AP), else its last name."""
    credit = _plain(line)
    if "(" in credit:  # "Protesters in Baku. (Getty Images)": the credit is the last parenthesis
        credit = credit.rsplit("(", 1)[1]
    pieces = re.split(r"/|:|,|\bby\b|\bvia\b", credit, flags=re.IGNORECASE)
    parts = [piece.strip(" .()") for piece in pieces if piece.strip(" .()")]
    named = [part.removesuffix(" Photo").removesuffix(" photo") for part in parts]
    agencies = [_agency(part) or part for part in named if _agency(part) or part.casefold() in PHOTO_AGENCIES]
    return agencies or named[-1:]


def _wire_dateline_agency(text: str) -> str | None:
    lines = [line for line in text.split("\n") if line.strip()][:WIRE_DATELINE_LINES]
    for line in lines:
        found = _WIRE_DATELINE.match(line)
        if found and _agency(found.group("agency").strip()) and found.group("agency").casefold() not in PHOTO_AGENCIES:
            return _agency(found.group("agency").strip())
    return None


def _is_site_name(site: str, known: Outlet | None, url: str | None) -> bool:
    """Whether a title's " - Tail" names its site: a registry outlet (not a photo agency), or the URL's host.

    An unknown tail is not taken on its looks: "Trump fires his defence secretary - James Mattis" ends in a name too.
    """
    if known is not None:
        return known.name.casefold() not in PHOTO_AGENCIES
    host = (urlsplit(url).hostname or "") if url else ""
    squeezed = re.sub(r"\W", "", site.casefold())
    return bool(squeezed) and squeezed in re.sub(r"\W", "", host.removeprefix("www."))


class Extract(Stage):
    """The extract stage: sentences, title, date, URL, outlet, byline, agencies and language of each article."""

    name = "extract"

    def __init__(self, options: ExtractOptions | None = None, registry: OutletRegistry | None = None) -> None:
        super().__init__()
        if options is not None and not isinstance(options, ExtractOptions):
            raise TypeError(f"Extract(options=...) takes an ExtractOptions, not {type(options).__name__}")
        self.options = options or ExtractOptions()
        self.registry = registry if registry is not None else OutletRegistry.load(self.options.outlets_file)

    def process(self, article: Article) -> Article:
        self._credits(article)
        self._dates_and_url(article)
        self._title(article)
        self._outlet(article)
        if article.published is None and self.options.reference_date is not None:
            article.published = self.options.reference_date
            article.provenance["published"] = "reference_date"
        if article.language is None:
            language, _ = py3langid.classify(article.text[:LANGUAGE_SAMPLE_CHARS])
            article.language = str(language)
            article.provenance["language"] = "py3langid"
        article.sentences = split_sentences(article.text, article.language, self.options.sentences)
        if not article.sentences:
            raise Drop("no_sentences", "no sentence in the clean text")
        self.report.counts["titles"] += article.title is not None
        self.report.counts["dates"] += article.published is not None
        self.report.counts["outlets"] += article.outlet is not None
        self.report.counts["sentences"] += len(article.sentences)
        return article

    def _credits(self, article: Article) -> None:
        agencies: list[str] = []
        photo: list[str] = []
        people: list[str] = []
        for line in article.removed_lines:
            text = line.text.strip()
            if line.rule == "byline":
                found_people, found_agencies = parse_byline(text)
                people.extend(found_people)
                agencies.extend(found_agencies)
            elif line.rule == "credit_line":
                for part in _credit_parts(text):
                    if part.casefold() in PHOTO_AGENCIES:
                        photo.append(part)
                    elif _agency(part):
                        agencies.append(_agency(part) or part)
            elif line.rule == "copyright_line" and (holder := self._copyright_holder(text)) and holder.agency:
                agencies.append(_agency(holder.name) or holder.name)
            elif line.rule in {"photo_credit", "photo_caption"}:
                photo.extend(_photo_credit(text))
        if people and article.byline is None:
            article.byline = _join_people(list(dict.fromkeys(people)))
            article.provenance["byline"] = "byline_line"
        if not article.agencies:
            wire = _wire_dateline_agency(article.text)
            if agencies or wire:
                article.agencies = list(dict.fromkeys([*agencies, *([wire] if wire else [])]))
                article.provenance["agencies"] = "credit_line" if agencies else "wire_dateline"
        if photo and not article.photo_credits:
            article.photo_credits = list(dict.fromkeys(photo))
            article.provenance["photo_credits"] = "photo_credit"

    def _dates_and_url(self, article: Article) -> None:
        found: dict[str, date] = {}
        for line in article.removed_lines:
            text = line.text.strip()
            if line.rule == "dateline" and "dateline" not in found:
                if (parsed := parse_date(text)) is not None:
                    found["dateline"] = parsed
            elif line.rule == "published_line":
                found = {**self._labelled_dates(text), **found}
            elif line.rule == "original_url" and article.url is None and (url := _URL.search(text)):
                article.url = url.group(0).rstrip(">).,")
                article.provenance["url"] = "original_url"
        if article.published is None:
            for source in ("published_line", "dateline", "updated_line"):
                if source in found:
                    article.published = found[source]
                    article.provenance["published"] = source
                    return

    def _labelled_dates(self, line: str) -> dict[str, date]:
        """Dates of a "Published: ... | Updated: ..." line, by kind (`published_line` or `updated_line`)."""
        dates: dict[str, date] = {}
        for segment in re.split(r"\s[|•·]\s|;", line):
            label = _DATE_LABEL.match(segment.strip())
            if label is None:
                continue
            kind = "updated_line" if "updated" in label.group("label").casefold() else "published_line"
            parsed = _parse_any_date(segment.strip()[label.end() :], self.options.date_languages)
            if parsed is not None:
                dates.setdefault(kind, parsed)
        return dates

    def _title(self, article: Article) -> None:
        first = article.text.split("\n", 1)[0].strip()
        headline = bool(first) and not is_sentence_line(first) and len(first.split()) <= TITLE_MAX_WORDS
        if article.title is None and headline and "\n" in article.text:
            article.title = first
            article.provenance["title"] = "first_line"

    def _outlet(self, article: Article) -> None:
        if article.outlet is not None:
            article.outlet = self.registry.canonical(article.outlet)
        elif article.url and (known := self.registry.by_domain(article.url)):
            article.outlet = known.name
            article.provenance["outlet"] = "url_registry"
        suffix = _SUFFIX.match(article.title) if article.title else None
        if suffix:
            site = suffix.group("site").strip()
            known = self.registry.by_name(site)
            name = known.name if known else site
            if article.outlet is None and _is_site_name(site, known, article.url):
                article.outlet = name
                article.provenance["outlet"] = "title_suffix"
            if article.outlet == name:
                article.title = suffix.group("title").strip()
        if article.outlet is None and (named := self._outlet_in_removed_lines(article.removed_lines)):
            article.outlet = named.name
            article.provenance["outlet"] = "removed_line"
        if article.outlet is None and article.url and (host := urlsplit(article.url).hostname):
            article.outlet = host.removeprefix("www.")
            article.provenance["outlet"] = "url_host"

    def _outlet_in_removed_lines(self, lines: list[RemovedLine]) -> Outlet | None:
        for line in lines:
            text = _plain(line.text)
            if line.rule == "copyright_line":
                found = self._copyright_holder(text)
            elif line.rule in {"site_marker", "template_line", "header_label"}:
                found = self.registry.by_marker(text) or self.registry.by_name(text)
            else:
                continue
            if found is not None and not found.agency:
                return found
        return None

    def _copyright_holder(self, line: str) -> Outlet | None:
        """The registry outlet a "© 2023 Name. All rights reserved." line names, if any."""
        holder = re.split(r"\.\s|,|\ball rights reserved\b", _COPYRIGHT.sub("", _plain(line)), flags=re.IGNORECASE)[0]
        return self.registry.by_name(holder)
