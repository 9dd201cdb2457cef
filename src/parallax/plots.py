"""Server-side SVG plots of a story, readable without JavaScript or CSS (method `plots.svg.v2`).

- `coverage_svg`: coverage over time per outlet, a dot chart with one row per outlet and one column per day;
  a dot's area grows with the number of that outlet's articles that day.
- `fact_matrix_svg`: the facts × outlets matrix, a cell filled where an outlet states a fact, shaded by the
  fact's independent sources (source families, so reprints of one dispatch count once); the most independently
  reported facts first, at most `MAX_FACTS` of them (the rest are counted under the drawing).

The same drawings serve the static site (`parallax.export`), the web story page (inline, where `PlotLinks` makes
a one-article dot link to its article and a fact's label link to its row of the facts table) and a notebook.

Every piece of text comes from article data and is untrusted: it is escaped for XML and stripped of the control
characters XML cannot hold, so the output is safe to inline in an HTML page as markup. Styling uses presentation
attributes only, so the drawing survives without CSS; each mark carries a `<title>` with its exact figures. The
output is a pure function of the input (sorted, no clock, no randomness), so the same story always draws the same
bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from xml.sax.saxutils import escape

from parallax.model import Article, Fact, outlet_label

__all__ = [
    "MAX_FACTS",
    "METHOD",
    "CoveragePoint",
    "FactMatrix",
    "PlotLinks",
    "coverage_points",
    "coverage_svg",
    "fact_matrix",
    "fact_matrix_svg",
]

METHOD = "plots.svg.v2"
"""v2: facts ranked and capped, a column for every outlet of the story, optional links."""
FONT = 'font-family="system-ui, sans-serif" font-size="12"'
CHAR_WIDTH = 7  # px per character at font-size 12: a generous average, so labels do not overrun their margin
ROW_HEIGHT = 22
DAY_STEP_MAX = 28  # px per day for short stories; long ones shrink towards DAY_STEP_MIN
DAY_STEP_MIN = 6
PLOT_WIDTH = 640  # target width of the day axis before DAY_STEP_MIN takes over
MAX_LABEL_CHARS = 60  # longer fact texts are cut in the label; the full text stays in the cell's <title>
SHADES = ("#c6dbef", "#6baed6", "#2171b5", "#08306b")  # 1, 2, 3, 4+ independent sources (ColorBrewer Blues)
INK = "#1d1d1f"
GRID = "#d2d2d7"
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_FACTS = 40
"""The matrix draws at most this many facts (a story's facts table lists them all): 40 rows stay readable."""


@dataclass(slots=True, frozen=True)
class PlotLinks:
    """Where a drawing's marks link to when it is inline on a page; no links by default (a standalone file)."""

    article_href: Callable[[str], str] | None = None
    """A coverage dot of exactly one article links here (a dot of several has no single target)."""
    fact_href: Callable[[int], str] | None = None
    """A matrix row's label links here, given the fact's 1-based position in the story's facts."""


NO_LINKS = PlotLinks()


@dataclass(slots=True, frozen=True)
class CoveragePoint:
    """How many of an outlet's articles were published on one day."""

    outlet: str
    day: date
    articles: int
    article_ids: tuple[str, ...] = ()
    """The articles of the dot, sorted."""


@dataclass(slots=True, frozen=True)
class FactMatrix:
    """Facts × outlets: `cells[i][j]` is True when outlet `outlets[j]` states fact `facts[i]`."""

    outlets: tuple[str, ...]
    facts: tuple[Fact, ...]
    cells: tuple[tuple[bool, ...], ...]
    positions: tuple[int, ...] = ()
    """Each drawn fact's 1-based position in the facts given (its row in a story's facts table)."""
    hidden: int = 0
    """Facts left out of the drawing by the limit."""


def _text(value: str) -> str:
    """Escape `value` for an XML text node or a double-quoted attribute."""
    return escape(XML_ILLEGAL.sub("", value), {'"': "&quot;"})


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _svg(width: int, height: int, title: str, body: list[str], *, linked: bool = False) -> str:
    # role="img" would hide the links inside from assistive technology: a linked drawing is a group.
    role = "group" if linked else "img"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="{role}" aria-label="{_text(title)}" {FONT} fill="{INK}">'
    )
    return "\n".join([head, f"<title>{_text(title)}</title>", *body, "</svg>"]) + "\n"


def coverage_points(articles: Sequence[Article]) -> list[CoveragePoint]:
    """Count dated articles per (outlet, day), sorted by outlet then day; undated articles are left out."""
    ids: dict[tuple[str, date], list[str]] = {}
    for article in articles:
        if article.published is not None:
            ids.setdefault((outlet_label(article), article.published), []).append(article.id)
    return [
        CoveragePoint(outlet, day, len(found), tuple(sorted(found))) for (outlet, day), found in sorted(ids.items())
    ]


def _day_ticks(days: int) -> list[int]:
    """Indices of the days to label: every day for short spans, else about eight evenly spaced, last included."""
    if days <= 10:
        return list(range(days))
    every = -(-days // 8)
    return sorted({*range(0, days, every), days - 1})


@dataclass(slots=True, frozen=True)
class _Grid:
    """Where the coverage chart's rows and day columns lie."""

    outlets: tuple[str, ...]
    first: date
    days: int
    step: int
    left: int
    top: int

    @property
    def bottom(self) -> int:
        return self.top + ROW_HEIGHT * len(self.outlets)

    @property
    def right(self) -> int:
        return self.left + self.step * self.days


def _coverage_grid(points: Sequence[CoveragePoint]) -> _Grid:
    outlets = tuple(sorted({p.outlet for p in points}))
    first = min(p.day for p in points)
    days = (max(p.day for p in points) - first).days + 1
    step = max(DAY_STEP_MIN, min(DAY_STEP_MAX, PLOT_WIDTH // days))
    left = 12 + CHAR_WIDTH * min(MAX_LABEL_CHARS, max(len(o) for o in outlets))
    return _Grid(outlets, first, days, step, left, top=12)


def _coverage_axes(grid: _Grid) -> list[str]:
    body = [f'<g stroke="{GRID}" stroke-width="1">']
    for row in range(len(grid.outlets) + 1):
        y = grid.top + ROW_HEIGHT * row
        body.append(f'<line x1="{grid.left}" y1="{y}" x2="{grid.right}" y2="{y}"/>')
    body.append("</g>")
    for row, outlet in enumerate(grid.outlets):
        y = grid.top + ROW_HEIGHT * row + ROW_HEIGHT // 2 + 4
        label = _text(_shorten(outlet, MAX_LABEL_CHARS))
        body.append(f'<text x="{grid.left - 6}" y="{y}" text-anchor="end">{label}</text>')
    for tick in _day_ticks(grid.days):
        x, y = grid.left + grid.step * tick + grid.step // 2, grid.bottom + 16
        label = (grid.first + timedelta(days=tick)).isoformat()
        body.append(f'<line x1="{x}" y1="{grid.bottom}" x2="{x}" y2="{grid.bottom + 4}" stroke="{INK}"/>')
        body.append(f'<text x="{x}" y="{y}" text-anchor="end" transform="rotate(-30 {x} {y})">{label}</text>')
    return body


def _coverage_dots(
    grid: _Grid, points: Sequence[CoveragePoint], article_href: Callable[[str], str] | None
) -> list[str]:
    most = max(p.articles for p in points)
    row_of = {outlet: row for row, outlet in enumerate(grid.outlets)}
    radius_max = min(grid.step, ROW_HEIGHT) / 2 - 1
    body = []
    for point in points:
        x = grid.left + grid.step * (point.day - grid.first).days + grid.step / 2
        y = grid.top + ROW_HEIGHT * row_of[point.outlet] + ROW_HEIGHT / 2
        radius = max(2.0, radius_max * (point.articles / most) ** 0.5)  # area, not radius, grows with the count
        plural = "s" if point.articles != 1 else ""
        tip = f"{point.outlet} · {point.day.isoformat()}: {point.articles} article{plural}"
        dot = (
            f'<circle cx="{x:g}" cy="{y:g}" r="{radius:.1f}" fill="{SHADES[2]}" data-count="{point.articles}">'
            f"<title>{_text(tip)}</title></circle>"
        )
        if article_href is not None and len(point.article_ids) == 1:
            dot = f'<a href="{_text(article_href(point.article_ids[0]))}">{dot}</a>'
        body.append(dot)
    return body


def coverage_svg(
    articles: Sequence[Article], title: str = "Coverage over time per outlet", *, links: PlotLinks = NO_LINKS
) -> str:
    """Draw articles per day per outlet as an SVG dot chart; undated articles are counted in a note."""
    points = coverage_points(articles)
    undated = sum(1 for a in articles if a.published is None)
    note = f"{undated} undated article{'s' if undated != 1 else ''} not shown" if undated else ""
    if not points:
        message = _text(" ".join(["No dated article to plot.", note]).strip())
        return _svg(max(240, CHAR_WIDTH * (len(note) + 30)), 32, title, [f'<text x="8" y="20">{message}</text>'])
    grid = _coverage_grid(points)
    most = max(p.articles for p in points)
    legend_y = grid.bottom + 48
    body = [*_coverage_axes(grid), *_coverage_dots(grid, points, links.article_href)]
    body.append(f'<text x="{grid.left}" y="{legend_y}">articles per day (dot area ∝ count, largest = {most})</text>')
    if note:
        body.append(f'<text x="{grid.left}" y="{legend_y + 18}">{_text(note)}</text>')
    width = max(grid.right + 60, grid.left + CHAR_WIDTH * (len(note) + 4), grid.left + CHAR_WIDTH * 50)
    linked = links.article_href is not None
    return _svg(width, legend_y + (26 if note else 8), title, body, linked=linked)


def fact_matrix(facts: Sequence[Fact], articles: Mapping[str, Article], limit: int | None = None) -> FactMatrix:
    """Build the facts × outlets matrix: the most independently reported facts first (then the most widely
    reported, then in the order given), at most `limit`; a column per outlet of `articles` (the story's), sorted
    by its shown label, so an outlet that states none of the facts shows as an empty column."""
    ranked = sorted(
        enumerate(facts, start=1), key=lambda p: (-p[1].independent_sources, -len(set(p[1].article_ids)), p[0])
    )
    drawn = ranked if limit is None else ranked[:limit]
    stated = [{outlet_label(articles[i]) for i in fact.article_ids if i in articles} for _, fact in drawn]
    outlets = tuple(sorted({outlet_label(a) for a in articles.values()}))
    cells = tuple(tuple(outlet in row for outlet in outlets) for row in stated)
    positions = tuple(position for position, _ in drawn)
    return FactMatrix(outlets, tuple(fact for _, fact in drawn), cells, positions, len(ranked) - len(drawn))


def _shade(independent_sources: int) -> str:
    return SHADES[min(max(independent_sources, 1), len(SHADES)) - 1]


@dataclass(slots=True, frozen=True)
class _MatrixLayout:
    """Where the matrix's labels, cells and independent-source counts lie."""

    left: int
    header: int
    count_x: int

    @property
    def top(self) -> int:
        return self.header + 8


def _matrix_header(outlets: Sequence[str], layout: _MatrixLayout) -> list[str]:
    body = []
    baseline, count_x = layout.header, layout.count_x
    for column, outlet in enumerate(outlets):
        x = layout.left + ROW_HEIGHT * column + ROW_HEIGHT // 2 + 4
        label = _text(_shorten(outlet, MAX_LABEL_CHARS))
        body.append(f'<text x="{x}" y="{baseline}" transform="rotate(-60 {x} {baseline})">{label}</text>')
    body.append(f'<text x="{count_x}" y="{baseline}" transform="rotate(-60 {count_x} {baseline})">independent</text>')
    return body


def _matrix_row(
    matrix: FactMatrix, row: int, layout: _MatrixLayout, fact_href: Callable[[int], str] | None
) -> list[str]:
    fact, cells, cell, left = matrix.facts[row], matrix.cells[row], ROW_HEIGHT, layout.left
    y = layout.top + cell * row
    short = _shorten(fact.text, MAX_LABEL_CHARS)
    # The full text once per row, on its label; each cell repeats only the label (a story's matrix has
    # thousands of cells, and full sentences in every cell made it hundreds of kilobytes).
    full = f"<title>{_text(fact.text)}</title>" if short != fact.text else ""
    label = f'<text x="{left - 8}" y="{y + cell // 2 + 4}" text-anchor="end">{_text(short)}{full}</text>'
    if fact_href is not None and matrix.positions:
        label = f'<a href="{_text(fact_href(matrix.positions[row]))}">{label}</a>'
    body = [label, f'<text x="{layout.count_x}" y="{y + cell // 2 + 4}">{fact.independent_sources}</text>']
    for column, (outlet, stated) in enumerate(zip(matrix.outlets, cells, strict=True)):
        fill = _shade(fact.independent_sources) if stated else "#ffffff"
        verdict = "states" if stated else "does not state"
        tip = f"{outlet} {verdict}: {short} ({fact.independent_sources} independent sources)"
        body.append(
            f'<rect x="{left + cell * column}" y="{y}" width="{cell}" height="{cell}" fill="{fill}" '
            f'stroke="{GRID}" data-stated="{"1" if stated else "0"}"><title>{_text(tip)}</title></rect>'
        )
    return body


def _shade_legend(x: int, y: int) -> list[str]:
    legend = [f'<text x="{x}" y="{y}">independent sources:</text>']
    for index, shade in enumerate(SHADES):
        key_x = x + 150 + index * 44
        label = f"{index + 1}+" if index == len(SHADES) - 1 else str(index + 1)
        legend.append(f'<rect x="{key_x}" y="{y - 11}" width="12" height="12" fill="{shade}" stroke="{GRID}"/>')
        legend.append(f'<text x="{key_x + 16}" y="{y}">{label}</text>')
    return legend


def fact_matrix_svg(
    facts: Sequence[Fact],
    articles: Mapping[str, Article],
    title: str = "Facts by outlet",
    *,
    limit: int | None = MAX_FACTS,
    links: PlotLinks = NO_LINKS,
) -> str:
    """Draw the facts × outlets matrix as SVG: filled cells where an outlet states the fact, darker when more
    independent sources state it; at most `limit` facts, the most independently reported first."""
    matrix = fact_matrix(facts, articles, limit)
    if not matrix.facts or not matrix.outlets:
        return _svg(240, 32, title, ['<text x="8" y="20">No fact to plot.</text>'])
    longest_fact = max(len(_shorten(fact.text, MAX_LABEL_CHARS)) for fact in matrix.facts)
    longest_outlet = max(len("independent"), *(len(_shorten(o, MAX_LABEL_CHARS)) for o in matrix.outlets))
    left = 16 + CHAR_WIDTH * longest_fact
    header = 16 + int(CHAR_WIDTH * longest_outlet * 0.87)  # sin 60°: the rotated labels' height
    layout = _MatrixLayout(left, header, count_x=left + ROW_HEIGHT * len(matrix.outlets) + 12)
    legend_y = layout.top + ROW_HEIGHT * len(matrix.facts) + 24
    body = _matrix_header(matrix.outlets, layout)
    for row in range(len(matrix.facts)):
        body += _matrix_row(matrix, row, layout, links.fact_href)
    body += _shade_legend(left, legend_y)
    height = legend_y + 12
    if matrix.hidden:
        plural = "s" if matrix.hidden != 1 else ""
        body.append(f'<text x="{left}" y="{legend_y + 22}">{matrix.hidden} more fact{plural} not drawn</text>')
        height += 20
    width = max(layout.count_x + 8 + int(CHAR_WIDTH * longest_outlet * 0.5), left + 150 + 44 * len(SHADES)) + 16
    return _svg(width, height, title, body, linked=links.fact_href is not None)
