"""The Ray engine's Parquet outputs: articles.parquet, near_duplicates.parquet and stories.parquet.

articles.parquet is the export's articles table (`export.articles_parquet`, one row per article with its story
ids); near_duplicates.parquet holds every stored verified pair with the id of its connected group (the group's
first article, in store order); stories.parquet one row per story: id, title, method, member ids, date span and
how many facts, source families and divergences it has, and its storyline id.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from parallax.errors import MissingDependencyError
from parallax.export import articles_parquet
from parallax.model import Article, Story
from parallax.neardup import NearDuplicate, _groups

__all__ = ["PARQUET_FILES", "near_duplicates_table", "stories_table", "write_parquet_outputs"]

PARQUET_FILES = ("articles.parquet", "near_duplicates.parquet", "stories.parquet")


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as error:
        raise MissingDependencyError("Parquet output", "parquet", "pyarrow") from error
    return pa, pq


def near_duplicates_table(pairs: Sequence[NearDuplicate], article_ids: Sequence[str]) -> Any:
    """The verified pairs as a pyarrow Table, each with its group's id (`article_ids` orders the groups)."""
    pa, _ = _pyarrow()
    group_of = {member: group[0] for group in _groups(article_ids, pairs) for member in group}
    return pa.table(
        {
            "article_id": pa.array([p.article_id for p in pairs], pa.string()),
            "other_id": pa.array([p.other_id for p in pairs], pa.string()),
            "jaccard": pa.array([p.jaccard for p in pairs], pa.float64()),
            "containment": pa.array([p.containment for p in pairs], pa.float64()),
            "other_containment": pa.array([p.other_containment for p in pairs], pa.float64()),
            "group": pa.array([group_of.get(p.article_id) for p in pairs], pa.string()),
        }
    )


def stories_table(stories: Sequence[Story]) -> Any:
    """One row per story as a pyarrow Table."""
    pa, _ = _pyarrow()
    return pa.table(
        {
            "id": pa.array([s.id for s in stories], pa.string()),
            "title": pa.array([s.title for s in stories], pa.string()),
            "method": pa.array([s.method for s in stories], pa.string()),
            "article_ids": pa.array([list(s.article_ids) for s in stories], pa.list_(pa.string())),
            "first_published": pa.array([s.first_published for s in stories], pa.date32()),
            "last_published": pa.array([s.last_published for s in stories], pa.date32()),
            "facts": pa.array([len(s.facts) for s in stories], pa.int32()),
            "source_families": pa.array([len(s.families) for s in stories], pa.int32()),
            "divergences": pa.array([len(s.divergences) for s in stories], pa.int32()),
            "storyline": pa.array([s.storyline.id if s.storyline else None for s in stories], pa.string()),
        }
    )


def write_parquet_outputs(
    articles: Sequence[Article], pairs: Sequence[NearDuplicate], stories: Sequence[Story], out_dir: str | Path
) -> list[Path]:
    """Write articles.parquet, near_duplicates.parquet and stories.parquet into `out_dir`; return their paths."""
    _, pq = _pyarrow()
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    articles_path, pairs_path, stories_path = (folder / name for name in PARQUET_FILES)
    articles_path.write_bytes(articles_parquet(articles, stories))
    pq.write_table(near_duplicates_table(pairs, [a.id for a in articles]), pairs_path)
    pq.write_table(stories_table(stories), stories_path)
    return [articles_path, pairs_path, stories_path]
