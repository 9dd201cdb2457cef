"""The fetcher against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from localserver import DRIP_CHUNK, LocalServer, Route
from parallax.fetch import Fetcher, FetchOptions

HTML = b"<html><body><p>Report</p></body></html>"
FAST = FetchOptions(per_host_delay=0.0, retries=0, timeout=5.0)


def test_a_page_is_fetched() -> None:
    with LocalServer({"/story": Route(body=HTML)}) as server, Fetcher(FAST) as fetcher:
        result = fetcher.fetch(server.url("/story?utm_source=feed"))
        assert (result.ok, result.status, result.content_type, result.content) == (True, 200, "text/html", HTML)
        assert server.requests == ["/robots.txt", "/story?utm_source=feed"]


def test_a_missing_page_is_an_http_error() -> None:
    with LocalServer() as server, Fetcher(FAST) as fetcher:
        result = fetcher.fetch(server.url("/gone"))
        assert (result.error, result.status, result.detail) == ("http_error", 404, "HTTP 404")


def test_a_slow_page_times_out() -> None:
    options = FetchOptions(per_host_delay=0.0, retries=0, timeout=0.2, respect_robots=False)
    with LocalServer({"/slow": Route(body=HTML, delay=1.0)}) as server, Fetcher(options) as fetcher:
        result = fetcher.fetch(server.url("/slow"))
        assert (result.error, result.detail) == ("timeout", "timed out after 0.2 s")


def test_a_body_dripped_slower_than_max_seconds_times_out() -> None:
    body = b"<p>" + b"x" * (40 * DRIP_CHUNK)  # 41 chunks 0.05 s apart: 2 s to send, each read well within timeout
    options = FetchOptions(per_host_delay=0.0, retries=0, timeout=5.0, max_seconds=0.5, respect_robots=False)
    with LocalServer({"/drip": Route(body=body, drip=0.05)}) as server, Fetcher(options) as fetcher:
        result = fetcher.fetch(server.url("/drip"))
    assert (result.error, result.status, result.content) == ("timeout", 200, None)
    assert result.detail == "body not complete after 0.5 s (FetchOptions.max_seconds)"


def test_a_dripped_body_that_ends_within_max_seconds_is_read_whole() -> None:
    body = b"<p>" + b"x" * (4 * DRIP_CHUNK)
    options = FetchOptions(per_host_delay=0.0, retries=0, timeout=5.0, max_seconds=5.0, respect_robots=False)
    with LocalServer({"/drip": Route(body=body, drip=0.01)}) as server, Fetcher(options) as fetcher:
        result = fetcher.fetch(server.url("/drip"))
    assert (result.ok, result.content) == (True, body)


def test_robots_txt_disallowing_a_path_is_respected() -> None:
    routes = {
        "/robots.txt": Route(body=b"User-agent: parallax\nDisallow: /drafts/\n", content_type="text/plain"),
        "/drafts/1": Route(body=HTML),
        "/story": Route(body=HTML),
    }
    with LocalServer(routes) as server, Fetcher(FAST) as fetcher:
        assert fetcher.fetch(server.url("/drafts/1")).error == "robots_disallowed"
        assert fetcher.fetch(server.url("/story")).ok
        assert server.requests == ["/robots.txt", "/story"]


def test_a_second_fetcher_with_the_same_cache_makes_no_requests(tmp_path: Path) -> None:
    options = FetchOptions(per_host_delay=0.0, retries=0, timeout=5.0, cache_dir=tmp_path / "cache")
    routes = {"/a": Route(body=HTML), "/b": Route(body=b"<p>b</p>", headers={"ETag": '"b1"'})}
    with LocalServer(routes) as server:
        urls = [server.url("/a"), server.url("/b"), server.url("/gone")]
        with Fetcher(options) as fetcher:
            first = list(fetcher.fetch_many(urls))
        seen = len(server.requests)
        with Fetcher(options) as fetcher:
            second = list(fetcher.fetch_many(urls))
        assert seen == 4  # robots.txt, /a, /b and /gone
        assert server.requests[seen:] == []
        assert [r.content for r in second] == [r.content for r in first] == [HTML, b"<p>b</p>", None]
        assert [r.from_cache for r in second] == [True, True, True]
        assert fetcher.counts == {"cache_hit": 3, "http_error": 1}


def test_the_server_redirect_is_followed() -> None:
    routes = {"/old": Route(status=301, headers={"Location": "/new"}), "/new": Route(body=HTML)}
    with LocalServer(routes) as server, Fetcher(FAST) as fetcher:
        result = fetcher.fetch(server.url("/old"))
        assert (result.ok, result.final_url) == (True, server.url("/new"))


def test_a_page_behind_loopback_is_refused_when_fetching_for_users() -> None:
    options = FetchOptions(per_host_delay=0.0, retries=0, refuse_private=True)
    with LocalServer({"/story": Route(body=HTML)}) as server, Fetcher(options) as fetcher:
        assert fetcher.fetch(server.url("/story")).error == "private_address"
        assert server.requests == []
