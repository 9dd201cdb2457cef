"""The Ray engine gives what the local engine gives: the same articles, duplicates, near-duplicate pairs, template
lines, source families and stories (facts and summaries included) on the same real input (the bundled example and
AllSides/NeuS articles).

Ray starts once for the module (`num_cpus=2`, a 500 MiB object store). Without Ray the Ray tests skip, unless
CI=true, where a missing Ray is a failure. The NeuS sample is read from the evaluation data (`$PARALLAX_DATA`, or
../shared/data next to the repository); near-duplicate variants of some of its articles are generated into the
test's temporary folder, never into the repository.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parallax.cli import app
from parallax.errors import MissingDependencyError
from parallax.pipeline import Options, build_stories, ingest
from parallax.ray_read import plan_shards, read_shard
from parallax.read import Reader, ReadOptions
from parallax.serialize import article_to_dict, story_to_dict
from parallax.store import Store

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("PARALLAX_DATA") or ROOT.parent / "shared" / "data")
NEUS = DATA / "allsides_neus" / "articles.jsonl"
SAMPLE_RECORDS = 300
"""NeuS records in the sample: its first 100 stories (3 articles each), 2018 to 2020, a few without a date."""
HAS_RAY = importlib.util.find_spec("ray") is not None
IN_CI = os.environ.get("CI") == "true"
OPTIONS = Options(workers=1)

needs_ray = pytest.mark.skipif(not HAS_RAY and not IN_CI, reason="ray is not installed (the distributed extra)")


@pytest.fixture(scope="module")
def ray_local() -> Iterator[None]:
    """A local Ray for the whole module (starting one costs seconds)."""
    from parallax.engine_ray import RayOptions, ray_session

    with ray_session(RayOptions(num_cpus=2, object_store_memory=500 * 1024**2)):
        yield


def _neus_records() -> list[dict[str, object]]:
    if not NEUS.is_file():
        pytest.skip(f"evaluation data not found at {NEUS}")
    with NEUS.open(encoding="utf-8") as lines:
        return [json.loads(next(lines)) for _ in range(SAMPLE_RECORDS)]


def _variant(record: dict[str, object], n: int) -> dict[str, object]:
    """The record re-published elsewhere with one word changed: a near duplicate (Jaccard well above 0.8)."""
    words = str(record["text"]).split(" ")
    words[len(words) // 2] = f"reworded{n}"
    return {**record, "id": f"{record['id']}-variant", "url": f"https://example.org/copy/{n}", "text": " ".join(words)}


def _write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def shards(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three JSON Lines shards of the NeuS sample; the second and third add near-duplicate variants of articles
    of the first and second (so pairs form within one ingest and across ingests), the third an exact copy of an
    article of the second."""
    records = _neus_records()
    long_ones = [r for r in records if len(str(r["text"]).split()) > 400]
    folder = tmp_path_factory.mktemp("neus")
    first = _write_jsonl(folder / "part-0.jsonl", records[:100])
    second_originals = [r for r in long_ones if r in records[100:200]][:2]
    second = [*records[100:200], *(_variant(r, n) for n, r in enumerate(long_ones[:3]))]
    # Copied within one ingest: what a later ingest learns of an outlet's template lines can clean its text apart.
    exact_copy = {**second_originals[0], "id": "copy", "url": "https://example.org/exact"}
    third = [*records[200:], *(_variant(r, 10 + n) for n, r in enumerate(second_originals)), exact_copy]
    return [first, _write_jsonl(folder / "part-1.jsonl", second), _write_jsonl(folder / "part-2.jsonl", third)]


def _run(store: Store, first: list[str], second: list[str], *, on_ray: bool) -> None:
    if on_ray:
        from parallax.engine_ray import build_stories_on_ray, ingest_on_ray

        ingest_on_ray(first, store, OPTIONS)
        ingest_on_ray(second, store, OPTIONS)
        build_stories_on_ray(store, OPTIONS)
    else:
        ingest(first, store, OPTIONS)
        ingest(second, store, OPTIONS)
        build_stories(store, OPTIONS)


@needs_ray
def test_ray_and_local_give_the_same_articles_pairs_families_and_stories(
    ray_local: None, shards: list[Path], example_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parallax import engine_ray

    # Windows of about 64 articles: the stories go to Ray in several passes and must come back in order.
    monkeypatch.setattr(engine_ray, "STORY_ARTICLES_PER_WINDOW", 64)
    first, second = [str(example_dir), str(shards[0])], [str(shards[1]), str(shards[2])]
    with Store.open(":memory:") as local, Store.open(":memory:") as remote:
        _run(local, first, second, on_ray=False)
        _run(remote, first, second, on_ray=True)
        local_articles, remote_articles = local.articles(), remote.articles()
        # The 5 example reports, 299 NeuS records (one lead is empty), 5 variants and the exact copy.
        assert len(local_articles) == 5 + (SAMPLE_RECORDS - 1) + 5 + 1
        assert [article_to_dict(a) for a in remote_articles] == [article_to_dict(a) for a in local_articles]
        assert sum(1 for a in local_articles if a.duplicate_of) == 1
        pairs = local.near_duplicates()
        assert len(pairs) >= 5  # the five variants, each with its original (within and across ingests)
        assert remote.near_duplicates() == pairs
        assert [(e.article_id, e.signature, e.shingles) for e in remote.neardup_entries()] == [
            (e.article_id, e.signature, e.shingles) for e in local.neardup_entries()
        ]
        assert remote.learned("template_lines") == local.learned("template_lines")
        local_stories, remote_stories = local.stories(), remote.stories()
        assert {frozenset(s.article_ids) for s in remote_stories} == {frozenset(s.article_ids) for s in local_stories}
        assert [story_to_dict(s) for s in remote_stories] == [story_to_dict(s) for s in local_stories]
        families = {frozenset(f.article_ids) for s in local_stories for f in s.families}
        assert any(len(f) > 1 for f in families)  # copies make families, so the comparison is not vacuous
        assert {frozenset(f.article_ids) for s in remote_stories for f in s.families} == families


@needs_ray
def test_parquet_shards_read_like_json_lines_records(ray_local: None, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from parallax.engine_ray import ingest_on_ray

    records = _neus_records()[:12]
    columns = ["outlet", "url", "published", "title", "text"]
    pq.write_table(pa.table({c: [r[c] for r in records] for c in columns}), tmp_path / "part.parquet")
    _write_jsonl(tmp_path / "same.jsonl", [{c: r[c] for c in columns} for r in records])
    with Store.open(":memory:") as from_parquet, Store.open(":memory:") as from_jsonl:
        report = ingest_on_ray([str(tmp_path / "part.parquet")], from_parquet, OPTIONS)
        ingest([str(tmp_path / "same.jsonl")], from_jsonl, OPTIONS)
        fields = ("text", "title", "outlet", "url", "published", "sentences")
        expected = sorted(tuple(str(getattr(a, f)) for f in fields) for a in from_jsonl.articles())
        assert sorted(tuple(str(getattr(a, f)) for f in fields) for a in from_parquet.articles()) == expected
        assert len(expected) == 12
        assert {a.source for a in from_parquet.articles(report.article_ids)} == {
            f"{tmp_path / 'part.parquet'}#L{n}" for n in range(1, 13)
        }


@needs_ray
def test_cli_analyze_on_ray_writes_the_report_and_parquet_tables(ray_local: None, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    result = CliRunner().invoke(app, ["analyze", str(ROOT / "examples" / "karabakh-2023"), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    local_report = json.loads((tmp_path / "report.json").read_text())
    local_stories = {frozenset(s["article_ids"]) for s in local_report["stories"]}
    out = tmp_path / "ray"
    result = CliRunner().invoke(
        app, ["analyze", str(ROOT / "examples" / "karabakh-2023"), "--out", str(out), "--engine", "ray"]
    )
    assert result.exit_code == 0, result.output
    assert "2 stories from 5 articles" in result.output
    stories = pq.read_table(out / "stories.parquet").to_pylist()
    assert sorted(len(s["article_ids"]) for s in stories) == [1, 4]  # the four July reports, the January one
    assert {frozenset(s["article_ids"]) for s in stories} == local_stories
    assert pq.read_table(out / "articles.parquet").num_rows == 5
    assert pq.read_table(out / "near_duplicates.parquet").column_names[:2] == ["article_id", "other_id"]


def test_missing_ray_names_the_extra_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now raises ImportError
    from parallax.engine_ray import require_ray

    with pytest.raises(MissingDependencyError, match=r"pip install 'parallax-news\[distributed\]'"):
        require_ray()
    result = CliRunner().invoke(app, ["analyze", str(tmp_path), "--out", str(tmp_path / "o"), "--engine", "ray"])
    assert result.exit_code == 2
    assert "pip install 'parallax-news[distributed]'" in result.output


def test_unknown_engine_and_address_without_ray_are_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["analyze", str(tmp_path), "--out", str(tmp_path / "o"), "--engine", "spark"])
    assert result.exit_code == 2 and "unknown engine 'spark'; use one of: local, ray" in result.output
    result = CliRunner().invoke(app, ["analyze", str(tmp_path), "--out", str(tmp_path / "o"), "--address", "auto"])
    assert result.exit_code == 2 and "--address is for --engine ray" in result.output


def test_shards_read_one_by_one_give_the_local_readers_articles(example_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")
    _write_jsonl(tmp_path / "a.jsonl", [{"title": "T", "text": "A report of some length. It has two sentences."}])
    paths = [str(example_dir), str(tmp_path)]
    options = ReadOptions(fetch=None)
    local = Reader(paths, options)
    expected = [(a.id, a.source, a.text) for a in local]
    shards = plan_shards(paths, options)
    read = [read_shard(shard, options) for shard in shards]
    assert [(a.id, a.source, a.text) for articles, _ in read for a in articles] == expected
    assert [d.source for _, reader in read for d in reader.report.dropped_items] == [
        d.source for d in local.report.dropped_items
    ]
    assert [shard.kind for shard in shards].count("refused") == 1  # notes.bin, as the local walk refuses it
