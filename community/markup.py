"""The one place user text becomes HTML: markdown-it-py (CommonMark, raw HTML off),
then bleach with an allowlist and linkify. It runs once, at write time; templates
print the stored result.

Cost is bounded by a length cap per kind of text (checked before rendering) and by
markdown-it-py's linear-time parser (Python-Markdown has a quadratic worst case).
"""

import re
from functools import partial
from html import escape as html_escape

import bleach
from markdown_it import MarkdownIt

LIMITS = {
    "chat": 4_000,
    "post": 20_000,
    "title": 200,
    "note": 1_000,
}

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "strong",
        "em",
        "del",
        "s",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "h3",
        "h4",
        "h5",
        "h6",
    }
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "ol": ["start"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener noreferrer"


class TextTooLong(ValueError):
    def __init__(self, kind: str, limit: int, length: int):
        self.kind, self.limit, self.length = kind, limit, length
        super().__init__(f"That is {length:,} characters; the limit is {limit:,}.")


MAX_LINK_BRACKETS = 500  # past this, "[" is shown as text, not parsed as links
MAX_NESTING = 40  # quotes and lists; markdown-it recurses once per level


def _markdown() -> MarkdownIt:
    md = MarkdownIt(
        "commonmark",
        {
            "html": False,
            "linkify": False,
            "typographer": False,
            # A line break typed with Shift+Enter is a line break on the page, as
            # people expect in chat and posts (CommonMark would join the lines).
            "breaks": True,
            "maxNesting": MAX_NESTING,
        },
    )
    # Headings inside a post would outrank the page's own; images would load from
    # anywhere. Both are turned off at the parser.
    md.disable(["image", "html_block", "html_inline"])
    return md


_MD = _markdown()


def _set_rel(attrs, new=False):
    href_key = (None, "href")
    href = attrs.get(href_key, "")
    if href.startswith("mailto:"):
        attrs.pop((None, "target"), None)
    attrs[(None, "rel")] = LINK_REL
    return attrs


# bleach's own URL and e-mail patterns use unbounded runs with no anchor on the
# left, so a single 20,000-character word costs seconds (quadratic backtracking).
# The same patterns with every run bounded (DNS labels 63, local parts 64, paths
# 2,000) cost a bounded amount per position: linear in the text.
_TLDS = "|".join(sorted(bleach.linkifier.TLDS, key=len, reverse=True))
_URL_RE = re.compile(
    r"""\({0,8}
    \b(?<![@.])(?:(?:https?|mailto):/{0,3}(?:(?:\w{1,64}:)?\w{1,64}@)?)?
    (?:[\w-]{1,63}\.){1,16}(?:TLDS)(?::[0-9]{1,5})?(?!\.\w)\b
    (?:[/?][^\s{}|\\^`<>"]{0,2000})?
    """.replace("TLDS", _TLDS),
    re.IGNORECASE | re.VERBOSE | re.UNICODE,
)
_EMAIL_RE = re.compile(
    r"""(?<!//)
    (([-!#$%&'*+/=?^_`{}|~0-9A-Z]{1,64}(\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]{1,64}){0,8}
    )@(?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.){1,16}(?:TLDS))
    """.replace("TLDS", _TLDS),
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)

_CLEANER = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[
        partial(
            bleach.linkifier.LinkifyFilter,
            callbacks=[_set_rel],
            skip_tags={"pre", "code"},
            parse_email=True,
            url_re=_URL_RE,
            email_re=_EMAIL_RE,
        )
    ],
)
_HEADING_DEMOTE = {"<h1>": "<h3>", "</h1>": "</h3>", "<h2>": "<h4>", "</h2>": "</h4>"}


def check_length(text: str, *, kind: str) -> None:
    limit = LIMITS[kind]
    if len(text) > limit:
        raise TextTooLong(kind, limit, len(text))


# Most chat messages are a line or two of plain words, for which markdown and bleach
# (0.4 ms together) can only answer "<p>the words</p>". `_plain_html` gives that
# answer directly when nothing in the text could mean anything else: no markdown or
# HTML character, no line that could open a block, no "." that could start a domain,
# nothing unprintable. Anything else takes the full path (tests/community/
# test_markup_fast_path.py compares the two on thousands of texts).
_MARKUP_CHARS = frozenset("\\`*_~[]<>&#|{}@=+^")
_LIST_START = re.compile(r"[-\d]")
_DOT_THEN_NAME = re.compile(r"\.[^\s.!?)\"']")


def _plain_html(text: str) -> str | None:
    if not text or _DOT_THEN_NAME.search(text) or not _MARKUP_CHARS.isdisjoint(text):
        return None
    lines = text.split("\n")
    for line in lines:
        if (
            not line
            or line[0].isspace()
            or line[-1].isspace()
            or _LIST_START.match(line)
            or not line.isprintable()
        ):
            return None
    return "<p>" + "<br>\n".join(lines).replace('"', "&quot;") + "</p>"


def render(text: str, *, kind: str = "post") -> str:
    """Markdown source to safe HTML. Raises TextTooLong past the kind's cap."""
    text = text.replace("\x00", "\ufffd")
    check_length(text, kind=kind)
    plain = _plain_html(text)
    return plain if plain is not None else _render_markdown(text)


def _render_markdown(text: str) -> str:
    if text.count("[") > MAX_LINK_BRACKETS:
        # markdown-it scans ahead from every "[" for its "]": quadratic when there
        # are thousands. No real post has this many links; show the brackets.
        text = text.replace("[", "\\[")
    tokens = _MD.parse(text)
    if tokens and max(t.level for t in tokens) >= MAX_NESTING - 1:
        # markdown-it drops what lies past its nesting limit; never lose words.
        return _CLEANER.clean(_plain_paragraphs(text)).strip()
    html = _MD.renderer.render(tokens, _MD.options, {})
    for old, new in _HEADING_DEMOTE.items():
        html = html.replace(old, new)
    return _CLEANER.clean(html).strip()


def _plain_paragraphs(text: str) -> str:
    """Escaped text in paragraphs, line breaks kept: the fallback for input that
    markdown cannot nest."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(
        "<p>" + "<br>".join(html_escape(line) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )


def render_plain(text: str, *, kind: str = "note") -> str:
    """Plain text (no markdown) to safe HTML with links: flag notes, reasons."""
    text = text.replace("\x00", "\ufffd")
    check_length(text, kind=kind)
    return _CLEANER.clean(bleach.clean(text, tags=set(), strip=True)).strip()


__all__ = ["render", "render_plain", "check_length", "TextTooLong", "LIMITS"]
