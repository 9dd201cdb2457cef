"""Comparison: sentences aligned into facts, each with its articles and outlets."""

from __future__ import annotations

from pathlib import Path

import pytest

from parallax.compare import CompareOptions, compare_story
from parallax.model import Story, outlet_label
from parallax.pipeline import analyze
from parallax.store import Store
from stagehelpers import article

A = (
    "Floods hit Brenford\n"
    "Heavy rain flooded the river town of Brenford on Monday. Rescue teams evacuated four hundred residents. "
    "The mayor declared a state of emergency."
)
B = (
    "Rescue teams evacuated 400 residents of Brenford after heavy rain. Heavy rain flooded the river town of "
    "Brenford on Monday, officials said. Insurers expect claims to rise sharply this year."
)


def story(*ids: str) -> Story:
    return Story(id="s-1", title="t", article_ids=list(ids), method="test")


def test_shared_sentences_become_facts_with_outlets() -> None:
    first, second = article("a", A, outlet="Daily"), article("b", B)
    first.provenance["title"] = "first_line"
    facts = compare_story(story("a", "b"), [first, second]).facts
    shared = [f for f in facts if len(f.article_ids) == 2]
    assert len(shared) == 2
    assert all(f.outlets == ["Daily", "unknown (b.txt)"] for f in shared)
    assert any("flooded the river town" in f.text for f in shared)
    only_b = [f for f in facts if f.article_ids == ["b"]]
    assert [f.text for f in only_b] == ["Insurers expect claims to rise sharply this year."]
    assert all("Floods hit Brenford" not in f.text for f in facts)  # the headline is not a fact


def test_every_sentence_is_in_exactly_one_fact_and_no_article_twice() -> None:
    members = [article("a", A), article("b", B), article("c", A.replace("Monday", "Monday night"))]
    facts = compare_story(story("a", "b", "c"), members, CompareOptions(min_words=1)).facts
    evidence = [(e.article_id, e.sentence_index) for f in facts for e in f.evidence]
    assert len(evidence) == len(set(evidence)) == sum(len(a.sentences) for a in members)
    for fact in facts:
        assert len(fact.article_ids) == len(set(fact.article_ids))
    assert [len(f.article_ids) for f in facts] == sorted((len(f.article_ids) for f in facts), reverse=True)


def test_outlet_label() -> None:
    assert outlet_label(article("x", "Text here.", outlet="AP")) == "AP"
    assert outlet_label(article("x", "Text here.")) == "unknown (x.txt)"


def test_nothing_to_compare() -> None:
    assert compare_story(story("a"), [article("a", "Too short.")]).facts == []
    with pytest.raises(ValueError, match="threshold"):
        CompareOptions(threshold=0)


def test_example_comparison_has_divergences_omissions_and_framing_that_survive_the_store(example_dir: Path) -> None:
    with Store.open(":memory:") as store:
        report = analyze([example_dir], store)
        main = max(report.stories, key=lambda s: len(s.article_ids))
        stored = store.story(main.id)
    outlets = {a.outlet for a in report.articles if a.id in main.article_ids}
    assert main.divergences and {d.kind for d in main.divergences} >= {"quantity"}
    across = [d for d in main.divergences if len({o for side in d.sides for o in side.outlets}) > 1]
    assert across, "at least one divergence is between outlets"
    assert {o.outlet for o in main.omissions} == outlets
    assert main.framing is not None and set(main.framing.outlets) == outlets
    armenia = next(r for r in main.framing.labels if r.canonical == "Armenia")
    words = {f.text for forms in armenia.outlets for f in forms.forms}
    assert {"pro-Armenia forces", "Armenian separatists"} <= words  # the outlets' own words, side by side
    assert (stored.divergences, stored.omissions, stored.framing) == (main.divergences, main.omissions, main.framing)
