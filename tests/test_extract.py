"""The extract stage: sentences with offsets, and metadata from the text and from the removed lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.clean import Clean
from parallax.extract import Extract, ExtractOptions, parse_byline, parse_date, split_sentences
from parallax.model import Article
from parallax.outlets import Outlet, OutletRegistry
from parallax.read import Reader
from parallax.sentences import SentenceOptions
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
    assert moscow.outlet == "The Moscow Times"
    assert moscow.provenance["outlet"] == "url_registry"
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


def test_sentences_can_be_split_by_pysbd() -> None:
    text = "Mr. Smith left. He came back."
    article = Article(id="a", source="a.txt", raw_hash="h", raw_text=text, text=text, language="en")
    stage = Extract(ExtractOptions(sentences=SentenceOptions(method="pysbd")))
    assert [s.text for s in stage.process(article).sentences] == ["Mr. Smith left.", "He came back."]


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


@pytest.fixture(scope="module")
def extract() -> Extract:
    return Extract()


def extracted(extract: Extract, text: str, **fields: object) -> Article:
    """`text` read as a plain-text file (with reader fields such as url or outlet), cleaned and extracted."""
    article = Article(id="a", source="in/a.txt", raw_hash="h", raw_text=text, text=text)
    for name, value in fields.items():
        setattr(article, name, value)
        article.provenance[name] = "record"
    return extract.process(Clean().process(article))


BODY = "Officials met in the capital on Sunday.\n\nThey agreed to meet again."


def test_outlet_from_the_reader_is_put_in_registry_words(extract: Extract) -> None:
    article = extracted(extract, f"Talks resume\n\n{BODY}", outlet="Anadolu Ajansı")
    assert (article.outlet, article.provenance["outlet"]) == ("Anadolu Agency", "record")


def test_outlet_from_a_reader_host_is_put_in_registry_words(extract: Extract) -> None:
    assert extracted(extract, f"Talks resume\n\n{BODY}", outlet="aa.com.tr").outlet == "Anadolu Agency"


def test_outlet_from_a_known_url_domain(extract: Extract) -> None:
    article = extracted(extract, f"Talks resume\n\n{BODY}", url="https://edition.cnn.com/2023/07/16/talks")
    assert (article.outlet, article.provenance["outlet"]) == ("CNN", "url_registry")


def test_outlet_from_an_unknown_url_is_its_host(extract: Extract) -> None:
    article = extracted(extract, f"Talks resume\n\n{BODY}", url="https://www.example-daily.net/a/1")
    assert (article.outlet, article.provenance["outlet"]) == ("example-daily.net", "url_host")


def test_outlet_from_a_title_suffix_is_canonical_and_leaves_the_title(extract: Extract) -> None:
    article = extracted(extract, f"Talks resume in Brussels - Hurriyet Daily News\n\n{BODY}")
    assert (article.outlet, article.provenance["outlet"]) == ("Hürriyet Daily News", "title_suffix")
    assert article.title == "Talks resume in Brussels"


def test_a_title_suffix_naming_the_url_outlet_is_cut_from_the_title(extract: Extract) -> None:
    article = extracted(extract, f"Talks resume in Brussels | Reuters\n\n{BODY}", url="https://www.reuters.com/x")
    assert (article.title, article.outlet, article.provenance["outlet"]) == (
        "Talks resume in Brussels", "Reuters", "url_registry",
    )  # fmt: skip


def test_a_lower_case_title_tail_is_not_an_outlet(extract: Extract) -> None:
    article = extracted(extract, f"Putin meets Erdogan - and nothing changes\n\n{BODY}")
    assert article.outlet is None
    assert article.title == "Putin meets Erdogan - and nothing changes"


def test_an_unknown_title_tail_is_not_taken_for_an_outlet(extract: Extract) -> None:
    article = extracted(extract, f"Trump fires his defence secretary - James Mattis\n\n{BODY}")
    assert article.outlet is None


def test_an_unknown_title_tail_that_is_the_url_host_is_the_outlet(extract: Extract) -> None:
    article = extracted(
        extract, f"Talks resume in Brussels - Example Daily\n\n{BODY}", url="https://exampledaily.org/a"
    )
    assert (article.outlet, article.provenance["outlet"], article.title) == (
        "Example Daily", "title_suffix", "Talks resume in Brussels",
    )  # fmt: skip


def test_outlet_from_a_copyright_footer(extract: Extract) -> None:
    article = extracted(extract, f"Talks resume\n\n{BODY}\n\n© 2023 The Moscow Times. All rights reserved.")
    assert (article.outlet, article.provenance["outlet"]) == ("The Moscow Times", "removed_line")


def test_a_copyright_footer_of_an_agency_is_a_credit_not_the_outlet(extract: Extract) -> None:
    text = f"Talks resume\n\n{BODY}\n\nCopyright 2023 The Associated Press. All rights reserved."
    article = extracted(extract, text)
    assert article.outlet is None
    assert article.agencies == ["AP"]


def test_outlet_from_a_registry_site_marker() -> None:
    registry = OutletRegistry([Outlet("Example Daily", ("example-daily.com",), markers=("ed-01",))])
    article = extracted(Extract(registry=registry), f"Talks resume\n\n{BODY}\n\nED-01")
    assert (article.outlet, article.provenance["outlet"]) == ("Example Daily", "removed_line")


def test_an_unknown_site_marker_names_no_outlet(extract: Extract) -> None:
    assert extracted(extract, f"Talks resume\n\n{BODY}\n\nzz-07").outlet is None


def test_an_agency_credit_alone_names_no_outlet(extract: Extract) -> None:
    article = extracted(extract, f"{BODY}\nSource : AA")
    assert (article.outlet, article.agencies) == (None, ["AA"])


def test_published_from_a_published_line(extract: Extract) -> None:
    article = extracted(extract, f"Talks resume\n\nPublished: 16.07.2023 10:30\n\n{BODY}")
    assert (article.published, article.provenance["published"]) == (date(2023, 7, 16), "published_line")


def test_published_from_a_line_with_both_dates_is_the_published_one(extract: Extract) -> None:
    article = extracted(extract, f"Talks resume\n\nUpdated: July 17, 2023 | Published: July 16, 2023\n\n{BODY}")
    assert (article.published, article.provenance["published"]) == (date(2023, 7, 16), "published_line")


def test_an_updated_line_alone_gives_the_date(extract: Extract) -> None:
    article = extracted(extract, f"Talks resume\n\nUpdated on 17 Temmuz 2023\n\n{BODY}")
    assert (article.published, article.provenance["published"]) == (date(2023, 7, 17), "updated_line")


def test_a_relative_date_line_gives_no_date(extract: Extract) -> None:
    article = extracted(extract, f"Talks resume\n\nUpdated 3 hours ago\n\n{BODY}")
    assert article.published is None


def test_reference_date_when_the_text_has_none() -> None:
    stage = Extract(ExtractOptions(reference_date=date(2023, 7, 18)))
    article = extracted(stage, f"Talks resume\n\n{BODY}")
    assert (article.published, article.provenance["published"]) == (date(2023, 7, 18), "reference_date")


def test_reference_date_does_not_override_a_dateline() -> None:
    stage = Extract(ExtractOptions(reference_date=date(2023, 7, 18)))
    assert extracted(stage, f"Talks resume\n\nJuly 16, 2023\n\n{BODY}").published == date(2023, 7, 16)


def test_extract_options_refuse_a_string_date() -> None:
    with pytest.raises(TypeError, match="reference_date"):
        ExtractOptions(reference_date="2023-07-16")  # type: ignore[arg-type]


def test_byline_of_one_person(extract: Extract) -> None:
    article = extracted(extract, f"Talks resume\n\nBy John Smith\n\n{BODY}")
    assert (article.byline, article.provenance["byline"], article.agencies) == ("John Smith", "byline_line", [])


def test_byline_of_two_people(extract: Extract) -> None:
    assert extracted(extract, f"Talks resume\nBy John Smith and Jane Doe\n{BODY}").byline == "John Smith and Jane Doe"


def test_author_line_is_a_byline(extract: Extract) -> None:
    assert extracted(extract, f"Talks resume\nAuthor: Ayşe Yılmaz\n{BODY}").byline == "Ayşe Yılmaz"


def test_byline_with_an_agency(extract: Extract) -> None:
    article = extracted(extract, f"Talks resume\nBy John Smith, Reuters\n{BODY}")
    assert (article.byline, article.agencies) == ("John Smith", ["Reuters"])


def test_byline_of_an_agency_only(extract: Extract) -> None:
    article = extracted(extract, f"Talks resume\nBy AFP\n{BODY}")
    assert (article.byline, article.agencies) == (None, ["AFP"])


@pytest.mark.parametrize(
    ("line", "people", "agencies"),
    [
        ("By [AFP](#)", [], ["AFP"]),
        ("By Jane Doe | AP", ["Jane Doe"], ["AP"]),
        ("By Reuters Staff", [], ["Reuters"]),
        ("By Our Correspondent", [], []),
        ("By JOHN SMITH and JANE DOE", ["JOHN SMITH", "JANE DOE"], []),
        ("By Ursula von der Leyen", ["Ursula von der Leyen"], []),
        ("By Hugh Schofield, BBC News, Paris", ["Hugh Schofield"], []),
        ("By Jane Doe, John Roe and Ann Poe", ["Jane Doe", "John Roe", "Ann Poe"], []),
        ("By Jane Doe, Reuters", ["Jane Doe"], ["Reuters"]),
    ],
)
def test_parse_byline(line: str, people: list[str], agencies: list[str]) -> None:
    assert parse_byline(line) == (people, agencies)


def test_sources_line_credits_agencies(extract: Extract) -> None:
    article = extracted(extract, f"Talks resume\n\n{BODY}\n\nSources: AFP, STT")
    assert (article.agencies, article.provenance["agencies"]) == (["AFP", "STT"], "credit_line")


def test_contributing_line_credits_an_agency(extract: Extract) -> None:
    assert extracted(extract, f"Talks resume\n\n{BODY}\n\nContributing: Associated Press").agencies == ["AP"]


def test_with_reporting_by_credits_an_agency(extract: Extract) -> None:
    assert extracted(extract, f"Talks resume\n\n{BODY}\n\nWith reporting by AFP.").agencies == ["AFP"]


def test_contributed_to_this_report_credits_an_agency(extract: Extract) -> None:
    text = f"Talks resume\n\n{BODY}\n\nThe Associated Press contributed to this report."
    assert extracted(extract, text).agencies == ["AP"]


@pytest.mark.parametrize("opening", ["WASHINGTON (Reuters) - ", "MOSCOW, July 16 (Reuters) - ", "(Reuters) - "])
def test_a_wire_dateline_credits_its_agency(extract: Extract, opening: str) -> None:
    article = extracted(extract, f"Talks resume\n\n{opening}{BODY}")
    assert (article.agencies, article.provenance["agencies"]) == (["Reuters"], "wire_dateline")


def test_a_wire_dateline_with_a_dash_credits_ap(extract: Extract) -> None:
    assert extracted(extract, f"Talks resume\n\nBAKU, Azerbaijan (AP) — {BODY}").agencies == ["AP"]


def test_an_agency_named_in_running_text_is_not_a_credit(extract: Extract) -> None:
    text = "Talks resume\n\nThe talks failed, according to AFP.\n\nA spokesman told Reuters (Reuters) - no."
    assert extracted(extract, text).agencies == []


def test_a_wire_dateline_deep_in_the_text_is_not_a_credit(extract: Extract) -> None:
    text = "Talks resume\n\nOne.\n\nTwo.\n\nThree.\n\nLONDON (Reuters) - Four."
    assert extracted(extract, text).agencies == []


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("Soldiers at a checkpoint. / File Photo: AFP", "AFP"),
        ("Valery Sharifulin/TASS", "TASS"),
        ("Photo: Reuters", "Reuters"),
        ("(Getty Images)", "Getty Images"),
        ("Protesters in Baku on Sunday. (Getty Images)", "Getty Images"),
        ("Protesters in Baku on Sunday. (AP Photo/Aziz Karimov)", "AP"),
        ("Photo by Jane Doe", "Jane Doe"),
        ("Senator Smith in Ohio. (Photo: Justin Sullivan, Getty Images)", "Getty Images"),
    ],
)
def test_photo_credits_are_kept_apart_from_agencies(extract: Extract, line: str, credit: str) -> None:
    article = extracted(extract, f"Talks resume\n\n{line}\n\n{BODY}")
    assert (article.photo_credits, article.agencies) == ([credit], [])
    assert article.provenance["photo_credits"] == "photo_credit"


def test_a_user_outlets_file_is_used(tmp_path: Path) -> None:
    path = tmp_path / "outlets.json"
    path.write_text('[{"name": "Example Daily", "domains": ["example-daily.net"]}]', encoding="utf-8")
    article = extracted(Extract(ExtractOptions(outlets_file=path)), BODY, url="https://example-daily.net/x")
    assert article.outlet == "Example Daily"


def test_extract_refuses_options_of_the_wrong_type() -> None:
    with pytest.raises(TypeError, match="ExtractOptions"):
        Extract({"reference_date": None})  # type: ignore[arg-type]
