"""The one crisis card, sensitive words and Leave quickly in a real browser, on a
phone (390x844) and a desktop (1280x800), light and dark, with axe: another member
sees a danger message collapsed with no reactions; Shift three times leaves; every
line on every card is a link a phone can call or text; the unsafe card."""

import re
from importlib import import_module

import pytest
from django.conf import settings
from playwright.sync_api import expect

from circles.models import ChatMessage
from circles.threads import services as thread_services
from community.conversations import services as dm_services
from moderation.safety.crisis import SENSITIVE_NOTE, card
from tests.e2e.conftest import screenshot

DANGER = "i have the pills counted out and i am going to take them all tonight"
WORDS = "honestly i want to kill myself tonight"
SIZES = [(390, 844, "dark"), (1280, 800, "light")]


def axe_violations(page) -> list[str]:
    """Every axe violation, whatever its impact."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(n.get("target")) for n in v["nodes"][:3])
        for v in results.response["violations"]
    ]


def chat_ready(page):
    expect(page.locator("#chat-status")).to_have_text("Connected.", timeout=5000)


def open_page(page_for, user, width, height, scheme):
    page = page_for(user, width=width, height=height)
    page.emulate_media(color_scheme=scheme)
    return page


def every_line_is_tappable(page):
    """Each phone line is a tel:/sms: link, big enough to tap; no bare numbers."""
    section = page.locator("#crisis-resources")
    links = section.locator(
        '.crisis-lines a[href^="tel:"], .crisis-lines a[href^="sms:"]'
    )
    assert links.count() >= 1
    for i in range(links.count()):
        link = links.nth(i)
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box
    outside = page.evaluate(
        """() => {
          const card = document.querySelector('#crisis-resources .crisis-lines');
          const copy = card.cloneNode(true);
          copy.querySelectorAll('a, strong, small').forEach(n => n.remove());
          return copy.textContent;
        }"""
    )
    assert not re.search(r"\d{3}", outside), outside


@pytest.mark.parametrize("width,height,scheme", SIZES)
def test_another_member_sees_a_danger_message_collapsed_with_no_reactions(
    page_for, live, circle, member, moderator, host, width, height, scheme
):
    from tests.factories import UserFactory, add_member

    author = UserFactory(display_name="Ari Author")
    add_member(circle, author)
    other = open_page(page_for, member, width, height, scheme)
    other.goto(f"{live.url}/circles/{circle.slug}/")
    chat_ready(other)
    writer = page_for(author)
    writer.goto(f"{live.url}/circles/{circle.slug}/")
    chat_ready(writer)
    # Live: the words arrive over the socket while the member has the circle open.
    writer.locator("#chat-input").fill("Hello")
    writer.locator("#chat-input").press("Enter")
    calm = other.locator("li[data-message-id]").filter(has_text="Hello")
    expect(calm.locator("[data-reaction-bar] button").first).to_be_visible()
    expect(
        calm.get_by_role("button", name=re.compile("to the message from Ari Author"))
    ).to_have_count(4)
    writer.locator("#chat-input").fill(DANGER)
    writer.locator("#chat-input").press("Enter")
    expect(writer.locator("#crisis-resources")).to_have_attribute("role", "alert")
    li = other.locator("li[data-message-id]").last
    expect(li.locator("[data-sensitive] details summary")).to_have_text(SENSITIVE_NOTE)
    expect(li.locator("[data-sensitive] details")).not_to_have_attribute("open", "")
    expect(li.locator("[data-reaction-bar]")).to_have_count(0)
    posted = ChatMessage.objects.get(body=DANGER)
    # Server-rendered after a reload: the same.
    other.reload()
    chat_ready(other)
    li = other.locator(f'li[data-message-id="{posted.pk}"]')
    expect(li.locator("[data-sensitive] summary")).to_have_text(SENSITIVE_NOTE)
    expect(li.locator("[data-reaction-bar]")).to_have_count(0)
    li.locator("summary").click()  # one click to open
    expect(li.locator(".sensitive-body")).to_contain_text("pills counted out")
    expect(li.locator('.sensitive-lines a[href^="tel:"]').first).to_be_visible()
    assert axe_violations(other) == []
    screenshot(other, f"sensitive-chat-{width}-{scheme}")
    # The author and a moderator see it open.
    for who in (author, moderator):
        page = open_page(page_for, who, width, height, scheme)
        page.goto(f"{live.url}/circles/{circle.slug}/")
        li = page.locator(f'li[data-message-id="{posted.pk}"]')
        expect(li.locator(".chat-body")).to_contain_text("pills counted out")
        expect(li.locator("[data-sensitive]")).to_have_count(0)


@pytest.mark.parametrize("width,height,scheme", SIZES)
def test_leave_quickly_by_shift_three_times_lands_on_the_exit_url(
    page_for, live, circle, member, width, height, scheme
):
    page = open_page(page_for, member, width, height, scheme)
    page.route(
        "https://www.bbc.co.uk/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<title>Weather</title>Weather"
        ),
    )
    page.goto(f"{live.url}/privacy/")
    expect(page.locator("#leave-quickly")).to_contain_text("stay logged in")
    page.goto(f"{live.url}/circles/{circle.slug}/")
    chat_ready(page)
    page.keyboard.press("Tab")
    expect(page.locator("#quick-exit")).to_be_focused()
    expect(page.locator("#quick-exit")).to_have_text("Leave quickly")
    assert axe_violations(page) == []
    screenshot(page, f"leave-quickly-{width}-{scheme}")
    page.locator("#chat-input").focus()
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_url("https://www.bbc.co.uk/weather")
    page.go_back()  # the circle's page was replaced: back goes to the one before
    page.wait_for_url(f"{live.url}/privacy/")


def test_typing_capitals_does_not_leave(page_for, live, circle, member):
    page = page_for(member)
    page.goto(f"{live.url}/circles/{circle.slug}/")
    chat_ready(page)
    page.locator("#chat-input").type("I Am Fine Now")
    page.keyboard.press("Escape")
    assert page.url.startswith(live.url)


def test_clicking_leave_quickly_replaces_the_page(page_for, live, member):
    page = page_for(member, width=390, height=844)
    page.route(
        "https://www.bbc.co.uk/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="ok"),
    )
    page.goto(f"{live.url}/privacy/")
    page.goto(f"{live.url}/")
    page.locator("#quick-exit").click()
    page.wait_for_url("https://www.bbc.co.uk/weather")
    page.go_back()
    page.wait_for_url(f"{live.url}/privacy/")


def seed_card(page, live, card_data):
    """Put a card in the browser's session, as a write would have."""
    engine = import_module(settings.SESSION_ENGINE)
    cookie = next(
        c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME
    )
    session = engine.SessionStore(session_key=cookie["value"])
    session["crisis_card"] = card_data
    session.save()


@pytest.mark.parametrize("width,height,scheme", SIZES)
def test_every_card_line_is_a_tappable_link(
    page_for, live, circle, member, host, moderator, width, height, scheme, settings
):
    thread = thread_services.thread_create(
        author=host, circle=circle, title="Evening check-in", body="How is everyone?"
    ).thread
    page = open_page(page_for, member, width, height, scheme)

    # danger: after a reply
    page.goto(f"{live.url}{thread.get_absolute_url()}")
    page.get_by_label("Your reply").last.fill(WORDS)
    page.get_by_role("button", name="Send reply").click()
    section = page.locator("#crisis-resources")
    expect(section).to_be_focused()
    expect(section).to_have_attribute("data-level", "danger")
    expect(
        section.get_by_role("button", name="I'm OK, that was misread")
    ).to_be_visible()
    every_line_is_tappable(page)
    assert axe_violations(page) == []
    screenshot(page, f"card-danger-{width}-{scheme}")

    # concern: "I'm not OK right now"
    page.goto(f"{live.url}/circles/{circle.slug}/")
    page.get_by_role("button", name="I'm not OK right now").first.click()
    expect(section).to_have_attribute("data-level", "concern")
    expect(section).to_contain_text("Nothing was posted")
    every_line_is_tappable(page)
    assert axe_violations(page) == []
    screenshot(page, f"card-concern-{width}-{scheme}")

    # unsafe: as the thread page draws it after words about being hurt now
    seed_card(page, live, card(level="unsafe", posted="visible", item="post:1"))
    page.goto(f"{live.url}{thread.get_absolute_url()}")
    expect(section).to_have_attribute("data-level", "unsafe")
    expect(section).to_contain_text("call and message logs")
    every_line_is_tappable(page)
    assert axe_violations(page) == []
    screenshot(page, f"card-unsafe-{width}-{scheme}")

    # a private conversation
    sent = dm_services.check_in_start(
        actor=moderator, circle=circle, member=member, body="Checking in: how are you?"
    )
    page.goto(f"{live.url}/messages/{sent.message.conversation_id}/")
    page.locator("#dm-input").fill(WORDS)
    page.locator("#dm-form button[type=submit]").click()
    expect(section).to_have_attribute("data-level", re.compile("danger|concern"))
    expect(section).to_contain_text("can read it now")
    every_line_is_tappable(page)
    assert axe_violations(page) == []
    screenshot(page, f"card-private-{width}-{scheme}")
