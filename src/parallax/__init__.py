"""parallax: read many outlets' reports of the same news and show what is established, who copied whom, what
each outlet left out and how each one tells it.

The public API is what `__all__` lists; every other module is an implementation detail.

    >>> import parallax
    >>> with parallax.Store.open(":memory:") as store:
    ...     report = parallax.analyze(["examples/karabakh-2023"], store)
    >>> paths = parallax.write_report(report, "out")
"""

from parallax.annotate import Annotate, AnnotateOptions
from parallax.boilerplate import TemplateLines, TemplateOptions, learn_template_lines
from parallax.clean import Clean, CleanOptions, clean_text
from parallax.cluster import Clustering, ClusterOptions, cluster_articles, stories_from_clustering
from parallax.compare import CompareOptions, compare_story
from parallax.dedup import ExactDuplicates, find_exact_duplicates
from parallax.entities import Mention, extract_entities
from parallax.errors import (
    MissingDependencyError,
    OutletFileError,
    ParallaxError,
    StoreError,
    UnknownStoryError,
)
from parallax.events import Event, extract_events
from parallax.extract import Extract, ExtractOptions
from parallax.families import FamilyOptions, SourceFamilies, SourceFamily, independent_sources, source_families
from parallax.fetch import Fetcher, FetchOptions, FetchResult, normalize_url
from parallax.htmlpage import HtmlOptions, extract_html
from parallax.model import (
    Article,
    Comparison,
    Fact,
    FactEvidence,
    RemovedLine,
    Sentence,
    Story,
    SummarySentence,
)
from parallax.neardup import NearDuplicate, NearDuplicateIndex, NearDuplicateOptions, find_near_duplicates
from parallax.outlets import Outlet, OutletRegistry
from parallax.passages import PassageMatch, PassageOptions, SharedPassage, shared_passages, shared_passages_among
from parallax.pipeline import IngestReport, Options, Report, analyze, build_stories, ingest
from parallax.quantities import Quantity, extract_quantities
from parallax.quotes import Quote, extract_quotes
from parallax.read import RawInput, Reader, ReadOptions
from parallax.render import report_to_dict, to_html, to_markdown, write_report
from parallax.stages import Drop, DroppedItem, Stage, StageReport
from parallax.store import Store
from parallax.summarize import SummaryOptions, summarize
from parallax.timexpr import TimeExpression, extract_times
from parallax.version import __version__

__all__ = [
    "Annotate",
    "AnnotateOptions",
    "Article",
    "Clean",
    "CleanOptions",
    "ClusterOptions",
    "Clustering",
    "CompareOptions",
    "Comparison",
    "Drop",
    "DroppedItem",
    "Event",
    "ExactDuplicates",
    "Extract",
    "ExtractOptions",
    "Fact",
    "FactEvidence",
    "FamilyOptions",
    "FetchOptions",
    "FetchResult",
    "Fetcher",
    "HtmlOptions",
    "IngestReport",
    "Mention",
    "MissingDependencyError",
    "NearDuplicate",
    "NearDuplicateIndex",
    "NearDuplicateOptions",
    "Options",
    "Outlet",
    "OutletFileError",
    "OutletRegistry",
    "ParallaxError",
    "PassageMatch",
    "PassageOptions",
    "Quantity",
    "Quote",
    "RawInput",
    "ReadOptions",
    "Reader",
    "RemovedLine",
    "Report",
    "Sentence",
    "SharedPassage",
    "SourceFamilies",
    "SourceFamily",
    "Stage",
    "StageReport",
    "Store",
    "StoreError",
    "Story",
    "SummaryOptions",
    "SummarySentence",
    "TemplateLines",
    "TemplateOptions",
    "TimeExpression",
    "UnknownStoryError",
    "__version__",
    "analyze",
    "build_stories",
    "clean_text",
    "cluster_articles",
    "compare_story",
    "extract_entities",
    "extract_events",
    "extract_html",
    "extract_quantities",
    "extract_quotes",
    "extract_times",
    "find_exact_duplicates",
    "find_near_duplicates",
    "independent_sources",
    "ingest",
    "learn_template_lines",
    "normalize_url",
    "report_to_dict",
    "shared_passages",
    "shared_passages_among",
    "source_families",
    "stories_from_clustering",
    "summarize",
    "to_html",
    "to_markdown",
    "write_report",
]
