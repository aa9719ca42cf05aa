"""The plain-text shortcut of `markup.render` answers exactly what markdown and
bleach answer, on every text it takes, and takes most everyday chat."""

import random
from pathlib import Path

from community import markup

CORPUS = Path(__file__).resolve().parents[1] / "moderation/screening/crisis_corpus.tsv"
ALPHABET = (
    "abcdefghij klmnop ABCDEF  0123 .,;:!?'\"()-/%$\n\t\r"
    "\\`*_~[]<>&#|{}@=+^ éüßñ…’“”—–\u00a0\u200d\u2028😊中"
)


def sentences() -> list[str]:
    rows = CORPUS.read_text(encoding="utf-8").splitlines()
    return [row.split("\t")[-1] for row in rows if "\t" in row]


def texts() -> list[str]:
    rng = random.Random(18)
    found = sentences()
    everyday = [
        "hey everyone",
        "I'm here, just listening tonight",
        'she said "it gets easier" and I want to believe her.',
        "thank you... really\nit helped",
        "ok.com is a site",
        "see you at 3.30",
        "1. first\n2. second",
        "- a list",
        "# heading",
        "> a quote",
        "mail me at a@b.org",
        "www.example.org",
        "line with two spaces  \nnext",
        "  indented code",
        "text\n\nnew paragraph",
        "a line\n---",
        "a line\n===",
        "résumé café naïve",
        "emoji 😊 here",
        "(parentheses) and: colons; semicolons - dashes",
        "trailing dot.",
        "e.g. this",
        "i.e.",
        "x.y",
        "3 people",
        "no. 5",
    ]
    made = []
    for _ in range(6000):
        length = rng.randint(1, 60)
        made.append("".join(rng.choice(ALPHABET) for _ in range(length)).strip())
    for sentence in rng.sample(found, min(400, len(found))):
        words = sentence.split(" ")
        cut = rng.randrange(len(words))
        made.append(" ".join(words[:cut]) + "\n" + " ".join(words[cut:]))
    return [t for t in everyday + found + made if t]


def test_the_shortcut_answers_what_the_full_path_answers():
    taken = 0
    for text in texts():
        fast = markup._plain_html(text)
        if fast is not None:
            taken += 1
            assert fast == markup._render_markdown(text), text
    assert taken > 1000  # the comparison is not vacuous


def test_most_everyday_sentences_take_the_shortcut():
    found = sentences()
    taken = sum(markup._plain_html(s) is not None for s in found)
    assert taken / len(found) > 0.6, taken / len(found)


def test_links_lists_and_emphasis_never_take_it():
    for text in [
        "ok.com is a site",
        "www.example.org",
        "mail me at a@b.org",
        "1. first",
        "- a list",
        "> a quote",
        "*soft*",
        "a line\n---",
        "text\n\nnew paragraph",
        "  indented",
    ]:
        assert markup._plain_html(text) is None, text
