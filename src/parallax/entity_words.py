"""The word lists of `entities.rules.v1`: kinds of entity, titles, honorifics, and the words that make a run of
capitalised words an organisation, a place, an event or no name at all."""

from __future__ import annotations

from typing import Literal

__all__ = [
    "ACTING_AUXILIARIES",
    "BARE_TITLES",
    "COMPASS",
    "EVENT_SUFFIXES",
    "HONORIFICS",
    "KINDS",
    "ORGAN_WORDS",
    "ORG_SUFFIXES",
    "PLACE_SUFFIXES",
    "POSSESSED",
    "PREPOSITIONS",
    "ROLE_TITLES",
    "SAYING_VERBS",
    "STOP_WORDS",
    "TITLES",
    "Kind",
]

Kind = Literal["person", "organisation", "country", "place", "group", "government"]
KINDS: tuple[str, ...] = ("person", "organisation", "country", "place", "group", "government")


def _words(spaced: str) -> tuple[str, ...]:
    """A word list written as one string, so long lists stay readable."""
    return tuple(spaced.split())


ORGAN_WORDS: tuple[str, ...] = (
    "Foreign Ministry",
    "Defense Ministry",
    "Defence Ministry",
    "Ministry of Foreign Affairs",
    "Embassy",
)
ORGAN_WORDS += ("Interior Ministry", "Finance Ministry", "Foreign Office", "Army", "Navy", "Air Force")
"""Organs of a state written after a demonym ("Russian Foreign Ministry" -> an organisation of Russia)."""

ROLE_TITLES = {"President": "president", "Prime Minister": "prime minister", "Foreign Minister": "foreign minister"}
ROLE_TITLES |= {"Premier": "premier", "Chancellor": "chancellor", "Secretary of State": "secretary of state"}
ROLE_TITLES |= {"Supreme Leader": "supreme leader", "Crown Prince": "crown prince", "Vice President": "vice president"}
"""Capitalised titles after a demonym that name an office holder ("Azerbaijani President")."""


HONORIFICS = frozenset(_words("Mr. Mrs. Ms. Dr. Sen. Rep. Gov. Gen. Lt. Col. Sgt. Prof. Rev. Mr Mrs Ms Dr"))
TITLES = frozenset(
    _words(
        "President Vice Senator Secretary Minister Prime Foreign Defense Defence Commerce Treasury Interior "
        "Chancellor King Queen Prince Crown Pope General Judge Justice Governor Mayor Ambassador Premier "
        "Speaker Chairman Director Commissioner State Interviewer Spokesman Spokeswoman Leader Supreme Chief "
        "Attorney Envoy Representative Dictator CIA FBI"
    )
)
"""Words of a title before a name ("Defense Secretary Robert M. Gates"); stripped, and they make the rest a person."""
ORG_SUFFIXES = frozenset(
    _words(
        "Party Agency Ministry Department Committee Council Commission Court Bank Association Union Institute "
        "University Service Services Corporation Corp. Corp Inc. Inc Ltd. Ltd Company Group Foundation "
        "Organization Organisation Times Post News Network Airlines Airways Police Army Navy Assembly "
        "Congress Parliament Fund Office Bureau League Board Authority Administration Coalition Front Forces "
        "Movement Federation Trust Center Centre College School"
    )
)
"""Words that make a capitalised run an organisation when last ("Labour Party") or joined by "of"/"for"."""
BARE_TITLES = frozenset(_words("President Secretary Chancellor Premier Minister"))
"""Titles that, capitalised after "the" and without a name, refer to the last person named with that title."""
PLACE_SUFFIXES = frozenset(
    _words(
        "Street Avenue Square Park Bridge River Island Islands Mountains City Valley Road Airport Station "
        "Palace Tower House Base Province Region County Strait Sea Lake Desert Corridor Highway Pass Canal Gulf Bay "
        "Coast Peninsula Plateau Mount Hills Heights Port Harbor Harbour District Oblast Territory Zone Checkpoint "
        "Crossing Dam Village"
    )
)
COMPASS = frozenset(_words("North South East West Northern Southern Eastern Western Central"))
EVENT_SUFFIXES = frozenset(
    _words(
        "War Olympics Games Summit Cup Spring Revolution Act Agreement Treaty Accord Accords Conference Forum "
        "Festival Awards Prize Day Week Policy Program Programme Plan Deal Doctrine Crisis Newsletters"
    )
)
"""Last words of names of events, laws and works, which are not entities here ("Korean War", "Paris Agreement")."""
STOP_WORDS = frozenset(
    _words(
        "The A An In On At To For From By With And Or But As If When While After Before Since During This "
        "That These Those It Its He She They We I You His Her Their Our My Your What Who Why How Where There "
        "Here Not No Yes So Then Now Also More Most Some Many Both All Each Every Other Such Than Asked "
        "Meanwhile However Still Even Just Monday Tuesday Wednesday Thursday Friday Saturday Sunday January "
        "February March April May June July August September October November December Copyright Sign Click "
        "Read Watch Photo Image Video Getty Images Story Continued Below Email Driving Go Let Let’s Let's "
        "Later Under Any Thrown"
    )
)
"""Capitalised words that begin sentences or name dates; dropped from the edges of a run."""

SAYING_VERBS = frozenset(
    _words(
        "said says say told tells announced announces warned warns denied denies agreed agrees rejected "
        "rejects accused accuses demanded demands insisted insists claimed claims responded responds urged "
        "urges called calls wants wanted sent sends refused refuses decided decides condemned condemns "
        "recognized recognised launched launches signed signs threatened threatens vowed vows signaled "
        "signalled considering considered confirmed confirms insisted hopes hoped plans planned sought seeks "
        "blamed blames"
    )
)
"""Verbs after a capital or seat that make it the government acting ("Moscow said", "Baku has decided")."""
ACTING_AUXILIARIES = frozenset(_words("has have had will would could may might must did does do also"))
"""Auxiliaries after which any verb makes a capital act ("the White House will take"); "was" does not ("Kyiv was")."""
POSSESSED = frozenset(
    _words(
        "decision decisions position move response statement policy plan offer demands government program "
        "programme ambitions claims proposal ministry officials authorities envoy ambassador spokesman "
        "spokeswoman spokesperson leadership delegation representative accusations allegations army military troops"
    )
)
"""Nouns after "X's" that make a capital or seat the government ("Baku's decision", "Pyongyang's nuclear program",
"Baku's foreign ministry": one of the next two words)."""
PREPOSITIONS = frozenset(_words("to from in at into toward towards of near via through across outside inside"))
