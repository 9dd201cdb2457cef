"""Quotes in an article's clean text: direct and indirect, with the speaker, the reporting verb and exact spans.

Rules over the text, no model (`quotes.rules.v1`):

1. Quote marks are paired per paragraph (straight `"`, curly `“ ”`, `„ “`, `« »`; curly marks nest; mixed
   `“…"` pairs too). A quote left open at a paragraph's end continues when the next paragraph opens with a
   quote mark (the newspaper convention for a quotation that runs over several paragraphs); otherwise it ends
   with its paragraph (`parallax.quote_spans`).
2. A quoted span is a *direct* quote when a reporting clause is attached to it: after it
   (`"…," X said`, `"…," said X, the …`), or before it (`X said: "…"`, `X responded, "…"`, `saying that "…"`).
   An unattributed quoted span of at least `MIN_CONTINUATION_WORDS` words that opens a sentence right after
   an attributed quote (same or next paragraph) continues that speaker. Any other quoted span (scare quotes,
   titles, slogans, "a “terrible” deal") is not a quote on its own; it may sit inside an indirect quote
   (`parallax.quote_direct`).
3. An *indirect* quote is a clause reported by a lexicon verb: `X said (on Sunday) (that) …`,
   `X told reporters …`, `…, the group said.`, `according to X, …`, `…, according to X.`; the content runs to
   the end of the sentence (`parallax.quote_indirect`; the lexicon is in `parallax.quote_patterns`).
4. Pronoun speakers (`he said`) take the nearest preceding mention among the named speakers of earlier quotes
   and the subjects of earlier sentences outside quotations; `speaker_start`/`speaker_end` then point at the
   mention used (None when nothing precedes). A relative pronoun (`…, a voter who said`) takes its antecedent;
   a participle (`…, said the court, affirming that …`) shares its sentence's attribution
   (`parallax.quote_speakers`).
5. Spans never overlap: attributed direct quotes win, then the innermost of nested reported clauses; an outer
   clause is cut short before the inner one.

The text is scanned once each for quote marks, sentence ends and reporting-verb forms; the rules then look only
at those places. The annotation guide, the gold set and the scores are in docs/annotation/quotes.md; the scorer
is `parallax.evaluate_quotes`.

Speakers keep the article's words with leading titles dropped ("Foreign Minister Sergei Lavrov" ->
"Sergei Lavrov"); descriptions ("the ministry", "the CIA chief") are kept as given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parallax.model import compact_pickle
from parallax.quote_candidates import Candidate, Mention, QuoteKind
from parallax.quote_direct import attribute_direct
from parallax.quote_indirect import MIN_CLAUSE_WORDS, content_end, indirect_quotes, verb_starts
from parallax.quote_patterns import PRONOUNS, REPORTING_VERBS, reporting_lemma
from parallax.quote_spans import paragraph_gap, quoted_spans, sentences
from parallax.quote_speakers import SentenceSubjects

__all__ = ["METHOD", "REPORTING_VERBS", "Quote", "QuoteKind", "extract_quotes"]

METHOD = "quotes.rules.v1"
"""Versioned name of the extraction rules, stored with their output."""

_NEW_SENTENCE = re.compile(r"[.!?][\"”’]?\s+[\"“A-Z]")


@compact_pickle
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
    speaker_canonical: str | None = None
    """The entity the speaker is, in its canonical form, once linked to the article's entities (`parallax.links`)."""


def extract_quotes(text: str) -> list[Quote]:
    """Return the direct and indirect quotes of a clean article text, in text order, spans never overlapping.

    >>> quotes = extract_quotes('"We will not give in," Foreign Minister Sergei Lavrov said.')
    >>> [(q.text, q.kind, q.speaker, q.verb) for q in quotes]
    [('We will not give in,', 'direct', 'Sergei Lavrov', 'say')]
    """
    if not isinstance(text, str):
        raise TypeError(f"extract_quotes takes the article text as str, not {type(text).__name__}")
    quoted = quoted_spans(text)
    bounds = sentences(text)
    verbs = verb_starts(text)
    attributed = (attribute_direct(text, start, end, bounds, verbs) for start, end in quoted)
    direct = [candidate for candidate in attributed if candidate is not None]
    accepted: list[Candidate] = []
    for candidate in sorted(direct + indirect_quotes(text, quoted, direct, bounds, verbs), key=_priority):
        fitted = _fit(text, candidate, accepted)
        if fitted is not None:
            accepted.append(fitted)
    accepted.sort(key=lambda c: c.start)
    return _resolve(text, accepted, SentenceSubjects(text, quoted, bounds))


def _priority(cand: Candidate) -> tuple[bool, bool, bool, int]:
    """Attributed direct quotes first; then reported clauses, the innermost (latest-starting) of nested ones."""
    return (
        not cand.attributed,
        cand.kind == "indirect",
        cand.fallback,
        -cand.start if cand.kind == "indirect" else cand.start,
    )


def _fit(text: str, cand: Candidate, accepted: list[Candidate]) -> Candidate | None:
    """The candidate if it overlaps nothing accepted; an indirect one is cut short before what it overlaps."""
    overlapping = [o for o in accepted if cand.start < o.end and o.start < cand.end]
    if not overlapping:
        return cand
    if cand.kind != "indirect":
        return None
    marks = [o.start for o in overlapping]
    marks += [mention.start for o in overlapping for mention in (o.speaker, o.verb) if mention is not None]
    cut = min((mark for mark in marks if mark >= cand.start), default=cand.start)
    end = content_end(text, cand.start, cut)
    if len(text[cand.start : end].split()) < MIN_CLAUSE_WORDS or any(
        cand.start < o.end and o.start < end for o in accepted
    ):
        return None
    return Candidate(cand.start, end, cand.kind, cand.speaker, cand.verb, cand.attributed, cand.fallback)


def _resolve(text: str, accepted: list[Candidate], subjects: SentenceSubjects) -> list[Quote]:
    """Resolve pronoun speakers and continued quotations in text order, and build the `Quote` values."""
    quotes: list[Quote] = []
    named: list[Mention] = []
    previous: Candidate | None = None
    for cand in accepted:
        speaker, verb = cand.speaker, cand.verb
        gap = paragraph_gap(text, previous.end, cand.start) if previous is not None else 99
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
        elif speaker is not None and speaker.text.lower() in PRONOUNS:
            speaker = _nearest(subjects.nearest(speaker.start), named, speaker.start)
        if speaker is not None and speaker.text.lower() not in PRONOUNS:
            named.append(speaker)
        previous = Candidate(cand.start, cand.end, cand.kind, speaker, verb, True)
        quotes.append(_quote(text, cand, speaker, verb))
    return quotes


def _quote(text: str, cand: Candidate, speaker: Mention | None, verb: Mention | None) -> Quote:
    """The public value of an accepted candidate (positional arguments: this runs once per quote)."""
    if speaker is None:
        speaker_text = speaker_start = speaker_end = None
    else:
        speaker_text, speaker_start, speaker_end = speaker.text, speaker.start, speaker.end
    if verb is None:
        return Quote(cand.start, cand.end, text[cand.start : cand.end], cand.kind, speaker_text, speaker_start,
                     speaker_end, None, None, None)  # fmt: skip
    return Quote(cand.start, cand.end, text[cand.start : cand.end], cand.kind, speaker_text, speaker_start,
                 speaker_end, reporting_lemma(verb.text), verb.start, verb.end)  # fmt: skip


def _is_participle(verb: Mention) -> bool:
    return verb.text.endswith("ing") and verb.text.lower() != "according"


def _same_sentence(text: str, end: int, start: int) -> bool:
    return not _NEW_SENTENCE.search(text[end : start + 1])


def _nearest(subject: Mention | None, named: list[Mention], before: int) -> Mention | None:
    """The nearest preceding mention: the sentence subject, or a named speaker of an earlier quote starting later.

    On a tie of starts the subject wins.
    """
    speaker = max((m for m in named if m.end <= before), key=lambda m: m.start, default=None)
    if subject is not None and (speaker is None or subject.start >= speaker.start):
        return subject
    return speaker
