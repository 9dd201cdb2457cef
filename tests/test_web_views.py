"""What the article page draws: its text cut into runs marked as shared passage and/or loaded term."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from parallax.loaded import LoadedTerm, find_loaded
from parallax.web_views import marked_segments


def test_marked_segments_mark_shared_spans_and_loaded_terms() -> None:
    text = "Baku claims the separatists blocked the road."
    terms = find_loaded(text)
    segments = marked_segments(text, [(0, 11)], terms)
    assert "".join(s.text for s in segments) == text
    assert [(s.text, s.shared, s.loaded.category if s.loaded else None) for s in segments] == [
        ("Baku ", True, None),
        ("claims", True, "evaluative_verb"),
        (" the ", False, None),
        ("separatists", False, "loaded_label"),
        (" blocked the road.", False, None),
    ]


@given(
    st.text(max_size=60),
    st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70)), max_size=5),
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 8)), max_size=4),
)
def test_marked_segments_always_cover_the_text_exactly(
    text: str, shared: list[tuple[int, int]], loaded: list[tuple[int, int]]
) -> None:
    terms = [LoadedTerm(start, start + length, "", "x", "hedge") for start, length in loaded]
    segments = marked_segments(text, shared, terms)
    assert "".join(s.text for s in segments) == text
    assert all(s.text for s in segments)
