"""The fetcher's manners toward each host: robots.txt as RFC 9309 reads it, and per-host pacing.

Kept apart from `parallax.fetch` so the rules of crawling (which answers allow everything or nothing, which
group applies to parallax, how long a Crawl-delay may be, how requests to one host are spaced) read in one
place, away from the HTTP plumbing. The fetcher supplies the download of each /robots.txt (through its own
checks and retries); this module decides what the answer means and paces requests by it. Only
`parallax.fetch.Fetcher` uses it; its settings are `FetchOptions.respect_robots`, `per_host_delay` and
`per_host_concurrency`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import SplitResult, urlunsplit

from protego import Protego

__all__ = ["MAX_CRAWL_DELAY", "ROBOTS_AGENT", "ROBOTS_MAX_BYTES", "HostGate", "RobotsBook", "RobotsRules"]

ROBOTS_AGENT = "parallax"
"""The product token robots.txt groups are matched against (RFC 9309 section 2.2.1)."""
ROBOTS_MAX_BYTES = 500 * 1024
"""RFC 9309 asks crawlers to parse at least 500 KiB of a robots.txt; the rest is ignored, not an error."""
MAX_CRAWL_DELAY = 60.0
"""A larger Crawl-delay is cut to this, so one hostile robots.txt cannot stall a batch for hours."""


@dataclass(slots=True, frozen=True)
class RobotsRules:
    """The robots.txt rules of one origin; without rules, `allow_all` says what RFC 9309 implies, `why` why."""

    rules: Protego | None
    allow_all: bool
    why: str = ""

    @classmethod
    def from_answer(cls, status: int, body: bytes | None) -> RobotsRules:
        """Rules from the answer to /robots.txt: unavailable (4xx) allows all, unreachable (5xx) nothing."""
        if 200 <= status < 300:
            try:
                rules = Protego.parse((body or b"").decode("utf-8", errors="replace"))
            except Exception:  # a hostile robots.txt must not stop the batch; treat it as absent
                return cls(None, allow_all=True)
            return cls(rules, allow_all=True)
        # 429 is "come back later", not "there is no file": like Google, read it as unreachable.
        unavailable = 400 <= status < 500 and status != 429
        return cls(None, allow_all=unavailable, why=f"answered HTTP {status}")

    @classmethod
    def from_failure(cls, reason: str, detail: str) -> RobotsRules:
        """Rules when /robots.txt could not be fetched: nothing is allowed, except after too many redirects."""
        # RFC 9309 2.3.1.2: after too many redirects a crawler may treat the file as unavailable.
        unavailable = reason == "too_many_redirects"
        return cls(None, allow_all=unavailable, why=f"could not be fetched ({detail})")

    def allows(self, url: str) -> bool:
        """True when `url` may be fetched."""
        return self.allow_all if self.rules is None else bool(self.rules.can_fetch(url, ROBOTS_AGENT))

    def refusal(self, url: str, parts: SplitResult) -> str | None:
        """Why `url` (split as `parts`) may not be fetched, or None when it may."""
        if self.allows(url):
            return None
        if self.why:
            return f"robots.txt of {parts.hostname} {self.why}, so nothing there may be fetched (RFC 9309)"
        path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        return f"robots.txt of {parts.hostname} disallows {path} for {ROBOTS_AGENT}"

    def crawl_delay(self) -> float:
        """Seconds to leave between requests to this host, as the file asks (at most `MAX_CRAWL_DELAY`)."""
        delay = None if self.rules is None else self.rules.crawl_delay(ROBOTS_AGENT)
        return min(float(delay), MAX_CRAWL_DELAY) if delay else 0.0


class RobotsBook:
    """The rules of every origin met so far, each fetched once with `fetch_rules`, however many threads ask."""

    def __init__(self, fetch_rules: Callable[[str], RobotsRules]) -> None:
        self._fetch_rules = fetch_rules
        self._lock = threading.Lock()
        self._rules: dict[str, RobotsRules] = {}
        self._origin_locks: dict[str, threading.Lock] = {}

    def rules_for(self, origin: str) -> RobotsRules:
        """The rules of `origin` ("https://host[:port]"), fetched on first use."""
        with self._lock:
            origin_lock = self._origin_locks.setdefault(origin, threading.Lock())
        with origin_lock:
            if origin not in self._rules:
                self._rules[origin] = self._fetch_rules(origin)
            return self._rules[origin]


class HostGate:
    """Per-host pacing: at most `concurrency` requests at once and `delay` seconds between request starts."""

    def __init__(self, concurrency: int, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        self._concurrency = concurrency
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}

    @contextmanager
    def slot(self, host: str, delay: float) -> Iterator[None]:
        """Hold one of `host`'s request slots, starting no sooner than `delay` after its previous start."""
        with self._lock:
            slots = self._slots.setdefault(host, threading.BoundedSemaphore(self._concurrency))
        with slots:
            # Reserve the start time under the lock, so threads waiting for one host are spread out by `delay`.
            with self._lock:
                now = self._clock()
                start = max(now, self._next_start.get(host, now))
                self._next_start[host] = start + delay
            if start > now:
                self._sleep(start - now)
            yield
