"""A chat line read after its writer's previous lines (eighth pass of issue 24): a
thought split over several lines is heard once it is said; an "ok" or a "thanks"
after a risk line raises nothing new; a calm "hello" costs no read of the past.

A scripted detector stands in for the model, so that these pin the reading, not
the weights; `bench/crisis_conversations.py` measures it on whole conversations.
"""

import pytest

from moderation.screening import crisis, detector

from .scripted_detector import Scripted

BEFORE = ["my finger is on the button"]


def test_a_line_calm_alone_is_heard_after_its_writers_lines():
    any_new_risk = Scripted(context_mode="any", context_floor=0.2)
    assert any_new_risk.assess("ok pressing").level is None
    got = any_new_risk.assess_in_context("ok pressing", BEFORE)
    assert (got.level, got.kind) == ("danger", "intent")


def test_an_ok_or_a_thanks_after_a_risk_line_raises_nothing_new():
    """With a floor, a line with no risk of its own is not read with the past; in
    the "new" mode, a line adds an alert only where it is graver than the lines
    before it alone."""
    floored = Scripted(context_mode="any", context_floor=0.2)
    assert floored.assess_in_context("thanks, button", []).level == "concern"
    assert floored.assess_in_context("ok thanks", BEFORE).level is None
    new = Scripted(context_mode="new")
    assert new.assess_in_context("it is heavy", BEFORE).level is None  # concern again
    assert new.assess_in_context("ok pressing", BEFORE).level == "danger"  # graver


def test_only_the_writers_last_lines_are_read():
    one = Scripted(context_mode="any", context_lines=1)
    lines = ["my finger is on the button", "the weather is grey"]
    assert one.assess_in_context("ok pressing", lines).level is None
    assert Scripted(context_mode="any").assess_in_context(
        "ok pressing", lines
    ).level == ("danger")
    none = Scripted(context_mode="any", context_lines=0)
    assert none.assess_in_context("ok pressing", BEFORE).level is None


def test_a_post_length_line_is_read_alone():
    long = "ok pressing " + "and the rain keeps on falling outside " * 6
    assert len(long) > detector.WINDOW_MIN_CHARS
    got = Scripted(context_mode="any").assess_in_context(long, BEFORE)
    assert got.level is None


@pytest.fixture
def scripted(monkeypatch):
    net = Scripted(context_mode="any", context_floor=0.2)
    monkeypatch.setattr(detector, "_DEFAULT", net)
    return net


def test_the_past_is_fetched_only_when_it_might_change_the_reading(scripted):
    asked = []

    def earlier():
        asked.append(1)
        return BEFORE

    assert crisis.crisis_level("hello there", earlier=earlier) == ""
    assert crisis.crisis_level("the button", earlier=earlier) == "concern"
    assert asked == []  # calm with no risk in it, or alerting alone: not fetched
    assert crisis.crisis_level("ok pressing", earlier=earlier) == "danger"
    assert asked == [1]
    assert crisis.crisis_level("ok pressing") == ""  # a post: no past read
