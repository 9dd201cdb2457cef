"""The extraction metric (the Scrapinghub benchmark's, checked by hand on tiny texts), the evaluation and its CLI."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parallax.cli import app
from parallax.evaluate_extraction import evaluate_extraction, load_extraction_set, shingle_match, shingle_scores

STORY = (
    "Heavy rain flooded the river town of Brenford on Monday, and rescue teams evacuated four hundred residents "
    "from the low streets near the old bridge before the water rose further in the night."
)
PAGE = f"""<html lang="en"><head><title>Floods</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><p>{STORY}</p></article>
<footer>All rights reserved.</footer></body></html>"""


def test_prediction_missing_one_shingle() -> None:
    # gold a b c d e: shingles (a b c d), (b c d e); predicted a b c d: (a b c d).
    # TP 1, FP 0, FN 1 -> normalised by 2 -> 0.5, 0, 0.5.
    assert shingle_match("a b c d e", "a b c d") == (0.5, 0.0, 0.5)


def test_repeated_shingles_count_with_repeats() -> None:
    # gold a b c d a b c d: (abcd) twice, (bcda), (cdab), (dabc) = 5; predicted a b c d: (abcd) once.
    # TP 1, FP 0, FN 4 -> 0.2, 0, 0.8.
    assert shingle_match("a b c d a b c d", "a b c d") == pytest.approx((0.2, 0.0, 0.8))


def test_texts_shorter_than_a_shingle_are_one_shingle() -> None:
    # "Hi there" is the single shingle (Hi, there); tokens are case-sensitive, so "hi there" shares nothing.
    # TP 0, FP 1, FN 1 -> 0, 0.5, 0.5.
    assert shingle_match("Hi there", "hi there") == (0.0, 0.5, 0.5)
    assert shingle_match("Hi there", "Hi there") == (1.0, 0.0, 0.0)


def test_punctuation_is_not_a_token() -> None:
    # tokens are \w+ runs: "a, b; c-d!" is a b c d, the same single shingle as the gold.
    assert shingle_match("a b c d", "a, b; c-d!") == (1.0, 0.0, 0.0)


def test_empty_texts() -> None:
    assert shingle_match("", "") == (0.0, 0.0, 0.0)
    assert shingle_match("w x y z", "") == (0.0, 0.0, 1.0)
    assert shingle_match("", "w x y z") == (0.0, 1.0, 0.0)


def test_scores_average_pages_as_the_benchmark_does() -> None:
    pairs = [("a b c d e", "a b c d"), ("w x y z", ""), ("", "")]
    # page 1: (0.5, 0, 0.5): precision 0.5/(0.5+0) = 1, recall 0.5/(0.5+0.5) = 0.5.
    # page 2: (0, 0, 1): no predicted shingles, left out of precision; recall 0.
    # page 3: (0, 0, 0): left out of both.
    # precision = 1 (page 1 alone); recall = (0.5 + 0) / 2 = 0.25; F1 = 2 * 1 * 0.25 / 1.25 = 0.4.
    # accuracy: only page 3's token sequences are equal ([] == []) -> 1/3.
    precision, recall, f1, accuracy = shingle_scores(pairs)
    assert precision == 1.0
    assert recall == 0.25
    assert f1 == pytest.approx(0.4)
    assert accuracy == pytest.approx(1 / 3)


def test_a_page_with_nothing_wrong_scores_one_on_both() -> None:
    # page 1 exact: precision 1, recall 1. page 2: gold w x y z, predicted w x y z v: shingles (wxyz) vs
    # (wxyz), (xyzv): TP 1, FP 1, FN 0 -> precision 0.5, recall 1. Means: precision 0.75, recall 1.
    precision, recall, f1, _ = shingle_scores([("a b c d e", "a b c d e"), ("w x y z", "w x y z v")])
    assert (precision, recall) == (0.75, 1.0)
    assert f1 == pytest.approx(2 * 0.75 / 1.75)


def test_no_pages_score_zero() -> None:
    assert shingle_scores([]) == (0.0, 0.0, 0.0, 0.0)


def write_set(path: Path, records: list[object], *, compress: bool = False) -> Path:
    payload = "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n"
    path.write_bytes(gzip.compress(payload.encode()) if compress else payload.encode())
    return path


def test_bad_records_are_counted_and_skipped(tmp_path: Path) -> None:
    records: list[object] = [
        {"id": "ok", "url": "https://x.example/1", "html": PAGE, "gold_text": STORY},
        {"id": "no-html", "gold_text": STORY},
        {"id": "no-gold", "html": PAGE},
        {"id": "null-gold", "html": PAGE, "gold_text": None},
        "{not json",
        "[1, 2]",
    ]
    loaded = load_extraction_set(write_set(tmp_path / "pages.jsonl", records))
    assert [page.id for page in loaded.pages] == ["ok"]
    assert loaded.skipped == {"missing_html": 1, "missing_gold_text": 2, "invalid_json": 2}


def test_gzip_is_recognised_by_content(tmp_path: Path) -> None:
    path = write_set(tmp_path / "pages.jsonl", [{"id": "1", "html": PAGE, "gold_text": STORY}], compress=True)
    assert len(load_extraction_set(path).pages) == 1


def test_evaluation_with_a_given_extractor(tmp_path: Path) -> None:
    records = [
        {"id": "1", "url": "https://x.example/1", "html": "<p>one</p>", "gold_text": "a b c d e"},
        {"id": "2", "html": "<p>two</p>", "gold_text": "w x y z"},
        {"id": "3", "html": "<p>three</p>"},
    ]
    outputs = {"<p>one</p>": "a b c d", "<p>two</p>": None}
    seen_urls: list[str | None] = []

    def extractor(html: str, url: str | None) -> str | None:
        seen_urls.append(url)
        return outputs[html]

    scores = evaluate_extraction(write_set(tmp_path / "pages.jsonl", records), extractor)
    # as in test_scores_average_pages_as_the_benchmark_does: precision 1, recall (0.5 + 0) / 2 = 0.25.
    assert (scores.precision, scores.recall, scores.pages, scores.skipped) == (1.0, 0.25, 2, 1)
    assert seen_urls == ["https://x.example/1", None]
    assert set(scores.to_dict()) == {
        "precision",
        "recall",
        "f1",
        "accuracy",
        "pages",
        "skipped",
        "seconds",
        "pages_per_second",
    }


def test_default_extractor_is_parallax_html_path(tmp_path: Path) -> None:
    path = write_set(tmp_path / "pages.jsonl", [{"id": "1", "html": PAGE, "gold_text": STORY}])
    scores = evaluate_extraction(path)
    assert scores.f1 == 1.0  # the article paragraph alone: navigation and footer left out
    assert scores.pages_per_second > 0


def test_cli_prints_the_figures(tmp_path: Path) -> None:
    path = write_set(tmp_path / "pages.jsonl", [{"id": "1", "html": PAGE, "gold_text": STORY}])
    result = CliRunner().invoke(app, ["eval", "extraction", str(path), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert (figures["f1"], figures["pages"], figures["file"]) == (1.0, 1, str(path))
    plain = CliRunner().invoke(app, ["eval", "extraction", str(path)])
    assert plain.exit_code == 0
    assert "f1                1.0" in plain.output


def test_cli_names_a_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "extraction", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_cli_names_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"id": 1}\n')[:12])
    result = CliRunner().invoke(app, ["eval", "extraction", str(path)])
    assert result.exit_code == 2
    assert "cannot be read" in result.output


@pytest.mark.slow
def test_extraction_benchmark_f1(data_root: Path) -> None:
    scores = evaluate_extraction(data_root / "scrapinghub_aeb" / "articles.jsonl.gz")
    assert scores.pages == 181
    assert scores.f1 >= 0.96
