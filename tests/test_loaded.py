"""Loaded and evaluative terms: lexicon matching with inflections, word boundaries and the loaded share."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from parallax.loaded import CATEGORIES, find_loaded, lexicon, loaded_share


def terms(text: str) -> list[tuple[str, str, str]]:
    return [(found.text, found.term, found.category) for found in find_loaded(text)]


def test_verb_inflections_match_their_lemma() -> None:
    found = terms("He claims it, claimed it, is claiming it; she slammed him; they occupied it and admitted it.")
    assert [(text, term) for text, term, _ in found] == [
        ("claims", "claim"),
        ("claimed", "claim"),
        ("claiming", "claim"),
        ("slammed", "slam"),
        ("occupied", "occupy"),
        ("admitted", "admit"),
    ]


def test_noun_plurals_and_possessives_match() -> None:
    found = terms("Terrorists attacked; the regime's thugs and the militias' leaders fled.")
    assert [(text, term) for text, term, _ in found] == [
        ("Terrorists", "terrorist"),
        ("regime", "regime"),
        ("thugs", "thug"),
        ("militias", "militia"),
    ]


def test_terms_are_not_found_inside_other_words() -> None:
    assert terms("The regimen was unclaimed; a claimant, the thuggery, Occupiedland, a slamdunk.") == []


def test_spans_point_at_the_text() -> None:
    text = "Baku says the so-called  Illegal\narmed formations left."
    for found in find_loaded(text):
        assert text[found.start : found.end] == found.text
    assert ("so-called", "doubt_marker") in [(f.term, f.category) for f in find_loaded(text)]
    assert ("Illegal\narmed formations", "illegal armed formation", "loaded_label") in terms(text)


def test_matching_ignores_case() -> None:
    assert terms("LIBERATED by the Brutally Savage army") == [
        ("LIBERATED", "liberate", "loaded_act"),
        ("Brutally", "brutally", "evaluative_adverb"),
        ("Savage", "savage", "evaluative_adjective"),
    ]


def test_a_hyphenated_word_is_searched_part_by_part() -> None:
    assert terms("pro-regime crowds") == [("regime", "regime", "loaded_label")]


def test_loaded_share_counts_loaded_tokens_over_word_tokens() -> None:
    # 8 words; "claims", "separatists", "illegally" are loaded: 3 / 8
    assert loaded_share("Baku claims the separatists illegally blocked the road.") == pytest.approx(3 / 8)
    # a multiword term counts each of its words: "illegal armed formations" is 3 of 5 words
    assert loaded_share("They fought illegal armed formations.") == pytest.approx(3 / 5)


def test_hedges_are_found_but_left_out_of_the_share_by_default() -> None:
    text = "Troops reportedly left."
    assert terms(text) == [("reportedly", "reportedly", "hedge")]
    assert loaded_share(text) == 0.0
    assert loaded_share(text, categories=CATEGORIES) == pytest.approx(1 / 3)


def test_texts_without_words_have_a_zero_share() -> None:
    assert loaded_share("") == 0.0
    assert loaded_share("2023 — 14:05 ... !!!") == 0.0
    assert find_loaded("") == []


def test_bad_arguments_raise_with_the_valid_options() -> None:
    with pytest.raises(TypeError):
        find_loaded(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="valid: loaded_label"):
        loaded_share("text", categories=["slurs"])


def test_the_lexicon_is_documented_sized_and_unambiguous() -> None:
    raw = json.loads(resources.files("parallax").joinpath("data/loaded_terms.json").read_text(encoding="utf-8"))
    assert "Recasens" in raw["_source"]["recasens2013"] and raw["_doc"]
    for name, category in raw["categories"].items():
        assert name in CATEGORIES
        assert category["description"] and category["inflect"] in {"verb", "noun", "none"}
        assert all(source in raw["_source"] for source in category["source"])
    entries = lexicon()
    assert 300 <= len(entries) <= 1000
    lemmas = [entry.term.casefold() for entry in entries]
    assert len(lemmas) == len(set(lemmas))
    assert any(entry.curated for entry in entries) and any(not entry.curated for entry in entries)
