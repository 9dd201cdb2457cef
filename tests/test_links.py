"""Linking quote speakers to the article's entities: the canonical entity each speaker stands for, or None."""

from __future__ import annotations

from parallax.annotate import Annotate
from parallax.entities import Mention
from parallax.links import linked_canonical
from stagehelpers import article

TEXT = (
    "Russia's Foreign Ministry urged Azerbaijan to reopen the road. "
    '"We are ready to organise a meeting," the ministry said on Saturday. '
    "Azerbaijan's Foreign Ministry rejected the call. "
    '"The Russian side did not ensure full implementation," Azerbaijan\'s Foreign Ministry said. '
    '"We will not allow provocations," President Ilham Aliyev said. '
    '"Our position is unchanged," Aliyev told reporters.'
)


def annotated(text: str) -> dict[str, str | None]:
    [done] = list(Annotate()([article("a", text)]))
    return {q.text: q.speaker_canonical for q in done.quotes}


def test_owned_offices_stay_apart_and_definite_descriptions_refer_back() -> None:
    speakers = annotated(TEXT)

    def speaker_of(words: str) -> str | None:
        return next(canonical for text, canonical in speakers.items() if words in text)

    assert speaker_of("organise a meeting") == "Foreign Ministry of Russia"  # "the ministry", said after it
    assert speaker_of("full implementation") == "Foreign Ministry of Azerbaijan"  # not merged with Russia's
    assert speaker_of("provocations") == speaker_of("unchanged") == "Ilham Aliyev"  # the surname alone links


def test_no_mention_no_link() -> None:
    assert linked_canonical("a source close to the talks", 0, 27, []) is None
    assert linked_canonical("", None, None, []) is None
    mention = Mention(0, 6, "Baerbock", "person", "Annalena Baerbock", "e1")
    assert linked_canonical("Baerbock", None, None, [mention]) == "Annalena Baerbock"
    twins = [mention, Mention(20, 28, "Baerbock", "person", "Other Baerbock", "e2")]
    assert linked_canonical("Baerbock", None, None, twins) is None  # two people fit: no guess


def test_event_actors_and_targets_are_linked() -> None:
    text = "Baku accused Russia of inaction. Russia's Foreign Ministry urged Azerbaijan to reopen the road."
    [done] = list(Annotate()([article("a", text)]))
    linked = {(e.trigger, e.actor_canonical, e.target_canonical) for e in done.events}
    assert ("accused", "Government of Azerbaijan", "Russia") in linked
    assert ("urged", "Foreign Ministry of Russia", "Azerbaijan") in linked
