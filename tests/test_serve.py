"""The read-only web view, in-process and as a real server on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from parallax.pipeline import analyze
from parallax.serve import create_app
from parallax.store import Store

HOSTILE = "Evil page\n\n<script>alert(1)</script> and <img src=x onerror=alert(2)> happened."


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("serve")
    example = Path(__file__).resolve().parent.parent / "examples" / "karabakh-2023"
    (folder / "hostile.txt").write_text(HOSTILE)
    path = folder / "p.db"
    with Store.open(path) as store:
        analyze([example, folder / "hostile.txt"], store)
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(db))


def test_home_lists_stories(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "Azerbaijan" in response.text


def test_story_page_has_a_json_twin(client: TestClient) -> None:
    items = client.get("/api/stories").json()["items"]
    main = max(items, key=lambda s: len(s["article_ids"]))
    page = client.get(f"/stories/{main['id']}")
    assert page.status_code == 200
    assert main["facts"][0]["text"].split()[0] in page.text
    assert client.get(f"/api/stories/{main['id']}").json()["id"] == main["id"]


def test_pagination_limits_and_offsets(client: TestClient) -> None:
    first = client.get("/api/stories", params={"limit": 1}).json()["items"]
    second = client.get("/api/stories", params={"limit": 1, "offset": 1}).json()["items"]
    assert len(first) == len(second) == 1
    assert first[0]["id"] != second[0]["id"]


def test_errors_have_one_json_shape(client: TestClient) -> None:
    response = client.get("/api/stories/s-missing")
    assert response.status_code == 404
    assert set(response.json()) == {"error"}
    assert response.json()["error"]["status"] == 404
    assert client.get("/api/articles/nope").json()["error"]["status"] == 404


def test_unknown_story_page_is_html_404(client: TestClient) -> None:
    response = client.get("/stories/s-missing")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


def test_search_finds_articles_and_survives_fts_syntax(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "Lachin corridor"}).json()["items"]
    assert hits
    for query in ['"', "NEAR(", "a*-b:c", "')--"]:
        assert client.get("/api/search", params={"q": query}).status_code == 200
        assert client.get("/", params={"q": query}).status_code == 200


def test_hostile_article_is_shown_as_text(client: TestClient) -> None:
    hit = client.get("/api/search", params={"q": "Evil page"}).json()["items"][0]
    page = client.get(f"/articles/{hit['article_id']}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_server_exposes_no_write_method(client: TestClient) -> None:
    assert client.post("/api/stories", json={}).status_code == 405
    assert client.delete("/api/stories/x").status_code in {404, 405}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(db: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "parallax.cli", "serve", "--db", str(db), "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(url + "/api/stories", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_real_server_on_loopback_serves_pages(server: str) -> None:
    response = httpx.get(server + "/", timeout=5)
    assert response.status_code == 200
    assert "stories" in response.text
    assert httpx.get(server + "/api/stories", timeout=5).json()["items"]


def _july_story(client: TestClient) -> dict[str, Any]:
    return next(s for s in client.get("/api/stories").json()["items"] if len(s["article_ids"]) == 4)


def test_story_page_shows_source_families_and_shared_passages(client: TestClient) -> None:
    story = _july_story(client)
    html = client.get(f"/stories/{story['id']}").text
    assert "Source families" in html
    assert "both credit AFP" in html
    assert "The Moscow Times and TRT World:\nshare 7 passages" in html
    assert "Shared passages" in html
    assert 'title="source families: a dispatch and its reprints count once">independent</th>' in html


def test_article_page_highlights_the_passages_it_shares(client: TestClient) -> None:
    story = _july_story(client)
    match = next(m for m in story["passages"] if len(m["passages"]) >= 5)
    html = client.get(f"/articles/{match['a_id']}").text
    first = match["passages"][0]["text_a"]
    assert f'<mark title="shared with another article of the story">{first}</mark>' in html.replace("&#34;", '"')
    assert "Highlighted: passages shared with" in html
