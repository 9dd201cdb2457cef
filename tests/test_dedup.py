from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from parallax.dedup import find_exact_duplicates, text_fingerprint
from parallax.model import Article


def article(article_id: str, text: str) -> Article:
    return Article(id=article_id, source=f"{article_id}.txt", raw_hash=article_id, raw_text=text, text=text)


def test_later_copy_points_to_first() -> None:
    articles = [article("a", "Same text."), article("b", "Other text."), article("c", "Same text.")]
    result = find_exact_duplicates(articles)
    assert result.duplicate_of == {"c": "a"}
    assert articles[2].duplicate_of == "a"
    assert articles[0].duplicate_of is None


def test_whitespace_and_case_do_not_make_a_new_text() -> None:
    assert text_fingerprint("Baku  closed\nthe road.") == text_fingerprint("baku closed the road.")


def test_known_fingerprints_from_the_store_are_respected() -> None:
    stored = {text_fingerprint("Old text."): "old"}
    fresh = article("new", "Old text.")
    find_exact_duplicates([fresh], known=stored)
    assert fresh.duplicate_of == "old"


def test_an_article_is_not_a_duplicate_of_itself_when_reingested() -> None:
    again = article("a", "Same text.")
    find_exact_duplicates([again], known={text_fingerprint("Same text."): "a"})
    assert again.duplicate_of is None


@given(st.lists(st.sampled_from(["x", "y", "z", "x "]), max_size=12))
def test_exactly_one_canonical_per_distinct_text(texts: list[str]) -> None:
    articles = [article(str(i), t) for i, t in enumerate(texts)]
    find_exact_duplicates(articles)
    canonical = [a for a in articles if a.duplicate_of is None]
    assert len(canonical) == len({text_fingerprint(t) for t in texts})
    ids = {a.id for a in canonical}
    assert all(a.duplicate_of in ids for a in articles if a.duplicate_of is not None)
