"""A visitor reading a circle signs up (from the header on a desktop, from the
circle's page on a phone) and comes back to that circle, not the directory (issue 15,
item 11)."""

import pytest

from tests.e2e.conftest import (
    no_horizontal_overflow,
    screenshot,
    serious_axe_violations,
)


@pytest.mark.parametrize(
    "width, scheme", [(375, "light"), (1280, "dark")], ids=["phone", "desktop"]
)
def test_sign_up_from_a_circle_returns_to_it(page_for, live, circle, width, scheme):
    page = page_for(None, width=width)
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{live.url}/circles/{circle.slug}/")
    if width > 420:
        nav = page.get_by_role("navigation", name="Site")
        nav.get_by_role("link", name="Sign up").click()
    else:  # a phone's header has no room for it: the circle's own page offers it
        page.get_by_role("main").get_by_role("link", name="sign up").click()
    page.wait_for_url(
        lambda url: url.endswith(f"/accounts/signup/?next=/circles/{circle.slug}/")
    )
    assert serious_axe_violations(page) == []
    assert no_horizontal_overflow(page)
    screenshot(page, f"signup-with-next-{width}-{scheme}")

    page.get_by_label("Username").fill(f"reader-{width}")
    page.get_by_label("Display name").fill(f"Quiet Reader {width}")
    page.get_by_label("Password", exact=True).fill("a-long-test-password-1")
    page.get_by_label("Password confirmation").fill("a-long-test-password-1")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(f"{live.url}/circles/{circle.slug}/")
    # Logged in as them (on a phone the name sits in the account menu, folded).
    assert page.locator(".whoami").first.text_content() == f"Quiet Reader {width}"


def test_log_in_from_a_circle_returns_to_it(page_for, live, circle, member, password):
    page = page_for(None)
    page.goto(f"{live.url}/circles/{circle.slug}/")
    page.get_by_role("navigation", name="Site").get_by_role(
        "link", name="Log in"
    ).click()
    page.get_by_label("Username").fill(member.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live.url}/circles/{circle.slug}/")
