"""Pages that exist from the foundation on: they render, have no serious axe
violations and do not overflow at phone or desktop width."""

import pytest

from tests.e2e.conftest import (
    no_horizontal_overflow,
    screenshot,
    serious_axe_violations,
)


@pytest.mark.parametrize("width", [375, 1280])
def test_circle_list_and_home_render_accessibly(page_for, live, circle, member, width):
    page = page_for(member, width=width)
    page.goto(f"{live.url}/circles/")
    assert page.get_by_role("heading", name="Circles", exact=True).is_visible()
    assert serious_axe_violations(page) == []
    assert no_horizontal_overflow(page)
    screenshot(page, f"circle-list-{width}")

    page.goto(f"{live.url}/circles/{circle.slug}/")
    assert page.locator("#chat-log").count() == 1
    assert page.locator("aside#resources").count() == 1
    assert serious_axe_violations(page) == []
    assert no_horizontal_overflow(page)
    screenshot(page, f"circle-home-{width}")


def test_signup_through_the_browser(page_for, live, db):
    page = page_for(None)
    page.goto(f"{live.url}/accounts/signup/")
    page.get_by_label("Username").fill("browser-person")
    page.get_by_label("Display name").fill("Calm Otter")
    page.get_by_label("Password", exact=True).fill("a-long-test-password-1")
    page.get_by_label("Password confirmation").fill("a-long-test-password-1")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(f"{live.url}/circles/")
    assert page.get_by_text("Calm Otter").is_visible()
