"""The words an article uses for each story referent: names, titles and descriptive noun phrases (`framing.v1`).

For each entity mention (`Article.entities`) that belongs to a story referent, `article_labels` gives the
phrase the article uses for it:

- a person's name, and, as labels of their own, the title or description right in front of it
  ("Azerbaijani President" before "Ilham Aliyev", "North Korean leader" before "Kim Jong Un", "North Korea's
  leader, Kim Jong-un") and a description set off after it that ends with a title noun ("Michael T. Flynn,
  the president's first national security adviser"); a title of
  capitalised title words only stays with the name ("President Trump", "Mr. Trump", "Prime Minister Theresa
  May"), as a reader sees one name; the mentions inside a title ("Azerbaijani") are part of it, not labels of
  their country;
- for any other mention, the noun phrase it heads or modifies: descriptors before it ("separatist
  Armenians", "pro-Armenia") and a group noun after it ("Armenian armed forces", "Armenian separatists");
- a later description without a name ("the president", "the North Korean leader") takes up the person the
  article last introduced with that title, and "the party", "the ministry", "the committee" the organisation
  last named with that noun ("Democratic Party", "Foreign Ministry").

Labels are returned without a leading article or a trailing possessive; `label_key` is the form they are
counted and compared by (case-folded, spaces collapsed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parallax.entities import Mention
from parallax.loaded import find_loaded
from parallax.model import Article
from parallax.referents import Referent, StoryReferents, unglued

__all__ = ["Label", "article_labels", "clean_label", "label_key"]


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_TITLE_NOUNS = _words(
    "president vice-president leader minister premier chancellor secretary director chief head spokesman "
    "spokeswoman spokesperson ambassador envoy general commander king queen prince emir sheikh dictator "
    "strongman counterpart adviser advisor aide senator governor mayor judge attorney lawyer counsel prosecutor "
    "chairman chairwoman chair speaker founder ceo ruler lawmaker congressman congresswoman representative "
    "mr mrs ms dr sen rep gov gen lt col sgt prof pope lady"
)
_TITLE_MODIFIERS = _words(
    "prime vice deputy former acting top senior foreign defence defense interior finance state national security "
    "first special of the u.s. us un white house supreme de facto self-proclaimed so-called then"
)
_DESCRIPTORS = _words(
    "separatist separatists ethnic breakaway self-proclaimed self-styled so-called rebel unrecognised unrecognized "
    "disputed occupied liberated illegal armed de facto radical extremist militant nationalist hardline rogue "
    "puppet hostile enemy local regional"
)
_HEAD_AFTER = re.compile(
    r"(?:\s+(?:armed|military|security|separatist|rebel|militant|ethnic|paramilitary|government|state|regular|"
    r"special|occupying|occupation|peacekeeping|illegal|border|defence|defense|nationalist|opposition))*"
    r"\s+(?:forces|force|troops|army|military|soldiers|separatists|rebels|militants|fighters|formations|militias|"
    r"militia|authorities|government|regime|leadership|side|officials|population|community|communities|people|"
    r"residents|civilians|refugees|settlers|diaspora|lobby|nationalists|radicals|extremists|terrorists|"
    r"occupiers|invaders|aggressors|administration|leaders|groups|group|units|peacekeepers|"
    r"contingent|migrants|immigrants|activists|protesters|supporters|lawmakers|officials|delegation|"
    r"negotiators|diplomats|media|state)\b"
)
_DESCRIPTION = re.compile(
    r"\b[Tt]he\s+(?P<phrase>(?:[A-Z][\w.’'-]*\s+){0,2}(?i:president|prime\s+minister|foreign\s+minister|leader|"
    r"dictator|premier|chancellor|secretary\s+of\s+state|king|queen|ruler|strongman|special\s+counsel|"
    r"attorney\s+general|first\s+lady|supreme\s+leader|pope|emir|crown\s+prince))\b(?![\w-]|\s+[A-Z])"
)
_BODY_NOUNS = _words(
    "party committee ministry agency organisation bureau department campaign administration company council "
    "alliance commission union bloc government parliament assembly court caravan movement coalition"
)
_BODY_DESCRIPTION = re.compile(
    r"\b[Tt]he\s+(?P<phrase>(?i:party|committee|ministry|agency|organi[sz]ation|bureau|department|campaign|"
    r"administration|company|council|alliance|commission|union|bloc|government|parliament|assembly|court|"
    r"caravan|movement|coalition))\b(?![\w-]|\s+[A-Z])"
)
_TOKEN = re.compile(r"[\w.’'&-]+")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$|['’]$")
_SPACE = re.compile(r"\s+")
_DESCRIPTOR_CATEGORIES = frozenset({"loaded_label", "evaluative_adjective", "doubt_marker"})
"""Lexicon categories whose words describe a party when they stand right before its name ("rogue", "puppet")."""
_COMMA_BEFORE = re.compile(r",\s+$")
_APPOSITION = re.compile(r",\s+(?P<phrase>(?:(?:the|a|an|his|her|its|their)\s+)?[^,.;:()\"“”\n]{1,80}?)\s*(?=[,.;)]|$)")
_TITLE_PREFIXES = frozenset({"then", "ex", "vice", "deputy", "acting", "former"})
_ATTACHED_PREFIX = re.compile(r"(?:pro|anti|non)-$", re.IGNORECASE)


@dataclass(slots=True, frozen=True)
class Label:
    """A phrase an article uses for a referent, with its span in the article's clean text."""

    referent: Referent
    text: str
    start: int
    end: int


def clean_label(text: str) -> str:
    """A label as shown: spaces collapsed, without a leading article or a trailing possessive."""
    collapsed = _SPACE.sub(" ", text).strip()
    stripped = _LEADING_ARTICLE.sub("", collapsed)
    if stripped.endswith(("s'", "s’")):
        return stripped[:-1]
    return _POSSESSIVE.sub("", stripped)


def label_key(text: str) -> str:
    """The form labels are counted and compared by: `clean_label`, case-folded."""
    return clean_label(text).casefold()


@dataclass(slots=True)
class _Title:
    start: int
    end: int
    bare: bool
    covered: list[Mention]


def _covering(mentions: list[Mention], start: int, end: int) -> Mention | None:
    for mention in mentions:
        if mention.start <= start and end <= mention.end:
            return mention
    return None


def _title_before(text: str, mentions: list[Mention], start: int) -> _Title | None:
    """The title or description right before a person's name, if any: its words separated by spaces only, or
    set off by a comma ("North Korea's leader, Kim Jong-un")."""
    comma = _COMMA_BEFORE.search(text, max(0, start - 4), start)
    limit = comma.start() if comma else start
    begin, has_title, bare = limit, False, comma is None
    covered: list[Mention] = []
    for token in reversed(list(_TOKEN.finditer(text, max(0, limit - 120), limit))):
        if token.end() > begin:
            continue
        gap = text[token.end() : begin]
        if gap.strip(" ") or (not gap and begin != limit):
            break
        word = token.group()
        low = word.lower().rstrip(".")
        core_end = token.end() - 2 if low.endswith(("'s", "’s")) else token.end()
        mention = _covering(mentions, token.start(), core_end)
        if mention is not None:
            if comma and mention.kind == "person":
                return None  # "President Trump, Kim Jong Un": a list of names, not a title
            covered.append(mention)
            bare = bare and mention.kind == "person" and core_end == token.end()
            begin = mention.start
            continue
        if low.split("-")[0] in _TITLE_PREFIXES:  # "then-national security adviser"
            low = low.split("-", 1)[-1]
        if low in _TITLE_NOUNS:
            has_title = True
        elif low not in _TITLE_MODIFIERS:
            break
        bare = bare and (word[0].isupper() or low == "of")
        begin = token.start()
    while begin < limit and (lead := _TOKEN.match(text, begin)) and lead.group().lower() in {"of", "the"}:
        begin = lead.end() + 1  # a title does not start with "of" or "the"
    if not has_title or begin >= limit:
        return None
    return _Title(begin, limit, bare, covered)


def _apposition_after(text: str, mention: Mention) -> tuple[int, int] | None:
    """The description set off by a comma after a person's name ("Michael T. Flynn, the president's first
    national security adviser,"), when it ends with a title noun."""
    match = _APPOSITION.match(text, mention.end)
    if match is None:
        return None
    words = match.group("phrase").split()
    head = _POSSESSIVE.sub("", words[-1].lower())
    if len(words) > 8 or head not in _TITLE_NOUNS or (words[0][0].isupper() and words[0].lower() != "the"):
        return None
    return match.start("phrase"), match.end("phrase")


def _noun_phrase(text: str, mention: Mention) -> tuple[int, int]:
    """The span of the noun phrase around a non-person mention: descriptors before it, a group noun after it."""
    begin, end = mention.start, mention.end
    if _ATTACHED_PREFIX.search(text, max(0, begin - 5), begin):
        begin = text.rindex("-", 0, begin)
        while begin > 0 and text[begin - 1].isalpha():
            begin -= 1
    for token in reversed(list(_TOKEN.finditer(text, max(0, begin - 60), begin))):
        if text[token.end() : begin] != " ":
            break
        word = token.group().lower()
        if word not in _DESCRIPTORS and not _is_loaded_descriptor(word):
            break
        begin = token.start()
    after = _HEAD_AFTER.match(text, end)
    if after is not None:
        end = after.end()
    return begin, end


def _is_loaded_descriptor(word: str) -> bool:
    return any(term.category in _DESCRIPTOR_CATEGORIES for term in find_loaded(word))


def _label(referent: Referent, text: str, start: int, end: int) -> Label:
    return Label(referent, clean_label(text[start:end]), start, end)


def _head_of(title: str) -> str | None:
    words = [word.lower().rstrip(".") for word in title.split()]
    heads = [word for word in words if word in _TITLE_NOUNS and word not in {"mr", "mrs", "ms", "dr"}]
    if not heads:
        return None
    head = heads[-1]
    return "prime minister" if head == "minister" and "prime" in words else head


def article_labels(article: Article, referents: StoryReferents) -> list[Label]:
    """The labels `article` uses for the story's referents, in text order."""
    text = article.text
    mentions = sorted(article.entities, key=lambda m: (m.start, -m.end))
    labels, consumed, titled = _person_labels(article, referents, mentions)
    for mention in mentions:
        head = _body_head(mention.text) if mention.kind != "person" else None
        referent = referents.referent_of(article.id, mention)
        if head and referent is not None:
            titled.append((mention.start, head, referent))
    descriptions = _descriptions(text, mentions, titled)
    for label in descriptions:  # "the North Korean leader" is Kim's label, not North Korea's
        consumed.update((m.start, m.end) for m in mentions if label.start <= m.start and m.end <= label.end)
    labels.extend(descriptions)
    for mention in mentions:
        referent = referents.referent_of(article.id, mention)
        if referent is None or mention.kind == "person" or (mention.start, mention.end) in consumed:
            continue
        labels.append(_label(referent, text, *_noun_phrase(text, mention)))
    labels.sort(key=lambda label: (label.start, label.end))
    return [label for label in labels if label.text]  # spans off the text (stale annotations) give nothing


def _person_labels(
    article: Article, referents: StoryReferents, mentions: list[Mention]
) -> tuple[list[Label], set[tuple[int, int]], list[tuple[int, str, Referent]]]:
    """People's names, titles and appositions; the mentions used up inside titles; (position, title head,
    person) for each title seen, for later descriptions to take up."""
    text = article.text
    labels: list[Label] = []
    consumed: set[tuple[int, int]] = set()
    titled: list[tuple[int, str, Referent]] = []
    for mention in mentions:
        referent = referents.referent_of(article.id, mention)
        if referent is None or mention.kind != "person":
            continue
        title = _title_before(text, mentions, mention.start)
        if own_head := _head_of(mention.text):
            titled.append((mention.start, own_head, referent))
        apposition = _apposition_after(text, mention)
        if apposition is not None:
            labels.append(_label(referent, text, *apposition))
            if head := _head_of(text[apposition[0] : apposition[1]]):
                titled.append((apposition[0], head, referent))
        if title is None:
            name_start = mention.end - len(unglued(mention.text))  # "Although Mueller" is "Mueller"
            labels.append(_label(referent, text, name_start, mention.end))
            continue
        consumed.update((m.start, m.end) for m in title.covered)
        if head := _head_of(text[title.start : title.end]):
            titled.append((title.start, head, referent))
        if title.bare:
            labels.append(_label(referent, text, title.start, mention.end))
        else:
            labels.append(_label(referent, text, title.start, title.end))
            labels.append(_label(referent, text, mention.start, mention.end))
    return [label for label in labels if (label.start, label.end) not in consumed], consumed, titled


def _body_head(name: str) -> str | None:
    """The generic noun that names an organisation ("Democratic National Committee" -> "committee")."""
    words = name.lower().split()
    head = words[-1].replace("organization", "organisation") if words else ""
    return head if head in _BODY_NOUNS else None


def _descriptions(text: str, mentions: list[Mention], titled: list[tuple[int, str, Referent]]) -> list[Label]:
    """ "The president", "the North Korean leader", "the committee": the party last introduced with that title or
    generic noun, if any."""
    found: list[Label] = []
    titled.sort(key=lambda item: item[0])
    for pattern, head_of in ((_DESCRIPTION, _head_of), (_BODY_DESCRIPTION, _body_head)):
        for match in pattern.finditer(text):
            start, end = match.start("phrase"), match.end("phrase")
            if any(m.start < end and start < m.end and (m.kind == "person" or head_of is _body_head) for m in mentions):
                continue  # the entities module already linked it
            head = head_of(match.group("phrase"))
            earlier = [party for position, title, party in titled if position < start and title == head]
            if earlier:
                found.append(_label(earlier[-1], text, match.start(), end))
    return found
