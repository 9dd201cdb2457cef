"""The outlet registry: packaged outlets found by domain, name and marker; a user's file adds or replaces entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parallax.errors import ParallaxError
from parallax.outlets import Outlet, OutletFileError, OutletRegistry


@pytest.fixture(scope="module")
def registry() -> OutletRegistry:
    return OutletRegistry.load()


def field(outlet: Outlet | None, name: str) -> object:
    return getattr(outlet, name) if outlet is not None else None


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "outlets.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "domain"),
    [
        ("Associated Press", "apnews.com"), ("Reuters", "reuters.com"), ("Agence France-Presse", "afp.com"),
        ("BBC News", "bbc.co.uk"), ("CNN", "cnn.com"), ("Fox News", "foxnews.com"),
        ("The New York Times", "nytimes.com"), ("The Washington Post", "washingtonpost.com"),
        ("The Guardian", "theguardian.com"), ("Al Jazeera", "aljazeera.com"), ("TRT World", "trtworld.com"),
        ("Anadolu Agency", "aa.com.tr"), ("Daily Sabah", "dailysabah.com"),
        ("Hürriyet Daily News", "hurriyetdailynews.com"), ("The Moscow Times", "themoscowtimes.com"),
        ("TASS", "tass.com"), ("RIA Novosti", "ria.ru"), ("Meduza", "meduza.io"), ("Yle", "yle.fi"),
        ("M5 Dergi", "m5dergi.com"), ("Euronews", "euronews.com"), ("DW", "dw.com"), ("France 24", "france24.com"),
    ],
)  # fmt: skip
def test_the_packaged_registry_knows_the_common_outlets(registry: OutletRegistry, name: str, domain: str) -> None:
    outlet = registry.by_domain(domain)
    assert outlet is not None
    assert outlet.name == name


def test_the_packaged_registry_is_a_realistic_starting_set(registry: OutletRegistry) -> None:
    assert 60 <= len(registry) <= 150
    assert {o.name for o in registry.outlets if o.agency} >= {"Associated Press", "Reuters", "Anadolu Agency", "TASS"}


def test_subdomains_and_urls_match_their_outlet(registry: OutletRegistry) -> None:
    assert field(registry.by_domain("edition.cnn.com"), "name") == "CNN"
    assert field(registry.by_domain("https://www.themoscowtimes.com/2023/07/16/a"), "name") == "The Moscow Times"
    assert field(registry.by_domain("WWW.BBC.CO.UK:443"), "name") == "BBC News"


def test_a_domain_that_only_ends_like_a_known_one_does_not_match(registry: OutletRegistry) -> None:
    assert registry.by_domain("notcnn.com") is None
    assert registry.by_domain("cnn.com.example.org") is None
    assert registry.by_domain("") is None


def test_names_and_aliases_match_in_any_case(registry: OutletRegistry) -> None:
    assert field(registry.by_name("Anadolu Ajansı"), "name") == "Anadolu Agency"
    assert field(registry.by_name("moscow times"), "name") == "The Moscow Times"
    assert field(registry.by_name("  THE GUARDIAN "), "name") == "The Guardian"
    assert field(registry.by_name("AA"), "name") == "Anadolu Agency"
    assert registry.by_name("Nowhere Gazette") is None


def test_canonical_names_from_names_and_hosts(registry: OutletRegistry) -> None:
    assert registry.canonical("aa.com.tr") == "Anadolu Agency"
    assert registry.canonical("Anadolu Ajansı") == "Anadolu Agency"
    assert registry.canonical("Some Local Paper") == "Some Local Paper"


def test_markers_come_from_a_user_file(tmp_path: Path) -> None:
    path = write(
        tmp_path, {"outlets": [{"name": "Example Daily", "domains": ["example-daily.com"], "markers": ["ED-01"]}]}
    )
    registry = OutletRegistry.load(path)
    assert field(registry.by_marker("  ed-01 "), "name") == "Example Daily"
    assert registry.by_marker("ED-02") is None


def test_a_user_file_adds_outlets_and_keeps_the_packaged_ones(tmp_path: Path) -> None:
    path = write(tmp_path, [{"name": "Example Daily", "domains": ["example-daily.com"], "country": "GB"}])
    registry = OutletRegistry.load(path)
    assert field(registry.by_domain("example-daily.com"), "country") == "GB"
    assert registry.by_domain("reuters.com") is not None
    assert len(registry) == len(OutletRegistry.load()) + 1


def test_a_user_entry_replaces_the_packaged_one_of_the_same_name(tmp_path: Path) -> None:
    path = write(tmp_path, [{"name": "yle", "domains": ["yle.fi", "svenska.yle.fi"], "aliases": ["Yle Areena"]}])
    registry = OutletRegistry.load(path)
    assert field(registry.by_name("Yle Areena"), "name") == "yle"
    assert registry.by_name("Yleisradio") is None  # the packaged aliases went with the packaged entry
    assert len(registry) == len(OutletRegistry.load())


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "not valid JSON"),
        ('{"outlets": {"name": "X"}}', "expected"),
        ('[{"domains": ["x.com"]}]', "'name' must be a non-empty string"),
        ('[{"name": "X"}]', "'domains' is required"),
        ('[{"name": "X", "domains": "x.com"}]', "'domains' must be a list"),
        ('[{"name": "X", "domains": [], "agency": "yes"}]', "'agency' must be true or false"),
        ('[{"name": "X", "domains": [], "website": "x.com"}]', "unknown field"),
        ('[{"name": "X", "domains": [], "country": 7}]', "'country' must be"),
    ],
)
def test_a_malformed_user_file_raises_a_named_error(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "mine.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(OutletFileError, match=problem) as raised:
        OutletRegistry.load(path)
    assert str(path) in str(raised.value)
    assert isinstance(raised.value, ParallaxError)


def test_a_missing_user_file_raises_a_named_error(tmp_path: Path) -> None:
    with pytest.raises(OutletFileError, match="cannot be read"):
        OutletRegistry.load(tmp_path / "absent.json")
