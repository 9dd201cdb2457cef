"""Metadata a folder states about its own files, for texts that do not say who published them or when.

A folder may hold `.parallax-metadata.json`: an object mapping the names of the files beside it to fields,
for example

    {"000_report.txt": {"outlet": "Yle", "url": "https://yle.fi/a/74-20041000"}}

Fields are those a JSON Lines record can carry (title, outlet, url, published, byline, language). They fill
only what the file itself leaves empty (provenance `sidecar`), so an HTML page's own metadata still wins.
The file is hidden, so folder walks never read it as an article; a malformed one is a counted drop and the
folder is read without it.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from parallax.readers.items import Rejected
from parallax.readers.records import FIELDS, parse_published

__all__ = ["SIDECAR_NAME", "load_sidecar"]

SIDECAR_NAME = ".parallax-metadata.json"


def load_sidecar(folder: Path) -> tuple[dict[str, dict[str, str | date]], Rejected | None]:
    """Return the fields per relative file name that `folder` states, and a rejection if its file is unusable."""
    path = folder / SIDECAR_NAME
    if not path.is_file():
        return {}, None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return {}, Rejected(str(path), "invalid_metadata", f"not a readable JSON file ({error})")
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        return {}, Rejected(str(path), "invalid_metadata", "must be an object of file name -> object of fields")
    stated: dict[str, dict[str, str | date]] = {}
    for name, fields in data.items():
        unknown = sorted(set(fields) - set(FIELDS) | ({"text"} & set(fields)))
        if unknown:
            valid = ", ".join(f for f in FIELDS if f != "text")
            detail = f"{name}: unknown field(s) {', '.join(unknown)}; valid: {valid}"
            return {}, Rejected(str(path), "invalid_metadata", detail)
        values: dict[str, str | date] = {k: v.strip() for k, v in fields.items() if isinstance(v, str) and v.strip()}
        if "published" in values:
            published = parse_published(values.pop("published"))
            if published is not None:
                values["published"] = published
        stated[name] = values
    return stated, None
