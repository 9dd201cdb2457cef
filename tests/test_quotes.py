"""Tests for `parallax.quotes`: each attribution form on hand-written sentences, invariants, and the gold set."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.evaluate_quotes import QuoteScores, evaluate_quotes, speakers_agree
from parallax.quote_patterns import LEMMA_OF, VERB_WORD
from parallax.quote_spans import inside, sentences
from parallax.quotes import REPORTING_VERBS, Quote, extract_quotes

GOLD = Path(__file__).resolve().parent.parent / "eval" / "gold" / "quotes.jsonl"

QUOTES_WITH_SPEAKER_F1_FLOOR = 0.92
"""Measured 0.944 on the 38-article, 312-quote gold set when pinned (docs/annotation/quotes.md); raise, never lower."""


def only(text: str) -> Quote:
    quotes = extract_quotes(text)
    assert len(quotes) == 1, quotes
    return quotes[0]


def span(text: str, quote: Quote) -> tuple[str, str | None, str | None]:
    """The quoted text, the speaker mention and the verb as they stand in the text (checks the offsets)."""
    speaker = text[quote.speaker_start : quote.speaker_end] if quote.speaker_start is not None else None
    verb = text[quote.verb_start : quote.verb_end] if quote.verb_start is not None else None
    return text[quote.start : quote.end], speaker, verb


def test_quote_then_speaker_said() -> None:
    text = '"We will not give up our land," Pashinyan said on Tuesday.'
    quote = only(text)
    assert (quote.kind, quote.speaker, quote.verb) == ("direct", "Pashinyan", "say")
    assert span(text, quote) == ("We will not give up our land,", "Pashinyan", "said")
    assert quote.text == "We will not give up our land,"


def test_speaker_said_colon_quote() -> None:
    text = 'Pashinyan said: "We will not give up our land."'
    quote = only(text)
    assert span(text, quote) == ("We will not give up our land.", "Pashinyan", "said")
    assert quote.kind == "direct"


def test_inverted_said_speaker_with_appositive() -> None:
    text = '"There is no alternative to talks," said Nikol Pashinyan, the Armenian prime minister.'
    quote = only(text)
    assert (quote.speaker, quote.verb) == ("Nikol Pashinyan", "say")


def test_according_to_before_the_clause() -> None:
    text = "According to the United Nations, more than 100,000 people fled the region."
    quote = only(text)
    assert span(text, quote) == ("more than 100,000 people fled the region", "the United Nations", "According")
    assert (quote.kind, quote.verb) == ("indirect", "accord")


def test_according_to_after_the_clause() -> None:
    text = "More than 100,000 people fled the region, according to the United Nations."
    quote = only(text)
    assert span(text, quote) == ("More than 100,000 people fled the region", "the United Nations", "according")


def test_indirect_said_on_sunday_that() -> None:
    text = "The Russian Foreign Ministry said on Sunday that the talks had failed."
    quote = only(text)
    assert span(text, quote) == ("the talks had failed", "The Russian Foreign Ministry", "said")
    assert (quote.kind, quote.verb) == ("indirect", "say")


def test_said_that_adding_that_quote_attributes_both() -> None:
    text = 'The ministry said on Sunday that the talks had failed, adding that "the door remains open."'
    indirect, direct = extract_quotes(text)
    assert (indirect.kind, indirect.text, indirect.speaker, indirect.verb) == (
        "indirect",
        "the talks had failed",
        "The ministry",
        "say",
    )
    assert (direct.kind, direct.text, direct.speaker, direct.verb) == (
        "direct",
        "the door remains open.",
        "The ministry",
        "add",
    )


def test_quote_continued_over_paragraphs_is_one_quote() -> None:
    text = (
        '"The first part of the statement says that talks go on.\n\n'
        '"The second part says they will end in a deal," the ministry said.'
    )
    quote = only(text)
    assert quote.start == 1
    assert quote.text.endswith("end in a deal,")
    assert quote.speaker == "the ministry"


def test_next_paragraph_quote_continues_the_speaker() -> None:
    text = '"We are ready to talk," Lavrov said.\n\n"But nobody should expect miracles from us this week."'
    first, second = extract_quotes(text)
    assert first.speaker == second.speaker == "Lavrov"
    assert second.verb is None


def test_told_reporters() -> None:
    text = "Lavrov told reporters the talks had failed."
    quote = only(text)
    assert span(text, quote) == ("the talks had failed", "Lavrov", "told")
    assert quote.verb == "tell"


def test_wrote_on_twitter() -> None:
    text = "Pashinyan wrote on Twitter that the border was calm."
    assert (only(text).speaker, only(text).verb, only(text).text) == ("Pashinyan", "write", "the border was calm")


@pytest.mark.parametrize(
    ("sentence", "lemma"),
    [
        ("The minister claimed that the deal was dead.", "claim"),
        ("Officials insisted the border was secure.", "insist"),
        ("Aliyev warned that any attack would be answered.", "warn"),
        ("Aliyev added that troops would stay.", "add"),
        ("The ministry noted that no one was hurt.", "note"),
        ("Blinken stressed that talks must continue.", "stress"),
        ("Guterres urged that both sides hold back.", "urge"),
    ],
)
def test_reporting_verbs_are_lemmatised(sentence: str, lemma: str) -> None:
    quote = only(sentence)
    assert (quote.kind, quote.verb) == ("indirect", lemma)
    assert quote.text.split()[-1] == sentence.rstrip(".").split()[-1]


def test_pronoun_speaker_resolves_to_preceding_name() -> None:
    text = 'Sergei Lavrov arrived in Baku on Monday.\n\n"We are ready to help both sides," he said.'
    quote = only(text)
    assert quote.speaker == "Sergei Lavrov"
    assert span(text, quote)[1] == "Sergei Lavrov"


def test_unresolvable_pronoun_has_no_speaker() -> None:
    quote = only('"We are ready to help both sides," he said.')
    assert (quote.speaker, quote.speaker_start, quote.verb) == (None, None, "say")


def test_title_is_dropped_from_the_speaker() -> None:
    quote = only('Foreign Minister Sergei Lavrov said: "We will respond to any provocation."')
    assert quote.speaker == "Sergei Lavrov"


def test_organisation_speaker_keeps_its_name() -> None:
    quote = only("The Russian Foreign Ministry said the talks had failed.")
    assert quote.speaker == "The Russian Foreign Ministry"


@pytest.mark.parametrize(
    "text",
    [
        "\u201cWe are tired of war,\u201d Petrosyan said.",
        "\u00abWe are tired of war,\u00bb said Petrosyan.",
        "\u201eWe are tired of war,\u201c Petrosyan said.",
        '"We are tired of war," Petrosyan said.',
    ],
)
def test_quote_mark_styles(text: str) -> None:
    quote = only(text)
    assert (quote.text, quote.speaker) == ("We are tired of war,", "Petrosyan")


def test_mixed_quote_marks_pair_up() -> None:
    text = '\u201cWe need leadership change," Rice told CNN. "It is time for all of us to go.\u201d'
    first, second = extract_quotes(text)
    assert (first.text, first.speaker) == ("We need leadership change,", "Rice")
    assert (second.text, second.speaker) == ("It is time for all of us to go.", "Rice")


def test_paragraph_ending_in_a_colon_introduces_the_quote() -> None:
    text = "Lavrov closed the briefing with this:\n\n\u201cWe will never accept these terms, not ever.\u201d"
    quote = only(text)
    assert (quote.kind, quote.speaker, quote.verb) == ("direct", "Lavrov", None)


def test_relative_pronoun_speaker_is_its_antecedent() -> None:
    text = "The crowd included Ms. Griffin, 56, a former independent voter who said she had registered as a Democrat."
    quote = only(text)
    assert (quote.text, quote.speaker) == ("she had registered as a Democrat", "Griffin")


def test_participle_shares_the_attribution_of_its_sentence() -> None:
    text = '"Nobody will be worse off," said a federal appeals court, affirming that "the law stands as written."'
    first, second = extract_quotes(text)
    assert first.speaker == second.speaker == "a federal appeals court"
    assert second.verb == "affirm"


def test_scare_quotes_are_not_quotes() -> None:
    text = 'He called the plan "radically" wrong and "inappropriate in the current situation".'
    assert extract_quotes(text) == []


def test_short_quote_with_a_reporting_verb_is_a_quote() -> None:
    assert only('"Never," Lavrov said.').text == "Never,"


def test_fragment_inside_a_reported_clause_belongs_to_the_clause() -> None:
    text = 'Trump said the deal was "a disaster" for everyone.'
    quote = only(text)
    assert (quote.kind, quote.text) == ("indirect", 'the deal was "a disaster" for everyone')


def test_a_noun_after_a_determiner_is_not_a_verb() -> None:
    assert extract_quotes("In the majority of the states, the department only saw preparations for hacking.") == []


def test_wrong_argument_type_raises() -> None:
    with pytest.raises(TypeError, match="str"):
        extract_quotes(b"bytes")  # type: ignore[arg-type]


def test_lexicon_holds_the_documented_verbs() -> None:
    assert {"say", "tell", "add", "claim", "insist", "warn", "note", "stress", "urge", "write"} <= REPORTING_VERBS


@pytest.mark.parametrize(
    ("gold", "predicted", "agree"),
    [
        ("Sergei Lavrov", "Lavrov", True),
        ("Lavrov", "Foreign Minister Sergei Lavrov", True),
        ("the ministry", "The Ministry", True),
        ("Lavrov", "Pashinyan", False),
        (None, None, True),
        ("Lavrov", None, False),
    ],
)
def test_speakers_agree(gold: str | None, predicted: str | None, agree: bool) -> None:
    assert speakers_agree(gold, predicted) is agree


def test_evaluate_quotes_scores_a_tiny_gold_set(tmp_path: Path) -> None:
    text = '"We are ready to talk," Lavrov said. He added that the talks had failed. Prices rose.'
    (tmp_path / "toy").mkdir()
    (tmp_path / "toy" / "articles.jsonl").write_text(json.dumps({"id": "a1", "text": text}) + "\n")
    gold = [
        {"start": 1, "end": 22, "kind": "direct", "speaker": "Lavrov", "verb": "say"},
        {"start": text.index("the talks"), "end": text.index(". Prices"), "kind": "indirect", "speaker": "Pashinyan"},
        {"start": text.index("Prices"), "end": len(text) - 1, "kind": "indirect", "speaker": None},
    ]
    gold_path = tmp_path / "quotes.jsonl"
    gold_path.write_text(json.dumps({"dataset": "toy", "id": "a1", "quotes": gold}) + "\n")
    scores = evaluate_quotes(gold_path, tmp_path)
    # two predictions, both match; the second has the wrong speaker; the third gold quote is missed
    assert scores == QuoteScores(
        precision=1.0, recall=2 / 3, f1=0.8, speaker_accuracy=0.5, f1_with_speaker=pytest.approx(0.4), items=3
    )


_ALPHABET = st.sampled_from([*'abc XYZ.,:;"\u201c\u201d\u00ab\u00bb\u201e\n', "said", "told", "he", "that"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join))
def test_spans_lie_in_the_text_and_never_overlap(text: str) -> None:
    quotes = extract_quotes(text)
    for quote in quotes:
        assert 0 <= quote.start < quote.end <= len(text)
        assert quote.text == text[quote.start : quote.end]
        if quote.speaker_start is not None and quote.speaker_end is not None:
            assert text[quote.speaker_start : quote.speaker_end] == quote.speaker
        if quote.verb_start is not None and quote.verb_end is not None:
            assert 0 <= quote.verb_start < quote.verb_end <= len(text)
    for earlier, later in itertools.pairwise(quotes):
        assert earlier.end <= later.start


@pytest.mark.slow
def test_gold_set_floor(data_root: Path) -> None:
    scores = evaluate_quotes(GOLD, data_root)
    assert scores.items >= 120
    assert scores.f1_with_speaker >= QUOTES_WITH_SPEAKER_F1_FLOOR, scores


def test_verb_scan_takes_whole_lower_case_verb_forms_only() -> None:
    text = "Unsaid things: he said, she says, they were saying; Said Ahmed and the sayings."
    assert [text[m.start() : m.end()] for m in VERB_WORD.finditer(text)] == ["said", "says", "saying"]


def test_every_inflected_form_is_found_by_the_verb_scan() -> None:
    forms = sorted(LEMMA_OF)
    text = " ".join(forms)
    assert [m.group() for m in VERB_WORD.finditer(text)] == forms


def test_pronoun_takes_the_nearest_of_several_earlier_subjects() -> None:
    text = (
        "Sergei Lavrov arrived in Baku on Monday. Nikol Pashinyan met him there.\n\n"
        '"We are ready to sign the agreement today," he said.'
    )
    assert only(text).speaker == "Nikol Pashinyan"


def test_a_title_abbreviation_does_not_end_the_sentence() -> None:
    text = "Sen. Warren spoke to the U.S. press. Then Lavrov left.\nNo. 10 was quiet."
    assert [text[start:end] for start, end in sentences(text)] == [
        "Sen. Warren spoke to the U.S. press.",
        "Then Lavrov left.",
        "No. 10 was quiet.",
    ]


@pytest.mark.parametrize(("pos", "expected"), [(4, False), (5, True), (99, True), (100, False), (120, True)])
def test_inside_finds_positions_in_long_spans(pos: int, expected: bool) -> None:
    # the first position of a span counts too, however long the span (an earlier bisection key missed it)
    assert inside([(5, 100), (110, 130)], pos) is expected
