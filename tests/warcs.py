"""WARC records written by hand (the format is plain text headers), so tests do not trust the reader's library."""

from __future__ import annotations

import uuid


def warc_record(kind: str, uri: str, payload: bytes, content_type: str) -> bytes:
    """One WARC/1.0 record of type `kind` around `payload`."""
    headers = [
        "WARC/1.0",
        f"WARC-Type: {kind}",
        f"WARC-Record-ID: <urn:uuid:{uuid.uuid4()}>",
        "WARC-Date: 2023-07-16T12:00:00Z",
        f"Content-Type: {content_type}",
        f"Content-Length: {len(payload)}",
    ]
    if uri:
        headers.insert(2, f"WARC-Target-URI: {uri}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + payload + b"\r\n\r\n"


def warc_response(uri: str, body: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200) -> bytes:
    """A response record: an HTTP response with `body`, as a crawler archives it."""
    reason = {200: "OK", 404: "Not Found"}.get(status, "Status")
    http = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    return warc_record("response", uri, http, "application/http; msgtype=response")
