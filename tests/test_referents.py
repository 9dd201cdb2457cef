"""Story referents: mentions merged across articles, and names resolved to referents."""

from __future__ import annotations

from parallax.entities import Kind, Mention
from parallax.model import Article
from parallax.referents import story_referents


def mention(text: str, canonical: str, kind: Kind = "person", start: int = 0) -> Mention:
    return Mention(start, start + len(text), text, kind, canonical, f"{kind}:{canonical.lower()}")


def article(article_id: str, *mentions: Mention) -> Article:
    return Article(article_id, f"{article_id}.txt", article_id, "", entities=list(mentions))


def test_same_canonical_is_one_referent_across_articles() -> None:
    found = story_referents(
        [
            article("a", mention("Baku", "Government of Azerbaijan", "government")),
            article("b", mention("Azerbaijani authorities", "Government of Azerbaijan", "government", 10)),
        ]
    )
    assert [(r.canonical, r.article_ids) for r in found.referents] == [("Government of Azerbaijan", ("a", "b"))]


def test_a_surname_in_one_article_joins_the_full_name_in_another() -> None:
    found = story_referents(
        [
            article("a", mention("Nikol Pashinyan", "Nikol Pashinyan")),
            article("b", mention("Pashinyan", "Pashinyan", start=5), mention("Aliyev", "Aliyev", start=20)),
        ]
    )
    by_name = {r.canonical: r for r in found.referents}
    assert set(by_name) == {"Nikol Pashinyan", "Aliyev"}
    assert [m.text for _, m in by_name["Nikol Pashinyan"].mentions] == ["Nikol Pashinyan", "Pashinyan"]


def test_middle_names_and_hyphens_do_not_split_a_person() -> None:
    found = story_referents(
        [
            article(
                "a", mention("Michael T. Flynn", "Michael T. Flynn"), mention("Kim Jong-un", "Kim Jong-un", start=30)
            ),
            article("b", mention("Michael Flynn", "Michael Flynn"), mention("Kim Jong Un", "Kim Jong Un", start=30)),
            article("c", mention("Flynn", "Flynn")),
        ]
    )
    assert sorted((r.canonical, len(r.mentions)) for r in found.referents) == [
        ("Kim Jong Un", 2),
        ("Michael T. Flynn", 3),
    ]


def test_a_surname_two_people_share_is_left_alone() -> None:
    found = story_referents(
        [
            article("a", mention("Donald Trump", "Donald Trump"), mention("Melania Trump", "Melania Trump", start=20)),
            article("b", mention("Trump", "Trump")),
        ]
    )
    assert sorted(r.canonical for r in found.referents) == ["Donald Trump", "Melania Trump", "Trump"]


def test_a_stop_word_glued_to_a_name_is_dropped() -> None:
    found = story_referents(
        [
            article("a", mention("Robert Mueller", "Robert Mueller")),
            article("b", mention("Although Mueller", "Although Mueller")),
        ]
    )
    assert [(r.canonical, len(r.mentions)) for r in found.referents] == [("Robert Mueller", 2)]


def test_the_kind_is_the_majority_of_the_mentions() -> None:
    found = story_referents(
        [
            article("a", mention("Lachin Corridor", "Lachin Corridor", "place")),
            article("b", mention("Lachin Corridor", "Lachin Corridor", "place")),
            article("c", mention("Lachin Corridor", "Lachin Corridor", "person")),
        ]
    )
    assert [(r.canonical, r.kind) for r in found.referents] == [("Lachin Corridor", "place")]


def test_resolve_by_canonical_surface_surname_title_and_possessor() -> None:
    found = story_referents(
        [
            article(
                "a",
                mention("Ilham Aliyev", "Ilham Aliyev"),
                mention("Baku", "Government of Azerbaijan", "government", 30),
            ),
            article("b", mention("Baku", "Baku", "place", 3), mention("Baku", "Baku", "place", 40)),
        ]
    )
    assert found.resolve("ILHAM ALIYEV").canonical == "Ilham Aliyev"  # type: ignore[union-attr]
    assert found.resolve("Aliyev").canonical == "Ilham Aliyev"  # type: ignore[union-attr]
    assert found.resolve("President Aliyev's").canonical == "Ilham Aliyev"  # type: ignore[union-attr]
    # "Baku" names the city twice and the government once: as a speaker it is the government
    assert found.resolve("Baku's foreign ministry").canonical == "Government of Azerbaijan"  # type: ignore[union-attr]
    assert found.resolve("the ministry") is None
    assert found.resolve("  ") is None


def test_mentions_find_their_referent() -> None:
    pashinyan = mention("Pashinyan", "Pashinyan")
    found = story_referents([article("a", mention("Nikol Pashinyan", "Nikol Pashinyan")), article("b", pashinyan)])
    assert found.referent_of("b", pashinyan).canonical == "Nikol Pashinyan"  # type: ignore[union-attr]
    assert found.referent_of("a", pashinyan) is None  # same span, other article


def test_no_articles_or_no_entities_give_no_referents() -> None:
    assert story_referents([]).referents == ()
    assert story_referents([article("a")]).referents == ()
    assert story_referents([article("a")]).resolve("Azerbaijan") is None
