"""Quantities: each form on hand-written sentences, the exclusions, spans, normalisation and the gold-set floor."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from parallax.evaluate_quantities import evaluate_quantities
from parallax.quantities import Quantity, extract_quantities, normalize, same_amount
from parallax.quantity_patterns import (
    HALF,
    NUMBER,
    VAGUE,
    case_folded,
    half_starts,
    matches_at,
    number_starts,
    vague_starts,
)

GOLD = Path(__file__).resolve().parent.parent / "eval" / "gold" / "quantities.jsonl"

F1_FLOOR = 0.97
"""Measured 1.000 on the 29-article gold set, which the rules were written against (0.989 on the first run over
the first 22 articles; 1.000 on each of two batches annotated later and scored before any change: 3 and 4
articles). The floor sits below that so that a rule change which fixes unseen text is not blocked by one miss."""
COUNTED_FLOOR = 0.95
"""Measured 1.000 (0.846 and 0.875 on the two later batches before the "U.S.", "of our" and "police officers"
fixes)."""


def only(text: str) -> Quantity:
    quantities = extract_quantities(text)
    assert len(quantities) == 1, quantities
    return quantities[0]


def test_an_approximate_count_keeps_its_qualifier_and_counted_noun() -> None:
    quantity = only("Officials said around 6,500 dead were found.")
    assert (quantity.text, quantity.value, quantity.dimension) == ("around 6,500", 6500.0, "count")
    assert quantity.approximate and quantity.qualifier == "about"
    assert quantity.counted == "dead"


def test_a_count_in_digits_counts_the_next_plural_noun() -> None:
    quantity = only("The UN sent 2,000 peacekeepers to the border.")
    assert (quantity.value, quantity.counted, quantity.unit) == (2000.0, "peacekeepers", None)


def test_a_count_skips_adjectives_to_reach_its_noun() -> None:
    assert only("China reported 26 new confirmed cases on Friday.").counted == "cases"


def test_a_count_of_the_form_n_of_the_noun() -> None:
    assert only("Police said 11 of the fatalities were in the county.").counted == "fatalities"


def test_a_noun_modifier_is_not_what_is_counted() -> None:
    assert only("the murder of two police officers").counted == "officers"


def test_a_plus_after_a_number_is_a_lower_bound() -> None:
    quantity = only("backed by 20+ organizations")
    assert (quantity.text, quantity.qualifier, quantity.counted) == ("20+", "more_than", "organizations")


def test_half_a_dozen_is_six() -> None:
    quantity = only("in half a dozen states")
    assert (quantity.value, quantity.counted) == (6.0, "states")


def test_a_count_with_no_noun_counts_nothing() -> None:
    assert only("Claims rose to 1.3 million, the agency said.").counted is None


def test_a_duration_in_digits() -> None:
    quantity = only("The war lasted 44 days.")
    assert (quantity.text, quantity.unit, quantity.dimension, quantity.normalized) == ("44 days", "day", "duration", 44)


def test_a_hyphenated_length_in_words() -> None:
    quantity = only("They set up a five-kilometer-wide buffer zone.")
    assert (quantity.text, quantity.value, quantity.unit, quantity.normalized) == (
        "five-kilometer-wide",
        5.0,
        "km",
        5000.0,
    )


def test_money_with_a_scale_word() -> None:
    first = extract_quantities("The plan costs $1.2 billion.")[0]
    assert (first.text, first.value, first.unit, first.dimension) == ("$1.2 billion", 1.2e9, "USD", "money")


def test_a_pound_sign_is_sterling() -> None:
    assert only("raise tariffs on £46bn of goods").unit == "GBP"


def test_a_percentage() -> None:
    quantity = only("Unemployment fell to 3.5% in November.")
    assert (quantity.value, quantity.unit, quantity.dimension) == (3.5, "percent", "percent")


def test_a_percentage_in_words() -> None:
    assert only("Fifty-seven percent disapprove.").value == 57.0


def test_tens_of_thousands_has_bounds_and_a_counted_noun() -> None:
    quantity = only("Tens of thousands of protesters marched.")
    assert (quantity.low, quantity.high, quantity.value) == (20_000.0, 99_999.0, 20_000.0)
    assert quantity.approximate and quantity.counted == "protesters"


def test_more_than_is_a_lower_bound() -> None:
    quantity = only("More than 100 people were hurt.")
    assert (quantity.text, quantity.qualifier, quantity.counted) == ("More than 100", "more_than", "people")


def test_a_dozen_is_twelve() -> None:
    quantity = only("A dozen protesters stayed.")
    assert (quantity.value, quantity.counted) == (12.0, "protesters")


def test_two_dozen_is_twenty_four() -> None:
    assert only("at least two dozen people").value == 24.0


def test_two_thirds_is_a_fraction_in_percent() -> None:
    quantity = only("Two-thirds of voters agreed.")
    assert quantity.unit == "fraction" and quantity.dimension == "percent"
    assert math.isclose(quantity.normalized or 0.0, 200 / 3)


def test_half_of_is_fifty_percent() -> None:
    assert only("About half of respondents agreed.").normalized == 50.0


def test_the_first_half_of_a_year_is_not_a_quantity() -> None:
    assert extract_quantities("in the first half of the year") == []


def test_six_weeks_in_words() -> None:
    quantity = only("The talks took six weeks.")
    assert (quantity.value, quantity.unit, quantity.normalized) == (6.0, "week", 42.0)


def test_two_and_a_half_years() -> None:
    assert only("He served two and a half years.").value == 2.5


def test_an_explicit_range_is_one_quantity_with_bounds() -> None:
    quantity = only("losses of $76 billion to $87 billion")
    assert (quantity.low, quantity.high, quantity.unit) == (76e9, 87e9, "USD")


def test_a_hyphenated_range_takes_the_unit_of_its_second_number() -> None:
    quantity = only("roughly flat at 27-29%")
    assert (quantity.low, quantity.high, quantity.unit) == (27.0, 29.0, "percent")


def test_from_a_to_b_is_a_change_not_a_range() -> None:
    assert [q.value for q in extract_quantities("fell from 26 percent to 16 percent")] == [26.0, 16.0]


def test_a_vote_tally_is_not_a_range() -> None:
    assert [q.value for q in extract_quantities("The Senate passed it 71 to 28.")] == [71.0, 28.0]


def test_ages() -> None:
    assert [(q.value, q.dimension) for q in extract_quantities("The 28-year-old suspect and Sarah, 98, left.")] == [
        (28.0, "age"),
        (98.0, "age"),
    ]


@pytest.mark.parametrize("text", ["when she was 16 after", "at the age of 16.", "Brown, now 30, was"])
def test_a_bare_age_after_an_age_phrase(text: str) -> None:
    quantity = only(text)
    assert (quantity.dimension, quantity.unit) == ("age", "year")


def test_a_hyphenated_count_counts_its_noun() -> None:
    quantity = only("He used 30-round magazines.")
    assert (quantity.text, quantity.counted) == ("30-round", "round")


def test_a_negative_change_in_parentheses() -> None:
    quantity = only("Initial claims fell (-99,000).")
    assert (quantity.text, quantity.value) == ("-99,000", -99000.0)


def test_money_with_an_abbreviated_scale() -> None:
    quantity = only("raise tariffs on $60bn of goods")
    assert (quantity.text, quantity.value, quantity.unit) == ("$60bn", 60e9, "USD")


@pytest.mark.parametrize(
    "text",
    [
        "It happened in 2020.",
        "Prices rose in the 1990s.",
        "The summit is on July 16.",
        "They meet on 28-29 June.",
        "The survey ran Feb. 12-15.",
        "Police were alerted at 8:20 a.m. local time.",
        "The meeting starts at 10 am.",
        "the Second World War",
        "the 15th consecutive week",
        "the third round of talks",
        "the COVID-19 pandemic",
        "the G20 summit",
        "the S&P 500 closed lower",
        "the Air Max 1 sneaker",
        "see https://t.co/ReX29V1RIo now",
        "follow @60Minutes tonight",
        "Slideshow (14 Images)",
        "He was charged with one count of murder.",
        "She is one of them.",
        "week ending 7/4",
        'CBS\' "60 Minutes" on Sunday',
    ],
)
def test_what_is_not_a_quantity(text: str) -> None:
    assert extract_quantities(text) == []


def test_spans_are_exact_and_cover_the_qualifier_and_unit() -> None:
    text = "Nearly 4,000 people attended, about $5 million was raised and it took 3 hours."
    assert [q.text for q in extract_quantities(text)] == ["Nearly 4,000", "about $5 million", "3 hours"]
    assert all(text[q.start : q.end] == q.text for q in extract_quantities(text))


def test_six_weeks_and_42_days_are_the_same_amount() -> None:
    assert same_amount(only("six weeks"), only("42 days"))


def test_five_km_and_five_kilometer_are_the_same_amount() -> None:
    assert same_amount(only("a 5 km run"), only("a five-kilometer run"))


def test_billion_dollars_and_bn_are_the_same_amount() -> None:
    assert same_amount(only("1.2 billion dollars"), only("$1.2bn"))


def test_acres_and_hectares_agree_within_the_tolerance() -> None:
    assert same_amount(only("115,000 acres"), only("46,500 hectares"))


def test_half_and_fifty_percent_are_the_same_amount() -> None:
    assert same_amount(only("half of voters"), only("50% of voters"))


def test_different_amounts_or_dimensions_are_not_the_same() -> None:
    assert not same_amount(only("six weeks"), only("40 days"))
    assert not same_amount(only("6 km"), only("6 days"))
    assert not same_amount(only("$5 million"), only("£5 million"))


def test_normalize_uses_the_base_unit_of_the_dimension() -> None:
    assert normalize(2.0, "week", "duration") == 14.0
    assert normalize(3.0, "km", "length") == 3000.0
    assert normalize(40.0, "year", "age") == 40.0


def test_a_wrong_argument_type_raises_at_once() -> None:
    with pytest.raises(TypeError, match="takes a str"):
        extract_quantities(b"12 days")  # type: ignore[arg-type]


@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.-$%£/:()abdeghilmnorstuwyAFJMT")), max_size=80))
def test_spans_always_lie_in_the_text(text: str) -> None:
    previous_end = 0
    for quantity in extract_quantities(text):
        assert 0 <= quantity.start < quantity.end <= len(text)
        assert text[quantity.start : quantity.end] == quantity.text
        assert quantity.start >= previous_end
        previous_end = quantity.end


@given(st.text(max_size=200))
def test_any_text_gives_spans_inside_it(text: str) -> None:
    assert all(text[q.start : q.end] == q.text for q in extract_quantities(text))


@pytest.mark.slow
def test_gold_set_scores_stay_above_the_floor(data_root: Path) -> None:
    scores = evaluate_quantities(GOLD, data_root)
    assert scores.items >= 150 and scores.articles >= 25
    assert scores.f1 >= F1_FLOOR, [m.detail for m in scores.mistakes]
    assert scores.counted_accuracy >= COUNTED_FLOOR
    assert scores.dimension_accuracy >= COUNTED_FLOOR


TRICKY_TOKENS = st.sampled_from(
    [
        "US$",
        "HK$",
        "tenz$",
        "$",
        "€",
        "5",
        "2,000",
        "1.5",
        "1990",
        "one",
        "Seventy",
        "seven",
        "fifty-one",
        "a",
        "A",
        "million",
        "bn",
        "third",
        "Tens",
        "of",
        "thousands",
        "Dozens",
        "half",
        "HALF",
        "İ",
        "ı",
        "ſix",
        "someone",
        "x",
        "(",
    ]
)
SEPARATORS = st.sampled_from(["", " ", "-", "\n", "  "])


PHRASE_BOOK = (
    "a million, A third of them, Seventy-one, fifty, twelve, tenz$5, HK$5, US$ 3, €4, 12 and 1.5bn, (-7), Tens of"
    " thousands, hundreds of millions, dozens, half of, HALF an hour, İ 9"
)
"""One phrase for each way an amount can begin: a scan that skips one of them misses it."""


@example(PHRASE_BOOK)
@given(st.lists(st.tuples(TRICKY_TOKENS, SEPARATORS), max_size=25).map(lambda pieces: "".join(map("".join, pieces))))
def test_scanning_only_where_an_amount_can_begin_finds_what_a_full_scan_finds(text: str) -> None:
    folded = case_folded(text)
    assert len(folded) == len(text)
    for pattern, starts in (
        (NUMBER, number_starts(text, folded)),
        (VAGUE, vague_starts(folded)),
        (HALF, half_starts(folded)),
    ):
        assert [m.span() for m in matches_at(pattern, text, starts)] == [m.span() for m in pattern.finditer(text)]


def test_offsets_hold_after_a_character_whose_lower_case_is_longer() -> None:
    # "İ".lower() is two characters; a case-folded copy that grew would shift every later offset by one.
    text = "İİ İzmir saw twelve deaths and 5 km of damage."
    twelve, five = extract_quantities(text)
    assert (twelve.text, twelve.value, twelve.counted) == ("twelve", 12.0, "deaths")
    assert (five.text, five.start, five.normalized) == ("5 km", text.index("5 km"), 5000.0)


def test_number_words_and_vague_plurals_are_found_in_any_case() -> None:
    first, second = extract_quantities("TWELVE people came. Tens of thousands left.")
    assert (first.text, first.value, first.counted) == ("TWELVE", 12.0, "people")
    assert (second.text, second.low, second.high) == ("Tens of thousands", 20_000.0, 99_999.0)


def test_a_currency_sign_in_lower_case_is_read_not_a_crash() -> None:
    # The number pattern ignores case, so "hk$" matches the sign "HK$" (hypothesis found "a$0" raising KeyError).
    (amount,) = extract_quantities("The fund paid hk$5 million.")
    assert (amount.unit, amount.dimension) == ("HKD", "money")
    assert [q.unit for q in extract_quantities("a$0")] == ["AUD"]
