"""The store interface (`ArticleStore`): what the pipeline, the CLI and the exports need from a store.

Two backends implement it: `parallax.store.Store` (SQLite, embedded, the default) and
`parallax.store_postgres.PostgresStore` (PostgreSQL, for a shared deployment); `parallax.stores.open_store`
picks one from a path or a database URL. Methods speak model types and the small values of
`parallax.store_values` only, never SQL rows, so callers cannot tell the backends apart.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any, Protocol, Self

from parallax.model import Article, Story
from parallax.neardup import IndexedArticle, NearDuplicate
from parallax.stages import DroppedItem
from parallax.store_values import AddResult, Checkpoint, SearchHit, StoredInput

__all__ = ["ArticleStore"]


class ArticleStore(Protocol):
    """Articles, raw inputs, rejections, stories, learned state and run reports, kept durably."""

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None: ...

    def add_raw(self, raw_hash: str, source: str, content: bytes | None, size: int) -> None:
        """Keep a raw input as received; adding the same hash again keeps the first (filling missing content)."""

    def raw_input(self, raw_hash: str) -> StoredInput | None:
        """Return the stored raw input with this hash, or None."""

    def add_articles(self, articles: Iterable[Article]) -> AddResult:
        """Insert new articles in one transaction; known ids are not re-inserted but their source is linked."""

    def update_articles(self, articles: Iterable[Article]) -> int:
        """Replace the stored data of articles already stored; return how many."""

    def add_rejects(self, items: Iterable[DroppedItem]) -> int:
        """Keep rejected inputs, once per (source, reason, raw hash); return how many were new."""

    def rejects(self) -> list[DroppedItem]:
        """Return every kept rejection, oldest first."""

    def article(self, article_id: str) -> Article | None:
        """Return the stored article with this id, or None."""

    def articles(self, ids: Sequence[str] | None = None) -> list[Article]:
        """Return the articles with these ids (all when None), by publication date (undated last), then id."""

    def originals(self, without: Collection[str] = (), *, outside_stories: bool = False) -> Iterator[Article]:
        """Yield the articles that are not exact duplicates, by publication date (undated last) then id, read a
        page at a time; the fields named in `without` ("raw_text", "quotes", ...) are left empty to save memory.
        With `outside_stories`, only those in no stored story (the articles added since the stories were made)."""

    def article_count(self) -> int:
        """Return how many articles the store holds."""

    def article_ids(self) -> set[str]:
        """Return the id of every stored article."""

    def known_ids(self, ids: Collection[str]) -> set[str]:
        """Return those of `ids` that are stored."""

    def fingerprint_owners(self, fingerprints: Collection[str]) -> dict[str, str]:
        """For each of `fingerprints` (`parallax.dedup.text_fingerprint`) that a stored original (an article not
        marked a duplicate) has, that article's id: the first by publication date, then id, where several have."""

    def article_sources(self, article_id: str) -> list[str]:
        """Return every source (path or URL) the article was read from, sorted."""

    def replace_stories(self, stories: Iterable[Story], checkpoint: Checkpoint | None = None) -> None:
        """Replace every stored story with these, and the saved checkpoints with `checkpoint` (none: the old ones
        are dropped, as they describe the old stories), in one transaction."""

    def put_stories(self, stories: Iterable[Story], checkpoint: Checkpoint) -> None:
        """Write these stories in place of the stored ones with the same ids (the others stay) and save
        `checkpoint` over the one of its name, in one transaction; raise StaleCheckpointError, writing nothing,
        when the stored checkpoint is no longer at `checkpoint.version` (another writer saved since)."""

    def story_outlines(self) -> list[Story]:
        """Every stored story by id, with its title, members, method, dates and storyline only (what linking
        storylines reads), read without the rest of each story's document."""

    def checkpoint(self, name: str) -> Checkpoint | None:
        """The checkpoint saved under `name`, or None."""

    def stories(self, limit: int | None = None, offset: int = 0) -> list[Story]:
        """Return stories, latest first, then larger first, then by id; `limit` and `offset` page through them."""

    def story(self, story_id: str) -> Story:
        """Return the story with this id, or raise UnknownStoryError."""

    def stories_for_article(self, article_id: str) -> list[str]:
        """Return the ids of the stories that include this article, sorted."""

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search of titles and texts; the query is plain words (all must match), never syntax."""

    def learned(self, name: str) -> dict[str, Any] | None:
        """Return what was learned under `name` (a JSON object, with its "method"), or None."""

    def set_learned(self, name: str, data: dict[str, Any]) -> None:
        """Keep what was learned under `name`, replacing the previous value; `data["method"]` names its maker."""

    def add_neardup_entries(self, entries: Iterable[IndexedArticle]) -> None:
        """Append near-duplicate index rows, each filed under its buckets (ids already stored are kept as they
        are)."""

    def neardup_entries(self, buckets: Collection[int] | None = None) -> Iterator[IndexedArticle]:
        """The near-duplicate index rows, in the order they were added: all of them, or those filed under any of
        `buckets` (`IndexedArticle.buckets`)."""

    def add_near_duplicates(self, pairs: Iterable[NearDuplicate], method: str) -> None:
        """Keep verified near-duplicate pairs (a pair already stored is kept as it is)."""

    def near_duplicates(self, article_id: str | None = None) -> list[NearDuplicate]:
        """Stored near-duplicate pairs, all or those involving `article_id`."""

    def add_run(self, command: str, report: dict[str, object]) -> int:
        """Keep a run's report (JSON-ready, as `StageReport.to_dict` gives) and return the run's id."""

    def runs(self) -> list[dict[str, object]]:
        """Return every kept run, oldest first, as dicts with id, started_at, command and report."""
