"""Score the comparison's neutral summary against AllSides' neutral roundups (NeuS), with baselines in the same run.

Method `evaluate_compare.neus.v1`. Input: a NeuS-shaped folder (`../shared/data/allsides_neus`): `stories.jsonl`
(`story`, `neus_split`, `neutral_summary`, `article_ids`, `allsides_bias`) and `articles.jsonl` (`id`, `story`,
`text`, ..., `labels.text_kind`). The chosen split's articles are read through parallax's own per-article stages
(read → clean → extract → annotate, only the quotes and events the summary reads), grouped by their *gold* story
(this scores the comparison, not the clustering), then each story gets its source families
(`passages.shared_passages_among` + `families.source_families`, as `pipeline.build_stories`), its facts
(`compare.compare_story`) and its summary (`summarize.summarize`).

Each summary is scored against the roundup with ROUGE-1/2/L (F1 and recall, `rouge-score` with stemming; the
`eval` extra), alongside baselines summarised the same way: `lead1` / `lead3` (the first sentences of the
centre outlet's article, else of the story's first article) and `random_facts` (as many of the story's facts as
parallax chose, drawn with a fixed seed, in story order). Also reported: the loaded-term share
(`loaded.loaded_share`) of all summary text against all article text, and summary length in words against the
roundup's. Stories whose articles are only leads are included; figures on stories with at least two full texts
are reported apart (`full_text_2plus`), since a lead is nearly a summary already.
"""

from __future__ import annotations

import io
import json
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from parallax.annotate import Annotate, AnnotateOptions
from parallax.clean import Clean
from parallax.compare import DEFAULT_OPTIONS as DEFAULT_COMPARE_OPTIONS
from parallax.compare import CompareOptions, compare_story
from parallax.errors import MissingDependencyError
from parallax.extract import Extract
from parallax.families import source_families
from parallax.loaded import loaded_share
from parallax.model import Article, Comparison, Story, content_hash, file_hash
from parallax.passages import shared_passages_among
from parallax.read import Reader, ReadOptions
from parallax.summarize import DEFAULT_OPTIONS as DEFAULT_SUMMARY_OPTIONS
from parallax.summarize import METHOD as SUMMARY_METHOD
from parallax.summarize import SummaryOptions, summarize

__all__ = [
    "BASELINES",
    "DEFAULT_OPTIONS",
    "METHOD",
    "ROUGE_TYPES",
    "CompareEvalOptions",
    "NeusStory",
    "evaluate_compare",
    "load_neus_stories",
    "score_stories",
]

METHOD = "evaluate_compare.neus.v1"
ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")
BASELINES = ("lead1", "lead3", "random_facts")
FULL_TEXT = "full_baly"
"""`labels.text_kind` of an article whose whole body is known (the others hold only NeuS's 1–3 sentence lead)."""
SUMMARY_KINDS = ("quotes", "events")
"""What the summary reads from the annotate stage (`summarize._attributed`); the other kinds are not needed here."""


@dataclass(slots=True, frozen=True)
class CompareEvalOptions:
    """Settings of the run: the comparison and summary settings scored, the seed of the random baseline, and
    `limit` (the first stories of the split only, for quick runs)."""

    compare: CompareOptions = DEFAULT_COMPARE_OPTIONS
    summary: SummaryOptions = DEFAULT_SUMMARY_OPTIONS
    seed: int = 20221
    limit: int | None = None

    def __post_init__(self) -> None:
        if self.limit is not None and self.limit < 1:
            raise ValueError(f"CompareEvalOptions.limit must be None or >= 1, not {self.limit}")


DEFAULT_OPTIONS = CompareEvalOptions()


@dataclass(slots=True)
class NeusStory:
    """One gold story, read and compared: its articles in triplet order, the centre one, and the roundup."""

    id: str
    roundup: str
    articles: list[Article]
    centre: Article | None
    full_texts: int
    comparison: Comparison


class _Scorer(Protocol):
    def score(self, target: str, prediction: str) -> dict[str, Any]: ...


def _rouge_scorer() -> _Scorer:
    try:
        from rouge_score import rouge_scorer
    except ImportError as error:
        raise MissingDependencyError("parallax eval compare", "eval", "rouge-score") from error
    scorer: _Scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    return scorer


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: a NeuS folder holds stories.jsonl and articles.jsonl")
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                yield json.loads(line)


def _read_articles(records: list[dict[str, Any]]) -> dict[str, Article]:
    """Read the records through read → clean → extract → annotate; returns the articles by their record id."""
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    # The reader derives each article's raw hash from its line's bytes: the same hash finds the record again.
    record_of = {content_hash(line.encode("utf-8")): str(r["id"]) for line, r in zip(lines, records, strict=True)}
    payload = "\n".join(lines).encode("utf-8")
    reader = Reader(
        ["-"], ReadOptions(max_bytes=max(len(payload) + 1, ReadOptions().max_bytes)), stdin=io.BytesIO(payload)
    )
    annotate = Annotate(AnnotateOptions(kinds=SUMMARY_KINDS))
    return {record_of[a.raw_hash]: a for a in annotate(Extract()(Clean()(reader))) if a.raw_hash in record_of}


def load_neus_stories(
    data: Path, split: str = "val", compare: CompareOptions = DEFAULT_COMPARE_OPTIONS, limit: int | None = None
) -> list[NeusStory]:
    """Read a NeuS folder's `split` and compare each gold story's articles (families included)."""
    stories = [s for s in _jsonl(data / "stories.jsonl") if s.get("neus_split") == split][:limit]
    if not stories:
        raise ValueError(f"{data / 'stories.jsonl'} has no story of split {split!r} (NeuS splits: train, val)")
    wanted = {str(article_id) for story in stories for article_id in story["article_ids"]}
    records = [r for r in _jsonl(data / "articles.jsonl") if str(r.get("id")) in wanted]
    full = {str(r["id"]) for r in records if (r.get("labels") or {}).get("text_kind") == FULL_TEXT}
    articles = _read_articles(records)
    return [_compared(record, articles, full, compare) for record in stories]


def _compared(
    record: dict[str, Any], articles: dict[str, Article], full: set[str], options: CompareOptions
) -> NeusStory:
    ids = [str(i) for i in record["article_ids"]]
    members = [articles[i] for i in ids if i in articles]
    biases = record.get("allsides_bias") or [None] * len(ids)
    centre = next(
        (articles[i] for i, bias in zip(ids, biases, strict=False) if bias == "center" and i in articles), None
    )
    story = Story(id=str(record["story"]), title=str(record.get("neutral_title", "")), article_ids=[], method="gold")
    story.article_ids = [a.id for a in members]
    families = source_families(members, shared_passages_among(members))
    comparison = compare_story(story, members, options, families)
    return NeusStory(
        id=story.id,
        roundup=str(record.get("neutral_summary", "")),
        articles=members,
        centre=centre or (members[0] if members else None),
        full_texts=sum(i in full for i in ids if i in articles),
        comparison=comparison,
    )


def _lead(story: NeusStory, count: int) -> list[str]:
    return [s.text for s in story.centre.sentences[:count]] if story.centre is not None else []


def _summaries(stories: Sequence[NeusStory], options: SummaryOptions, seed: int) -> dict[str, list[list[str]]]:
    """Each variant's summary sentences, story by story."""
    chosen = [[s.text for s in summarize(story.comparison, story.articles, options)] for story in stories]
    rng = random.Random(seed)  # noqa: S311 - a reproducible baseline draw, nothing secret
    drawn = []
    for story, summary in zip(stories, chosen, strict=True):
        facts = list(enumerate(story.comparison.facts))
        picked = sorted(rng.sample(facts, min(len(summary), len(facts))), key=lambda item: _told_at(story, item))
        drawn.append([fact.text for _, fact in picked])
    return {
        "parallax": chosen,
        "lead1": [_lead(story, 1) for story in stories],
        "lead3": [_lead(story, 3) for story in stories],
        "random_facts": drawn,
    }


def _told_at(story: NeusStory, item: tuple[int, Any]) -> tuple[float, int]:
    sizes = {a.id: max(len(a.sentences), 1) for a in story.articles}
    fact = item[1]
    return (min((e.sentence_index / sizes.get(e.article_id, 1) for e in fact.evidence), default=1.0), item[0])


def _words(texts: Sequence[str]) -> int:
    return sum(len(text.split()) for text in texts)


def _mean(values: Sequence[float]) -> float:
    return round(statistics.fmean(values), 4) if values else 0.0


def _variant_figures(scorer: _Scorer, stories: Sequence[NeusStory], summaries: Sequence[list[str]]) -> dict[str, float]:
    per_story: dict[str, list[float]] = defaultdict(list)
    for story, sentences in zip(stories, summaries, strict=True):
        scores = scorer.score(story.roundup, " ".join(sentences))
        for kind in ROUGE_TYPES:
            per_story[f"{kind}_f"].append(scores[kind].fmeasure)
            per_story[f"{kind}_recall"].append(scores[kind].recall)
        per_story["words"].append(_words(sentences))
        per_story["sentences"].append(len(sentences))
    figures = {name: _mean(values) for name, values in per_story.items()}
    figures["loaded_share"] = round(loaded_share("\n".join(s for sentences in summaries for s in sentences)), 4)
    return figures


def _subset(
    scorer: _Scorer,
    stories: Sequence[NeusStory],
    summaries: dict[str, list[list[str]]],
    keep: Callable[[NeusStory], bool],
) -> dict[str, Any]:
    rows = [n for n, story in enumerate(stories) if keep(story)]
    picked = [stories[n] for n in rows]
    return {
        "stories": len(picked),
        "roundup_words": _mean([_words([s.roundup]) for s in picked]),
        "articles_loaded_share": round(loaded_share("\n".join(a.text for s in picked for a in s.articles)), 4),
        "variants": {
            name: _variant_figures(scorer, picked, [texts[n] for n in rows]) for name, texts in summaries.items()
        },
    }


def score_stories(
    stories: Sequence[NeusStory], options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS, seed: int = DEFAULT_OPTIONS.seed
) -> dict[str, Any]:
    """Summarise compared stories with `options` and score parallax and the baselines, on all stories and on
    those with at least two full texts."""
    scorer = _rouge_scorer()
    summaries = _summaries(stories, options, seed)
    return {
        "all": _subset(scorer, stories, summaries, lambda story: True),
        "full_text_2plus": _subset(scorer, stories, summaries, lambda story: story.full_texts >= 2),
    }


def evaluate_compare(data: Path, split: str = "val", options: CompareEvalOptions = DEFAULT_OPTIONS) -> dict[str, Any]:
    """Score the neutral summary of each gold story of a NeuS folder's `split` against its AllSides roundup.

    Returns the figures per subset (`all`, `full_text_2plus`) and per variant (`parallax`, `lead1`, `lead3`,
    `random_facts`): mean ROUGE-1/2/L F1 and recall, words and sentences per summary, loaded-term share; with the
    settings, the data's hashes and the seconds taken.

        >>> report = evaluate_compare(Path("../shared/data/allsides_neus"))  # doctest: +SKIP
        >>> report["subsets"]["all"]["variants"]["parallax"]["rouge1_f"]  # doctest: +SKIP
    """
    started = time.perf_counter()
    _rouge_scorer()  # fail before the slow part when the extra is missing
    stories = load_neus_stories(data, split, options.compare, options.limit)
    read_seconds = time.perf_counter() - started
    subsets = score_stories(stories, options.summary, options.seed)
    return {
        "method": METHOD,
        "summary_method": SUMMARY_METHOD,
        "dataset": data.name,
        "split": split,
        "data_sha256": {name: file_hash(data / name) for name in ("stories.jsonl", "articles.jsonl")},
        "options": {"compare": asdict(options.compare), "summary": asdict(options.summary), "seed": options.seed},
        "subsets": subsets,
        "seconds": {"read_and_compare": round(read_seconds, 2), "total": round(time.perf_counter() - started, 2)},
    }
