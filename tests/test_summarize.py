"""Summary: verbatim sentences citing every article that states them; corroborated, attributed, unloaded first."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

import pytest

from conftest import JULY_FILES
from parallax.annotate import Annotate
from parallax.clean import Clean
from parallax.compare import compare_story
from parallax.extract import Extract
from parallax.families import SourceFamilies, source_families
from parallax.model import Article, Comparison, Story, SummarySentence
from parallax.passages import shared_passages_among
from parallax.read import Reader
from parallax.summarize import SummaryOptions, summarize
from stagehelpers import article

A = (
    "Heavy rain flooded the river town of Brenford on Monday. Rescue teams evacuated four hundred residents. "
    '"We have never seen water this high," the mayor of the town said. Roads into the town stayed closed all night.'
)
B = (
    "Rescue teams evacuated four hundred residents from Brenford. Heavy rain flooded the river town of Brenford on "
    'Monday. "We have never seen water this high," the mayor of the town said. Insurers expect claims to rise.'
)


def compared(
    members: Sequence[Article], families: SourceFamilies | None = None
) -> tuple[Comparison, Sequence[Article]]:
    story = Story(id="s", title="t", article_ids=[a.id for a in members], method="test")
    return compare_story(story, members, families=families), members


def assert_supported(summary: list[SummarySentence], comparison: Comparison, members: Sequence[Article]) -> None:
    """Each sentence is verbatim in its first cited article, and the cited articles are exactly those that state
    its fact (each with a sentence of its own that the comparison aligned into it)."""
    texts = {a.id: a.text for a in members}
    facts = {fact.text: fact for fact in comparison.facts}
    for sentence in summary:
        assert sentence.text in texts[sentence.article_ids[0]]
        fact = facts[sentence.text]
        assert sorted(sentence.article_ids) == sorted({e.article_id for e in fact.evidence})
        for evidence in fact.evidence:
            assert evidence.text in texts[evidence.article_id]


def run(*texts: str, options: SummaryOptions | None = None) -> list[str]:
    comparison, members = compared([article(str(n), text) for n, text in enumerate(texts)])
    summary = summarize(comparison, members, options or SummaryOptions())
    assert_supported(summary, comparison, members)
    return [s.text for s in summary]


def test_shared_unquoted_facts_make_the_summary_in_story_order() -> None:
    assert run(A, B, options=SummaryOptions(max_sentences=2)) == [
        "Heavy rain flooded the river town of Brenford on Monday.",
        "Rescue teams evacuated four hundred residents.",
    ]


def test_a_shared_quote_comes_after_shared_facts_but_before_facts_of_one_article() -> None:
    summary = run(A, B, options=SummaryOptions(max_sentences=3))
    assert summary[-1].startswith('"We have never seen')


def test_attributed_statement_beats_an_unattributed_loaded_claim() -> None:
    text = (
        "The brutal regime slaughtered innocent villagers in a shameful massacre near Tarso. "
        "Local officials said twelve villagers were killed near Tarso."
    )
    assert run(text, options=SummaryOptions(max_sentences=1, position=0.0)) == [
        "Local officials said twelve villagers were killed near Tarso."
    ]


def test_neutral_wording_beats_loaded_wording_told_earlier() -> None:
    text = (
        "Radical extremists shamefully wrecked the historic bridge over the Tarn overnight. "
        "The bridge over the Tarn was damaged overnight by a group of protesters."
    )
    assert run(text, options=SummaryOptions(max_sentences=1, position=0.5)) == [
        "The bridge over the Tarn was damaged overnight by a group of protesters."
    ]


def test_a_fact_of_two_families_beats_one_carried_by_a_wire_dispatch_and_its_reprints() -> None:
    wire = "The port of Senna reopened on Friday after a week of strikes. Dockers accepted a pay rise of six percent."
    members = [
        article("wire", wire),
        article("reprint1", "The port of Senna reopened on Friday after a week of strikes. Ships queued offshore."),
        article("reprint2", "The port of Senna reopened on Friday after a week of strikes. Fish prices fell."),
        article("own", "Dockers accepted a pay rise of six percent. Talks in the capital had lasted a week."),
    ]
    for member in members[:3]:
        member.agencies = ["AFP"]
    comparison, _ = compared(members, source_families(members, []))
    summary = summarize(comparison, members, SummaryOptions(max_sentences=1, position=0.0))
    assert [(s.text, set(s.article_ids)) for s in summary] == [
        ("Dockers accepted a pay rise of six percent.", {"wire", "own"})
    ]


def test_a_sentence_too_like_a_chosen_one_is_skipped() -> None:
    text = (
        "The council approved the new budget for the harbour district on Tuesday. "
        "On Tuesday the council approved the new harbour district budget. "
        "Ferry fares will rise in the spring."
    )
    assert run(text, options=SummaryOptions(max_sentences=2, position=0.0)) == [
        "The council approved the new budget for the harbour district on Tuesday.",
        "Ferry fares will rise in the spring.",
    ]


def test_max_words_bounds_the_length_but_keeps_one_sentence() -> None:
    summary = run(A, B, options=SummaryOptions(max_sentences=5, max_words=12))
    assert summary == ["Heavy rain flooded the river town of Brenford on Monday."]
    assert len(run(A, B, options=SummaryOptions(max_words=3))) == 1


def test_single_article_story_summarises_its_own_sentences() -> None:
    assert run(A, options=SummaryOptions(max_sentences=2)) == [
        "Heavy rain flooded the river town of Brenford on Monday.",
        "Rescue teams evacuated four hundred residents.",
    ]


def test_a_fact_not_verbatim_in_its_article_is_never_said() -> None:
    comparison, members = compared([article("0", A), article("1", B)])
    members[0].text = members[0].text.replace("Heavy rain", "Rain")  # the article no longer says it in these words
    summary = summarize(comparison, members, SummaryOptions(max_sentences=5))
    assert summary
    assert all("Heavy rain flooded" not in s.text or s.article_ids[0] == "1" for s in summary)
    assert_supported(summary, comparison, members)


@pytest.mark.parametrize(
    "settings",
    [{"max_sentences": 0}, {"max_words": 0}, {"max_similarity": 0.0}, {"loaded": -1.0}],
)
def test_options_are_validated(settings: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="SummaryOptions"):
        SummaryOptions(**settings)  # type: ignore[arg-type]


def test_the_example_story_summary_is_supported(example_dir: Path) -> None:
    members = list(Annotate()(Extract()(Clean()(Reader([example_dir / f"{name}.txt" for name in JULY_FILES])))))
    comparison, _ = compared(members, source_families(members, shared_passages_among(members)))
    summary = summarize(comparison, members)
    assert len(summary) == SummaryOptions().max_sentences
    assert any(len(s.article_ids) >= 2 for s in summary)
    assert_supported(summary, comparison, members)


@pytest.mark.slow
def test_random_neus_story_summaries_are_supported(data_root: Path) -> None:
    from parallax.evaluate_compare import load_neus_stories

    stories = load_neus_stories(data_root / "allsides_neus", "val")
    for story in random.Random(7).sample(stories, 40):
        for options in (SummaryOptions(), SummaryOptions(max_sentences=8, max_words=60, position=0.0)):
            summary = summarize(story.comparison, story.articles, options)
            assert summary or not story.comparison.facts
            assert_supported(summary, story.comparison, story.articles)
