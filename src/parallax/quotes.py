"""Quotes in an article's clean text: direct and indirect, with the speaker, the reporting verb and exact spans.

Rules over the text, no model (`quotes.rules.v1`):

1. Quote marks are paired per paragraph (straight `"`, curly `“ ”`, `„ “`, `« »`; curly marks nest; mixed
   `“…"` pairs too). A quote left open at a paragraph's end continues when the next paragraph opens with a
   quote mark (the newspaper convention for a quotation that runs over several paragraphs); otherwise it ends
   with its paragraph.
2. A quoted span is a *direct* quote when a reporting clause is attached to it: after it
   (`"…," X said`, `"…," said X, the …`), or before it (`X said: "…"`, `X responded, "…"`, `saying that "…"`).
   An unattributed quoted span of at least `MIN_CONTINUATION_WORDS` words that opens a sentence right after
   an attributed quote (same or next paragraph) continues that speaker. Any other quoted span (scare quotes,
   titles, slogans, "a “terrible” deal") is not a quote on its own; it may sit inside an indirect quote.
3. An *indirect* quote is a clause reported by a lexicon verb: `X said (on Sunday) (that) …`,
   `X told reporters …`, `…, the group said.`, `according to X, …`, `…, according to X.`; the content runs to
   the end of the sentence.
4. Pronoun speakers (`he said`) take the nearest preceding mention among the named speakers of earlier quotes
   and the subjects of earlier sentences outside quotations; `speaker_start`/`speaker_end` then point at the
   mention used (None when nothing precedes). A relative pronoun (`…, a voter who said`) takes its antecedent;
   a participle (`…, said the court, affirming that …`) shares its sentence's attribution.
5. Spans never overlap: attributed direct quotes win, then the innermost of nested reported clauses; an outer
   clause is cut short before the inner one.

The annotation guide, the gold set and the scores are in docs/annotation/quotes.md.

Speakers keep the article's words with leading titles dropped ("Foreign Minister Sergei Lavrov" ->
"Sergei Lavrov"); descriptions ("the ministry", "the CIA chief") are kept as given.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from parallax.goldsets import load_texts

__all__ = [
    "METHOD",
    "REPORTING_VERBS",
    "Quote",
    "QuoteScores",
    "evaluate_quotes",
    "extract_quotes",
    "speakers_agree",
]

METHOD = "quotes.rules.v1"
"""Versioned name of the extraction rules, stored with their output."""

QuoteKind = Literal["direct", "indirect"]

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

_IRREGULAR = {"say": ("says", "said", "saying"), "tell": ("tells", "told", "telling"),
              "write": ("writes", "wrote", "writing", "written"), "find": ("finds", "found", "finding")}  # fmt: skip
_DOUBLED = {"admit": "admitt", "regret": "regrett"}

MIN_CONTINUATION_WORDS = 4
"""An unattributed quoted span needs this many words to continue the previous speaker. Chosen by hand: the
scare quotes and titles in the gold articles have one to three words, continued quotations are full
sentences."""

MAX_SPEAKER_WORDS = 8
"""A speaker phrase longer than this is a clause, not a name or a description; such attributions are skipped."""


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


_LEMMA_OF = {form: lemma for lemma in REPORTING_VERBS for form in _inflections(lemma)}
_VERB = "(?:" + "|".join(sorted(_LEMMA_OF, key=len, reverse=True)) + r")\b"


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_WORD = re.compile(r"[a-z]+")
_QUOTE_MARK = re.compile('["“”„«»]')
_LOOSE_CLOSERS = frozenset('"”“')
_OPENERS = {'"': '"', "“": "”", "„": "“", "«": "»"}
_QUOTE_CHARS = '"“”„«»'
_TITLES = _words(
    "president vice prime foreign minister secretary chief director spokesman spokeswoman spokesperson rep. sen. "
    "gov. mr. mrs. ms. dr. gen. mayor senator representative governor leader chairman chairwoman chair ceo staff "
    "press deputy acting house majority minority whip speaker attorney general judge commissioner ambassador "
    "officer agent patrol police health imam rev. candidate editor editor-in-chief former acting cia fbi white"
)
_ORG_WORDS = _words(
    "ministry office department agency commission council committee service government court party army forces "
    "police center centre institute university association union organization organisation bank company house"
)
"""Last words of organisation names: "the Russian Foreign Ministry" keeps its leading words (no title stripping)."""
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
_ABBREVIATIONS = _words(
    "mr mrs ms dr rep sen gov gen st jr sr lt col sgt inc co corp vs etc u.s a.m p.m no rev prof ft"
)
_CLAUSE_BREAKS = re.compile(
    r"\b(?:and|but|while|as|when|because|since|so|after|though|although|where|who|which|whom|whose|that|if|"
    r"before|until|than|also|then)\s+",
    re.IGNORECASE,
)
_TRAILING_FILLER = re.compile(
    r"(?:\s+(?:reportedly|also|later|repeatedly|previously|once|has|had|have|would|will|had|quickly|then|"
    r"further|simply|only|earlier|again|\w+ly))+\s*$",
    re.IGNORECASE,
)
_APPOSITIVE = re.compile(
    r"^\s*(?:the|a|an|who|which|whose|his|her|their|its|\d|\w+ing|\w+ed)\b|^\s*(?:[A-Z][\w.-]*\s+)*(?:Democrat|Republican|"
    r"Independent)s?\b"
)
_TIME = (
    r"(?:(?:on|last|this|early|late)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|"
    r"yesterday|tonight)(?:\s+(?:morning|afternoon|evening|night))?|over\s+the\s+weekend|(?:(?:late|early)\s+)?(?:last|this)\s+"
    r"(?:week|month|year|night|weekend)|earlier(?:\s+this\s+(?:week|month|year))?|recently|previously"
)
_MODIFIER = r"(?:,?\s+(?:on|in|during|at|through|via|to|after)\b[^,.;:!?\"“”«»\n]{1,90}?)"
_CLAUSE_START = r"(?:that\s+|(?=[a-z]+\b|I\b|[A-Z\d\"“„«]))"
_NOT_CLAUSE = _words(
    "about of to in on at for with by from so as and but or than nothing much little more anything something "
    "goodbye hello yes no sorry thanks was is were be been had has have are must should would could will can may "
    "might to against into over after before under during up down off out not responsibility credit victory "
    "ownership"
)
_PRONOUN_SUBJECTS = frozenset({"that", "he", "she", "it", "they", "we", "i", "there", "whether", "if"})
_NOT_VERB_AFTER = re.compile(
    r"(?:\b(?:the|a|an|his|her|their|its|our|my|your|this|these|those|second|first|third|last|of|in|on|whose|"
    r"several|many|some|two|three|news|press|earlier|new|to|could|would|should|will|can|may|might|must)"
    r"(?:\s+\w+ly)?|['’]s)\s+$",
    re.IGNORECASE,
)
_ACCORDING_AFTER = re.compile(r",\s+according\s+to\s+(?P<spk>[^,;!?\n]{2,80}?)(?:,[^.;!?\n]*)?\s*[.!?]?$")
_ACCORDING_BEFORE = re.compile(r"^(?:[A-Z][a-z]+\s+)?[Aa]ccording\s+to\s+(?P<spk>[^,\n]{2,80}?),\s+")
_FRONTED = re.compile(
    r",\s+(?:(?P<spk>[^,\"“”.;!?\n]{1,80}?)\s+(?:\w+ly\s+)?(?P<verb>"
    + _VERB
    + r")(?:\s+(?:reporters|[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*))?|(?P<verb2>"
    + _VERB
    + r")\s+(?P<spk2>(?:(?:the|a|an)\s+)?(?:(?:[A-Z]\.|[A-Z][a-z]{1,3}\.|[\w'’-]+)\s+){0,5}?[\w'’-]+)"
    r")(?:\s+(?:" + _TIME + r"))?(?:,|\s*[.!?]?$|(?=\s+(?:in|on|at|during|after|when|as)\s[^,]*$))"
)


@dataclass(slots=True, frozen=True)
class Quote:
    """One quote: the quoted content span, its kind, the speaker and the reporting verb (lemma), with spans."""

    start: int
    end: int
    text: str
    kind: QuoteKind
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    verb: str | None
    verb_start: int | None
    verb_end: int | None


@dataclass(slots=True, frozen=True)
class _Mention:
    text: str
    start: int
    end: int


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    kind: QuoteKind
    speaker: _Mention | None
    verb: _Mention | None
    attributed: bool
    fallback: bool = False
    """A sentence-level attribution ("according to", a trailing "X said"), yielding to a reporting verb's clause."""


def extract_quotes(text: str) -> list[Quote]:
    """Return the direct and indirect quotes of a clean article text, in text order, spans never overlapping.

    >>> quotes = extract_quotes('"We will not give in," Foreign Minister Sergei Lavrov said.')
    >>> [(q.text, q.kind, q.speaker, q.verb) for q in quotes]
    [('We will not give in,', 'direct', 'Sergei Lavrov', 'say')]
    """
    if not isinstance(text, str):
        raise TypeError(f"extract_quotes takes the article text as str, not {type(text).__name__}")
    quoted = _quoted_spans(text)
    sentences = _sentences(text)
    candidates = [_attribute_direct(text, start, end, sentences) for start, end in quoted]
    direct = [c for c in candidates if c is not None]
    candidates_all = direct + _indirect_quotes(text, quoted, direct, sentences)
    accepted: list[_Candidate] = []
    for cand in sorted(candidates_all, key=_priority):
        fitted = _fit(text, cand, accepted)
        if fitted is not None:
            accepted.append(fitted)
    accepted.sort(key=lambda c: c.start)
    return _resolve(text, accepted, quoted, sentences)


def _priority(cand: _Candidate) -> tuple[bool, bool, bool, int]:
    """Attributed direct quotes first; then reported clauses, the innermost (latest-starting) of nested ones."""
    return (
        not cand.attributed,
        cand.kind == "indirect",
        cand.fallback,
        -cand.start if cand.kind == "indirect" else cand.start,
    )


def _fit(text: str, cand: _Candidate, accepted: list[_Candidate]) -> _Candidate | None:
    """The candidate if it overlaps nothing accepted; an indirect one is cut short before what it overlaps."""
    overlapping = [o for o in accepted if cand.start < o.end and o.start < cand.end]
    if not overlapping:
        return cand
    if cand.kind != "indirect":
        return None
    marks = [o.start for o in overlapping]
    marks += [mention.start for o in overlapping for mention in (o.speaker, o.verb) if mention is not None]
    cut = min((mark for mark in marks if mark >= cand.start), default=cand.start)
    end = _content_end(text, cand.start, cut)
    if len(text[cand.start : end].split()) < 3 or any(cand.start < o.end and o.start < end for o in accepted):
        return None
    return _Candidate(cand.start, end, cand.kind, cand.speaker, cand.verb, cand.attributed, cand.fallback)


# Quote marks ---------------------------------------------------------------------------------------------


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for match in re.finditer(r"\n\s*\n|\n", text):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of the content of each top-level quotation, continued across paragraphs."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    opener = closer = ""
    nested = 0
    previous_end = 0
    for para_start, para_end in _paragraphs(text):
        lead = para_start + len(text[para_start:para_end]) - len(text[para_start:para_end].lstrip())
        pos = para_start
        if open_at is not None:
            if text[lead] in _OPENERS:  # a quotation continued: the reopening mark lies inside the span
                pos, opener, closer, nested = lead + 1, text[lead], _OPENERS[text[lead]], 0
            else:
                spans.append((open_at, _trim_end(text, open_at, previous_end)))
                open_at = None
        for mark in _QUOTE_MARK.finditer(text, pos, para_end):
            pos, char = mark.start(), mark.group()
            if open_at is None:
                if char in _OPENERS and (char != '"' or _opens(text, pos)):
                    open_at, opener, closer, nested = pos + 1, char, _OPENERS[char], 0
            elif (char == closer or (char in _LOOSE_CLOSERS and closer in _LOOSE_CLOSERS)) and (
                char != '"' or _closes(text, pos)
            ):  # mixed marks (“…" or "…”) are common in scraped text
                if nested:
                    nested -= 1
                else:
                    spans.append((open_at, pos))
                    open_at = None
            elif char == opener and opener != '"':
                nested += 1
        previous_end = para_end
    if open_at is not None:
        spans.append((open_at, _trim_end(text, open_at, len(text))))
    return [(s, e) for s, e in spans if e > s]


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t\n":
        end -= 1
    return end


def _opens(text: str, pos: int) -> bool:
    return pos + 1 < len(text) and not text[pos + 1].isspace() and (pos == 0 or not text[pos - 1].isalnum())


def _closes(text: str, pos: int) -> bool:
    return pos > 0 and not text[pos - 1].isspace()


# Sentences and speakers ------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?…]+[\"”’»)]*(?=\s+[\"“‘«„(]?[A-Z\d]|\s*$)|\n")


def _sentences(text: str) -> list[tuple[int, int]]:
    """Split into sentences at end punctuation followed by a capital (abbreviations kept) and at line breaks."""
    bounds, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.group() != "\n" and _after_abbreviation(text, match.start()):
            continue
        end = match.start() if match.group() == "\n" else match.end()
        if text[start:end].strip():
            lead = len(text[start:end]) - len(text[start:end].lstrip())
            bounds.append((start + lead, end))
        start = match.end()
    if text[start:].strip():
        bounds.append((start + len(text[start:]) - len(text[start:].lstrip()), len(text.rstrip())))
    return bounds


_NAME_RUN_RE = re.compile(r"(?:[A-Z][a-z]{0,3}\.\s+)?[A-Z][\w'’-]*(?:\s+(?:[A-Z]\.|[A-Z][\w'’-]*))*")


def _after_abbreviation(text: str, period: int) -> bool:
    word = re.search(r"([\w.]+)\.$", text[max(0, period - 12) : period + 1])
    if word is None:
        return False
    return word.group(1).lower().rstrip(".") in _ABBREVIATIONS or bool(re.fullmatch(r"[A-Z]", word.group(1)))


def _containing(bounds: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    index = bisect.bisect_right(bounds, (pos, 1 << 62)) - 1
    if index >= 0 and bounds[index][0] <= pos < bounds[index][1]:
        return bounds[index]
    return pos, pos


def _described_name(text: str, start: int, end: int) -> _Mention | None:
    """A description's speaker: "A spokesman for X" is the spokesman; "leader of the caravan Irineo Mujica" is
    Irineo Mujica (a trailing run of capitalised words after lower-case description words)."""
    phrase, words = text[start:end], text[start:end].split()
    head = re.match(r"(?:the|a|an|The|A|An)\s+[a-z]+\s+for\s", phrase)
    if head:
        return _Mention(phrase[: head.end() - len(" for ")], start, start + head.end() - len(" for "))
    trailing = re.search(r"(?:\s[A-Z][\w.'’-]*){2,}$", " " + phrase)
    if trailing and any(w.islower() for w in words[1:]) and len(trailing.group().split()) < len(words):
        return _Mention(text[end - len(trailing.group()) + 1 : end], end - len(trailing.group()) + 1, end)
    return None


def _mention(text: str, start: int, end: int) -> _Mention | None:
    """Trim a speaker phrase to the name it gives: no leading connectives, no leading titles."""
    phrase = text[start:end]
    lead = re.match(r"(?:\s|(?:and|but|And|But|so|So|even|Even)\s)*", phrase)
    start += lead.end() if lead else 0
    phrase = text[start:end].rstrip(" ,")
    end = start + len(phrase)
    words = phrase.split()
    if words and words[-1].lower() in _PRONOUNS:
        return _Mention(words[-1], end - len(words[-1]), end)
    described = _described_name(text, start, end)
    if described is not None:
        return described
    if len(words) > MAX_SPEAKER_WORDS:
        cut = re.search(r"\s(?:in|of|at|from|for|on|with)\s", phrase)
        if cut is None:
            return None
        phrase = phrase[: cut.start()]
        end = start + len(phrase)
        words = phrase.split()
    if not words or len(words) > MAX_SPEAKER_WORDS or not any(w[0].isalpha() for w in words):
        return None
    if (phrase.isupper() and len(phrase) > 3) or words[-1].lower() in _DETERMINERS:
        return None
    last_title = max((i for i, w in enumerate(words) if w.lower() in _TITLES), default=-1)
    rest = words[last_title + 1 :]
    if last_title >= 0 and rest and all(w[0].isupper() for w in rest) and rest[-1].lower() not in _ORG_WORDS:
        start = end - len(" ".join(rest))
        phrase = text[start:end]
    return _Mention(phrase, start, end)


_GROUP_NOUNS = _words(
    "leaders officials lawmakers group ministry office spokesman spokeswoman police authorities reports parents "
    "members officers agency government campaign"
)
_NOT_SUBJECT = re.compile(
    r"^(?:In|On|At|After|During|Earlier|Later|When|While|As|But|And|Last|This|Days|Since|Before|For|However|Yet|"
    r"Still|Overall|Meanwhile|Instead|Indeed|Now|Then|So|Also)\b"
)


_DETERMINERS = frozenset(
    ["the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "this", "that", "these", "those"]
)


def _speaker_like(phrase: str) -> bool:
    """A name, a description or a pronoun, not a clause ("noting that Jones …") or a bare possessive."""
    words = phrase.split()
    if not words or words[0].lower() in _DETERMINERS - {"the", "a", "an"} or words[0].endswith("ing"):
        return False
    if any(c in _QUOTE_CHARS for c in phrase) or re.search(r"\w['’](?:m|re|ve|ll|d)\b", phrase):
        return False
    return not _CLAUSE_BREAKS.search(phrase + " ") or (words[0][0].isupper() and "," in phrase)


_SUBJECT_RUN = re.compile(
    r"\s*((?:(?:the|The|of|magazine|newspaper|host|station|"
    + "|".join(sorted(w for w in _TITLES if w.isalpha()))
    + r")\s+|[A-Z][\w.'’-]*\s+)*[A-Z][\w.'’-]*)(\s+[a-z]+)?"
)


_DATELINE = re.compile(r"[A-Z][A-Z .'-]+(?:,[\w .]+)?\s+[—–-]+\s+")


def _subject(text: str, sent_start: int, limit: int) -> _Mention | None:
    """The sentence's subject for a participle attribution ("…, saying …"): its first name-like run."""
    dateline = _DATELINE.match(text, sent_start, limit)
    sent_start = dateline.end() if dateline else sent_start
    pos = sent_start
    for segment in re.finditer(r"[^,]+", text[sent_start:limit]):
        if not _NOT_SUBJECT.match(segment.group().strip()) and len(segment.group().split()) > 1:
            pos = sent_start + segment.start()
            break
    run = _SUBJECT_RUN.match(text, pos, limit)
    if not run:
        return None
    end = run.end(1)
    if run.group(2) and run.group(2).strip() in _GROUP_NOUNS:
        end = run.end(2)
    return _mention(text, run.start(1), end)


_ANTECEDENT = re.compile(
    r"(?:(?P<name>" + _NAME_RUN_RE.pattern + r")\s*,\s*(?:\d+\s*,\s*)?)?"
    r"(?P<desc>\b(?:the|a|an)\s+(?:[\w-]+\s+){0,3}[\w-]+)\s*,?\s*$"
)


def _relative_antecedent(text: str, start: int, end: int) -> _Mention | None:
    """The speaker a relative pronoun stands for: the description or name right before it."""
    antecedent = _ANTECEDENT.search(text, start, end)
    if antecedent:
        group = "name" if antecedent.group("name") else "desc"
        return _mention(text, antecedent.start(group), antecedent.end(group))
    runs = [
        run
        for run in _NAME_RUN_RE.finditer(text, start, end)
        if not re.search(r"(?:\b(?:of|in|at|from|for)|,)\s*$", text[start : run.start()])
    ]
    return _mention(text, runs[-1].start(), runs[-1].end()) if runs else None


def _participle_speaker(text: str, sent_start: int, verb_start: int) -> _Mention | None:
    """ "with Mr. Sanders saying …" names its speaker; "…, saying …" reports the sentence's subject."""
    named = re.search(r"\bwith\s+(" + _NAME_RUN_RE.pattern + r")\s+$", text[sent_start:verb_start])
    if named:
        return _mention(text, sent_start + named.start(1), sent_start + named.end(1))
    return _subject(text, sent_start, verb_start)


def _speaker_before(text: str, sent_start: int, verb_start: int) -> _Mention | None:
    """The speaker phrase right before a reporting verb, skipping adverbs and an appositive in commas."""
    paren = re.search(r"\s*\([^()]*\)\s*$", text[sent_start:verb_start])
    if paren:  # "Charles Schumer (D-N.Y.) warned"
        verb_start = sent_start + paren.start() + 1
    relative = re.search(r"(?:,\s*)?\b(?:who|which)\s+(?:(?:\w+ly|then|also|later)\s+)*$", text[sent_start:verb_start])
    if relative:  # "…, a former independent voter who said": the antecedent
        return _relative_antecedent(text, sent_start, sent_start + relative.start())
    hard = max((m.end() for m in re.finditer(r"[;:—–()\"“”«»]", text[sent_start:verb_start])), default=0)
    sent_start += hard
    region = text[sent_start:verb_start]
    timed = re.search(r"\s+(?:" + _TIME + r")\s*$", region)
    region = region[: timed.start()] if timed else region
    filler = _TRAILING_FILLER.search(region)
    if filler:
        region = region[: filler.start()]
    if region.rstrip().endswith(","):
        offset = 0
        segments = []
        for segment in re.finditer(r"[^,]+", region):
            if segment.group().strip():
                segments.append((segment.start(), segment.end()))
        if len(segments) < 2:
            return None
        for seg_start, seg_end in reversed(segments):
            if not _APPOSITIVE.match(region[seg_start:seg_end]):
                return _trailing_phrase(text, sent_start + seg_start + offset, sent_start + seg_end)
        return None
    last_comma = region.rfind(",")
    if (
        last_comma > 0
        and re.match(r"\s*(?:a|an)\s", region[last_comma + 1 :])
        and re.fullmatch(r"\s*(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*", region[:last_comma])
    ):
        # "Mark Hamrick, a senior economic analyst for Bankrate.com said": the appositive lacks its closing comma
        return _trailing_phrase(text, sent_start, sent_start + last_comma)
    return _trailing_phrase(text, sent_start + last_comma + 1, sent_start + len(region))


def _trailing_phrase(text: str, start: int, end: int) -> _Mention | None:
    segment = text[start:end]
    breaks = list(_CLAUSE_BREAKS.finditer(segment))
    if breaks:
        start += breaks[-1].end()
    if not text[start:end].strip():
        return None
    return _mention(text, start, end)


# Direct quotes ---------------------------------------------------------------------------------------------

_NAME_RUN = (
    r"(?:(?:the|The)\s+)?(?:(?:[A-Z]\.|[A-Z][a-z]{1,3}\.|[\w'’-]+)\s+){0,6}?[\w'’-]+"
    r"(?<!\bRep)(?<!\bSen)(?<!\bGov)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bDr)(?<!\bGen)(?<!\bSt)"
)
_AFTER_NAMED = re.compile(
    r"\s*,?\s*(?P<spk>[^\"“”„«»!?;:\n]{1,160}?)\s+(?:\w+ly\s+)?(?P<verb>" + _VERB + r")(?![\w'’-])"
)
_AFTER_INVERTED = re.compile(
    r"\s*,?\s*(?P<verb>" + _VERB + r")\s+(?P<spk>" + _NAME_RUN + r")(?=\s*(?:[,.;:!?\n]|$)|\s+(?:on|in|at|"
    r"during|after|before|when|as|to|of|from)\b)"
)
_BEFORE = re.compile(
    r"^.*\b(?P<verb>" + _VERB + r")(?:(?P<mid>[^.!?\"“”„«»\n]{0,80}?)\s*(?P<mark>:|,|\bthat)|)\s*$", re.DOTALL
)
_BEFORE_COLON = re.compile(r"^(?P<spk>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)+)(?:\s+on\s+[^:\n]{1,40})?:\s*$")
_ATTACHABLE_END = ",?!—–-…"


def _attribute_direct(text: str, start: int, end: int, sentences: list[tuple[int, int]]) -> _Candidate | None:
    """A quoted span with its attribution, or an unattributed full-sentence quote, or None (scare quotes)."""
    content = text[start:end].rstrip()
    after_pos = end + 1 if end < len(text) and text[end] in _QUOTE_CHARS else end
    line_end = text.find("\n", after_pos)
    after = text[after_pos : line_end if line_end >= 0 else len(text)][:240]
    found: list[tuple[_Mention | None, _Mention]] = []
    opening = start - 1 if start > 0 and text[start - 1] in _QUOTE_CHARS else start
    para_start = text.rfind("\n", 0, opening) + 1
    sent_start = max(para_start, _containing(sentences, max(opening - 1, para_start))[0])
    before = text[sent_start:opening]
    match = _BEFORE.search(before)
    if match and not match.group("mid") and match.group("mark") != ":" and not _ends_sentence(text, start, end):
        match = None  # `said that "a fragment" …` / `added "a fragment" …`: part of an indirect quote
    if match and _verb_ok(text, sent_start + match.start("verb")):
        verb = _Mention(match.group("verb"), sent_start + match.start("verb"), sent_start + match.end("verb"))
        if verb.text.endswith("ing"):
            speaker = _participle_speaker(text, sent_start, verb.start)
        else:
            speaker = _speaker_before(text, sent_start, verb.start)
        found.append((speaker, verb))
    if content[-1:] in _ATTACHABLE_END or after.startswith(","):
        found.extend(_after_attribution(text, after_pos, after))
    colon = _BEFORE_COLON.match(text[para_start:opening])
    if colon and not colon.group("spk").isupper():
        found.append((_Mention(colon.group("spk"), para_start, para_start + colon.end("spk")), _Mention("", 0, 0)))
    named = [f for f in found if f[0] is not None and f[0].text.lower() not in _PRONOUNS]
    if found:
        speaker, verb_mention = (named or found)[0]
        return _Candidate(start, end, "direct", speaker, verb_mention if verb_mention.text else None, True)
    introduced = _introduced_by_colon(text, para_start, opening, sentences)
    if introduced is not None:
        return _Candidate(start, end, "direct", introduced, None, True)
    opens_sentence = not text[para_start:opening].strip() or re.search(r"[.!?][\"”’»]?\s*$", text[para_start:opening])
    if opens_sentence and len(content.split()) >= MIN_CONTINUATION_WORDS:
        return _Candidate(start, end, "direct", None, None, False)
    return None


def _introduced_by_colon(text: str, para_start: int, opening: int, sentences: list[tuple[int, int]]) -> _Mention | None:
    """The subject of a paragraph ending with a colon that introduces this paragraph's opening quotation."""
    previous = text[:para_start].rstrip()
    if not previous.endswith(":") or text[para_start:opening].strip():
        return None
    intro_start = _containing(sentences, len(previous) - 1)[0]
    return _subject(text, intro_start, len(previous) - 1)


def _ends_sentence(text: str, start: int, end: int) -> bool:
    after = text[end + 1 : end + 4] if end < len(text) and text[end] in _QUOTE_CHARS else text[end : end + 3]
    return bool(re.match(r"\s*(?:[.!?]|\n|$)", after)) or (
        text[start:end].rstrip()[-1:] in ".!?" and bool(re.match(r"\s|$", after))
    )


def _verb_ok(text: str, verb_start: int) -> bool:
    """False where a verb form is a noun after a determiner ("the states", "his claim") or an infinitive."""
    before = _NOT_VERB_AFTER.search(text[max(0, verb_start - 24) : verb_start])
    if before is None:
        return True
    # "used a televised address to revealed that …": a typo'd infinitive is still the reporting verb
    return before.group().strip().lower() == "to" and text[verb_start:].split(" ", 1)[0].endswith("ed")


_AFTER_ACCORDING = re.compile(r"\s*,?\s*(?P<verb>according)\s+to\s+(?P<spk>[^,;!?\n]{2,80}?)\s*(?:[,.;!?]|$)")


def _after_attribution(text: str, after_pos: int, after: str) -> list[tuple[_Mention | None, _Mention]]:
    found: list[tuple[_Mention | None, _Mention]] = []
    inverted = _AFTER_INVERTED.match(after)
    if inverted and _speaker_like(inverted.group("spk")):
        verb = _Mention(inverted.group("verb"), after_pos + inverted.start("verb"), after_pos + inverted.end("verb"))
        found.append((_mention(text, after_pos + inverted.start("spk"), after_pos + inverted.end("spk")), verb))
        return found
    according = _AFTER_ACCORDING.match(after)
    if according:
        verb = _Mention("according", after_pos + according.start("verb"), after_pos + according.end("verb"))
        found.append((_mention(text, after_pos + according.start("spk"), after_pos + according.end("spk")), verb))
        return found
    named = _AFTER_NAMED.match(after)
    if named:
        verb = _Mention(named.group("verb"), after_pos + named.start("verb"), after_pos + named.end("verb"))
        speaker = _speaker_before(text, after_pos + named.start("spk"), after_pos + named.end("spk") + 1)
        if speaker is not None and _verb_ok(text, verb.start) and _speaker_like(speaker.text):
            found.append((speaker, verb))
    return found


# Indirect quotes -------------------------------------------------------------------------------------------

_TELL = r"(?:told|tells|tell|telling|warned|warns|warn|warning|assured|assures|reminded|reminds)"
_TOLD_OBJECT = (
    r"\s+(?:[^.;:!?\"“”\n]{1,60}?(?=\s+that\b)|(?!(?:that|of|about|against|to|in|on|for|with|from)\b)"
    r"(?:the\s+|a\s+)?(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*|[a-z]+))"
)
_INDIRECT = re.compile(
    r"\b(?P<verb>"
    + _TELL
    + r"(?P<obj>"
    + _TOLD_OBJECT
    + r")|"
    + _VERB
    + r")(?P<mod>(?:,?\s+(?:"
    + _TIME
    + r")|"
    + _MODIFIER
    + r"(?=\s+that\b|,))*),?\s+(?P<clause>"
    + _CLAUSE_START
    + r")"
)


def _indirect_quotes(
    text: str, quoted: list[tuple[int, int]], direct: list[_Candidate], sentences: list[tuple[int, int]]
) -> list[_Candidate]:
    """Clauses reported by a lexicon verb, by "according to", or by a trailing or parenthetical attribution."""
    used_verbs = {c.verb.start for c in direct if c.verb is not None}
    found: list[_Candidate] = []
    verb_positions = [w.start() for w in _WORD.finditer(text) if w.group() in _LEMMA_OF]
    for verb_start in verb_positions:  # a word scan first: matching the big pattern everywhere is slow
        match = _INDIRECT.match(text, verb_start)
        if match is None or verb_start in used_verbs or _inside(quoted, verb_start):
            continue
        verb_word = re.match(r"\w+", text[verb_start:])
        verb_end = verb_start + (verb_word.end() if verb_word else 0)
        lemma = _LEMMA_OF.get(text[verb_start:verb_end].lower(), "")
        if not _verb_ok(text, verb_start) or not _clause_fits(text, match, lemma):
            continue
        sent_start, sent_end = _containing(sentences, verb_start)
        start = match.start("clause")
        if text.startswith("that", start) and match.group("clause"):
            start = match.end("clause")
        end = _content_end(text, start, sent_end)
        if len(text[start:end].split()) < 3:
            continue
        verb = _Mention(text[verb_start:verb_end], verb_start, verb_end)
        if verb.text.endswith("ing"):
            speaker = _participle_speaker(text, sent_start, verb_start)
        else:
            speaker = _speaker_before(text, sent_start, verb_start)
            if speaker is None and re.search(r"\b(?:and|but|though|or)\s*$", text[sent_start:verb_start]):
                speaker = _subject(text, sent_start, verb_start)
            if speaker is None:
                continue
        found.append(_Candidate(start, end, "indirect", speaker, verb, True))
    verb_sentences = {_containing(sentences, pos) for pos in verb_positions}
    for sent_start, sent_end in sentences:
        if (sent_start, sent_end) in verb_sentences or "ccording to" in text[sent_start:sent_end]:
            found.extend(_sentence_attributions(text, sent_start, sent_end))
    return found


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    """Whether a position lies in one of the sorted, disjoint spans."""
    index = bisect.bisect_right(spans, (pos, len(spans) + pos + 1)) - 1
    return index >= 0 and spans[index][0] <= pos < spans[index][1]


def _clause_fits(text: str, match: re.Match[str], lemma: str) -> bool:
    """A reported clause follows: "that", a pronoun subject, or (for say-like verbs) any likely clause opening."""
    first = re.match(r"[\w'’]+|\S", text[match.start("clause") :])
    word = first.group().lower() if first else ""
    if word == "that":
        return True
    if lemma in THAT_ONLY_VERBS:
        return False
    if word in _PRONOUN_SUBJECTS:
        return True
    if word and word in _QUOTE_CHARS:
        closing = re.match(r".[^\"“”„«»\n]*", text[match.start("clause") :])
        return closing is not None and len(closing.group().split()) >= MIN_CONTINUATION_WORDS
    if word in _NOT_CLAUSE:
        return False
    return lemma in BARE_CLAUSE_VERBS or bool(match.group("obj"))


def _content_end(text: str, start: int, sent_end: int) -> int:
    end = sent_end
    while True:
        while end > start and (text[end - 1] in ".!?…;:,—– \n" or text[end - 1] in _QUOTE_CHARS):
            end -= 1
        tail = re.search(r"\b(?:and|but|though|while|as|adding|saying|noting)$", text[start:end])
        if tail is None:
            return end
        end = start + tail.start()


def _sentence_attributions(text: str, sent_start: int, sent_end: int) -> list[_Candidate]:
    """`…, according to X.`, `According to X, …`, `…, the group said.` and `The files, X said, showed …`."""
    sentence = text[sent_start:sent_end]
    if sentence[:1] in _QUOTE_CHARS:
        return []
    after = _ACCORDING_AFTER.search(sentence)
    if after:
        speaker = _mention(text, sent_start + after.start("spk"), sent_start + after.end("spk"))
        verb_start = sent_start + after.start() + after.group().index("according")
        verb = _Mention("according", verb_start, verb_start + len("according"))
        return [_Candidate(sent_start, sent_start + after.start(), "indirect", speaker, verb, True, True)]
    before = _ACCORDING_BEFORE.match(sentence)
    if before:
        speaker = _mention(text, sent_start + before.start("spk"), sent_start + before.end("spk"))
        verb_start = sent_start + before.group().lower().index("according")
        verb = _Mention("According", verb_start, verb_start + len("according"))
        start = sent_start + before.end()
        return [_Candidate(start, _content_end(text, start, sent_end), "indirect", speaker, verb, True, True)]
    for fronted in _FRONTED.finditer(sentence):
        group = "verb" if fronted.group("verb") else "verb2"
        spk_group = "spk" if group == "verb" else "spk2"
        speaker = _mention(text, sent_start + fronted.start(spk_group), sent_start + fronted.end(spk_group))
        if speaker is None or fronted.start() == 0 or not _speaker_like(speaker.text):
            continue
        if fronted.group(group).endswith("ing") or len(speaker.text.split()) > 5:
            continue
        verb = _Mention(fronted.group(group), sent_start + fronted.start(group), sent_start + fronted.end(group))
        if fronted.group().endswith(",") and len(sentence[: fronted.start()].split()) <= 5:
            # a parenthetical attribution after a short subject ("The files, X said, showed …"): the whole sentence
            end = _content_end(text, sent_start, sent_end)
            return [_Candidate(sent_start, end, "indirect", speaker, verb, True, True)]
        return [_Candidate(sent_start, sent_start + fronted.start(), "indirect", speaker, verb, True, True)]
    return []


# Pronouns and continuations --------------------------------------------------------------------------------


def _resolve(
    text: str, accepted: list[_Candidate], quoted: list[tuple[int, int]], sentences: list[tuple[int, int]]
) -> list[Quote]:
    """Resolve pronoun speakers and continued quotations in text order, and build the `Quote` values."""
    quotes: list[Quote] = []
    named: list[_Mention] = []
    subjects: list[_Mention] | None = None  # computed only when a pronoun needs them
    previous: _Candidate | None = None
    for cand in accepted:
        speaker, verb = cand.speaker, cand.verb
        gap = _paragraph_gap(text, previous.end, cand.start) if previous is not None else 99
        if not cand.attributed:
            if previous is None or gap > 1:
                continue
            speaker, verb = previous.speaker, previous.verb if gap == 0 else None
        elif (
            previous is not None
            and gap == 0
            and _same_sentence(text, previous.end, cand.start)
            and (speaker is None or (verb is not None and _is_participle(verb)))
        ):  # "…, said a federal court, affirming that …": the participle shares the attribution
            speaker = previous.speaker
        elif speaker is not None and speaker.text.lower() in _PRONOUNS:
            subjects = _named_mentions(text, quoted, sentences) if subjects is None else subjects
            speaker = _nearest(subjects + named, speaker.start)
        if speaker is not None and speaker.text.lower() not in _PRONOUNS:
            named.append(speaker)
        previous = _Candidate(cand.start, cand.end, cand.kind, speaker, verb, True)
        quotes.append(
            Quote(
                start=cand.start,
                end=cand.end,
                text=text[cand.start : cand.end],
                kind=cand.kind,
                speaker=speaker.text if speaker else None,
                speaker_start=speaker.start if speaker else None,
                speaker_end=speaker.end if speaker else None,
                verb=_LEMMA_OF.get(verb.text.lower(), "accord" if verb.text.lower() == "according" else None)
                if verb
                else None,
                verb_start=verb.start if verb else None,
                verb_end=verb.end if verb else None,
            )
        )
    return quotes


def _is_participle(verb: _Mention) -> bool:
    return verb.text.endswith("ing") and verb.text.lower() != "according"


def _same_sentence(text: str, end: int, start: int) -> bool:
    return not re.search(r"[.!?][\"”’]?\s+[\"“A-Z]", text[end : start + 1])


def _paragraph_gap(text: str, end: int, start: int) -> int:
    return len(re.findall(r"\n\s*\n|\n", text[end:start]))


def _named_mentions(text: str, quoted: list[tuple[int, int]], sentences: list[tuple[int, int]]) -> list[_Mention]:
    """The name-like subjects of the sentences outside quotations: what a later pronoun may refer to."""
    mentions = []
    for start, end in sentences:
        if text[start] in _QUOTE_CHARS or any(q_start <= start < q_end for q_start, q_end in quoted):
            continue
        subject = _subject(text, start, end)
        if subject is not None and subject.text.lower() not in _PRONOUNS and any(c.isupper() for c in subject.text):
            mentions.append(subject)
    return mentions


def _nearest(mentions: list[_Mention], before: int) -> _Mention | None:
    """The mention that ends last before a position (the nearest preceding named speaker or subject)."""
    earlier = [m for m in mentions if m.end <= before]
    return max(earlier, key=lambda m: m.start, default=None)


# Evaluation ------------------------------------------------------------------------------------------------

MATCH_OVERLAP = 0.5
"""A predicted quote matches a gold quote when their spans overlap by at least this share of the shorter."""


@dataclass(slots=True, frozen=True)
class QuoteScores:
    """Quote extraction scores over a gold set; `items` is the number of gold quotes."""

    precision: float
    recall: float
    f1: float
    speaker_accuracy: float
    f1_with_speaker: float
    items: int


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def speakers_agree(gold: str | None, predicted: str | None) -> bool:
    """Case-insensitive: the gold speaker's last word is in the predicted speaker, or the other way round."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    gold_l, pred_l = gold.lower(), predicted.lower()
    gold_last = re.sub(r"['’]s$", "", gold_l.split()[-1]) if gold_l.split() else gold_l
    pred_last = re.sub(r"['’]s$", "", pred_l.split()[-1]) if pred_l.split() else pred_l
    return gold_last in pred_l or pred_last in gold_l


def _overlaps(gold: dict[str, int], pred: Quote) -> float:
    shared = min(gold["end"], pred.end) - max(gold["start"], pred.start)
    shorter = min(gold["end"] - gold["start"], pred.end - pred.start)
    return shared / shorter if shorter > 0 and shared > 0 else 0.0


def _best_match(gold: dict[str, int], free: list[Quote]) -> Quote | None:
    best, best_overlap = None, 0.0
    for quote in free:
        overlap = _overlaps(gold, quote)
        if overlap > best_overlap:
            best, best_overlap = quote, overlap
    return best if best_overlap >= MATCH_OVERLAP else None


def evaluate_quotes(gold_path: Path, data_root: Path) -> QuoteScores:
    """Score `extract_quotes` on a gold file of `{"dataset", "id", "quotes"}` records against the data's texts."""
    records = [json.loads(line) for line in Path(gold_path).read_text(encoding="utf-8").splitlines() if line]
    wanted: dict[str, set[str]] = {}
    for record in records:
        wanted.setdefault(record["dataset"], set()).add(record["id"])
    texts = load_texts(Path(data_root), wanted)
    gold_total = predicted_total = matched = matched_speaker = 0
    for record in records:
        predicted = extract_quotes(texts[record["dataset"], record["id"]])
        free = list(predicted)
        for gold in record["quotes"]:
            best = _best_match(gold, free)
            if best is not None:
                free.remove(best)
                matched += 1
                matched_speaker += speakers_agree(gold["speaker"], best.speaker)
        gold_total += len(record["quotes"])
        predicted_total += len(predicted)
    precision = matched / predicted_total if predicted_total else 0.0
    recall = matched / gold_total if gold_total else 0.0
    precision_s = matched_speaker / predicted_total if predicted_total else 0.0
    recall_s = matched_speaker / gold_total if gold_total else 0.0
    return QuoteScores(
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        speaker_accuracy=matched_speaker / matched if matched else 0.0,
        f1_with_speaker=_f1(precision_s, recall_s),
        items=gold_total,
    )
