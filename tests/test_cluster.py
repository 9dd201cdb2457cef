"""Story clustering: the example's stories, partitions, the time window, stable ids."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import JANUARY_FILE, JULY_FILES
from parallax.clean import Clean
from parallax.cluster import ClusterOptions, cluster_articles, similarity_matrix, stories_from_clustering, story_id
from parallax.extract import Extract
from parallax.read import Reader
from stagehelpers import article

FLOOD = (
    "Heavy rain flooded the river valley town of Brenford on Monday. Rescue teams evacuated four hundred residents "
    "from the flooded streets. The mayor of Brenford declared a state of emergency after the river burst its banks. "
    "Forecasters expect more rain in the valley on Tuesday."
)
BUDGET = (
    "Parliament approved the annual budget bill late on Thursday. The finance minister said the budget cuts the "
    "deficit by two percent. Opposition lawmakers voted against the bill, calling its spending cuts reckless. "
    "The budget now goes to the president for signature."
)


def test_example_forms_the_july_story_without_the_january_report(example_dir: Path) -> None:
    articles = list(Extract()(Clean()(Reader([example_dir]))))
    stem = {a.id: Path(a.source).stem for a in articles}
    groups = cluster_articles(articles).groups
    assert sorted(sorted(stem[i] for i in group) for group in groups) == [sorted(JULY_FILES), [JANUARY_FILE]]


def test_fact_similarity_is_what_separates_the_example(example_dir: Path) -> None:
    articles = list(Extract()(Clean()(Reader([example_dir]))))
    index = {Path(a.source).stem: n for n, a in enumerate(articles)}
    titled = [index[stem] for stem in JULY_FILES[:3]]

    def gap(options: ClusterOptions) -> float:
        similarity = similarity_matrix(articles, options)
        untitled_july = similarity[index[JULY_FILES[3]], titled].mean()
        january = similarity[index[JANUARY_FILE], titled].mean()
        return float(untitled_july - january)

    assert abs(gap(ClusterOptions(sentence_weight=0.0))) < 0.01  # documents alone: no threshold separates them
    assert gap(ClusterOptions()) > 0.05


def test_same_event_groups_and_other_event_does_not() -> None:
    articles = [article("a", FLOOD), article("b", FLOOD.replace("Monday", "Monday night")), article("c", BUDGET)]
    assert cluster_articles(articles).groups == [["a", "b"], ["c"]]


def test_time_window_separates_far_apart_dates() -> None:
    near = [article("a", FLOOD, published=date(2024, 3, 1)), article("b", FLOOD, published=date(2024, 3, 5))]
    far = [article("a", FLOOD, published=date(2024, 3, 1)), article("b", FLOOD, published=date(2024, 6, 1))]
    undated = [article("a", FLOOD, published=date(2024, 3, 1)), article("b", FLOOD)]
    assert len(cluster_articles(near).groups) == 1
    assert len(cluster_articles(far).groups) == 2
    assert len(cluster_articles(undated).groups) == 1  # no date: judged on text alone
    assert len(cluster_articles(far, ClusterOptions(window_days=365)).groups) == 1


def test_edge_inputs() -> None:
    assert cluster_articles([]).groups == []
    assert cluster_articles([article("a", FLOOD)]).groups == [["a"]]
    stop_words = [article("a", "The and of it."), article("b", "It is the one.")]
    assert sorted(cluster_articles(stop_words).groups) == [["a"], ["b"]]
    assert similarity_matrix(stop_words).tolist() == [[1.0, 0.0], [0.0, 1.0]]


def test_stories_are_stable_and_described() -> None:
    articles = [
        article("b", FLOOD, published=date(2024, 3, 2)),
        article("a", FLOOD.replace("Monday", "Monday night"), published=date(2024, 3, 1)),
    ]
    [story] = stories_from_clustering(cluster_articles(articles), articles)
    assert story.id == story_id(["a", "b"]) == story_id(["b", "a"])
    assert story.article_ids == ["a", "b"]  # by date
    assert (story.first_published, story.last_published) == (date(2024, 3, 1), date(2024, 3, 2))
    assert story.title.startswith("Heavy rain flooded")  # no titles: the most central lead sentence
    assert story.method == "cluster.tfidf.v1"


@pytest.mark.parametrize(
    "options",
    [{"threshold": 0}, {"threshold": 1.5}, {"window_days": -1}, {"sentence_weight": 2}, {"top_sentences": 0}],
)
def test_options_are_validated(options: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="ClusterOptions"):
        ClusterOptions(**options)  # type: ignore[arg-type]


words = st.sampled_from(["flood", "river", "budget", "vote", "storm", "rescue", "town", "bill", "rain", "minister"])
texts = st.lists(words, min_size=3, max_size=30).map(lambda ws: " ".join(ws) + ".")


@settings(max_examples=50, deadline=None)
@given(st.lists(texts, min_size=1, max_size=12), st.floats(min_value=0.05, max_value=1.0))
def test_groups_partition_the_articles(bodies: list[str], threshold: float) -> None:
    articles = [article(str(n), body) for n, body in enumerate(bodies)]
    groups = cluster_articles(articles, ClusterOptions(threshold=threshold)).groups
    members = [i for group in groups for i in group]
    assert sorted(members) == sorted(a.id for a in articles)
    assert all(groups)
