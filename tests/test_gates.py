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
