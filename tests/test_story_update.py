"""update_stories: new articles join the stored stories through the saved online clusterer, with the stories a
full rebuild gives; the clusterer's state survives a save and a restore exactly."""

from __future__ import annotations

import io
import json
import random
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import JANUARY_FILE, JULY_FILES
from parallax.cli import app
from parallax.cluster import ClusterOptions
from parallax.online import OnlineClusterer, default_online_options, stream_order
from parallax.online_state import dump_state, load_state
from parallax.pipeline import STORIES_CHECKPOINT, Options, build_stories, ingest, update_stories
from parallax.serialize import story_to_dict
from parallax.store import Store
from parallax.store_protocol import ArticleStore
from parallax.stores import open_store
from test_online import BUDGET, FLOOD, varied_stream

ONLINE = Options(workers=1, cluster=ClusterOptions(max_batch_articles=0))
"""Stores of a few articles clustered online, as a store over 2,000 articles is."""
runner = CliRunner()


def stories_of(store: ArticleStore) -> list[dict[str, Any]]:
    return sorted((story_to_dict(s) for s in store.stories()), key=lambda s: s["id"])


@pytest.mark.parametrize("cut", [0, 1, 5, 11, 18])
@pytest.mark.parametrize("max_stories", [2, 5000])
def test_a_restored_clusterer_goes_on_as_the_saved_one_would_have(cut: int, max_stories: int) -> None:
    options = replace(default_online_options(), max_stories=max_stories)
    articles = stream_order(varied_stream())  # dated stories going quiet, one far ahead, an undated article
    whole = OnlineClusterer(options)
    expected = whole.add_all(articles)
    first = OnlineClusterer(options)
    first.add_all(articles[:cut])
    restored = load_state(dump_state(first), options)
    assert restored.add_all(articles[cut:]) == expected[cut:]
    assert restored.stories_started == whole.stories_started
    assert len({a.story for a in expected}) > 3


def test_a_state_saved_under_other_settings_or_not_a_state_is_refused() -> None:
    clusterer = OnlineClusterer()
    clusterer.add_all(varied_stream()[:3])
    other = replace(default_online_options(), threshold=0.9)
    with pytest.raises(ValueError, match="saved by"):
        load_state(dump_state(clusterer), other)
    for junk in (b"", b"PK\x03\x04 truncated", b"\x00" * 64):
        with pytest.raises(ValueError, match="not an online clusterer state"):
            load_state(junk, default_online_options())


def split_example(example_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The example in two folders: the dated July report (002) first, then the four undated reports, which come
    after it in stream order."""
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    for path in example_dir.iterdir():
        if path.name.startswith(("000", "001", "002", "003", "004")):
            shutil.copy(path, (first if path.name.startswith("002") else later) / path.name)
    return first, later


def test_updating_the_example_gives_the_rebuilt_stories(example_dir: Path, tmp_path: Path, store_target: str) -> None:
    first, later = split_example(example_dir, tmp_path)  # updated on SQLite and on PostgreSQL
    with open_store(store_target) as updated, Store.open(tmp_path / "rebuilt.db") as rebuilt:
        for store in (updated, rebuilt):
            ingest([first], store, ONLINE)
        build_stories(updated, ONLINE)
        assert updated.checkpoint(STORIES_CHECKPOINT) is not None
        for store in (updated, rebuilt):
            ingest([later], store, ONLINE)
        written, report = update_stories(updated, ONLINE)
        build_stories(rebuilt, ONLINE)
        assert report.counts["updated_online"] == 4
        assert stories_of(updated) == stories_of(rebuilt)
        assert sorted(written) == sorted(s.id for s in updated.stories())
        stems = {Path(a.source).stem for a in updated.articles()}
        assert stems == {*JULY_FILES, JANUARY_FILE}
        again, nothing = update_stories(updated, ONLINE)  # nothing new: nothing written
        assert again == [] and nothing.seen == 0
        assert stories_of(updated) == stories_of(rebuilt)


def test_without_a_saved_state_an_update_is_a_rebuild(example_dir: Path) -> None:
    batch = Options(workers=1)  # five articles: clustered in a batch, which saves no state
    with Store.open(":memory:") as store:
        ingest([example_dir], store, batch)
        written, report = update_stories(store, batch)
        assert store.checkpoint(STORIES_CHECKPOINT) is None
        assert "updated_online" not in report.counts and len(written) == len(store.stories()) == 2


def neus_parts(data_root: Path, tmp_path: Path, count: int) -> tuple[Path, Path]:
    """The first `count` NeuS records in two files: those dated before the median date, then the rest (later
    dated, and every undated one: the second file comes after the first in stream order)."""
    with (data_root / "allsides_neus" / "articles.jsonl").open(encoding="utf-8") as lines:
        records = [json.loads(next(lines)) for _ in range(count)]
    dates = sorted(r["published"][:10] for r in records if r.get("published"))
    cut = dates[len(dates) // 2]
    early = [r for r in records if r.get("published") and r["published"][:10] < cut]
    rest = [r for r in records if r not in early]
    paths = tmp_path / "early.jsonl", tmp_path / "rest.jsonl"
    for path, part in zip(paths, (early, rest), strict=True):
        path.write_text("".join(json.dumps(r) + "\n" for r in part), encoding="utf-8")
    assert len(early) > 20 and len(rest) > 20
    return paths


def test_updating_a_real_sample_gives_the_rebuilt_stories_and_rewrites_only_what_changed(
    data_root: Path, tmp_path: Path
) -> None:
    early, rest = neus_parts(data_root, tmp_path, 150)
    with Store.open(tmp_path / "updated.db") as updated, Store.open(tmp_path / "rebuilt.db") as rebuilt:
        for store in (updated, rebuilt):
            ingest([early], store, ONLINE)
        build_stories(updated, ONLINE)
        before = stories_of(updated)
        for store in (updated, rebuilt):
            ingest([rest], store, ONLINE)
        written, report = update_stories(updated, ONLINE)
        build_stories(rebuilt, ONLINE)
        after = stories_of(updated)
        assert after == stories_of(rebuilt)
    assert report.counts["updated_online"] == sum(len(s["article_ids"]) for s in after) - sum(
        len(s["article_ids"]) for s in before
    )
    untouched = [s for s in before if s["id"] not in written]
    assert untouched and all(s in after for s in untouched)  # the stories no new article joined stay as stored
    assert len(written) < len(after)


def write_jsonl(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_a_new_story_links_a_stored_one_into_a_storyline_without_analysing_it_again(tmp_path: Path) -> None:
    def report(n: int, text: str, published: str) -> dict[str, str]:
        return {"id": f"r{n}", "title": text.split(".", maxsplit=1)[0], "text": text, "published": published}

    early = [report(0, FLOOD, "2024-03-01"), report(1, BUDGET, "2024-03-02")]
    later = [report(2, FLOOD.replace("Monday", "Sunday").replace("four hundred", "six hundred"), "2024-04-20")]
    with Store.open(tmp_path / "updated.db") as updated, Store.open(tmp_path / "rebuilt.db") as rebuilt:
        for store in (updated, rebuilt):
            ingest([write_jsonl(tmp_path / "early.jsonl", early)], store, ONLINE)
        build_stories(updated, ONLINE)
        before = {s.id: s for s in updated.stories()}
        for store in (updated, rebuilt):
            ingest([write_jsonl(tmp_path / "later.jsonl", later)], store, ONLINE)
        written, report_ = update_stories(updated, ONLINE)
        build_stories(rebuilt, ONLINE)
        assert stories_of(updated) == stories_of(rebuilt)
        after = {s.id: s for s in updated.stories()}
    assert len(before) == 2 and len(after) == 3  # the April flood is a story of its own: March's went quiet
    assert report_.counts["storylines_changed"] == 1 and report_.counts["facts"] == len(after[written[0]].facts)
    (march,) = written[1:]
    assert before[march].storyline is None and after[march].storyline is not None
    assert set(after[march].storyline.story_ids) == {march, written[0]}  # type: ignore[union-attr]
    assert after[march].facts == before[march].facts  # linked, not analysed again


def test_an_update_that_loses_a_race_starts_again_from_the_winners_state(
    example_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, later = split_example(example_dir, tmp_path)
    other_half = tmp_path / "other"
    other_half.mkdir()
    for path in sorted(later.iterdir())[2:]:
        path.rename(other_half / path.name)
    with Store.open(tmp_path / "p.db") as store:
        ingest([first], store, ONLINE)
        build_stories(store, ONLINE)
        ingest([later], store, ONLINE)
        put_stories = store.put_stories
        raced: list[int] = []

        def after_another_writer(stories: Any, checkpoint: Any) -> None:
            if not raced:  # another process adds the other half and updates the stories first
                with Store.open(tmp_path / "p.db") as other:
                    ingest([other_half], other, ONLINE)
                    raced.append(len(update_stories(other, ONLINE)[0]))
            put_stories(stories, checkpoint)

        monkeypatch.setattr(store, "put_stories", after_another_writer)
        written, report = update_stories(store, ONLINE)
        updated = stories_of(store)
        build_stories(store, ONLINE)
        assert updated == stories_of(store)
    assert raced and raced[0] >= 1  # the other writer won and clustered both halves
    assert written == [] and report.seen == 0  # the loser, started again, found nothing left to add


def test_cli_ingest_adds_to_online_stories_and_rebuild_reclusters(example_dir: Path, tmp_path: Path) -> None:
    first, later = split_example(example_dir, tmp_path)
    db = tmp_path / "p.db"
    with Store.open(db) as store:
        ingest([first], store, ONLINE)
        build_stories(store, ONLINE)  # online, as a store over 2,000 articles is: its state is saved
    result = runner.invoke(app, ["ingest", str(later), "--db", str(db), "--workers", "1"])
    assert result.exit_code == 0, result.output
    with Store.open(db) as store:
        assert store.runs()[-1]["report"]["counts"]["updated_online"] == 4  # type: ignore[index]
        assert store.checkpoint(STORIES_CHECKPOINT) is not None
    result = runner.invoke(app, ["ingest", str(later), "--db", str(db), "--workers", "1", "--rebuild"])
    assert result.exit_code == 0, result.output
    with Store.open(db) as store:  # five articles: re-clustered in a batch, which keeps no state
        assert "updated_online" not in store.runs()[-1]["report"]["counts"]  # type: ignore[index]
        assert store.checkpoint(STORIES_CHECKPOINT) is None and len(store.stories()) == 2


def test_a_damaged_state_is_never_trusted_the_stories_are_made_again(example_dir: Path, tmp_path: Path) -> None:
    first, later = split_example(example_dir, tmp_path)
    with Store.open(tmp_path / "p.db") as store:
        ingest([first], store, ONLINE)
        build_stories(store, ONLINE)
        saved = store.checkpoint(STORIES_CHECKPOINT)
        assert saved is not None
        with np.load(io.BytesIO(saved.data)) as arrays:  # a well-formed file with one array cut short
            parts = {name: arrays[name] for name in arrays.files}
        parts["sketches"] = parts["sketches"][:, :7]
        damaged = io.BytesIO()
        np.savez(damaged, **parts)
        with pytest.raises(ValueError, match="not an online clusterer state"):
            load_state(damaged.getvalue(), default_online_options())
        store._conn.execute("UPDATE checkpoints SET data = ?", (damaged.getvalue(),))
        ingest([later], store, ONLINE)
        written, report = update_stories(store, ONLINE)
        assert report.counts["rebuilt_over_unreadable_state"] == 1
        assert sorted(written) == sorted(s.id for s in store.stories())
        repaired = store.checkpoint(STORIES_CHECKPOINT)
        assert repaired is not None and load_state(repaired.data, default_online_options()).stories_started


def test_a_state_with_bytes_flipped_or_cut_loads_or_raises_value_error_only() -> None:
    clusterer = OnlineClusterer()
    clusterer.add_all(stream_order(varied_stream()))
    data = dump_state(clusterer)
    rng = random.Random(1)
    outcomes = []
    for _ in range(150):
        damaged = bytearray(data)
        for _ in range(rng.choice([1, 3, 10])):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        cut = damaged[: rng.randrange(len(damaged))] if rng.random() < 0.2 else damaged
        try:
            load_state(bytes(cut), default_online_options())
            outcomes.append("loaded")  # a flipped weight is still a state (its sums are plain numbers)
        except ValueError:
            outcomes.append("refused")
    assert outcomes.count("refused") > 100, outcomes
