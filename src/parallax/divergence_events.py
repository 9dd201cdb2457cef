"""Divergences about acts (`divergences.v1`): dates, denials, actors and causes of the same act.

See `parallax.divergences` for the method; this module compares the times, events and reason clauses of the
sentences the story's facts align (and, for denials, of related sentences).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from parallax.divergence_model import (
    STOP_WORDS,
    WORD,
    Divergence,
    Item,
    StoryContext,
    build_divergence,
    by_value,
    components,
    lemma,
    sentence_key,
)
from parallax.entities import Mention
from parallax.events import Event
from parallax.model import Article, Fact
from parallax.story_sentences import SentenceKey
from parallax.timexpr import TimeExpression

__all__ = ["actor_divergences", "cause_divergences", "date_divergences", "denial_divergences"]

_ANAPHORIC_TARGET = re.compile(
    r"^(?:the|these|those|this|that|such)\s+(?:\w+\s+)?(?:claims?|allegations?|accusations?|reports?|charges?|"
    r"assertions?)$",
    re.IGNORECASE,
)
"""A denial's target that points back to a claim made before. "it"/"this" are left out: on NewsWCL50 they were the
suit, a practice, or a passive ("predicted it would be dismissed"), never the sentence before."""
_CLAIM_CUE = re.compile(
    r"\b(?:accus|alleg|claim|report|charg|insist|assert|justif|blam)\w*|\baccording to\b", re.IGNORECASE
)
"""Words that frame the sentence before a denial as a claim. On AllSides NeuS val (162 stories) the sentence before
"X denied the allegations" was, without this cue, as often a quote or an earlier denial as the claim itself."""
_DENIAL_CUE = re.compile(r"\b(?:den(?:y|ied|ies|ial)|not true|reject\w*)\b", re.IGNORECASE)
_NAMED_AFTER = re.compile(r"\s*(?:that|of|about|over|from)\b", re.IGNORECASE)
"""After the target: "the allegations that he colluded" names its claim in place, so it is not the sentence before."""
_REASON = re.compile(
    r"\b(?:because of|because|due to|owing to|citing|on the grounds that|in protest (?:at|against)|"
    r"in retaliation for)\s+(?P<reason>[^,;:.!?]+)",
    re.IGNORECASE,
)
MIN_REASON_WORDS = 2
"""Content words a reason needs to be compared: a one-word fragment ("because it's 'a small") says too little."""
_WEEKDAYS = tuple(name.lower() for name in calendar.day_name)
_MONTHS = frozenset(name.lower() for name in (*calendar.month_name, *calendar.month_abbr) if name)


# --- dates ------------------------------------------------------------------------------------------------------


def _times_in(article: Article, index: int) -> list[TimeExpression]:
    sentence = article.sentences[index]
    return [t for t in article.times if sentence.start <= t.start < sentence.end]


def _weekday(time: TimeExpression) -> str | None:
    if time.resolved and time.start_date is not None and time.start_date == time.end_date:
        return _WEEKDAYS[time.start_date.weekday()]
    word = time.text.lower().removeprefix("on ").strip()
    return word if word in _WEEKDAYS else None


def _explicit(time: TimeExpression) -> bool:
    """A date written out ("July 16", "in 2020"), not relative ("next Friday", "last year")."""
    words = set(WORD.findall(time.text.lower()))
    return bool(re.search(r"\d", time.text)) or bool(words & _MONTHS)


def _date_key(time: TimeExpression) -> str | None:
    """What a time says, comparable across articles. A day is its weekday: the weekday of a relative day ("next
    Friday") holds whatever the publication dates, the week does not (two outlets' "next Friday" resolved against
    different publication days are a week apart). Anything longer only when written out and resolved."""
    if time.granularity == "day":
        return _weekday(time)
    if _explicit(time) and time.resolved and time.start_date is not None and time.end_date is not None:
        return f"{time.start_date}/{time.end_date}"
    return None


def _dates_differ(a: TimeExpression, b: TimeExpression) -> bool:
    key_a, key_b = _date_key(a), _date_key(b)
    if key_a is None or key_b is None or key_a == key_b:
        return False
    if a.granularity == "day" or b.granularity == "day":
        # Weekdays differ only against weekdays; "Saturday" against "in July" is two kinds of answer, not two.
        return a.granularity == b.granularity
    return a.end_date < b.start_date or b.end_date < a.start_date  # type: ignore[operator]  # both resolved


def _show_time(time: TimeExpression) -> str:
    if time.resolved and time.start_date is not None:
        span = str(time.start_date) if time.start_date == time.end_date else f"{time.start_date} to {time.end_date}"
        return f"{time.text} ({span})"
    return time.text


def date_divergences(context: StoryContext) -> list[Divergence]:
    """One act (action and actor) dated differently: in sentences one fact holds, or in related sentences that
    also name the same target. Each sentence must carry exactly one time expression, so the date is the act's."""
    dated = [(act, _only_time(act)) for act in _acts(context) if act.actor and not act.event.negated]
    timed = [(act, time) for act, time in dated if time is not None]
    found = []
    for identity in sorted({(act.event.action, act.actor or "") for act, _ in timed}):
        same = [(act, time) for act, time in timed if (act.event.action, act.actor) == identity]
        items = [
            Item((), _show_time(time), context.evidence(act.article.id, act.sentence[1], time.start, time.end))
            for act, time in same
        ]
        linked = [
            (i, j)
            for (i, (a, time_a)), (j, (b, time_b)) in combinations(enumerate(same), 2)
            if a.article.id != b.article.id and _same_act(context, a, b) and _dates_differ(time_a, time_b)
        ]
        for group in components(items, linked):
            timed_group = [(time, item) for (_, time), item in zip(same, items, strict=True) if item in group]
            sides = _date_sides(timed_group)
            first = next(same[k][0] for k, item in enumerate(items) if item in group).event
            question = f"when: {first.actor} {first.trigger} {first.target or ''}".strip()
            if len(sides) > 1:
                found.append(build_divergence(context, "date", question, sides))
    return found


def _same_act(context: StoryContext, a: _Act, b: _Act) -> bool:
    if context.aligned(a.sentence, b.sentence):
        return True
    return a.target is not None and a.target == b.target and context.related(a.sentence, b.sentence)


def _only_time(act: _Act) -> TimeExpression | None:
    times = _times_in(act.article, act.sentence[1])
    return times[0] if len(times) == 1 and _date_key(times[0]) is not None else None


def _date_sides(timed: list[tuple[TimeExpression, Item]]) -> list[list[Item]]:
    sides: dict[str | None, list[Item]] = {}
    for time, item in timed:  # one side per day named: "Saturday" and "Saturday (2023-07-15)" agree
        sides.setdefault(_date_key(time), []).append(item)
    return list(sides.values())


# --- events: denials, actors ------------------------------------------------------------------------------------


def _mentions_in(article: Article, start: int | None, end: int | None) -> list[Mention]:
    if start is None or end is None:
        return []
    return [m for m in article.entities if start <= m.start and m.end <= end]


def _country(article: Article, start: int | None, end: int | None) -> str | None:
    """The country an argument stands for: a country, a government ("Baku said") or a ministry "of X"."""
    for mention in _mentions_in(article, start, end):
        if mention.kind == "country":
            return mention.canonical
        if mention.kind == "government":
            return mention.canonical.removeprefix("Government of ")
        of_country = re.search(r" of (?:the )?([A-Z][\w ]+)$", mention.canonical)
        if mention.kind == "organisation" and of_country:
            countries = {m.canonical for m in article.entities if m.kind == "country"}
            if of_country.group(1) in countries:
                return of_country.group(1)
    return None


def _argument_key(article: Article, start: int | None, end: int | None) -> str | None:
    """An actor or target as comparable across articles: its content words, each entity named by its canonical
    form (a government by its country), lemmatised and sorted: "the Lachin Corridor" = "the Lachin corridor",
    "Baku" (acting) = "Azerbaijan"; "the aid convoy near Kherson" != "the hospital near Kherson"."""
    if start is None or end is None or start >= end:
        return None
    words, position = [], start
    for mention in sorted(_mentions_in(article, start, end), key=lambda m: m.start):
        if mention.start < position:
            continue
        words += WORD.findall(article.text[position : mention.start])
        words.append(mention.canonical.removeprefix("Government of "))
        position = mention.end
    words += WORD.findall(article.text[position:end])
    content = sorted({lemma(word) for word in words if word.lower() not in STOP_WORDS and word.lower() != "'s"})
    return " ".join(content) or None


@dataclass(slots=True, frozen=True, eq=False)  # identity: an act is where it was read
class _Act:
    article: Article
    event: Event
    sentence: SentenceKey
    actor: str | None
    target: str | None


def _acts(context: StoryContext) -> list[_Act]:
    acts = []
    for article in context.articles.values():
        for event in article.events:
            key = sentence_key(context, article.id, event.trigger_start)
            if key is None:
                continue
            actor = _country(article, event.actor_start, event.actor_end) or _argument_key(
                article, event.actor_start, event.actor_end
            )
            target = _argument_key(article, event.target_start, event.target_end)
            acts.append(_Act(article, event, key, actor, target))
    return acts


def _act_item(context: StoryContext, act: _Act, value: str) -> Item:
    where = context.evidence(act.article.id, act.sentence[1], act.event.start, act.event.end)
    return Item((), value, where)


def _sentence_item(context: StoryContext, key: SentenceKey, value: str) -> Item:
    sentence = context.articles[key[0]].sentences[key[1]]
    return Item((), value, context.evidence(key[0], key[1], sentence.start, sentence.end))


def _fact_sentences(context: StoryContext, key: SentenceKey) -> list[SentenceKey]:
    fact = context.fact_of.get(key)
    if fact is None:
        return [key]
    return sorted(other for other, n in context.fact_of.items() if n == fact and other[0] in context.articles)


def denial_divergences(context: StoryContext) -> list[Divergence]:
    """Claims and their denials: "X denied the claims" after the claim, and acts stated in one article, negated in
    another."""
    acts = _acts(context)
    found = []
    for act in acts:  # "X denied the claims": the claim is the sentence before
        if not _denies_what_went_before(act):
            continue
        claim = _fact_sentences(context, (act.sentence[0], act.sentence[1] - 1))
        claimed = [_sentence_item(context, key, "stated") for key in claim]
        denier = act.event.actor or "someone"
        denials = [key for key in _fact_sentences(context, act.sentence) if _has_denial(context, key)]
        denied = [_sentence_item(context, key, f"denied by {denier}") for key in denials]
        question = context.articles[claim[0][0]].sentences[claim[0][1]].text  # one wording per claim: no duplicates
        found.append(build_divergence(context, "denial", f"is it so: {question}", [claimed, denied]))
    return found + _negation_divergences(context, acts)


def _denies_what_went_before(act: _Act) -> bool:
    """A `deny` event whose target points back ("denied the allegations") to a sentence that makes a claim."""
    event = act.event
    if event.action != "deny" or event.negated or not event.target or event.target_end is None:
        return False
    if not _ANAPHORIC_TARGET.match(event.target.strip()) or _NAMED_AFTER.match(act.article.text, event.target_end):
        return False
    if act.sentence[1] == 0:
        return False
    previous = act.article.sentences[act.sentence[1] - 1].text
    return bool(_CLAIM_CUE.search(previous)) and not _DENIAL_CUE.search(previous)


def _has_denial(context: StoryContext, key: SentenceKey) -> bool:
    article = context.articles[key[0]]
    sentence = article.sentences[key[1]]
    return any(
        _denies_what_went_before(_Act(article, event, key, None, None))
        for event in article.events
        if sentence.start <= event.trigger_start < sentence.end
    )


def _negation_divergences(context: StoryContext, acts: Sequence[_Act]) -> list[Divergence]:
    """One act stated in some articles and negated in others, in related sentences: "X attacked Y" / "X did not"."""
    found = []
    identities = {(act.event.action, act.actor, act.target) for act in acts if act.actor and act.target}
    for identity in sorted(identities, key=str):
        same = [act for act in acts if (act.event.action, act.actor, act.target) == identity]
        stated = [a for a in same if not a.event.negated]
        negated = [b for b in same if b.event.negated]
        pairs = [
            (a, b)
            for a in stated
            for b in negated
            if a.article.id != b.article.id and context.related(a.sentence, b.sentence)
        ]
        if not pairs:
            continue
        yes = list(dict.fromkeys(a for a, _ in pairs))
        no = list(dict.fromkeys(b for _, b in pairs))
        question = context.articles[yes[0].article.id].sentences[yes[0].sentence[1]].text
        sides = [[_act_item(context, a, "stated") for a in yes], [_act_item(context, b, "negated") for b in no]]
        found.append(build_divergence(context, "denial", f"is it so: {question}", sides))
    return found


def actor_divergences(context: StoryContext, facts: Sequence[Fact]) -> list[Divergence]:
    """Facts whose sentences give one act (action, target) to different countries."""
    by_fact: dict[int, list[_Act]] = {}
    for act in _acts(context):
        fact = context.fact_of.get(act.sentence)
        countable = _country(act.article, act.event.actor_start, act.event.actor_end) is not None
        stated = not act.event.negated and act.event.attributed_to is None
        if fact is not None and countable and stated and act.target is not None:
            by_fact.setdefault(fact, []).append(act)
    found = []
    for fact, acts in sorted(by_fact.items()):
        for same in _group_acts(acts).values():
            actors_of = {act.article.id: {a.actor for a in same if a.article.id == act.article.id} for act in same}
            if len({act.actor for act in same}) < 2 or len(actors_of) < 2:
                continue
            if any(len(actors) > 1 for actors in actors_of.values()):
                continue  # one article names two actors of the act: not a disagreement between articles
            sides: dict[str, list[Item]] = {}
            for act in same:
                sides.setdefault(act.actor or "", []).append(_act_item(context, act, act.actor or ""))
            question = f"who: {facts[fact].text}"
            found.append(build_divergence(context, "actor", question, list(sides.values())))
    return found


def _group_acts(acts: Iterable[_Act]) -> dict[tuple[str, str], list[_Act]]:
    groups: dict[tuple[str, str], list[_Act]] = {}
    for act in acts:
        groups.setdefault((act.event.action, act.target or ""), []).append(act)
    return groups


# --- causes -----------------------------------------------------------------------------------------------------


def _content_words(text: str) -> frozenset[str]:
    return frozenset(lemma(word) for word in WORD.findall(text) if word.lower() not in STOP_WORDS and len(word) > 2)


def cause_divergences(context: StoryContext, facts: Sequence[Fact]) -> list[Divergence]:
    """Facts whose sentences explain the same thing by reasons that share no content word."""
    found = []
    for fact in facts:
        reasons: list[tuple[frozenset[str], frozenset[str], Item]] = []  # what is explained, the reason, where
        for evidence in fact.evidence:
            article = context.articles.get(evidence.article_id)
            sentence = article.sentences[evidence.sentence_index] if article is not None else None
            match = _REASON.search(sentence.text) if sentence is not None else None
            if article is None or sentence is None or match is None:
                continue
            reason = _content_words(match.group("reason"))
            if len(reason) < MIN_REASON_WORDS:
                continue
            start, end = sentence.start + match.start("reason"), sentence.start + match.end("reason")
            where = context.evidence(article.id, evidence.sentence_index, start, end)
            explained = _content_words(sentence.text[: match.start()])
            reasons.append((explained, reason, Item((), match.group("reason").strip(), where)))
        if any(
            a.evidence.article_id != b.evidence.article_id and explained_a & explained_b and not reason_a & reason_b
            for (explained_a, reason_a, a), (explained_b, reason_b, b) in combinations(reasons, 2)
        ):
            found.append(build_divergence(context, "cause", f"why: {fact.text}", by_value(r[2] for r in reasons)))
    return found
