"""Divergences: the same question answered differently across a story's articles, each side with its evidence."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date

import pytest

from examplestory import MainStory, main_story
from parallax.annotate import Annotate
from parallax.compare import compare_story
from parallax.divergences import Divergence, DivergenceOptions, find_divergences
from parallax.families import SourceFamilies, SourceFamily
from parallax.model import Article, Fact, Story
from stagehelpers import article

PUBLISHED = date(2024, 3, 14)  # a Thursday


def annotated(*texts: str, published: date | None = PUBLISHED) -> tuple[list[Article], list[Fact]]:
    """Articles a0, a1, ... (outlets "Outlet 0", ...) annotated as the pipeline does, and their aligned facts."""
    articles = [article(f"a{n}", text, published=published, outlet=f"Outlet {n}") for n, text in enumerate(texts)]
    articles = list(Annotate()(articles))
    story = Story("s", "t", [a.id for a in articles], "test")
    return articles, compare_story(story, articles).facts


def divergences(*texts: str, published: date | None = PUBLISHED) -> list[Divergence]:
    articles, facts = annotated(*texts, published=published)
    return find_divergences(articles, facts)


def families(*groups: tuple[str, ...]) -> SourceFamilies:
    built = tuple(SourceFamily(f"family-{n}", group, (), ()) for n, group in enumerate(groups))
    return SourceFamilies(built, {id_: family.id for family in built for id_ in family.article_ids}, ())


# --- quantities -----------------------------------------------------------------------------------------------


def test_different_tolls_of_one_strike_conflict_with_evidence_spans() -> None:
    articles, facts = annotated(
        "At least 30 people were killed in the missile strike on the market in Kramatorsk, officials said.",
        "The missile strike on the market in Kramatorsk killed 12 people, officials said.",
    )
    [found] = find_divergences(articles, facts)
    assert (found.kind, found.compatible) == ("quantity", False)
    assert found.note.startswith("conflicting")
    assert [(side.value, side.article_ids) for side in found.sides] == [("At least 30", ("a0",)), ("12", ("a1",))]
    texts = {a.id: a.text for a in articles}
    for side in found.sides:
        [evidence] = side.evidence
        assert texts[evidence.article_id][evidence.start : evidence.end] == evidence.value_text == side.value
        assert evidence.sentence_index == 0


def test_overlapping_approximations_are_compatible_and_say_so() -> None:
    [found] = divergences(
        "The war in the region left around 6,500 dead, according to officials.",
        "The war in the region left more than 6,000 dead, according to officials.",
    )
    assert found.kind == "quantity"
    assert found.compatible
    assert "compatible" in found.note and "5,850-7,150" in found.note and "6,000 or more" in found.note


def test_compatible_divergences_can_be_left_out() -> None:
    articles, facts = annotated(
        "The war in the region left around 6,500 dead, according to officials.",
        "The war in the region left more than 6,000 dead, according to officials.",
    )
    assert find_divergences(articles, facts, options=DivergenceOptions(include_compatible=False)) == []


def test_a_round_duration_is_compatible_with_a_close_exact_one() -> None:
    [found] = divergences(
        "In autumn 2020, Russia brokered a truce that ended six weeks of fighting over the region.",
        "In the fall of 2020, in 44 days of fighting, Azerbaijan took back several cities from Armenia.",
    )
    assert found.question == "duration of fighting"
    assert found.compatible
    assert "38.5-45.5 days" in found.note


def test_equal_amounts_in_other_units_do_not_diverge() -> None:
    assert (
        divergences(
            "The truce ended six weeks of fighting between the two armies in the mountains.",
            "The truce ended 42 days of fighting between the two armies in the mountains.",
        )
        == []
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "The blast in the market of Kramatorsk injured 40 people on Monday, officials said.",
            "The blast in the market of Kramatorsk sent 29 people to hospital on Monday, officials said.",
        ),
        (
            "Police in Kramatorsk said four boys were brought out of the cave on Monday.",
            "Police in Kramatorsk confirmed that eight boys in total have been brought out of the cave.",
        ),
    ],
)
def test_counts_of_one_noun_with_different_things_said_of_them_do_not_diverge(first: str, second: str) -> None:
    articles, facts = annotated(first, second)
    assert any(len(fact.article_ids) == 2 for fact in facts)  # the premise: one fact holds both sentences
    assert find_divergences(articles, facts) == []


def test_the_same_thing_said_of_different_counts_diverges() -> None:
    [found] = divergences(
        "The blast in the market of Kramatorsk injured 40 people on Monday, officials said.",
        "The blast in the market of Kramatorsk injured 29 people on Monday, officials said.",
    )
    assert (found.kind, [side.value for side in found.sides]) == ("quantity", ["40", "29"])


def test_counts_of_the_same_noun_in_unrelated_sentences_do_not_diverge() -> None:
    assert (
        divergences(
            "Talks between the two countries resumed in Vienna after a pause.",
            "The leaders of the three countries signed a trade declaration on energy prices.",
        )
        == []
    )


def test_an_article_giving_two_amounts_is_ambiguous_and_left_out() -> None:
    # a0 says 12 and 30 people: which of them a1's 15 answers is not known, so nothing is claimed.
    assert (
        divergences(
            "The strike on the market in Kramatorsk killed 12 people; 30 people were killed across the region.",
            "The strike on the market in Kramatorsk killed 15 people, officials said.",
        )
        == []
    )


# --- dates --------------------------------------------------------------------------------------------------


def test_one_act_on_different_days() -> None:
    [found] = divergences(
        "The government closed the northern border crossing on Tuesday to all traffic.",
        "The government closed the northern border crossing on Wednesday to all traffic.",
    )
    assert found.kind == "date"
    assert [side.value for side in found.sides] == ["Tuesday (2024-03-12)", "Wednesday (2024-03-13)"]


def test_unresolved_weekdays_still_differ() -> None:
    [found] = divergences(
        "The government closed the northern border crossing on Tuesday to all traffic.",
        "The government closed the northern border crossing on Wednesday to all traffic.",
        published=None,
    )
    assert (found.kind, [side.value for side in found.sides]) == ("date", ["Tuesday", "Wednesday"])


def test_one_act_dated_differently_in_sentences_that_are_alike_but_not_one_fact() -> None:
    articles, facts = annotated(
        "On Tuesday the government closed the northern border crossing, stranding hundreds of trucks and "
        "thousands of travellers at the frontier.",
        "The government closed the northern border crossing on Wednesday, officials in the capital told reporters.",
    )
    assert all(len(fact.article_ids) == 1 for fact in facts)  # the premise: the alignment keeps them apart
    [found] = find_divergences(articles, facts)
    assert found.kind == "date"
    assert found.question == "when: the government closed the northern border crossing"
    assert [side.value for side in found.sides] == ["Tuesday (2024-03-12)", "Wednesday (2024-03-13)"]


def test_a_day_is_not_compared_with_a_year() -> None:
    # "on Sunday" dates the accusation, "2020" the agreement: only like is compared with like.
    assert (
        divergences(
            "Azerbaijan accused Russia on Sunday of failing its obligations under a 2020 ceasefire agreement.",
            "Azerbaijan accused Russia of failing its obligations under the ceasefire agreement of 2020.",
        )
        == []
    )


# --- denials, actors, causes ---------------------------------------------------------------------------------


def test_a_denial_of_the_claims_answers_the_sentence_before() -> None:
    [found] = divergences(
        "Officials accused the army of shelling the village overnight. The army denied the accusations.",
        "Officials accused the army of shelling the village overnight, a spokesman said.",
    )
    assert found.kind == "denial"
    assert found.question == "is it so: Officials accused the army of shelling the village overnight."
    claimed, denied = found.sides
    assert (claimed.value, claimed.article_ids) == ("stated", ("a0", "a1"))
    assert (denied.value, denied.article_ids) == ("denied by The army", ("a0",))
    assert denied.evidence[0].sentence_index == 1


@pytest.mark.parametrize(
    "text",
    [
        # the sentence before is a quote, not the claim (the claim came earlier)
        "\u201cNow the lid is going to blast off and everyone will see it.\u201d The senator denied the allegations.",
        # the claim is named in place, not the sentence before
        "He spoke to reporters at length on Friday. He dismissed the allegations that he colluded with Moscow.",
        # "it" is the suit, not the sentence before
        "Officials accused the firm of fraud in a new suit. A judge predicted it would be dismissed in court.",
    ],
)
def test_a_denial_without_a_claim_just_before_is_not_read(text: str) -> None:
    assert divergences(text, "An unrelated report about the weather in the capital today.") == []


def test_an_act_negated_in_another_article() -> None:
    [found] = divergences(
        "Russia attacked the aid convoy near Kherson.", "Russia did not attack the aid convoy near Kherson."
    )
    assert found.kind == "denial"
    assert [(side.value, side.article_ids) for side in found.sides] == [("stated", ("a0",)), ("negated", ("a1",))]


def test_one_act_given_to_different_countries() -> None:
    [found] = divergences(
        "Azerbaijan closed the Lachin corridor to all traffic.", "Armenia closed the Lachin corridor to all traffic."
    )
    assert found.kind == "actor"
    assert [(side.value, side.article_ids) for side in found.sides] == [("Azerbaijan", ("a0",)), ("Armenia", ("a1",))]


def test_a_capital_acting_is_its_country() -> None:
    assert (
        divergences(
            "Azerbaijan closed the Lachin corridor to all traffic.", "Baku closed the Lachin corridor to all traffic."
        )
        == []
    )


def test_different_stated_reasons() -> None:
    [found] = divergences(
        "The airport in Helsinki closed on Monday because of heavy snow.",
        "The airport in Helsinki closed on Monday due to a strike by air traffic controllers.",
    )
    assert found.kind == "cause"
    assert [(side.value, side.article_ids) for side in found.sides] == [
        ("heavy snow", ("a0",)),
        ("a strike by air traffic controllers", ("a1",)),
    ]


def test_reasons_sharing_words_agree_and_over_is_not_a_reason() -> None:
    assert (
        divergences(
            "The airport in Helsinki closed on Monday because of heavy snow.",
            "The airport in Helsinki closed on Monday due to snow and ice.",
        )
        == []
    )
    assert (
        divergences(
            "The truce ended the fighting over the mountainous region in the south.",
            "The truce ended the fighting over the contested territory in the south.",
        )
        == []
    )


# --- sources, order, options ---------------------------------------------------------------------------------


def test_reprints_of_one_dispatch_count_once_and_wider_divergences_come_first() -> None:
    articles, facts = annotated(
        "The government closed the northern border crossing on Tuesday to all traffic.",
        "The government closed the northern border crossing on Tuesday to all traffic, officials said.",
        "The government closed the northern border crossing on Wednesday to all traffic.",
        "The war in the region left around 6,500 dead, according to officials.",
        "The war in the region left more than 6,000 dead, according to officials.",
        "The war in the region left around 6,000 dead, according to officials.",
    )
    found = find_divergences(articles, facts, families(("a0", "a1"), ("a2",), ("a3",), ("a4",), ("a5",)))
    assert [(d.kind, d.independent_sources) for d in found] == [("quantity", 3), ("date", 2)]
    tuesday = found[1].sides[0]
    assert (tuesday.value, tuesday.article_ids, tuesday.independent_sources) == (
        "Tuesday (2024-03-12)",
        ("a0", "a1"),
        1,
    )


def test_divergences_are_json_friendly() -> None:
    found = divergences(
        "At least 30 people were killed in the missile strike on the market in Kramatorsk, officials said.",
        "The missile strike on the market in Kramatorsk killed 12 people, officials said.",
    )
    assert json.loads(json.dumps([asdict(d) for d in found]))[0]["method"] == "divergences.v1"


def test_options_are_checked() -> None:
    with pytest.raises(ValueError, match="related_similarity"):
        DivergenceOptions(related_similarity=0.0)
    with pytest.raises(ValueError, match="about_margin"):
        DivergenceOptions(about_margin=1.0)


# --- the bundled example -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example() -> MainStory:
    return main_story()


def test_example_war_length_diverges_across_outlets(example: MainStory) -> None:
    # Read in the texts: The Moscow Times "ended six weeks of fighting", Yle "the six-week conflict" (both AFP),
    # Anadolu Agency "in 44 days of fighting". Six weeks is 42 days: a round figure that 44 days fits.
    found = find_divergences(example.articles, example.facts, example.families)
    [war] = [d for d in found if d.kind == "quantity"]
    assert war.question == "duration of fighting"
    assert war.compatible
    assert [(side.value, side.outlets, side.independent_sources) for side in war.sides] == [
        ("six weeks", ("The Moscow Times", "Yle"), 1),
        ("44 days", ("Anadolu Agency",), 1),
    ]
    assert war.independent_sources == 2
    assert [e.value_text for e in war.sides[0].evidence] == ["six weeks", "six-week"]


def test_example_red_cross_denial_and_nothing_unverified(example: MainStory) -> None:
    # Yle alone gives the reason for closing the corridor and the Red Cross's denial; no outlet dates an act, names
    # its actor or states its cause against another (checked by reading the four texts), so nothing else is shown.
    found = find_divergences(example.articles, example.facts, example.families)
    assert sorted(d.kind for d in found) == ["denial", "quantity"]
    [denial] = [d for d in found if d.kind == "denial"]
    yle = example.by_outlet("Yle")
    assert [side.value for side in denial.sides] == ["stated", "denied by The Armenian Red Cross"]
    assert "Red Cross had used its medical vehicles for smuggling" in denial.question
    assert all(side.article_ids == (yle.id,) for side in denial.sides)


def test_a_weekday_and_a_month_are_not_two_dates_of_one_act() -> None:
    from parallax.divergence_events import _dates_differ
    from parallax.timexpr import TimeExpression

    saturday = TimeExpression(0, 8, "Saturday", "date", None, None, "day", False)
    july = TimeExpression(0, 12, "in July 2023", "date", date(2023, 7, 1), date(2023, 7, 31), "month", True)
    june = TimeExpression(0, 12, "in June 2023", "date", date(2023, 6, 1), date(2023, 6, 30), "month", True)
    sunday = TimeExpression(0, 6, "Sunday", "date", None, None, "day", False)
    assert not _dates_differ(july, saturday) and not _dates_differ(saturday, july)
    assert _dates_differ(july, june) and _dates_differ(saturday, sunday)
