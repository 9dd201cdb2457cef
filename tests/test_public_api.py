from __future__ import annotations

import parallax


def test_every_public_name_exists() -> None:
    missing = [name for name in parallax.__all__ if not hasattr(parallax, name)]
    assert missing == []


def test_public_names_are_sorted_and_unique() -> None:
    names = [n for n in parallax.__all__ if n != "__version__"]
    assert names == sorted(names, key=lambda n: (n[0].islower(), n))
    assert len(set(parallax.__all__)) == len(parallax.__all__)


def test_every_public_callable_has_a_docstring() -> None:
    undocumented = [
        name for name in parallax.__all__ if callable(getattr(parallax, name)) and not getattr(parallax, name).__doc__
    ]
    assert undocumented == []
