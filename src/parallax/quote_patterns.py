"""The lexicons and shared pattern pieces of the quote rules (`quotes.rules.v1`, see `parallax.quotes`).

Reporting verbs with their inflections, the word lists that tell names from titles, clauses and nouns, and the
regular-expression fragments (a reporting verb, a time phrase, a name run) that the attribution rules combine.
An implementation module of `parallax.quotes`: nothing here is a public API.
"""

from __future__ import annotations

import re

__all__ = [
    "ABBREVIATIONS",
    "BARE_CLAUSE_VERBS",
    "CLAUSE_BREAKS",
    "DETERMINERS",
    "GROUP_NOUNS",
    "LEMMA_OF",
    "MAX_SPEAKER_WORDS",
    "MIN_CONTINUATION_WORDS",
    "MODIFIER",
    "NAME_RUN",
    "NOT_CLAUSE",
    "ORG_WORDS",
    "PRONOUNS",
    "PRONOUN_SUBJECTS",
    "QUOTE_CHARS",
    "REPORTING_VERBS",
    "THAT_ONLY_VERBS",
    "TIME",
    "TIME_ENDINGS",
    "TITLES",
    "VERB",
    "VERB_WORD",
    "may_end_with",
    "reporting_lemma",
    "verb_ok",
]

# The reporting-verb lexicon, as lemmas. Assembled by hand from the reporting verbs that English grammars list
# for direct and indirect speech, and checked against the attributions in the annotated gold articles
# (eval/gold/quotes.jsonl); see docs/annotation/quotes.md.
NEUTRAL_VERBS = ("say", "tell", "add", "note", "explain", "state", "write", "tweet", "post", "report")
ANNOUNCING_VERBS = (
    "announce", "confirm", "declare", "reveal", "disclose", "indicate", "conclude", "continue", "estimate", "find",
)  # fmt: skip
ARGUING_VERBS = (
    "claim", "insist", "argue", "assert", "maintain", "contend", "allege", "charge", "deny", "acknowledge",
    "admit", "concede", "agree", "reiterate", "repeat", "stress", "emphasize", "emphasise", "suggest", "affirm",
)  # fmt: skip
WARNING_VERBS = ("warn", "caution", "urge", "predict", "promise", "vow", "pledge", "remind", "assure")
ANSWERING_VERBS = ("respond", "reply", "answer", "ask", "recall", "observe", "remark", "complain")
BARE_CLAUSE_VERBS = frozenset(
    {"say", "tell", "insist", "argue", "assert", "claim", "contend", "allege", "warn", "suggest"}
)
"""Verbs whose reported clause may follow without "that" ("he said the talks failed"). The others often take a
noun object ("confirmed the report", "announced his intention"), so they need "that" or a pronoun subject."""
THAT_ONLY_VERBS = frozenset({"find", "estimate"})
"""Verbs that report only with "that" ("found that …"; "found it convincing" is not a report)."""
REPORTING_VERBS: frozenset[str] = frozenset(
    NEUTRAL_VERBS + ANNOUNCING_VERBS + ARGUING_VERBS + WARNING_VERBS + ANSWERING_VERBS
)
"""Every reporting-verb lemma the rules know; `Quote.verb` is one of these or "accord" (for "according to")."""

MIN_CONTINUATION_WORDS = 4
"""An unattributed quoted span needs this many words to continue the previous speaker. Chosen by hand: the
scare quotes and titles in the gold articles have one to three words, continued quotations are full
sentences."""

MAX_SPEAKER_WORDS = 8
"""A speaker phrase longer than this is a clause, not a name or a description; such attributions are skipped."""

_IRREGULAR = {"say": ("says", "said", "saying"), "tell": ("tells", "told", "telling"),
              "write": ("writes", "wrote", "writing", "written"), "find": ("finds", "found", "finding")}  # fmt: skip
_DOUBLED = {"admit": "admitt", "regret": "regrett"}


def _inflections(lemma: str) -> tuple[str, ...]:
    if lemma in _IRREGULAR:
        return (lemma, *_IRREGULAR[lemma])
    stem = _DOUBLED.get(lemma, lemma)
    if lemma.endswith("e"):
        return (lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing")
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return (lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing")
    suffix_s = "es" if lemma.endswith(("s", "sh", "ch", "x")) else "s"
    return (lemma, lemma + suffix_s, stem + "ed", stem + "ing")


LEMMA_OF: dict[str, str] = {form: lemma for lemma in REPORTING_VERBS for form in _inflections(lemma)}
"""Every lower-case inflected form of a reporting verb -> its lemma."""


def reporting_lemma(verb: str) -> str | None:
    """The lemma of a reporting-verb form as written ("Said" -> "say"), "accord" for "according", else None."""
    lowered = verb.lower()
    return LEMMA_OF.get(lowered, "accord" if lowered == "according" else None)


def _trie_pattern(words: list[str]) -> str:
    """One alternation that shares prefixes ("sa(?:id|y(?:ing|s)?)"): the regex engine tries each prefix once."""
    children: dict[str, list[str]] = {}
    ends_here = False
    for word in words:
        if word:
            children.setdefault(word[0], []).append(word[1:])
        else:
            ends_here = True
    branches = [re.escape(head) + _trie_pattern(tails) for head, tails in sorted(children.items())]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return "(?:" + body + ")?" if ends_here else body


_VERB_FORMS = _trie_pattern(sorted(LEMMA_OF))
VERB = "(?:" + _VERB_FORMS + r")\b"
"""A whole reporting-verb form, as a pattern fragment. The word boundary lets only one form match at a place
("add" cannot stop short of "added"), so the prefix tree matches what a longest-first list would."""
VERB_WORD = re.compile(r"(?<![a-z])" + _VERB_FORMS + r"(?![a-z])")
"""A whole lower-case run of letters that is a reporting-verb form: where the attribution rules start."""


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


QUOTE_CHARS = '"“”„«»'
TITLES = _words(
    "president vice prime foreign minister secretary chief director spokesman spokeswoman spokesperson rep. sen. "
    "gov. mr. mrs. ms. dr. gen. mayor senator representative governor leader chairman chairwoman chair ceo staff "
    "press deputy acting house majority minority whip speaker attorney general judge commissioner ambassador "
    "officer agent patrol police health imam rev. candidate editor editor-in-chief former acting cia fbi white"
)
ORG_WORDS = _words(
    "ministry office department agency commission council committee service government court party army forces "
    "police center centre institute university association union organization organisation bank company house"
)
"""Last words of organisation names: "the Russian Foreign Ministry" keeps its leading words (no title stripping)."""
GROUP_NOUNS = _words(
    "leaders officials lawmakers group ministry office spokesman spokeswoman police authorities reports parents "
    "members officers agency government campaign"
)
"""Plural or collective nouns that end a subject ("Democratic leaders said")."""
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
ABBREVIATIONS = _words("mr mrs ms dr rep sen gov gen st jr sr lt col sgt inc co corp vs etc u.s a.m p.m no rev prof ft")
DETERMINERS = frozenset(
    ["the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "this", "that", "these", "those"]
)
NOT_CLAUSE = _words(
    "about of to in on at for with by from so as and but or than nothing much little more anything something "
    "goodbye hello yes no sorry thanks was is were be been had has have are must should would could will can may "
    "might to against into over after before under during up down off out not responsibility credit victory "
    "ownership"
)
"""Words after a reporting verb that start an object or a preposition, not a reported clause."""
PRONOUN_SUBJECTS = frozenset({"that", "he", "she", "it", "they", "we", "i", "there", "whether", "if"})

_CLAUSE_BREAK_WORDS = (
    "and", "but", "while", "as", "when", "because", "since", "so", "after", "though", "although", "where", "who",
    "which", "whom", "whose", "that", "if", "before", "until", "than", "also", "then",
)  # fmt: skip
CLAUSE_BREAKS = re.compile(r"\b" + _trie_pattern(sorted(_CLAUSE_BREAK_WORDS)) + r"\s+", re.IGNORECASE)
"""Conjunctions and relative pronouns: a speaker phrase starts after the last one before the verb."""
TIME = (
    r"(?:(?:on|last|this|early|late)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|"
    r"yesterday|tonight)(?:\s+(?:morning|afternoon|evening|night))?|over\s+the\s+weekend|(?:(?:late|early)\s+)?(?:last|this)\s+"
    r"(?:week|month|year|night|weekend)|earlier(?:\s+this\s+(?:week|month|year))?|recently|previously"
)
"""A time phrase between a speaker and the verb or after the verb ("said on Sunday", "last week said")."""
TIME_ENDINGS = (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "today", "yesterday", "tonight",
    "morning", "afternoon", "evening", "night", "weekend", "week", "month", "year", "earlier", "recently",
    "previously",
)  # fmt: skip
"""The words a `TIME` phrase can end with."""
MODIFIER = r"(?:,?\s+(?:on|in|during|at|through|via|to|after)\b[^,.;:!?\"“”«»\n]{1,90}?)"
NAME_RUN = r"(?:[A-Z][a-z]{0,3}\.\s+)?[A-Z][\w'’-]*(?:\s+(?:[A-Z]\.|[A-Z][\w'’-]*))*"
"""A run of capitalised words, with initials and a short leading title ("Mr. Bernie Sanders")."""

_NOT_VERB_WORDS = (
    "the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "this", "these", "those", "second", "first",
    "third", "last", "of", "in", "on", "whose", "several", "many", "some", "two", "three", "news", "press", "earlier",
    "new", "to", "could", "would", "should", "will", "can", "may", "might", "must",
)  # fmt: skip
"""Determiners, numerals and modals: a verb form right after one of them is a noun or an infinitive."""
_NOT_VERB_AFTER = re.compile(
    r"(?:\b" + _trie_pattern(sorted(_NOT_VERB_WORDS)) + r"(?:\s+\w+ly)?|['’]s)\s+$",
    re.IGNORECASE,
)
_NOT_VERB_ENDINGS = ("ly", "s", *_NOT_VERB_WORDS)
_ENDING_REACH = 16
"""Longer than any word `may_end_with` is asked about."""
_NOT_VERB_REACH = 24
"""How far before a verb form `verb_ok` looks for a determiner or a modal."""


def may_end_with(region: str, endings: tuple[str, ...]) -> bool:
    """Whether `region`, trailing white space aside, may end with one of the lower-case `endings` in any case.

    A cheap necessary test before a case-insensitive pattern anchored at the end; outside ASCII (where case
    folding has exceptions) it answers True and leaves the decision to the pattern.
    """
    tail = region.rstrip()[-_ENDING_REACH:]
    return not tail.isascii() or tail.lower().endswith(endings)


def verb_ok(text: str, verb_start: int) -> bool:
    """False where a verb form is a noun after a determiner ("the states", "his claim") or an infinitive."""
    window = text[max(0, verb_start - _NOT_VERB_REACH) : verb_start]
    if not window[-1:].isspace() or not may_end_with(window, _NOT_VERB_ENDINGS):
        return True  # `_NOT_VERB_AFTER` needs white space before the verb and one of these words before that
    before = _NOT_VERB_AFTER.search(window)
    if before is None:
        return True
    # "used a televised address to revealed that …": a typo'd infinitive is still the reporting verb
    return before.group().strip().lower() == "to" and text[verb_start:].split(" ", 1)[0].endswith("ed")
