"""Direct quotes (`quotes.rules.v1`): a quoted span with the reporting clause attached to it.

The clause may follow the quotation (`"…," X said`, `"…," said X, the …`, `"…," according to X`) or precede it
(`X said: "…"`, `X responded, "…"`, `saying that "…"`, a `Name:` paragraph opening, a paragraph ending with a
colon). An unattributed quotation of at least `MIN_CONTINUATION_WORDS` words that opens a sentence may continue
an earlier speaker; any other unattributed quotation (scare quotes, titles) is not a quote. An implementation
module of `parallax.quotes`.
"""

from __future__ import annotations

import bisect
import re

from parallax.quote_candidates import Candidate, Mention
from parallax.quote_patterns import MIN_CONTINUATION_WORDS, PRONOUNS, QUOTE_CHARS, VERB, VERB_WORD, verb_ok
from parallax.quote_spans import Span, containing
from parallax.quote_speakers import mention, participle_speaker, speaker_before, speaker_like, subject

__all__ = ["attribute_direct"]

_NAME_RUN = (
    r"(?:(?:the|The)\s+)?(?:(?:[A-Z]\.|[A-Z][a-z]{1,3}\.|[\w'’-]+)\s+){0,6}?[\w'’-]+"
    r"(?<!\bRep)(?<!\bSen)(?<!\bGov)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bDr)(?<!\bGen)(?<!\bSt)"
)
_AFTER_NAMED = re.compile(
    r"\s*,?\s*(?P<spk>[^\"“”„«»!?;:\n]{1,160}?)\s+(?:\w+ly\s+)?(?P<verb>" + VERB + r")(?![\w'’-])"
)
_AFTER_INVERTED = re.compile(
    r"\s*,?\s*(?P<verb>" + VERB + r")\s+(?P<spk>" + _NAME_RUN + r")(?=\s*(?:[,.;:!?\n]|$)|\s+(?:on|in|at|"
    r"during|after|before|when|as|to|of|from)\b)"
)
_AFTER_ACCORDING = re.compile(r"\s*,?\s*(?P<verb>according)\s+to\s+(?P<spk>[^,;!?\n]{2,80}?)\s*(?:[,.;!?]|$)")
_BEFORE = re.compile(
    r"^.*\b(?P<verb>" + VERB + r")(?:(?P<mid>[^.!?\"“”„«»\n]{0,80}?)\s*(?P<mark>:|,|\bthat)|)\s*$", re.DOTALL
)
_BEFORE_COLON = re.compile(r"(?P<spk>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)+)(?:\s+on\s+[^:\n]{1,40})?:\s*$")
_SENTENCE_FOLLOWS = re.compile(r"\s*(?:[.!?]|\n|$)")
_SPACE_OR_END = re.compile(r"\s|$")
_SENTENCE_ENDED = re.compile(r"[.!?][\"”’»]?\s*$")
_ATTACHABLE_END = ",?!—–-…"
_AFTER_REACH = 240
"""How much of the line after a quotation the trailing attribution patterns read."""

Attribution = tuple[Mention | None, Mention]


def attribute_direct(text: str, start: int, end: int, sentences: list[Span], verbs: list[int]) -> Candidate | None:
    """A quoted span with its attribution, or an unattributed full-sentence quote, or None (scare quotes).

    `verbs` are the sorted starts of the text's reporting-verb forms (`VERB_WORD`).
    """
    content = text[start:end].rstrip()
    after_pos = end + 1 if end < len(text) and text[end] in QUOTE_CHARS else end
    line_end = text.find("\n", after_pos, after_pos + _AFTER_REACH)
    after = text[after_pos : line_end if line_end >= 0 else after_pos + _AFTER_REACH]
    opening = start - 1 if start > 0 and text[start - 1] in QUOTE_CHARS else start
    para_start = text.rfind("\n", 0, opening) + 1
    sent_start = max(para_start, containing(sentences, max(opening - 1, para_start))[0])
    found = (
        _before_attribution(text, start, end, sent_start, opening)
        if _verb_between(text, verbs, sent_start, opening)
        else []
    )
    if content[-1:] in _ATTACHABLE_END or after.startswith(","):
        found.extend(_after_attribution(text, after_pos, after))
    colon = _BEFORE_COLON.match(text, para_start, opening)  # `Name:` opening the paragraph
    if colon and not colon.group("spk").isupper():
        found.append((Mention(colon.group("spk"), para_start, colon.end("spk")), Mention("", 0, 0)))
    named = [f for f in found if f[0] is not None and f[0].text.lower() not in PRONOUNS]
    if found:
        speaker, verb_mention = (named or found)[0]
        return Candidate(start, end, "direct", speaker, verb_mention if verb_mention.text else None, True)
    introduced = _introduced_by_colon(text, para_start, opening, sentences)
    if introduced is not None:
        return Candidate(start, end, "direct", introduced, None, True)
    lead_in = text[para_start:opening]
    if (not lead_in.strip() or _SENTENCE_ENDED.search(lead_in)) and len(content.split()) >= MIN_CONTINUATION_WORDS:
        return Candidate(start, end, "direct", None, None, False)
    return None


def _before_attribution(text: str, start: int, end: int, sent_start: int, opening: int) -> list[Attribution]:
    """`X said: "…"`, `X responded, "…"`, `saying that "…"`: the last reporting verb before the quotation."""
    before = text[sent_start:opening]
    match = _BEFORE.search(before)
    if match and not match.group("mid") and match.group("mark") != ":" and not _ends_sentence(text, start, end):
        return []  # `said that "a fragment" …` / `added "a fragment" …`: part of an indirect quote
    if match is None or not verb_ok(text, sent_start + match.start("verb")):
        return []
    verb = Mention(match.group("verb"), sent_start + match.start("verb"), sent_start + match.end("verb"))
    if verb.text.endswith("ing"):
        return [(participle_speaker(text, sent_start, verb.start), verb)]
    return [(speaker_before(text, sent_start, verb.start), verb)]


def _verb_between(text: str, verbs: list[int], start: int, end: int) -> bool:
    """Whether a reporting-verb form may lie in text[start:end]; `_BEFORE` needs one, so a cheap exact test."""
    if start > 0 and "a" <= text[start - 1] <= "z":  # the text-wide scan saw a longer word here
        return VERB_WORD.search(text, start, end) is not None
    index = bisect.bisect_left(verbs, start)
    return index < len(verbs) and verbs[index] < end


def _introduced_by_colon(text: str, para_start: int, opening: int, sentences: list[Span]) -> Mention | None:
    """The subject of a paragraph ending with a colon that introduces this paragraph's opening quotation."""
    colon = para_start - 1
    while colon >= 0 and text[colon].isspace():
        colon -= 1
    if colon < 0 or text[colon] != ":" or text[para_start:opening].strip():
        return None
    return subject(text, containing(sentences, colon)[0], colon)


def _ends_sentence(text: str, start: int, end: int) -> bool:
    after = text[end + 1 : end + 4] if end < len(text) and text[end] in QUOTE_CHARS else text[end : end + 3]
    return bool(_SENTENCE_FOLLOWS.match(after)) or (
        text[start:end].rstrip()[-1:] in ".!?" and bool(_SPACE_OR_END.match(after))
    )


def _after_attribution(text: str, after_pos: int, after: str) -> list[Attribution]:
    """`"…," X said`, `"…," said X, the …` and `"…," according to X`: the clause right after the quotation."""
    inverted = _AFTER_INVERTED.match(after)
    if inverted and speaker_like(inverted.group("spk")):
        verb = Mention(inverted.group("verb"), after_pos + inverted.start("verb"), after_pos + inverted.end("verb"))
        return [(mention(text, after_pos + inverted.start("spk"), after_pos + inverted.end("spk")), verb)]
    according = _AFTER_ACCORDING.match(after)
    if according:
        verb = Mention("according", after_pos + according.start("verb"), after_pos + according.end("verb"))
        return [(mention(text, after_pos + according.start("spk"), after_pos + according.end("spk")), verb)]
    named = _AFTER_NAMED.match(after)
    if named:
        verb = Mention(named.group("verb"), after_pos + named.start("verb"), after_pos + named.end("verb"))
        speaker = speaker_before(text, after_pos + named.start("spk"), after_pos + named.end("spk") + 1)
        if speaker is not None and verb_ok(text, verb.start) and speaker_like(speaker.text):
            return [(speaker, verb)]
    return []
