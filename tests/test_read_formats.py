"""The reader on every container and export format, and on the bad input each one can bring."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest

from parallax.model import content_hash
from parallax.read import Reader, ReadOptions, sniff_kind
from warcs import warc_record, warc_response

PAGE = (
    b"<!doctype html><html><head><title>Ceasefire talks resume</title>"
    b'<meta property="og:site_name" content="Example News"></head><body><article>'
    b"<h1>Ceasefire talks resume</h1><p>Negotiators met in Brussels on Saturday to resume the talks.</p>"
    b"<p>Both sides said the meeting was constructive and agreed to meet again next month.</p>"
    b"</article></body></html>"
)


def read_all(*paths: str | Path, **kwargs: object) -> tuple[list, Reader]:
    reader = Reader(list(paths), **kwargs)  # type: ignore[arg-type]
    return list(reader), reader


def test_csv_rows_become_articles_through_the_default_column_names(tmp_path: Path) -> None:
    (tmp_path / "export.csv").write_text(
        'Headline,Body,Publisher,Link,Date\n"A title","First body, with a comma.",Reuters,https://x.example/a,2023-07-16\n'
        ',"Second body.",,,\n',
        encoding="utf-8",
    )
    articles, reader = read_all(tmp_path / "export.csv")
    assert [a.text for a in articles] == ["First body, with a comma.", "Second body."]
    first = articles[0]
    assert (first.title, first.outlet, first.url, str(first.published)) == (
        "A title",
        "Reuters",
        "https://x.example/a",
        "2023-07-16",
    )
    assert first.provenance["title"] == "record"
    assert first.source.endswith("export.csv#R1")
    assert reader.report.counts["csv_record"] == 2


def test_csv_column_mapping_names_the_text_column(tmp_path: Path) -> None:
    (tmp_path / "export.tsv").write_text("story_body\tname\nThe text itself.\tT\n", encoding="utf-8")
    options = ReadOptions(columns={"text": "story_body", "title": "name"})
    [article], _ = read_all(tmp_path / "export.tsv", options=options)
    assert (article.text, article.title) == ("The text itself.", "T")


def test_csv_row_without_text_is_dropped_naming_the_columns_tried(tmp_path: Path) -> None:
    (tmp_path / "export.csv").write_text("title,summary\nA,B\n", encoding="utf-8")
    articles, reader = read_all(tmp_path / "export.csv")
    assert articles == []
    [item] = reader.report.dropped_items
    assert item.reason == "missing_text"
    assert "body" in item.detail


def test_column_mapping_rejects_unknown_fields() -> None:
    with pytest.raises(ValueError, match="valid: text, title"):
        ReadOptions(columns={"txt": "body"})


def test_jsonl_gz_is_streamed_record_by_record(tmp_path: Path) -> None:
    rows = [{"text": f"Body {n}.", "title": f"T{n}"} for n in range(3)]
    (tmp_path / "dump.jsonl.gz").write_bytes(gzip.compress("\n".join(json.dumps(r) for r in rows).encode()))
    articles, reader = read_all(tmp_path / "dump.jsonl.gz")
    assert [a.title for a in articles] == ["T0", "T1", "T2"]
    assert articles[0].source.endswith("dump.jsonl.gz#L1")
    # the same record read from a plain file gets the same id: the id is the row's hash
    (tmp_path / "plain.jsonl").write_text(json.dumps(rows[0]) + "\n", encoding="utf-8")
    [plain], _ = read_all(tmp_path / "plain.jsonl")
    assert plain.id == articles[0].id
    assert reader.report.dropped == {}


def test_truncated_gzip_is_dropped_with_its_reason_and_kept(tmp_path: Path) -> None:
    data = gzip.compress(b"A long text about a ceasefire. " * 200)
    (tmp_path / "cut.txt.gz").write_bytes(data[: len(data) // 2])
    articles, reader = read_all(tmp_path / "cut.txt.gz")
    assert articles == []
    [item] = reader.report.dropped_items
    assert (item.reason, "truncated" in item.detail) == ("corrupt_archive", True)
    assert [r.raw_hash for r in reader.raw_inputs] == [content_hash(data[: len(data) // 2])]


def test_gzip_that_inflates_past_the_cap_is_dropped(tmp_path: Path) -> None:
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 200_000))
    articles, reader = read_all(tmp_path / "bomb.txt.gz", options=ReadOptions(max_bytes=10_000))
    assert articles == []
    assert reader.report.dropped == {"too_large": 1}


def test_zip_members_are_read_by_their_content(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.txt", "A plain report. It has two sentences.")
        archive.writestr("pages/b.html", PAGE)
        archive.writestr("__MACOSX/._a.txt", b"\x00\x05\x16\x07")
        archive.writestr("empty.txt", "")
    (tmp_path / "bundle.zip").write_bytes(buffer.getvalue())
    articles, reader = read_all(tmp_path / "bundle.zip")
    assert sorted(a.source.split("!")[1] for a in articles) == ["a.txt", "pages/b.html"]
    html = next(a for a in articles if a.source.endswith("b.html"))
    assert html.outlet == "Example News"
    assert "Negotiators met in Brussels" in html.text
    assert reader.report.dropped == {"empty": 1}
    assert content_hash(buffer.getvalue()) in {r.raw_hash for r in reader.raw_inputs}


def test_corrupt_zip_is_dropped_not_raised(tmp_path: Path) -> None:
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04" + b"\x00garbage" * 20)
    articles, reader = read_all(tmp_path / "bad.zip")
    assert articles == []
    assert reader.report.dropped == {"corrupt_archive": 1}


def test_warc_html_responses_become_articles_with_their_urls(tmp_path: Path) -> None:
    archive = (
        warc_record("warcinfo", "", b"software: test\r\n", "application/warc-fields")
        + warc_response("https://news.example/a", PAGE)
        + warc_response("https://news.example/logo.png", b"\x89PNG\r\n\x1a\n", "image/png")
        + warc_response("https://news.example/gone", b"<html>Not found</html>", status=404)
    )
    (tmp_path / "crawl.warc.gz").write_bytes(gzip.compress(archive))
    articles, reader = read_all(tmp_path / "crawl.warc.gz")
    [article] = articles
    assert article.url == "https://news.example/a"
    assert article.raw_hash == content_hash(PAGE)
    assert reader.report.dropped == {"not_html": 1, "http_error": 1}
    assert reader.report.counts["warc_other_records"] == 1
    png = next(r for r in reader.raw_inputs if r.source.endswith("logo.png"))
    assert (png.raw_hash, png.content) == (content_hash(b"\x89PNG\r\n\x1a\n"), None)


def test_truncated_warc_keeps_the_records_before_the_damage(tmp_path: Path) -> None:
    first = warc_response("https://news.example/a", PAGE)
    second = warc_response("https://news.example/b", PAGE + b" ")
    (tmp_path / "cut.warc").write_bytes(first + second[: len(second) // 2])
    articles, reader = read_all(tmp_path / "cut.warc")
    assert [a.url for a in articles] == ["https://news.example/a"]
    [item] = reader.report.dropped_items
    assert (item.reason, item.source.endswith("news.example/b")) == ("corrupt_archive", True)
    assert "cut short" in item.detail


def test_a_warc_of_pages_reads_to_the_same_articles_as_the_pages(tmp_path: Path) -> None:
    pages = {
        "one.html": PAGE,
        "two.html": PAGE.replace(b"Brussels", b"Geneva").replace(b"Saturday", b"Sunday"),
    }
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, page in pages.items():
        (folder / name).write_bytes(page)
    archive = b"".join(warc_response(f"https://news.example/{name}", page) for name, page in pages.items())
    (tmp_path / "pages.warc").write_bytes(archive)
    from_pages, _ = read_all(folder)
    from_warc, _ = read_all(tmp_path / "pages.warc")
    assert [a.id for a in from_warc] == [a.id for a in from_pages]
    assert [a.text for a in from_warc] == [a.text for a in from_pages]
    assert [a.title for a in from_warc] == [a.title for a in from_pages]


def test_folder_walk_honours_include_and_exclude_globs(tmp_path: Path) -> None:
    for name in ("keep/a.txt", "keep/b.md", "drafts/c.txt", "d.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f"Report {name}. It has words.", encoding="utf-8")
    options = ReadOptions(include=("keep/*", "d.txt"), exclude=("*.md",))
    articles, _ = read_all(tmp_path, options=options)
    assert sorted(Path(a.source).relative_to(tmp_path).as_posix() for a in articles) == ["d.txt", "keep/a.txt"]


def test_binary_named_html_is_dropped_as_binary(tmp_path: Path) -> None:
    (tmp_path / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    articles, reader = read_all(tmp_path)
    assert articles == []
    assert reader.report.dropped == {"binary": 1}


@pytest.mark.parametrize("encoding", ["cp1251", "latin-1"])
def test_legacy_encoded_html_is_decoded(tmp_path: Path, encoding: str) -> None:
    words = (
        "Москва заявила о прекращении огня в регионе."
        if encoding == "cp1251"
        else "Le cessez-le-feu a été signé à Genève."
    )
    declared = "windows-1251" if encoding == "cp1251" else "iso-8859-1"
    page = f'<html><head><meta charset="{declared}"></head><body><article><p>{words} {words}</p><p>{words}</p>'
    page += "</article></body></html>"
    (tmp_path / "page.html").write_bytes(page.encode(encoding))
    [article], reader = read_all(tmp_path / "page.html")
    assert words in article.text
    assert reader.report.dropped == {}


def test_invalid_utf8_that_fits_no_encoding_is_undecodable(tmp_path: Path) -> None:
    (tmp_path / "noise.txt").write_bytes(bytes(range(128, 256)) * 40)
    articles, reader = read_all(tmp_path / "noise.txt")
    assert articles == []
    assert set(reader.report.dropped) <= {"undecodable", "binary"}
    assert reader.report.dropped


def test_a_50_mb_page_is_dropped_by_the_cap_and_known_by_its_full_hash(tmp_path: Path) -> None:
    page = b"<html><body>" + b"<p>word</p>" * (50 * 1024 * 1024 // 11) + b"</body></html>"
    (tmp_path / "huge.html").write_bytes(page)
    articles, reader = read_all(tmp_path / "huge.html")
    assert articles == []
    assert reader.report.dropped == {"too_large": 1}
    [raw] = reader.raw_inputs
    assert (raw.raw_hash, raw.size, raw.content) == (content_hash(page), len(page), None)


def test_scripts_and_event_handlers_never_reach_the_text(tmp_path: Path) -> None:
    page = (
        b"<html><head><script>alert('head')</script></head><body><article>"
        b'<p onclick="steal()">The council voted on the budget on Tuesday after a long debate.</p>'
        b"<script>document.write('injected')</script><img src=x onerror=\"alert('x')\">"
        b'<p><a href="javascript:alert(1)">A link</a> and more text about the vote and its results.</p>'
        b"</article></body></html>"
    )
    (tmp_path / "hostile.html").write_bytes(page)
    [article], _ = read_all(tmp_path / "hostile.html")
    assert "council voted" in article.text
    for fragment in ("alert", "injected", "steal", "onerror", "javascript"):
        assert fragment not in article.text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('{"text": "x"}', "jsonl"),
        ('<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', "feed"),
        ('<feed xmlns="http://www.w3.org/2005/Atom"></feed>', "feed"),
        ("<!DOCTYPE html><html><body>x</body></html>", "html"),
        ("https://a.example/1\n# comment\nhttps://b.example/2\n", "urls"),
        ("Just a report.\nhttps://a.example/1", "text"),
    ],
)
def test_kind_is_sniffed_from_content(text: str, kind: str) -> None:
    assert sniff_kind(text) == kind


def test_containers_nested_too_deep_are_dropped(tmp_path: Path) -> None:
    data = b"A report. With two sentences."
    for _ in range(6):
        data = gzip.compress(data)
    (tmp_path / "deep.gz").write_bytes(data)
    articles, reader = read_all(tmp_path / "deep.gz", options=ReadOptions(max_depth=3))
    assert articles == []
    assert reader.report.dropped == {"too_deep": 1}


def test_folder_metadata_fills_what_a_file_leaves_empty(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A plain report. It names no outlet.", encoding="utf-8")
    (tmp_path / "b.html").write_bytes(PAGE)
    (tmp_path / ".parallax-metadata.json").write_text(
        '{"a.txt": {"outlet": "Yle", "published": "2023-07-16"}, "b.html": {"outlet": "Someone Else"}}',
        encoding="utf-8",
    )
    articles, reader = read_all(tmp_path)
    by_name = {Path(a.source).name: a for a in articles}
    assert (by_name["a.txt"].outlet, str(by_name["a.txt"].published)) == ("Yle", "2023-07-16")
    assert by_name["a.txt"].provenance["outlet"] == "sidecar"
    assert by_name["b.html"].outlet == "Example News"  # the page's own metadata wins
    assert reader.report.dropped == {}


def test_malformed_folder_metadata_is_dropped_and_the_folder_still_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A plain report. It names no outlet.", encoding="utf-8")
    (tmp_path / ".parallax-metadata.json").write_text('{"a.txt": {"publisher": "X"}}', encoding="utf-8")
    articles, reader = read_all(tmp_path)
    assert [a.outlet for a in articles] == [None]
    [item] = reader.report.dropped_items
    assert item.reason == "invalid_metadata"
    assert "unknown field(s) publisher; valid: title, outlet" in item.detail
