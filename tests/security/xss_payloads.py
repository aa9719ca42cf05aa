"""A corpus of hostile inputs, and the one check that stored HTML holds no active content.

Sources of the tricks: OWASP's XSS filter evasion cheat sheet, PortSwigger's XSS cheat
sheet (mutation XSS through noscript/style/template), and markdown-specific vectors.
"""

from html.parser import HTMLParser

PAYLOADS = [
    # script tags
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script\x00>alert(1)</script>",
    "<<script>alert(1);//<</script>",
    "<script/xss src=https://evil.example/x.js></script>",
    "</title><script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    # event handlers
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<img src=x onerror\x00=alert(1)>",
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">hover</div>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>",
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    # javascript:, data:, vbscript: URLs with tricks
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="java\x00script:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="VBScript:msgbox(1)">x</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    # SVG and MathML
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">x</math>',
    "<svg><foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject></svg>",
    # mutation XSS through noscript/style/template/textarea
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<style><img src=x onerror=alert(1)></style>",
    "<template><img src=x onerror=alert(1)></template>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<img src=x onerror=alert(1)>]]>",
    '<img src="x` `<script>alert(1)</script>"` `>',
    # markdown links, images, autolinks, references
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](javascript&#58;alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x](vbscript:msgbox(1))",
    "[x](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "![x](https://evil.example/track.png)",
    "![x](javascript:alert(1))",
    '[x](https://ok.example "title" onclick=alert(1))',
    "```html\n<script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
    "**<img src=x onerror=alert(1)>**",
    "> <script>alert(1)</script>",
    "- <a href=javascript:alert(1)>x</a>",
    # encoded forms
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "\u003cscript\u003ealert(1)\u003c/script\u003e",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)>",
]

# Tags and attributes that are never active, whatever their value.
SAFE_TAGS = {
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
SAFE_ATTRIBUTES = {"href", "title", "rel", "start"}
SAFE_SCHEMES = {"http", "https", "mailto"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, [(k, v or "") for k, v in attrs]))

    handle_startendtag = handle_starttag


def active_content(html: str) -> list[str]:
    """Everything in `html` that a browser could run or load; empty when inert."""
    parser = _Collector()
    parser.feed(html)
    parser.close()
    found = []
    for tag, attrs in parser.tags:
        if tag not in SAFE_TAGS:
            found.append(f"tag <{tag}>")
        for name, value in attrs:
            if name not in SAFE_ATTRIBUTES:
                found.append(f"attribute {name} on <{tag}>")
            if name == "href":
                cleaned = "".join(
                    ch for ch in value if ch.isprintable() and not ch.isspace()
                )
                scheme = cleaned.split(":", 1)[0].lower() if ":" in cleaned else ""
                if scheme and scheme not in SAFE_SCHEMES:
                    found.append(f"href scheme {scheme!r}")
    return found


_DANGEROUS_TAGS = {
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "base",
    "frame",
    "frameset",
    "applet",
    "img",
    "video",
    "audio",
    "source",
    "marquee",
    "xmp",
    "noscript",
    "template",
}
_URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "poster",
}


# What the page itself puts there: the crisis lines' call and text links (the
# stored words' own links are checked by `active_content`, which refuses these), and
# the inert <template>s the chat script copies (sensitive words, ignored people).
PAGE_SCHEMES = SAFE_SCHEMES | {"tel", "sms"}
PAGE_TEMPLATES = {
    "sensitive-template",
    "ignored-template",
}


def page_active_content(html: str) -> list[str]:
    """Active content in a whole page that the page itself did not put there: any
    script not served from /static/ (JSON data blocks are inert), event handlers,
    dangerous tags, and URLs with a scheme other than http(s)/mailto (tel/sms)."""
    parser = _Collector()
    parser.feed(html)
    parser.close()
    found = []
    for tag, attrs in parser.tags:
        values = dict(attrs)
        if tag == "script":
            if values.get("type") == "application/json":
                continue
            if not values.get("src", "").startswith("/static/"):
                found.append("inline or foreign <script>")
        if tag == "template" and values.get("id") in PAGE_TEMPLATES:
            continue
        if tag in _DANGEROUS_TAGS:
            found.append(f"tag <{tag}>")
        if tag == "meta" and "http-equiv" in values:
            found.append("<meta http-equiv>")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"handler {name} on <{tag}>")
            if name in _URL_ATTRIBUTES:
                cleaned = "".join(
                    c for c in value if c.isprintable() and not c.isspace()
                )
                scheme = cleaned.split(":", 1)[0].lower() if ":" in cleaned else ""
                if (
                    scheme
                    and scheme not in PAGE_SCHEMES
                    and not cleaned.startswith("/")
                ):
                    found.append(f"{name} scheme {scheme!r} on <{tag}>")
    return found
