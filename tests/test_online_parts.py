"""The parts of online clustering: hashed vectors, story profiles and signals, the sketch index."""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.online import StoryIndex
from parallax.online_features import SIGNALS, StoryProfile, dots, shortlist, story_signals
from parallax.online_vectors import HASH_BITS, SparseVector, Vectorizer, add_vectors, sketch
from stagehelpers import article

SCRATCH_SIZE = 1 << HASH_BITS


def cosine(left: SparseVector, right: SparseVector) -> float:
    return float(dots(np.zeros(SCRATCH_SIZE), left, [right])[0])


def test_names_are_capitalised_words_and_numbers_leave_out_years() -> None:
    vectorize = Vectorizer()
    first = vectorize(article("a", "The council of Brenford met in 2023 and counted 1,200 votes."))
    second = vectorize(article("b", "In Brenford voters were counted again in 2023, 1200 in all."))
    third = vectorize(article("c", "The vote took place in 2023."))
    assert cosine(first.names, second.names) > 0.99  # "Brenford" alone: "The" and "In" are stop words
    assert cosine(first.numbers, second.numbers) > 0.99  # "1,200" and "1200" are one number
    assert third.numbers.empty  # a year identifies no event


def test_word_pairs_reward_the_same_phrase_not_the_same_words() -> None:
    vectorize = Vectorizer()
    phrase = vectorize(article("a", "Regulators repeal net neutrality rules for broadband providers."))
    same = vectorize(article("b", "Broadband providers cheer as net neutrality rules fall."))
    shuffled = vectorize(article("c", "Net providers and broadband rules: neutrality fall cheer."))
    assert cosine(phrase.pairs, same.pairs) > cosine(phrase.pairs, shuffled.pairs)
    assert cosine(phrase.text, shuffled.text) > 0.3  # the words alone do not tell them apart


def test_the_lead_is_the_title_and_first_three_sentences() -> None:
    text = "Rain fell. Rivers rose. Towns flooded. Ministers later debated the budget at length."
    vectors = Vectorizer()(article("a", text))
    budget = Vectorizer()(article("b", "Ministers debated the budget at length."))
    assert cosine(vectors.text, budget.text) > 0.0
    assert cosine(vectors.lead, budget.text) == 0.0


@given(st.integers(min_value=0, max_value=10_000))
@settings(max_examples=30, deadline=None)
def test_the_sketch_estimates_the_dot_product(seed: int) -> None:
    rng = np.random.default_rng(seed)
    shared = rng.choice(1 << HASH_BITS, 60, replace=False)

    def unit(extra: int) -> SparseVector:
        index = np.unique(np.concatenate([shared, rng.choice(1 << HASH_BITS, extra, replace=False)]))
        values = rng.random(len(index))
        return SparseVector(index, values / np.linalg.norm(values))

    left, right = unit(200), unit(200)
    estimate = float(sketch(left) @ sketch(right))
    assert abs(estimate - cosine(left, right)) < 0.25  # hashing noise about 1/sqrt(512) per unit vector


def grown(key: str, *texts: str, vectorize: Vectorizer, day: int | None = None) -> StoryProfile:
    story = StoryProfile(key, slot=-1)
    for text in texts:
        vectors = vectorize(article(key + text[:5], text))
        story.grow(vectors)
        story.widen_dates(day)
    return story


def test_signals_are_mean_similarities_and_the_margin_is_over_the_best_rival() -> None:
    vectorize = Vectorizer()
    flood = grown("flood", "Floods hit Brenford valley.", "Brenford valley floods again.", vectorize=vectorize)
    budget = grown("budget", "Parliament passes the budget bill.", vectorize=vectorize)
    arriving = vectorize(article("x", "Brenford valley floods: rescue teams arrive."))
    chosen = shortlist(arriving, [budget, flood], np.zeros(SCRATCH_SIZE), count=2)
    signals = story_signals(arriving, chosen, np.zeros(SCRATCH_SIZE))
    assert [s.key for s in chosen.stories] == ["flood", "budget"]
    text_mean = signals[:, SIGNALS.index("text_mean")]
    assert text_mean[0] > text_mean[1]
    assert np.allclose(signals[:, SIGNALS.index("margin")], [text_mean[0] - text_mean[1], text_mean[1] - text_mean[0]])
    assert signals[0, SIGNALS.index("both_dated")] == 0.0  # neither side has a date


def test_day_signals_bin_the_days_from_the_story_span() -> None:
    vectorize = Vectorizer()
    story = grown("flood", "Floods hit Brenford valley.", vectorize=vectorize, day=date(2024, 3, 1).toordinal())
    story.widen_dates(date(2024, 3, 2).toordinal())
    for day, expected in ((date(2024, 3, 2), "days_0"), (date(2024, 3, 3), "days_1"), (date(2024, 3, 5), "days_2_3")):
        vectors = vectorize(article("x", "Brenford valley floods.", published=day))
        row = story_signals(vectors, shortlist(vectors, [story], np.zeros(SCRATCH_SIZE), 1), np.zeros(SCRATCH_SIZE))
        on = [name for name in SIGNALS if name.startswith("days_") and row[0, SIGNALS.index(name)] == 1.0]
        assert on == [expected]


def test_a_story_stops_growing_after_its_seed_members() -> None:
    vectorize = Vectorizer()
    story = grown("flood", *(f"Floods hit Brenford valley, day {n}." for n in range(12)), vectorize=vectorize)
    assert story.seeds == 10
    summed = add_vectors(story.text, SparseVector(story.text.index, -story.text.values))
    assert np.allclose(summed.values, 0.0)


@given(st.lists(st.sampled_from(["add", "quiet", "remove"]), min_size=1, max_size=40), st.integers(0, 1000))
@settings(max_examples=60, deadline=None)
def test_the_story_index_keeps_rows_and_blocks_consistent(operations: list[str], seed: int) -> None:
    rng = np.random.default_rng(seed)
    index = StoryIndex(capacity=50)
    sketches: dict[str, np.ndarray] = {}
    for n, operation in enumerate(operations):
        active = index.stories[: index.active]
        if operation == "add" and len(index) < 50:
            story = StoryProfile(f"s{n}", slot=-1, seeds=1)
            index.add(story)
            sketches[story.key] = rng.random(index.sketches.shape[1]).astype(np.float32)
            index.grow(story, sketches[story.key])
        elif operation == "quiet" and active:
            index.quieten(active[int(rng.integers(len(active)))])
        elif operation == "remove" and len(index):
            index.remove(index.stories[int(rng.integers(len(index)))])
    for row, story in enumerate(index.stories):
        assert story.slot == row
        assert np.array_equal(index.sketches[row], sketches[story.key])
        assert story.quiet == (row >= index.active)
