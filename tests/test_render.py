from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from parallax.model import Article, Fact, FactEvidence, RemovedLine, Story, SummarySentence
from parallax.pipeline import Report
from parallax.render import report_to_dict, safe_url, to_html, to_markdown, write_report

SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "report.schema.json"
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> [link](javascript:alert(3))'


def hostile_report() -> Report:
    article = Article(
        id="0123456789abcdef",
        source="evil.html",
        raw_hash="f" * 64,
        raw_text=HOSTILE,
        text=HOSTILE,
        title=HOSTILE,
        outlet="<b>Evil</b>",
        url="javascript:alert(4)",
        removed_lines=[RemovedLine(1, "<script>x()</script>", "read_more")],
    )
    fact = Fact(HOSTILE, [article.id], ["<b>Evil</b>"], [FactEvidence(article.id, 0, HOSTILE)])
    story = Story(
        "s-1",
        HOSTILE,
        [article.id],
        "cluster.tfidf.v1",
        facts=[fact],
        summary=[SummarySentence(HOSTILE, (article.id,))],
    )
    return Report([article], [story])


def test_hostile_text_is_escaped_in_html() -> None:
    html = to_html(hostile_report())
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_html_forbids_scripts_by_policy() -> None:
    assert "Content-Security-Policy" in to_html(hostile_report())


def test_hostile_text_is_escaped_in_markdown() -> None:
    markdown = to_markdown(hostile_report())
    assert "<script>" not in markdown
    assert "](javascript:" not in markdown


def test_only_web_urls_become_links() -> None:
    assert safe_url("https://example.org/a") == "https://example.org/a"
    assert safe_url(" JavaScript:alert(1)") is None
    assert safe_url("data:text/html,x") is None
    assert safe_url(None) is None


def test_report_json_matches_schema() -> None:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.validate(report_to_dict(hostile_report()), schema)


def test_write_report_writes_three_files(tmp_path: Path) -> None:
    written = write_report(hostile_report(), tmp_path / "out")
    assert sorted(p.name for p in written) == ["index.html", "report.json", "report.md"]
    data = json.loads((tmp_path / "out" / "report.json").read_text())
    assert data["stories"][0]["summary"][0]["article_ids"] == ["0123456789abcdef"]


def test_fact_table_has_one_column_per_outlet_counting_its_articles() -> None:
    articles = [
        Article(f"a{n}", f"{n}.txt", str(n) * 64, "text", text="text", title=f"t{n}", outlet=outlet)
        for n, outlet in enumerate(["Reuters", "Daily", "Daily", "Daily"])
    ]
    both = Fact("Both say it.", ["a0", "a1", "a2"], ["Reuters", "Daily"], [FactEvidence("a0", 0, "Both say it.")])
    story = Story("s-1", "t", [a.id for a in articles], "cluster.tfidf.v1", facts=[both])
    html = to_html(Report(articles, [story]))
    head = html.split('<table class="facts">', 1)[1].split("</thead>", 1)[0]
    assert head.count("</th>") == 5  # fact, independent, articles, Reuters, Daily
    assert 'Daily <span class="muted">(3)</span>' in head
    row = html.split('data-testid="fact-row"', 1)[1].split("</tr>", 1)[0]
    assert row.count('<td class="count">') == 4  # independent, articles, then one cell per outlet
    assert row.rstrip().endswith('<td class="count">●</td><td class="count">2</td>')
