"""The crisis net: does a text suggest its author may be in danger, and how much?

The measured detector (`detector.py`: phrase rules with negation, past-tense and
recovery guards, and a small linear model over word, character and concept
n-grams, shipped as plain weights) answers; `bench/crisis_net.py` reports its recall
and false alarms on held-out sentences, `bench/crisis_conversations.py` on whole
chat conversations.
"""

from .detector import assess, assess_chat_line

# A chat line is read after its writer's lines in the same circle from this many
# minutes before it (a thought split over several lines: "door is open", "very heavy
# now"); older lines are another moment.
CONTEXT_MINUTES = 10
CONTEXT_LINES = 3  # at most this many of them are fetched (the detector reads its own)


def crisis_level(text: str, *, earlier=None) -> str:
    """ "danger", "unsafe", "concern", or "" for calm text. `earlier`: for a chat
    line, a function returning its writer's recent lines (oldest first), called only
    when they might change the reading."""
    if earlier is None:
        return assess(text or "").level or ""
    return assess_chat_line(text or "", earlier).level or ""


def suggests_self_harm(text: str) -> bool:
    return bool(crisis_level(text))
