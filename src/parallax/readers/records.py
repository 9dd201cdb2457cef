"""Structured exports: JSON Lines and CSV rows, one article each, with a documented column mapping.

A row needs the article text; the other fields are optional. Column names are matched case-insensitively
against `DEFAULT_COLUMNS` (the first column present wins), or against a mapping the user gives
(`ReadOptions.columns`, `--column text=body`):

| field | columns tried, in order |
|---|---|
| text | text, body, content, article, article_text, maintext |
| title | title, headline, heading |
| outlet | outlet, source, publisher, site, site_name, domain |
| url | url, link, href, canonical_url |
| published | published, date, pubdate, published_at, publish_date, date_publish, datetime, timestamp |
| byline | byline, author, authors |
| language | language, lang |

A row's raw bytes (its hash is the article id) are the JSON line as received, or for CSV the row re-encoded as
JSON with sorted keys, so the same row always gets the same id whatever the file's line endings.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime

from parallax.readers.items import Item, Record, Rejected

__all__ = ["DEFAULT_COLUMNS", "FIELDS", "parse_published", "read_csv", "read_jsonl"]

DEFAULT_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "article_text", "maintext"),
    "title": ("title", "headline", "heading"),
    "outlet": ("outlet", "source", "publisher", "site", "site_name", "domain"),
    "url": ("url", "link", "href", "canonical_url"),
    "published": ("published", "date", "pubdate", "published_at", "publish_date", "date_publish", "datetime",
                  "timestamp"),
    "byline": ("byline", "author", "authors"),
    "language": ("language", "lang"),
}  # fmt: skip
FIELDS = tuple(DEFAULT_COLUMNS)
"""The article fields a row can fill."""

_EPOCH_MIN, _EPOCH_MAX = 0, 4_102_444_800  # 1970 to 2100: a number outside is not a timestamp


def parse_published(value: object) -> date | None:
    """Parse an ISO date or datetime string, or a Unix timestamp, into a date; None when it is neither."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and _EPOCH_MIN <= value <= _EPOCH_MAX:
        return datetime.fromtimestamp(value, tz=UTC).date()
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return parse_published(int(text))
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _pick(row: Mapping[str, object], names: tuple[str, ...]) -> object:
    for name in names:
        if name in row and row[name] not in (None, ""):
            return row[name]
    return None


def _record(source: str, raw: bytes, row: Mapping[str, object], columns: Mapping[str, str], kind: str) -> Item:
    lowered = {str(key).strip().casefold(): value for key, value in row.items()}
    chosen = {
        name: (columns[name].casefold(),) if name in columns else tried for name, tried in DEFAULT_COLUMNS.items()
    }
    body = _pick(lowered, chosen["text"])
    if not isinstance(body, str) or not body.strip():
        tried = ", ".join(chosen["text"])
        return Rejected(source, "missing_text", f"no non-empty text column (tried: {tried})", raw)
    fields: dict[str, str | date] = {}
    for name in ("title", "outlet", "url", "byline", "language"):
        value = _pick(lowered, chosen[name])
        if isinstance(value, list):  # "authors": ["A", "B"]
            value = ", ".join(str(v) for v in value if v)
        if isinstance(value, str) and value.strip():
            fields[name] = " ".join(value.split())
    published = parse_published(_pick(lowered, chosen["published"]))
    if published is not None:
        fields["published"] = published
    return Record(source, raw, body.replace("\r\n", "\n").replace("\r", "\n"), fields, kind=kind)


def read_jsonl(source: str, lines: Iterable[bytes], columns: Mapping[str, str], max_bytes: int) -> Iterator[Item]:
    """Yield one record per non-empty line of JSON Lines (streamed); a bad line is rejected, the rest go on."""
    for line_no, line in enumerate(lines, start=1):
        raw = line.rstrip(b"\r\n")
        if not raw.strip():
            continue
        record_source = f"{source}#L{line_no}"
        if len(raw) > max_bytes:
            yield Rejected(record_source, "too_large", f"{len(raw)} bytes is over the cap of {max_bytes}", raw, False)
            continue
        try:
            row = json.loads(raw.decode("utf-8-sig" if line_no == 1 else "utf-8"))
        except UnicodeDecodeError as error:
            yield Rejected(record_source, "undecodable", f"JSON Lines must be UTF-8 ({error.reason})", raw)
            continue
        except json.JSONDecodeError as error:
            yield Rejected(record_source, "invalid_json", f"{error.msg} at column {error.colno}", raw)
            continue
        if not isinstance(row, dict):
            yield Rejected(record_source, "invalid_json", "a record must be a JSON object", raw)
            continue
        yield _record(record_source, raw, row, columns, "jsonl_record")


def read_csv(source: str, text: str, columns: Mapping[str, str], max_field: int) -> Iterator[Item]:
    """Yield one record per row of a CSV (or tab-separated) text with a header row."""
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    csv.field_size_limit(max(max_field, csv.field_size_limit()))
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    if not reader.fieldnames:
        yield Rejected(source, "invalid_csv", "no header row")
        return
    try:
        for row_no, row in enumerate(reader, start=1):
            clean_row = {key: value for key, value in row.items() if isinstance(key, str)}
            raw = json.dumps(clean_row, sort_keys=True, ensure_ascii=False).encode("utf-8")
            yield _record(f"{source}#R{row_no}", raw, clean_row, columns, "csv_record")
    except csv.Error as error:
        yield Rejected(f"{source}#R{reader.line_num}", "invalid_csv", str(error))
