"""The story page's reads, sized to what one page shows (method `web.story.v1`).

A story is stored as one JSON document (`report.json`'s story object); a story of three hundred articles holds
over ten thousand facts and tens of megabytes of omissions, which Python would parse whole on every view. Here
SQLite's JSON functions cut the document down before Python sees it: one page of facts (`FACTS_PER_PAGE`, in the
stored order), the facts the matrix draws (the `parallax.plots.MAX_FACTS` most independently reported, ranked as
`parallax.plots.fact_matrix` ranks them), each outlet's omitted and reworded facts cut to `OMITTED_SHOWN` (their
full counts kept), and the rest of the story as stored. The story's articles are read from the articles table's
columns only (title, outlet, dates, source), not their annotated text. One SQL statement each, on the read-only
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
from parallax.plots import MAX_FACTS
from parallax.serialize import fact_from_dict, passage_match_from_dict, story_from_dict

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

METHOD = "web.story.v1"
FACTS_PER_PAGE = 100
"""Facts per page of the story page's facts table (each row has a cell per article of the story)."""
OMITTED_SHOWN = 10
"""Omitted (and reworded) facts listed per outlet; the page says how many there are in all."""

_STORY_PAGE = """
WITH parts AS MATERIALIZED (
  SELECT json_remove(data, '$.facts', '$.omissions') AS rest,
    json_extract(data, '$.facts') AS facts, json_extract(data, '$.omissions') AS omissions
  FROM stories WHERE id = :id)
SELECT p.rest,
  json_array_length(p.facts),
  (SELECT json_group_array(json_array(f.key, json(f.value))) FROM
    (SELECT key, value FROM json_each(p.facts) WHERE key >= :offset ORDER BY key LIMIT :limit) AS f),
  (SELECT json_group_array(json_array(m.key, json(m.value))) FROM
    (SELECT key, value FROM json_each(p.facts)
     ORDER BY json_extract(value, '$.independent_sources') DESC, json_array_length(value, '$.article_ids') DESC, key
     LIMIT :matrix) AS m),
  (SELECT json_group_array(json_array(
      json_array_length(o.value, '$.omitted'),
      json_set(o.value,
        '$.omitted', json((SELECT json_group_array(json(x.value)) FROM
          (SELECT value FROM json_each(o.value, '$.omitted') ORDER BY key LIMIT :omitted) AS x)),
        '$.reworded', json((SELECT json_group_array(json(x.value)) FROM
          (SELECT value FROM json_each(o.value, '$.reworded') ORDER BY key LIMIT :omitted) AS x)))))
   FROM json_each(p.omissions) AS o)
FROM parts AS p
"""


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


def _keyed_facts(document: str | None) -> list[tuple[int, Fact]]:
    return [(int(key) + 1, fact_from_dict(value)) for key, value in json.loads(document or "[]")]


def read_story_page(
    conn: sqlite3.Connection, story_id: str, fact_offset: int = 0, fact_limit: int = FACTS_PER_PAGE
) -> StoryPage | None:
    """One page of the story with this id, or None when there is none (see the module docstring)."""
    row = conn.execute(
        _STORY_PAGE,
        {"id": story_id, "offset": fact_offset, "limit": fact_limit, "matrix": MAX_FACTS, "omitted": OMITTED_SHOWN},
    ).fetchone()
    if row is None:
        return None
    rest, fact_total, page, matrix, omissions = row
    data: dict[str, Any] = json.loads(rest)
    counted = [(int(total), entry) for total, entry in json.loads(omissions or "[]")]
    data["facts"] = [fact for _, fact in sorted(json.loads(page or "[]"), key=lambda pair: pair[0])]
    data["omissions"] = [entry for _, entry in counted]
    story = story_from_dict(data)
    ranked = sorted(_keyed_facts(matrix), key=lambda p: (-p[1].independent_sources, -len(set(p[1].article_ids)), p[0]))
    totals = {str(entry["outlet"]): total for total, entry in counted}
    return StoryPage(story, int(fact_total or 0), fact_offset, fact_limit, ranked, totals)


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
