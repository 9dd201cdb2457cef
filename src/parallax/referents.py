"""Story-level referents: the entity mentions of a story's articles merged into one referent per real-world party.

Method `referents.merge.v1`, over the per-article mentions of `parallax.entities` (whose `canonical` already
joins "Aliyev" to "Ilham Aliyev" and "Baku said" to "Government of Azerbaijan" within one article):

1. Mentions with the same canonical string (case-insensitive) are one referent, across articles, whatever
   their kind: "Armenians" (a group, canonical "Armenia") is listed with Armenia, as readers of the labels
   compare "Armenians" with "Armenia". A person's canonical loses a leading stop word that sentence-initial
   capitals glued to it ("Although Mueller" -> "Mueller").
2. A person whose canonical is a short form of another person's in a different article joins it when no
   other person of the story fits: first a name without the middle words ("Michael Flynn" and "Michael T.
   Flynn"), then the first or last words of the longer name ("Pashinyan" and "Nikol Pashinyan"; "Moon Jae"
   and "Moon Jae In"). Hyphens do not count ("Kim Jong-un" is "Kim Jong Un").
3. The referent's kind is its mentions' most common kind (ties: the entities module's order of kinds).

`StoryReferents.resolve(text)` finds the referent a name stands for (a quote's speaker, an event's actor): by
canonical, then by any surface form used in the story, then by surname, then by
the possessor ("Baku's foreign ministry" -> Baku's referent), then by the longest name inside the text.

    >>> from parallax.entities import extract_entities
    >>> from parallax.model import Article
    >>> first = Article("a", "a.txt", "", "", text="Anna Petrosyan said Ilham Aliyev was right.")
    >>> second = Article("b", "b.txt", "", "", text="Mr. Petrosyan said Baku was wrong.")
    >>> for article in (first, second):
    ...     article.entities = extract_entities(article.text)
    >>> found = story_referents([first, second])
    >>> [(r.canonical, len(r.mentions)) for r in found.referents]
    [('Anna Petrosyan', 2), ('Baku', 1), ('Ilham Aliyev', 1)]
    >>> found.resolve("Ms. Petrosyan's").canonical
    'Anna Petrosyan'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from parallax.entities import KINDS, Mention
from parallax.model import Article

__all__ = ["METHOD", "Referent", "StoryReferents", "normalise_name", "story_referents", "unglued"]

METHOD = "referents.merge.v1"

_LEADING = re.compile(
    r"^(?:(?:the|a|an|mr|mrs|ms|dr|sen|rep|gov|gen|president|prime\s+minister|minister|foreign\s+minister|"
    r"chancellor|premier|king|queen|prince|sheikh|pope|secretary|director|spokesman|spokeswoman|spokesperson)"
    r"\.?\s+)+",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"['’]s?$")
_SPACE = re.compile(r"\s+")
_GLUED = frozenset(ENGLISH_STOP_WORDS) | {"following", "despite", "unlike", "meanwhile", "asked", "says", "said"}
"""Words a capitalised sentence start glues to a name ("Although Mueller", "Following Trump")."""


def normalise_name(text: str) -> str:
    """The comparable form of a name: case-folded, spaces collapsed, possessive, articles and titles removed."""
    folded = _SPACE.sub(" ", text).strip().casefold()
    folded = _POSSESSIVE.sub("", folded).strip()
    stripped = _LEADING.sub("", folded).strip()
    return stripped or folded


@dataclass(slots=True, frozen=True)
class Referent:
    """One party of the story (a person, organisation, country, place, group or government) and its mentions.

    `mentions` are (article id, mention) pairs in article order, then text order.
    """

    canonical: str
    kind: str
    mentions: tuple[tuple[str, Mention], ...]

    @property
    def article_ids(self) -> tuple[str, ...]:
        """The articles that name it, in order."""
        return tuple(dict.fromkeys(article_id for article_id, _ in self.mentions))


@dataclass(slots=True, frozen=True)
class StoryReferents:
    """The referents of a story, most mentioned first, with a lookup from names to referents."""

    referents: tuple[Referent, ...]
    method: str = METHOD
    _by_name: dict[str, int] = field(default_factory=dict, repr=False, compare=False)
    _by_surname: dict[str, int] = field(default_factory=dict, repr=False, compare=False)
    _by_mention: dict[tuple[str, int, int], int] = field(default_factory=dict, repr=False, compare=False)

    def referent_of(self, article_id: str, mention: Mention) -> Referent | None:
        """The referent a given mention of an article belongs to."""
        index = self._by_mention.get((article_id, mention.start, mention.end))
        return None if index is None else self.referents[index]

    def resolve(self, name: str) -> Referent | None:
        """The referent `name` stands for (by canonical, surface form, surname, then contained name), or None."""
        key = normalise_name(name)
        if not key:
            return None
        if key in self._by_name:
            return self.referents[self._by_name[key]]
        if key in self._by_surname:
            return self.referents[self._by_surname[key]]
        owner, _, owned = key.partition("'s ")
        if owned and owner in self._by_name:  # "Baku's foreign ministry" speaks for Baku
            return self.referents[self._by_name[owner]]
        return self._contained(key)

    def _contained(self, key: str) -> Referent | None:
        best: tuple[int, int] | None = None  # (length of the name found, referent index)
        for name, index in self._by_name.items():
            longer = best is None or len(name) > best[0]
            if longer and len(name) > 2 and _contains_words(key, name):
                best = (len(name), index)
        return None if best is None else self.referents[best[1]]


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char in "_-"


def _contains_words(text: str, name: str) -> bool:
    """Whether `name` occurs in `text` as whole words (not inside a longer word or hyphenated compound)."""
    start = text.find(name)
    while start >= 0:
        end = start + len(name)
        if (start == 0 or not _is_word_char(text[start - 1])) and (end == len(text) or not _is_word_char(text[end])):
            return True
        start = text.find(name, start + 1)
    return False


def unglued(name: str) -> str:
    """A person's name without the capitalised sentence-start word glued to it ("Although Mueller" -> "Mueller")."""
    words = name.split()
    if len(words) > 1 and words[0].casefold() in _GLUED:
        return " ".join(words[1:])
    return name


def _clean_canonical(mention: Mention) -> str:
    return unglued(mention.canonical) if mention.kind == "person" else mention.canonical


def _key(mention: Mention) -> str:
    return _clean_canonical(mention).casefold().replace("-", " ")  # "Kim Jong-un" is "Kim Jong Un"


def _short_form_of(short: str, full: str) -> bool:
    short_words, full_words = short.split(), full.split()
    if len(short_words) >= len(full_words):
        return False
    return full_words[: len(short_words)] == short_words or full_words[-len(short_words) :] == short_words


def _middle_variant_of(short: str, full: str) -> bool:
    """ "Michael Flynn" and "Michael T. Flynn": same first and last word, the longer one adds middle words."""
    short_words, full_words = short.split(), full.split()
    return 2 <= len(short_words) < len(full_words) and (short_words[0], short_words[-1]) == (
        full_words[0],
        full_words[-1],
    )


def _merge_short_people(groups: dict[str, list[tuple[str, Mention]]]) -> None:
    people = [key for key, members in groups.items() if Counter(m.kind for _, m in members)["person"]]
    for fits_rule in (_middle_variant_of, _short_form_of):  # middle names first, so "Flynn" then has one fit
        for short in sorted(people, key=len):
            fits = [full for full in people if full != short and full in groups and fits_rule(short, full)]
            if len(fits) == 1 and short in groups:
                groups[fits[0]].extend(groups.pop(short))


def _majority(values: Iterable[str], order: Sequence[str]) -> str:
    counts = Counter(values)
    return min(counts, key=lambda value: (-counts[value], order.index(value) if value in order else len(order)))


def _build_referent(members: list[tuple[str, Mention]], article_order: dict[str, int]) -> Referent:
    members.sort(key=lambda item: (article_order[item[0]], item[1].start, item[1].end))
    canonical_counts = Counter(_clean_canonical(mention) for _, mention in members)
    # where a short form joined a full name, the full name (the most used one: "James Comey", not a stray
    # "James Comey Memos"); ties go to the longer, then the alphabetically first
    full = [name for name in canonical_counts if len(name.split()) > 1] or list(canonical_counts)
    canonical = min(full, key=lambda name: (-canonical_counts[name], -len(name), name))
    return Referent(canonical, _majority((m.kind for _, m in members), KINDS), tuple(members))


def story_referents(articles: Sequence[Article]) -> StoryReferents:
    """Merge the entity mentions of a story's `articles` into story-level referents, most mentioned first."""
    article_order = {article.id: n for n, article in enumerate(articles)}
    groups: dict[str, list[tuple[str, Mention]]] = {}
    for article in articles:
        for mention in article.entities:
            groups.setdefault(_key(mention), []).append((article.id, mention))
    _merge_short_people(groups)
    built = [_build_referent(members, article_order) for members in groups.values()]
    built.sort(key=lambda r: (-len(r.mentions), -len(r.article_ids), r.canonical, r.kind))
    return _indexed(tuple(built))


def _indexed(referents: tuple[Referent, ...]) -> StoryReferents:
    names: dict[str, Counter[int]] = {}
    surnames: dict[str, set[int]] = {}
    by_mention: dict[tuple[str, int, int], int] = {}
    for index, referent in enumerate(referents):
        names.setdefault(normalise_name(referent.canonical), Counter())[index] += len(referent.mentions) + 1
        for article_id, mention in referent.mentions:
            by_mention[(article_id, mention.start, mention.end)] = index
            names.setdefault(normalise_name(mention.text), Counter())[index] += 1
        if referent.kind == "person" and len(referent.canonical.split()) > 1:
            surnames.setdefault(normalise_name(referent.canonical.split()[-1]), set()).add(index)

    # a name used for several referents ("Baku": the city, the government) goes to one that can act or speak
    # rather than a place, then to the one it names most often, then to the more mentioned referent
    def choice(counts: Counter[int]) -> int:
        return min(counts, key=lambda i: (referents[i].kind == "place", -counts[i], i))

    by_name = {name: choice(counts) for name, counts in names.items() if name}
    by_surname = {name: next(iter(found)) for name, found in surnames.items() if len(found) == 1}
    return StoryReferents(referents, METHOD, by_name, by_surname, by_mention)
