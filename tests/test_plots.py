"""SVG plots: valid XML, escaped labels, counts that match a small story drawn by hand."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from parallax.model import Article, Fact
from parallax.plots import (
    SHADES,
    CoveragePoint,
    PlotLinks,
    coverage_points,
    coverage_svg,
    fact_matrix,
    fact_matrix_svg,
)

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE_OUTLET = 'Evil <script>alert(1)</script> & "Co"'


def article(article_id: str, outlet: str | None, published: date | None) -> Article:
    return Article(
        id=article_id, source=f"{article_id}.txt", raw_hash=article_id, raw_text="", outlet=outlet, published=published
    )


def small_story() -> list[Article]:
    # Daily Bugle: two on the 1st, one on the 3rd; Planet: one on the 3rd; one undated wire copy.
    return [
        article("a1", "Daily Bugle", date(2024, 5, 1)),
        article("a2", "Daily Bugle", date(2024, 5, 1)),
        article("a3", "Daily Bugle", date(2024, 5, 3)),
        article("b1", "Planet", date(2024, 5, 3)),
        article("c1", "Wire", None),
    ]


def facts() -> list[Fact]:
    return [
        Fact("The bridge closed.", ["a1", "b1"], ["Daily Bugle", "Planet"], [], independent_sources=2),
        Fact("Traffic was diverted.", ["b1"], ["Planet"], [], independent_sources=1),
    ]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def test_coverage_points_count_articles_per_outlet_and_day() -> None:
    assert coverage_points(small_story()) == [
        CoveragePoint("Daily Bugle", date(2024, 5, 1), 2, ("a1", "a2")),
        CoveragePoint("Daily Bugle", date(2024, 5, 3), 1, ("a3",)),
        CoveragePoint("Planet", date(2024, 5, 3), 1, ("b1",)),
    ]


def test_coverage_svg_draws_one_dot_per_outlet_day_with_its_count() -> None:
    root = parse(coverage_svg(small_story()))
    dots = root.iter(f"{SVG}circle")
    counts = sorted((dot.findtext(f"{SVG}title"), dot.get("data-count")) for dot in dots)
    assert counts == [
        ("Daily Bugle · 2024-05-01: 2 articles", "2"),
        ("Daily Bugle · 2024-05-03: 1 article", "1"),
        ("Planet · 2024-05-03: 1 article", "1"),
    ]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"2024-05-01", "2024-05-02", "2024-05-03"} <= set(texts)  # every day of a short span is labelled
    assert "1 undated article not shown" in texts


def test_the_busier_day_gets_the_bigger_dot() -> None:
    radius = {
        c.get("data-count"): float(c.get("r", "0")) for c in parse(coverage_svg(small_story())).iter(f"{SVG}circle")
    }
    assert radius["2"] > radius["1"]


def test_coverage_without_dates_says_so() -> None:
    root = parse(coverage_svg([article("x", "Wire", None)]))
    assert not list(root.iter(f"{SVG}circle"))
    assert "No dated article to plot." in "".join(root.itertext())


def test_hostile_labels_are_escaped_and_kept_as_text() -> None:
    articles = [article("h1", HOSTILE_OUTLET + "\x00\x1b", date(2024, 5, 1))]
    svg = coverage_svg(articles, title="<b>title</b>")
    assert "<script>" not in svg and "<b>" not in svg
    root = parse(svg)  # control characters are dropped: the document stays well-formed XML
    assert not list(root.iter(f"{SVG}script"))
    assert HOSTILE_OUTLET in [t.text for t in root.iter(f"{SVG}text")]
    assert root.findtext(f"{SVG}title") == "<b>title</b>"


def test_fact_matrix_marks_who_states_each_fact_with_a_column_for_every_outlet() -> None:
    by_id = {a.id: a for a in small_story()}
    matrix = fact_matrix(facts(), by_id)
    # Wire states neither fact: its empty column is what shows the omission.
    assert matrix.outlets == ("Daily Bugle", "Planet", "Wire")
    assert matrix.cells == ((True, True, False), (False, True, False))


def test_fact_matrix_svg_fills_stated_cells_shaded_by_independent_sources() -> None:
    by_id = {a.id: a for a in small_story()}
    cells = list(parse(fact_matrix_svg(facts(), by_id)).iter(f"{SVG}rect"))
    stated = [c for c in cells if c.get("data-stated") == "1"]
    assert [c.get("data-stated") for c in cells if c.get("data-stated")] == ["1", "1", "0", "0", "1", "0"]
    assert [c.get("fill") for c in stated] == [SHADES[1], SHADES[1], SHADES[0]]
    assert stated[0].findtext(f"{SVG}title") == "Daily Bugle states: The bridge closed. (2 independent sources)"


def test_fact_matrix_escapes_fact_text() -> None:
    hostile = Fact('<img src=x onerror="alert(1)"> & more', ["a1"], ["Daily Bugle"], [], independent_sources=1)
    svg = fact_matrix_svg([hostile], {a.id: a for a in small_story()})
    assert "<img" not in svg
    assert hostile.text in [t.text for t in parse(svg).iter(f"{SVG}text")]


def test_plots_are_deterministic_whatever_the_input_order() -> None:
    articles = small_story()
    by_id = {a.id: a for a in articles}
    assert coverage_svg(articles) == coverage_svg(list(reversed(articles)))
    assert fact_matrix_svg(facts(), by_id) == fact_matrix_svg(facts(), dict(reversed(by_id.items())))


def test_fact_matrix_ranks_by_independent_sources_and_keeps_table_positions() -> None:
    by_id = {a.id: a for a in small_story()}
    listed = [
        Fact("once", ["b1"], ["Planet"], [], independent_sources=1),
        Fact("twice, two outlets", ["a1", "b1"], ["Daily Bugle", "Planet"], [], independent_sources=2),
        Fact("twice, one outlet", ["a1"], ["Daily Bugle"], [], independent_sources=2),
    ]
    matrix = fact_matrix(listed, by_id)
    assert [f.text for f in matrix.facts] == ["twice, two outlets", "twice, one outlet", "once"]
    assert matrix.positions == (2, 3, 1)
    assert matrix.hidden == 0


def test_fact_matrix_draws_at_most_the_limit_and_counts_the_rest() -> None:
    by_id = {a.id: a for a in small_story()}
    many = [Fact(f"fact {n}", ["a1"], ["Daily Bugle"], [], independent_sources=1 + n % 3) for n in range(7)]
    assert fact_matrix(many, by_id, limit=5).hidden == 2
    root = parse(fact_matrix_svg(many, by_id, limit=5))
    assert len([r for r in root.iter(f"{SVG}rect") if r.get("data-stated")]) == 5 * 3
    assert "2 more facts not drawn" in [t.text for t in root.iter(f"{SVG}text")]


def test_links_go_from_one_article_dots_and_fact_labels() -> None:
    articles = small_story()
    links = PlotLinks(article_href=lambda i: f"/articles/{i}?x=1&y=2", fact_href=lambda n: f"#fact-{n}")
    coverage = parse(coverage_svg(articles, links=links))
    hrefs = sorted(a.get("href", "") for a in coverage.iter(f"{SVG}a"))
    # The 1 May dot holds two articles: it has no single target, so it links nowhere.
    assert hrefs == ["/articles/a3?x=1&y=2", "/articles/b1?x=1&y=2"]
    assert coverage.get("role") == "group"
    matrix = parse(fact_matrix_svg(facts(), {a.id: a for a in articles}, links=links))
    labels = {a.get("href"): a.findtext(f"{SVG}text") for a in matrix.iter(f"{SVG}a")}
    assert labels == {"#fact-1": "The bridge closed.", "#fact-2": "Traffic was diverted."}


def test_plots_without_links_have_none() -> None:
    by_id = {a.id: a for a in small_story()}
    for svg in (coverage_svg(small_story()), fact_matrix_svg(facts(), by_id)):
        root = parse(svg)
        assert not list(root.iter(f"{SVG}a"))
        assert root.get("role") == "img"


def test_a_long_fact_is_written_out_once_per_row() -> None:
    long_text = "The bridge over the river closed on Monday after inspectors found cracks in two of its piers."
    fact = Fact(long_text, ["a1", "b1"], ["Daily Bugle", "Planet"], [], independent_sources=2)
    svg = fact_matrix_svg([fact], {a.id: a for a in small_story()})
    root = parse(svg)
    [label] = [t for t in root.iter(f"{SVG}text") if t.findtext(f"{SVG}title")]
    assert label.findtext(f"{SVG}title") == long_text
    assert label.text is not None and label.text.endswith("…") and long_text.startswith(label.text[:-1])
    cells = [r.findtext(f"{SVG}title") or "" for r in root.iter(f"{SVG}rect") if r.get("data-stated")]
    assert len(cells) == 3 and all(label.text in tip and long_text not in tip for tip in cells)
    assert svg.count(long_text) == 1
