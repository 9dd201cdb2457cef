"""The web app in a real browser: headless Debian chromium driven by Playwright against `parallax serve`.

Set-up is the project's own: `make browser` (scripts/install-browser.sh) installs Debian's chromium when missing,
and the `browser` extra installs Playwright; Playwright drives the system chromium, so nothing is downloaded.
Without chromium or Playwright these tests skip with the reason, except under CI (`CI` set to true), where a
missing browser is a failure: the hostile-article test must run there. Screenshots go to build/test-artifacts/.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from parallax.pipeline import analyze
from parallax.store import Store

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "karabakh-2023"
ARTIFACTS = ROOT / "build" / "test-artifacts"
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
TIMEOUT_MS = 15_000
HOSTILE_TEXT = """Harbour officials report calm <script>window.__pwned=1</script>

Officials said <img src=x onerror="window.__pwned=1"> nothing unusual happened at the
<a href="javascript:window.__pwned=1">harbour office</a> on Monday. <svg onload="window.__pwned=1"></svg>
<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe> javascript:window.__pwned=1
"""
HOSTILE_HTML = """<!doctype html><html><head><title>Quayside notice <script>window.__pwned=1</script></title>
<link rel="canonical" href="javascript:window.__pwned=1"><meta property="og:url" content="javascript:window.__pwned=1">
<script>window.__pwned=1</script></head><body><article><h1>Quayside notice</h1>
<p>The quayside authority said ships were delayed on Monday <img src=x onerror="window.__pwned=1">
because of fog, and <a href="javascript:window.__pwned=1" onclick="window.__pwned=1">the schedule</a> changed.</p>
<p>Pilots expected the fog to lift by the evening, the authority said in a statement.</p>
</article></body></html>
"""
ADDED_TEXT = """Baku says Moscow failed its Karabakh ceasefire duties

Azerbaijan accused Russia on Sunday of failing to fulfil its obligations under the 2020 Moscow-brokered ceasefire
agreement that ended the fighting with Armenia over Nagorno-Karabakh.

The Azerbaijani Foreign Ministry said Russia had done nothing to prevent supplies sent by Armenia to separatist
positions in the Nagorno-Karabakh region.

Russia sent peacekeepers to the Lachin Corridor, the only land link between Karabakh and Armenia, under the 2020
ceasefire agreement.
"""


def unavailable(reason: str) -> None:
    """Skip locally; fail under CI, where the browser tests must run."""
    if IN_CI:
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed: pip install -e '.[browser]'")
    executable = shutil.which("chromium")
    if executable is None:
        unavailable("no chromium on PATH: run `make browser` (installs Debian's chromium)")
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        unavailable("the web extra is not installed: pip install -e '.[web]'")
    with sync_playwright() as playwright:
        # containers often give /dev/shm only 64 MiB, too little for chromium's shared memory on long pages
        launched = playwright.chromium.launch(executable_path=executable, args=["--disable-dev-shm-usage"])
        yield launched
        launched.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(db: Path, token: str) -> Iterator[str]:
    """Run `parallax serve` on a free loopback port until the block ends; yield its base URL."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PARALLAX_TOKEN": token}
    command = [sys.executable, "-m", "parallax.cli", "serve", "--db", str(db), "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                output = process.stdout.read() if process.stdout else ""
                pytest.fail(f"parallax serve exited with {process.returncode}: {output}")
            try:
                if httpx.get(url + "/api/stories", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("parallax serve did not answer within 30 s")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def build_store(folder: Path) -> Path:
    (folder / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (folder / "hostile.html").write_text(HOSTILE_HTML, encoding="utf-8")
    path = folder / "p.db"
    with Store.open(path) as store:
        analyze([EXAMPLE, folder / "hostile.txt", folder / "hostile.html"], store)
    return path


@pytest.fixture(scope="module")
def server(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = build_store(tmp_path_factory.mktemp("browser"))
    with running_server(db, secrets.token_urlsafe(16)) as url:
        yield url


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page that records dialogs and console errors, with a screenshot saved after the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    opened.dialogs = []
    opened.console_errors = []

    def on_dialog(dialog: Any) -> None:
        opened.dialogs.append(dialog.message)
        dialog.dismiss()

    opened.on("dialog", on_dialog)
    opened.on("console", lambda m: opened.console_errors.append(m.text) if m.type == "error" else None)
    yield opened
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    opened.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def main_story(server: str) -> dict[str, Any]:
    stories = httpx.get(server + "/api/stories", timeout=5).json()["items"]
    largest = max(stories, key=lambda s: s["articles"])
    return dict(httpx.get(f"{server}/api/stories/{largest['id']}", timeout=5).json())


def test_home_renders_and_lists_the_story(page: Any, server: str) -> None:
    from playwright.sync_api import expect

    story = main_story(server)
    page.goto(server + "/")
    expect(page).to_have_title("parallax: stories")
    link = page.locator(f"[data-testid=story-row][data-story-id='{story['id']}'] a.story-link")
    expect(link).to_have_text(story["title"])
    row = page.locator(f"[data-testid=story-row][data-story-id='{story['id']}']")
    expect(row.get_by_test_id("story-articles")).to_have_text(str(len(story["article_ids"])))


def test_a_fact_expands_to_its_evidence(page: Any, server: str) -> None:
    from playwright.sync_api import expect

    story = main_story(server)
    page.goto(server + "/")
    page.locator(f"[data-testid=story-row][data-story-id='{story['id']}'] a.story-link").click()
    expect(page).to_have_url(f"{server}/stories/{story['id']}")
    expect(page.get_by_test_id("story-title")).to_have_text(story["title"])
    facts = page.get_by_test_id("fact-row")
    expect(facts).to_have_count(len(story["facts"]))
    first = story["facts"][0]
    row = facts.first
    evidence = row.get_by_test_id("fact-evidence")
    expect(evidence).to_be_hidden()
    row.get_by_test_id("fact-summary").click()
    expect(row.locator("details")).to_have_attribute("open", "")
    expect(evidence).to_be_visible()
    expect(evidence.locator("li")).to_have_count(len(first["evidence"]))
    expect(evidence.locator("li").first).to_contain_text(first["evidence"][0]["text"])


def test_story_plots_draw_and_link_to_facts_and_articles(page: Any, server: str) -> None:
    from playwright.sync_api import expect

    story = main_story(server)
    page.goto(f"{server}/stories/{story['id']}")
    matrix = page.get_by_test_id("fact-matrix").locator("svg")
    expect(matrix).to_be_visible()
    box = matrix.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 50
    cells = matrix.locator("rect[data-stated]")
    expect(cells).to_have_count(len(story["facts"][:40]) * len({o for f in story["facts"] for o in f["outlets"]}))
    # Stated and unstated cells differ in their own fill, so they stay apart with styles off.
    fills = {cell.get_attribute("data-stated"): cell.get_attribute("fill") for cell in cells.all()}
    assert fills["1"] != fills["0"]
    matrix.locator("a").first.click()
    assert page.url.split("#", 1)[1].startswith("fact-")
    expect(page.locator(":target")).to_have_attribute("data-testid", "fact-row")
    coverage = page.get_by_test_id("coverage-timeline").locator("svg")
    expect(coverage).to_be_visible()
    linked = coverage.locator("a")
    assert linked.count() >= 1, "a dated article of its own day links to its page"
    href = linked.first.get_attribute("href")
    linked.first.locator("circle").click()
    expect(page).to_have_url(f"{server}{href}")


def test_search_finds_articles_and_leads_to_them(page: Any, server: str) -> None:
    from playwright.sync_api import expect

    page.goto(server + "/")
    page.get_by_test_id("search-box").fill("Lachin corridor")
    page.get_by_test_id("search-submit").click()
    hits = page.get_by_test_id("search-hit")
    expect(hits.first).to_be_visible()
    assert "q=Lachin" in page.url
    expected = httpx.get(server + "/api/search", params={"q": "Lachin corridor"}, timeout=5).json()
    expect(hits).to_have_count(len(expected["items"]))
    expect(hits.first.locator("mark").first).to_have_text("Lachin", ignore_case=True)
    first = hits.first
    article_id = first.get_attribute("data-article-id")
    first.locator("a.hit-article").click()
    expect(page).to_have_url(f"{server}/articles/{article_id}")
    expect(page.get_by_test_id("article-text")).to_contain_text("Lachin")


def test_search_with_no_match_says_so(page: Any, server: str) -> None:
    from playwright.sync_api import expect

    page.goto(server + "/?q=zzyzx-nowhere")
    expect(page.get_by_test_id("no-results")).to_have_text("No article matches.")


def hostile_article_ids(server: str) -> list[str]:
    ids = []
    for query in ("Harbour officials", "quayside fog"):
        items = httpx.get(server + "/api/search", params={"q": query}, timeout=5).json()["items"]
        ids += [item["article_id"] for item in items[:1]]
    return ids


def assert_nothing_ran(page: Any) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []
    assert page.locator("script:not([src])").count() == 0, "an inline script reached the DOM"
    for source in page.locator("script[src]").evaluate_all("nodes => nodes.map(n => n.getAttribute('src'))"):
        assert source.startswith("/static/"), source
    assert page.locator("[onerror], [onload], [onclick], iframe, object, embed").count() == 0
    assert page.locator("a[href^='javascript:' i], [src^='javascript:' i]").count() == 0
    assert not [m for m in page.console_errors if "Content Security Policy" in m], page.console_errors


def test_hostile_articles_are_shown_as_text_and_run_nothing(page: Any, server: str) -> None:
    from playwright.sync_api import expect

    article_ids = hostile_article_ids(server)
    assert len(article_ids) == 2
    text_id = article_ids[0]
    page.goto(f"{server}/articles/{text_id}")
    shown = page.get_by_test_id("article-text")
    expect(shown).to_contain_text("<script>window.__pwned=1</script>")
    expect(shown).to_contain_text('<img src=x onerror="window.__pwned=1">')
    expect(shown).to_contain_text('<a href="javascript:window.__pwned=1">harbour office</a>')
    for details in page.locator("details").all():
        details.locator("summary").click()
    shown.get_by_text("harbour office", exact=False).click()
    assert_nothing_ran(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "hostile-article.png"), full_page=True)
    story_ids = httpx.get(f"{server}/api/articles/{text_id}", timeout=5).json()["story_ids"]
    pages = [f"{server}/articles/{article_ids[1]}", f"{server}/?q=pwned", f"{server}/?q=harbour+office"]
    for url in pages + [f"{server}/stories/{story_id}" for story_id in story_ids]:
        page.goto(url)
        for details in page.locator("details").all():
            details.locator("summary").click()
        assert_nothing_ran(page)


def test_typing_a_query_updates_the_results_without_submitting(page: Any, server: str) -> None:
    from playwright.sync_api import expect

    page.goto(server + "/")
    expect(page.get_by_test_id("search-hit")).to_have_count(0)
    page.get_by_test_id("search-box").press_sequentially("peacekeepers", delay=20)
    expect(page.get_by_test_id("search-hit").first).to_be_visible()  # htmx, served by the app itself, swapped it in
    expect(page).to_have_url(re.compile(r"[?&]q=peacekeepers(&|$)"))  # and pushed the query into the address


@pytest.fixture(scope="module")
def writable(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A server on its own copy of the store, with a write token: (base URL, token)."""
    token = secrets.token_urlsafe(16)
    with running_server(build_store(tmp_path_factory.mktemp("writable")), token) as url:
        yield url, token


def add_text(page: Any, base: str, token: str, text: str, **fields: str) -> None:
    """Fill the paste-text form of /add at the server `base` and submit it."""
    page.goto(base + "/add")
    form = page.get_by_test_id("add-text-form")
    form.get_by_test_id("add-text-text").fill(text)
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    form.get_by_test_id("add-text-token").fill(token)
    form.get_by_test_id("add-text-submit").click()


def search_total(url: str, query: str) -> int:
    return int(httpx.get(url + "/api/search", params={"q": query}, timeout=5).json()["total"])


def test_adding_an_article_through_the_ui_updates_its_story(page: Any, writable: tuple[str, str]) -> None:
    from playwright.sync_api import expect

    url, token = writable
    add_text(page, url, token, ADDED_TEXT, outlet="Browser Test Wire")
    expect(page.get_by_test_id("add-result")).to_have_attribute("data-added", "1")
    page.get_by_test_id("added-story").first.click()
    story_id = page.url.rsplit("/", 1)[1]
    story = httpx.get(f"{url}/api/stories/{story_id}", timeout=5).json()
    assert len(story["article_ids"]) >= 2, "the new article should join the example's coverage"
    expect(page.get_by_test_id("story")).to_contain_text("Browser Test Wire")
    expect(page.get_by_test_id("story")).to_contain_text("Baku says Moscow failed its Karabakh ceasefire duties")


def test_adding_with_a_wrong_token_is_refused(page: Any, writable: tuple[str, str]) -> None:
    from playwright.sync_api import expect

    url, _ = writable
    add_text(page, url, "not-the-token", "Gull census\n\nVolunteers counted gulls on the pier on Tuesday.")
    expect(page.locator("h1")).to_have_text(re.compile(r"^40[13]$"))
    assert search_total(url, "gulls pier") == 0


def test_hostile_metadata_added_through_the_ui_runs_nothing(page: Any, writable: tuple[str, str]) -> None:
    from playwright.sync_api import expect

    url, token = writable
    title = f"Lighthouse keepers meet {HOSTILE_TEXT.splitlines()[0][-34:]}"
    text = "Lighthouse keepers met in the village hall on Wednesday to discuss the winter rota."
    add_text(
        page,
        url,
        token,
        text,
        title=title,
        outlet='<img src=x onerror="window.__pwned=1">',
        url="javascript:window.__pwned=1",
    )
    added = page.get_by_test_id("added-article")
    expect(added).to_have_count(1)
    added.click()
    expect(page.get_by_test_id("article-title")).to_have_text(title)
    assert_nothing_ran(page)
    page.get_by_text("javascript:window.__pwned=1").first.click()
    assert_nothing_ran(page)
