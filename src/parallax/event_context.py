"""The words right before a trigger in `events.rules.v1`, read from the end of the text that precedes it.

Each check here was one regular expression anchored at the end (`…\\s+$`) and searched over the clause or the
sentence before the trigger; Python's engine tries such a pattern at every position, which cost 10 to 40 µs a
call. The same rules are read here from the end: strip the white space, take the run of word characters before
it, and match that word alone against the same word list (`fullmatch`, same flags), so a call costs about 1 µs
and says the same as the searched pattern.
"""

from __future__ import annotations

import re

__all__ = ["infinitive_start", "negated", "noun_before", "passive_auxiliary_before", "previous_word"]

_WORD_CHARACTERS = re.compile(r"\w+")
_TOKEN_CHARACTERS = re.compile(r"[\w'’.-]+")
_NOUN_WORD = re.compile(
    r"the|a|an|his|her|their|its|our|my|this|that|these|those|of|in|on|for|no|any|each|every|new|behind|"
    r"with|from|at|under|about|against|into|without|"
    r"recent|military|such|last|first|air|missile|drone|terror|terrorist|talks|peace",
    re.IGNORECASE,
)
"""Determiners, prepositions and modifiers before which a verb form is a noun ("the attack", "drone strikes")."""
_POSSESSIVE_S = re.compile(r"['’]s", re.IGNORECASE)
NOUN_WINDOW = 40
"""How far back (characters, within the sentence) the determiner or possessive of a noun reading is looked for."""
_AUXILIARY = re.compile(r"was|were|is|are|been|being|be|got|get", re.IGNORECASE)
_ADVERB = re.compile(r"\w+ly", re.IGNORECASE)
_NEGATION = re.compile(
    r"\b(?:not|cannot|never|no\s+longer|refused\s+to|declined\s+to|failed\s+to|refuses\s+to|declines\s+to|fails\s+to)\b|n['’]t\b",
    re.IGNORECASE,
)
_NEGATION_CUES = ("no", "never", "refuse", "decline", "fail", "n't")
"""Every match of `_NEGATION` in ASCII text holds one of these in lower case ("no" is in "not" and "cannot")."""


def _space_start(text: str, begin: int, end: int) -> int:
    """Where the white space that ends text[begin:end] starts (`end` when it ends in no white space)."""
    return begin + len(text[begin:end].rstrip())


def _run_start(run: re.Pattern[str], text: str, begin: int, end: int) -> int:
    """Start of the longest run of `run`'s characters that ends at `end` and starts at `begin` or later."""
    found = run.match(text[begin:end][::-1])
    return end - found.end() if found else end


def _is_word_character(character: str) -> bool:
    return _WORD_CHARACTERS.match(character) is not None


def noun_before(text: str, sentence_start: int, position: int) -> bool:
    """Whether a determiner, preposition, modifier or possessive ("the", "drone", "Trump's") ends right before
    `position` (then white space), within `NOUN_WINDOW` characters and the sentence."""
    begin = max(sentence_start, position - NOUN_WINDOW)
    word_end = _space_start(text, begin, position)
    if word_end == position:
        return False
    if word_end - 2 >= begin and _POSSESSIVE_S.fullmatch(text, word_end - 2, word_end):
        return True
    word_start = _run_start(_WORD_CHARACTERS, text, begin, word_end)
    if word_start == word_end or (word_start == begin and begin > 0 and _is_word_character(text[begin - 1])):
        return False  # no word, or one that starts before the window (no word boundary at its start)
    return _NOUN_WORD.fullmatch(text, word_start, word_end) is not None


def previous_word(text: str, sentence_start: int, position: int) -> tuple[str, bool] | None:
    """The word (letters, digits, ' ’ . -) before `position` in its sentence and whether a comma follows it;
    None unless white space separates it from `position`."""
    space = _space_start(text, sentence_start, position)
    if space == position:
        return None
    comma = space > sentence_start and text[space - 1] == ","
    word_end = space - 1 if comma else space
    word_start = _run_start(_TOKEN_CHARACTERS, text, sentence_start, word_end)
    if word_start == word_end:
        return None
    return text[word_start:word_end], comma


def passive_auxiliary_before(text: str, clause_start: int, position: int) -> bool:
    """Whether "was", "were", "is", "been", "got" … (then at most one -ly adverb) ends right before `position`."""
    space = _space_start(text, clause_start, position)
    if space == position:
        return False
    word_start = _run_start(_WORD_CHARACTERS, text, clause_start, space)
    if word_start == space:
        return False
    if _AUXILIARY.fullmatch(text, word_start, space):
        return True
    if not _ADVERB.fullmatch(text, word_start, space):
        return False
    adverb_space = _space_start(text, clause_start, word_start)
    if adverb_space == word_start:
        return False
    auxiliary_start = _run_start(_WORD_CHARACTERS, text, clause_start, adverb_space)
    return auxiliary_start < adverb_space and _AUXILIARY.fullmatch(text, auxiliary_start, adverb_space) is not None


def negated(clause: str) -> bool:
    """Whether the clause before a trigger holds "not", "cannot", "n't", "never", "no longer", "refused to" …"""
    if clause.isascii():
        lowered = clause.lower()
        if not any(cue in lowered for cue in _NEGATION_CUES):
            return False
    return _NEGATION.search(clause) is not None


def infinitive_start(text: str, clause_start: int, position: int) -> int | None:
    """Start of a word, then "to", right before `position` ("refused to", "is expected to"), or None."""
    space = _space_start(text, clause_start, position)
    to_start = space - 2
    if space == position or to_start <= clause_start or text[to_start:space] != "to":
        return None
    word_end = _space_start(text, clause_start, to_start)
    if word_end == to_start:
        return None
    word_start = _run_start(_WORD_CHARACTERS, text, clause_start, word_end)
    if word_start == word_end or (word_start > 0 and _is_word_character(text[word_start - 1])):
        return None
    return word_start
