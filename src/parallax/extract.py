"""Know each article: its sentences, and the metadata its text and its removed lines carry.

`Extract` fills only what earlier stages left empty (a reader that found a title in an HTML page or a JSON
record wins over the heuristics here) and records in `Article.provenance` where each value came from:

- `title`: a first line that reads as a headline (`first_line`); a trailing " - Site Name" becomes the outlet
  (`title_suffix`);
- `published`: a dateline removed by cleaning (`dateline`);
- `url`: the link under an "Original url:" footer (`original_url`); its host names the outlet when nothing else
  does (`url_host`);
- `agencies`: agencies credited by a byline or a source line ("Sources: AFP, STT"); photo agencies are kept
  apart in `photo_credits`, since a photo credit does not make an article agency copy;
- `language`: py3langid on the clean text;
- `sentences`: pysbd on each paragraph, with character offsets into the clean text. An article with no
  sentence is dropped (`no_sentences`).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from urllib.parse import urlsplit

import py3langid
import pysbd

from parallax.clean import AGENCIES, DATE_LINE, is_sentence_line
from parallax.model import Article, Sentence
from parallax.stages import Drop, Stage

__all__ = ["Extract", "parse_date", "split_sentences"]

PYSBD_LANGUAGES = frozenset(pysbd.languages.LANGUAGE_CODES)
TITLE_MAX_WORDS = 30
_SUFFIX = re.compile(r"^(?P<title>.{12,}?)\s+[-|–—]\s+(?P<site>[^-|–—]{2,40})$")
_URL = re.compile(r"https?://[^\s<>]+")
_CREDIT_LIST = re.compile(r"^[^:]*:\s*(.+)$")
_DATE_FORMATS = ("%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d")
_WEEKDAY = re.compile(r"^(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+", re.IGNORECASE)
_TIME = re.compile(r"\s+(?:at\s+)?\d{1,2}[:.]\d{2}.*$", re.IGNORECASE)


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


@lru_cache(maxsize=32)
def _segmenter(language: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=language, clean=False, char_span=False)


def split_sentences(text: str, language: str | None = None) -> list[Sentence]:
    """Split `text` into sentences paragraph by paragraph, with offsets such that `text[s.start:s.end] == s.text`.

    Each line is a paragraph: a headline or a subheading is its own sentence and never runs into the next one.
    """
    segmenter = _segmenter(language if language in PYSBD_LANGUAGES else "en")
    sentences: list[Sentence] = []
    offset = 0
    for line in text.split("\n"):
        cursor = 0
        if line.strip():
            for segment in segmenter.segment(line):
                piece = segment.strip()
                if not piece:
                    continue
                start = line.find(piece, cursor)
                if start < 0:  # pysbd never rewrites text with clean=False; guard anyway
                    continue
                cursor = start + len(piece)
                sentences.append(Sentence(offset + start, offset + cursor, piece))
        offset += len(line) + 1
    return sentences


def _credited(line: str) -> list[str]:
    """Agency names in a credit line: "Sources: AFP, STT" -> ["AFP", "STT"]; "By [AFP](#)" -> ["AFP"]."""
    body = _CREDIT_LIST.match(line)
    text = body.group(1) if body else re.sub(r"^\s*by\s+", "", line, flags=re.IGNORECASE)
    text = re.sub(r"[\[\]()#*]", " ", text)
    names = [part.strip(" .;") for part in re.split(r",|/|\band\b|&|\bwith\b", text)]
    return [AGENCIES[name.casefold()] for name in names if name.casefold() in AGENCIES]


def _photo_credit(line: str) -> list[str]:
    tail = re.split(r"/|:|\bby\b", line)[-1].strip(" .()")
    return [AGENCIES.get(tail.casefold(), tail)] if tail else []


class Extract(Stage):
    """The extract stage: sentences, title, date, URL, outlet, agencies and language of each article."""

    name = "extract"

    def process(self, article: Article) -> Article:
        self._metadata_from_removed_lines(article)
        self._title(article)
        if article.outlet is None and article.url:
            host = urlsplit(article.url).hostname
            if host:
                article.outlet = host.removeprefix("www.")
                article.provenance["outlet"] = "url_host"
        if article.language is None:
            language, _ = py3langid.classify(article.text)
            article.language = str(language)
            article.provenance["language"] = "py3langid"
        article.sentences = split_sentences(article.text, article.language)
        if not article.sentences:
            raise Drop("no_sentences", "no sentence in the clean text")
        self.report.counts["titles"] += article.title is not None
        self.report.counts["dates"] += article.published is not None
        self.report.counts["sentences"] += len(article.sentences)
        return article

    def _metadata_from_removed_lines(self, article: Article) -> None:
        agencies: list[str] = []
        photo: list[str] = []
        for line in article.removed_lines:
            text = line.text.strip()
            if line.rule in {"byline", "credit_line"}:
                agencies.extend(_credited(text))
            elif line.rule in {"photo_credit", "photo_caption"}:
                photo.extend(_photo_credit(text))
            elif line.rule == "dateline" and article.published is None:
                article.published = parse_date(text)
                if article.published is not None:
                    article.provenance["published"] = "dateline"
            elif line.rule == "original_url" and article.url is None:
                found = _URL.search(text)
                if found:
                    article.url = found.group(0).rstrip(">).,")
                    article.provenance["url"] = "original_url"
        if agencies and not article.agencies:
            article.agencies = list(dict.fromkeys(agencies))
            article.provenance["agencies"] = "credit_line"
        if photo and not article.photo_credits:
            article.photo_credits = list(dict.fromkeys(photo))
            article.provenance["photo_credits"] = "photo_credit"

    def _title(self, article: Article) -> None:
        first = article.text.split("\n", 1)[0].strip()
        headline = bool(first) and not is_sentence_line(first) and len(first.split()) <= TITLE_MAX_WORDS
        if article.title is None and headline and "\n" in article.text:
            article.title = first
            article.provenance["title"] = "first_line"
        if article.title is not None and article.outlet is None:
            suffix = _SUFFIX.match(article.title)
            if suffix and len(suffix.group("site").split()) <= 4:
                article.outlet = suffix.group("site").strip()
                article.provenance["outlet"] = "title_suffix"
                article.title = suffix.group("title").strip()
