"""The words as the crisis detector reads them: a message normalised, cut into
sentences, and turned into the model's features (word and concept n-grams with
negation marked). Pure Python, no Django; `detector.py` reads with it and
`bench/crisis_train.py` trains on the same features.
"""

import re

# A run-on message (no full stops) is cut in pieces of this many characters, and at
# most this many sentences are read (`sentences`).
SENTENCE_CHARS = 300
MAX_SENTENCES = 2000


# --- normalising ---------------------------------------------------------------

_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
_LEET_RE = re.compile(r"(?<=[a-z])[013457@$]+(?=[a-z])")
_REPEAT_RE = re.compile(r"([a-z])\1{2,}")
_NON_WORD_RE = re.compile(r"[^a-z0-9]+")
_SENTENCE_RE = re.compile(r"[.!?\n;:]+|\s[-–—]+\s")
_NON_SENTENCE_RE = re.compile(r"[^a-z0-9\n]+")


# Emoji that carry tone become words ("kms 💀" is a joke more often than not).
_EMOJI = str.maketrans(
    {
        "💀": " emojiskull ",
        "😂": " emojilaugh ",
        "🤣": " emojilaugh ",
        "🙃": " emojiupside ",
        "😭": " emojisob ",
        "❤": " emojiheart ",
        "💕": " emojiheart ",
        "🥰": " emojiheart ",
        "🙏": " emojipray ",
    }
)
_JOIN_RE = re.compile(r"(?<![a-z])([a-z]{1,2})-(?=[a-z])")


def _letters(text: str) -> str:
    text = text.lower().translate(_QUOTES).replace("'", "").translate(_EMOJI)
    text = _JOIN_RE.sub(r"\1", text)
    text = _LEET_RE.sub(lambda m: "".join(_LEET[c] for c in m.group()), text)
    return _REPEAT_RE.sub(r"\1", text)


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped ("don't" -> "dont"), leetspeak between letters
    undone ("k1ll"), letters repeated three times or more cut to one ("sooo" -> "so"),
    everything else a single space."""
    return _NON_WORD_RE.sub(" ", _letters(text)).strip()


def sentences(text: str) -> list[str]:
    """Normalised sentences, at most MAX_SENTENCES; a longer one (a run-on message
    without full stops) in pieces of SENTENCE_CHARS that overlap by a few words."""
    lines = _NON_SENTENCE_RE.sub(" ", _SENTENCE_RE.sub("\n", _letters(text)))
    out = []
    for line in lines.split("\n"):
        line = line.strip()
        while line and len(out) < MAX_SENTENCES:
            cut = (
                line.rfind(" ", 0, SENTENCE_CHARS) if len(line) > SENTENCE_CHARS else 0
            )
            out.append(line[:cut] if cut > 0 else line[:SENTENCE_CHARS])
            back = line.rfind(" ", 0, cut - 60) if cut > 60 else -1
            line = line[back + 1 :] if back > 0 else line[len(out[-1]) :].lstrip()
    return out


# --- model ---------------------------------------------------------------------

# Words standing for one idea, so that the model learns "SELF WANT to DIE" once for
# every way of saying it (and "SELF could KILL for a FIG" for the figures of speech).
_CONCEPTS = {
    "DIE": "die died dying dead death suicide suicidal sewerslide unalive ctb kms kys overdose overdosed od",
    "KILL": "kill kil killing killin murder off",
    "SELF": "myself meself",
    "OTHER": "he she they him her his their brother sister friend friends mum dad mom cousin uncle aunt son daughter partner grandma nan mate teacher someone somebody character kids",
    "WANT": "want wanna wnat wish hope hoping ready going gonna decided plan planning need",
    "NEG": "not never dont no wont isnt havent didnt without nothing wouldnt",
    "SOON": "tonight tonite today tomorrow soon weekend hour tonights monday tuesday wednesday thursday friday saturday sunday",
    "RECENT": "yesterday lastnight",
    "PAST": "used ago years teen teenager teens twenties back remember",
    "CLEAN": "clean free recovery recovered proud sober streak",
    "METHOD": "pills pils tablets meds paracetamol rope noose gun blade blades razor knife bridge train bleach charcoal tylenol dose prescription antidepressants",
    "HARM": "cut cutting cuttin cuts burn burned burnt burning hurt hurting harm harming sh scratch scratched bleed bleeding blood relapsed relapse",
    "GONE": "gone disappear disappeared vanish vanished exist existing alive",
    "END": "end ending ended over done",
    "BYE": "goodbye bye farewell goodbyes",
    "FIG": "coffee pizza burger homework commute work meeting exam job project boss interview quiz lecture zoom feet battery phone laptop wifi",
    "LAUGH": "lol haha lmao laughing hahaha",
    "NOBODY": "nobody noone",
    "HOPELESS": "point pointless hopeless future hope",
    "TOPIC": "documentary article essay book film podcast show news training awareness prevention movie episode series memoir resources talk",
}
_CONCEPTS.update(
    {
        "HITS": "hit hits hitting punched punches punching slapped slaps kicked kicks choked choking strangled beat beats beating shoved pushed grabbed bruise bruises bruised",
        "ABUSER": "husband boyfriend bf stepdad stepmum stepmom ex fiance wife girlfriend gf landlord",
        "LOCK": "locked lock locks keys door doors phone trapped",
        "FEAR": "scared afraid terrified frightened unsafe safe fear",
        "HIDE": "hiding hide hid secret",
        "WATCH": "following followed watching tracking stalking stalker outside",
        "THREAT": "threatened threatens threatening threat threats",
        "URGE": "urge urges itch craving cravings",
        # plain words of concern and of preparing (the fourth pass: isolation, relapse
        # risk and things handed on, said without the words above)
        "ALONE": "alone lonely loneliness isolated isolation invisible ignored drifted unseen",
        "USE": "drink drinking drank drunk booze pint pints vodka wine whisky whiskey gin beer cans bet betting gamble gambling vape vaping weed coke offie offlicence",
        "GAVE": "gave give given giving giveaway rehomed rehome rehoming deleted cancelled returned donated",
        "AFFAIRS": "letter letters envelope envelopes insurance passcode password passwords affairs wishes instructions",
    }
)
_CONCEPT = {word: name for name, words in _CONCEPTS.items() for word in words.split()}
_NEGATORS = frozenset(_CONCEPTS["NEG"].split())


def features(plain: str, chars: bool = True) -> set[str]:
    """Features of a normalised text: words (marked "N_" for three words after a
    negation), their 1- and 2-grams, character 3- to 5-grams of words outside a
    negation (unless `chars` is false), and 1- to 3-grams of the words mapped to
    concepts."""
    plain = plain.replace("last night", "lastnight").replace("no one", "noone")
    words = plain.replace("my self", "myself").split()
    marked, scope = [], 0
    for word in words:
        if scope and word not in _NEGATORS:
            marked.append("N_" + word)
            scope -= 1
        else:
            marked.append(word)
            scope = 3 if word in _NEGATORS else 0
    feats = set(marked)
    feats.update(
        f"{a} {b}" for a, b in zip(["<s>", *marked], [*marked, "</s>"], strict=True)
    )
    for word in marked if chars else ():
        if not word.startswith("N_"):
            padded = f" {word} "
            for n in (3, 4, 5):
                feats.update(
                    "#" + padded[i : i + n] for i in range(len(padded) - n + 1)
                )
    seq = ["<s>", *(_CONCEPT.get(w, w) for w in marked), "</s>"]
    for n in (1, 2, 3):
        feats.update("C:" + " ".join(seq[i : i + n]) for i in range(len(seq) - n + 1))
    return feats
