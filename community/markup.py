"""The one place user text becomes HTML: markdown-it-py (CommonMark, raw HTML off),
then bleach with an allowlist and linkify. It runs once, at write time; templates
print the stored result.

Cost is bounded by a length cap per kind of text (checked before rendering) and by
markdown-it-py's linear-time parser (Python-Markdown has a quadratic worst case).
"""

from functools import partial

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


def _markdown() -> MarkdownIt:
    md = MarkdownIt(
        "commonmark", {"html": False, "linkify": False, "typographer": False}
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
        )
    ],
)
_HEADING_DEMOTE = {"<h1>": "<h3>", "</h1>": "</h3>", "<h2>": "<h4>", "</h2>": "</h4>"}


def check_length(text: str, *, kind: str) -> None:
    limit = LIMITS[kind]
    if len(text) > limit:
        raise TextTooLong(kind, limit, len(text))


def render(text: str, *, kind: str = "post") -> str:
    """Markdown source to safe HTML. Raises TextTooLong past the kind's cap."""
    text = text.replace("\x00", "\ufffd")
    check_length(text, kind=kind)
    html = _MD.render(text)
    for old, new in _HEADING_DEMOTE.items():
        html = html.replace(old, new)
    return _CLEANER.clean(html).strip()


def render_plain(text: str, *, kind: str = "note") -> str:
    """Plain text (no markdown) to safe HTML with links: flag notes, reasons."""
    text = text.replace("\x00", "\ufffd")
    check_length(text, kind=kind)
    return _CLEANER.clean(bleach.clean(text, tags=set(), strip=True)).strip()


__all__ = ["render", "render_plain", "check_length", "TextTooLong", "LIMITS"]
