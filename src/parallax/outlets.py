"""The outlet registry: known news outlets and agencies, found by web domain, by name or by a site marker.

The packaged list (`parallax/data/outlets.json`) holds widely read international and regional outlets and
news agencies with their real domains. A user's JSON file in the same shape adds entries or replaces packaged
ones (matched by name, case-insensitively):

    {"outlets": [{"name": "Example Daily", "domains": ["example-daily.com"], "country": "GB", "language": "en",
                  "aliases": ["The Example"], "markers": ["ED-News"], "agency": false}]}

`name` and `domains` are required; `country` (ISO 3166-1 alpha-2) and `language` (ISO 639-1) may be null;
`aliases`, `markers` (short lines the outlet prints on its pages, exactly as printed) and `agency` (true for a
news agency, whose name in a credit says who supplied copy, not who published it) are optional.

    >>> registry = OutletRegistry.load()
    >>> registry.by_domain("https://edition.cnn.com/2023/07/16/world").name
    'CNN'
    >>> registry.by_name("Anadolu Ajansı").name
    'Anadolu Agency'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from parallax.errors import OutletFileError

__all__ = ["Outlet", "OutletFileError", "OutletRegistry"]

_FIELDS = {"name", "domains", "country", "language", "aliases", "markers", "agency"}
_SPACES = re.compile(r"\s+")
_EDGE_PUNCTUATION = " .,;:|-–—()[]*#\"'«»“”"


@dataclass(slots=True, frozen=True)
class Outlet:
    """A news outlet or agency: its name as shown, web domains, home country and main language, other names."""

    name: str
    domains: tuple[str, ...]
    country: str | None = None
    language: str | None = None
    aliases: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()
    agency: bool = False


def name_key(text: str) -> str:
    """How names are compared: case-folded, spaces collapsed, edge punctuation and a leading "the " dropped."""
    key = _SPACES.sub(" ", text.casefold()).strip(_EDGE_PUNCTUATION)
    return key.removeprefix("the ").strip()


def _host(url_or_host: str) -> str:
    text = url_or_host.strip().casefold()
    if "//" not in text:
        text = "//" + text  # a bare host ("edition.cnn.com") parses as a network location only after "//"
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".")


def _strings(value: object, field: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ValueError(f"{where}: '{field}' must be a list of non-empty strings, not {value!r}")
    return tuple(item.strip() for item in value)


def _optional_string(value: object, field: str, where: str) -> str | None:
    if value is None or (isinstance(value, str) and value.strip()):
        return value.strip() if isinstance(value, str) else None
    raise ValueError(f"{where}: '{field}' must be a non-empty string or null, not {value!r}")


def _outlet(entry: object, index: int) -> Outlet:
    where = f"entry {index}"
    if not isinstance(entry, dict):
        raise ValueError(f"{where} must be a JSON object, not {type(entry).__name__}")
    unknown = set(entry) - _FIELDS
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {sorted(unknown)}; known fields: {sorted(_FIELDS)}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{where}: 'name' must be a non-empty string")
    where = f"entry {index} ({name!r})"
    if "domains" not in entry:
        raise ValueError(f"{where}: 'domains' is required (a list, possibly empty)")
    domains = _strings(entry["domains"], "domains", where)
    agency = entry.get("agency", False)
    if not isinstance(agency, bool):
        raise ValueError(f"{where}: 'agency' must be true or false, not {agency!r}")
    return Outlet(
        name=name.strip(),
        domains=tuple(domain.casefold().removeprefix("www.") for domain in domains),
        country=_optional_string(entry.get("country"), "country", where),
        language=_optional_string(entry.get("language"), "language", where),
        aliases=_strings(entry.get("aliases", []), "aliases", where),
        markers=_strings(entry.get("markers", []), "markers", where),
        agency=agency,
    )


def parse_outlets(data: object) -> list[Outlet]:
    """Outlets from parsed JSON (`{"outlets": [...]}` or a bare list); raise ValueError saying what is wrong."""
    entries = data.get("outlets") if isinstance(data, Mapping) else data
    if not isinstance(entries, list):
        raise ValueError('expected {"outlets": [ ... ]} or a list of outlet objects')
    return [_outlet(entry, index) for index, entry in enumerate(entries)]


class OutletRegistry:
    """Outlets indexed by domain, by name and alias, and by site marker; build one with `OutletRegistry.load`."""

    __slots__ = ("_by_domain", "_by_marker", "_by_name", "outlets")

    def __init__(self, outlets: Iterable[Outlet]) -> None:
        by_name: dict[str, Outlet] = {}
        for outlet in outlets:  # a later entry with the same name replaces an earlier one (the user's file wins)
            by_name[name_key(outlet.name)] = outlet
        self.outlets: tuple[Outlet, ...] = tuple(by_name.values())
        self._by_domain: dict[str, Outlet] = {}
        self._by_name: dict[str, Outlet] = {}
        self._by_marker: dict[str, Outlet] = {}
        for outlet in self.outlets:
            for domain in outlet.domains:
                self._by_domain[domain] = outlet
            for alias in outlet.aliases:
                self._by_name.setdefault(name_key(alias), outlet)
            for marker in outlet.markers:
                self._by_marker[_SPACES.sub(" ", marker.casefold()).strip()] = outlet
        for outlet in self.outlets:  # a name always beats another outlet's alias
            self._by_name[name_key(outlet.name)] = outlet

    @classmethod
    def load(cls, extra: Path | None = None) -> OutletRegistry:
        """The packaged outlets, plus (adding or replacing by name) those of the user's JSON file `extra`."""
        packaged = resources.files("parallax").joinpath("data/outlets.json").read_text(encoding="utf-8")
        outlets = parse_outlets(json.loads(packaged))
        if extra is not None:
            outlets += _read_user_file(Path(extra))
        return cls(outlets)

    def by_domain(self, url_or_host: str) -> Outlet | None:
        """The outlet a URL or host belongs to; subdomains match ("www.", "edition.cnn.com" -> CNN)."""
        host = _host(url_or_host)
        while host:
            if host in self._by_domain:
                return self._by_domain[host]
            _, _, host = host.partition(".")
        return None

    def by_name(self, text: str) -> Outlet | None:
        """The outlet named `text` (its name or an alias, any case, with or without a leading "The")."""
        return self._by_name.get(name_key(text))

    def by_marker(self, line: str) -> Outlet | None:
        """The outlet whose site marker `line` is (compared case-insensitively, spaces collapsed)."""
        return self._by_marker.get(_SPACES.sub(" ", line.casefold()).strip())

    def canonical(self, text: str) -> str:
        """Registry name for the outlet named or hosted as `text` ("aa.com.tr" -> "Anadolu Agency"), else `text`."""
        found = self.by_name(text) or (self.by_domain(text) if "." in text and " " not in text.strip() else None)
        return found.name if found else text

    def __len__(self) -> int:
        return len(self.outlets)


def _read_user_file(path: Path) -> list[Outlet]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise OutletFileError(path, f"cannot be read ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise OutletFileError(path, "is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise OutletFileError(path, f"is not valid JSON ({error.msg} at line {error.lineno})") from None
    try:
        return parse_outlets(data)
    except ValueError as error:
        raise OutletFileError(path, str(error)) from None
