"""The exception hierarchy of parallax, drawn in one place.

Library code raises these; the CLI turns each into a one-line message that says what to do next.
Bad *content* (an undecodable file, an empty page) is not an exception: it becomes a counted drop in a stage
report. Exceptions are for misuse and for conditions the caller must act on.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "MissingDependencyError",
    "OutletFileError",
    "ParallaxError",
    "StaleCheckpointError",
    "StoreError",
    "UnknownStoryError",
]


class ParallaxError(Exception):
    """Base class of every error parallax raises on purpose."""


class StoreError(ParallaxError):
    """The store cannot be opened or migrated, or was asked to hold inconsistent data."""


class StaleCheckpointError(StoreError):
    """Another writer saved the stories' checkpoint after this one read it: read it again and redo the update."""


class OutletFileError(ParallaxError):
    """A user's outlet file cannot be used: it is not JSON, or an entry lacks or mistypes a field."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class UnknownStoryError(ParallaxError):
    """A story id that the store does not hold."""


class MissingDependencyError(ParallaxError):
    """An optional feature was used without its extra installed."""

    def __init__(self, feature: str, extra: str, module: str) -> None:
        self.feature = feature
        self.extra = extra
        self.module = module
        super().__init__(f"{feature} needs the optional dependency '{module}': pip install 'parallax-news[{extra}]'")
