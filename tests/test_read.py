from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from parallax.model import article_id_for, content_hash
from parallax.read import Reader, ReadOptions, decode


def read_all(*paths: str | Path, **kwargs: object) -> tuple[list, Reader]:
    reader = Reader(list(paths), **kwargs)  # type: ignore[arg-type]
    return list(reader), reader


def test_reads_every_example_file(example_dir: Path) -> None:
    articles, reader = read_all(example_dir)
    assert len(articles) == 5
    assert reader.report.kept == 5
    assert not reader.report.dropped


def test_article_id_is_derived_from_raw_bytes(example_dir: Path) -> None:
    path = example_dir / "001_ecd846f94dc169c2.txt"
    [article], _ = read_all(path)
    raw = path.read_bytes()
    assert article.raw_hash == content_hash(raw)
    assert article.id == article_id_for(content_hash(raw))
    assert article.source == str(path)
    assert article.raw_text == raw.decode("utf-8")


def test_empty_file_is_dropped_with_reason(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n\t ")
    articles, reader = read_all(tmp_path)
    assert articles == []
    assert reader.report.dropped == {"empty": 2}


def test_binary_file_named_txt_is_dropped(tmp_path: Path) -> None:
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    articles, reader = read_all(tmp_path)
    assert articles == []
    assert reader.report.dropped == {"binary": 1}


def test_oversized_file_is_dropped_but_its_hash_is_kept(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000)
    articles, reader = read_all(big, options=ReadOptions(max_bytes=100))
    assert articles == []
    assert reader.report.dropped == {"too_large": 1}
    [raw] = reader.raw_inputs
    assert raw.content is None
    assert raw.raw_hash == content_hash(big.read_bytes())
    assert "over the cap" in reader.report.dropped_items[0].detail


def test_legacy_encoding_is_decoded(tmp_path: Path) -> None:
    text = "Азербайджан обвинил Россию в невыполнении обязательств по соглашению о прекращении огня."
    (tmp_path / "ru.txt").write_bytes(text.encode("cp1251"))
    [article], _ = read_all(tmp_path)
    assert article.text == text
    assert article.provenance["encoding"] != "utf-8"


def test_utf8_with_bom_is_decoded_without_the_bom() -> None:
    text, encoding = decode("Hello".encode("utf-8-sig"))
    assert (text, encoding) == ("Hello", "utf-8")


def test_missing_path_is_counted_not_raised(tmp_path: Path) -> None:
    articles, reader = read_all(tmp_path / "nope", tmp_path)
    assert articles == []
    assert reader.report.dropped == {"not_found": 1}


def test_unsupported_file_in_folder_is_counted(tmp_path: Path) -> None:
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "a.txt").write_text("A report about something.")
    articles, reader = read_all(tmp_path)
    assert len(articles) == 1
    assert reader.report.dropped == {"unsupported_type": 1}


def test_hidden_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "notes.txt").write_text("not news")
    articles, reader = read_all(tmp_path)
    assert articles == []
    assert reader.report.seen == 0


def test_jsonl_records_become_articles_with_metadata(tmp_path: Path) -> None:
    rows = [
        {
            "id": "x1",
            "outlet": "Reuters",
            "url": "https://example.org/a",
            "published": "2023-07-16T10:00:00Z",
            "title": "A title",
            "text": "Body one.",
        },
        {"text": "Body two.", "published": "not a date"},
    ]
    (tmp_path / "in.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    articles, reader = read_all(tmp_path)
    assert [a.text for a in articles] == ["Body one.", "Body two."]
    first = articles[0]
    assert (first.outlet, first.title, first.url, str(first.published)) == (
        "Reuters",
        "A title",
        "https://example.org/a",
        "2023-07-16",
    )
    assert first.provenance["outlet"] == "record"
    assert first.source.endswith("in.jsonl#L1")
    assert articles[1].published is None
    assert reader.report.counts["jsonl_record"] == 2


def test_bad_jsonl_lines_are_dropped_one_by_one(tmp_path: Path) -> None:
    lines = ['{"text": "good"}', "{broken", "[1, 2]", '{"title": "no text"}', '{"text": "also good"}']
    (tmp_path / "in.jsonl").write_text("\n".join(lines))
    articles, reader = read_all(tmp_path)
    assert [a.text for a in articles] == ["good", "also good"]
    assert reader.report.dropped == {"invalid_json": 2, "missing_text": 1}
    assert {d.source.rsplit("#", 1)[1] for d in reader.report.dropped_items} == {"L2", "L3", "L4"}


def test_html_file_yields_text_without_scripts(tmp_path: Path) -> None:
    page = """<html><head><title>Talks resume - Example News</title>
    <meta property="og:site_name" content="Example News">
    <meta property="article:published_time" content="2023-07-16T08:00:00+00:00">
    <script>alert('x')</script></head>
    <body><nav>Home | World</nav><article><h1>Talks resume</h1><p>Leaders met on Saturday.</p>
    <p onclick="steal()">They agreed to meet again.</p></article><footer>© Example</footer></body></html>"""
    (tmp_path / "page.html").write_text(page)
    [article], _ = read_all(tmp_path)
    assert article.text == "Talks resume\n\nLeaders met on Saturday.\n\nThey agreed to meet again."
    assert article.outlet == "Example News"
    assert str(article.published) == "2023-07-16"
    assert article.provenance["outlet"] == "html_meta"
    assert "alert" not in article.text


def test_stdin_is_read_and_sniffed() -> None:
    stream = io.BytesIO(b'{"text": "from a pipe"}\n')
    articles, _ = read_all("-", stdin=stream)
    assert [a.text for a in articles] == ["from a pipe"]
    assert articles[0].source == "<stdin>#L1"


def test_gzip_bytes_named_txt_are_read_by_their_content(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_bytes(gzip.compress(b"Hello there. " * 10))
    articles, reader = read_all(tmp_path)
    assert [a.text for a in articles] == ["Hello there. " * 10]
    assert reader.report.dropped == {}


def test_every_input_is_kept_raw_even_when_dropped(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "a.txt").write_text("Something happened.")
    _, reader = read_all(tmp_path)
    assert sorted(Path(r.source).name for r in reader.raw_inputs) == ["a.txt", "empty.txt"]


def test_read_options_reject_nonsense() -> None:
    with pytest.raises(ValueError, match="max_bytes"):
        ReadOptions(max_bytes=0)
