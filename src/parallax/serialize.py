"""Plain-dict views of the model, for JSON output and the store; each `*_to_dict` has its inverse.

The dict shapes are the `report.json` contract (docs/report.schema.json): keep field names stable.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

import cattrs

from parallax.divergence_model import Divergence
from parallax.entities import Mention
from parallax.events import Event
from parallax.families import FamilyEvidence, SourceFamily
from parallax.framing import Framing
from parallax.model import (
    Article,
    Fact,
    FactEvidence,
    RemovedLine,
    Sentence,
    Story,
    SummarySentence,
)
from parallax.omissions import OutletOmissions
from parallax.passages import PassageMatch, SharedPassage
from parallax.quantities import Quantity
from parallax.quotes import Quote
from parallax.storylines import Storyline
from parallax.timexpr import TimeExpression

__all__ = [
    "article_from_dict",
    "article_to_dict",
    "fact_from_dict",
    "fact_to_dict",
    "family_from_dict",
    "family_to_dict",
    "passage_match_from_dict",
    "passage_match_to_dict",
    "story_from_dict",
    "story_to_dict",
]


_VALUES = cattrs.Converter()
"""Turns the comparison's nested frozen dataclasses (divergences, omissions, framing) into plain data and back."""


def _date_or_none(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def article_to_dict(article: Article, *, include_raw: bool = False) -> dict[str, Any]:
    """Return the JSON-ready dict of an article (the raw text only when asked: it can be large)."""
    data: dict[str, Any] = {
        "id": article.id,
        "source": article.source,
        "raw_hash": article.raw_hash,
        "outlet": article.outlet,
        "title": article.title,
        "url": article.url,
        "published": _iso(article.published),
        "language": article.language,
        "byline": article.byline,
        "agencies": list(article.agencies),
        "photo_credits": list(article.photo_credits),
        "text": article.text,
        "removed_lines": [{"line_no": r.line_no, "text": r.text, "rule": r.rule} for r in article.removed_lines],
        "sentences": [{"start": s.start, "end": s.end, "text": s.text} for s in article.sentences],
        "provenance": dict(article.provenance),
        "quotes": [asdict(q) for q in article.quotes],
        "quantities": [asdict(q) for q in article.quantities],
        "times": [{**asdict(t), "start_date": _iso(t.start_date), "end_date": _iso(t.end_date)} for t in article.times],
        "entities": [asdict(m) for m in article.entities],
        "events": [asdict(e) for e in article.events],
        "duplicate_of": article.duplicate_of,
    }
    if include_raw:
        data["raw_text"] = article.raw_text
    return data


def article_from_dict(data: dict[str, Any]) -> Article:
    """Rebuild an article from `article_to_dict` output."""
    return Article(
        id=data["id"],
        source=data["source"],
        raw_hash=data["raw_hash"],
        raw_text=data.get("raw_text", ""),
        text=data.get("text", ""),
        title=data.get("title"),
        outlet=data.get("outlet"),
        url=data.get("url"),
        published=_date_or_none(data.get("published")),
        language=data.get("language"),
        byline=data.get("byline"),
        agencies=list(data.get("agencies", [])),
        photo_credits=list(data.get("photo_credits", [])),
        removed_lines=[RemovedLine(r["line_no"], r["text"], r["rule"]) for r in data.get("removed_lines", [])],
        sentences=[Sentence(s["start"], s["end"], s["text"]) for s in data.get("sentences", [])],
        provenance=dict(data.get("provenance", {})),
        quotes=[Quote(**q) for q in data.get("quotes", [])],
        quantities=[Quantity(**q) for q in data.get("quantities", [])],
        times=[_time_from_dict(t) for t in data.get("times", [])],
        entities=[Mention(**m) for m in data.get("entities", [])],
        events=[_event_from_dict(e) for e in data.get("events", [])],
        duplicate_of=data.get("duplicate_of"),
    )


def _event_from_dict(data: dict[str, Any]) -> Event:
    # Events stored before actors were linked carry an always-empty "canonical" field.
    return Event(**{name: value for name, value in data.items() if name != "canonical"})


def _time_from_dict(data: dict[str, Any]) -> TimeExpression:
    dates = {"start_date": _date_or_none(data["start_date"]), "end_date": _date_or_none(data["end_date"])}
    return TimeExpression(**{**data, **dates})


def fact_to_dict(fact: Fact) -> dict[str, Any]:
    """Return the JSON-ready dict of a fact."""
    return {
        "text": fact.text,
        "article_ids": list(fact.article_ids),
        "outlets": list(fact.outlets),
        "evidence": [
            {"article_id": e.article_id, "sentence_index": e.sentence_index, "text": e.text} for e in fact.evidence
        ],
        "independent_sources": fact.independent_sources,
    }


def fact_from_dict(data: dict[str, Any]) -> Fact:
    """Rebuild a fact from `fact_to_dict` output."""
    return Fact(
        text=data["text"],
        article_ids=list(data["article_ids"]),
        outlets=list(data["outlets"]),
        evidence=[FactEvidence(e["article_id"], e["sentence_index"], e["text"]) for e in data.get("evidence", [])],
        independent_sources=int(data.get("independent_sources", 0)),
    )


def story_to_dict(story: Story) -> dict[str, Any]:
    """Return the JSON-ready dict of a story with its facts and summary."""
    return {
        "id": story.id,
        "title": story.title,
        "article_ids": list(story.article_ids),
        "method": story.method,
        "first_published": _iso(story.first_published),
        "last_published": _iso(story.last_published),
        "facts": [fact_to_dict(f) for f in story.facts],
        "summary": [{"text": s.text, "article_ids": list(s.article_ids)} for s in story.summary],
        "families": [family_to_dict(f) for f in story.families],
        "passages": [passage_match_to_dict(m) for m in story.passages],
        "divergences": _VALUES.unstructure(story.divergences, list[Divergence]),
        "omissions": _VALUES.unstructure(story.omissions, list[OutletOmissions]),
        "framing": _VALUES.unstructure(story.framing, Framing | None),
        "storyline": _VALUES.unstructure(story.storyline, Storyline | None),
    }


def story_from_dict(data: dict[str, Any]) -> Story:
    """Rebuild a story from `story_to_dict` output."""
    return Story(
        id=data["id"],
        title=data["title"],
        article_ids=list(data["article_ids"]),
        method=data["method"],
        first_published=_date_or_none(data.get("first_published")),
        last_published=_date_or_none(data.get("last_published")),
        facts=[fact_from_dict(f) for f in data.get("facts", [])],
        summary=[SummarySentence(s["text"], tuple(s["article_ids"])) for s in data.get("summary", [])],
        families=[family_from_dict(f) for f in data.get("families", [])],
        passages=[passage_match_from_dict(m) for m in data.get("passages", [])],
        divergences=_VALUES.structure(data.get("divergences", []), list[Divergence]),
        omissions=_VALUES.structure(data.get("omissions", []), list[OutletOmissions]),
        framing=_VALUES.structure(data["framing"], Framing) if data.get("framing") else None,
        storyline=_VALUES.structure(data["storyline"], Storyline) if data.get("storyline") else None,
    )


def family_to_dict(family: SourceFamily) -> dict[str, Any]:
    """Return the JSON-ready dict of a source family with the evidence that joins it."""
    return {
        "id": family.id,
        "article_ids": list(family.article_ids),
        "agencies": list(family.agencies),
        "evidence": [{name: getattr(e, name) for name in FamilyEvidence.__dataclass_fields__} for e in family.evidence],
    }


def family_from_dict(data: dict[str, Any]) -> SourceFamily:
    """Rebuild a source family from `family_to_dict` output."""
    return SourceFamily(
        id=data["id"],
        article_ids=tuple(data["article_ids"]),
        agencies=tuple(data.get("agencies", [])),
        evidence=tuple(FamilyEvidence(**e) for e in data.get("evidence", [])),
    )


def passage_match_to_dict(match: PassageMatch) -> dict[str, Any]:
    """Return the JSON-ready dict of what two articles share: passages with spans, containment both ways."""
    return {
        "a_id": match.a_id,
        "b_id": match.b_id,
        "a_words": match.a_words,
        "b_words": match.b_words,
        "containment_a": match.containment_a,
        "containment_b": match.containment_b,
        "method": match.method,
        "passages": [{name: getattr(p, name) for name in SharedPassage.__dataclass_fields__} for p in match.passages],
    }


def passage_match_from_dict(data: dict[str, Any]) -> PassageMatch:
    """Rebuild a passage match from `passage_match_to_dict` output."""
    return PassageMatch(
        a_id=data["a_id"],
        b_id=data["b_id"],
        passages=tuple(SharedPassage(**p) for p in data.get("passages", [])),
        a_words=data["a_words"],
        b_words=data["b_words"],
        containment_a=data["containment_a"],
        containment_b=data["containment_b"],
        method=data["method"],
    )
