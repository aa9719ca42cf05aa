"""A private check-in in a real browser: a moderator writes from the members page,
the member sees it live on another page (`/ws/me/`) and answers, the moderator sees
the answer live. Then the conversation page at phone width in dark mode, with axe."""

from playwright.sync_api import expect

from community.conversations.models import Conversation, DirectMessage
from tests.e2e.conftest import (
    no_horizontal_overflow,
    screenshot,
    serious_axe_violations,
)


def me_socket_open(page):
    page.wait_for_function(
        "() => performance.getEntriesByType('resource').some("
        "e => e.name.includes('me_socket.js'))"
    )
    page.wait_for_timeout(300)  # the socket opens right after the script runs


def test_a_check_in_from_the_members_page_is_answered_live(
    page_for, live, circle, moderator, member
):
    mira = page_for(member)
    mira.goto(f"{live.url}/circles/{circle.slug}/")
    me_socket_open(mira)

    moss = page_for(moderator)
    moss.goto(f"{live.url}/circles/{circle.slug}/members/")
    row = moss.locator(f'[data-user-id="{member.pk}"]')
    row.get_by_text("Check in privately").click()
    box = row.get_by_label("A private message to Mira Member")
    box.fill("Hi Mira, I noticed your words earlier. How are you doing right now?")
    row.get_by_role("button", name="Send privately").click()
    conversation = Conversation.objects.get()
    expect(moss).to_have_url(f"{live.url}/messages/{conversation.pk}/")
    expect(moss.locator("#dm-log li")).to_have_count(1)
    me_socket_open(moss)

    # Live on another page: a polite announcement and the unread badge.
    live_region = mira.locator("#me-live")
    expect(live_region).to_contain_text("New private message from Moss Moderator")
    expect(mira.locator("#dm-unread")).to_have_text("1")
    live_region.get_by_role("link", name="Open the conversation").click()
    expect(mira).to_have_url(f"{live.url}/messages/{conversation.pk}/")
    expect(mira.locator("#dm-log")).to_contain_text("How are you doing right now?")
    me_socket_open(mira)

    mira.locator("#dm-input").fill("Thank you for asking. It's a hard day.")
    mira.get_by_role("button", name="Send", exact=True).click()
    expect(mira.locator("#dm-input")).to_have_value("")
    answer = moss.locator("#dm-log li", has_text="It's a hard day.")
    expect(answer).to_be_visible(timeout=3000)
    stored = DirectMessage.objects.get(author=member)
    assert moss.locator(f"#dm-{stored.pk}").count() == 1
    assert stored.seq == 2
    screenshot(moss, "check-in-moderator-desktop")

    # Crisis words: the card is announced without taking focus from the composer.
    mira.locator("#dm-input").fill("I want to kill myself tonight")
    mira.locator("#dm-input").press("Tab")
    mira.locator("#dm-input").focus()
    mira.get_by_role("button", name="Send", exact=True).click()
    card = mira.locator("#crisis-resources")
    expect(card).to_be_visible()
    expect(card).to_have_attribute("role", "alert")
    expect(card).to_have_attribute("data-posted", "visible")
    expect(card).to_contain_text("Moss Moderator can read it now")

    # Either can close; the other is told live and the composer goes.
    moss.get_by_role("button", name="Close this conversation").click()
    expect(mira.locator("#dm-closed")).to_be_visible()
    expect(mira.locator("#dm-form")).to_be_hidden()


def test_the_conversation_page_at_phone_width_in_dark_mode(
    page_for, live, circle, moderator, member
):
    from community.conversations import services

    conversation = services.check_in_start(
        actor=moderator, circle=circle, member=member, body="Checking in **gently**."
    ).message.conversation
    for width, scheme in ((375, "dark"), (1280, "light")):
        page = page_for(member, width=width)
        page.emulate_media(color_scheme=scheme)
        page.goto(f"{live.url}/messages/{conversation.pk}/")
        expect(page.locator("#dm-log li")).to_have_count(1)
        assert no_horizontal_overflow(page)
        assert serious_axe_violations(page) == []
        page.goto(f"{live.url}/messages/")
        expect(page.locator("#conversations")).to_contain_text("Moss Moderator")
        assert serious_axe_violations(page) == []
        screenshot(page, f"conversations-{width}-{scheme}")
