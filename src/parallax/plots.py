"""Server-side SVG plots of a story, readable without JavaScript or CSS (method `plots.svg.v1`).

- `coverage_svg`: coverage over time per outlet, a dot chart with one row per outlet and one column per day;
  a dot's area grows with the number of that outlet's articles that day.
- `fact_matrix_svg`: the facts × outlets matrix, a cell filled where an outlet states a fact, shaded by the
  fact's independent sources (source families, so reprints of one dispatch count once).

Every piece of text comes from article data and is untrusted: it is escaped for XML and stripped of the control
characters XML cannot hold. Styling uses presentation attributes only, so the drawing survives without CSS; each
mark carries a `<title>` with its exact figures. The output is a pure function of the input (sorted, no clock,
no randomness), so the same story always draws the same bytes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from xml.sax.saxutils import escape

from parallax.model import Article, Fact, outlet_label

__all__ = [
    "METHOD",
    "CoveragePoint",
    "FactMatrix",
    "coverage_points",
    "coverage_svg",
    "fact_matrix",
    "fact_matrix_svg",
]

METHOD = "plots.svg.v1"
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


@dataclass(slots=True, frozen=True)
class CoveragePoint:
    """How many of an outlet's articles were published on one day."""

    outlet: str
    day: date
    articles: int


@dataclass(slots=True, frozen=True)
class FactMatrix:
    """Facts × outlets: `cells[i][j]` is True when outlet `outlets[j]` states fact `facts[i]`."""

    outlets: tuple[str, ...]
    facts: tuple[Fact, ...]
    cells: tuple[tuple[bool, ...], ...]


def _text(value: str) -> str:
    """Escape `value` for an XML text node or a double-quoted attribute."""
    return escape(XML_ILLEGAL.sub("", value), {'"': "&quot;"})


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_text(title)}" {FONT} fill="{INK}">'
    )
    return "\n".join([head, f"<title>{_text(title)}</title>", *body, "</svg>"]) + "\n"


def coverage_points(articles: Sequence[Article]) -> list[CoveragePoint]:
    """Count dated articles per (outlet, day), sorted by outlet then day; undated articles are left out."""
    counts = Counter((outlet_label(a), a.published) for a in articles if a.published is not None)
    return [CoveragePoint(outlet, day, n) for (outlet, day), n in sorted(counts.items())]


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


def _coverage_dots(grid: _Grid, points: Sequence[CoveragePoint]) -> list[str]:
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
        body.append(
            f'<circle cx="{x:g}" cy="{y:g}" r="{radius:.1f}" fill="{SHADES[2]}" data-count="{point.articles}">'
            f"<title>{_text(tip)}</title></circle>"
        )
    return body


def coverage_svg(articles: Sequence[Article], title: str = "Coverage over time per outlet") -> str:
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
    body = [*_coverage_axes(grid), *_coverage_dots(grid, points)]
    body.append(f'<text x="{grid.left}" y="{legend_y}">articles per day (dot area ∝ count, largest = {most})</text>')
    if note:
        body.append(f'<text x="{grid.left}" y="{legend_y + 18}">{_text(note)}</text>')
    width = max(grid.right + 60, grid.left + CHAR_WIDTH * (len(note) + 4), grid.left + CHAR_WIDTH * 50)
    return _svg(width, legend_y + (26 if note else 8), title, body)


def fact_matrix(facts: Sequence[Fact], articles: Mapping[str, Article]) -> FactMatrix:
    """Build the facts × outlets matrix; outlets are those of the facts' articles, sorted, by their shown label."""

    def outlets_of(fact: Fact) -> set[str]:
        return {outlet_label(articles[i]) for i in fact.article_ids if i in articles}

    stated = [outlets_of(fact) for fact in facts]
    outlets = tuple(sorted(set().union(*stated)))
    cells = tuple(tuple(outlet in row for outlet in outlets) for row in stated)
    return FactMatrix(outlets, tuple(facts), cells)


def _shade(independent_sources: int) -> str:
    return SHADES[min(max(independent_sources, 1), len(SHADES)) - 1]


def _matrix_header(outlets: Sequence[str], left: int, baseline: int, count_x: int) -> list[str]:
    body = []
    for column, outlet in enumerate(outlets):
        x = left + ROW_HEIGHT * column + ROW_HEIGHT // 2 + 4
        label = _text(_shorten(outlet, MAX_LABEL_CHARS))
        body.append(f'<text x="{x}" y="{baseline}" transform="rotate(-60 {x} {baseline})">{label}</text>')
    body.append(f'<text x="{count_x}" y="{baseline}" transform="rotate(-60 {count_x} {baseline})">independent</text>')
    return body


def _matrix_row(matrix: FactMatrix, row: int, left: int, top: int, count_x: int) -> list[str]:
    fact, cells, cell = matrix.facts[row], matrix.cells[row], ROW_HEIGHT
    y = top + cell * row
    label = _text(_shorten(fact.text, MAX_LABEL_CHARS))
    body = [
        f'<text x="{left - 8}" y="{y + cell // 2 + 4}" text-anchor="end">{label}</text>',
        f'<text x="{count_x}" y="{y + cell // 2 + 4}">{fact.independent_sources}</text>',
    ]
    for column, (outlet, stated) in enumerate(zip(matrix.outlets, cells, strict=True)):
        fill = _shade(fact.independent_sources) if stated else "#ffffff"
        verdict = "states" if stated else "does not state"
        tip = f"{outlet} {verdict}: {fact.text} ({fact.independent_sources} independent sources)"
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


def fact_matrix_svg(facts: Sequence[Fact], articles: Mapping[str, Article], title: str = "Facts by outlet") -> str:
    """Draw the facts × outlets matrix as SVG: filled cells where an outlet states the fact, darker when more
    independent sources state it."""
    matrix = fact_matrix(facts, articles)
    if not matrix.facts or not matrix.outlets:
        return _svg(240, 32, title, ['<text x="8" y="20">No fact to plot.</text>'])
    longest_fact = max(len(_shorten(fact.text, MAX_LABEL_CHARS)) for fact in matrix.facts)
    longest_outlet = max(len("independent"), *(len(_shorten(o, MAX_LABEL_CHARS)) for o in matrix.outlets))
    left = 16 + CHAR_WIDTH * longest_fact
    header = 16 + int(CHAR_WIDTH * longest_outlet * 0.87)  # sin 60°: the rotated labels' height
    count_x = left + ROW_HEIGHT * len(matrix.outlets) + 12
    legend_y = header + 8 + ROW_HEIGHT * len(matrix.facts) + 24
    body = _matrix_header(matrix.outlets, left, header, count_x)
    for row in range(len(matrix.facts)):
        body += _matrix_row(matrix, row, left, header + 8, count_x)
    body += _shade_legend(left, legend_y)
    width = max(count_x + 8 + int(CHAR_WIDTH * longest_outlet * 0.5), left + 150 + 44 * len(SHADES)) + 16
    return _svg(width, legend_y + 12, title, body)
