"""The web app's list queries: stories and search, filtered and paged, with totals; read-only."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from parallax.model import Article, Story
from parallax.store import Store
from parallax.web_queries import (
    ListFilters,
    facets,
    fts_match,
    open_readonly,
    plain_snippet,
    search_articles,
    snippet_segments,
    story_rows,
)

ARTICLES = [
    ("a1", "Yle", "fi", date(2023, 7, 16), "Corridor closed again near Lachin"),
    ("a2", "TRT World", "en", date(2023, 7, 17), "Lachin corridor talks stall"),
    ("a3", "TRT World", "en", date(2023, 1, 10), "Peace talks in January"),
    ("a4", None, "en", None, "Undated note on Lachin"),
]


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    path = tmp_path / "q.db"
    with Store.open(path) as store:
        store.add_articles(
            Article(i, f"{i}.txt", i * 8, text, text, title=text, outlet=outlet, language=lang, published=day)
            for i, outlet, lang, day, text in ARTICLES
        )
        store.replace_stories(
            [
                Story("s-july", "July", ["a1", "a2"], "t", date(2023, 7, 16), date(2023, 7, 17)),
                Story("s-jan", "January", ["a3"], "t", date(2023, 1, 10), date(2023, 1, 10)),
                Story("s-none", "Undated", ["a4"], "t"),
            ]
        )
    readonly = open_readonly(path)
    yield readonly
    readonly.close()


def test_stories_latest_first_with_counts_and_outlets(conn: sqlite3.Connection) -> None:
    page = story_rows(conn, ListFilters(), 10, 0)
    assert [(r.id, r.articles, r.outlets) for r in page.items] == [
        ("s-july", 2, ["TRT World", "Yle"]),
        ("s-jan", 1, ["TRT World"]),
        ("s-none", 1, []),
    ]
    assert (page.total, page.next_offset, page.previous_offset) == (3, None, None)


def test_story_pages_and_offsets(conn: sqlite3.Connection) -> None:
    second = story_rows(conn, ListFilters(), 1, 1)
    assert [r.id for r in second.items] == ["s-jan"]
    assert (second.total, second.next_offset, second.previous_offset) == (3, 2, 0)


def test_story_filters(conn: sqlite3.Connection) -> None:
    def ids(**filters: object) -> list[str]:
        return [r.id for r in story_rows(conn, ListFilters(**filters), 10, 0).items]  # type: ignore[arg-type]

    assert ids(outlet="Yle") == ["s-july"]
    assert ids(outlet="TRT World") == ["s-july", "s-jan"]
    assert ids(language="fi") == ["s-july"]
    assert ids(date_from=date(2023, 7, 17)) == ["s-july"]
    assert ids(date_to=date(2023, 7, 1)) == ["s-jan"]
    assert ids(date_from=date(2023, 2, 1), date_to=date(2023, 6, 30)) == []
    assert story_rows(conn, ListFilters(outlet="Yle"), 10, 0).total == 1


def test_search_filters_pages_and_links_stories(conn: sqlite3.Connection) -> None:
    found = search_articles(conn, "lachin", ListFilters(), 10, 0)
    assert found.total == 3
    assert {hit.article_id: hit.story_ids for hit in found.items} == {
        "a1": ["s-july"],
        "a2": ["s-july"],
        "a4": ["s-none"],
    }
    assert [h.article_id for h in search_articles(conn, "lachin", ListFilters(outlet="Yle"), 10, 0).items] == ["a1"]
    dated = search_articles(conn, "lachin", ListFilters(date_from=date(2023, 7, 17)), 10, 0)
    assert [h.article_id for h in dated.items] == ["a2"]
    paged = search_articles(conn, "lachin", ListFilters(), 2, 2)
    assert (len(paged.items), paged.total) == (1, 3)


def test_search_words_are_never_syntax(conn: sqlite3.Connection) -> None:
    assert fts_match('a "b" NEAR(c') == '"a" """b""" "NEAR(c"'
    assert search_articles(conn, "   ", ListFilters(), 10, 0).total == 0
    assert search_articles(conn, 'talks" OR "closed', ListFilters(), 10, 0).total == 0


def test_snippets_mark_matches(conn: sqlite3.Connection) -> None:
    hit = search_articles(conn, "january", ListFilters(), 10, 0).items[0]
    assert snippet_segments(hit.snippet) == [("Peace talks in ", False), ("January", True)]
    assert plain_snippet(hit.snippet) == "Peace talks in [January]"


def test_facets_count_outlets_and_languages(conn: sqlite3.Connection) -> None:
    found = facets(conn)
    assert found.outlets == [("TRT World", 2), ("Yle", 1)]
    assert found.languages == [("en", 3), ("fi", 1)]


def test_the_connection_is_read_only(conn: sqlite3.Connection) -> None:
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM stories")


def test_filtered_search_is_driven_by_the_full_text_index(conn: sqlite3.Connection) -> None:
    # Walking a filter's index and probing the full-text index per article was 100x slower on 37.5k articles.
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    search_articles(conn, "Lachin", ListFilters(outlet="TRT World", date_from=date(2023, 1, 1)), 10, 0)
    conn.set_trace_callback(None)
    searches = [s for s in statements if "MATCH" in s]
    assert len(searches) == 2  # the total and the page
    for statement in searches:
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + statement)]
        assert plan[0].startswith("SCAN articles_fts"), plan
