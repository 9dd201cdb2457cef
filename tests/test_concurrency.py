"""Processes sharing one store, on both backends: two `parallax ingest` at once, and a reader while one writes.

Each process is a real `python -m parallax.cli` (or a reader script) of its own, with its own connection, as a
cron job and the web app would be. Afterwards every article is stored exactly once, nothing is lost, every run
is recorded, and no process failed ("database is locked" included).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from parallax.pipeline import Options, build_stories, ingest
from parallax.read import Reader, ReadOptions
from parallax.stores import open_store

WORDS = ("harbour", "ferry", "storm", "crane", "bridge", "council", "river", "market", "school", "railway")
PROCESS_SECONDS = 300
READER_SCRIPT = """
import json, sys, time
from pathlib import Path
from parallax.stores import open_store

target, stop = sys.argv[1], Path(sys.argv[2])
with open_store(target) as store:
    while True:
        stopping = stop.exists()  # read once more after the writer has finished
        print(json.dumps({"articles": store.article_count(), "stories": len(store.stories()),
                          "hits": len(store.search("district", limit=1000))}), flush=True)
        if stopping:
            break
        time.sleep(0.02)  # leave the CPU to the writer
"""


def write_reports(folder: Path, numbers: range) -> list[str]:
    """Small distinct news reports, one file each (same numbers, same file: inputs can overlap)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in numbers:
        word = WORDS[i % len(WORDS)]
        path = folder / f"report_{i:03d}.txt"
        path.write_text(
            f"The {word} of district {i} reopens\n\n"
            f"The {word} of district {i} reopened on Monday after a storm damaged it in week {i}. "
            f"Officials said repairs would take {i + 2} weeks and cost {i * 3 + 1} million, and that the {word} "
            f"would be inspected again in spring. Residents of district {i} welcomed the news.\n"
        )
        paths.append(str(path))
    return paths


def ingest_process(target: str, paths: list[str]) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "parallax.cli", "ingest", *paths, "--db", target, "--no-fetch", "--workers", "1"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(process: subprocess.Popen[str]) -> str:
    """Wait for the process and return its stderr; fail the test when it did not exit 0."""
    out, err = process.communicate(timeout=PROCESS_SECONDS)
    assert process.returncode == 0, f"exit {process.returncode}\nstdout: {out}\nstderr: {err}"
    assert "locked" not in err
    return err


def read_ids(paths: list[str]) -> set[str]:
    """The ids the reader gives these inputs: what the store must hold afterwards, each once."""
    return {article.id for article in Reader(paths, ReadOptions(fetch=None))}


def test_two_ingest_processes_at_once_store_every_article_once(
    store_target: str, example_dir: Path, tmp_path: Path
) -> None:
    generated = tmp_path / "generated"
    left = [str(example_dir), *write_reports(generated, range(12))]
    right = [*write_reports(generated, range(6, 18)), str(example_dir)]
    expected = read_ids(left) | read_ids(right)
    assert len(expected) == 5 + 18

    processes = [ingest_process(store_target, left), ingest_process(store_target, right)]
    for process in processes:
        finished(process)

    with open_store(store_target) as store:
        stored = [article.id for article in store.articles()]
        assert sorted(stored) == sorted(expected)
        assert store.article_count() == len(expected)
        commands = [str(run["command"]).split()[0] for run in store.runs()]
        assert sorted(commands) == ["ingest", "ingest", "stories", "stories"]
        assert all(store.raw_input(a.raw_hash) is not None for a in store.articles())
        indexed = [entry.article_id for entry in store.neardup_entries()]
        assert sorted(indexed) == sorted(a.id for a in store.articles() if a.duplicate_of is None)
        assert store.rejects() == []


def test_reader_sees_counts_only_grow_while_ingests_write(store_target: str, example_dir: Path, tmp_path: Path) -> None:
    batches = [write_reports(tmp_path / "first", range(10)), write_reports(tmp_path / "second", range(10, 25))]
    with open_store(store_target) as store:  # the store has articles and stories before the reader opens it
        options = Options(read=ReadOptions(fetch=None), workers=1)
        ingest([example_dir], store, options)
        build_stories(store, options)
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER_SCRIPT, store_target, str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for batch in batches:
            finished(ingest_process(store_target, batch))
    finally:
        stop.touch()
    out, err = reader.communicate(timeout=PROCESS_SECONDS)
    assert reader.returncode == 0, err
    readings = [json.loads(line) for line in out.splitlines()]
    for key in ("articles", "hits"):
        seen = [reading[key] for reading in readings]
        assert seen == sorted(seen), f"{key} went down: {seen}"
    # Stories are replaced as a whole (a new ingest may merge two): never seen half-replaced, so never none.
    assert all(reading["stories"] > 0 for reading in readings)
    assert (readings[0]["articles"], readings[-1]["articles"]) == (5, 30)
    assert readings[-1]["hits"] >= 25
    assert len({reading["articles"] for reading in readings}) >= 2, "the reader never saw a write land"


@pytest.mark.parametrize("backend", ["sqlite"])
def test_sqlite_writers_wait_for_each_other_instead_of_failing(store_target: str, tmp_path: Path) -> None:
    # Three processes creating and filling one new file at once: WAL set-up, migrations and batches all contend.
    inputs = [write_reports(tmp_path / "in", range(i * 8, i * 8 + 12)) for i in range(3)]  # neighbours share 4
    processes = [ingest_process(store_target, paths) for paths in inputs]
    for process in processes:
        finished(process)
    with open_store(store_target) as store:
        assert store.article_count() == 28
