"""The crisis net in a real browser (issue 24): kind and ordinary chat, and a
moderator's own check-in question, raise no card and reach no queue; a reply about
being hurt at home right now shows the `unsafe` card with domestic-abuse lines.
The sentences here are examples written for this walk, not the detector's corpus."""

import pytest
from playwright.sync_api import expect

from circles.threads import services as thread_services
from moderation.models import SafetyItem
from tests.e2e.conftest import screenshot, serious_axe_violations

KIND_LINES = {
    "member": [
        "Welcome Maya, just reading along is more than enough. Glad you found us.",
        "It helped more than you know, honestly.",
        "Ha, it really is. Small steps.",
    ],
    "moderator": [
        "Do you want to tell me what tonight has been like?",
        "No pressure to answer, we're here whenever you want to talk.",
    ],
}
ABUSE_NOW = (
    "Thanks for asking. He took my phone again and locked the front door, "
    "I'm on my old tablet in the bathroom and I don't feel safe here tonight."
)


def send(page, words):
    box = page.locator("#chat-input")
    box.fill(words)
    box.press("Enter")
    expect(page.locator("#chat-log li", has_text=words)).to_have_count(1)


@pytest.mark.parametrize("width,scheme", [(375, "dark"), (1280, "light")])
def test_kind_chat_and_a_moderators_question_raise_nothing(
    page_for, live, circle, member, moderator, width, scheme
):
    pages = {}
    for role, person in (("member", member), ("moderator", moderator)):
        page = page_for(person, width=width)
        page.emulate_media(color_scheme=scheme)
        page.goto(f"{live.url}/circles/{circle.slug}/")
        expect(page.locator("#chat-status")).to_have_text("Connected.", timeout=5000)
        pages[role] = page
    for role, lines in KIND_LINES.items():
        for words in lines:
            send(pages[role], words)
    # Every line reached the other person, and nobody was shown a card.
    for page in pages.values():
        for lines in KIND_LINES.values():
            for words in lines:
                expect(page.locator("#chat-log li", has_text=words)).to_have_count(1)
        expect(page.locator("#crisis-resources")).to_have_count(0)
        expect(page.locator("#chat-log [data-sensitive]")).to_have_count(0)
    assert not SafetyItem.objects.exists()
    pages["moderator"].goto(f"{live.url}/circles/{circle.slug}/moderation/")
    expect(pages["moderator"].locator("[data-safety-case]")).to_have_count(0)
    assert serious_axe_violations(pages["moderator"]) == []


@pytest.mark.parametrize("width,scheme", [(375, "light"), (1280, "dark")])
def test_a_reply_about_being_hurt_now_shows_the_unsafe_card(
    page_for, live, circle, member, host, width, scheme
):
    thread = thread_services.thread_create(
        author=host, circle=circle, title="How was today?", body="Checking in."
    ).thread
    page = page_for(member, width=width)
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{live.url}{thread.get_absolute_url()}")
    page.get_by_label("Your reply").last.fill(ABUSE_NOW)
    page.get_by_role("button", name="Send reply").click()
    card = page.locator("#crisis-resources")
    expect(card).to_be_visible()
    expect(card).to_have_attribute("data-level", "unsafe")
    expect(card).to_contain_text("phone")  # calls and texts show in the phone's logs
    expect(card.locator('a[href^="tel:"]').first).to_be_visible()
    item = SafetyItem.objects.get(person=member)
    assert item.level == "unsafe"
    assert serious_axe_violations(page) == []
    screenshot(page, f"crisis-net-unsafe-reply-{width}-{scheme}")
