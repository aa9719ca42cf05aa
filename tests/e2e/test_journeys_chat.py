"""The circle chat with no dead ends (issue 26), in a real browser on a phone
(390x844) and a desktop (1280x800), with axe on every page:

- a moderator removes a member's message from the chat itself, with a reason they
  type (an empty one is refused and the message stays), and the other member's open
  page loses it live; words that raised a crisis level offer no Remove;
- a keyboard reaches the chat box through the skip link in three Tab presses at most;
  a new message is announced as "Author: words" and nothing else; every control of a
  message names it; live and reloaded messages have the same controls in the same
  order; "is typing…" goes when that person's message arrives; an ignored person's
  message keeps nothing but "show"; "I'm not OK" is on the page once on a desktop.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from circles.models import ChatMessage, ContentStatus
from moderation.models import Ignore, ModerationAction
from tests.factories import ChatMessageFactory, UserFactory, add_member

ROOT = Path(__file__).resolve().parents[2]
SIZES = [("phone", 390, 844), ("desktop", 1280, 800)]
DANGER = "honestly i want to kill myself tonight"
REMOVED = "Removed by the circle's moderators"


def axe_violations(page) -> list[str]:
    """Every axe violation, whatever its impact."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(n.get("target")) for n in v["nodes"][:3])
        for v in results.response["violations"]
    ]


def open_circle(page_for, user, live, circle, width, height):
    page = page_for(user, width=width, height=height)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    page.goto(f"{live.url}/circles/{circle.slug}/")
    expect(page.locator("#chat-status")).to_have_text("Connected.", timeout=5000)
    return page


def send(page, text):
    page.locator("#chat-input").fill(text)
    page.locator("#chat-input").press("Enter")


def message_li(page, text):
    return page.locator("#chat-log li[data-message-id]").filter(has_text=text)


def control_order(li) -> list[str]:
    return li.evaluate(
        """(li) => {
          const names = ["reaction-bar", "save-form", "chat-care", "chat-flag", "chat-remove"];
          const found = [];
          li.querySelectorAll("*").forEach((node) => {
            names.forEach((name) => {
              if (node.classList.contains(name) && !found.includes(name)) found.push(name);
            });
          });
          return found;
        }"""
    )


@pytest.mark.parametrize("size,width,height", SIZES)
def test_a_moderator_removes_a_chat_message_and_others_lose_it_live(
    page_for, live, circle, member, moderator, size, width, height
):
    mira = open_circle(page_for, member, live, circle, width, height)
    moss = open_circle(page_for, moderator, live, circle, width, height)
    send(mira, "that was a cruel joke about you")
    target = message_li(moss, "cruel joke")
    expect(target).to_have_count(1)
    expect(message_li(mira, "cruel joke")).to_have_count(1)
    # Arrived live, drawn by the server: Remove for the moderator, not for Mira.
    expect(message_li(mira, "cruel joke").locator(".chat-remove")).to_have_count(0)
    target.locator(".chat-remove > summary").click()
    reason = target.get_by_label(re.compile("Why remove this message"))
    expect(reason).to_have_value("")  # typed by the moderator, never pre-filled
    target.get_by_role("button", name=re.compile("Remove it")).click()
    error = target.locator(".errorlist")
    expect(error).to_contain_text("Give a reason")
    expect(reason).to_be_focused()
    message = ChatMessage.objects.get(body="that was a cruel joke about you")
    assert message.status == ContentStatus.VISIBLE  # kept
    expect(message_li(mira, "cruel joke")).to_have_count(1)
    assert axe_violations(moss) == []
    reason.fill("Mocking a member")
    target.get_by_role("button", name=re.compile("Remove it")).click()
    # Mira's open page loses it live; so does the moderator's.
    gone = mira.locator(f'li[data-message-id="{message.pk}"]')
    expect(gone.locator(".chat-tombstone")).to_have_text(REMOVED)
    expect(gone).not_to_contain_text("cruel joke")
    expect(moss.locator(f'li[data-message-id="{message.pk}"]')).to_have_text(
        re.compile(REMOVED)
    )
    assert ModerationAction.objects.filter(
        action="remove", target_kind="message", target_id=message.pk
    ).exists()
    # Words that raised a crisis level: no Remove, on the page or live.
    send(mira, DANGER)
    heavy = moss.locator("#chat-log li[data-message-id]").last
    expect(heavy).to_contain_text("kill myself")
    expect(heavy.locator(".chat-remove")).to_have_count(0)
    send(mira, "a calm line after")
    expect(message_li(moss, "a calm line after").locator(".chat-remove")).to_have_count(
        1
    )
    moss.reload()
    expect(moss.locator("#chat-status")).to_have_text("Connected.", timeout=5000)
    heavy = moss.locator(
        f'li[data-message-id="{ChatMessage.objects.get(body=DANGER).pk}"]'
    )
    expect(heavy.locator(".chat-remove")).to_have_count(0)
    calm = message_li(moss, "a calm line after")
    calm.locator(".chat-remove > summary").click()
    calm.locator("textarea").scroll_into_view_if_needed()
    assert axe_violations(moss) == []
    assert axe_violations(mira) == []
    path = ROOT / "test-artifacts" / f"chat-remove-{size}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    moss.screenshot(path=str(path), full_page=True)
    assert mira.js_errors == [] and moss.js_errors == []


@pytest.mark.parametrize("size,width,height", SIZES)
def test_keyboard_and_screen_reader_on_the_circle_page(
    page_for, live, circle, member, host, moderator, size, width, height
):
    ChatMessageFactory(circle=circle, author=moderator, body="from the history")
    Ignore.objects.create(user=member, ignored=moderator)
    ana = UserFactory(display_name="Ana Reader")
    add_member(circle, ana)
    page = open_circle(page_for, ana, live, circle, width, height)

    # From the top of the page, the skip link reaches the chat box in 1-3 presses.
    presses = 0
    while page.evaluate("() => document.activeElement.textContent.trim()") != (
        "Skip to chat"
    ):
        assert presses < 3, "Skip to chat is more than three Tab presses away"
        page.keyboard.press("Tab")
        presses += 1
    page.keyboard.press("Enter")
    expect(page.locator("#chat-input")).to_be_focused()
    assert 1 <= presses <= 3

    # "I'm not OK": once on a desktop.
    visible = page.get_by_role("button", name="I'm not OK right now")
    expect(visible).to_have_count(1 if size == "desktop" else 2)

    # Someone types, then their message arrives: the typing line goes at once.
    hazel = open_circle(page_for, host, live, circle, 1280, 800)
    hazel.locator("#chat-input").press_sequentially("Sending", delay=20)
    typing = page.locator("#chat-typing")
    expect(typing).to_have_text("Hazel Host is typing…")
    hazel.locator("#chat-input").fill("Sending strength to you all")
    hazel.locator("#chat-input").press("Enter")
    li = message_li(page, "Sending strength to you all")
    expect(li).to_have_count(1)
    expect(typing).to_have_text("", timeout=1500)  # well before the quiet spell

    # The live region says who and what, and nothing of the buttons.
    announced = page.locator("#chat-announce p").last
    expect(announced).to_have_text("Hazel Host: Sending strength to you all")
    for label in ("I hear you", "Save", "Flag", "Who reacted"):
        assert label not in page.locator("#chat-announce").inner_text()
    assert page.locator("#chat-log").get_attribute("aria-live") is None

    # Every control names the message it belongs to.
    controls = li.locator("button, a, summary")
    expect(controls.first).to_be_visible()
    for i in range(controls.count()):
        control = controls.nth(i)
        if not control.is_visible():
            continue  # "Who reacted" shows once someone has
        expect(control).to_have_accessible_name(re.compile("Hazel Host"))
    expect(li.get_by_role("button", name=re.compile("Sending strength"))).to_have_count(
        1
    )

    # Live and reloaded: the same controls in the same order.
    live_order = control_order(li)
    assert live_order == ["reaction-bar", "save-form", "chat-flag"], live_order
    message_id = li.get_attribute("data-message-id")
    page.reload()
    expect(page.locator("#chat-status")).to_have_text("Connected.", timeout=5000)
    reloaded = page.locator(f'li[data-message-id="{message_id}"]')
    assert control_order(reloaded) == live_order

    # An ignored person's message, live and reloaded: nothing but "show".
    mira = open_circle(page_for, member, live, circle, 1280, 800)
    moss = open_circle(page_for, moderator, live, circle, 1280, 800)
    send(moss, "a word from Moss")
    seen = message_li(mira, "a word from Moss")
    expect(seen.locator("details.ignored summary")).to_contain_text(
        "You chose to hide what Moss Moderator writes"
    )
    expect(seen.locator("button, a, form")).to_have_count(0)
    mira.reload()
    expect(mira.locator("#chat-status")).to_have_text("Connected.", timeout=5000)
    for text in ("a word from Moss", "from the history"):
        folded = message_li(mira, text)
        expect(folded.locator("details.ignored")).to_have_count(1)
        expect(folded.locator("button, a, form")).to_have_count(0)

    for each in (page, mira):
        assert axe_violations(each) == []
    assert page.js_errors == [] and mira.js_errors == []
