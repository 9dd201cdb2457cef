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

Actors and targets keep the article's words and spans; `canonical` is left for the entities module.
The annotation guide, the gold set and the scores are in docs/annotation/events.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from parallax.goldsets import load_texts

__all__ = ["ACTIONS", "METHOD", "Event", "EventScores", "evaluate_events", "extract_events"]

METHOD = "events.rules.v1"
"""Versioned name of the extraction rules, stored with their output."""


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_LEXICON_PATH = Path(__file__).with_name("data") / "event_verbs.json"


@dataclass(slots=True, frozen=True)
class _Verb:
    action: str
    plover: str
    cameo: str
    needs_to: bool


def _load_lexicon() -> dict[str, _Verb]:
    raw = json.loads(_LEXICON_PATH.read_text(encoding="utf-8"))
    lexicon: dict[str, _Verb] = {}
    for action, spec in raw.items():
        if action.startswith("_"):
            continue
        for verb, cameo in spec["verbs"].items():
            lexicon[verb] = _Verb(action, spec["plover"], cameo, verb in _NEEDS_TO)
    return lexicon


_NEEDS_TO = frozenset({"ask", "press", "pressure", "tell", "order", "persuade", "appeal to"})
"""Verbs that are requests only as "asked/pressed X to …" ("asked questions", "pressed on" are not)."""
_IRREGULAR = {
    "meet": ("meets", "met", "meeting"), "hold": ("holds", "held", "holding"), "send": ("sends", "sent", "sending"),
    "cut": ("cuts", "cut", "cutting"), "shut": ("shuts", "shut", "shutting"),
    "strike": ("strikes", "struck", "striking"),
    "deny": ("denies", "denied", "denying"), "rally": ("rallies", "rallied", "rallying"),
}  # fmt: skip
_DOUBLED = {"ban": "bann", "slam": "slamm", "veto": "veto"}


def _inflections(lemma: str) -> tuple[str, ...]:
    if lemma in _IRREGULAR:
        return (lemma, *_IRREGULAR[lemma])
    if lemma == "veto":
        return ("veto", "vetoes", "vetoed", "vetoing")
    stem = _DOUBLED.get(lemma, lemma)
    if lemma.endswith("e"):
        return (lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing")
    suffix_s = "es" if lemma.endswith(("s", "sh", "ch", "x")) else "s"
    return (lemma, lemma + suffix_s, stem + "ed", stem + "ing")


def _form_table(lexicon: dict[str, _Verb]) -> dict[str, str]:
    forms: dict[str, str] = {}
    for entry in lexicon:
        head, *rest = entry.split()
        for form in _inflections(head):
            forms[" ".join([form, *rest])] = entry
    return forms


_LEXICON = _load_lexicon()
_FORMS = _form_table(_LEXICON)
ACTIONS: tuple[str, ...] = tuple(dict.fromkeys(verb.action for verb in _LEXICON.values()))
"""The action classes, in the lexicon's order."""


def _patterns_by_first_word(forms: dict[str, str]) -> dict[str, re.Pattern[str]]:
    """One small pattern per first word ("held" -> "held talks|held meetings with|held"): a dict lookup per word
    of the text is much faster than one large alternation over it."""
    grouped: dict[str, list[str]] = {}
    for form in forms:
        grouped.setdefault(form.split()[0], []).append(form)
    return {
        first: re.compile(
            "(?:"
            + "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in sorted(group, key=len, reverse=True))
            + r")\b",
            re.IGNORECASE,
        )
        for first, group in grouped.items()
    }


_TRIGGERS_BY_FIRST_WORD = _patterns_by_first_word(_FORMS)
_LETTERS = re.compile(r"(?<![\w'’])[A-Za-z]+")
_NOUN_BEFORE = re.compile(
    r"(?:\b(?:the|a|an|his|her|their|its|our|my|this|that|these|those|of|in|on|for|no|any|each|every|new|behind|"
    r"with|from|at|under|about|against|into|without|"
    r"recent|military|such|last|first|air|missile|drone|terror|terrorist|talks|peace)|['’]s)\s+$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|\n+")
_ABBREVIATION_BEFORE = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|St|Lt|Col|Jr|Sgt|No)|\b[A-Z])$")
_CLAUSE_BREAK = re.compile(
    r"(?:[,;:—–(]|\b(?:and|but|while|because|although|though|after|before|when|where|which|who|that|if|as|"
    r"since|until|so)\b)\s*",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(?:not|cannot|never|no\s+longer|refused\s+to|declined\s+to|failed\s+to|refuses\s+to|declines\s+to|fails\s+to)\b|n['’]t\b",
    re.IGNORECASE,
)
_PASSIVE_AUX = re.compile(r"\b(?:was|were|is|are|been|being|be|got|get)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_NAME = r"(?:[A-Z][\w.'’&-]*|U\.S\.)"
_SUBJECT_STOP = _words(
    "he she they it we i who which that the a an and or but to in on at for with by from as is are was were has "
    "have had be been not never also said says say claimed claims alleged alleges insisted insists argued argues "
    "warned warns told added stated reported believes believed"
)
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
_RELATIVE_END = re.compile(r"\s*,?\s*\b(?:who|which)\s*$")
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
_PARTICIPLES = frozenset({"met", "held", "struck", "cut", "shut", "sent", "shot"})
_NOT_TARGET = _words(
    "why what whether how when where if yet that to it's not been in on at during after before since until over "
    "from into as than about this by"
)
_NAME_INNER = frozenset({"of", "the", "for", "and", "al", "bin", "de", "van", "von", "la", "le"})
_OPENING_SUBJECT = re.compile(
    r"(?:(?:the|a|an|The|A|An)\s+)?(?:(?:" + _NAME + r"|of|and|the)\s+){0,6}" + _NAME + r"(?=\s*[,(]|\s+[a-z])"
)
_DETERMINERS = frozenset({"the", "a", "an"})
_WORD = re.compile(r"\d[\d,.]*\d|[\w.'’&-]+")
_SKIPPABLE = re.compile(
    r"(?i:has|have|had|was|were|is|are|be|been|being|will|would|could|should|may|might|must|can|did|does|do|"
    r"hasn['’]t|haven['’]t|hadn['’]t|wasn['’]t|weren['’]t|isn['’]t|aren['’]t|won['’]t|wouldn['’]t|couldn['’]t|"
    r"didn['’]t|doesn['’]t|don['’]t|can['’]t|not|never|also|again|then|later|already|once|still|no|longer|"
    r"reportedly|allegedly|repeatedly|\w+ly|early|late|now|today|yesterday|tonight|jointly|even)"
)
_TRAILING_ADJUNCT = re.compile(
    r"(?:,\s*)?(?:\b(?:on|in|at|during|last|this|early|late|through|via|over)\s+(?:(?:a|an|the|his|her|its|their)\s+)?"
    r"(?:statement|tweet|interview|letter|speech|Twitter|Facebook|week|month|year|night|morning|afternoon|evening|"
    r"weekend|day|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|"
    r"June|July|August|September|October|November|December)(?:\s+\d{1,2})?)|\b(?:Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday)|\b(?:January|February|March|April|June|July|August|September|October|November|"
    r"December|May)\s+\d{1,2})\s*,?\s*$"
)
"""Time and medium adjuncts between a subject and its verb ("Tlaib on Friday rejected", "X in a statement
accused"), cut off before the subject is read."""
_INFINITIVE_BEFORE = re.compile(r"\b(?:\w+)\s+to\s+$")
"""A catenative verb and "to" ("refused to", "is expected to", "threatened to") between a subject and the verb."""
_PARTICLE = r"(?:(?:with|on|upon|for|to|against|off|down|by)\s+)?"
_NP_AFTER = re.compile(
    _PARTICLE + r"(?P<np>(?:(?:the|a|an|its|his|her|their)\s+)?(?:[\w.'’&-]+\s+){0,4}?[\w.'’&-]+?)"
    r"(?=\s+(?:of|to|for|over|in|on|at|with|from|after|before|during|into|that|and|but|as|who|which|by|"
    r"because|while|if|when|amid|since|until|has|have|had|is|are|was|were|will|would|could|should|said|says|"
    r"says|told|under|across|despite|without)\b|\s*[,;:!?)\"”—–]|\s*$|"
    r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bGen)(?<!\bSen)(?<!\bRep)(?<!\bGov)(?<!\bSt)(?<!U\.S)\.(?![\w-]))",
)
_ATTRIBUTION = re.compile(
    r"(?P<spk>(?:(?:the|a|an)\s+)?(?:" + _NAME + r"\s+){0,5}" + _NAME + r"|(?:the|a|an)\s+[a-z]+(?:\s+[a-z]+)?)\s+"
    r"(?:\w+ly\s+)?(?:has\s+|have\s+)?(?:said|says|say|claimed|claims|claim|alleged|alleges|insisted|insists|"
    r"argued|argues|warned|warns|told\s+[\w\s]{1,30}?|added|stated|reported|believes|believed)\s+(?:that\s+)?"
)
_TRAILING_ATTRIBUTION = re.compile(
    r",\s+(?:(?P<spk>(?:(?:the|a|an)\s+)?(?:[\w.'’&-]+\s+){0,4}?[\w.'’&-]+)\s+(?:said|says|claimed|claims|alleged|"
    r"added|reported|told\s+[\w\s]{1,30}?)|(?:said|says|claimed)\s+(?P<spk2>[^,.;]{2,60}?))\s*[.!?\"”]*$"
)
_ACCORDING = re.compile(r"[Aa]ccording\s+to\s+(?P<spk>[^,.;]{2,60}?)\s*,")
_NOUNISH = _words(
    "meet attack protest march strike promise sanction visit ban rally charge host station demand offer call "
    "shell bomb block boycott press blame suspend halt close hold mass order request fight talk push pledge target "
    "pressure"
)
"""Verbs whose forms are often nouns or adjectives; they need a finite-verb context (see `_verb_use`)."""
_PREVIOUS_WORD = re.compile(r"([\w'’.-]+)[,]?\s+$")
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
MAX_ARGUMENT_WORDS = 8
"""A noun phrase longer than this is a clause, not an actor or target; such arguments are left empty."""


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
    canonical: str | None = None


@dataclass(slots=True, frozen=True)
class _Span:
    text: str
    start: int
    end: int


def _sentences(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if text[match.start()] == "." and _ABBREVIATION_BEFORE.search(text, max(0, match.start() - 4), match.start()):
            continue
        bounds.append((start, match.start() + 1))
        start = match.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


def _clause_start(text: str, sent_start: int, pos: int) -> int:
    start = sent_start
    for match in _CLAUSE_BREAK.finditer(text, sent_start, pos):
        start = match.end()
    return start


def _actor_end(text: str, clause_start: int, trigger_start: int) -> int:
    """Where the subject ends: before the auxiliaries, adverbs, adjuncts and catenative verbs before the verb."""
    end = trigger_start
    while True:
        previous = end
        words = list(_WORD.finditer(text, max(clause_start, end - 40), end))
        if words and _SKIPPABLE.fullmatch(words[-1].group(0)):
            end = words[-1].start()
        infinitive = _INFINITIVE_BEFORE.search(text, clause_start, end)
        if infinitive is not None:
            end = infinitive.start()
        adjunct = _TRAILING_ADJUNCT.search(text, clause_start, end)
        if adjunct is not None and adjunct.start() > clause_start:
            end = adjunct.start()
        if end == previous:
            return end


def _actor(text: str, clause_start: int, trigger_start: int) -> _Span | None:
    end = _actor_end(text, clause_start, trigger_start)
    words = list(_WORD.finditer(text, max(clause_start, end - 160), end))
    if not words:
        return None
    last = words[-1]
    if last.group(0).lower() in _PRONOUNS:
        return _Span(last.group(0), last.start(), last.end())
    kept: list[re.Match[str]] = []
    for word in reversed(words):
        token = word.group(0)
        lowered = token.lower()
        if kept and text[word.end() : kept[-1].start()].strip():
            break  # punctuation between the words: the noun phrase ended there
        if lowered in _DETERMINERS:
            kept.append(word)
            break
        if lowered in _SUBJECT_STOP or len(kept) == MAX_ARGUMENT_WORDS:
            break
        if kept and kept[0].group(0)[0].isupper() and not token[0].isupper() and lowered not in _NAME_INNER:
            break  # a name ends a phrase of lowercase words ("a deal Netanyahu condemned")
        kept.append(word)
        if token[0].isdigit():
            break
    if not kept or (
        len(kept) > 2 and not any(w.group(0)[0].isupper() or w.group(0).lower() in _DETERMINERS for w in kept)
    ):
        return None
    start, end = kept[-1].start(), kept[0].end()
    if text[start:end].lower() in _DETERMINERS:
        return None
    return _Span(text[start:end], start, end)


def _fallback_actor(text: str, sent_start: int, clause_start: int) -> _Span | None:
    """The subject of a relative clause ("Newsom, who criticized …") or of a participle ("X …, demanding …")."""
    head = text[sent_start:clause_start]
    relative = _RELATIVE_END.search(head)
    if relative is not None:
        return _actor(text, sent_start, sent_start + relative.start())
    if head.rstrip().endswith(","):
        return _sentence_subject(text, sent_start, clause_start)
    return None


def _object_fits(entry: str, target: _Span | None, after: str) -> bool:
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


def _sentence_subject(text: str, sent_start: int, limit: int) -> _Span | None:
    """The name or description opening the sentence, for participles and relative clauses ("X, who accused …")."""
    match = _OPENING_SUBJECT.match(text, sent_start, limit)
    if match is None or match.group(0).lower() in _DETERMINERS or match.group(0).split()[0].lower() in _NOT_TARGET:
        return None
    return _Span(match.group(0), match.start(), match.end())


def _target(text: str, trigger_end: int, sent_end: int, *, after_that: bool = False) -> _Span | None:
    start = _skip_space(text, trigger_end)
    if after_that and text.startswith("that ", start):
        start += len("that ")
    match = _NP_AFTER.match(text, start, sent_end)
    if match is None:
        return None
    phrase = match.group("np")
    first = phrase.lower().split()[0]
    if first in _NOT_TARGET or first.endswith("ly") or len(phrase.split()) > MAX_ARGUMENT_WORDS:
        return None
    return _Span(phrase, match.start("np"), match.end("np"))


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def _attribution(text: str, sentence: tuple[int, int], limit: int) -> str | None:
    """The speaker of the reported clause holding the position `limit`, or None when it is stated as fact."""
    sent_start, sent_end = sentence
    leading = None
    for found in _ATTRIBUTION.finditer(text, sent_start, limit):
        leading = found
    if leading is not None:
        return leading.group("spk")
    according = _ACCORDING.search(text, sent_start, sent_end)
    if according is not None:
        return according.group("spk")
    trailing = _TRAILING_ATTRIBUTION.search(text, limit, sent_end)
    return (trailing.group("spk") or trailing.group("spk2")) if trailing else None


def _verb_use(text: str, match: re.Match[str], entry: str, sentence: tuple[int, int]) -> bool:
    """False for the noun readings of verbs that double as nouns ("a meeting", "attacks on", "March 5")."""
    sent_start, sent_end = sentence
    # "March 5" is a date; "Meet the Press" or "Fox News Host" mid-sentence is a name, not a verb.
    if re.match(r"\s*\d", text[match.end() : match.end() + 3]) or (
        match.group(0)[0].isupper() and match.start() > sent_start and not _headline(text[sent_start:sent_end])
    ):
        return False
    head = entry.split(maxsplit=1)[0]
    form = match.group(0).split()[0].lower()
    if head not in _NOUNISH or form.endswith("ed") or form in _PARTICIPLES:
        return True
    previous = _PREVIOUS_WORD.search(text, sent_start, match.start())
    if previous is None:
        return form == head and match.group(0)[0].isupper()
    word = previous.group(1)
    capitalised_subject = word[0].isupper() and word.lower() not in _NOT_SUBJECT
    if form.endswith("ing"):
        return (
            word.lower() in _ING_BEFORE
            or previous.group(0).rstrip().endswith(",")
            or capitalised_subject
            or (word.endswith("s") and not word.endswith("'s"))
        )
    finite = word.lower() in _FINITE_BEFORE or word.lower().endswith(("ly", "n't", "n’t"))
    plural_subject = word.endswith("s") and not word.endswith(("'s", "’s"))
    if form != head:  # "attacks", "sanctions", "talks": third person or plural noun
        plural_subject = False
        capitalised_subject = capitalised_subject and head not in _MOSTLY_NOUNS
    return finite or capitalised_subject or plural_subject


def _headline(sentence: str) -> bool:
    words = [w for w in sentence.split() if w[0].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _event(text: str, match: re.Match[str], sentence: tuple[int, int]) -> Event | None:
    entry = _FORMS[re.sub(r"\s+", " ", match.group(0).lower())]
    verb = _LEXICON[entry]
    sent_start, sent_end = sentence
    if _NOUN_BEFORE.search(text, max(sent_start, match.start() - 40), match.start()):
        return None
    if not _verb_use(text, match, entry, sentence):
        return None
    clause_start = _clause_start(text, sent_start, match.start())
    target = _target(text, match.end(), sent_end, after_that=verb.action == "demand")
    if verb.needs_to and (target is None or not re.match(r"\s+to\b", text[target.end : target.end + 5])):
        return None
    if not _object_fits(entry, target, text[match.end() : match.end() + 6]):
        return None
    before = text[clause_start : match.start()]
    participle = match.group(0).split()[0].lower()
    by = re.match(r"\s+by\s+", text[match.end() : match.end() + 6])
    passive = participle.endswith("ed") or participle in _PARTICIPLES
    if passive and (by is not None or _PASSIVE_AUX.search(before)):
        if entry == "meet":
            return None  # "conditions are met by": meet in the sense of satisfy
        actor = _target(text, match.end() + by.end(), sent_end) if by is not None else None
        target = _actor(text, clause_start, match.start()) or _fallback_actor(text, sent_start, clause_start)
    else:
        actor = _actor(text, clause_start, match.start()) or _fallback_actor(text, sent_start, clause_start)
    attributed_to = _attribution(text, sentence, actor.start if actor else match.start())
    if actor is not None and attributed_to == actor.text:
        attributed_to = None
    return Event(
        start=sent_start,
        end=sent_end,
        trigger=match.group(0),
        trigger_start=match.start(),
        trigger_end=match.end(),
        action=verb.action,
        plover=verb.plover,
        cameo=verb.cameo,
        actor=actor.text if actor else None,
        actor_start=actor.start if actor else None,
        actor_end=actor.end if actor else None,
        target=target.text if target else None,
        target_start=target.start if target else None,
        target_end=target.end if target else None,
        negated=bool(_NEGATION.search(before)),
        attributed_to=attributed_to,
    )


def extract_events(text: str) -> list[Event]:
    """Find actor–action–target events in `text`, in text order, with exact character spans.

    >>> [(e.actor, e.action, e.target) for e in extract_events("Baku accused Moscow of inaction.")]
    [('Baku', 'accuse', 'Moscow')]
    """
    if not isinstance(text, str):
        raise TypeError(f"extract_events takes the article text as str, not {type(text).__name__}")
    events: list[Event] = []
    for sentence in _sentences(text):
        for match in _triggers(text, *sentence):
            event = _event(text, match, sentence)
            if event is not None:
                events.append(event)
    return events


def _triggers(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    taken = start
    for word in _LETTERS.finditer(text, start, end):
        pattern = _TRIGGERS_BY_FIRST_WORD.get(word.group(0).lower())
        if pattern is None or word.start() < taken:
            continue
        match = pattern.match(text, word.start(), end)
        if match is not None:
            taken = match.end()
            yield match


@dataclass(slots=True, frozen=True)
class EventScores:
    """Event extraction scores over a gold set; `items` is the number of gold events."""

    precision: float
    recall: float
    f1: float
    action_accuracy: float
    actor_accuracy: float
    target_accuracy: float
    negation_accuracy: float
    attribution_accuracy: float
    items: int


def _agree(gold: str | None, predicted: str | None) -> bool:
    if gold is None or predicted is None:
        return gold is None and predicted is None
    gold_last, pred_last = gold.lower().split()[-1], predicted.lower().split()[-1]
    return gold_last in predicted.lower() or pred_last in gold.lower()


def evaluate_events(gold_path: Path, data_root: Path) -> EventScores:
    """Score `extract_events` on a gold file of `{"dataset", "id", "events"}` records (match: trigger overlap)."""
    records = [json.loads(line) for line in Path(gold_path).read_text(encoding="utf-8").splitlines() if line]
    wanted: dict[str, set[str]] = {}
    for record in records:
        wanted.setdefault(record["dataset"], set()).add(record["id"])
    texts = load_texts(Path(data_root), wanted)
    gold_total = predicted_total = matched = right_action = right_actor = right_target = 0
    right_negation = right_attribution = 0
    for record in records:
        free = extract_events(texts[record["dataset"], record["id"]])
        predicted_total += len(free)
        gold_total += len(record["events"])
        for gold in record["events"]:
            found = next(
                (e for e in free if e.trigger_start < gold["trigger_end"] and gold["trigger_start"] < e.trigger_end),
                None,
            )
            if found is None:
                continue
            free.remove(found)
            matched += 1
            right_action += found.action == gold["action"]
            right_actor += _agree(gold["actor"], found.actor)
            right_target += _agree(gold["target"], found.target)
            right_negation += found.negated == gold["negated"]
            right_attribution += _agree(gold["attributed_to"], found.attributed_to)
    precision = matched / predicted_total if predicted_total else 0.0
    recall = matched / gold_total if gold_total else 0.0
    return EventScores(
        precision=precision,
        recall=recall,
        f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        action_accuracy=right_action / matched if matched else 0.0,
        actor_accuracy=right_actor / matched if matched else 0.0,
        target_accuracy=right_target / matched if matched else 0.0,
        negation_accuracy=right_negation / matched if matched else 0.0,
        attribution_accuracy=right_attribution / matched if matched else 0.0,
        items=gold_total,
    )
