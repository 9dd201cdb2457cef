"""The extract stage: sentences with offsets, and metadata from the text and from the removed lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.clean import Clean
from parallax.extract import Extract, parse_date, split_sentences
from parallax.model import Article
from parallax.read import Reader
from parallax.stages import StageReport


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    example = Path(__file__).resolve().parent.parent / "examples" / "karabakh-2023"
    return {Path(a.source).stem[:3]: a for a in Extract()(Clean()(Reader([example])))}


def test_metadata_of_the_example(articles: dict[str, Article]) -> None:
    moscow = articles["002"]
    assert moscow.published == date(2023, 7, 16)
    assert moscow.url == (
        "https://www.themoscowtimes.com/2023/07/16/azerbaijan-says-russia-not-fulfilling-karabakh-ceasefire-deal-"
        "obligations-a81856"
    )
    assert moscow.outlet == "themoscowtimes.com"
    assert moscow.agencies == ["AFP"]
    assert moscow.photo_credits == ["TASS"]
    assert moscow.provenance["published"] == "dateline"
    assert articles["000"].agencies == ["AFP", "STT"]
    assert articles["004"].agencies == ["AA"]
    assert articles["001"].agencies == []  # a photo credit is not agency copy
    assert articles["001"].photo_credits == ["AFP"]


def test_titles_and_the_site_suffix(articles: dict[str, Article]) -> None:
    assert (
        articles["000"].title == "Azerbaijan: Russia has not done its part in the Nagorno-Karabakh ceasefire agreement"
    )
    assert articles["003"].title == "Russia accuses Armenia of spoiling peace talks with Azerbaijan"
    assert articles["003"].outlet == "M5 Dergi"
    assert articles["003"].provenance["outlet"] == "title_suffix"
    assert articles["004"].title is None  # its first line is a sentence, not a headline


def test_sentences_have_exact_offsets(articles: dict[str, Article]) -> None:
    for article in articles.values():
        assert article.language == "en"
        assert len(article.sentences) >= 10
        for sentence in article.sentences:
            assert article.text[sentence.start : sentence.end] == sentence.text


def test_fields_set_by_a_reader_are_kept() -> None:
    article = Article(
        id="a", source="a.jsonl#L1", raw_hash="h", raw_text="", text="Headline - Site\n\nA first sentence here.",
        title="Reader title", outlet="Reader outlet", published=date(2020, 1, 2), language="de",
    )  # fmt: skip
    out = Extract().process(article)
    assert (out.title, out.outlet, out.published, out.language) == (
        "Reader title", "Reader outlet", date(2020, 1, 2), "de",
    )  # fmt: skip


def test_article_without_sentences_is_dropped() -> None:
    stage = Extract()
    empty = Article(id="a", source="a.txt", raw_hash="h", raw_text="", text="   \n\n  ")
    assert list(stage([empty])) == []
    assert stage.report.dropped == {"no_sentences": 1}
    assert isinstance(stage.report, StageReport)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("July 16, 2023", date(2023, 7, 16)),
        ("16 July 2023", date(2023, 7, 16)),
        ("Sunday, Jul. 16, 2023 10:30 GMT", date(2023, 7, 16)),
        ("Sept 3, 2021", date(2021, 9, 3)),
        ("2023-07-16", date(2023, 7, 16)),
        ("February 30, 2023", None),
        ("Route 6", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_headlines_and_paragraphs_never_merge() -> None:
    text = "Storm hits coast\nThousands fled. Roads closed!\n\nDr. Smith said it was over."
    assert [s.text for s in split_sentences(text)] == [
        "Storm hits coast", "Thousands fled.", "Roads closed!", "Dr. Smith said it was over.",
    ]  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_sentence_offsets_hold_for_any_text(text: str) -> None:
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text.strip() == sentence.text
