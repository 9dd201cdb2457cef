"""End to end on the bundled example corpus, and the invariants of the whole path."""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import JANUARY_FILE, JULY_FILES
from parallax import pipeline
from parallax.cluster import ClusterOptions
from parallax.model import Article
from parallax.pipeline import (
    Options,
    Report,
    analyze,
    analyze_stories,
    build_stories,
    ingest,
    stored_stories,
)
from parallax.serialize import story_to_dict
from parallax.store import Store
from parallax.storylines import StorylineOptions

DEBRIS = ("Read More", "Abone Ol", "Back to top button", "Related Articles")


@pytest.fixture(scope="module")
def report() -> Report:
    example = Path(__file__).resolve().parent.parent / "examples" / "karabakh-2023"
    with Store.open(":memory:") as store:
        return analyze([example], store)


def stem(report: Report, article_id: str) -> str:
    return next(Path(a.source).stem for a in report.articles if a.id == article_id)


def test_july_reports_form_one_story_without_the_january_one(report: Report) -> None:
    groups = sorted(sorted(stem(report, i) for i in story.article_ids) for story in report.stories)
    assert groups == [sorted(JULY_FILES), [JANUARY_FILE]]


def test_main_story_facts_list_the_outlets_that_report_them(report: Report) -> None:
    main = max(report.stories, key=lambda s: len(s.article_ids))
    shared = [fact for fact in main.facts if len(fact.article_ids) >= 2]
    assert len(shared) >= 3
    by_id = {a.id: a for a in report.articles}
    for fact in main.facts:
        assert set(fact.article_ids) <= set(main.article_ids)
        expected = {by_id[i].outlet or f"unknown ({Path(by_id[i].source).name})" for i in fact.article_ids}
        assert set(fact.outlets) == expected


def test_debris_is_removed_and_kept(report: Report) -> None:
    for article in report.articles:
        lines = {line.strip() for line in article.text.splitlines()}
        assert not lines & set(DEBRIS)
    removed = {line.text.strip() for a in report.articles for line in a.removed_lines}
    assert set(DEBRIS) <= removed


def test_summary_sentences_are_verbatim_and_cited(report: Report) -> None:
    by_id = {a.id: a for a in report.articles}
    for story in report.stories:
        assert story.summary
        for sentence in story.summary:
            assert sentence.article_ids
            assert set(sentence.article_ids) <= set(story.article_ids)
            assert sentence.text in by_id[sentence.article_ids[0]].text


def test_reingesting_adds_nothing(example_dir: Path) -> None:
    with Store.open(":memory:") as store:
        first = ingest([example_dir], store)
        second = ingest([example_dir], store)
        assert (first.added, second.added, second.existing) == (5, 0, 5)
        assert store.article_count() == 5


def test_a_copy_under_another_name_is_marked_duplicate(example_dir: Path, tmp_path: Path) -> None:
    original = example_dir / "002_6cfdf39758437414.txt"
    (tmp_path / "copy.txt").write_text(original.read_text() + "\n\n")
    with Store.open(":memory:") as store:
        report = analyze([example_dir, tmp_path], store)
    copy = next(a for a in report.articles if a.source.endswith("copy.txt"))
    assert copy.duplicate_of is not None
    assert all(copy.id not in story.article_ids for story in report.stories)


def test_one_bad_file_does_not_stop_the_batch(example_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.html").write_bytes(b"\x00\x01\x02" * 100)
    with Store.open(":memory:") as store:
        report = analyze([example_dir, tmp_path], store)
        assert report.ingest is not None
        assert report.ingest.dropped == {"empty": 1, "binary": 1}
        assert len(report.articles) == 5
        assert {item.reason for item in store.rejects()} == {"empty", "binary"}


paragraphs = st.lists(
    st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd", "Zs")), min_size=20, max_size=80),
    min_size=1,
    max_size=4,
).map(lambda ps: "\n\n".join(p.strip() + "." for p in ps))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(paragraphs, min_size=1, max_size=5))
def test_ingest_is_idempotent_and_stories_partition_articles(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder, Store.open(":memory:") as store:
        for index, text in enumerate(texts):
            Path(folder, f"{index}.txt").write_text(text)
        first = analyze([folder], store)
        count = store.article_count()
        again = ingest([folder], store)
        assert again.added == 0
        assert store.article_count() == count
        members = [i for story in first.stories for i in story.article_ids]
        originals = {a.id for a in first.articles if a.duplicate_of is None}
        assert sorted(members) == sorted(originals)


def test_template_lines_learned_in_earlier_ingests_clean_later_ones(tmp_path: Path) -> None:
    cities = ["Lyon", "Porto", "Ghent"]

    def report(city: str) -> str:
        return (
            f'{{"outlet": "Daily Example", "title": "Vote in {city}", "text": "The council of {city} passed the budget.'
            f'\\nThe mayor of {city} welcomed the result.\\nToday on the Example Evening Desk"}}\n'
        )

    with Store.open(tmp_path / "p.db") as store:
        for city in cities:
            (tmp_path / f"{city}.jsonl").write_text(report(city), encoding="utf-8")
        ingest([tmp_path / "Lyon.jsonl", tmp_path / "Porto.jsonl"], store)
        third = store.article(ingest([tmp_path / "Ghent.jsonl"], store).article_ids[0])
        again = ingest([tmp_path / "Ghent.jsonl"], store)
    assert third is not None
    assert [(line.text, line.rule) for line in third.removed_lines] == [
        ("Today on the Example Evening Desk", "template_line")
    ]
    assert third.text == "The council of Ghent passed the budget.\nThe mayor of Ghent welcomed the result."
    assert again.added == 0


def _stored_outcome(store: Store) -> dict[str, Any]:
    articles = store.articles()
    return {
        "articles": [(a.id, a.source, a.text, a.duplicate_of) for a in articles],
        "sources": {a.id: store.article_sources(a.id) for a in articles},
        "pairs": sorted((p.article_id, p.other_id, p.jaccard) for p in store.near_duplicates()),
        "rejects": sorted((r.source, r.reason) for r in store.rejects()),
        "indexed": sorted(e.article_id for e in store.neardup_entries()),
    }


def test_ingest_in_small_chunks_stores_what_one_chunk_does(example_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    texts = sorted(example_dir.glob("*.txt"))
    for path in texts:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "zz_copy.txt").write_bytes(texts[0].read_bytes())  # the same input again: one article, two sources
    crlf = texts[2].read_bytes().replace(b"\n", b"\r\n")
    (folder / "zz_crlf.txt").write_bytes(crlf)  # other bytes, the same clean text: an exact duplicate
    reprint = texts[1].read_text(encoding="utf-8") + "\nOne line the reprint adds at its end."
    (folder / "zz_reprint.txt").write_text(reprint, encoding="utf-8")  # a near duplicate, in a later chunk
    (folder / "zz_broken.txt").write_bytes(b"\x00\xff\x00" * 50)  # rejected, read after the last article
    outcomes, reports = [], []
    for chunk in (1000, 2, 1):
        with Store.open(tmp_path / f"chunk{chunk}.db") as store:
            reports.append(ingest([folder], store, Options(ingest_chunk=chunk, workers=1)))
            again = ingest([folder], store, Options(ingest_chunk=chunk, workers=1))
            outcomes.append(_stored_outcome(store))
        assert again.added == 0 and again.existing == 8
    assert outcomes[0] == outcomes[1] == outcomes[2]
    assert sum(1 for *_, duplicate_of in outcomes[0]["articles"] if duplicate_of) == 1
    assert len(outcomes[0]["pairs"]) == 1 and len(outcomes[0]["rejects"]) == 1
    assert [(r.added, r.existing, len(r.article_ids), r.dropped) for r in reports] == [
        (7, 1, 8, reports[0].dropped)
    ] * 3
    assert [[(s.stage, s.seen, s.kept) for s in r.stages] for r in reports[1:]] == [
        [(s.stage, s.seen, s.kept) for s in reports[0].stages]
    ] * 2


class _NoWholeLoads(Store):
    """A store that fails any call loading every article or every near-duplicate row: what keeps an ingest's and a
    story build's memory independent of the store's size."""

    def articles(self, ids: Any = None) -> list[Article]:
        assert ids is not None, "loaded every stored article"
        return super().articles(ids)

    def neardup_entries(self, buckets: Any = None) -> Any:
        assert buckets is not None, "loaded the whole near-duplicate index"
        return super().neardup_entries(buckets)


def test_ingest_and_story_building_never_load_the_whole_store(example_dir: Path, tmp_path: Path) -> None:
    options = Options(ingest_chunk=2, workers=1, cluster=ClusterOptions(max_batch_articles=2))
    with Store.open(tmp_path / "p.db") as opened:
        store = _NoWholeLoads(opened._conn)
        ingest([example_dir], store, options)
        ingest([example_dir], store, options)
        ids, report = build_stories(store, replace(options, storylines=StorylineOptions(max_stories=1)))
        members = sorted(i for story in stored_stories(store, ids) for i in story.article_ids)
        assert members == sorted(opened.known_ids(members)) and len(members) == 5
    assert report.counts["clustered_online_over_batch_limit"] == 5


def test_near_duplicates_are_found_across_ingests_and_kept(tmp_path: Path) -> None:
    dispatch = " ".join(f"Sentence {word} of the wire dispatch about the corridor talks." for word in "abcdefghij")
    (tmp_path / "wire.txt").write_text(dispatch, encoding="utf-8")
    (tmp_path / "reprint.txt").write_text(dispatch + " One line the reprint adds.", encoding="utf-8")
    (tmp_path / "other.txt").write_text("A different report about the budget vote in the city council.", "utf-8")
    with Store.open(tmp_path / "p.db") as store:
        ingest([tmp_path / "wire.txt", tmp_path / "other.txt"], store)
        second = ingest([tmp_path / "reprint.txt"], store)
        ingest([tmp_path / "reprint.txt"], store)
        pairs = store.near_duplicates()
        ids = {Path(a.source).name: a.id for a in store.articles()}
    assert [(p.article_id, p.other_id) for p in pairs] == [(ids["reprint.txt"], ids["wire.txt"])]
    assert 0.8 <= pairs[0].jaccard < 1.0
    assert pairs[0].other_containment == 1.0  # all of the dispatch is in the reprint
    assert next(s for s in second.stages if s.stage == "neardup").counts["near_duplicate_pairs"] == 1


def test_the_july_story_counts_the_afp_reports_as_one_source(example_dir: Path) -> None:
    with Store.open(":memory:") as store:
        report = analyze([example_dir], store)
        stored = store.stories()
    names = {a.id: Path(a.source).stem[:3] for a in report.articles}
    july = next(s for s in report.stories if len(s.article_ids) == 4)
    families = sorted(sorted(names[i] for i in family.article_ids) for family in july.families)
    assert families == [["000", "001", "002"], ["004"]]
    trt_moscow = next(m for m in july.passages if {names[m.a_id], names[m.b_id]} == {"001", "002"})
    assert len(trt_moscow.passages) >= 5
    assert max(f.independent_sources for f in july.facts) == 2
    assert all(f.independent_sources <= len(set(f.article_ids)) for f in july.facts)
    stored_july = next(s for s in stored if s.id == july.id)
    assert stored_july.families == july.families
    assert stored_july.passages == july.passages


def test_what_each_article_says_is_stored_and_read_back_whole(example_dir: Path) -> None:
    with Store.open(":memory:") as store:
        ingest([example_dir], store)
        stored = {a.id: a for a in store.articles()}
    moscow = next(a for a in stored.values() if a.outlet == "The Moscow Times")
    for kind in ("quotes", "quantities", "times", "entities", "events"):
        assert getattr(moscow, kind), kind  # each kind finds something in this report and is kept
    assert ("six weeks", 42.0) in {(q.text, q.normalized) for q in moscow.quantities}


def test_the_example_january_and_july_stories_share_one_storyline(example_dir: Path) -> None:
    with Store.open(":memory:") as store:
        report = analyze([example_dir], store)
        stored = [store.story(s.id) for s in report.stories]
    assert len(report.stories) == 2
    lines = {s.storyline.id if s.storyline else None for s in stored}
    assert len(lines) == 1 and None not in lines
    assert sorted(stored[0].storyline.story_ids) == sorted(s.id for s in report.stories)  # type: ignore[union-attr]


def test_corpora_over_the_batch_limit_are_clustered_online(example_dir: Path, tmp_path: Path) -> None:
    options = Options(cluster=ClusterOptions(max_batch_articles=2))
    with Store.open(tmp_path / "p.db") as store:
        ingest([example_dir], store, options)
        story_ids, report = build_stories(store, options)
        stories = stored_stories(store, story_ids)
        articles = [a for a in store.articles() if a.duplicate_of is None]
    assert report.counts["clustered_online_over_batch_limit"] == len(articles) == 5
    assert sorted(i for s in stories for i in s.article_ids) == sorted(a.id for a in articles)
    assert all(s.facts and s.summary for s in stories)


def test_an_analyzer_that_loses_a_story_leaves_the_stored_stories_as_they_were(example_dir: Path) -> None:
    def loses_the_last(items: Any, options: Options) -> Any:
        analyzed = list(analyze_stories(items, options))
        return analyzed[:-1]

    with Store.open(":memory:") as store:
        ingest([example_dir], store, Options(workers=1))
        ids, _ = build_stories(store, Options(workers=1))
        before = [story_to_dict(s) for s in store.stories()]
        with pytest.raises(RuntimeError, match="every story it is given once"):
            build_stories(store, Options(workers=1), analyze=loses_the_last)
        assert [story_to_dict(s) for s in store.stories()] == before
    assert len(ids) == 2


NEUS_SAMPLE = 150
"""NeuS records in the per-story workers test: its first 50 stories (three articles each, 2018 to 2020)."""


def _stories_on(store: Store, workers: int, monkeypatch: pytest.MonkeyPatch) -> list[list[dict[str, object]]]:
    """The stories `build_stories` returns and stores with `workers` processes (the pool used however few the
    stories: `min_stories=1`)."""
    pools: list[int] = []
    run_in_order = pipeline.run_in_order

    def counted(*args: Any, **kwargs: Any) -> Any:
        pools.append(kwargs["workers"])
        return run_in_order(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "run_in_order", counted)
        ids, _ = build_stories(store, Options(workers=workers), analyze=partial(analyze_stories, min_stories=1))
        stories = stored_stories(store, ids)
    assert pools == ([] if workers == 1 else [workers])
    return [[story_to_dict(s) for s in stories], [story_to_dict(s) for s in store.stories()]]


def test_stories_are_the_same_with_one_worker_or_two(example_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(":memory:") as store:
        ingest([example_dir], store, Options(workers=1))
        alone = _stories_on(store, 1, monkeypatch)
        pooled = _stories_on(store, 2, monkeypatch)
    assert len(alone[0]) == 2 and all(s["facts"] and s["summary"] for s in alone[0])
    assert pooled == alone


def test_stories_of_a_real_sample_are_the_same_with_one_worker_or_two(
    data_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    neus = data_root / "allsides_neus" / "articles.jsonl"
    with neus.open(encoding="utf-8") as lines:
        records = [json.loads(next(lines)) for _ in range(NEUS_SAMPLE)]
    (tmp_path / "neus.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with Store.open(tmp_path / "p.db") as store:
        ingest([tmp_path / "neus.jsonl"], store, Options(workers=2))
        alone = _stories_on(store, 1, monkeypatch)
        pooled = _stories_on(store, 2, monkeypatch)
    assert len(alone[0]) > 20 and sum(len(s["facts"]) for s in alone[0]) > 100
    assert pooled == alone
