"""Read inputs into Articles, picking the reader by content: text, Markdown, HTML, JSON Lines, CSV, RSS/Atom
feeds, URL lists and URLs, gzip and zip containers, WARC archives, folders and standard input.

Every input is kept as received (`RawInput`: bytes, hash and where it came from), whether it becomes an
article or not, so nothing read is ever lost. Bad content never raises: an empty, binary, undecodable,
oversized, truncated or malformed input becomes a counted drop with its reason, and the batch goes on.
The formats themselves live in `parallax.readers`; this module owns the bookkeeping and the dispatch.

    >>> reader = Reader(["examples/karabakh-2023"])
    >>> articles = list(reader)
    >>> reader.report.kept, dict(reader.report.dropped)
    (5, {})
"""

from __future__ import annotations

import codecs
import io
import re
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from fnmatch import fnmatch
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO

from charset_normalizer import from_bytes

from parallax.fetch import Fetcher, FetchOptions
from parallax.htmlpage import extract_html
from parallax.model import Article, article_id_for, content_hash
from parallax.readers.archives import GZIP_MAGIC, WARC_MAGIC, ZIP_MAGIC, read_gzip, read_warc, read_zip, warc_ahead
from parallax.readers.items import Item, Member, Record, Rejected
from parallax.readers.records import FIELDS, read_csv, read_jsonl
from parallax.readers.sidecar import load_sidecar
from parallax.readers.tee import HashingReader
from parallax.readers.web import URL, looks_like_url_list, read_feed, read_urls
from parallax.stages import DroppedItem, StageReport

__all__ = ["SUFFIXES", "RawInput", "ReadOptions", "Reader", "decode", "sniff_kind"]

KIND_BY_SUFFIX = {
    **dict.fromkeys((".txt", ".text", ".md", ".markdown"), "text"),
    **dict.fromkeys((".html", ".htm", ".xhtml"), "html"),
    **dict.fromkeys((".jsonl", ".ndjson"), "jsonl"),
    **dict.fromkeys((".csv", ".tsv"), "csv"),
    **dict.fromkeys((".rss", ".atom", ".xml"), "feed"),
    **dict.fromkeys((".urls",), "urls"),
    **dict.fromkeys((".gz", ".zip", ".warc"), "container"),
}
SUFFIXES = frozenset(KIND_BY_SUFFIX)
"""File name endings a folder walk picks up (unless include globs say otherwise); a file named explicitly is
read whatever its name, by its content."""

STDIN = "-"
HEAD_BYTES = 64
BINARY_SNIFF_BYTES = 8192
CONTROL_CHAR_LIMIT = 0.10
"""Share of C0 control characters (other than tab, CR, LF, FF) above which decoded text is judged binary."""
MIN_DECODE_COHERENCE = 0.5
"""charset-normalizer 'chaos' above this means no encoding made sense of the bytes (its own default is 0.2
for detection; 0.5 keeps short legacy-encoded news texts that it still decodes correctly)."""


@dataclass(slots=True, frozen=True)
class ReadOptions:
    """What the reader accepts and how far it goes.

    `max_bytes` caps one document (a page, a text file, a record, an archive member, a fetched page);
    `max_archive_bytes` caps a file of many documents (JSON Lines, CSV, gzip, zip), which is streamed where
    the format allows (WARC archives and JSON Lines are never held whole). `include`/`exclude` are globs on
    paths relative to a folder being walked (`"**/*.html"`, `"drafts/*"`). `columns` maps article fields to
    CSV/JSON Lines column names where the defaults do not fit (`{"text": "body"}`). `fetch` sets the fetcher
    for URLs, URL lists and feed entries; None never fetches.
    """

    max_bytes: int = 20 * 1024 * 1024
    max_archive_bytes: int = 4 * 1024 * 1024 * 1024
    include_hidden: bool = False
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    columns: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    max_depth: int = 3
    fetch: FetchOptions | None = field(default_factory=FetchOptions)

    def __post_init__(self) -> None:
        for name in ("max_bytes", "max_archive_bytes", "max_depth"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"{name} must be a positive int, got {value!r}")
        unknown = sorted(set(self.columns) - set(FIELDS))
        if unknown:
            raise ValueError(f"unknown field(s) in columns: {', '.join(unknown)}; valid: {', '.join(FIELDS)}")
        for name in ("include", "exclude"):
            if isinstance(getattr(self, name), str):
                raise TypeError(f"{name} must be a tuple of glob patterns, not a string")


@dataclass(slots=True, frozen=True)
class RawInput:
    """One input exactly as received; `content` is None when over the size cap (hash and size still kept)."""

    source: str
    raw_hash: str
    size: int
    content: bytes | None


def decode(data: bytes) -> tuple[str, str]:
    """Decode raw bytes to text, returning (text, encoding); raise ValueError naming why it cannot be done."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    head = data[:BINARY_SNIFF_BYTES]
    if b"\x00" in head:
        raise ValueError("binary content (NUL bytes)")
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        declared = _declared_charset(head, data)
        if declared is not None:
            return declared
        best = from_bytes(data).best()
        if best is None or best.chaos > MIN_DECODE_COHERENCE:
            raise ValueError("not valid UTF-8 and no other encoding fits") from None
        text, encoding = str(best), best.encoding
    controls = sum(1 for ch in text[:BINARY_SNIFF_BYTES] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > CONTROL_CHAR_LIMIT * min(len(text), BINARY_SNIFF_BYTES):
        raise ValueError("binary content (control characters)")
    return text, encoding


_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)


def _declared_charset(head: bytes, data: bytes) -> tuple[str, str] | None:
    """Decode with the charset an HTML page declares in a meta tag, when it names a codec that fits."""
    found = _CHARSET.search(head[:4096])
    if found is None:
        return None
    name = found.group(1).decode("ascii").lower()
    try:
        codec = codecs.lookup("cp1252" if name in {"iso-8859-1", "latin-1", "latin1"} else name)
        return data.decode(codec.name), codec.name
    except (LookupError, UnicodeDecodeError):
        return None


def sniff_kind(text: str) -> str:
    """Pick a reader by content: "jsonl", "feed", "html", "urls" or "text"."""
    head = text.lstrip("\ufeff \t\r\n")[:2048].lower()
    if head.startswith("{"):
        return "jsonl"
    if head.startswith("<"):
        markup = head.split("?>", 1)[-1] if head.startswith("<?xml") else head
        if any(tag in markup for tag in ("<rss", "<feed", "<rdf:rdf")) and "<html" not in markup:
            return "feed"
        return "html"
    if looks_like_url_list(text[:65536]):
        return "urls"
    return "text"


def _kind_from_name(name: str | None) -> str | None:
    if not name:
        return None
    return KIND_BY_SUFFIX.get(Path(name).suffix.lower()) or (name if name in _KINDS else None)


_KINDS = frozenset({"text", "html", "jsonl", "csv", "feed", "urls"})


@dataclass(slots=True)
class Reader:
    """Iterate over the articles in `paths` (files, folders, URLs, "-" for stdin), counting drops and reasons.

    After iteration, `report` holds the counts and `raw_inputs` every input as received. A `fetcher` may be
    given (tests inject one with a fake transport); otherwise one is made from `options.fetch` when needed.
    """

    paths: Iterable[str | Path]
    options: ReadOptions = field(default_factory=ReadOptions)
    stdin: BinaryIO | None = None
    fetcher: Fetcher | None = None
    report: StageReport = field(default_factory=lambda: StageReport("read"))
    raw_inputs: list[RawInput] = field(default_factory=list)
    _own_fetcher: bool = False
    _sidecars: dict[Path, dict[str, dict[str, str | date]]] = field(default_factory=dict)
    _stated: dict[str, dict[str, str | date]] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Article]:
        # Only the time spent reading counts: the consumer's work between two articles (an ingest processes a
        # chunk before it asks for the next article) is not the reader's.
        started = time.perf_counter()
        try:
            for path in self.paths:
                for article in self._read_path(str(path)):
                    self.report.seconds += time.perf_counter() - started
                    yield article
                    started = time.perf_counter()
        finally:
            self.report.seconds += time.perf_counter() - started
            if self.fetcher is not None:  # what fetching cost: network requests, cache hits, errors by reason
                self.report.counts.update({f"fetch_{key}": n for key, n in self.fetcher.counts.items()})
            if self._own_fetcher and self.fetcher is not None:
                self.fetcher.close()
                self.fetcher, self._own_fetcher = None, False

    def _fetcher(self) -> Fetcher | None:
        if self.fetcher is None and self.options.fetch is not None:
            self.fetcher, self._own_fetcher = Fetcher(self.options.fetch), True
        return self.fetcher

    def _read_path(self, path: str) -> Iterator[Article]:
        if path == STDIN:
            stream = self.stdin if self.stdin is not None else sys.stdin.buffer
            yield from self._read_stream("<stdin>", stream, hint=None, depth=0)
            return
        if URL.match(path):
            yield from self._read_items(read_urls(path, path, self._fetcher()), depth=0)
            return
        target = Path(path)
        if target.is_dir():
            for file in self._walk(target):
                yield from self._read_file(file)
        elif target.is_file():
            yield from self._read_file(target)
        else:
            self._reject(path, "not_found", "no such file or folder (nor an http(s) URL)", None)

    def _walk(self, folder: Path) -> Iterator[Path]:
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            relative = file.relative_to(folder)
            if not self.options.include_hidden and any(part.startswith(".") for part in relative.parts):
                continue
            if _matches(relative, self.options.exclude):
                continue
            if self.options.include:
                if _matches(relative, self.options.include):
                    yield file
            elif file.suffix.lower() in SUFFIXES:
                yield file
            else:
                detail = f"'{file.suffix or 'no suffix'}' is not one of {', '.join(sorted(SUFFIXES))}"
                self._reject(str(file), "unsupported_type", detail, None)

    def _read_file(self, file: Path) -> Iterator[Article]:
        if file.parent not in self._sidecars:
            stated, rejected = load_sidecar(file.parent)
            self._sidecars[file.parent] = stated
            if rejected is not None:
                self._reject(rejected.source, rejected.reason, rejected.detail, None)
        if file.name in self._sidecars[file.parent]:
            self._stated[str(file)] = self._sidecars[file.parent][file.name]
        try:
            with file.open("rb") as stream:
                yield from self._read_stream(str(file), stream, hint=file.name, depth=0)
        except OSError as error:
            self._reject(str(file), "unreadable", error.strerror or str(error), None)

    def _read_stream(self, source: str, stream: BinaryIO, hint: str | None, depth: int) -> Iterator[Article]:
        """Read one input from a stream: containers and JSON Lines are streamed, anything else read whole."""
        head = stream.read(HEAD_BYTES)
        if warc_ahead(head) or head.startswith(ZIP_MAGIC):
            seekable = self._rewound(head, stream)
            yield from self._read_items(self._hashed(source, seekable, warc=warc_ahead(head)), depth + 1)
            return
        kind = _kind_from_name(hint)
        streamed = head.startswith(GZIP_MAGIC) or kind == "jsonl"
        cap = self.options.max_archive_bytes if streamed else self.options.max_bytes
        body = HashingReader(head, stream, cap, keep_limit=self.options.max_bytes)
        if head.startswith(GZIP_MAGIC):
            items = read_gzip(source, io.BufferedReader(body), self.options.max_bytes)
        elif kind == "jsonl" or (kind is None and head.lstrip().startswith(b"{")):
            items = read_jsonl(source, io.BufferedReader(body), self.options.columns, self.options.max_bytes)
        else:
            data = body.read()
            if body.over_cap:
                body.hash_rest()
                self._keep_raw(source, body)
                self._reject(source, "too_large", f"over the cap of {cap} bytes (ReadOptions.max_bytes)", body.hash)
                return
            self._keep_raw(source, body)
            yield from self._read_document(Member(source, data, hint), depth)
            return
        yield from self._read_items(items, depth + 1)
        body.drain()
        if body.over_cap:
            body.hash_rest()
            detail = f"read up to the cap of {cap} bytes (ReadOptions.max_archive_bytes); the rest was not read"
            self._reject(source, "too_large", detail, body.hash)
        self._keep_raw(source, body)

    def _rewound(self, head: bytes, stream: BinaryIO) -> BinaryIO:
        """The whole input as a seekable stream at its start (fastwarc and zipfile seek); others are buffered."""
        if stream.seekable():
            stream.seek(stream.tell() - len(head))
            return stream
        return io.BytesIO(head + stream.read(self.options.max_archive_bytes))

    def _hashed(self, source: str, stream: BinaryIO, *, warc: bool) -> Iterator[Item]:
        """A seekable container's items, after a first pass that hashes it (and keeps it, if small) as received."""
        start = stream.tell()
        body = HashingReader(b"", stream, self.options.max_archive_bytes, keep_limit=self.options.max_bytes)
        body.drain()
        body.hash_rest()
        self._keep_raw(source, body)
        stream.seek(start)
        if warc:
            yield from read_warc(source, stream, self.options.max_bytes, self.report.counts)
        else:
            yield from read_zip(source, stream, self.options.max_bytes)

    def _read_items(self, items: Iterable[Item], depth: int) -> Iterator[Article]:
        for item in items:
            if isinstance(item, Rejected):
                raw_hash = self._keep_bytes(item.source, item.data, item.keep_content) if item.data else None
                self._reject(item.source, item.reason, item.detail, raw_hash)
            elif isinstance(item, Record):
                raw_hash = self._keep_bytes(item.source, item.raw, True)
                raw_text = item.raw.decode("utf-8", "replace")
                yield self._article(
                    item.source, raw_hash, raw_text=raw_text, text=item.text, fields=item.fields, origin=item.origin,
                    kind=item.kind,
                )  # fmt: skip
            elif depth > self.options.max_depth:
                self._reject(item.source, "too_deep", f"containers nested deeper than {self.options.max_depth}", None)
            elif item.data[:HEAD_BYTES].startswith((GZIP_MAGIC, ZIP_MAGIC, WARC_MAGIC)) or (
                _kind_from_name(item.hint) == "jsonl"
            ):
                yield from self._read_stream(item.source, io.BytesIO(item.data), item.hint, depth)
            else:
                self._keep_bytes(item.source, item.data, True)
                yield from self._read_document(item, depth)

    def _read_document(self, member: Member, depth: int) -> Iterator[Article]:
        """Read one document's bytes (already kept as raw input) by what its content turns out to be."""
        raw_hash = content_hash(member.data)
        if not member.data.strip():
            self._reject(member.source, "empty", "no content", raw_hash)
            return
        try:
            text, encoding = decode(member.data)
        except ValueError as error:
            reason = "binary" if "binary" in str(error) else "undecodable"
            self._reject(member.source, reason, str(error), raw_hash)
            return
        named = _kind_from_name(member.hint)
        kind = named if named in _KINDS else sniff_kind(text)
        if (kind, sniff_kind(text)) in {("html", "feed"), ("text", "urls")}:
            kind = sniff_kind(text)  # a feed saved as .html, a list of links saved as .txt
        if kind == "csv":
            items: Iterable[Item] = read_csv(member.source, text, self.options.columns, self.options.max_bytes)
        elif kind == "feed":
            items = read_feed(member.source, member.data, self._fetcher(), self.report.counts)
        elif kind == "urls":
            items = read_urls(member.source, text, self._fetcher())
        else:
            yield self._document_article(member, raw_hash, text, kind, encoding)
            return
        yield from self._read_items(items, depth + 1)

    def _document_article(self, member: Member, raw_hash: str, text: str, kind: str, encoding: str) -> Article:
        fields = dict(member.fields)
        body = text
        if kind == "html":
            page = extract_html(text, str(fields.get("url") or "") or None)
            body = page.text
            # A page's declared language is often the site's default, not the article's: detection decides.
            page_fields = {k: v for k, v in page.metadata.items() if isinstance(v, (str, date)) and k != "language"}
            article = self._article(
                member.source, raw_hash, raw_text=text, text=body, fields=page_fields, origin="html_meta", kind=kind
            )
            _fill(article, fields, member.origin)
        else:
            article = self._article(
                member.source, raw_hash, raw_text=text, text=body, fields=fields, origin=member.origin, kind=kind
            )
        article.provenance["encoding"] = encoding
        return article

    def _article(
        self,
        source: str,
        raw_hash: str,
        *,
        raw_text: str,
        text: str,
        fields: Mapping[str, object],
        origin: str,
        kind: str,
    ) -> Article:
        article = Article(
            id=article_id_for(raw_hash),
            source=source,
            raw_hash=raw_hash,
            raw_text=raw_text,
            text=text.replace("\r\n", "\n").replace("\r", "\n"),
        )
        _fill(article, fields, origin)
        _fill(article, self._stated.get(source, {}), "sidecar")
        self.report.seen += 1
        self.report.kept += 1
        self.report.counts[kind] += 1
        return article

    def _keep_bytes(self, source: str, data: bytes, keep_content: bool) -> str:
        raw_hash = content_hash(data)
        content = data if keep_content and len(data) <= self.options.max_bytes else None
        self.raw_inputs.append(RawInput(source, raw_hash, len(data), content))
        return raw_hash

    def _keep_raw(self, source: str, body: HashingReader) -> None:
        self.raw_inputs.append(RawInput(source, body.hash, body.size, body.kept))

    def _reject(self, source: str, reason: str, detail: str, raw_hash: str | None) -> None:
        self.report.seen += 1
        self.report.drop(DroppedItem(source, reason, detail, raw_hash))


def _matches(relative: Path, patterns: tuple[str, ...]) -> bool:
    """True when a glob matches the path relative to the folder ("keep/*.txt") or the bare name ("*.html")."""
    return any(fnmatch(relative.as_posix(), pattern) or fnmatch(relative.name, pattern) for pattern in patterns)


def _fill(article: Article, fields: Mapping[str, object], origin: str) -> None:
    """Set the fields an earlier source left empty, recording where each value came from."""
    for name, value in fields.items():
        if name in FIELDS and name != "text" and value and getattr(article, name) is None:
            setattr(article, name, value)
            article.provenance[name] = origin
