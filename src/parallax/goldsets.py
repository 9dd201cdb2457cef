"""Reading evaluation data: JSON Lines files plain or gzipped, and the article texts gold sets point into.

A gold set in `eval/gold/` stores character offsets and short labels only, never article text: each record
names a data set folder under the evaluation data (`../shared/data/<dataset>/articles.jsonl`, plain or gzip)
and a record id in it. `load_texts` reads the texts of the wanted records, once per data set, for the scorers
of every kind (quotes, quantities, times, entities, events).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

__all__ = ["GZIP_MAGIC", "load_texts", "records_file", "text_lines"]

GZIP_MAGIC = b"\x1f\x8b"


def text_lines(path: Path) -> Iterator[str]:
    """The lines of a UTF-8 JSON Lines file, gzip-compressed or not (told by its first bytes, not its name)."""
    with Path(path).open("rb") as probe:
        compressed = probe.read(2) == GZIP_MAGIC
    with gzip.open(path, "rt", encoding="utf-8") if compressed else Path(path).open(encoding="utf-8") as lines:
        yield from lines


def records_file(data_root: Path, dataset: str) -> Path:
    """The records file of a data set folder: `articles.jsonl`, else `articles.jsonl.gz`."""
    folder = Path(data_root) / dataset
    plain = folder / "articles.jsonl"
    return plain if plain.exists() else folder / "articles.jsonl.gz"


def load_texts(data_root: Path, wanted: Mapping[str, Iterable[str]]) -> dict[tuple[str, str], str]:
    """The "text" of each wanted (dataset, record id), read from the data under `data_root`.

    Raises FileNotFoundError naming the file when a data set is missing, and KeyError naming the ids a data set
    does not hold, since a gold set scored against other texts would give meaningless figures.
    """
    texts: dict[tuple[str, str], str] = {}
    for dataset, ids in wanted.items():
        remaining = set(ids)
        path = records_file(data_root, dataset)
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no records file for the gold set's data set {dataset!r}")
        for line in text_lines(path):
            if not remaining:
                break
            if not any(f'"{record_id}"' in line for record_id in remaining):
                continue  # a cheap test before parsing: most lines of a 37k-record file are not wanted
            record = json.loads(line)
            if record.get("id") in remaining:
                texts[dataset, record["id"]] = record["text"]
                remaining.discard(record["id"])
        if remaining:
            raise KeyError(f"{path} holds no record {', '.join(sorted(remaining))}")
    return texts
