"""What the web pages draw: timeline and matrix geometry, and article text cut into marked runs."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from parallax.loaded import LoadedTerm, find_loaded
from parallax.model import Article, Fact, Story
from parallax.web_views import coverage_timeline, fact_matrix, marked_segments


def _article(article_id: str, outlet: str | None, published: date | None) -> Article:
    return Article(
        article_id, f"{article_id}.txt", article_id, "", "", title=article_id, outlet=outlet, published=published
    )


def _story(*articles: Article, facts: list[Fact] | None = None) -> tuple[Story, dict[str, Article]]:
    story = Story("s-1", "t", [a.id for a in articles], "test", facts=facts or [])
    return story, {a.id: a for a in articles}


def test_timeline_has_a_row_per_outlet_and_places_dates_in_order() -> None:
    story, articles = _story(
        _article("a", "Yle", date(2023, 7, 16)),
        _article("b", "TRT", date(2023, 7, 18)),
        _article("c", "Yle", date(2023, 7, 20)),
        _article("d", "AA", None),
    )
    timeline = coverage_timeline(story, articles)
    assert [row.outlet for row in timeline.rows] == ["Yle", "TRT"]
    yle, trt = timeline.rows
    assert [dot.article_id for dot in yle.dots] == ["a", "c"]
    assert yle.dots[0].x < trt.dots[0].x < yle.dots[1].x
    # Four days apart, TRT's article is two days in: halfway between the others.
    assert abs(trt.dots[0].x - (yle.dots[0].x + yle.dots[1].x) / 2) < 1e-9
    assert [a.id for a in timeline.undated] == ["d"]
    assert timeline.ticks[0].label == "2023-07-16"
    assert timeline.ticks[-1].label == "2023-07-20"
    assert yle.y < trt.y <= timeline.height


def test_timeline_of_undated_articles_draws_nothing() -> None:
    story, articles = _story(_article("a", "Yle", None))
    timeline = coverage_timeline(story, articles)
    assert (timeline.rows, timeline.height) == ([], 0)
    assert [a.id for a in timeline.undated] == ["a"]


def test_fact_matrix_ranks_by_independent_sources_and_keeps_table_positions() -> None:
    facts = [
        Fact("once", ["a"], ["Yle"], [], independent_sources=1),
        Fact("twice", ["a", "b"], ["Yle", "TRT"], [], independent_sources=2),
    ]
    story, articles = _story(_article("a", "Yle", None), _article("b", "TRT", None), facts=facts)
    matrix = fact_matrix(story, articles)
    assert matrix.outlets == ["Yle", "TRT"]
    assert matrix.facts == ["twice", "once"]
    assert matrix.positions == [2, 1]
    assert matrix.cells == [[True, True], [True, False]]
    assert matrix.hidden == 0


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
