from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from parallax import fetch_cache
from parallax.fetch import FETCH_ERRORS, Fetcher, FetchOptions, FetchResult, normalize_url

Handler = Callable[[httpx.Request], httpx.Response]
HTML = b"<html><body><p>Report</p></body></html>"


def page(
    body: bytes = HTML, status: int = 200, content_type: str | None = "text/html; charset=utf-8", **headers: str
) -> Handler:
    """A route answering every request with a fresh response."""
    all_headers = {k.replace("_", "-"): v for k, v in headers.items()}
    if content_type is not None:
        all_headers["content-type"] = content_type
    return lambda request: httpx.Response(status, content=body, headers=all_headers)


def in_turn(*routes: Handler) -> Handler:
    """A route answering with each of `routes` in turn."""
    remaining = iter(routes)

    def answer(request: httpx.Request) -> httpx.Response:
        return next(remaining)(request)

    return answer


def redirect(location: str, status: int = 302) -> Handler:
    return page(b"", status=status, content_type=None, location=location)


class Site:
    """A fake web: routes keyed by host + path, every request recorded; unknown routes answer 404."""

    def __init__(self, routes: dict[str, Handler] | None = None) -> None:
        self.routes = routes or {}
        self.requests: list[str] = []
        self.headers: list[httpx.Headers] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        key = f"{request.url.host}{request.url.path}"
        self.requests.append(key)
        self.headers.append(request.headers)
        route = self.routes.get(key)
        return route(request) if route else httpx.Response(404, content=b"not here")


class FakeTime:
    """A clock that only moves when slept on, and a record of every sleep."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def make_fetcher(fake_time: FakeTime) -> Iterator[Callable[..., Fetcher]]:
    made: list[Fetcher] = []

    def make(site: Site, resolve: Callable[[str], list[str]] | None = None, **options: object) -> Fetcher:
        options.setdefault("respect_robots", False)
        fetcher = Fetcher(
            FetchOptions(**options),  # type: ignore[arg-type]
            transport=httpx.MockTransport(site),
            resolve=resolve,
            sleep=fake_time.sleep,
            clock=fake_time.clock,
        )
        made.append(fetcher)
        return fetcher

    yield make
    for fetcher in made:
        fetcher.close()


# normalize_url


def test_tracking_parameters_are_removed_and_meaningful_ones_kept() -> None:
    variants = [
        "https://news.example/story?id=123",
        "https://news.example/story?id=123&utm_source=twitter&utm_medium=social",
        "https://news.example/story?fbclid=IwAR0abc&id=123",
        "https://news.example/story?gclid=x&id=123&mc_cid=1&mc_eid=2&igshid=3&ref=homepage",
    ]
    assert {normalize_url(url) for url in variants} == {"https://news.example/story?id=123"}


def test_scheme_host_default_port_and_fragment_are_normalized() -> None:
    assert normalize_url("HTTPS://News.Example:443/World/Story#comments") == "https://news.example/World/Story"
    assert normalize_url("http://news.example:80") == "http://news.example/"
    assert normalize_url("http://news.example:8080/a") == "http://news.example:8080/a"


@pytest.mark.parametrize(
    "url", ["ftp://news.example/file", "mailto:desk@news.example", "not a url", "", "http:///path", "http://h:99999/"]
)
def test_non_http_urls_do_not_normalize(url: str) -> None:
    assert normalize_url(url) is None


_hosts = st.from_regex(r"[A-Za-z0-9]{1,10}(\.[A-Za-z]{2,5}){1,2}", fullmatch=True)
_parts = st.text(alphabet=st.characters(codec="utf-8"), max_size=15)
_urls = st.builds(
    lambda scheme, host, port, path, key, value, fragment: (
        f"{scheme}://{host}{port}/{path}?{key}={value}&utm_source=x#{fragment}"
    ),
    st.sampled_from(["http", "https", "HTTP", "Https"]),
    _hosts,
    st.sampled_from(["", ":80", ":443", ":8080"]),
    _parts,
    _parts,
    _parts,
    _parts,
)


@given(st.one_of(_urls, st.text(max_size=40)))
def test_normalize_url_is_idempotent(url: str) -> None:
    normalized = normalize_url(url)
    if normalized is not None:
        assert normalize_url(normalized) == normalized


# options and misuse


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("timeout", 0, "timeout must be a finite number of seconds > 0"),
        ("max_seconds", 0.0, "max_seconds must be a finite number of seconds > 0"),
        ("max_seconds", float("inf"), "max_seconds must be a finite number of seconds > 0"),
        ("backoff", -1.0, "backoff must be a finite number of seconds >= 0"),
        ("max_bytes", 0, "max_bytes must be an int >= 1"),
        ("retries", True, "retries must be an int >= 0"),
        ("max_redirects", -1, "max_redirects must be an int >= 0"),
        ("respect_robots", "yes", "respect_robots must be True or False"),
        ("cache_dir", "cache", "cache_dir must be a pathlib.Path or None"),
        ("accept_types", ["text/html"], "accept_types must be a non-empty tuple"),
        ("user_agent", " ", "user_agent must be a non-empty string"),
    ],
)
def test_bad_options_name_the_valid_range(field: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FetchOptions(**{field: value})  # type: ignore[arg-type]


def test_a_url_that_is_not_a_string_is_misuse(make_fetcher: Callable[..., Fetcher]) -> None:
    with pytest.raises(TypeError, match="URL string"):
        make_fetcher(Site()).fetch(b"https://news.example/")  # type: ignore[arg-type]


def test_an_invalid_url_is_a_result_not_an_exception(make_fetcher: Callable[..., Fetcher]) -> None:
    site = Site()
    fetcher = make_fetcher(site)
    result = fetcher.fetch("javascript:alert(1)")
    assert (result.ok, result.error, result.normalized_url) == (False, "invalid_url", "javascript:alert(1)")
    assert site.requests == []
    assert fetcher.counts["invalid_url"] == 1


# plain fetching


def test_a_page_is_fetched_with_media_type_and_user_agent(make_fetcher: Callable[..., Fetcher]) -> None:
    site = Site({"news.example/a": page(HTML, content_type="Text/HTML; charset=utf-8")})
    result = make_fetcher(site).fetch("https://news.example/a?utm_campaign=x#top")
    assert result == FetchResult(
        url="https://news.example/a?utm_campaign=x#top",
        normalized_url="https://news.example/a",
        final_url="https://news.example/a?utm_campaign=x",
        status=200,
        content_type="text/html",
        content=HTML,
        from_cache=False,
        error=None,
    )
    assert site.headers[0]["user-agent"].startswith("parallax/")


def test_404_is_an_http_error_and_not_retried(make_fetcher: Callable[..., Fetcher], fake_time: FakeTime) -> None:
    site = Site()
    result = make_fetcher(site).fetch("https://news.example/gone")
    assert (result.error, result.status, result.detail, result.content) == ("http_error", 404, "HTTP 404", None)
    assert site.requests == ["news.example/gone"]
    assert fake_time.sleeps == []


def test_503_is_retried_with_exponential_backoff_then_succeeds(
    make_fetcher: Callable[..., Fetcher], fake_time: FakeTime
) -> None:
    site = Site({"news.example/a": in_turn(page(status=503), page(status=503), page(HTML))})
    fetcher = make_fetcher(site, per_host_delay=0.0)
    result = fetcher.fetch("https://news.example/a")
    assert result.ok
    assert result.content == HTML
    assert fake_time.sleeps == [0.5, 1.0]
    assert fetcher.counts["network"] == 3
    assert fetcher.counts["retries"] == 2


def test_retries_give_up_with_the_last_status(make_fetcher: Callable[..., Fetcher], fake_time: FakeTime) -> None:
    site = Site({"news.example/a": page(status=502)})
    result = make_fetcher(site, per_host_delay=0.0, retries=1).fetch("https://news.example/a")
    assert (result.error, result.status, result.detail) == ("http_error", 502, "HTTP 502")
    assert len(site.requests) == 2


def test_retry_after_is_honoured_and_capped(make_fetcher: Callable[..., Fetcher], fake_time: FakeTime) -> None:
    answers = in_turn(page(status=429, retry_after="7"), page(status=503, retry_after="600"), page(HTML))
    site = Site({"news.example/a": answers})
    result = make_fetcher(site, per_host_delay=0.0, max_backoff=30.0).fetch("https://news.example/a")
    assert result.ok
    assert fake_time.sleeps == [7.0, 30.0]


def test_retry_after_as_a_past_date_retries_at_once(make_fetcher: Callable[..., Fetcher], fake_time: FakeTime) -> None:
    answers = in_turn(page(status=503, retry_after="Wed, 21 Oct 2015 07:28:00 GMT"), page(HTML))
    result = make_fetcher(Site({"news.example/a": answers}), per_host_delay=0.0).fetch("https://news.example/a")
    assert result.ok
    assert fake_time.sleeps == [0.0]


def test_a_timeout_is_retried_then_reported(make_fetcher: Callable[..., Fetcher], fake_time: FakeTime) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("read timed out", request=request)

    site = Site({"news.example/a": slow})
    fetcher = make_fetcher(site, per_host_delay=0.0, timeout=3.0)
    result = fetcher.fetch("https://news.example/a")
    assert (result.error, result.detail) == ("timeout", "timed out after 3.0 s")
    assert len(site.requests) == 3
    assert fake_time.sleeps == [0.5, 1.0]
    assert fetcher.counts["timeout"] == 1


def test_a_connection_error_is_reported(make_fetcher: Callable[..., Fetcher]) -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    result = make_fetcher(Site({"news.example/a": refused}), retries=0).fetch("https://news.example/a")
    assert result.error == "connection_error"
    assert "connection refused" in result.detail


# the overall deadline of one request (max_seconds)


def dripping(fake_time: FakeTime, seconds_apart: float, sent: list[int], *, headers_after: float = 0.0) -> Handler:
    """A route whose answer comes `headers_after` seconds late, then sends 10-byte chunks `seconds_apart`."""

    def body() -> Iterator[bytes]:
        for number in range(100):
            fake_time.now += seconds_apart
            sent.append(number)
            yield b"<p>" + b"x" * 7

    def answer(request: httpx.Request) -> httpx.Response:
        fake_time.now += headers_after
        return httpx.Response(200, headers={"content-type": "text/html"}, content=body())

    return answer


def test_a_body_still_arriving_at_max_seconds_is_a_timeout(
    make_fetcher: Callable[..., Fetcher], fake_time: FakeTime
) -> None:
    sent: list[int] = []
    site = Site({"news.example/drip": dripping(fake_time, 10.0, sent)})
    fetcher = make_fetcher(site, retries=0, max_seconds=25.0)
    result = fetcher.fetch("https://news.example/drip")
    assert (result.error, result.status, result.content) == ("timeout", 200, None)
    assert result.detail == "body not complete after 25.0 s (FetchOptions.max_seconds)"
    assert sent == [0, 1, 2]  # chunks come at 10, 20 and 30 s: the third is past 25 s and nothing more is read
    assert fetcher.counts["timeout"] == 1


def test_headers_arriving_after_max_seconds_are_a_timeout(
    make_fetcher: Callable[..., Fetcher], fake_time: FakeTime
) -> None:
    sent: list[int] = []
    site = Site({"news.example/drip": dripping(fake_time, 1.0, sent, headers_after=30.0)})
    result = make_fetcher(site, retries=0, max_seconds=25.0).fetch("https://news.example/drip")
    assert (result.error, result.status) == ("timeout", 200)
    assert sent == []


def test_a_slow_body_that_ends_within_max_seconds_is_accepted(
    make_fetcher: Callable[..., Fetcher], fake_time: FakeTime
) -> None:
    sent: list[int] = []
    site = Site({"news.example/drip": dripping(fake_time, 0.5, sent)})
    result = make_fetcher(site, retries=0, max_seconds=60.0).fetch("https://news.example/drip")
    assert result.ok
    assert result.content == (b"<p>" + b"x" * 7) * 100  # 100 chunks over 50 s
    assert fake_time.now == 50.0


def test_max_seconds_counts_from_the_request_not_from_the_pacing_wait(
    make_fetcher: Callable[..., Fetcher], fake_time: FakeTime
) -> None:
    sent: list[int] = []
    site = Site({"news.example/a": page(HTML), "news.example/drip": dripping(fake_time, 1.0, sent)})
    fetcher = make_fetcher(site, retries=0, per_host_delay=30.0, max_seconds=110.0)
    assert fetcher.fetch("https://news.example/a").ok
    # /drip waits 30 s for its turn, then takes 100 s: over 110 s from the call, within 110 s from the request.
    assert fetcher.fetch("https://news.example/drip").ok
    assert fake_time.sleeps == [30.0]


def test_a_body_past_max_seconds_is_retried_like_any_timeout(
    make_fetcher: Callable[..., Fetcher], fake_time: FakeTime
) -> None:
    sent: list[int] = []
    site = Site({"news.example/drip": dripping(fake_time, 10.0, sent)})
    fetcher = make_fetcher(site, retries=1, per_host_delay=0.0, max_seconds=25.0)
    assert fetcher.fetch("https://news.example/drip").error == "timeout"
    assert site.requests == ["news.example/drip", "news.example/drip"]
    assert fetcher.counts["retries"] == 1


# size and content type


def test_a_declared_length_over_the_cap_is_refused_without_reading(make_fetcher: Callable[..., Fetcher]) -> None:
    read: list[bytes] = []

    def body() -> Iterator[bytes]:
        read.append(b"x")
        yield b"<p>" + b"x" * 5000

    def big(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/html", "content-length": "5003"}, content=body())

    result = make_fetcher(Site({"news.example/big": big}), max_bytes=1000).fetch("https://news.example/big")
    assert (result.error, result.status, result.content) == ("too_large", 200, None)
    assert "over the cap of 1000 bytes" in result.detail
    assert read == []


def test_a_streamed_body_is_cut_off_at_the_cap(make_fetcher: Callable[..., Fetcher]) -> None:
    chunks_sent: list[int] = []

    def endless() -> Iterator[bytes]:
        for number in range(1000):
            chunks_sent.append(number)
            yield b"<p>" + b"x" * 97

    def big(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/html"}, content=endless())

    result = make_fetcher(Site({"news.example/big": big}), max_bytes=1000).fetch("https://news.example/big")
    assert result.error == "too_large"
    assert len(chunks_sent) < 20  # 100-byte chunks: the reader stops just past 1000 bytes, not at 100,000


def test_a_body_exactly_at_the_cap_is_accepted(make_fetcher: Callable[..., Fetcher]) -> None:
    body = b"<p>" + b"x" * 997
    result = make_fetcher(Site({"news.example/a": page(body)}), max_bytes=1000).fetch("https://news.example/a")
    assert result.ok
    assert result.content == body


def test_an_unaccepted_content_type_is_refused(make_fetcher: Callable[..., Fetcher]) -> None:
    site = Site({"news.example/photo": page(b"\x89PNG", content_type="image/png")})
    result = make_fetcher(site).fetch("https://news.example/photo")
    assert result.error == "unsupported_content_type"
    assert result.detail.startswith("content type image/png is not one of text/html, ")


def test_a_missing_content_type_is_accepted_only_for_markup(make_fetcher: Callable[..., Fetcher]) -> None:
    site = Site(
        {
            "news.example/markup": page(b"\xef\xbb\xbf\n  <rss version='2.0'></rss>", content_type=None),
            "news.example/binary": page(b"\x00\x01binary", content_type=None),
        }
    )
    fetcher = make_fetcher(site)
    markup = fetcher.fetch("https://news.example/markup")
    assert (markup.ok, markup.content_type) == (True, None)
    assert fetcher.fetch("https://news.example/binary").error == "unsupported_content_type"


# robots.txt


ROBOTS = b"User-agent: *\nDisallow: /private\n\nUser-agent: parallax\nDisallow: /drafts\nCrawl-delay: 5\n"


def test_robots_disallowed_path_is_not_requested(make_fetcher: Callable[..., Fetcher]) -> None:
    site = Site({"news.example/robots.txt": page(ROBOTS, content_type="text/plain")})
    fetcher = make_fetcher(site, respect_robots=True)
    result = fetcher.fetch("https://news.example/drafts/x?id=1")
    assert result.error == "robots_disallowed"
    assert result.detail == "robots.txt of news.example disallows /drafts/x?id=1 for parallax"
    assert site.requests == ["news.example/robots.txt"]


def test_robots_group_for_parallax_replaces_the_star_group(make_fetcher: Callable[..., Fetcher]) -> None:
    site = Site({"news.example/robots.txt": page(ROBOTS), "news.example/private": page(HTML)})
    result = make_fetcher(site, respect_robots=True).fetch("https://news.example/private")
    assert result.ok  # only the "parallax" group applies to parallax, and it does not disallow /private


def test_robots_is_fetched_once_per_origin(make_fetcher: Callable[..., Fetcher]) -> None:
    site = Site({"news.example/robots.txt": page(b"User-agent: *\nAllow: /\n"), "news.example/a": page(HTML)})
    fetcher = make_fetcher(site, respect_robots=True)
    assert fetcher.fetch("https://news.example/a").ok
    assert fetcher.fetch("https://news.example/b").error == "http_error"
    assert site.requests == ["news.example/robots.txt", "news.example/a", "news.example/b"]
    assert (fetcher.counts["robots"], fetcher.counts["network"]) == (1, 2)


def test_robots_4xx_allows_everything(make_fetcher: Callable[..., Fetcher]) -> None:
    site = Site({"news.example/robots.txt": page(b"", status=403), "news.example/a": page(HTML)})
    assert make_fetcher(site, respect_robots=True).fetch("https://news.example/a").ok


def test_robots_5xx_disallows_everything(make_fetcher: Callable[..., Fetcher]) -> None:
    site = Site({"news.example/robots.txt": page(b"", status=500), "news.example/a": page(HTML)})
    result = make_fetcher(site, respect_robots=True, retries=0).fetch("https://news.example/a")
    assert result.error == "robots_disallowed"
    assert result.detail == ("robots.txt of news.example answered HTTP 500, so nothing there may be fetched (RFC 9309)")
    assert "news.example/a" not in site.requests


def test_robots_429_disallows_everything(make_fetcher: Callable[..., Fetcher]) -> None:
    site = Site({"news.example/robots.txt": page(b"", status=429), "news.example/a": page(HTML)})
    result = make_fetcher(site, respect_robots=True, retries=0).fetch("https://news.example/a")
    assert result.error == "robots_disallowed"


def test_unreachable_robots_disallows_everything(make_fetcher: Callable[..., Fetcher]) -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    site = Site({"news.example/robots.txt": refused, "news.example/a": page(HTML)})
    assert make_fetcher(site, respect_robots=True, retries=0).fetch("https://news.example/a").error == (
        "robots_disallowed"
    )


def test_crawl_delay_raises_the_per_host_delay(make_fetcher: Callable[..., Fetcher], fake_time: FakeTime) -> None:
    site = Site({"news.example/robots.txt": page(ROBOTS), "news.example/a": page(HTML), "news.example/b": page(HTML)})
    fetcher = make_fetcher(site, respect_robots=True, per_host_delay=1.0)
    assert fetcher.fetch("https://news.example/a").ok
    assert fetcher.fetch("https://news.example/b").ok
    # robots.txt at 0; /a one per_host_delay later (1.0); /b a Crawl-delay (5) after /a.
    assert fake_time.sleeps == [1.0, 5.0]


def test_robots_of_a_redirect_target_is_checked(make_fetcher: Callable[..., Fetcher]) -> None:
    site = Site(
        {
            "short.example/x": redirect("https://news.example/drafts/1"),
            "news.example/robots.txt": page(ROBOTS),
        }
    )
    result = make_fetcher(site, respect_robots=True).fetch("https://short.example/x")
    assert result.error == "robots_disallowed"
    assert result.final_url == "https://news.example/drafts/1"
    assert "news.example/drafts/1" not in site.requests


# redirects and private addresses


def test_redirects_are_followed_to_the_final_url(make_fetcher: Callable[..., Fetcher]) -> None:
    site = Site({"news.example/old": redirect("/new#x", status=301), "news.example/new": page(HTML)})
    result = make_fetcher(site).fetch("https://news.example/old")
    assert (result.ok, result.final_url, result.normalized_url) == (
        True,
        "https://news.example/new",
        "https://news.example/old",
    )


def test_too_many_redirects(make_fetcher: Callable[..., Fetcher]) -> None:
    site = Site({"news.example/a": redirect("/b"), "news.example/b": redirect("/a")})
    result = make_fetcher(site, max_redirects=3).fetch("https://news.example/a")
    assert result.error == "too_many_redirects"
    assert len(site.requests) == 4  # the first request and three redirects followed
    assert "more than 3 redirects" in result.detail


def test_a_redirect_to_another_scheme_is_an_invalid_url(make_fetcher: Callable[..., Fetcher]) -> None:
    site = Site({"news.example/a": redirect("ftp://news.example/file")})
    assert make_fetcher(site).fetch("https://news.example/a").error == "invalid_url"


def resolver(table: dict[str, list[str]], asked: list[str] | None = None) -> Callable[[str], list[str]]:
    def resolve(host: str) -> list[str]:
        if asked is not None:
            asked.append(host)
        if host not in table:
            raise OSError("Name or service not known")
        return table[host]

    return resolve


def test_a_host_resolving_to_a_private_address_is_refused(make_fetcher: Callable[..., Fetcher]) -> None:
    site = Site({"intranet.example/": page(HTML)})
    resolve = resolver({"intranet.example": ["93.184.216.34", "10.1.2.3"]})
    result = make_fetcher(site, resolve, refuse_private=True).fetch("http://intranet.example/")
    assert result.error == "private_address"
    assert result.detail == "intranet.example resolves to 10.1.2.3, a private address (FetchOptions.refuse_private)"
    assert site.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://169.254.169.254/latest/meta-data",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://192.168.1.1:8080/",
        "http://100.64.0.1/",
    ],
)
def test_literal_private_addresses_are_refused_without_resolving(
    make_fetcher: Callable[..., Fetcher], url: str
) -> None:
    asked: list[str] = []
    result = make_fetcher(Site(), resolver({}, asked), refuse_private=True).fetch(url)
    assert result.error == "private_address"
    assert asked == []


def test_an_unresolvable_host_is_a_connection_error(make_fetcher: Callable[..., Fetcher]) -> None:
    result = make_fetcher(Site(), resolver({}), refuse_private=True).fetch("http://nowhere.example/")
    assert result.error == "connection_error"
    assert "cannot resolve nowhere.example" in result.detail


@pytest.mark.parametrize(("refuse_private", "error"), [(True, "private_address"), (False, None)])
def test_a_redirect_to_loopback_is_checked_on_its_hop(
    make_fetcher: Callable[..., Fetcher], refuse_private: bool, error: str | None
) -> None:
    site = Site({"news.example/a": redirect("http://127.0.0.1/admin"), "127.0.0.1/admin": page(HTML)})
    resolve = resolver({"news.example": ["93.184.216.34"]})
    result = make_fetcher(site, resolve, refuse_private=refuse_private).fetch("https://news.example/a")
    assert result.error == error
    assert result.final_url == "http://127.0.0.1/admin"
    assert ("127.0.0.1/admin" in site.requests) is not refuse_private


# cache


def test_a_cached_page_is_served_without_the_network(make_fetcher: Callable[..., Fetcher], tmp_path: Path) -> None:
    site = Site({"news.example/a": page(HTML, etag='"v1"')})
    first = make_fetcher(site, cache_dir=tmp_path).fetch("https://news.example/a?utm_source=x")
    second_fetcher = make_fetcher(site, cache_dir=tmp_path)
    second = second_fetcher.fetch("https://news.example/a")
    assert (first.from_cache, second.from_cache) == (False, True)
    assert second.content == HTML
    assert (second.status, second.content_type, second.final_url) == (200, "text/html", first.final_url)
    assert site.requests == ["news.example/a"]
    assert second_fetcher.counts == {"cache_hit": 1}
    assert not list(tmp_path.glob("*.tmp")), "temporary files are renamed or removed"


def test_404_is_cached_as_a_negative_entry(make_fetcher: Callable[..., Fetcher], tmp_path: Path) -> None:
    site = Site()
    make_fetcher(site, cache_dir=tmp_path).fetch("https://news.example/gone")
    again = make_fetcher(site, cache_dir=tmp_path).fetch("https://news.example/gone")
    assert (again.error, again.status, again.from_cache) == ("http_error", 404, True)
    assert site.requests == ["news.example/gone"]


def test_server_errors_are_not_cached(make_fetcher: Callable[..., Fetcher], tmp_path: Path) -> None:
    site = Site({"news.example/a": page(status=503)})
    make_fetcher(site, cache_dir=tmp_path, retries=0).fetch("https://news.example/a")
    make_fetcher(site, cache_dir=tmp_path, retries=0).fetch("https://news.example/a")
    assert site.requests == ["news.example/a", "news.example/a"]
    assert list(tmp_path.iterdir()) == []


def test_a_stale_entry_is_revalidated_and_304_keeps_the_body(
    make_fetcher: Callable[..., Fetcher], tmp_path: Path
) -> None:
    def conditional(request: httpx.Request) -> httpx.Response:
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304, headers={"etag": '"v1"'})
        return page(HTML, etag='"v1"', last_modified="Mon, 23 Nov 2026 10:00:00 GMT")(request)

    site = Site({"news.example/a": conditional})
    make_fetcher(site, cache_dir=tmp_path, cache_ttl=0.0).fetch("https://news.example/a")
    fetcher = make_fetcher(site, cache_dir=tmp_path, cache_ttl=0.0)
    result = fetcher.fetch("https://news.example/a")
    assert (result.ok, result.content, result.from_cache, result.status) == (True, HTML, True, 200)
    assert site.headers[1]["if-modified-since"] == "Mon, 23 Nov 2026 10:00:00 GMT"
    assert fetcher.counts["revalidated"] == 1


def test_a_stale_entry_that_changed_is_replaced(make_fetcher: Callable[..., Fetcher], tmp_path: Path) -> None:
    answers = in_turn(page(b"<p>first</p>", etag='"1"'), page(b"<p>second</p>", etag='"2"'))
    site = Site({"news.example/a": answers})
    make_fetcher(site, cache_dir=tmp_path, cache_ttl=0.0).fetch("https://news.example/a")
    changed = make_fetcher(site, cache_dir=tmp_path, cache_ttl=0.0).fetch("https://news.example/a")
    cached = make_fetcher(site, cache_dir=tmp_path).fetch("https://news.example/a")
    assert (changed.content, changed.from_cache) == (b"<p>second</p>", False)
    assert (cached.content, cached.from_cache) == (b"<p>second</p>", True)


@pytest.mark.parametrize("damage", ["json", "body", "missing_body", "wrong_shape"])
def test_a_corrupt_cache_entry_is_ignored_and_refetched(
    make_fetcher: Callable[..., Fetcher], tmp_path: Path, damage: str
) -> None:
    site = Site({"news.example/a": page(HTML)})
    make_fetcher(site, cache_dir=tmp_path).fetch("https://news.example/a")
    [meta] = tmp_path.glob("*.json")
    body = meta.with_suffix(".body")
    if damage == "json":
        meta.write_text('{"url": "https://news.example/a", "sta')
    elif damage == "body":
        body.write_bytes(HTML[:10])
    elif damage == "missing_body":
        body.unlink()
    else:
        meta.write_text(json.dumps(["not", "an", "entry"]))
    result = make_fetcher(site, cache_dir=tmp_path).fetch("https://news.example/a")
    assert (result.ok, result.content, result.from_cache) == (True, HTML, False)
    assert len(site.requests) == 2


class WallClock:
    """Stands in for the `time` module of the cache, so an entry can be aged without waiting."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def time(self) -> float:
        return self.now


@pytest.fixture
def wall_clock(monkeypatch: pytest.MonkeyPatch) -> WallClock:
    clock = WallClock()
    monkeypatch.setattr(fetch_cache, "time", clock)
    return clock


@pytest.mark.parametrize(
    ("cache_control", "cache_ttl", "age", "fresh"),
    [
        ("max-age=60", 3600.0, 59.0, True),
        ("max-age=60", 3600.0, 61.0, False),  # shorter than cache_ttl: the site's wish wins
        ('public, MAX-AGE="60"', 3600.0, 61.0, False),
        ("max-age=7200", 3600.0, 3601.0, False),  # longer than cache_ttl: it does not keep a copy longer
        ("max-age=soon", 3600.0, 1.0, False),  # unreadable: stale at once (RFC 9111 4.2.1)
        ("max-age=60, max-age=7200", 3600.0, 61.0, False),  # the first of two counts
    ],
)
def test_a_shorter_max_age_makes_a_cached_page_stale_sooner(
    make_fetcher: Callable[..., Fetcher],
    tmp_path: Path,
    wall_clock: WallClock,
    cache_control: str,
    cache_ttl: float,
    age: float,
    fresh: bool,
) -> None:
    site = Site({"news.example/a": page(HTML, cache_control=cache_control)})
    make_fetcher(site, cache_dir=tmp_path, cache_ttl=cache_ttl).fetch("https://news.example/a")
    wall_clock.now += age
    again = make_fetcher(site, cache_dir=tmp_path, cache_ttl=cache_ttl).fetch("https://news.example/a")
    assert again.from_cache is fresh
    assert len(site.requests) == (1 if fresh else 2)


@pytest.mark.parametrize(("on_304", "fresh_after"), [(None, False), ("max-age=600", True)])
def test_a_304_replaces_the_max_age_only_when_it_sends_one(
    make_fetcher: Callable[..., Fetcher], tmp_path: Path, wall_clock: WallClock, on_304: str | None, fresh_after: bool
) -> None:
    not_modified = {"etag": '"v1"'} | ({"cache-control": on_304} if on_304 else {})
    answers = in_turn(
        page(HTML, etag='"v1"', cache_control="max-age=0"),
        lambda request: httpx.Response(304, headers=not_modified),
        page(HTML, etag='"v1"'),
    )
    site = Site({"news.example/a": answers})
    make_fetcher(site, cache_dir=tmp_path).fetch("https://news.example/a")
    revalidated = make_fetcher(site, cache_dir=tmp_path).fetch("https://news.example/a")
    wall_clock.now += 300
    third = make_fetcher(site, cache_dir=tmp_path).fetch("https://news.example/a")
    assert (revalidated.from_cache, revalidated.detail) == (True, "revalidated (HTTP 304)")
    assert len(site.requests) == (2 if fresh_after else 3)
    assert third.content == HTML


def test_an_entry_written_before_max_age_was_stored_still_loads(
    make_fetcher: Callable[..., Fetcher], tmp_path: Path
) -> None:
    site = Site({"news.example/a": page(HTML)})
    make_fetcher(site, cache_dir=tmp_path).fetch("https://news.example/a")
    [meta] = tmp_path.glob("*.json")
    older = json.loads(meta.read_text())
    del older["max_age"]
    meta.write_text(json.dumps(older))
    assert make_fetcher(site, cache_dir=tmp_path).fetch("https://news.example/a").from_cache
    assert len(site.requests) == 1


@pytest.mark.parametrize("status", [200, 404])
def test_a_no_store_answer_is_never_written(make_fetcher: Callable[..., Fetcher], tmp_path: Path, status: int) -> None:
    site = Site({"news.example/a": page(HTML, status=status, cache_control="private, No-Store")})
    first = make_fetcher(site, cache_dir=tmp_path).fetch("https://news.example/a")
    second = make_fetcher(site, cache_dir=tmp_path).fetch("https://news.example/a")
    assert (first.status, second.status, second.from_cache) == (status, status, False)
    assert list(tmp_path.iterdir()) == []
    assert len(site.requests) == 2


def test_a_no_store_answer_drops_the_older_entry(make_fetcher: Callable[..., Fetcher], tmp_path: Path) -> None:
    answers = in_turn(
        page(b"<p>first</p>", etag='"1"'), page(b"<p>second</p>", cache_control="no-store"), page(b"<p>third</p>")
    )
    site = Site({"news.example/a": answers})
    make_fetcher(site, cache_dir=tmp_path).fetch("https://news.example/a")
    second = make_fetcher(site, cache_dir=tmp_path, cache_ttl=0.0).fetch("https://news.example/a")
    third = make_fetcher(site, cache_dir=tmp_path).fetch("https://news.example/a")
    assert (second.content, second.from_cache) == (b"<p>second</p>", False)
    assert (third.content, third.from_cache) == (b"<p>third</p>", False)  # "first" was not kept to serve here
    assert site.headers[2].get("if-none-match") is None


# fetch_many and pacing


def test_fetch_many_keeps_input_order_and_fetches_duplicates_once(make_fetcher: Callable[..., Fetcher]) -> None:
    site = Site({f"news.example/{name}": page(f"<p>{name}</p>".encode()) for name in "abcd"})
    urls = [
        "https://news.example/c",
        "https://news.example/a?utm_source=feed",
        "ftp://news.example/x",
        "https://news.example/b",
        "https://NEWS.example/a#comments",
        "https://news.example/d",
        "https://news.example/c?fbclid=1",
    ]
    fetcher = make_fetcher(site, concurrency=4, per_host_concurrency=4, per_host_delay=0.0)
    results = list(fetcher.fetch_many(urls))
    assert [r.url for r in results] == urls
    assert [r.content for r in results] == [
        b"<p>c</p>",
        b"<p>a</p>",
        None,
        b"<p>b</p>",
        b"<p>a</p>",
        b"<p>d</p>",
        b"<p>c</p>",
    ]
    assert results[2].error == "invalid_url"
    assert sorted(site.requests) == ["news.example/a", "news.example/b", "news.example/c", "news.example/d"]


def test_fetch_many_fetches_robots_once_per_origin(make_fetcher: Callable[..., Fetcher]) -> None:
    site = Site({"news.example/robots.txt": page(b"User-agent: *\nDisallow: /x\n")})
    site.routes.update({f"news.example/{n}": page(HTML) for n in range(12)})
    fetcher = make_fetcher(site, respect_robots=True, concurrency=8, per_host_concurrency=4, per_host_delay=0.0)
    results = list(fetcher.fetch_many([f"https://news.example/{n}" for n in range(12)] + ["https://news.example/x"]))
    assert [r.ok for r in results] == [True] * 12 + [False]
    assert site.requests.count("news.example/robots.txt") == 1


def test_fetch_many_keeps_to_the_per_host_concurrency(make_fetcher: Callable[..., Fetcher]) -> None:
    lock = threading.Lock()
    in_flight = [0]
    most = [0]
    never = threading.Event()

    def tracked(request: httpx.Request) -> httpx.Response:
        with lock:
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])
        never.wait(0.01)  # overlap requests a little, so a missing limit would show
        with lock:
            in_flight[0] -= 1
        return httpx.Response(200, content=HTML, headers={"content-type": "text/html"})

    site = Site({f"news.example/{n}": tracked for n in range(8)})
    fetcher = make_fetcher(site, concurrency=8, per_host_concurrency=2, per_host_delay=0.0)
    assert all(r.ok for r in fetcher.fetch_many([f"https://news.example/{n}" for n in range(8)]))
    assert 1 <= most[0] <= 2


def test_fetch_many_can_be_abandoned_midway(make_fetcher: Callable[..., Fetcher]) -> None:
    site = Site({f"news.example/{n}": page(HTML) for n in range(50)})
    fetcher = make_fetcher(site, concurrency=2, per_host_concurrency=2, per_host_delay=0.0)
    first_two = list(itertools.islice(fetcher.fetch_many([f"https://news.example/{n}" for n in range(50)]), 2))
    assert [r.url for r in first_two] == ["https://news.example/0", "https://news.example/1"]
    assert len(site.requests) < 50  # the window ahead is bounded and the rest is cancelled


def test_per_host_delay_spaces_requests_to_one_host(make_fetcher: Callable[..., Fetcher], fake_time: FakeTime) -> None:
    site = Site({f"{host}/{name}": page(HTML) for host in ("a.example", "b.example") for name in "xyz"})
    fetcher = make_fetcher(site, per_host_delay=2.0)
    for url in ["https://a.example/x", "https://b.example/x", "https://a.example/y", "https://a.example/z"]:
        assert fetcher.fetch(url).ok
    assert fake_time.sleeps == [2.0, 2.0]  # b.example starts at once; a.example's second and third wait


def test_counts_name_every_error_reason(make_fetcher: Callable[..., Fetcher]) -> None:
    site = Site({"news.example/photo": page(b"x", content_type="image/png")})
    fetcher = make_fetcher(site)
    fetcher.fetch("https://news.example/photo")
    fetcher.fetch("https://news.example/gone")
    fetcher.fetch("gopher://x")
    assert set(fetcher.counts) - {"network"} <= set(FETCH_ERRORS)
    assert fetcher.counts == {"network": 2, "unsupported_content_type": 1, "http_error": 1, "invalid_url": 1}


def test_options_of_the_wrong_type_are_misuse() -> None:
    with pytest.raises(TypeError, match="FetchOptions"):
        Fetcher({"timeout": 1.0})  # type: ignore[arg-type]


def test_the_fetcher_is_a_context_manager() -> None:
    with Fetcher(transport=httpx.MockTransport(Site())) as fetcher:
        assert isinstance(fetcher, Fetcher)
    with pytest.raises(RuntimeError):
        fetcher._client.get("https://news.example/")
