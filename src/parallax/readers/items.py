"""What input formats yield to the reader: bytes to read again, a record's fields, or a rejection."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = ["Item", "Member", "Record", "Rejected"]


@dataclass(slots=True, frozen=True)
class Member:
    """Bytes found inside another input (a zip member, a WARC response, a fetched page), to be read in turn.

    `hint` names the kind when the container says it ("html" for a WARC response, "csv" for a member named
    .csv); `fields` carries metadata the container knows (a WARC record's URL, a feed entry's title) that the
    page itself may not.
    """

    source: str
    data: bytes
    hint: str | None = None
    fields: dict[str, str | date] = field(default_factory=dict)
    origin: str = "container"


@dataclass(slots=True, frozen=True)
class Record:
    """One article's fields from a structured row (JSON Lines, CSV): `text` and optional metadata.

    `raw` is the row as received, whose hash becomes the article id.
    """

    source: str
    raw: bytes
    text: str
    fields: dict[str, str | date] = field(default_factory=dict)
    origin: str = "record"
    kind: str = "jsonl_record"


@dataclass(slots=True, frozen=True)
class Rejected:
    """An item that cannot be read: the reason code, one human line, and the raw bytes when there are some.

    `keep_content=False` keeps only the hash of `data` (a non-HTML WARC payload, say), not the bytes.
    """

    source: str
    reason: str
    detail: str
    data: bytes | None = None
    keep_content: bool = True


Item = Member | Record | Rejected
