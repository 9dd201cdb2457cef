"""Feeds, URL lists and URLs, served by a real HTTP server on 127.0.0.1 and read through the real fetcher."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from localserver import LocalServer, Route
from parallax.fetch import FetchOptions
from parallax.pipeline import Options, ingest
from parallax.read import Reader, ReadOptions
from parallax.store import Store

CITIES = [
    "Brussels", "Geneva", "Vienna", "Ankara", "Tbilisi", "Yerevan", "Baku", "Moscow", "Paris", "Berlin",
    "Rome", "Madrid", "Lisbon", "Warsaw", "Prague", "Oslo", "Helsinki", "Athens", "Sofia", "Riga",
]  # fmt: skip


def page(number: int) -> bytes:
    city = CITIES[number % len(CITIES)]
    return (
        f"<!doctype html><html><head><title>Talks in {city}</title>"
        f'<meta property="og:site_name" content="Local Wire"></head><body><article><h1>Talks in {city}</h1>'
        f"<p>Delegations met in {city} on day {number} of the negotiations about the corridor.</p>"
        f"<p>Officials in {city} said the {number}th round ended without a joint statement.</p>"
        "</article></body></html>"
    ).encode()


def feed(items: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
        "<pubDate>Sun, 16 Jul 2023 10:00:00 GMT</pubDate><author>desk@example.org (News Desk)</author></item>"
        for title, link in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Local Wire</title>{entries}</channel></rss>'
    ).encode()


def options(tmp_path: Path) -> ReadOptions:
    fetch = FetchOptions(cache_dir=tmp_path / "cache", per_host_delay=0.0, retries=0, timeout=2.0)
    return ReadOptions(fetch=fetch)


def serve_feed_of_twenty(server: LocalServer) -> None:
    """17 HTML pages and one plain-text page, one page again behind tracking parameters, one link that 404s."""
    items: list[tuple[str, str]] = []
    for number in range(1, 18):
        server.routes[f"/news/{number}"] = Route(body=page(number))
        items.append((f"Story {number}", server.url(f"/news/{number}")))
    server.routes["/news/plain"] = Route(
        body=b"Plain report from the wire desk.\n\nThe corridor stayed closed for a ninth day.",
        content_type="text/plain; charset=utf-8",
    )
    items.append(("Plain story", server.url("/news/plain")))
    items.append(("Story 3 again", server.url("/news/3?utm_source=rss&utm_medium=feed")))
    items.append(("Gone", server.url("/news/missing")))
    server.routes["/feed.xml"] = Route(body=feed(items), content_type="application/rss+xml")


def test_a_feed_of_twenty_items_ingests_eighteen_articles_and_explains_the_other_two(tmp_path: Path) -> None:
    with LocalServer() as server, Store.open(tmp_path / "p.db") as store:
        serve_feed_of_twenty(server)
        run = Options(read=options(tmp_path))
        first = ingest([server.url("/feed.xml")], store, run)
        assert first.added == 18
        assert len(set(first.article_ids)) == 18
        reasons = {item.source.rsplit("/", 1)[-1]: item.reason for item in first.stages[0].dropped_items}
        assert reasons == {"3?utm_source=rss&utm_medium=feed": "duplicate_url", "missing": "http_error"}
        duplicate = next(i for i in first.stages[0].dropped_items if i.reason == "duplicate_url")
        assert duplicate.detail.endswith(f"{server.url('/news/3')} once tracking parameters are removed")
        fetched = len(server.requests)

        second = ingest([server.url("/feed.xml")], store, run)
        assert (second.added, second.existing) == (0, 18)
        assert len(server.requests) == fetched  # feed, pages and the 404 all come from the cache
        assert first.stages[0].counts["fetch_network"] == fetched - 1  # robots.txt is counted apart
        assert second.stages[0].counts["fetch_cache_hit"] == 20  # the feed and its 19 distinct links
        assert second.stages[0].counts["fetch_network"] == 0


def test_feed_entry_metadata_is_kept_and_the_page_metadata_wins(tmp_path: Path) -> None:
    with LocalServer() as server:
        server.routes["/a"] = Route(body=page(1))
        server.routes["/feed"] = Route(body=feed([("Entry title", server.url("/a"))]), content_type="text/xml")
        [article] = list(Reader([server.url("/feed")], options(tmp_path)))
    assert article.title == "Talks in Geneva"  # the page's own title
    assert article.provenance["title"] == "html_meta"
    assert str(article.published) == "2023-07-16"  # only the feed gives a date
    assert article.provenance["published"] == "feed"
    assert article.url == server.url("/a")
    assert article.source == server.url("/a")


def test_non_html_links_and_timeouts_are_explained(tmp_path: Path) -> None:
    with LocalServer() as server:
        server.routes["/photo.png"] = Route(body=b"\x89PNG\r\n\x1a\n", content_type="image/png")
        server.routes["/slow"] = Route(body=page(2), delay=1.5)
        server.routes["/ok"] = Route(body=page(3))
        listing = [("Photo", server.url("/photo.png")), ("Slow", server.url("/slow")), ("Ok", server.url("/ok"))]
        server.routes["/feed"] = Route(body=feed(listing), content_type="application/rss+xml")
        fetch = FetchOptions(per_host_delay=0.0, retries=0, timeout=0.3)
        reader = Reader([server.url("/feed")], ReadOptions(fetch=fetch))
        articles = list(reader)
    assert [a.title for a in articles] == ["Talks in Ankara"]
    assert reader.report.dropped == {"unsupported_content_type": 1, "timeout": 1}


def test_malformed_feed_is_dropped_with_its_reason(tmp_path: Path) -> None:
    (tmp_path / "broken.rss").write_bytes(b'<?xml version="1.0"?><rss><channel><item><title>x</ti')
    reader = Reader([tmp_path / "broken.rss"], options(tmp_path))
    assert list(reader) == []
    assert reader.report.dropped == {"invalid_feed": 1}


def test_a_url_list_file_fetches_each_url_once(tmp_path: Path) -> None:
    with LocalServer() as server:
        server.routes["/a"] = Route(body=page(4))
        server.routes["/b"] = Route(body=page(5))
        (tmp_path / "links.txt").write_text(
            f"# saved links\n{server.url('/a')}\n{server.url('/b')}\n{server.url('/a#comments')}\n", encoding="utf-8"
        )
        reader = Reader([tmp_path / "links.txt"], options(tmp_path))
        articles = list(reader)
        assert sorted(server.requests) == ["/a", "/b", "/robots.txt"]
    assert [a.title for a in articles] == ["Talks in Tbilisi", "Talks in Yerevan"]
    assert reader.report.dropped == {"duplicate_url": 1}


def test_a_url_given_directly_is_fetched(tmp_path: Path) -> None:
    with LocalServer() as server:
        server.routes["/a"] = Route(body=page(6))
        [article] = list(Reader([server.url("/a")], options(tmp_path)))
    assert article.outlet == "Local Wire"


def test_fetching_off_explains_instead_of_fetching(tmp_path: Path) -> None:
    (tmp_path / "links.urls").write_text("https://news.example/a\n", encoding="utf-8")
    reader = Reader([tmp_path / "links.urls"], ReadOptions(fetch=None))
    assert list(reader) == []
    assert reader.report.dropped == {"fetching_off": 1}


def test_one_article_at_two_addresses_is_stored_once_and_linked_to_both(tmp_path: Path) -> None:
    with LocalServer() as server, Store.open(tmp_path / "p.db") as store:
        server.routes["/world/talks"] = Route(body=page(7))
        server.routes["/amp/world/talks"] = Route(body=page(7))
        run = Options(read=options(tmp_path))
        first = ingest([server.url("/world/talks"), server.url("/amp/world/talks")], store, run)
        [article] = store.articles()
        sources = store.article_sources(article.id)
    assert (first.added, first.existing) == (1, 1)
    assert sorted(sources) == [server.url("/amp/world/talks"), server.url("/world/talks")]
