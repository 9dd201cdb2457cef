"""Score the framing labels against NewsWCL50's word-choice annotations (label recall, `framing.v1`).

NewsWCL50 (Hamborg, Zhukova and Gipp 2019) annotates, in 50 articles (10 events x 5 US outlets), the words each
outlet uses for the event's targets: `code_name` is the target ("PRK\\Jong Un", "USA"), `code_mention` the words
("North Korean dictator", "Mr. Kim", "Pyongyang"), `char_start`/`char_end` their span in the record's `text`.

What runs: the file is read through parallax's own per-article path (`evaluate.load_labeled`: read -> clean
-> extract, then `annotate.Annotate`); articles are grouped by their gold story (`story`), each story gets
`story_referents` and `frame_story`, and each annotation is checked against the framing's `labels`.

Scored code types: ACTOR (named people), COUNTRY (countries and those speaking for them) and GROUP (parties,
movements, the migrant caravan): the targets the labels are for. ACTOR-I (other individuals, one pooled code
per country), PROPERTY, ACTION, EVENT, OBJECT and MISC are not parties the labels list.

Definitions:

- An annotation is *located* when the paragraph holding it is found verbatim in the cleaned text (cleaning may
  drop or reflow lines); its span is then shifted to the clean text. Unlocated annotations still count (as misses
  unless their words are listed).
- A located annotation *maps* to the referent whose label span (see `framing_labels.article_labels`) overlaps
  it most, else whose entity mention does. A target's referent, per story, is the referent most of its mapped
  annotations map to (ties: the referent listed first).
- **recall**: the share of annotations whose `code_mention`, normalised as labels are (`framing_labels.
  label_key`: case-folded, spaces collapsed, a leading article and a trailing possessive removed), is among the
  forms that outlet's labels list for the target's referent. An annotation of a target with no referent, or of
  a referent the labels leave out (named by fewer than two outlets), is a miss.
- **recall_any_referent**: the same, with the words listed under any referent for that outlet.
- **labels_listed**: (story, outlet, referent, form) entries the labels list; **labels_matching_an_annotation**:
  how many of them equal the words of some annotation (of any code type) in that outlet's article, and
  **label_precision** their share: a floor on precision, since the annotators marked only the event's targets.

Measured on `../shared/data/newswcl50/articles.jsonl` (3,544 ACTOR/COUNTRY/GROUP annotations, 3,513 located):
recall 0.544 (ACTOR 0.788, COUNTRY 0.455, GROUP 0.167), recall_any_referent 0.653, 1,380 labels listed of
which 863 match an annotation (0.625). Most misses: members of a group annotated as the group ("Tom Perez" for
the Democrats, "migrants" for the caravan, which no entity names), people and offices speaking for a country
("White House", "Trump administration" are the Government of the United States here, a referent of its own),
and the entities module linking one article's "Trump" to Melania Trump.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parallax.annotate import Annotate
from parallax.evaluate import load_labeled
from parallax.framing import Framing, frame_story
from parallax.framing_labels import article_labels, label_key
from parallax.model import Article, content_hash, outlet_label
from parallax.referents import StoryReferents, story_referents

__all__ = ["CODE_TYPES", "evaluate_framing"]

CODE_TYPES: tuple[str, ...] = ("ACTOR", "COUNTRY", "GROUP")
"""The annotation code types scored (see the module docstring for why)."""


@dataclass(slots=True, frozen=True)
class _Annotation:
    code_type: str
    target: str
    words: str
    span: tuple[int, int] | None
    """Span in the article's clean text, or None when it could not be located there."""


@dataclass(slots=True)
class _Tally:
    annotations: int = 0
    located: int = 0
    recalled: int = 0
    recalled_any: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Rounded, JSON-ready view."""
        return {
            "annotations": self.annotations,
            "located": self.located,
            "recall": self._share(self.recalled),
            "recall_any_referent": self._share(self.recalled_any),
        }

    def _share(self, count: int) -> float:
        return round(count / self.annotations, 4) if self.annotations else 0.0


def _records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def _paragraph(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n\n", 0, offset)
    start = 0 if start < 0 else start + 2
    end = text.find("\n\n", offset)
    return start, len(text) if end < 0 else end


def _locate(record: dict[str, Any], clean_text: str, row: dict[str, Any]) -> tuple[int, int] | None:
    start, end = row.get("char_start"), row.get("char_end")
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    para_start, para_end = _paragraph(record["text"], start)
    paragraph = record["text"][para_start:para_end].strip()
    found = clean_text.find(paragraph) if paragraph else -1
    if found < 0:
        return None
    shift = found - (para_start + record["text"][para_start:para_end].index(paragraph[:1]))
    return start + shift, end + shift


def _annotations(record: dict[str, Any], article: Article, code_types: Sequence[str]) -> list[_Annotation]:
    rows = (record.get("labels") or {}).get("wcl_annotations") or []
    return [
        _Annotation(row["code_type"], row["code_name"], row["code_mention"], _locate(record, article.text, row))
        for row in rows
        if row.get("code_mention")
        and (row["code_type"] in code_types or not code_types)  # empty: every type (for the precision floor)
    ]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _spans(article: Article, referents: StoryReferents) -> list[tuple[tuple[int, int], int]]:
    """The article's label spans, then its mention spans, each with the index of its referent."""
    index = {id(referent): n for n, referent in enumerate(referents.referents)}
    spans = [((label.start, label.end), index[id(label.referent)]) for label in article_labels(article, referents)]
    for mention in article.entities:
        referent = referents.referent_of(article.id, mention)
        if referent is not None:
            spans.append(((mention.start, mention.end), index[id(referent)]))
    return spans


def _mapped_referent(spans: list[tuple[tuple[int, int], int]], span: tuple[int, int]) -> int | None:
    best = max(spans, key=lambda item: _overlap(item[0], span), default=None)
    return best[1] if best is not None and _overlap(best[0], span) > 0 else None


def _listed(framing: Framing) -> dict[tuple[str, str | None], set[str]]:
    """(outlet, referent canonical) -> label keys, plus (outlet, None) -> the keys under any referent."""
    listed: dict[tuple[str, str | None], set[str]] = {}
    for row in framing.labels:
        for forms in row.outlets:
            keys = {label_key(form.text) for form in forms.forms}
            listed.setdefault((forms.outlet, f"{row.kind}:{row.canonical}"), set()).update(keys)
            listed.setdefault((forms.outlet, None), set()).update(keys)
    return listed


def _score_story(
    articles: list[Article], records: dict[str, dict[str, Any]], code_types: Sequence[str], tallies: dict[str, _Tally]
) -> tuple[int, int]:
    """Add one story's annotations to `tallies`; return (labels listed, labels matching an annotation)."""
    referents = story_referents(articles)
    framing = frame_story(articles, referents)
    listed = _listed(framing)
    found: list[tuple[Article, _Annotation, int | None]] = []
    for article in articles:
        spans = _spans(article, referents)
        for annotation in _annotations(records[article.raw_hash], article, code_types):
            mapped = _mapped_referent(spans, annotation.span) if annotation.span else None
            found.append((article, annotation, mapped))
    votes: dict[str, Counter[int]] = {}
    for _, annotation, mapped in found:
        if mapped is not None:
            votes.setdefault(annotation.target, Counter())[mapped] += 1
    target_referent = {t: min(c, key=lambda i: (-c[i], i)) for t, c in votes.items()}
    for article, annotation, _ in found:
        outlet, key = outlet_label(article), label_key(annotation.words)
        chosen = target_referent.get(annotation.target)
        name = None if chosen is None else referents.referents[chosen]
        under = listed.get((outlet, f"{name.kind}:{name.canonical}"), set()) if name is not None else set()
        for tally in (tallies["overall"], tallies.setdefault(annotation.code_type, _Tally())):
            tally.annotations += 1
            tally.located += annotation.span is not None
            tally.recalled += key in under
            tally.recalled_any += key in listed.get((outlet, None), set())
    gold_words = {
        (outlet_label(a), label_key(x.words)) for a in articles for x in _annotations(records[a.raw_hash], a, ())
    }
    entries = [(forms.outlet, label_key(form.text)) for row in framing.labels for forms in row.outlets
               for form in forms.forms]  # fmt: skip
    return len(entries), sum(entry in gold_words for entry in entries)


def evaluate_framing(path: Path, code_types: Sequence[str] = CODE_TYPES) -> dict[str, Any]:
    """Label recall of `frame_story` on a NewsWCL50-shaped JSON Lines file, overall and per code type."""
    started = time.perf_counter()
    path = Path(path)
    labeled = load_labeled(path)
    # `load_labeled` derives each raw hash from the record's compact JSON line: the same key finds the record
    records = {content_hash(json.dumps(r, ensure_ascii=False).encode("utf-8")): r for r in _records(path)}
    annotate = Annotate()
    articles = [a for a in annotate(labeled.articles) if a.raw_hash in records and a.id in labeled.gold]
    if labeled.articles and not articles:
        raise ValueError(f"no article of {path} matched its record: did `load_labeled` change how it hashes lines?")
    stories: dict[str, list[Article]] = {}
    for article in articles:
        stories.setdefault(labeled.gold[article.id], []).append(article)
    tallies: dict[str, _Tally] = {"overall": _Tally()}
    listed = matching = 0
    for story_id in sorted(stories):
        story_listed, story_matching = _score_story(stories[story_id], records, code_types, tallies)
        listed, matching = listed + story_listed, matching + story_matching
    overall = tallies.pop("overall")
    return {
        "method": "framing.v1",
        "data": path.parent.name,
        "articles": len(articles),
        "stories": len(stories),
        "code_types": list(code_types),
        **overall.to_dict(),
        "by_code_type": {code: tallies[code].to_dict() for code in sorted(tallies)},
        "labels_listed": listed,
        "labels_matching_an_annotation": matching,
        "label_precision": round(matching / listed, 4) if listed else 0.0,
        "dropped": dict(labeled.dropped),
        "seconds": round(time.perf_counter() - started, 2),
    }
