"""Source families: articles grouped by provenance, so ten reprints of one dispatch count as one source, not ten.

Method `families.provenance.v1`: union-find over two kinds of evidence edges, each kept with the family so the
web view can show why its articles are together:

- `credited_agency`: two articles credit the same news agency in their text (`Article.agencies`, as "Sources:
  AFP, STT" or "By AFP"). Photo credits never count (a picture by AFP says nothing about who wrote the text), nor
  do agencies that supply only pictures (`clean.PHOTO_AGENCIES`), nor names outside `clean.AGENCIES`.
- `shared_passages`: the articles share passages (`parallax.passages`) and, leaving out words quoted in both
  (two outlets quoting one statement have not copied each other), the shared words make at least
  `min_containment` of either article.

An article with neither kind of edge is a family of its own. The families partition the input.

Transitive closure is the risk of union-find: A shares with B and B with C puts A and C in one family though they
share nothing. What this method does about it:

- A passage edge needs substantial containment, so the background paragraph many outlets reuse (TRT World and
  Anadolu Agency share one on the bundled example, 6-7% of each) links nothing; only a re-run dispatch does.
- Different wires stay apart. A family is anchored on at most one *sole wire*: the agency credited by a member
  that credits one agency only. An edge that would join two families anchored on different sole wires (an AFP
  re-run and a Reuters re-run linked by a third text, or by an article crediting "AFP, Reuters") is refused and
  kept in `SourceFamilies.refused` with its reason. So an article crediting several agencies (Yle's "Sources:
  AFP, STT") joins the family of the first of them that has one, and its family lists all the agencies it
  credits (`SourceFamily.agencies` is the union of its members' credits); it does not bridge the AFP family and
  an STT family.
- Edges are taken strongest first: credited agencies (what outlets say themselves), articles crediting one
  agency before those crediting several, then shared passages by containment; ties go by input order.

Chains of uncredited texts that copy each other (A from B, B from C) are still one family: each link is a
substantial copy, so none of them is an independent source of what it copied.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from parallax.clean import AGENCIES, PHOTO_AGENCIES
from parallax.model import Article
from parallax.passages import PassageMatch

__all__ = [
    "DEFAULT_FAMILY_OPTIONS",
    "METHOD",
    "FamilyEvidence",
    "FamilyOptions",
    "RefusedEdge",
    "SourceFamilies",
    "SourceFamily",
    "independent_sources",
    "news_agencies",
    "source_families",
]

METHOD = "families.provenance.v1"

MIN_FAMILY_CONTAINMENT = 0.15
"""Least share of either article's words, in unquoted shared passages, for a `shared_passages` edge. Set between
what the bundled example shows for a reused background paragraph (TRT World / Anadolu Agency: 0.073 and 0.062)
and for a re-run AFP dispatch with the outlet's own additions (TRT World / The Moscow Times: 0.274 and 0.333),
with room on both sides. Checked, not tuned, on 400 AllSides "elections" articles (`benchmarks/bench_passages.py`):
of 245 pairs of different outlets sharing a passage, all but two stay below 0.08; the two above are a re-run wire
story (Fox News / Washington Times, 0.36 and 0.41) and a blog quoting an NPR piece at length (0.245 of the blog).
A labelled wire-reprint set (NEWS-COPY) should re-tune it."""

EvidenceKind = Literal["shared_passages", "credited_agency"]
RefusalReason = Literal["different_credited_agencies"]


@dataclass(slots=True, frozen=True)
class FamilyOptions:
    """Settings of source families: `min_containment` (see `MIN_FAMILY_CONTAINMENT`)."""

    min_containment: float = MIN_FAMILY_CONTAINMENT

    def __post_init__(self) -> None:
        if not 0.0 < self.min_containment <= 1.0:
            raise ValueError(f"FamilyOptions.min_containment must be in (0, 1], not {self.min_containment}")


DEFAULT_FAMILY_OPTIONS = FamilyOptions()


@dataclass(slots=True, frozen=True)
class FamilyEvidence:
    """One edge between two articles: the same credited agency, or substantial shared passages.

    For `credited_agency`, `agency` names it. For `shared_passages`, `containment_a`/`containment_b` are the
    unquoted containment figures, `passages` the number of passages that are not wholly quoted and `words` the
    unquoted shared words.
    """

    kind: EvidenceKind
    a_id: str
    b_id: str
    agency: str | None = None
    containment_a: float | None = None
    containment_b: float | None = None
    passages: int = 0
    words: int = 0


@dataclass(slots=True, frozen=True)
class RefusedEdge:
    """An edge that would have joined two families anchored on different credited agencies."""

    evidence: FamilyEvidence
    reason: RefusalReason


@dataclass(slots=True, frozen=True)
class SourceFamily:
    """Articles of one provenance, the news agencies they credit and the edges that put them together."""

    id: str
    article_ids: tuple[str, ...]
    agencies: tuple[str, ...]
    evidence: tuple[FamilyEvidence, ...]


@dataclass(slots=True, frozen=True)
class SourceFamilies:
    """The families of a group of articles (in input order of their first article) and each article's family."""

    families: tuple[SourceFamily, ...]
    family_of: Mapping[str, str]
    refused: tuple[RefusedEdge, ...]
    method: str = METHOD


def news_agencies(article: Article) -> tuple[str, ...]:
    """The news agencies an article credits for its text, by canonical name, in credit order."""
    names = (AGENCIES.get(name.casefold()) for name in article.agencies)
    return tuple(dict.fromkeys(name for name in names if name and name.casefold() not in PHOTO_AGENCIES))


def source_families(
    articles: Sequence[Article], matches: Iterable[PassageMatch], options: FamilyOptions | None = None
) -> SourceFamilies:
    """Group `articles` into source families by credited agencies and the shared passages in `matches`.

    Matches naming an article outside `articles` are ignored, so a corpus's matches can serve any group of it.

        >>> matches = shared_passages_among(articles)  # doctest: +SKIP
        >>> families = source_families(articles, matches)  # doctest: +SKIP
        >>> independent_sources([a.id for a in articles], families)  # doctest: +SKIP
    """
    options = options or DEFAULT_FAMILY_OPTIONS
    first: dict[str, Article] = {}
    for article in articles:  # the same id is the same raw input: the first copy stands for it
        first.setdefault(article.id, article)
    unique = list(first.values())
    order = {article.id: n for n, article in enumerate(unique)}
    credits = {article.id: news_agencies(article) for article in unique}
    forest = _Forest(order, credits)
    refused = [
        RefusedEdge(edge, "different_credited_agencies")
        for edge in (*_agency_edges(unique, credits), *_passage_edges(matches, order, options))
        if not forest.join(edge)
    ]
    return _families(unique, credits, forest, tuple(refused))


def independent_sources(article_ids: Iterable[str], families: SourceFamilies) -> int:
    """How many distinct source families the given articles come from (an article in no family counts alone)."""
    return len(
        {("family", families.family_of[id_]) if id_ in families.family_of else ("article", id_) for id_ in article_ids}
    )


class _Forest:
    """Union-find over article ids; each root knows its members' sole wire (at most one, see the module doc)."""

    def __init__(self, order: Mapping[str, int], credits: Mapping[str, tuple[str, ...]]) -> None:
        self.parent = {id_: id_ for id_ in order}
        self.order = order
        self.sole_wire = {id_: agencies[0] if len(agencies) == 1 else None for id_, agencies in credits.items()}
        self.accepted: list[FamilyEvidence] = []

    def root(self, id_: str) -> str:
        while self.parent[id_] != id_:
            self.parent[id_] = self.parent[self.parent[id_]]
            id_ = self.parent[id_]
        return id_

    def join(self, edge: FamilyEvidence) -> bool:
        """Join the families of the edge's articles; False (and nothing joined) when their sole wires differ."""
        a, b = self.root(edge.a_id), self.root(edge.b_id)
        wire_a, wire_b = self.sole_wire[a], self.sole_wire[b]
        if wire_a and wire_b and wire_a != wire_b:
            return False
        self.accepted.append(edge)
        if a != b:
            keep, merged = sorted((a, b), key=self.order.__getitem__)
            self.parent[merged] = keep
            self.sole_wire[keep] = wire_a or wire_b
        return True


def _agency_edges(articles: Sequence[Article], credits: Mapping[str, tuple[str, ...]]) -> list[FamilyEvidence]:
    """Each article crediting an agency, linked to that agency's hub: its first article crediting it alone, else
    its first article. Articles crediting one agency come first, then the others in their credit order."""
    hubs: dict[str, str] = {}
    for sole_first in (True, False):
        for article in articles:
            agencies = credits[article.id]
            if (len(agencies) == 1) == sole_first:
                for agency in agencies:
                    hubs.setdefault(agency, article.id)
    single = [article for article in articles if len(credits[article.id]) == 1]
    several = [article for article in articles if len(credits[article.id]) > 1]
    return [
        FamilyEvidence("credited_agency", article.id, hubs[agency], agency=agency)
        for article in (*single, *several)
        for agency in credits[article.id]
        if hubs[agency] != article.id
    ]


def _passage_edges(
    matches: Iterable[PassageMatch], order: Mapping[str, int], options: FamilyOptions
) -> list[FamilyEvidence]:
    edges = []
    for match in matches:
        if match.a_id not in order or match.b_id not in order or match.a_id == match.b_id:
            continue
        containment_a, containment_b = match.unquoted_containment()
        if max(containment_a, containment_b) < options.min_containment:
            continue
        edges.append(
            FamilyEvidence(
                "shared_passages", match.a_id, match.b_id,
                containment_a=round(containment_a, 4), containment_b=round(containment_b, 4),
                passages=sum(1 for passage in match.passages if not passage.quoted),
                words=sum(passage.words - passage.quoted_words for passage in match.passages),
            )
        )  # fmt: skip
    return sorted(
        edges,
        key=lambda e: (-max(e.containment_a or 0.0, e.containment_b or 0.0), order[e.a_id], order[e.b_id]),
    )


def _families(
    articles: Sequence[Article],
    credits: Mapping[str, tuple[str, ...]],
    forest: _Forest,
    refused: tuple[RefusedEdge, ...],
) -> SourceFamilies:
    members: dict[str, list[str]] = {}
    for article in articles:
        members.setdefault(forest.root(article.id), []).append(article.id)
    evidence: dict[str, list[FamilyEvidence]] = {root: [] for root in members}
    for edge in forest.accepted:
        evidence[forest.root(edge.a_id)].append(edge)
    families = []
    family_of = {}
    for root, ids in members.items():
        family_id = "family-" + hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()[:12]
        credited = [agency for id_ in ids for agency in credits[id_]]
        agencies = sorted(dict.fromkeys(credited), key=lambda agency: (-credited.count(agency), agency))
        families.append(SourceFamily(family_id, tuple(ids), tuple(agencies), tuple(evidence[root])))
        family_of.update(dict.fromkeys(ids, family_id))
    return SourceFamilies(tuple(families), family_of, refused)
