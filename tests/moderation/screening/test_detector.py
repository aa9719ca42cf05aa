"""The crisis detector: floors on the labelled corpus, a kindness list that raises
nothing, the issues' phrases, guards and their scope.

5-fold figures (never scored on what the model was trained on) come from
`bench/crisis_net.py`; here the shipped detector is pinned on the whole corpus, and a
model trained on four fifths of it is pinned on the fifth it never saw, so that a
change to rules, weights or corpus that loses ground fails.
"""

import hashlib
import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from moderation.screening import detector
from moderation.screening.crisis import crisis_level
from moderation.screening.detector import (
    KINDS,
    LEVEL,
    LEVEL_KINDS,
    assess,
    normalise,
    sentences,
)

HERE = Path(__file__).parent
ROOT = Path(__file__).resolve().parents[3]


def _bench(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return module


corpus = _bench("crisis_corpus")
RECORDS = corpus.load()
ROWS = [(r["label"], r["kind"], r["text"]) for r in RECORDS]
KINDNESS = [
    json.loads(line)
    for line in (HERE / "kindness.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]

ISSUE_PHRASES = {
    "I don't want to be here anymore": "concern",
    "I can't do this anymore": "concern",
    "No one would miss me if I was gone": "concern",
    "I'm thinking about ending things tonight": "danger",
    "I've been saving up pills": "danger",
    "I want to disappear forever": "concern",
    "I wish I could go to sleep and never wake up": "concern",
    # issue 24
    "saving up my amitriptyline": "danger",
    "took the lot at 3am": "danger",
    "a year clean and tonight I don't care anymore": "concern",
    "haven't eaten since Tuesday and what's the point": "concern",
    "he hit me again tonight and I'm hiding in the bathroom": "unsafe",
    "I'm not safe at home, he took my phone": "unsafe",
}
ISSUE_FALSE_ALARMS = (
    "I've been clean from self-harm for two years and I'm proud of that",
    "we watched a documentary about suicide prevention",
    # issue 24
    "Welcome Maya, reading is more than enough. Glad you found us.",
    "Ha, it really is. Small steps.",
    "It helped more than you know.",
    "Do you want to tell me what tonight has been like?",
    "cutting back on sugar",
    "overdosed on chocolate lol",
    "full stop",
    "ok",
    "last shift at the cafe today, bye all",
)


def test_corpus_is_large_labelled_from_many_writers_and_spread_over_every_kind():
    labels = Counter(label for label, _, _ in ROWS)
    assert set(labels) == {"danger", "unsafe", "concern", "calm"}
    assert len(ROWS) >= 5000
    assert labels["calm"] >= 0.4 * len(ROWS)
    kinds = Counter(kind for label, kind, _ in ROWS if label != "calm")
    assert set(kinds) == set(KINDS)
    assert min(kinds.values()) >= 20
    for label, kind, _ in ROWS:
        assert label == "calm" or kind in LEVEL_KINDS[label]
    sources = Counter(r["source"] for r in RECORDS)
    assert len([s for s in sources if s.startswith("c")]) >= 3, sources
    plain = [normalise(text) for _, _, text in ROWS]
    assert len(plain) == len(set(plain)), "a message is in the corpus twice"
    assert not {normalise(k["text"]) for k in KINDNESS} & set(plain)


def test_the_corpus_file_round_trips_newlines_and_tabs(tmp_path):
    rows = [
        {"label": "calm", "kind": "ordinary", "source": "x", "text": "a\nb\tc \\n d"}
    ]
    corpus.save(rows, tmp_path / "c.tsv")
    assert corpus.load(tmp_path / "c.tsv") == rows


@pytest.mark.parametrize(("text", "level"), ISSUE_PHRASES.items())
def test_the_issues_phrases_are_caught_at_their_level(text, level):
    got = assess(text)
    assert got.level == level, got
    assert LEVEL[got.kind] == level


@pytest.mark.parametrize("text", ISSUE_FALSE_ALARMS)
def test_the_issues_false_alarms_stay_quiet(text):
    assert assess(text).level is None


def test_a_kindness_list_written_by_a_corpus_writer_raises_nothing():
    """Welcomes, thanks, small talk and a moderator's questions, never trained on."""
    assert len(KINDNESS) >= 60
    assert {k["kind"] for k in KINDNESS} <= {
        "kindness",
        "ordinary",
        "moderator_question",
    }
    raised = [k["text"] for k in KINDNESS if assess(k["text"]).level]
    assert raised == []


def share(items, test):
    return sum(map(test, items)) / len(items)


def test_floors_on_the_whole_corpus():
    results = [(label, kind, assess(text)) for label, kind, text in ROWS]
    risk = [got for label, _, got in results if label != "calm"]
    calm = [got for label, _, got in results if label == "calm"]
    assert share(risk, lambda g: g.level is not None) >= 0.97
    for level in LEVEL_KINDS:
        gots = [got for label, _, got in results if label == level]
        assert share(gots, lambda g, lv=level: g.level == lv) >= 0.90, level
    assert share(calm, lambda g: g.level is not None) <= 0.03
    for kind in KINDS:
        gots = [got for _, k, got in results if k == kind]
        assert share(gots, lambda g: g.level is not None) >= 0.85, kind


def test_floors_on_a_fifth_of_the_corpus_never_trained_on():
    """Fold 0 of `crisis_net.py`'s 5-fold split, as messages and as posts composed
    from them, the model trained as the shipped one is (the other folds and the
    spent held-out sets); the floors sit a little under what that fold measured."""
    pytest.importorskip("sklearn")
    net = _bench("crisis_net")
    held = set(net.folds(ROWS, 5, 13)[0])
    spent = [r[:3] for r in net.load_sourced() if r[3] in net.SPENT]
    fresh = detector.Detector(
        net.train([r for i, r in enumerate(ROWS) if i not in held] + spent)
    )
    figures = net.score(
        [(lb, kd, fresh.assess(t)) for i, (lb, kd, t) in enumerate(ROWS) if i in held]
    )
    hits = lambda pair: pair[0] / pair[1]  # noqa: E731
    assert hits(figures["recall"]) >= FLOORS["recall"]
    assert hits(figures["level"]["danger"][1:]) >= FLOORS["danger_as_danger"]
    assert hits(figures["level"]["unsafe"][1:]) >= FLOORS["unsafe_as_unsafe"]
    assert hits(figures["false"]) <= FLOORS["false_alarms"]
    # The same messages as one clause of a longer post: each set among two to four
    # everyday calm messages of the fold (`crisis_net.compose`).
    posts = net.compose(ROWS, net.folds(ROWS, 5, 13)[0], 100)
    figures = net.score([(lb, kd, fresh.assess(t)) for lb, kd, t in posts])
    assert hits(figures["recall"]) >= POST_FLOORS["recall"]
    assert hits(figures["level"]["unsafe"][1:]) >= POST_FLOORS["unsafe_as_unsafe"]
    assert hits(figures["level"]["concern"][::2]) >= POST_FLOORS["concern_any"]
    assert hits(figures["false"]) <= POST_FLOORS["false_alarms"]


FLOORS = {  # fold 0 of the ninth pass's corpus (13,074 messages: c18-c21 and c24-c26
    # merged since the seventh) measured 92.3%, 90.3%, 91.6%, 5.9% (eighth: 92.6%,
    # 91.7%, 90.9%, 5.7%); the seventh pass's (10,446 messages: c10-c17 merged,
    # ten new writers since the fourth pass, so another fold 0 than before) measured
    # 91.0%, 88.6%, 87.5%, 5.3% (sixth pass, its own fold 0: 92.5%, 91.5%, 88.2%,
    # 5.4%; fifth: 91.2%, 90.7%, 85.2%, 6.1%; fourth: 90.7%, 87.6%, 85.6%, 3.7%). The
    # false-alarm ceiling is 6% (5% before the new writers' long calm posts joined the
    # corpus; bench/README.md, fifth to seventh passes).
    "recall": 0.89,
    "danger_as_danger": 0.87,
    "unsafe_as_unsafe": 0.85,
    "false_alarms": 0.06,
}
POST_FLOORS = {  # fold 0 of the ninth pass's corpus measured 66.2%, unsafe 63.1%
    # (69.4% at any level), concern 59.0%, false alarms 4.6% (eighth: 67.2 / 65.1 /
    # - / 5.2). Since the eighth pass a post too long to be read whole is read for its
    # gist, and where the gist is calm only a window the model is sure of alerts: on
    # the post sets other writers wrote, false alarms fell (c18 13.8 -> 7.9%, c10 10.5
    # -> 6.4%, N 10.0 -> 8.0%) at the same recall but on c18 (-2.4); here, where a
    # risk message sits among strangers' calm messages, concern raised at any level
    # fell 66.3 -> 59.0% and the concern floor moved from 61% to 57%, said here and in
    # bench/README.md ("Issue 24, eighth pass" and "ninth pass").
    # The seventh pass's corpus measured 66.2%, unsafe 62.7%
    # (71.8% raised at any level), concern 62.7%, false alarms 6.7% (sixth pass: 67.7
    # / 57.4 / 66.5 / 6.1; fifth: 69.3 / 62.4 / 68.0 / 6.0; fourth: 71.9 / 67.9 /
    # 68.6 / 5.6). Composed posts set a risk message among strangers' calm messages,
    # and windows are held to 0.85 with a floor from the whole (fourth pass); each
    # pass that added long calm posts about hard things told as past has cost this
    # row, which bench/README.md names as the next thing to fix rather than hide
    # behind a floor: these sit just under what the fold measured.
    "recall": 0.65,
    "unsafe_as_unsafe": 0.60,
    "concern_any": 0.57,
    "false_alarms": 0.07,
}


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
        ("she's locked me in again", "unsafe"),
        ("he says he'll kill me if i leave", "unsafe"),
    ],
)
def test_slang_and_spellings(text, level):
    assert assess(text).level == level


def test_crisis_level_answers_unsafe_for_abuse_happening_now():
    assert (
        crisis_level("my stepdad is hitting me right now and i cant get out")
        == "unsafe"
    )
    assert crisis_level("he used to hit me, that was years ago and im safe now") == ""
    assert crisis_level("i want to kill myself") == "danger"
    assert crisis_level("") == ""


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
    assert assess(text).level is None


def test_guards_read_the_sentence_of_the_phrase_only():
    assert detector.rule_match("i want to die") == ("intent", False)
    assert detector.rule_match("i would never kill myself") == ("", True)
    assert detector.rule_match("i used to want to die") == ("", True)
    assert detector.rule_match("they want to die") == ("", True)
    assert detector.rule_match(normalise('she said "i want to die" in the film')) == (
        "",
        False,
    )
    # a past attempt in one sentence discounts nothing in the next
    text = "I tried to kill myself in 2019. Tonight I want to die."
    assert assess(text).level == "danger"


def test_tokens_are_kept_whole():
    assert normalise("sh-ing again") == "shing again"
    assert normalise("no one'd care") == "no oned care"
    assert normalise("she's here") == "shes here"
    assert normalise("self-harm") == "self harm"


def test_a_fragment_raises_nothing_on_the_models_word_alone():
    for text in ("full stop", "ok", "tonight", "small steps", "the end"):
        assert assess(text).level is None, text


def test_a_message_with_risk_inside_other_sentences_is_caught():
    text = (
        "Hi all. Work was fine, the kids are good and the weather is nice. "
        "But honestly I've been saving my meds and I think I have enough now. "
        "Anyway, how was your week?"
    )
    assert assess(text).level == "danger"


def test_a_long_post_is_read_to_the_end_and_work_is_bounded():
    calm = [text.replace("\n", " ") for label, _, text in ROWS if label == "calm"]
    quiet = [t for t in calm if not assess(t).level][:400]
    body = ". ".join(quiet * 10)[:19_900]
    assert len(body) > 19_000
    assert assess(body + ". i am going to kill myself tonight").level == "danger"
    plain = "We walked along the river and talked about the garden. " * 400
    assert assess(plain[:20_000]).level is None
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


def test_weights_are_plain_json_and_the_detector_needs_no_django():
    with open(detector.WEIGHTS_PATH, encoding="utf-8") as f:
        weights = json.load(f)
    assert {"threshold", "levels", "kinds", "corpus_sha256"} <= set(weights)
    assert weights["levels"]["classes"] == ["calm", "danger", "unsafe", "concern"]
    assert set(weights["kinds"]["classes"]) == set(KINDS)
    code = (
        "import importlib.util, sys, time\n"
        "start = time.perf_counter()\n"
        f"spec = importlib.util.spec_from_file_location('d', {str(detector.__file__)!r})\n"
        "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
        "assert m.assess('i want to die').level == 'danger'\n"
        "assert not [n for n in sys.modules if n.split('.')[0] in ('django', 'numpy', 'sklearn', 'scipy')]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_assess_runs_on_every_corpus_message():
    """Timings are measured by bench/crisis_net.py, never asserted here."""
    for _, _, text in ROWS:
        got = assess(text)
        assert got.level in (None, "concern", "unsafe", "danger")
        assert (got.level is None) == (got.kind == "")
        assert got.level is None or LEVEL[got.kind] == got.level
        assert 0.0 <= got.score <= 1.0


def test_shipped_weights_were_trained_on_this_corpus():
    """Fails when the corpus changed and bench/crisis_train.py was not run."""
    weights = json.loads(detector.WEIGHTS_PATH.read_text(encoding="utf-8"))
    digest = hashlib.sha256(corpus.CORPUS.read_bytes()).hexdigest()
    assert weights["corpus_sha256"] == digest


def test_shipped_weights_learn_from_spent_held_out_sets_only():
    """The model is trained on the held-out sets already run once and reported
    (their hashes are recorded in the weights), never on a set still held out."""
    weights = json.loads(detector.WEIGHTS_PATH.read_text(encoding="utf-8"))
    spent = weights["spent_sha256"]
    assert set(spent) == {
        "heldout_a",
        "heldout_b",
        "heldout_c",
        "heldout_d",
        "heldout_e",
        "heldout_f",
        "heldout_g",
        "heldout_h",
        "heldout_i",
        "heldout_j",
        "heldout_k",
        "heldout_l",
        "heldout_m",
        "heldout_n",
        "heldout_o",
        "heldout_p",
    }
    heldout = ROOT / "bench" / "heldout"
    for name, digest in spent.items():
        assert (
            hashlib.sha256((heldout / f"{name}.jsonl").read_bytes()).hexdigest()
            == digest
        )
