"""Storylines: stories of one continuing situation are linked, other stories are not, and links respect time."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from conftest import JANUARY_FILE, JULY_FILES
from parallax.clean import Clean
from parallax.cluster import cluster_articles, stories_from_clustering
from parallax.extract import Extract
from parallax.model import Story
from parallax.read import Reader
from parallax.storylines import StorylineOptions, link_storylines, story_similarity
from stagehelpers import article

KARABAKH_TALKS = (
    "Azerbaijan and Armenia resumed peace talks on Nagorno-Karabakh in Moscow. Foreign ministers Jeyhun Bayramov "
    "and Ararat Mirzoyan met Sergei Lavrov. The Lachin corridor remains blocked, Armenia said."
)
KARABAKH_TRUCE = (
    "Azerbaijan said Russia is not fulfilling the Karabakh truce deal. Baku accused Armenia of moving troops near "
    "the Lachin corridor. Moscow said its peacekeepers in Nagorno-Karabakh keep the ceasefire."
)
BUDGET = (
    "Parliament approved the annual budget bill late on Thursday. The finance minister said the budget cuts the "
    "deficit by two percent. Opposition lawmakers voted against the bill, calling its spending cuts reckless."
)


def test_example_july_and_january_stories_form_one_storyline(example_dir: Path) -> None:
    articles = list(Extract()(Clean()(Reader([example_dir]))))
    stem = {a.id: Path(a.source).stem for a in articles}
    stories = stories_from_clustering(cluster_articles(articles), articles)  # the default method's stories
    assert sorted(sorted(stem[i] for i in s.article_ids) for s in stories) == [sorted(JULY_FILES), [JANUARY_FILE]]
    lines = link_storylines(stories, articles)
    assert len(lines) == 1
    assert sorted(lines[0].story_ids) == sorted(s.id for s in stories)
    assert lines[0].method == "storyline.link.v1"


def three_stories() -> tuple[list[Story], list]:  # type: ignore[type-arg]
    articles = [
        article("talks", KARABAKH_TALKS, published=date(2023, 1, 10)),
        article("truce", KARABAKH_TRUCE, published=date(2023, 7, 16)),
        article("budget", BUDGET, published=date(2023, 3, 2)),
    ]
    stories = [
        Story(id=f"s-{a.id}", title=a.id, article_ids=[a.id], method="m", first_published=a.published,
              last_published=a.published)
        for a in articles
    ]  # fmt: skip
    return stories, articles


def test_unrelated_stories_are_not_linked_and_the_earliest_story_comes_first() -> None:
    stories, articles = three_stories()
    lines = link_storylines(stories, articles)
    assert [line.story_ids for line in lines] == [["s-talks", "s-truce"]]


def test_stories_further_apart_than_the_window_are_not_linked() -> None:
    stories, articles = three_stories()
    assert link_storylines(stories, articles, StorylineOptions(window_days=30)) == []
    undated = [replace(s, first_published=None, last_published=None) for s in stories]
    assert len(link_storylines(undated, articles, StorylineOptions(window_days=30))) == 1


def test_similarity_is_symmetric_and_bounded() -> None:
    stories, articles = three_stories()
    similarity = story_similarity(stories, articles)
    assert np.allclose(similarity, similarity.T)
    assert similarity.min() >= 0.0 and similarity.max() <= 1.0 + 1e-9
    assert link_storylines(stories[:1], articles) == []
    with pytest.raises(ValueError, match="threshold"):
        StorylineOptions(threshold=0.0)
