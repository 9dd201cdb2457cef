"""Exports: CSV rows that read back exactly, Parquet tables, and a static site that escapes hostile text."""

from __future__ import annotations

import csv
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from parallax.cli import app
from parallax.errors import MissingDependencyError
from parallax.export import (
    LIST_SEPARATOR,
    article_rows,
    export_store,
    fact_rows,
    page_name,
    write_csv,
    write_parquet,
    write_site,
)
from parallax.model import Article, Fact, FactEvidence, Story
from parallax.pipeline import analyze
from parallax.render import source_label
from parallax.store import Store

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "karabakh-2023"
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
TRICKY = 'Said "no", then left;\nnew line, comma, =SUM(A1)'


def hand_made() -> tuple[list[Story], list[Article]]:
    articles = [
        Article(
            id="a1",
            source="a1.txt",
            raw_hash="a1",
            raw_text="",
            text=f"Body {SCRIPT} {IMG}",
            title=f"T {SCRIPT}",
            outlet="Daily <b>Bugle</b>",
            url="javascript:alert(1)",
            published=date(2024, 5, 1),
            language="en",
            agencies=["AFP", "Reuters"],
        ),
        Article(
            id="b1",
            source="b1.txt",
            raw_hash="b1",
            raw_text="",
            text="Plain body.",
            title=TRICKY,
            outlet="Planet",
            url="https://planet.example/x?a=1&b=2",
            published=None,
            duplicate_of="a1",
        ),
        Article(id="c1", source="c1.txt", raw_hash="c1", raw_text="", text="Alone."),
    ]
    fact = Fact(
        TRICKY + " " + SCRIPT,
        ["a1", "b1"],
        ["Daily <b>Bugle</b>", "Planet"],
        [FactEvidence("a1", 0, f"Evidence {IMG}")],
        independent_sources=2,
    )
    story = Story(id="s-1", title=f"Story {SCRIPT}", article_ids=["a1", "b1"], method="test", facts=[fact])
    return [story], articles


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_fact_csv_round_trips_every_field(tmp_path: Path) -> None:
    stories, articles = hand_made()
    write_csv(stories, articles, tmp_path)
    [row] = read_csv(tmp_path / "facts.csv")
    assert row == {
        "story_id": "s-1",
        "fact": TRICKY + " " + SCRIPT,
        "independent_sources": "2",
        "article_count": "2",
        "outlets": "Daily <b>Bugle</b>; Planet",
        "article_ids": "a1; b1",
    }


def test_article_csv_has_one_row_per_article_with_its_story(tmp_path: Path) -> None:
    stories, articles = hand_made()
    write_csv(stories, articles, tmp_path)
    rows = {row["id"]: row for row in read_csv(tmp_path / "articles.csv")}
    assert list(rows) == ["a1", "b1", "c1"]
    assert rows["a1"]["agencies"].split(LIST_SEPARATOR) == ["AFP", "Reuters"]
    assert rows["a1"]["published"] == "2024-05-01"
    assert rows["a1"]["story_ids"] == "s-1"
    assert rows["b1"]["title"] == TRICKY
    assert rows["b1"]["duplicate_of"] == "a1"
    assert rows["b1"]["published"] == ""
    assert rows["c1"]["story_ids"] == ""


def test_parquet_tables_keep_lists_and_dates(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow", reason="pyarrow is not installed: pip install 'parallax-news[parquet]'")
    import pyarrow.parquet as pq

    stories, articles = hand_made()
    write_parquet(stories, articles, tmp_path)
    facts = pq.read_table(tmp_path / "facts.parquet").to_pylist()
    assert facts == [
        {
            "story_id": "s-1",
            "fact": TRICKY + " " + SCRIPT,
            "independent_sources": 2,
            "article_count": 2,
            "outlets": ["Daily <b>Bugle</b>", "Planet"],
            "article_ids": ["a1", "b1"],
        }
    ]
    table = pq.read_table(tmp_path / "articles.parquet")
    rows = {row["id"]: row for row in table.to_pylist()}
    assert rows["a1"]["published"] == date(2024, 5, 1)
    assert rows["a1"]["agencies"] == ["AFP", "Reuters"]
    assert rows["c1"]["story_ids"] == []
    assert table.num_rows == len(article_rows(articles, stories)) == 3


def test_parquet_without_pyarrow_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # makes `import pyarrow` raise ImportError
    stories, articles = hand_made()
    with pytest.raises(MissingDependencyError, match=r"pip install 'parallax-news\[parquet\]'"):
        write_parquet(stories, articles, tmp_path)


def test_site_shows_hostile_text_as_text(tmp_path: Path) -> None:
    stories, articles = hand_made()
    written = write_site(stories, articles, tmp_path)
    assert {p.relative_to(tmp_path).as_posix() for p in written} == {
        "index.html",
        "stories/s-1.html",
        "articles/a1.html",
        "articles/b1.html",
        "articles/c1.html",
    }
    for path in written:
        page = path.read_text(encoding="utf-8")
        assert "<script" not in page and "<img" not in page and "<b>" not in page, path
        assert 'href="javascript:' not in page, path
    article = (tmp_path / "articles" / "a1.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in article
    assert "&lt;img src=x onerror=" in article
    assert "Content-Security-Policy" in article


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [value for name, value in attrs if name == "href" and value]


@pytest.fixture(scope="module")
def example_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "p.db"
    with Store.open(path) as store:
        analyze([EXAMPLE], store)
    return path


def test_site_of_the_example_links_only_to_its_own_pages(example_db: Path, tmp_path: Path) -> None:
    with Store.open(example_db) as store:
        stories, articles = store.stories(), store.articles()
    written = write_site(stories, articles, tmp_path)
    assert len(written) == 1 + len(stories) + len(articles)
    for path in written:
        page = path.read_text(encoding="utf-8")
        parser = Links()
        parser.feed(page)
        local = [href for href in parser.hrefs if not urlsplit(href).scheme]
        assert local, path
        for href in local:
            assert not href.startswith("/"), (path, href)
            if href.startswith("#"):  # the plots link a fact to its row of the page's facts table
                assert f'id="{href[1:]}"' in page, (path, href)
            else:
                assert (path.parent / href).resolve().is_file(), (path, href)
    story_page = (tmp_path / "stories" / page_name(stories[0].id)).read_text(encoding="utf-8")
    assert stories[0].facts[0].text.split()[0] in story_page
    assert "<svg" in story_page


def test_page_names_never_leave_their_folder() -> None:
    assert page_name("s-cbd6a7fed8f5") == "s-cbd6a7fed8f5.html"
    for hostile in ["../../etc/passwd", "a/b", ".hidden", "", "x" * 500]:
        name = page_name(hostile)
        assert "/" not in name and not name.startswith(".") and len(name) < 40, name


def test_cli_export_writes_csv_from_the_store(example_db: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", "--db", str(example_db), "--format", "csv", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    with Store.open(example_db) as store:
        expected = fact_rows(store.stories())
    rows = read_csv(tmp_path / "facts.csv")
    assert [(r["story_id"], r["fact"], int(r["independent_sources"])) for r in rows] == [
        (f.story_id, f.fact, f.independent_sources) for f in expected
    ]
    assert "wrote" in result.output


def test_cli_export_rejects_an_unknown_format(example_db: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", "--db", str(example_db), "--format", "xlsx", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "unknown format 'xlsx'; use one of: csv, parquet, site" in result.output


def test_export_store_names_the_formats_it_knows(example_db: Path, tmp_path: Path) -> None:
    with Store.open(example_db) as store, pytest.raises(ValueError, match="use one of: csv, parquet, site"):
        export_store(store, "xlsx", tmp_path)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("source", "uploads", "shown"),
    [
        ("https://example.com/a?b=1", None, "https://example.com/a?b=1"),
        (
            "/srv/parallax/p.db.uploads/20240101-ab12/pasted.txt",
            Path("/srv/parallax/p.db.uploads"),
            "uploads/20240101-ab12/pasted.txt",
        ),
        ("/srv/parallax/p.db.uploads/20240101-ab12/pasted.txt", None, "pasted.txt"),
        ("/home/me/news/wire.zip!2024/a.txt", None, "wire.zip!2024/a.txt"),
        ("/home/me/news/feed.jsonl.gz#L12", None, "feed.jsonl.gz#L12"),
        ("C:\\Users\\me\\news\\a.txt", None, "a.txt"),
        ("examples/karabakh-2023/001.txt", None, "examples/karabakh-2023/001.txt"),
        ("-", None, "-"),
    ],
)
def test_source_label_never_shows_an_absolute_path(source: str, uploads: Path | None, shown: str) -> None:
    assert source_label(source, uploads) == shown


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_starting_like_a_formula_are_neutralised(prefix: str, tmp_path: Path) -> None:
    stories, articles = hand_made()
    articles[0].title = prefix + "cmd|' /C calc'!A0"
    write_csv(stories, articles, tmp_path / "safe")
    write_csv(stories, articles, tmp_path / "raw", raw=True)
    safe = {row["id"]: row for row in read_csv(tmp_path / "safe" / "articles.csv")}
    raw = {row["id"]: row for row in read_csv(tmp_path / "raw" / "articles.csv")}
    assert safe["a1"]["title"] == "'" + articles[0].title
    assert raw["a1"]["title"] == articles[0].title
    assert safe["b1"]["title"] == raw["b1"]["title"] == TRICKY  # '=' inside a cell is left alone
