"""A deterministic synthetic news stream of any length, recombined from real articles (for the cost curve).

    python benchmarks/synthetic.py --data ../shared/data --count 100000 --out /tmp/stream.jsonl

Record `i` of the stream takes its base article `i mod N` from the real corpus (allsides_baly_bias, N = 37,554)
in file order. The first pass (`i < N`) is the corpus itself, unchanged. Each later pass `k = i // N` moves the
base article's date `k * SHIFT_DAYS` days later and swaps a few of its paragraphs for paragraphs of another real
article picked by a seeded hash of `i`, so that every record is a new text (a new raw input, a new id) while
keeping real vocabulary, real paragraph lengths and real duplication (wire copies stay copies within a pass).
The same `count` and `seed` always give the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

DATA_FILE = "allsides_baly_bias/articles.jsonl.gz"
SHIFT_DAYS = 3650
"""How far each later pass moves its dates: past the corpus's own span, so passes never share a story window."""
SWAPPED_PARAGRAPHS = 2


def load_base(data: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The real records the stream is made from (id, outlet, url, published, title, text), in file order."""
    records: list[dict[str, Any]] = []
    with gzip.open(data / DATA_FILE, "rt", encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            keep = ("id", "outlet", "url", "published", "title", "text")
            records.append({key: record.get(key) for key in keep})
            if limit is not None and len(records) >= limit:
                break
    return records


def _pick(i: int, salt: str, size: int, seed: int) -> int:
    digest = hashlib.blake2b(f"{seed}:{salt}:{i}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % size


def _shift(published: str | None, days: int) -> str | None:
    if not published or days == 0:
        return published
    try:
        return (date.fromisoformat(published[:10]) + timedelta(days=days)).isoformat()
    except ValueError:
        return published


def synthetic_record(base: Sequence[dict[str, Any]], i: int, seed: int = 0) -> dict[str, Any]:
    """Record `i` of the stream (see the module docstring)."""
    record = dict(base[i % len(base)])
    cycle = i // len(base)
    if cycle == 0:
        return record
    paragraphs = str(record.get("text") or "").split("\n")
    donor = str(base[_pick(i, "donor", len(base), seed)].get("text") or "").split("\n")
    for n in range(SWAPPED_PARAGRAPHS):
        if paragraphs and donor:
            paragraphs[_pick(i, f"slot{n}", len(paragraphs), seed)] = donor[_pick(i, f"from{n}", len(donor), seed)]
    record["text"] = "\n".join(paragraphs)
    record["id"] = f"{record.get('id')}~{cycle}"
    record["published"] = _shift(record.get("published"), cycle * SHIFT_DAYS)
    if record.get("url"):
        record["url"] = f"{record['url']}#synthetic-{cycle}"
    return record


def synthetic_stream(base: Sequence[dict[str, Any]], count: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """The first `count` records of the stream."""
    for i in range(count):
        yield synthetic_record(base, i, seed)


def write_stream(base: Sequence[dict[str, Any]], count: int, out: Path, seed: int = 0) -> Path:
    """Write the first `count` records as JSON Lines to `out`."""
    with out.open("w", encoding="utf-8") as handle:
        for record in synthetic_stream(base, count, seed):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    write_stream(load_base(args.data), args.count, args.out, args.seed)
    print(args.out)


if __name__ == "__main__":
    main()
