"""The store's behaviour on both backends (the `store` fixture runs each test on SQLite and on PostgreSQL),
then what only SQLite does (files, WAL, PRAGMA user_version); PostgreSQL's own: tests/test_store_postgres.py."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import parallax.store as store_module
from parallax.dedup import text_fingerprint
from parallax.errors import StaleCheckpointError, StoreError, UnknownStoryError
from parallax.model import (
    Article,
    Fact,
    FactEvidence,
    RemovedLine,
    Sentence,
    Story,
    SummarySentence,
    article_id_for,
    content_hash,
)
from parallax.neardup import NearDuplicateIndex
from parallax.serialize import article_to_dict
from parallax.stages import DroppedItem
from parallax.store import MIGRATIONS, SCHEMA_VERSION, AddResult, Store
from parallax.store_protocol import ArticleStore
from parallax.store_values import Checkpoint
from parallax.stores import open_store
from parallax.storylines import Storyline
from pgserver import emptied


def make_article(
    article_id: str,
    *,
    title: str = "Floods in Porto",
    text: str = "Heavy rain flooded the old town near the river.",
    published: date | None = None,
    source: str | None = None,
) -> Article:
    return Article(
        id=article_id,
        source=source or f"{article_id}.txt",
        raw_hash=content_hash(article_id.encode()),
        raw_text=f"{title}\n\n{text}",
        text=text,
        title=title,
        published=published,
    )


def make_story(story_id: str, article_ids: list[str], last: date | None = None) -> Story:
    return Story(story_id, f"Story {story_id}", article_ids, "test.v1", first_published=last, last_published=last)


@pytest.fixture
def store(store_target: str) -> Iterator[ArticleStore]:
    with open_store(store_target) as opened:
        yield opened


# Hypothesis runs many examples in one test, with one store (a function-scoped fixture): each example either
# empties it first (`emptied`) or only adds what is already there.
ONE_STORE_FOR_ALL_EXAMPLES = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def user_version(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


# Opening and migrations


def test_public_names_exist() -> None:
    assert all(hasattr(store_module, name) for name in store_module.__all__)


def test_file_store_uses_wal_and_records_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "parallax.db"
    Store.open(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert user_version(path) == SCHEMA_VERSION


def test_file_that_is_not_sqlite_raises_store_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 200)
    with pytest.raises(StoreError, match="is not a SQLite database") as raised:
        Store.open(path)
    assert str(path) in str(raised.value)
    assert "give a new path" in str(raised.value)


def test_missing_folder_raises_store_error(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "parallax.db"
    with pytest.raises(StoreError, match="check that its folder exists"):
        Store.open(path)


def test_store_from_newer_schema_raises(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="upgrade parallax") as raised:
        Store.open(path)
    assert str(path) in str(raised.value)
    assert user_version(path) == SCHEMA_VERSION + 1


def test_version_1_store_is_migrated_and_its_articles_indexed(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    article = make_article("a1", title="Floods in Porto")
    version, create_tables = MIGRATIONS[0]
    conn = sqlite3.connect(path)
    create_tables(conn)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(
        "INSERT INTO articles (id, raw_hash, source, title, text, data, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (article.id, article.raw_hash, article.source, article.title, article.text,
         json.dumps(article_to_dict(article, include_raw=True)), "2024-01-01T00:00:00+00:00"),
    )  # fmt: skip
    conn.commit()
    conn.close()
    assert version == 1 < SCHEMA_VERSION

    with Store.open(path) as store:
        assert store.article("a1") == article
        assert [hit.article_id for hit in store.search("porto")] == ["a1"]
        assert store.fingerprint_owners([text_fingerprint(article.text), "0" * 32]) == {
            text_fingerprint(article.text): "a1"
        }
    assert user_version(path) == SCHEMA_VERSION


def test_version_6_near_duplicate_rows_are_filed_under_their_buckets(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    index = NearDuplicateIndex()
    index.add_many([("a1", "the council of porto passed the budget " * 5), ("a2", "a flood hit the valley " * 5)])
    conn = sqlite3.connect(path)
    for _, migration in MIGRATIONS[:6]:
        migration(conn)
    conn.execute("PRAGMA user_version = 6")
    conn.executemany(
        "INSERT INTO neardup_entries (article_id, signature, shingles) VALUES (?, ?, ?)",
        [(e.article_id, e.signature, e.shingles) for e in map(index.entry, ["a1", "a2"])],
    )
    conn.execute(
        "INSERT INTO learned (name, method, data, updated_at) VALUES ('neardup_index', ?, ?, '2024-01-01')",
        (index.method, json.dumps(index.header)),
    )
    conn.commit()
    conn.close()

    with Store.open(path) as store:
        found = list(store.neardup_entries(index.entry("a2").buckets[:1]))
    assert [(e.article_id, e.signature) for e in found] == [("a2", index.entry("a2").signature)]


def test_reopening_a_current_store_runs_no_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "parallax.db"
    with Store.open(path) as store:
        store.add_articles([make_article("a1")])

    def must_not_run(conn: sqlite3.Connection) -> None:
        raise AssertionError("a migration ran on a current store")

    monkeypatch.setattr(store_module, "MIGRATIONS", [(version, must_not_run) for version, _ in MIGRATIONS])
    with Store.open(path) as store:
        assert store.article_count() == 1
    assert user_version(path) == SCHEMA_VERSION


# Raw inputs and rejects


def test_add_raw_is_idempotent_and_fills_missing_content(store: ArticleStore) -> None:
    raw_hash = content_hash(b"data")
    store.add_raw(raw_hash, "big.txt", None, 4)
    store.add_raw(raw_hash, "other.txt", b"data", 4)
    store.add_raw(raw_hash, "third.txt", None, 4)
    kept = store.raw_input(raw_hash)
    assert kept is not None
    assert (kept.source, kept.size, kept.content) == ("big.txt", 4, b"data")
    assert store.raw_input(content_hash(b"never seen")) is None


def test_rejects_are_kept_once(store: ArticleStore) -> None:
    items = [DroppedItem("a.txt", "empty"), DroppedItem("b.bin", "binary", "NUL bytes", "ab" * 32)]
    assert store.add_rejects(items) == 2
    assert store.add_rejects(items) == 0
    assert store.rejects() == items


# Articles


def test_add_articles_counts_new_and_existing(store: ArticleStore) -> None:
    batch = [make_article("a1"), make_article("a2")]
    assert store.add_articles(batch) == AddResult(added=2, existing=0, added_ids=["a1", "a2"])
    assert store.add_articles([*batch, make_article("a3")]) == AddResult(added=1, existing=2, added_ids=["a3"])
    assert store.article_count() == 3


def test_same_article_from_another_source_is_linked_not_duplicated(store: ArticleStore) -> None:
    store.add_articles([make_article("a1", source="inbox/a.txt")])
    result = store.add_articles([make_article("a1", source="https://example.com/a")])
    assert (result.added, result.existing) == (0, 1)
    assert store.article_count() == 1
    assert store.article_sources("a1") == ["https://example.com/a", "inbox/a.txt"]
    stored = store.article("a1")
    assert stored is not None
    assert stored.source == "inbox/a.txt"


def test_update_articles_replaces_data_and_search_index(store: ArticleStore) -> None:
    store.add_articles([make_article("a1", title="Floods in Porto"), make_article("a2")])
    changed = make_article("a1", title="Wildfire in Faro")
    changed.duplicate_of = "a2"
    assert store.update_articles([changed, make_article("unknown")]) == 1
    stored = store.article("a1")
    assert stored is not None
    assert (stored.title, stored.duplicate_of) == ("Wildfire in Faro", "a2")
    assert [hit.article_id for hit in store.search("faro")] == ["a1"]
    assert [hit.article_id for hit in store.search("porto")] == ["a2"]
    assert store.article("unknown") is None


def test_articles_are_ordered_by_date_then_id_with_undated_last(store: ArticleStore) -> None:
    store.add_articles(
        [
            make_article("b", published=date(2023, 7, 2)),
            make_article("u", published=None),
            make_article("z", published=date(2023, 7, 1)),
            make_article("a", published=date(2023, 7, 2)),
        ]
    )
    assert [a.id for a in store.articles()] == ["z", "a", "b", "u"]
    assert [a.id for a in store.articles(["u", "b", "missing", "z"])] == ["z", "b", "u"]
    assert store.articles([]) == []


def test_originals_are_the_non_duplicates_in_article_order_page_by_page(
    store: ArticleStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("parallax.store_values.ORIGINALS_PAGE", 2)  # pages end inside both the dated and undated
    days = [date(2023, 7, 2), None, date(2023, 7, 1), date(2023, 7, 2), None, None, date(2023, 6, 30)]
    articles = [make_article(f"a{n}", published=day) for n, day in enumerate(days)]
    articles[3] = replace(articles[3], duplicate_of="a0")
    articles[5] = replace(articles[5], duplicate_of="a1")
    store.add_articles(articles)
    expected = [a for a in store.articles() if a.duplicate_of is None]
    assert [a.id for a in store.originals()] == ["a6", "a2", "a0", "a1", "a4"] == [a.id for a in expected]
    assert list(store.originals()) == expected
    lean = list(store.originals(without=("raw_text", "quotes")))
    assert [a.raw_text for a in lean] == [""] * 5
    assert [replace(a, raw_text="") for a in expected] == lean


def test_known_ids_and_fingerprint_owners_answer_from_the_store(store: ArticleStore) -> None:
    first = make_article("b", text="Same words.", published=date(2024, 1, 1))
    later = make_article("a", text="Same words.", published=date(2024, 1, 2))
    marked = replace(make_article("c", text="Other words."), duplicate_of="x")
    store.add_articles([later, first, marked])
    assert store.known_ids(["a", "c", "zz"]) == {"a", "c"}
    assert store.article_ids() == {"a", "b", "c"}
    assert store.known_ids([]) == set()
    fingerprints = [text_fingerprint("Same words."), text_fingerprint("Other words."), text_fingerprint("new")]
    # the earliest original owns a text; an article marked a duplicate owns none
    assert store.fingerprint_owners(fingerprints) == {text_fingerprint("Same words."): "b"}


def test_neardup_entries_are_found_by_their_buckets(store: ArticleStore) -> None:
    index = NearDuplicateIndex()
    texts = {"a1": "the council of porto passed the budget " * 5, "a2": "a flood hit the valley " * 5}
    index.add_many(texts.items())
    entries = [index.entry(article_id) for article_id in texts]
    store.add_neardup_entries(entries)
    store.add_neardup_entries(entries)  # again: nothing doubles
    assert [e.article_id for e in store.neardup_entries()] == ["a1", "a2"]
    assert [e.article_id for e in store.neardup_entries(entries[1].buckets)] == ["a2"]
    assert [e.article_id for e in store.neardup_entries({*entries[1].buckets, entries[0].buckets[-1]})] == [
        "a1",
        "a2",
    ]
    assert list(store.neardup_entries([12345])) == []


def test_articles_rejects_a_single_string(store: ArticleStore) -> None:
    with pytest.raises(TypeError, match=r"use article\(id\)"):
        store.articles("a1")


def test_search_index_follows_deletes_by_any_client(tmp_path: Path) -> None:
    path = tmp_path / "parallax.db"
    with Store.open(path) as store:
        store.add_articles([make_article("a1", title="Floods in Porto"), make_article("a2", title="Vote in Faro")])
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM articles WHERE id = ?", ("a1",))
        indexed = conn.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'porto'").fetchone()
    assert indexed[0] == 0
    with Store.open(path) as store:
        assert store.search("porto") == []
        assert [hit.article_id for hit in store.search("faro")] == ["a2"]


# Search


def test_search_returns_marked_snippet(store: ArticleStore) -> None:
    store.add_articles([make_article("a1", text="Heavy rain flooded the old town near the river.")])
    [hit] = store.search("river")
    assert (hit.article_id, hit.title) == ("a1", "Floods in Porto")
    assert "[river]" in hit.snippet


def test_search_needs_every_term(store: ArticleStore) -> None:
    store.add_articles([make_article("a1", text="rain in the town"), make_article("a2", text="rain at sea")])
    assert [hit.article_id for hit in store.search("rain town")] == ["a1"]


def test_search_ignores_accents(store: ArticleStore) -> None:
    store.add_articles([make_article("a1", title="Floods in São Paulo")])
    assert [hit.article_id for hit in store.search("sao paulo")] == ["a1"]


@pytest.mark.parametrize(
    "query",
    ['"', "'", "*", "flood*", "NEAR(rain river)", "title:floods", "-rain", "rain OR", "AND", "(", ")", "^rain",
     'rain"river', "\x00", "{title text}: rain", '"unterminated', "rain + river", "NOT", "  "],
)  # fmt: skip
def test_hostile_queries_never_raise(store: ArticleStore, query: str) -> None:
    store.add_articles([make_article("a1")])
    assert isinstance(store.search(query), list)


def test_syntax_characters_are_plain_text(store: ArticleStore) -> None:
    store.add_articles([make_article("a1", text="Heavy rain flooded the old town near the river.")])
    assert store.search("flood*") == []  # no prefix search: "flood" is not a word of the text
    assert [hit.article_id for hit in store.search("NEAR")] == ["a1"]
    assert [hit.article_id for hit in store.search('"river" -rain')] == ["a1"]
    assert store.search("title:floods") == []  # "title" is a term, not a column filter


@settings(ONE_STORE_FOR_ALL_EXAMPLES, max_examples=60)
@given(query=st.text(max_size=40))
def test_any_query_text_is_safe(store: ArticleStore, query: str) -> None:
    store.add_articles([make_article("a1")])
    hits = store.search(query)
    assert all(hit.article_id == "a1" for hit in hits)


# Stories


def test_stories_round_trip_with_facts_and_summary(store: ArticleStore) -> None:
    store.add_articles([make_article("a1"), make_article("a2")])
    story = make_story("s1", ["a1", "a2"], date(2023, 7, 2))
    story.facts = [Fact("Rain fell.", ["a1", "a2"], ["X", "Y"], [FactEvidence("a1", 0, "Rain fell.")])]
    story.summary = [SummarySentence("Rain fell.", ("a1", "a2"))]
    store.replace_stories([story])
    assert store.story("s1") == story
    assert store.stories_for_article("a2") == ["s1"]


def test_stories_order_latest_then_largest_then_id(store: ArticleStore) -> None:
    store.add_articles([make_article(f"a{i}") for i in range(4)])
    july, january = date(2023, 7, 2), date(2023, 1, 5)
    stories = [
        make_story("undated", ["a0", "a1", "a2"]),
        make_story("old", ["a0"], january),
        make_story("c-small", ["a1"], july),
        make_story("big", ["a2", "a3"], july),
        make_story("b-small", ["a3"], july),
    ]
    store.replace_stories(stories)
    assert [s.id for s in store.stories()] == ["big", "b-small", "c-small", "old", "undated"]
    assert [s.id for s in store.stories(limit=2, offset=1)] == ["b-small", "c-small"]
    assert [s.id for s in store.stories(limit=0)] == []


def test_replace_stories_replaces_all(store: ArticleStore) -> None:
    store.add_articles([make_article("a1"), make_article("a2")])
    store.replace_stories([make_story("s1", ["a1"]), make_story("s2", ["a2"])])
    store.replace_stories([make_story("s3", ["a1", "a2"])])
    assert [s.id for s in store.stories()] == ["s3"]
    assert store.stories_for_article("a1") == ["s3"]


def test_failed_replace_keeps_previous_stories(store: ArticleStore) -> None:
    store.add_articles([make_article("a1")])
    store.replace_stories([make_story("s1", ["a1"])])
    with pytest.raises(StoreError, match="'s2' appears twice"):
        store.replace_stories([make_story("s2", ["a1"]), make_story("s2", ["a1"])])
    with pytest.raises(StoreError, match="'s3' cites articles the store does not hold"):
        store.replace_stories([make_story("s3", ["nope"])])
    assert [s.id for s in store.stories()] == ["s1"]


def test_a_checkpoint_is_saved_with_the_stories_and_dropped_with_them(store: ArticleStore) -> None:
    store.add_articles([make_article("a1"), make_article("a2")])
    assert store.checkpoint("stories.online") is None
    store.replace_stories([make_story("s1", ["a1"])], Checkpoint("stories.online", "m.v1", b"\x00state\xff"))
    saved = store.checkpoint("stories.online")
    assert saved is not None and (saved.method, saved.data) == ("m.v1", b"\x00state\xff") and saved.version
    store.replace_stories([make_story("s2", ["a1", "a2"])])  # stories made without a state: the old one is stale
    assert store.checkpoint("stories.online") is None


def test_put_stories_replaces_those_ids_only_and_refuses_a_stale_checkpoint(store: ArticleStore) -> None:
    store.add_articles([make_article(f"a{i}") for i in range(4)])
    store.replace_stories(
        [make_story("s1", ["a0"]), make_story("s2", ["a1"])], Checkpoint("stories.online", "m.v1", b"one")
    )
    read = store.checkpoint("stories.online")
    assert read is not None
    store.put_stories([make_story("s2", ["a1", "a2"]), make_story("s3", ["a3"])], replace(read, data=b"two"))
    assert sorted((s.id, tuple(s.article_ids)) for s in store.stories()) == [
        ("s1", ("a0",)),
        ("s2", ("a1", "a2")),
        ("s3", ("a3",)),
    ]
    assert store.stories_for_article("a2") == ["s2"]
    after = store.checkpoint("stories.online")
    assert after is not None and after.data == b"two" and after.version != read.version
    with pytest.raises(StaleCheckpointError, match="another writer"):  # written from the state read before
        store.put_stories([make_story("s4", ["a0"])], replace(read, data=b"three"))
    assert store.checkpoint("stories.online") == after
    assert {s.id for s in store.stories()} == {"s1", "s2", "s3"}


def test_originals_outside_stories_are_the_articles_no_story_holds(store: ArticleStore) -> None:
    store.add_articles([make_article(f"a{i}", published=date(2023, 7, 3 - i % 2)) for i in range(4)])
    store.add_articles([make_article("undated")])
    store.replace_stories([make_story("s1", ["a0", "a2"])])
    assert [a.id for a in store.originals(outside_stories=True)] == ["a1", "a3", "undated"]
    assert len(list(store.originals())) == 5


def test_unknown_story_names_id_and_how_to_list(store: ArticleStore) -> None:
    with pytest.raises(UnknownStoryError, match=r"'s404'.*parallax stories"):
        store.story("s404")


def test_negative_paging_is_rejected(store: ArticleStore) -> None:
    with pytest.raises(ValueError, match="0 or more"):
        store.stories(limit=-1)


# Runs


def test_runs_keep_reports_in_order(store: ArticleStore) -> None:
    first = store.add_run("ingest examples", {"stage": "read", "seen": 5, "dropped": {"empty": 1}})
    second = store.add_run("stories", {"stage": "stories", "kept": 2})
    assert first < second
    runs = store.runs()
    assert [(r["id"], r["command"], r["report"]) for r in runs] == [
        (first, "ingest examples", {"stage": "read", "seen": 5, "dropped": {"empty": 1}}),
        (second, "stories", {"stage": "stories", "kept": 2}),
    ]


# Properties

optional_text = st.none() | st.text(max_size=30)


@st.composite
def articles(draw: st.DrawFn) -> Article:
    raw_hash = draw(st.text("0123456789abcdef", min_size=64, max_size=64))
    return Article(
        id=article_id_for(raw_hash),
        source=draw(st.text(min_size=1, max_size=40)),
        raw_hash=raw_hash,
        raw_text=draw(st.text(max_size=200)),
        text=draw(st.text(max_size=200)),
        title=draw(optional_text),
        outlet=draw(optional_text),
        url=draw(optional_text),
        published=draw(st.none() | st.dates()),
        language=draw(st.none() | st.sampled_from(["en", "fr", "ru"])),
        agencies=draw(st.lists(st.text(max_size=10), max_size=3)),
        removed_lines=draw(st.lists(st.builds(RemovedLine, st.integers(0, 500), st.text(), st.text()), max_size=3)),
        sentences=draw(st.lists(st.builds(Sentence, st.integers(0, 99), st.integers(0, 99), st.text()), max_size=3)),
        provenance=draw(st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=3)),
        duplicate_of=draw(optional_text),
    )


batches = st.lists(articles(), max_size=8, unique_by=lambda a: a.id)


@ONE_STORE_FOR_ALL_EXAMPLES
@given(batch=batches)
def test_articles_round_trip_unchanged(store_target: str, batch: list[Article]) -> None:
    with open_store(emptied(store_target)) as store:
        store.add_articles(batch)
        stored = {a.id: article_to_dict(a, include_raw=True) for a in store.articles()}
        assert stored == {a.id: article_to_dict(a, include_raw=True) for a in batch}
        for article in batch:
            found = store.article(article.id)
            assert found is not None
            assert article_to_dict(found, include_raw=True) == article_to_dict(article, include_raw=True)


@ONE_STORE_FOR_ALL_EXAMPLES
@given(batch=batches)
def test_adding_a_batch_twice_adds_nothing_the_second_time(store_target: str, batch: list[Article]) -> None:
    with open_store(emptied(store_target)) as store:
        first = store.add_articles(batch)
        second = store.add_articles(batch)
        assert (first.added, first.existing) == (len(batch), 0)
        assert second == AddResult(added=0, existing=len(batch), added_ids=[])
        assert store.article_count() == len(batch)


# Concurrency


def test_two_stores_on_one_database_interleave_writes(store_target: str) -> None:
    with open_store(store_target) as first, open_store(store_target) as second:
        for i in range(10):
            first.add_articles([make_article(f"first-{i}")])
            second.add_articles([make_article(f"second-{i}")])
            second.add_rejects([DroppedItem(f"bad-{i}.txt", "empty")])
        assert first.article_count() == second.article_count() == 20
        assert len(first.rejects()) == 10


def test_concurrent_writers_lose_nothing(store_target: str) -> None:
    def write(prefix: str) -> int:
        with open_store(store_target) as store:
            return sum(store.add_articles([make_article(f"{prefix}-{i}")]).added for i in range(30))

    with ThreadPoolExecutor(max_workers=2) as pool:
        added = list(pool.map(write, ["left", "right"]))
    assert added == [30, 30]
    with open_store(store_target) as store:
        assert store.article_count() == 60


def test_concurrent_overlapping_batches_store_each_article_once(store_target: str) -> None:
    # Each writer adds the same 40 ids in its own order: every id is new to exactly one of them.
    ids = [f"a{i:02d}" for i in range(40)]

    def write(order: list[str]) -> list[str]:
        with open_store(store_target) as store:
            added: list[str] = []
            for start in range(0, len(order), 8):
                added += store.add_articles([make_article(i) for i in order[start : start + 8]]).added_ids
            return added

    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(write, [ids, ids[::-1]])
    assert sorted(first + second) == ids
    with open_store(store_target) as store:
        assert store.article_count() == 40


def test_concurrent_story_replacements_leave_one_whole_set(store_target: str) -> None:
    with open_store(store_target) as store:
        store.add_articles([make_article(f"a{i}") for i in range(6)])

    def replace(prefix: str) -> None:
        with open_store(store_target) as store:
            for _ in range(15):
                store.replace_stories([make_story(f"{prefix}{i}", [f"a{i}", f"a{i + 3}"]) for i in range(3)])

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(replace, ["left-", "right-"]))
    with open_store(store_target) as store:
        ids = sorted(s.id for s in store.stories())
        assert ids in (["left-0", "left-1", "left-2"], ["right-0", "right-1", "right-2"])
        assert len(store.stories_for_article("a0")) == 1


def test_story_outlines_are_the_stories_without_their_analysis(store: ArticleStore) -> None:
    store.add_articles([make_article("a1"), make_article("a2")])
    story = make_story("s1", ["a2", "a1"], date(2023, 7, 2))
    story.facts = [Fact("Rain fell.", ["a1", "a2"], ["X", "Y"], [FactEvidence("a1", 0, "Rain fell.")])]
    story.summary = [SummarySentence("Rain fell.", ("a1", "a2"))]
    story.storyline = Storyline("l-1", ["s0", "s1"])
    store.replace_stories([story, make_story("s0", ["a1"])])
    outlines = store.story_outlines()
    assert [s.id for s in outlines] == ["s0", "s1"]
    assert outlines[1] == replace(story, facts=[], summary=[])  # members in the story's order, storyline kept
    assert outlines[0].storyline is None
