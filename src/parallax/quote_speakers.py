"""Finding the speaker of a quote (`quotes.rules.v1`): the phrase before a reporting verb, a participle's subject,
a relative pronoun's antecedent, and the sentence subjects a later pronoun may refer to.

Speakers keep the article's words with leading titles dropped ("Foreign Minister Sergei Lavrov" ->
"Sergei Lavrov"); descriptions ("the ministry", "the CIA chief") are kept as given. An implementation module of
`parallax.quotes`.
"""

from __future__ import annotations

import bisect
import re

from parallax.quote_candidates import Mention
from parallax.quote_patterns import (
    CLAUSE_BREAKS,
    DETERMINERS,
    GROUP_NOUNS,
    MAX_SPEAKER_WORDS,
    NAME_RUN,
    ORG_WORDS,
    PRONOUNS,
    QUOTE_CHARS,
    TIME,
    TIME_ENDINGS,
    TITLES,
    may_end_with,
)

__all__ = ["SentenceSubjects", "mention", "participle_speaker", "speaker_before", "speaker_like", "subject"]

_QUOTE_CHAR_SET = frozenset(QUOTE_CHARS)
_APOSTROPHES = frozenset("'’")
_LEADING_CONNECTIVES = re.compile(r"(?:\s|(?:and|but|And|But|so|So|even|Even)\s)*")
_PREPOSITION_CUT = re.compile(r"\s(?:in|of|at|from|for|on|with)\s")
_DESCRIPTION_HEAD = re.compile(r"(?:the|a|an|The|A|An)\s+[a-z]+\s+for\s")
_TRAILING_NAME = re.compile(r"(?:\s[A-Z][\w.'’-]*){2,}$")
_CONTRACTION = re.compile(r"\w['’](?:m|re|ve|ll|d)\b")
_COMMA_SEGMENT = re.compile(r"[^,]+")
_NAME_RUN = re.compile(NAME_RUN)
_WITH_NAME = re.compile(r"\bwith\s+(" + NAME_RUN + r")\s+$")
_AFTER_LINK_WORD = re.compile(r"(?:\b(?:of|in|at|from|for)|,)\s*$")
_PARENTHESIS_END = re.compile(r"\s*\([^()]*\)\s*$")
_RELATIVE_END = re.compile(r"(?:,\s*)?\b(?:who|which)\s+(?:(?:\w+ly|then|also|later)\s+)*$")
_LAST_HARD_BREAK = re.compile(r".*[;:—–()\"“”«»]", re.DOTALL)
"""Up to the last mark that no speaker phrase runs across."""
_TIME_END = re.compile(r"\s+(?:" + TIME + r")\s*$")
_INDEFINITE_START = re.compile(r"\s*(?:a|an)\s")
_SHORT_NAME = re.compile(r"\s*(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*")
_FILLER_WORDS = (
    "reportedly", "also", "later", "repeatedly", "previously", "once", "has", "had", "have", "would", "will",
    "quickly", "then", "further", "simply", "only", "earlier", "again",
)  # fmt: skip
_FILLER_ENDINGS = ("ly", *_FILLER_WORDS)
_TRAILING_FILLER = re.compile(r"(?:\s+(?:" + "|".join(_FILLER_WORDS) + r"|\w+ly))+\s*$", re.IGNORECASE)
_APPOSITIVE = re.compile(
    r"^\s*(?:the|a|an|who|which|whose|his|her|their|its|\d|\w+ing|\w+ed)\b|^\s*(?:[A-Z][\w.-]*\s+)*(?:Democrat|Republican|"
    r"Independent)s?\b"
)
_NOT_SUBJECT = re.compile(
    r"^(?:In|On|At|After|During|Earlier|Later|When|While|As|But|And|Last|This|Days|Since|Before|For|However|Yet|"
    r"Still|Overall|Meanwhile|Instead|Indeed|Now|Then|So|Also)\b"
)
_SUBJECT_RUN = re.compile(
    r"\s*((?:(?:the|The|of|magazine|newspaper|host|station|"
    + "|".join(sorted(w for w in TITLES if w.isalpha()))
    + r")\s+|[A-Z][\w.'’-]*\s+)*[A-Z][\w.'’-]*)(\s+[a-z]+)?"
)
_DATELINE = re.compile(r"[A-Z][A-Z .'-]+(?:,[\w .]+)?\s+[—–-]+\s+")
_ANTECEDENT = re.compile(
    r"(?:(?P<name>" + NAME_RUN + r")\s*,\s*(?:\d+\s*,\s*)?)?"
    r"(?P<desc>\b(?:the|a|an)\s+(?:[\w-]+\s+){0,3}[\w-]+)\s*,?\s*$"
)


def _described_name(text: str, start: int, end: int, words: list[str]) -> Mention | None:
    """A description's speaker: "A spokesman for X" is the spokesman; "leader of the caravan Irineo Mujica" is
    Irineo Mujica (a trailing run of capitalised words after lower-case description words). `words` are the
    phrase's words."""
    phrase = text[start:end]
    head = _DESCRIPTION_HEAD.match(phrase)
    if head:
        return Mention(phrase[: head.end() - len(" for ")], start, start + head.end() - len(" for "))
    if not any(w.islower() for w in words[1:]):
        return None
    trailing = _TRAILING_NAME.search(" " + phrase)
    if trailing and len(trailing.group().split()) < len(words):
        return Mention(text[end - len(trailing.group()) + 1 : end], end - len(trailing.group()) + 1, end)
    return None


def mention(text: str, start: int, end: int) -> Mention | None:
    """Trim a speaker phrase to the name it gives: no leading connectives, no leading titles."""
    lead = _LEADING_CONNECTIVES.match(text, start, end)
    start = lead.end() if lead else start
    phrase = text[start:end].rstrip(" ,")
    end = start + len(phrase)
    words = phrase.split()
    if words and words[-1].lower() in PRONOUNS:
        return Mention(words[-1], end - len(words[-1]), end)
    described = _described_name(text, start, end, words)
    if described is not None:
        return described
    if len(words) > MAX_SPEAKER_WORDS:
        cut = _PREPOSITION_CUT.search(phrase)
        if cut is None:
            return None
        phrase = phrase[: cut.start()]
        end = start + len(phrase)
        words = phrase.split()
    if not words or len(words) > MAX_SPEAKER_WORDS or not any(w[0].isalpha() for w in words):
        return None
    if (phrase.isupper() and len(phrase) > 3) or words[-1].lower() in DETERMINERS:
        return None
    last_title = max((i for i, w in enumerate(words) if w.lower() in TITLES), default=-1)
    rest = words[last_title + 1 :]
    if last_title >= 0 and rest and all(w[0].isupper() for w in rest) and rest[-1].lower() not in ORG_WORDS:
        start = end - len(" ".join(rest))
        phrase = text[start:end]
    return Mention(phrase, start, end)


def speaker_like(phrase: str) -> bool:
    """A name, a description or a pronoun, not a clause ("noting that Jones …") or a bare possessive."""
    words = phrase.split()
    if not words or words[0].lower() in DETERMINERS - {"the", "a", "an"} or words[0].endswith("ing"):
        return False
    if not _QUOTE_CHAR_SET.isdisjoint(phrase) or (not _APOSTROPHES.isdisjoint(phrase) and _CONTRACTION.search(phrase)):
        return False
    return not CLAUSE_BREAKS.search(phrase + " ") or (words[0][0].isupper() and "," in phrase)


def subject(text: str, sent_start: int, limit: int) -> Mention | None:
    """The sentence's subject for a participle attribution ("…, saying …"): its first name-like run."""
    dateline = _DATELINE.match(text, sent_start, limit)
    sent_start = dateline.end() if dateline else sent_start
    pos = sent_start
    for segment in _COMMA_SEGMENT.finditer(text[sent_start:limit]):
        if not _NOT_SUBJECT.match(segment.group().strip()) and len(segment.group().split()) > 1:
            pos = sent_start + segment.start()
            break
    run = _SUBJECT_RUN.match(text, pos, limit)
    if not run:
        return None
    end = run.end(1)
    if run.group(2) and run.group(2).strip() in GROUP_NOUNS:
        end = run.end(2)
    return mention(text, run.start(1), end)


def _relative_antecedent(text: str, start: int, end: int) -> Mention | None:
    """The speaker a relative pronoun stands for: the description or name right before it."""
    antecedent = _ANTECEDENT.search(text, start, end)
    if antecedent:
        group = "name" if antecedent.group("name") else "desc"
        return mention(text, antecedent.start(group), antecedent.end(group))
    runs = [
        run for run in _NAME_RUN.finditer(text, start, end) if not _AFTER_LINK_WORD.search(text[start : run.start()])
    ]
    return mention(text, runs[-1].start(), runs[-1].end()) if runs else None


def participle_speaker(text: str, sent_start: int, verb_start: int) -> Mention | None:
    """ "with Mr. Sanders saying …" names its speaker; "…, saying …" reports the sentence's subject."""
    named = _WITH_NAME.search(text[sent_start:verb_start])
    if named:
        return mention(text, sent_start + named.start(1), sent_start + named.end(1))
    return subject(text, sent_start, verb_start)


def speaker_before(text: str, sent_start: int, verb_start: int) -> Mention | None:
    """The speaker phrase right before a reporting verb, skipping adverbs and an appositive in commas."""
    # each pattern below is anchored at the region's end: cheap tests of that end come first
    region = text[sent_start:verb_start]
    paren = _PARENTHESIS_END.search(region) if region.rstrip().endswith(")") else None
    if paren:  # "Charles Schumer (D-N.Y.) warned"
        verb_start = sent_start + paren.start() + 1
        region = text[sent_start:verb_start]
    relative = _RELATIVE_END.search(region) if "who" in region or "which" in region else None
    if relative:  # "…, a former independent voter who said": the antecedent
        return _relative_antecedent(text, sent_start, sent_start + relative.start())
    hard = _LAST_HARD_BREAK.match(region)
    sent_start += hard.end() if hard else 0
    region = text[sent_start:verb_start]
    timed = _TIME_END.search(region) if region.rstrip().endswith(TIME_ENDINGS) else None
    region = region[: timed.start()] if timed else region
    filler = _TRAILING_FILLER.search(region) if may_end_with(region, _FILLER_ENDINGS) else None
    if filler:
        region = region[: filler.start()]
    if region.rstrip().endswith(","):
        segments = [(s.start(), s.end()) for s in _COMMA_SEGMENT.finditer(region) if s.group().strip()]
        if len(segments) < 2:
            return None
        for seg_start, seg_end in reversed(segments):
            if not _APPOSITIVE.match(region[seg_start:seg_end]):
                return _trailing_phrase(text, sent_start + seg_start, sent_start + seg_end)
        return None
    last_comma = region.rfind(",")
    if (
        last_comma > 0
        and _INDEFINITE_START.match(region[last_comma + 1 :])
        and _SHORT_NAME.fullmatch(region[:last_comma])
    ):
        # "Mark Hamrick, a senior economic analyst for Bankrate.com said": the appositive lacks its closing comma
        return _trailing_phrase(text, sent_start, sent_start + last_comma)
    return _trailing_phrase(text, sent_start + last_comma + 1, sent_start + len(region))


def _trailing_phrase(text: str, start: int, end: int) -> Mention | None:
    offset = 0
    for clause_break in CLAUSE_BREAKS.finditer(text[start:end]):
        offset = clause_break.end()
    start += offset
    if not text[start:end].strip():
        return None
    return mention(text, start, end)


class SentenceSubjects:
    """The name-like subjects of the sentences outside quotations, found on demand, nearest first.

    A pronoun speaker ("he said") refers back to one of them; most articles need only the few sentences right
    before their first pronoun, so a subject is worked out only when a lookup reaches its sentence.
    """

    __slots__ = ("_found", "_quoted", "_sentences", "_starts", "_text")

    def __init__(self, text: str, quoted: list[tuple[int, int]], sentences: list[tuple[int, int]]) -> None:
        self._text = text
        self._quoted = quoted
        self._sentences = sentences
        self._starts = [start for start, _ in sentences]
        self._found: dict[int, Mention | None] = {}

    def nearest(self, before: int) -> Mention | None:
        """The subject that starts last among those ending at or before a position."""
        for index in range(bisect.bisect_left(self._starts, before) - 1, -1, -1):
            found = self._subject_of(index)
            if found is not None and found.end <= before:
                return found
        return None

    def _subject_of(self, index: int) -> Mention | None:
        if index not in self._found:
            self._found[index] = self._named_subject(*self._sentences[index])
        return self._found[index]

    def _named_subject(self, start: int, end: int) -> Mention | None:
        text = self._text
        if text[start] in QUOTE_CHARS or self._in_quotation(start):
            return None
        found = subject(text, start, end)
        if found is None or found.text.lower() in PRONOUNS or not any(c.isupper() for c in found.text):
            return None
        return found

    def _in_quotation(self, pos: int) -> bool:
        index = bisect.bisect_right(self._quoted, (pos, len(self._text) + 1)) - 1
        return index >= 0 and self._quoted[index][0] <= pos < self._quoted[index][1]
