"""The bundled example's main story, analysed once: its annotated articles, facts and source families."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from parallax.compare import compare_story
from parallax.families import SourceFamilies, source_families
from parallax.model import Article, Fact
from parallax.pipeline import analyze
from parallax.store import Store

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "karabakh-2023"


@dataclass(slots=True, frozen=True)
class MainStory:
    """The example's largest story: its member articles (annotated), aligned facts and source families."""

    articles: list[Article]
    facts: list[Fact]
    families: SourceFamilies

    def by_outlet(self, outlet: str) -> Article:
        """The member article of `outlet`."""
        return next(article for article in self.articles if article.outlet == outlet)


def main_story() -> MainStory:
    """Analyse the bundled example and return its main story (the four July 2023 reports)."""
    with Store.open(":memory:") as store:
        report = analyze([EXAMPLE], store)
    by_id = {article.id: article for article in report.articles}
    story = max(report.stories, key=lambda s: len(s.article_ids))
    members = [by_id[id_] for id_ in story.article_ids]
    families = source_families(members, story.passages)
    return MainStory(members, compare_story(story, members, families=families).facts, families)
