"""The gates: pass over the floor, fail under it, fail when the pinned data changed; figures written out."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from parallax.gates import DEFAULT_CONFIG, main

FLOOD = "Heavy rain flooded the river town of Brenford on Monday. Rescue teams evacuated four hundred residents."
BUDGET = "Parliament approved the annual budget bill on Thursday. The finance minister praised the vote."


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data" / "tiny"
    folder.mkdir(parents=True)
    rows = [(FLOOD, "s1"), (FLOOD + " More rain is due.", "s1"), (BUDGET, "s2"), (BUDGET + " It passed.", "s2")]
    lines = [json.dumps({"id": str(n), "text": text, "story": story}) for n, (text, story) in enumerate(rows)]
    (folder / "articles.jsonl").write_text("\n".join(lines), encoding="utf-8")
    return tmp_path / "data"


def config(tmp_path: Path, data: Path, floor: float, sha: str | None = None) -> Path:
    digest = sha or hashlib.sha256((data / "tiny" / "articles.jsonl").read_bytes()).hexdigest()
    gate = {"name": "tiny", "file": "tiny/articles.jsonl", "sha256": digest, "floors": {"bcubed_f1": floor}}
    path = tmp_path / "gates.json"
    path.write_text(json.dumps({"clustering": [gate]}), encoding="utf-8")
    return path


def run(tmp_path: Path, data: Path, gates: Path) -> tuple[int, dict[str, object]]:
    out = tmp_path / "latest.json"
    code = main(["--data", str(data), "--config", str(gates), "--out", str(out)])
    return code, json.loads(out.read_text())


def test_gate_passes_over_its_floor(tmp_path: Path, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, figures = run(tmp_path, data, config(tmp_path, data, floor=0.9))
    assert code == 0
    assert figures["clustering"][0]["metrics"]["bcubed_f1"] == 1.0  # type: ignore[index]
    assert "[pass] clustering/tiny" in capsys.readouterr().out


def test_gate_fails_under_its_floor(tmp_path: Path, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (data / "tiny" / "articles.jsonl").write_text(
        "\n".join(json.dumps({"text": FLOOD, "story": s}) for s in ("s1", "s2")), encoding="utf-8"
    )
    code, _ = run(tmp_path, data, config(tmp_path, data, floor=0.9))
    assert code == 1
    assert "under its floor 0.9000" in capsys.readouterr().out


def test_gate_fails_when_the_data_changed(tmp_path: Path, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, figures = run(tmp_path, data, config(tmp_path, data, floor=0.0, sha="0" * 64))
    assert code == 1
    assert "changed" in capsys.readouterr().out
    assert "metrics" not in figures["clustering"][0]  # type: ignore[operator]


def test_pinned_gates_name_existing_floors_and_hashes() -> None:
    gates = json.loads(DEFAULT_CONFIG.read_text())["clustering"]
    assert {g["name"] for g in gates} >= {"newswcl50", "ecbplus", "neus_val"}
    for gate in gates:
        assert len(gate["sha256"]) == 64
        assert 0.5 < gate["floors"]["bcubed_f1"] < 1.0


STORY = (
    "Heavy rain flooded the river town of Brenford on Monday, and rescue teams evacuated four hundred residents "
    "from the low streets near the old bridge before the water rose further in the night."
)
PAGE = f"<html><body><nav><a href='/'>Home</a></nav><article><p>{STORY}</p></article></body></html>"


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "data" / "pages"
    folder.mkdir(parents=True)
    record = {"id": "1", "url": "https://x.example/1", "html": PAGE, "gold_text": STORY}
    (folder / "articles.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    return tmp_path / "data"


def both_kinds(tmp_path: Path, data: Path, extraction_floor: float) -> Path:
    clustering = json.loads(config(tmp_path, data, floor=0.9).read_text())["clustering"]
    digest = hashlib.sha256((data / "pages" / "articles.jsonl").read_bytes()).hexdigest()
    gate = {
        "name": "pages",
        "file": "pages/articles.jsonl",
        "sha256": digest,
        "floors": {"f1": extraction_floor},
        "reference": {"f1": 0.958},
    }
    path = tmp_path / "gates.json"
    path.write_text(json.dumps({"clustering": clustering, "extraction": [gate]}), encoding="utf-8")
    return path


def test_extraction_gate_runs_next_to_clustering(
    tmp_path: Path, data: Path, pages: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, figures = run(tmp_path, data, both_kinds(tmp_path, data, extraction_floor=0.99))
    assert code == 0
    assert figures["extraction"][0]["metrics"]["f1"] == 1.0  # type: ignore[index]
    assert figures["clustering"][0]["metrics"]["bcubed_f1"] == 1.0  # type: ignore[index]
    printed = capsys.readouterr().out
    assert "[pass] clustering/tiny" in printed
    assert "[pass] extraction/pages: f1 1.0000" in printed
    assert "(reference f1 0.958)" in printed


def test_extraction_gate_fails_under_its_floor(
    tmp_path: Path, data: Path, pages: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = {"id": "1", "html": PAGE, "gold_text": STORY + " The mayor thanked the volunteers."}
    (pages / "pages" / "articles.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    code, _ = run(tmp_path, data, both_kinds(tmp_path, data, extraction_floor=0.99))
    assert code == 1
    assert "[FAIL] extraction/pages: f1" in capsys.readouterr().out


def test_only_picks_a_gate_of_any_kind(tmp_path: Path, data: Path, pages: Path) -> None:
    gates = both_kinds(tmp_path, data, extraction_floor=0.5)
    out = tmp_path / "only.json"
    code = main(["--data", str(data), "--config", str(gates), "--out", str(out), "--only", "pages"])
    assert code == 0
    assert list(json.loads(out.read_text())) == ["extraction"]


def test_only_keeps_the_other_gates_figures(tmp_path: Path, data: Path, pages: Path) -> None:
    gates = both_kinds(tmp_path, data, extraction_floor=0.5)
    out = tmp_path / "latest.json"
    assert main(["--data", str(data), "--config", str(gates), "--out", str(out)]) == 0
    before = json.loads(out.read_text())
    assert main(["--data", str(data), "--config", str(gates), "--out", str(out), "--only", "pages"]) == 0
    after = json.loads(out.read_text())
    assert after["clustering"] == before["clustering"]
    assert [gate["name"] for gate in after["extraction"]] == ["pages"]


def test_only_with_an_unknown_name_fails(tmp_path: Path, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--data", str(data), "--config", str(config(tmp_path, data, 0.5)), "--only", "nope"])
    assert code == 1
    assert "no gate named 'nope'" in capsys.readouterr().err


def test_floor_on_an_unknown_metric_fails(tmp_path: Path, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gates = config(tmp_path, data, floor=0.5)
    spec = json.loads(gates.read_text())
    spec["clustering"][0]["floors"] = {"f1": 0.5}
    gates.write_text(json.dumps(spec))
    code, _ = run(tmp_path, data, gates)
    assert code == 1
    assert "no metric 'f1'" in capsys.readouterr().out


def test_unknown_gate_kind_is_named(tmp_path: Path, data: Path) -> None:
    gates = tmp_path / "gates.json"
    gates.write_text(json.dumps({"summaries": []}))
    with pytest.raises(ValueError, match="the kinds are clustering, extraction"):
        main(["--data", str(data), "--config", str(gates)])


def test_pinned_extraction_gate_holds_the_issue_floor() -> None:
    (gate,) = json.loads(DEFAULT_CONFIG.read_text())["extraction"]
    assert gate["name"] == "scrapinghub_aeb"
    assert gate["file"] == "scrapinghub_aeb/articles.jsonl.gz"
    assert len(gate["sha256"]) == 64
    assert 0.960 <= gate["floors"]["f1"] < 1.0
    assert gate["reference"]["f1"] == 0.958


@pytest.mark.slow
def test_extraction_gate_passes_on_the_benchmark(data_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "latest.json"
    assert main(["--data", str(data_root), "--only", "scrapinghub_aeb", "--out", str(out)]) == 0
    (result,) = json.loads(out.read_text())["extraction"]
    assert result["passed"]


def dedup_gate(tmp_path: Path, floor: float) -> tuple[Path, Path]:
    folder = tmp_path / "data" / "records"
    folder.mkdir(parents=True)
    topics = ("river", "budget", "election", "harvest", "railway", "museum")
    lines = [
        json.dumps({"id": f"r{n}", "text": "\n\n".join(f"{topic} part {k} of story {n} goes on." for k in range(6))})
        for n, topic in enumerate(topics)
    ]
    (folder / "articles.jsonl").write_text("\n".join(lines), encoding="utf-8")
    digest = hashlib.sha256((folder / "articles.jsonl").read_bytes()).hexdigest()
    gate = {
        "name": "records",
        "file": "records/articles.jsonl",
        "sha256": digest,
        "originals": 3,
        "floors": {"precision": floor},
    }
    path = tmp_path / "gates.json"
    path.write_text(json.dumps({"dedup": [gate]}), encoding="utf-8")
    return tmp_path / "data", path


def test_dedup_gate_scores_generated_variants(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, gates = dedup_gate(tmp_path, floor=0.99)
    code, figures = run(tmp_path, data, gates)
    assert code == 0
    (result,) = figures["dedup"]  # type: ignore[misc]
    assert result["metrics"]["variants"] == 9
    assert result["metrics"]["precision"] == 1.0
    assert "[pass] dedup/records: recall_at_080" in capsys.readouterr().out


def test_dedup_gate_fails_on_a_floor_of_a_metric_it_lacks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, gates = dedup_gate(tmp_path, floor=0.5)
    spec = json.loads(gates.read_text())
    spec["dedup"][0]["floors"] = {"f1": 0.5}
    gates.write_text(json.dumps(spec))
    code, _ = run(tmp_path, data, gates)
    assert code == 1
    assert "no metric 'f1'" in capsys.readouterr().out


def test_pinned_dedup_gate_holds_the_issue_floors() -> None:
    (gate,) = json.loads(DEFAULT_CONFIG.read_text())["dedup"]
    assert gate["file"] == "allsides_baly_bias/articles.jsonl.gz"
    assert len(gate["sha256"]) == 64
    assert 0.99 <= gate["floors"]["precision"] <= 1.0
    assert 0.95 <= gate["floors"]["recall_at_080"] <= 1.0


def test_pinned_extract_gates_hold_the_issue_floors_on_pinned_gold() -> None:
    gates = {g["name"]: g for g in json.loads(DEFAULT_CONFIG.read_text())["extract"]}
    assert gates["quotes"]["floors"]["f1_with_speaker"] >= 0.85
    assert gates["quantities"]["floors"]["f1"] >= 0.9
    assert gates["times"]["floors"]["resolution_accuracy"] >= 0.9
    root = DEFAULT_CONFIG.parent.parent
    for gate in gates.values():
        assert hashlib.sha256((root / gate["gold"]).read_bytes()).hexdigest() == gate["sha256"]


def test_an_edited_gold_set_fails_its_gate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = DEFAULT_CONFIG.parent / "gold" / "times.jsonl"
    gate = {"name": "times", "gold": str(gold), "sha256": "0" * 64, "extract_kind": "times", "floors": {"f1": 0.5}}
    path = tmp_path / "gates.json"
    path.write_text(json.dumps({"extract": [gate]}), encoding="utf-8")
    code, _ = run(tmp_path, tmp_path, path)
    assert code == 1
    assert "changed" in capsys.readouterr().out


@pytest.mark.slow
def test_extract_gates_pass_on_the_gold_sets(data_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "latest.json"
    for name in ("quotes", "quantities", "times"):
        assert main(["--data", str(data_root), "--only", name, "--out", str(out)]) == 0
