"""Containers: gzip and zip files, and WARC archives (plain or gzipped, as Common Crawl News ships them).

Each yields the inputs inside it as `Member`s for the reader to read in turn, or `Rejected`s with a reason.
Decompression is capped (`max_bytes` per member), so a small file that inflates to gigabytes is a counted
drop, not an out-of-memory crash. A truncated or corrupt container keeps what was read before the damage and
rejects the rest. WARC archives are streamed record by record (fastwarc), so their size is not capped; only
HTML responses with status 200 become members, other responses are rejected with their content type and
kept by hash, and non-response records (requests, metadata, warcinfo) are skipped and counted.
"""

from __future__ import annotations

import gzip
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from parallax.readers.items import Item, Member, Rejected

__all__ = ["GZIP_MAGIC", "HTML_TYPES", "WARC_MAGIC", "ZIP_MAGIC", "read_gzip", "read_warc", "read_zip", "warc_ahead"]

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
WARC_MAGIC = b"WARC/"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_CHUNK = 1 << 16


def warc_ahead(head: bytes) -> bool:
    """True when `head` (the first bytes of an input) opens a WARC archive, gzipped or not."""
    if head.startswith(WARC_MAGIC):
        return True
    if head.startswith(GZIP_MAGIC):
        try:
            return zlib.decompressobj(wbits=31).decompress(head, len(WARC_MAGIC)).startswith(WARC_MAGIC)
        except zlib.error:
            return False
    return False


def _inner_hint(source: str) -> str:
    """The name of a .gz file without its suffix ("a.jsonl.gz" -> "a.jsonl"), for picking the inner reader."""
    name = PurePosixPath(source.rsplit("!", maxsplit=1)[-1]).name
    return name[: -len(".gz")] if name.lower().endswith(".gz") else name


def read_gzip(source: str, stream: BinaryIO, max_bytes: int) -> Iterator[Item]:
    """Yield the decompressed content of a gzip file as one member, or reject it (too large, truncated, corrupt)."""
    parts: list[bytes] = []
    size = 0
    try:
        with gzip.GzipFile(fileobj=stream) as inflated:
            while chunk := inflated.read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    yield Rejected(source, "too_large", f"inflates to more than the cap of {max_bytes} bytes")
                    return
                parts.append(chunk)
    except EOFError:
        yield Rejected(source, "corrupt_archive", "the gzip stream ends early (truncated file)")
        return
    except (OSError, zlib.error) as error:
        yield Rejected(source, "corrupt_archive", f"not a readable gzip stream ({error})")
        return
    yield Member(source, b"".join(parts), hint=_inner_hint(source))


def read_zip(source: str, stream: BinaryIO, max_bytes: int) -> Iterator[Item]:
    """Yield every file of a zip archive (folders and hidden files aside) as a member."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError) as error:
        yield Rejected(source, "corrupt_archive", f"not a readable zip archive ({error})")
        return
    with archive:
        for info in archive.infolist():
            name = PurePosixPath(info.filename)
            if info.is_dir() or any(part.startswith((".", "__MACOSX")) for part in name.parts):
                continue
            member = f"{source}!{info.filename}"
            if info.flag_bits & 0x1:
                yield Rejected(member, "encrypted", "the archive member is password-protected")
            elif info.file_size > max_bytes:
                yield Rejected(member, "too_large", f"{info.file_size} bytes is over the cap of {max_bytes}")
            else:
                yield from _zip_member(archive, info, member, max_bytes)


def _zip_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, member: str, max_bytes: int) -> Iterator[Item]:
    try:
        with archive.open(info) as inflated:
            data = inflated.read(max_bytes + 1)  # the declared size can lie; never inflate past the cap
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError) as error:
        yield Rejected(member, "corrupt_archive", f"cannot inflate this member ({error})")
        return
    if len(data) > max_bytes:
        yield Rejected(member, "too_large", f"inflates to more than the cap of {max_bytes} bytes")
    else:
        yield Member(member, data, hint=PurePosixPath(info.filename).name)


def read_warc(source: str, stream: BinaryIO, max_bytes: int, counts: dict[str, int]) -> Iterator[Item]:
    """Yield each HTML response of a WARC archive as a member carrying its target URL.

    `counts` receives the records skipped without being an error (`warc_other_records`).
    """
    records = ArchiveIterator(
        stream, record_types=WarcRecordType.any_type, parse_http=True, auto_decode="all", fsspec_args=False
    )
    position = 0
    try:
        for record in records:
            position += 1
            if record.record_type != WarcRecordType.response or not record.is_http:
                counts["warc_other_records"] = counts.get("warc_other_records", 0) + 1
                continue
            yield from _warc_response(source, position, record, max_bytes)
    except (OSError, ValueError) as error:
        yield Rejected(f"{source}#record{position + 1}", "corrupt_archive", f"the WARC stream breaks off ({error})")
    except BaseException as error:  # fastwarc's Rust core reports some damage as a panic, not an exception
        if type(error).__name__ != "PanicException":
            raise
        yield Rejected(f"{source}#record{position + 1}", "corrupt_archive", "the WARC parser gave up on this record")


def _warc_response(source: str, position: int, record: WarcRecord, max_bytes: int) -> Iterator[Item]:
    url = str(record.headers.get("WARC-Target-URI", "")).strip("<> ")
    member = f"{source}#{url or f'record{position}'}"
    status = record.http_headers.status_code
    content_type = (record.http_content_type or "").lower()
    if record.content_length > max_bytes:
        yield Rejected(member, "too_large", f"a record over the cap of {max_bytes} bytes")
        return
    payload: bytes = record.reader.read()
    declared = str(record.http_headers.get("Content-Length", "")).strip()
    if declared.isdigit() and len(payload) < int(declared) and "content-encoding" not in record.http_headers:
        detail = f"the record is cut short: {len(payload)} of {declared} bytes (truncated archive)"
        yield Rejected(member, "corrupt_archive", detail, payload)
    elif status != 200:
        yield Rejected(member, "http_error", f"the archived response has HTTP status {status}", payload, False)
    elif content_type not in HTML_TYPES:
        detail = f"content type {content_type or 'none'} is not HTML (only HTML responses are read)"
        yield Rejected(member, "not_html", detail, payload, False)
    else:
        yield Member(member, payload, hint="html", fields={"url": url} if url else {}, origin="warc")
