"""Summary: verbatim sentences, each citing the articles that state it; widely reported facts first."""

from __future__ import annotations

import pytest

from parallax.compare import compare_story
from parallax.model import Story
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


def run(*members_text: str, options: SummaryOptions | None = None) -> tuple[list[str], dict[str, str]]:
    members = [article(str(n), text) for n, text in enumerate(members_text)]
    story = Story(id="s", title="t", article_ids=[a.id for a in members], method="test")
    summary = summarize(compare_story(story, members), members, options or SummaryOptions())
    texts = {a.id: a.text for a in members}
    for sentence in summary:
        assert sentence.article_ids
        assert sentence.text in texts[sentence.article_ids[0]]  # verbatim from the first cited article
    return [s.text for s in summary], texts


def test_shared_unquoted_facts_make_the_summary_in_story_order() -> None:
    summary, _ = run(A, B, options=SummaryOptions(max_sentences=2))
    assert summary == [
        "Heavy rain flooded the river town of Brenford on Monday.",
        "Rescue teams evacuated four hundred residents.",
    ]


def test_quotes_only_when_nothing_else_is_shared() -> None:
    summary, _ = run(A, B, options=SummaryOptions(max_sentences=5))
    assert summary[-1].startswith('"We have never seen')
    assert len(summary) == 3  # facts of one article are left out while shared ones exist


def test_single_article_story_summarises_its_own_sentences() -> None:
    summary, _ = run(A, options=SummaryOptions(max_sentences=2))
    assert summary == [
        "Heavy rain flooded the river town of Brenford on Monday.",
        "Rescue teams evacuated four hundred residents.",
    ]


def test_options_are_validated() -> None:
    with pytest.raises(ValueError, match="SummaryOptions"):
        SummaryOptions(max_sentences=0)
