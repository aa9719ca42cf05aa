"""The crisis detector: does this text suggest its author may be in danger?

Pure Python, no Django. Two layers, combined:

- explicit phrase rules (the floor), with guards for negation ("im not suicidal"),
  the past and recovery ("used to", "two years clean") and accidents ("shaving");
- a linear model (logistic regression over word and character n-grams) trained on
  `tests/moderation/screening/crisis_corpus.tsv` by `bench/crisis_train.py` and
  shipped as plain weights in `detector_weights.json`, for phrasings no rule names.

Levels: "danger" (intent, plan, means, timing, farewell, active self-harm) and
"concern" (passive wish to be gone, hopelessness, burden, recent self-harm).
"""

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

WEIGHTS_PATH = Path(__file__).with_name("detector_weights.json")

DANGER_KINDS = ("intent", "plan", "means", "timing", "farewell", "active_self_harm")
CONCERN_KINDS = ("passive_wish", "hopelessness", "burden", "recent_self_harm")
KINDS = DANGER_KINDS + CONCERN_KINDS

# Work is capped so that a 20,000-character post costs a few milliseconds: rules
# read every sentence (one compiled regex each), the model reads the whole text when
# it is short and otherwise only sentences carrying a cue word, at most this many.
WHOLE_TEXT_CHARS = 400
SENTENCE_CHARS = 300
MAX_SENTENCES = 400
MAX_MODEL_SENTENCES = 30


@dataclass(frozen=True)
class Assessment:
    level: str | None  # None for calm text, else "concern" or "danger"
    kind: str = ""  # which kind matched, "" when calm
    score: float = 0.0  # the model's probability of risk for the riskiest part
    rule: bool = False  # an explicit phrase matched

    @property
    def alert(self) -> bool:
        return self.level is not None


CALM = Assessment(level=None)

# --- normalising ---------------------------------------------------------------

_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
_LEET_RE = re.compile(r"(?<=[a-z])[013457@$]+(?=[a-z])")
_REPEAT_RE = re.compile(r"([a-z])\1{2,}")
_NON_WORD_RE = re.compile(r"[^a-z0-9]+")
_SENTENCE_RE = re.compile(r"[.!?\n;:]+|\s[-–—]+\s")


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped ("don't" -> "dont"), leetspeak between letters
    undone ("k1ll"), letters repeated three times or more cut to two ("sooo" -> "soo"),
    everything else a single space."""
    text = text.lower().translate(_QUOTES).replace("'", "")
    text = _LEET_RE.sub(lambda m: "".join(_LEET[c] for c in m.group()), text)
    text = _REPEAT_RE.sub(r"\1\1", text)
    return _NON_WORD_RE.sub(" ", text).strip()


def sentences(text: str) -> list[str]:
    """Normalised sentences, each cut to SENTENCE_CHARS, at most MAX_SENTENCES."""
    out = []
    for part in _SENTENCE_RE.split(text):
        plain = normalise(part[: SENTENCE_CHARS * 2])[:SENTENCE_CHARS]
        if plain:
            out.append(plain)
            if len(out) >= MAX_SENTENCES:
                break
    return out


# --- rules -----------------------------------------------------------------------

_ME = r"(?:my ?self|meself|myslef|mysef)"
_PILLS = r"(?:pills|pils|tablets|meds|medication|paracetamol|tylenol|antidepressants|sleeping pills|painkillers|prescription)"
_SOON = (
    r"(?:tonight|tonite|tonigt|today|tomorrow|this weekend|soon|in an hour|this week)"
)
_RECENT = r"(?:last night|yesterday|this morning|this week|this weekend|earlier today|earlier|today|tonight|a (?:few|couple|couple of) days ago|on (?:mon|tues|wednes|thurs|fri|satur|sun)day|again)"
_BODY = r"(?:my (?:arms?|wrists?|legs?|thighs?|skin|stomach|hips?))"

RULES: dict[str, tuple[str, ...]] = {
    "intent": (
        rf"\bk(?:ill|il|illing|illin) ?{_ME}\b(?! (?:laughing|with laughter))",
        rf"\bkms\b|\bkys {_ME}\b|\bunalive\b|\bsewer ?slide\b|\bctb\b",
        rf"\boff {_ME}\b|\bcommit+(?:ing)? (?:suicide|sewerslide)\b",
        r"\b(?:want|wanna|wnat|wamt|wanting|going|gonna|ready|need|decided|plan|planning) (?:to )?(?:die|be dead|end it|end it all|end things|end everything|end my life|take my (?:own )?life)\b",
        r"\b(?:end|ending) (?:it all|my (?:own )?life|my life)\b|\btak(?:e|ing) my (?:own )?life\b",
        r"\b(?:im|i am|i feel|feel|feeling|been|getting) (?:so |really |very |super |pretty |quite )?suicidal\b",
        r"\b(?:go|going) through with it\b",
    ),
    "plan": (
        r"\bsuicide note\b|\b(?:wrote|written|writing|drafted) (?:my|the|a) (?:note|letters?)\b",
        r"\b(?:painless|easy|quick|best) (?:ways?|methods?) to (?:die|end it|go)\b|\bways to (?:kill|die|end)\b",
        r"\bhow many (?:pills|tablets|it takes)\b|\bhow to (?:overdose|od|hang)\b",
        rf"\b(?:jump|jumping) (?:off|from|in front)\b|\bstep(?:ping)? in front of\b|\bhang {_ME}\b|\bhanging {_ME}\b",
        r"\b(?:walk|walking) into the (?:sea|river|ocean|lake)\b|\bdrive (?:my car )?into (?:a|the) (?:wall|tree|river)\b",
        r"\b(?:a|my|the) (?:plan|method) (?:to|for) (?:end|die|kill|do it)\b|\bplanning my (?:suicide|death)\b",
        r"\b(?:know|figured out|worked out|decided) (?:exactly )?how (?:im|i am|i would|id|ill|i will) (?:going to )?do it\b|\bmethod picked\b",
    ),
    "means": (
        rf"\b(?:saving|saved|stockpil\w*|hoard\w*|collecting|stashing|stashed)(?: up)? (?:all )?(?:my |the |some |up )?(?:\w+ )?{_PILLS}\b",
        rf"\b(?:enough|all the|all my) (?:\w+ )?{_PILLS} (?:to|ready|i need)\b|\b{_PILLS} (?:are )?(?:ready|lined up|counted out)\b",
        r"\b(?:have|got|bought) (?:the |a |my )?(?:pills|rope|noose|gun) ready\b|\bnoose\b|\bcharcoal and tape\b",
        r"\b(?:razor|blade|knife|pills|gun) (?:is |are )?(?:in my hand|right here|next to me)\b",
        r"\bhave everything i need to (?:do it|end it)\b|\bstuff i need to end it\b",
    ),
    "timing": (
        rf"\b(?:do it|doing it|end it|ending it|ending things|end things|end my life|ending my life|kms|ctb|go through with it) {_SOON}\b",
        r"\btonights the night\b(?= i| im| ive|$)|\btonight is (?:the|my last) night\b",
        r"\bwont be (?:here|around|alive) (?:tomorrow|by|after)\b|\b(?:ill|i will) be gone by\b",
        r"\blast night on earth\b|\bwont (?:make it to|see) (?:my|the end|next)\b|\btomorrow i wont be alive\b",
    ),
    "farewell": (
        r"\bthis is goodbye\b|\b(?:goodbye|bye) (?:forever|world)\b|\bfinal goodbye\b|\bsaid my goodbyes\b",
        r"\bby the time (?:you|anyone|someone) reads? this\b|\bsee you on the other side\b",
        r"\bmy last (?:message|post|words)\b(?! (?:before|for|until|till))|\bthis is the end for me\b",
        r"\bwhen im gone\b|\bwont need (?:them|it|my things) anymore\b|\blast time youll hear from me\b",
    ),
    "active_self_harm": (
        r"\b(?:cutting|burning|hurting|harming|hitting|self harming|sh ing)(?: \w+)? (?:right now|rn|as i type|now)\b",
        r"\b(?:cant stop|keep) (?:cutting|hurting|burning|hitting)\b|\bcut too deep\b|\bso much blood\b",
        rf"\b(?:going to|gonna|about to|want to|wanna|need to|cant stop myself from) (?:cut|sh|self harm|hurt {_ME}|burn {_ME})\b",
        r"\b(?:just|i) (?:overdosed|took (?:a handful|all|\d+)|swallowed (?:a bunch|all|everything))\b|\bdrank bleach\b",
    ),
    "passive_wish": (
        r"\b(?:dont|do not|dont really|no longer|not|never) (?:want|wanna|wanting)(?: to)? (?:be here|be alive|live|exist|wake up|be around)\b",
        r"\bwish (?:i|id) (?:was|were|could be|had never been|was never|were never|wasnt|werent|never|could (?:just )?(?:not exist|disappear|vanish|stop existing))\b(?: \w+)?",
        r"\b(?:wish|hope|want|pray|praying)\b(?: \w+){0,6} (?:never|not|dont|wont) wake up\b|\bwish\b(?: \w+){0,4} (?:sleep|asleep) forever\b",
        r"\b(?:disappear|vanish)\w* (?:forever|for good)\b|\brather be dead\b|\bbetter off dead\b|\bstop existing\b",
        r"\b(?:tired|sick) of (?:being alive|living|life)\b|\bdie in my sleep\b|\bsomething would (?:just )?kill me\b",
    ),
    "hopelessness": (
        r"\bcant (?:do|take|handle|cope with) (?:this|it|life)(?: any ?more| no more)\b|\bcant (?:go on|keep going|anymore)\b",
        r"\bno (?:point|reason) (?:in |to )?(?:living|live|anything|keep going|going on|trying|even trying|being alive)\b",
        r"\bwhats (?:even )?the point (?:of|in) (?:living|life|anything|trying|even trying)\b|\bnothing (?:left )?to live for\b",
        r"\b(?:no way out|no escape|no hope left|end of my rope|done with life|give up on (?:everything|life))\b",
        r"\b(?:life|everything) is (?:pointless|hopeless)\b|\bhow (?:much )?longer i can (?:hold on|do this|keep)\b",
    ),
    "burden": (
        r"\b(?:no one|noone|nobody|no1) (?:would|wud|will|wld|is going to|gonna|even) (?:even )?(?:miss|notice|care)\b",
        r"\bbetter off (?:without me|if i (?:was|were|wasnt|werent))\b|\b(?:happier|easier|better|fine) without me\b",
        r"\b(?:a|such a|just a) burden\b|\bwaste of space\b|\bone less problem\b|\bno one cares if i\b",
    ),
    "recent_self_harm": (
        rf"\b(?:cut|cutting|burned|burnt|hurt|harmed|hit|scratched|punched) (?:{_ME}|{_BODY})(?: \w+){{0,3}} {_RECENT}\b",
        rf"\b(?:self harmed|shd|relapsed|overdosed)\b(?: \w+){{0,3}}(?: {_RECENT})?\b|\bfresh cuts\b",
        r"\b(?:started|start|been) (?:cutting|self harming|sh|hurting myself)\b|\bcut again\b|\bcutting again\b",
    ),
}

_COMBINED = re.compile(
    "|".join(
        f"(?P<{kind}{i}>{pattern})"
        for kind, patterns in RULES.items()
        for i, pattern in enumerate(patterns)
    )
)
_NEGATED = re.compile(
    r"\b(?:not|never|dont|doesnt|wont|wouldnt|isnt|arent|aint|no|without|nothing about)(?: \w+){0,3} ?$"
)
_PAST = re.compile(
    r"\b(?:used to|years? ago|months ago|long time ago|when i was|as a (?:kid|teen|teenager|child)|back (?:then|in)|in (?:19|20)\d\d"
    r"|clean (?:for|from)|\d+ (?:days?|weeks?|months?|years?) (?:clean|free|without|since)|sh free|in recovery|recovered|recovery"
    r"|havent \w+ (?:in|since)|since my|remember when|my (?:first|last) attempt|in my (?:teens|twenties|thirties)|at uni|in (?:high )?school)\b"
)
_NOW = re.compile(
    r"\b(?:again|last night|yesterday|tonight|today|right now|rn|this week|relapsed)\b"
)
_ACCIDENT = re.compile(
    r"\b(?:shaving|cooking|chopping|by accident|accidentally|oven|on the)\b"
)
_TOPIC = re.compile(r"\b(?:what does|whats|what is|is) \w+(?: \w+)? (?:mean|a word)\b")


def rule_match(plain: str) -> str:
    """The kind of the first explicit phrase in one normalised sentence that no guard
    discounts, or ""."""
    past = _PAST.search(plain) is not None and _NOW.search(plain) is None
    for match in _COMBINED.finditer(plain):
        kind = match.lastgroup.rstrip("0123456789")
        if past or _NEGATED.search(plain, 0, match.start()) or _TOPIC.search(plain):
            continue
        if kind in ("recent_self_harm", "active_self_harm") and _ACCIDENT.search(plain):
            continue
        return kind
    return ""


# --- model ---------------------------------------------------------------------


def features(plain: str) -> set[str]:
    """Word 1- and 2-grams and character 3- to 5-grams of a normalised text."""
    words = plain.split()
    feats = set(words)
    feats.update(
        f"{a} {b}" for a, b in zip(["<s>", *words], [*words, "</s>"], strict=True)
    )
    padded = f" {plain} "
    for n in (3, 4, 5):
        feats.update("#" + padded[i : i + n] for i in range(len(padded) - n + 1))
    return feats


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


# Cue words: a long post is read by the model only where one of these appears.
_CUES = re.compile(
    r"\b(?:di|dea|kil|km|ky|ctb|unaliv|suic|sewer|end|life|liv|aliv|gone|goodby|bye|pill|tablet|med|overdos|od|rope|nois|gun|"
    r"blade|razor|knife|cut|burn|hurt|harm|sh|bleed|blood|wake|sleep|disappear|vanish|exist|here|miss|burden|better off|"
    r"without me|point|hope|anymore|any more|give up|cant|tonight|tonite|tomorrow|note|plan|bridge|jump|hang|last|forever)"
)


class Detector:
    """Rules plus, when `weights` are given, the model. `rules=False` keeps only the
    model (for measuring)."""

    def __init__(self, weights: dict | None = None, *, rules: bool = True):
        self.rules = rules
        self.risk = (weights or {}).get("risk")
        self.kinds = (weights or {}).get("kinds")
        self.threshold = (weights or {}).get("threshold", 0.5)

    @classmethod
    def from_file(cls, path: Path = WEIGHTS_PATH) -> "Detector":
        try:
            with open(path, encoding="utf-8") as f:
                return cls(json.load(f))
        except FileNotFoundError:  # before the first training run: rules only
            return cls()

    def risk_score(self, plain: str) -> float:
        weights = self.risk["w"]
        feats = features(plain)
        total = sum(weights.get(f, 0.0) for f in feats)
        return _sigmoid(self.risk["b"] + total / math.sqrt(len(feats)))

    def kind_scores(self, plain: str) -> dict[str, float]:
        feats = features(plain)
        norm = math.sqrt(len(feats))
        rows = self.kinds["w"]
        logits = list(self.kinds["b"])
        for f in feats:
            for i, w in rows.get(f, ()):
                logits[i] += w / norm
        top = max(logits)
        exps = [math.exp(x - top) for x in logits]
        total = sum(exps)
        return {k: e / total for k, e in zip(self.kinds["classes"], exps, strict=True)}

    def model_units(self, text: str, parts: list[str]) -> list[str]:
        if len(text) <= WHOLE_TEXT_CHARS:
            whole = " ".join(parts)
            return [whole] if len(parts) == 1 else [whole, *parts]
        return [p for p in parts if _CUES.search(p)][:MAX_MODEL_SENTENCES]

    def assess(self, text: str) -> Assessment:
        parts = sentences(text or "")
        if not parts:
            return CALM
        rule_kind = ""
        if self.rules:
            for part in parts:
                rule_kind = rule_match(part)
                if rule_kind:
                    break
        best, best_unit = 0.0, ""
        if self.risk:
            for unit in self.model_units(text, parts):
                score = self.risk_score(unit)
                if score > best:
                    best, best_unit = score, unit
        if best >= self.threshold:
            scores = self.kind_scores(best_unit)
            danger = sum(scores[k] for k in DANGER_KINDS)
            model_kind = max(scores, key=scores.get)
            if rule_kind in DANGER_KINDS or (not rule_kind and danger >= 0.5):
                level = "danger"
            else:
                level = "concern" if danger < 0.5 else "danger"
            kind = rule_kind or model_kind
            if level == "danger" and kind not in DANGER_KINDS:
                kind = max(DANGER_KINDS, key=scores.get)
            return Assessment(level=level, kind=kind, score=best, rule=bool(rule_kind))
        if rule_kind:
            level = "danger" if rule_kind in DANGER_KINDS else "concern"
            return Assessment(level=level, kind=rule_kind, score=best, rule=True)
        return Assessment(level=None, score=best)


_DEFAULT = Detector.from_file()


def assess(text: str) -> Assessment:
    """How much danger the words of `text` suggest about its author."""
    return _DEFAULT.assess(text)
