"""Members' journeys of issue 26 in a real browser, on a phone (390x844) and a desktop
(1280x800), axe serious/critical: none on every page.
- 5: notifications clear when what they point to is seen, on every open page.
- 7: a refused form comes back with its error summary at the top, focused, and what
  was typed kept (quiet hours "10pm-7am", "Delete my account" without a password).
- 9: a draft restored into the reply form is in sight and says it is there (since
  issue 28 the page's one form moves under the post it answers).
- 13: an invite link opened while logged out says what it is on the log-in page and
  comes back to the invite; the circles list groups circles by how one can join."""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from circles.models import Circle
from circles.threads import services as thread_services
from community.conversations import services as dm_services
from tests.e2e.conftest import (
    ROOT,
    SCREENSHOTS,
    no_horizontal_overflow,
    screenshot,
    serious_axe_violations,
)
from tests.factories import PASSWORD, CircleFactory, UserFactory, add_member

SIZES = [(390, 844), (1280, 800)]
LIVE_EVENTS = (ROOT / "static" / "js" / "socket.js").exists()


def clean(page):
    assert serious_axe_violations(page) == []
    assert no_horizontal_overflow(page)


@pytest.mark.parametrize("width,height", SIZES)
def test_notifications_clear_when_what_they_point_to_is_seen(
    page_for, live, circle, host, member, width, height
):
    thread = thread_services.thread_create(
        author=member, circle=circle, title="Mornings", body="Mornings are hard."
    ).thread
    thread_services.post_reply(author=host, thread=thread, body="I hear you.")
    dm_services.check_in_start(
        actor=host, circle=circle, member=member, body="How are you doing?"
    )
    other = page_for(member, width=width, height=height)  # a second open page
    other.goto(f"{live.url}/circles/")
    badge = other.locator("#notification-count")
    expect(badge).to_have_text("2")

    page = page_for(member, width=width, height=height)
    page.goto(f"{live.url}{thread.get_absolute_url()}")  # not via the list
    clean(page)
    expect(page.locator("#notification-count")).to_have_text("1")
    if LIVE_EVENTS:  # socket.js dispatches "me:notifications.read" to every page
        expect(badge).to_have_text("1")
    page.goto(f"{live.url}/messages/")
    page.get_by_role("link", name="Hazel Host").first.click()
    clean(page)
    expect(page.locator("#notification-count")).to_be_hidden()
    if LIVE_EVENTS:
        expect(badge).to_be_hidden()
    other.reload()
    expect(other.locator("#notification-count")).to_be_hidden()


@pytest.mark.parametrize("width,height", SIZES)
def test_a_refused_form_shows_its_summary_first_with_focus_and_keeps_the_text(
    page_for, live, member, width, height
):
    page = page_for(member, width=width, height=height)
    page.goto(f"{live.url}/accounts/settings/")
    page.get_by_label("Quiet hours").fill("10pm-7am")
    page.get_by_role("button", name="Save my settings").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("This has not gone through yet.")
    expect(summary).to_contain_text("Quiet hours: Write quiet hours as HH:MM-HH:MM")
    expect(page.get_by_label("Quiet hours")).to_have_value("10pm-7am")
    assert summary.bounding_box()["y"] < height  # in view, not far below
    clean(page)
    path = screenshot(page, f"error-summary-focused-{width}")
    shutil.copy(path, SCREENSHOTS.parent / f"error-summary-focused-{width}.png")
    # The summary's link goes to the field.
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Quiet hours")).to_be_focused()

    page.locator("#delete-account").get_by_label(
        "Keep what I wrote", exact=False
    ).check()
    page.get_by_role("button", name="Delete my account").click()
    delete_summary = page.locator("#delete-errors")
    expect(delete_summary).to_be_focused()
    expect(delete_summary).to_contain_text("Password")
    assert delete_summary.bounding_box()["y"] < height
    expect(
        page.locator("#delete-account").get_by_label("Keep what I wrote", exact=False)
    ).to_be_checked()
    assert serious_axe_violations(page) == []


@pytest.mark.parametrize("width,height", SIZES)
def test_a_restored_draft_in_a_collapsed_reply_says_it_is_there(
    page_for, live, circle, host, member, width, height
):
    thread = thread_services.thread_create(
        author=host, circle=circle, title="Evenings", body="How are your evenings?"
    ).thread
    reply = thread_services.post_reply(
        author=host, thread=thread, body="Mine are quiet."
    ).post
    page = page_for(member, width=width, height=height)
    page.goto(f"{live.url}{thread.get_absolute_url()}")
    # The page's one reply form moves under the post (issue 28), focused.
    page.locator(f"#post-{reply.pk} > a.post-reply").click()
    box = page.locator(f"#post-{reply.pk} > #reply")
    expect(box.locator("textarea")).to_be_focused()
    expect(box.locator("h2")).to_have_text("Reply to Hazel Host")
    box.locator("textarea").fill("Mine too, with tea.")
    expect(box.locator(".draft-note")).to_have_text("Draft saved on this device.")
    page.reload()
    # Back where it was written, open, with the words, and the post says so.
    box = page.locator(f"#post-{reply.pk} > #reply")
    expect(box.locator("textarea")).to_have_value("Mine too, with tea.")
    expect(box.locator("textarea")).to_be_visible()
    expect(box.locator(".draft-note")).to_have_text("Draft restored from this device.")
    expect(page.locator(f"#post-{reply.pk} > a.post-reply")).to_contain_text(
        "You have an unsent draft here"
    )
    # Cancel puts the form back at the end and focus back on the Reply link; the
    # draft stays kept for that post.
    box.get_by_role("button", name="Cancel").click()
    expect(page.locator(f"#post-{reply.pk} > a.post-reply")).to_be_focused()
    expect(page.locator(".thread > #reply textarea")).to_have_value("")
    page.locator(f"#post-{reply.pk} > a.post-reply").click()
    expect(page.locator(f"#post-{reply.pk} > #reply textarea")).to_have_value(
        "Mine too, with tea."
    )
    clean(page)


@pytest.mark.parametrize("width,height", SIZES)
def test_an_invite_link_opened_logged_out_says_what_it_is_and_comes_back(
    page_for, live, host, width, height
):
    circle = CircleFactory(
        host=host,
        name="Quiet Letters",
        slug="quiet-letters",
        join_policy=Circle.JoinPolicy.INVITE,
    )
    CircleFactory(name="Open Meadow", slug="open-meadow")
    full = CircleFactory(name="Full House", slug="full-house", capacity=1)
    add_member(full, UserFactory())
    person = UserFactory(display_name="Nell Newcomer")
    page = page_for(width=width, height=height)
    page.goto(f"{live.url}/circles/")
    expect(page.locator('[data-group="open"]')).to_contain_text("Open Meadow")
    expect(page.locator('[data-group="open"]')).not_to_contain_text("Quiet Letters")
    expect(page.locator('[data-group="invite"]')).to_contain_text("Quiet Letters")
    expect(page.locator('[data-group="full"]')).to_contain_text("Full House")
    clean(page)
    page.goto(f"{live.url}/circles/quiet-letters/")
    expect(page.locator("#invite-only-note")).to_be_visible()
    expect(page.get_by_text("to join.")).to_have_count(0)

    page.goto(f"{live.url}/circles/quiet-letters/invite/{circle.invite_token}/")
    expect(page.get_by_text("This link is an invite to Quiet Letters.")).to_be_visible()
    clean(page)
    page.get_by_label("Username").fill(person.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(
        f"{live.url}/circles/quiet-letters/invite/{circle.invite_token}/"
    )
    clean(page)
    page.get_by_label("I have read", exact=False).check()
    page.get_by_role("button", name="Join the circle").click()
    expect(page.get_by_text("Welcome to Quiet Letters.")).to_be_visible()


def test_screenshots_dir_is_where_the_summary_screenshot_goes():
    assert SCREENSHOTS.parent == Path(ROOT) / "test-artifacts"
