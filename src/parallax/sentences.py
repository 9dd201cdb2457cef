"""Sentence boundaries in news text: a compiled regex over candidate boundaries and a table of abbreviations.

Each line is a paragraph: a headline or a subheading is its own sentence and never runs into the next line.
Inside a line, a candidate boundary is terminal punctuation (`.`, `!`, `?`, `...`, `…`) with any closing quotes
or brackets, followed by whitespace. A candidate is kept unless what surrounds it says otherwise:

- the next word starts in lower case (`"Go!" he said`, `e.g. the`), or the candidate lies inside a quotation
  that closes later in the same line (a quotation is kept whole with its attribution, as pysbd does, so a
  sentence with quote marks is what `parallax.summarize` treats as quoted);
- the word before a period is a title or another word that is never sentence-final (`Mr.`, `Gen.`, `vs.`);
  a number-taking abbreviation before a number (`Jan. 5`, `No. 10`); an enumerator opening the sentence
  (`1.`, `a.`); or an abbreviation, dotted acronym or initial (`U.S.`, `Inc.`, `a.m.`, `John F. Kennedy`)
  that is followed by a word which does not usually open a sentence (`the U.S. Senate`, but
  `in the U.S. The`); a time opening a line is a live-blog heading and ends (`9:10 p.m. Trump ...`);
- a quotation closed by its own `!` or `?` is followed by its attribution (`...violence?" Turner asked.`).

Decimals (`3.5`) and dotted names (`U.S.-led`) have no whitespace after the period and are never candidates.
`split` returns sentences with offsets such that `text[s.start:s.end] == s.text`. `SentenceOptions(method=
"pysbd")` keeps the slower pysbd segmenter (per paragraph, same offsets) for comparison;
`boundary_scores` measures a splitter against the hand-annotated boundaries in `eval/gold/sentences.jsonl`:
inside paragraphs the rules score F1 0.996 there (pysbd 0.973), at 0.3 ms an article where pysbd takes 28 ms
(`benchmarks/results/extract.json`).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from parallax.goldsets import load_texts
from parallax.model import Sentence

if TYPE_CHECKING:  # pysbd is imported only when its method is chosen
    import pysbd

__all__ = [
    "DEFAULT_OPTIONS",
    "METHODS",
    "BoundaryScores",
    "SentenceOptions",
    "boundary_scores",
    "load_boundary_gold",
    "sentence_ends",
    "split",
]

Method = Literal["fast", "pysbd"]
METHODS: tuple[Method, ...] = ("fast", "pysbd")
"""`fast`: the rules here (the default); `pysbd`: pysbd's segmenter per paragraph (about 90x slower)."""


@dataclass(slots=True, frozen=True)
class SentenceOptions:
    """How sentences are found: `method` is one of `METHODS`."""

    method: Method = "fast"

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"SentenceOptions.method must be one of {', '.join(METHODS)}, not {self.method!r}")


DEFAULT_OPTIONS = SentenceOptions()

# The word tables below were written from AP style and common usage, then checked by reading the boundaries where
# these rules and pysbd disagree on allsides_baly_bias (records 20,000-20,299 and 30,000-30,299) and against
# `eval/gold/sentences.jsonl`; see docs/annotation/sentences.md for what counts as a boundary.
#
# Words after which a period never ends a sentence: titles before a name and words that always introduce
# something. Lower case, without the period. English first (AP style), then common ones of the other languages
# parallax reads dates in (de, fr, es, ru).
NEVER_FINAL = frozenset(
    {
        *("mr", "mrs", "ms", "mx", "messrs", "mmes", "dr", "drs", "prof", "profs", "rev", "hon", "pres", "gov"),
        *("sen", "sens", "rep", "reps", "amb", "atty", "supt", "det", "insp", "gen", "gens", "lt", "col", "maj"),
        *("capt", "cmdr", "cmdt", "adm", "sgt", "cpl", "pvt", "brig", "cdr", "fr", "sec", "rt", "mt", "vs", "v"),
        *("cf", "approx", "viz", "e.g", "i.e"),
        *("hr", "hrn", "z.b", "bzw", "vgl", "sog", "ggf", "u.a", "d.h"),  # de: Herr, zum Beispiel, beziehungsweise
        *("mme", "mlle", "mlles", "mgr"),  # fr: Madame, Mademoiselle, Monseigneur
        *("sra", "srta", "sres", "dña", "dra", "lic", "ud", "uds"),  # es: Señora, Señorita, Doña, Licenciado
        *("т.е", "им", "ул", "пр", "проф", "акад", "г-н", "т.н", "см"),  # ru: то есть, имени, улица, профессор
    }
)
# Abbreviations that may close a sentence ("Apple Inc.", "in the U.S.", "at 9 a.m."): a boundary only when the
# next word usually opens one (`SENTENCE_STARTERS`). Dotted acronyms and single letters are handled the same way
# without being listed.
MAYBE_FINAL = frozenset(
    {
        *("inc", "corp", "co", "cos", "ltd", "llc", "plc", "bros", "jr", "sr", "st", "ave", "blvd", "rd", "hwy"),
        *("dept", "al", "ft", "ca"),  # "Smith et al.", "Ft. Worth", "ca. 1900"
        *("univ", "assn", "etc", "est", "ret", "dist", "govt", "intl", "natl", "gov't", "admin", "ext", "mfg"),
        # AP-style US state abbreviations ("Sen. John Doe, R-Ariz.", "Austin, Texas" needs none)
        *("ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan", "kans", "ky"),
        *("la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla", "ore", "pa", "tenn"),
        *("vt", "va", "wash", "wis", "wyo", "w.va"),
        *("usw", "str", "gmbh", "cie", "av", "avda", "г", "гг", "т.д", "т.п", "др"),  # de, fr, es, ru
    }
)
# Abbreviations that take a number after them ("Jan. 5", "No. 10", "pp. 3-4"): not a boundary before a digit,
# else treated as `MAYBE_FINAL` ("said no. The ...").
BEFORE_NUMBER = frozenset(
    {
        *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
        *("no", "nos", "nr", "vol", "vols", "p", "pp", "art", "arts", "fig", "figs", "ch", "para", "op", "ed", "prop"),
        *("eds", "pt", "pts", "tel", "n°", "nº", "№", "s", "abs", "bd"),
    }
)
# Words that usually open a sentence, lower case: after a `MAYBE_FINAL` abbreviation, an acronym or an initial, a
# capitalised word from this list means a new sentence ("in the U.S. The ..."), any other capitalised word a name
# going on ("the U.S. Senate", "John F. Kennedy"). Function words only, so that no name is mistaken for one.
SENTENCE_STARTERS = frozenset(
    {
        *("the", "a", "an", "this", "that", "these", "those", "there", "here", "it", "its", "he", "she", "they"),
        *("we", "i", "you", "his", "her", "their", "our", "my", "your", "but", "and", "or", "so", "yet", "nor"),
        *("in", "on", "at", "for", "with", "as", "if", "when", "while", "after", "before", "since", "although"),
        *("though", "because", "however", "meanwhile", "still", "also", "then", "now", "what", "who", "why"),
        *("how", "where", "which", "some", "many", "most", "all", "no", "not", "one", "both", "each", "other"),
        *("another", "such", "according", "during", "under", "over", "from", "to", "by", "among", "despite"),
        *("even", "only", "just", "instead", "indeed", "yes", "earlier", "later", "last", "next", "thus"),
        *("der", "die", "das", "er", "sie", "es", "ein", "eine", "wir", "ich", "aber", "und", "im", "am", "auch"),
        *("le", "la", "les", "il", "elle", "ils", "un", "une", "mais", "dans", "ce", "cette"),
        *("el", "los", "las", "una", "pero", "y", "este", "esta", "él", "ella"),
        *("он", "она", "они", "это", "в", "на", "но", "и", "по", "как", "мы", "я"),
    }
)
# Verbs of saying: a quotation closed by its own "!" or "?" and followed by a name and one of these
# ('..." Trump added.', '..?" Turner asked in a statement.') goes on with its attribution. English only.
SPEECH_VERBS = frozenset(
    {
        *("said", "says", "added", "adds", "asked", "asks", "told", "tells", "wrote", "writes", "tweeted"),
        *("replied", "continued", "explained", "noted", "concluded", "stated", "insisted", "argued", "warned"),
        *("declared", "posted", "recalled", "responded", "answered", "acknowledged", "countered", "shouted"),
    }
)
LOOK_BEHIND = 64
"""Characters read around a candidate (the word before a period, the attribution after a quotation): enough for a
word, an enumerator or a time opening a sentence, and a bound on the work, so a line of any length costs time in
proportion to its length."""
ATTRIBUTION_WORDS = 4
"""How many words a name before a verb of saying may take ("Sen. Ted Cruz said", "Trump added")."""
# Languages that write ordinal numbers with a period ("am 3. Oktober", "3. päivä"): there a number before a
# period is read as `MAYBE_FINAL`, so only a usual sentence opener after it makes a boundary.
ORDINAL_PERIOD_LANGUAGES = frozenset({"de", "fi", "tr", "da", "no", "nb", "cs", "sk", "pl", "hu", "hr", "sl", "et"})

_CANDIDATE = re.compile(r"(?:[.!?]+|…)[.!?…]*[\"'”’»)\]]*(?=[\s\u200b])")
"""Terminal punctuation (repeated or mixed: "?!", "..."), then closing quotes or brackets, then whitespace
(a zero-width space counts: some pages put one between sentences)."""
_NEXT = re.compile(r"[\s\u200b]+[\"'“‘«(\[]*(\S)(\S*)")
"""The next word after a candidate, past opening quotes and brackets: its first character and the rest."""
_OPENERS = "\"'“‘«([<"
"""Opening quotes and brackets, left off the word before a period."""
_ENUMERATOR = re.compile(r"(?:\d{1,3}|[A-Za-z]|[ivxIVX]{1,4})\.")
"""A list marker opening a sentence ("1.", "b.", "iv."): the item goes on after it."""
_TIME_STAMP = re.compile(r"\d{1,2}(?:[:.]\d{2})?\s?[ap]\.m\.", re.IGNORECASE)
"""A time that opens a sentence by itself ("9:10 p.m."), as live blogs head their entries."""
_ACRONYM = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]|[^\W\d_]")
"""A dotted acronym ("U.S", "a.m", "D.C") or a single letter (an initial), the final period left off."""
_CLOSING = '"”»'
"""Closing double quotes: what may end a quotation before its attribution."""
_OPENING_QUOTES = "“«"
"""Marks that only open a quotation; a straight quote opens one when none is open, and closes it otherwise."""


def _quotations(line: str) -> list[tuple[int, int]]:
    """Spans of the double quotations that open and close in `line`: a boundary inside one is not taken."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for found in re.finditer(r"[\"“”«»]", line):
        mark, position = found.group(), found.start()
        if mark in _OPENING_QUOTES or (mark == '"' and opened is None):
            opened = position
        elif opened is not None:  # a closing mark, or a straight quote that closes the open one
            spans.append((opened, position))
            opened = None
    return spans


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    """Whether `position` lies strictly inside one of `spans` (sorted, not overlapping)."""
    index = bisect_left(spans, (position, position)) - 1
    return index >= 0 and spans[index][0] < position < spans[index][1]


def _period_ends_sentence(before: str, opening: bool, next_first: str, next_word: str, language: str | None) -> bool:
    """Whether a period after `before` ends a sentence, given the next word.

    `before` ends with the period: it is the sentence so far when `opening`, else the last `LOOK_BEHIND` characters.
    """
    tokens = before.rsplit(None, 1)
    word = tokens[-1].lstrip(_OPENERS)[:-1].rsplit("-", 1)[-1] if tokens else ""  # "then-Sen." is "Sen."
    # A capitalised acronym is a word, not an abbreviation: "the SEC." ends a sentence where "Sec." would not.
    key = "" if len(word) > 1 and word.isupper() and "." not in word else word.casefold()
    sentence = before.lstrip() if opening else ""
    if key in NEVER_FINAL or (next_first.isdigit() and key in BEFORE_NUMBER) or _ENUMERATOR.fullmatch(sentence):
        return False
    abbreviated = key in MAYBE_FINAL or key in BEFORE_NUMBER or _ACRONYM.fullmatch(word) is not None
    ordinal = word.isdigit() and language in ORDINAL_PERIOD_LANGUAGES
    if (abbreviated or ordinal) and not _TIME_STAMP.fullmatch(sentence):  # "9:10 p.m. Trump ...": a live-blog entry
        # A number or a dash after an abbreviation goes on with it ("the U.S. 2020 election", "ca. 1900",
        # "CHARLOTTE, N.C. — President Obama"); only a word that usually opens a sentence starts one.
        return next_word.casefold().rstrip(",;:") in SENTENCE_STARTERS
    return True


def _is_attribution(line: str, start: int, next_word: str) -> bool:
    """Whether the words at `start` are a name and a verb of saying ('Trump added', 'Sen. Ted Cruz said')."""
    if next_word.casefold() in SENTENCE_STARTERS:  # '..." He said the party' opens a new sentence
        return False
    words = line[start : start + LOOK_BEHIND].split(None, ATTRIBUTION_WORDS + 1)[: ATTRIBUTION_WORDS + 1]
    for word in words[1:]:
        if word.rstrip(",.;:").casefold() in SPEECH_VERBS:
            return not word.endswith((",", ":"))  # 'Holmes responded, "My dear man' opens a new quotation
        if not word[0].isupper():  # a name is capitalised words: '..." Parnas' lawyer said' opens a sentence
            return False
    return False


def _line_ends(line: str, language: str | None) -> Iterable[int]:
    """Offsets in `line` where a sentence ends (after its punctuation and closing quotes), the last one excluded."""
    quotations: list[tuple[int, int]] | None = None
    sentence_start = 0
    for candidate in _CANDIDATE.finditer(line):
        following = _NEXT.match(line, candidate.end())
        if following is None:  # only whitespace to the end of the line
            break
        next_first, next_word = following.group(1), following.group(1) + following.group(2)
        if next_first.islower() or next_first in ".…":  # "it. the", a spaced ellipsis ". . ."
            continue
        punctuation = candidate.group()
        if (
            punctuation[-2:-1] in ("!", "?")
            and punctuation[-1] in _CLOSING
            and _is_attribution(line, following.start(1), next_word)
        ):
            continue
        quoted_end = punctuation[-1] in _CLOSING  # 'the U.S." Patrick Collison said': the quotation ends there
        if punctuation[0] == "." and not punctuation.startswith("...") and not quoted_end:
            period_end = candidate.start() + 1
            opening = period_end - sentence_start <= LOOK_BEHIND
            before = line[sentence_start if opening else period_end - LOOK_BEHIND : period_end]
            if not _period_ends_sentence(before, opening, next_first, next_word, language):
                continue
        if quotations is None:
            quotations = _quotations(line)
        if _inside(candidate.end() - 1, quotations):  # the closing mark itself ends the quotation
            continue
        sentence_start = candidate.end()
        yield candidate.end()


def _fast_sentences(text: str, language: str | None) -> list[Sentence]:
    sentences: list[Sentence] = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            start = 0
            for end in (*_line_ends(line, language), len(line)):
                piece = line[start:end]
                stripped = piece.strip()
                if stripped:
                    first = start + len(piece) - len(piece.lstrip())
                    sentences.append(Sentence(offset + first, offset + first + len(stripped), stripped))
                start = end
        offset += len(line) + 1
    return sentences


@lru_cache(maxsize=32)
def _segmenter(language: str) -> pysbd.Segmenter:
    import pysbd

    code = language if language in pysbd.languages.LANGUAGE_CODES else "en"
    return pysbd.Segmenter(language=code, clean=False, char_span=False)


def _pysbd_sentences(text: str, language: str | None) -> list[Sentence]:
    segmenter = _segmenter(language or "en")
    sentences: list[Sentence] = []
    offset = 0
    for line in text.split("\n"):
        cursor = 0
        if line.strip():
            for segment in segmenter.segment(line):
                piece = segment.strip()
                start = line.find(piece, cursor) if piece else -1
                if start < 0:  # pysbd never rewrites text with clean=False; guard anyway
                    continue
                cursor = start + len(piece)
                sentences.append(Sentence(offset + start, offset + cursor, piece))
        offset += len(line) + 1
    return sentences


def split(text: str, language: str | None = None, options: SentenceOptions = DEFAULT_OPTIONS) -> list[Sentence]:
    """Split `text` into sentences, line by line, with offsets such that `text[s.start:s.end] == s.text`."""
    if not isinstance(options, SentenceOptions):
        raise TypeError(f"options must be a SentenceOptions, not {type(options).__name__}")
    if options.method == "pysbd":
        return _pysbd_sentences(text, language)
    return _fast_sentences(text, language)


def sentence_ends(sentences: Iterable[Sentence]) -> set[int]:
    """The offsets where sentences end: the form the gold boundaries are kept in."""
    return {sentence.end for sentence in sentences}


@dataclass(slots=True, frozen=True)
class BoundaryScores:
    """Boundary precision, recall and F1 of a splitter against gold ends, with the counts they come from."""

    precision: float
    recall: float
    f1: float
    true_positives: int
    predicted: int
    gold: int

    def to_dict(self) -> dict[str, float | int]:
        """The scores as a plain dict, rounded for reports."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "true_positives": self.true_positives,
            "predicted": self.predicted,
            "gold": self.gold,
        }


def _inside_paragraph(text: str, ends: Iterable[int]) -> set[int]:
    """The ends that are not a line's last sentence: the boundaries a splitter can get wrong."""
    return {end for end in ends if text[end:].split("\n", 1)[0].strip()}


def boundary_scores(
    documents: Sequence[tuple[str, Sequence[int]]],
    splitter: Callable[[str], list[Sentence]],
    *,
    inside_paragraphs: bool = False,
) -> BoundaryScores:
    """Score `splitter` on `(text, gold ends)` pairs, micro-averaged over all boundaries.

    With `inside_paragraphs`, line ends (which every splitter here gets right) are left out of both sides.
    """
    true_positives = predicted_count = gold_count = 0
    for text, gold_ends in documents:
        gold = set(gold_ends)
        predicted = sentence_ends(splitter(text))
        if inside_paragraphs:
            gold, predicted = _inside_paragraph(text, gold), _inside_paragraph(text, predicted)
        true_positives += len(gold & predicted)
        predicted_count += len(predicted)
        gold_count += len(gold)
    precision = true_positives / predicted_count if predicted_count else 1.0
    recall = true_positives / gold_count if gold_count else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BoundaryScores(precision, recall, f1, true_positives, predicted_count, gold_count)


def load_boundary_gold(gold_file: Path, data_root: Path) -> list[tuple[str, list[int]]]:
    """`(text, gold ends)` for each line of a gold file (`eval/gold/sentences.jsonl`), texts read from `data_root`."""
    rows = [json.loads(line) for line in gold_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted: dict[str, set[str]] = {}
    for row in rows:
        wanted.setdefault(row["dataset"], set()).add(row["id"])
    texts = load_texts(data_root, wanted)
    # the reader's newline handling (CR LF and CR to LF), which the gold offsets count in
    return [
        (texts[row["dataset"], row["id"]].replace("\r\n", "\n").replace("\r", "\n"), list(row["boundaries"]))
        for row in rows
    ]
