"""Plain-text guides into a title, a summary and ordered sections.

The documents are web articles saved as text. They use: a title line; an optional
caption; an introduction; numbered headings ("1. Understanding..."); bullets (•, –);
bold-labelled strategies (`**Communication**: ...`); labelled practices ("Establish a
Daily Routine: ..."); quoted affirmations and "I deserve..." lines; questions; a
conclusion. Page furniture (comment links, print buttons, sign-up lines) is dropped.
"""

import re
from dataclasses import dataclass, field

from django.utils.text import slugify


class ParseError(ValueError):
    def __init__(self, line: int, message: str, *, source: str = ""):
        self.line, self.message, self.source = line, message, source
        where = f"{source}, line {line}" if source else f"line {line}"
        super().__init__(f"{where}: {message}")


@dataclass
class ParsedSection:
    heading: str
    kind: str
    lines: list[str] = field(default_factory=list)
    anchor: str = ""

    @property
    def body(self) -> str:
        """Markdown: paragraphs apart, consecutive bullets as one list."""
        out = ""
        for n, line in enumerate(self.lines):
            together = (
                n and line.startswith("- ") and self.lines[n - 1].startswith("- ")
            )
            out += ("\n" if together else "\n\n") + line if n else line
        return out.strip()


@dataclass
class ParsedDocument:
    title: str
    summary: str
    sections: list[ParsedSection]

    def of_kind(self, kind: str) -> list[ParsedSection]:
        return [s for s in self.sections if s.kind == kind]


FURNITURE = [
    re.compile(p, re.I)
    for p in (
        r"^leave a comment$",
        r"^print friendly,? pdf ?& ?email$",
        r"^more resources$",
        r"\bsign up\b",
        r"^(share|tweet|pin it|email this)( this)?:?$",
        r"^(posted|filed) (in|under)\b",
        r"^related posts?:?$",
    )
]
NUMBERED = re.compile(r"^(\d{1,2})\.\s+(\S.{2,200})$")
BULLET = re.compile(r"^\s*[•–\-\*]\s+(.+)$")
STRATEGY = re.compile(r"^\*\*([^*]{2,80})\*\*\s*:\s*(.+)$")
PRACTICE = re.compile(r"^([A-Z][\w'’]*(?: [\w'’]+){1,6}):\s+(\S.+)$")
QUOTED = re.compile(r"[“\"]([^”\"]{4,120}?)[,.]?[”\"]")
DESERVE = re.compile(r"((?:I deserve|I am deserving|People care about me)[^.…]*[.…]?)")


def _is_furniture(line: str) -> bool:
    return any(p.search(line) for p in FURNITURE)


def _is_caption(line: str) -> bool:
    """A lower-case fragment under the title: an image caption, not prose."""
    return line[:1].islower() and not line.rstrip().endswith((".", "?", "!", ":"))


def _is_closing_heading(line: str) -> bool:
    """A short standalone line that ends with an ellipsis or no punctuation."""
    text = line.strip()
    return len(text) <= 90 and (text.endswith(("…", "...")) or text[-1:].isalnum())


def parse(text: str, *, source: str = "") -> ParsedDocument:
    if "\x00" in text:
        raise ParseError(
            1, "this looks like a binary file, not plain text", source=source
        )
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    numbered = [(n, line) for n, line in enumerate(lines, 1) if line.strip()]
    if not numbered:
        raise ParseError(1, "the file is empty: expected a title line", source=source)
    title_line, title = numbered[0][0], numbered[0][1].strip()
    if len(title) > 200 or NUMBERED.match(title) or BULLET.match(title):
        raise ParseError(title_line, "expected a title line first", source=source)

    intro = ParsedSection("Introduction", "introduction")
    sections: list[ParsedSection] = []
    current = intro
    summary = ""
    seen_numbered = False
    last_number = 0
    for n, raw in numbered[1:]:
        line = raw.strip()
        if _is_furniture(line):
            continue
        if current is intro and not intro.lines and not summary and _is_caption(line):
            continue
        if "**" in line and not STRATEGY.match(line) and line.count("**") % 2:
            raise ParseError(
                n, "a bold label is not closed (missing **)", source=source
            )
        bullet = BULLET.match(raw)
        if bullet and not line.startswith("**"):
            if current.kind in ("strategy", "practice"):
                current = _holder(sections, intro)
            current.lines.append(f"- {bullet.group(1).strip()}")
            continue
        heading = NUMBERED.match(line)
        if heading and len(line) <= 160:
            number = int(heading.group(1))
            if number != last_number + 1:
                raise ParseError(
                    n, f"section {number} follows section {last_number}", source=source
                )
            last_number = number
            seen_numbered = True
            name = heading.group(2).strip()
            kind = "tip" if name.endswith(".") else "section"
            current = ParsedSection(name.rstrip("."), kind)
            sections.append(current)
            continue
        strategy = STRATEGY.match(line)
        if strategy:
            current = ParsedSection(
                strategy.group(1).strip(), "strategy", [strategy.group(2)]
            )
            sections.append(current)
            continue
        practice = PRACTICE.match(line)
        if practice and seen_numbered and not line.endswith("?"):
            current = ParsedSection(
                practice.group(1).strip(), "practice", [practice.group(2)]
            )
            sections.append(current)
            continue
        if line.lower().startswith("in conclusion"):
            current = ParsedSection("Conclusion", "conclusion", [line])
            sections.append(current)
            continue
        if (
            seen_numbered
            and _is_closing_heading(line)
            and current.kind != "introduction"
        ):
            current = ParsedSection(line.rstrip(".… "), "conclusion")
            sections.append(current)
            continue
        if current is intro and not summary:
            summary = line
        if current.kind in ("strategy", "practice"):
            # Prose after a labelled item belongs to the section that holds it.
            current = _holder(sections, intro)
        current.lines.append(line)
    if not sections:
        raise ParseError(
            numbered[-1][0],
            "no sections found: expected numbered headings such as '1. ...'",
            source=source,
        )
    sections = ([intro] if intro.lines else []) + sections
    sections += _reflections(sections) + _affirmations(sections)
    _set_anchors(sections)
    return ParsedDocument(title=title, summary=summary, sections=sections)


def _holder(sections: list[ParsedSection], intro: ParsedSection) -> ParsedSection:
    return next((s for s in reversed(sections) if s.kind in ("section", "tip")), intro)


def _reflections(sections: list[ParsedSection]) -> list[ParsedSection]:
    """Bulleted questions are the self-check questions a reader asks themself."""
    found = []
    for section in sections:
        for line in section.lines:
            if line.startswith("- ") and line.rstrip().endswith("?"):
                found.append(ParsedSection(line[2:].strip(), "reflection_question"))
    return found


def _affirmations(sections: list[ParsedSection]) -> list[ParsedSection]:
    """Quoted affirmations ("I am deserving of love...") and "I deserve..." lines."""
    found: list[str] = []
    for section in sections:
        for line in section.lines:
            for quote in QUOTED.findall(line):
                if quote.startswith("I ") and "withdraw" not in quote:
                    found.append(quote.strip().rstrip(",") + ".")
            if line.startswith(("I deserve", "People care about me")):
                found += [m.strip() for m in DESERVE.findall(line)]
    unique = list(
        dict.fromkeys(a if a.endswith((".", "…")) else a + "." for a in found)
    )
    return [ParsedSection(a, "affirmation") for a in unique]


def _set_anchors(sections: list[ParsedSection]) -> None:
    used: set[str] = set()
    for section in sections:
        base = slugify(section.heading)[:60].strip("-") or section.kind
        anchor, n = base, 2
        while anchor in used:
            anchor = f"{base}-{n}"
            n += 1
        used.add(anchor)
        section.anchor = anchor
