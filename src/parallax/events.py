"""Political events in an article's clean text: who did what to whom, as actor–action–target statements.

Rules over the text, no model (`events.rules.v1`):

1. A trigger is a verb of the lexicon in `data/event_verbs.json` (ten action classes: accuse, demand, deny,
   meet, restrict, offer, recognise, deploy, attack, protest), in any inflection or phrasal form
   ("called on", "held talks with", "cut off"). A form preceded by a determiner or a possessive is a noun
   ("the attack", "Trump's meeting") and is skipped; verbs that double as nouns need a verbal context.
2. Each class maps to a PLOVER event type (openeventdata/PLOVER, CAMEO2PLOVER-2021; Halterman et al. 2023,
   "PLOVER and POLECAT: A New Political Event Ontology and Dataset") and each verb to its CAMEO root code.
3. The actor is the noun phrase right before the verb in its clause (past auxiliaries, negation and adverbs);
   the target is the noun phrase after it (after a particle or preposition such as "with", "on", "for").
   Passive voice ("was attacked by X") swaps them.
4. "not", "cannot", "n't", "never", "no longer", "refused/declined/failed to" before the verb in its clause
   set `negated`.
5. A trigger inside a clause reported by `X said/says/claims/alleges (that) …` or `according to X` is X's
   claim: `attributed_to` is X.

Speed: 0.53 ms per article (5,700 characters on average; 1.1 ms before) over the first 1,000 articles of
`allsides_baly_bias` on one core. The lexicon's forms are found with one trie-shaped regular expression over the
lower-cased text (`parallax.event_lexicon`), so only the dozen or so triggers of an article reach Python code, and
the checks on the words before a trigger read back from it (`parallax.event_context`) instead of searching the
clause.

Actors and targets keep the article's words and spans; `actor_canonical` and `target_canonical` are filled
in by `parallax.links` from the article's entities when the annotate stage reads them.
The annotation guide, the gold set and the scores are in docs/annotation/events.md; the scorer is
`parallax.evaluate_events`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from parallax import event_arguments as arguments
from parallax import event_context as context
from parallax.event_lexicon import ACTIONS, LEXICON, TriggerScan, entry_of
from parallax.model import compact_pickle

__all__ = ["ACTIONS", "METHOD", "Event", "extract_events"]

METHOD = "events.rules.v1"
"""Versioned name of the extraction rules, stored with their output."""


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_SENTENCE_END = re.compile(r"[.!?\n](?:(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|(?<=\n)\n*)")
"""A sentence ends at ., ! or ? (then closing quotes or brackets, space and a capital or digit) or at line breaks.
Written to start with one character class, which lets the regular-expression engine skip ahead to candidates."""
_ABBREVIATION_BEFORE = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|St|Lt|Col|Jr|Sgt|No)|\b[A-Z])$")
"""A full stop after these ("Mr. Putin", "John F. Kennedy") ends no sentence."""
_ABBREVIATION_LAST = frozenset("rsnpvtlo\nABCDEFGHIJKLMNOPQRSTUVWXYZ")
"""The characters that can come right before the full stop of an abbreviation (the `$` of `_ABBREVIATION_BEFORE`
also matches before a final line break)."""
_NOT_STRUCK = re.compile(
    r"\b(?:deal|agreement|note|tone|chord|balance|compromise|bargain|pact|accord)\b", re.IGNORECASE
)
_MEETABLE = re.compile(
    r"\b[A-Z]|\b(?:counterparts?|leaders?|officials?|president|minister|delegation|envoys?|representatives|"
    r"lawmakers|senators|members)\b"
)
_FORCES = re.compile(
    r"\b(?:troops|forces|soldiers|battalions?|brigades?|divisions?|units|marines|warships?|ships|jets|"
    r"aircraft|bombers|peacekeepers|reinforcements|police|tanks)\b",
    re.IGNORECASE,
)
"""Objects that make "send" a deployment ("sent troops") rather than a letter or a message."""
_DIGIT_NEXT = re.compile(r"\s*\d")
_TO_NEXT = re.compile(r"\s+to\b")
_BY_NEXT = re.compile(r"\s+by\s+")
_PARTICIPLES = frozenset({"met", "held", "struck", "cut", "shut", "sent", "shot"})
_NOUNISH = _words(
    "meet attack protest march strike promise sanction visit ban rally charge host station demand offer call "
    "shell bomb block boycott press blame suspend halt close hold mass order request fight talk push pledge target "
    "pressure"
)
"""Verbs whose forms are often nouns or adjectives; they need a finite-verb context (see `_verb_use`)."""
_ING_BEFORE = frozenset(
    ["was", "were", "is", "are", "be", "been", "being", "while", "after", "before", "by", "without", "when", "from"]
)
_FINITE_BEFORE = _words(
    "to will would could should may might must can did do does not never n't he she they we i who which that also "
    "again still then repeatedly jointly"
)
_MOSTLY_NOUNS = _words("sanction protest strike demand call talk rally march charge ban offer promise pledge target")
"""Heads whose -s form after a name is nearly always a plural noun ("European Union sanctions on …")."""
_NOT_SUBJECT = frozenset(["the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "our"])


@compact_pickle
@dataclass(slots=True, frozen=True)
class Event:
    """One actor–action–target statement, with the sentence span, the trigger verb and the argument spans."""

    start: int
    end: int
    trigger: str
    trigger_start: int
    trigger_end: int
    action: str
    plover: str
    cameo: str
    actor: str | None
    actor_start: int | None
    actor_end: int | None
    target: str | None
    target_start: int | None
    target_end: int | None
    negated: bool
    attributed_to: str | None
    actor_canonical: str | None = None
    """The entity the actor is, in its canonical form, once linked to the article's entities (`parallax.links`)."""
    target_canonical: str | None = None
    """The same for the target."""


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; together they hold every letter of the text."""
    bounds, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        stop = end.start()
        if (
            stop
            and text[stop - 1] in _ABBREVIATION_LAST
            and text[stop] == "."
            and _ABBREVIATION_BEFORE.search(text, max(0, stop - 4), stop)
        ):
            continue
        bounds.append((start, stop + 1))
        start = end.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


def _object_fits(entry: str, target: arguments.Span | None, after: str) -> bool:
    """False for idioms whose object shows the verb is not an event ("struck a deal", "close to", "meet it")."""
    if entry == "strike" and target is not None and _NOT_STRUCK.search(target.text):
        return False
    if entry == "fight" and re.match(r"\s+(?:for|to|over)\b", after):
        return False
    if entry == "close" and re.match(r"\s+to\b", after):
        return False
    if entry == "meet":
        return target is not None and bool(_MEETABLE.search(target.text))
    if entry == "send":
        return target is not None and bool(_FORCES.search(target.text))
    return True


def _verb_use(text: str, trigger: tuple[int, int], entry: str, sentence: tuple[int, int]) -> bool:
    """False for the noun readings of verbs that double as nouns ("a meeting", "attacks on", "March 5")."""
    sent_start, sent_end = sentence
    start, end = trigger
    found = text[start:end]
    # "March 5" is a date; "Meet the Press" or "Fox News Host" mid-sentence is a name, not a verb.
    if _DIGIT_NEXT.match(text, end, end + 3) or (
        found[0].isupper() and start > sent_start and not _headline(text[sent_start:sent_end])
    ):
        return False
    head = entry.split(maxsplit=1)[0]
    form = found.split()[0].lower()
    if head not in _NOUNISH or form.endswith("ed") or form in _PARTICIPLES:
        return True
    previous = context.previous_word(text, sent_start, start)
    if previous is None:
        return form == head and found[0].isupper()
    word, comma_after = previous
    capitalised_subject = word[0].isupper() and word.lower() not in _NOT_SUBJECT
    if form.endswith("ing"):
        return (
            word.lower() in _ING_BEFORE
            or comma_after
            or capitalised_subject
            or (word.endswith("s") and not word.endswith("'s"))
        )
    finite = word.lower() in _FINITE_BEFORE or word.lower().endswith(("ly", "n't", "n’t"))
    plural_subject = word.endswith("s") and not word.endswith(("'s", "’s"))
    if form != head:  # "attacks", "sanctions", "talks": third person or plural noun
        plural_subject = False
        capitalised_subject = capitalised_subject and head not in _MOSTLY_NOUNS
    return finite or capitalised_subject or plural_subject


@lru_cache(maxsize=64)
def _headline(sentence: str) -> bool:
    words = [w for w in sentence.split() if w[0].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _event(text: str, trigger: tuple[int, int], sentence: tuple[int, int]) -> Event | None:
    """The event of one trigger, or None when the form is a noun, an idiom or a request without "to"."""
    start, end = trigger
    found = text[start:end]
    entry = entry_of(found)
    verb = LEXICON[entry]
    sent_start, sent_end = sentence
    if context.noun_before(text, sent_start, start):
        return None
    if not _verb_use(text, trigger, entry, sentence):
        return None
    clause_start = arguments.find_clause_start(text, sent_start, start)
    target = arguments.target(text, end, sent_end, after_that=verb.action == "demand")
    if verb.needs_to and (target is None or not _TO_NEXT.match(text, target.end, target.end + 5)):
        return None
    if not _object_fits(entry, target, text[end : end + 6]):
        return None
    before = text[clause_start:start]
    participle = found.split()[0].lower()
    by = _BY_NEXT.match(text, end, end + 6)
    passive = participle.endswith("ed") or participle in _PARTICIPLES
    if passive and (by is not None or context.passive_auxiliary_before(text, clause_start, start)):
        if entry == "meet":
            return None  # "conditions are met by": meet in the sense of satisfy
        actor = arguments.target(text, by.end(), sent_end) if by is not None else None
        target = arguments.actor(text, clause_start, start) or arguments.fallback_actor(text, sent_start, clause_start)
    else:
        actor = arguments.actor(text, clause_start, start) or arguments.fallback_actor(text, sent_start, clause_start)
    attributed_to = arguments.attribution(text, sentence, actor.start if actor else start)
    if actor is not None and attributed_to == actor.text:
        attributed_to = None
    return Event(
        start=sent_start,
        end=sent_end,
        trigger=found,
        trigger_start=start,
        trigger_end=end,
        action=verb.action,
        plover=verb.plover,
        cameo=verb.cameo,
        actor=actor.text if actor else None,
        actor_start=actor.start if actor else None,
        actor_end=actor.end if actor else None,
        target=target.text if target else None,
        target_start=target.start if target else None,
        target_end=target.end if target else None,
        negated=context.negated(before),
        attributed_to=attributed_to,
    )


def extract_events(text: str) -> list[Event]:
    """Find actor–action–target events in `text`, in text order, with exact character spans.

    >>> [(e.actor, e.action, e.target) for e in extract_events("Baku accused Moscow of inaction.")]
    [('Baku', 'accuse', 'Moscow')]
    """
    if not isinstance(text, str):
        raise TypeError(f"extract_events takes the article text as str, not {type(text).__name__}")
    scan = TriggerScan(text)
    triggers = scan.text_spans()
    if not triggers:
        return []
    sentences = _sentences(text)
    if any("\n" in text[start:end] for start, end in triggers):
        # A phrasal form broken by a line break, which ends a sentence: scan sentence by sentence instead.
        found = [(trigger, sentence) for sentence in sentences for trigger in scan.spans(*sentence)]
    else:
        found = list(_in_sentences(triggers, sentences))
    events = []
    for trigger, sentence in found:
        event = _event(text, trigger, sentence)
        if event is not None:
            events.append(event)
    return events


def _in_sentences(
    triggers: list[tuple[int, int]], sentences: list[tuple[int, int]]
) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
    """Each trigger with the sentence that holds it (every letter of a text is in one of its sentences)."""
    index = 0
    for trigger in triggers:
        while sentences[index][1] <= trigger[0]:
            index += 1
        yield trigger, sentences[index]
