"""Link who speaks and who acts to the entities of the same article.

Method `links.span.v1`. A quote's speaker and an event's actor and target are read as the article's words with
their spans (`parallax.quotes`, `parallax.events`); the entities stage finds the same people, organisations,
countries and governments with a canonical form shared by coreferent mentions ("Aliyev" = "Ilham Aliyev",
"Baku" = the Government of Azerbaijan). Linking puts the two together, so that "the Azerbaijani Foreign
Ministry said" and "Baku accused" name the entities they stand for:

1. the entity mention that overlaps the argument's span most (ties: the longer mention) gives its canonical;
   an office named by its owner ("Russia's Foreign Ministry", where the office's own canonical does not say
   whose it is) becomes "Foreign Ministry of Russia", so two countries' ministries stay two speakers;
2. a definite description ("the ministry", "the president") takes the nearest mention before it whose
   canonical ends with the same noun ("Foreign Ministry of Azerbaijan" for "the ministry");
3. else, when the argument has no span (a pronoun resolved by name) or no mention overlaps it, a mention of the
   same article whose text or canonical equals the argument's words, or whose last word (a surname) is the
   argument's last word, when exactly one canonical fits;
4. else the argument stays unlinked (`None`): a wrong link is worse than none.

Linking is per article; `parallax.referents` then merges the canonicals of a story's articles.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from parallax.entities import Mention
from parallax.model import Article

__all__ = ["METHOD", "link_arguments", "linked_canonical"]

METHOD = "links.span.v1"


def _words(text: str) -> str:
    return " ".join(text.replace("’", "'").removesuffix("'s").split()).casefold()


@dataclass(slots=True)
class MentionIndex:
    """An article's mentions indexed once for linking: by start (for overlaps), by normalised name, by surname."""

    mentions: list[Mention]
    starts: list[int] = field(default_factory=list)
    longest: int = 0
    names: dict[str, set[str]] = field(default_factory=dict)
    surnames: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.mentions = sorted(self.mentions, key=lambda m: (m.start, m.end))
        self.starts = [m.start for m in self.mentions]
        self.longest = max((m.end - m.start for m in self.mentions), default=0)
        for mention in self.mentions:
            canonical = _words(mention.canonical)
            for name in (_words(mention.text), canonical):
                self.names.setdefault(name, set()).add(mention.canonical)
            if mention.kind == "person" and " " in canonical:
                self.surnames.setdefault(canonical.rsplit(" ", 1)[1], set()).add(mention.canonical)

    def overlapping(self, start: int, end: int) -> list[Mention]:
        """Mentions overlapping `start`:`end`, the most overlapping first (ties: the longer)."""
        first = bisect_left(self.starts, start - self.longest)
        found = [
            (min(end, m.end) - max(start, m.start), m.end - m.start, m)
            for m in self.mentions[first : bisect_left(self.starts, end)]
        ]
        found.sort(key=lambda item: item[:2], reverse=True)
        return [m for size, _, m in found if size > 0]

    def before(self, offset: int) -> list[Mention]:
        """Mentions ending at or before `offset`, nearest first."""
        return [m for m in reversed(self.mentions[: bisect_left(self.starts, offset)]) if m.end <= offset]


def linked_canonical(
    text: str | None,
    start: int | None,
    end: int | None,
    mentions: Sequence[Mention] | MentionIndex,
    earlier: Sequence[str] = (),
) -> str | None:
    """The canonical entity the argument `text` (at `start`:`end` when known) names, or None (see the module).

    `earlier`: what the arguments before this one were linked to, in text order ("the ministry" refers back)."""
    if not text or not text.strip():
        return None
    index = mentions if isinstance(mentions, MentionIndex) else MentionIndex(list(mentions))
    words = _words(text)
    if start is not None and end is not None:
        found = index.overlapping(start, end)
        if found:
            return _owned(found) or found[0].canonical
        if words.startswith("the ") and " " not in words[4:]:
            return _described(words[4:], start, index, earlier)
    exact = index.names.get(words, set())
    if len(exact) == 1:
        return next(iter(exact))
    by_surname = index.surnames.get(words.rsplit(" ", 1)[-1], set())
    return next(iter(by_surname)) if len(by_surname) == 1 else None


OWNERS = frozenset({"country", "government", "place"})
"""Kinds of entity that own offices: "Russia's Foreign Ministry", "Baku's foreign ministry"."""
OWNER_GAP = 3
"""At most this many characters between an owner and its office: "Russia's Foreign Ministry", "Russian Foreign"."""


def _owned(found: list[Mention]) -> str | None:
    """ "<Office> of <owner>" when the argument names an owner and an office whose canonical does not say whose."""
    owners = [m for m in found if m.kind in OWNERS]
    offices = [m for m in found if m.kind == "organisation"]
    if not owners or not offices or owners[0].start > offices[0].start:
        return None
    return _office_of(offices[0], owners[0])


def _office_of(office: Mention, owner: Mention) -> str:
    country = owner.canonical.removeprefix("Government of ")
    generic = _words(office.text) == _words(office.canonical)  # "Foreign Ministry", not "Red Cross" -> the ICRC
    if not generic or country.casefold() in office.canonical.casefold():
        return office.canonical
    return f"{office.canonical} of {country}"


def _with_owner(office: Mention, index: MentionIndex) -> str:
    """The office's canonical, owned by the country named right before it ("Russia's", "Russian")."""
    for owner in index.before(office.start):
        if office.start - owner.end > OWNER_GAP:
            break
        if owner.kind in OWNERS:
            return _office_of(office, owner)
    return office.canonical


def _described(noun: str, before: int, index: MentionIndex, linked: Sequence[str]) -> str | None:
    """The last argument linked before, else the nearest mention before `before`, whose name ends with `noun`."""
    for canonical in reversed(linked):
        if _words(canonical).split(" of ")[0].endswith(noun):
            return canonical
    for mention in index.before(before):
        if mention.kind not in {"organisation", "person", "government"}:
            continue
        canonical = _words(mention.canonical).split(" of ")[0]
        if canonical.endswith(noun) or _words(mention.text).endswith(noun):
            return _with_owner(mention, index) if mention.kind == "organisation" else mention.canonical
    return None


def link_arguments(article: Article) -> None:
    """Fill `Quote.speaker_canonical`, `Event.actor_canonical` and `Event.target_canonical` from the article's
    entity mentions (in place; arguments no mention supports stay None)."""
    if not article.entities:
        return
    mentions = MentionIndex(list(article.entities))
    linked: list[str] = []
    quotes = []
    for quote in article.quotes:
        canonical = linked_canonical(quote.speaker, quote.speaker_start, quote.speaker_end, mentions, linked)
        quotes.append(replace(quote, speaker_canonical=canonical))
        if canonical:
            linked.append(canonical)
    article.quotes = quotes
    article.events = [
        replace(
            event,
            actor_canonical=linked_canonical(event.actor, event.actor_start, event.actor_end, mentions, linked),
            target_canonical=linked_canonical(event.target, event.target_start, event.target_end, mentions, linked),
        )
        for event in article.events
    ]
