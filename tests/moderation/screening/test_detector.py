"""The crisis detector: floors on the labelled corpus, the issue's phrases, guards.

Held-out figures (k-fold, never scored on what the model was trained on) come from
`bench/crisis_net.py`; here the shipped detector is pinned on the whole corpus so
that a change to rules, weights or corpus that loses ground fails.
"""

import csv
import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from moderation.screening import detector
from moderation.screening.detector import (
    CONCERN_KINDS,
    DANGER_KINDS,
    KINDS,
    Assessment,
    assess,
    normalise,
    sentences,
)

CORPUS = Path(__file__).with_name("crisis_corpus.tsv")
ROOT = Path(__file__).resolve().parents[3]


def load_corpus() -> list[tuple[str, str, str]]:
    with open(CORPUS, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(r["label"], r["kind"], r["text"]) for r in reader]


ROWS = load_corpus()

ISSUE_PHRASES = {
    "I don't want to be here anymore": "concern",
    "I can't do this anymore": "concern",
    "No one would miss me if I was gone": "concern",
    "I'm thinking about ending things tonight": "danger",
    "I've been saving up pills": "danger",
    "I want to disappear forever": "concern",
    "I wish I could go to sleep and never wake up": "concern",
}
ISSUE_FALSE_ALARMS = (
    "I've been clean from self-harm for two years and I'm proud of that",
    "we watched a documentary about suicide prevention",
)


def test_corpus_is_large_labelled_and_spread_over_every_kind():
    labels = Counter(label for label, _, _ in ROWS)
    assert labels["danger"] + labels["concern"] >= 220
    assert labels["calm"] >= 220
    assert set(labels) == {"danger", "concern", "calm"}
    kinds = Counter(kind for label, kind, _ in ROWS if label != "calm")
    assert set(kinds) == set(KINDS)
    assert min(kinds.values()) >= 20
    for label, kind, _ in ROWS:
        if label == "danger":
            assert kind in DANGER_KINDS
        elif label == "concern":
            assert kind in CONCERN_KINDS
    texts = [text for _, _, text in ROWS]
    plain = [normalise(text) for text in texts]
    assert len(plain) == len(set(plain)), "a sentence is in the corpus twice"
    for phrase in [*ISSUE_PHRASES, *ISSUE_FALSE_ALARMS]:
        assert phrase in texts or phrase + "." in texts


@pytest.mark.parametrize(("text", "level"), ISSUE_PHRASES.items())
def test_the_issues_phrases_are_caught_at_their_level(text, level):
    got = assess(text)
    assert got.level == level, got
    assert got.kind in (DANGER_KINDS if level == "danger" else CONCERN_KINDS)


@pytest.mark.parametrize("text", ISSUE_FALSE_ALARMS)
def test_the_issues_false_alarms_stay_quiet(text):
    assert assess(text).level is None


def test_floors_on_the_whole_corpus():
    results = [(label, kind, assess(text)) for label, kind, text in ROWS]
    risk = [got for label, _, got in results if label != "calm"]
    danger = [got for label, _, got in results if label == "danger"]
    concern = [got for label, _, got in results if label == "concern"]
    calm = [got for label, _, got in results if label == "calm"]

    def share(items, test):
        return sum(map(test, items)) / len(items)

    assert share(risk, lambda g: g.level is not None) >= 0.99
    assert share(danger, lambda g: g.level is not None) >= 0.99
    assert share(danger, lambda g: g.level == "danger") >= 0.98
    assert share(concern, lambda g: g.level is not None) >= 0.99
    assert share(concern, lambda g: g.level == "concern") >= 0.97
    assert share(calm, lambda g: g.level is not None) <= 0.01
    for kind in KINDS:
        gots = [got for _, k, got in results if k == kind]
        assert share(gots, lambda g: g.level is not None) >= 0.97, kind


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("kms", "danger"),
        ("thinking about sewerslide tbh", "danger"),
        ("i wanna unalive myself", "danger"),
        ("gonna ctb tonight", "danger"),
        ("i want to k1ll myself", "danger"),
        ("I WANT TO DIEEEEE", "danger"),
        ("i have the pills ready", "danger"),
        ("this is goodbye", "danger"),
        ("tonight’s the night", "danger"),
        ("i cut myself last night", "concern"),
        ("not wanting to wake up", "concern"),
        ("everyone would be better off without me", "concern"),
        ("im a burden", "concern"),
    ],
)
def test_slang_and_spellings(text, level):
    assert assess(text).level == level


@pytest.mark.parametrize(
    "text",
    [
        "this commute is killing me",
        "I'd die for a coffee",
        "killing it at work today",
        "two years clean from self-harm and proud",
        "my brother died by suicide last year",
        "I used to cut when I was 15",
        "how do I support a friend who is suicidal",
        "I'm not suicidal, just tired",
        "I can't do this homework anymore lol",
        "",
        "   ",
        "hello!",
    ],
)
def test_calm_speech_stays_quiet(text):
    assert assess(text) == Assessment(level=None, score=assess(text).score)


def test_a_message_with_risk_inside_other_sentences_is_caught():
    text = (
        "Hi all. Work was fine, the kids are good and the weather is nice. "
        "But honestly I've been saving my meds and I think I have enough now. "
        "Anyway, how was your week?"
    )
    assert assess(text).level == "danger"


def test_a_long_post_is_read_to_the_end_and_work_is_bounded():
    calm = [text for label, _, text in ROWS if label == "calm"]
    body = ". ".join(calm * 3)[:19_900]
    assert len(body) > 19_000
    assert assess(body).level is None
    assert assess(body + ". i am going to kill myself tonight").level == "danger"
    plain = "We walked along the river and talked about the garden. " * 400
    assert assess(plain[:20_000] + " i want to die").level == "danger"


def test_a_run_on_message_without_full_stops_is_read_in_pieces():
    chat = "so today was long and " * 20 + "i have the pills ready " + "and stuff " * 40
    assert len(chat) > 800
    assert assess(chat).level == "danger"
    post = ("we went to the shops and then " * 700)[:20_000]
    assert assess(post).level is None
    assert assess(post + " and im going to kill myself").level == "danger"
    assert all(len(part) <= detector.SENTENCE_CHARS for part in sentences(post))


def test_every_sentence_a_rule_catches_passes_the_long_post_cue_filter():
    """Long posts are read only where a cue word appears: no rule may need another."""
    for _, _, text in ROWS:
        for part in sentences(text):
            if detector.rule_match(part)[0]:
                assert detector._CUES.search(part), part


def test_normalise():
    assert normalise("I’m SOOOOO done!!") == "im so done"
    assert normalise("goodbyeeeee") == "goodbye"
    assert normalise("k1ll mys3lf") == "kill myself"
    assert normalise("don't  -  won't") == "dont wont"


def test_guards():
    assert detector.rule_match("i want to die") == ("intent", False)
    assert detector.rule_match("i would never kill myself") == ("", True)
    assert detector.rule_match("i used to want to die") == ("", True)
    assert detector.rule_match("she wants to kill herself") == ("", False)
    assert detector.rule_match("they want to die") == ("", True)


def test_weights_are_plain_json_and_the_detector_needs_no_django():
    with open(detector.WEIGHTS_PATH, encoding="utf-8") as f:
        weights = json.load(f)
    assert set(weights) == {"threshold", "risk", "kinds"}
    assert weights["kinds"]["classes"] == sorted(KINDS, key=KINDS.index)
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('d', {str(detector.__file__)!r})\n"
        "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
        "assert m.assess('i want to die').level == 'danger'\n"
        "assert not [n for n in sys.modules if n.split('.')[0] in ('django', 'numpy', 'sklearn')]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_assess_runs_on_every_corpus_message():
    """Timings are measured by bench/crisis_net.py, never asserted here."""
    for _, _, text in ROWS:
        got = assess(text)
        assert got.level in (None, "concern", "danger")
        assert 0.0 <= got.score <= 1.0


def test_shipped_weights_match_the_corpus():
    """Retrain from the corpus: the shipped detector must decide every sentence the
    same way (fails when the corpus changed and bench/crisis_train.py was not run)."""
    pytest.importorskip("sklearn")
    spec = importlib.util.spec_from_file_location(
        "crisis_train", ROOT / "bench" / "crisis_train.py"
    )
    crisis_train = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(crisis_train)
    fresh = detector.Detector(crisis_train.train(ROWS))
    for _, _, text in ROWS:
        assert fresh.assess(text).level == assess(text).level, text
