"""The value a quantity extraction returns (`Quantity`, `quantities.rules.v1`) and the comparison of two amounts.

`normalize` puts an amount in its dimension's base unit, so that "six weeks" and "42 days" compare equal under
`same_amount`.
"""

from __future__ import annotations

from dataclasses import dataclass

from parallax.model import compact_pickle
from parallax.quantity_lexicon import DEFAULT_TOLERANCE, FRACTION_UNIT, UNITS

__all__ = [
    "Quantity",
    "normalize",
    "same_amount",
]


@compact_pickle
@dataclass(slots=True, frozen=True)
class Quantity:
    """One amount in a text, with exact character offsets (`text[start:end]`) and its normalised value."""

    start: int
    end: int
    text: str
    value: float
    low: float | None
    high: float | None
    approximate: bool
    unit: str | None
    dimension: str | None
    counted: str | None
    normalized: float | None
    qualifier: str | None = None
    """The bound kind of an approximate amount: about, nearly, more_than, at_least, less_than, up_to, vague."""


def normalize(value: float, unit: str | None, dimension: str | None) -> float:
    """Return `value` in its dimension's base unit (days, metres, square metres, kg, percent; money as is)."""
    if unit == FRACTION_UNIT:
        return value * 100.0
    if dimension == "age" or unit is None or unit not in UNITS:
        return value
    return value * UNITS[unit][1]


def same_amount(a: Quantity, b: Quantity, tolerance: float = DEFAULT_TOLERANCE) -> bool:
    """Whether two quantities state the same amount: same dimension (and currency), values within `tolerance`."""
    if a.dimension != b.dimension or a.normalized is None or b.normalized is None:
        return False
    if a.dimension == "money" and a.unit != b.unit:
        return False
    scale = max(abs(a.normalized), abs(b.normalized))
    return abs(a.normalized - b.normalized) <= tolerance * scale
