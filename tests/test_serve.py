"""The web app and REST API: pages and their JSON twins, filters and paging, adding articles behind the write
token, hostile articles shown as text; in-process (TestClient) and as a real server on 127.0.0.1."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from localserver import LocalServer, Route
from parallax.pipeline import analyze
from parallax.serve import CONTENT_SECURITY_POLICY, create_app
from parallax.store import Store
from parallax.web_write import WriteSettings

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "karabakh-2023"
HOSTILE = (
    "Evil page\n\n<script>alert(1)</script> and <img src=x onerror=alert(2)> happened. "
    '<a href="javascript:alert(3)">click</a> [md](javascript:alert(4)) <svg onload=alert(5)></svg>'
    " <iframe src=javascript:alert(6)></iframe> <div hx-get=/api/stories hx-trigger=load>x</div>"
)
TOKEN = "test-token-123"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("serve")
    inputs = folder / "inputs"
    inputs.mkdir()
    (inputs / "hostile.txt").write_text(HOSTILE)
    (inputs / ".parallax-metadata.json").write_text(
        '{"hostile.txt": {"outlet": "Evil Times", "published": "2023-01-10", "language": "xx"}}'
    )
    path = folder / "p.db"
    with Store.open(path) as store:
        analyze([EXAMPLE, inputs], store)
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(db))


@pytest.fixture
def writable_db(db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "w.db"
    shutil.copy(db, copy)
    return copy


@pytest.fixture
def writer(writable_db: Path) -> TestClient:
    return TestClient(create_app(writable_db, token=TOKEN))


def _stories(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/api/stories", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _july_story(client: TestClient) -> dict[str, Any]:
    row = next(s for s in _stories(client)["items"] if s["articles"] == 4)
    return dict(client.get(f"/api/stories/{row['id']}").json())


class _Markup(HTMLParser):
    """Every tag and attribute of a page, to prove what a browser would see as elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _markup(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Markup()
    parser.feed(html)
    return parser.tags


# Home, lists, filters and paging


def test_home_lists_stories_with_counts_and_outlets(client: TestClient) -> None:
    html = client.get("/").text
    july = _july_story(client)
    row = html.split(f'data-story-id="{july["id"]}"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="count" data-testid="story-articles">4</td>' in row
    assert "Anadolu Agency, TRT World, The Moscow Times, Yle" in row


def test_story_list_json_has_totals_and_pages(client: TestClient) -> None:
    everything = _stories(client)
    assert everything["total"] == 3 == len(everything["items"])
    first, second = _stories(client, limit=1), _stories(client, limit=1, offset=1)
    assert first["total"] == second["total"] == 3
    assert (first["limit"], first["offset"], second["offset"]) == (1, 0, 1)
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert _stories(client, offset=3)["items"] == []


def test_home_page_links_to_the_next_page(client: TestClient) -> None:
    html = client.get("/", params={"limit": 1}).text
    assert 'href="/?offset=1&amp;limit=1">next' in html
    assert "1–1 of 3" in html
    last = client.get("/", params={"limit": 1, "offset": 2}).text
    assert 'rel="next"' not in last
    assert 'href="/?offset=1&amp;limit=1">← previous' in last


def test_story_filters_by_outlet_language_and_dates(client: TestClient) -> None:
    by_outlet = _stories(client, outlet="Evil Times")["items"]
    assert [s["outlets"] for s in by_outlet] == [["Evil Times"]]
    assert _stories(client, language="xx")["items"] == by_outlet
    assert _stories(client, outlet="Nobody")["total"] == 0
    # Only the hostile article (2023-01-10) and The Moscow Times (2023-07-16) are dated.
    assert [s["outlets"] for s in _stories(client, **{"from": "2023-01-01", "to": "2023-02-01"})["items"]] == [
        ["Evil Times"]
    ]
    july = _stories(client, **{"from": "2023-07-01"})["items"]
    assert [s["articles"] for s in july] == [4]


def test_empty_filter_fields_mean_no_filter(client: TestClient) -> None:
    assert _stories(client, **{"from": "", "to": "", "outlet": "", "language": ""})["total"] == 3
    assert client.get("/", params={"q": "", "from": "", "outlet": ""}).status_code == 200


def test_home_filter_menus_list_outlets_and_languages(client: TestClient) -> None:
    html = client.get("/", params={"outlet": "Yle"}).text
    assert '<option value="Yle" selected>Yle (1)</option>' in html
    assert '<option value="xx">xx (1)</option>' in html


def test_search_finds_articles_and_links_their_stories(client: TestClient) -> None:
    found = client.get("/api/search", params={"q": "Lachin corridor"}).json()
    assert found["total"] == len(found["items"]) >= 4
    assert all(hit["story_ids"] for hit in found["items"])
    html = client.get("/", params={"q": "Lachin corridor"}).text
    story_id = found["items"][0]["story_ids"][0]
    assert f'data-testid="search-hit-story" href="/stories/{story_id}"' in html
    assert "<mark>Lachin</mark>" in html


def test_search_is_filtered_and_paged(client: TestClient) -> None:
    trt = client.get("/api/search", params={"q": "Lachin", "outlet": "TRT World"}).json()
    assert [hit["outlet"] for hit in trt["items"]] == ["TRT World"]
    page = client.get("/api/search", params={"q": "Lachin", "limit": 1, "offset": 1}).json()
    assert len(page["items"]) == 1
    assert page["total"] > 1


def test_search_survives_fts_syntax(client: TestClient) -> None:
    for query in ['"', "NEAR(", "a*-b:c", "')--", "\x00"]:
        assert client.get("/api/search", params={"q": query}).status_code == 200
        assert client.get("/", params={"q": query}).status_code == 200


# Errors


def test_errors_have_one_json_shape(client: TestClient) -> None:
    for path in ("/api/stories/s-missing", "/api/articles/nope", "/api/nothing-here"):
        response = client.get(path)
        assert response.status_code == 404
        assert set(response.json()) == {"error"}
        assert set(response.json()["error"]) == {"status", "message"}
        assert response.json()["error"]["status"] == 404
    invalid = client.get("/api/stories", params={"limit": 0})
    assert invalid.status_code == 422
    assert "limit" in invalid.json()["error"]["message"]
    bad_date = client.get("/api/stories", params={"from": "July"}).json()
    assert bad_date == {"error": {"status": 422, "message": "from must be a date like 2023-07-20, got 'July'"}}
    assert client.delete("/api/stories/x").json()["error"]["status"] == 405


def test_unknown_pages_are_html_errors(client: TestClient) -> None:
    response = client.get("/stories/s-missing")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "no story with id" in response.text


# Story page


def test_story_page_has_a_json_twin(client: TestClient) -> None:
    july = _july_story(client)
    page = client.get(f"/stories/{july['id']}")
    assert page.status_code == 200
    assert f'data-story-id="{july["id"]}"' in page.text
    assert client.get(f"/api/stories/{july['id']}").json() == july


def test_each_fact_expands_to_its_evidence(client: TestClient) -> None:
    july = _july_story(client)
    html = client.get(f"/stories/{july['id']}").text.replace("&#34;", '"').replace("&#39;", "'")
    rows = html.split('data-testid="fact-row"')[1:]
    assert len(rows) == len(july["facts"])
    for fact, row in zip(july["facts"], rows, strict=True):
        evidence = row.split('data-testid="fact-evidence"', 1)[1].split("</ul>", 1)[0]
        assert evidence.count('class="evidence-item"') == len(fact["evidence"])
        assert all(item["text"] in evidence for item in fact["evidence"])


def test_story_page_draws_timeline_and_matrix_as_svg(client: TestClient) -> None:
    july = _july_story(client)
    html = client.get(f"/stories/{july['id']}").text
    coverage = html.split('data-testid="coverage-timeline">', 1)[1].split("</figure>", 1)[0]
    assert coverage.startswith("<svg ")
    # The Moscow Times is the only article of the four with a date; the others are listed as undated.
    assert coverage.count("<circle ") == 1
    assert ">The Moscow Times</text>" in coverage
    moscow = next(a for a in july["article_ids"] if client.get(f"/api/articles/{a}").json()["published"])
    assert f'<a href="/articles/{moscow}"><circle ' in coverage
    undated = html.split("Undated:", 1)[1].split("</p>", 1)[0]
    assert all(outlet in undated for outlet in ("Yle", "TRT World", "Anadolu Agency"))
    matrix = html.split('data-testid="fact-matrix">', 1)[1].split("</figure>", 1)[0]
    assert matrix.startswith("<svg ")
    # One cell per fact and outlet, at most 40 facts; a stated cell is filled (no CSS needed), the others white.
    drawn = min(len(july["facts"]), 40)
    assert matrix.count("data-stated=") == 4 * drawn
    # Each drawn row links to its fact's row of the table; the four articles are four outlets, so a fact's
    # stated cells are its distinct articles.
    positions = [int(n) for n in re.findall(r'<a href="#fact-(\d+)">', matrix)]
    assert len(set(positions)) == drawn
    independent = [july["facts"][n - 1]["independent_sources"] for n in positions]
    assert independent == sorted(independent, reverse=True)  # most independently reported first
    stated = sum(len(set(july["facts"][n - 1]["article_ids"])) for n in positions)
    assert matrix.count('data-stated="1"') == stated
    assert matrix.count('fill="#ffffff" stroke="#d2d2d7" data-stated="0"') == matrix.count('data-stated="0"')
    assert 'fill="#ffffff" stroke="#d2d2d7" data-stated="1"' not in matrix
    assert all(f'id="fact-{n}"' in html for n in positions)


def test_story_page_shows_source_families_and_shared_passages(client: TestClient) -> None:
    html = client.get(f"/stories/{_july_story(client)['id']}").text
    assert "both credit AFP" in html
    assert "The Moscow Times and TRT World:\nshare 7 passages" in html


# Article page


def test_article_page_highlights_shared_passages_and_loaded_terms(client: TestClient) -> None:
    july = _july_story(client)
    match = next(m for m in july["passages"] if len(m["passages"]) >= 5)
    html = client.get(f"/articles/{match['a_id']}").text.replace("&#34;", '"').replace("&#39;", "'")
    assert "Highlighted: passages shared with" in html
    text = html.split('data-testid="article-text">', 1)[1].split("</pre>", 1)[0]
    marked = "".join(part.split(">", 1)[1].split("</mark>", 1)[0] for part in text.split("<mark ")[1:])
    assert match["passages"][0]["text_a"].split()[0] in marked
    assert '<mark class="shared" title="shared with another article of the story">' in text


def test_article_page_marks_a_loaded_label_with_its_category(client: TestClient) -> None:
    hit = client.get("/api/search", params={"q": "separatists", "outlet": "Yle"}).json()["items"][0]
    html = client.get(f"/articles/{hit['article_id']}").text
    assert 'title="loaded label: separatist' in html
    assert ">separatists</mark>" in html


def test_article_metadata_says_where_each_field_came_from(client: TestClient) -> None:
    hit = client.get("/api/search", params={"q": "Evil page"}).json()["items"][0]
    html = client.get(f"/articles/{hit['article_id']}").text
    table = html.split('data-testid="article-metadata"', 1)[1].split("</table>", 1)[0]
    assert '<tr><td>outlet</td><td>Evil Times</td><td class="muted">sidecar</td></tr>' in table
    assert '<tr><td>published</td><td>2023-01-10</td><td class="muted">sidecar</td></tr>' in table
    twin = client.get(f"/api/articles/{hit['article_id']}").json()
    assert twin["provenance"]["outlet"] == "sidecar"
    assert twin["story_ids"]


def test_hostile_article_is_shown_as_text_and_nothing_can_run(client: TestClient) -> None:
    hit = client.get("/api/search", params={"q": "Evil page"}).json()["items"][0]
    response = client.get(f"/articles/{hit['article_id']}")
    html = response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    tags = _markup(html)
    scripts = [attrs for tag, attrs in tags if tag == "script"]
    assert scripts == [{"src": "/static/htmx.min.js", "defer": None}]
    assert not [tag for tag, _ in tags if tag in {"iframe", "img", "object", "embed"}]
    assert not [(tag, name) for tag, attrs in tags for name in attrs if name.startswith(("on", "hx-"))]
    links = [attrs["href"] or "" for tag, attrs in tags if tag == "a" and "href" in attrs]
    assert links
    assert not [href for href in links if not href.startswith(("/", "#", "http://", "https://"))]
    values = [(value or "").strip().lower() for _, attrs in tags for value in attrs.values()]
    assert not [value for value in values if value.startswith("javascript:")]
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY.split("script-src", 1)[1].split(";", 1)[0]


def test_static_htmx_is_served_from_the_package(client: TestClient) -> None:
    response = client.get("/static/htmx.min.js")
    assert response.status_code == 200
    assert response.text.startswith("var htmx=function(){")
    assert "javascript" in response.headers["content-type"]


# API description


def test_openapi_describes_read_and_write_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}", "/api/search"} <= set(paths)
    assert {"/api/articles", "/api/articles/file", "/api/articles/urls"} <= set(paths)
    docs = client.get("/docs").text
    assert "/api/articles/urls" in docs
    assert [attrs for tag, attrs in _markup(docs) if tag == "script"] == [{"src": "/static/htmx.min.js", "defer": None}]


# Writing


def test_writing_is_refused_with_a_clear_403_without_a_token(client: TestClient) -> None:
    response = client.post("/api/articles", json={"text": "Some news."}, headers=BEARER)
    assert response.status_code == 403
    assert "start it with a write token (parallax serve --token TOKEN" in response.json()["error"]["message"]
    form = client.post("/add/text", data={"text": "Some news.", "token": TOKEN})
    assert form.status_code == 403
    assert "PARALLAX_TOKEN" in form.text
    assert 'data-testid="writing-disabled"' in client.get("/add").text


def test_writing_needs_the_right_token(writer: TestClient) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"X-Parallax-Token": "wrong"}):
        response = writer.post("/api/articles", json={"text": "Some news."}, headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert "X-Parallax-Token" in response.json()["error"]["message"]
    assert writer.post("/add/text", data={"text": "Some news.", "token": "wrong"}).status_code == 401


def test_adding_an_article_updates_its_story(writer: TestClient, writable_db: Path) -> None:
    july_ids = set(_july_story(writer)["article_ids"])
    trt_world = EXAMPLE / "001_ecd846f94dc169c2.txt"  # in the July story (see the folder's metadata file)
    text = "Baku and Moscow again disagree over the Lachin corridor.\n\n" + trt_world.read_text()
    response = writer.post(
        "/api/articles", json={"text": text, "outlet": "Second Look", "published": "2023-07-18"}, headers=BEARER
    )
    assert response.status_code == 201, response.text
    outcome = response.json()
    assert outcome["added"] == 1
    [article_id] = outcome["article_ids"]
    [story] = outcome["stories"]
    grown = writer.get(f"/api/stories/{story['id']}").json()
    assert set(grown["article_ids"]) == {*july_ids, article_id}
    page = writer.get(f"/stories/{story['id']}").text
    assert f'href="/articles/{article_id}"' in page
    assert any(row["id"] == story["id"] and "Second Look" in row["outlets"] for row in _stories(writer)["items"])
    saved = list((writable_db.parent / "w.db.uploads").rglob("pasted.txt"))
    assert [p.read_text() for p in saved] == [text]
    again = writer.post("/api/articles", json={"text": text}, headers={"X-Parallax-Token": TOKEN})
    assert again.status_code == 200
    assert (again.json()["added"], again.json()["existing"]) == (0, 1)


def test_hostile_article_added_through_the_form_is_shown_as_text(writer: TestClient) -> None:
    response = writer.post("/add/text", data={"text": HOSTILE.replace("Evil", "Vile"), "token": TOKEN})
    assert response.status_code == 200
    article_id = response.text.split('data-testid="added-article" href="/articles/', 1)[1].split('"', 1)[0]
    html = writer.get(f"/articles/{article_id}").text
    tags = _markup(html)
    assert [attrs for tag, attrs in tags if tag == "script"] == [{"src": "/static/htmx.min.js", "defer": None}]
    assert not [(tag, name) for tag, attrs in tags for name in attrs if name.startswith(("on", "hx-"))]
    assert "&lt;svg onload=alert(5)&gt;" in html


def test_hostile_outlet_and_text_reach_the_story_plots_as_text(writer: TestClient) -> None:
    outlet = '<script>alert(7)</script><svg onload="alert(8)">'
    trt_world = EXAMPLE / "001_ecd846f94dc169c2.txt"  # joins the July story, so it gets a row and a column
    text = trt_world.read_text() + "\n\n<img src=x onerror=alert(9)> was reported."
    response = writer.post(
        "/api/articles", json={"text": text, "outlet": outlet, "published": "2023-07-18"}, headers=BEARER
    )
    [story] = response.json()["stories"]
    html = writer.get(f"/stories/{story['id']}").text
    tags = _markup(html)
    assert [attrs for tag, attrs in tags if tag == "script"] == [{"src": "/static/htmx.min.js", "defer": None}]
    assert not [(tag, name) for tag, attrs in tags for name in attrs if name.startswith(("on", "hx-"))]
    coverage = html.split('data-testid="coverage-timeline">', 1)[1].split("</figure>", 1)[0]
    assert "&lt;script&gt;alert(7)&lt;/script&gt;&lt;svg onload=&quot;alert(8)&quot;&gt;</text>" in coverage


def test_uploaded_file_is_read_by_its_content(writer: TestClient) -> None:
    page = b"<html><head><title>Corridor talks resume</title></head><body><article><p>" + b"Talks resumed. " * 20
    response = writer.post(
        "/api/articles/file",
        files={"file": ("talks.html", page + b"</p></article></body></html>", "text/html")},
        data={"outlet": "Upload Daily"},
        headers=BEARER,
    )
    assert response.status_code == 201, response.text
    article = writer.get(f"/api/articles/{response.json()['article_ids'][0]}").json()
    assert (article["title"], article["outlet"]) == ("Corridor talks resume", "Upload Daily")
    assert article["source"].endswith("/talks.html")


def test_pasted_and_uploaded_articles_never_show_the_servers_paths(writer: TestClient, writable_db: Path) -> None:
    pasted = writer.post("/api/articles", json={"text": "Harbour reopens after the storm. " * 5}, headers=BEARER)
    uploaded = writer.post(
        "/api/articles/file", files={"file": ("notes.txt", b"Ferry lines resume on Monday. " * 5)}, headers=BEARER
    )
    server_paths = {str(writable_db.parent), str(writable_db.parent.resolve())}
    for response, name in ((pasted, "pasted.txt"), (uploaded, "notes.txt")):
        [article_id] = response.json()["article_ids"]
        html = writer.get(f"/articles/{article_id}").text
        shown = html.split('data-testid="article-sources">', 1)[1].split("</p>", 1)[0]
        # Relative to the uploads folder: the submission's own subfolder, then the file name.
        assert shown.startswith("Read from uploads/") and shown.split(" · ", 1)[0].endswith(f"/{name}")
        source = writer.get(f"/api/articles/{article_id}").json()["source"]
        assert source.startswith("uploads/") and source.endswith(f"/{name}")
        assert not any(path in html or path in source for path in server_paths)


def test_upload_over_the_cap_is_refused(writable_db: Path) -> None:
    small = TestClient(create_app(writable_db, write=WriteSettings(token=TOKEN, max_upload_bytes=100)))
    response = small.post("/api/articles/file", files={"file": ("big.txt", b"x" * 101, "text/plain")}, headers=BEARER)
    assert response.status_code == 413
    assert "100 bytes" in response.json()["error"]["message"]


def test_request_bodies_are_capped_before_they_are_read(writable_db: Path) -> None:
    small = TestClient(create_app(writable_db, write=WriteSettings(token=TOKEN, max_upload_bytes=100)))
    huge = small.post("/api/articles", content=b"x" * (100 + 64 * 1024 + 1), headers=BEARER)
    assert huge.status_code == 413
    chunked = small.post("/api/articles", content=iter([b'{"text": "x"}']), headers=BEARER)
    assert chunked.status_code == 411
    assert chunked.json()["error"]["message"] == "send the request with a Content-Length header"


def test_empty_text_and_bad_urls_are_refused(writer: TestClient) -> None:
    assert writer.post("/api/articles", json={"text": "  \n "}, headers=BEARER).status_code == 422
    for urls in (["javascript:alert(1)"], ["file:///etc/passwd"], [f"https://example.com/{n}" for n in range(21)]):
        response = writer.post("/api/articles/urls", json={"urls": urls}, headers=BEARER)
        assert response.status_code == 422
        assert set(response.json()) == {"error"}


def test_urls_on_private_addresses_are_never_fetched(writer: TestClient) -> None:
    with LocalServer({"/story": Route(body=b"<html><body><p>Secret intranet page</p></body></html>")}) as server:
        response = writer.post("/api/articles/urls", json={"urls": [server.url("/story")]}, headers=BEARER)
        assert server.requests == []
    assert response.status_code == 200
    outcome = response.json()
    assert outcome["added"] == 0
    assert outcome["dropped"] == {"private_address": 1}
    assert "loopback" in outcome["rejects"][0]["detail"]
    form = writer.post("/add/url", data={"urls": "http://localhost:9/x", "token": TOKEN})
    assert "<strong>private_address</strong>" in form.text


# A real server on 127.0.0.1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited: {process.stdout.read() if process.stdout else b''!r}")
        try:
            httpx.get(url + "/api/stories", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("the server did not answer within 30 s")


def _start(db: Path, token: str | None) -> Iterator[str]:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "PARALLAX_TOKEN"}
    env["PYTHONUNBUFFERED"] = "1"
    if token:
        env["PARALLAX_TOKEN"] = token
    command = [sys.executable, "-m", "parallax.cli", "serve", "--db", str(db), "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def server(db: Path) -> Iterator[str]:
    yield from _start(db, None)


@pytest.fixture
def writable_server(writable_db: Path) -> Iterator[str]:
    yield from _start(writable_db, TOKEN)


def test_real_server_on_loopback_serves_pages(server: str) -> None:
    assert server.startswith("http://127.0.0.1:")
    response = httpx.get(server + "/", timeout=5)
    assert response.status_code == 200
    assert 'data-testid="story-row"' in response.text
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert httpx.get(server + "/api/stories", timeout=5).json()["total"] == 3
    refused = httpx.post(server + "/api/articles", json={"text": "News."}, headers=BEARER, timeout=5)
    assert refused.status_code == 403


def test_real_server_takes_the_token_from_the_environment(writable_server: str) -> None:
    text = "Armenia and Azerbaijan trade accusations over the Lachin corridor blockade in a new statement."
    response = httpx.post(
        writable_server + "/api/articles", json={"text": text, "outlet": "Env Post"}, headers=BEARER, timeout=60
    )
    assert response.status_code == 201, response.text
    story_id = response.json()["stories"][0]["id"]
    page = httpx.get(f"{writable_server}/stories/{story_id}", timeout=5)
    assert f"/articles/{response.json()['article_ids'][0]}" in page.text
