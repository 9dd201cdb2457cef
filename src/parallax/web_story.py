"""The story page's reads, sized to what one page shows (method `web.story.v2`).

A story's page reads its read model (`parallax.story_view`, written with the story): the story without its facts
and omissions, the facts the matrix draws, each outlet's omissions cut to `OMITTED_SHOWN` (their full counts
kept), and one page of facts (`FACTS_PER_PAGE`, in the stored order) as an index range of `story_facts`. Never the
whole document, which for a story of three hundred articles is tens of megabytes. The story's articles are read
from the articles table's columns only (title, outlet, dates, source), not their annotated text. On the read-only
connection of the lists (`parallax.web_queries.open_readonly`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from parallax.model import Article, Fact, Story
from parallax.passages import PassageMatch
from parallax.serialize import fact_from_dict, passage_match_from_dict, story_from_dict
from parallax.story_view import OMITTED_SHOWN

__all__ = [
    "FACTS_PER_PAGE",
    "METHOD",
    "OMITTED_SHOWN",
    "StoryPage",
    "article_heads",
    "passages_of",
    "read_story_page",
    "story_document",
    "story_titles",
]

METHOD = "web.story.v2"
FACTS_PER_PAGE = 100
"""Facts per page of the story page's facts table (each row has a cell per outlet of the story)."""

_STORY_VIEW = "SELECT head, fact_total, matrix, omissions FROM story_views WHERE story_id = ?"
_STORY_FACTS = "SELECT data FROM story_facts WHERE story_id = ? AND position >= ? ORDER BY position LIMIT ?"


@dataclass(slots=True, frozen=True)
class StoryPage:
    """What the story page shows of one story.

    `story.facts` holds the page's facts only (from `fact_offset`, 1-based position `fact_offset + i + 1`), and
    each outlet's `omitted`/`reworded` at most `OMITTED_SHOWN`; `fact_total` and `omitted_totals` (by outlet) say
    how many there are in all. `matrix_facts` are the drawn facts as (1-based position, fact), best first."""

    story: Story
    fact_total: int
    fact_offset: int
    fact_limit: int
    matrix_facts: list[tuple[int, Fact]]
    omitted_totals: dict[str, int]

    @property
    def hidden_from_matrix(self) -> int:
        """Facts the matrix leaves out."""
        return self.fact_total - len(self.matrix_facts)

    def fact_page_offset(self, position: int) -> int:
        """The `fact_offset` of the page whose table holds the fact at this 1-based position."""
        return (position - 1) // self.fact_limit * self.fact_limit


def read_story_page(
    conn: sqlite3.Connection, story_id: str, fact_offset: int = 0, fact_limit: int = FACTS_PER_PAGE
) -> StoryPage | None:
    """One page of the story with this id, or None when there is none (see the module docstring)."""
    row = conn.execute(_STORY_VIEW, (story_id,)).fetchone()
    if row is None:
        return None
    head, fact_total, matrix, omissions = row
    data: dict[str, Any] = json.loads(head)
    counted = [(int(total), entry) for total, entry in json.loads(omissions)]
    page = conn.execute(_STORY_FACTS, (story_id, fact_offset, fact_limit)).fetchall()
    data["facts"] = [json.loads(fact) for (fact,) in page]
    data["omissions"] = [entry for _, entry in counted]
    story = story_from_dict(data)
    drawn = [(int(position), fact_from_dict(fact)) for position, fact in json.loads(matrix)]
    totals = {str(entry["outlet"]): total for total, entry in counted}
    return StoryPage(story, int(fact_total), fact_offset, fact_limit, drawn, totals)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def article_heads(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, Article]:
    """The articles with these ids as lists and the story page show them: metadata columns only, no text."""
    rows = conn.execute(
        "SELECT id, source, raw_hash, title, outlet, url, published, language, duplicate_of FROM articles"
        " WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(ids)),),
    )
    heads = {
        article_id: Article(
            article_id,
            source,
            raw_hash,
            "",
            title=title,
            outlet=outlet,
            url=url,
            published=_day(published),
            language=language,
            duplicate_of=duplicate_of,
        )
        for article_id, source, raw_hash, title, outlet, url, published, language, duplicate_of in rows
    }
    return {article_id: heads[article_id] for article_id in ids if article_id in heads}


def story_titles(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, str]:
    """The titles of the stories with these ids that exist (a storyline may name stories rebuilt since)."""
    rows = conn.execute(
        "SELECT id, title FROM stories WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(list(ids)),)
    )
    return {str(story_id): str(title) for story_id, title in rows.fetchall()}


def story_document(conn: sqlite3.Connection, story_id: str) -> str | None:
    """The story's JSON document as stored (`report.json`'s story object), unparsed, or None."""
    row = conn.execute("SELECT data FROM stories WHERE id = ?", (story_id,)).fetchone()
    return None if row is None else str(row[0])


def passages_of(conn: sqlite3.Connection, article_id: str) -> list[PassageMatch]:
    """The shared-passage matches of every story of the article that involve it (as stored, either side)."""
    rows = conn.execute(
        "SELECT p.value FROM story_articles AS sa JOIN stories AS s ON s.id = sa.story_id,"
        " json_each(s.data, '$.passages') AS p WHERE sa.article_id = :id"
        " AND :id IN (json_extract(p.value, '$.a_id'), json_extract(p.value, '$.b_id'))"
        " ORDER BY sa.story_id, p.key",
        {"id": article_id},
    )
    return [passage_match_from_dict(json.loads(value)) for (value,) in rows]
