"""Omissions: per outlet, the facts that independent source families report and the outlet leaves out."""

from __future__ import annotations

import pytest

from examplestory import MainStory, main_story
from parallax.compare import compare_story
from parallax.families import SourceFamilies, SourceFamily
from parallax.model import Article, Fact, Story
from parallax.omissions import OutletOmissions, find_omissions
from parallax.story_sentences import StorySentences
from stagehelpers import article

FLOOD = "Heavy rain flooded the river town of Brenford on Monday."
EVACUATION = "Rescue teams evacuated four hundred residents of Brenford."
EMERGENCY = "The mayor declared a state of emergency."
TEXTS = {
    "a0": ("Outlet A", f"{FLOOD} {EVACUATION} {EMERGENCY}"),
    "a1": (
        "Outlet B",
        f"{FLOOD[:-1]}, officials said. Rescue teams evacuated 400 residents of Brenford after the rain.",
    ),
    "a2": ("Outlet C", f"{FLOOD[:-1]} morning. Insurers expect claims to rise."),
    "a3": (
        "Outlet D",
        "Insurers expect claims to rise sharply this year after the storms. The budget is due next week.",
    ),
}


def families(*groups: tuple[str, ...]) -> SourceFamilies:
    built = tuple(SourceFamily(f"family-{n}", group, (), ()) for n, group in enumerate(groups))
    return SourceFamilies(built, {id_: family.id for family in built for id_ in family.article_ids}, ())


def aligned(texts: dict[str, tuple[str, str]]) -> tuple[list[Article], list[Fact]]:
    articles = [article(id_, text, outlet=outlet) for id_, (outlet, text) in texts.items()]
    return articles, compare_story(Story("s", "t", list(texts), "test"), articles).facts


def by_outlet(found: list[OutletOmissions]) -> dict[str, OutletOmissions]:
    return {outlet.outlet: outlet for outlet in found}


def test_each_outlet_is_told_the_widely_reported_facts_it_leaves_out_most_reported_first() -> None:
    articles, facts = aligned(TEXTS)
    found = by_outlet(find_omissions(articles, facts, families(("a0",), ("a1",), ("a2",), ("a3",))))
    assert list(found) == ["Outlet A", "Outlet B", "Outlet C", "Outlet D"]
    outlet_d = found["Outlet D"]
    assert [(fact.text, fact.independent_sources) for fact in outlet_d.omitted] == [(FLOOD, 3), (EVACUATION, 2)]
    assert outlet_d.omitted[0].outlets == ("Outlet A", "Outlet B", "Outlet C")
    assert facts[outlet_d.omitted[1].fact_index].text == EVACUATION
    # C and D both say insurers expect claims to rise: two families, so D covers one of three and A omits it.
    assert (outlet_d.covered, outlet_d.widely_reported, outlet_d.covered_share) == (1, 3, 1 / 3)
    assert [fact.text for fact in found["Outlet C"].omitted] == [EVACUATION]
    assert [fact.outlets for fact in found["Outlet A"].omitted] == [("Outlet C", "Outlet D")]


def test_what_one_family_alone_reports_is_no_omission() -> None:
    # a0 and a1 are one dispatch: the evacuation (theirs alone) is one source's report, not left out by C and D.
    articles, facts = aligned(TEXTS)
    found = by_outlet(find_omissions(articles, facts, families(("a0", "a1"), ("a2",), ("a3",))))
    assert [fact.text for fact in found["Outlet D"].omitted] == [FLOOD]
    assert found["Outlet D"].omitted[0].independent_sources == 2
    assert found["Outlet C"].omitted == ()


def test_a_copy_rewording_its_own_dispatch_is_not_told_it_omits_it() -> None:
    reworded = f"{EMERGENCY} Teams moved hundreds of people out of Brenford overnight."
    texts = {**TEXTS, "a4": ("Outlet A reprint", reworded)}
    articles, facts = aligned(texts)
    similarity = StorySentences.of(articles).similarity(("a4", 1), ("a0", 1))
    assert 0.2 <= similarity < 0.3  # the premise: reworded below what the alignment or other outlets would need
    assert all("a4" not in fact.article_ids for fact in facts if fact.text == EVACUATION)
    found = by_outlet(find_omissions(articles, facts, families(("a0", "a4"), ("a1",), ("a2",), ("a3",))))
    reprint = found["Outlet A reprint"]
    assert [fact.text for fact in reprint.reworded] == [EVACUATION]
    assert EVACUATION not in [fact.text for fact in reprint.omitted]
    assert reprint.covered == reprint.widely_reported - len(reprint.omitted)


def test_without_families_every_article_is_a_source() -> None:
    articles, facts = aligned(TEXTS)
    found = by_outlet(find_omissions(articles, facts))
    assert [fact.independent_sources for fact in found["Outlet D"].omitted] == [3, 2]


def test_a_story_without_widely_reported_facts_has_no_share() -> None:
    articles, facts = aligned({"a0": TEXTS["a0"], "a3": TEXTS["a3"]})
    [first, second] = find_omissions(articles, facts)
    assert (first.widely_reported, first.covered_share, second.omitted) == (0, None, ())


def test_min_families_is_checked() -> None:
    with pytest.raises(ValueError, match="min_families"):
        find_omissions([], [], min_families=0)


@pytest.fixture(scope="module")
def example() -> MainStory:
    return main_story()


def test_example_omissions_count_the_afp_reports_once(example: MainStory) -> None:
    # The Moscow Times, Yle and TRT World share the AFP dispatch: one family. What they alone report (Azerbaijan's
    # accusation, the Brussels meeting) is one source's, so Anadolu Agency is not told it omits it. Only the 1991
    # background that TRT World and Anadolu Agency both give is reported by two families; read in the texts, The
    # Moscow Times and Yle do not state it (Yle's "declared the region independent ... in the early 1990s" is
    # another fact).
    found = by_outlet(find_omissions(example.articles, example.facts, example.families))
    assert list(found) == ["The Moscow Times", "Yle", "TRT World", "Anadolu Agency"]
    for outlet in ("The Moscow Times", "Yle"):
        [omitted] = found[outlet].omitted
        assert omitted.text.startswith("Relations between the two former Soviet republics have been tense since 1991")
        assert (omitted.outlets, omitted.independent_sources) == (("TRT World", "Anadolu Agency"), 2)
        assert found[outlet].covered_share == 0.0
    for outlet in ("TRT World", "Anadolu Agency"):
        assert (found[outlet].omitted, found[outlet].covered_share) == ((), 1.0)
