"""The clean stage: debris lines go, each kept with its rule; Markdown becomes text; cleaning is idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.clean import Clean, CleanOptions, clean_text
from parallax.model import Article

EXPECTED_REMOVALS = {
    "000_e5cb13d625674f2a": [
        ("Azerbaijan Russia has not done its part in the Nagorno Karabakh", "duplicate_line"),
        ("Sources: AFP, STT", "credit_line"),
        ("yl-01", "site_marker"),
    ],
    "001_ecd846f94dc169c2": [
        ("AFP", "photo_credit"),
        ("Read More", "read_more"),
        ("Azerbaijan, Armenia hold renewed peace talks in Brussels", "related_link"),
        ("Baku won't accept any conditions that undermine its sovereignty: Azerbaijan", "related_link"),
        ("Route 6", "site_marker"),
    ],
    "002_6cfdf39758437414": [
        ("By [AFP](#)", "byline"),
        ("July 16, 2023", "dateline"),
        ("Valery Sharifulin/TASS", "photo_credit"),
        ("**Related article: [Armenia, Azerbaijan Optimistic on Normalization at Moscow Talks](#)**", "related_link"),
        ("Original url:", "original_url"),
    ],
    "003_6efac99d9a88112b": [
        ("Abone Ol", "subscribe_button"),
        ("Related Articles", "related_heading"),
        ("Back to top button", "back_to_top"),
        ("Russia accuses Armenia of spoiling peace talks with Azerbaijan", "duplicate_line"),
    ],
    "004_f982996cea3e33e0": [("Source : AA", "credit_line")],
}


def read(example_dir: Path, stem: str) -> str:
    return (example_dir / f"{stem}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("stem", sorted(EXPECTED_REMOVALS))
def test_example_debris_is_removed_with_its_rule(example_dir: Path, stem: str) -> None:
    result = clean_text(read(example_dir, stem))
    removed = {(line.text.strip().replace("\u00a0", ""), line.rule) for line in result.removed}
    kept = {line.strip() for line in result.text.splitlines()}
    for text, rule in EXPECTED_REMOVALS[stem]:
        assert (text, rule) in removed
        assert text not in kept


def test_removed_lines_point_at_their_line_in_the_input(example_dir: Path) -> None:
    raw = read(example_dir, "001_ecd846f94dc169c2")
    lines = raw.split("\n")
    for removed in clean_text(raw).removed:
        assert lines[removed.line_no - 1] == removed.text


def test_duplicated_caption_goes_and_body_stays(example_dir: Path) -> None:
    result = clean_text(read(example_dir, "001_ecd846f94dc169c2"))
    captions = [line for line in result.removed if line.text.startswith("A view of an Azerbaijani checkpoint")]
    assert len(captions) == 2
    assert "Aliyev-Pashinyan meeting" in result.text  # a subheading in the body is not debris
    assert result.text.startswith("Azerbaijan says Russia not fulfilling Karabakh truce deal obligations\n")


def test_markdown_becomes_plain_text(example_dir: Path) -> None:
    text = clean_text(read(example_dir, "002_6cfdf39758437414")).text
    assert text.startswith("Azerbaijan Says Russia Not Fulfilling Karabakh Ceasefire Deal Obligations\n")
    for mark in ("# ", "**", "](", "<https"):
        assert mark not in text


def test_header_label_and_title_suffix_line(example_dir: Path) -> None:
    result = clean_text(read(example_dir, "003_6efac99d9a88112b"))
    assert ("Defence NewsÖne Çıkan", "header_label") in {(r.text, r.rule) for r in result.removed}
    assert result.text.split("\n")[0] == "Russia accuses Armenia of spoiling peace talks with Azerbaijan - M5 Dergi"


def test_sentences_that_look_like_labels_are_kept() -> None:
    text = (
        "Storm hits coast\n\nBy the end of the day, thousands had left their homes.\n\n"
        "Sources say the damage is severe.\n\nPhoto: the harbour was closed for two days, officials said."
    )
    result = clean_text(text)
    assert result.removed == []
    assert result.text == text


def test_short_lines_after_an_opening_sentence_are_not_header_labels() -> None:
    text = "Rain flooded the town on Monday.\nRescue teams\nThey evacuated four hundred residents."
    assert clean_text(text).text == text


def test_a_list_of_headlines_is_not_eaten() -> None:
    text = "Floods in the north\nElection results due\nMarkets close higher"
    assert clean_text(text).text == text


def test_whitespace_is_normalised() -> None:
    result = clean_text("Title here\r\n\r\n\r\n\r\nA\u00a0first  sentence\u200b here.\r\n\n\n")
    assert result.text == "Title here\n\nA first sentence here."


def test_markdown_can_be_forced_off() -> None:
    assert clean_text("**Bold** claim here.", CleanOptions(markdown="never")).text == "**Bold** claim here."
    assert clean_text("**Bold** claim here.").text == "Bold claim here."
    with pytest.raises(ValueError, match="markdown"):
        CleanOptions(markdown="sometimes")


def test_stage_drops_an_article_of_debris_only_and_counts_rules() -> None:
    debris = Article(id="a", source="a.txt", raw_hash="h", raw_text="", text="Read More\nAbone Ol\nBack to top")
    good = Article(id="b", source="b.txt", raw_hash="g", raw_text="", text="Title\n\nOne sentence.\n\nRead More")
    stage = Clean()
    out = list(stage([debris, good]))
    assert [a.id for a in out] == ["b"]
    assert stage.report.dropped == {"empty_after_cleaning": 1}
    assert stage.report.counts["read_more"] == 1  # a dropped article's lines are in its drop, not here
    assert [r.rule for r in out[0].removed_lines] == ["read_more"]


def test_huge_and_hostile_lines_are_handled() -> None:
    hostile = "<script>alert(1)</script> " * 20000 + "end."
    assert clean_text(hostile).text == hostile.strip()
    nested = "*" * 5000 + "x" + "*" * 5000
    assert isinstance(clean_text(nested).text, str)


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("© 2023 The Moscow Times. All rights reserved.", "copyright_line"),
        ("Copyright 2023 The Associated Press. All rights reserved.", "copyright_line"),
        ("Published: 16.07.2023 10:30", "published_line"),
        ("Updated July 17, 2023 | Published July 16, 2023", "published_line"),
        ("Author: Jane Doe", "byline"),
        ("Written by Jane Doe", "byline"),
        ("With reporting by AFP.", "credit_line"),
        ("Contributing: Associated Press", "credit_line"),
        ("— Reporting by John Smith; Editing by Jane Doe", "credit_line"),
        ("The Associated Press contributed to this report.", "credit_line"),
        ("(Getty Images)", "photo_credit"),
        ("Protesters in Baku on Sunday. (Getty Images)", "photo_caption"),
        ("Protesters in Baku on Sunday. (AP Photo/Aziz Karimov)", "photo_caption"),
        ("Protesters in Baku on Sunday (Photo: AFP)", "photo_caption"),
    ],
)
def test_debris_line_is_removed_with_its_rule(line: str, rule: str) -> None:
    result = clean_text(f"Talks resume\n\nOfficials met on Sunday.\n\n{line}\n\nThey will meet again.")
    assert [(r.text, r.rule) for r in result.removed] == [(line, rule)]


@pytest.mark.parametrize(
    "line",
    [
        "Updated figures show that 300 people died.",
        "Published reports say the talks failed.",
        "Copyright law was changed in 2019.",
        "By then, AFP had left the city.",
        "With reporting from the front, she won a prize.",
        "The talks, according to AFP, failed.",
        "By Monday night, she said she had the votes necessary",
        "by the end of the day the roads were closed",
    ],
)
def test_sentences_that_start_like_debris_are_kept(line: str) -> None:
    text = f"Talks resume\n\nOfficials met on Sunday.\n\n{line}\n\nThey will meet again."
    assert clean_text(text).removed == []


def test_a_caption_pasted_twice_and_its_credit_go_with_the_caption_rule() -> None:
    caption = "A view of the checkpoint. / File Photo: AFP"
    result = clean_text(f"Headline here\n\nA first sentence.\n\n{caption}\nAFP\n\n{caption}\n\nA second sentence.")
    assert [r.rule for r in result.removed] == ["photo_caption", "photo_credit", "photo_caption"]


def test_a_read_more_button_pasted_twice_takes_the_headline_after_it() -> None:
    result = clean_text(
        "Headline here\n\nA first sentence.\n\nRead More\nRead More\n\nOther story title\n\nA second one."
    )
    assert [(r.text, r.rule) for r in result.removed] == [
        ("Read More", "read_more"), ("Read More", "read_more"), ("Other story title", "related_link"),
    ]  # fmt: skip


def test_a_short_line_after_the_last_sentence_is_a_site_marker() -> None:
    result = clean_text("Headline here\n\nA first sentence.\n\nRead More\nOther story title\n\nRoute 6")
    assert ("Route 6", "site_marker") in [(r.text, r.rule) for r in result.removed]


def test_a_closing_sentence_is_not_a_site_marker() -> None:
    text = "Headline here\n\nA first sentence.\n\nThe end came at 6."
    assert clean_text(text).removed == []


debris_lines = st.sampled_from(
    ["Read More", "Abone Ol", "Back to top button", "Related Articles", "yl-01", "Sources: AFP", "AFP",
     "July 16, 2023", "By [AFP](#)", "# Heading", "**Related article: [x](#)**", "Original url:", "<https://x.org/a>",
     "© 2023 Example", "Published: 16.07.2023", "(Getty Images)", "Author: Jane Doe", "AFP contributed to this report."]
)  # fmt: skip
sentences = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd", "Zs", "Po")), max_size=60)
lines = st.lists(st.one_of(debris_lines, sentences, sentences.map(lambda s: s + ".")), max_size=25)


@settings(max_examples=200, deadline=None)
@given(lines)
def test_cleaning_is_idempotent(parts: list[str]) -> None:
    once = clean_text("\n".join(parts))
    twice = clean_text(once.text)
    assert twice.text == once.text
    assert twice.removed == []


@settings(max_examples=200, deadline=None)
@given(lines, st.sets(st.sampled_from(["Abone Ol", "Read More", "yl-01", "Story continued below", "A B."])))
def test_cleaning_with_template_lines_is_idempotent(parts: list[str], templates: set[str]) -> None:
    def is_template(line: str) -> bool:
        return line in templates

    once = clean_text("\n".join(parts), is_template=is_template)
    twice = clean_text(once.text, is_template=is_template)
    assert twice.text == once.text
    assert twice.removed == []
