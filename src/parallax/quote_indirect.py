"""Indirect quotes (`quotes.rules.v1`): clauses reported by a lexicon verb or by "according to".

`X said (on Sunday) (that) …`, `X told reporters …`, `…, the group said.`, `The files, X said, showed …`,
`according to X, …` and `…, according to X.`; the content runs to the end of the sentence. Only the reporting-
verb forms found by one scan of the text (and the sentences holding "according to") are looked at. An
implementation module of `parallax.quotes`.
"""

from __future__ import annotations

import re

from parallax.quote_candidates import Candidate, Mention
from parallax.quote_patterns import (
    BARE_CLAUSE_VERBS,
    LEMMA_OF,
    MIN_CONTINUATION_WORDS,
    MODIFIER,
    NOT_CLAUSE,
    PRONOUN_SUBJECTS,
    QUOTE_CHARS,
    THAT_ONLY_VERBS,
    TIME,
    VERB,
    VERB_WORD,
    verb_ok,
)
from parallax.quote_spans import Span, containing, inside
from parallax.quote_speakers import mention, participle_speaker, speaker_before, speaker_like, subject

__all__ = ["MIN_CLAUSE_WORDS", "content_end", "indirect_quotes", "verb_starts"]

_TELL = r"(?:told|tells|tell|telling|warned|warns|warn|warning|assured|assures|reminded|reminds)"
_TOLD_OBJECT = (
    r"\s+(?:[^.;:!?\"“”\n]{1,60}?(?=\s+that\b)|(?!(?:that|of|about|against|to|in|on|for|with|from)\b)"
    r"(?:the\s+|a\s+)?(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*|[a-z]+))"
)
_CLAUSE_START = r"(?:that\s+|(?=[a-z]+\b|I\b|[A-Z\d\"“„«]))"
_INDIRECT = re.compile(
    r"\b(?P<verb>"
    + _TELL
    + r"(?P<obj>"
    + _TOLD_OBJECT
    + r")|"
    + VERB
    + r")(?P<mod>(?:,?\s+(?:"
    + TIME
    + r")|"
    + MODIFIER
    + r"(?=\s+that\b|,))*),?\s+(?P<clause>"
    + _CLAUSE_START
    + r")"
)
_ACCORDING_AFTER = re.compile(r",\s+according\s+to\s+(?P<spk>[^,;!?\n]{2,80}?)(?:,[^.;!?\n]*)?\s*[.!?]?$")
_ACCORDING_BEFORE = re.compile(r"^(?:[A-Z][a-z]+\s+)?[Aa]ccording\s+to\s+(?P<spk>[^,\n]{2,80}?),\s+")
_TOLD_WHOM = r"(?:\s+(?:reporters|[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*))?"
_FRONTED_END = r"(?:\s+(?:" + TIME + r"))?(?:,|\s*[.!?]?$|(?=\s+(?:in|on|at|during|after|when|as)\s[^,]*$))"
_FRONTED = re.compile(
    r",\s+(?:(?P<spk>[^,\"“”.;!?\n]{1,80}?)\s+(?:\w+ly\s+)?(?P<verb>"
    + VERB
    + r")"
    + _TOLD_WHOM
    + r"|(?P<verb2>"
    + VERB
    + r")\s+(?P<spk2>(?:(?:the|a|an)\s+)?(?:(?:[A-Z]\.|[A-Z][a-z]{1,3}\.|[\w'’-]+)\s+){0,5}?[\w'’-]+)"
    r")" + _FRONTED_END
)
_FRONTED_BLOCKER = re.compile('["“”.;!?]')
"""Characters that `_FRONTED` allows nowhere between its comma and its verb."""
_FRONTED_AFTER_VERB = re.compile(_TOLD_WHOM + _FRONTED_END)
"""What must follow the verb in `_FRONTED`'s first form ("…, the group said.")."""
_LOWER_RUN = re.compile("[a-z]+")
_ACCORDING = re.compile("ccording to")
_WORD_CHARS = re.compile(r"\w+")
_FIRST_TOKEN = re.compile(r"[\w'’]+|\S")
_TO_CLOSING_MARK = re.compile(r".[^\"“”„«»\n]*")
_COORDINATED = re.compile(r"\b(?:and|but|though|or)\s*$")
_DANGLING_WORDS = ("and", "but", "though", "while", "as", "adding", "saying", "noting")
_DANGLING_LINK = re.compile(r"\b(?:" + "|".join(_DANGLING_WORDS) + r")$")
_CONTENT_TRIM = frozenset(".!?…;:,—– \n" + QUOTE_CHARS)
MIN_CLAUSE_WORDS = 3
"""A reported clause shorter than this ("said so", "told him") is not a quote."""
_MAX_FRONTED_SPEAKER_WORDS = 5
_MAX_FRONTED_SUBJECT_WORDS = 5


def verb_starts(text: str) -> list[int]:
    """Where the text's reporting-verb forms start, in order: the one scan the attribution rules start from."""
    return [word.start() for word in VERB_WORD.finditer(text)]


def indirect_quotes(
    text: str, quoted: list[Span], direct: list[Candidate], sentences: list[Span], verb_positions: list[int]
) -> list[Candidate]:
    """Clauses reported by a lexicon verb, by "according to", or by a trailing or parenthetical attribution."""
    used_verbs = {c.verb.start for c in direct if c.verb is not None}
    found: list[Candidate] = []
    for verb_start in verb_positions:
        if verb_start in used_verbs or inside(quoted, verb_start):
            continue
        candidate = _reported_clause(text, verb_start, sentences)
        if candidate is not None:
            found.append(candidate)
    verbs_of: dict[Span, list[int]] = {}
    for pos in verb_positions:
        verbs_of.setdefault(containing(sentences, pos), []).append(pos)
    attributed = set(verbs_of)
    for according in _ACCORDING.finditer(text):
        sentence = containing(sentences, according.start())
        if sentence[1] >= according.end():
            attributed.add(sentence)
    for sent_start, sent_end in sorted(span for span in attributed if span[0] < span[1]):
        found.extend(_sentence_attributions(text, sent_start, sent_end, verbs_of.get((sent_start, sent_end), [])))
    return found


def _reported_clause(text: str, verb_start: int, sentences: list[Span]) -> Candidate | None:
    """The clause a reporting verb introduces, to its sentence's end, with the speaker before the verb."""
    match = _INDIRECT.match(text, verb_start)
    if match is None:
        return None
    verb_word = _WORD_CHARS.match(text, verb_start)
    verb_end = verb_word.end() if verb_word else verb_start
    lemma = LEMMA_OF.get(text[verb_start:verb_end].lower(), "")
    if not verb_ok(text, verb_start) or not _clause_fits(text, match, lemma):
        return None
    sent_start, sent_end = containing(sentences, verb_start)
    start = match.start("clause")
    if text.startswith("that", start) and match.group("clause"):
        start = match.end("clause")
    end = content_end(text, start, sent_end)
    if len(text[start:end].split()) < MIN_CLAUSE_WORDS:
        return None
    verb = Mention(text[verb_start:verb_end], verb_start, verb_end)
    if verb.text.endswith("ing"):
        speaker = participle_speaker(text, sent_start, verb_start)
    else:
        speaker = speaker_before(text, sent_start, verb_start)
        if speaker is None and _COORDINATED.search(text[sent_start:verb_start]):
            speaker = subject(text, sent_start, verb_start)
        if speaker is None:
            return None
    return Candidate(start, end, "indirect", speaker, verb, True)


def _clause_fits(text: str, match: re.Match[str], lemma: str) -> bool:
    """A reported clause follows: "that", a pronoun subject, or (for say-like verbs) any likely clause opening."""
    first = _FIRST_TOKEN.match(text, match.start("clause"))
    word = first.group().lower() if first else ""
    if word == "that":
        return True
    if lemma in THAT_ONLY_VERBS:
        return False
    if word in PRONOUN_SUBJECTS:
        return True
    if word and word in QUOTE_CHARS:
        closing = _TO_CLOSING_MARK.match(text, match.start("clause"))
        return closing is not None and len(closing.group().split()) >= MIN_CONTINUATION_WORDS
    if word in NOT_CLAUSE:
        return False
    return lemma in BARE_CLAUSE_VERBS or bool(match.group("obj"))


def content_end(text: str, start: int, sent_end: int) -> int:
    """Where a reported clause starting at `start` ends: its sentence's end, less end punctuation and a dangling
    connective ("…, and")."""
    end = sent_end
    while True:
        while end > start and text[end - 1] in _CONTENT_TRIM:
            end -= 1
        if not text.endswith(_DANGLING_WORDS, start, end):  # a cheap exact test before the search
            return end
        tail = _DANGLING_LINK.search(text[start:end])
        if tail is None:
            return end
        end = start + tail.start()


def _sentence_attributions(text: str, sent_start: int, sent_end: int, verbs: list[int]) -> list[Candidate]:
    """`…, according to X.`, `According to X, …`, `…, the group said.` and `The files, X said, showed …`.

    `verbs` are where the sentence's reporting-verb forms start: the trailing and parenthetical forms need one
    after a comma.
    """
    first_comma = text.find(",", sent_start, sent_end)  # every form below has a comma
    if first_comma < 0 or text[sent_start] in QUOTE_CHARS:
        return []
    according = text.find("ccording", sent_start, sent_end) >= 0
    fronted = any(_may_be_fronted(text, sent_start, sent_end, verb) for verb in verbs)
    if according:
        found = _according_to(text, sent_start, sent_end)
        if found:
            return found
    return _fronted(text, sent_start, sent_end) if fronted else []


def _may_be_fronted(text: str, sent_start: int, sent_end: int, verb: int) -> bool:
    """A cheap exact test that `_FRONTED` may match with this verb: only white space, words and adverbs since the
    last comma, and either the verb right after that comma (", said X") or the right ending after the verb."""
    comma = text.rfind(",", sent_start, verb)
    if comma < 0 or _FRONTED_BLOCKER.search(text, comma + 1, verb) is not None:
        return False
    if text[comma + 1 : verb].isspace():
        return True
    verb_end = _LOWER_RUN.match(text, verb)
    return verb_end is not None and _FRONTED_AFTER_VERB.match(text, verb_end.end(), sent_end) is not None


def _according_to(text: str, sent_start: int, sent_end: int) -> list[Candidate]:
    """`…, according to X.` and `According to X, …`."""
    sentence = text[sent_start:sent_end]
    after = _ACCORDING_AFTER.search(sentence)
    if after:
        speaker = mention(text, sent_start + after.start("spk"), sent_start + after.end("spk"))
        verb_start = sent_start + after.start() + after.group().index("according")
        verb = Mention("according", verb_start, verb_start + len("according"))
        return [Candidate(sent_start, sent_start + after.start(), "indirect", speaker, verb, True, True)]
    before = _ACCORDING_BEFORE.match(sentence)
    if before:
        speaker = mention(text, sent_start + before.start("spk"), sent_start + before.end("spk"))
        verb_start = sent_start + before.group().lower().index("according")
        verb = Mention("According", verb_start, verb_start + len("according"))
        start = sent_start + before.end()
        return [Candidate(start, content_end(text, start, sent_end), "indirect", speaker, verb, True, True)]
    return []


def _fronted(text: str, sent_start: int, sent_end: int) -> list[Candidate]:
    """`…, the group said.` and `The files, X said, showed …`."""
    sentence = text[sent_start:sent_end]
    for fronted in _FRONTED.finditer(sentence):
        group = "verb" if fronted.group("verb") else "verb2"
        spk_group = "spk" if group == "verb" else "spk2"
        speaker = mention(text, sent_start + fronted.start(spk_group), sent_start + fronted.end(spk_group))
        if speaker is None or fronted.start() == 0 or not speaker_like(speaker.text):
            continue
        if fronted.group(group).endswith("ing") or len(speaker.text.split()) > _MAX_FRONTED_SPEAKER_WORDS:
            continue
        verb = Mention(fronted.group(group), sent_start + fronted.start(group), sent_start + fronted.end(group))
        if fronted.group().endswith(",") and len(sentence[: fronted.start()].split()) <= _MAX_FRONTED_SUBJECT_WORDS:
            # a parenthetical attribution after a short subject ("The files, X said, showed …"): the whole sentence
            end = content_end(text, sent_start, sent_end)
            return [Candidate(sent_start, end, "indirect", speaker, verb, True, True)]
        return [Candidate(sent_start, sent_start + fronted.start(), "indirect", speaker, verb, True, True)]
    return []
