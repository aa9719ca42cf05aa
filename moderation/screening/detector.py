"""The crisis detector: does this text suggest its author may be in danger?

Pure Python, no Django. Explicit phrase rules are the floor, with guards for negation
("im not suicidal"), the past and recovery ("two years clean"), accidents, other people
and talk about the topic; a logistic regression over word, character and concept
n-grams (trained on `tests/moderation/screening/crisis_corpus.tsv` by
`bench/crisis_train.py`, shipped as plain weights in `detector_weights.json`) adds
phrasings no rule names. The rules and guards live in `rules.py`, the words as they are
read (normalised, cut into sentences, made features) in `text.py`. Figures:
`bench/crisis_net.py` and `bench/README.md`.
"""

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

# Absolute, so that this file also loads on its own (a test loads it by path).
from moderation.screening.rules import (  # noqa: F401 (kinds and rules re-exported)
    _ACCIDENT,
    _COMBINED,
    _DATED,
    _INTENT,
    CONCERN_KINDS,
    DANGER_KINDS,
    GRAVITY,
    KINDS,
    LEVEL,
    LEVEL_KINDS,
    LEVELS,
    RETURNING,
    RULES,
    THEIR_WORDS,
    UNSAFE_KINDS,
    rule_match,
)
from moderation.screening.text import (  # noqa: F401 (re-exported for the bench)
    MAX_SENTENCES,
    SENTENCE_CHARS,
    features,
    normalise,
    sentences,
)

WEIGHTS_PATH = Path(__file__).with_name("detector_weights.json")

# Work is capped so that a 20,000-character post costs a few milliseconds. A short
# text is read whole and sentence by sentence; a long one only by its sentences with
# a cue word, those nearest its start and end, LONG_CHARS in all (~3 ms CPU a 1,000).
WHOLE_TEXT_CHARS = 400
LONG_CHARS = 1800
# A message longer than this is also read as each sentence with its neighbours (a
# shorter one whole only: on the corpus, windows in short messages added false
# alarms, "He hit me regularly. I left in 1998", and no recall).
WINDOW_MIN_CHARS = 200


@dataclass(frozen=True)
class Assessment:
    level: str | None  # None for calm text, else "concern", "unsafe" or "danger"
    kind: str = ""  # which kind matched, "" when calm
    score: float = 0.0  # the model's probability of risk for the riskiest part
    rule: bool = False  # an explicit phrase matched


# Cue words: a long post is read only where a word starts with one of these (a test
# checks that every sentence a rule catches has one). Compiled as a trie so that the
# engine tries one branch per word instead of every cue (20x faster on long posts).
_CUE_WORDS = (
    "di dea kil km ky ctb unaliv suic sewer end life liv aliv gone goodby bye pill tablet med overdos od rope noose gun "
    "blade razor knife cut burn hurt harm sh bleed blood wake woke sleep disappear vanish exist here miss burden better off "
    "without_me point hope anymore any_more give_up cant tonight tonite tomorrow note plan bridge jump hang last forever "
    "off time how spot walk_into walking_into do_it doing_it dose step high figur worked method pick day today monday "
    "tuesday wednesday thursday friday saturday sunday birthday drive accident hoard stash sav stockpil collect prescri "
    "everything charcoal antidep paracet enough kept keep weekend decided hour over date post one_more sorry remember "
    "fault other_side peace thank tell hit bleach swallow born hoping mind way nothing reason escape future ok late "
    "longer change ruin waste worse too_much matter hate less dragging pain nobody no_one need funeral relieved "
    "worthless scratch relaps letter final blame left made_up act_on only trapped drown dying tired urge exact forget through know sad leav "
    "hit punch slap kick chok strang beat shov push grab bruis scared afraid terrif frighten unsafe lock key door phone "
    "hid secret follow watch track stalk outside threat itch crav attempt took swallow lot abus befor place fall drain weight yell scream shout hospital make_it pharmac chemist alread purpose bandag safe let_me fade wish  lined "
    "pull yank drag pinn pins held flung squeez grip passport document paper bank card wage pension benefit allow "
    "read goes_through went_through monitor problem cost too_much take_and fight strength stuck broken disappoint threw stair "
    "happier location hose stupid strip gets_back "
    "death sound happens ready cancer cop struggl crying low everyones_pro alright reply"
).split()
# More words that a short message at risk may carry with none of the cues above: the
# model reads a message of up to GATED_WORDS words only when it has one of either.
_MODEL_CUE_WORDS = (
    _CUE_WORDS
    + (
        "edge platform garage running engine circled check sorted coast top flat lighter fade normal happy forward cost "
        "project streak thought coping crazy night hair wage wardrobe threw said pay coming allowed house back window "
        "wreck alright rifle insulin taken bus train car quarry cliff sea river water sleep rest worth stuck alone lonely "
        "empty numb broken heavy dark bad sick fight cry scream angry drunk"
    ).split()
)


def _trie(words: list[str]) -> str:
    """A regex matching any of `words` as a prefix, one branch per letter."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict) -> str:
        if "" in node:  # a whole cue: the longer ones add nothing
            return ""
        alts = [re.escape(c) + render(child) for c, child in sorted(node.items())]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return render(tree)


_CUES = re.compile(r"\b" + _trie([cue.replace("_", " ") for cue in _CUE_WORDS]))
_MODEL_CUES = re.compile(
    r"\b" + _trie([cue.replace("_", " ") for cue in _MODEL_CUE_WORDS])
)


# A short message without a cue word is not left to the model's word alone ("I want
# to skill myself up in cooking").
GATED_WORDS = 12
# A unit of fewer words is a fragment: only an explicit phrase raises it.
FRAGMENT_WORDS = 4
# Where an explicit phrase named a level, the model makes it graver only when this
# sure ("a year clean and tonight i dont care anymore" stays concern).
GRAVER = 0.8


@dataclass(frozen=True)
class Linear:
    """A softmax over classes from sparse weights: {feature: [[class, weight], ...]}."""

    classes: list
    b: list
    w: dict

    def probs(self, feats: set[str]) -> list[float]:
        logits = list(self.b)
        norm = 1.0 / math.sqrt(len(feats) or 1)
        rows = self.w
        for row in filter(None, map(rows.get, feats)):  # C speed: unknown -> None
            for i, weight in row:
                logits[i] += weight * norm
        top = max(logits)
        exps = [math.exp(x - top) for x in logits]
        total = sum(exps)
        return [e / total for e in exps]


class Detector:
    """Explicit phrases, and when `weights` are given, the model. `rules=False` keeps
    only the model, `model=False` only the rules (for measuring)."""

    def __init__(
        self, weights: dict | None = None, *, rules: bool = True, model: bool = True
    ):
        weights = weights or {}
        self.rules = rules
        self.levels = Linear(**weights["levels"]) if model and weights else None
        self.kinds = Linear(**weights["kinds"]) if model and weights else None
        self.threshold = weights.get("threshold", 0.5)
        self.context_chars = weights.get("context_chars", WHOLE_TEXT_CHARS)
        # "argmax": alert only where a risk level outscores calm (for margins that
        # are not probabilities, as a linear SVM's)
        self.argmax = weights.get("decide") == "argmax"
        self.chars = weights.get("chars", True)
        # A window (a sentence with its neighbours) read beside the whole message
        # alerts only at its level's own threshold: {} reads windows only in a
        # message too long to read whole.
        self.window_thresholds = weights.get("window_thresholds", {})
        # ... and only when the whole message, where it was read whole, is not
        # plainly calm (a calm long post's one borderline clause: "my husband says
        # im not allowed any more plants").
        self.window_floor = weights.get("window_floor", 0.0)
        # A post too long to be read whole (over `context_chars`) but no longer than
        # this is still read whole for the floor alone: its gist, so that one dark
        # clause of a calm long post ("I tried to end it in 2019") is read beside
        # the rest of it.
        self.floor_chars = weights.get("floor_chars", 0)
        self.gist_floor = weights.get("gist_floor", self.window_floor)
        # ... and where that gist is this calm, an explicit phrase in it raises
        # nothing either (a long post's "I believed I was a burden", told as the
        # past a sentence before); 0: phrases always raise.
        self.rule_gist = weights.get("rule_gist", 0.0)
        # A window of a message whose whole (or gist) is under the floor still
        # alerts when the model is this sure of it (over 1: never).
        self.gist_window = weights.get("gist_window", 2.0)
        # The level named is the likeliest risk level, each weighed by this ({}:
        # as is); a weight over 1 for danger names danger where the model can barely
        # tell it from concern.
        self.level_weights = weights.get("level_weights", {})
        # ... against concern only, never turning unsafe into danger (ninth pass).
        self.weigh_against_concern = weights.get("weigh_against_concern", False)
        # A message of up to WINDOW_MIN_CHARS (chat) alerts at this threshold
        # (None: `threshold`).
        self.short_threshold = weights.get("short_threshold")
        # "kinds": the level is the one whose kinds the kinds model (trained on risk
        # messages only) finds likeliest together, rather than the levels model's
        # likeliest risk level.
        self.level_from = weights.get("level_from", "levels")
        # A unit of fewer words than this raises nothing on the model's word alone;
        # one of up to `gated_words` words is read only with a cue word (0: always).
        self.fragment_words = weights.get("fragment_words", FRAGMENT_WORDS)
        self.gated_words = weights.get("gated_words", GATED_WORDS)
        # A chat line calm alone is read again after its writer's last
        # `context_lines` lines (0: never; `assess_in_context`) where the model finds
        # at least `context_floor` of risk in the line alone (most "ok"s and
        # "thanks" after a risk line are not read again; a short line the model
        # finds risky is, and alerts with them); "any": it alerts wherever the lines
        # together do; "new": only where those lines alone did not, or less gravely.
        self.context_lines = weights.get("context_lines", 0)
        self.context_mode = weights.get("context_mode", "any")
        self.context_floor = weights.get("context_floor", 0.0)
        # ... and where those lines alone already alert, at least this much (a
        # "lovely day" after a risk line is not the risk said again).
        self.context_said_floor = weights.get("context_said_floor", self.context_floor)

    @classmethod
    def from_file(cls, path: Path = WEIGHTS_PATH) -> "Detector":
        if not path.exists():  # before the first training run: rules only
            return cls()
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def centres(self, text: str, parts: list[str]) -> range | list[int]:
        """The sentences a long post is read around: those with a cue word, nearest
        its start and end first, with their neighbours about LONG_CHARS in all. A
        shorter text: every sentence."""
        if len(text) <= WHOLE_TEXT_CHARS * 4:
            return range(len(parts))
        cued = [i for i, p in enumerate(parts) if _CUES.search(p)]
        order = sorted(cued, key=lambda n: min(n, len(parts) - 1 - n))
        centres, budget = [], LONG_CHARS
        for i in order:
            budget -= sum(map(len, parts[max(0, i - 1) : i + 2]))
            if budget < 0:
                break
            centres.append(i)
        return sorted(centres)

    def units(self, text: str, parts: list[str], centres=None) -> list[str]:
        """What the model reads: a message of up to `context_chars` whole (first), and
        one of more than WINDOW_MIN_CHARS also as each sentence with its neighbours;
        a long post only around its `centres`."""
        whole = " ".join(parts)
        out = [whole] if len(whole) <= self.context_chars else []
        windows = self.window_thresholds and len(whole) > WINDOW_MIN_CHARS
        if len(parts) > 1 and (windows or not out):
            if centres is None:
                centres = self.centres(text, parts)
            out += (" ".join(parts[max(0, i - 1) : i + 2]) for i in centres)
        return list(dict.fromkeys(out))

    def levels_risk(self, unit: str) -> float:
        """The model's probability that `unit` is not calm."""
        probs = self.levels.probs(features(unit, self.chars))
        return 1.0 - probs[self.levels.classes.index("calm")]

    def read(
        self, unit: str, window: bool = False, weigh: bool = True
    ) -> tuple[str, str, float]:
        """(level, kind, risk) the model gives one unit, level "" below threshold (a
        window, one sentence with its neighbours, is held to its level's own);
        `weigh`: name the level with `level_weights` (not where an explicit phrase
        already named one: the weighing leans towards danger only where nothing
        else says which level it is)."""
        feats = features(unit, self.chars)
        probs = self.levels.probs(feats)
        classes = self.levels.classes
        calm = probs[classes.index("calm")]
        risk = 1.0 - calm
        threshold = self.threshold
        if self.short_threshold is not None and len(unit) <= WINDOW_MIN_CHARS:
            threshold = self.short_threshold
        if risk < threshold or (self.argmax and calm >= max(probs)):
            return "", "", risk
        weights = self.level_weights if weigh else {}
        kinds = self.kinds.probs(feats)
        named = [(p, k) for p, k in zip(kinds, self.kinds.classes, strict=True)]
        if self.level_from == "kinds":
            by_level = dict.fromkeys(LEVELS, 0.0)
            for p, k in named:
                by_level[LEVEL[k]] += p
            level = max(LEVELS, key=lambda lv: by_level[lv] * weights.get(lv, 1))
        elif self.weigh_against_concern:
            # the weighing tells danger from concern only; unsafe is as the model says
            level = max(LEVELS, key=lambda lv: probs[classes.index(lv)])
            p = {lv: probs[classes.index(lv)] * weights.get(lv, 1) for lv in LEVELS}
            if level == "concern" and p["danger"] >= p["concern"]:
                level = "danger"
        else:
            level = max(
                LEVELS, key=lambda lv: probs[classes.index(lv)] * weights.get(lv, 1)
            )
        if window and risk < self.window_thresholds.get(level, self.threshold):
            return "", "", risk
        kind = max((p, k) for p, k in named if LEVEL[k] == level)[1]
        if level != "unsafe" and _ACCIDENT.search(unit) and not _INTENT.search(unit):
            return "", "", risk  # "burned myself on the oven tray", "getting the cut"
        return level, kind, risk

    def assess(self, text: str) -> Assessment:
        parts = sentences(text or "")
        if not parts:
            return Assessment(level=None)
        found, guarded = [], set()
        centres = self.centres(text, parts)
        if self.rules:
            # The phrases are read in the sentences the model reads around: all of a
            # short text; of a long post only the cued sentences within the
            # LONG_CHARS bound (a 20,000-character post crowded with cue words costs
            # a few milliseconds, not fifty).
            for i in centres:
                part = parts[i]
                kind, discounted = rule_match(part)
                if kind and any(_DATED.search(p) for p in parts[i + 1 : i + 3]):
                    kind, discounted = "", True
                if kind:
                    found.append(kind)
                elif discounted:
                    guarded.add(part)
        rule_kind = max(found, key=lambda k: GRAVITY[LEVEL[k]], default="")
        best = ("", "", 0.0)
        if self.levels:
            whole = " ".join(parts)
            returning = None  # read only when the model raises danger
            whole_risk = 1.0  # no floor where the whole message was not read
            floor = self.window_floor
            if self.context_chars < len(whole) <= self.floor_chars:
                whole_risk, floor = self.levels_risk(whole), self.gist_floor
            for unit in self.units(text, parts, centres):
                # A fragment of a few words raises nothing on the model's word alone,
                # nor does a sentence a guard discounted ("im not suicidal").
                words = unit.count(" ") + 1
                if words < self.fragment_words or unit in guarded:
                    continue
                if words <= self.gated_words and not _MODEL_CUES.search(unit):
                    continue
                got = self.read(unit, window=unit != whole, weigh=not rule_kind)
                if unit == whole:
                    whole_risk = got[2]
                elif whole_risk < floor and got[2] < self.gist_window:
                    continue
                if got[0] == "danger":
                    if returning is None:
                        returning = bool(RETURNING.search(whole))
                    if returning:
                        continue  # an everyday goodbye: "bye for now, chat soon"
                if got[0] in ("danger", "concern") and all(
                    map(THEIR_WORDS.search, unit_parts(unit, parts))
                ):
                    continue  # "my brother keeps saying theyd be better off without him"
                if (GRAVITY.get(got[0], 0), got[2]) > (
                    GRAVITY.get(best[0], 0),
                    best[2],
                ):
                    best = got
            if self.context_chars < len(whole) and whole_risk < self.rule_gist:
                rule_kind = ""
        level, kind, score = best
        if rule_kind and (
            GRAVITY[LEVEL[rule_kind]] >= GRAVITY.get(level, 0) or score < GRAVER
        ):
            return Assessment(LEVEL[rule_kind], rule_kind, score, rule=True)
        if level:
            return Assessment(level, kind, score, rule=bool(rule_kind))
        return Assessment(None, "", score)

    def wants_context(self, text: str, alone: Assessment) -> bool:
        """Whether a chat line might read differently after its writer's previous
        lines: calm alone, chat-length, and (with a `context_floor`) some risk in
        it. The chat asks before it reads those lines, so a calm "hello" costs no
        query."""
        return bool(
            self.levels
            and self.context_lines
            and not alone.level
            and len(text) <= WINDOW_MIN_CHARS
            and (
                not self.context_floor
                or self.levels_risk(" ".join(sentences(text))) >= self.context_floor
            )
        )

    def assess_in_context(
        self, text: str, before=(), alone: Assessment | None = None
    ) -> Assessment:
        """A chat line read after its writer's previous lines (`before`, oldest
        first: the caller's recent ones). A line calm alone ("ok pressing", "very
        heavy now") is read again joined to the last `context_lines` of them: risk
        said over several lines is heard once it is said."""
        alone = alone or self.assess(text)
        lines = [line for line in before if line and line.strip()]
        lines = lines[-self.context_lines :] if self.context_lines else []
        if not lines or not self.wants_context(text, alone):
            return alone
        prior = "\n".join(lines)
        joined = self.assess(prior + "\n" + text)
        if not joined.level:
            return alone
        earlier = self.assess(prior)
        if earlier.level and GRAVITY[joined.level] <= GRAVITY[earlier.level]:
            # said already, and no graver now: "thanks", "ok", "lovely day" add
            # nothing unless the line alone carries its own (`context_said_floor`)
            if self.context_mode == "new" or (
                self.levels_risk(" ".join(sentences(text))) < self.context_said_floor
            ):
                return alone
        return joined


def unit_parts(unit: str, parts: list[str]) -> list[str]:
    """The sentences a unit (the whole message or a window) is made of."""
    return [p for p in parts if p in unit] or [unit]


_DEFAULT = Detector.from_file()


def assess(text: str) -> Assessment:
    """How much danger the words of `text` suggest about its author."""
    return _DEFAULT.assess(text)


def assess_chat_line(text: str, earlier) -> Assessment:
    """`assess`, for a chat line: `earlier()` gives its writer's recent lines in the
    circle (oldest first), called only when they might change the reading."""
    alone = _DEFAULT.assess(text)
    if not _DEFAULT.wants_context(text, alone):
        return alone
    return _DEFAULT.assess_in_context(text, earlier(), alone=alone)
