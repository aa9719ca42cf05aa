"""The verdict on a text before it is stored: refuse, hold, flag, crisis card.

Words suggesting self-harm never block or hold anything: the author sees crisis
resources at once and the moderators are told.
"""

from dataclasses import dataclass

from .crisis import crisis_level
from .selectors import watched_word_rules
from .words import normalise, phrase_matches

BLOCK_MESSAGE = (
    "This circle does not allow some of the words in your text. "
    "Please rephrase it; nothing was posted and your text is still here."
)


@dataclass(frozen=True)
class Screening:
    # Non-empty: refuse the write with this message, keep nothing.
    block_message: str = ""
    # Store with status HELD: author and moderators only.
    hold: bool = False
    # Watched words whose action is "flag".
    flag_words: tuple[str, ...] = ()
    # "danger" or "concern": the author sees the crisis card, moderators are told.
    crisis_level: str = ""

    @property
    def blocked(self) -> bool:
        return bool(self.block_message)

    @property
    def self_harm(self) -> bool:
        return bool(self.crisis_level)


def screen(*, circle, text: str, earlier=None) -> Screening:
    """`earlier`: for a chat line, its writer's recent lines, as `crisis_level`
    takes them."""
    plain = normalise(text)
    hits: dict[str, list[str]] = {"block": [], "hold": [], "flag": []}
    for phrase, action in watched_word_rules(circle=circle):
        if phrase_matches(phrase, plain):
            hits[action].append(phrase)
    level = crisis_level(text, earlier=earlier)
    if hits["block"]:
        return Screening(block_message=BLOCK_MESSAGE, crisis_level=level)
    return Screening(
        hold=bool(hits["hold"]), flag_words=tuple(hits["flag"]), crisis_level=level
    )
