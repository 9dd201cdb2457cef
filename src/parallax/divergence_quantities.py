"""Quantity divergences (`divergences.v1`): one thing counted or measured with different amounts.

See `parallax.divergences` for the method; this module reads each article's quantities, keys them by dimension,
currency and the thing measured, links those of different articles in related sentences and builds the sides.
"""

from __future__ import annotations

import calendar
import math
import re
from datetime import date
from itertools import combinations

from parallax.divergence_model import (
    STOP_WORDS,
    WORD,
    Divergence,
    Item,
    StoryContext,
    build_divergence,
    components,
    lemma,
    sentence_key,
)
from parallax.quantities import Quantity, same_amount
from parallax.story_sentences import SentenceKey

__all__ = ["BASE_UNITS", "ROUND_UNITS", "quantity_divergences"]

NOT_A_THING = frozenset(
    {
        "low",
        "high",
        "record",
        "ago",
        "later",
        "earlier",
        "old",
        "worth",
        "more",
        "less",
        "total",
        "time",
        "each",
        "per",
        "apiece",
        "straight",
        "running",
        "row",
        "percent",
        "point",
    }
)
"""Words after an amount that name no thing measured: "a three-year *low*", "$60 billion *worth*", "five *times*"."""

_CLAUSE_BREAK = re.compile(
    r"[,;:()\u2014\u2013]|\s-\s|\d|\b(?:while|whereas|but|bringing|including|that|said|says|after|before|as|when|"
    r"which|who|and another)\b"
)
"""Where the words said of an amount stop: punctuation, another number, a conjunction or a reporting verb."""

SAID_WINDOW = 3
"""Words on each side of an amount read as what is said of it: a verb and its auxiliaries ("have now died")."""

_CALENDAR_WORDS = frozenset(
    name.lower() for name in (*calendar.day_name, *calendar.month_name, "today", "yesterday", "tomorrow") if name
)

ROUND_UNITS = frozenset({"week", "month", "year", "decade"})
"""Units in which a whole amount is read as a round figure (+- half a unit)."""

BASE_UNITS = {"duration": "days", "age": "years", "length": "m", "area": "square m", "mass": "kg", "percent": "%"}
"""The base unit of each dimension's normalised values (`quantities.normalize`), for the notes."""


def _measured(quantity: Quantity, text: str) -> str | None:
    """What a quantity counts or measures: its counted noun, else the noun right after it ("weeks of fighting")."""
    if quantity.counted:
        word = quantity.counted.split()[-1]
    else:
        after = re.match(r"\s*(?:of\s+)?(?:the\s+)?([A-Za-z][A-Za-z-]+)", text[quantity.end : quantity.end + 40])
        if after is None:
            return None
        word = after.group(1)
    if word.lower() in STOP_WORDS or lemma(word) in NOT_A_THING:
        return None
    return lemma(word)


def _said_words(quantity: Quantity, text: str, sentence: tuple[int, int]) -> frozenset[str]:
    """What is said of an amount: the lower-case content words among the `SAID_WINDOW` words before it and after
    the thing it counts, inside its clause ("*injured* 40 people", "40 people *were killed*", "eight boys in *total*").
    Names, dates and the thing counted are left out: that two sentences are about Kramatorsk on Monday does not
    make "injured 40" and "sent 29 to hospital" one question."""
    start, end = sentence
    before = WORD.findall(_CLAUSE_BREAK.split(text[start : quantity.start])[-1])[-SAID_WINDOW:]
    after = WORD.findall(_CLAUSE_BREAK.split(text[quantity.end : end])[0])
    measured = _measured(quantity, text)
    while after and lemma(after[0]) == measured:
        after = after[1:]
    window = [*before, *after[:SAID_WINDOW]]
    return frozenset(
        lemma(word)
        for word in window
        if word.islower() and word not in STOP_WORDS and len(word) > 2 and word not in _CALENDAR_WORDS
    )


def _interval(quantity: Quantity, margin: float) -> tuple[float, float]:
    """The amounts a quantity allows, in its dimension's base unit (see the `divergences` module doc)."""
    value = quantity.normalized if quantity.normalized is not None else quantity.value
    scale = value / quantity.value if quantity.value else 1.0
    low = quantity.low * scale if quantity.low is not None else value
    high = quantity.high * scale if quantity.high is not None else value
    bounds = {
        "about": (low * (1 - margin), high * (1 + margin)),
        "nearly": (low * (1 - margin), high),
        "more_than": (low, math.inf),
        "at_least": (low, math.inf),
        "less_than": (0.0, high),
        "up_to": (0.0, high),
        "vague": (low, math.inf),  # "billions", "dozens": at least the low end; the upper bound is a guess
    }
    if quantity.qualifier in bounds:
        return bounds[quantity.qualifier]
    if (
        quantity.qualifier is None
        and quantity.low is None
        and quantity.unit in ROUND_UNITS
        and quantity.value.is_integer()
    ):
        return value - scale / 2, value + scale / 2
    return low, high


def _overlapping_times(context: StoryContext, a: SentenceKey, b: SentenceKey) -> bool:
    def spans(key: SentenceKey) -> list[tuple[date, date]]:
        article = context.articles[key[0]]
        sentence = article.sentences[key[1]]
        return [
            (t.start_date, t.end_date)
            for t in article.times
            if sentence.start <= t.start < sentence.end
            and t.kind in ("date", "interval")
            and t.granularity not in ("decade",)
            and t.start_date is not None
            and t.end_date is not None
        ]

    return any(s1 <= e2 and s2 <= e1 for s1, e1 in spans(a) for s2, e2 in spans(b))


def _quantity_items(context: StoryContext) -> tuple[list[Item], dict[Item, Quantity]]:
    items, quantity_of = [], {}
    for article in context.articles.values():
        for quantity in article.quantities:
            measured = _measured(quantity, article.text)
            key = sentence_key(context, article.id, quantity.start)
            if measured is None or key is None or quantity.dimension is None or quantity.normalized is None:
                continue
            currency = quantity.unit if quantity.dimension == "money" else ""
            item = Item(
                (quantity.dimension, currency or "", measured),
                quantity.text,
                context.evidence(article.id, key[1], quantity.start, quantity.end),
            )
            items.append(item)
            quantity_of[item] = quantity
    return items, quantity_of


def quantity_divergences(context: StoryContext) -> list[Divergence]:
    """Amounts of one thing that differ across articles, grouped into sides by amount."""
    items, quantity_of = _quantity_items(context)
    found = []
    for key in sorted({item.key for item in items}):
        group = [item for item in items if item.key == key]
        linked = [(i, j) for (i, a), (j, b) in combinations(enumerate(group), 2) if _linked(context, a, b, quantity_of)]
        for component in components(group, linked):
            divergence = _quantity_divergence(context, key, component, quantity_of)
            if divergence is not None:
                found.append(divergence)
    return found


def _linked(context: StoryContext, a: Item, b: Item, quantity_of: dict[Item, Quantity]) -> bool:
    """Whether two amounts of one thing (in different articles) answer one question.

    Durations: in related sentences, or in sentences set in one period ("in the fall of 2020"): the length of one
    thing in one period is one question. Other amounts: in sentences one fact holds *and* with something said alike
    of them (`_said_words`): "*injured* 40 people" and "*sent* 29 people to *hospital*" are two questions, as are
    "four boys were *brought* out" and "eight boys in *total*". Merely similar sentences are not enough for
    counts: on AllSides NeuS val they gave "2,337 cases" (a country's total) against "433 new cases" (another
    country's day), "30 grams" (residents) against "up to 15" (visitors)."""
    if a.evidence.article_id == b.evidence.article_id:
        return False
    key_a = (a.evidence.article_id, a.evidence.sentence_index)
    key_b = (b.evidence.article_id, b.evidence.sentence_index)
    if a.key[0] == "duration":
        return context.related(key_a, key_b) or _overlapping_times(context, key_a, key_b)
    return context.aligned(key_a, key_b) and bool(_said_of(context, a, quantity_of) & _said_of(context, b, quantity_of))


def _said_of(context: StoryContext, item: Item, quantity_of: dict[Item, Quantity]) -> frozenset[str]:
    article = context.articles[item.evidence.article_id]
    sentence = article.sentences[item.evidence.sentence_index]
    return _said_words(quantity_of[item], article.text, (sentence.start, sentence.end))


def _quantity_divergence(
    context: StoryContext, key: tuple[str, ...], component: list[Item], quantity_of: dict[Item, Quantity]
) -> Divergence | None:
    sides: list[list[Item]] = []
    for item in component:
        side = next((s for s in sides if same_amount(quantity_of[s[0]], quantity_of[item])), None)
        if side is None:
            sides.append([item])
        else:
            side.append(item)
    if len(sides) < 2:
        return None
    per_article = [id_ for side in sides for id_ in {item.evidence.article_id for item in side}]
    if len(per_article) != len(set(per_article)):
        return None  # one article gives two amounts: which one answers the question is not known
    intervals = [_interval(quantity_of[side[0]], context.options.about_margin) for side in sides]
    compatible = all(lo1 <= hi2 and lo2 <= hi1 for (lo1, hi1), (lo2, hi2) in combinations(intervals, 2))
    dimension, currency, measured = key
    unit = currency or BASE_UNITS.get(dimension, "")
    readings = "; ".join(
        f"{side[0].value!r} as {_show(low, high)}{' ' + unit if unit else ''}"
        for side, (low, high) in zip(sides, intervals, strict=True)
    )
    note = f"{'compatible' if compatible else 'conflicting'}: read as ranges, {readings}"
    question = f"{dimension} of {measured}"
    return build_divergence(context, "quantity", question, sides, compatible=compatible, note=note)


def _show(low: float, high: float) -> str:
    def number(value: float) -> str:
        return f"{value:,.1f}".removesuffix(".0")

    if high == math.inf:
        return f"{number(low)} or more"
    return number(low) if low == high else f"{number(low)}-{number(high)}"
