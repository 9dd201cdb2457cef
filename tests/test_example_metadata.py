"""The bundled example, read → clean → extract: each report's metadata and debris, written by hand from the files.

What the five files say about themselves (read whole, July 2023 except 003):
- 000 (Yle, machine-translated): a headline, its truncated copy, "Sources: AFP, STT" and the marker "yl-01"; no
  date (only "On Tuesday", "On Friday") and nothing naming the publisher ("yl-01" is in no registry; the credited
  agencies supplied the copy).
- 001 (TRT World): a caption pasted twice with its "AFP" credit, two "Read More" pairs each with a linked headline,
  and "Route 6" after the last one; no date ("on Sunday") and no publisher named anywhere.
- 002 (The Moscow Times, AFP copy): "By [AFP](#)", "July 16, 2023", "Valery Sharifulin/TASS", a related-article
  link and an "Original url:" footer on themoscowtimes.com.
- 003 (M5 Dergi, January 2023): a "... - M5 Dergi" headline, a section label, the headline again, three
  "Abone Ol" buttons, "Related Articles", "Back to top button"; no date ("on Thursday", "late December").
- 004 (Anadolu Agency): no headline, running text from the first line, "Source : AA" at the end; no date ("on
  Saturday"); the credit says who supplied the copy, and nothing else names the publisher.

So the outlets of 000, 001 and 004 come from the folder's `.parallax-metadata.json` (what the corpus's curator
knows), and without it they stay unknown rather than guessed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from parallax.boilerplate import learn_template_lines
from parallax.clean import Clean
from parallax.extract import Extract
from parallax.model import Article
from parallax.read import Reader

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "karabakh-2023"
CAPTION = "A view of an Azerbaijani checkpoint recently set up at the entry of the Lachin corridor. / File Photo: AFP"

DEBRIS = {
    "000": [
        (3, "Azerbaijan Russia has not done its part in the Nagorno Karabakh", "duplicate_line"),
        (35, "Sources: AFP, STT", "credit_line"),
        (37, "yl-01", "site_marker"),
    ],
    "001": [
        (5, CAPTION, "photo_caption"),
        (6, "AFP", "photo_credit"),
        (8, CAPTION, "photo_caption"),
        (18, "Read More", "read_more"),
        (19, "Read More", "read_more"),
        (21, "Azerbaijan, Armenia hold renewed peace talks in Brussels", "related_link"),
        (37, "Read More", "read_more"),
        (38, "Read More", "read_more"),
        (40, "Baku won't accept any conditions that undermine its sovereignty: Azerbaijan", "related_link"),
        (42, "Route 6", "site_marker"),
    ],
    "002": [
        (5, "By [AFP](#)", "byline"),
        (7, "July 16, 2023", "dateline"),
        (11, "Valery Sharifulin/TASS", "photo_credit"),
        (21, "**Related article: [Armenia, Azerbaijan Optimistic on Normalization at Moscow Talks](#)**",
             "related_link"),
        (37, "Original url:", "original_url"),
        (39, "<https://www.themoscowtimes.com/2023/07/16/azerbaijan-says-russia-not-fulfilling-karabakh-ceasefire-deal-"
             "obligations-a81856>", "original_url"),
    ],
    "003": [
        (2, "Defence NewsÖne Çıkan", "header_label"),
        (4, "Russia accuses Armenia of spoiling peace talks with Azerbaijan", "duplicate_line"),
        (6, "Abone Ol", "subscribe_button"),
        (40, "Abone Ol", "subscribe_button"),
        (42, "Related Articles", "related_heading"),
        (44, "Abone Ol", "subscribe_button"),
        (45, "Back to top button", "back_to_top"),
    ],
    "004": [(13, "Source : AA", "credit_line")],
}  # fmt: skip

METADATA = {
    # stem: (title, outlet, outlet provenance, published, agencies, photo credits)
    "000": ("Azerbaijan: Russia has not done its part in the Nagorno-Karabakh ceasefire agreement", "Yle", "sidecar",
            None, ["AFP", "STT"], []),
    "001": ("Azerbaijan says Russia not fulfilling Karabakh truce deal obligations", "TRT World", "sidecar", None, [],
            ["AFP"]),
    "002": ("Azerbaijan Says Russia Not Fulfilling Karabakh Ceasefire Deal Obligations", "The Moscow Times",
            "url_registry", date(2023, 7, 16), ["AFP"], ["TASS"]),
    "003": ("Russia accuses Armenia of spoiling peace talks with Azerbaijan", "M5 Dergi", "title_suffix", None, [], []),
    "004": (None, "Anadolu Agency", "sidecar", None, ["AA"], []),
}  # fmt: skip


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    return {Path(a.source).stem[:3]: a for a in Extract()(Clean()(Reader([EXAMPLE])))}


@pytest.mark.parametrize("stem", sorted(METADATA))
def test_title_outlet_date_and_credits(articles: dict[str, Article], stem: str) -> None:
    title, outlet, outlet_source, published, agencies, photo_credits = METADATA[stem]
    article = articles[stem]
    assert article.title == title
    assert article.outlet == outlet
    assert article.provenance.get("outlet") == outlet_source
    assert article.published == published
    assert article.agencies == agencies
    assert article.photo_credits == photo_credits
    assert article.byline is None  # no file names a person as its author
    assert article.language == "en"


def test_without_the_folder_metadata_unnamed_publishers_stay_unknown(tmp_path: Path) -> None:
    for path in EXAMPLE.glob("*.txt"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    outlets = {Path(a.source).stem[:3]: a.outlet for a in Extract()(Clean()(Reader([tmp_path])))}
    assert outlets == {"000": None, "001": None, "002": "The Moscow Times", "003": "M5 Dergi", "004": None}


def test_where_the_moscow_times_report_dates_and_links_itself(articles: dict[str, Article]) -> None:
    moscow = articles["002"]
    assert moscow.provenance["published"] == "dateline"
    assert moscow.url == (
        "https://www.themoscowtimes.com/2023/07/16/azerbaijan-says-russia-not-fulfilling-karabakh-ceasefire-deal-"
        "obligations-a81856"
    )
    assert moscow.provenance["agencies"] == "credit_line"
    assert moscow.provenance["photo_credits"] == "photo_credit"


@pytest.mark.parametrize("stem", sorted(DEBRIS))
def test_each_file_loses_exactly_its_debris_with_its_rule(articles: dict[str, Article], stem: str) -> None:
    article = articles[stem]
    removed = [(r.line_no, r.text.replace("\u00a0", "").strip(), r.rule) for r in article.removed_lines]
    assert removed == DEBRIS[stem]
    kept = {line.strip() for line in article.text.splitlines()}
    for line_no, _, _ in DEBRIS[stem]:
        assert article.raw_text.split("\n")[line_no - 1].replace("\u00a0", "").strip() not in kept


def test_the_headline_copy_of_003_goes_but_the_headline_stays(articles: dict[str, Article]) -> None:
    first = articles["003"].text.split("\n")[0]
    assert first == "Russia accuses Armenia of spoiling peace talks with Azerbaijan - M5 Dergi"


def test_a_subheading_in_the_body_of_001_is_not_debris(articles: dict[str, Article]) -> None:
    assert "\nAliyev-Pashinyan meeting\n" in articles["001"].text


def test_learning_on_the_example_finds_no_template_line() -> None:
    # Five outlets: no line but the fixed debris repeats, and nothing repeats in three files.
    templates = learn_template_lines(Reader([EXAMPLE]))
    assert templates.counts() == {
        f"folder:{EXAMPLE.as_posix()}": {"articles": 2, "templates": 0},  # 002 and 003 name no outlet on reading
        "outlet:anadolu agency": {"articles": 1, "templates": 0},
        "outlet:trt world": {"articles": 1, "templates": 0},
        "outlet:yle": {"articles": 1, "templates": 0},
    }
    cleaned = list(Clean(templates=templates)(Reader([EXAMPLE])))
    assert all(r.rule != "template_line" for a in cleaned for r in a.removed_lines)
