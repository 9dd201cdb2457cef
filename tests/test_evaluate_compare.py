"""Summary evaluation on NeuS-shaped data: ROUGE against the roundup, baselines, subsets and loaded-term share."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from parallax.errors import MissingDependencyError
from parallax.evaluate_compare import CompareEvalOptions, evaluate_compare, load_neus_stories
from parallax.summarize import SummaryOptions

FLOOD = "Heavy rain flooded the river town of Brenford on Monday."
RESCUE = "Rescue teams evacuated four hundred residents from the town."
STORIES: list[dict[str, Any]] = [
    {  # the roundup is the one fact both full texts state (in their own words: a copied sentence would make the two
        # one source family); the centre article opens with something else
        "story": "neus-val-0000",
        "roundup": FLOOD,
        "articles": [
            ("left", "full_baly", f"Local football matches were postponed for the whole weekend. {FLOOD} {RESCUE}"),
            (
                "center",
                "full_baly",
                "The town hall clock stopped at noon. Brenford, a river town, was flooded by heavy rain.",
            ),
            ("right", "lead_only", "Shocking scenes of despair unfolded as the disastrous storm hit the valley."),
        ],
    },
    {  # leads only, the centre's first sentence being the roundup
        "story": "neus-val-0001",
        "roundup": "The central bank raised its main interest rate by half a point.",
        "articles": [
            ("left", "lead_only", "Critics warned that borrowers would suffer for years to come."),
            ("center", "lead_only", "The central bank raised its main interest rate by half a point."),
            ("right", "lead_only", "Savers welcomed the long awaited decision of the bank board."),
        ],
    },
    {  # another split: never read for val
        "story": "neus-train-0000",
        "roundup": "Unrelated.",
        "articles": [("center", "full_baly", "A story of the train split that val must not read at all.")],
    },
]


@pytest.fixture
def neus(tmp_path: Path) -> Path:
    """A NeuS-shaped folder: stories.jsonl and articles.jsonl, as in ../shared/data/allsides_neus."""
    stories, articles = [], []
    for story in STORIES:
        split = story["story"].split("-")[1]
        ids = [f"{story['story']}-{k}" for k in range(len(story["articles"]))]
        stories.append(
            {
                "story": story["story"],
                "neus_split": split,
                "neutral_title": "t",
                "neutral_summary": story["roundup"],
                "article_ids": ids,
                "allsides_bias": [bias for bias, _, _ in story["articles"]],
            }
        )
        for article_id, (bias, kind, text) in zip(ids, story["articles"], strict=True):
            labels = {"neus_split": split, "text_kind": kind}
            record = {"id": article_id, "outlet": f"{bias} outlet", "title": f"{bias} report", "text": text}
            articles.append({**record, "story": story["story"], "labels": labels})
    for name, records in (("stories.jsonl", stories), ("articles.jsonl", articles)):
        (tmp_path / name).write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return tmp_path


def run(neus: Path, **summary: Any) -> dict[str, Any]:
    """Evaluate with position out of the score: these tests are about the scoring, not the tuned weights."""
    options = SummaryOptions(**{"position": 0.0, **summary})
    return evaluate_compare(neus, "val", CompareEvalOptions(summary=options))


def test_a_summary_equal_to_the_roundup_scores_one_and_beats_the_centre_lead(neus: Path) -> None:
    subset = run(neus, max_sentences=1)["subsets"]["full_text_2plus"]
    assert subset["stories"] == 1
    parallax, lead1 = subset["variants"]["parallax"], subset["variants"]["lead1"]
    assert parallax["rouge1_f"] == parallax["rouge2_f"] == parallax["rougeL_f"] == 1.0
    assert lead1["rouge1_f"] < parallax["rouge1_f"]
    assert lead1["rouge2_recall"] == 0.0  # the clock sentence shares no bigram with the roundup


def test_a_longer_summary_keeps_recall_and_loses_precision(neus: Path) -> None:
    short = run(neus, max_sentences=1)["subsets"]["full_text_2plus"]["variants"]["parallax"]
    long = run(neus, max_sentences=3)["subsets"]["full_text_2plus"]["variants"]["parallax"]
    assert long["words"] > short["words"]
    assert long["rouge1_recall"] == short["rouge1_recall"] == 1.0
    assert long["rouge1_f"] < short["rouge1_f"]


def test_every_story_of_the_split_is_scored_leads_included(neus: Path) -> None:
    report = run(neus, max_sentences=1)
    everything = report["subsets"]["all"]
    assert everything["stories"] == 2
    # the rate story's centre lead is its roundup (1.0), the flood story's is about a clock (well below 1)
    assert 0.5 <= everything["variants"]["lead1"]["rouge1_f"] < 0.75
    assert set(everything["variants"]) == {"parallax", "lead1", "lead3", "random_facts"}
    assert everything["roundup_words"] == pytest.approx((10 + 12) / 2)
    assert report["split"] == "val"
    assert set(report["data_sha256"]) == {"stories.jsonl", "articles.jsonl"}


def test_the_centre_article_gives_the_lead_baselines(neus: Path) -> None:
    stories = load_neus_stories(neus, "val")
    assert [story.id for story in stories] == ["neus-val-0000", "neus-val-0001"]
    assert [story.centre.outlet if story.centre else None for story in stories] == ["center outlet"] * 2
    assert [story.full_texts for story in stories] == [2, 0]


def test_the_summary_avoids_the_loaded_lead_the_articles_carry(neus: Path) -> None:
    subset = run(neus, max_sentences=2)["subsets"]["all"]
    assert subset["variants"]["parallax"]["loaded_share"] < subset["articles_loaded_share"]


def test_summary_sentences_are_supported_by_their_cited_articles(neus: Path) -> None:
    from parallax.summarize import summarize

    for story in load_neus_stories(neus, "val"):
        texts = {a.id: a.text for a in story.articles}
        facts = {fact.text: fact for fact in story.comparison.facts}
        for sentence in summarize(story.comparison, story.articles, SummaryOptions(max_sentences=10)):
            assert sentence.text in texts[sentence.article_ids[0]]
            assert set(sentence.article_ids) == {e.article_id for e in facts[sentence.text].evidence}


def test_a_split_without_stories_is_refused(neus: Path) -> None:
    with pytest.raises(ValueError, match="no story of split 'test'"):
        evaluate_compare(neus, "test")


def test_without_rouge_score_the_error_names_the_extra(neus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rouge_score", None)  # an import of it now raises ImportError
    with pytest.raises(MissingDependencyError, match=r"pip install 'parallax-news\[eval\]'"):
        evaluate_compare(neus)
