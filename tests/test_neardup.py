"""Near duplicates: shingles, exact verification, incremental index, saved state, corpus pass."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.model import Article
from parallax.neardup import (
    CANDIDATE_RECALL_AT_THRESHOLD,
    METHOD,
    NearDuplicateIndex,
    NearDuplicateOptions,
    StateMismatchError,
    exact_jaccard,
    find_near_duplicates,
    lsh_bands,
    shingle_hash_sets,
    shingle_hashes,
    word_shingles,
)

CAT = "the cat sat on the mat"
CAT_EDITED = "The cat sat on a MAT."
# 2-word shingles: {the cat, cat sat, sat on, on the, the mat} and {the cat, cat sat, sat on, on a, a mat}:
# 3 shared of 7 distinct, so Jaccard 3/7 and each text has 3 of its 5 shingles in the other.

WORDS = [f"w{n}" for n in range(5000)]


def story(rng: random.Random, words: int = 300) -> str:
    """A text of distinct-ish words, so its shingle overlaps with edits of it are predictable."""
    return " ".join(rng.choice(WORDS) for _ in range(words))


def edited(text: str, rng: random.Random, share: float) -> str:
    """Text with `share` of its words replaced by others."""
    words = text.split()
    for position in rng.sample(range(len(words)), round(share * len(words))):
        words[position] = rng.choice(WORDS)
    return " ".join(words)


def corpus(seed: int = 7, originals: int = 30) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    items: list[tuple[str, str]] = []
    for n in range(originals):
        base = story(rng)
        items.append((f"a{n}", base))
        if n % 3 == 0:
            items.append((f"a{n}-copy", edited(base, rng, 0.01)))
        if n % 5 == 0:
            items.append((f"a{n}-far", edited(base, rng, 0.2)))
    rng.shuffle(items)
    return items


def test_word_shingles_of_a_hand_checked_pair() -> None:
    first, second = word_shingles(CAT, 2), word_shingles(CAT_EDITED, 2)
    assert first == {("the", "cat"), ("cat", "sat"), ("sat", "on"), ("on", "the"), ("the", "mat")}
    assert exact_jaccard(first, second) == pytest.approx(3 / 7)


def test_index_reports_the_hand_checked_jaccard_and_containment() -> None:
    index = NearDuplicateIndex(NearDuplicateOptions(shingle_size=2, threshold=0.4))
    assert index.add("cat", CAT) == []
    [match] = index.add("cat-edited", CAT_EDITED)
    assert (match.article_id, match.other_id) == ("cat-edited", "cat")
    assert match.jaccard == pytest.approx(3 / 7)
    assert match.containment == pytest.approx(3 / 5)
    assert match.other_containment == pytest.approx(3 / 5)


def test_case_whitespace_and_punctuation_do_not_matter() -> None:
    index = NearDuplicateIndex(NearDuplicateOptions(shingle_size=3))
    index.add("plain", "Rescue teams evacuated four hundred residents on Monday night")
    [match] = index.add("reflowed", "RESCUE teams -- evacuated\n\nfour hundred residents, on Monday night!")
    assert match.jaccard == 1.0


def test_short_texts_have_one_shorter_shingle_and_empty_ones_none() -> None:
    assert word_shingles("Breaking news", 5) == {("breaking", "news")}
    assert shingle_hashes("Breaking news", 5).size == 1
    assert word_shingles(" -- ", 5) == set()
    assert shingle_hashes(" -- ", 5).size == 0


def test_an_empty_text_is_indexed_but_never_matches() -> None:
    index = NearDuplicateIndex()
    assert index.add("empty", "") == []
    assert index.add("also-empty", "...") == []
    assert index.counts["no_words"] == 2
    assert "empty" in index


TRICKY = st.text(alphabet=st.sampled_from([*"ab cß_É’é—İ\n1😀ﬁ", "\u212a", "\\", "\u0301", "\U0001d400"]), max_size=40)


@given(TRICKY, TRICKY)
@settings(max_examples=200, deadline=None)
def test_hashed_shingles_match_the_exact_ones(first: str, second: str) -> None:
    exact_first, exact_second = word_shingles(first, 2), word_shingles(second, 2)
    hashed_first, hashed_second = shingle_hash_sets([first, second], 2)
    assert hashed_first.size == len(exact_first)
    shared = np.intersect1d(hashed_first, hashed_second).size
    union = hashed_first.size + hashed_second.size - shared
    assert (shared / union if union else 0.0) == pytest.approx(exact_jaccard(exact_first, exact_second))


def test_batch_hashing_equals_one_text_at_a_time() -> None:
    texts = [CAT, "", "Straße STRASSE", "don’t — stop", CAT_EDITED, "x"]
    for text, hashes in zip(texts, shingle_hash_sets(texts, 2), strict=True):
        assert np.array_equal(hashes, shingle_hashes(text, 2))


def test_adding_one_by_one_equals_adding_in_a_batch() -> None:
    items = corpus()
    one_by_one = NearDuplicateIndex()
    singles = [match for article_id, text in items for match in one_by_one.add(article_id, text)]
    batched = NearDuplicateIndex().add_many(items)
    assert singles == batched
    # exactly the ten "-copy" texts (1% of words edited) pair with their base; the 20%-edited ones stay under 0.8
    assert len(batched) == 10
    assert all(
        {m.article_id, m.other_id} == {m.other_id.removesuffix("-copy") + "-copy", m.other_id.removesuffix("-copy")}
        for m in batched
    )


def test_a_pair_below_the_threshold_is_never_reported() -> None:
    rng = random.Random(3)
    index = NearDuplicateIndex(NearDuplicateOptions(threshold=0.8))
    reported = []
    for n in range(40):
        base = story(rng)
        far = edited(base, rng, 0.04)  # each changed word breaks up to five 5-word shingles: Jaccard ~0.65
        assert exact_jaccard(word_shingles(base), word_shingles(far)) < 0.8
        index.add(f"b{n}", base)
        reported += index.add(f"b{n}-far", far)
    assert index.counts["rejected_by_jaccard"] > 0  # some did become LSH candidates
    assert reported == []


def test_the_jaccard_check_rejects_lsh_false_candidates() -> None:
    # 8 bands of 1 row: a pair with a tenth of its words changed (Jaccard ~0.4) nearly always shares a band
    options = NearDuplicateOptions(num_perm=8, threshold=0.9)
    index = NearDuplicateIndex(options)
    rng = random.Random(11)
    reported = []
    for n in range(30):
        base = story(rng)
        index.add(f"c{n}", base)
        reported += index.add(f"c{n}-half", edited(base, rng, 0.1))
    assert index.counts["candidates"] > 0
    assert index.counts["rejected_by_jaccard"] == index.counts["candidates"]
    assert reported == []


def test_bands_make_a_pair_at_the_threshold_a_candidate() -> None:
    for threshold in (0.5, 0.8, 0.9):
        bands, rows = lsh_bands(threshold, 128)
        assert bands * rows <= 128
        assert 1 - (1 - threshold**rows) ** bands >= CANDIDATE_RECALL_AT_THRESHOLD
    assert lsh_bands(0.8, 128) == (25, 5)


def test_state_round_trips_and_the_restored_index_continues() -> None:
    items = corpus()
    original = NearDuplicateIndex()
    original.add_many(items[:-5])
    restored = NearDuplicateIndex.from_bytes(original.to_bytes())
    assert restored.ids == original.ids
    assert restored.options == original.options
    assert restored.add_many(items[-5:]) == original.add_many(items[-5:])


def test_saved_state_of_another_method_is_refused() -> None:
    index = NearDuplicateIndex()
    index.method = "dedup.minhash.v0"
    with pytest.raises(StateMismatchError, match=r"dedup\.minhash\.v1"):
        NearDuplicateIndex.from_bytes(index.to_bytes())


def test_bytes_that_are_no_saved_state_are_refused() -> None:
    with pytest.raises(StateMismatchError, match="not a saved near-duplicate index"):
        NearDuplicateIndex.from_bytes(b"PK\x03\x04 not really")


def test_an_id_is_indexed_once() -> None:
    index = NearDuplicateIndex()
    index.add("a", CAT)
    with pytest.raises(ValueError, match="already indexed"):
        index.add("a", CAT_EDITED)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("threshold", 0.0, "threshold must be in"), ("num_perm", 4, "num_perm must be"), ("shingle_size", 0, "from 1")],
)
def test_bad_options_name_the_valid_range(field: str, value: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        NearDuplicateOptions(**{field: value})


def article(article_id: str, text: str, duplicate_of: str | None = None) -> Article:
    return Article(
        id=article_id, source="test", raw_hash=article_id, raw_text=text, text=text, duplicate_of=duplicate_of
    )


def test_corpus_pass_groups_chains_and_skips_exact_duplicates() -> None:
    rng = random.Random(5)
    base = story(rng)
    near = edited(base, rng, 0.005)
    nearer_still = edited(near, rng, 0.005)
    other = story(rng)
    articles = [
        article("x1", base),
        article("x2", other),
        article("x3", near),
        article("x4", base, duplicate_of="x1"),
        article("x5", nearer_still),
    ]
    result = find_near_duplicates(articles)
    assert result.groups == [["x1", "x3", "x5"]]
    assert result.method == METHOD
    assert result.report.seen == 5
    assert result.report.kept == 4
    assert result.report.counts["exact_duplicates_skipped"] == 1
    assert result.report.counts["groups"] == 1
    assert result.report.counts["pairs"] == len(result.pairs) >= 2


def test_entries_rebuild_the_index_row_by_row() -> None:
    items = corpus()
    original = NearDuplicateIndex()
    original.add_many(items[:-5])
    rows = [original.entry(article_id) for article_id in original.ids]
    assert len(rows[0].signature) == 4 * original.options.num_perm
    restored = NearDuplicateIndex.from_entries(original.header, rows)
    assert restored.add_many(items[-5:]) == original.add_many(items[-5:])


def test_restoring_only_the_entries_that_share_a_bucket_finds_the_same_pairs() -> None:
    items = corpus(seed=11, originals=60)
    first, later = items[: len(items) // 2], items[len(items) // 2 :]
    whole = NearDuplicateIndex()
    whole.add_many(first)
    rows = [whole.entry(article_id) for article_id in whole.ids]
    expected = whole.add_many(later)
    assert expected, "the corpus must put pairs across the two halves"

    part = NearDuplicateIndex.from_entries(whole.header, [])
    prepared = part.prepare(later)
    wanted = {bucket for item in prepared for bucket in item.buckets}
    sharing = [row for row in rows if wanted & set(row.buckets)]  # what a store's bucket lookup returns
    part.restore(sharing)
    assert part.add_prepared(prepared) == expected
    assert len(sharing) < len(rows)  # and it is not the whole index
    assert all(len(row.buckets) == whole.bands for row in rows)


def test_entries_under_another_header_are_refused() -> None:
    index = NearDuplicateIndex()
    index.add("a", CAT)
    header = {**index.header, "rensa_algorithm_version": -1}
    with pytest.raises(StateMismatchError, match="rebuild the index"):
        NearDuplicateIndex.from_entries(header, [index.entry("a")])
