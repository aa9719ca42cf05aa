"""What a search asks beyond its words: `from:Name` (or `from:"Two Words"`),
`after:YYYY-MM-DD` and `before:YYYY-MM-DD`, and British and American spellings of
the same word ("apologizing" also finds "apologising", "color" finds "colour").
The spellings are widened at query time, so PostgreSQL's existing GIN indexes (the
English stemmer on each spelling) and SQLite's fallback both match either form."""

import datetime as dt
import re
from dataclasses import dataclass

FILTER_RE = re.compile(r'\b(from|after|before):(?:"([^"]*)"|(\S+))', re.IGNORECASE)
# -ize/-ise, -yze/-yse and their endings; -our/-or in the words where both exist.
IZE_RE = re.compile(r"^(\w{2,})(i|y)([sz])(e|es|ed|ing|ation|ations|er|ers)$")
OUR_RE = re.compile(
    r"^(\w*(?:i|v|l|b|m|n|d|h|p|t)o)(u?)r(s|ed|ing|ful|ite|ites|able|ed)?$"
)


@dataclass
class Asked:
    text: str  # the words, filters taken out
    author: str = ""
    after: dt.date | None = None
    before: dt.date | None = None
    problem: str = ""  # a filter that could not be read, in words


def read_filters(text: str) -> Asked:
    asked = Asked(text="")
    for match in FILTER_RE.finditer(text):
        name, value = match.group(1).lower(), (match.group(2) or match.group(3) or "")
        if name == "from":
            asked.author = value.strip()
            continue
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            asked.problem = (
                f"Write {name}: as a date like {name}:2026-03-31; “{value}” is not "
                "one, so it was left out."
            )
            continue
        setattr(asked, name, day)
    asked.text = " ".join(FILTER_RE.sub(" ", text).split())
    return asked


def spellings(word: str) -> list[str]:
    """The word and its other spelling, if it has one: "organize" -> organize,
    organise; "colours" -> colours, colors."""
    lower = word.lower()
    found = [word]
    match = IZE_RE.match(lower)
    if match:
        stem, vowel, letter, ending = match.groups()
        other = "z" if letter == "s" else "s"
        found.append(f"{stem}{vowel}{other}{ending}")
    match = OUR_RE.match(lower)
    if match and len(lower) >= 5:
        stem, u, ending = match.groups()
        found.append(f"{stem}{'' if u else 'u'}r{ending or ''}")
    return found
