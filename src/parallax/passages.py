"""Passages two articles share verbatim or lightly edited, with character spans in both clean texts.

Method `passages.seed_extend.v1`:

1. Each article's clean text is cut into case-folded word tokens that keep their character offsets (so a
   passage maps back to `article.text[start:end]` for highlighting), and its word `seed_words`-grams are
   indexed once. Grams made only of common words ("one of the most of"), grams a page repeats
   (`MAX_SEED_REPEATS`) and, in `shared_passages_among`, an outlet's furniture (`OUTLET_FURNITURE_ARTICLES`)
   seed nothing.
2. Every seed the two articles share is extended word by word along its diagonal into a maximal exact run.
3. Runs are taken longest first, one-to-one: a word of either text belongs to at most one run (a phrase
   repeated in one article is matched once, so containment never exceeds 1).
4. Runs that follow each other in both texts with at most `max_gap_words` unmatched words between them are
   chained into one passage (a lightly edited sentence — a word changed, a clause inserted — stays one passage);
   the words the gap still shares (by `difflib`) count too. A passage then grows over short shared blocks just
   beyond its ends (`EDGE_BLOCK_WORDS`, `EDGE_GAP_WORDS`), so an edit near a sentence's start does not cut it.
   Runs and growth stop at line breaks, so a passage starts and ends inside a paragraph; chains may span several.
5. A passage counts when it has at least `min_words` matched words of which at least `min_content_words` are
   not common words: a shared phrase of boilerplate or function words is not copying.

A passage whose matched words all lie inside quotation marks in both texts is `quoted`: two outlets quoting the
same statement share its words without copying each other, so `parallax.families` discounts quoted words.

Containment is reported both ways (the share of A's words inside passages shared with B, and of B's in A), so a
short rewrite of a long dispatch shows as high containment on the short side only.

The pair is computed in a canonical order (by article id) and mirrored when asked the other way round, so
`shared_passages(a, b)` is exactly `shared_passages(b, a).mirrored()`.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from parallax.model import Article

__all__ = [
    "DEFAULT_PASSAGE_OPTIONS",
    "METHOD",
    "PassageMatch",
    "PassageOptions",
    "SharedPassage",
    "shared_passages",
    "shared_passages_among",
]

METHOD = "passages.seed_extend.v1"

SEED_WORDS = 5
"""Words in a seed gram: long enough that a seed rarely recurs by chance in news texts of a few hundred words (a
four-word run such as "the future peace treaty" or "in the fall of" is a stock phrase), short enough to seed copy
that is edited every few words. Chosen by reasoning and checked on the bundled example, not tuned on labelled data."""

MAX_SEED_REPEATS = 3
"""A gram found more often than this in one article seeds nothing: it is a label the page repeats (a CNN photo
gallery's "Photos: Photos: The rise and fall of John Edwards", 23 times in one AllSides article), and every repeat
would meet every repeat in the other text. Prose repeats a five-word run two or three times at most, and the runs
around a skipped seed are still found from their own seeds. On the benchmark's reprints of that article it cuts
the candidate runs of a pair from 896 to 97."""

MIN_PASSAGE_WORDS = 8
"""Least matched words for a passage: about half a news sentence. Shared names and formulas ("Nikol Pashinyan met in
Brussels", "the United Nations Security Council") stay below it; on the bundled example the shortest passages it
keeps are a rewritten headline (8 words matched of 9) and a copied clause ("Lachin corridor, the sole land link
between [Karabakh | the enclave] and Armenia", 9)."""

MAX_GAP_WORDS = 8
"""Most unmatched words, on either side, between two runs of one passage: an inserted clause ("on Sunday") or a
changed attribution ("Azerbaijan's Foreign Ministry" / "Baku's foreign ministry") keeps the sentence one
passage; a new sentence of the outlet's own (10+ words) ends it."""

EDGE_BLOCK_WORDS = 2
"""Least words of a shared block just beyond a passage's end for the passage to grow over it ("Rescue teams
[searched | combed] through ..." keeps its first two words). The block must hold a word that is not a common word:
"of the" or "to end" beside a passage is as likely chance as an edit."""

EDGE_GAP_WORDS = 2
"""Most unmatched words between a passage's end and a block it grows over: a changed or inserted word or two
("accused Russia [on Sunday] of failing"). Smaller than `MAX_GAP_WORDS` because a two-word block is weaker
evidence than the seeded run that closes a gap inside a passage; growth goes on block by block, on one line."""

MIN_CONTENT_WORDS = 4
"""Least matched words of a passage that are not `COMMON_WORDS`: a run of function words ("it is not clear
whether or not the") is shared by chance, not copied."""

OUTLET_FURNITURE_ARTICLES = 3
"""In `shared_passages_among`, a seed found in this many articles of one outlet, which make at least
`OUTLET_FURNITURE_SHARE` of the group's articles holding it, is that outlet's furniture (a newsletter box, a
standing note) that line-level cleaning leaves inside paragraphs. Among 400 AllSides "elections" articles, The New
York Times' 91-word newsletter sign-up paragraph (in 49 of its articles and 2 others) otherwise joined 51 articles
on unrelated stories into one source family. Three, not two: two articles of one outlet sharing a paragraph may be
a report and its update. The cost: three or more updates of one outlet's own report, in one group, whose text no
other outlet carries, are not linked by that text. Articles of unknown outlet are each their own outlet here."""

OUTLET_FURNITURE_SHARE = 0.8
"""See `OUTLET_FURNITURE_ARTICLES`: wire copy that one outlet re-runs in several updates is still shared with the
other outlets that carry it (3 updates of one outlet and 1 other article holding it: 0.75, kept)."""

COMMON_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each either few for from further had has have
    having he her here hers him his how i if in into is it its itself just may me might more most much must my
    no nor not now of off on once only or other our ours out over own same she should since so some such than
    that the their theirs them then there these they this those though through to too under until up upon very
    was we were what when where whether which while who whom whose why will with would yet you your said says
    say told according""".split()  # noqa: SIM905 - a word list reads better as text than as 130 quoted strings
)
"""English function words (and reporting verbs) that make no passage on their own. Other languages fall back on
the length rules, which is why `MIN_PASSAGE_WORDS` alone must already be a sentence's worth of words."""

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_QUOTE_EVENT = re.compile(r"[\"“”„«»\n]")


@dataclass(slots=True, frozen=True)
class PassageOptions:
    """Settings of passage finding (see the module constants for what each one is and how it was chosen).

    `furniture_articles` applies to `shared_passages_among` only (0 turns the outlet-furniture rule off).
    """

    seed_words: int = SEED_WORDS
    min_words: int = MIN_PASSAGE_WORDS
    max_gap_words: int = MAX_GAP_WORDS
    min_content_words: int = MIN_CONTENT_WORDS
    furniture_articles: int = OUTLET_FURNITURE_ARTICLES

    def __post_init__(self) -> None:
        if self.seed_words < 1:
            raise ValueError(f"PassageOptions.seed_words must be at least 1, not {self.seed_words}")
        if self.min_words < self.seed_words:
            raise ValueError(
                f"PassageOptions.min_words must be at least seed_words ({self.seed_words}), not {self.min_words}"
            )
        if self.furniture_articles < 0:
            raise ValueError(
                f"PassageOptions.furniture_articles must be 0 (off) or more, not {self.furniture_articles}"
            )
        if self.max_gap_words < 0:
            raise ValueError(f"PassageOptions.max_gap_words must be 0 or more, not {self.max_gap_words}")
        if not 0 <= self.min_content_words <= self.min_words:
            raise ValueError(
                f"PassageOptions.min_content_words must be in [0, min_words={self.min_words}], "
                f"not {self.min_content_words}"
            )


DEFAULT_PASSAGE_OPTIONS = PassageOptions()


@dataclass(slots=True, frozen=True)
class SharedPassage:
    """One passage two articles share: `text_a == article_a.text[a_start:a_end]`, likewise for b.

    `words` counts the matched words (an edited word inside the passage is not one of them); `quoted_words` those
    of them inside quotation marks in both texts; `quoted` is true when all of them are.
    """

    a_id: str
    a_start: int
    a_end: int
    b_id: str
    b_start: int
    b_end: int
    words: int
    quoted_words: int
    quoted: bool
    text_a: str
    text_b: str

    def mirrored(self) -> SharedPassage:
        """The same passage seen from b's side."""
        return SharedPassage(
            self.b_id, self.b_start, self.b_end, self.a_id, self.a_start, self.a_end,
            self.words, self.quoted_words, self.quoted, self.text_b, self.text_a,
        )  # fmt: skip


@dataclass(slots=True, frozen=True)
class PassageMatch:
    """What two articles share: their passages (in a's order) and containment both ways.

    `containment_a` is the share of a's `a_words` words matched in passages shared with b; `containment_b` the
    share of b's words matched in passages shared with a.
    """

    a_id: str
    b_id: str
    passages: tuple[SharedPassage, ...]
    a_words: int
    b_words: int
    containment_a: float
    containment_b: float
    method: str = METHOD

    def unquoted_containment(self) -> tuple[float, float]:
        """Containment both ways counting only the matched words that are not quoted in both texts."""
        copied = sum(passage.words - passage.quoted_words for passage in self.passages)
        return _share(copied, self.a_words), _share(copied, self.b_words)

    def mirrored(self) -> PassageMatch:
        """The same match seen from b's side (passages in b's order)."""
        passages = sorted((passage.mirrored() for passage in self.passages), key=lambda p: (p.a_start, p.b_start))
        return PassageMatch(
            self.b_id, self.a_id, tuple(passages), self.b_words, self.a_words,
            self.containment_b, self.containment_a, self.method,
        )  # fmt: skip


@dataclass(slots=True, frozen=True)
class _Words:
    """An article's word tokens with offsets, quotation state and seed index."""

    article: Article
    folded: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    quoted: tuple[bool, ...]
    line: tuple[int, ...]
    seeds: dict[tuple[str, ...], list[int]]


@dataclass(slots=True, frozen=True)
class _Taken:
    """Which words of a and of b already belong to a passage (each word belongs to at most one)."""

    a: bytearray
    b: bytearray

    def take(self, pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Mark the pairs' words as taken and return the pairs."""
        for i, j in pairs:
            self.a[i] = self.b[j] = 1
        return pairs


@dataclass(slots=True, frozen=True)
class _Run:
    i: int  # first word in a
    j: int  # first word in b
    length: int


def shared_passages(a: Article, b: Article, options: PassageOptions | None = None) -> PassageMatch:
    """Find the passages articles `a` and `b` share, with spans in both clean texts and containment both ways.

    >>> match = shared_passages(article_a, article_b)  # doctest: +SKIP
    >>> [(p.a_start, p.a_end, p.quoted) for p in match.passages]  # doctest: +SKIP
    """
    options = options or DEFAULT_PASSAGE_OPTIONS
    return _match(_words(a, options), _words(b, options), options)


def shared_passages_among(
    articles: Sequence[Article],
    pairs: Iterable[tuple[str, str]] | None = None,
    options: PassageOptions | None = None,
) -> list[PassageMatch]:
    """Shared passages of the given id `pairs` (every pair of `articles` when None); pairs sharing nothing are left out.

    Each article is tokenised and indexed once; with `pairs` None, only pairs that share at least one seed are
    compared, found through one inverted index of the group's seeds. Seeds that are an outlet's furniture in this
    group (see `OUTLET_FURNITURE_ARTICLES`) seed nothing.
    """
    options = options or DEFAULT_PASSAGE_OPTIONS
    by_id = {article.id: article for article in articles}
    if len(by_id) < 2:
        return []  # nothing to share with
    indexed = {article.id: _words(article, options) for article in by_id.values()}
    words = _without_furniture(indexed, options.furniture_articles)
    if pairs is None:
        wanted = _candidate_pairs([words[article.id] for article in by_id.values()])
    else:
        wanted = list(dict.fromkeys(pairs))
        unknown = sorted({id_ for pair in wanted for id_ in pair} - by_id.keys())
        if unknown:
            raise ValueError(f"shared_passages_among: pairs name ids not among the articles: {', '.join(unknown)}")
    matches = []
    for a_id, b_id in wanted:
        match = _match(words[a_id], words[b_id], options)
        if match.passages:
            matches.append(match)
    return matches


def _without_furniture(words: dict[str, _Words], least: int) -> dict[str, _Words]:
    """The articles' words with the seeds that are one outlet's furniture in this group taken out."""
    if least < 1:
        return words
    outlets: defaultdict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for article_words in words.values():
        article = article_words.article
        outlet = article.outlet or f"unknown outlet of {article.id}"  # unknown outlets never pool their articles
        for gram in article_words.seeds:
            outlets[gram][outlet] += 1
    furniture = set()
    for gram, counts in outlets.items():
        most = max(counts.values())
        if most >= least and most >= OUTLET_FURNITURE_SHARE * counts.total():
            furniture.add(gram)
    if not furniture:
        return words
    return {
        id_: replace(w, seeds={gram: at for gram, at in w.seeds.items() if gram not in furniture})
        for id_, w in words.items()
    }


def _candidate_pairs(group: list[_Words]) -> list[tuple[str, str]]:
    holders: defaultdict[tuple[str, ...], set[int]] = defaultdict(set)
    for n, words in enumerate(group):
        for gram in words.seeds:
            holders[gram].add(n)
    linked: set[tuple[int, int]] = set()
    for members in holders.values():
        if len(members) > 1:
            linked.update(itertools.combinations(sorted(members), 2))
    return [(group[x].article.id, group[y].article.id) for x, y in sorted(linked)]


def _words(article: Article, options: PassageOptions) -> _Words:
    tokens = list(_WORD.finditer(article.text))
    folded = tuple(token.group().casefold().replace("’", "'") for token in tokens)
    starts = tuple(token.start() for token in tokens)
    line = tuple(itertools.accumulate(article.text.count("\n", s, e) for s, e in _between(starts)))
    seeds: defaultdict[tuple[str, ...], list[int]] = defaultdict(list)
    size = options.seed_words
    for i in range(len(folded) - size + 1):
        gram = folded[i : i + size]
        if line[i] == line[i + size - 1] and not all(word in COMMON_WORDS for word in gram):
            seeds[gram].append(i)
    kept = {gram: at for gram, at in seeds.items() if len(at) <= MAX_SEED_REPEATS}
    return _Words(
        article, folded, starts, tuple(token.end() for token in tokens),
        _quoted_flags(article.text, starts), line, kept,
    )  # fmt: skip


def _between(starts: Sequence[int]) -> Iterable[tuple[int, int]]:
    """The text before each word since the previous one's start (where line breaks are counted)."""
    return itertools.pairwise((0, *starts))


def _quoted_flags(text: str, starts: Sequence[int]) -> tuple[bool, ...]:
    """Whether each word starts inside quotation marks. A paragraph break closes any open quote (news style
    reopens a quote that runs on at each paragraph), so one unbalanced mark cannot quote the rest of a text."""
    flags = []
    events = _QUOTE_EVENT.finditer(text)
    event = next(events, None)
    opener = ""
    for start in starts:
        while event is not None and event.start() < start:
            opener = _after_quote_event(opener, event.group())
            event = next(events, None)
        flags.append(bool(opener))
    return tuple(flags)


def _after_quote_event(opener: str, mark: str) -> str:
    if mark == "\n" or mark in "”»":
        return ""
    if mark == '"':
        return "" if opener else mark
    if mark == "“" and opener == "„":  # German: „…“
        return ""
    return mark


def _match(a: _Words, b: _Words, options: PassageOptions) -> PassageMatch:
    if (b.article.id, b.article.text) < (a.article.id, a.article.text):
        return _match(b, a, options).mirrored()
    taken = _Taken(bytearray(len(a.folded)), bytearray(len(b.folded)))
    runs = _one_to_one(_exact_runs(a, b, options.seed_words), taken, options.seed_words)
    chained = [_matched_pairs(chain, a, b, taken) for chain in _chains(runs, options.max_gap_words, taken)]
    for pairs in chained:  # a passage's whole span is its own: no other passage grows into an edited word of it
        (first_a, first_b), (last_a, last_b) = pairs[0], pairs[-1]
        taken.a[first_a : last_a + 1] = b"\x01" * (last_a + 1 - first_a)
        taken.b[first_b : last_b + 1] = b"\x01" * (last_b + 1 - first_b)
    passages = []
    for chain_pairs in chained:
        pairs = _grown(chain_pairs, a, b, taken)
        content = sum(1 for i, _ in pairs if a.folded[i] not in COMMON_WORDS and not a.folded[i].isdigit())
        if len(pairs) < options.min_words or content < options.min_content_words:
            continue
        passages.append(_passage(pairs, a, b))
    matched = sum(passage.words for passage in passages)
    return PassageMatch(
        a.article.id, b.article.id, tuple(passages), len(a.folded), len(b.folded),
        _share(matched, len(a.folded)), _share(matched, len(b.folded)),
    )  # fmt: skip


def _exact_runs(a: _Words, b: _Words, size: int) -> list[_Run]:
    """Every maximal exact run of words the two texts share that contains a seed of both.

    The shorter text is walked once in order; a seed hit inside a run already found on its diagonal is skipped, so
    each run is extended once. A run never crosses a line break in either text: "... the Karabakh region." ending
    one paragraph and "The Russian side ..." opening the next are matched as one run only by accident of wording.
    """
    swap = len(a.folded) > len(b.folded)
    x, y = (b, a) if swap else (a, b)
    fx, fy, lx, ly = x.folded, y.folded, x.line, y.line
    nx, ny = len(fx), len(fy)
    covered: dict[int, int] = {}  # diagonal -> the word of x after the last run found on it
    found = []
    for p in range(nx - size + 1):
        gram = fx[p : p + size]
        targets = y.seeds.get(gram)
        if not targets or lx[p] != lx[p + size - 1] or gram not in x.seeds:
            continue
        for q in targets:
            diagonal = p - q
            floor = covered.get(diagonal, 0)
            if p < floor:
                continue
            start, end = p, p + size
            while start > floor and start > diagonal and fx[start - 1] == fy[start - 1 - diagonal]:
                if lx[start - 1] != lx[start] or ly[start - 1 - diagonal] != ly[start - diagonal]:
                    break
                start -= 1
            while end < nx and end - diagonal < ny and fx[end] == fy[end - diagonal]:
                if lx[end] != lx[end - 1] or ly[end - diagonal] != ly[end - 1 - diagonal]:
                    break
                end += 1
            covered[diagonal] = end
            found.append((start, start - diagonal, end - start))
    return [_Run(j, i, length) if swap else _Run(i, j, length) for i, j, length in found]


def _one_to_one(runs: list[_Run], taken: _Taken, size: int) -> list[_Run]:
    """Keep runs longest first so that each word of either text is in at most one (trimmed to its free part)."""
    used_a, used_b = taken.a, taken.b
    kept = []
    for run in sorted(runs, key=lambda r: (-r.length, r.i, r.j)):
        if used_a.find(1, run.i, run.i + run.length) < 0 and used_b.find(1, run.j, run.j + run.length) < 0:
            used_a[run.i : run.i + run.length] = used_b[run.j : run.j + run.length] = b"\x01" * run.length
            kept.append(run)
            continue
        best_offset, best_length, offset = 0, 0, 0
        for t in range(run.length + 1):
            free = t < run.length and not used_a[run.i + t] and not used_b[run.j + t]
            if free:
                continue
            if t - offset > best_length:
                best_offset, best_length = offset, t - offset
            offset = t + 1
        if best_length >= size:
            i, j = run.i + best_offset, run.j + best_offset
            used_a[i : i + best_length] = b"\x01" * best_length
            used_b[j : j + best_length] = b"\x01" * best_length
            kept.append(_Run(i, j, best_length))
    return sorted(kept, key=lambda r: (r.i, r.j))


def _chains(runs: list[_Run], max_gap: int, taken: _Taken) -> list[list[_Run]]:
    """Chain runs (in a's order) that follow each other in both texts within `max_gap` words, with no word of
    another run between them (so the spans of two passages never overlap in either text)."""
    done: list[list[_Run]] = []
    open_chains: list[list[_Run]] = []
    for run in runs:
        still_open: list[list[_Run]] = []
        for chain in open_chains:
            last = chain[-1]
            (still_open if run.i - (last.i + last.length) <= max_gap else done).append(chain)
        open_chains = still_open
        best: list[_Run] | None = None
        best_gap = 0
        for chain in open_chains:
            last = chain[-1]
            gap_a, gap_b = run.i - (last.i + last.length), run.j - (last.j + last.length)
            if not (0 <= gap_b <= max_gap and gap_a >= 0) or (best is not None and gap_a + gap_b >= best_gap):
                continue
            if not any(taken.a[run.i - gap_a : run.i]) and not any(taken.b[run.j - gap_b : run.j]):
                best, best_gap = chain, gap_a + gap_b
        if best is None:
            open_chains.append([run])
        else:
            best.append(run)
    return sorted(done + open_chains, key=lambda chain: (chain[0].i, chain[0].j))


def _matched_pairs(chain: list[_Run], a: _Words, b: _Words, taken: _Taken) -> list[tuple[int, int]]:
    """The (a word, b word) pairs of a chain: its runs, and what the gaps between them still share."""
    pairs = [(run.i + t, run.j + t) for run in chain for t in range(run.length)]
    for left, right in itertools.pairwise(chain):
        a_from, b_from = left.i + left.length, left.j + left.length
        matcher = SequenceMatcher(None, a.folded[a_from : right.i], b.folded[b_from : right.j], autojunk=False)
        filled = [
            (a_from + block.a + t, b_from + block.b + t)
            for block in matcher.get_matching_blocks()
            for t in range(block.size)
        ]
        pairs.extend(taken.take([(i, j) for i, j in filled if not taken.a[i] and not taken.b[j]]))
    return sorted(pairs)


def _grown(pairs: list[tuple[int, int]], a: _Words, b: _Words, taken: _Taken) -> list[tuple[int, int]]:
    """Grow a passage over shared blocks just beyond its ends (see `EDGE_BLOCK_WORDS`) until none is left."""
    while True:
        added = [*_beyond_edge(pairs[0], a, b, taken, -1), *_beyond_edge(pairs[-1], a, b, taken, 1)]
        if not added:
            return pairs
        pairs = sorted([*pairs, *taken.take(added)])


def _beyond_edge(edge: tuple[int, int], a: _Words, b: _Words, taken: _Taken, step: int) -> list[tuple[int, int]]:
    """Pairs of the nearest block beyond `edge` (before it when `step` is -1) that `EDGE_BLOCK_WORDS` and
    `EDGE_GAP_WORDS` allow, with the single shared words between it and the edge; none when there is no such block."""
    reach = EDGE_GAP_WORDS + EDGE_BLOCK_WORDS
    near_a = _free_words(edge[0], a.line, taken.a, step, reach)
    near_b = _free_words(edge[1], b.line, taken.b, step, reach)
    matcher = SequenceMatcher(None, [a.folded[k] for k in near_a], [b.folded[k] for k in near_b], autojunk=False)
    blocks = [block for block in matcher.get_matching_blocks() if block.size]
    nearer: list[tuple[int, int]] = []
    for block in reversed(blocks) if step < 0 else blocks:
        pairs = [(near_a[block.a + t], near_b[block.b + t]) for t in range(block.size)]
        if block.size < EDGE_BLOCK_WORDS or all(a.folded[i] in COMMON_WORDS for i, _ in pairs):
            nearer.extend(pairs)
            continue
        far_a, far_b = pairs[0] if step < 0 else pairs[-1]
        if max(abs(edge[0] - far_a), abs(edge[1] - far_b)) - block.size <= EDGE_GAP_WORDS:
            return nearer + pairs
        return []
    return []


def _free_words(index: int, line: Sequence[int], taken: bytearray, step: int, reach: int) -> list[int]:
    """Up to `reach` words next to `index` in direction `step`, on its line and in no passage yet, in text order."""
    found: list[int] = []
    k = index + step
    while 0 <= k < len(line) and len(found) < reach and line[k] == line[index] and not taken[k]:
        found.append(k)
        k += step
    return sorted(found)


def _passage(pairs: list[tuple[int, int]], a: _Words, b: _Words) -> SharedPassage:
    (first_a, first_b), (last_a, last_b) = pairs[0], pairs[-1]
    a_start, a_end = a.starts[first_a], a.ends[last_a]
    b_start, b_end = b.starts[first_b], b.ends[last_b]
    quoted_words = sum(1 for i, j in pairs if a.quoted[i] and b.quoted[j])
    return SharedPassage(
        a.article.id, a_start, a_end, b.article.id, b_start, b_end, len(pairs), quoted_words,
        quoted_words == len(pairs), a.article.text[a_start:a_end], b.article.text[b_start:b_end],
    )  # fmt: skip


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0
