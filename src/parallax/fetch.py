"""Fetch web pages and feed items politely and safely: robots.txt, per-host pacing, retries, size and type caps.

Every network or content problem becomes a `FetchResult` with a reason code from `FETCH_ERRORS`; only misuse
(a URL that is not a string, a wrong option) raises. Redirects are followed by hand so each hop is checked
against robots.txt, the private-address rule and the hop limit. An optional on-disk cache keeps responses
(and 404/410 answers) for `cache_ttl` seconds, or the site's shorter `Cache-Control: max-age`, and then
revalidates them with ETag / Last-Modified; a `no-store` answer is never written (see `fetch_cache`).

    >>> with Fetcher(FetchOptions(cache_dir=Path("cache"))) as fetcher:  # doctest: +SKIP
    ...     pages = [result for result in fetcher.fetch_many(urls) if result.ok]
"""

from __future__ import annotations

import ipaddress
import math
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import TracebackType
from urllib.parse import SplitResult, parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import httpx
from courlan import normalize_url as courlan_normalize

from parallax.fetch_cache import CacheEntry, DiskCache
from parallax.fetch_robots import ROBOTS_MAX_BYTES, HostGate, RobotsBook, RobotsRules
from parallax.version import __version__

__all__ = ["FETCH_ERRORS", "FetchOptions", "FetchResult", "Fetcher", "normalize_url"]

FETCH_ERRORS = (
    "invalid_url",
    "private_address",
    "robots_disallowed",
    "http_error",
    "timeout",
    "connection_error",
    "too_large",
    "unsupported_content_type",
    "too_many_redirects",
)
"""Reason codes of a failed fetch, in the order the checks can fail."""

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
RETRY_FAILURES = frozenset({"timeout", "connection_error"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src"})
"""Dropped on top of courlan's own tracker pattern (which already covers utm_* and most of these)."""
DEFAULT_ACCEPT_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "text/plain",
)


@dataclass(slots=True, frozen=True)
class FetchOptions:
    """Limits and manners of the fetcher: timeouts, size cap, retries, pacing, robots, privacy and cache.

    `timeout` bounds connecting and each read; `max_seconds` bounds one request as a whole, from connect to the
    last body byte, so a server that drips its body slowly cannot hold a thread until `max_bytes` have come
    (checked as each chunk arrives: a read that stalls can overrun it by up to `timeout`). Both end the fetch
    with "timeout", which is retried like a connection error. `cache_ttl` is how long a cached answer is used
    without asking again; a site's shorter `Cache-Control: max-age` wins, and `no-store` answers are not kept.
    """

    timeout: float = 10.0
    max_bytes: int = 10 * 1024 * 1024
    retries: int = 2
    backoff: float = 0.5
    max_backoff: float = 30.0
    per_host_delay: float = 1.0
    per_host_concurrency: int = 2
    concurrency: int = 8
    respect_robots: bool = True
    refuse_private: bool = False
    max_redirects: int = 5
    user_agent: str = f"parallax/{__version__} (+https://example.invalid/parallax)"
    cache_dir: Path | None = None
    cache_ttl: float = 24 * 3600
    accept_types: tuple[str, ...] = DEFAULT_ACCEPT_TYPES
    max_seconds: float = 60.0

    def __post_init__(self) -> None:
        for name in ("timeout", "max_seconds", "backoff", "max_backoff", "per_host_delay", "cache_ttl"):
            positive = name in ("timeout", "max_seconds")
            value, least = getattr(self, name), "> 0" if positive else ">= 0"
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise ValueError(f"{name} must be a finite number of seconds {least}, got {value!r}")
            if value < 0 or (positive and value == 0):
                raise ValueError(f"{name} must be a finite number of seconds {least}, got {value!r}")
        for name, lowest in (("max_bytes", 1), ("retries", 0), ("per_host_concurrency", 1), ("concurrency", 1)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < lowest:
                raise ValueError(f"{name} must be an int >= {lowest}, got {value!r}")
        if isinstance(self.max_redirects, bool) or not isinstance(self.max_redirects, int) or self.max_redirects < 0:
            raise ValueError(f"max_redirects must be an int >= 0, got {self.max_redirects!r}")
        for name in ("respect_robots", "refuse_private"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be True or False, got {getattr(self, name)!r}")
        if not isinstance(self.user_agent, str) or not self.user_agent.strip():
            raise ValueError(f"user_agent must be a non-empty string, got {self.user_agent!r}")
        if self.cache_dir is not None and not isinstance(self.cache_dir, Path):
            raise ValueError(f"cache_dir must be a pathlib.Path or None, got {self.cache_dir!r}")
        types = self.accept_types
        if not isinstance(types, tuple) or not types or not all(isinstance(t, str) and "/" in t for t in types):
            raise ValueError(f"accept_types must be a non-empty tuple of media types like 'text/html', got {types!r}")


@dataclass(slots=True, frozen=True)
class FetchResult:
    """What one fetch gave: the body when `ok`, otherwise a reason code from `FETCH_ERRORS` and a detail line.

    `from_cache` is True whenever the body came from the disk cache, including after a 304 revalidation.
    """

    url: str
    normalized_url: str
    final_url: str | None
    status: int | None
    content_type: str | None
    content: bytes | None
    from_cache: bool
    error: str | None
    detail: str = ""

    @property
    def ok(self) -> bool:
        """True when the fetch succeeded and `content` holds the body."""
        return self.error is None


def normalize_url(url: str) -> str | None:
    """The comparable form of an http(s) URL (no tracking parameters or fragment), or None if it is not one."""
    if not isinstance(url, str):
        raise TypeError(f"normalize_url() takes a URL string, got {type(url).__name__}")
    parts = _split_http(url.strip())
    if parts is None:
        return None
    try:
        normalized = courlan_normalize(parts)
    except ValueError:
        return None
    parts = _split_http(normalized)
    if parts is None:
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in TRACKING_PARAMS]
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@{_host_port(parts)}" if userinfo else _host_port(parts)
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query), ""))


def _split_http(url: str) -> SplitResult | None:
    """Split an http(s) URL with a host name; None for anything else (or a port that is not a number)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    return parts


class _Failure(Exception):  # noqa: N818 - internal signal carrying a FETCH_ERRORS reason
    def __init__(self, reason: str, detail: str, *, status: int | None = None, final_url: str | None = None) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        self.status = status
        self.final_url = final_url


@dataclass(slots=True, frozen=True)
class _Response:
    """One complete, closed HTTP response; `body` is read only for 2xx answers."""

    url: str
    status: int
    headers: httpx.Headers
    content_type: str | None
    body: bytes | None


def _resolve(host: str) -> list[str]:
    return [str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)]


def _address_kind(address: str) -> str | None:
    """What makes an IP address off limits ("loopback", "private", ...), or None for a public address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone ("%eth0") is not part of the address
    candidates: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address wrapped in IPv6 reaches the IPv4 host, so the wrapped address is what counts.
        embedded = [ip.ipv4_mapped, ip.sixtofour, ip.teredo[1] if ip.teredo else None]
        candidates += [e for e in embedded if e is not None]
    for candidate in candidates:
        for kind, flag in (
            ("loopback", candidate.is_loopback),
            ("link-local", candidate.is_link_local),
            ("multicast", candidate.is_multicast),
            ("unspecified", candidate.is_unspecified),
            ("reserved", candidate.is_reserved),
            ("private", candidate.is_private),
            ("non-public", not candidate.is_global),  # what the flags above miss, as 100.64.0.0/10 (carrier NAT)
        ):
            if flag:
                return kind
    return None


def _media_type(header: str | None) -> str | None:
    media = (header or "").split(";", 1)[0].strip().lower()
    return media or None


def _retry_after(header: str | None) -> float | None:
    """Seconds a Retry-After header asks for (a number or an HTTP date), or None when absent or unreadable."""
    if not header:
        return None
    try:
        return max(0.0, float(header))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(header).timestamp() - time.time())
    except (TypeError, ValueError, OverflowError):
        return None


class Fetcher:
    """Fetch URLs with robots.txt, per-host pacing, retries, size and type caps, and an optional disk cache.

    `counts` tallies "network" and "robots" requests, "cache_hit", "revalidated", "retries" and each error
    reason. `transport`, `resolve`, `sleep` and `clock` (read for pacing and `max_seconds`) are there so tests
    run without a network or waiting.
    """

    def __init__(
        self,
        options: FetchOptions | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        resolve: Callable[[str], list[str]] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if options is not None and not isinstance(options, FetchOptions):
            raise TypeError(f"options must be a FetchOptions, got {type(options).__name__}")
        self.options = options or FetchOptions()
        self.counts: Counter[str] = Counter()
        self._resolve = resolve or _resolve
        self._sleep = sleep
        self._clock = clock
        self._gate = HostGate(self.options.per_host_concurrency, clock, sleep)
        self._cache = DiskCache(self.options.cache_dir) if self.options.cache_dir is not None else None
        self._lock = threading.Lock()
        self._robots = RobotsBook(self._fetch_robots)
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(self.options.timeout),
            follow_redirects=False,  # each hop is checked by hand (robots, private addresses, hop limit)
            headers={"User-Agent": self.options.user_agent, "Accept": ", ".join(self.options.accept_types)},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections; the fetcher cannot be used afterwards."""
        self._client.close()

    def _count(self, key: str) -> None:
        with self._lock:
            self.counts[key] += 1

    def fetch(self, url: str) -> FetchResult:
        """Fetch one URL; network and content problems come back as a result with an `error`, never raised."""
        if not isinstance(url, str):
            raise TypeError(f"fetch() takes a URL string, got {type(url).__name__}")
        normalized = normalize_url(url)
        if normalized is None:
            result = FetchResult(
                url, url, None, None, None, None, False, "invalid_url", f"{url!r} is not an http(s) URL"
            )
        else:
            result = self._fetch_normalized(url, normalized)
        if result.error is not None:
            self._count(result.error)
        return result

    def fetch_many(self, urls: Iterable[str]) -> Iterator[FetchResult]:
        """Fetch URLs on a thread pool, yielding results in input order; a repeated normalized URL is fetched once."""
        asked = list(urls)
        for url in asked:
            if not isinstance(url, str):
                raise TypeError(f"fetch_many() takes URL strings, got {type(url).__name__}")
        keys = [normalize_url(url) for url in asked]
        remaining = Counter(key for key in keys if key is not None)
        pending: dict[str, Future[FetchResult]] = {}
        # Submitting only a window ahead keeps finished bodies from piling up behind one slow early URL.
        window = 2 * self.options.concurrency
        submitted = 0
        pool = ThreadPoolExecutor(max_workers=self.options.concurrency, thread_name_prefix="parallax-fetch")
        try:
            for index, (url, key) in enumerate(zip(asked, keys, strict=True)):
                while submitted < len(asked) and submitted <= index + window:
                    ahead = keys[submitted]
                    if ahead is not None and ahead not in pending:
                        pending[ahead] = pool.submit(self.fetch, asked[submitted])
                    submitted += 1
                if key is None:
                    yield self.fetch(url)
                    continue
                result = pending[key].result()
                remaining[key] -= 1
                if not remaining[key]:
                    del pending[key]  # its last occurrence: let the body go
                yield result if result.url == url else replace(result, url=url)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _fetch_normalized(self, url: str, normalized: str) -> FetchResult:
        entry = self._cache.load(normalized) if self._cache is not None else None
        if entry is not None and entry.is_fresh(self.options.cache_ttl):
            self._count("cache_hit")
            return self._cached_result(url, normalized, entry)
        try:
            conditional = entry if entry is not None and entry.body is not None else None
            response = self._follow(url.strip().split("#", 1)[0], conditional=conditional)
        except _Failure as failure:
            return FetchResult(
                url, normalized, failure.final_url, failure.status, None, None, False, failure.reason, failure.detail
            )
        if response.status == 304 and entry is not None and entry.body is not None:
            self._count("revalidated")
            fresh = entry.revalidated(response.headers)
            if self._cache is not None:
                self._cache.keep(normalized, fresh, response.headers, new_body=False)
            return replace(self._cached_result(url, normalized, fresh), detail="revalidated (HTTP 304)")
        if self._cache is not None:  # it keeps only 2xx and gone answers, and none marked no-store
            entry = CacheEntry.of_response(
                url, response.url, response.status, response.content_type, response.body, headers=response.headers
            )
            self._cache.keep(normalized, entry, response.headers)
        if not 200 <= response.status < 300:
            detail = f"HTTP {response.status}"
            return FetchResult(url, normalized, response.url, response.status, None, None, False, "http_error", detail)
        return FetchResult(
            url, normalized, response.url, response.status, response.content_type, response.body, False, None
        )

    @staticmethod
    def _cached_result(url: str, normalized: str, entry: CacheEntry) -> FetchResult:
        if entry.body is None:
            detail = f"HTTP {entry.status} (cached)"
            return FetchResult(url, normalized, entry.final_url, entry.status, None, None, True, "http_error", detail)
        return FetchResult(url, normalized, entry.final_url, entry.status, entry.content_type, entry.body, True, None)

    def _follow(self, url: str, *, conditional: CacheEntry | None = None, robots_file: bool = False) -> _Response:
        """Request `url`, following redirects by hand; every hop is checked before it is requested."""
        current = url
        for _ in range(self.options.max_redirects + 1):
            parts = self._check_target(current)
            if self.options.respect_robots and not robots_file:
                self._check_robots(current, parts)
            headers = conditional.validators() if conditional is not None and conditional.final_url == current else {}
            response = self._with_retries(current, parts, headers, robots_file=robots_file)
            if response.status not in REDIRECT_STATUSES:
                return response
            location = response.headers.get("location")
            if not location:
                raise _Failure("http_error", f"HTTP {response.status} without a Location header", final_url=current)
            current = urljoin(current, location.strip()).split("#", 1)[0]
        detail = f"more than {self.options.max_redirects} redirects (FetchOptions.max_redirects)"
        raise _Failure("too_many_redirects", detail, final_url=current)

    def _check_target(self, url: str) -> SplitResult:
        """Refuse a hop that is not http(s), or (with refuse_private) whose host is not a public address."""
        parts = _split_http(url)
        if parts is None:
            raise _Failure("invalid_url", f"{url!r} is not an http(s) URL", final_url=url)
        if not self.options.refuse_private:
            return parts
        host = parts.hostname or ""
        # The host is resolved here and again by the connection, so a DNS server that answers differently the
        # second time (DNS rebinding) can still steer a request to a private address. Closing that needs a
        # transport that connects to the checked address; until then put such deployments behind an egress
        # firewall as well.
        try:
            ipaddress.ip_address(host.split("%", 1)[0])
            addresses = [host]
        except ValueError:
            try:
                addresses = self._resolve(host)
            except (OSError, UnicodeError) as error:
                raise _Failure("connection_error", f"cannot resolve {host}: {error}", final_url=url) from None
        if not addresses:
            raise _Failure("connection_error", f"cannot resolve {host}: no addresses", final_url=url)
        for address in addresses:
            try:
                kind = _address_kind(address)
            except ValueError:
                kind = "unreadable"
            if kind is not None:
                detail = f"{host} resolves to {address}, a {kind} address (FetchOptions.refuse_private)"
                raise _Failure("private_address", detail, final_url=url)
        return parts

    def _check_robots(self, url: str, parts: SplitResult) -> None:
        refusal = self._robots.rules_for(_origin(parts)).refusal(url, parts)
        if refusal is not None:
            raise _Failure("robots_disallowed", refusal, final_url=url)

    def _fetch_robots(self, origin: str) -> RobotsRules:
        """The rules of one origin, from its /robots.txt fetched like any page (checks, pacing, retries)."""
        try:
            response = self._follow(f"{origin}/robots.txt", robots_file=True)
        except _Failure as failure:
            return RobotsRules.from_failure(failure.reason, failure.detail)
        return RobotsRules.from_answer(response.status, response.body)

    def _with_retries(self, url: str, parts: SplitResult, headers: dict[str, str], *, robots_file: bool) -> _Response:
        attempt = 0
        while True:
            try:
                response = self._request(url, parts, headers, robots_file=robots_file)
            except _Failure as failure:
                if failure.reason not in RETRY_FAILURES or attempt >= self.options.retries:
                    raise
                wait = self._backoff(attempt, None)
            else:
                if response.status not in RETRY_STATUSES or attempt >= self.options.retries:
                    return response
                wait = self._backoff(attempt, _retry_after(response.headers.get("retry-after")))
            self._count("retries")
            self._sleep(wait)
            attempt += 1

    def _backoff(self, attempt: int, asked: float | None) -> float:
        wait = asked if asked is not None else self.options.backoff * 2 ** min(attempt, 32)
        return min(wait, self.options.max_backoff)

    def _request(self, url: str, parts: SplitResult, headers: dict[str, str], *, robots_file: bool) -> _Response:
        """One GET inside the host's pacing slot; the body is read (and capped) only for a 2xx answer."""
        host = parts.hostname or ""
        delay = self.options.per_host_delay
        if self.options.respect_robots and not robots_file:
            delay = max(delay, self._robots.rules_for(_origin(parts)).crawl_delay())
        with self._gate.slot(host, delay):
            self._count("robots" if robots_file else "network")
            deadline = self._clock() + self.options.max_seconds  # after the pacing wait, which is not the site's
            try:
                with self._client.stream("GET", url, headers=headers) as response:
                    media = _media_type(response.headers.get("content-type"))
                    body = None
                    if 200 <= response.status_code < 300:
                        body = self._read_body(response, url, media, deadline, robots_file=robots_file)
                    return _Response(url, response.status_code, response.headers, media, body)
            except httpx.TimeoutException:
                raise _Failure("timeout", f"timed out after {self.options.timeout} s", final_url=url) from None
            except httpx.InvalidURL as error:
                raise _Failure("invalid_url", f"{url!r}: {error}", final_url=url) from None
            except httpx.RequestError as error:
                detail = f"cannot fetch from {host}: {error or type(error).__name__}"
                raise _Failure("connection_error", detail, final_url=url) from None

    def _read_body(
        self, response: httpx.Response, url: str, media: str | None, deadline: float, *, robots_file: bool
    ) -> bytes:
        status = response.status_code
        if robots_file:
            return self._read_capped(response, url, ROBOTS_MAX_BYTES, deadline)
        accepted = self.options.accept_types
        if media is not None and media not in accepted:
            detail = f"content type {media} is not one of {', '.join(accepted)} (FetchOptions.accept_types)"
            raise _Failure("unsupported_content_type", detail, status=status, final_url=url)
        limit = self.options.max_bytes
        too_large = f"the body is over the cap of {limit} bytes (FetchOptions.max_bytes)"
        declared = response.headers.get("content-length", "")
        if declared.strip().isdigit() and int(declared) > limit:
            raise _Failure("too_large", too_large, status=status, final_url=url)
        body = self._read_capped(response, url, limit + 1, deadline)
        if len(body) > limit:
            raise _Failure("too_large", too_large, status=status, final_url=url)
        if media is None and not body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            detail = "no content type, and the body does not look like HTML or XML"
            raise _Failure("unsupported_content_type", detail, status=status, final_url=url)
        return body

    def _read_capped(self, response: httpx.Response, url: str, limit: int, deadline: float) -> bytes:
        """At most `limit` bytes of the (decoded) body, streamed, so a huge or endless body is never held whole,
        and only until `deadline` (on the injected clock), so a body sent a few bytes at a time cannot hold on."""
        chunks: list[bytes] = []
        size = 0
        self._check_deadline(deadline, response, url)  # the headers themselves may have come in too late
        for chunk in response.iter_bytes():
            self._check_deadline(deadline, response, url)
            chunks.append(chunk[: limit - size])
            size += len(chunks[-1])
            if size >= limit:
                break
        return b"".join(chunks)

    def _check_deadline(self, deadline: float, response: httpx.Response, url: str) -> None:
        if self._clock() > deadline:
            detail = f"body not complete after {self.options.max_seconds} s (FetchOptions.max_seconds)"
            raise _Failure("timeout", detail, status=response.status_code, final_url=url)


def _host_port(parts: SplitResult) -> str:
    """Lower-case host, bracketed when IPv6, with the port only when it is not the scheme's default."""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    default_port = 443 if parts.scheme.lower() == "https" else 80
    return host if parts.port in (None, default_port) else f"{host}:{parts.port}"


def _origin(parts: SplitResult) -> str:
    return f"{parts.scheme.lower()}://{_host_port(parts)}"
