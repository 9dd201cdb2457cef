"""Template lines: short lines an outlet repeats across its articles are learned per group and cleaned away."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.boilerplate import (
    TemplateLines,
    TemplateOptions,
    learn_template_lines,
    opens_with_headline,
    template_key,
)
from parallax.clean import Clean, clean_text
from parallax.model import Article

BODIES = (
    "Rain flooded the town on Monday.",
    "The mayor resigned after a vote.",
    "Prices rose for a third month.",
    "A new bridge opened to traffic.",
)


def page(n: int, body: str, *, outlet: str | None = None, url: str | None = None, folder: str = "daily") -> Article:
    later = BODIES[(BODIES.index(body) + 1) % len(BODIES)] if body in BODIES else "More to come."
    text = f"Headline number {n}\n\n{body}\n\nAbonnez-vous gratuitement\n\n{later}\n\n© Daily Example"
    return Article(
        id=f"a{n}", source=f"{folder}/{n}.txt", raw_hash=f"h{n}", raw_text=text, text=text, outlet=outlet, url=url
    )


@pytest.fixture
def daily() -> list[Article]:
    return [page(n, body) for n, body in enumerate(BODIES)]


def test_a_line_in_every_article_of_a_group_is_a_template(daily: list[Article]) -> None:
    templates = learn_template_lines(daily)
    assert templates.is_template(daily[0], "Abonnez-vous gratuitement")


def test_the_article_own_lines_are_not_templates(daily: list[Article]) -> None:
    templates = learn_template_lines(daily)
    assert not templates.is_template(daily[0], BODIES[0])


def test_lines_are_compared_without_case_spacing_punctuation_or_digits() -> None:
    assert template_key("**ABONE   Ol**\u00a0") == template_key("Abone Ol")
    assert template_key("Page 2 of 3") == template_key("page 10 of 12")
    assert template_key("Page 2 of 3") != template_key("Page two of three")


def test_a_line_repeated_within_one_article_counts_once() -> None:
    text = "Headline\nAbone Ol\nA sentence here.\nAbone Ol\nAbone Ol"
    one = Article(id="a", source="d/a.txt", raw_hash="h", raw_text=text, text=text)
    templates = learn_template_lines([one], TemplateOptions(min_articles=2, min_share=0.5))
    assert not templates.is_template(one, "Abone Ol")


def test_a_line_in_too_few_articles_is_not_a_template(daily: list[Article]) -> None:
    templates = learn_template_lines(daily[:2])
    assert not templates.is_template(daily[0], "Abonnez-vous gratuitement")


def test_a_line_in_too_small_a_share_of_the_group_is_not_a_template() -> None:
    articles = [page(n, f"Story {chr(65 + n)} happened today.") for n in range(4)]
    articles += [
        Article(id=f"b{n}", source=f"daily/b{n}.txt", raw_hash="", raw_text="", text=f"Title\n{word} is here.")
        for n, word in enumerate(("Spring", "Summer", "Autumn", "Winter", "Monsoon", "Dawn", "Dusk", "Noon", "Night"))
    ]
    templates = learn_template_lines(articles, TemplateOptions(min_articles=3, min_share=0.5))
    assert not templates.is_template(articles[0], "Abonnez-vous gratuitement")  # 4 of 13 articles


def test_a_long_line_repeated_across_articles_is_wire_copy_not_template() -> None:
    wire = "Azerbaijan accused Russia on Sunday of failing to fulfil its obligations under the 2020 ceasefire."
    articles = [
        Article(id=f"a{n}", source="site/a.txt", raw_hash="", raw_text="", text=f"Headline {n}\n{wire}\n{body}")
        for n, body in enumerate(BODIES)
    ]
    templates = learn_template_lines(articles)
    assert not templates.is_template(articles[0], wire)


def test_the_first_line_is_never_learned_as_a_template() -> None:
    articles = [
        Article(id=f"a{n}", source="site/a.txt", raw_hash="", raw_text="", text=f"Russia urges Baku to reopen\n{body}")
        for n, body in enumerate(BODIES)
    ]
    assert not learn_template_lines(articles).is_template(articles[0], "Russia urges Baku to reopen")


def test_groups_are_outlets_then_hosts_then_folders() -> None:
    assert TemplateLines.group_of(page(1, "x", outlet="Yle", url="https://yle.fi/a/1")) == "outlet:yle"
    assert TemplateLines.group_of(page(1, "x", url="https://www.yle.fi/a/1")) == "host:yle.fi"
    assert TemplateLines.group_of(page(1, "x", folder="in/yle")) == "folder:in/yle"
    record = Article(id="r", source="feeds/news.jsonl#L3", raw_hash="", raw_text="", text="")
    assert TemplateLines.group_of(record) == "folder:feeds"


def test_templates_of_one_group_do_not_apply_to_another(daily: list[Article]) -> None:
    templates = learn_template_lines(daily)
    elsewhere = page(9, "Other news.", folder="weekly")
    assert not templates.is_template(elsewhere, "Abonnez-vous gratuitement")


def test_counts_per_group(daily: list[Article]) -> None:
    templates = learn_template_lines([*daily, page(9, "Other news.", folder="weekly")])
    assert templates.counts() == {
        "folder:daily": {"articles": 4, "templates": 2},  # the subscribe line and the footer
        "folder:weekly": {"articles": 1, "templates": 0},
    }
    assert set(templates.templates("folder:daily")) == {"abonnez vous gratuitement", "daily example"}


def test_merge_adds_counts_learned_apart(daily: list[Article]) -> None:
    first, second = learn_template_lines(daily[:2]), learn_template_lines(daily[2:])
    assert not first.is_template(daily[0], "Abonnez-vous gratuitement")
    merged = first.merge(second)
    assert merged.is_template(daily[0], "Abonnez-vous gratuitement")
    assert merged == learn_template_lines(daily)
    assert not first.is_template(daily[0], "Abonnez-vous gratuitement")  # merge returns a new value


def test_round_trips_through_json(daily: list[Article]) -> None:
    templates = learn_template_lines(daily, TemplateOptions(min_share=0.75))
    restored = TemplateLines.from_dict(json.loads(json.dumps(templates.to_dict())))
    assert restored == templates
    assert restored.options.min_share == 0.75
    assert restored.is_template(daily[1], "Abonnez-vous gratuitement")


def test_a_dict_from_another_method_is_refused() -> None:
    with pytest.raises(ValueError, match=r"boilerplate\.template_lines\.v1"):
        TemplateLines.from_dict({"method": "something.else.v9", "groups": {}})


@pytest.mark.parametrize(
    "options",
    [
        {"min_articles": 1},
        {"min_share": 0.0},
        {"min_share": 1.5},
        {"max_words": 0},
    ],
)
def test_bad_options_are_refused(options: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="TemplateOptions"):
        TemplateOptions(**options)  # type: ignore[arg-type]


def test_clean_removes_template_lines_with_their_rule(daily: list[Article]) -> None:
    stage = Clean(templates=learn_template_lines(daily))
    cleaned = list(stage(daily))
    assert cleaned[0].text == f"Headline number 0\n\n{BODIES[0]}\n\n{BODIES[1]}"
    assert [(r.text, r.rule) for r in cleaned[0].removed_lines] == [
        ("Abonnez-vous gratuitement", "template_line"),
        ("© Daily Example", "copyright_line"),  # a fixed rule names a line before the learned one does
    ]
    assert stage.report.counts["template_line"] == 4


def test_clean_without_templates_keeps_unknown_furniture(daily: list[Article]) -> None:
    assert "Abonnez-vous gratuitement" in next(iter(Clean()(daily[:1]))).text


def test_clean_refuses_templates_of_the_wrong_type() -> None:
    with pytest.raises(TypeError, match="TemplateLines"):
        Clean(templates={"lines": []})  # type: ignore[arg-type]


def test_the_headline_is_kept_even_when_it_is_a_template() -> None:
    def is_template(line: str) -> bool:
        return line == "Breaking"

    result = clean_text("Breaking\nA sentence about it.\nBreaking", is_template=is_template)
    assert result.text == "Breaking\nA sentence about it."
    assert [(r.line_no, r.rule) for r in result.removed] == [(3, "template_line")]


def test_a_menu_line_above_a_known_title_can_be_a_template() -> None:
    def html_page(n: int) -> Article:
        text = f"Home | World\n{BODIES[n]}\nAbone Ol"
        return Article(id=str(n), source="s/a.html", raw_hash="", raw_text="", text=text, title=f"Story {n}")

    pages = [html_page(n) for n in range(3)]
    templates = learn_template_lines(pages)
    assert templates.is_template(pages[0], "Home | World")
    assert next(iter(Clean(templates=templates)([pages[0]]))).text == BODIES[0]


def test_a_headline_that_is_the_known_title_is_kept() -> None:
    def titled(n: int) -> Article:
        text = f"Breaking\n{BODIES[n]}\nBreaking"
        return Article(id=str(n), source="s/a.html", raw_hash="", raw_text="", text=text, title="Breaking")

    pages = [titled(n) for n in range(3)]
    assert opens_with_headline(pages[0])
    cleaned = next(iter(Clean(templates=learn_template_lines(pages))([pages[0]])))
    assert cleaned.text == f"Breaking\n{BODIES[0]}"
    assert [(r.line_no, r.rule) for r in cleaned.removed_lines] == [(3, "template_line")]


words = st.sampled_from(["alpha", "beta", "gamma", "delta", "news", "read", "more", "sign", "up", "today"])
lines = st.lists(words, min_size=1, max_size=5).map(" ".join)
groups = st.lists(st.lists(lines, min_size=1, max_size=6), min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(groups, st.integers(min_value=2, max_value=4), st.floats(min_value=0.01, max_value=1.0))
def test_a_line_of_only_one_article_is_never_removed(texts: list[list[str]], min_articles: int, share: float) -> None:
    articles = [
        Article(id=str(n), source="site/x.txt", raw_hash="", raw_text="", text="\n".join(["Headline", *body]))
        for n, body in enumerate(texts)
    ]
    templates = learn_template_lines(articles, TemplateOptions(min_articles=min_articles, min_share=share))
    holders: dict[str, set[int]] = {}
    for n, body in enumerate(texts):
        for line in body:
            holders.setdefault(template_key(line), set()).add(n)
    stage = Clean(templates=templates)
    for n, article in enumerate(articles):
        for line in texts[n]:
            if holders[template_key(line)] == {n}:
                assert not templates.is_template(article, line)
        cleaned = stage.process(article) if article.text.strip() else article
        for removed in cleaned.removed_lines:
            if removed.rule == "template_line":
                assert len(holders[template_key(removed.text)]) >= min_articles
