"""The records that flow through parallax: one `Article` per report, and the story-level values built from them.

Per-article stages receive and return `Article` objects; corpus-wide stages (dedup, cluster) and story-level
analysis (compare, summarize) produce the other types here. Every type is a plain slotted dataclass so that it
is cheap, typed and easy to serialise (see `parallax.serialize`).
"""

from __future__ import annotations

import hashlib
import operator
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # values built by their own stages; imported for annotations only (no cycle)
    from parallax.divergence_model import Divergence
    from parallax.entities import Mention
    from parallax.events import Event
    from parallax.families import SourceFamily
    from parallax.framing import Framing
    from parallax.omissions import OutletOmissions
    from parallax.passages import PassageMatch
    from parallax.quantities import Quantity
    from parallax.quotes import Quote
    from parallax.storylines import Storyline
    from parallax.timexpr import TimeExpression

__all__ = [
    "Article",
    "Comparison",
    "Fact",
    "FactEvidence",
    "RemovedLine",
    "Sentence",
    "Story",
    "SummarySentence",
    "article_id_for",
    "compact_pickle",
    "content_hash",
    "file_hash",
    "outlet_label",
]

ID_LENGTH = 16
"""Hex digits kept from a SHA-256 for ids: 64 bits, collision-free in practice below ~10^8 articles."""


T = TypeVar("T")


def compact_pickle(cls: type[T]) -> type[T]:
    """Pickle a frozen slotted dataclass as its class and field values (the default goes through `__getstate__`
    and is 2-3x slower). Annotations are small and many; the local engine sends every one of them between
    processes. Put it above `@dataclass`; every field must be an `__init__` argument."""
    values = operator.attrgetter(*(f.name for f in fields(cls)))  # type: ignore[arg-type]

    def __reduce__(self: T) -> tuple[type[T], tuple[Any, ...]]:  # noqa: N807 - the pickle protocol's name
        found = values(self)
        return cls, found if isinstance(found, tuple) else (found,)

    cls.__reduce__ = __reduce__  # type: ignore[assignment,method-assign]
    return cls


def content_hash(data: bytes) -> str:
    """Return the full SHA-256 hex digest of raw input bytes (stored so nothing read is ever lost)."""
    return hashlib.sha256(data).hexdigest()


def file_hash(path: Path) -> str:
    """Return the SHA-256 hex digest of a file's bytes, read in chunks (for inputs too large to hold)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def outlet_label(article: Article) -> str:
    """The outlet as shown to users: the known outlet, else "unknown (file name)" so that reports stay tellable."""
    return article.outlet or f"unknown ({Path(article.source).name})"


def article_id_for(raw_hash: str) -> str:
    """Return the stable article id derived from the raw input's hash: the same bytes always get the same id."""
    return raw_hash[:ID_LENGTH]


@compact_pickle
@dataclass(slots=True, frozen=True)
class RemovedLine:
    """A line that cleaning removed, with the rule that removed it, so nothing is dropped silently."""

    line_no: int
    text: str
    rule: str


@compact_pickle
@dataclass(slots=True, frozen=True)
class Sentence:
    """A sentence of an article's clean text, with character offsets into that text."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class Article:
    """One report by one outlet, from raw input to clean, annotated text.

    `id` is derived from the raw bytes (`article_id_for(raw_hash)`), so re-reading the same input yields the same
    id. `provenance` records where each metadata field came from (for example `{"title": "first_line"}`).
    `extra` is reserved for plug-ins; the core never reads it.
    """

    id: str
    source: str
    raw_hash: str
    raw_text: str
    text: str = ""
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: date | None = None
    language: str | None = None
    byline: str | None = None
    agencies: list[str] = field(default_factory=list)
    photo_credits: list[str] = field(default_factory=list)
    removed_lines: list[RemovedLine] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    provenance: dict[str, str] = field(default_factory=dict)
    quotes: list[Quote] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    entities: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    duplicate_of: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True, frozen=True)
class FactEvidence:
    """One article sentence that states a fact."""

    article_id: str
    sentence_index: int
    text: str


@dataclass(slots=True)
class Fact:
    """What several articles say alike: sentences aligned across articles into one statement."""

    text: str
    article_ids: list[str]
    outlets: list[str]
    evidence: list[FactEvidence]
    independent_sources: int = 0
    """How many source families state it: reprints of one dispatch count once (`families.independent_sources`)."""


@dataclass(slots=True, frozen=True)
class SummarySentence:
    """A summary sentence, taken verbatim from an article, with the ids of every article that supports it.

    `article_ids[0]` is the article whose words the sentence is; the others state the same fact in their own.
    """

    text: str
    article_ids: tuple[str, ...]


@dataclass(slots=True)
class Comparison:
    """What the comparison stage finds in one story's coverage: the facts with who reports them, the questions
    the articles answer differently, what each outlet leaves out, and how each one words the story."""

    story_id: str
    facts: list[Fact]
    method: str
    divergences: list[Divergence] = field(default_factory=list)
    omissions: list[OutletOmissions] = field(default_factory=list)
    framing: Framing | None = None


@dataclass(slots=True)
class Story:
    """A group of articles about the same real-world event, with its comparison and cited summary.

    `families` are its articles' source families, `passages` what pairs of its articles share (with spans);
    `facts`, `divergences`, `omissions` and `framing` come from its `Comparison`; `storyline` is the continuing
    situation it belongs to with the other stories of it (`parallax.storylines`), None when it is linked to none."""

    id: str
    title: str
    article_ids: list[str]
    method: str
    first_published: date | None = None
    last_published: date | None = None
    facts: list[Fact] = field(default_factory=list)
    summary: list[SummarySentence] = field(default_factory=list)
    families: list[SourceFamily] = field(default_factory=list)
    passages: list[PassageMatch] = field(default_factory=list)
    divergences: list[Divergence] = field(default_factory=list)
    omissions: list[OutletOmissions] = field(default_factory=list)
    framing: Framing | None = None
    storyline: Storyline | None = None
