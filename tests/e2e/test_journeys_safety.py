"""Safety in a real browser, as a person in distress meets it: a crisis reply shows a
truthful card at the top with focus; "I'm not OK" is a few Tab presses from the chat
box and its card is in view; chat announces the card without taking the composer's
focus; a moderator sees the safety item and picks it up. Phone and desktop."""

import re

import pytest
from playwright.sync_api import expect

from circles.threads import services as thread_services
from moderation.models import SafetyItem
from tests.e2e.conftest import screenshot, serious_axe_violations

WORDS = "honestly i want to kill myself tonight"


def chat_ready(page):
    expect(page.locator("#chat-status")).to_have_text("Connected.", timeout=5000)


@pytest.mark.parametrize("width,scheme", [(375, "dark"), (1280, "light")])
def test_a_crisis_reply_shows_a_true_card_at_the_top_with_focus(
    page_for, live, circle, member, host, width, scheme
):
    thread = thread_services.thread_create(
        author=host, circle=circle, title="Evening check-in", body="How is everyone?"
    ).thread
    page = page_for(member, width=width)
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{live.url}{thread.get_absolute_url()}")
    page.get_by_label("Your reply").last.fill(WORDS)
    page.get_by_role("button", name="Send reply").click()
    card = page.locator("#crisis-resources")
    expect(card).to_be_visible()
    expect(card).to_be_focused()
    expect(card).to_have_attribute("data-posted", "visible")
    expect(card).to_contain_text("Your words are posted")
    expect(card.locator('a[href^="tel:"]').first).to_be_visible()
    # Before the page's first heading, inside <main>.
    first = page.evaluate(
        "() => document.querySelector('main h1, main h2, main #crisis-resources').id"
    )
    assert first == "crisis-resources" or first == "crisis-h"
    assert serious_axe_violations(page) == []
    screenshot(page, f"crisis-card-reply-{width}-{scheme}")


def test_not_ok_is_a_few_tabs_from_the_chat_box_and_its_card_is_in_view(
    page_for, live, circle, member, moderator
):
    page = page_for(member, width=375, height=740)
    page.goto(f"{live.url}/circles/{circle.slug}/")
    chat_ready(page)
    page.locator("#chat-input").focus()
    for _press in range(5):
        page.keyboard.press("Tab")
        label = page.evaluate("() => document.activeElement.textContent.trim()")
        if label == "I'm not OK right now":
            break
    else:
        raise AssertionError('"I\'m not OK" is more than five Tab presses away')
    page.keyboard.press("Enter")
    card = page.locator("#crisis-resources")
    expect(card).to_be_focused()
    expect(card).to_be_in_viewport()
    expect(card).to_contain_text("Nothing was posted")
    assert SafetyItem.objects.filter(kind="not-ok", person=member).exists()
    screenshot(page, "not-ok-card-phone")

    mod = page_for(moderator)
    mod.goto(f"{live.url}/circles/{circle.slug}/moderation/")
    # contract, third round: the desk shows the person's case, its items inside
    case = mod.locator(f'[data-safety-case="{member.pk}"]')
    expect(case.locator("[data-safety-item^='not-ok:']")).to_have_count(1)
    expect(case).to_contain_text("Nobody has picked this up yet")
    case.get_by_role("button", name="Pick up: I'll reach out").click()
    expect(mod.locator(f'[data-safety-case="{member.pk}"]')).to_contain_text(
        "You are reaching out"
    )
    assert serious_axe_violations(mod) == []
    screenshot(mod, "safety-queue")


def test_chat_announces_the_card_without_taking_the_composers_focus(
    page_for, live, circle, member
):
    page = page_for(member)
    page.goto(f"{live.url}/circles/{circle.slug}/")
    chat_ready(page)
    box = page.locator("#chat-input")
    box.fill(WORDS)
    box.press("Enter")
    card = page.locator("#crisis-resources")
    expect(card).to_have_attribute("role", "alert")
    expect(card).to_have_attribute("data-posted", "visible")
    expect(box).to_be_focused()
    box.type("still typing")
    expect(box).to_have_value(re.compile("still typing"))
