"""How each outlet words one story: its labels for the parties, its verbs for their acts, its distinctive
vocabulary, its loaded terms and whose voices it carries (`framing.v1`).

`frame_story(articles)` reads the member articles' annotations (entities, events, quotes, sentences) and gives:

(a) **labels**: for each story referent (`parallax.referents`) named by at least two outlets, the words each
    outlet uses for it, with counts: the names themselves ("Baku", "Azerbaijan"); titles and descriptions in
    front of a person ("Azerbaijani President" before "Ilham Aliyev"; a bare "President Trump" stays whole);
    the noun phrase a demonym or country heads ("Armenian separatists", "pro-Armenia forces", "separatist
    Armenians"); a later "the president" / "the North Korean leader" / "the ministry" that takes up the party
    introduced with that title in the same article (rules in `parallax.framing_labels`). **acts**: events
    grouped by PLOVER category, actor and target referents, with the verbs each outlet uses ("closed",
    "blocked"), for acts at least two outlets report.
(b) **vocabulary**: each outlet's most distinctive words against the other outlets of the story, by weighted
    log-odds with an informative Dirichlet prior (`parallax.logodds`, Monroe et al. 2008; prior from the
    story's pooled counts), English stop words (scikit-learn's list) left out, each word with the sentences
    (article id, sentence index) it occurs in.
(c) **loaded**: the evaluative and loaded terms each outlet uses (`parallax.loaded`), with counts and sentences.
(d) **voices**: whose quotes each outlet carries, by speaker resolved to a referent where possible (else the
    speaker's words), and how many quotes it leaves unattributed.

Labels are shown without a leading article or a possessive ("the separatists'" -> "separatists") and counted
case-insensitively. Everything is ordered deterministically (outlets in the order their first article comes).
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from parallax.framing_labels import article_labels, label_key
from parallax.loaded import find_loaded
from parallax.logodds import log_odds_z
from parallax.model import Article, outlet_label
from parallax.referents import StoryReferents, story_referents

__all__ = [
    "DEFAULT_OPTIONS",
    "METHOD",
    "ActLabels",
    "DistinctiveTerm",
    "FormCount",
    "Framing",
    "FramingOptions",
    "LoadedUse",
    "OutletForms",
    "OutletLoaded",
    "OutletVocabulary",
    "OutletVoices",
    "ReferentLabels",
    "SentenceRef",
    "Voice",
    "frame_story",
]

METHOD = "framing.v1"

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s?$")


@dataclass(slots=True, frozen=True)
class FramingOptions:
    """Settings of `frame_story`.

    `min_outlets`: a referent or act is compared only when this many outlets name it.
    `top_terms`: distinctive words kept per outlet; `min_term_count`: uses of a word by an outlet for it to be
    distinctive of that outlet (one use is chance). `prior_scale`: weight of the log-odds prior against the data.
    `max_sentences`: sentence references kept per word.
    """

    min_outlets: int = 2
    top_terms: int = 10
    min_term_count: int = 2
    prior_scale: float = 1.0
    max_sentences: int = 5

    def __post_init__(self) -> None:
        if self.min_outlets < 1 or self.top_terms < 0 or self.min_term_count < 1 or self.max_sentences < 0:
            raise ValueError(f"FramingOptions need min_outlets, min_term_count >= 1 and counts >= 0: {self}")
        if self.prior_scale <= 0:
            raise ValueError(f"FramingOptions.prior_scale must be positive, not {self.prior_scale}")


DEFAULT_OPTIONS = FramingOptions()


@dataclass(slots=True, frozen=True)
class SentenceRef:
    """A sentence of an article, by article id and index into `Article.sentences`."""

    article_id: str
    sentence_index: int


@dataclass(slots=True, frozen=True)
class FormCount:
    """A word or phrase an outlet uses, and how often."""

    text: str
    count: int


@dataclass(slots=True, frozen=True)
class OutletForms:
    """The words one outlet uses for a referent or an act, most used first."""

    outlet: str
    forms: tuple[FormCount, ...]


@dataclass(slots=True, frozen=True)
class ReferentLabels:
    """How each outlet names one referent."""

    canonical: str
    kind: str
    outlets: tuple[OutletForms, ...]


@dataclass(slots=True, frozen=True)
class ActLabels:
    """The verbs each outlet uses for one kind of act (PLOVER category) between the same actor and target."""

    plover: str
    actor: str | None
    target: str | None
    outlets: tuple[OutletForms, ...]


@dataclass(slots=True, frozen=True)
class DistinctiveTerm:
    """A word an outlet uses more than the story's other outlets: its z-score, count and sentences."""

    term: str
    z: float
    count: int
    sentences: tuple[SentenceRef, ...]


@dataclass(slots=True, frozen=True)
class OutletVocabulary:
    """An outlet's most distinctive words within the story, highest z first."""

    outlet: str
    terms: tuple[DistinctiveTerm, ...]


@dataclass(slots=True, frozen=True)
class LoadedUse:
    """A loaded or evaluative term (lexicon lemma) an outlet uses: forms, count and sentences."""

    term: str
    category: str
    count: int
    forms: tuple[str, ...]
    sentences: tuple[SentenceRef, ...]


@dataclass(slots=True, frozen=True)
class OutletLoaded:
    """The loaded terms of one outlet, most used first, and how many words its articles have (for shares)."""

    outlet: str
    terms: tuple[LoadedUse, ...]
    words: int


@dataclass(slots=True, frozen=True)
class Voice:
    """A speaker an outlet quotes: the referent's canonical name (`resolved`) or the speaker's own words."""

    speaker: str
    resolved: bool
    quotes: int
    direct: int


@dataclass(slots=True, frozen=True)
class OutletVoices:
    """Whose quotes one outlet carries, most quoted first, and how many quotes it leaves unattributed."""

    outlet: str
    voices: tuple[Voice, ...]
    unattributed: int


@dataclass(slots=True, frozen=True)
class Framing:
    """The framing comparison of one story (see the module docstring)."""

    method: str
    outlets: tuple[str, ...]
    labels: tuple[ReferentLabels, ...]
    acts: tuple[ActLabels, ...]
    vocabulary: tuple[OutletVocabulary, ...]
    loaded: tuple[OutletLoaded, ...]
    voices: tuple[OutletVoices, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (tuples become lists)."""
        return dataclasses.asdict(self)


def frame_story(
    articles: Sequence[Article],
    referents: StoryReferents | None = None,
    options: FramingOptions = DEFAULT_OPTIONS,
) -> Framing:
    """Compare how the outlets of one story's `articles` word it: labels, acts, vocabulary, loaded terms, voices.

    `referents` defaults to `story_referents(articles)`.
    """
    if isinstance(articles, Article):
        raise TypeError("frame_story expects a sequence of Article, not one Article")
    referents = referents if referents is not None else story_referents(articles)
    outlets = tuple(dict.fromkeys(outlet_label(article) for article in articles))
    return Framing(
        method=METHOD,
        outlets=outlets,
        labels=_referent_labels(articles, referents, outlets, options),
        acts=_act_labels(articles, referents, outlets, options),
        vocabulary=_vocabulary(articles, outlets, options),
        loaded=_loaded(articles, outlets, options),
        voices=_voices(articles, referents, outlets),
    )


# --- (a) labels and acts ------------------------------------------------------------------------------------------


def _forms(counts: dict[str, Counter[str]], outlet: str) -> OutletForms:
    """Most used first; a form's shown text is its most common spelling (ties: alphabetical)."""
    by_key: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for text, count in counts.get(outlet, Counter()).items():
        key = label_key(text)
        by_key[key] += count
        spellings.setdefault(key, Counter())[text] += count
    shown = {key: min(spelled, key=lambda t: (-spelled[t], t)) for key, spelled in spellings.items()}
    ordered = sorted(by_key, key=lambda key: (-by_key[key], shown[key]))
    return OutletForms(outlet, tuple(FormCount(shown[key], by_key[key]) for key in ordered))


def _referent_labels(
    articles: Sequence[Article], referents: StoryReferents, outlets: tuple[str, ...], options: FramingOptions
) -> tuple[ReferentLabels, ...]:
    used: dict[int, dict[str, Counter[str]]] = {}
    index_of = {id(referent): n for n, referent in enumerate(referents.referents)}
    for article in articles:
        outlet = outlet_label(article)
        for label in article_labels(article, referents):
            counts = used.setdefault(index_of[id(label.referent)], {}).setdefault(outlet, Counter())
            counts[label.text] += 1
    found: list[ReferentLabels] = []
    for index, referent in enumerate(referents.referents):
        by_outlet = used.get(index, {})
        if len(by_outlet) < options.min_outlets:
            continue
        rows = tuple(_forms(by_outlet, outlet) for outlet in outlets if outlet in by_outlet)
        found.append(ReferentLabels(referent.canonical, referent.kind, rows))
    return tuple(found)


def _party(referents: StoryReferents, text: str | None, linked: str | None) -> str | None:
    """The story referent an actor or target stands for: by the entity it was linked to in its article, else by
    its words."""
    for name in (linked, text):
        referent = referents.resolve(name) if name else None
        if referent is not None:
            return referent.canonical
    return None


def _act_labels(
    articles: Sequence[Article], referents: StoryReferents, outlets: tuple[str, ...], options: FramingOptions
) -> tuple[ActLabels, ...]:
    verbs: dict[tuple[str, str | None, str | None], dict[str, Counter[str]]] = {}
    for article in articles:
        for event in article.events:
            actor = _party(referents, event.actor, event.actor_canonical)
            target = _party(referents, event.target, event.target_canonical)
            if actor is None and target is None:
                continue
            verb = ("not " if event.negated else "") + " ".join(event.trigger.lower().split())
            by_outlet = verbs.setdefault((event.plover, actor, target), {})
            by_outlet.setdefault(outlet_label(article), Counter())[verb] += 1
    acts = [
        ActLabels(plover, actor, target, tuple(_forms(by_outlet, o) for o in outlets if o in by_outlet))
        for (plover, actor, target), by_outlet in verbs.items()
        if len(by_outlet) >= options.min_outlets
    ]
    acts.sort(key=lambda act: (-len(act.outlets), act.plover, act.actor or "", act.target or ""))
    return tuple(acts)


# --- (b) distinctive vocabulary -----------------------------------------------------------------------------------


def _sentence_index(article: Article, starts: list[int], offset: int) -> int | None:
    position = bisect_right(starts, offset) - 1
    if position < 0 or offset >= article.sentences[position].end:
        return None
    return position


def _add_ref(refs: list[SentenceRef], ref: SentenceRef, limit: int) -> None:
    if len(refs) < limit and ref not in refs:
        refs.append(ref)


def _vocabulary(
    articles: Sequence[Article], outlets: tuple[str, ...], options: FramingOptions
) -> tuple[OutletVocabulary, ...]:
    counts: dict[str, Counter[str]] = {outlet: Counter() for outlet in outlets}
    where: dict[tuple[str, str], list[SentenceRef]] = {}
    for article in articles:
        outlet = outlet_label(article)
        starts = [sentence.start for sentence in article.sentences]
        for match in _WORD.finditer(article.text):
            word = _POSSESSIVE.sub("", match.group().lower().replace("’", "'"))
            if len(word) < 2 or word in ENGLISH_STOP_WORDS:
                continue
            counts[outlet][word] += 1
            index = _sentence_index(article, starts, match.start())
            if index is not None:
                _add_ref(where.setdefault((outlet, word), []), SentenceRef(article.id, index), options.max_sentences)
    if len(outlets) < 2:
        return tuple(OutletVocabulary(outlet, ()) for outlet in outlets)
    scores = log_odds_z([counts[outlet] for outlet in outlets], prior_scale=options.prior_scale)
    vocabulary = []
    for outlet, scored in zip(outlets, scores, strict=True):
        kept = [s for s in scored.values() if s.z > 0 and s.count >= options.min_term_count]
        kept.sort(key=lambda s: (-s.z, s.word))
        terms = tuple(
            DistinctiveTerm(s.word, round(s.z, 4), s.count, tuple(where.get((outlet, s.word), ())))
            for s in kept[: options.top_terms]
        )
        vocabulary.append(OutletVocabulary(outlet, terms))
    return tuple(vocabulary)


# --- (c) loaded terms ---------------------------------------------------------------------------------------------


def _loaded(articles: Sequence[Article], outlets: tuple[str, ...], options: FramingOptions) -> tuple[OutletLoaded, ...]:
    uses: dict[str, dict[tuple[str, str], tuple[Counter[str], list[SentenceRef]]]] = {o: {} for o in outlets}
    words: Counter[str] = Counter()
    for article in articles:
        outlet = outlet_label(article)
        words[outlet] += len(_WORD.findall(article.text))
        starts = [sentence.start for sentence in article.sentences]
        for term in find_loaded(article.text):
            forms, refs = uses[outlet].setdefault((term.term, term.category), (Counter(), []))
            forms[term.text.lower()] += 1
            index = _sentence_index(article, starts, term.start)
            if index is not None:
                _add_ref(refs, SentenceRef(article.id, index), options.max_sentences)
    loaded = []
    for outlet in outlets:
        rows = [
            LoadedUse(term, category, sum(forms.values()), tuple(sorted(forms)), tuple(refs))
            for (term, category), (forms, refs) in uses[outlet].items()
        ]
        rows.sort(key=lambda use: (-use.count, use.term))
        loaded.append(OutletLoaded(outlet, tuple(rows), words[outlet]))
    return tuple(loaded)


# --- (d) voices ---------------------------------------------------------------------------------------------------


def _speaker(words: str, linked: str | None, referents: StoryReferents) -> tuple[str, bool]:
    """The voice a quote is counted under: the story referent of the entity the speaker was linked to in its
    article (`parallax.links`; an office such as "Foreign Ministry of Russia" stays itself), else the referent
    the speaker's words resolve to, else the words."""
    if linked:
        referent = referents.resolve(linked)
        same = referent is not None and referent.canonical.casefold() == linked.casefold()
        return (referent.canonical if same and referent else linked), True
    referent = referents.resolve(words)
    return (referent.canonical, True) if referent else (" ".join(words.split()), False)


def _voices(
    articles: Sequence[Article], referents: StoryReferents, outlets: tuple[str, ...]
) -> tuple[OutletVoices, ...]:
    quoted: dict[str, Counter[tuple[str, bool]]] = {outlet: Counter() for outlet in outlets}
    direct: dict[str, Counter[tuple[str, bool]]] = {outlet: Counter() for outlet in outlets}
    spellings: dict[str, Counter[str]] = {}
    unattributed: Counter[str] = Counter()
    for article in articles:
        outlet = outlet_label(article)
        for quote in article.quotes:
            if not quote.speaker or not quote.speaker.strip():
                unattributed[outlet] += 1
                continue
            name, resolved = _speaker(quote.speaker, quote.speaker_canonical, referents)
            key = (name.casefold(), resolved)  # "The ministry" and "the ministry" are one voice
            spellings.setdefault(key[0], Counter())[name] += 1
            quoted[outlet][key] += 1
            direct[outlet][key] += quote.kind == "direct"
    shown = {key: min(names, key=lambda n: (-names[n], n)) for key, names in spellings.items()}
    voices = []
    for outlet in outlets:
        ordered = sorted(quoted[outlet], key=lambda key: (-quoted[outlet][key], key))
        rows = tuple(Voice(shown[key[0]], key[1], quoted[outlet][key], direct[outlet][key]) for key in ordered)
        voices.append(OutletVoices(outlet, rows, unattributed[outlet]))
    return tuple(voices)
