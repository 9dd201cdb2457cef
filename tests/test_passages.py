"""Shared passages (`passages.seed_extend.v1`): hand-made pairs, the bundled example read by hand, invariants.

What 001 (TRT World) and 002 (The Moscow Times, "By AFP") share, read from the files, in 001's order:
- the headline, "Azerbaijan says Russia not fulfilling Karabakh [truce | Ceasefire] deal obligations" (8 words);
- the lead, "[Azerbaijan has] accused Russia [on Sunday] of failing to [fulfil | fulfill] its obligations under a 2020
  [Moscow-brokered] ceasefire agreement" (2 + 3 + 5 + 2 = 12 matched words);
- the ministry's quoted sentence with its attribution: "The Russian side did not ensure ... within the framework of
  its obligations," [Azerbaijan's Foreign Ministry said on Sunday | Baku's foreign ministry said], adding that Moscow
  "did nothing to prevent" Armenia's military supplies from reaching (17 quoted + 3 + 3 + 4 quoted + 5 = 32);
- "Azerbaijani President Ilham Aliyev and Armenian Prime Minister Nikol Pashinyan met in Brussels" (13);
- the peacekeepers sentence's clause "Lachin corridor, the sole land link between [Karabakh | the enclave] and
  Armenia" (7 + 2 = 9);
- "Baku and Yerevan have been [seeking | trying] to negotiate a peace [agreement | deal] with the help of the
  European Union and [the] United States, whose [growing] diplomatic engagement in the Caucasus has irked"
  (5 + 4 + 8 + 3 + 7 = 27);
- "[In a bid ...,] Moscow on Saturday offered to host the two countries' foreign ministers and suggested [the |
  their] future peace treaty could be signed in Moscow" (13 + 8 = 21).
001 also shares Anadolu's background paragraph ("Relations between the two former Soviet republics ... seven
adjacent regions"). 003 (January) shares no passage with any of them.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.clean import Clean
from parallax.extract import Extract
from parallax.model import Article
from parallax.passages import (
    METHOD,
    PassageOptions,
    SharedPassage,
    shared_passages,
    shared_passages_among,
)
from parallax.read import Reader

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "karabakh-2023"


def make_article(id_: str, text: str) -> Article:
    return Article(id=id_, source=f"{id_}.txt", raw_hash=id_ * 4, raw_text=text, text=text)


@pytest.fixture(scope="module")
def example() -> dict[str, Article]:
    return {Path(a.source).stem[:3]: a for a in Extract()(Clean()(Reader([EXAMPLE])))}


def span(text: str, start_words: str, end_words: str) -> tuple[int, int]:
    """Character span of `text` from the first `start_words` to the end of the next `end_words` after it."""
    start = text.index(start_words)
    return start, text.index(end_words, start) + len(end_words)


def assert_spans_are_texts(passage: SharedPassage, a: Article, b: Article) -> None:
    assert a.text[passage.a_start : passage.a_end] == passage.text_a
    assert b.text[passage.b_start : passage.b_end] == passage.text_b


# Hand-made pairs

PARAGRAPH = (
    "Rescue teams searched through the night for survivors buried under collapsed apartment blocks in the "
    "northern city, where officials said at least forty people had died"
)
EDITED = PARAGRAPH.replace("searched", "combed")


def test_a_copied_paragraph_with_one_word_changed_is_one_passage_spanning_it_in_both() -> None:
    a = make_article("a", f"Local desk opening line about the weather today.\n\n{PARAGRAPH}.\n\nOur own ending here.")
    b = make_article("b", f"{EDITED}, the agency reported.\n\nA different closing remark entirely.")
    match = shared_passages(a, b)
    assert len(match.passages) == 1
    passage = match.passages[0]
    assert (passage.a_start, passage.a_end) == (a.text.index(PARAGRAPH), a.text.index(PARAGRAPH) + len(PARAGRAPH))
    assert (passage.b_start, passage.b_end) == (0, len(EDITED))
    assert passage.text_a == PARAGRAPH
    assert passage.text_b == EDITED
    assert passage.words == len(PARAGRAPH.split()) - 1  # every word but the edited one
    assert not passage.quoted
    assert match.method == METHOD == "passages.seed_extend.v1"


DISPATCH = (
    "The central bank raised its main interest rate by half a point on Thursday, the largest increase in two "
    "decades, as inflation climbed to a record high for the third month running. Governor Maria Lindqvist said "
    "further rises could follow if energy prices kept pushing consumer costs upward. Economists had expected a "
    "smaller move after weak retail figures published earlier this week. Mortgage lenders began passing on the "
    "increase within hours, and several banks suspended new fixed rate offers. Opposition lawmakers accused the "
    "government of leaving households to carry the burden alone. The krona strengthened sharply against the euro "
    "after the announcement, while the stock market fell for a second day. Analysts said the decision showed the "
    "bank was determined to restore its credibility whatever the cost to growth."
)
COPIED = (
    "The central bank raised its main interest rate by half a point on Thursday, the largest increase in two "
    "decades, as inflation climbed to a record high for the third month running"
)
REWRITE = f"{COPIED}. Our readers will feel it."


def test_a_short_rewrite_of_a_long_dispatch_is_contained_on_the_short_side_only() -> None:
    long, short = make_article("long", DISPATCH), make_article("short", REWRITE)
    match = shared_passages(long, short)
    copied_words = len(COPIED.split())  # 30 plain words, "Thursday," and "decades," included
    assert [p.words for p in match.passages] == [copied_words]
    assert match.containment_b == pytest.approx(copied_words / len(REWRITE.split()))  # 30 / 35
    assert match.containment_a == pytest.approx(copied_words / len(DISPATCH.split()))
    assert match.containment_b > 0.8 > 0.3 > match.containment_a


@pytest.mark.parametrize(
    ("text_a", "text_b"),
    [
        # 10 words, but only "result" and "fact" are not common words
        (
            "As a result of the fact that it is not enough, farmers in the valley planted wheat again.",
            "Traffic was slow downtown as a result of the fact that it is not clear who closed the road.",
        ),
        # a name of 5 words: fewer than a passage needs
        (
            "Diplomats expect the United Nations Security Council to meet on Monday.",
            "The United Nations Security Council has not yet answered the letter sent by ministers.",
        ),
    ],
)
def test_texts_sharing_only_a_common_phrase_share_nothing(text_a: str, text_b: str) -> None:
    match = shared_passages(make_article("a", text_a), make_article("b", text_b))
    assert match.passages == ()
    assert (match.containment_a, match.containment_b) == (0.0, 0.0)


QUOTE = "we will not accept any conditions that undermine the sovereignty and territorial integrity of our country"


@pytest.mark.parametrize(("open_mark", "close_mark"), [('"', '"'), ("“", "”"), ("«", "»")])
def test_a_statement_both_outlets_quote_is_marked_quoted(open_mark: str, close_mark: str) -> None:
    a = make_article("a", f"The minister told reporters: {open_mark}{QUOTE.capitalize()},{close_mark} adding nothing.")
    b = make_article("b", f"Speaking on state television, the official said {open_mark}{QUOTE}{close_mark} twice.")
    match = shared_passages(a, b)
    assert len(match.passages) == 1
    passage = match.passages[0]
    assert passage.text_a == QUOTE.capitalize()
    assert passage.text_b == QUOTE
    assert passage.quoted
    assert passage.quoted_words == passage.words == len(QUOTE.split())
    assert match.unquoted_containment() == (0.0, 0.0)


def test_words_quoted_in_only_one_text_are_not_a_shared_quote() -> None:
    a = make_article("a", f'The minister said: "{QUOTE}."')
    b = make_article("b", f"The minister said {QUOTE}.")
    (passage,) = shared_passages(a, b).passages
    assert not passage.quoted
    assert passage.quoted_words == 0


def test_an_unclosed_quote_ends_at_the_paragraph() -> None:
    a = make_article("a", f'He began: "The talks failed.\n\n{PARAGRAPH}.')
    b = make_article("b", f'She said: "The talks failed.\n\n{PARAGRAPH}.')
    (passage,) = shared_passages(a, b).passages
    assert passage.text_a == PARAGRAPH  # a run never crosses the line break, and "the talks failed" is 3 words
    assert not passage.quoted


def test_a_phrase_repeated_in_one_text_is_matched_once() -> None:
    a = make_article("a", f"{PARAGRAPH}.\n\n{PARAGRAPH}.")
    b = make_article("b", f"{PARAGRAPH}.")
    match = shared_passages(a, b)
    assert len(match.passages) == 1
    assert match.containment_a == pytest.approx(0.5)
    assert match.containment_b == pytest.approx(1.0)


def test_passages_on_one_side_follow_the_text_of_that_side() -> None:
    second = DISPATCH.split(". ")[1]  # "Governor Maria Lindqvist said further rises ..."
    a = make_article("a", f"{PARAGRAPH}.\n\n{second}.")
    b = make_article("b", f"{second}.\n\n{PARAGRAPH}.")
    match = shared_passages(a, b)
    assert [p.text_a for p in match.passages] == [PARAGRAPH, second]
    assert [p.text_a for p in shared_passages(b, a).passages] == [second, PARAGRAPH]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("seed_words", 0, "seed_words must be at least 1"),
        ("min_words", 3, "min_words must be at least seed_words"),
        ("max_gap_words", -1, "max_gap_words must be 0 or more"),
        ("min_content_words", 99, "min_content_words must be in"),
        ("furniture_articles", -1, "furniture_articles must be 0"),
    ],
)
def test_options_out_of_range_are_refused_naming_the_setting(field: str, value: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PassageOptions(**{field: value})


def test_a_looser_min_words_finds_shorter_passages() -> None:
    a = make_article("a", "Crowds gathered in the main square on Friday evening.")
    b = make_article("b", "Police said crowds gathered in the main square to protest.")
    assert shared_passages(a, b).passages == ()  # 6 shared words
    (passage,) = shared_passages(a, b, PassageOptions(min_words=6)).passages
    assert passage.text_a == "Crowds gathered in the main square"
    assert passage.text_b == "crowds gathered in the main square"


FURNITURE = (
    "Sign up for our morning newsletter to receive the best stories of the day delivered to your inbox before "
    "breakfast every weekday"
)
STORIES = [
    "The harbour authority approved a new ferry timetable after months of complaints from island residents.",
    "A local bakery won the regional bread competition with a rye loaf baked to a century old recipe.",
    "Volunteers planted three thousand trees along the river bank to slow erosion before the spring floods.",
    "The city council delayed its vote on the stadium plan until an independent audit of the costs is done.",
]


def with_outlet(id_: str, text: str, outlet: str | None) -> Article:
    article = make_article(id_, text)
    article.outlet = outlet
    return article


def test_an_outlets_furniture_links_none_of_its_articles() -> None:
    articles = [with_outlet(f"x{n}", f"{story}\n\n{FURNITURE}.", "Outlet X") for n, story in enumerate(STORIES[:3])]
    assert shared_passages_among(articles) == []
    assert len(shared_passages_among(articles, options=PassageOptions(furniture_articles=0))) == 3  # rule off


def test_text_one_outlet_reruns_is_not_furniture_while_other_outlets_carry_it() -> None:
    outlets = ["Outlet X", "Outlet X", "Outlet X", "Outlet Y"]  # Outlet X holds 3 of 4: less than 0.8
    articles = [
        with_outlet(f"a{n}", f"{story}\n\n{FURNITURE}.", outlet)
        for n, (story, outlet) in enumerate(zip(STORIES, outlets, strict=True))
    ]
    assert len(shared_passages_among(articles)) == 6


def test_articles_of_unknown_outlet_are_never_one_outlets_furniture() -> None:
    articles = [with_outlet(f"u{n}", f"{story}\n\n{FURNITURE}.", None) for n, story in enumerate(STORIES[:3])]
    matches = shared_passages_among(articles)
    assert len(matches) == 3
    assert all(match.passages[0].text_a == FURNITURE for match in matches)


# The bundled example


def test_trt_world_and_the_moscow_times_share_the_afp_passages(example: dict[str, Article]) -> None:
    trt, moscow = example["001"], example["002"]
    match = shared_passages(trt, moscow)
    assert [(p.a_start, p.a_end) for p in match.passages] == [
        span(trt.text, "Azerbaijan says Russia", "deal obligations"),
        span(trt.text, "accused Russia of failing", "ceasefire agreement"),
        span(trt.text, "The Russian side did not ensure", "supplies from reaching"),
        span(trt.text, "Azerbaijani President Ilham Aliyev", "met in Brussels"),
        span(trt.text, "Lachin corridor, the sole land link", "and Armenia"),
        span(trt.text, "Baku and Yerevan have been seeking", "has irked"),
        span(trt.text, "Moscow on Saturday offered", "signed in Moscow"),
    ]
    assert [(p.b_start, p.b_end) for p in match.passages] == [
        span(moscow.text, "Azerbaijan Says Russia", "Deal Obligations"),
        span(moscow.text, "accused Russia on Sunday", "ceasefire agreement"),
        span(moscow.text, "The Russian side did not ensure", "supplies from reaching"),
        span(moscow.text, "Azerbaijani President Ilham Aliyev", "met in Brussels"),
        span(moscow.text, "Lachin Corridor, the sole land link", "and Armenia"),
        span(moscow.text, "Baku and Yerevan have been trying", "has irked"),
        span(moscow.text, "Moscow on Saturday offered", "signed in Moscow"),
    ]
    for passage in match.passages:
        assert_spans_are_texts(passage, trt, moscow)
    assert [p.words for p in match.passages] == [8, 12, 32, 13, 9, 27, 21]  # counted by hand: module docstring
    assert [p.quoted_words for p in match.passages] == [0, 0, 21, 0, 0, 0, 0]
    assert not any(p.quoted for p in match.passages)


def test_the_ministry_sentence_passage_reads_as_both_outlets_wrote_it(example: dict[str, Article]) -> None:
    ministry = shared_passages(example["001"], example["002"]).passages[2]
    assert ministry.text_a == (
        "The Russian side did not ensure full implementation of the agreement within the framework of its "
        'obligations," Azerbaijan\'s Foreign Ministry said on Sunday, adding that Moscow "did nothing to prevent" '
        "Armenia's military supplies from reaching"
    )
    assert ministry.text_b == (
        "The Russian side did not ensure full implementation of the agreement within the framework of its "
        'obligations," Baku\'s foreign ministry said, adding that Moscow "did nothing to prevent" '
        "Armenia's military supplies from reaching"
    )


def test_containment_of_the_afp_rerun_counts_the_matched_words(example: dict[str, Article]) -> None:
    match = shared_passages(example["001"], example["002"])
    shared, unquoted = 8 + 12 + 32 + 13 + 9 + 27 + 21, 122 - 21
    assert match.containment_a == pytest.approx(shared / match.a_words)
    assert match.containment_b == pytest.approx(shared / match.b_words)
    assert match.unquoted_containment() == (
        pytest.approx(unquoted / match.a_words),
        pytest.approx(unquoted / match.b_words),
    )
    for article, words in ((example["001"], match.a_words), (example["002"], match.b_words)):
        assert 0.9 < words / len(article.text.split()) < 1.1  # word tokens, near the whitespace count


def test_trt_world_shares_one_background_paragraph_with_anadolu(example: dict[str, Article]) -> None:
    trt, anadolu = example["001"], example["004"]
    (passage,) = shared_passages(trt, anadolu).passages
    assert (passage.a_start, passage.a_end) == span(trt.text, "Relations between the two", "seven adjacent regions")
    assert (passage.b_start, passage.b_end) == span(anadolu.text, "Relations between the two", "seven adjacent regions")
    assert passage.words == 17 + 2 + 8  # "... military occupied", then "Karabakh" and "internationally", "as part ..."


def test_the_january_report_shares_nothing_with_the_july_ones(example: dict[str, Article]) -> None:
    january = example["003"]
    for stem in ("000", "001", "002", "004"):
        assert shared_passages(january, example[stem]).passages == ()


def test_among_the_example_only_pairs_sharing_something_come_back(example: dict[str, Article]) -> None:
    articles = [example[stem] for stem in sorted(example)]
    stem_of = {article.id: stem for stem, article in example.items()}
    pairs = {(stem_of[m.a_id], stem_of[m.b_id]) for m in shared_passages_among(articles)}
    assert {("001", "002"), ("001", "004")} <= pairs
    assert not any("003" in pair for pair in pairs)


def test_among_given_pairs_only(example: dict[str, Article]) -> None:
    articles = list(example.values())
    matches = shared_passages_among(articles, pairs=[(example["002"].id, example["001"].id)])
    assert [(m.a_id, m.b_id) for m in matches] == [(example["002"].id, example["001"].id)]
    assert matches[0] == shared_passages(example["002"], example["001"])


def test_among_refuses_pairs_naming_unknown_articles(example: dict[str, Article]) -> None:
    with pytest.raises(ValueError, match="not among the articles: nope"):
        shared_passages_among(list(example.values()), pairs=[(example["001"].id, "nope")])


def test_the_example_pairs_are_symmetric(example: dict[str, Article]) -> None:
    for a in example.values():
        for b in example.values():
            if a is not b:
                assert shared_passages(b, a) == shared_passages(a, b).mirrored()


# Invariants

WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "the", "of", "and", "Kilo", "lima", "mike", "nine"]
SEPARATORS = [" ", " ", " ", ", ", ". ", "\n\n", ' "', '" ', " “", "” ", "-", "'s "]


@st.composite
def texts(draw: st.DrawFn, shared: list[str]) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        words = shared if draw(st.booleans()) and shared else draw(st.lists(st.sampled_from(WORDS), max_size=12))
        for word in words:
            parts.extend((word, draw(st.sampled_from(SEPARATORS))))
    return "".join(parts)


@st.composite
def article_pairs(draw: st.DrawFn) -> tuple[Article, Article]:
    shared = draw(st.lists(st.sampled_from(WORDS), min_size=0, max_size=20))
    return make_article("a", draw(texts(shared))), make_article("b", draw(texts(shared)))


@settings(max_examples=300, deadline=None)
@given(article_pairs(), st.integers(1, 4), st.integers(0, 3))
def test_spans_lie_within_each_text_and_say_what_the_passage_says(
    pair: tuple[Article, Article], seed_words: int, max_gap_words: int
) -> None:
    a, b = pair
    options = PassageOptions(seed_words=seed_words, min_words=seed_words + 1, max_gap_words=max_gap_words,
                             min_content_words=1)  # fmt: skip
    match = shared_passages(a, b, options)
    for passage in match.passages:
        assert 0 <= passage.a_start < passage.a_end <= len(a.text)
        assert 0 <= passage.b_start < passage.b_end <= len(b.text)
        assert_spans_are_texts(passage, a, b)
        assert 0 <= passage.quoted_words <= passage.words
        assert passage.quoted == (passage.quoted_words == passage.words)
    assert 0.0 <= match.containment_a <= 1.0
    assert 0.0 <= match.containment_b <= 1.0
    starts = [p.a_start for p in match.passages]
    assert starts == sorted(starts)
    assert all(left.a_end <= right.a_start for left, right in pairwise(match.passages))
    b_spans = sorted((p.b_start, p.b_end) for p in match.passages)
    assert all(left[1] <= right[0] for left, right in pairwise(b_spans))


@settings(max_examples=300, deadline=None)
@given(article_pairs(), st.integers(1, 4))
def test_shared_passages_are_symmetric(pair: tuple[Article, Article], seed_words: int) -> None:
    a, b = pair
    options = PassageOptions(seed_words=seed_words, min_words=seed_words, min_content_words=0)
    forward, backward = shared_passages(a, b, options), shared_passages(b, a, options)
    assert backward == forward.mirrored()
    assert forward == backward.mirrored()
    assert (forward.containment_a, forward.containment_b) == (backward.containment_b, backward.containment_a)
