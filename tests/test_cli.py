from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parallax.cli import app

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path, example_dir: Path) -> Path:
    path = tmp_path / "p.db"
    result = runner.invoke(app, ["ingest", str(example_dir), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_ingest_reports_counts(tmp_path: Path, example_dir: Path) -> None:
    result = runner.invoke(app, ["ingest", str(example_dir), "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 0
    assert "read 5 articles: 5 new, 0 already stored; dropped: none" in result.output


def test_second_ingest_adds_nothing(db: Path, example_dir: Path) -> None:
    result = runner.invoke(app, ["ingest", str(example_dir), "--db", str(db)])
    assert "0 new, 5 already stored" in result.output


def test_bad_files_are_named_and_batch_goes_on(tmp_path: Path, example_dir: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    result = runner.invoke(app, ["ingest", str(example_dir), str(bad), "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 0
    assert f"skipped {bad / 'empty.txt'}: empty (no content)" in result.output
    assert "dropped: empty 1" in result.output


def test_nothing_readable_exits_one(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = runner.invoke(app, ["ingest", str(tmp_path / "empty.txt"), "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 1
    assert "nothing could be read" in result.output


def test_stories_lists_both_stories(db: Path) -> None:
    result = runner.invoke(app, ["stories", "--db", str(db), "--json"])
    stories = json.loads(result.output)
    assert sorted(len(s["article_ids"]) for s in stories) == [1, 4]


def test_show_prints_markdown_of_a_story(db: Path) -> None:
    listing = json.loads(runner.invoke(app, ["stories", "--db", str(db), "--json"]).output)
    main = max(listing, key=lambda s: len(s["article_ids"]))
    result = runner.invoke(app, ["show", main["id"], "--db", str(db)])
    assert result.exit_code == 0
    assert result.output.startswith("# parallax report")
    assert "### Facts" in result.output


def test_show_unknown_story_says_what_to_do(db: Path) -> None:
    result = runner.invoke(app, ["show", "s-nope", "--db", str(db)])
    assert result.exit_code == 2
    assert "s-nope" in result.output
    assert "parallax stories" in result.output


def test_show_rejects_unknown_format(db: Path) -> None:
    result = runner.invoke(app, ["show", "x", "--db", str(db), "--format", "pdf"])
    assert result.exit_code == 2
    assert "use one of: md, json" in result.output


def test_analyze_writes_the_three_reports(tmp_path: Path, example_dir: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["analyze", str(example_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} >= {"report.json", "report.md", "index.html", "parallax.db"}
    assert "2 stories from 5 articles" in result.output


def test_serve_without_database_says_how_to_make_one(tmp_path: Path) -> None:
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    assert "parallax ingest" in result.output


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    help_text = runner.invoke(app, ["--help"]).output
    commands = set(re.findall(r"│ (\w+)\s{2,}", help_text))
    assert commands >= {"ingest", "stories", "show", "analyze", "serve"}
    for command in commands:
        assert f"parallax {command}" in readme, command


def test_column_flag_needs_field_equals_column(tmp_path: Path, example_dir: Path) -> None:
    result = runner.invoke(app, ["ingest", str(example_dir), "--db", str(tmp_path / "p.db"), "--column", "body"])
    assert result.exit_code == 2
    assert "--column takes FIELD=COLUMN (e.g. text=body), got 'body'" in result.output


def test_column_flag_names_a_csv_text_column(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_text("story,name\nThe text of the report. It is long enough.,T\n", encoding="utf-8")
    args = ["ingest", str(tmp_path / "in.csv"), "--db", str(tmp_path / "p.db"), "--column", "text=story"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "read 1 articles: 1 new" in result.output


def test_no_fetch_lists_urls_as_skipped(tmp_path: Path) -> None:
    args = ["ingest", "https://news.example/a", "--db", str(tmp_path / "p.db"), "--no-fetch"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "skipped https://news.example/a: fetching_off" in result.output


def test_reference_date_dates_texts_that_give_none(tmp_path: Path, example_dir: Path) -> None:
    db = tmp_path / "p.db"
    args = ["ingest", str(example_dir / "004_f982996cea3e33e0.txt"), "--db", str(db), "--reference-date", "2023-07-16"]
    assert runner.invoke(app, args).exit_code == 0
    result = runner.invoke(app, ["stories", "--db", str(db), "--json"])
    assert json.loads(result.output)[0]["first_published"] == "2023-07-16"


def test_a_malformed_outlets_file_is_one_line_naming_the_file(tmp_path: Path, example_dir: Path) -> None:
    outlets = tmp_path / "outlets.json"
    outlets.write_text("[{", encoding="utf-8")
    args = ["ingest", str(example_dir), "--db", str(tmp_path / "p.db"), "--outlets", str(outlets)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert f"{outlets}: is not valid JSON" in result.output


def test_ingest_of_a_url_says_what_it_fetched(tmp_path: Path) -> None:
    from localserver import LocalServer, Route

    page = b"<html><body><article><p>The council passed the budget on Tuesday after a long debate.</p></article>"
    with LocalServer() as server:
        server.routes["/a"] = Route(body=page + b"</body></html>")
        args = ["ingest", server.url("/a"), "--db", str(tmp_path / "p.db"), "--cache-dir", str(tmp_path / "c")]
        first = runner.invoke(app, args)
        second = runner.invoke(app, args)
    assert "fetched 1 from the network, 0 from the cache" in first.output
    assert "fetched 0 from the network, 1 from the cache" in second.output
    assert "0 new, 1 already stored" in second.output


def test_eval_extract_names_a_missing_data_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "extract", "--data", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no such folder; give --data" in result.output
