"""Generated variants: deterministic, made of corpus text only, labelled with their exact shingle Jaccard."""

from __future__ import annotations

import re

import pytest

from parallax.neardup import exact_jaccard, word_shingles
from parallax.variants import EDITS, VariantOptions, make_variants, sample_originals, split_paragraphs

TOPICS = ("river", "budget", "election", "harvest", "railway", "hospital", "museum", "storm")


def paragraph(topic: str, n: int) -> str:
    return f"The {topic} report number {n} says officials met on day {n} to discuss {topic} plans and costs {n * 7}."


def corpus() -> tuple[list[str], list[str], list[str]]:
    ids = [f"doc{k}" for k in range(len(TOPICS))]
    texts = ["\n\n".join(paragraph(topic, n) for n in range(8)) for topic in TOPICS]
    titles = [f"{topic.title()} plans announced" for topic in TOPICS]
    return ids, texts, titles


def test_split_paragraphs_reads_real_and_escaped_blank_lines() -> None:
    assert split_paragraphs("one\n\ntwo\n\nthree") == (["one", "two", "three"], "\n\n")
    assert split_paragraphs("one\\n\\ntwo\\n\\nthree") == (["one", "two", "three"], "\\n\\n")
    assert split_paragraphs("First one. Second one. Third one.") == (["First one.", "Second one.", "Third one."], " ")


def test_labels_are_the_exact_shingle_jaccard() -> None:
    ids, texts, titles = corpus()
    variants = make_variants(ids, texts, [0, 3, 5], titles, VariantOptions(per_original=6))
    assert len(variants) == 18
    for variant in variants:
        original = texts[ids.index(variant.original_id)]
        assert variant.jaccard == exact_jaccard(word_shingles(original), word_shingles(variant.text))
        assert 0.0 <= variant.jaccard < 1.0 or variant.edits == ("reorder_paragraphs",)


def test_a_hand_checked_deletion() -> None:
    # two paragraphs of 5 distinct words each, 5-word shingles: deleting the second leaves 1 of the 6 shingles
    ids, texts = ["a", "b"], ["one two three four five\n\nsix seven eight nine ten\n\nx", "other text here"]
    variants = make_variants(ids, texts, [0], options=VariantOptions(per_original=40, seed=1))
    deletions = [
        v for v in variants if v.edits == ("delete_paragraphs",) and v.text.startswith("one two three four five")
    ]
    only_first = [v for v in deletions if v.text == "one two three four five\n\nx"]
    assert only_first
    # shingles of the original: 11 words -> 7; of "one two three four five x": 2; shared: "one two three four five"
    assert only_first[0].jaccard == pytest.approx(1 / 8)


def test_variants_are_deterministic_for_a_seed() -> None:
    ids, texts, titles = corpus()
    first = make_variants(ids, texts, [1, 2], titles, VariantOptions(seed=5))
    again = make_variants(ids, texts, [1, 2], titles, VariantOptions(seed=5))
    other = make_variants(ids, texts, [1, 2], titles, VariantOptions(seed=6))
    assert first == again
    assert first != other


def test_insertions_come_from_other_articles_of_the_corpus() -> None:
    ids, texts, titles = corpus()
    corpus_words = {word for text in [*texts, *titles] for word in re.findall(r"\w+", text)}
    variants = make_variants(ids, texts, [0, 1, 2, 3], titles, VariantOptions(per_original=10))
    for variant in variants:
        assert set(re.findall(r"\w+", variant.text)) <= corpus_words
    assert {edit for variant in variants for edit in variant.edits} == set(EDITS)
    inserted = [v for v in variants if "insert_paragraphs" in v.edits]
    original_topic = {v.id: TOPICS[ids.index(v.original_id)] for v in inserted}
    assert any((set(TOPICS) - {original_topic[v.id]}) & set(v.text.split()) for v in inserted)


def test_variant_ids_name_their_original() -> None:
    ids, texts, titles = corpus()
    variants = make_variants(ids, texts, [4], titles, VariantOptions(per_original=2))
    assert [v.id for v in variants] == ["doc4~v0", "doc4~v1"]
    assert {v.original_id for v in variants} == {"doc4"}


def test_sample_of_originals_is_fixed_and_sorted() -> None:
    assert sample_originals(5, 100, seed=1) == sample_originals(5, 100, seed=1)
    assert sample_originals(5, 100, seed=1) == sorted(sample_originals(5, 100, seed=1))
    assert sample_originals(10, 4) == [0, 1, 2, 3]


def test_mismatched_corpus_lists_are_refused() -> None:
    with pytest.raises(ValueError, match="equal lengths"):
        make_variants(["a"], ["x", "y"], [0])
