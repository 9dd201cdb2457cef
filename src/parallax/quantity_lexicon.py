"""The words of the quantity extractor (`quantities.rules.v1`): number words, scales, units, currencies,
qualifiers, and the nouns that a count can count or that mark page furniture.

Units are normalised to one base unit per dimension (days, years of age, metres, square metres, kilograms,
percent); see `parallax.quantities` for the conventions.
"""

from __future__ import annotations

__all__ = [
    "ABBREVIATED_SCALES",
    "AGE_UNIT",
    "COUNT_STOPWORDS",
    "CURRENCY_SIGNS",
    "CURRENCY_WORDS",
    "DEFAULT_TOLERANCE",
    "DENOMINATORS",
    "FRACTION_UNIT",
    "FURNITURE_NOUNS",
    "IRREGULAR_PLURALS",
    "MAX_AGE",
    "NOUN_MODIFIERS",
    "QUALIFIERS",
    "QUALIFIER_KIND",
    "SCALES",
    "SMALL_NUMBERS",
    "SPELLINGS",
    "TENS",
    "UNITS",
    "VAGUE_OUTER",
    "VAGUE_PLURALS",
    "VAGUE_UPPER_FACTOR",
]

DEFAULT_TOLERANCE = 0.01
"""Relative difference under which two normalised amounts are the same: covers rounding in conversions
("115,000 acres (46,500 hectares)" differ by 0.08%) but not real differences of a few percent."""

# --- words -----------------------------------------------------------------------------------------------------


def _words(spaced: str) -> tuple[str, ...]:
    """A word list written as one string, so long lists stay readable."""
    return tuple(spaced.split())


SMALL_NUMBERS = {
    word: value
    for value, word in enumerate(
        _words(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
            "seventeen eighteen nineteen"
        )
    )
}
"""Number words below twenty, read as cardinals."""

TENS = {word: 10 * (i + 2) for i, word in enumerate(_words("twenty thirty forty fifty sixty seventy eighty ninety"))}
"""Multiples of ten written as words; a hyphen or space joins a unit word ("fifty-seven")."""

SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "dozen": 12.0}
"""Multiplier words after a number ("1.2 billion", "two dozen", "two hundred thousand")."""

ABBREVIATED_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "tn": 1e12, "trn": 1e12}
"""Multiplier abbreviations glued to an amount of money ("$1.2bn", "£5m"); read only after a currency sign, where
"m" cannot be metres."""

DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5}
"""Fraction words after a numerator ("two-thirds", "one-quarter", "a third of"). Without a numerator these words
are ordinals ("the third round") and are not read; "half" has its own rules (`_half_quantity`)."""

VAGUE_PLURALS = {"dozens": 12.0, "hundreds": 1e2, "thousands": 1e3, "millions": 1e6, "billions": 1e9, "trillions": 1e12}
"""Plural scale words that state an order of magnitude ("dozens", "tens of thousands"): the bounds are from two of
the scale ("dozens" >= 24) to just under the next order (`VAGUE_UPPER_FACTOR`)."""

VAGUE_OUTER = {"tens": 10.0, "dozens": 12.0, "hundreds": 1e2}
"""Plural words that multiply a vague plural ("tens of thousands", "hundreds of millions")."""

VAGUE_UPPER_FACTOR = 10.0
"""A vague plural of scale S lies below S x 10 ("thousands" < 10,000); "dozens" below 12 x 12."""

CURRENCY_SIGNS = {"US$": "USD", "$": "USD", "NZ$": "NZD", "A$": "AUD", "C$": "CAD", "HK$": "HKD", "€": "EUR"}
CURRENCY_SIGNS |= {"£": "GBP", "¥": "JPY"}
"""Currency signs before an amount, with their ISO codes. A bare "$" is read as US dollars, whatever the outlet."""

CURRENCY_WORDS = {"dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "yuan": "CNY", "yen": "JPY"}
CURRENCY_WORDS |= {"rupees": "INR", "sterling": "GBP", "pounds sterling": "GBP"}
"""Currency names after an amount ("1.2 billion dollars"). "pounds" is money only after a scale word
("5 million pounds"), otherwise mass (`unit_after`)."""

# Each unit: canonical name -> (dimension, factor to the dimension's base unit, spellings). Bases: day (duration),
# year (age), metre (length), square metre (area), kilogram (mass), percent (percent and fractions).
UNITS: dict[str, tuple[str, float, tuple[str, ...]]] = {
    "percent": ("percent", 1.0, ("%", "percent", "per cent", "pct")),
    "percentage_point": ("percentage_points", 1.0, ("percentage points", "percentage point", "point", "points")),
    "minute": ("duration", 1 / 1440, ("minutes", "minute", "mins")),
    "hour": ("duration", 1 / 24, ("hours", "hour", "hrs")),
    "day": ("duration", 1.0, ("days", "day")),
    "week": ("duration", 7.0, ("weeks", "week")),
    "month": ("duration", 365.2425 / 12, ("months", "month")),
    "year": ("duration", 365.2425, ("years", "year")),
    "decade": ("duration", 3652.425, ("decades", "decade")),
    "century": ("duration", 36524.25, ("centuries", "century")),
    "km": ("length", 1000.0, ("kilometers", "kilometres", "kilometer", "kilometre", "km")),
    "m": ("length", 1.0, ("meters", "metres", "meter", "metre")),
    "mile": ("length", 1609.344, ("miles", "mile")),
    "foot": ("length", 0.3048, ("feet", "foot", "ft")),
    "km2": ("area", 1e6, ("square kilometers", "square kilometres", "square kilometer", "square kilometre", "sq km")),
    "sq_mile": ("area", 2_589_988.110336, ("square miles", "square mile", "sq miles")),
    "acre": ("area", 4046.8564224, ("acres", "acre")),
    "hectare": ("area", 1e4, ("hectares", "hectare")),
    "tonne": ("mass", 1000.0, ("metric tons", "metric tonnes", "tonnes", "tonne", "tons", "ton")),
    "kg": ("mass", 1.0, ("kilograms", "kilogram", "kg")),
    "lb": ("mass", 0.45359237, ("pounds", "pound", "lbs", "lb")),
}
"""Measurement units by canonical name. A US "ton" is read as a metric tonne (news rarely says which)."""

SPELLINGS = {spelling: unit for unit, (_, _, spellings) in UNITS.items() for spelling in spellings}
AGE_UNIT = "year"
FRACTION_UNIT = "fraction"

QUALIFIERS = {
    "about": ("about", "around", "approximately", "roughly", "some", "an estimated", "estimated", "circa"),
    "nearly": ("nearly", "almost", "close to", "just under", "just shy of"),
    "more_than": ("more than", "over", "upwards of", "just over", "in excess of"),
    "at_least": ("at least", "no fewer than", "no less than"),
    "less_than": ("less than", "fewer than", "under"),
    "up_to": ("up to", "at most", "as many as", "as much as", "no more than"),
}
"""Words before an amount that make it approximate, by bound kind ("more than 100 people" -> "more_than")."""

QUALIFIER_KIND = {phrase: kind for kind, phrases in QUALIFIERS.items() for phrase in phrases}

IRREGULAR_PLURALS = frozenset(
    _words(
        "people men women children police personnel staff dead injured wounded missing troops cattle sheep fish "
        "aircraft militia youth clergy"
    )
)
"""Nouns a count can count that do not end in -s ("50 people", "around 6,500 dead", "about 150 missing")."""

NOUN_MODIFIERS = frozenset(_words("police staff militia aircraft fish youth clergy"))
"""Irregular plurals that also modify a following noun: "two police officers" counts officers."""

COUNT_STOPWORDS = frozenset(
    _words(
        "of in on at to for from by with and or but as than that which who whom whose is was were are be been has have "
        "had this these those its his her their our your them they it a an the over under after before since during "
        "ago earlier later more less each every per while when where whereas yes also"
    )
)
"""Words that end the search for a counted noun: the noun must come before any of these ("205,000 over...")."""

FURNITURE_NOUNS = frozenset(_words("images photos pictures videos comments shares views slides"))
"""Counted nouns that mark page furniture ("Slideshow (14 Images)", "(312 comments)")."""

MAX_AGE = 120
"""Largest bare number read as a person's age ("Name, 52,", "when she was 16")."""
