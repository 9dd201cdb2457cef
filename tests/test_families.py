"""Source families (`families.provenance.v1`): the bundled example read by hand, the rules one by one, invariants.

On the example: 002 (The Moscow Times) credits AFP ("By AFP"); 001 (TRT World) credits nothing for its text (its
only "AFP" is a photo credit) but re-runs the AFP dispatch (see tests/test_passages.py for the passages: 101
unquoted words shared, over a quarter of each text); 000 (Yle) credits "AFP, STT" and, machine-translated, shares
little text verbatim with AFP's, so it joins by its credit; 004 (Anadolu Agency) credits AA and shares only one
background paragraph with TRT World (27 words, about 7% of each); 003 (M5 Dergi, January) shares nothing. So the
four July reports come from two independent sources: the AFP family and Anadolu.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.clean import Clean
from parallax.extract import Extract
from parallax.families import (
    METHOD,
    MIN_FAMILY_CONTAINMENT,
    FamilyOptions,
    SourceFamilies,
    independent_sources,
    news_agencies,
    source_families,
)
from parallax.model import Article
from parallax.passages import PassageMatch, SharedPassage, shared_passages, shared_passages_among
from parallax.read import Reader

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "karabakh-2023"


@pytest.fixture(scope="module")
def example() -> dict[str, Article]:
    return {Path(a.source).stem[:3]: a for a in Extract()(Clean()(Reader([EXAMPLE])))}


@pytest.fixture(scope="module")
def example_families(example: dict[str, Article]) -> SourceFamilies:
    articles = [example[stem] for stem in sorted(example)]
    return source_families(articles, shared_passages_among(articles))


def make_article(id_: str, agencies: list[str] | None = None, photo_credits: list[str] | None = None) -> Article:
    return Article(
        id=id_, source=f"{id_}.txt", raw_hash=id_, raw_text="", text="",
        agencies=agencies or [], photo_credits=photo_credits or [],
    )  # fmt: skip


def make_match(a_id: str, b_id: str, words: int, *, total: int = 100, quoted_words: int = 0) -> PassageMatch:
    """A match of one passage of `words` words between two articles of `total` words each."""
    passage = SharedPassage(a_id, 0, 1, b_id, 0, 1, words, quoted_words, quoted_words == words, "x", "x")
    return PassageMatch(a_id, b_id, (passage,), total, total, words / total, words / total)


def members(families: SourceFamilies) -> list[set[str]]:
    return sorted((set(family.article_ids) for family in families.families), key=sorted)


# The bundled example


def test_the_afp_family_holds_yle_trt_world_and_the_moscow_times(
    example: dict[str, Article], example_families: SourceFamilies
) -> None:
    family_of = example_families.family_of
    assert family_of[example["000"].id] == family_of[example["001"].id] == family_of[example["002"].id]
    (afp,) = (f for f in example_families.families if example["002"].id in f.article_ids)
    assert afp.article_ids == (example["000"].id, example["001"].id, example["002"].id)
    assert afp.agencies == ("AFP", "STT")
    assert example_families.method == METHOD == "families.provenance.v1"


def test_the_afp_family_says_why(example: dict[str, Article], example_families: SourceFamilies) -> None:
    (afp,) = (f for f in example_families.families if example["002"].id in f.article_ids)
    by_kind = {edge.kind: edge for edge in afp.evidence}
    assert len(afp.evidence) == 2
    credit = by_kind["credited_agency"]
    assert {credit.a_id, credit.b_id} == {example["000"].id, example["002"].id}
    assert credit.agency == "AFP"
    copy = by_kind["shared_passages"]
    assert (copy.a_id, copy.b_id) == (example["001"].id, example["002"].id)
    assert copy.passages == 7  # none of the seven is wholly quoted
    assert copy.words == 101  # 122 shared words less the 21 inside the ministry's quotes
    assert copy.containment_a is not None
    assert copy.containment_b is not None
    assert min(copy.containment_a, copy.containment_b) > MIN_FAMILY_CONTAINMENT


def test_anadolu_and_the_january_report_are_each_their_own_family(
    example: dict[str, Article], example_families: SourceFamilies
) -> None:
    family_of = example_families.family_of
    for stem in ("003", "004"):
        alone = [f for f in example_families.families if f.id == family_of[example[stem].id]]
        assert [f.article_ids for f in alone] == [(example[stem].id,)]
    assert len({family_of[a.id] for a in example.values()}) == 3
    (anadolu,) = (f for f in example_families.families if example["004"].id in f.article_ids)
    assert anadolu.agencies == ("AA",)
    assert anadolu.evidence == ()
    assert example_families.refused == ()


def test_the_background_paragraph_trt_world_shares_with_anadolu_is_too_small_to_join_them(
    example: dict[str, Article],
) -> None:
    match = shared_passages(example["001"], example["004"])
    assert len(match.passages) == 1
    assert max(match.unquoted_containment()) < MIN_FAMILY_CONTAINMENT


def test_yle_joins_by_its_credit_not_by_its_words(example: dict[str, Article]) -> None:
    # Machine-translated, Yle shares a few AFP phrases but far less than a re-run does.
    match = shared_passages(example["000"], example["002"])
    assert max(match.unquoted_containment()) < MIN_FAMILY_CONTAINMENT
    without_credit = source_families(
        [example["000"], example["001"], example["002"]],
        shared_passages_among([example["000"], example["001"], example["002"]]),
    )
    assert without_credit.family_of[example["000"].id] == without_credit.family_of[example["002"].id]
    yle_uncredited = replace(example["000"], agencies=[])
    uncredited = source_families([yle_uncredited, example["002"]], [match])
    assert uncredited.family_of[example["000"].id] != uncredited.family_of[example["002"].id]


def test_the_four_july_reports_come_from_two_independent_sources(
    example: dict[str, Article], example_families: SourceFamilies
) -> None:
    july = [example[stem].id for stem in ("000", "001", "002", "004")]
    assert independent_sources(july, example_families) == 2
    assert independent_sources([a.id for a in example.values()], example_families) == 3


# The rules


def test_photo_credits_link_nothing() -> None:
    a, b = make_article("a", photo_credits=["AFP"]), make_article("b", photo_credits=["AFP"])
    assert members(source_families([a, b], [])) == [{"a"}, {"b"}]


@pytest.mark.parametrize("credit", ["Getty Images", "EPA", "Staff", "Our correspondent"])
def test_photo_agencies_and_unknown_names_in_credits_link_nothing(credit: str) -> None:
    a, b = make_article("a", [credit]), make_article("b", [credit])
    assert members(source_families([a, b], [])) == [{"a"}, {"b"}]


def test_agency_aliases_are_one_agency() -> None:
    a, b = make_article("a", ["Agence France-Presse"]), make_article("b", ["afp"])
    assert news_agencies(a) == news_agencies(b) == ("AFP",)
    families = source_families([a, b], [])
    assert members(families) == [{"a", "b"}]
    assert families.families[0].agencies == ("AFP",)


def test_substantial_shared_passages_join_in_either_direction() -> None:
    long_and_short = make_match("a", "b", 20, total=200)
    long_and_short = PassageMatch("a", "b", long_and_short.passages, 200, 40, 0.1, 0.5)  # 10% of a, 50% of b
    families = source_families([make_article("a"), make_article("b")], [long_and_short])
    assert members(families) == [{"a", "b"}]


def test_a_shared_passage_below_the_threshold_joins_nothing() -> None:
    below = make_match("a", "b", 14)  # 14% of each
    assert members(source_families([make_article("a"), make_article("b")], [below])) == [{"a"}, {"b"}]
    looser = FamilyOptions(min_containment=0.1)
    assert members(source_families([make_article("a"), make_article("b")], [below], looser)) == [{"a", "b"}]


def test_quoted_words_do_not_count_as_copy() -> None:
    quote = make_match("a", "b", 40, quoted_words=40)
    mostly_quote = make_match("a", "b", 40, quoted_words=30)  # 10 copied words: 10%
    for match in (quote, mostly_quote):
        assert members(source_families([make_article("a"), make_article("b")], [match])) == [{"a"}, {"b"}]


def test_a_blend_of_two_wires_joins_the_first_it_credits_and_does_not_bridge_them() -> None:
    afp, reuters = make_article("afp", ["AFP"]), make_article("reuters", ["Reuters"])
    blend = make_article("blend", ["Reuters", "AFP"])
    families = source_families([afp, reuters, blend], [])
    assert members(families) == [{"afp"}, {"blend", "reuters"}]
    (refused,) = families.refused
    assert refused.reason == "different_credited_agencies"
    assert (refused.evidence.a_id, refused.evidence.b_id, refused.evidence.agency) == ("blend", "afp", "AFP")
    (with_blend,) = (f for f in families.families if "blend" in f.article_ids)
    assert with_blend.agencies == ("Reuters", "AFP")  # the union: Reuters credited twice, AFP once


def test_copy_between_articles_crediting_different_wires_is_refused() -> None:
    afp, reuters = make_article("afp", ["AFP"]), make_article("reuters", ["Reuters"])
    families = source_families([afp, reuters], [make_match("afp", "reuters", 60)])
    assert members(families) == [{"afp"}, {"reuters"}]
    assert [r.evidence.kind for r in families.refused] == ["shared_passages"]


def test_an_uncredited_text_cannot_bridge_two_wires() -> None:
    afp, reuters, copy = make_article("afp", ["AFP"]), make_article("reuters", ["Reuters"]), make_article("copy")
    matches = [make_match("copy", "afp", 40), make_match("copy", "reuters", 30)]
    families = source_families([afp, reuters, copy], matches)
    assert members(families) == [{"afp", "copy"}, {"reuters"}]  # the stronger copy wins


def test_a_chain_of_uncredited_copies_is_one_family() -> None:
    # a copies b, b copies c: none of them is an independent source of what it copied (see the module doc)
    articles = [make_article(id_) for id_ in "abc"]
    families = source_families(articles, [make_match("a", "b", 30), make_match("b", "c", 30)])
    assert members(families) == [{"a", "b", "c"}]
    assert independent_sources(["a", "c"], families) == 1


def test_an_article_outside_every_family_counts_as_its_own_source() -> None:
    families = source_families([make_article("a", ["AFP"]), make_article("b", ["AFP"])], [])
    assert independent_sources(["a", "b", "elsewhere", "elsewhere"], families) == 2
    assert independent_sources([], families) == 0


def test_matches_naming_other_articles_are_ignored() -> None:
    families = source_families([make_article("a"), make_article("b")], [make_match("a", "z", 90)])
    assert members(families) == [{"a"}, {"b"}]


def test_family_ids_and_order_do_not_depend_on_input_order() -> None:
    articles = [make_article("a", ["AFP"]), make_article("b"), make_article("c", ["AFP"]), make_article("d")]
    matches = [make_match("b", "d", 50)]
    forward = source_families(articles, matches)
    backward = source_families(articles[::-1], matches)
    assert dict(forward.family_of) == dict(backward.family_of)
    assert [f.article_ids for f in forward.families] == [("a", "c"), ("b", "d")]


def test_an_article_given_twice_is_one_member() -> None:
    articles = [make_article("a", ["AFP"]), make_article("b"), make_article("a", ["AFP"])]
    families = source_families(articles, [])
    assert [f.article_ids for f in families.families] == [("a",), ("b",)]


@pytest.mark.parametrize("value", [0.0, -0.1, 1.5])
def test_a_threshold_out_of_range_is_refused(value: float) -> None:
    with pytest.raises(ValueError, match=r"min_containment must be in \(0, 1\]"):
        FamilyOptions(min_containment=value)


# Invariants

CREDITS = ["AFP", "Reuters", "AA", "Getty Images", "Staff"]


@st.composite
def groups(draw: st.DrawFn) -> tuple[list[Article], list[PassageMatch]]:
    ids = draw(st.lists(st.text("abcdefgh", min_size=1, max_size=3), min_size=0, max_size=12, unique=True))
    articles = [make_article(id_, draw(st.lists(st.sampled_from(CREDITS), max_size=3))) for id_ in ids]
    matches = []
    if len(ids) > 1:
        for _ in range(draw(st.integers(0, 15))):
            a_id, b_id = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
            words = draw(st.integers(1, 100))
            matches.append(make_match(a_id, b_id, words, quoted_words=draw(st.integers(0, words))))
    return articles, matches


@settings(max_examples=300, deadline=None)
@given(groups())
def test_families_partition_their_input(group: tuple[list[Article], list[PassageMatch]]) -> None:
    articles, matches = group
    families = source_families(articles, matches)
    listed = [id_ for family in families.families for id_ in family.article_ids]
    assert sorted(listed) == sorted(a.id for a in articles)  # every article in exactly one family
    assert set(families.family_of) == {a.id for a in articles}
    for family in families.families:
        assert all(families.family_of[id_] == family.id for id_ in family.article_ids)
    assert len({family.id for family in families.families}) == len(families.families)


@settings(max_examples=300, deadline=None)
@given(groups())
def test_independent_sources_is_at_most_the_number_of_articles(group: tuple[list[Article], list[PassageMatch]]) -> None:
    articles, matches = group
    families = source_families(articles, matches)
    ids = [a.id for a in articles]
    assert independent_sources(ids, families) == len(families.families) <= len(ids)


@settings(max_examples=300, deadline=None)
@given(groups())
def test_no_family_holds_two_articles_crediting_different_single_wires(
    group: tuple[list[Article], list[PassageMatch]],
) -> None:
    articles, matches = group
    families = source_families(articles, matches)
    by_id = {a.id: a for a in articles}
    for family in families.families:
        sole = {news_agencies(by_id[id_]) for id_ in family.article_ids if len(news_agencies(by_id[id_])) == 1}
        assert len(sole) <= 1
