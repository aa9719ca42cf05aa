"""Display names that cannot impersonate: normalised (NFKC), without invisible or
direction-changing characters, and compared by their confusables skeleton (Unicode
TR39: the string with every character replaced by the prototype it is confusable
with), so "Alice D" with a Cyrillic "А", a zero-width space or a right-to-left
override cannot stand beside "Alice D".

The confusables data is Unicode's confusables.txt as the `confusable_homoglyphs`
package ships it (both directions of each pair); `_prototypes()` turns it back into
the one-way map TR39's skeleton needs."""

import functools
import unicodedata

from confusable_homoglyphs.confusables import confusables_data
from django.core.exceptions import ValidationError

# General categories nobody needs in a name: controls, format characters (zero-width
# spaces and joiners, bidi embeddings, overrides and isolates, soft hyphen, tags),
# private use, surrogates, unassigned, line and paragraph separators.
REFUSED_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}
# Default-ignorable or blank characters of other categories (Unicode's
# DerivedCoreProperties Default_Ignorable_Code_Point, plus the braille blank).
REFUSED_CODE_POINTS = (
    {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x2800, 0x3164, 0xFFA0}
    | set(range(0x180B, 0x1810))
    | set(range(0xFE00, 0xFE10))
    | set(range(0xE0100, 0xE01F0))
)
MAX_STACKED_MARKS = 3
LRM = "\u200e"  # the data wraps right-to-left characters in marks for display


def _refused(ch: str) -> bool:
    return unicodedata.category(ch) in REFUSED_CATEGORIES or ord(ch) in (
        REFUSED_CODE_POINTS
    )


def normalise_display_name(raw: str) -> str:
    """NFKC (full-width and styled letters become plain ones), runs of white space
    become one space, none at the ends."""
    return " ".join(unicodedata.normalize("NFKC", raw or "").split())


def refuse_hidden_characters(value: str) -> None:
    """A validator: no invisible, formatting or direction-changing character, and
    no letter buried under a pile of accents."""
    for ch in unicodedata.normalize("NFKC", value):
        if _refused(ch):
            name = unicodedata.name(ch, "a control character")
            raise ValidationError(
                "A display name cannot contain invisible characters or characters "
                f"that change the direction of text (it holds U+{ord(ch):04X} "
                f"{name}). Please type the name again without it.",
                code="hidden_character",
            )
    stacked = 0
    for ch in unicodedata.normalize("NFD", value):
        stacked = stacked + 1 if unicodedata.category(ch) in ("Mn", "Me") else 0
        if stacked > MAX_STACKED_MARKS:
            raise ValidationError(
                f"A display name can have at most {MAX_STACKED_MARKS} accents on one "
                "letter.",
                code="stacked_marks",
            )


@functools.cache
def _prototypes() -> dict[str, str]:
    """Each confusable character -> its prototype. The data holds every pair both
    ways: a character listing several others is a prototype (its entries are the
    characters confusable with it); a character listing one is mapped to it. Where
    two characters list only each other, the smaller stands for both: either way
    they get the same skeleton, which is all a comparison needs."""
    pairs = {
        key.replace(LRM, ""): [entry["c"].replace(LRM, "") for entry in entries]
        for key, entries in confusables_data.items()
    }
    mapping = {}
    for char, targets in pairs.items():
        if len(char) != 1 or len(targets) != 1:
            continue
        target = targets[0]
        if len(target) == 1 and len(pairs.get(target, ())) == 1:
            target = min(char, target)
        if target != char:
            mapping[char] = target
    return mapping


def _tr39(text: str) -> str:
    mapping = _prototypes()
    text = unicodedata.normalize("NFD", text)
    for _ in range(4):  # prototypes are stable; a few rounds settle any pair choice
        mapped = unicodedata.normalize(
            "NFD", "".join(mapping.get(ch, ch) for ch in text)
        )
        if mapped == text:
            break
        text = mapped
    return text


def display_name_skeleton(name: str) -> str:
    """What a name looks like, for comparison: TR39's skeleton of the normalised
    name, case folded (names are unique whatever their case) and mapped again."""
    return _tr39(_tr39(normalise_display_name(name)).casefold())
