"""Sentence boundaries: the rules of `parallax.sentences`, pysbd as the alternative, and scoring against gold."""

from __future__ import annotations

from functools import partial
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.model import Sentence
from parallax.sentences import SentenceOptions, boundary_scores, load_boundary_gold, sentence_ends, split

GOLD = Path(__file__).resolve().parent.parent / "eval" / "gold" / "sentences.jsonl"
PYSBD = SentenceOptions(method="pysbd")


def texts(text: str, language: str | None = None) -> list[str]:
    return [sentence.text for sentence in split(text, language)]


def test_titles_before_names_never_end_a_sentence() -> None:
    text = "Gen. Mark Milley met Sen. Jones and Mr. Smith. Dr. Lee was absent."
    assert texts(text) == ["Gen. Mark Milley met Sen. Jones and Mr. Smith.", "Dr. Lee was absent."]


def test_an_acronym_ends_a_sentence_only_before_a_usual_opener() -> None:
    text = "He lives in the U.S. He likes it. The U.S. Senate voted."
    assert texts(text) == ["He lives in the U.S.", "He likes it.", "The U.S. Senate voted."]


def test_a_month_abbreviation_before_a_day_goes_on() -> None:
    assert texts("The vote is on Jan. 5. It may slip.") == ["The vote is on Jan. 5.", "It may slip."]


def test_initials_are_not_sentence_ends() -> None:
    text = "John F. Kennedy and J. K. Rowling spoke."
    assert texts(text) == [text]


def test_decimals_and_times_stay_inside_a_sentence() -> None:
    text = "Prices rose 3.5 percent at 9 a.m. Monday, up from 2.1 percent."
    assert texts(text) == [text]


def test_an_ellipsis_ends_a_sentence_only_before_a_capital() -> None:
    text = "He paused... then went on. It was over… Nobody spoke."
    assert texts(text) == ["He paused... then went on.", "It was over…", "Nobody spoke."]


def test_a_spaced_ellipsis_is_not_three_sentences() -> None:
    assert texts("But . . . are we serious?") == ["But . . . are we serious?"]


def test_a_quotation_closed_in_its_paragraph_stays_whole() -> None:
    text = '"It is over. We go home," Mr. Singh said. "There was tension."'
    assert texts(text) == ['"It is over. We go home," Mr. Singh said.', '"There was tension."']


def test_a_question_before_its_attribution_goes_on() -> None:
    assert texts('"Why?" he asked. "Where are the police?" Turner asked.') == [
        '"Why?" he asked.',
        '"Where are the police?" Turner asked.',
    ]


def test_a_quotation_followed_by_a_new_sentence_about_a_speaker_ends() -> None:
    text = "“Ask Rudy.” Parnas’ lawyer said the claim was false."
    assert texts(text) == ["“Ask Rudy.”", "Parnas’ lawyer said the claim was false."]


def test_an_unclosed_quotation_does_not_hide_boundaries() -> None:
    text = "“If this had happened elsewhere, we would know. This is politics at work."
    assert texts(text) == ["“If this had happened elsewhere, we would know.", "This is politics at work."]


def test_a_list_number_opens_its_item() -> None:
    assert texts("1. Cut taxes now. 2. Build roads.") == ["1. Cut taxes now.", "2. Build roads."]


def test_a_live_blog_time_is_its_own_unit() -> None:
    assert texts("9:10 p.m. Trump announces travel limits") == ["9:10 p.m.", "Trump announces travel limits"]


def test_german_ordinals_are_read_in_german() -> None:
    text = "Die Wahl ist am 3. Oktober. Sie wird knapp."
    assert texts(text, "de") == ["Die Wahl ist am 3. Oktober.", "Sie wird knapp."]


def test_each_line_is_a_paragraph() -> None:
    text = "Storm hits coast\nThousands fled. Roads closed!\n\n  Gov. Ray spoke.  \n"
    assert texts(text) == ["Storm hits coast", "Thousands fled.", "Roads closed!", "Gov. Ray spoke."]


@pytest.mark.parametrize("options", [SentenceOptions(), PYSBD], ids=["fast", "pysbd"])
@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list('ab AB.!?"“”…\n3:-')), max_size=200))
def test_offsets_hold_for_any_text(options: SentenceOptions, text: str) -> None:
    for sentence in split(text, None, options):
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text and sentence.text.strip() == sentence.text


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_sentences_are_in_order_and_do_not_overlap(text: str) -> None:
    sentences = split(text)
    assert all(left.end <= right.start for left, right in pairwise(sentences))


def test_pysbd_is_still_available() -> None:
    assert [s.text for s in split("Mr. Smith left. He came back.", None, PYSBD)] == [
        "Mr. Smith left.",
        "He came back.",
    ]


def test_an_unknown_method_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="fast, pysbd"):
        SentenceOptions(method="spacy")  # type: ignore[arg-type]


def test_options_of_the_wrong_type_are_refused() -> None:
    with pytest.raises(TypeError, match="SentenceOptions"):
        split("A text.", None, "fast")  # type: ignore[arg-type]


def test_boundary_scores_count_by_hand() -> None:
    text = "One. Two. Three\nFour"  # gold ends: 4, 9, 15, 20; this splitter finds 4, 15 and a wrong 12
    found = [Sentence(0, 4, "One."), Sentence(5, 12, "Two. Th"), Sentence(13, 15, "ee"), Sentence(16, 20, "Four")]
    scores = boundary_scores([(text, [4, 9, 15, 20])], lambda _text: found)
    assert (scores.true_positives, scores.predicted, scores.gold) == (3, 4, 4)
    assert scores.precision == pytest.approx(0.75)
    assert scores.recall == pytest.approx(0.75)


def test_boundary_scores_inside_paragraphs_leave_out_line_ends() -> None:
    text = "One. Two. Three\nFour"
    scores = boundary_scores([(text, [4, 9, 15, 20])], split, inside_paragraphs=True)
    assert (scores.true_positives, scores.predicted, scores.gold) == (2, 2, 2)


def test_sentence_ends_are_the_end_offsets() -> None:
    assert sentence_ends(split("Ab cd. Ef gh.\nIj")) == {6, 13, 16}


@pytest.mark.slow
def test_the_rules_match_the_gold_boundaries_at_least_as_well_as_pysbd(data_root: Path) -> None:
    documents = load_boundary_gold(GOLD, data_root)
    assert len(documents) == 30
    fast = boundary_scores(documents, split, inside_paragraphs=True)
    slow = boundary_scores(documents, partial(split, options=PYSBD), inside_paragraphs=True)
    assert fast.f1 >= slow.f1
    assert fast.precision >= 0.98 and fast.recall >= 0.98
