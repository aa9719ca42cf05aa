"""The crisis detector in longer posts: risk told as one clause of a story, concern
in plain words, each sentence read with its neighbours beside the whole message, and
the explicit phrases bounded on long posts as the model is.

The floors on posts composed from a fold never trained on are pinned beside the
message floors in `test_detector.py`; the kindness list must stay quiet whatever is
read in windows.
"""

import pytest

from moderation.screening import detector, rules
from moderation.screening.detector import assess

from .test_detector import KINDNESS, ROWS


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mum pulled my hair so hard a chunk came out this morning", "abuse_now"),
        ("he grabbed me by the throat when I asked for the car keys", "abuse_now"),
        ("my partner pinned me against the wall and screamed", "abuse_now"),
        ("he took my bank card again, I have to ask for bus fare", "locked_in"),
        ("she checks my phone every night before bed", "locked_in"),
        ("I'm not allowed out of the house except for school", "locked_in"),
        ("I'm not coping. Haven't slept properly in weeks", "struggling"),
        ("I've got no fight left", "hopelessness"),
        ("my situation is never going to change", "hopelessness"),
        ("I take and take and give nothing back", "burden"),
        ("honestly they'd all be better off", "burden"),
        ("some mornings I wake up disappointed", "passive_wish"),
    ],
)
def test_story_and_plain_word_phrases_are_caught_at_their_level(text, kind):
    got = assess(text)
    assert got.level == rules.LEVEL[kind], got


@pytest.mark.parametrize(
    "text",
    [
        "when I first came here in 2012 the family kept my passport",
        "I keep checking my phone for her reply",
        "I'm not ok with pineapple on pizza",
        "my brother keeps saying everyone would be better off without him",
        "I'm not coping with this heat lol, 34 degrees",
    ],
)
def test_their_look_alikes_stay_quiet(text):
    assert assess(text).level is None


def test_someone_elses_harm_or_an_accident_does_not_stop_the_model_reading():
    """A self-harm phrase discounted because someone else did it ("shes hit me
    again") is abuse for the model to read, not a guarded sentence; a haircut or the
    oven drops a self-harm alert, never an abuse one."""
    assert detector.rule_match("shes hit me again tonight")[1] is False
    text = (
        "my husband grabbed me by the hair and dragged me out the kitchen tonight "
        "because dinner was late, he's asleep now, I'm in the spare room"
    )
    assert assess(text).level == "unsafe"
    assert assess("burned my hand on the oven tray again").level is None


def test_risk_told_as_one_clause_of_a_long_story_is_caught():
    story = (
        "Work was long and the bus was late again, so I got in after eight. "
        "The kids had their tea at my mum's and we watched a film together. "
        "He took my keys again tonight and says I'm not going anywhere. "
        "Anyway the garden is coming on, the tomatoes are nearly red. "
        "Hope everyone here had a better week than me."
    )
    assert assess(story).level == "unsafe"
    concern = (
        "Had the annual review at work today and it went fine, I suppose. "
        "Cooked a curry for my sister and she stayed for a cup of tea after. "
        "Honestly everyone would cope perfectly well if I just wasn't around. "
        "Anyway, the dog needs a walk so I'd better go."
    )
    assert assess(concern).level is not None


def test_a_calm_story_with_a_borderline_clause_stays_quiet():
    for text in (
        "Therapy was good today. We talked about the time I tried to end my life "
        "back in 2015 and how far I've come since. Then I made soup.",
        "Long day at the hospital with Dad. He's on new tablets for his heart. "
        "The nurses were lovely and I brought him the crossword. Home now, tired.",
    ):
        assert assess(text).level is None, text


def test_the_kindness_list_stays_quiet_when_read_in_windows():
    """Two kindness lines at a time are read as one message of two sentences."""
    texts = [k["text"] for k in KINDNESS]
    pairs = [f"{a} {b}" for a, b in zip(texts, texts[1:], strict=False)]
    assert [t for t in pairs if assess(t).level] == []


def test_the_phrases_of_a_long_post_are_read_within_the_models_bound(monkeypatch):
    """A 20,000-character post crowded with cue words: the explicit phrases are read
    in the sentences the model reads around (about LONG_CHARS), not in every one."""
    calm = [t.replace("\n", " ") for lb, _, t in ROWS if lb == "calm"]
    post = ". ".join(calm * 3)[:19_950] + ". i am going to kill myself tonight"
    read = []
    real = detector.rule_match
    monkeypatch.setattr(
        detector, "rule_match", lambda part: read.append(part) or real(part)
    )
    assert assess(post).level == "danger"
    assert sum(map(len, read)) <= detector.LONG_CHARS
    assert len(read) < len(detector.sentences(post)) / 5


def _weights(calm: float, danger: float, concern: float, **options) -> dict:
    """Weights whose levels model gives every text these probabilities (as
    logits: no feature carries a weight), with the kinds model naming each level's
    first kind."""
    import math  # noqa: PLC0415

    probs = [calm, danger, 1.0 - calm - danger - concern, concern]
    kinds = list(rules.KINDS)
    return {
        "threshold": 0.6,
        "window_thresholds": {},
        "levels": {
            "classes": ["calm", "danger", "unsafe", "concern"],
            "b": [math.log(max(p, 1e-9)) for p in probs],
            "w": {},
        },
        "kinds": {"classes": kinds, "b": [0.0] * len(kinds), "w": {}},
        **options,
    }


def test_chat_length_messages_alert_at_their_own_threshold():
    """A message of up to WINDOW_MIN_CHARS is read at `short_threshold` (fifth
    pass: 0.55), a longer one at the threshold."""
    fifty_seven = _weights(0.43, 0.0, 0.57, short_threshold=0.55)
    short = "honestly not sure I can keep going tonight"
    long = short + ". " + "the bus was late again and the rain did not stop " * 4
    assert len(short) <= detector.WINDOW_MIN_CHARS < len(long)
    assert detector.Detector(fifty_seven).assess(short).level == "concern"
    assert detector.Detector(fifty_seven).assess(long).level is None
    assert detector.Detector(_weights(0.43, 0.0, 0.57)).assess(short).level is None


def test_danger_is_named_where_it_is_weighed_above_concern():
    """`level_weights` (fifth pass: danger 1.5) names danger where the model finds
    it at least two thirds as likely as concern; it never raises a calm message."""
    text = "honestly not sure I can keep going tonight"
    close = _weights(0.3, 0.3, 0.4)
    assert detector.Detector(close).assess(text).level == "concern"
    weighed = dict(close, level_weights={"danger": 1.5})
    assert detector.Detector(weighed).assess(text).level == "danger"
    calm = _weights(0.7, 0.12, 0.18, level_weights={"danger": 1.5})
    assert detector.Detector(calm).assess(text).level is None


def test_weighing_never_overrules_an_explicit_phrases_level():
    """Where a phrase named the level ("i take and take": burden, concern), the
    weighing does not turn the model's reading graver; only the model's own,
    unweighed reading can (and only when sure: GRAVER)."""
    text = "I take and take and give nothing back"
    leaning = _weights(0.1, 0.36, 0.44, level_weights={"danger": 1.5})
    assert detector.Detector(leaning).assess(text).level == "concern"
    graver = _weights(0.1, 0.5, 0.3, level_weights={"danger": 1.5})
    assert detector.Detector(graver).assess(text).level == "danger"
