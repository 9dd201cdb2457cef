"""The story page's reads: a page of facts, the matrix's facts, omissions cut with their totals, article heads;
each checked against the whole story as the store returns it."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from parallax.model import Story
from parallax.pipeline import analyze
from parallax.serialize import story_to_dict
from parallax.serve import create_app
from parallax.store import Store
from parallax.web_queries import open_readonly
from parallax.web_story import OMITTED_SHOWN, article_heads, passages_of, read_story_page, story_document

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "karabakh-2023"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("story") / "p.db"
    with Store.open(path) as store:
        analyze([EXAMPLE], store)
    return path


@pytest.fixture(scope="module")
def july(db: Path) -> Story:
    with Store.open(db) as store:
        return max(store.stories(), key=lambda s: len(s.article_ids))


def test_a_page_of_facts_is_the_stored_facts_from_the_offset(db: Path, july: Story) -> None:
    conn = open_readonly(db)
    assert len(july.facts) > 12
    page = read_story_page(conn, july.id, fact_offset=10, fact_limit=5)
    assert page is not None
    assert page.story.facts == july.facts[10:15]
    assert (page.fact_total, page.fact_offset, page.fact_limit) == (len(july.facts), 10, 5)
    last = read_story_page(conn, july.id, fact_offset=len(july.facts) - 2, fact_limit=5)
    assert last is not None and last.story.facts == july.facts[-2:]
    assert read_story_page(conn, "s-none") is None


def test_the_rest_of_the_story_is_as_stored(db: Path, july: Story) -> None:
    page = read_story_page(open_readonly(db), july.id)
    assert page is not None
    shown, stored = story_to_dict(page.story), story_to_dict(july)
    for part in ("id", "title", "article_ids", "summary", "families", "passages", "divergences", "framing"):
        assert shown[part] == stored[part], part


def test_the_matrix_gets_the_most_independently_reported_facts_with_their_positions(db: Path, july: Story) -> None:
    page = read_story_page(open_readonly(db), july.id)
    assert page is not None
    expected = sorted(
        enumerate(july.facts, start=1), key=lambda p: (-p[1].independent_sources, -len(set(p[1].article_ids)), p[0])
    )[:40]
    assert page.matrix_facts == expected
    assert page.hidden_from_matrix == len(july.facts) - len(expected)


def test_omissions_are_cut_and_counted(db: Path, july: Story) -> None:
    page = read_story_page(open_readonly(db), july.id)
    assert page is not None
    assert [o.outlet for o in page.story.omissions] == [o.outlet for o in july.omissions]
    for shown, stored in zip(page.story.omissions, july.omissions, strict=True):
        assert shown.omitted == stored.omitted[:OMITTED_SHOWN]
        assert shown.reworded == stored.reworded[:OMITTED_SHOWN]
        assert (shown.covered, shown.widely_reported) == (stored.covered, stored.widely_reported)
        assert page.omitted_totals[stored.outlet] == len(stored.omitted)


def test_article_heads_carry_the_metadata_in_story_order(db: Path, july: Story) -> None:
    heads = article_heads(open_readonly(db), list(reversed(july.article_ids)))
    assert list(heads) == list(reversed(july.article_ids))
    with Store.open(db) as store:
        for article in store.articles(july.article_ids):
            head = heads[article.id]
            assert (head.title, head.outlet, head.published, head.source, head.url) == (
                article.title,
                article.outlet,
                article.published,
                article.source,
                article.url,
            )
            assert head.text == ""


def test_passages_of_an_article_are_its_stories_matches(db: Path, july: Story) -> None:
    article_id = july.passages[0].a_id
    expected = [m for m in july.passages if article_id in (m.a_id, m.b_id)]
    assert passages_of(open_readonly(db), article_id) == expected


def test_the_json_twin_is_the_stored_document(db: Path, july: Story) -> None:
    document = story_document(open_readonly(db), july.id)
    assert document is not None
    client = TestClient(create_app(db))
    response = client.get(f"/api/stories/{july.id}")
    assert response.headers["content-type"] == "application/json"
    assert response.json() == story_to_dict(july)
    assert client.get("/api/stories/s-none").json()["error"]["status"] == 404


def test_the_story_page_pages_its_facts_table(db: Path, july: Story) -> None:
    client = TestClient(create_app(db))
    offset = 40
    html = client.get(f"/stories/{july.id}", params={"fact_offset": offset}).text
    rows = re.findall(r'<tr class="fact" id="fact-(\d+)"', html)
    assert [int(n) for n in rows] == list(range(offset + 1, len(july.facts) + 1))
    nav = html.split('data-testid="fact-pages">', 1)[1].split("</nav>", 1)[0]
    assert f"facts {offset + 1}–{len(july.facts)} of {len(july.facts)}" in nav
    assert 'href="?fact_offset=0#facts" rel="prev"' in nav and 'rel="next"' not in nav
    assert f"{len(july.facts)} facts" in html
    # A matrix label links to its fact's row, on the page of the table that holds it.
    matrix = html.split('data-testid="fact-matrix">', 1)[1].split("</figure>", 1)[0]
    hrefs = re.findall(r'<a href="([^"]*#fact-(\d+))">', matrix)
    assert hrefs
    for href, position in hrefs:
        here = int(position) > offset
        assert href == (f"#fact-{position}" if here else f"?fact_offset=0#fact-{position}")


def test_one_page_of_facts_has_no_pager(db: Path, july: Story) -> None:
    html = TestClient(create_app(db)).get(f"/stories/{july.id}").text
    assert len(july.facts) <= 100
    assert 'data-testid="fact-pages"' not in html


def test_the_page_says_how_many_omitted_facts_it_leaves_out(
    db: Path, july: Story, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The cut is made when a story is stored: store the stories again with nothing kept.
    monkeypatch.setattr("parallax.story_view.OMITTED_SHOWN", 0)
    cut = tmp_path / "cut.db"
    with Store.open(db) as source, Store.open(cut) as store:
        store.add_articles(source.articles())
        store.replace_stories(source.stories())
    html = TestClient(create_app(cut)).get(f"/stories/{july.id}").text
    more = [int(n) for n in re.findall(r'data-testid="omitted-more">and (\d+) more<', html)]
    assert more == [len(o.omitted) for o in july.omissions if o.omitted]
    assert more


def test_replacing_stories_replaces_their_pages(db: Path, july: Story, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    with Store.open(db) as source, Store.open(copy) as store:
        store.add_articles(source.articles())
        store.replace_stories(source.stories())
        store.replace_stories([s for s in source.stories() if s.id != july.id])
    conn = open_readonly(copy)
    assert read_story_page(conn, july.id) is None
    assert conn.execute("SELECT COUNT(*) FROM story_facts WHERE story_id = ?", (july.id,)).fetchone()[0] == 0


def test_a_store_from_before_the_read_model_gets_it_on_opening(db: Path, july: Story, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    with Store.open(db) as source, Store.open(old) as store:
        store.add_articles(source.articles())
        store.replace_stories(source.stories())
    with sqlite3.connect(old) as conn:  # as schema version 5 left it: no story_views, no story_facts, nor what 7-8 add
        conn.execute("DROP TABLE checkpoints")
        conn.execute("DROP TABLE story_facts")
        conn.execute("DROP TABLE story_views")
        conn.execute("DROP TABLE neardup_buckets")
        conn.execute("DROP INDEX articles_fingerprint")
        conn.execute("ALTER TABLE articles DROP COLUMN fingerprint")
        conn.execute("PRAGMA user_version = 5")
    Store.open(old).close()
    migrated = read_story_page(open_readonly(old), july.id, fact_offset=3, fact_limit=7)
    assert migrated == read_story_page(open_readonly(db), july.id, fact_offset=3, fact_limit=7)
    assert migrated is not None and migrated.story.facts == july.facts[3:10]


def test_long_lists_are_cut_on_the_page_with_how_many_more(
    db: Path, july: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("parallax.web_pages.LIST_SHOWN", 1)
    html = TestClient(create_app(db)).get(f"/stories/{july.id}").text
    rows = html.split('data-testid="fact-row"')[1:]
    for fact, row in zip(july.facts, rows, strict=True):
        evidence = row.split('data-testid="fact-evidence"', 1)[1].split("</ul>", 1)[0]
        assert evidence.count('class="evidence-item"') == min(1, len(fact.evidence))
        if len(fact.evidence) > 1:
            assert f"and {len(fact.evidence) - 1} more sentences" in evidence
    assert len(july.passages) > 1
    assert f"and {len(july.passages) - 1} more pairs of articles" in html
