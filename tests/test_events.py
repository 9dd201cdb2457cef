import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parallax import event_context as context
from parallax.evaluate_events import EventScores, evaluate_events
from parallax.event_lexicon import TriggerScan
from parallax.events import ACTIONS, METHOD, Event, extract_events

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
GOLD = Path(__file__).resolve().parents[1] / "eval" / "gold" / "events.jsonl"


def only(text: str) -> Event:
    events = extract_events(text)
    assert len(events) == 1, events
    return events[0]


@pytest.mark.parametrize(
    ("text", "trigger", "action", "plover", "cameo", "actor", "target"),
    [
        ("Baku accused Moscow of inaction.", "accused", "accuse", "ACCUSE", "11", "Baku", "Moscow"),
        ("The EU called on Baku to reopen the road.", "called on", "demand", "DEMAND", "02", "The EU", "Baku"),
        ("The ministry denied the report.", "denied", "deny", "REJECT", "12", "The ministry", "the report"),
        ("Lavrov held talks with Blinken in Geneva.", "held talks", "meet", "CONSULT", "04", "Lavrov", "Blinken"),
        (
            "Azerbaijan cut off the Lachin corridor.",
            "cut off",
            "restrict",
            "COERCE",
            "17",
            "Azerbaijan",
            "the Lachin corridor",
        ),
        ("Armenia offered a peace plan.", "offered", "offer", "AGREE", "03", "Armenia", "a peace plan"),
        (
            "Russia recognised the two republics.",
            "recognised",
            "recognise",
            "SUPPORT",
            "05",
            "Russia",
            "the two republics",
        ),
        (
            "Moscow deployed peacekeepers to the region.",
            "deployed",
            "deploy",
            "MOBILIZE",
            "15",
            "Moscow",
            "peacekeepers",
        ),
        (
            "Azerbaijani forces attacked Armenian positions.",
            "attacked",
            "attack",
            "ASSAULT",
            "19",
            "Azerbaijani forces",
            "Armenian positions",
        ),
        (
            "Thousands of Armenians protested the blockade.",
            "protested",
            "protest",
            "PROTEST",
            "14",
            "Thousands of Armenians",
            "the blockade",
        ),
    ],
)
def test_each_action_class_is_found_with_actor_target_and_codes(text, trigger, action, plover, cameo, actor, target):
    event = only(text)
    assert (event.trigger, event.action, event.plover, event.cameo) == (trigger, action, plover, cameo)
    assert (event.actor, event.target) == (actor, target)
    assert not event.negated
    assert event.attributed_to is None


def test_every_action_class_has_a_test_above():
    assert set(ACTIONS) == {
        "accuse",
        "demand",
        "deny",
        "meet",
        "restrict",
        "offer",
        "recognise",
        "deploy",
        "attack",
        "protest",
    }


def test_spans_point_at_the_words():
    text = "On Monday, the Kremlin accused Kyiv of sabotage."
    event = only(text)
    assert text[event.trigger_start : event.trigger_end] == "accused"
    assert text[event.actor_start : event.actor_end] == "the Kremlin"
    assert text[event.target_start : event.target_end] == "Kyiv"
    assert (event.start, event.end) == (0, len(text))
    assert event.actor_canonical is None and event.target_canonical is None  # linked by the annotate stage


@pytest.mark.parametrize(
    "text",
    [
        "Turkey did not close the border.",
        "Turkey has not closed the border.",
        "Turkey never closed the border.",
        "Turkey refused to close the border.",
        "Turkey didn't close the border.",
    ],
)
def test_negation_sets_negated(text):
    event = only(text)
    assert (event.action, event.actor, event.negated) == ("restrict", "Turkey", True)


def test_reported_clause_is_attributed_to_its_speaker():
    event = only("Azerbaijan says Russia attacked its positions.")
    assert (event.actor, event.target, event.attributed_to) == ("Russia", "its positions", "Azerbaijan")


def test_trailing_attribution_and_according_to():
    assert only("Russian troops shelled the town, the ministry said.").attributed_to == "the ministry"
    assert only("According to Baku, Armenian troops shelled the town.").attributed_to == "Baku"


def test_passive_voice_swaps_actor_and_target():
    event = only("The convoy was attacked by separatist fighters.")
    assert (event.actor, event.target) == ("separatist fighters", "The convoy")
    assert only("Palestinians killed by Israeli fire were buried.").actor == "Israeli fire"


def test_passive_without_agent_has_no_actor():
    event = only("The deal was criticized on Monday.")
    assert (event.actor, event.target) == (None, "The deal")


def test_noun_readings_are_not_events():
    assert extract_events("The attack on the base and the planned meeting with Putin drew protests.") == []
    assert extract_events("He appeared on Meet the Press.") == []
    assert extract_events("The two sides struck a deal on March 5.") == []


def test_relative_clause_takes_its_antecedent():
    event = only("California Gov. Gavin Newsom, who has criticized Trump, spoke.")
    assert (event.actor, event.target) == ("California Gov. Gavin Newsom", "Trump")


def test_non_text_input_is_a_type_error():
    with pytest.raises(TypeError, match="str"):
        extract_events(b"Baku accused Moscow.")  # type: ignore[arg-type]


def test_method_is_versioned():
    assert METHOD == "events.rules.v1"


WORDS = st.sampled_from(
    ["Baku", "Moscow", "the ministry", "accused", "did not", "attacked", "was", "by", "says", "held talks with",
     "called on", "to", ",", ".", "\n", "the", "protests", "deployed", "troops", "Mr.", "never", "refused"]
)  # fmt: skip


@given(st.lists(WORDS, max_size=40))
def test_spans_always_lie_in_the_text(words):
    text = " ".join(words)
    for event in extract_events(text):
        assert text[event.trigger_start : event.trigger_end] == event.trigger
        assert 0 <= event.start <= event.trigger_start < event.trigger_end <= event.end <= len(text)
        if event.actor is not None:
            assert text[event.actor_start : event.actor_end] == event.actor
        if event.target is not None:
            assert text[event.target_start : event.target_end] == event.target


def test_gold_file_holds_offsets_and_labels_only():
    records = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 25
    assert sum(len(r["events"]) for r in records) >= 110
    for record in records:
        assert set(record) == {"dataset", "id", "events"}
        for event in record["events"]:
            assert set(event) == {
                "trigger_start",
                "trigger_end",
                "action",
                "actor",
                "target",
                "negated",
                "attributed_to",
            }
            assert event["action"] in ACTIONS


@pytest.mark.skipif(not DATA.exists(), reason="needs the evaluation data in ../shared/data")
def test_gold_set_floor():
    scores = evaluate_events(GOLD, DATA)
    assert isinstance(scores, EventScores)
    assert scores.f1 >= 0.75


def test_a_phrasal_form_broken_by_a_line_break_is_no_trigger():
    # A line break ends a sentence, so "held" and "talks" are in two sentences.
    assert extract_events("Lavrov held\ntalks with Blinken.") == []
    assert [e.trigger for e in extract_events("Lavrov held talks with Blinken.")] == ["held talks"]


def test_the_spacing_inside_a_phrasal_form_is_kept_in_the_trigger():
    event = only("Lavrov held  talks with Blinken.")
    assert (event.trigger, event.action, event.target) == ("held  talks", "meet", "Blinken")


SCAN_WORDS = st.sampled_from(
    ["held", "talks", "HELD", "Talks", "cut", "off", "accused", "’", "'", "é", "K", "İ", "x", ".", "\n", " ", "  ", ""]
)


@given(st.lists(SCAN_WORDS, max_size=30))
def test_the_whole_text_scan_finds_what_the_sentence_scan_finds(words):
    text = " ".join(words)
    scan = TriggerScan(text)
    assert scan.text_spans() == list(scan.spans(0, len(text)))


# The patterns the helpers of `parallax.event_context` replaced, searched at every position as they once were.
NOUN_BEFORE = re.compile(
    r"(?:\b(?:the|a|an|his|her|their|its|our|my|this|that|these|those|of|in|on|for|no|any|each|every|new|behind|"
    r"with|from|at|under|about|against|into|without|"
    r"recent|military|such|last|first|air|missile|drone|terror|terrorist|talks|peace)|['’]s)\s+$",
    re.IGNORECASE,
)
PREVIOUS_WORD = re.compile(r"([\w'’.-]+)[,]?\s+$")
PASSIVE_AUXILIARY = re.compile(r"\b(?:was|were|is|are|been|being|be|got|get)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
INFINITIVE = re.compile(r"\b(?:\w+)\s+to\s+$")
CONTEXT_WORDS = st.sampled_from(
    ["the", "The", "drone", "x", "'s", "’S", "was", "WAS", "quickly", "to", "TO", "not", "n't", "no", ",", "1"]
)


@given(st.lists(CONTEXT_WORDS, max_size=10), st.sampled_from([" ", "  ", "", "\t"]), st.data())
def test_context_helpers_say_what_the_end_anchored_patterns_said(words, separator, data):
    text = separator.join(words) + data.draw(st.sampled_from(["", " ", "  "]))
    begin = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(begin, len(text)))
    assert context.noun_before(text, begin, end) == bool(NOUN_BEFORE.search(text, max(begin, end - 40), end))
    previous = PREVIOUS_WORD.search(text, begin, end)
    expected = (previous.group(1), previous.group(0).rstrip().endswith(",")) if previous else None
    assert context.previous_word(text, begin, end) == expected
    assert context.passive_auxiliary_before(text, begin, end) == bool(PASSIVE_AUXILIARY.search(text[begin:end]))
    infinitive = INFINITIVE.search(text, begin, end)
    assert context.infinitive_start(text, begin, end) == (infinitive.start() if infinitive else None)
