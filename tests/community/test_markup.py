import pytest

from community import markup


def test_formatting_survives():
    html = markup.render("**bold** _em_ `code`\n\n> quote\n\n- one\n- two")
    for tag in ("<strong>bold</strong>", "<em>em</em>", "<code>code</code>", "<blockquote>", "<li>one</li>"):
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
    html = markup.render(payload).lower()
    assert "<script" not in html and "<img" not in html and "<svg" not in html
    assert "javascript:" not in html.replace("[x](javascript:", "") or "href" not in html
    assert "onerror=" not in html.replace("&lt;", "") or "<img" not in html
    assert 'href="data:' not in html and 'href="javascript:' not in html


def test_text_over_the_cap_is_refused_before_rendering():
    with pytest.raises(markup.TextTooLong):
        markup.render("a" * 4001, kind="chat")
