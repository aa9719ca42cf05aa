"""The fourth round of issue 24: a farewell said to the chat, an everyday goodbye
that promises to come back, and a calm long post's one borderline clause.

Every sentence here was written for these tests; none is from a held-out set or the
corpus.
"""

import json

import pytest

from moderation.screening import detector
from moderation.screening.detector import Detector, assess
from moderation.screening.rules import LEVEL, RETURNING

RULES = Detector()  # the explicit phrases and their guards, no model
WEIGHTS = json.loads(detector.WEIGHTS_PATH.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("don't cry for me, you lot were the best bit of this year", "farewell"),
        ("left an envelope on the shelf, to be opened after", "farewell"),
        ("I'm saying goodbye to all of you properly", "farewell"),
        ("I said my goodbyes to my family this afternoon", "farewell"),
        ("na so life be. bye bye my people", "farewell"),
    ],
)
def test_a_farewell_said_to_the_chat_is_danger(text, kind):
    got = RULES.assess(text)
    assert got.level == LEVEL[kind], got


@pytest.mark.parametrize(
    "text",
    [
        "This is goodbye for now, we fly back to Manila in March",
        "I said my goodbyes to the old house on Sunday, the new one is lovely",
        "I said my goodbyes to him at the hospice and I'm glad I went",
        "grandad wrote us letters to be opened after he's gone, he's 93",
    ],
)
def test_a_goodbye_to_a_place_a_person_or_for_now_is_not_a_farewell(text):
    assert RULES.assess(text).level is None


@pytest.mark.parametrize(
    "text",
    [
        "Bye for now everyone, the bus is here. Chat soon!",
        "off on the ferry tomorrow, I'll be back in January, look after each other",
        "won't be on much this week while the movers are here, see you all soon",
    ],
)
def test_a_goodbye_that_promises_to_come_back_raises_nothing(text):
    assert RETURNING.search(detector.normalise(text))
    assert assess(text).level is None


def test_a_promise_to_come_back_does_not_cancel_an_explicit_phrase_or_abuse():
    assert assess("I'm going to kill myself tonight. See you tomorrow").level == (
        "danger"
    )
    assert assess("he hit me again tonight, talk tomorrow").level == "unsafe"


def test_a_window_alerts_only_where_the_whole_message_is_not_plainly_calm():
    """A window (a sentence with its neighbours) of a message read whole may alert
    only when the whole message's risk reaches `window_floor`."""
    text = (
        "We spent Saturday at the allotment and the beans are finally up. "
        "My sister came round with a lemon cake and we sat out until dark. "
        "He has my passport and my bank card and I am scared to go home tonight. "
        "Anyway the cake was lovely and the dog had a bath."
    )
    model_only = {**WEIGHTS, "window_floor": 0.0}
    assert Detector(model_only, rules=False).assess(text).level == "unsafe"
    shut = Detector({**WEIGHTS, "window_floor": 1.01}, rules=False)
    whole = shut.read(" ".join(detector.sentences(text)))[0] or None
    assert shut.assess(text).level == whole
