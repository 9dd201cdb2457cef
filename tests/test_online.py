"""Online story clustering: the example's stories, one-by-one equals batch, quiet stories, stable ids, repair."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import JANUARY_FILE, JULY_FILES
from parallax.clean import Clean
from parallax.cluster import Clustering, stories_from_clustering
from parallax.extract import Extract
from parallax.model import Article
from parallax.online import (
    METHOD,
    SIGNALS,
    OnlineClusterer,
    OnlineOptions,
    cluster_online,
    default_online_options,
    story_key,
    stream_order,
)
from parallax.read import Reader
from parallax.story_repair import RepairOptions, repair_stories
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
STRIKE = (
    "Dock workers in Halvport walked off the job on Friday over pay. The union said 1,200 members joined the strike. "
    "Shipping companies warned of delays to container traffic. Talks with the port authority are set for next week."
)


def example_articles(example_dir: Path) -> list[Article]:
    return list(Extract()(Clean()(Reader([example_dir]))))


def stems(groups: list[list[str]], articles: list[Article]) -> list[list[str]]:
    stem = {a.id: Path(a.source).stem for a in articles}
    return sorted(sorted(stem[i] for i in group) for group in groups)


@pytest.mark.xfail(
    strict=True,
    reason="cluster.online.v2 joins the January report to the July story (join probability 0.99 against a "
    "threshold of 0.45 fitted on NeuS): in a stream of one story the margin over the best rival is the whole text "
    "similarity (0.28, as high as the headline-less July report's 0.28); the batch cluster.tfidf.v1 keeps it apart "
    "on sentence matches. Time cannot separate them: extraction dates only one of the five reports (July 16), so "
    "the January one is undated and its days signals are zero. Its other signals match the fourth July report's "
    "(text 0.28/0.28, names 0.51/0.62, word pairs 0.035/0.052); shared word triples do differ (2 against 11), "
    "but a model fitted on NeuS train gives them no weight (-0.05)",
)
def test_example_july_reports_are_one_story_and_january_another(example_dir: Path) -> None:
    articles = example_articles(example_dir)
    assert stems(cluster_online(articles).groups, articles) == [sorted(JULY_FILES), [JANUARY_FILE]]


def varied_stream() -> list[Article]:
    start = date(2024, 3, 1)
    texts = [FLOOD, BUDGET, STRIKE]
    articles = []
    for n in range(18):
        base = texts[n % 3]
        day = start + timedelta(days=n if n % 4 else n + 20)  # every date differs; every 4th far ahead
        articles.append(article(f"a{n:02}", base.replace("Monday", f"Monday {n}"), published=day))
    articles.append(article("undated", STRIKE))
    return articles


def test_adding_one_by_one_gives_the_same_stories_as_one_batch() -> None:
    articles = varied_stream()
    shuffled = articles[:]
    random.Random(7).shuffle(shuffled)
    batch = cluster_online(shuffled)  # the batch puts them in date order itself
    clusterer = OnlineClusterer()
    for item in stream_order(articles):
        clusterer.add(item)
        clusterer.clustering()  # looking at the stories half way changes nothing
    assert clusterer.clustering().groups == batch.groups
    assert len(batch.groups) > 3  # the stream has several stories: the comparison is not trivially equal


def test_stories_partition_the_articles_and_name_the_method() -> None:
    articles = varied_stream()
    clustering = cluster_online(articles)
    members = [i for group in clustering.groups for i in group]
    assert sorted(members) == sorted(a.id for a in articles)
    assert clustering.method == METHOD == "cluster.online.v2"


def test_a_story_quiet_longer_than_quiet_days_is_not_joined() -> None:
    near = [article("a", FLOOD, published=date(2024, 3, 1)), article("b", FLOOD, published=date(2024, 3, 4))]
    far = [article("a", FLOOD, published=date(2024, 3, 1)), article("b", FLOOD, published=date(2024, 5, 1))]
    assert len(cluster_online(near).groups) == 1
    assert len(cluster_online(far).groups) == 2
    longer = replace(default_online_options(), quiet_days=90)
    assert len(cluster_online(far, longer).groups) == 1


def test_an_undated_article_can_still_join_a_quiet_story() -> None:
    clusterer = OnlineClusterer(replace(default_online_options(), quiet_days=3))
    first = clusterer.add(article("a", FLOOD, published=date(2024, 3, 1)))
    clusterer.add(article("b", BUDGET, published=date(2024, 5, 1)))  # the flood story is quiet from here on
    assert clusterer.active_stories == 1 and clusterer.indexed_stories == 2
    assert clusterer.add(article("c", FLOOD.replace("Monday", "Monday night"))).story == first.story
    assert clusterer.add(article("d", FLOOD, published=date(2024, 5, 2))).story != first.story


def test_the_active_index_stays_bounded() -> None:
    options = replace(default_online_options(), quiet_days=3)
    clusterer = OnlineClusterer(options)
    for n in range(30):  # one story every ten days: each is quiet before the next arrives
        clusterer.add(article(f"a{n}", f"{FLOOD} Day {n}.", published=date(2024, 1, 1) + timedelta(days=10 * n)))
        assert clusterer.active_stories == 1
        assert clusterer.indexed_stories <= options.max_stories
    capped = OnlineClusterer(replace(default_online_options(), max_stories=2))
    for n, text in enumerate([FLOOD, BUDGET, STRIKE, FLOOD]):
        capped.add(article(f"b{n}", text))
        assert capped.indexed_stories <= 2
    assert len(capped.clustering().groups) == 4  # the flood story had left the index when the flood came back


def test_story_ids_are_stable_as_a_story_grows() -> None:
    clusterer = OnlineClusterer()
    first = clusterer.add(article("a", FLOOD, published=date(2024, 3, 1)))
    second = clusterer.add(article("b", FLOOD.replace("Monday", "Monday night"), published=date(2024, 3, 2)))
    assert first.story == second.story == story_key("a")
    assert first.probability == 1.0 and 0.5 <= second.probability <= 1.0
    assert second.method == METHOD


def test_shipped_parameters_load_and_bad_options_are_refused() -> None:
    options = default_online_options()
    assert len(options.weights) == len(SIGNALS) and 0 < options.threshold < 1
    with pytest.raises(ValueError, match="weights"):
        OnlineOptions(weights=(1.0,), bias=0.0)
    with pytest.raises(ValueError, match="threshold"):
        replace(options, threshold=1.5)


def test_repair_splits_a_drifted_article_and_keeps_the_story_id() -> None:
    articles = [
        article("a", FLOOD, published=date(2024, 3, 1)),
        article("b", FLOOD.replace("Monday", "Monday night"), published=date(2024, 3, 2)),
        article("c", FLOOD.replace("Tuesday", "Wednesday"), published=date(2024, 3, 2)),
        article("d", BUDGET, published=date(2024, 3, 3)),
    ]
    repaired = repair_stories(articles, Clustering([["a", "b", "c", "d"]]), RepairOptions())
    assert sorted(repaired.stories.values()) == [["a", "b", "c"], ["d"]]
    assert repaired.stories[story_key("a")] == ["a", "b", "c"]  # the stable story keeps its id
    assert repaired.split == [(story_key("a"), "d")]


def test_repair_merges_stories_that_grew_together_under_the_older_id() -> None:
    articles = [
        article("a", FLOOD, published=date(2024, 3, 1)),
        article("b", FLOOD.replace("Monday", "Monday night"), published=date(2024, 3, 2)),
        article("c", BUDGET, published=date(2024, 3, 2)),
    ]
    repaired = repair_stories(articles, Clustering([["b"], ["a"], ["c"]]))
    assert repaired.stories == {story_key("a"): ["a", "b"], story_key("c"): ["c"]}
    assert repaired.merged == [(story_key("a"), story_key("b"))]
    far = [replace(articles[0], published=date(2024, 1, 1)), *articles[1:]]
    assert len(repair_stories(far, Clustering([["b"], ["a"], ["c"]])).stories) == 3  # outside the window


def test_stories_from_an_online_clustering_keep_the_first_article_id() -> None:
    articles = [
        article("b", FLOOD.replace("Monday", "Monday night"), published=date(2024, 3, 2)),
        article("a", FLOOD, published=date(2024, 3, 1)),
        article("c", BUDGET, published=date(2024, 3, 3)),
    ]
    stories = stories_from_clustering(cluster_online(articles), articles)
    assert [(s.id, s.article_ids) for s in stories] == [(story_key("a"), ["a", "b"]), (story_key("c"), ["c"])]
    assert {s.method for s in stories} == {METHOD}
