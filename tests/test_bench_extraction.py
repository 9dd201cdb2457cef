"""The extraction benchmark script runs end to end on a tiny set and writes its figures (no speed asserted)."""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_extraction.py"
STORY = (
    "Heavy rain flooded the river town of Brenford on Monday, and rescue teams evacuated four hundred residents "
    "from the low streets near the old bridge before the water rose further in the night."
)


@pytest.fixture
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_extraction", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_extraction"] = module
    spec.loader.exec_module(module)
    return module


def test_benchmark_writes_figures_for_both_paths(bench: ModuleType, tmp_path: Path) -> None:
    folder = tmp_path / "scrapinghub_aeb"
    folder.mkdir()
    page = f"<html><body><nav><a href='/'>Home</a></nav><article><p>{STORY}</p></article></body></html>"
    record = {"id": "1", "url": "https://x.example/1", "html": page, "gold_text": STORY}
    (folder / "articles.jsonl.gz").write_bytes(gzip.compress((json.dumps(record) + "\n").encode()))
    out = tmp_path / "extraction.json"
    bench.main(["--data", str(tmp_path), "--repeats", "2", "--variants", "--out", str(out)])
    figures = json.loads(out.read_text())
    assert figures["pages"] == 1
    assert figures["repeats"] == 2
    assert set(figures["results"]) == {"parallax", "trafilatura.extract", *bench.VARIANTS}
    ours = figures["results"]["parallax"]
    assert ours["f1"] == 1.0
    assert len(ours["seconds_all"]) == 2
    assert figures["results"]["trafilatura.extract"]["time_ratio_to_bare"] == 1.0
    assert figures["machine"]["versions"]["trafilatura"]
