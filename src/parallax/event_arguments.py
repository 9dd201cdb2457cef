"""The arguments of an event trigger in `events.rules.v1`: actor, target and the speaker it is attributed to.

The actor is the noun phrase right before the verb in its clause (past auxiliaries, negation, adverbs, time
adjuncts and catenative verbs are skipped); the target is the noun phrase after it (after a particle or
preposition such as "with", "on", "for"). A trigger inside a clause reported by `X said/says/claims/alleges
(that) …` or `according to X` is X's claim. All spans are character offsets into the article text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parallax.event_context import infinitive_start

__all__ = ["MAX_ARGUMENT_WORDS", "Span", "actor", "attribution", "fallback_actor", "find_clause_start", "target"]


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_CLAUSE_PUNCTUATION = ",;:—–("
_CLAUSE_WORDS = _words(
    "and but while because although though after before when where which who that if as since until so"
)
_CLAUSE_WORD_REVERSED = re.compile(r"\b(?:" + "|".join(sorted(w[::-1] for w in _CLAUSE_WORDS)) + r")\b", re.I)
"""A clause starts after the last of these punctuation marks or conjunctions (then white space) before a verb.
The words are matched in the reversed text, so the search stops at the last one instead of passing them all."""
_NAME = r"(?:[A-Z][\w.'’&-]*|U\.S\.)"
_SUBJECT_STOP = _words(
    "he she they it we i who which that the a an and or but to in on at for with by from as is are was were has "
    "have had be been not never also said says say claimed claims alleged alleges insisted insists argued argues "
    "warned warns told added stated reported believes believed"
)
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
_RELATIVE_END = re.compile(r"\s*,?\s*\b(?:who|which)\s*$")
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
ADJUNCT_LONGEST = 31
"""Longest match of `_TRAILING_ADJUNCT` with single white space: ", through their September 30 , "."""
ADJUNCT_WINDOW = ADJUNCT_LONGEST + 9
_SPACE_RUN = re.compile(r"\s\s")
_PARTICLE = r"(?:(?:with|on|upon|for|to|against|off|down|by)\s+)?"
_NP_AFTER = re.compile(
    _PARTICLE + r"(?P<np>(?:(?:the|a|an|its|his|her|their)\s+)?(?:[\w.'’&-]+\s+){0,4}?[\w.'’&-]+?)"
    # The first look-ahead only restates what the second needs next (a space, a mark or the end), so that
    # positions inside a word fail at once; the lazy quantifiers above try every one of them.
    r"(?=[\s,;:!?)\"”—–.]|$)(?=\s+(?:of|to|for|over|in|on|at|with|from|after|before|during|into|that|and|but|as|who|which|by|"
    r"because|while|if|when|amid|since|until|has|have|had|is|are|was|were|will|would|could|should|said|says|"
    r"says|told|under|across|despite|without)\b|\s*[,;:!?)\"”—–]|\s*$|"
    r"(?=\.)(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bGen)(?<!\bSen)(?<!\bRep)(?<!\bGov)(?<!\bSt)(?<!U\.S)\.(?![\w-]))",
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
_SAYING_CUES = _words("said say claim alleg insist argue warn told added stated reported believe")
"""Every match of `_ATTRIBUTION` holds one of these, so a clause without any skips that search."""
_TRAILING_SAYING_CUES = _words("said says claim alleged added reported told")
"""Every match of `_TRAILING_ATTRIBUTION` holds one of these (and a comma)."""
MAX_ARGUMENT_WORDS = 8
"""A noun phrase longer than this is a clause, not an actor or target; such arguments are left empty."""


@dataclass(slots=True, frozen=True)
class Span:
    """A phrase of the text and its character offsets."""

    text: str
    start: int
    end: int


def find_clause_start(text: str, sent_start: int, pos: int) -> int:
    """Where the clause holding `pos` starts: after the last comma, dash or conjunction before it."""
    punctuation = max(text.rfind(mark, sent_start, pos) for mark in _CLAUSE_PUNCTUATION)
    begin = punctuation + 1 if punctuation >= 0 else sent_start
    # One character more on the left, so that a word cut by `begin` has no word boundary there.
    context = max(0, begin - 1)
    word = _CLAUSE_WORD_REVERSED.search(text[context:pos][::-1])
    if word is not None and pos - word.end() >= begin:
        token_end = pos - word.start()
    elif punctuation >= 0:
        token_end = punctuation + 1
    else:
        return sent_start
    rest = text[token_end:pos]
    return token_end + len(rest) - len(rest.lstrip())


def _actor_end(text: str, clause_start: int, trigger_start: int) -> int:
    """Where the subject ends: before the auxiliaries, adverbs, adjuncts and catenative verbs before the verb."""
    end = trigger_start
    while True:
        previous = end
        words = list(_WORD.finditer(text, max(clause_start, end - 40), end))
        if words and _SKIPPABLE.fullmatch(words[-1].group(0)):
            end = words[-1].start()
        infinitive = infinitive_start(text, clause_start, end)
        if infinitive is not None:
            end = infinitive
        adjunct = _trailing_adjunct_start(text, clause_start, end)
        if adjunct > clause_start:
            end = adjunct
        if end == previous:
            return end


def _trailing_adjunct_start(text: str, clause_start: int, end: int) -> int:
    """Start of the time or medium adjunct that ends text[clause_start:end], or -1.

    Where no two white-space characters follow each other, an adjunct is at most `ADJUNCT_LONGEST` characters
    long, so only the last `ADJUNCT_WINDOW` characters are searched (the pattern is tried at every position).
    """
    begin = clause_start
    if end - clause_start > ADJUNCT_WINDOW and _SPACE_RUN.search(text, clause_start, end) is None:
        begin = end - ADJUNCT_WINDOW
    adjunct = _TRAILING_ADJUNCT.search(text, begin, end)
    return -1 if adjunct is None else adjunct.start()


def actor(text: str, clause_start: int, trigger_start: int) -> Span | None:
    """The noun phrase (or pronoun) that ends right before the verb's auxiliaries and adverbs in its clause."""
    end = _actor_end(text, clause_start, trigger_start)
    words = list(_WORD.finditer(text, max(clause_start, end - 160), end))
    if not words:
        return None
    last = words[-1]
    if last.group(0).lower() in _PRONOUNS:
        return Span(last.group(0), last.start(), last.end())
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
    return Span(text[start:end], start, end)


def fallback_actor(text: str, sent_start: int, clause_start: int) -> Span | None:
    """The subject of a relative clause ("Newsom, who criticized …") or of a participle ("X …, demanding …")."""
    head = text[sent_start:clause_start]
    relative = _RELATIVE_END.search(head)
    if relative is not None:
        return actor(text, sent_start, sent_start + relative.start())
    if head.rstrip().endswith(","):
        return _sentence_subject(text, sent_start, clause_start)
    return None


def _sentence_subject(text: str, sent_start: int, limit: int) -> Span | None:
    """The name or description opening the sentence, for participles and relative clauses ("X, who accused …")."""
    match = _OPENING_SUBJECT.match(text, sent_start, limit)
    if match is None or match.group(0).lower() in _DETERMINERS or match.group(0).split()[0].lower() in _NOT_TARGET:
        return None
    return Span(match.group(0), match.start(), match.end())


def target(text: str, trigger_end: int, sent_end: int, *, after_that: bool = False) -> Span | None:
    """The noun phrase after the verb (and its particle), up to a preposition, conjunction or punctuation."""
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
    return Span(phrase, match.start("np"), match.end("np"))


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def attribution(text: str, sentence: tuple[int, int], limit: int) -> str | None:
    """The speaker of the reported clause holding the position `limit`, or None when it is stated as fact."""
    sent_start, sent_end = sentence
    leading = None
    if _holds_any(text[sent_start:limit], _SAYING_CUES):
        for found in _ATTRIBUTION.finditer(text, sent_start, limit):
            leading = found
    if leading is not None:
        return leading.group("spk")
    if text.find("ccording", sent_start, sent_end) >= 0:
        according = _ACCORDING.search(text, sent_start, sent_end)
        if according is not None:
            return according.group("spk")
    after = text[limit:sent_end]
    if "," not in after or not _holds_any(after, _TRAILING_SAYING_CUES):
        return None
    trailing = _TRAILING_ATTRIBUTION.search(text, limit, sent_end)
    return (trailing.group("spk") or trailing.group("spk2")) if trailing else None


def _holds_any(text: str, cues: frozenset[str]) -> bool:
    return any(cue in text for cue in cues)
