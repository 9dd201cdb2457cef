"""Framing: each outlet's labels for the same parties, distinctive words, loaded terms and voices."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLE
from parallax.entities import Mention, extract_entities
from parallax.evaluate_framing import evaluate_framing
from parallax.events import extract_events
from parallax.framing import Framing, FramingOptions, frame_story
from parallax.logodds import log_odds_z
from parallax.model import Article
from parallax.pipeline import analyze
from parallax.quotes import extract_quotes
from parallax.store import Store
from stagehelpers import article


def annotated(article_id: str, text: str, outlet: str) -> Article:
    member = article(article_id, text, outlet=outlet)
    member.entities = extract_entities(text)
    member.quotes = extract_quotes(text)
    member.events = extract_events(text)
    return member


@pytest.fixture(scope="module")
def example_framing() -> Framing:
    with Store.open(":memory:") as store:
        report = analyze([str(EXAMPLE)], store)
    by_id = {a.id: a for a in report.articles}
    story = max(report.stories, key=lambda s: len(s.article_ids))
    return frame_story([by_id[i] for i in story.article_ids])


def forms_by_outlet(framing: Framing, canonical: str) -> dict[str, set[str]]:
    (row,) = [row for row in framing.labels if row.canonical == canonical]
    return {entry.outlet: {form.text for form in entry.forms} for entry in row.outlets}


def test_outlets_different_words_for_the_armenian_side_stand_side_by_side(example_framing: Framing) -> None:
    armenia = forms_by_outlet(example_framing, "Armenia")
    assert "pro-Armenia forces" in armenia["TRT World"]
    assert "Armenian separatists" in armenia["The Moscow Times"]
    assert "Armenian armed forces" in armenia["Yle"]
    assert "separatist Armenians" in armenia["Yle"]


def test_titles_are_labels_of_the_person(example_framing: Framing) -> None:
    aliyev = forms_by_outlet(example_framing, "Ilham Aliyev")
    assert {"Azerbaijani President", "Ilham Aliyev"} <= aliyev["TRT World"]
    assert "president of Azerbaijan" in aliyev["Yle"]
    # the demonym inside the title is not counted as a label of Azerbaijan
    assert "Azerbaijani" not in forms_by_outlet(example_framing, "Azerbaijan")["TRT World"]


def test_only_referents_two_outlets_name_are_compared(example_framing: Framing) -> None:
    assert example_framing.labels
    assert all(len(row.outlets) >= 2 for row in example_framing.labels)
    assert all(len(act.outlets) >= 2 for act in example_framing.acts)
    assert "Ukraine" not in {row.canonical for row in example_framing.labels}  # named by Yle alone


def test_loaded_terms_differ_by_outlet(example_framing: Framing) -> None:
    loaded = {entry.outlet: {use.term for use in entry.terms} for entry in example_framing.loaded}
    assert {"liberate", "illegal armed formation"} <= loaded["TRT World"]
    assert "separatist" in loaded["Yle"] and "separatist" not in loaded["TRT World"]


def test_voices_resolve_speakers_to_referents(example_framing: Framing) -> None:
    voices = {entry.outlet: {v.speaker: v for v in entry.voices} for entry in example_framing.voices}
    assert voices["The Moscow Times"]["Government of Azerbaijan"].resolved  # "Baku's foreign ministry"
    # "Azerbaijan's Foreign Ministry said" and then "the ministry said": one voice, apart from Russia's ministry.
    assert voices["TRT World"]["Foreign Ministry of Azerbaijan"].quotes >= 3
    assert voices["Anadolu Agency"]["Foreign Ministry of Russia"].quotes >= 2


def test_framing_is_json_ready_and_deterministic(example_framing: Framing) -> None:
    encoded = json.dumps(example_framing.to_dict(), sort_keys=True)
    assert json.loads(encoded)["method"] == "framing.v1"
    with Store.open(":memory:") as store:
        report = analyze([str(EXAMPLE)], store)
    by_id = {a.id: a for a in report.articles}
    story = max(report.stories, key=lambda s: len(s.article_ids))
    again = frame_story([by_id[i] for i in story.article_ids])
    assert json.dumps(again.to_dict(), sort_keys=True) == encoded


def test_a_word_only_one_outlet_uses_ranks_above_shared_words() -> None:
    shared = "The corridor talks continued. Officials discussed the corridor and the border. "
    first = article(
        "a", shared + "Troops liberated the villages. They liberated the hills and liberated roads.", outlet="A"
    )
    second = article("b", shared + "Officials met again about the corridor and the border.", outlet="B")
    (vocabulary_a, _) = frame_story([first, second], options=FramingOptions(min_term_count=1)).vocabulary
    ranked = [term.term for term in vocabulary_a.terms]
    assert ranked[0] == "liberated"
    assert "corridor" not in ranked[:1]
    (liberated,) = [t for t in vocabulary_a.terms if t.term == "liberated"]
    assert liberated.count == 3
    assert [(ref.article_id, ref.sentence_index) for ref in liberated.sentences] == [("a", 2), ("a", 3)]


def test_log_odds_of_two_groups_are_opposite() -> None:
    first, second = {"liberated": 3, "corridor": 2, "said": 4}, {"occupied": 2, "corridor": 2, "said": 5}
    scores_a, scores_b = log_odds_z([first, second])
    assert scores_a["corridor"].z == pytest.approx(-scores_b["corridor"].z)
    assert scores_a["liberated"].z > scores_a["said"].z > scores_a["corridor"].z - 1


def test_a_description_takes_up_the_person_introduced_with_that_title() -> None:
    text = "Prime Minister Theresa May met Macron. Later the prime minister left London."
    first, second = annotated("a", text, "A"), annotated("b", "Theresa May spoke in London.", "B")
    may = {entry.outlet: {f.text for f in entry.forms} for row in frame_story([first, second]).labels
           if row.canonical == "Theresa May" for entry in row.outlets}  # fmt: skip
    assert may["A"] == {"Prime Minister Theresa May", "prime minister"}
    assert may["B"] == {"Theresa May"}


def test_descriptions_set_off_by_commas_are_labels_but_lists_of_names_are_not() -> None:
    text = (
        "North Korea's leader, Kim Jong Un, met Michael T. Flynn, the president's first national security adviser, "
        "and President Trump, Kim Jong Un and Moon Jae-in then spoke."
    )
    first, second = annotated("a", text, "A"), annotated("b", "Kim Jong Un met Donald Trump and Michael T. Flynn.", "B")
    start = second.text.index("Michael")  # named here by hand: this test is about the labels, not the recogniser
    second.entities.append(Mention(start, start + 16, "Michael T. Flynn", "person", "Michael T. Flynn", "p:flynn"))
    labels = {row.canonical: {f.text for f in row.outlets[0].forms} for row in frame_story([first, second]).labels}
    assert labels["Kim Jong Un"] == {"North Korea's leader", "Kim Jong Un"}
    assert labels["Michael T. Flynn"] == {"Michael T. Flynn", "president's first national security adviser"}
    assert labels["Donald Trump"] == {"President Trump"}


def test_the_party_takes_up_the_organisation_last_named_with_that_noun() -> None:
    members = []
    for outlet, text in (
        ("A", "The Democratic Party sued. The party said it was hacked."),
        ("B", "Democratic Party sues."),
    ):
        member = article(outlet.lower(), text, outlet=outlet)
        start = text.index("Democratic Party")
        member.entities = [Mention(start, start + 16, "Democratic Party", "organisation", "Democratic Party", "o:dem")]
        members.append(member)
    (row,) = frame_story(members).labels
    assert [(f.text, f.count) for f in row.outlets[0].forms] == [("Democratic Party", 1), ("party", 1)]


def test_empty_and_entity_free_articles_do_not_break_the_framing() -> None:
    members = [article("a", "", outlet="A"), article("b", "no names here, just words words.", outlet="B")]
    framing = frame_story(members)
    assert framing.outlets == ("A", "B")
    assert framing.labels == () and framing.acts == ()
    assert all(entry.voices == () and entry.unattributed == 0 for entry in framing.voices)
    assert frame_story([]).outlets == ()


def test_one_outlet_has_nothing_to_compare() -> None:
    framing = frame_story([annotated("a", "Ilham Aliyev met Nikol Pashinyan. Aliyev spoke.", "A")])
    assert framing.labels == ()
    assert framing.vocabulary[0].terms == ()


def test_a_single_article_is_a_programmer_error() -> None:
    with pytest.raises(TypeError, match="sequence of Article"):
        frame_story(article("a", "text", outlet="A"))  # type: ignore[arg-type]


def test_evaluation_counts_a_listed_label_as_recalled(tmp_path: Path) -> None:
    texts = {
        "A": "Prime Minister Theresa May spoke in London on Monday about trade.",
        "B": "British Prime Minister Theresa May said on Monday that talks went well.",
    }
    lines = []
    for outlet, text in texts.items():
        start = text.index("Theresa May")
        annotations = [
            {"code_type": "ACTOR", "code_name": "GBR\\May", "code_mention": "Theresa May", "char_start": start,
             "char_end": start + len("Theresa May")},
            {"code_type": "ACTOR", "code_name": "GBR\\May", "code_mention": "the leader", "char_start": None,
             "char_end": None},
        ]  # fmt: skip
        record = {"id": outlet, "outlet": outlet, "title": None, "text": text, "story": "s1",
                  "labels": {"wcl_annotations": annotations}}  # fmt: skip
        lines.append(json.dumps(record))
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    figures = evaluate_framing(path)
    assert figures["annotations"] == 4 and figures["located"] == 2
    # "Theresa May" is listed for outlet B only: A lists "Prime Minister Theresa May"; "the leader" nowhere
    assert figures["recall"] == pytest.approx(1 / 4)
    assert figures["by_code_type"]["ACTOR"]["annotations"] == 4
