"""The crisis net: does a text suggest its author may be in danger, and how much?

The measured detector (`detector.py`: phrase rules with negation, past-tense and
recovery guards, and a small linear model over word, character and concept
n-grams, shipped as plain weights) answers; `bench/crisis_net.py` reports its recall
and false alarms on held-out sentences.
"""

from .detector import assess


def crisis_level(text: str) -> str:
    """ "danger", "concern" or "" for calm text."""
    return assess(text or "").level or ""


def suggests_self_harm(text: str) -> bool:
    return bool(crisis_level(text))
