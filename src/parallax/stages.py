"""The plumbing every per-article stage shares: counting, timing and dropping with a reason.

A stage is `Iterable[Article] -> Iterator[Article]`. Subclasses fill in `process`, which returns the (possibly
modified) article or raises `Drop` to reject it; the base class counts what went in and out, keeps each
dropped item inspectable, and times the work. The `StageReport` it fills is what the CLI prints, the store
keeps and the evaluation gates read.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from parallax.model import Article

__all__ = ["Drop", "DroppedItem", "Stage", "StageReport", "dropped_by_reason"]


class Drop(Exception):  # noqa: N818 - it is a signal, not an error: "drop this item, for this reason"
    """Raised inside a stage to reject the current item with a counted reason."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(slots=True, frozen=True)
class DroppedItem:
    """An input a stage rejected: where it came from, why, and the raw input's hash when there is one."""

    source: str
    reason: str
    detail: str = ""
    raw_hash: str | None = None


@dataclass(slots=True)
class StageReport:
    """Counts, drops by reason and time spent for one stage run."""

    stage: str
    seen: int = 0
    kept: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    dropped_items: list[DroppedItem] = field(default_factory=list)
    seconds: float = 0.0
    counts: Counter[str] = field(default_factory=Counter)

    def drop(self, item: DroppedItem) -> None:
        """Record one rejected item under its reason."""
        self.dropped[item.reason] += 1
        self.dropped_items.append(item)

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready view of the report."""
        return {
            "stage": self.stage,
            "seen": self.seen,
            "kept": self.kept,
            "dropped": dict(self.dropped),
            "dropped_items": [
                {"source": d.source, "reason": d.reason, "detail": d.detail, "raw_hash": d.raw_hash}
                for d in self.dropped_items
            ],
            "counts": dict(self.counts),
            "seconds": round(self.seconds, 6),
        }


def dropped_by_reason(reports: Iterable[StageReport]) -> dict[str, int]:
    """Drops of several stages, summed by reason."""
    totals: Counter[str] = Counter()
    for report in reports:
        totals.update(report.dropped)
    return dict(totals)


class Stage(ABC):
    """Base of per-article stages: subclasses implement `process` for one article."""

    name: ClassVar[str]

    def __init__(self) -> None:
        self.report = StageReport(self.name)

    def __call__(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            self.report.seen += 1
            started = time.perf_counter()
            try:
                result = self.process(article)
            except Drop as drop:
                self.report.drop(DroppedItem(article.source, drop.reason, drop.detail, article.raw_hash))
                continue
            finally:
                self.report.seconds += time.perf_counter() - started
            self.report.kept += 1
            yield result

    @abstractmethod
    def process(self, article: Article) -> Article:
        """Return the article after this stage's work, or raise `Drop` to reject it."""
