"""Read inputs into Articles: files and folders of text, Markdown, HTML and JSON Lines, and standard input.

Every input is kept as received (`RawInput`: bytes, hash and where it came from), whether it becomes an
article or not, so nothing read is ever lost. Bad content never raises: an empty, binary, undecodable,
oversized or malformed input becomes a counted drop with its reason, and the batch goes on.

    >>> reader = Reader(["examples/karabakh-2023"])
    >>> articles = list(reader)
    >>> reader.report.kept, dict(reader.report.dropped)
    (5, {})
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from charset_normalizer import from_bytes

from parallax.htmltext import html_to_text
from parallax.model import Article, article_id_for, content_hash, file_hash
from parallax.stages import DroppedItem, StageReport

__all__ = ["SUFFIXES", "RawInput", "ReadOptions", "Reader", "decode"]

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
"""File name endings a folder walk picks up; a file named explicitly is read whatever its name."""

STDIN = "-"
BINARY_SNIFF_BYTES = 8192
CONTROL_CHAR_LIMIT = 0.10
"""Share of C0 control characters (other than tab, CR, LF, FF) above which decoded text is judged binary."""
MIN_DECODE_COHERENCE = 0.5
"""charset-normalizer 'chaos' above this means no encoding made sense of the bytes (its own default is 0.2
for detection; 0.5 keeps short legacy-encoded news texts that it still decodes correctly)."""


@dataclass(slots=True, frozen=True)
class ReadOptions:
    """Limits for reading: the largest input accepted, and whether folder walks include hidden files."""

    max_bytes: int = 20 * 1024 * 1024
    include_hidden: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.max_bytes, int) or self.max_bytes <= 0:
            raise ValueError(f"max_bytes must be a positive int, got {self.max_bytes!r}")


@dataclass(slots=True, frozen=True)
class RawInput:
    """One input exactly as received; `content` is None when over the size cap (hash and size still kept)."""

    source: str
    raw_hash: str
    size: int
    content: bytes | None


class _Rejected(Exception):  # noqa: N818 - internal signal carrying a drop reason
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


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
        best = from_bytes(data).best()
        if best is None or best.chaos > MIN_DECODE_COHERENCE:
            raise ValueError("not valid UTF-8 and no other encoding fits") from None
        text, encoding = str(best), best.encoding
    controls = sum(1 for ch in text[:BINARY_SNIFF_BYTES] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > CONTROL_CHAR_LIMIT * min(len(text), BINARY_SNIFF_BYTES):
        raise ValueError("binary content (control characters)")
    return text, encoding


def _parse_published(value: Any) -> date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None


@dataclass(slots=True)
class Reader:
    """Iterate over the articles in `paths` (files, folders, "-" for stdin), counting what is dropped and why.

    After iteration, `report` holds the counts and `raw_inputs` every input as received.
    """

    paths: Iterable[str | Path]
    options: ReadOptions = field(default_factory=ReadOptions)
    stdin: BinaryIO | None = None
    report: StageReport = field(default_factory=lambda: StageReport("read"))
    raw_inputs: list[RawInput] = field(default_factory=list)

    def __iter__(self) -> Iterator[Article]:
        started = time.perf_counter()
        try:
            for path in self.paths:
                yield from self._read_path(str(path))
        finally:
            self.report.seconds += time.perf_counter() - started

    def _read_path(self, path: str) -> Iterator[Article]:
        if path == STDIN:
            stream = self.stdin if self.stdin is not None else sys.stdin.buffer
            yield from self._read_bytes("<stdin>", stream.read(), kind=None)
            return
        target = Path(path)
        if target.is_dir():
            for file in self._walk(target):
                yield from self._read_file(file, kind=_kind_for(file))
        elif target.is_file():
            yield from self._read_file(target, kind=_kind_for(target))
        else:
            self._reject(path, "not_found", "no such file or folder", None)

    def _walk(self, folder: Path) -> Iterator[Path]:
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            relative = file.relative_to(folder).parts
            if not self.options.include_hidden and any(part.startswith(".") for part in relative):
                continue
            if file.suffix.lower() in SUFFIXES:
                yield file
            else:
                self._reject(
                    str(file),
                    "unsupported_type",
                    f"'{file.suffix or 'no suffix'}' is not one of {', '.join(sorted(SUFFIXES))}",
                    None,
                )

    def _read_file(self, file: Path, kind: str | None) -> Iterator[Article]:
        try:
            size = file.stat().st_size
            if size > self.options.max_bytes:
                raw_hash = file_hash(file)
                self.raw_inputs.append(RawInput(str(file), raw_hash, size, None))
                self._reject(
                    str(file),
                    "too_large",
                    f"{size} bytes is over the cap of {self.options.max_bytes} (ReadOptions.max_bytes)",
                    raw_hash,
                )
                return
            data = file.read_bytes()
        except OSError as error:
            self._reject(str(file), "unreadable", error.strerror or str(error), None)
            return
        yield from self._read_bytes(str(file), data, kind)

    def _read_bytes(self, source: str, data: bytes, kind: str | None) -> Iterator[Article]:
        if len(data) > self.options.max_bytes:
            raw_hash = content_hash(data)
            self.raw_inputs.append(RawInput(source, raw_hash, len(data), None))
            self._reject(
                source,
                "too_large",
                f"{len(data)} bytes is over the cap of {self.options.max_bytes}",
                raw_hash,
            )
            return
        raw_hash = content_hash(data)
        self.raw_inputs.append(RawInput(source, raw_hash, len(data), data))
        try:
            if not data.strip():
                raise _Rejected("empty", "no content")
            text, encoding = _decode_or_reject(data)
            kind = kind or _sniff(text)
            if kind == "jsonl":
                yield from self._read_jsonl(source, text)
                return
            yield self._article(source, raw_hash, text, kind, encoding)
        except _Rejected as rejected:
            self._reject(source, rejected.reason, rejected.detail, raw_hash)

    def _article(self, source: str, raw_hash: str, text: str, kind: str, encoding: str) -> Article:
        article = Article(
            id=article_id_for(raw_hash),
            source=source,
            raw_hash=raw_hash,
            raw_text=text,
            text=text.replace("\r\n", "\n").replace("\r", "\n"),
        )
        article.provenance["encoding"] = encoding
        if kind == "html":
            page = html_to_text(text)
            article.text = page.text
            for name, value in page.metadata.items():
                _set_field(article, name, value, "html_meta")
        self.report.seen += 1
        self.report.kept += 1
        self.report.counts[kind] += 1
        return article

    def _read_jsonl(self, source: str, text: str) -> Iterator[Article]:
        for line_no, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            record_source = f"{source}#L{line_no}"
            data = line.encode("utf-8")
            raw_hash = content_hash(data)
            self.raw_inputs.append(RawInput(record_source, raw_hash, len(data), data))
            try:
                yield self._record_article(record_source, raw_hash, line)
            except _Rejected as rejected:
                self._reject(record_source, rejected.reason, rejected.detail, raw_hash)

    def _record_article(self, source: str, raw_hash: str, line: str) -> Article:
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise _Rejected("invalid_json", f"{error.msg} at column {error.colno}") from None
        if not isinstance(record, dict):
            raise _Rejected("invalid_json", "a record must be a JSON object")
        body = record.get("text")
        if not isinstance(body, str) or not body.strip():
            raise _Rejected("missing_text", "the record has no non-empty 'text' field")
        article = Article(
            id=article_id_for(raw_hash),
            source=source,
            raw_hash=raw_hash,
            raw_text=line,
            text=body.replace("\r\n", "\n"),
        )
        for name in ("title", "outlet", "url"):
            value = record.get(name)
            if isinstance(value, str) and value.strip():
                _set_field(article, name, value.strip(), "record")
        published = _parse_published(record.get("published"))
        if published is not None:
            _set_field(article, "published", published, "record")
        self.report.seen += 1
        self.report.kept += 1
        self.report.counts["jsonl_record"] += 1
        return article

    def _reject(self, source: str, reason: str, detail: str, raw_hash: str | None) -> None:
        self.report.seen += 1
        self.report.drop(DroppedItem(source, reason, detail, raw_hash))


def _set_field(article: Article, name: str, value: object, origin: str) -> None:
    setattr(article, name, value)
    article.provenance[name] = origin


def _decode_or_reject(data: bytes) -> tuple[str, str]:
    try:
        return decode(data)
    except ValueError as error:
        reason = "binary" if "binary" in str(error) else "undecodable"
        raise _Rejected(reason, str(error)) from None


def _kind_for(file: Path) -> str | None:
    suffix = file.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


def _sniff(text: str) -> str:
    """Pick a reader by content when the name does not say: JSON Lines, HTML or plain text."""
    head = text.lstrip()[:512].lower()
    if head.startswith("{"):
        return "jsonl"
    if head.startswith(("<!doctype html", "<html", "<head", "<body", "<article", "<meta")):
        return "html"
    return "text"
