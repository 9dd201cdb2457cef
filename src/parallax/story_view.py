"""The story page's read model (method `web.story.v2`): what one page shows of a story, cut when it is stored.

A story is stored whole as one JSON document (`report.json`'s story object, the `stories.data` column); a story of
three hundred articles holds over ten thousand facts and tens of megabytes of omissions. Cutting that document on
every view (v1 did it in SQL with SQLite's JSON functions) parses it whole each time: 0.8 s for the largest story
of the AllSides corpus. So each store writes, beside the document and in the same transaction, the parts the
page reads:

- `story_views`: the document without its facts and omissions (`head`), how many facts it has, the facts the
  matrix draws (the `parallax.plots.MAX_FACTS` most independently reported, ranked as `parallax.plots.fact_matrix`
  ranks them, each with its 1-based position), and each outlet's omission entry with its omitted and reworded
  facts cut to `OMITTED_SHOWN` (with the full counts);
- `story_facts`: one row per fact with its position, so a page of the facts table is an index range.

The facts are thus stored twice (in the document and in `story_facts`): the price of a page that reads what it
shows. `story_view` is a pure function of the document; both stores call it (`parallax.store`,
`parallax.store_postgres`) and their migration fills it for stories stored before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from parallax.plots import MAX_FACTS

__all__ = ["METHOD", "OMITTED_SHOWN", "StoryView", "story_view"]

METHOD = "web.story.v2"
OMITTED_SHOWN = 10
"""Omitted (and reworded) facts kept per outlet for the page; the page says how many there are in all."""


@dataclass(slots=True, frozen=True)
class StoryView:
    """The stored parts of one story's page, as JSON text (see the module docstring)."""

    head: str
    fact_total: int
    matrix: str
    omissions: str
    facts: tuple[str, ...]


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False)


def _rank(position_fact: tuple[int, dict[str, Any]]) -> tuple[int, int, int]:
    position, fact = position_fact
    return (-int(fact.get("independent_sources", 0)), -len(set(fact.get("article_ids", ()))), position)


def story_view(document: dict[str, Any]) -> StoryView:
    """The page's parts of a story document (`serialize.story_to_dict`'s output); the document is not changed."""
    facts: list[dict[str, Any]] = list(document.get("facts") or [])
    omissions: list[dict[str, Any]] = list(document.get("omissions") or [])
    head = {key: value for key, value in document.items() if key not in ("facts", "omissions")}
    matrix = sorted(enumerate(facts, start=1), key=_rank)[:MAX_FACTS]
    cut = [
        [
            len(entry.get("omitted") or ()),
            {
                **entry,
                "omitted": list(entry.get("omitted") or ())[:OMITTED_SHOWN],
                "reworded": list(entry.get("reworded") or ())[:OMITTED_SHOWN],
            },
        ]
        for entry in omissions
    ]
    return StoryView(
        _dumps(head),
        len(facts),
        _dumps([[position, fact] for position, fact in matrix]),
        _dumps(cut),
        tuple(_dumps(fact) for fact in facts),
    )
