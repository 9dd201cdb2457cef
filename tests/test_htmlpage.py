"""The HTML path: trafilatura's main text and metadata in one parse, the basic parser as fallback, hostile pages."""

from __future__ import annotations

from datetime import date

import pytest

from parallax.htmlpage import MAX_MARKUP_TAGS, HtmlOptions, extract_html

PARAGRAPHS = (
    "Heavy rain flooded the river town of Brenford on Monday, and rescue teams evacuated four hundred residents "
    "from the low streets near the old bridge before the water rose further.",
    "The regional governor said the emergency services had worked through the night, and that the army would "
    "send boats and trucks to the villages downstream if the river kept rising.",
    "Forecasters expect more rain on Wednesday. Schools in the district will stay closed until Friday, and the "
    "railway line to the capital is cut at two places.",
)

ARTICLE_PAGE = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Floods in Brenford | Daily Courier</title>
  <meta property="og:title" content="Floods force hundreds from their homes in Brenford">
  <meta property="og:site_name" content="Daily Courier">
  <meta property="article:published_time" content="2023-07-10T08:15:00+00:00">
  <meta name="author" content="Jane Marlow">
  <meta name="description" content="Rescue teams evacuated four hundred residents.">
  <link rel="canonical" href="https://courier.example/news/brenford-floods">
</head>
<body>
  <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
  <article>
    <h1>Floods force hundreds from their homes in Brenford</h1>
    <p>{PARAGRAPHS[0]}</p>
    <p>{PARAGRAPHS[1]}</p>
    <p>{PARAGRAPHS[2]}</p>
  </article>
  <footer>Copyright Daily Courier. All rights reserved.</footer>
</body>
</html>
"""


@pytest.fixture
def article() -> str:
    return ARTICLE_PAGE


def test_metadata_comes_from_the_head(article: str) -> None:
    page = extract_html(article, "https://courier.example/news/brenford-floods?utm_source=feed")
    assert page.metadata["title"] == "Floods force hundreds from their homes in Brenford"
    assert page.metadata["outlet"] == "Daily Courier"
    assert page.metadata["published"] == date(2023, 7, 10)
    assert page.metadata["byline"] == "Jane Marlow"
    assert page.metadata["url"] == "https://courier.example/news/brenford-floods"
    assert page.metadata["language"] == "en"
    assert page.metadata["description"] == "Rescue teams evacuated four hundred residents."


def test_given_url_is_kept_when_the_page_declares_none() -> None:
    page = extract_html(ARTICLE_PAGE.replace('<link rel="canonical"', '<link rel="alternate"'), "https://x.example/a")
    assert page.metadata["url"] == "https://x.example/a"


def test_paragraphs_are_separated_by_blank_lines(article: str) -> None:
    page = extract_html(article)
    blocks = page.text.split("\n\n")
    for paragraph in PARAGRAPHS:
        assert paragraph in blocks
    assert all(block.strip() == block and block for block in blocks)


def test_navigation_and_footer_are_left_out(article: str) -> None:
    text = extract_html(article).text
    assert "Sport" not in text
    assert "All rights reserved" not in text


def test_hostile_page_yields_no_code() -> None:
    hostile = f"""<html><head><script>var secret = "alert(document.cookie)";</script>
    <style>body {{ background: url("javascript:alert(1)") }}</style></head>
    <body onload="alert('onload')"><article>
    <p onclick="alert('click')">{PARAGRAPHS[0]}</p>
    <script>document.write("<p>injected paragraph</p>"); alert("inline");</script>
    <img src="x" onerror="alert('onerror')">
    <p>{PARAGRAPHS[1]} <a href="javascript:alert('link')" onmouseover="alert('hover')">Read more</a></p>
    <noscript><p>Please enable scripts</p></noscript>
    <iframe src="javascript:alert('frame')"></iframe>
    <p>{PARAGRAPHS[2]}</p>
    </article></body></html>"""
    text = extract_html(hostile).text
    assert PARAGRAPHS[0] in text
    for code in ("alert", "javascript", "onerror", "onclick", "onload", "secret", "injected", "background", "cookie"):
        assert code not in text


def test_hostile_page_falls_back_without_code() -> None:
    tiny = '<p onclick="alert(1)">Short note.<script>alert(2)</script><a href="javascript:alert(3)">x</a></p>'
    text = extract_html(tiny).text
    assert "Short note." in text
    assert "alert" not in text
    assert "javascript" not in text


def test_tiny_page_falls_back_to_the_basic_parser() -> None:
    page = extract_html("<p>Storm warning for the coast.</p>", "https://x.example/b")
    assert page.text == "Storm warning for the coast."
    assert page.metadata == {"url": "https://x.example/b"}


@pytest.mark.parametrize("html", ["", "   \n\t  ", "<html></html>", "<html><body>   </body></html>"])
def test_empty_page_gives_empty_text(html: str) -> None:
    assert extract_html(html).text == ""


def test_truncated_and_misnested_page_still_gives_text() -> None:
    broken = (
        "<html><head><title>Cut off</title><body><div><p>"
        + PARAGRAPHS[0]
        + "<b><i>mis-nested</b></i></p><p>"
        + PARAGRAPHS[1]
        + "</div></span><table><tr><td><p>"
        + PARAGRAPHS[2][:60]
    )
    text = extract_html(broken).text
    assert PARAGRAPHS[0][:80] in text
    assert PARAGRAPHS[1][:80] in text


def test_deeply_nested_page_does_not_raise() -> None:
    deep = "<html><body>" + "<div>" * 20_000 + f"<p>{PARAGRAPHS[0]}</p>" + "</div>" * 20_000 + "</body></html>"
    assert PARAGRAPHS[0] in extract_html(deep).text


def test_page_over_the_tree_size_limit_falls_back() -> None:
    paragraphs = [f"Update {n}: {PARAGRAPHS[0]}" for n in range(60)]
    head = '<head><meta name="author" content="Jane Marlow"></head>'
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    many = f"<html>{head}<body><article>{body}</article></body></html>"
    limited = extract_html(many, options=HtmlOptions(max_tree_size=50))
    unlimited = extract_html(many)
    assert unlimited.text.split("\n\n") == paragraphs
    assert unlimited.metadata["byline"] == "Jane Marlow"
    # Over the limit trafilatura discards the page; the basic parser (which reads no author) keeps every paragraph.
    assert limited.text.split("\n\n") == paragraphs
    assert "byline" not in limited.metadata


def test_marked_section_that_breaks_the_basic_parser_gives_empty_text() -> None:
    assert extract_html("<![foo[ bar ]]>").text == ""


def test_wrong_argument_type_raises_at_once() -> None:
    with pytest.raises(TypeError, match="decode"):
        extract_html(b"<p>bytes</p>")  # type: ignore[arg-type]


def test_unknown_focus_names_the_choices() -> None:
    with pytest.raises(ValueError, match="precision, balanced, recall"):
        HtmlOptions(focus="speed")


def test_tree_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        HtmlOptions(max_tree_size=0)


@pytest.mark.parametrize(
    ("html_tag", "language"),
    [
        ('<html lang="de-DE">', "de"),
        ("<html LANG=fr>", "fr"),
        ('<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="tr">', "tr"),
        ('<html data-lang="xx" lang="fi">', "fi"),
        ('<html data-lang="xx">', None),
        ("<html>", None),
    ],
)
def test_declared_language_is_the_primary_subtag(html_tag: str, language: str | None) -> None:
    page = extract_html(ARTICLE_PAGE.replace('<html lang="en-GB">', html_tag))
    assert page.metadata.get("language") == language


def test_menus_are_left_out_of_a_short_page() -> None:
    # On a page this short trafilatura falls back to the whole body; the menus are pruned before it does.
    short = """<html><body><nav>Home | World</nav><aside>Most read: Ten tips</aside>
    <article><h1>Talks resume</h1><p>Leaders met on Saturday.</p><p>They agreed to meet again.</p></article>
    <footer>© Example</footer></body></html>"""
    assert extract_html(short).text == "Talks resume\n\nLeaders met on Saturday.\n\nThey agreed to meet again."


def test_a_page_with_more_tags_than_the_cap_is_read_by_the_basic_parser() -> None:
    paragraphs = "<p>word word word word word.</p>" * (MAX_MARKUP_TAGS // 2 + 1)
    page = f"<html><head><title>Huge</title></head><body><article>{paragraphs}</article></body></html>"
    result = extract_html(page)
    assert result.text.count("word word word word word.") == MAX_MARKUP_TAGS // 2 + 1
    assert result.metadata.get("title") == "Huge"
