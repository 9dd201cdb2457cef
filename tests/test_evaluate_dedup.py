"""Near-duplicate evaluation: pair metrics on a hand-made gold, the records reader, the CLI, the real data."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parallax.cli import app
from parallax.evaluate_dedup import (
    DedupEvalOptions,
    band_of,
    data_groups,
    evaluate_dedup,
    load_records,
    score_pairs,
)
from parallax.gates import DEFAULT_CONFIG
from parallax.neardup import NearDuplicate
from parallax.variants import Variant

SAME = "Rescue teams evacuated four hundred residents from the low streets near the old bridge on Monday night."
OTHER = "Parliament approved the annual budget bill on Thursday after a long debate about taxes and roads."


def found(first: str, second: str) -> NearDuplicate:
    return NearDuplicate(first, second, 0.9, 0.9, 0.9)


def test_pair_metrics_on_a_hand_made_gold() -> None:
    variants = [
        Variant("o1~v0", "o1", "", ("delete_paragraphs",), 0.95),
        Variant("o1~v1", "o1", "", ("rewrite_lead",), 0.7),
        Variant("o2~v0", "o2", "", ("add_boilerplate",), 0.85),
    ]
    texts = {"p": SAME, "q": SAME.upper(), "r": SAME, "s": OTHER}
    reported = [
        found("o1~v0", "o1"),  # gold: a variant and its original
        found("o1~v1", "o1~v0"),  # gold: two variants of one original
        found("d2", "d1"),  # gold: a data group (same body or URL)
        found("q", "p"),  # not gold, but the texts' exact Jaccard is 1.0: an unlabeled near duplicate
        found("s", "r"),  # not gold and the texts differ: a false pair
    ]
    scores = score_pairs(reported, variants, {("d1", "d2")}, texts)
    assert scores["reported_pairs"] == 5
    assert scores["gold_pairs_reported"] == 3
    assert scores["unlabeled_pairs"] == 1
    assert scores["false_pairs"] == 1
    assert scores["precision"] == pytest.approx(4 / 5)
    assert scores["precision_strict"] == pytest.approx(3 / 5)
    assert scores["recall_at_080"] == pytest.approx(1 / 2)  # o1~v0 found, o2~v0 missed
    assert scores["recall_by_band"] == {">=0.9": 1.0, "0.8-0.9": 0.0, "0.6-0.8": 0.0}
    assert scores["variants_by_band"] == {">=0.9": 1, "0.8-0.9": 1, "0.6-0.8": 1, "<0.6": 0}
    assert scores["data_recall"] == 1.0
    assert scores["unlabeled_examples"] == [{"ids": ["p", "q"], "jaccard": 1.0}]


@pytest.mark.parametrize(("jaccard", "band"), [(1.0, ">=0.9"), (0.9, ">=0.9"), (0.85, "0.8-0.9"), (0.8, "0.8-0.9")])
def test_bands_include_their_lower_edge(jaccard: float, band: str) -> None:
    assert band_of(jaccard) == band


def write_records(path: Path, rows: list[dict[str, object]], compress: bool) -> Path:
    data = "\n".join(json.dumps(row) for row in rows).encode("utf-8")
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


def records(count: int) -> list[dict[str, object]]:
    topics = ("river", "budget", "election", "harvest", "railway", "hospital", "museum", "storm", "airport", "school")
    rows: list[dict[str, object]] = [
        {
            "id": f"r{n}",
            "url": f"https://example.org/{n}",
            "title": f"{topic.title()} news",
            "text": "\n\n".join(
                f"Paragraph {k} of the {topic} story {n}: officials {k * n} said the {topic} work goes on."
                for k in range(6)
            ),
        }
        for n, topic in enumerate(topics[:count])
    ]
    return rows


def test_records_are_read_gzip_by_content_with_reasons_for_skips(tmp_path: Path) -> None:
    rows = [*records(3), {"id": "r0", "text": "again"}, {"id": "x"}, [1, 2]]
    path = write_records(tmp_path / "records.jsonl", rows, compress=True)  # gzip without a .gz name
    read, skipped = load_records(path)
    assert [r.id for r in read] == ["r0", "r1", "r2"]
    assert skipped == {"duplicate_id": 1, "missing_text": 1, "invalid_json": 1}


def test_data_groups_are_same_bodies_and_same_urls(tmp_path: Path) -> None:
    rows = records(4)
    rows[1]["text"] = rows[0]["text"]
    rows[3]["url"] = rows[2]["url"]
    read, _ = load_records(write_records(tmp_path / "r.jsonl", rows, compress=False))
    assert sorted(data_groups(read)) == [["r0", "r1"], ["r2", "r3"]]


def test_evaluation_finds_variants_and_copies_of_a_tiny_file(tmp_path: Path) -> None:
    rows = records(10)
    rows.append({"id": "copy", "url": None, "text": rows[0]["text"]})
    path = write_records(tmp_path / "r.jsonl.gz", rows, compress=True)
    scores = evaluate_dedup(path, DedupEvalOptions(originals=4))
    assert scores.records == 11
    assert scores.variants == 12
    assert scores.data_pairs == 1
    assert scores.data_recall == 1.0
    assert scores.false_pairs == 0
    assert scores.precision == 1.0
    assert sum(scores.variants_by_band.values()) == 12
    assert scores.articles_per_second > 0
    assert json.loads(json.dumps(scores.to_dict()))["method"] == "dedup.minhash.v1"


def test_cli_prints_the_figures_as_json(tmp_path: Path) -> None:
    path = write_records(tmp_path / "r.jsonl", records(6), compress=False)
    result = CliRunner().invoke(app, ["eval", "dedup", str(path), "--originals", "2", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["records"] == 6
    assert figures["variants"] == 6
    assert "recall_by_band" in figures


def test_cli_says_when_the_file_is_missing(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "dedup", str(tmp_path / "none.jsonl")])
    assert result.exit_code != 0
    assert "no such file" in result.output


@pytest.mark.slow
def test_real_data_sample_meets_the_gate_floors(data_root: Path) -> None:
    gate = json.loads(DEFAULT_CONFIG.read_text())["dedup"][0]
    scores = evaluate_dedup(data_root / gate["file"], DedupEvalOptions(originals=500, limit=8000))
    assert scores.variants == 1500
    assert scores.precision >= gate["floors"]["precision"] >= 0.99
    assert scores.recall_at_080 >= gate["floors"]["recall_at_080"] >= 0.95
