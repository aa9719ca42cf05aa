import re

import pytest

from community import markup


def test_formatting_survives():
    html = markup.render("**bold** _em_ `code`\n\n> quote\n\n- one\n- two")
    for tag in (
        "<strong>bold</strong>",
        "<em>em</em>",
        "<code>code</code>",
        "<blockquote>",
        "<li>one</li>",
    ):
        assert tag in html


def test_links_get_rel_and_only_safe_protocols():
    html = markup.render("[site](https://example.org) and www.example.com")
    assert 'href="https://example.org"' in html
    assert html.count('rel="nofollow ugc noopener noreferrer"') == 2


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="javascript:alert(1)">x</a>',
        "![x](https://evil.example/track.png)",
        "<svg onload=alert(1)>",
    ],
)
def test_dangerous_constructs_are_neutralised(payload):
    tags = parsed_tags(markup.render(payload))
    assert {name for name, _ in tags} <= markup.ALLOWED_TAGS
    for _name, attrs in tags:
        for attr, value in attrs:
            assert not attr.startswith("on")
            if attr == "href":
                assert value.split(":", 1)[0].lower() in {"http", "https", "mailto"}


def parsed_tags(html: str) -> list:
    from html.parser import HTMLParser

    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(html)
    return found


def test_text_over_the_cap_is_refused_before_rendering():
    with pytest.raises(markup.TextTooLong):
        markup.render("a" * 4001, kind="chat")


PATHOLOGICAL = {
    "brackets": "[",
    "link openers": "[x](",
    "nested quotes": ">",
    "nested quotes with text": "> a\n",
    "unclosed emphasis": "*a _b ",
    "emphasis runs": "*_",
    "backticks": "`a",
    "entities": "&#x6A;",
    "list nesting": "- ",
}


@pytest.mark.parametrize("unit", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_input_at_the_cap_renders_safely_and_keeps_the_text(unit):
    from html import unescape

    from tests.security.xss_payloads import active_content

    cap = markup.LIMITS["post"]
    text = (unit * (cap // len(unit) + 1))[:cap]
    html = markup.render(text, kind="post")
    assert active_content(html) == []
    visible = unescape(re.sub(r"<[^>]+>", "", html))
    assert visible.count("[") == text.count("[")  # brackets shown, never dropped
    assert visible.count("a") == text.count("a")  # no word is lost to the markup


def test_one_character_past_the_cap_is_refused_before_rendering():
    with pytest.raises(markup.TextTooLong):
        markup.render("a" * (markup.LIMITS["post"] + 1), kind="post")
    with pytest.raises(markup.TextTooLong):
        markup.render("a" * (markup.LIMITS["chat"] + 1), kind="chat")


@pytest.mark.parametrize("kind", ["chat", "post"])
def test_a_single_line_break_is_kept_as_a_line_break(kind):
    """Shift+Enter makes a new line; CommonMark alone would join the two lines."""
    html = markup.render("line one\nline two", kind=kind)
    assert re.search(r"line one<br ?/?>\s*line two", html), html


def test_line_breaks_stay_sanitised_and_code_keeps_its_newlines():
    html = markup.render("<b>one</b>\n<script>x</script>\n\n```\na\nb\n```")
    assert "<b>" not in html and "<script>" not in html
    assert "&lt;b&gt;one&lt;/b&gt;<br>" in html
    assert "<pre><code>a\nb\n</code></pre>" in html  # no <br> inside code
