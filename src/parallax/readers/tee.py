"""A read-only stream that hashes what passes through it and keeps it up to a cap: raw inputs as received.

The reader streams large inputs (archives, JSON Lines) through it, so the stored hash covers every byte read
without holding a multi-gigabyte file in memory, and small inputs are still kept whole.
"""

from __future__ import annotations

import hashlib
import io
from typing import BinaryIO

__all__ = ["HashingReader"]


class HashingReader(io.RawIOBase):
    """A read-only stream over `head` + `rest` that hashes everything read and keeps it up to a size cap.

    Reading stops at `cap` bytes (`over_cap` is then set), so no input is ever read past its cap; `kept` is
    the bytes read when they fit under the cap, for storing the raw input as received.
    """

    def __init__(self, head: bytes, rest: BinaryIO, cap: int, keep_limit: int | None = None) -> None:
        super().__init__()
        self._pending = head
        self._rest = rest
        self._cap = cap
        self._digest = hashlib.sha256()
        self._buffer = bytearray()
        self._keep_limit = cap if keep_limit is None else keep_limit
        self.size = 0
        self.over_cap = False

    def readable(self) -> bool:
        return True

    def readinto(self, target: memoryview | bytearray) -> int:  # type: ignore[override]
        if self.size >= self._cap:
            if not self.over_cap:
                extra = self._pending or self._rest.read(1)
                self._pending = b""
                if extra:
                    self.over_cap = True
                    self._digest.update(extra)
                    self.size += len(extra)
                    self._buffer, self._keep_limit = bytearray(), -1
            return 0
        want = min(len(target), self._cap - self.size)
        chunk = self._pending[:want] if self._pending else self._rest.read(want)
        self._pending = self._pending[len(chunk) :] if self._pending else b""
        target[: len(chunk)] = chunk
        self._digest.update(chunk)
        self.size += len(chunk)
        if len(self._buffer) + len(chunk) <= self._keep_limit:
            self._buffer += chunk
        else:
            self._buffer = bytearray()
            self._keep_limit = -1
        return len(chunk)

    def hash_rest(self) -> None:
        """Hash (without keeping) what lies past the cap, so a too-large input is still known by its hash."""
        while chunk := self._rest.read(1 << 20):
            self._digest.update(chunk)
            self.size += len(chunk)

    def drain(self) -> None:
        """Read whatever the format left unread, so the hash covers the whole input."""
        while self.read(1 << 16):
            pass

    @property
    def hash(self) -> str:
        """SHA-256 of everything read."""
        return str(self._digest.hexdigest())

    @property
    def kept(self) -> bytes | None:
        """The bytes read, or None when they were over the keep limit."""
        return bytes(self._buffer) if self._keep_limit >= 0 else None
