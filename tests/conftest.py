"""Shared fixtures: the bundled example corpus and the evaluation data root."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgserver import backend, postgres_server, store_target  # noqa: F401  (store tests on both backends)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "karabakh-2023"
DATA = ROOT.parent / "shared" / "data"

JULY_FILES = ("000_e5cb13d625674f2a", "001_ecd846f94dc169c2", "002_6cfdf39758437414", "004_f982996cea3e33e0")
JANUARY_FILE = "003_6efac99d9a88112b"


@pytest.fixture
def example_dir() -> Path:
    """The bundled example corpus: five reports, four of one July 2023 event and one from January 2023."""
    return EXAMPLE


@pytest.fixture
def data_root() -> Path:
    """The labeled evaluation data; tests that need it skip when it is absent."""
    if not DATA.is_dir():
        pytest.skip(f"evaluation data not found at {DATA}")
    return DATA
